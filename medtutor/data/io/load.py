"""One entry point for slice data on disk: a folder in the article's layout, a
MedMNIST ``.npz`` or a folder of LiTS/MSD liver CT volumes.

"""

from __future__ import annotations

import os

from medtutor.data.containers import SliceSet
from medtutor.data.errors import DataError
from medtutor.data.io.folders import read_folder
from medtutor.data.io.medmnist import read_medmnist
from medtutor.data.io.volumes import read_liver_volumes

__all__ = ["load_slices"]


def load_slices(source, *, rgb: str = "error") -> SliceSet:
    """Return a :class:`SliceSet` from a SliceSet, an article-layout folder, a
    MedMNIST ``.npz`` or a folder of liver CT volumes.

    This is the one line a reader changes to use their own data: ``data =
    load_slices("my_data")`` in place of ``data = make_liver_dataset(...)``.

    Parameters
    ----------
    source : SliceSet or path-like
        A :class:`SliceSet` (returned as is), a folder in the article's layout
        (:func:`medtutor.data.read_folder`), an ``.npz`` file
        (:func:`medtutor.data.read_medmnist`), or a folder in the LiTS or MSD layout
        (:func:`medtutor.data.find_liver_volumes`), read by
        :func:`medtutor.data.read_liver_volumes` onto the case study's grid (64 pixels
        over 220 mm, centred on the liver; call it yourself for another grid).
    rgb : {"error", "convert"}
        Colour images: refuse them (default) or convert them to grayscale (PNG
        folders and MedMNIST files).

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
        if _is_volume_folder(path):
            return read_liver_volumes(path, size=64, fov_mm=220.0)
        return read_folder(path, rgb=rgb)
    if path.endswith(".npz"):
        return read_medmnist(path, rgb=rgb)
    if not os.path.exists(path):
        raise DataError(f"{path}: no such file or folder")
    raise DataError(
        f"{path}: expected a folder in the article's layout, a MedMNIST .npz file "
        "or a folder of LiTS/MSD liver CT volumes"
    )


def _is_volume_folder(path: str) -> bool:
    """A folder in the MSD layout (imagesTr/, labelsTr/) or holding LiTS volumes."""
    if os.path.isdir(os.path.join(path, "imagesTr")):
        return True
    return any(
        name.startswith("volume-") and ".nii" in name for name in os.listdir(path)
    )
