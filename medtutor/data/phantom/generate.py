"""Synthetic abdominal CT and MR that behave like real scans.

Taught in: *Chapter 1 — Background* (Hounsfield units, CT vs MR), *Chapter 3 —
Algorithms and workflow* (the dataset, patient-level splits) and *Chapter 4.1 — the
liver case study*.

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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from medtutor.data.containers import Scan, SliceSet
from medtutor.data.errors import DataError

__all__ = [
    "CLASS_NAMES",
    "CT_HU",
    "MR_T1",
    "MR_T2",
    "make_ct_mr_pair",
    "make_liver_dataset",
    "make_volume",
]

CLASS_NAMES = ("no_tumour", "tumour")

#: Typical attenuation of each tissue in Hounsfield units (portal-venous phase).
CT_HU = {
    "air": -1000.0,
    "fat": -100.0,
    "visceral_fat": -90.0,
    "muscle": 45.0,
    "liver": 60.0,
    "spleen": 50.0,
    "kidney": 150.0,
    "vessel": 160.0,
    "bowel": 20.0,
    "gas": -950.0,
    "marrow": 250.0,
    "cortical_bone": 800.0,
    "cyst": 8.0,
    "csf": 10.0,
}

#: Relative signal of each tissue on a T2-weighted MR image (arbitrary units).
MR_T2 = {
    "air": 0.0,
    "fat": 620.0,
    "visceral_fat": 600.0,
    "muscle": 150.0,
    "liver": 230.0,
    "spleen": 460.0,
    "kidney": 520.0,
    "vessel": 40.0,  # flow void
    "bowel": 850.0,
    "gas": 0.0,
    "marrow": 420.0,
    "cortical_bone": 20.0,
    "cyst": 1300.0,
    "csf": 1250.0,
}

#: Relative signal of each tissue on a T1-weighted MR image (arbitrary units).
MR_T1 = {
    "air": 0.0,
    "fat": 950.0,
    "visceral_fat": 900.0,
    "muscle": 300.0,
    "liver": 420.0,
    "spleen": 330.0,
    "kidney": 350.0,
    "vessel": 60.0,
    "bowel": 200.0,
    "gas": 0.0,
    "marrow": 700.0,
    "cortical_bone": 20.0,
    "cyst": 120.0,
    "csf": 130.0,
}

_MIN_SIZE, _MAX_SIZE = 32, 256


@dataclass
class _Lesion:
    kind: str  # "cyst" or "tumour"
    x: float  # mm, in the liver's own frame (relative to the liver centre, at scale 1)
    y: float
    t: float  # height of the centre, in liver-length units (0 = dome, 1 = tip)
    radius: float  # mm
    contrast: float  # HU below the liver (tumour) or absolute HU (cyst)
    edge: float  # mm of blur at the border
    harmonics: np.ndarray  # (2, 3): amplitude, order, phase of the border's lobulation
    texture_seed: int
    rim: float  # HU of an enhancing rim (0 for none)
    mr_signal: float


@dataclass
class _Patient:
    pid: str
    body: tuple  # semi-axes (mm) and centre y
    fat: float  # subcutaneous fat thickness, mm
    wall: float  # muscle wall thickness, mm
    liver: tuple  # centre x, centre y, semi-axes, angle
    liver_length: float  # craniocaudal extent, mm
    spleen: tuple
    kidneys: tuple
    spine_y: float
    aorta: tuple
    bowel: list
    ribs: np.ndarray
    liver_hu: float
    vessel_hu: float
    noise_hu: float
    lesions: list
    seed: int


def _check_size(size: int, name: str = "size") -> int:
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
        raise DataError(f"{name} must be an integer number of pixels, got {size!r}")
    if not _MIN_SIZE <= size <= _MAX_SIZE:
        raise DataError(
            f"{name} must be between {_MIN_SIZE} and {_MAX_SIZE} pixels, got {size}"
        )
    return int(size)


def _check_difficulty(difficulty: float) -> float:
    """Validate the public difficulty in [0, 1] and return the internal level.

    The public scale is calibrated so that the default, 0.5, gives the book's small CNN
    a ROC-AUC of about 0.93-0.99; internally that is level 0.35 of the appearance model
    below.
    """
    if not 0.0 <= float(difficulty) <= 1.0:
        raise DataError(f"difficulty must be in [0, 1], got {difficulty}")
    return 0.7 * float(difficulty)


def _sample_lesion(rng, kind: str, difficulty: float, liver_axes) -> _Lesion:
    # Lesion centres sit well inside the liver so that they stay inside it on nearby
    # slices.
    ang = rng.uniform(0, 2 * np.pi)
    rad = np.sqrt(rng.uniform(0.0, 0.3))
    x, y = rad * liver_axes[0] * np.cos(ang), rad * liver_axes[1] * np.sin(ang)
    t = rng.uniform(0.25, 0.75)
    easiness = 1.0 - difficulty
    size_scale = 0.9 + 1.2 * easiness
    if kind == "cyst":
        return _Lesion(
            kind,
            x,
            y,
            t,
            radius=rng.uniform(3.5, 9.0) * (0.8 + 0.4 * easiness),
            contrast=rng.uniform(0.0, 12.0),
            edge=0.3,
            harmonics=np.zeros((2, 3)),
            texture_seed=int(rng.integers(2**31)),
            rim=0.0,
            mr_signal=rng.uniform(1150, 1400),
        )
    harmonics = np.stack(
        [
            rng.uniform(0.06, 0.2, 3),
            np.array([2.0, 3.0, 5.0]),
            rng.uniform(0, 2 * np.pi, 3),
        ],
        axis=1,
    )
    return _Lesion(
        kind,
        x,
        y,
        t,
        radius=rng.uniform(7.0, 20.0) * size_scale,
        contrast=rng.uniform(14.0, 40.0) * (1.45 - 0.9 * difficulty),
        edge=rng.uniform(1.5, 3.5),
        harmonics=harmonics[:2] if rng.random() < 0.5 else harmonics,
        texture_seed=int(rng.integers(2**31)),
        # An enhancing rim (the "target" look of many metastases): common and bright
        # when the task is easy, rarer and fainter when it is hard.
        rim=rng.uniform(20.0, 45.0) * (1.6 - 0.6 * difficulty)
        if rng.random() < 1.2 - 0.8 * difficulty
        else 0.0,
        mr_signal=rng.uniform(420, 620),
    )


def _sample_patient(
    rng, pid: str, difficulty: float, tumour: bool, cyst_probability: float
) -> _Patient:
    bx, by = rng.uniform(140, 175), rng.uniform(100, 128)
    liver_axes = (rng.uniform(70, 90), rng.uniform(60, 78))
    lesions = []
    if tumour:
        for _ in range(rng.choice([1, 1, 2, 3])):
            lesions.append(_sample_lesion(rng, "tumour", difficulty, liver_axes))
    if rng.random() < cyst_probability:
        for _ in range(rng.choice([1, 1, 2])):
            lesions.append(_sample_lesion(rng, "cyst", difficulty, liver_axes))
    n_bowel = int(rng.integers(1, 4))
    bowel = [
        (
            rng.uniform(20, 90),
            rng.uniform(-70, -10),
            rng.uniform(12, 25),
            rng.uniform(8, 18),
            rng.random() < 0.5,
        )
        for _ in range(n_bowel)
    ]
    return _Patient(
        pid=pid,
        body=(bx, by, rng.uniform(-5, 8)),
        fat=rng.uniform(8, 26),
        wall=rng.uniform(6, 11),
        liver=(
            -bx * 0.36 + rng.uniform(-6, 6),
            rng.uniform(-12, 4),
            *liver_axes,
            np.deg2rad(rng.uniform(-30, -10)),
        ),
        liver_length=rng.uniform(140, 180),
        spleen=(
            bx * 0.55 + rng.uniform(-5, 5),
            rng.uniform(15, 35),
            rng.uniform(24, 34),
            rng.uniform(38, 50),
        ),
        kidneys=(rng.uniform(58, 72), rng.uniform(48, 62), rng.uniform(0.45, 0.6)),
        spine_y=by * 0.62 + rng.uniform(-4, 4),
        aorta=(rng.uniform(8, 22), rng.uniform(8, 12)),
        bowel=bowel,
        ribs=np.sort(rng.uniform(0, 2 * np.pi, int(rng.integers(8, 13)))),
        liver_hu=rng.uniform(52, 72),
        vessel_hu=rng.uniform(130, 200),
        # Noise of a 1 mm pixel; a coarser pixel averages more photons (see _render).
        noise_hu=(2.0 + 8.0 * difficulty) * rng.uniform(0.75, 1.3),
        lesions=lesions,
        seed=int(rng.integers(2**31)),
    )


def _grid(size: int, fov_mm: float, centre=(0.0, 0.0)):
    spacing = fov_mm / size
    c = (np.arange(size, dtype=np.float32) - (size - 1) / 2) * spacing
    # X runs from the patient's right (image left) to left; Y from anterior (top) to
    # posterior.
    return (
        c[None, :] + np.float32(centre[0]),
        c[:, None] + np.float32(centre[1]),
        spacing,
    )


def _q(X, Y, cx, cy, ax, ay, angle=0.0):
    """Normalised elliptical radius squared: < 1 inside the ellipse."""
    dx, dy = X - cx, Y - cy
    if angle:
        c, s = np.cos(angle), np.sin(angle)
        dx, dy = dx * c + dy * s, -dx * s + dy * c
    return (dx / ax) ** 2 + (dy / ay) ** 2


def _liver_profile(t: float) -> float:
    """Relative size of the liver's cross-section at height t (0 = dome, 1 = inferior
    tip)."""
    return float(np.clip(np.sin(np.pi * (0.08 + 0.9 * t)) ** 0.6, 0.15, 1.0))


def _geometry(p: _Patient, t: float, X, Y, spacing: float):
    """Masks of every structure at height ``t`` on the grid ``X, Y``."""
    bx, by, bcy = p.body
    shapes = {}
    body_q = _q(X, Y, 0.0, bcy, bx, by)
    shapes["body"] = body_q < 1
    shapes["wall"] = _q(X, Y, 0.0, bcy, bx - p.fat, by - p.fat) < 1
    shapes["cavity"] = _q(X, Y, 0.0, bcy, bx - p.fat - p.wall, by - p.fat - p.wall) < 1
    s = _liver_profile(t)
    lcx, lcy, lax, lay, lang = p.liver
    liver = _q(X, Y, lcx, lcy, lax * s, lay * s, lang) < 1
    if t < 0.55:  # the left lobe reaches across the midline in the upper slices
        ls = 1.0 - t / 0.55
        liver |= (
            _q(X, Y, lcx + lax * 0.95, lcy - lay * 0.35, 48 * ls + 1, 24 * ls + 1, -0.2)
            < 1
        )
    liver &= shapes["cavity"]
    sx, sy, sax, say = p.spleen
    if t < 0.8:
        ss = np.clip(1.0 - abs(t - 0.35) / 0.5, 0.2, 1.0)
        shapes["spleen"] = (_q(X, Y, sx, sy, sax * ss, say * ss, 0.5) < 1) & shapes[
            "cavity"
        ]
    kidneys = np.zeros_like(liver)
    kx, ky, t_k = p.kidneys
    if t > t_k:
        ks = np.clip((t - t_k) / 0.2, 0.3, 1.0)
        for side in (-1, 1):
            kidneys |= _q(X, Y, side * kx, ky, 24 * ks, 33 * ks, side * 0.35) < 1
    shapes["kidney"] = kidneys
    spine_y = p.spine_y
    shapes["paraspinal"] = (_q(X, Y, -30, spine_y + 16, 22, 15) < 1) | (
        _q(X, Y, 30, spine_y + 16, 22, 15) < 1
    )
    shapes["marrow"] = _q(X, Y, 0, spine_y, 17, 16) < 1
    shapes["cortex"] = (_q(X, Y, 0, spine_y, 20, 19) < 1) & ~shapes["marrow"]
    shapes["cortex"] |= _q(X, Y, 0, spine_y + 28, 4, 12) < 1  # spinous process
    shapes["canal"] = _q(X, Y, 0, spine_y + 24, 7, 6) < 1
    ax_, ar = p.aorta
    vessels = _q(X, Y, ax_, spine_y - 30, ar, ar) < 1
    vessels |= _q(X, Y, lcx * 0.35 + 8, spine_y - 36, 10, 8) < 1  # inferior vena cava
    shapes["vessel"] = vessels
    gas = np.zeros_like(liver)
    fluid = np.zeros_like(liver)
    for bx_, by_, rx, ry, is_gas in p.bowel:
        m = _q(X, Y, bx_, by_, rx, ry) < 1
        if is_gas:
            gas |= m
        else:
            fluid |= m
    shapes["gas"] = gas & shapes["cavity"]
    shapes["bowel"] = fluid & shapes["cavity"]
    ribs = np.zeros_like(liver)
    n_ribs = int(round(len(p.ribs) * (1.2 - t)))
    for a in p.ribs[:n_ribs]:
        rx = (bx - p.fat - 2) * np.cos(a)
        ry = bcy + (by - p.fat - 2) * np.sin(a)
        if ry < spine_y - 5:
            ribs |= _q(X, Y, rx, ry, 5.0, 4.0) < 1
    shapes["ribs"] = ribs
    liver &= ~vessels & ~shapes["gas"] & ~shapes["bowel"]
    shapes["liver"] = liver
    return shapes


def _lesion_fields(p: _Patient, t: float, X, Y, liver_mask):
    """For each lesion visible at height t: its mask, soft weight and texture."""
    lcx, lcy, _, _, lang = p.liver
    s = _liver_profile(t)
    c, si = np.cos(lang), np.sin(lang)
    out = []
    for les in p.lesions:
        dz = (t - les.t) * p.liver_length
        if abs(dz) >= les.radius:
            continue
        r = np.sqrt(les.radius**2 - dz**2)
        # The lesion moves with the liver as its cross-section shrinks.
        cx = lcx + s * (les.x * c - les.y * si)
        cy = lcy + s * (les.x * si + les.y * c)
        dx, dy = X - cx, Y - cy
        dist = np.sqrt(dx**2 + dy**2)
        if les.harmonics.any():
            theta = np.arctan2(dy, dx)
            wobble = 1.0 + sum(a * np.cos(k * theta + ph) for a, k, ph in les.harmonics)
            dist = dist / wobble
        mask = (dist < r) & liver_mask
        if not mask.any():
            continue
        weight = 1.0 / (
            1.0 + np.exp(np.clip((dist - r) / max(les.edge, 1e-3) * 2.0, -30, 30))
        )
        weight = np.where(liver_mask, weight, 0.0)
        out.append((les, mask, weight.astype(np.float32), dist / r))
    return out


def _smooth_noise(rng, shape, sigma_px: float) -> np.ndarray:
    noise = rng.standard_normal(shape).astype(np.float32)
    if sigma_px > 0:
        noise = ndimage.gaussian_filter(noise, sigma_px)
        noise /= noise.std() + 1e-8
    return noise


def _render(
    p: _Patient,
    t: float,
    size: int,
    fov_mm: float,
    modality: str,
    rng,
    centre=(0.0, 0.0),
):
    """Render one slice; returns image, liver mask, lesion mask, tumour mask and
    spacing."""
    X, Y, spacing = _grid(size, fov_mm, centre)
    g = _geometry(p, t, X, Y, spacing)
    table = dict({"CT": CT_HU, "MR": MR_T2, "T2": MR_T2, "T1": MR_T1}[modality])
    if modality == "CT":
        table["liver"] = p.liver_hu
        table["vessel"] = p.vessel_hu
        table["kidney"] = p.vessel_hu * 0.9
    img = np.full((size, size), table["air"], dtype=np.float32)
    for name, key in (
        ("body", "fat"),
        ("wall", "muscle"),
        ("cavity", "visceral_fat"),
        ("paraspinal", "muscle"),
        ("kidney", "kidney"),
        ("spleen", "spleen"),
        ("bowel", "bowel"),
        ("gas", "gas"),
        ("liver", "liver"),
        ("vessel", "vessel"),
        ("marrow", "marrow"),
        ("cortex", "cortical_bone"),
        ("canal", "csf"),
        ("ribs", "cortical_bone"),
    ):
        if name in g:
            img[g[name]] = table[key]
    liver = g["liver"]
    lesion_mask = np.zeros_like(liver)
    tumour_mask = np.zeros_like(liver)
    for les, mask, weight, rel in _lesion_fields(p, t, X, Y, liver):
        tex_rng = np.random.default_rng(les.texture_seed)
        if les.kind == "cyst":
            value = {"CT": les.contrast, "T1": table["cyst"]}.get(
                modality, les.mr_signal
            )
            target = np.full_like(img, value)
        else:
            texture = _smooth_noise(tex_rng, img.shape, max(1.0, 2.5 / spacing))
            if modality == "CT":
                target = table["liver"] - les.contrast + 10.0 * texture
                if les.rim:  # a ring brighter than the liver around the hypodense core
                    ring = np.exp(-(((rel - 0.9) / 0.15) ** 2))
                    target = target + (les.contrast + les.rim) * ring
            elif modality == "T1":
                target = (
                    0.75 * table["liver"] + 40.0 * texture
                )  # tumours are T1-hypointense
            else:
                target = les.mr_signal + 60.0 * texture
            tumour_mask |= mask
        img = img * (1 - weight) + target * weight
        lesion_mask |= mask
    # Scanner blur (point-spread function) and noise.
    img = ndimage.gaussian_filter(img, 0.6 * max(1.0, 1.2 / spacing))
    if modality == "CT":
        # Quantum noise falls with pixel size (sd ~ 1/sqrt(pixel area) = 1/spacing), but
        # reconstruction kernels keep some of it: use a gentler 1/sqrt(spacing).
        img = img + p.noise_hu / np.sqrt(spacing) * _smooth_noise(rng, img.shape, 0.7)
    else:
        sd = 0.03 * table["liver"] * 4
        n1, n2 = rng.normal(0, sd, img.shape), rng.normal(0, sd, img.shape)
        img = np.sqrt((img + n1) ** 2 + n2**2)
    return img.astype(np.float32), liver, lesion_mask, tumour_mask, spacing


def _slice_heights(p: _Patient, n: int, spacing_mm: float, rng) -> np.ndarray:
    """Heights of ``n`` slices of one patient, sorted from head to foot.

    For a patient with tumours, between a third and two thirds of the slices cut through
    a tumour and the rest miss it, as in liver CT collections where most patients have
    tumours and slice labels vary within a patient. Patients without tumours get a block
    of adjacent slices ``spacing_mm`` apart (through a cyst, if they have one).
    """
    tumours = [les for les in p.lesions if les.kind == "tumour"]
    if not tumours:
        span = (n - 1) * spacing_mm / p.liver_length
        target = p.lesions[0].t if p.lesions else rng.uniform(0.3, 0.7)
        start = np.clip(
            target - span / 2 + rng.uniform(-0.3, 0.3) * span,
            0.08,
            max(0.08, 0.92 - span),
        )
        return start + np.arange(n) * spacing_mm / p.liver_length
    n_pos = int(np.clip(round(n * rng.uniform(0.35, 0.65)), 1 if n > 1 else 0, n))
    heights = []
    for _ in range(n_pos):
        les = tumours[int(rng.integers(len(tumours)))]
        heights.append(les.t + rng.uniform(-0.6, 0.6) * les.radius / p.liver_length)
    while len(heights) < n:
        t = rng.uniform(0.08, 0.92)
        if all(abs(t - les.t) * p.liver_length > les.radius + 2.0 for les in tumours):
            heights.append(t)
    return np.sort(np.asarray(heights))


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
    Taught in: *Chapter 3 — Algorithms and workflow* (the dataset and patient-level
    splits) and *Chapter 4.1 — the liver case study*.

    Examples
    --------
    >>> from medtutor.data import make_liver_dataset
    >>> data = make_liver_dataset(n_patients=4, slices_per_patient=3, size=32, seed=1)
    >>> data.images.shape, data.units
    ((12, 32, 32), 'HU')
    """
    size = _check_size(size)
    level = _check_difficulty(difficulty)
    if n_patients < 1 or slices_per_patient < 1:
        raise DataError(
            f"need at least one patient and one slice, got {n_patients} and {slices_per_patient}"
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
        patient = _sample_patient(
            rng, f"P{i:04d}", level, bool(has_tumour[i]), cyst_probability
        )
        prng = np.random.default_rng(patient.seed)
        heights = _slice_heights(patient, slices_per_patient, slice_spacing_mm, prng)
        centre = (0.0, 0.0)
        if centre_on == "liver":
            centre = (
                patient.liver[0] + prng.uniform(-12, 12),
                patient.liver[1] + prng.uniform(-12, 12),
            )
        for t in heights:
            img, liver, lesion, tumour, spacing = _render(
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
    seed: int, difficulty: float, tumour: bool, cyst: bool
) -> tuple[_Patient, np.random.Generator]:
    rng = np.random.default_rng(seed)
    patient = _sample_patient(rng, f"S{seed}", difficulty, tumour, 1.0 if cyst else 0.0)
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
    Taught in: *Chapter 1 — Background* (CT vs MR, resampling onto one grid).
    """
    ct_size, mr_size = _check_size(ct_size, "ct_size"), _check_size(mr_size, "mr_size")
    if mr_sequence not in ("T1", "T2"):
        raise DataError(f"mr_sequence must be 'T1' or 'T2', got {mr_sequence!r}")
    if not 0 <= height <= 1:
        raise DataError(f"height must be in [0, 1], got {height}")
    patient, prng = _one_patient(
        seed, _check_difficulty(difficulty), tumour=True, cyst=True
    )
    # Put the lesions at the chosen height so that both are visible.
    for les in patient.lesions:
        les.t = height + (0.02 if les.kind == "cyst" else -0.02)
    scans = []
    for modality, size, fov in (
        ("CT", ct_size, ct_fov_mm),
        (mr_sequence, mr_size, mr_fov_mm),
    ):
        img, liver, lesion, _, spacing = _render(
            patient, height, size, fov, modality, prng
        )
        meta = {"patient_id": patient.pid, "height": height, "sequence": modality}
        if modality != "CT":
            X, Y, _ = _grid(size, fov)
            a, b = prng.uniform(-1, 1, 2)
            field = 1.0 + bias_strength * np.tanh(
                (a * X + b * Y) / (0.5 * fov) + 0.3 * ((X / fov) ** 2 - (Y / fov) ** 2)
            )
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
    Taught in: *Chapter 1 — Background* and *Chapter 3* (resampling to a target
    spacing).
    """
    size = _check_size(size)
    if n_slices < 2:
        raise DataError(f"a volume needs at least 2 slices, got {n_slices}")
    patient, prng = _one_patient(
        seed, _check_difficulty(difficulty), tumour=tumour, cyst=True
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
        arr[k], liver[k], lesion[k], _, spacing = _render(
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
