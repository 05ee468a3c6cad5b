"""Optimizers on a two-parameter loss surface: watch SGD, momentum, Adagrad, RMSprop and
Adam move.

"""

from __future__ import annotations

import numpy as np

from medtutor.runtime.quiet import import_tensorflow

__all__ = ["ill_conditioned_loss", "optimizer_paths", "tune_learning_rates"]

#: Curvatures of the elongated bowl: steep across (a), shallow along (b).
_A, _B = 10.0, 0.5


def ill_conditioned_loss(w1, w2):
    """An elongated, rotated bowl ``L = 0.5 (a u^2 + b v^2)`` with its minimum at (1,
    1).

    ``u`` and ``v`` are the coordinates rotated by 30 degrees; the condition number
    ``a/b`` is 20, so plain gradient descent zig-zags across the valley and crawls along
    it. Works on NumPy arrays and on TensorFlow tensors.

    Notes
    -----
    Taught in: :doc:`ch2_core_concepts`.
    """
    c, s = np.cos(np.pi / 6), np.sin(np.pi / 6)
    d1, d2 = w1 - 1.0, w2 - 1.0
    u, v = c * d1 + s * d2, -s * d1 + c * d2
    return 0.5 * (_A * u * u + _B * v * v)


def optimizer_paths(
    optimizers: dict, start=(-1.5, 2.5), steps: int = 60
) -> dict[str, np.ndarray]:
    """Run each Keras optimizer on :func:`ill_conditioned_loss` and record the path.

    Parameters
    ----------
    optimizers : dict of str to keras.optimizers.Optimizer
        Fresh optimizer instances, e.g. ``{"SGD": keras.optimizers.SGD(0.05)}``.
    start : (float, float)
        Starting point.
    steps : int
        Number of updates.

    Returns
    -------
    dict of str to numpy.ndarray
        ``(steps + 1, 2)`` positions for each optimizer, starting point first.

    Notes
    -----
    Taught in: :doc:`ch2_core_concepts`.
    """
    tf = import_tensorflow()
    paths = {}
    for name, opt in optimizers.items():
        w = tf.Variable(np.array(start, np.float32))
        path = [w.numpy().copy()]
        for _ in range(steps):
            with tf.GradientTape() as tape:
                loss = ill_conditioned_loss(w[0], w[1])
            opt.apply_gradients([(tape.gradient(loss, w), w)])
            path.append(w.numpy().copy())
        paths[name] = np.array(path)
    return paths


def tune_learning_rates(
    factories: dict, learning_rates, start=(-1.5, 2.5), steps: int = 60
) -> dict[str, dict]:
    """Run each optimizer on :func:`ill_conditioned_loss` at every learning rate of one
    grid and keep the best, so that optimizers are compared each at its own best.

    A comparison at hand-picked learning rates compares the picks, not the methods:
    every optimizer gets the same grid and the same number of steps here.

    Parameters
    ----------
    factories : dict of str to callable
        ``learning_rate -> fresh Keras optimizer``, e.g.
        ``{"Adam": lambda lr: keras.optimizers.Adam(lr)}``.
    learning_rates : sequence of float
        The grid, shared by all optimizers.
    start : (float, float)
        Starting point.
    steps : int
        Number of updates per run.

    Returns
    -------
    dict of str to dict
        Per optimizer: ``losses`` (final loss at each learning rate; ``inf`` where the
        run diverged), ``learning_rate`` and ``loss`` (the best of the grid) and
        ``path`` (:func:`optimizer_paths`' path at that learning rate).

    Notes
    -----
    Taught in: :doc:`ch2_core_concepts`.
    """
    grid = [float(lr) for lr in learning_rates]
    if not grid or min(grid) <= 0:
        raise ValueError("learning_rates must be a non-empty grid of positive numbers")
    results = {}
    for name, make in factories.items():
        runs = [
            optimizer_paths({name: make(lr)}, start=start, steps=steps)[name]
            for lr in grid
        ]
        with np.errstate(over="ignore", invalid="ignore"):  # diverged runs
            finals = np.array([float(ill_conditioned_loss(*p[-1])) for p in runs])
        finals[~np.isfinite(finals)] = np.inf
        best = int(np.argmin(finals))
        results[name] = {
            "losses": finals,
            "learning_rate": grid[best],
            "loss": float(finals[best]),
            "path": runs[best],
        }
    return results
