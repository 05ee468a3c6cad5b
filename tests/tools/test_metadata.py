"""What readers expect of a project: a licence, citation metadata, one version."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

import medtutor

ROOT = Path(__file__).resolve().parents[2]


def test_licence_matches_the_metadata_and_the_footer():
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License") and "The medtutor authors" in text
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'license = { text = "MIT" }' in pyproject
    assert "MIT licence" in (ROOT / "_config.yml").read_text()


def test_citation_cff_is_valid_and_carries_the_package_version():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    for key in ("cff-version", "message", "title", "authors", "version", "license"):
        assert cff.get(key), f"CITATION.cff lacks {key}"
    assert cff["version"] == medtutor.__version__
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(cff["date-released"]))
    assert cff["license"] == "MIT"


def test_changelog_lists_the_current_version():
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert f"## {medtutor.__version__} - " in changelog and "## Unreleased" in changelog
