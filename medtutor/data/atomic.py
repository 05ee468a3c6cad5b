"""Write files so that an error or Ctrl-C never leaves half of one behind.

Taught in: *Using your own data* (the readers and the command line never leave partial output).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

__all__ = ["save_npz_atomic"]


def save_npz_atomic(path: str | os.PathLike, arrays: dict, *, compressed: bool = False) -> Path:
    """Save ``arrays`` as an ``.npz`` file through a temporary file in the same folder and a rename.

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
