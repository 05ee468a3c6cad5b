"""Readers of the real data sets: each fetches its set (from the cache after the first
time) and returns :class:`~medtutor.data.Scan` objects through the book's readers."""

from __future__ import annotations

import plistlib
import tarfile

import numpy as np

from medtutor.data.containers import Scan
from medtutor.data.errors import DataError
from medtutor.data.io.dicom import read_dicom
from medtutor.data.io.nifti import read_nifti
from medtutor.data.real.download import fetch

__all__ = [
    "load_brain_mr_series",
    "load_colin27",
    "load_dicom_sample",
    "load_head_ct",
    "load_itk_t1",
]

#: Short names of the files of ``dicom_samples``.
DICOM_SAMPLES = {
    "chest_xray": "RG1_UNCR.dcm",
    "head_ct": "693_UNCR.dcm",
    "abdomen_mr": "MR-SIEMENS-DICOM-WithOverlays.dcm",
    "liver_seg": "liver.dcm",
}


def load_head_ct() -> Scan:
    """The real head CT of ``head_ct``: HU volume ``(Z, H, W)`` with its spacing, and
    the two threshold masks stored with it, ``"bone"`` and ``"head"`` (both include the
    head holder: threshold masks are not anatomy).

    Notes
    -----
    Taught in: :doc:`ch4_3_real_scans`.
    """
    path = fetch("head_ct") / "Cranium.inv3"
    with tarfile.open(path) as archive:
        members = {m.name.rsplit("/", 1)[-1]: m for m in archive.getmembers()}

        def read(name):
            if name not in members:
                raise DataError(
                    f"{path}: no {name} inside; is it an InVesalius 3 file?"
                )
            return archive.extractfile(members[name]).read()

        main = plistlib.loads(read("main.plist"))
        shape = tuple(main["matrix"]["shape"])
        hu = np.frombuffer(read("matrix.dat"), "<i2").reshape(shape)
        masks = {}
        for index, name in ((0, "bone"), (1, "head")):
            raw = np.frombuffer(read(f"mask_{index}.dat"), np.uint8)
            # InVesalius pads each mask with one plane on every axis: drop it.
            padded = raw.reshape(tuple(s + 1 for s in shape))
            masks[name] = (padded[1:, 1:, 1:] > 127).astype(np.uint8)
    sx, sy, sz = (float(v) for v in main["spacing"])
    # The file's rows run from the back of the head to the front; flip them so that
    # anterior is at the top, the way axial slices are shown in radiology.
    hu = hu[:, ::-1, :]
    masks = {name: np.ascontiguousarray(m[:, ::-1, :]) for name, m in masks.items()}
    return Scan(
        array=np.ascontiguousarray(hu, dtype=np.float32),
        spacing=(sz, sy, sx),
        modality="CT",
        units="HU",
        masks=masks,
        meta={"source": "invesalius-examples Cranium.inv3", "name": main.get("name")},
    )


def load_colin27(resolution: float = 1.0) -> Scan:
    """Colin27's T1 head (``colin27``) at 1 mm, with ``masks["brain"]`` from its
    brain-extracted version, or the 0.5 mm brain image (no mask).

    The 0.5 mm file (``ch2better``) is not a scan: it is brain-only and thresholded,
    every voxel darker than brain tissue set to 0, so its edges are steps. Chapter 4.3
    measures this and uses the 1 mm scan as super-resolution ground truth instead.

    Parameters
    ----------
    resolution : {1.0, 0.5}
        Voxel size in millimetres.

    Notes
    -----
    Taught in: :doc:`ch4_3_real_scans`.
    """
    folder = fetch("colin27")
    if resolution == 1.0:
        scan = read_nifti(folder / "ch2.nii.gz", modality="MR")
        brain = read_nifti(folder / "ch2bet.nii.gz", modality="MR").array > 0
        scan.masks["brain"] = brain.astype(np.uint8)
        return scan
    if resolution == 0.5:
        return read_nifti(folder / "ch2better.nii.gz", modality="MR")
    raise DataError(f"resolution must be 1.0 or 0.5 (mm), got {resolution}")


def load_itk_t1() -> Scan:
    """Another person's T1 head (``itk_t1``), 2 x 2 x 3 mm, with ``masks["brain"]``.

    Notes
    -----
    Taught in: :doc:`ch4_3_real_scans`.
    """
    folder = fetch("itk_t1")
    scan = read_nifti(folder / "KmeansTest_T1UCharRaw.nii.gz", modality="MR")
    brain = read_nifti(folder / "KmeansTest_T1RawSkullStrip.nii.gz").array > 0
    scan.masks["brain"] = brain.astype(np.uint8)
    return scan


def load_dicom_sample(which: str) -> Scan:
    """One real DICOM file of ``dicom_samples``, read by
    :func:`medtutor.data.read_dicom`.

    Parameters
    ----------
    which : {"chest_xray", "head_ct", "abdomen_mr", "liver_seg"}
        The chest radiograph, a head CT slice, the abdominal MR with a marked liver
        lesion, or the DICOM-SEG liver mask.

    Notes
    -----
    Taught in: :doc:`ch4_3_real_scans`.
    """
    if which not in DICOM_SAMPLES:
        raise DataError(
            f"unknown DICOM sample {which!r}; choose one of {', '.join(DICOM_SAMPLES)}"
        )
    return read_dicom(fetch("dicom_samples") / DICOM_SAMPLES[which])


def load_brain_mr_series() -> Scan:
    """The 20-file brain MR series of ``brain_mr_series``, sorted into a volume by
    slice position.

    Notes
    -----
    Taught in: :doc:`ch4_3_real_scans`.
    """
    return read_dicom(fetch("brain_mr_series"))
