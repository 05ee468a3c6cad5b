"""Hand-written NumPy layers must equal Keras (chapter 2's claims)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import correlate2d

from medtutor import import_tensorflow
from medtutor.teaching import layers as handmade

import_tensorflow()
import keras


@pytest.mark.parametrize("activation", ["linear", "relu", "sigmoid", "tanh"])
def test_dense_equals_keras(rng, activation):
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


@pytest.mark.parametrize("name", ["leaky_relu", "gelu"])
def test_other_activations_equal_keras(rng, name):
    z = rng.normal(size=50).astype("float32") * 3
    keras_fn = {
        "leaky_relu": lambda v: keras.activations.leaky_relu(v, negative_slope=0.2),
        "gelu": lambda v: keras.activations.gelu(v, approximate=True),
    }[name]
    np.testing.assert_allclose(
        handmade.ACTIVATIONS[name](z), np.asarray(keras_fn(z)), atol=1e-5
    )


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("k", [3, 4, 5])
def test_conv2d_equals_keras(rng, padding, k):
    image = rng.random((17, 13)).astype("float32")
    kernel = rng.normal(size=(k, k)).astype("float32")
    conv = keras.layers.Conv2D(1, k, padding=padding, use_bias=False)
    conv.build((None, 17, 13, 1))
    conv.set_weights([kernel[:, :, None, None]])
    expected = conv(image[None, :, :, None]).numpy()[0, :, :, 0]
    np.testing.assert_allclose(
        handmade.conv2d(image, kernel, padding=padding), expected, atol=1e-5
    )


def test_conv2d_is_cross_correlation_not_flipped_convolution(rng):
    image, kernel = rng.random((9, 9)), rng.random((3, 3))
    np.testing.assert_allclose(
        handmade.conv2d(image, kernel), correlate2d(image, kernel, mode="valid")
    )
    with pytest.raises(ValueError, match="padding"):
        handmade.conv2d(image, kernel, padding="full")


@pytest.mark.parametrize(
    "mode, layer",
    [("max", keras.layers.MaxPooling2D), ("average", keras.layers.AveragePooling2D)],
)
@pytest.mark.parametrize("size, stride", [(2, 2), (3, 1), (3, 2)])
def test_pooling_equals_keras(rng, mode, layer, size, stride):
    fmap = rng.random((10, 10)).astype("float32")
    expected = layer(size, strides=stride)(fmap[None, :, :, None]).numpy()[0, :, :, 0]
    np.testing.assert_allclose(
        handmade.pool2d(fmap, size, mode=mode, stride=stride), expected, atol=1e-6
    )
    with pytest.raises(ValueError, match="mode"):
        handmade.pool2d(fmap, 2, mode="median")


def test_receptive_fields_of_the_article_network():
    table = handmade.receptive_fields(
        [("c1", 3, 1), ("p1", 2, 2), ("c2", 3, 1), ("p2", 2, 2)]
    )
    assert [r["receptive_field"] for r in table] == [3, 4, 8, 10]
    assert [r["jump"] for r in table] == [1, 2, 2, 4]
    # The same unit centres as explain.receptive_field_grid finds for the Keras model.
    assert [r["start"] for r in table] == [1.0, 1.5, 3.5, 4.5]
    assert handmade.receptive_fields([("c", 5, 1)] * 3)[-1]["receptive_field"] == 13
