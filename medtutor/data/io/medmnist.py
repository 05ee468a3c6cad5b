"""MedMNIST-style ``.npz`` archives: read with NumPy alone, and written from synthetic
data.


A MedMNIST file holds ``train_images``, ``train_labels``, ``val_images``,
``val_labels``, ``test_images`` and ``test_labels``; images are uint8 ``(N, H, W)`` (or
``(N, H, W, 3)`` for colour subsets) and labels ``(N, 1)``. To use a real one, download
it by hand, for example ``organamnist.npz`` or ``pneumoniamnist.npz`` from the MedMNIST
record on Zenodo (https://zenodo.org/records/10519652, linked from
https://medmnist.com), and pass its path: nothing in medtutor downloads anything. Mind
the labels: in BreastMNIST, label 1 means normal/benign.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from pathlib import Path

import numpy as np

from medtutor.data.containers import SPLITS, SliceSet
from medtutor.data.errors import DataError, Limits, check_file
from medtutor.data.io.atomic import save_npz_atomic
from medtutor.data.io.png import encode_pixels

__all__ = ["read_medmnist", "write_medmnist"]


def read_medmnist(
    path: str | os.PathLike,
    *,
    class_names: tuple[str, ...] | None = None,
    rgb: str = "error",
) -> SliceSet:
    """Read a MedMNIST-format ``.npz`` file into a :class:`SliceSet` with its official
    split.

    Parameters
    ----------
    path : path-like
        The ``.npz`` file. It is opened with ``allow_pickle=False``.
    class_names : tuple of str, optional
        Names of the classes; default: the archive's ``class_names`` key if present
        (medtutor writes it), else ``("class_0", "class_1", ...)``.
    rgb : {"error", "convert"}
        Refuse colour images (default) or convert them to grayscale (ITU-R 601-2 luma).

    Returns
    -------
    SliceSet
        Pixel values 0-255 as float32, ``units="intensity"``, ``split`` from the
        archive. Patient ids come from ``<split>_patient_ids`` when present (medtutor
        writes them); otherwise each image is its own id (``"train-17"``), because
        MedMNIST does not publish patient ids.

    Raises
    ------
    DataError
        Missing file or keys, mismatched lengths, multi-label targets, colour images
        with ``rgb="error"``, or NaN/inf values. Messages name the file and the key.

    Notes
    -----
    Taught in: :doc:`own_data`.
    """
    path = check_file(path)
    _check_uncompressed_size(path)
    try:
        archive = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise DataError(
            f"{path}: not a readable .npz archive ({exc}); a truncated or interrupted "
            "download looks like this: download it again"
        ) from None
    if not isinstance(archive, np.lib.npyio.NpzFile):  # a .npy renamed .npz
        raise DataError(f"{path}: a single NumPy array, not an .npz archive of splits")
    with archive:
        keys = set(archive.files)
        stored_names = archive["class_names"] if "class_names" in keys else None
        needed = {f"{s}_{k}" for s in SPLITS for k in ("images", "labels")}
        if needed - keys:
            raise DataError(
                f"{path}: missing keys {sorted(needed - keys)} (found {sorted(keys)})"
            )
        parts = []
        for s in SPLITS:
            try:
                images, labels = archive[f"{s}_images"], archive[f"{s}_labels"]
                pids = (
                    archive[f"{s}_patient_ids"] if f"{s}_patient_ids" in keys else None
                )
            except ValueError as exc:  # object arrays need pickle, which is refused
                raise DataError(
                    f"{path}: key of split {s!r} cannot be read without pickle ({exc})"
                ) from None
            except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
                raise DataError(
                    f"{path}: the {s} arrays are damaged ({exc}); a truncated or "
                    "interrupted download looks like this: download it again"
                ) from None
            if len(images) != len(labels):
                raise DataError(
                    f"{path}: {s}_images has {len(images)} entries "
                    f"but {s}_labels has {len(labels)}"
                )
            if images.ndim == 4 and images.shape[-1] in (3, 4):
                if rgb != "convert":
                    raise DataError(
                        f"{path}: {s}_images are colour {images.shape}; "
                        "pass rgb='convert' (--rgb convert on the command line) for "
                        "grayscale"
                    )
                images = images[..., :3].astype(np.float32) @ np.array(
                    [0.299, 0.587, 0.114], np.float32
                )
            if images.ndim != 3:
                raise DataError(
                    f"{path}: {s}_images must be (N, H, W), got {images.shape}"
                )
            labels = np.asarray(labels)
            if labels.dtype.kind == "f":
                fractional = ~np.isfinite(labels) | (labels != np.round(labels))
                if fractional.any():
                    bad = ", ".join(f"{v:g}" for v in labels[fractional][:3])
                    raise DataError(
                        f"{path}: {s}_labels must be whole class indices, found "
                        f"{bad}: soft or probability labels are not supported"
                    )
            elif labels.dtype.kind not in "iub":
                raise DataError(
                    f"{path}: {s}_labels must be integer class indices, got dtype "
                    f"{labels.dtype}"
                )
            if labels.ndim == 2 and labels.shape[1] > 1:
                raise DataError(
                    f"{path}: {s}_labels are multi-label {labels.shape}; "
                    "only single-label data are supported"
                )
            floating = images.dtype.kind == "f"
            images = images.astype(np.float32)
            if not np.isfinite(images).all():
                raise DataError(f"{path}: {s}_images contain NaN or inf")
            if floating and images.size and 0 < images.max() <= 1:
                raise DataError(
                    f"{path}: {s}_images are floats in [0, 1]; MedMNIST stores 0-255: "
                    "save them as np.round(images * 255).astype(np.uint8)"
                )
            if pids is not None and len(pids) != len(images):
                raise DataError(
                    f"{path}: {s}_patient_ids has {len(pids)} entries, "
                    f"{s}_images {len(images)}"
                )
            ids = (
                pids.astype(str)
                if pids is not None
                else np.array([f"{s}-{i}" for i in range(len(images))])
            )
            parts.append(
                (
                    images,
                    labels.reshape(-1).astype(np.int64),
                    ids,
                    np.full(len(images), s, dtype="<U5"),
                )
            )
    shapes = {p[0].shape[1:] for p in parts if len(p[0])}
    if len(shapes) > 1:
        raise DataError(f"{path}: image sizes differ between splits: {sorted(shapes)}")
    labels = np.concatenate([p[1] for p in parts])
    if labels.size and labels.min() < 0:
        raise DataError(f"{path}: negative labels")
    n_classes = int(labels.max()) + 1 if labels.size else 1
    if class_names is None and stored_names is not None:
        class_names = tuple(str(c) for c in stored_names)
    names = (
        tuple(class_names)
        if class_names is not None
        else tuple(f"class_{i}" for i in range(n_classes))
    )
    if len(names) < n_classes:
        raise DataError(
            f"{path}: labels go up to {n_classes - 1} "
            f"but only {len(names)} class names were given"
        )
    return SliceSet(
        images=np.concatenate([p[0] for p in parts]),
        labels=labels,
        patient_ids=np.concatenate([p[2] for p in parts]),
        class_names=names,
        units="intensity",
        split=np.concatenate([p[3] for p in parts]),
        meta={"source": "medmnist", "path": path.name},
    )


def _check_uncompressed_size(path: Path) -> None:
    """Refuse an archive whose members would expand beyond the limit (a small
    compressed file can hold gigabytes), before any array is read."""
    try:
        with zipfile.ZipFile(path) as archive:
            total_mb = sum(i.file_size for i in archive.infolist()) / 2**20
    except (zipfile.BadZipFile, OSError, EOFError):
        return  # np.load reports what is wrong with it
    limit = Limits.from_environment().max_npz_mb
    if total_mb > limit:
        raise DataError(
            f"{path}: {total_mb:,.0f} MB once uncompressed, more than the {limit:g} MB "
            "allowed (and four times that as float32); set MEDTUTOR_MAX_NPZ_MB to read "
            "it anyway"
        )


def write_medmnist(
    data: SliceSet, path: str | os.PathLike, *, window="abdomen", split=None
) -> Path:
    """Write a :class:`SliceSet` as a MedMNIST-style ``.npz`` (uint8 images, ``(N, 1)``
    labels).

    Parameters
    ----------
    data : SliceSet
        Slices with a split (``data.split`` or ``split``).
    path : path-like
        Output file; written to a temporary file first and renamed, so an error leaves
        no half-written archive.
    window : str or (float, float)
        Display window applied to CT in HU before quantising to 8 bits.
    split : array of str, optional
        Per-slice split names; by default ``data.split``.

    Returns
    -------
    pathlib.Path
        ``path``.

    Notes
    -----
    Taught in: :doc:`ch4_1_liver_case_study`.

    Besides the six MedMNIST keys it stores ``<split>_patient_ids`` and ``class_names``
    (plain strings, readable without pickle), which MedMNIST itself lacks.
    """
    split = data.split if split is None else np.asarray(split)
    if split is None:
        raise DataError(
            "the slices have no split: pass split= or use "
            "data.with_split(patient_split(data))"
        )
    path = Path(path)
    arrays = {}
    for s in SPLITS:
        sel = split == s
        arrays[f"{s}_images"] = (
            np.stack(
                [encode_pixels(im, data.units, 8, window) for im in data.images[sel]]
            )
            if sel.any()
            else np.zeros((0, *data.image_shape), np.uint8)
        )
        arrays[f"{s}_labels"] = data.labels[sel].reshape(-1, 1).astype(np.uint8)
        arrays[f"{s}_patient_ids"] = np.asarray(data.patient_ids[sel]).astype(str)
    arrays["class_names"] = np.asarray(data.class_names, dtype=str)
    return save_npz_atomic(path, arrays, compressed=True)
