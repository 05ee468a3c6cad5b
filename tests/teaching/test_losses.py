"""Hand-written NumPy losses must equal Keras (chapter 2's claims)."""

from __future__ import annotations

import numpy as np
import pytest

from medtutor import import_tensorflow
from medtutor.teaching import losses

import_tensorflow()
import keras


def test_cross_entropies_equal_keras(rng):
    y = rng.integers(0, 2, 64).astype("float32")
    p = rng.uniform(0.001, 0.999, 64).astype("float32")
    assert losses.binary_cross_entropy(y, p) == pytest.approx(
        float(keras.losses.BinaryCrossentropy()(y, p)), abs=1e-5
    )
    yc = keras.utils.to_categorical(rng.integers(0, 4, 32), 4)
    pc = keras.activations.softmax(rng.normal(size=(32, 4)).astype("float32")).numpy()
    assert losses.categorical_cross_entropy(yc, pc) == pytest.approx(
        float(keras.losses.CategoricalCrossentropy()(yc, pc)), abs=1e-5
    )


def test_regression_losses_equal_keras(rng):
    a = rng.normal(size=40).astype("float32")
    b = rng.normal(size=40).astype("float32") * 3
    assert losses.mean_squared_error(a, b) == pytest.approx(
        float(keras.losses.MeanSquaredError()(a, b)), rel=1e-5
    )
    for delta in (0.5, 1.0, 2.0):
        assert losses.smooth_l1(a, b, delta) == pytest.approx(
            float(keras.losses.Huber(delta)(a, b)), rel=1e-5
        )


def test_dice_loss_equals_keras(rng):
    mask = (rng.random((8, 8)) > 0.5).astype("float32")
    soft = rng.random((8, 8)).astype("float32")
    assert losses.dice_loss(mask, soft, smooth=0) == pytest.approx(
        float(keras.losses.Dice()(mask[None], soft[None])), abs=1e-5
    )


def test_dice_edge_cases():
    empty, full = np.zeros((4, 4)), np.ones((4, 4))
    assert losses.dice_coefficient(empty, empty) == 1.0
    assert losses.dice_coefficient(empty, empty, smooth=0) == 1.0
    assert losses.dice_coefficient(full, full, smooth=0) == 1.0
    assert losses.dice_coefficient(full, empty, smooth=0) == 0.0
    assert losses.dice_loss(empty, empty, smooth=0) == 0.0
