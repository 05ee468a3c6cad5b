"""medtutor.features: hand-crafted radiomics-style features and CNN embeddings."""

from __future__ import annotations

import numpy as np
import pytest

from medtutor import import_tensorflow
from medtutor.data import make_liver_dataset
from medtutor.features import FEATURE_NAMES, cnn_embedding, handcrafted_features
from medtutor.models import unet

import_tensorflow()
import keras


def test_handcrafted_features_respond_to_tumours():
    d = make_liver_dataset(
        n_patients=20, slices_per_patient=3, size=64, seed=1, cyst_probability=0
    )
    f = handcrafted_features(d.images, d.liver_masks, d.spacing)
    assert f.shape == (len(d), len(FEATURE_NAMES)) and np.isfinite(f).all()
    dark = f[:, FEATURE_NAMES.index("dark_area_mm2")]
    assert dark[d.labels == 1].mean() > dark[d.labels == 0].mean()
    liver_mean = f[:, FEATURE_NAMES.index("mean_hu")]
    assert 90 < np.median(liver_mean) < 130  # enhanced liver (portal-venous)


def test_handcrafted_features_of_empty_masks_and_mismatched_inputs():
    images = np.full((2, 16, 16), 50.0)
    masks = np.zeros((2, 16, 16), bool)
    np.testing.assert_array_equal(handcrafted_features(images, masks, (1.0, 1.0)), 0.0)
    with pytest.raises(ValueError, match="2 images but 1 masks"):
        handcrafted_features(images, masks[:1], (1.0, 1.0))


def test_cnn_embedding_is_the_dense_layer(tiny_cnn, tiny_images):
    emb = cnn_embedding(tiny_cnn, tiny_images)
    assert emb.shape == (12, 16) and (emb >= 0).all()  # ReLU outputs
    h = tiny_images
    for layer in tiny_cnn.layers:
        h = layer(h, training=False)
        if layer.name == "dense":
            break
    np.testing.assert_array_equal(emb, h.numpy())
    with pytest.raises(ValueError, match="no layer"):
        cnn_embedding(tiny_cnn, tiny_images, layer_name="nope")


def test_cnn_embedding_of_a_functional_model(rng):
    net = unet((16, 16, 1), depth=1, base_filters=2)
    x = rng.random((300, 16, 16, 1)).astype("float32")  # more than one batch of 256
    emb = cnn_embedding(net, x, layer_name="bottom_relu2")
    assert emb.shape == (300, 8, 8, 4) and emb.dtype == np.float32
    bottom = keras.Model(net.inputs[0], net.get_layer("bottom_relu2").output)
    np.testing.assert_array_equal(emb[:256], bottom(x[:256], training=False).numpy())
