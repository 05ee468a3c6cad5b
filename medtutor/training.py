"""Training with early stopping, the best checkpoint, and a quiet per-epoch log.

Taught in: *Chapter 3 — Algorithms and workflow* (training, validation and testing) and
used by the case-study chapters.
"""

from __future__ import annotations

import os
from pathlib import Path

from medtutor.runtime.quiet import import_tensorflow

__all__ = ["fit_with_early_stopping"]


def fit_with_early_stopping(
    model,
    train,
    val,
    *,
    epochs: int = 20,
    monitor: str = "val_auc",
    mode: str = "max",
    patience: int = 4,
    checkpoint: str | os.PathLike | None = None,
    log_every: int = 0,
    verbose: int = 0,
):
    """Train ``model`` until the validation metric stops improving; keep the best
    weights.

    Parameters
    ----------
    model : keras.Model
        A compiled model.
    train, val : tf.data.Dataset
        Batched training and validation data (e.g. from
        :func:`medtutor.data.make_tf_dataset`).
    epochs : int
        Upper limit on the number of epochs.
    monitor, mode : str
        Validation metric to watch and whether higher (``"max"``) or lower (``"min"``)
        is better.
    patience : int
        Epochs without improvement before stopping.
    checkpoint : path-like, optional
        Where to save the best model (a ``.keras`` file) whenever the metric improves.
    log_every : int
        Print one line every ``log_every`` epochs (0: silent).
    verbose : int
        Keras' own output: 0 (default) in notebooks, where its progress bars would fill
        the page with control characters; 1 (a progress bar per epoch) or 2 (a line per
        epoch) in a terminal, as the ``medtutor train`` command does.

    Returns
    -------
    keras.callbacks.History
        ``history.history`` holds the per-epoch metrics; ``history.best_epoch``
        (1-based) is the epoch whose weights the model ends with.

    Notes
    -----
    Taught in: *Chapter 3 — Algorithms and workflow*.
    """
    import_tensorflow()
    import keras

    callbacks = [
        keras.callbacks.EarlyStopping(
            monitor=monitor, mode=mode, patience=patience, restore_best_weights=True
        )
    ]
    if checkpoint is not None:
        Path(checkpoint).parent.mkdir(parents=True, exist_ok=True)
        callbacks.append(
            keras.callbacks.ModelCheckpoint(
                str(checkpoint), monitor=monitor, mode=mode, save_best_only=True
            )
        )
    if log_every:

        class _Log(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                if (epoch + 1) % log_every == 0:
                    shown = ", ".join(
                        f"{k} {v:.2f}"
                        for k, v in sorted((logs or {}).items())
                        if k != "learning_rate"
                    )
                    print(f"epoch {epoch + 1:3d}: {shown}")

        callbacks.append(_Log())
    # shuffle=False: a tf.data pipeline shuffles itself (Keras would warn and ignore
    # it).
    history = model.fit(
        train,
        validation_data=val,
        epochs=epochs,
        callbacks=callbacks,
        shuffle=False,
        verbose=verbose,
    )
    values = history.history[monitor]
    best = max(values) if mode == "max" else min(values)
    history.best_epoch = values.index(best) + 1
    return history
