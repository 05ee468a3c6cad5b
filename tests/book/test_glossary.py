"""The glossary links each term to the section that explains it, and that section uses
the term.

Every row of ``book/glossary.md`` has a one-line definition and a link to a section,
``page#heading-anchor``, never to a whole page. The test finds that section (the heading
whose anchor MyST would make, down to the next heading of the same or a higher level)
and checks that its text contains the English term (each part of ``a / b`` terms; text
in
parentheses is an alternative name and not required). The book build, with warnings
as
errors, checks that every anchor resolves.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[2] / "book"
ROW = re.compile(
    r"^\| (?P<zh>[^|]+) \| (?P<en>[^|]+) \| (?P<what>[^|]+) \| (?P<link>[^|]+) \|$"
)
LINK = re.compile(r"^\[[^\]]+\]\((?P<page>[\w./]+)#(?P<anchor>[\w-]+)\)$")
HEADING = re.compile(r"^(#{1,6}) +(.*)$")


def rows() -> list[dict]:
    table = []
    for line in (BOOK / "glossary.md").read_text().splitlines():
        m = ROW.match(line.strip())
        if m and not set(m["zh"].strip()) <= {"-"} and m["zh"].strip() != "中文":
            table.append({k: v.strip() for k, v in m.groupdict().items()})
    return table


def slug(heading: str) -> str:
    """MyST's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`([^`]*)`", r"\1", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


@cache
def page_lines(page: str) -> tuple[str, ...]:
    path = BOOK / page
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text())["cells"]
        text = "\n".join(
            "".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
        )
    else:
        text = path.read_text()
    return tuple(text.splitlines())


def section(page: str, anchor: str) -> str | None:
    lines, out, level = page_lines(page), None, None
    for line in lines:
        m = HEADING.match(line)
        if m and out is not None and len(m[1]) <= level:
            break
        if out is not None:
            out.append(line)
        elif m and slug(m[2]) == anchor:
            out, level = [line], len(m[1])
    return None if out is None else "\n".join(out)


def required(term: str) -> list[str]:
    """The words a section must contain: each ``/`` part, without parentheses."""
    plain = re.sub(r"\([^)]*\)", "", term)
    return [" ".join(p.split()) for p in plain.split(" / ") if p.strip()]


def normalise(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


def test_glossary_has_its_terms():
    assert len(rows()) >= 60


@pytest.mark.parametrize("row", rows(), ids=lambda r: r["en"])
def test_term_is_defined_and_linked_to_a_section_that_uses_it(row):
    assert len(row["what"].split()) >= 4, f"{row['en']}: no one-line definition"
    m = LINK.match(row["link"])
    assert m, f"{row['en']}: link to a section (page#anchor), got {row['link']}"
    text = section(m["page"], m["anchor"])
    assert text is not None, f"{row['en']}: no section #{m['anchor']} in {m['page']}"
    for word in required(row["en"]):
        assert normalise(word) in normalise(text), (
            f"{row['en']}: section #{m['anchor']} of {m['page']} never says {word!r}"
        )


def test_section_finder_and_slugs():
    assert slug("How far does a unit see? The receptive field") == (
        "how-far-does-a-unit-see-the-receptive-field"
    )
    assert slug("Loading: the article's loop and `read_folder`") == (
        "loading-the-articles-loop-and-read_folder"
    )
    assert required("training / validation / test set") == [
        "training",
        "validation",
        "test set",
    ]
    assert required("fully connected (dense) layer") == ["fully connected layer"]
