"""Hand-written NumPy building blocks and losses must equal Keras (chapter 2's
claims)."""

from __future__ import annotations

import numpy as np
import pytest

from medtutor import import_tensorflow
from medtutor import losses as keras_losses
from medtutor.teaching import layers as handmade
from medtutor.teaching import losses
from medtutor.teaching.optimizers import ill_conditioned_loss, optimizer_paths

import_tensorflow()
import keras  # noqa: E402

rng = np.random.default_rng(0)


@pytest.mark.parametrize("activation", ["linear", "relu", "sigmoid", "tanh"])
def test_dense_equals_keras(activation):
    x = rng.normal(size=(7, 5)).astype("float32")
    layer = keras.layers.Dense(
        4, activation=activation, bias_initializer="random_normal"
    )
    expected = layer(x).numpy()
    np.testing.assert_allclose(
        handmade.dense(x, *layer.get_weights(), activation=activation),
        expected,
        atol=1e-6,
    )


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("k", [3, 4, 5])
def test_conv2d_equals_keras(padding, k):
    image = rng.random((17, 13)).astype("float32")
    kernel = rng.normal(size=(k, k)).astype("float32")
    conv = keras.layers.Conv2D(1, k, padding=padding, use_bias=False)
    conv.build((None, 17, 13, 1))
    conv.set_weights([kernel[:, :, None, None]])
    expected = conv(image[None, :, :, None]).numpy()[0, :, :, 0]
    np.testing.assert_allclose(
        handmade.conv2d(image, kernel, padding=padding), expected, atol=1e-5
    )


def test_conv2d_is_cross_correlation_not_flipped_convolution():
    from scipy.signal import correlate2d

    image, kernel = rng.random((9, 9)), rng.random((3, 3))
    np.testing.assert_allclose(
        handmade.conv2d(image, kernel), correlate2d(image, kernel, mode="valid")
    )
    with pytest.raises(ValueError):
        handmade.conv2d(image, kernel, padding="full")


@pytest.mark.parametrize(
    "mode, layer",
    [("max", keras.layers.MaxPooling2D), ("average", keras.layers.AveragePooling2D)],
)
@pytest.mark.parametrize("size, stride", [(2, 2), (3, 1), (3, 2)])
def test_pooling_equals_keras(mode, layer, size, stride):
    fmap = rng.random((10, 10)).astype("float32")
    expected = layer(size, strides=stride)(fmap[None, :, :, None]).numpy()[0, :, :, 0]
    np.testing.assert_allclose(
        handmade.pool2d(fmap, size, mode=mode, stride=stride), expected, atol=1e-6
    )
    with pytest.raises(ValueError):
        handmade.pool2d(fmap, 2, mode="median")


def test_receptive_fields_of_the_article_network():
    table = handmade.receptive_fields(
        [("c1", 3, 1), ("p1", 2, 2), ("c2", 3, 1), ("p2", 2, 2)]
    )
    assert [r["receptive_field"] for r in table] == [3, 4, 8, 10]
    assert [r["jump"] for r in table] == [1, 2, 2, 4]
    assert handmade.receptive_fields([("c", 5, 1)] * 3)[-1]["receptive_field"] == 13


def test_losses_equal_keras():
    y = rng.integers(0, 2, 64).astype("float32")
    p = rng.uniform(0.001, 0.999, 64).astype("float32")
    assert losses.binary_cross_entropy(y, p) == pytest.approx(
        float(keras.losses.BinaryCrossentropy()(y, p)), abs=1e-5
    )
    yc = keras.utils.to_categorical(rng.integers(0, 4, 32), 4)
    pc = keras.activations.softmax(rng.normal(size=(32, 4)).astype("float32")).numpy()
    assert losses.categorical_cross_entropy(yc, pc) == pytest.approx(
        float(keras.losses.CategoricalCrossentropy()(yc, pc)), abs=1e-5
    )
    a, b = (
        rng.normal(size=40).astype("float32"),
        rng.normal(size=40).astype("float32") * 3,
    )
    assert losses.mean_squared_error(a, b) == pytest.approx(
        float(keras.losses.MeanSquaredError()(a, b)), rel=1e-5
    )
    for delta in (0.5, 1.0, 2.0):
        assert losses.smooth_l1(a, b, delta) == pytest.approx(
            float(keras.losses.Huber(delta)(a, b)), rel=1e-5
        )
    m, s = (
        (rng.random((8, 8)) > 0.5).astype("float32"),
        rng.random((8, 8)).astype("float32"),
    )
    assert losses.dice_loss(m, s, smooth=0) == pytest.approx(
        float(keras.losses.Dice()(m[None], s[None])), abs=1e-5
    )


def test_dice_edge_cases():
    empty = np.zeros((4, 4))
    assert losses.dice_coefficient(empty, empty) == 1.0
    assert losses.dice_coefficient(empty, empty, smooth=0) == 1.0
    full = np.ones((4, 4))
    assert losses.dice_coefficient(full, full, smooth=0) == 1.0
    assert losses.dice_coefficient(full, empty, smooth=0) == 0.0


def test_optimizer_paths_descend_and_momentum_beats_sgd():
    assert ill_conditioned_loss(1.0, 1.0) == 0.0
    paths = optimizer_paths(
        {
            "sgd": keras.optimizers.SGD(0.05),
            "momentum": keras.optimizers.SGD(0.05, momentum=0.8),
        },
        steps=40,
    )
    for path in paths.values():
        assert path.shape == (41, 2)
        assert ill_conditioned_loss(*path[-1]) < ill_conditioned_loss(*path[0])
    assert ill_conditioned_loss(*paths["momentum"][-1]) < ill_conditioned_loss(
        *paths["sgd"][-1]
    )


def test_focal_loss_by_hand_and_against_keras():
    y = np.array([[1.0], [0.0], [1.0], [0.0]], "float32")
    p = np.array([[0.9], [0.2], [0.3], [0.7]], "float32")
    gamma, alpha = 2.0, 0.25
    p_t = np.where(y == 1, p, 1 - p)
    a_t = np.where(y == 1, alpha, 1 - alpha)
    by_hand = (-a_t * (1 - p_t) ** gamma * np.log(p_t)).ravel()
    ours = np.asarray(keras_losses.binary_focal_loss(gamma, alpha)(y, p))
    np.testing.assert_allclose(ours, by_hand, rtol=1e-5)
    keras_loss = keras.losses.BinaryFocalCrossentropy(
        apply_class_balancing=True, alpha=alpha, gamma=gamma, reduction=None
    )
    np.testing.assert_allclose(ours, np.asarray(keras_loss(y, p)), rtol=1e-4)
    ce = np.asarray(keras_losses.binary_focal_loss(0.0, 0.5)(y, p))
    np.testing.assert_allclose(
        ce, 0.5 * -np.log(p_t).ravel(), rtol=1e-5
    )  # gamma 0: half cross-entropy
    assert ours[0] < ce[0] / 10  # the easy positive (p = 0.9) is strongly down-weighted
    with pytest.raises(ValueError):
        keras_losses.binary_focal_loss(-1.0)
