"""Make images worse on purpose: low-dose CT noise and lower resolution."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

__all__ = ["add_low_dose_noise", "downsample", "scanner_shift"]


def add_low_dose_noise(
    hu: np.ndarray,
    sigma_hu: float = 40.0,
    *,
    correlation_px: float = 0.7,
    seed: int = 0,
) -> np.ndarray:
    """Add noise like that of a reduced-dose CT scan to images in Hounsfield units.

    Halving the dose raises the noise standard deviation by about sqrt(2); the noise of
    filtered back-projection is spatially correlated, which a slight Gaussian blur of
    white noise imitates.

    Parameters
    ----------
    hu : numpy.ndarray
        ``(H, W)`` or ``(N, H, W)`` images in HU.
    sigma_hu : float
        Standard deviation of the added noise, in HU.
    correlation_px : float
        Correlation length of the noise in pixels (0 for white noise).
    seed : int
        Seed of the noise; the same seed gives the same noise.

    Returns
    -------
    numpy.ndarray
        float32 images of the same shape.

    Raises
    ------
    ValueError
        ``sigma_hu`` is negative.

    Notes
    -----
    Taught in: :doc:`ch4_2b_restoration`.
    """
    if sigma_hu < 0:
        raise ValueError(f"sigma_hu must be non-negative, got {sigma_hu}")
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(hu.shape).astype(np.float32)
    if correlation_px > 0:
        sigma = (0, correlation_px, correlation_px) if hu.ndim == 3 else correlation_px
        noise = ndimage.gaussian_filter(noise, sigma)
        noise /= noise.std() + 1e-8
    return (hu + sigma_hu * noise).astype(np.float32)


def downsample(images: np.ndarray, factor: int = 2) -> np.ndarray:
    """Average ``factor x factor`` blocks: what a detector with pixels ``factor`` times
    larger records.

    Parameters
    ----------
    images : numpy.ndarray
        ``(H, W)`` or ``(N, H, W)``, with ``H`` and ``W`` divisible by ``factor``.
    factor : int
        Side of the averaged blocks, in pixels.

    Returns
    -------
    numpy.ndarray
        float32 ``(H / factor, W / factor)`` or ``(N, H / factor, W / factor)``.

    Raises
    ------
    ValueError
        ``H`` or ``W`` is not divisible by ``factor``.

    Notes
    -----
    Taught in: :doc:`ch4_2b_restoration`.
    """
    h, w = images.shape[-2:]
    if h % factor or w % factor:
        raise ValueError(f"image size {(h, w)} is not divisible by {factor}")
    shape = images.shape[:-2] + (h // factor, factor, w // factor, factor)
    return images.reshape(shape).mean(axis=(-3, -1)).astype(np.float32)


def scanner_shift(
    hu: np.ndarray,
    *,
    noise_hu: float = 0.0,
    offset_hu: float = 0.0,
    gain: float = 1.0,
    blur_px: float = 0.0,
    seed: int = 0,
) -> np.ndarray:
    """Imitate another scanner or protocol: extra noise, a calibration offset, a
    contrast gain, blur.

    ``out = gain * (blur(hu) - 40) + 40 + offset_hu + noise``: the gain stretches
    soft-tissue contrast around 40 HU (a different contrast timing or kernel), the
    offset shifts every value, blur imitates thicker slices or a smoother reconstruction
    kernel.

    Parameters
    ----------
    hu : numpy.ndarray
        ``(H, W)`` or ``(N, H, W)`` images in HU.
    noise_hu : float
        Standard deviation of added correlated noise (:func:`add_low_dose_noise`), in
        HU; 0 adds none.
    offset_hu : float
        Calibration offset added to every pixel, in HU.
    gain : float
        Contrast gain about 40 HU.
    blur_px : float
        Standard deviation of a Gaussian blur within each image, in pixels; 0 for
        none.
    seed : int
        Seed of the noise.

    Returns
    -------
    numpy.ndarray
        float32 images of the same shape.

    Notes
    -----
    Taught in: :doc:`ch5b_deployment_features`.
    """
    out = (
        ndimage.gaussian_filter(hu, (0, blur_px, blur_px) if hu.ndim == 3 else blur_px)
        if blur_px > 0
        else hu
    )
    out = gain * (out - 40.0) + 40.0 + offset_hu
    return (
        add_low_dose_noise(out, noise_hu, seed=seed)
        if noise_hu > 0
        else out.astype(np.float32)
    )
