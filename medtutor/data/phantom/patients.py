"""Synthetic patients: drawing one at random, and choosing where to cut its slices.

A :class:`Patient` holds everything that stays fixed across the slices of one person:
body habitus, the position and size of each organ, the liver's and vessels' enhancement,
the scanner's noise level, the focal lesions and a seed for the per-slice randomness.
:func:`sample_patient` draws one; :func:`slice_heights` chooses the heights at which a
dataset cuts it. Slices of one patient therefore share anatomy, noise and contrast, and
a lesion (a sphere in 3D) appears on several adjacent slices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from medtutor.data.phantom.lesions import Lesion, sample_lesion

__all__: list[str] = []


@dataclass
class Patient:
    """Anatomy, enhancement, scanner noise and lesions of one synthetic patient."""

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
    lesions: list[Lesion]
    seed: int


def sample_patient(
    rng, pid: str, severity: float, tumour: bool, cyst_probability: float
) -> Patient:
    """Draw one patient.

    Parameters
    ----------
    rng : numpy.random.Generator
    pid : str
        Patient id.
    severity : float
        Internal severity (see
        :func:`~medtutor.data.phantom.checks.severity_from_difficulty`); it sets the
        lesions' appearance and the scanner's noise.
    tumour : bool
        Whether the patient has one to three liver tumours.
    cyst_probability : float
        Probability that the patient has one or two cysts.

    Returns
    -------
    Patient
    """
    bx, by = rng.uniform(140, 175), rng.uniform(100, 128)
    liver_axes = (rng.uniform(70, 90), rng.uniform(60, 78))
    lesions = []
    if tumour:
        for _ in range(rng.choice([1, 1, 2, 3])):
            lesions.append(sample_lesion(rng, "tumour", severity, liver_axes))
    if rng.random() < cyst_probability:
        for _ in range(rng.choice([1, 1, 2])):
            lesions.append(sample_lesion(rng, "cyst", severity, liver_axes))
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
    return Patient(
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
        # Portal-venous phase: enhanced liver parenchyma and portal vein / aorta.
        liver_hu=rng.uniform(100, 120),
        vessel_hu=rng.uniform(150, 200),
        # Noise of a 1 mm pixel; a coarser pixel averages more photons (see
        # render_slice).
        noise_hu=(2.0 + 8.0 * severity) * rng.uniform(0.75, 1.3),
        lesions=lesions,
        seed=int(rng.integers(2**31)),
    )


#: Random draws for tumour-free slice heights before falling back to a grid.
_MAX_TRIES = 10_000


def slice_heights(p: Patient, n: int, spacing_mm: float, rng) -> np.ndarray:
    """Heights of ``n`` slices of one patient, sorted from head to foot.

    For a patient with tumours, between a third and two thirds of the slices cut through
    a tumour and the rest miss it, as in liver CT collections where most patients have
    tumours and slice labels vary within a patient. Patients without tumours get a block
    of adjacent slices ``spacing_mm`` apart (through a cyst, if they have one). When
    tumours fill the whole height of the liver, the slices meant to miss them are taken
    where they are farthest from any tumour (they may then still cut one: labels come
    from the masks, never from this plan).

    Parameters
    ----------
    p : Patient
    n : int
        Number of slices.
    spacing_mm : float
        Distance between adjacent slices of a patient without tumours, mm.
    rng : numpy.random.Generator

    Returns
    -------
    numpy.ndarray
        ``n`` heights through the liver (0 = dome, 1 = inferior tip).
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

    def clear_of_tumours(t: float) -> float:
        """Distance in mm from height ``t`` to the nearest tumour's edge (+2 mm)."""
        return min(
            abs(t - les.t) * p.liver_length - les.radius - 2.0 for les in tumours
        )

    tries = 0
    while len(heights) < n and tries < _MAX_TRIES:
        tries += 1
        t = rng.uniform(0.08, 0.92)
        if clear_of_tumours(t) > 0:
            heights.append(t)
    if len(heights) < n:
        # Tumours fill the whole liver height: take the heights farthest from them.
        grid = np.linspace(0.08, 0.92, 85)
        order = np.argsort([-clear_of_tumours(t) for t in grid], kind="stable")
        heights.extend(grid[order[: n - len(heights)]])
    return np.sort(np.asarray(heights))
