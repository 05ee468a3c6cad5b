"""The bridge from the case study to real liver CT: LiTS and Medical Segmentation
Decathlon volumes (NIfTI CT in HU with a label volume) turned into the case study's
:class:`~medtutor.data.SliceSet`.

Both challenges store one CT volume and one label volume per patient, labels ``0``
background, ``1`` liver, ``2`` tumour:

* LiTS: ``volume-<n>.nii`` with ``segmentation-<n>.nii`` in one folder;
* MSD Task03_Liver: ``imagesTr/liver_<n>.nii.gz`` with ``labelsTr/liver_<n>.nii.gz``.

Each slice becomes one example labelled *tumour present* from the tumour voxels (as the
phantom's labels come from its masks), each volume is one patient, and Hounsfield units
are kept. Neither data set can be obtained from a package registry; download them by
hand from their challenge pages and pass the folder.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
from scipy import ndimage

from medtutor.data.containers import SliceSet
from medtutor.data.errors import DataError
from medtutor.data.io.nifti import read_nifti
from medtutor.data.phantom.tissues import CLASS_NAMES

__all__ = ["find_liver_volumes", "read_liver_volumes"]

_NIFTI = re.compile(r"^(?!\._)(.+?)\.nii(\.gz)?$")  # skips macOS "._" companions


def _stem(path: Path) -> str:
    return _NIFTI.match(path.name).group(1)


def find_liver_volumes(folder: str | os.PathLike) -> list[tuple[Path, Path]]:
    """The (CT, label) NIfTI pairs of a folder in the LiTS or the MSD layout.

    Parameters
    ----------
    folder : path-like
        A folder holding ``imagesTr/`` and ``labelsTr/`` with the same file names (MSD
        Task03_Liver), or ``volume-<n>.nii[.gz]`` and ``segmentation-<n>.nii[.gz]``
        files (LiTS). Files starting with ``._`` (macOS metadata in the MSD archive)
        are ignored.

    Returns
    -------
    list of (pathlib.Path, pathlib.Path)
        Pairs sorted by name (numerically for LiTS).

    Raises
    ------
    DataError
        A folder in neither layout, or a CT volume without its label volume.

    Notes
    -----
    Taught in: :doc:`own_data`.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"{folder}: no such folder")

    def niftis(where: Path) -> dict[str, Path]:
        return {_stem(p): p for p in where.iterdir() if _NIFTI.match(p.name)}

    if (folder / "imagesTr").is_dir() and (folder / "labelsTr").is_dir():
        images, labels = niftis(folder / "imagesTr"), niftis(folder / "labelsTr")
        keys = sorted(images)
        pairs = [(images[k], labels.get(k)) for k in keys]
    else:
        files = niftis(folder)
        numbers = sorted(
            int(k.split("-")[1]) for k in files if re.fullmatch(r"volume-\d+", k)
        )
        pairs = [
            (files[f"volume-{n}"], files.get(f"segmentation-{n}")) for n in numbers
        ]
    if not pairs:
        raise DataError(
            f"{folder}: no liver CT volumes found; expected imagesTr/ and labelsTr/ "
            "(Medical Segmentation Decathlon) or volume-<n>.nii with "
            "segmentation-<n>.nii (LiTS)"
        )
    missing = [image.name for image, label in pairs if label is None]
    if missing:
        raise DataError(
            f"{folder}: no label volume for {', '.join(missing[:3])}"
            + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        )
    return pairs


def _read_pair(image_path: Path, label_path: Path):
    ct = read_nifti(image_path, modality="CT")
    seg = read_nifti(label_path)
    if seg.array.shape != ct.array.shape:
        raise DataError(
            f"{label_path}: label volume {seg.array.shape} does not match the CT "
            f"{image_path.name} {ct.array.shape}"
        )
    if not np.allclose(seg.spacing, ct.spacing, rtol=1e-3):
        raise DataError(
            f"{label_path}: voxel spacing {seg.spacing} differs from the CT's "
            f"{ct.spacing}"
        )
    values = np.unique(seg.array)
    if not np.isin(values, (0, 1, 2)).all():
        bad = [float(v) for v in values if v not in (0, 1, 2)][:5]
        raise DataError(
            f"{label_path}: labels must be 0 background, 1 liver, 2 tumour; found {bad}"
        )
    return ct, seg.array.astype(np.uint8)


def _onto_grid(volume, spacing, centre, size, fov_mm, order, fill):
    """Resample every slice onto a ``size`` x ``size`` grid covering ``fov_mm``,
    centred on ``centre`` (row, column in pixels)."""
    step = fov_mm / size
    scale = np.array([1.0, step / spacing[0], step / spacing[1]])
    half = (size - 1) / 2
    offset = np.array([0.0, centre[0] - half * scale[1], centre[1] - half * scale[2]])
    return ndimage.affine_transform(
        volume,
        scale,
        offset=offset,
        output_shape=(volume.shape[0], size, size),
        order=order,
        mode="constant",
        cval=fill,
    )


def read_liver_volumes(
    source,
    *,
    size: int | None = None,
    fov_mm: float | None = None,
    slices: str = "liver",
    min_tumour_voxels: int = 1,
    progress=None,
) -> SliceSet:
    """Turn LiTS/MSD-style liver CT volumes and their labels into the case study's
    slices.

    Parameters
    ----------
    source : path-like or sequence of (path-like, path-like)
        A folder in the LiTS or MSD layout (:func:`find_liver_volumes`), or explicit
        (CT, label) NIfTI pairs. Labels: 0 background, 1 liver, 2 tumour.
    size : int, optional
        Side of the output slices in pixels. Without ``fov_mm`` each slice is resized
        whole, so every volume must have the same in-plane pixel size.
    fov_mm : float, optional
        With ``size``: put every slice on a grid of ``size`` pixels covering ``fov_mm``
        millimetres, centred on the liver of its volume (air, -1024 HU, outside the
        scan), like the phantom's ``make_liver_dataset(fov_mm=220, centre_on="liver")``.
        This is how volumes with different pixel sizes share one grid.
    slices : {"liver", "all"}
        Keep only slices that contain liver (default), or every slice.
    min_tumour_voxels : int
        A slice is labelled ``tumour`` when it holds at least this many tumour voxels
        (counted on the output grid).
    progress : callable, optional
        Called as ``progress(i, n, name)`` before each volume is read.

    Returns
    -------
    SliceSet
        HU images, labels ``0 = no_tumour, 1 = tumour``, one patient id per volume (the
        file name without ``.nii[.gz]``), liver masks (labels 1 and 2), tumour masks
        (label 2), slice positions ``z_mm`` and the in-plane ``spacing``. The volumes'
        slice thickness is in ``meta["slice_thickness_mm"]``.

    Raises
    ------
    DataError
        A folder in neither layout, a missing or unreadable file, a label volume whose
        shape or spacing differs from its CT, labels other than 0/1/2, volumes whose
        grids differ without ``size``/``fov_mm``, or bad options. Raised before any
        slice is returned; the message names the file.

    Notes
    -----
    Taught in: :doc:`ch4_1_liver_case_study`, :doc:`own_data`.

    A volume without liver voxels contributes no slice with ``slices="liver"``.
    """
    if slices not in ("liver", "all"):
        raise DataError(f"slices must be 'liver' or 'all', got {slices!r}")
    if size is not None and not (isinstance(size, int) and 8 <= size <= 1024):
        raise DataError(f"size must be an integer from 8 to 1024, got {size!r}")
    if fov_mm is not None and (size is None or not fov_mm > 0):
        raise DataError("fov_mm needs size= and must be a positive number of mm")
    if int(min_tumour_voxels) < 1:
        raise DataError(f"min_tumour_voxels must be >= 1, got {min_tumour_voxels}")
    if isinstance(source, (str, os.PathLike)):
        pairs = find_liver_volumes(source)
    else:
        pairs = [(Path(a), Path(b)) for a, b in source]
        if not pairs:
            raise DataError("no (CT, label) pairs given")
    images, livers, tumours, pids, z, grids, thickness = [], [], [], [], [], [], []
    for i, (image_path, label_path) in enumerate(pairs):
        if progress is not None:
            progress(i, len(pairs), Path(image_path).name)
        ct, seg = _read_pair(Path(image_path), Path(label_path))
        dz, dy, dx = ct.spacing
        volume = ct.array
        keep = (seg > 0).any(axis=(1, 2)) if slices == "liver" else slice(None)
        volume, seg = volume[keep], seg[keep]
        positions = (np.arange(ct.array.shape[0]) * dz)[keep]
        if fov_mm is not None:
            centre = (
                ndimage.center_of_mass(seg > 0)[1:]
                if (seg > 0).any()
                else ((volume.shape[1] - 1) / 2, (volume.shape[2] - 1) / 2)
            )
            volume = _onto_grid(volume, (dy, dx), centre, size, fov_mm, 1, -1024.0)
            seg = _onto_grid(seg, (dy, dx), centre, size, fov_mm, 0, 0)
            grid = (fov_mm / size, fov_mm / size)
        elif size is not None:
            zoom = (1, size / volume.shape[1], size / volume.shape[2])
            volume = ndimage.zoom(volume, zoom, order=1, grid_mode=True, mode="nearest")
            seg = ndimage.zoom(seg, zoom, order=0, grid_mode=True, mode="nearest")
            grid = (dy * ct.array.shape[1] / size, dx * ct.array.shape[2] / size)
        else:
            grid = (dy, dx, *volume.shape[1:])
        grids.append(grid)
        thickness.append(dz)
        images.append(volume.astype(np.float32))
        livers.append((seg > 0).astype(np.uint8))
        tumours.append((seg == 2).astype(np.uint8))
        pids += [_stem(Path(image_path))] * len(volume)
        z.append(positions.astype(np.float32))
    first = grids[0]
    for (image_path, _), grid in zip(pairs, grids, strict=True):
        if len(grid) != len(first) or not np.allclose(grid, first, rtol=0.01):
            raise DataError(
                f"{Path(image_path).name}: its slices ({_describe(grid)}) differ from "
                f"{Path(pairs[0][0]).name}'s ({_describe(first)}); pass size= and "
                "fov_mm= to put every volume on one grid"
            )
    tumour = np.concatenate(tumours)
    labels = (tumour.reshape(len(tumour), -1).sum(axis=1) >= min_tumour_voxels).astype(
        np.int64
    )
    return SliceSet(
        images=np.concatenate(images),
        labels=labels,
        patient_ids=np.array(pids),
        class_names=CLASS_NAMES,
        spacing=(float(first[0]), float(first[1])),
        modality="CT",
        units="HU",
        liver_masks=np.concatenate(livers),
        lesion_masks=tumour,
        z_mm=np.concatenate(z),
        meta={
            "source": "liver volumes",
            "volumes": len(pairs),
            "slice_thickness_mm": [float(t) for t in thickness],
        },
    )


def _describe(grid) -> str:
    text = f"{grid[0]:.3g} x {grid[1]:.3g} mm pixels"
    return text + (f", {grid[2]} x {grid[3]}" if len(grid) == 4 else "")
