"""medtutor.runtime.seeding: one call makes Python, NumPy and Keras repeatable."""

from __future__ import annotations

import random

import numpy as np
import pytest

from medtutor import import_tensorflow, seed_everything

import_tensorflow()
import keras


def draw(seed: int):
    rng = seed_everything(seed)
    layer = keras.layers.Dense(4)
    layer.build((None, 3))
    return (
        rng.normal(size=3),
        # seed_everything seeds NumPy's legacy global generator on purpose: check it.
        np.random.rand(2),  # noqa: NPY002
        np.array([random.random()]),
        layer.get_weights()[0],
    )


def test_seed_everything_makes_python_numpy_and_keras_repeatable():
    first, again = draw(123), draw(123)
    for x, y in zip(first, again, strict=True):
        np.testing.assert_array_equal(x, y)
    other = draw(124)
    for x, y in zip(first, other, strict=True):
        assert not np.array_equal(x, y)


@pytest.mark.parametrize("bad", [-1, 2**32, 1.5, "0", True, None])
def test_seed_everything_rejects_bad_seeds(bad):
    with pytest.raises(ValueError, match="seed"):
        seed_everything(bad)
