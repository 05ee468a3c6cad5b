"""Deployment, feature extraction, scanner shift and clinical simulation helpers of
chapter 5."""

from __future__ import annotations

import numpy as np
import pytest

from medtutor import import_tensorflow, seed_everything
from medtutor.data import make_liver_dataset
from medtutor.data.degrade import scanner_shift
from medtutor.data.phantom.clinical import simulate_clinical
from medtutor.deploy import LiteModel, convert_to_litert
from medtutor.features import FEATURE_NAMES, cnn_embedding, handcrafted_features
from medtutor.models import article_cnn

import_tensorflow()


@pytest.fixture(scope="module")
def tiny():
    seed_everything(0)
    model = article_cnn((32, 32, 1), dense_units=16)
    x = np.random.default_rng(0).random((12, 32, 32, 1)).astype("float32")
    return model, x


def test_litert_modes_predict_like_keras(tiny):
    model, x = tiny
    expected = model.predict(x, verbose=0).ravel()
    sizes = {}
    for mode in ("float32", "dynamic_range", "int8"):
        lite = LiteModel(convert_to_litert(model, mode, representative=x))
        got = lite.predict(x).ravel()
        sizes[mode] = lite.size_bytes
        tolerance = 1e-5 if mode == "float32" else 0.05
        np.testing.assert_allclose(got, expected, atol=tolerance)
        assert lite.latency_ms(x[0], repeats=3) > 0
    assert sizes["int8"] * 3 < sizes["float32"]
    with pytest.raises(ValueError, match="representative"):
        convert_to_litert(model, "int8")
    with pytest.raises(ValueError, match="mode"):
        convert_to_litert(model, "int4")


def test_litert_uses_the_current_interpreter():
    import inspect

    import medtutor.deploy as deploy

    source = inspect.getsource(deploy)
    assert (
        "ai_edge_litert.interpreter" in source and "tf.lite.Interpreter(" not in source
    )


def test_handcrafted_features_respond_to_tumours():
    d = make_liver_dataset(
        n_patients=20, slices_per_patient=3, size=64, seed=1, cyst_probability=0
    )
    f = handcrafted_features(d.images, d.liver_masks, d.spacing)
    assert f.shape == (len(d), len(FEATURE_NAMES)) and np.isfinite(f).all()
    dark = f[:, FEATURE_NAMES.index("dark_area_mm2")]
    assert dark[d.labels == 1].mean() > dark[d.labels == 0].mean()
    liver_mean = f[:, FEATURE_NAMES.index("mean_hu")]
    assert 30 < np.median(liver_mean) < 90


def test_cnn_embedding_is_the_dense_layer(tiny):
    model, x = tiny
    emb = cnn_embedding(model, x)
    assert emb.shape == (12, 16) and (emb >= 0).all()  # ReLU outputs
    with pytest.raises(ValueError, match="no layer"):
        cnn_embedding(model, x, layer_name="nope")


def test_scanner_shift_changes_what_it_says():
    hu = np.full((2, 16, 16), 60.0, np.float32)
    out = scanner_shift(hu, offset_hu=25, gain=0.5)
    np.testing.assert_allclose(out, 0.5 * (60 - 40) + 40 + 25)
    noisy = scanner_shift(hu, noise_hu=10, seed=3)
    assert noisy.std() == pytest.approx(10, rel=0.2)


def test_simulated_clinical_variables():
    y = np.r_[np.zeros(500, bool), np.ones(500, bool)]
    c = simulate_clinical(y, seed=0)
    assert set(c) == {"age", "cirrhosis", "log_afp"} and all(
        len(v) == 1000 for v in c.values()
    )
    assert c["log_afp"][y].mean() > c["log_afp"][~y].mean() + 0.5
    assert c["cirrhosis"][y].mean() > c["cirrhosis"][~y].mean()
