"""Fixtures of the tests of :mod:`medtutor.data`: seeded random inputs, made afresh for
each test so that no test depends on what another one drew."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture()
def rng() -> np.random.Generator:
    """A generator seeded with 0, new for every test."""
    return np.random.default_rng(0)
