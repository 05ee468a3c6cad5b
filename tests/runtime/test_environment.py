"""medtutor.runtime.environment: the versions table of *Setting up*."""

from __future__ import annotations

from importlib import metadata

import medtutor
from medtutor import import_tensorflow
from medtutor.runtime import environment


def test_versions_reports_what_is_installed():
    found = medtutor.versions()
    assert found["tensorflow"] == import_tensorflow().__version__
    assert found["medtutor"] == medtutor.__version__
    for name in ("keras", "numpy", "scikit-learn", "pydicom", "nibabel"):
        assert found[name] == metadata.version(name)
    major, minor = found["python"].split(".")
    assert major.isdigit() and minor.isdigit()


def test_versions_marks_missing_packages(monkeypatch):
    missing = "medtutor-no-such-package"
    monkeypatch.setattr(environment, "_PACKAGES", (*environment._PACKAGES, missing))
    assert environment.versions()[missing] == "not installed"
