"""Focal liver lesions: drawing one at random, and cutting it on a slice.

A lesion is a sphere (with a lobulated border for tumours) in the liver's own frame.
Two kinds are drawn:

* **cyst** (benign): round, sharply defined, homogeneous, near water density (0-15 HU);
* **tumour** (e.g. a metastasis in the portal-venous phase): hypodense relative to the
  liver, ill-defined, heterogeneous, lobulated, sometimes with an enhancing rim.

:func:`sample_lesion` draws a lesion's shape and appearance for a given severity (see
:mod:`~medtutor.data.phantom.checks`); :func:`lesion_fields` cuts a patient's lesions at
one height into masks and soft weights that the renderer blends into the liver.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from medtutor.data.phantom.anatomy import liver_profile

if TYPE_CHECKING:
    from medtutor.data.phantom.patients import Patient

__all__: list[str] = []


@dataclass
class Lesion:
    """One focal liver lesion, in the liver's own frame."""

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


def sample_lesion(rng, kind: str, severity: float, liver_axes) -> Lesion:
    """Draw one lesion of ``kind`` inside a liver with semi-axes ``liver_axes``.

    Parameters
    ----------
    rng : numpy.random.Generator
    kind : {"cyst", "tumour"}
    severity : float
        Internal severity (see
        :func:`~medtutor.data.phantom.checks.severity_from_difficulty`); higher means
        smaller, fainter tumours with fewer and fainter enhancing rims.
    liver_axes : tuple of float
        In-plane semi-axes of the liver, mm.

    Returns
    -------
    Lesion
    """
    # Lesion centres sit well inside the liver so that they stay inside it on nearby
    # slices.
    ang = rng.uniform(0, 2 * np.pi)
    rad = np.sqrt(rng.uniform(0.0, 0.3))
    x, y = rad * liver_axes[0] * np.cos(ang), rad * liver_axes[1] * np.sin(ang)
    t = rng.uniform(0.25, 0.75)
    easiness = 1.0 - severity
    size_scale = 0.9 + 1.2 * easiness
    if kind == "cyst":
        return Lesion(
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
    return Lesion(
        kind,
        x,
        y,
        t,
        radius=rng.uniform(7.0, 20.0) * size_scale,
        contrast=rng.uniform(17.0, 45.0) * (1.45 - 0.9 * severity),
        edge=rng.uniform(1.5, 3.5),
        harmonics=harmonics[:2] if rng.random() < 0.5 else harmonics,
        texture_seed=int(rng.integers(2**31)),
        # An enhancing rim (the "target" look of many metastases): common and bright
        # when the task is easy, rarer and fainter when it is hard.
        rim=rng.uniform(20.0, 45.0) * (1.6 - 0.6 * severity)
        if rng.random() < 1.2 - 0.8 * severity
        else 0.0,
        mr_signal=rng.uniform(420, 620),
    )


def lesion_fields(p: Patient, t: float, X, Y, liver_mask) -> list:
    """For each lesion visible at height ``t``: its mask, soft weight and radius map.

    Parameters
    ----------
    p, t, X, Y
        The patient, the height and the pixel grid, as for
        :func:`~medtutor.data.phantom.anatomy.structure_masks`.
    liver_mask : numpy.ndarray of bool
        The liver on this slice; lesions are clipped to it.

    Returns
    -------
    list of tuple
        ``(lesion, mask, weight, rel)`` per visible lesion: its boolean mask, a float32
        weight that falls smoothly from 1 inside to 0 outside over the lesion's edge,
        and the distance from its centre relative to its radius on this slice.
    """
    lcx, lcy, _, _, lang = p.liver
    s = liver_profile(t)
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
