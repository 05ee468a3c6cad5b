"""Deterministic seeds for Python, NumPy and Keras/TensorFlow.

Every chapter calls it first.
"""

from __future__ import annotations

import os
import random

import numpy as np

from medtutor.runtime.quiet import import_tensorflow

__all__ = ["seed_everything"]


def seed_everything(
    seed: int = 0, *, deterministic_ops: bool = True
) -> np.random.Generator:
    """Seed every random number generator a chapter uses, and return a NumPy generator.

    Parameters
    ----------
    seed : int
        A non-negative integer. The same seed gives the same data, the same initial
        weights and the same training run on the same machine.
    deterministic_ops : bool, default True
        Also ask TensorFlow for deterministic kernels
        (``tf.config.experimental.enable_op_determinism``). On a CPU this costs little.

    Returns
    -------
    numpy.random.Generator
        ``np.random.default_rng(seed)``, for code that prefers an explicit generator.

    Raises
    ------
    ValueError
        If ``seed`` is negative, not an integer, or at least 2**32.

    Notes
    -----
    Taught in: :doc:`setup`.

    With the settings of :mod:`medtutor.runtime.reproducible` (applied by
    :func:`medtutor.import_tensorflow`), results are bit-identical on every x86-64
    machine whatever its instruction set and core count; on other architectures the
    last digits may differ.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    if not 0 <= int(seed) < 2**32:
        raise ValueError(f"seed must be in [0, 2**32), got {seed}")
    seed = int(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    # Seeding NumPy's legacy global generator is the point here: code that still calls
    # np.random.rand and friends must repeat too.
    np.random.seed(seed)  # noqa: NPY002
    tf = import_tensorflow()
    import keras

    keras.utils.set_random_seed(seed)  # Python, NumPy and the TF backend together
    if deterministic_ops:
        tf.config.experimental.enable_op_determinism()
    return np.random.default_rng(seed)
