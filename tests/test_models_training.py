"""The article CNN builder, the training helper and the plotting helpers."""

from __future__ import annotations

import numpy as np
import pytest

from medtutor import import_tensorflow, seed_everything
from medtutor.data import make_liver_dataset, make_tf_dataset, match_grid, patient_split
from medtutor.models import article_cnn
from medtutor.plots import plot_history, show_images
from medtutor.training import fit_with_early_stopping

import_tensorflow()
import keras  # noqa: E402


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
    with pytest.raises(ValueError):
        article_cnn(head="two_sigmoids")
    with pytest.raises(ValueError):
        article_cnn(second_kernel=7)


def test_fit_with_early_stopping_restores_best_and_checkpoints(tmp_path, capsys):
    seed_everything(0)
    data = make_liver_dataset(n_patients=12, slices_per_patient=4, size=32, seed=0)
    data = data.with_split(patient_split(data, seed=0))
    model = article_cnn((32, 32, 1), dense_units=16)
    model.compile(
        optimizer="adam",
        loss="binary_crossentropy",
        metrics=[keras.metrics.AUC(name="auc")],
    )
    train = make_tf_dataset(data, split="train", shuffle=True)
    val = make_tf_dataset(data, split="val")
    history = fit_with_early_stopping(
        model,
        train,
        val,
        epochs=4,
        patience=1,
        checkpoint=tmp_path / "m.keras",
        log_every=1,
    )
    printed = capsys.readouterr().out
    assert "epoch   1:" in printed and "val_auc" in printed
    n = len(history.history["loss"])
    assert 1 <= n <= 4 and 1 <= history.best_epoch <= n
    assert (tmp_path / "m.keras").is_file()
    best = max(history.history["val_auc"])
    assert history.history["val_auc"][history.best_epoch - 1] == best


def test_plot_helpers_return_figures():
    import matplotlib

    matplotlib.use("Agg")
    fig = show_images(
        [np.zeros((8, 8)), np.ones((8, 8))],
        ["a", "b"],
        colorbar_label=["HU", None],
        outlines=[np.eye(8), None],
    )
    assert len(fig.axes) == 3  # two panels and one colour bar
    fig = plot_history(
        {"loss": [1.0, 0.5], "val_loss": [1.1, 0.7]}, ("loss",), best_epoch=2
    )
    assert len(fig.axes) == 1


def test_match_grid_crops_and_pads_around_the_centre():
    img = np.zeros((10, 10), "float32")
    img[4:6, 4:6] = 1
    same = match_grid(img, (1.0, 1.0), (10, 10), (1.0, 1.0))
    np.testing.assert_allclose(same, img)
    padded = match_grid(img, (1.0, 1.0), (14, 14), (1.0, 1.0), fill=-1)
    assert (
        padded.shape == (14, 14) and padded[0, 0] == -1 and padded[6:8, 6:8].min() == 1
    )
    coarse = match_grid(img, (2.0, 2.0), (10, 10), (1.0, 1.0), order=0)
    assert coarse.shape == (10, 10) and coarse.sum() == pytest.approx(16)


def test_grad_cam_maps_and_methods(tmp_path):
    from medtutor.explain import grad_cam

    seed_everything(0)
    model = article_cnn((32, 32, 1), dense_units=8)
    x = np.random.default_rng(0).random((3, 32, 32, 1)).astype("float32")
    for method in ("hirescam", "gradcam"):
        cams = grad_cam(model, x, method=method)
        assert cams.shape == (3, 32, 32) and cams.min() >= 0 and cams.max() <= 1
    model.save(tmp_path / "m.keras")
    reloaded = keras.models.load_model(
        tmp_path / "m.keras"
    )  # a reloaded Sequential must work too
    np.testing.assert_allclose(grad_cam(reloaded, x), grad_cam(model, x), atol=1e-5)
    with pytest.raises(ValueError, match="method"):
        grad_cam(model, x, method="saliency")
    with pytest.raises(ValueError):
        grad_cam(model, x, layer_name="nope")


def test_hirescam_is_exact_for_a_linear_flatten_head():
    # For score = sum(w * A) + b, HiResCAM's gradient x activation recovers each
    # location's contribution exactly (summed over channels), which is why the chapter
    # prefers it here.
    from medtutor.explain import grad_cam

    inp = keras.Input((4, 4, 1))
    feat = keras.layers.Conv2D(
        2, 1, use_bias=False, kernel_initializer="ones", name="features"
    )(inp)
    out = keras.layers.Dense(1, use_bias=False, kernel_initializer="ones")(
        keras.layers.Flatten()(feat)
    )
    model = keras.Model(inp, out)
    x = np.zeros((1, 4, 4, 1), "float32")
    x[0, 1, 2, 0] = 1.0
    cam = grad_cam(model, x, layer_name="features", method="hirescam")[0]
    assert np.unravel_index(np.argmax(cam), cam.shape) == (1, 2)
    assert cam.sum() == pytest.approx(1.0)
