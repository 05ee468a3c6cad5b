"""Shared pytest configuration: the ``gpu`` marker skips cleanly where no GPU exists,
and fixtures for the tests at the top level of ``tests/``."""

from __future__ import annotations

import functools
import os

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@functools.cache
def gpu_count() -> int:
    from medtutor import import_tensorflow

    return len(import_tensorflow().config.list_physical_devices("GPU"))


def pytest_collection_modifyitems(config, items):
    gpu_items = [item for item in items if "gpu" in item.keywords]
    if gpu_items and gpu_count() == 0:
        skip = pytest.mark.skip(reason="needs a GPU; none on this machine")
        for item in gpu_items:
            item.add_marker(skip)


@pytest.fixture
def rng() -> np.random.Generator:
    """A generator seeded afresh for every test, so that no two tests share a stream."""
    return np.random.default_rng(0)


@pytest.fixture
def tiny_cnn():
    """The article's network on 32 x 32 inputs with 16 dense units, seeded weights."""
    from medtutor import seed_everything
    from medtutor.models import article_cnn

    seed_everything(0)
    return article_cnn((32, 32, 1), dense_units=16)


@pytest.fixture
def tiny_images(rng) -> np.ndarray:
    """Twelve random ``(32, 32, 1)`` float32 inputs for :func:`tiny_cnn`."""
    return rng.random((12, 32, 32, 1)).astype("float32")
