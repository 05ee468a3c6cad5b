"""Static checks of the book's notebooks (strict nbval executes them; this checks their
shape)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml

from tools.nbrun import notebooks_under
from tools.nbtemplate import (
    COLAB_TAGS,
    colab_cell_source,
    repository_url,
    uses_real_data,
)

ROOT = Path(__file__).resolve().parents[2]

NOTEBOOKS = notebooks_under(ROOT / "book")
NOISE = re.compile(
    r"oneDNN|cuInit|I0000|W0000|E0000|absl::|site-packages|/root/|/home/|/tmp/|\x08|\u2501"
)
# No stored output may name a path of the machine that produced it.
CHECKOUT = str(ROOT.parent) + "/"


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))
            walk(entry.get("chapters", []))

    walk(toc.get("parts", []))
    walk(toc.get("chapters", []))
    return files


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def test_there_are_notebooks():
    assert NOTEBOOKS, "the book has no notebooks"


def test_every_notebook_is_in_the_table_of_contents_and_back():
    listed = set(toc_files())
    on_disk = {p.relative_to(ROOT).with_suffix("").as_posix() for p in NOTEBOOKS}
    assert on_disk <= listed, (
        f"notebooks missing from _toc.yml: {sorted(on_disk - listed)}"
    )
    for entry in listed:
        assert any((ROOT / f"{entry}{ext}").exists() for ext in (".md", ".ipynb")), (
            f"{entry} in _toc.yml does not exist"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_cell_installs_medtutor_on_colab_only(path):
    first = cells(path)[0]
    assert first["cell_type"] == "code"
    real = uses_real_data(json.loads(path.read_text()))
    assert "".join(first["source"]) == colab_cell_source(
        repository_url(), real_data=real
    ), (
        f"{path.name}: first cell differs from tools/nbtemplate.py (repository URL in "
        "_config.yml?)"
    )
    assert first["metadata"].get("tags") == COLAB_TAGS
    assert first.get("outputs") == [], "outside Colab the first cell must print nothing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_executed_in_order_and_clean(path):
    code = [
        c
        for c in cells(path)
        if c["cell_type"] == "code" and "".join(c["source"]).strip()
    ]
    counts = [c["execution_count"] for c in code]
    assert None not in counts, f"{path.name} has unexecuted cells: run `make notebooks`"
    assert counts == list(range(1, len(code) + 1)), (
        f"{path.name} was not executed top to bottom in one kernel"
    )
    for cell in code:
        for out in cell["outputs"]:
            text = "".join(out.get("text", "")) + json.dumps(
                out.get("data", {}).get("text/plain", "")
            )
            assert out.get("output_type") != "error" or "raises-exception" in cell[
                "metadata"
            ].get("tags", [])
            assert not NOISE.search(text), (
                f"{path.name}: output with TF noise, a progress bar or a local path"
            )
            assert CHECKOUT not in text, (
                f"{path.name}: output shows a path of this machine"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_a_parameters_cell_and_a_title(path):
    all_cells = cells(path)
    assert any("parameters" in c["metadata"].get("tags", []) for c in all_cells), (
        f"{path.name}: no parameters cell"
    )
    first_md = next(c for c in all_cells if c["cell_type"] == "markdown")
    assert "".join(first_md["source"]).startswith("# "), (
        f"{path.name}: first markdown cell must be the title"
    )
    text = "\n".join(
        "".join(c["source"]) for c in all_cells if c["cell_type"] == "markdown"
    )
    for heading in ("## Summary", "## Exercises", "## What's next"):
        assert heading in text, f"{path.name}: missing '{heading}'"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_import_tensorflow_quietly(path):
    for cell in cells(path):
        source = "".join(cell["source"])
        if cell["cell_type"] == "code":
            assert not re.search(
                r"^\s*(import tensorflow|from tensorflow)", source, re.M
            ), f"{path.name}: import TensorFlow through medtutor.import_tensorflow()"
            assert "verbose=1" not in source, (
                f"{path.name}: Keras progress bars do not belong in stored outputs"
            )


CHAPTER_NOTEBOOKS = [p for p in NOTEBOOKS if p.name.startswith("ch")]


@pytest.mark.parametrize("path", CHAPTER_NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_opens_with_a_chinese_summary_of_the_article(path):
    # Under the title: a box, in Chinese, naming the article's section it follows and
    # linking the corrections page.
    title_cell = "".join(cells(path)[1]["source"])
    box = re.search(
        r"```\{admonition\} 原文对照：(?P<section>[^\n]+)\n"
        r":class: [^\n]*article-summary[^\n]*\n(?P<text>.+?)\n```",
        title_cell,
        re.S,
    )
    assert box, f"{path.name}: no article-summary box under the title"
    assert re.search(r"第 \d 节", box["section"]), box["section"]
    text = box["text"]
    assert "(corrections.md)" in text
    chinese = len(re.findall(r"[\u4e00-\u9fff]", text))
    assert chinese >= 60, f"{path.name}: the box should be a Chinese summary"


def test_colab_cell_refreshes_package_lists_only_where_real_scans_are_fetched():
    real = [p.name for p in NOTEBOOKS if uses_real_data(json.loads(p.read_text()))]
    assert real == ["ch4_3_real_scans.ipynb"]
    assert "apt-get" in colab_cell_source("https://x.org/a/b", real_data=True)
    assert "apt-get" not in colab_cell_source("https://x.org/a/b")


def _third_party_imports(sources) -> set[str]:
    import ast

    found = set()
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:  # cell magics
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names}


def test_the_colab_cell_installs_every_module_colab_lacks():
    from tools.nbtemplate import COLAB_INSTALLS, COLAB_SHIPS

    package = [p.read_text() for p in (ROOT / "medtutor").rglob("*.py")]
    notebooks = [
        "".join(c["source"])
        for path in NOTEBOOKS
        for c in cells(path)
        if c["cell_type"] == "code"
    ]
    needed = _third_party_imports(package + notebooks) - {"medtutor"}
    missing = needed - set(COLAB_SHIPS) - set(COLAB_INSTALLS.values())
    assert not missing, f"neither shipped by Colab nor installed by its cell: {missing}"
    cell = colab_cell_source("https://x.org/a/b")
    for requirement in COLAB_INSTALLS:
        assert f'"{requirement}"' in cell
    readme = (ROOT / "README.md").read_text()
    assert all(f"`{m}`" in readme for m in COLAB_SHIPS), "README lists what Colab ships"


#: The book's content column is about 745 px wide at desktop widths; a figure up to
#: this many pixels is shown at 0.8 of its natural size or more (the browser test
#: measures the rendered pages).
MAX_FIGURE_PX = 931


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_figures_are_laid_out_for_the_content_width(path):
    import base64
    import struct

    wide = []
    for k, cell in enumerate(cells(path)):
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                width = struct.unpack(">I", base64.b64decode(png)[16:20])[0]
                if width > MAX_FIGURE_PX:
                    wide.append(f"cell {k}: {width} px")
    assert not wide, f"figures wider than {MAX_FIGURE_PX} px: {wide}"


PLOTTING_SOURCES = sorted((ROOT / "medtutor").rglob("*.py")) + list(NOTEBOOKS)


@pytest.mark.parametrize("path", PLOTTING_SOURCES, ids=lambda p: p.stem)
def test_figures_use_legible_text_and_perceptual_colour_maps(path):
    """No text below 9 points (it is shown at 0.8 or more of its size), and no
    rainbow colour maps, which invent edges and fail colour-blind readers."""
    if path.suffix == ".ipynb":
        text = "\n".join("".join(c["source"]) for c in cells(path))
    else:
        text = path.read_text()
    small = re.findall(r"fontsize=([0-8](?:\.\d+)?)\b", text)
    rainbow = re.findall(
        r"cmap=[\"'](jet|rainbow|hsv|gist_rainbow|nipy_spectral)", text
    )
    assert not small, f"font sizes {small} below 9 points"
    assert not rainbow, f"rainbow colour maps {rainbow}"
