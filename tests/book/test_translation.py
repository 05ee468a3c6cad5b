"""The Chinese edition's catalogs: complete, current and faithful to the markup.

Catalogs live in ``locales/zh_CN/LC_MESSAGES/book/<page>.po``, one per page, and are
updated with ``make locales`` after an English edit. The API reference's docstrings
stay English; only the page's own text (in ``book/api.md``) is translated.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.book.test_glue import glued_values, prose

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales" / "zh_CN" / "LC_MESSAGES" / "book"
CATALOGS = sorted(LOCALES.glob("*.po"))

ROLE = re.compile(r"\{[\w:.-]+\}`[^`]*`")
CODE = re.compile(r"(?<![`{}])`[^`]+`(?!`)")
MATH = re.compile(r"\$[^$]+\$")
LINK_TARGET = re.compile(r"\]\(([^)]*)\)")


def catalog(path: Path):
    with path.open("rb") as f:
        return read_po(f, abort_invalid=True)


def is_prose(msgid: str) -> bool:
    """Letters outside code, roles, maths and link targets: text a reader reads."""
    text = ROLE.sub(" ", msgid)
    text = re.sub(r"`[^`]*`", " ", text)
    text = MATH.sub(" ", text)
    text = LINK_TARGET.sub(" ", text)
    text = re.sub(r"https?://\S+", " ", text)
    return bool(re.search(r"[A-Za-z]{2,}", text))


def own_text(page: str):
    """For the API page, only strings of book/api.md itself (not docstrings)."""
    if page != "api":
        return None
    return re.sub(r"\s+", " ", (ROOT / "book" / "api.md").read_text())


def zh_variant(role: str) -> str:
    """A glued word or phrase has a Chinese twin glued as ``<key>_zh``, which the
    translation uses instead: {glue:text}`page.ipynb::verdict:s` may become
    {glue:text}`page.ipynb::verdict_zh:s`."""
    return re.sub(
        r"(\{glue(?::\w+)?\}`[^`:]+\.ipynb::\w+?)(:[^`]*)?`", r"\1_zh\2`", role
    )


def bad_closing_emphasis(text: str) -> bool:
    """A closing ** right after full-width punctuation and before a letter is not
    right-flanking in CommonMark: the asterisks are printed. (An opening ** there is
    fine.)"""
    runs = [m.start() for m in re.finditer(r"\*\*", text)]
    for closing in runs[1::2]:
        before = text[closing - 1] if closing else " "
        after = text[closing + 2] if closing + 2 < len(text) else " "
        if before in "，。：；、！？）」』”" and not (
            after.isspace() or after in "，。：；、！？）"
        ):
            return True
    return False


def markup_problems(msgid: str, msgstr: str) -> list[str]:
    out = []
    for name, pattern in (("role", ROLE), ("maths", MATH), ("link", LINK_TARGET)):
        out += [
            f"{name} {m!r} lost"
            for m in pattern.findall(msgid)
            if m not in msgstr and zh_variant(m) not in msgstr
        ]
    out += [
        f"code {m!r} lost" for m in CODE.findall(ROLE.sub("", msgid)) if m not in msgstr
    ]
    if msgstr.count("**") % 2:
        out.append("unbalanced **")
    if bad_closing_emphasis(msgstr):
        out.append("** closes after full-width punctuation (renders as asterisks)")
    if re.match(r"\d+\. ", msgstr):
        # "1. 背景" alone is an ordered list: a translated title would be dropped.
        out.append("starts like a numbered list item: escape it as 1\\. ")
    return out


def test_every_page_of_the_book_has_a_catalog():
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]] + [c["file"] for p in toc["parts"] for c in p["chapters"]]
    names = {p.stem for p in CATALOGS}
    missing = [p for p in pages if Path(p).name not in names]
    assert not missing, f"no catalog for {missing}: run make locales"


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.stem)
def test_no_prose_string_is_untranslated_or_fuzzy(path):
    own = own_text(path.stem)
    left = []
    for message in catalog(path):
        if not message.id or not is_prose(message.id):
            continue
        if own is not None and re.sub(r"\s+", " ", message.id)[:40] not in own:
            continue  # a docstring of the API reference: stays English
        if not message.string or message.fuzzy:
            left.append(message.id[:70])
    assert not left, f"{len(left)} untranslated or fuzzy, e.g. {left[:3]}"


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.stem)
def test_translations_keep_roles_code_maths_and_links(path):
    bad = []
    for message in catalog(path):
        if message.id and message.string:
            bad += [
                f"{message.id[:50]!r}: {p}"
                for p in markup_problems(message.id, message.string)
            ]
    assert not bad, "\n".join(bad[:10])


def test_the_markup_check_sees_a_lost_role_and_bad_emphasis():
    src = "Dice {glue:text}`ch.ipynb::d:.2f` with `code` and $x$."
    assert (
        markup_problems(src, "Dice {glue:text}`ch.ipynb::d:.2f`，`code` 与 $x$。") == []
    )
    assert markup_problems(src, "Dice，`code` 与 $x$。")
    assert markup_problems("**Exercise:** try", "**练习：**试用")
    assert not markup_problems("**Exercise:** try", "**练习**：试用")
    assert markup_problems("1. Background", "1. 背景")
    assert not markup_problems("1. Background", "1\\. 背景")


def test_catalogs_hold_exactly_the_strings_of_the_english_source(tmp_path):
    """An extraction now yields the same strings as the catalogs: no English edit is
    left untranslated (a changed paragraph shows up here until `make locales`)."""
    if not shutil.which("jupyter-book", path=str(Path(sys.executable).parent)):
        pytest.skip("jupyter-book is not installed")
    subprocess.run(
        [str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT)]
        + ["--builder", "custom", "--custom-builder", "gettext"]
        + ["--path-output", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    pots = tmp_path / "_build" / "gettext" / "book"
    problems = []
    for pot in sorted(pots.glob("*.pot")):
        po = LOCALES / f"{pot.stem}.po"
        if not po.exists():
            problems.append(f"{pot.stem}: no catalog")
            continue
        source = {m.id for m in catalog(pot) if m.id}
        translated = {m.id for m in catalog(po) if m.id}
        new, gone = source - translated, translated - source
        if new or gone:
            example = next(iter(new or gone))[:60]
            problems.append(
                f"{pot.stem}: {len(new)} new, {len(gone)} gone ({example!r})"
            )
    assert not problems, "run make locales:\n" + "\n".join(problems)


def glued_words(notebook: Path) -> tuple[set[str], set[str]]:
    """Keys of the string values a notebook's prose glues, and all keys it glues."""
    values = glued_values(notebook.stem)
    text = "".join(prose(notebook.stem))
    words = {
        key
        for key, value in values.items()
        if value[:1] in "'\"" and f"::{key}:" in text and not key.endswith("_zh")
    }
    return words, set(values)


NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_glued_words_have_a_chinese_twin_that_the_translation_uses(notebook):
    """A glued verdict ("better than", "lowered") is English text: the notebook also
    glues its Chinese twin, <key>_zh, and the Chinese edition shows that one."""
    words, glued = glued_words(notebook)
    missing = sorted(k for k in words if f"{k}_zh" not in glued)
    assert not missing, f"no Chinese twin glued for {missing}"
    po = LOCALES / f"{notebook.stem}.po"
    if not po.exists():
        return
    english = [
        (key, m.id[:50])
        for m in catalog(po)
        if m.string
        for key in words
        if re.search(rf"::{key}:[^`]*`", m.string)
    ]
    assert not english, f"translations show English glued words: {english[:3]}"
