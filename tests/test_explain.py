"""medtutor.explain: Grad-CAM / HiResCAM maps and the heat inside a mask."""

from __future__ import annotations

import numpy as np
import pytest

from medtutor import import_tensorflow
from medtutor.explain import grad_cam, heat_near_mask

import_tensorflow()
import keras


def test_grad_cam_maps_and_methods(tiny_cnn, tiny_images, tmp_path):
    x = tiny_images[:3]
    for method in ("hirescam", "gradcam"):
        cams = grad_cam(tiny_cnn, x, method=method)
        assert cams.shape == (3, 32, 32) and cams.dtype == np.float32
        assert cams.min() >= 0 and cams.max() <= 1
    np.testing.assert_allclose(
        grad_cam(tiny_cnn, x, batch_size=2), grad_cam(tiny_cnn, x), atol=1e-6
    )
    # A Sequential model reloaded from disk must work too.
    tiny_cnn.save(tmp_path / "m.keras")
    reloaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(grad_cam(reloaded, x), grad_cam(tiny_cnn, x), atol=1e-5)
    with pytest.raises(ValueError, match="method"):
        grad_cam(tiny_cnn, x, method="saliency")
    with pytest.raises(ValueError, match="nope"):
        grad_cam(tiny_cnn, x, layer_name="nope")


def linear_head_model():
    """``score = sum(A)`` over a 1x1 convolution with unit weights: each location's
    contribution to the score is its activation."""
    inp = keras.Input((4, 4, 1))
    feat = keras.layers.Conv2D(
        2, 1, use_bias=False, kernel_initializer="ones", name="features"
    )(inp)
    out = keras.layers.Dense(1, use_bias=False, kernel_initializer="ones")(
        keras.layers.Flatten()(feat)
    )
    return keras.Model(inp, out)


def test_hirescam_is_exact_for_a_linear_flatten_head():
    # For score = sum(w * A) + b, HiResCAM's gradient x activation recovers each
    # location's contribution exactly (summed over channels), which is why the chapter
    # prefers it here.
    model = linear_head_model()
    x = np.zeros((1, 4, 4, 1), "float32")
    x[0, 1, 2, 0] = 1.0
    cam = grad_cam(model, x, layer_name="features", method="hirescam")[0]
    assert np.unravel_index(np.argmax(cam), cam.shape) == (1, 2)
    assert cam.sum() == pytest.approx(1.0)


def test_gradcam_weights_channels_by_their_mean_gradient():
    # With unit weights every gradient is 1, so Grad-CAM's channel weights are 1 and
    # its map is the activation summed over channels, like HiResCAM's here.
    model = linear_head_model()
    x = np.zeros((1, 4, 4, 1), "float32")
    x[0, 3, 0, 0] = 2.0
    x[0, 0, 3, 0] = 1.0
    cam = grad_cam(model, x, layer_name="features", method="gradcam")[0]
    np.testing.assert_allclose(cam, x[0, ..., 0] / 2.0, atol=1e-6)


def test_heat_near_mask():
    cam = np.zeros((10, 10))
    cam[2, 2] = 1.0
    mask = np.zeros((10, 10), bool)
    mask[2, 3] = True
    assert heat_near_mask(cam, mask, margin_px=0) == 0.0
    assert heat_near_mask(cam, mask, margin_px=1) == 1.0
    assert np.isnan(heat_near_mask(np.zeros((10, 10)), mask))
    with pytest.raises(ValueError, match="shape"):
        heat_near_mask(cam, mask[:5])


def measured_centre(model, layer_name, unit, shape):
    """Centre of the input pixels that can change one unit of ``layer_name``: the
    box of non-zero gradient, measured through a linear copy of the network."""
    tf = import_tensorflow()
    from medtutor.models import layer_outputs

    forward = layer_outputs(model, layer_name)
    x = tf.Variable(np.ones((1, *shape, 1), "float32"))
    with tf.GradientTape() as tape:
        features, _ = forward(x, training=False)
        value = tf.reduce_sum(features[0, unit, unit, :])
    grad = np.abs(tape.gradient(value, x).numpy()[0, ..., 0]) > 0
    rows = np.flatnonzero(grad.any(axis=1))
    return (rows.min() + rows.max()) / 2


@pytest.mark.parametrize(
    "stack",
    [
        # the article's network's grid: valid convolutions and 2x2 pooling (average
        # pooling, so that every pixel of a window passes gradient; max pooling has the
        # same grid)
        [("conv", 3, 1, "valid"), ("avg", 2, 2, "valid"), ("conv", 3, 1, "valid")],
        # same padding, a strided convolution, a dilated one and overlapping pooling
        [
            ("conv", 5, 2, "same"),
            ("avg", 3, 1, "valid"),
            ("dil", 3, 1, "valid"),
            ("conv", 3, 1, "same"),
        ],
    ],
)
def test_receptive_field_grid_matches_the_gradient(stack):
    from medtutor.explain import receptive_field_grid

    layers = [keras.Input((40, 40, 1))]
    for i, (kind, k, s, pad) in enumerate(stack):
        name = f"l{i}"
        if kind == "conv":
            layers.append(keras.layers.Conv2D(2, k, strides=s, padding=pad, name=name))
        elif kind == "dil":
            layers.append(keras.layers.Conv2D(2, k, dilation_rate=2, name=name))
        elif kind == "max":
            layers.append(keras.layers.MaxPooling2D(k, strides=s, name=name))
        else:
            layers.append(keras.layers.AveragePooling2D(k, strides=s, name=name))
    layers += [keras.layers.Flatten(), keras.layers.Dense(1, activation="sigmoid")]
    model = keras.Sequential(layers)
    # Positive weights: every pixel in a unit's window passes gradient.
    model.set_weights([np.abs(w) + 0.1 for w in model.get_weights()])
    last = f"l{len(stack) - 1}"
    start, jump = receptive_field_grid(model, last)
    n = model.get_layer(last).output.shape[1]
    for unit in (2, n // 2):
        if stack[0][3] == "same" and unit == 2:
            continue  # a border unit of a same-padded layer sees padding
        assert start + unit * jump == pytest.approx(
            measured_centre(model, last, unit, (40, 40))
        )


def test_heat_map_lands_on_the_receptive_field_centre():
    from medtutor.explain import receptive_field_grid
    from medtutor.models import article_cnn

    model = article_cnn((64, 64, 1))
    start, jump = receptive_field_grid(model, "conv2")
    # conv1 (3x3 valid): unit u centred at u + 1; pool1 (2x2): unit v at 2v + 1.5;
    # conv2 (3x3 valid): unit w at 2(w + 1) + 1.5 = 3.5 + 2w.
    assert (start, jump) == (3.5, 2.0)
    # One unit hot at the border of the 29x29 map: aligned, the heat peaks where the
    # unit's receptive field is centred; stretched corner to corner it lands further
    # out.
    from medtutor.explain import _onto_pixels

    cam = np.zeros((29, 29), "float32")
    cam[2, 2] = 1.0
    aligned = _onto_pixels(cam, (64, 64), (start, jump))
    peak = np.argwhere(aligned == aligned.max()).mean(axis=0)
    centre = start + 2 * jump
    np.testing.assert_allclose(peak, [centre, centre], atol=0.5)
    from scipy import ndimage

    stretched = ndimage.zoom(cam, 64 / 29, order=1)
    off = np.argwhere(stretched == stretched.max()).mean(axis=0)
    assert abs(off[0] - centre) > 2


def test_grad_cam_align_option(tiny_cnn, tiny_images):
    x = tiny_images[:2]
    aligned = grad_cam(tiny_cnn, x)
    stretched = grad_cam(tiny_cnn, x, align="stretch")
    assert aligned.shape == stretched.shape
    assert not np.allclose(aligned, stretched)
    with pytest.raises(ValueError, match="align"):
        grad_cam(tiny_cnn, x, align="corner")
