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
