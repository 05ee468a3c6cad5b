"""Intensities and labels: HU windows, normalisation, z-score, one-hot.

Geometry (resizing, resampling to a spacing, putting two images on one grid) is in
:mod:`medtutor.data.geometry`.

"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from medtutor.data.errors import DataError, check_numeric

if TYPE_CHECKING:
    from medtutor.data.containers import SliceSet

__all__ = [
    "WINDOWS",
    "apply_window",
    "model_inputs",
    "normalize",
    "one_hot",
    "zscore",
]

#: Standard CT display windows as (centre, width) in Hounsfield units. The liver window
#: is set for contrast-enhanced (portal-venous) CT, where the liver sits near 110 HU; on
#: a scan without contrast a centre near 50 HU suits the liver better.
WINDOWS = {
    "lung": (-600.0, 1500.0),
    "abdomen": (40.0, 400.0),
    "soft_tissue": (50.0, 350.0),
    "liver": (90.0, 160.0),
    "bone": (400.0, 1800.0),
    "brain": (40.0, 80.0),
}


def apply_window(
    hu: np.ndarray,
    window: str | tuple[float, float] = "abdomen",
    *,
    out_range: tuple[float, float] = (0.0, 1.0),
) -> np.ndarray:
    """Map Hounsfield units through a display window onto ``out_range``.

    Values below ``centre - width/2`` become ``out_range[0]``, values above ``centre +
    width/2`` become ``out_range[1]``, and values in between are mapped linearly.

    Parameters
    ----------
    hu : array_like
        CT values in Hounsfield units, any shape.
    window : str or (float, float)
        A preset name from :data:`WINDOWS` (``"lung"``, ``"abdomen"``,
        ``"soft_tissue"``, ``"liver"``, ``"bone"``, ``"brain"``) or an explicit
        ``(centre, width)`` in HU.
    out_range : (float, float)
        Output interval, e.g. ``(0, 1)`` for training or ``(0, 255)`` for an 8-bit PNG.

    Returns
    -------
    numpy.ndarray
        float32 array of the same shape, within ``out_range``.

    Raises
    ------
    DataError
        Unknown preset, non-positive width, or NaN/inf in the input.

    Notes
    -----
    Taught in: :doc:`ch1_background`.

    Examples
    --------
    >>> apply_window([-1000.0, 40.0, 1000.0], "abdomen").round(2).tolist()
    [0.0, 0.5, 1.0]
    """
    if isinstance(window, str):
        if window not in WINDOWS:
            raise DataError(
                f"unknown window {window!r}; choose one of {sorted(WINDOWS)} "
                "or pass (centre, width)"
            )
        centre, width = WINDOWS[window]
    else:
        try:
            centre, width = (float(v) for v in window)
        except (TypeError, ValueError):
            raise DataError(
                f"window must be a preset name or (centre, width), got {window!r}"
            ) from None
    if not width > 0:
        raise DataError(f"window width must be positive, got {width}")
    hu = check_numeric(hu, "hu").astype(np.float32, copy=False)
    lo, hi = out_range
    scaled = (hu - (centre - width / 2)) / width
    return (np.clip(scaled, 0.0, 1.0) * (hi - lo) + lo).astype(np.float32)


def normalize(
    x: np.ndarray, out_range: tuple[float, float] = (0.0, 1.0), *, in_range=None
) -> np.ndarray:
    """Rescale intensities linearly to ``[0, 1]``, ``[-1, 1]`` or any ``out_range``.

    Parameters
    ----------
    x : array_like
        Any intensities.
    out_range : (float, float)
        Target interval; ``(0, 1)`` by default, ``(-1, 1)`` for tanh-style inputs.
    in_range : (float, float), optional
        Input interval mapped onto ``out_range`` (values outside are clipped). Defaults
        to the array's own minimum and maximum; fix it (e.g. ``(0, 255)``) when images
        must be scaled alike.

    Returns
    -------
    numpy.ndarray
        float32 array within ``out_range``. A constant image maps to ``out_range[0]``.

    Notes
    -----
    Taught in: :doc:`own_data`.
    """
    x = check_numeric(x, "x").astype(np.float32, copy=False)
    lo_in, hi_in = (
        (float(x.min()), float(x.max())) if in_range is None else map(float, in_range)
    )
    lo, hi = out_range
    if hi_in <= lo_in:
        return np.full(x.shape, lo, np.float32)
    scaled = np.clip((x - lo_in) / (hi_in - lo_in), 0.0, 1.0)
    return (scaled * (hi - lo) + lo).astype(np.float32)


def zscore(x: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Standardise to zero mean and unit standard deviation (the usual normalisation for
    MR).

    MR intensities are in arbitrary units that differ between scanners and even
    sessions, so windows in fixed units make no sense; z-scoring per image (optionally
    over a body mask) makes images comparable.

    Parameters
    ----------
    x : array_like
        One image or volume.
    mask : array_like of bool, optional
        Compute mean and standard deviation over these pixels only (e.g. the body).

    Returns
    -------
    numpy.ndarray
        float32 array; a constant image becomes all zeros.

    Notes
    -----
    Taught in: :doc:`ch1_background`, :doc:`ch5b_deployment_features`.
    """
    x = check_numeric(x, "x").astype(np.float32, copy=False)
    ref = x if mask is None else x[np.asarray(mask, bool)]
    if ref.size == 0:
        raise DataError("zscore mask selects no pixels")
    sd = float(ref.std())
    return (
        ((x - float(ref.mean())) / sd).astype(np.float32)
        if sd > 0
        else np.zeros_like(x)
    )


def one_hot(labels: np.ndarray, num_classes: int | None = None) -> np.ndarray:
    """One-hot encode integer class labels: ``2 -> [0, 0, 1]``.

    Parameters
    ----------
    labels : array_like of int
        Class indices, shape ``(N,)``.
    num_classes : int, optional
        Defaults to ``labels.max() + 1``.

    Returns
    -------
    numpy.ndarray
        ``(N, num_classes)`` float32.

    Raises
    ------
    DataError
        For non-integer or negative labels, or labels ``>= num_classes``.

    Notes
    -----
    Taught in: :doc:`ch3_workflow`.

    Equal to ``keras.utils.to_categorical`` (checked in the tests). A binary problem
    with a single sigmoid output needs no one-hot labels at all.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise DataError(f"labels must be one-dimensional, got shape {labels.shape}")
    if labels.size and (
        labels.dtype.kind not in "iub" and not np.all(np.equal(np.mod(labels, 1), 0))
    ):
        raise DataError("labels must be integers")
    labels = labels.astype(np.int64)
    if labels.size and labels.min() < 0:
        raise DataError(f"labels must be non-negative, got {labels.min()}")
    k = int(labels.max()) + 1 if num_classes is None else int(num_classes)
    if labels.size and labels.max() >= k:
        raise DataError(f"label {labels.max()} does not fit num_classes={k}")
    out = np.zeros((labels.size, k), np.float32)
    out[np.arange(labels.size), labels] = 1.0
    return out


def model_inputs(
    data: SliceSet, *, window="abdomen", out_range=(0.0, 1.0)
) -> np.ndarray:
    """Images as a float32 ``(N, H, W, 1)`` array scaled for a network.

    CT in HU goes through the display ``window``; anything else (8-bit PNG, MedMNIST) is
    scaled from ``0..255`` (or its own range when it exceeds 255) onto ``out_range``.
    Floating-point intensity images that already lie in ``[0, 1]`` are refused rather
    than scaled a second time.

    Parameters
    ----------
    data : SliceSet
    window : str or (float, float)
        Window for CT in HU (see :func:`medtutor.data.apply_window`).
    out_range : (float, float)
        ``(0, 1)`` by default; ``(-1, 1)`` is the other common choice.

    Returns
    -------
    numpy.ndarray

    Notes
    -----
    Taught in: :doc:`ch3_workflow`.
    """
    if data.units == "HU":
        x = apply_window(data.images, window, out_range=out_range)
    else:
        top = float(data.images.max()) if len(data) else 0.0
        if 0 < top <= 1 and data.images.dtype.kind == "f":
            # Scaling these by 1/255 again would leave the network a nearly black
            # image: a silent wrong result, so refuse.
            raise DataError(
                "images in units 'intensity' already lie in [0, 1] (max "
                f"{top:g}); intensity images are 0-255: multiply them by 255"
            )
        hi = 255.0 if top <= 255 else top
        x = normalize(data.images, out_range, in_range=(0.0, hi))
    return x[..., None]
