"""Where each organ is on an axial slice: the masks of a patient's anatomy at a height.

A patient (:class:`~medtutor.data.phantom.patients.Patient`) is a set of ellipses in
millimetres; this module cuts them at a height ``t`` through the liver (0 = dome,
1 = inferior tip) on a pixel grid and returns one boolean mask per structure: body
outline, subcutaneous fat, muscle wall, abdominal cavity, liver, spleen, kidneys,
paraspinal muscles, vertebra, aorta and vena cava, bowel and ribs. Organs grow and
shrink with height, so adjacent slices of one patient show continuous anatomy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from medtutor.data.phantom.patients import Patient

__all__: list[str] = []


def _q(X, Y, cx, cy, ax, ay, angle=0.0):
    """Normalised elliptical radius squared: < 1 inside the ellipse."""
    dx, dy = X - cx, Y - cy
    if angle:
        c, s = np.cos(angle), np.sin(angle)
        dx, dy = dx * c + dy * s, -dx * s + dy * c
    return (dx / ax) ** 2 + (dy / ay) ** 2


def liver_profile(t: float) -> float:
    """Relative size of the liver's cross-section at height ``t``.

    Parameters
    ----------
    t : float
        Height through the liver, 0 = dome, 1 = inferior tip.

    Returns
    -------
    float
        Scale of the liver's in-plane semi-axes, 0.15 to 1; NaN beyond the inferior
        tip (``t`` above about 1.02), which leaves no liver on such a slice.
    """
    with np.errstate(invalid="ignore"):  # a negative sine past the tip gives NaN
        return float(np.clip(np.sin(np.pi * (0.08 + 0.9 * t)) ** 0.6, 0.15, 1.0))


def structure_masks(p: Patient, t: float, X, Y, spacing: float) -> dict:
    """Masks of every structure of patient ``p`` at height ``t`` on the grid ``X, Y``.

    Parameters
    ----------
    p : Patient
    t : float
        Height through the liver, 0 = dome, 1 = inferior tip.
    X, Y : numpy.ndarray
        Pixel coordinates in mm, as returned by
        :func:`~medtutor.data.phantom.render.pixel_grid`.
    spacing : float
        Pixel spacing in mm.

    Returns
    -------
    dict of str to numpy.ndarray
        Boolean masks keyed by structure (``"body"``, ``"liver"``, ``"ribs"``, ...);
        ``"spleen"`` is missing on slices below the spleen.
    """
    bx, by, bcy = p.body
    shapes = {}
    body_q = _q(X, Y, 0.0, bcy, bx, by)
    shapes["body"] = body_q < 1
    shapes["wall"] = _q(X, Y, 0.0, bcy, bx - p.fat, by - p.fat) < 1
    shapes["cavity"] = _q(X, Y, 0.0, bcy, bx - p.fat - p.wall, by - p.fat - p.wall) < 1
    s = liver_profile(t)
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
        spleen = _q(X, Y, sx, sy, sax * ss, say * ss, 0.5) < 1
        shapes["spleen"] = spleen & shapes["cavity"]
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
