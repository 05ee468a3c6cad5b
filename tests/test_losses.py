"""medtutor.losses, the Keras training losses: by hand, against Keras, and the Dice
convention they share with medtutor.metrics.image and medtutor.teaching.losses."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from medtutor import import_tensorflow
from medtutor.losses import binary_focal_loss, dice_bce_loss
from medtutor.metrics.image import dice
from medtutor.teaching.losses import dice_coefficient, dice_loss

import_tensorflow()
import keras


def numpy_bce(y, p):
    """Binary cross-entropy per example of ``(B, H, W, C)`` arrays, computed in float32
    as the loss does (``1 - 1e-7`` rounds to ``1 - 1.19e-7`` there, which matters for
    predictions of exactly 0 or 1)."""
    eps = np.float32(1e-7)
    y = np.asarray(y, np.float32)
    p = np.clip(np.asarray(p, np.float32), eps, np.float32(1) - eps)
    terms = y * np.log(p) + (1 - y) * np.log(1 - p)
    return -terms.astype(np.float64).mean(axis=(1, 2, 3))


def dice_term(y, p, **kwargs):
    """The Dice part of :func:`dice_bce_loss`: its value minus the cross-entropy."""
    return np.asarray(dice_bce_loss(y, p, **kwargs), np.float64) - numpy_bce(y, p)


def test_dice_bce_loss_is_the_numpy_dice_loss_per_channel_plus_bce(rng):
    y = (rng.random((2, 8, 8, 2)) > 0.7).astype("float32")
    p = rng.random((2, 8, 8, 2)).astype("float32")
    expected = [
        np.mean([dice_loss(y[i, ..., c], p[i, ..., c], smooth=1.0) for c in range(2)])
        for i in range(2)
    ]
    np.testing.assert_allclose(dice_term(y, p), expected, rtol=1e-5, atol=1e-6)


def test_dice_bce_loss_default_smoothing_is_one(rng):
    y = (rng.random((3, 8, 8, 1)) > 0.8).astype("float32")
    p = rng.random((3, 8, 8, 1)).astype("float32")
    np.testing.assert_array_equal(
        np.asarray(dice_bce_loss(y, p)), np.asarray(dice_bce_loss(y, p, smooth=1.0))
    )


@pytest.fixture
def binary_mask_pairs(rng):
    """``(truth, prediction)`` batches ``(12, 8, 8, 1)`` of binary masks, the first
    four pairs with empty masks: empty-empty, empty-full, full-empty, empty-sparse."""
    truth = (rng.random((12, 8, 8, 1)) > rng.uniform(0.3, 0.95, (12, 1, 1, 1))).astype(
        "float32"
    )
    prediction = (
        rng.random((12, 8, 8, 1)) > rng.uniform(0.3, 0.95, (12, 1, 1, 1))
    ).astype("float32")
    truth[[0, 1, 3]] = 0
    prediction[[0, 2]] = 0
    truth[2] = 1
    prediction[1] = 1
    prediction[3, 0, 0] = 1
    return truth, prediction


def test_the_three_dice_agree_on_binary_masks(binary_mask_pairs):
    truth, prediction = binary_mask_pairs
    hard = np.array([dice(t, p) for t, p in zip(truth, prediction, strict=True)])
    soft = np.array(
        [
            dice_coefficient(t, p, smooth=0)
            for t, p in zip(truth, prediction, strict=True)
        ]
    )
    assert hard[0] == 1.0 and (hard[1:4] == 0.0).all()
    np.testing.assert_allclose(soft, hard, rtol=1e-12)
    keras_dice = 1.0 - dice_term(truth, prediction, smooth=0.0)
    np.testing.assert_allclose(keras_dice, hard, atol=1e-5)


def test_the_soft_dice_agree_with_smoothing(binary_mask_pairs, rng):
    truth, _ = binary_mask_pairs
    prediction = rng.random(truth.shape).astype("float32")
    for smooth in (0.5, 1.0):
        soft = [
            dice_coefficient(t, p, smooth=smooth)
            for t, p in zip(truth, prediction, strict=True)
        ]
        keras_dice = 1.0 - dice_term(truth, prediction, smooth=smooth)
        np.testing.assert_allclose(keras_dice, soft, rtol=1e-5, atol=1e-6)


def test_dice_bce_loss_without_smoothing_trains_on_empty_masks():
    # Both masks empty: Dice 1 by convention, so the loss is the cross-entropy alone,
    # and the gradient is finite (no 0/0 anywhere).
    tf = import_tensorflow()
    y = np.zeros((1, 4, 4, 1), "float32")
    p = tf.Variable(np.zeros((1, 4, 4, 1), "float32"))
    loss_fn = functools.partial(dice_bce_loss, smooth=0.0)
    with tf.GradientTape() as tape:
        loss = loss_fn(y, p)
    grad = tape.gradient(loss, p).numpy()
    np.testing.assert_allclose(np.asarray(loss), numpy_bce(y, p.numpy()), atol=1e-6)
    assert np.isfinite(grad).all()


def test_focal_loss_by_hand_and_against_keras():
    y = np.array([[1.0], [0.0], [1.0], [0.0]], "float32")
    p = np.array([[0.9], [0.2], [0.3], [0.7]], "float32")
    gamma, alpha = 2.0, 0.25
    p_t = np.where(y == 1, p, 1 - p)
    a_t = np.where(y == 1, alpha, 1 - alpha)
    by_hand = (-a_t * (1 - p_t) ** gamma * np.log(p_t)).ravel()
    ours = np.asarray(binary_focal_loss(gamma, alpha)(y, p))
    np.testing.assert_allclose(ours, by_hand, rtol=1e-5)
    keras_loss = keras.losses.BinaryFocalCrossentropy(
        apply_class_balancing=True, alpha=alpha, gamma=gamma, reduction=None
    )
    np.testing.assert_allclose(ours, np.asarray(keras_loss(y, p)), rtol=1e-4)
    # gamma 0 and alpha 0.5: half the cross-entropy.
    ce = np.asarray(binary_focal_loss(0.0, 0.5)(y, p))
    np.testing.assert_allclose(ce, 0.5 * -np.log(p_t).ravel(), rtol=1e-5)
    assert ours[0] < ce[0] / 10  # the easy positive (p = 0.9) is strongly down-weighted


@pytest.mark.parametrize("gamma, alpha", [(-1.0, 0.25), (2.0, 0.0), (2.0, 1.0)])
def test_focal_loss_rejects_bad_parameters(gamma, alpha):
    with pytest.raises(ValueError, match="gamma"):
        binary_focal_loss(gamma, alpha)


def test_batch_dice_pools_the_batch_and_equals_per_image_on_one_image(rng):
    from medtutor.losses import batch_dice_bce_loss

    y = (rng.random((3, 8, 8, 2)) > 0.7).astype("float32")
    p = rng.random((3, 8, 8, 2)).astype("float32")
    pooled = np.mean(
        [dice_loss(y[..., c].ravel(), p[..., c].ravel(), smooth=1.0) for c in range(2)]
    )
    got = np.asarray(batch_dice_bce_loss(y, p), np.float64) - numpy_bce(y, p)
    np.testing.assert_allclose(got, pooled, rtol=1e-5, atol=1e-6)
    one = np.asarray(batch_dice_bce_loss(y[:1], p[:1]))
    np.testing.assert_allclose(one, np.asarray(dice_bce_loss(y[:1], p[:1])), rtol=1e-6)


def test_batch_dice_does_not_reward_an_empty_prediction_on_empty_slices():
    """Two slices, one with a lesion: predicting nothing scores Dice 1 on the empty
    slice per image (halving the loss) but earns nothing over the batch."""
    from medtutor.losses import batch_dice_bce_loss

    y = np.zeros((2, 8, 8, 1), "float32")
    y[0, 2:6, 2:6, 0] = 1
    nothing = np.full_like(y, 1e-7)
    per_image = np.asarray(dice_bce_loss(y, nothing)) - numpy_bce(y, nothing)
    pooled = np.asarray(batch_dice_bce_loss(y, nothing)) - numpy_bce(y, nothing)
    assert per_image.mean() < 0.55  # the empty slice scores a perfect Dice
    assert pooled.mean() > 0.9  # over the batch, the missed lesion is all that counts
