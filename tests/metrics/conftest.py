"""Fixtures of the metric tests."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture
def make_case():
    """Factory of binary problems: ``make_case(seed, n)`` gives labels with both
    classes and scores in [0, 1] that lean towards the label."""

    def make(seed: int, n: int = 200) -> tuple[np.ndarray, np.ndarray]:
        rng = np.random.default_rng(seed)
        y = rng.integers(0, 2, n)
        y[:2] = [0, 1]
        s = np.clip(y * 0.3 + rng.random(n) * 0.7, 0, 1)
        return y, s

    return make


def disk_mask(shape, centre, radius) -> np.ndarray:
    yy, xx = np.indices(shape)
    return (yy - centre[0]) ** 2 + (xx - centre[1]) ** 2 <= radius**2


@pytest.fixture
def disk():
    """``disk(shape, centre, radius)``: a boolean disk mask."""
    return disk_mask
