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
