"""Versions of the libraries the book depends on."""

from __future__ import annotations

import platform
from importlib import metadata

__all__ = ["versions"]

_PACKAGES = (
    "medtutor",
    "keras",
    "numpy",
    "scikit-learn",
    "matplotlib",
    "pydicom",
    "nibabel",
    "pillow",
)


def versions() -> dict[str, str]:
    """Return the versions of Python, TensorFlow and the other libraries medtutor uses.

    Returns
    -------
    dict of str to str
        Package name to version string. Python is given as ``major.minor`` so that the
        output does not change between patch releases. A package that is not installed
        maps to ``"not installed"``.

    Notes
    -----
    Taught in: :doc:`setup`.

    The setup chapter prints this table so that a reader can compare their environment
    with the one the book's outputs were produced in.
    """
    from medtutor.runtime.quiet import import_tensorflow

    found = {"python": ".".join(platform.python_version_tuple()[:2])}
    found["tensorflow"] = import_tensorflow().__version__
    for name in _PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found
