"""Write files so that an error or Ctrl-C never leaves half of one behind.

Taught in: *Using your own data* (the readers and the command line never leave partial
output).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from medtutor.data.errors import DataError

__all__ = ["atomic_folder", "save_npz_atomic"]


@contextmanager
def atomic_folder(destination: str | os.PathLike):
    """Yield a temporary folder beside ``destination`` that becomes it only if the block
    succeeds.

    Raises
    ------
    DataError
        ``destination`` exists and is not an empty folder (nothing is overwritten or
        added to).

    Notes
    -----
    Taught in: *Using your own data*.
    """
    destination = Path(destination)
    if destination.exists() and (
        not destination.is_dir() or any(destination.iterdir())
    ):
        raise DataError(
            f"{destination} already exists and is not an empty folder; choose a new one "
            "(medtutor never overwrites or adds to folders that are not empty)"
        )
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(
        tempfile.mkdtemp(prefix=f".{destination.name}-partial-", dir=destination.parent)
    )
    try:
        yield tmp
        if destination.exists():
            destination.rmdir()
        os.replace(tmp, destination)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def save_npz_atomic(
    path: str | os.PathLike, arrays: dict, *, compressed: bool = False
) -> Path:
    """Save ``arrays`` as an ``.npz`` file through a temporary file in the same folder
    and a rename.

    Notes
    -----
    Taught in: *Using your own data*.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".npz", dir=path.parent)
    os.close(fd)
    try:
        (np.savez_compressed if compressed else np.savez)(tmp, **arrays)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
