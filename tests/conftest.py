"""Shared pytest configuration: the ``gpu`` marker skips cleanly where no GPU exists."""

from __future__ import annotations

import functools
import os

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
