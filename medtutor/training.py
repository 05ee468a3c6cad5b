"""Training: early stopping with the best weights kept, and the case study's recipe.

:func:`fit_with_early_stopping` is the training loop chapter 3 writes out step by step;
:class:`CaseStudyTrainer` saves the whole case-study recipe once for chapter 4.1,
chapter 5 and the command line.
"""

from __future__ import annotations

import os
from pathlib import Path

from medtutor.runtime.quiet import import_tensorflow

__all__ = ["CaseStudyTrainer", "fit_with_early_stopping"]


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
    Taught in: :doc:`ch3_workflow`.
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


class CaseStudyTrainer:
    """The case study's training recipe, written once: build, compile, fit, predict.

    Chapter 3 writes these steps out one by one because it teaches them; chapter 4.1,
    chapter 5 and the ``medtutor train`` command call this class instead, so the three
    train the same network in the same way. The recipe: the source article's network
    (:func:`medtutor.models.article_cnn`, one sigmoid unit) built inside the
    distribution strategy, Adam with binary cross-entropy, ROC-AUC as the validation
    metric; training slices shuffled and augmented by ``tf.data``; early stopping on the
    validation AUC with the best weights kept.

    Parameters
    ----------
    input_shape : tuple of int
        ``(H, W, 1)``, e.g. ``(*data.image_shape, 1)``.
    window : str or (float, float)
        CT window applied to data in HU (ignored for 8-bit data); see
        :func:`medtutor.data.model_inputs`.
    learning_rate : float
        Adam's step size.
    batch_size : int
        Slices per batch.
    epochs : int
        Upper limit on the number of epochs.
    patience : int
        Epochs without a better validation AUC before training stops.
    seed : int
        Seed of the shuffling and augmentation (seed the weights with
        :func:`medtutor.seed_everything` before creating the trainer).
    strategy : tf.distribute.Strategy, optional
        Where to build the model; by default :func:`medtutor.select_strategy`.
    **model_options
        Passed to :func:`medtutor.models.article_cnn` (e.g. ``second_kernel=5``).

    Attributes
    ----------
    model : keras.Model
        The compiled network; after :meth:`fit`, with the best weights.
    history : keras.callbacks.History or None
        Set by :meth:`fit`; ``history.best_epoch`` is the epoch whose weights were kept.

    Notes
    -----
    Taught in: :doc:`ch4_1_liver_case_study`, :doc:`ch5b_deployment_features`.
    """

    def __init__(
        self,
        input_shape,
        *,
        window="liver",
        learning_rate: float = 1e-3,
        batch_size: int = 32,
        epochs: int = 12,
        patience: int = 4,
        seed: int = 0,
        strategy=None,
        **model_options,
    ):
        import_tensorflow()
        import keras

        from medtutor.models import article_cnn
        from medtutor.runtime.devices import select_strategy

        if epochs < 1 or patience < 1 or batch_size < 1:
            raise ValueError(
                f"epochs, patience and batch_size must be positive, got {epochs}, "
                f"{patience} and {batch_size}"
            )
        self.window, self.batch_size, self.seed = window, batch_size, seed
        self.epochs, self.patience = epochs, patience
        self.strategy = strategy or select_strategy()
        with self.strategy.scope():
            self.model = article_cnn(tuple(input_shape), **model_options)
            self.model.compile(
                optimizer=keras.optimizers.Adam(learning_rate),
                loss="binary_crossentropy",
                metrics=[keras.metrics.AUC(name="auc")],
            )
        self.history = None

    def dataset(self, data, split: str, *, training: bool = False):
        """Batches of one split, shuffled and augmented when ``training``.

        Parameters
        ----------
        data : SliceSet or path-like
            Anything :func:`medtutor.data.make_tf_dataset` accepts.
        split : {"train", "val", "test"}
        training : bool
            Shuffle and augment (for the training split).

        Returns
        -------
        tf.data.Dataset
        """
        from medtutor.data.pipeline import make_tf_dataset

        return make_tf_dataset(
            data,
            split=split,
            batch_size=self.batch_size,
            shuffle=training,
            augment=training,
            seed=self.seed,
            window=self.window,
        )

    def fit(
        self,
        data,
        *,
        checkpoint: str | os.PathLike | None = None,
        log_every: int = 0,
        verbose: int = 0,
    ):
        """Train on the ``train`` split until the ``val`` AUC stops improving.

        Parameters
        ----------
        data : SliceSet or path-like
            Slices with a ``train``/``val``/``test`` split.
        checkpoint, log_every, verbose
            As in :func:`fit_with_early_stopping`.

        Returns
        -------
        keras.callbacks.History
            Also kept as :attr:`history`.
        """
        self.history = fit_with_early_stopping(
            self.model,
            self.dataset(data, "train", training=True),
            self.dataset(data, "val"),
            epochs=self.epochs,
            patience=self.patience,
            checkpoint=checkpoint,
            log_every=log_every,
            verbose=verbose,
        )
        return self.history

    def predict(self, data, split: str):
        """Tumour probabilities of one split, one per slice, in the split's order.

        Parameters
        ----------
        data : SliceSet or path-like
        split : {"train", "val", "test"}

        Returns
        -------
        numpy.ndarray
            ``(n,)`` float32 scores.
        """
        return self.model.predict(self.dataset(data, split), verbose=0).ravel()
