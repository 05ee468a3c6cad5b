"""Geometry: resizing, resampling to a physical spacing, and one grid for two images."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import ndimage

from medtutor.data.errors import DataError, check_numeric

__all__ = ["match_grid", "resample", "resize"]


def resize(image: np.ndarray, shape: Sequence[int], *, order: int = 1) -> np.ndarray:
    """Resize an image (or each image of a stack) to ``shape`` pixels, ignoring physical
    spacing.

    Parameters
    ----------
    image : array_like
        ``(H, W)`` or ``(N, H, W)``.
    shape : (int, int)
        Target ``(H, W)``.
    order : int
        Spline order: 0 nearest (for masks and labels), 1 linear (default), 3 cubic.

    Returns
    -------
    numpy.ndarray
        float32 for ``order > 0``; the input dtype for ``order == 0``.

    Notes
    -----
    Taught in: :doc:`ch3_workflow`.

    Use :func:`resample` when the physical pixel size matters (combining scans,
    measuring in millimetres).
    """
    image = check_numeric(image, "image")
    if image.ndim not in (2, 3):
        raise DataError(f"resize takes (H, W) or (N, H, W), got shape {image.shape}")
    target = tuple(int(s) for s in shape)
    if len(target) != 2 or min(target) < 1:
        raise DataError(f"shape must be two positive integers, got {shape}")
    zoom = [t / s for t, s in zip(target, image.shape[-2:], strict=True)]
    if image.ndim == 3:
        zoom = [1.0, *zoom]
    src = image if order == 0 else image.astype(np.float32, copy=False)
    out = ndimage.zoom(src, zoom, order=order, mode="nearest", grid_mode=True)
    return out if order == 0 else out.astype(np.float32)


def resample(
    image: np.ndarray,
    spacing: Sequence[float],
    new_spacing: Sequence[float],
    *,
    order: int = 1,
) -> np.ndarray:
    """Resample a 2D image or 3D volume to a new physical pixel/voxel spacing.

    The physical extent (pixels times spacing) is kept, so the number of pixels along
    each axis becomes ``round(n * spacing / new_spacing)``.

    Parameters
    ----------
    image : array_like
        2D ``(H, W)`` or 3D ``(Z, H, W)``.
    spacing, new_spacing : sequence of float
        Millimetres per pixel along each axis, before and after.
    order : int
        0 for masks (nearest neighbour), 1 linear (default), 3 cubic.

    Returns
    -------
    numpy.ndarray
        The resampled array (float32 unless ``order == 0``).

    Raises
    ------
    DataError
        For mismatched dimensions or non-positive spacings.

    Notes
    -----
    Taught in: :doc:`ch3_workflow`.
    """
    image = check_numeric(image, "image")
    spacing, new_spacing = tuple(map(float, spacing)), tuple(map(float, new_spacing))
    if not (image.ndim == len(spacing) == len(new_spacing)) or image.ndim not in (2, 3):
        raise DataError(
            f"image of {image.ndim} dimensions needs 2 or 3 spacings each, "
            f"got {spacing} -> {new_spacing}"
        )
    if min(spacing + new_spacing) <= 0:
        raise DataError(f"spacings must be positive, got {spacing} -> {new_spacing}")
    target = [
        max(1, int(round(n * s / t)))
        for n, s, t in zip(image.shape, spacing, new_spacing, strict=True)
    ]
    zoom = [t / n for t, n in zip(target, image.shape, strict=True)]
    src = image if order == 0 else image.astype(np.float32, copy=False)
    out = ndimage.zoom(src, zoom, order=order, mode="nearest", grid_mode=True)
    return out if order == 0 else out.astype(np.float32)


def match_grid(
    image: np.ndarray,
    spacing,
    reference_shape,
    reference_spacing,
    *,
    order: int = 1,
    fill: float = 0.0,
) -> np.ndarray:
    """Put an image on another image's pixel grid (same centre), so the two can be
    overlaid.

    The image is resampled to ``reference_spacing`` (:func:`resample`) and then cropped
    or padded symmetrically to ``reference_shape``. Both images are assumed to share
    their centre and orientation, as the book's synthetic CT/MR pairs do; real scans
    also need registration, which this does not do.

    Parameters
    ----------
    image : numpy.ndarray
        2D image to move.
    spacing : (float, float)
        Its pixel spacing in mm.
    reference_shape : (int, int)
        Shape of the target grid.
    reference_spacing : (float, float)
        Pixel spacing of the target grid in mm.
    order : int
        Interpolation order (0 for masks).
    fill : float
        Value for padded pixels.

    Returns
    -------
    numpy.ndarray
        Array of ``reference_shape``.

    Notes
    -----
    Taught in: :doc:`ch1_background`.
    """
    moved = resample(image, spacing, reference_spacing, order=order)
    out = np.full(tuple(reference_shape), fill, dtype=moved.dtype)
    src, dst = [], []
    for n_src, n_dst in zip(moved.shape, reference_shape, strict=True):
        if n_src >= n_dst:
            start = (n_src - n_dst) // 2
            src.append(slice(start, start + n_dst))
            dst.append(slice(0, n_dst))
        else:
            start = (n_dst - n_src) // 2
            src.append(slice(0, n_src))
            dst.append(slice(start, start + n_src))
    out[tuple(dst)] = moved[tuple(src)]
    return out
