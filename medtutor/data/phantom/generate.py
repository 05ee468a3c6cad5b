"""Synthetic abdominal CT and MR that behave like real scans.


Each synthetic **patient** has an anatomy (body outline, subcutaneous fat, muscle wall,
liver, spleen, kidneys, aorta and vena cava, spine, ribs, bowel) and a **scanner**
(noise level, contrast phase). Slices are cut through the patient at several heights, so
slices of one patient share anatomy, noise and contrast, and a lesion (a sphere in 3D)
appears on several adjacent slices. Two kinds of focal liver lesion are drawn:

* **cyst** (benign): round, sharply defined, homogeneous, near water density (0-15 HU);
* **tumour** (e.g. a metastasis in the portal-venous phase): hypodense relative to the
  liver, ill-defined, heterogeneous, lobulated, sometimes with an enhancing rim.

The image-level label is *tumour present* and is derived from the tumour mask, never
from a file name. Everything is deterministic for a given seed.

This module holds only the public generators; the steps they chain live in the sibling
modules :mod:`~medtutor.data.phantom.checks` (arguments, difficulty to severity),
:mod:`~medtutor.data.phantom.patients` (drawing a patient and its slice heights),
:mod:`~medtutor.data.phantom.render` (a slice of a patient at a height) and the
modules these use.
"""

from __future__ import annotations

import numpy as np

from medtutor.data.containers import Scan, SliceSet
from medtutor.data.errors import DataError
from medtutor.data.phantom.checks import check_size, severity_from_difficulty
from medtutor.data.phantom.patients import Patient, sample_patient, slice_heights
from medtutor.data.phantom.render import mr_bias_field, render_slice
from medtutor.data.phantom.tissues import CLASS_NAMES

__all__ = ["make_ct_mr_pair", "make_liver_dataset", "make_volume"]


def make_liver_dataset(
    n_patients: int = 60,
    slices_per_patient: int = 8,
    size: int = 64,
    *,
    difficulty: float = 0.5,
    tumour_fraction: float = 0.8,
    cyst_probability: float = 0.3,
    fov_mm: float = 220.0,
    centre_on: str = "liver",
    slice_spacing_mm: float = 5.0,
    seed: int = 0,
) -> SliceSet:
    """Generate synthetic abdominal CT slices (in HU) of several patients, with masks
    and labels.

    Parameters
    ----------
    n_patients : int
        Number of patients; each contributes ``slices_per_patient`` adjacent axial
        slices.
    slices_per_patient : int
        Slices per patient, ``slice_spacing_mm`` apart, all through the liver.
    size : int
        Image side in pixels, 32 to 256. The field of view stays ``fov_mm``, so a
        smaller image has coarser pixels (``spacing = fov_mm / size``).
    difficulty : float in [0, 1]
        0.5 (default) gives a task on which the book's small CNN reaches a ROC-AUC of
        roughly 0.93-0.99. Higher values mean smaller, fainter tumours and more noise.
    tumour_fraction : float
        Fraction of patients who have one to three liver tumours. About half of a tumour
        patient's slices miss the tumour and are labelled ``no_tumour``: labels come
        from the masks, and a patient's identity does not give the label away.
    cyst_probability : float
        Probability that a patient has benign cysts (they do not make a slice positive).
    fov_mm : float
        Field of view in millimetres. The default, 220 mm, frames the liver and its
        surroundings, as lesion-classification pipelines crop to the organ of interest;
        use ``fov_mm=350, centre_on="body"`` for the whole abdomen.
    centre_on : {"liver", "body"}
        Centre the field of view on the liver (with a few millimetres of random offset,
        so the liver is not always in the same place) or on the body.
    slice_spacing_mm : float
        Distance between adjacent slices of a patient without tumours, in millimetres.
    seed : int
        The same seed gives the same data.

    Returns
    -------
    SliceSet
        Images in Hounsfield units, labels (``0 = no_tumour``, ``1 = tumour``), patient
        ids, liver and lesion masks, lesion types and slice positions.

    Raises
    ------
    DataError
        For a size outside 32-256 pixels, a difficulty outside [0, 1] or counts below 1.

    Notes
    -----
    Taught in: :doc:`ch3_workflow`.

    Examples
    --------
    >>> from medtutor.data import make_liver_dataset
    >>> data = make_liver_dataset(n_patients=4, slices_per_patient=3, size=32, seed=1)
    >>> data.images.shape, data.units
    ((12, 32, 32), 'HU')
    """
    size = check_size(size)
    severity = severity_from_difficulty(difficulty)
    if n_patients < 1 or slices_per_patient < 1:
        raise DataError(
            "need at least one patient and one slice, "
            f"got {n_patients} and {slices_per_patient}"
        )
    if centre_on not in ("liver", "body"):
        raise DataError(f"centre_on must be 'liver' or 'body', got {centre_on!r}")
    if not 0 <= tumour_fraction <= 1 or not 0 <= cyst_probability <= 1:
        raise DataError(
            "tumour_fraction and cyst_probability must be probabilities in [0, 1]"
        )
    rng = np.random.default_rng(seed)
    n_tumour = int(round(tumour_fraction * n_patients))
    has_tumour = rng.permutation(np.arange(n_patients) < n_tumour)
    n = n_patients * slices_per_patient
    images = np.empty((n, size, size), np.float32)
    livers = np.empty((n, size, size), np.uint8)
    lesions = np.empty((n, size, size), np.uint8)
    labels = np.empty(n, np.int64)
    types = np.empty(n, np.int8)
    pids = np.empty(n, dtype="<U8")
    z = np.empty(n, np.float32)
    k = 0
    for i in range(n_patients):
        patient = sample_patient(
            rng, f"P{i:04d}", severity, bool(has_tumour[i]), cyst_probability
        )
        prng = np.random.default_rng(patient.seed)
        heights = slice_heights(patient, slices_per_patient, slice_spacing_mm, prng)
        centre = (0.0, 0.0)
        if centre_on == "liver":
            centre = (
                patient.liver[0] + prng.uniform(-12, 12),
                patient.liver[1] + prng.uniform(-12, 12),
            )
        for t in heights:
            img, liver, lesion, tumour, spacing = render_slice(
                patient, float(t), size, fov_mm, "CT", prng, centre
            )
            images[k], livers[k], lesions[k] = img, liver, lesion
            labels[k] = int(tumour.any())
            types[k] = 2 if tumour.any() else (1 if lesion.any() else 0)
            pids[k] = patient.pid
            z[k] = t * patient.liver_length
            k += 1
    return SliceSet(
        images=images,
        labels=labels,
        patient_ids=pids,
        class_names=CLASS_NAMES,
        spacing=(spacing, spacing),
        modality="CT",
        units="HU",
        liver_masks=livers,
        lesion_masks=lesions,
        lesion_types=types,
        z_mm=z,
        meta={
            "generator": "medtutor.data.make_liver_dataset",
            "seed": seed,
            "difficulty": float(difficulty),
        },
    )


def _one_patient(
    seed: int, severity: float, tumour: bool, cyst: bool
) -> tuple[Patient, np.random.Generator]:
    """The patient of ``seed``, and the generator of its per-slice randomness."""
    rng = np.random.default_rng(seed)
    patient = sample_patient(rng, f"S{seed}", severity, tumour, 1.0 if cyst else 0.0)
    return patient, np.random.default_rng(patient.seed)


def make_ct_mr_pair(
    *,
    seed: int = 0,
    height: float = 0.5,
    ct_size: int = 128,
    ct_fov_mm: float = 350.0,
    mr_size: int = 96,
    mr_fov_mm: float = 380.0,
    bias_strength: float = 0.3,
    difficulty: float = 0.3,
    mr_sequence: str = "T2",
) -> tuple[Scan, Scan]:
    """The same synthetic anatomy as a CT slice (HU) and a T2-weighted MR slice
    (arbitrary units).

    The two images differ as real CT and MR do: units, contrast between tissues (cysts
    are dark on CT and very bright on T2), matrix size and pixel spacing, noise
    (Gaussian vs Rician), and a smooth multiplicative **bias field** on MR.

    Parameters
    ----------
    seed : int
        Chooses the patient (who has one tumour and one cyst).
    height : float in [0, 1]
        Where the slice cuts the liver (0 = dome, 1 = inferior tip).
    ct_size, ct_fov_mm, mr_size, mr_fov_mm : int, float
        Matrix sizes (32-256 px) and fields of view of the two scans.
    bias_strength : float
        Peak relative change of the MR bias field (0 for none).
    difficulty : float
        As in :func:`make_liver_dataset`.
    mr_sequence : {"T2", "T1"}
        Contrast of the MR image. With the same ``seed`` the anatomy is identical, so
        calling twice gives a multi-sequence study.

    Returns
    -------
    ct, mr : Scan
        2D scans with ``spacing`` in mm and ``masks["liver"]``, ``masks["lesion"]``; the
        MR scan's ``meta["bias_field"]`` holds the field that was applied.

    Notes
    -----
    Taught in: :doc:`ch1_background`.
    """
    ct_size, mr_size = check_size(ct_size, "ct_size"), check_size(mr_size, "mr_size")
    if mr_sequence not in ("T1", "T2"):
        raise DataError(f"mr_sequence must be 'T1' or 'T2', got {mr_sequence!r}")
    if not 0 <= height <= 1:
        raise DataError(f"height must be in [0, 1], got {height}")
    patient, prng = _one_patient(
        seed, severity_from_difficulty(difficulty), tumour=True, cyst=True
    )
    # Put the lesions at the chosen height so that both are visible.
    for les in patient.lesions:
        les.t = height + (0.02 if les.kind == "cyst" else -0.02)
    scans = []
    for modality, size, fov in (
        ("CT", ct_size, ct_fov_mm),
        (mr_sequence, mr_size, mr_fov_mm),
    ):
        img, liver, lesion, _, spacing = render_slice(
            patient, height, size, fov, modality, prng
        )
        meta = {"patient_id": patient.pid, "height": height, "sequence": modality}
        if modality != "CT":
            field = mr_bias_field(size, fov, bias_strength, prng)
            img = (img * field).astype(np.float32)
            meta["bias_field"] = field.astype(np.float32)
        scans.append(
            Scan(
                array=img,
                spacing=(spacing, spacing),
                modality="CT" if modality == "CT" else "MR",
                units="HU" if modality == "CT" else "a.u.",
                masks={
                    "liver": liver.astype(np.uint8),
                    "lesion": lesion.astype(np.uint8),
                },
                meta=meta,
            )
        )
    return scans[0], scans[1]


def make_volume(
    *,
    seed: int = 0,
    size: int = 96,
    n_slices: int = 40,
    slice_spacing_mm: float = 4.0,
    fov_mm: float = 350.0,
    tumour: bool = True,
    difficulty: float = 0.3,
) -> Scan:
    """A synthetic CT volume (stack of axial slices) of one patient, in HU, with masks.

    Parameters
    ----------
    seed : int
        Chooses the patient.
    size : int
        In-plane matrix size, 32-256 pixels.
    n_slices : int
        Number of slices; together they span ``n_slices * slice_spacing_mm`` through the
        liver.
    slice_spacing_mm : float
        Distance between slices. Real CT is often reconstructed at 1-5 mm, so voxels are
        anisotropic (thicker than they are wide); resampling fixes that.
    fov_mm : float
        In-plane field of view.
    tumour : bool
        Whether the patient has liver tumours.
    difficulty : float
        As in :func:`make_liver_dataset`.

    Returns
    -------
    Scan
        ``array`` of shape ``(n_slices, size, size)`` ordered from feet to head,
        ``spacing = (slice_spacing_mm, dy, dx)``, ``masks["liver"]`` and
        ``masks["lesion"]``.

    Notes
    -----
    Taught in: :doc:`ch3_workflow`.
    """
    size = check_size(size)
    if n_slices < 2:
        raise DataError(f"a volume needs at least 2 slices, got {n_slices}")
    patient, prng = _one_patient(
        seed, severity_from_difficulty(difficulty), tumour=tumour, cyst=True
    )
    span = min(0.9, n_slices * slice_spacing_mm / patient.liver_length)
    # Slice 0 is the lowest (feet first), as DICOM and NIfTI readers return volumes.
    heights = (
        0.5 + span / 2 - np.arange(n_slices) * (slice_spacing_mm / patient.liver_length)
    )
    arr = np.empty((n_slices, size, size), np.float32)
    liver = np.empty(arr.shape, np.uint8)
    lesion = np.empty(arr.shape, np.uint8)
    for k, t in enumerate(heights):
        arr[k], liver[k], lesion[k], _, spacing = render_slice(
            patient, float(t), size, fov_mm, "CT", prng
        )
    return Scan(
        array=arr,
        spacing=(float(slice_spacing_mm), spacing, spacing),
        modality="CT",
        units="HU",
        masks={"liver": liver, "lesion": lesion},
        meta={"patient_id": patient.pid},
    )
