"""The one exception type the data module raises for bad input."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

__all__ = ["DataError"]


class DataError(ValueError):
    """Bad input data: the message names the file (or key) and says what is wrong.

    A subclass of :class:`ValueError`, so ``except ValueError`` also catches it.
    Readers raise it instead of skipping data silently.

    Notes
    -----
    Taught in: :doc:`own_data`.
    """


def check_numeric(x, name: str = "image") -> np.ndarray:
    """Return ``x`` as an array, or raise :class:`DataError` if it is not numbers.

    Non-numeric dtypes and floating-point arrays with NaN or inf are refused.
    """
    x = np.asarray(x)
    if x.dtype.kind not in "fiub":
        raise DataError(f"{name} must be numeric, got dtype {x.dtype}")
    if x.dtype.kind == "f" and not np.isfinite(x).all():
        raise DataError(f"{name} contains NaN or inf values")
    return x


def check_file(path: str | os.PathLike) -> Path:
    """Return ``path`` as a :class:`~pathlib.Path`; raise :class:`DataError` naming it
    when it is not an existing file."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    return path
