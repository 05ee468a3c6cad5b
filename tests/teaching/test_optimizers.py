"""The optimizer playground of chapter 2."""

from __future__ import annotations

import numpy as np

from medtutor import import_tensorflow
from medtutor.teaching.optimizers import ill_conditioned_loss, optimizer_paths

import_tensorflow()
import keras


def test_the_bowl_has_its_minimum_at_one_one():
    assert ill_conditioned_loss(1.0, 1.0) == 0.0
    w1, w2 = np.meshgrid(np.linspace(-2, 3, 21), np.linspace(-2, 3, 21))
    assert (ill_conditioned_loss(w1, w2) >= 0).all()


def test_optimizer_paths_descend_and_momentum_beats_sgd():
    paths = optimizer_paths(
        {
            "sgd": keras.optimizers.SGD(0.05),
            "momentum": keras.optimizers.SGD(0.05, momentum=0.8),
        },
        steps=40,
    )
    for path in paths.values():
        assert path.shape == (41, 2)
        np.testing.assert_allclose(path[0], (-1.5, 2.5))
        assert ill_conditioned_loss(*path[-1]) < ill_conditioned_loss(*path[0])
    assert ill_conditioned_loss(*paths["momentum"][-1]) < ill_conditioned_loss(
        *paths["sgd"][-1]
    )


def test_tuning_keeps_the_best_rate_and_flags_divergence():
    from medtutor.teaching.optimizers import tune_learning_rates

    # Plain gradient descent on the bowl diverges above 2 / (steepest curvature 10).
    grid = [0.01, 0.1, 0.19, 0.25]
    out = tune_learning_rates({"SGD": keras.optimizers.SGD}, grid, steps=30)["SGD"]
    assert out["losses"].shape == (4,)
    assert out["losses"][-1] > ill_conditioned_loss(-1.5, 2.5)  # diverging
    assert out["losses"][0] > out["losses"][1]  # too small a rate crawls
    assert out["loss"] == out["losses"].min() and out["learning_rate"] in grid[1:3]
    again = optimizer_paths({"x": keras.optimizers.SGD(out["learning_rate"])}, steps=30)
    np.testing.assert_allclose(out["path"], again["x"])


def test_tuning_rejects_an_empty_or_negative_grid():
    import pytest

    from medtutor.teaching.optimizers import tune_learning_rates

    for grid in ([], [0.1, -1.0]):
        with pytest.raises(ValueError, match="learning_rates"):
            tune_learning_rates({"SGD": keras.optimizers.SGD}, grid)
