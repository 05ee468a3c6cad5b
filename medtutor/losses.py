"""Keras training losses: Dice plus cross-entropy for segmentation, focal loss for
imbalance.

The same losses written out by hand in NumPy, for reading, are in
:mod:`medtutor.teaching.losses`.
"""

from __future__ import annotations

__all__ = ["batch_dice_bce_loss", "binary_focal_loss", "dice_bce_loss"]


def dice_bce_loss(y_true, y_pred, smooth: float = 1.0):
    """Keras loss for segmentation: soft Dice loss per channel (averaged) plus binary
    cross-entropy.

    Dice alone handles the imbalance between a small structure and a large background;
    cross-entropy adds smooth per-pixel gradients early in training. Works on ``(B, H,
    W, C)`` tensors inside ``model.compile(loss=dice_bce_loss)``; for another
    smoothing, compile with ``functools.partial(dice_bce_loss, smooth=...)``.

    Parameters
    ----------
    y_true : tensor
        ``(B, H, W, C)`` binary masks.
    y_pred : tensor
        ``(B, H, W, C)`` probabilities.
    smooth : float
        Added to the numerator and the denominator of each example's and channel's soft
        Dice ``(2 |A.B| + smooth) / (|A| + |B| + smooth)``. The default 1.0 keeps the
        gradient of nearly empty masks tame.

    Returns
    -------
    tensor
        ``(B,)``: ``mean over channels of (1 - Dice) + binary cross-entropy``.

    Notes
    -----
    Taught in: :doc:`ch4_2a_segmentation`.

    Its Dice part equals :func:`medtutor.teaching.dice_loss` per channel (checked in the
    tests).

    The Dice convention is the one of :func:`medtutor.metrics.dice` and
    :func:`medtutor.teaching.dice_coefficient`: a channel where both masks are
    empty has Dice 1 (also with ``smooth=0``, where the ratio would be 0/0), and with
    ``smooth=0`` on binary masks the Dice is the hard Dice of the two masks.
    """
    return _dice_plus_bce(y_true, y_pred, smooth, axes=(1, 2))


def batch_dice_bce_loss(y_true, y_pred, smooth: float = 1.0):
    """Like :func:`dice_bce_loss`, with each channel's Dice taken over the whole batch.

    A per-image Dice gives an empty prediction a perfect score on every image whose
    mask is empty. For a small structure that most slices lack (liver lesions), that
    rewards predicting nothing, and a network can stay in that trap. Summing overlaps
    and areas over all images of the batch first (nnU-Net's "batch Dice") scores the
    structure as a whole, so empty slices no longer pay for missing it elsewhere.

    Parameters
    ----------
    y_true, y_pred, smooth
        As for :func:`dice_bce_loss`.

    Returns
    -------
    tensor
        ``(B,)``: the batch's ``mean over channels of (1 - Dice)``, the same for every
        example, plus each example's binary cross-entropy.

    Notes
    -----
    Taught in: :doc:`ch4_2a_segmentation`.

    On a batch of one image it equals :func:`dice_bce_loss` (checked in the tests).
    """
    return _dice_plus_bce(y_true, y_pred, smooth, axes=(0, 1, 2))


def _dice_plus_bce(y_true, y_pred, smooth: float, axes: tuple):
    """Mean over channels of (1 - soft Dice summed over ``axes``) plus example BCE."""
    from keras import ops

    y_true = ops.cast(y_true, y_pred.dtype)
    intersection = ops.sum(y_true * y_pred, axis=axes)
    denominator = ops.sum(y_true, axis=axes) + ops.sum(y_pred, axis=axes)
    if smooth:
        dice = (2.0 * intersection + smooth) / (denominator + smooth)
    else:
        # Both masks empty would give 0/0: Dice 1 by convention. The division is made
        # safe, not only masked, so that no NaN reaches the gradient either.
        empty = ops.equal(denominator, 0.0)
        safe = ops.where(empty, ops.ones_like(denominator), denominator)
        dice = ops.where(empty, 1.0, 2.0 * intersection / safe)
    eps = 1e-7
    p = ops.clip(y_pred, eps, 1 - eps)
    bce = -ops.mean(y_true * ops.log(p) + (1 - y_true) * ops.log(1 - p), axis=(1, 2, 3))
    return ops.mean(1.0 - dice, axis=-1) + bce


def binary_focal_loss(gamma: float = 2.0, alpha: float = 0.25):
    """Focal loss for a sigmoid output (Lin et al., 2017), as a Keras loss function.

    ``FL = -alpha_t (1 - p_t)^gamma log(p_t)``, where ``p_t`` is the probability given
    to the true class and ``alpha_t = alpha`` for positives, ``1 - alpha`` for
    negatives. The factor ``(1 - p_t)^gamma`` shrinks the loss of easy, well-classified
    examples, so the many easy negatives of an imbalanced data set stop dominating
    training.

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
    Taught in: :doc:`ch5a_imbalance_metrics`.

    Equals ``keras.losses.BinaryFocalCrossentropy(apply_class_balancing=True,
    alpha=alpha, gamma=gamma)`` and a hand computation (``tests/test_losses.py``).
    """
    if gamma < 0 or not 0 < alpha < 1:
        raise ValueError(
            f"need gamma >= 0 and 0 < alpha < 1, got gamma={gamma}, alpha={alpha}"
        )

    def focal(y_true, y_pred):
        from keras import ops

        y = ops.cast(ops.reshape(y_true, ops.shape(y_pred)), y_pred.dtype)
        p = ops.clip(y_pred, 1e-7, 1 - 1e-7)
        p_t = y * p + (1 - y) * (1 - p)
        alpha_t = y * alpha + (1 - y) * (1 - alpha)
        return ops.mean(-alpha_t * (1 - p_t) ** gamma * ops.log(p_t), axis=-1)

    focal.__name__ = f"focal_gamma{gamma:g}"
    return focal
