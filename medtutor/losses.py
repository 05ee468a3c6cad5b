"""Loss functions written out by hand, and the Dice loss for segmentation.

Taught in: *Chapter 2 — Core concepts* (each hand-written loss equals its Keras version) and
*Chapter 4.2* (Dice for segmentation).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "binary_cross_entropy",
    "binary_focal_loss",
    "dice_bce_loss",
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
    Taught in: *Chapter 2 — Core concepts*; equals ``keras.losses.binary_crossentropy``.
    """
    y, p = np.asarray(y_true, float), np.clip(np.asarray(p, float), _EPS, 1 - _EPS)
    return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))


def categorical_cross_entropy(y_onehot, p) -> float:
    """Mean over examples of ``-sum_k y_k log p_k`` (``p`` rows are probability vectors).

    Notes
    -----
    Taught in: *Chapter 2 — Core concepts*; equals ``keras.losses.categorical_crossentropy``.
    """
    y, p = np.asarray(y_onehot, float), np.asarray(p, float)
    p = np.clip(p / p.sum(axis=-1, keepdims=True), _EPS, 1 - _EPS)
    return float(np.mean(-(y * np.log(p)).sum(axis=-1)))


def mean_squared_error(y_true, y_pred) -> float:
    """Mean of ``(y - y_hat)^2``.

    Notes
    -----
    Taught in: *Chapter 2 — Core concepts*; equals ``keras.losses.mean_squared_error``.
    """
    return float(np.mean((np.asarray(y_true, float) - np.asarray(y_pred, float)) ** 2))


def smooth_l1(y_true, y_pred, delta: float = 1.0) -> float:
    """Smooth L1 (Huber) loss: quadratic for errors below ``delta``, linear above.

    ``0.5 e^2`` if ``|e| <= delta`` else ``delta * (|e| - 0.5 delta)``, averaged.

    Notes
    -----
    Taught in: *Chapter 2 — Core concepts*; equals ``keras.losses.Huber(delta)``. Used for
    bounding-box regression in detectors, where outliers should not dominate.
    """
    e = np.abs(np.asarray(y_true, float) - np.asarray(y_pred, float))
    return float(np.mean(np.where(e <= delta, 0.5 * e**2, delta * (e - 0.5 * delta))))


def dice_coefficient(y_true, y_pred, smooth: float = 1.0) -> float:
    """Soft Dice coefficient ``(2 |A.B| + s) / (|A| + |B| + s)`` of a mask and a prediction.

    Notes
    -----
    Taught in: *Chapter 2* and *Chapter 4.2*. ``smooth`` keeps the value defined when both
    masks are empty (then the Dice is 1).
    """
    a, b = np.asarray(y_true, float).ravel(), np.asarray(y_pred, float).ravel()
    denominator = np.sum(a) + np.sum(b) + smooth
    return 1.0 if denominator == 0 else float((2 * np.sum(a * b) + smooth) / denominator)


def dice_loss(y_true, y_pred, smooth: float = 1.0) -> float:
    """``1 - dice_coefficient``: a loss that rewards overlap, insensitive to the empty background.

    Notes
    -----
    Taught in: *Chapter 2* and *Chapter 4.2*; equals ``keras.losses.Dice`` for ``smooth=0``
    on a single example.
    """
    return 1.0 - dice_coefficient(y_true, y_pred, smooth)


def dice_bce_loss(y_true, y_pred, smooth: float = 1.0):
    """Keras loss for segmentation: soft Dice loss per channel (averaged) plus binary cross-entropy.

    Dice alone handles the imbalance between a small structure and a large background;
    cross-entropy adds smooth per-pixel gradients early in training. Works on ``(B, H, W, C)``
    tensors inside ``model.compile(loss=dice_bce_loss)``.

    Notes
    -----
    Taught in: *Chapter 4.2 — imaging computation*; its Dice part equals :func:`dice_loss` per
    channel (checked in the tests).
    """
    from keras import ops  # noqa: PLC0415

    y_true = ops.cast(y_true, y_pred.dtype)
    axes = (1, 2)
    intersection = ops.sum(y_true * y_pred, axis=axes)
    denominator = ops.sum(y_true, axis=axes) + ops.sum(y_pred, axis=axes)
    dice = (2.0 * intersection + smooth) / (denominator + smooth)
    eps = 1e-7
    p = ops.clip(y_pred, eps, 1 - eps)
    bce = -ops.mean(y_true * ops.log(p) + (1 - y_true) * ops.log(1 - p), axis=(1, 2, 3))
    return ops.mean(1.0 - dice, axis=-1) + bce


def binary_focal_loss(gamma: float = 2.0, alpha: float = 0.25):
    """Focal loss for a sigmoid output (Lin et al., 2017), as a Keras loss function.

    ``FL = -alpha_t (1 - p_t)^gamma log(p_t)``, where ``p_t`` is the probability given to the true
    class and ``alpha_t = alpha`` for positives, ``1 - alpha`` for negatives. The factor
    ``(1 - p_t)^gamma`` shrinks the loss of easy, well-classified examples, so the many easy
    negatives of an imbalanced data set stop dominating training.

    Parameters
    ----------
    gamma : float
        Focusing strength; 0 gives (alpha-weighted) cross-entropy.
    alpha : float
        Weight of the positive class.

    Returns
    -------
    callable
        ``loss(y_true, y_pred)`` returning one value per example.

    Notes
    -----
    Taught in: *Chapter 5 — future directions* (class imbalance). Equals
    ``keras.losses.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=alpha, gamma=gamma)``
    and a hand computation (``tests/test_handmade.py``).
    """
    if gamma < 0 or not 0 < alpha < 1:
        raise ValueError(f"need gamma >= 0 and 0 < alpha < 1, got gamma={gamma}, alpha={alpha}")

    def focal(y_true, y_pred):
        from keras import ops  # noqa: PLC0415

        y = ops.cast(ops.reshape(y_true, ops.shape(y_pred)), y_pred.dtype)
        p = ops.clip(y_pred, 1e-7, 1 - 1e-7)
        p_t = y * p + (1 - y) * (1 - p)
        alpha_t = y * alpha + (1 - y) * (1 - alpha)
        return ops.mean(-alpha_t * (1 - p_t) ** gamma * ops.log(p_t), axis=-1)

    focal.__name__ = f"focal_gamma{gamma:g}"
    return focal
