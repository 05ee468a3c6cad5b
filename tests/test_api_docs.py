"""Every public function appears in the API reference and names the chapter that teaches
it."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
API = (ROOT / "book" / "api.md").read_text()
MODULES = [
    "medtutor",
    "medtutor.data",
    "medtutor.data.io.atomic",
    "medtutor.teaching.layers",
    "medtutor.losses",
    "medtutor.teaching.optimizers",
    "medtutor.models",
    "medtutor.training",
    "medtutor.plots",
    "medtutor.metrics",
    "medtutor.explain",
    "medtutor.metrics.image",
    "medtutor.data.degrade",
    "medtutor.deploy",
    "medtutor.features",
    "medtutor.data.phantom.clinical",
]
AUTOMODULES = set(re.findall(r"\.\. automodule:: (\S+)", API))


def public(module_name):
    module = importlib.import_module(module_name)
    for name in getattr(module, "__all__", []):
        obj = getattr(module, name)
        if inspect.isfunction(obj) or inspect.isclass(obj):
            yield module_name, name, obj


ITEMS = [item for m in MODULES for item in public(m)]


@pytest.mark.parametrize(
    "module_name, name, obj", ITEMS, ids=[f"{m}.{n}" for m, n, _ in ITEMS]
)
def test_public_function_is_documented(module_name, name, obj):
    home = obj.__module__
    documented = (
        f"{module_name}.{name}" in API
        or f"{home}.{name}" in API
        or home in AUTOMODULES
        or module_name in AUTOMODULES
    )
    assert documented, f"{module_name}.{name} is missing from book/api.md"


@pytest.mark.parametrize(
    "module_name, name, obj", ITEMS, ids=[f"{m}.{n}" for m, n, _ in ITEMS]
)
def test_docstring_names_its_chapter(module_name, name, obj):
    doc = inspect.getdoc(obj) or ""
    assert re.search(r"Taught in|[Cc]hapter", doc), (
        f"{module_name}.{name}: the docstring must name the chapter that teaches it"
    )
