"""The one exception type the data module raises for bad input."""

from __future__ import annotations

import os
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Limits:
    """Sizes the readers refuse before reading, so that a damaged or hostile file
    cannot exhaust memory. Each can be raised with an environment variable.

    Attributes
    ----------
    max_pixels : int
        Pixels in one image (``MEDTUTOR_MAX_PIXELS``; default 100 million, about
        10,000 x 10,000).
    max_file_mb : float
        Size of one image file on disk (``MEDTUTOR_MAX_FILE_MB``; default 1024).
    max_npz_mb : float
        Uncompressed size of an ``.npz`` archive (``MEDTUTOR_MAX_NPZ_MB``; default
        1024; its 8-bit images take four times that once converted to float32).
    """

    max_pixels: int = 100_000_000
    max_file_mb: float = 1024.0
    max_npz_mb: float = 1024.0

    @classmethod
    def from_environment(cls) -> Limits:
        """The defaults, overridden by ``MEDTUTOR_MAX_*`` environment variables."""
        values = {}
        for field, kind in (
            ("max_pixels", int),
            ("max_file_mb", float),
            ("max_npz_mb", float),
        ):
            name = f"MEDTUTOR_{field.upper()}"
            text = os.environ.get(name)
            if text:
                try:
                    values[field] = kind(text)
                except ValueError:
                    raise DataError(f"{name}={text!r} is not a number") from None
                if values[field] <= 0:
                    raise DataError(f"{name} must be positive, got {text}")
        return cls(**values)


def check_file_size(path: Path, limits: Limits | None = None) -> None:
    """Refuse a file larger than ``limits.max_file_mb`` before reading it."""
    limits = limits or Limits.from_environment()
    size_mb = path.stat().st_size / 2**20
    if size_mb > limits.max_file_mb:
        raise DataError(
            f"{path}: {size_mb:.0f} MB, more than the {limits.max_file_mb:g} MB an "
            "image file may have; set MEDTUTOR_MAX_FILE_MB to read it anyway"
        )
