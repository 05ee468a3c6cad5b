"""The diagrams of chapters 2 and 3 show the numbers the code computes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import Circle

from medtutor import import_tensorflow
from medtutor.teaching import (
    conv2d,
    draw_convolution,
    draw_mlp,
    draw_network,
    draw_pooling,
    draw_receptive_field,
    pool2d,
    receptive_fields,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def values(fig) -> list[float]:
    return [float(t.get_text()) for t in fig.axes[0].texts if t.get_gid() == "value"]


def test_mlp_draws_every_unit_and_every_connection():
    fig = draw_mlp((3, 5, 2))
    ax = fig.axes[0]
    assert sum(isinstance(p, Circle) for p in ax.patches) == 3 + 5 + 2
    assert len(ax.lines) == 3 * 5 + 5 * 2
    with pytest.raises(ValueError, match="layer_sizes"):
        draw_mlp((4,))


def test_convolution_prints_the_valid_convolution(rng):
    image = rng.integers(0, 4, (6, 5)).astype(float)
    kernel = rng.integers(-1, 2, (3, 3)).astype(float)
    shown = values(draw_convolution(image, kernel, at=(2, 1)))
    expected = [*image.ravel(), *kernel.ravel(), *conv2d(image, kernel).ravel()]
    np.testing.assert_allclose(shown, expected)
    with pytest.raises(ValueError, match="valid output position"):
        draw_convolution(image, kernel, at=(4, 0))


def test_pooling_prints_max_and_average(rng):
    fmap = rng.integers(0, 9, (4, 6)).astype(float)
    shown = values(draw_pooling(fmap, 2))
    expected = [
        *fmap.ravel(),
        *pool2d(fmap, 2, mode="max").ravel(),
        *pool2d(fmap, 2, mode="average").ravel(),
    ]
    np.testing.assert_allclose(shown, expected)


def test_receptive_field_span_is_the_computed_one():
    layers = [("conv1", 3, 1), ("pool1", 2, 2), ("conv2", 3, 1), ("pool2", 2, 2)]
    fig = draw_receptive_field(layers, n_input=30)
    (span,) = [p for p in fig.axes[0].patches if p.get_gid() == "receptive_field"]
    assert span.get_width() == receptive_fields(layers)[-1]["receptive_field"] == 10
    with pytest.raises(ValueError, match="n_input"):
        draw_receptive_field(layers, n_input=8)


def test_network_lists_every_layer_with_its_output_shape():
    import_tensorflow()
    from medtutor.models import article_cnn

    model = article_cnn((32, 32, 1))
    texts = draw_network(model).axes[0].texts
    names = [t.get_text() for t in texts if t.get_gid() == "layer"]
    shapes = [t.get_text() for t in texts if t.get_gid() == "shape"]
    assert names[1:] == [f"{la.name} ({type(la).__name__})" for la in model.layers]
    assert shapes[1:] == [
        " x ".join(str(d) for d in la.output.shape[1:]) for la in model.layers
    ]


@pytest.mark.parametrize("skips", [True, False])
def test_unet_diagram_shows_every_level_shape_and_the_skips(skips):
    import_tensorflow()
    from medtutor.models import unet
    from medtutor.teaching import draw_unet

    model = unet((32, 32, 1), depth=2, base_filters=4, skip_connections=skips)
    ax = draw_unet(model).axes[0]
    texts = {t.get_gid(): [] for t in ax.texts}
    for t in ax.texts:
        texts[t.get_gid()].append(t.get_text())

    def shape(name):
        return " x ".join(str(d) for d in model.get_layer(name).output.shape[1:])

    assert texts["encoder"] == [shape("enc0_relu2"), shape("enc1_relu2")]
    assert texts["decoder"] == [shape("dec0_relu2"), shape("dec1_relu2")]
    assert texts["bottom"] == ["8 x 8 x 16"]
    skip_arrows = [c for c in ax.get_children() if c.get_gid() == "skip"]
    assert len(skip_arrows) == (2 if skips else 0)


def test_subpixel_diagram_follows_depth_to_space():
    from medtutor.teaching import draw_subpixel

    ax = draw_subpixel(scale=2, size=3).axes[1]
    labelled = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}
    assert len(labelled) == 36
    # Pixel (a, b) of the output comes from channel (a % 2) * 2 + b % 2, input pixel
    # (a // 2, b // 2): the definition of depth-to-space (pixel shuffle).
    for a in range(6):
        for b in range(6):
            key = f"px{a}_{b}:{(a % 2) * 2 + b % 2}"
            assert labelled[key] == f"{a // 2},{b // 2}"
    with pytest.raises(ValueError, match="scale and size"):
        draw_subpixel(scale=5)
