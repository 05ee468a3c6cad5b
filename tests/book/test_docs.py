"""Links between the package and the book that cannot drift.

Every public function and class of ``medtutor`` (one that a module defines and lists in
its ``__all__``) is discovered here by walking the package, with no hand-kept list. Each
one must:

- appear in the API reference (``book/api.md``);
- name, in a ``Taught in:`` field of its docstring, the pages that teach it, written as
  ``:doc:`` roles (``Taught in: :doc:`ch3_workflow`, :doc:`own_data`.``);
- be used in the code of every notebook it names, and linked (``{func}``, ``{class}``)
  from the prose of every page it names.

And every notebook must link, at least once, each public helper its code uses.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import pkgutil
import re
from functools import cache
from pathlib import Path

import pytest

import medtutor

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
NOT_LIBRARY = {"medtutor.cli", "medtutor.__main__"}
FIELD = re.compile(r"Taught in:\s*((?::doc:`[\w/.-]+`(?:,\s*|\s+and\s+|\.)?\s*)+)")
DOC_ROLE = re.compile(r":doc:`([\w/.-]+)`")
LINK_ROLE = re.compile(r"\{(?:func|class|meth|obj|data)\}`~?([^`<]*?<)?~?([\w.]+)>?`")


def key(obj) -> str:
    return f"{obj.__module__}.{obj.__qualname__}"


@cache
def public_objects() -> dict[str, object]:
    """Every function and class that a module of the package defines and exports."""
    found = {}
    for info in pkgutil.walk_packages(medtutor.__path__, "medtutor."):
        if info.name in NOT_LIBRARY:
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            is_code = inspect.isfunction(obj) or inspect.isclass(obj)
            if is_code and obj.__module__ == module.__name__:
                found[key(obj)] = obj
    return found


def resolve(dotted: str):
    """The object a dotted name such as ``medtutor.data.read_png`` refers to."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr, None)
        return obj
    return None


def taught_in(obj) -> list[str]:
    """The page names of the ``Taught in:`` field, or [] when there is none."""
    match = FIELD.search(inspect.getdoc(obj) or "")
    return DOC_ROLE.findall(match.group(1)) if match else []


@cache
def pages() -> dict[str, Path]:
    """Pages of the book by name (``ch3_workflow``), from the table of contents."""
    toc = (ROOT / "_toc.yml").read_text()
    names = re.findall(r"(?:file|root):\s*book/([\w.-]+)", toc)
    found = {}
    for name in names:
        for suffix in (".ipynb", ".md"):
            if (BOOK / f"{name}{suffix}").exists():
                found[name] = BOOK / f"{name}{suffix}"
    return found


def cells(path: Path, kind: str) -> list[str]:
    if path.suffix == ".md":
        return [path.read_text()] if kind == "markdown" else []
    notebook = json.loads(path.read_text())
    return ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == kind]


@cache
def linked(name: str) -> frozenset[str]:
    """Keys of the public objects a page's prose links with a role."""
    keys = set()
    for text in cells(pages()[name], "markdown"):
        for _, target in LINK_ROLE.findall(text):
            obj = resolve(target)
            if obj is not None and (inspect.isfunction(obj) or inspect.isclass(obj)):
                keys.add(key(obj))
    return frozenset(keys)


def _code(source: str) -> str:
    """A cell's source without IPython magics, so that it parses as Python."""
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line
        for line in source.splitlines()
    )


@cache
def used(name: str) -> frozenset[str]:
    """Keys of the public objects a notebook's code imports or reaches by attribute."""
    aliases: dict[str, object] = {}
    keys = set()

    def note(obj):
        is_code = inspect.isfunction(obj) or inspect.isclass(obj)
        if is_code and key(obj) in public_objects():
            keys.add(key(obj))

    trees = [ast.parse(_code(src)) for src in cells(pages()[name], "code")]
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("medtutor"):
                        top = alias.asname or alias.name.split(".")[0]
                        aliases[top] = resolve(alias.asname and alias.name or top)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "medtutor"
            ):
                module = importlib.import_module(node.module)
                for alias in node.names:
                    obj = getattr(module, alias.name, None)
                    if obj is None:  # a submodule
                        obj = importlib.import_module(f"{node.module}.{alias.name}")
                    aliases[alias.asname or alias.name] = obj
                    note(obj)
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                chain, base = [], node
                while isinstance(base, ast.Attribute):
                    chain.append(base.attr)
                    base = base.value
                if isinstance(base, ast.Name) and base.id in aliases:
                    obj = aliases[base.id]
                    for attr in reversed(chain):
                        obj = getattr(obj, attr, None)
                        note(obj)
    return frozenset(keys)


NOTEBOOKS = sorted(n for n, p in pages().items() if p.suffix == ".ipynb")
PUBLIC = sorted(public_objects())
API = (BOOK / "api.md").read_text()


def test_discovery_finds_the_package():
    assert len(PUBLIC) > 60
    assert "medtutor.evaluate.evaluate_classifier" in PUBLIC
    assert "medtutor.cli.main" not in PUBLIC


@pytest.mark.parametrize("name", PUBLIC)
def test_public_helper_is_in_the_api_reference(name):
    obj = public_objects()[name]
    targets = set(re.findall(r"\.\. auto(?:function|class):: (\S+)", API))
    assert any(resolve(t) is obj for t in targets), f"{name} is missing from api.md"


@pytest.mark.parametrize("name", PUBLIC)
def test_taught_in_names_pages_that_teach_it(name):
    obj = public_objects()[name]
    named = taught_in(obj)
    assert named, f"{name}: no 'Taught in: :doc:`page`' field in its docstring"
    for page in named:
        assert page in pages(), f"{name}: Taught in names {page!r}, not in _toc.yml"
        if pages()[page].suffix == ".ipynb":
            assert name in used(page), f"{name}: {page} names it but never uses it"
        assert name in linked(page), f"{name}: {page} names it but never links it"


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_links_every_helper_it_uses(notebook):
    missing = sorted(used(notebook) - linked(notebook))
    assert not missing, f"{notebook} uses but never links: {missing}"


def test_the_checks_can_fail():
    """The parsers see a missing field, a missing link and an unused helper."""
    from medtutor.data import read_png

    assert taught_in(lambda: None) == []
    assert key(read_png) == "medtutor.data.io.png.read_png"
    assert "medtutor.data.io.png.read_png" not in used("setup")
    assert resolve("medtutor.data.read_png") is read_png
    assert resolve("medtutor.no_such_thing") is None
