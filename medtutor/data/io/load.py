"""One entry point for slice data on disk: a folder in the article's layout or a
MedMNIST ``.npz``.

"""

from __future__ import annotations

import os

from medtutor.data.containers import SliceSet
from medtutor.data.errors import DataError
from medtutor.data.io.folders import read_folder
from medtutor.data.io.medmnist import read_medmnist

__all__ = ["load_slices"]


def load_slices(source) -> SliceSet:
    """Return a :class:`SliceSet` from a SliceSet, an article-layout folder or a
    MedMNIST ``.npz``.

    This is the one line a reader changes to use their own data: ``data =
    load_slices("my_data")`` in place of ``data = make_liver_dataset(...)``.

    Parameters
    ----------
    source : SliceSet or path-like
        A :class:`SliceSet` (returned as is), a folder in the article's layout
        (:func:`medtutor.data.read_folder`) or an ``.npz`` file
        (:func:`medtutor.data.read_medmnist`).

    Returns
    -------
    SliceSet

    Raises
    ------
    DataError
        A path that is neither a folder nor an ``.npz`` file.

    Notes
    -----
    Taught in: :doc:`ch4_1_liver_case_study`, :doc:`own_data`.
    """
    if isinstance(source, SliceSet):
        return source
    path = os.fspath(source)
    if os.path.isdir(path):
        return read_folder(path)
    if path.endswith(".npz"):
        return read_medmnist(path)
    if not os.path.exists(path):
        raise DataError(f"{path}: no such file or folder")
    raise DataError(
        f"{path}: expected a folder in the article's layout or a MedMNIST .npz file"
    )
