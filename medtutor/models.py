"""Model builders used by the chapters.

Taught in: *Chapter 3 — Algorithms and workflow* (building a network in four steps) and
*Chapter 4.1 — the liver case study* (the source article's network, corrected).
"""

from __future__ import annotations

from medtutor.quiet import import_tensorflow

__all__ = ["article_cnn"]


def article_cnn(
    input_shape=(64, 64, 1),
    *,
    second_kernel: int = 3,
    head: str = "sigmoid",
    num_classes: int = 2,
    dense_units: int = 128,
    name: str = "article_cnn",
):
    """The source article's classifier, with its head made consistent with its loss.

    Architecture (as in the article): ``Conv2D(32, 3x3, relu) -> MaxPool(2) -> Dropout(0.25) ->
    Conv2D(64, k x k, relu) -> MaxPool(2) -> Flatten -> Dense(128, relu) -> Dropout(0.5) -> head``.

    The article's text says the second convolution is 5x5 while its code uses 3x3; this
    builder uses 3x3 (``second_kernel=3``) by default and lets you try 5. The article's head,
    ``Dense(2, activation="sigmoid")`` trained with binary cross-entropy on one-hot labels,
    treats the two classes as independent labels; use one of the two consistent idioms:

    * ``head="sigmoid"`` (default): ``Dense(1, sigmoid)``, loss ``binary_crossentropy`` on 0/1
      labels, scores ``model.predict(x).ravel()``;
    * ``head="softmax"``: ``Dense(num_classes, softmax)``, loss ``categorical_crossentropy`` on
      one-hot labels, scores ``model.predict(x)[:, 1]``.

    Parameters
    ----------
    input_shape : tuple of int
        ``(H, W, 1)``.
    second_kernel : {3, 5}
        Kernel size of the second convolution.
    head : {"sigmoid", "softmax"}
        Output layer, as above. The output layer is kept in ``float32`` so the model also
        works under mixed precision.
    num_classes : int
        Classes of the softmax head.
    dense_units : int
        Width of the dense layer (128 in the article).
    name : str
        Model name.

    Returns
    -------
    keras.Model
        Uncompiled.

    Raises
    ------
    ValueError
        For an unknown head or kernel size.

    Notes
    -----
    Taught in: *Chapter 3* and *Chapter 4.1*.
    """
    import_tensorflow()
    import keras  # noqa: PLC0415

    if head not in ("sigmoid", "softmax"):
        raise ValueError(f"head must be 'sigmoid' or 'softmax', got {head!r}")
    if second_kernel not in (3, 5):
        raise ValueError(f"second_kernel must be 3 or 5, got {second_kernel}")
    out = keras.layers.Dense(1, activation="sigmoid", dtype="float32", name="tumour_probability") if head == "sigmoid" else keras.layers.Dense(num_classes, activation="softmax", dtype="float32", name="class_probabilities")
    return keras.Sequential(
        [
            keras.Input(shape=tuple(input_shape)),
            keras.layers.Conv2D(32, 3, activation="relu", name="conv1"),
            keras.layers.MaxPooling2D(2, name="pool1"),
            keras.layers.Dropout(0.25, name="dropout1"),
            keras.layers.Conv2D(64, second_kernel, activation="relu", name="conv2"),
            keras.layers.MaxPooling2D(2, name="pool2"),
            keras.layers.Flatten(name="flatten"),
            keras.layers.Dense(dense_units, activation="relu", name="dense"),
            keras.layers.Dropout(0.5, name="dropout2"),
            out,
        ],
        name=name,
    )
