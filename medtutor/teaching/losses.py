"""Loss functions written out by hand in NumPy, each equal to its Keras version.

These are for reading, not for training: the training losses of the case studies are in
:mod:`medtutor.losses`.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "binary_cross_entropy",
    "categorical_cross_entropy",
    "dice_coefficient",
    "dice_loss",
    "mean_squared_error",
    "smooth_l1",
]

_EPS = 1e-7  # Keras clips probabilities to [eps, 1 - eps] with this epsilon


def binary_cross_entropy(y_true, p) -> float:
    """Mean of ``-[y log p + (1 - y) log(1 - p)]`` over all elements.

    Notes
    -----
    Taught in: :doc:`ch2_core_concepts`.

    Equals ``keras.losses.binary_crossentropy``.
    """
    y, p = np.asarray(y_true, float), np.clip(np.asarray(p, float), _EPS, 1 - _EPS)
    return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))


def categorical_cross_entropy(y_onehot, p) -> float:
    """Mean over examples of ``-sum_k y_k log p_k`` (``p`` rows are probability
    vectors).

    Notes
    -----
    Taught in: :doc:`ch2_core_concepts`.

    Equals ``keras.losses.categorical_crossentropy``.
    """
    y, p = np.asarray(y_onehot, float), np.asarray(p, float)
    p = np.clip(p / p.sum(axis=-1, keepdims=True), _EPS, 1 - _EPS)
    return float(np.mean(-(y * np.log(p)).sum(axis=-1)))


def mean_squared_error(y_true, y_pred) -> float:
    """Mean of ``(y - y_hat)^2``.

    Notes
    -----
    Taught in: :doc:`ch2_core_concepts`.

    Equals ``keras.losses.mean_squared_error``.
    """
    return float(np.mean((np.asarray(y_true, float) - np.asarray(y_pred, float)) ** 2))


def smooth_l1(y_true, y_pred, delta: float = 1.0) -> float:
    """Smooth L1 (Huber) loss: quadratic for errors below ``delta``, linear above.

    ``0.5 e^2`` if ``|e| <= delta`` else ``delta * (|e| - 0.5 delta)``, averaged.

    Notes
    -----
    Taught in: :doc:`ch2_core_concepts`.

    Equals ``keras.losses.Huber(delta)``. Used for bounding-box regression in detectors,
    where outliers should not dominate.
    """
    e = np.abs(np.asarray(y_true, float) - np.asarray(y_pred, float))
    return float(np.mean(np.where(e <= delta, 0.5 * e**2, delta * (e - 0.5 * delta))))


def dice_coefficient(y_true, y_pred, smooth: float = 1.0) -> float:
    """Soft Dice coefficient ``(2 |A.B| + s) / (|A| + |B| + s)`` of a mask and a
    prediction.

    Parameters
    ----------
    y_true, y_pred : array_like
        A binary mask and a prediction of the same size (probabilities or a mask).
    smooth : float
        ``s`` above: added to the numerator and the denominator.

    Returns
    -------
    float
        1.0 when both are empty, for any ``smooth`` (with ``smooth=0`` the ratio would
        be 0/0).

    Notes
    -----
    Taught in: :doc:`ch2_core_concepts`.

    ``smooth`` keeps the value defined when both masks are empty (then the Dice is 1).

    The convention is shared with :func:`medtutor.metrics.dice` and with the Dice
    term of :func:`medtutor.losses.dice_bce_loss`: both empty gives 1, and with
    ``smooth=0`` on binary masks the soft Dice equals the hard
    :func:`medtutor.metrics.dice`.
    """
    a, b = np.asarray(y_true, float).ravel(), np.asarray(y_pred, float).ravel()
    denominator = np.sum(a) + np.sum(b) + smooth
    return (
        1.0 if denominator == 0 else float((2 * np.sum(a * b) + smooth) / denominator)
    )


def dice_loss(y_true, y_pred, smooth: float = 1.0) -> float:
    """``1 - dice_coefficient``: a loss that rewards overlap, insensitive to the empty
    background.

    ``smooth`` is :func:`dice_coefficient`'s; both masks empty gives 0.

    Notes
    -----
    Taught in: :doc:`ch2_core_concepts`.

    Equals ``keras.losses.Dice`` for ``smooth=0`` on a single example.
    """
    return 1.0 - dice_coefficient(y_true, y_pred, smooth)
