"""NIfTI volumes via nibabel: array plus voxel spacing, in the book's (Z, H, W) display
order.

"""

from __future__ import annotations

import os
from pathlib import Path

import nibabel as nib
import numpy as np

from medtutor.data.containers import Scan
from medtutor.data.errors import DataError, check_file
from medtutor.data.io.atomic import _atomic_file

__all__ = ["read_nifti", "write_nifti"]


def read_nifti(
    path: str | os.PathLike, *, modality: str = "unknown", units: str | None = None
) -> Scan:
    """Read a 3D NIfTI file (``.nii`` or ``.nii.gz``) into a :class:`Scan`.

    The volume is first reoriented to RAS+ with :func:`nibabel.as_closest_canonical`,
    then laid out as axial slices ``(Z, H, W)`` ordered from feet to head, each slice
    shown the radiological way (anterior at the top, the patient's right on the image's
    left), the same order as :func:`medtutor.data.read_dicom` and
    :func:`medtutor.data.make_volume`. Spacing comes from the header's voxel sizes.

    Parameters
    ----------
    path : path-like
        The NIfTI file.
    modality : str
        Recorded in the result (NIfTI does not store it), e.g. ``"CT"``.
    units : str, optional
        ``"HU"`` for CT; defaults to ``"HU"`` when ``modality == "CT"``, else
        ``"a.u."``.

    Returns
    -------
    Scan
        float32 ``array`` (scaled by the header's ``scl_slope``/``scl_inter``) and
        ``spacing = (dz, dy, dx)`` in mm.

    Raises
    ------
    DataError
        Missing or unreadable file, a volume that is not 3D, or NaN/inf voxels.

    Notes
    -----
    Taught in: :doc:`own_data`.
    """
    path = check_file(path)
    try:
        img = nib.as_closest_canonical(nib.load(path))
        data = np.asarray(img.get_fdata(dtype=np.float32))
    except Exception as exc:  # nibabel raises several types for bad files
        raise DataError(f"{path}: not a readable NIfTI file ({exc})") from None
    if data.ndim == 4 and data.shape[3] == 1:
        data = data[..., 0]
    if data.ndim != 3:
        raise DataError(f"{path}: expected a 3D volume, got shape {data.shape}")
    if not np.isfinite(data).all():
        raise DataError(f"{path}: NaN or inf voxels")
    dx, dy, dz = (float(z) for z in img.header.get_zooms()[:3])
    array = np.ascontiguousarray(data.transpose(2, 1, 0)[:, ::-1, ::-1])
    return Scan(
        array,
        (dz, dy, dx),
        modality=modality,
        units=units or ("HU" if modality == "CT" else "a.u."),
        meta={"file": path.name, "orientation": "".join(nib.aff2axcodes(img.affine))},
    )


def write_nifti(
    scan: Scan, path: str | os.PathLike, *, overwrite: bool = False
) -> Path:
    """Write a 3D :class:`Scan` to NIfTI with an affine that :func:`read_nifti` inverts
    exactly.

    The file is written under a temporary name beside ``path`` and renamed into place
    only when complete, so an error or Ctrl-C never leaves half a file behind (see
    :func:`medtutor.data.atomic_folder`).

    Parameters
    ----------
    scan : Scan
        A ``(Z, H, W)`` volume in the book's display order.
    path : path-like
        ``.nii`` or ``.nii.gz`` (gzip-compressed); the folder must exist.
    overwrite : bool
        Replace an existing file at ``path``. By default an existing file is an error.

    Returns
    -------
    pathlib.Path
        ``path``, now holding the complete volume.

    Raises
    ------
    DataError
        A scan that is not 3D, a name that does not end in ``.nii`` or ``.nii.gz``, or
        an existing ``path`` without ``overwrite=True``. The message names the file.

    Notes
    -----
    Taught in: :doc:`own_data`.
    """
    path = Path(path)
    if scan.array.ndim != 3:
        raise DataError(f"write_nifti takes a 3D scan, got shape {scan.array.shape}")
    ending = next(
        (e for e in (".nii.gz", ".nii") if path.name.lower().endswith(e)), None
    )
    if ending is None:
        raise DataError(f"{path}: a NIfTI file name ends in .nii or .nii.gz")
    suffix = path.name[-len(ending) :]  # the temporary file is written in this format
    dz, dy, dx = scan.spacing
    # Back to RAS+ voxel axes (x, y, z).
    data = scan.array[:, ::-1, ::-1].transpose(2, 1, 0)
    affine = np.diag([dx, dy, dz, 1.0])
    image = nib.Nifti1Image(np.ascontiguousarray(data, dtype=np.float32), affine)
    with _atomic_file(path, suffix=suffix, overwrite=overwrite) as tmp:
        nib.save(image, tmp)
    return path
