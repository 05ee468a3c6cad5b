"""DICOM: a file or a series folder -> an array in Hounsfield units with its spacing.

Reading is done by pydicom; this module adds the checks and the geometry (sorting slices
along the patient axis, pixel and slice spacing).
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np
import pydicom
from pydicom.dataset import FileMetaDataset
from pydicom.errors import InvalidDicomError
from pydicom.pixels import apply_modality_lut
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid

from medtutor.data.containers import Scan
from medtutor.data.errors import DataError
from medtutor.data.io.atomic import atomic_folder
from medtutor.data.io.png import HU_OFFSET

__all__ = ["example_ct_path", "read_dicom", "write_dicom_series"]


def example_ct_path() -> Path:
    """Path of the real CT slice that pydicom ships (``CT_small.dcm``, 128x128, 0.66 mm
    pixels).

    Returns
    -------
    pathlib.Path
        A file inside the installed pydicom package; nothing is downloaded.

    Notes
    -----
    Taught in: :doc:`ch1_background`.
    """
    from pydicom.data import get_testdata_file

    return Path(get_testdata_file("CT_small.dcm"))


def _read_one(path: Path):
    try:
        ds = pydicom.dcmread(path)
    except InvalidDicomError:
        # Valid DICOM may lack the 128-byte preamble and "DICM" marker (older
        # exports): read it anyway and accept it when it holds an image's tags.
        try:
            ds = pydicom.dcmread(path, force=True)
        except Exception:
            ds = None
        if ds is None or "PixelData" not in ds or "Rows" not in ds:
            raise DataError(f"{path}: not a DICOM file") from None
        if "TransferSyntaxUID" not in ds.file_meta:
            implicit = getattr(ds, "original_encoding", (True, True))[0]
            ds.file_meta.TransferSyntaxUID = (
                pydicom.uid.ImplicitVRLittleEndian
                if implicit in (True, None)
                else ExplicitVRLittleEndian
            )
    except (OSError, EOFError, ValueError) as exc:
        raise DataError(f"{path}: unreadable DICOM ({exc})") from None
    if "PixelData" not in ds:
        raise DataError(
            f"{path}: DICOM file without pixel data "
            f"(a {ds.get('Modality', 'non-image')} object?)"
        )
    try:
        stored = ds.pixel_array
    except Exception as exc:  # truncated pixel data, unsupported compression
        raise DataError(f"{path}: cannot decode pixel data ({exc})") from None
    if stored.ndim != 2:
        raise DataError(
            f"{path}: expected a single-frame grayscale image, "
            f"got pixel array {stored.shape}"
        )
    return ds, stored


def _to_units(ds, stored, path=None) -> tuple[np.ndarray, str]:
    # slope * stored + intercept
    try:
        values = apply_modality_lut(stored, ds).astype(np.float32)
    except (ValueError, TypeError, ArithmeticError) as exc:
        raise DataError(
            f"{path}: malformed RescaleSlope/RescaleIntercept or modality LUT ({exc})"
        ) from None
    if not np.isfinite(values).all():
        raise DataError(f"{path}: RescaleSlope/RescaleIntercept give NaN or inf")
    units = "HU" if ds.get("Modality") == "CT" else "a.u."
    return values, units


def _numbers(ds, tag: str, path, count: int) -> np.ndarray:
    """``count`` finite numbers from a multi-valued tag, or a DataError naming it."""
    try:
        values = np.array([float(v) for v in ds.get(tag)], float)
    except (TypeError, ValueError):
        values = np.array([])
    if values.shape != (count,) or not np.isfinite(values).all():
        raise DataError(
            f"{path}: {tag} must hold {count} numbers, found {_raw(ds, tag)}"
        )
    return values


def _raw(ds, tag: str) -> str:
    """A tag's value as stored, for messages (its conversion may be what fails)."""
    value = ds.get_item(tag).value
    text = value.decode("ascii", "replace") if isinstance(value, bytes) else str(value)
    return repr(text.strip())


def _number(ds, tag: str, path) -> float:
    try:
        value = float(ds.get(tag))
    except (TypeError, ValueError):
        value = float("nan")
    if not np.isfinite(value):
        raise DataError(f"{path}: {tag} is not a number ({_raw(ds, tag)})")
    return value


def _position(ds, path) -> np.ndarray:
    return _numbers(ds, "ImagePositionPatient", path, 3)


def _slice_normal(ds, path) -> np.ndarray:
    """The unit normal of the slices, from ImageOrientationPatient (axial if absent)."""
    if "ImageOrientationPatient" not in ds:
        return np.array([0.0, 0.0, 1.0])
    orient = _numbers(ds, "ImageOrientationPatient", path, 6)
    normal = np.cross(orient[:3], orient[3:])
    if np.linalg.norm(normal) < 0.5:
        raise DataError(
            f"{path}: ImageOrientationPatient {list(orient)} does not hold two "
            "perpendicular directions"
        )
    return normal / np.linalg.norm(normal)


def _thickness(ds, path) -> float:
    """Slice spacing from SpacingBetweenSlices or SliceThickness, else 1 mm."""
    for tag in ("SpacingBetweenSlices", "SliceThickness"):
        if tag in ds and ds.get(tag) not in (None, ""):
            value = _number(ds, tag, path)
            if value > 0:
                return value
    return 1.0


def _pixel_spacing(ds, path, override=None) -> tuple[float, float]:
    if override is not None:
        return float(override[0]), float(override[1])
    for tag in ("PixelSpacing", "ImagerPixelSpacing"):
        spacing = ds.get(tag)
        if spacing is not None and len(spacing) == 2 and min(map(float, spacing)) > 0:
            return float(spacing[0]), float(spacing[1])
    raise DataError(
        f"{path}: PixelSpacing is missing or zero, so the physical pixel size is "
        "unknown; pass spacing=(row_mm, column_mm) if you know it, or (1.0, 1.0) to "
        "work in pixels"
    )


def read_dicom(
    path: str | os.PathLike, *, series_uid: str | None = None, spacing=None
) -> Scan:
    """Read a DICOM file (2D) or a folder holding one series (3D) in physical units.

    Parameters
    ----------
    path : path-like
        A DICOM file, or a folder whose files are the slices of one series (any file
        names, any order).
    series_uid : str, optional
        Which series to read when the folder holds several.
    spacing : (float, float), optional
        In-plane ``(row, column)`` spacing in mm to use instead of the file's, for files
        whose ``PixelSpacing`` is missing or zero (some radiographs).

    Returns
    -------
    Scan
        For CT, ``array`` in Hounsfield units (``RescaleSlope * stored +
        RescaleIntercept``, applied by :func:`pydicom.pixels.apply_modality_lut`);
        ``spacing`` is ``(row, column)`` mm for a file and ``(slice, row, column)`` for
        a series, whose slices are sorted along the patient axis by
        ``ImagePositionPatient`` (``InstanceNumber`` when positions are missing).

    Raises
    ------
    DataError
        No such path, an empty folder, a file that is not DICOM, no pixel data, several
        series without ``series_uid``, or slices of different sizes. The message names
        the file.

    Notes
    -----
    Taught in: :doc:`ch1_background`, :doc:`own_data`.
    """
    path = Path(path)
    if path.is_file():
        ds, stored = _read_one(path)
        values, units = _to_units(ds, stored, path)
        return Scan(
            values,
            _pixel_spacing(ds, path, spacing),
            modality=str(ds.get("Modality", "unknown")),
            units=units,
            meta={"file": path.name, "patient_id": str(ds.get("PatientID", ""))},
        )
    if not path.is_dir():
        raise DataError(f"{path}: no such file or folder")
    # A DICOMDIR is the index of a CD or DVD, not a slice: it is skipped.
    files = sorted(
        f
        for f in path.iterdir()
        if f.is_file() and not f.name.startswith(".") and f.name.upper() != "DICOMDIR"
    )
    if not files:
        raise DataError(f"{path}: empty folder")
    slices = [(f, *_read_one(f)) for f in files]
    series = sorted({str(ds.get("SeriesInstanceUID", "")) for _, ds, _ in slices})
    if series_uid is not None:
        slices = [
            s for s in slices if str(s[1].get("SeriesInstanceUID", "")) == series_uid
        ]
        if not slices:
            raise DataError(f"{path}: no slice of series {series_uid}; found {series}")
    elif len(series) > 1:
        raise DataError(
            f"{path}: {len(series)} series in one folder ({', '.join(series)}); "
            "pass series_uid="
        )
    shapes = {stored.shape for _, _, stored in slices}
    if len(shapes) > 1:
        raise DataError(f"{path}: slices of different sizes {sorted(shapes)}")
    first = slices[0][1]
    geometry = "positions"
    if all("ImagePositionPatient" in ds for _, ds, _ in slices):
        normal = _slice_normal(first, slices[0][0])
        keys = [float(np.dot(normal, _position(ds, f))) for f, ds, _ in slices]
    elif len(slices) == 1:
        keys = [0.0]
    elif all("InstanceNumber" in ds for _, ds, _ in slices):
        # Instance numbers give the order but not the distance between slices.
        keys = [_number(ds, "InstanceNumber", f) for f, ds, _ in slices]
        geometry = "instance numbers"
    else:
        raise DataError(
            f"{path}: the slices have neither ImagePositionPatient nor InstanceNumber, "
            "so their order is unknown; medtutor does not guess it from file names"
        )
    order = np.argsort(keys, kind="stable")
    slices = [slices[i] for i in order]
    keys = np.array(keys)[order]
    gaps = np.diff(keys)
    if len(gaps) and np.any(np.isclose(gaps, 0)):
        raise DataError(
            f"{path}: two slices at the same position; is one series stored twice?"
        )
    if geometry == "positions" and len(gaps):
        dz = float(np.median(np.abs(gaps)))
    else:
        dz = _thickness(first, slices[0][0])
        if geometry == "instance numbers":
            warnings.warn(
                f"{path}: no ImagePositionPatient; slices ordered by InstanceNumber "
                f"and spaced by SliceThickness/SpacingBetweenSlices ({dz:g} mm)",
                UserWarning,
                stacklevel=2,
            )
    volume, units = [], "a.u."
    for f, ds, stored in slices:
        values, units = _to_units(ds, stored, f)
        volume.append(values)
    row, col = _pixel_spacing(first, slices[0][0], spacing)
    return Scan(
        np.stack(volume),
        (dz, row, col),
        modality=str(first.get("Modality", "unknown")),
        units=units,
        meta={
            "files": [f.name for f, _, _ in slices],
            "patient_id": str(first.get("PatientID", "")),
            "series_uid": series[0] if series else "",
        },
    )


def write_dicom_series(
    scan: Scan,
    folder: str | os.PathLike,
    *,
    patient_id: str = "ANON",
    shuffle_names: bool = False,
) -> Path:
    """Write a CT :class:`Scan` (HU) as a DICOM series, one file per slice.

    Pixels are stored as unsigned 16-bit ``HU + HU_OFFSET`` (1024) with
    ``RescaleIntercept = -HU_OFFSET``, as many scanners do. Meant for examples and tests
    ("your own data" without downloading any); the files carry no real patient data.
    The series is written into a temporary folder beside ``folder`` and renamed into
    place only when every slice is written
    (:func:`medtutor.data.io.atomic.atomic_folder`), so an error or Ctrl-C never leaves
    half a series behind.

    Parameters
    ----------
    scan : Scan
        A 2D or 3D CT scan in HU.
    folder : path-like
        Output folder (created with its parents; must be empty if it exists).
    patient_id : str
        Value of the PatientID tag.
    shuffle_names : bool
        Give the files random names, so that a reader must sort by position, not by
        name.

    Returns
    -------
    pathlib.Path
        ``folder``.

    Raises
    ------
    DataError
        A scan that is not in HU, or a ``folder`` that exists and is not an empty
        folder.

    Notes
    -----
    Taught in: :doc:`own_data`.
    """
    if scan.units != "HU":
        raise DataError("write_dicom_series writes CT in Hounsfield units")
    folder = Path(folder)
    volume = scan.array[None] if scan.array.ndim == 2 else scan.array
    dz, row, col = (1.0, *scan.spacing) if scan.array.ndim == 2 else scan.spacing
    study, series, frame = generate_uid(), generate_uid(), generate_uid()
    names = (
        np.random.default_rng(0).permutation(len(volume))
        if shuffle_names
        else np.arange(len(volume))
    )
    with atomic_folder(folder) as tmp:
        for k, image in enumerate(volume):
            meta = FileMetaDataset()
            meta.MediaStorageSOPClassUID = CTImageStorage
            meta.MediaStorageSOPInstanceUID = generate_uid()
            meta.TransferSyntaxUID = ExplicitVRLittleEndian
            ds = pydicom.Dataset()
            ds.file_meta = meta
            ds.SOPClassUID = CTImageStorage
            ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
            ds.StudyInstanceUID = study
            ds.SeriesInstanceUID = series
            ds.FrameOfReferenceUID = frame
            ds.Modality = "CT"
            ds.PatientID = patient_id
            ds.PatientName = "Synthetic^Phantom"
            ds.InstanceNumber = k + 1
            # Slice k is k * dz above slice 0.
            ds.ImagePositionPatient = [0.0, 0.0, k * float(dz)]
            ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
            ds.PixelSpacing = [float(row), float(col)]
            ds.SliceThickness = float(dz)
            ds.Rows, ds.Columns = image.shape
            ds.SamplesPerPixel = 1
            ds.PhotometricInterpretation = "MONOCHROME2"
            ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 16, 15
            ds.PixelRepresentation = 0  # unsigned
            ds.RescaleIntercept, ds.RescaleSlope, ds.RescaleType = -HU_OFFSET, 1, "HU"
            ds.PixelData = (
                np.clip(np.round(image + HU_OFFSET), 0, 65535).astype("<u2").tobytes()
            )
            ds.save_as(tmp / f"IM{int(names[k]):04d}.dcm", enforce_file_format=True)
    return folder
