"""Numbers in a chapter's prose come from its computation (MyST-NB glue), not typing.

A markdown cell may not contain a result-like number, a decimal such as 0.83 or a
percentage, outside maths, code and glue roles, unless it is on the short allow-list of
definitions and parameters below. Each glue role is page-qualified
(``{glue:text}`page.ipynb::key:.2f```), so that it still renders inside a translated
paragraph, and names a key that the notebook glues.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[2] / "book"
#: Chapters under the rule (the chapters of 5 join with their rework).
CHAPTERS = [
    "ch1_background",
    "ch2_core_concepts",
    "ch3_workflow",
    "ch4_1_liver_case_study",
    "ch4_2a_segmentation",
    "ch4_2b_restoration",
    "ch4_3_real_scans",
    "ch5a_imbalance_metrics",
    "ch5b_deployment_features",
]
#: Numbers that are definitions or parameters, not results, by chapter.
ALLOWED = {
    "ch1_background": {"0.5"},
    "ch2_core_concepts": {"0.25", "0.5"},
    "ch3_workflow": {"0.5", "0.7", "0.97", "3.4", "5.0"},
    "ch4_1_liver_case_study": {"0.5", "0.8", "0.95", "80 %", "90 %", "95 %"},
    "ch4_2a_segmentation": {"0.5"},
    "ch4_2b_restoration": {"95 %"},
    # 0.5 mm: a file's voxel size; 10 %: pixels called edges; 15 %, 30 %: augmentation.
    "ch4_3_real_scans": {"0.5", "0.90", "10 %", "15 %", "30 %", "95 %"},
    "ch5a_imbalance_metrics": {"0.5", "95 %"},
    "ch5b_deployment_features": {"95 %"},
}
SECTION = r"\d+(?:\.\d+)?[ab]?"  # a chapter number such as 4.2a
RESULT_LIKE = re.compile(r"(?<![\w.])(\d+\.\d+|\d+(?:\.\d+)? ?%)(?![\w.])")
GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`([^`]*)`")
HIDDEN = [
    re.compile(r"\$\$.*?\$\$", re.S),  # display maths
    re.compile(r"\$[^$\n]+\$"),  # inline maths
    re.compile(r"\{[\w:]+\}`[^`]*`"),  # roles (glue, func, cite, ...)
    re.compile(r"`[^`]*`"),  # code
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"https?://\S+"),
    re.compile(rf"[Cc]hapters? {SECTION}(?:(?:,| and| or) {SECTION})*"),
    re.compile(rf"^#+ {SECTION}", re.M),  # a chapter's own number in its title
    re.compile(r"CC[ -]BY[\w-]* \d+\.\d+"),  # licence versions
]


def notebook(name: str) -> dict:
    return json.loads((BOOK / f"{name}.ipynb").read_text())


def prose(name: str) -> list[str]:
    cells = notebook(name)["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


def result_like_numbers(text: str) -> list[str]:
    for pattern in HIDDEN:
        text = pattern.sub(" ", text)
    return RESULT_LIKE.findall(text)


def glued_values(name: str) -> dict[str, str]:
    """Each glued key's stored ``text/plain`` form."""
    values = {}
    for cell in notebook(name)["cells"]:
        for out in cell.get("outputs", []):
            scrap = out.get("metadata", {}).get("scrapbook", {})
            if "name" in scrap:
                data = out.get("data", {})
                text = data.get("application/papermill.record/text/plain") or data.get(
                    "text/plain", ""
                )
                values[scrap["name"]] = "".join(text)
    return values


@pytest.mark.parametrize("name", CHAPTERS)
def test_prose_types_no_result_numbers(name):
    typed = [
        number
        for text in prose(name)
        for number in result_like_numbers(text)
        if number not in ALLOWED[name]
    ]
    assert not typed, f"{name}: numbers typed into the prose instead of glued: {typed}"


@pytest.mark.parametrize("name", CHAPTERS)
def test_glue_roles_are_page_qualified_and_glued(name):
    keys = set(glued_values(name))
    for text in prose(name):
        for content in GLUE_ROLE.findall(text):
            page, sep, rest = content.partition("::")
            assert sep and page == f"{name}.ipynb", (
                f"{name}: glue role `{content}` must start with {name}.ipynb::"
            )
            key = rest.split(":", 1)[0]
            assert key in keys, f"{name}: glue key {key!r} is never glued"


@pytest.mark.parametrize("name", CHAPTERS)
def test_glue_roles_have_a_format_that_fits_the_value(name):
    # MyST-NB reads `page::key` without a format as key "page:"; and it formats a number
    # only if its stored text is a Python literal (not "np.float64(0.5)").
    values = glued_values(name)
    for text in prose(name):
        for content in GLUE_ROLE.findall(text):
            _, _, rest = content.partition("::")
            key, sep, fmt = rest.partition(":")
            assert sep and fmt, f"{name}: glue role `{content}` needs a format (:s, :d)"
            stored = values.get(key, "")
            try:
                value = ast.literal_eval(stored)
            except (ValueError, SyntaxError):
                value = None
            if fmt == "s":
                continue
            assert isinstance(value, (int, float)), (
                f"{name}: `{content}` formats {stored!r}, which is not a plain number; "
                "glue float(...) or int(...)"
            )
            format(value, fmt)


def test_the_rule_sees_typed_numbers_and_ignores_maths_and_code():
    assert result_like_numbers("accuracy 0.93 and 85 % of cases") == ["0.93", "85 %"]
    assert (
        result_like_numbers("$p = 0.5$ and `lr=0.001` and {glue:text}`a::b:.2f`") == []
    )
    assert result_like_numbers("chapter 4.1 and version 2.21.0") == []
