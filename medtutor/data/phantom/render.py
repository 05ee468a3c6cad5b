"""Turning a patient and a height into a CT or MR slice: the scanner's part.

:func:`render_slice` paints the masks of
:func:`~medtutor.data.phantom.anatomy.structure_masks` with the tissue values of
:mod:`~medtutor.data.phantom.tissues`, blends in the lesions of
:func:`~medtutor.data.phantom.lesions.lesion_fields` with their texture and rims, and
adds what a scanner adds: blur (the point-spread function) and noise, Gaussian on CT and
Rician on MR. :func:`pixel_grid` lays out the pixel coordinates of a slice and
:func:`mr_bias_field` makes the smooth intensity drift of an MR coil.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from medtutor.data.phantom.anatomy import structure_masks
from medtutor.data.phantom.lesions import lesion_fields
from medtutor.data.phantom.patients import Patient
from medtutor.data.phantom.tissues import CT_HU, MR_T1, MR_T2

__all__: list[str] = []


def pixel_grid(size: int, fov_mm: float, centre=(0.0, 0.0)):
    """Coordinates in mm of the pixels of a ``size`` x ``size`` slice.

    Parameters
    ----------
    size : int
        Image side in pixels.
    fov_mm : float
        Field of view, mm.
    centre : tuple of float
        Position of the image centre in the patient, mm.

    Returns
    -------
    X, Y : numpy.ndarray
        float32 coordinates of shape ``(1, size)`` and ``(size, 1)``. X runs from the
        patient's right (image left) to left, Y from anterior (top) to posterior.
    spacing : float
        Pixel spacing, ``fov_mm / size``.
    """
    spacing = fov_mm / size
    c = (np.arange(size, dtype=np.float32) - (size - 1) / 2) * spacing
    return (
        c[None, :] + np.float32(centre[0]),
        c[:, None] + np.float32(centre[1]),
        spacing,
    )


def _smooth_noise(rng, shape, sigma_px: float) -> np.ndarray:
    noise = rng.standard_normal(shape).astype(np.float32)
    if sigma_px > 0:
        noise = ndimage.gaussian_filter(noise, sigma_px)
        noise /= noise.std() + 1e-8
    return noise


def render_slice(
    p: Patient,
    t: float,
    size: int,
    fov_mm: float,
    modality: str,
    rng,
    centre=(0.0, 0.0),
):
    """Render one slice of patient ``p`` at height ``t``.

    Parameters
    ----------
    p : Patient
    t : float
        Height through the liver, 0 = dome, 1 = inferior tip.
    size : int
        Image side in pixels.
    fov_mm : float
        Field of view, mm.
    modality : {"CT", "MR", "T2", "T1"}
        ``"MR"`` is T2-weighted.
    rng : numpy.random.Generator
        Draws the scanner noise.
    centre : tuple of float
        Position of the image centre in the patient, mm.

    Returns
    -------
    image : numpy.ndarray of float32
        In HU for CT, arbitrary units for MR.
    liver, lesion, tumour : numpy.ndarray of bool
        Masks of the liver, of every lesion and of the tumours only.
    spacing : float
        Pixel spacing, mm.
    """
    X, Y, spacing = pixel_grid(size, fov_mm, centre)
    g = structure_masks(p, t, X, Y, spacing)
    table = dict({"CT": CT_HU, "MR": MR_T2, "T2": MR_T2, "T1": MR_T1}[modality])
    if modality == "CT":
        table["liver"] = p.liver_hu
        table["vessel"] = p.vessel_hu
        table["kidney"] = p.vessel_hu * 0.9
        table["spleen"] = p.liver_hu + 10.0  # enhances a little more than the liver
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
    for les, mask, weight, rel in lesion_fields(p, t, X, Y, liver):
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
                # tumours are T1-hypointense
                target = 0.75 * table["liver"] + 40.0 * texture
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


def mr_bias_field(size: int, fov_mm: float, strength: float, rng) -> np.ndarray:
    """A smooth multiplicative bias field, as the receive coils of an MR scanner make.

    Parameters
    ----------
    size, fov_mm
        Image side in pixels and field of view in mm, as for :func:`pixel_grid`.
    strength : float
        Peak relative change of the field (0 for none).
    rng : numpy.random.Generator
        Draws the direction of the field's gradient.

    Returns
    -------
    numpy.ndarray
        The field, about 1, of shape ``(size, size)``.
    """
    X, Y, _ = pixel_grid(size, fov_mm)
    a, b = rng.uniform(-1, 1, 2)
    return 1.0 + strength * np.tanh(
        (a * X + b * Y) / (0.5 * fov_mm) + 0.3 * ((X / fov_mm) ** 2 - (Y / fov_mm) ** 2)
    )
