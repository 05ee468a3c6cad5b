"""medtutor.models: the builders and running a model up to a named layer."""

from __future__ import annotations

import numpy as np
import pytest

from medtutor import import_tensorflow
from medtutor.models import (
    article_cnn,
    layer_outputs,
    residual_denoiser,
    subpixel_upsampler,
    unet,
)

import_tensorflow()
import keras


def test_article_cnn_structure_and_heads():
    model = article_cnn((64, 64, 1))
    assert [layer.name for layer in model.layers][:2] == ["conv1", "pool1"]
    assert model.output_shape == (None, 1)
    assert model.count_params() == 320 + 18_496 + 14 * 14 * 64 * 128 + 128 + 129
    soft = article_cnn((64, 64, 1), head="softmax")
    assert soft.output_shape == (None, 2)
    out = soft(np.zeros((3, 64, 64, 1), "float32")).numpy()
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-6)
    five = article_cnn((64, 64, 1), second_kernel=5)
    assert five.get_layer("conv2").kernel.shape == (5, 5, 32, 64)
    with pytest.raises(ValueError, match="head"):
        article_cnn(head="two_sigmoids")
    with pytest.raises(ValueError, match="second_kernel"):
        article_cnn(second_kernel=7)


def test_article_cnn_batch_norm_keeps_the_shapes_and_drops_conv_biases():
    plain = article_cnn((32, 32, 1))
    bn = article_cnn((32, 32, 1), batch_norm=True)
    assert bn.output_shape == plain.output_shape
    assert bn.get_layer("conv1").bias is None and bn.get_layer("conv2").bias is None
    conv2 = plain.get_layer("conv2").output.shape
    assert bn.get_layer("conv2_bn").output.shape == conv2
    names = [layer.name for layer in bn.layers]
    assert names.index("conv1_bn") < names.index("conv1_relu") < names.index("pool1")
    # Conv biases (32 + 64) go, each normalisation adds 4 values per channel.
    assert bn.count_params() == plain.count_params() - 96 + 4 * 96


def test_unet_without_skip_connections():
    with_skips = unet((32, 32, 1), depth=2, base_filters=4)
    plain = unet((32, 32, 1), depth=2, base_filters=4, skip_connections=False)
    assert plain.output_shape == with_skips.output_shape
    names = {layer.name for layer in plain.layers}
    assert not {"skip0", "skip1"} & names and {"skip0", "skip1"} <= {
        layer.name for layer in with_skips.layers
    }
    # Without the concatenation, each decoder level's first convolution sees only the
    # upsampled channels: 3 * 3 * (4 * 2**level) * (4 * 2**level) fewer weights.
    missing = sum(9 * (4 * 2**level) ** 2 for level in (0, 1))
    assert with_skips.count_params() - plain.count_params() == missing


def test_image_models_shapes():
    net = unet((32, 32, 1), depth=2, base_filters=4, out_channels=2)
    assert net.output_shape == (None, 32, 32, 2)
    with pytest.raises(ValueError, match="divisible"):
        unet((30, 30, 1), depth=2)
    den = residual_denoiser((16, 16, 1), layers=3, filters=4)
    assert den.output_shape == (None, 16, 16, 1)
    sr = subpixel_upsampler((8, 8, 1), scale=2, filters=4, layers=2)
    out = sr(np.zeros((1, 8, 8, 1), "float32"))
    assert tuple(out.shape) == (1, 16, 16, 1)


def run_layer_by_layer(model, x, layer_name):
    """The reference: call a Sequential model's layers one by one, in inference mode."""
    named = None
    for layer in model.layers:
        x = layer(x, training=False)
        if layer.name == layer_name:
            named = x
    return np.asarray(named), np.asarray(x)


@pytest.mark.parametrize(
    "layer_name", ["conv1", "conv2", "dense", "tumour_probability"]
)
def test_layer_outputs_of_a_sequential_model_equal_running_its_layers(
    tiny_cnn, tiny_images, layer_name, tmp_path
):
    tf = import_tensorflow()
    # Loading builds a Sequential model more than once: the named output must still be
    # the one that feeds the final output.
    tiny_cnn.save(tmp_path / "m.keras")
    reloaded = keras.models.load_model(tmp_path / "m.keras")
    x = tf.constant(tiny_images)
    for model in (tiny_cnn, reloaded):
        with tf.GradientTape() as tape:
            named, final = layer_outputs(model, layer_name)(x, training=False)
        assert tape.gradient(final, named) is not None
        expected_named, expected_final = run_layer_by_layer(
            model, tiny_images, layer_name
        )
        np.testing.assert_array_equal(named.numpy(), expected_named)
        np.testing.assert_array_equal(final.numpy(), expected_final)


def test_layer_outputs_of_a_functional_model(rng):
    net = unet((16, 16, 1), depth=2, base_filters=4)
    x = rng.random((2, 16, 16, 1)).astype("float32")
    named, final = layer_outputs(net, "bottom_relu2")(x, training=False)
    assert tuple(named.shape) == (2, 4, 4, 16)
    np.testing.assert_array_equal(np.asarray(final), np.asarray(net(x, training=False)))
    encoder = keras.Model(net.inputs[0], net.get_layer("bottom_relu2").output)
    np.testing.assert_array_equal(np.asarray(named), np.asarray(encoder(x)))


def test_layer_outputs_errors(tiny_cnn):
    with pytest.raises(ValueError, match="no layer named 'nope'"):
        layer_outputs(tiny_cnn, "nope")
    unbuilt = keras.Sequential([keras.layers.Dense(2, name="d")])
    with pytest.raises(ValueError, match="keras.Input"):
        layer_outputs(unbuilt, "d")
