"""Figures: image grids, learning curves and the evaluation figure."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from medtutor.evaluate import evaluate_classifier
from medtutor.plots import plot_evaluation, plot_history, show_images


@pytest.fixture
def report():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 120)
    p = np.clip(0.25 + 0.5 * y + rng.normal(0, 0.2, 120), 0, 1)
    return evaluate_classifier(y, p, threshold=0.5, n_boot=20)


def test_evaluation_figure_has_four_readable_panels(report):
    fig = plot_evaluation(report)
    titles = [ax.get_title() for ax in fig.axes]
    assert len(titles) == 4 and titles[0] == "ROC"
    assert "t = 0.50" in titles[2]
    cells = [int(t.get_text()) for t in fig.axes[2].texts]
    point = report.test
    assert sorted(cells) == sorted([point["tn"], point["fp"], point["fn"], point["tp"]])
    # Laid out for the book's content width: at most about 9 inches wide.
    assert fig.get_size_inches()[0] <= 9
    plt.close(fig)


def test_reliability_labels_match_the_bins(report):
    fig = plot_evaluation(report)
    labels = [int(t.get_text()) for t in fig.axes[3].texts]
    assert labels == list(report.calibration["count"])
    plt.close(fig)


def test_show_images_grid_and_history_panels():
    fig = show_images([np.zeros((4, 4))] * 5, ["a", "b", "c", "d", "e"], ncols=3)
    assert len(fig.axes) == 6 and fig.axes[4].get_title() == "e"
    plt.close(fig)
    history = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.7], "auc": [0.6, 0.8]}
    fig = plot_history(history, ("loss", "auc"), best_epoch=2)
    assert [ax.get_title() for ax in fig.axes] == ["loss", "auc"]
    assert len(fig.axes[0].lines) == 3 and len(fig.axes[1].lines) == 2
    plt.close(fig)


def test_show_images_colour_bars_and_outlines():
    fig = show_images(
        [np.zeros((8, 8)), np.ones((8, 8))],
        ["a", "b"],
        colorbar_label=["HU", None],
        outlines=[np.eye(8), None],
    )
    assert len(fig.axes) == 3  # two panels and one colour bar
    assert fig.axes[2].get_ylabel() == "HU"
    assert len(fig.axes[0].collections) >= 1 and not fig.axes[1].collections
    plt.close(fig)


def test_show_images_wraps_a_long_row_to_fit_the_book_width():
    import matplotlib.pyplot as plt

    from medtutor.plots import FIGURE_WIDTH, show_images

    images = [np.zeros((8, 8))] * 5
    fig = show_images(images, colorbar_label="HU", size=2.2)
    width, height = fig.get_size_inches()
    assert width <= FIGURE_WIDTH
    assert len([a for a in fig.axes if a.get_images()]) == 5
    rows = {round(a.get_position().y0, 2) for a in fig.axes if a.get_images()}
    assert len(rows) == 2  # three on the first row, two on the second
    plt.close(fig)
    fig = show_images(images, ncols=5, size=1.0)  # an explicit layout is kept
    assert len({round(a.get_position().y0, 2) for a in fig.axes if a.get_images()}) == 1
    plt.close(fig)
