"""Model builders used by the chapters."""

from __future__ import annotations

from medtutor.runtime.quiet import import_tensorflow

__all__ = [
    "article_cnn",
    "layer_outputs",
    "residual_denoiser",
    "subpixel_upsampler",
    "unet",
]


def article_cnn(
    input_shape=(64, 64, 1),
    *,
    second_kernel: int = 3,
    head: str = "sigmoid",
    num_classes: int = 2,
    dense_units: int = 128,
    batch_norm: bool = False,
    name: str = "article_cnn",
):
    """The source article's classifier, with its head made consistent with its loss.

    Architecture (as in the article): ``Conv2D(32, 3x3, relu) -> MaxPool(2) ->
    Dropout(0.25) -> Conv2D(64, k x k, relu) -> MaxPool(2) -> Flatten -> Dense(128,
    relu) -> Dropout(0.5) -> head``.

    The article's text says the second convolution is 5x5 while its code uses 3x3; this
    builder uses 3x3 (``second_kernel=3``) by default and lets you try 5. The article's
    head, ``Dense(2, activation="sigmoid")`` trained with binary cross-entropy on
    one-hot labels, treats the two classes as independent labels; use one of the two
    consistent idioms:

    * ``head="sigmoid"`` (default): ``Dense(1, sigmoid)``, loss ``binary_crossentropy``
      on 0/1 labels, scores ``model.predict(x).ravel()``;
    * ``head="softmax"``: ``Dense(num_classes, softmax)``, loss
      ``categorical_crossentropy`` on one-hot labels, scores ``model.predict(x)[:, 1]``.

    Parameters
    ----------
    input_shape : tuple of int
        ``(H, W, 1)``.
    second_kernel : {3, 5}
        Kernel size of the second convolution.
    head : {"sigmoid", "softmax"}
        Output layer, as above. The output layer is kept in ``float32`` so the model
        also works under mixed precision.
    num_classes : int
        Classes of the softmax head.
    dense_units : int
        Width of the dense layer (128 in the article).
    batch_norm : bool
        Insert ``BatchNormalization`` between each convolution and its ReLU (the
        convolutions then drop their bias, which the normalisation would cancel). Not
        in the article; at a tumour prevalence of 1:20 it lets the network leave the
        "always answer the prior" plateau within a few hundred steps, where the plain
        network needs over a thousand (chapter 5a).
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
    Taught in: :doc:`ch3_workflow`, :doc:`ch4_1_liver_case_study`,
    :doc:`ch5a_imbalance_metrics`.
    """
    import_tensorflow()
    import keras

    if head not in ("sigmoid", "softmax"):
        raise ValueError(f"head must be 'sigmoid' or 'softmax', got {head!r}")
    if second_kernel not in (3, 5):
        raise ValueError(f"second_kernel must be 3 or 5, got {second_kernel}")
    out = (
        keras.layers.Dense(
            1, activation="sigmoid", dtype="float32", name="tumour_probability"
        )
        if head == "sigmoid"
        else keras.layers.Dense(
            num_classes,
            activation="softmax",
            dtype="float32",
            name="class_probabilities",
        )
    )
    return keras.Sequential(
        [
            keras.Input(shape=tuple(input_shape)),
            *_conv_block(keras, 32, 3, "conv1", batch_norm),
            keras.layers.MaxPooling2D(2, name="pool1"),
            keras.layers.Dropout(0.25, name="dropout1"),
            *_conv_block(keras, 64, second_kernel, "conv2", batch_norm),
            keras.layers.MaxPooling2D(2, name="pool2"),
            keras.layers.Flatten(name="flatten"),
            keras.layers.Dense(dense_units, activation="relu", name="dense"),
            keras.layers.Dropout(0.5, name="dropout2"),
            out,
        ],
        name=name,
    )


def _conv_block(keras, filters, kernel, name, batch_norm):
    """``Conv2D + ReLU``, or ``Conv2D (no bias) + BatchNormalization + ReLU``."""
    if not batch_norm:
        return [keras.layers.Conv2D(filters, kernel, activation="relu", name=name)]
    return [
        keras.layers.Conv2D(filters, kernel, use_bias=False, name=name),
        keras.layers.BatchNormalization(name=f"{name}_bn"),
        keras.layers.ReLU(name=f"{name}_relu"),
    ]


def unet(
    input_shape=(64, 64, 1),
    *,
    depth: int = 3,
    base_filters: int = 16,
    out_channels: int = 1,
    batch_norm: bool = False,
    skip_connections: bool = True,
    name: str = "unet",
):
    """A small U-Net: an encoder that halves the resolution ``depth`` times, a decoder
    that doubles it back, and skip connections that carry fine detail across.

    Parameters
    ----------
    input_shape : tuple of int
        ``(H, W, C)``; ``H`` and ``W`` must be divisible by ``2**depth``.
    depth : int
        Number of down-sampling steps.
    base_filters : int
        Filters of the first level; each level doubles them.
    out_channels : int
        One sigmoid output per structure (e.g. 2 for liver and lesion).
    batch_norm : bool
        Batch normalisation after each convolution. Off by default: with small batches
        and few epochs its running statistics make validation scores jumpy.
    skip_connections : bool
        Concatenate each encoder level's output to the decoder at the same resolution
        (the U-Net). ``False`` gives the same encoder and decoder without them (a plain
        encoder-decoder with fewer weights in the decoder), for the ablation in chapter
        4.2a.
    name : str
        Model name.

    Returns
    -------
    keras.Model
        Outputs per-pixel probabilities in ``float32``.

    Notes
    -----
    Taught in: :doc:`ch4_2a_segmentation`.
    """
    import_tensorflow()
    import keras

    if input_shape[0] % 2**depth or input_shape[1] % 2**depth:
        raise ValueError(
            f"input size {input_shape[:2]} must be divisible by 2**depth = {2**depth}"
        )

    def block(x, filters, prefix):
        for i in (1, 2):
            x = keras.layers.Conv2D(
                filters,
                3,
                padding="same",
                use_bias=not batch_norm,
                name=f"{prefix}_conv{i}",
            )(x)
            if batch_norm:
                x = keras.layers.BatchNormalization(name=f"{prefix}_bn{i}")(x)
            x = keras.layers.Activation("relu", name=f"{prefix}_relu{i}")(x)
        return x

    inputs = keras.Input(shape=tuple(input_shape))
    x, skips = inputs, []
    for level in range(depth):
        x = block(x, base_filters * 2**level, f"enc{level}")
        skips.append(x)
        x = keras.layers.MaxPooling2D(2, name=f"down{level}")(x)
    x = block(x, base_filters * 2**depth, "bottom")
    for level in reversed(range(depth)):
        x = keras.layers.Conv2DTranspose(
            base_filters * 2**level, 2, strides=2, padding="same", name=f"up{level}"
        )(x)
        if skip_connections:
            x = keras.layers.Concatenate(name=f"skip{level}")([x, skips[level]])
        x = block(x, base_filters * 2**level, f"dec{level}")
    outputs = keras.layers.Conv2D(
        out_channels, 1, activation="sigmoid", dtype="float32", name="masks"
    )(x)
    return keras.Model(inputs, outputs, name=name)


def residual_denoiser(
    input_shape=(None, None, 1),
    *,
    layers: int = 6,
    filters: int = 32,
    name: str = "denoiser",
):
    """A DnCNN-style denoiser: a stack of 3x3 convolutions predicts the *noise*, which
    is subtracted.

    Learning the residual (noise) instead of the clean image is easier: it is small and
    has no anatomy in it (Zhang et al., 2017). DnCNN's batch normalisation is left out:
    with a few hundred training images and a few epochs its running statistics are not
    yet reliable.

    Parameters
    ----------
    input_shape : tuple
        ``(H, W, 1)``; fully convolutional, so any size works.
    layers : int
        Convolutional layers (at least 2).
    filters : int
        Filters of each hidden layer.
    name : str
        Model name.

    Returns
    -------
    keras.Model
        Uncompiled; maps a noisy image to its denoised version of the same size.

    Notes
    -----
    Taught in: :doc:`ch4_2b_restoration`.
    """
    import_tensorflow()
    import keras

    inputs = keras.Input(shape=tuple(input_shape))
    x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(inputs)
    for _ in range(layers - 2):
        x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    noise = keras.layers.Conv2D(1, 3, padding="same", name="noise")(x)
    outputs = keras.layers.Subtract(dtype="float32", name="denoised")([inputs, noise])
    return keras.Model(inputs, outputs, name=name)


def subpixel_upsampler(
    input_shape=(None, None, 1),
    *,
    scale: int = 2,
    filters: int = 32,
    layers: int = 4,
    name: str = "subpixel_sr",
):
    """Super-resolution with sub-pixel convolution (ESPCN, Shi et al., 2016), plus a
    bicubic shortcut.

    The network works at low resolution and ends with ``scale**2`` channels that a pixel
    shuffle (``depth_to_space``) rearranges into an image ``scale`` times larger. It
    learns only what bicubic interpolation misses: its output is added to the bicubic
    up-sampled input.

    Parameters
    ----------
    input_shape : tuple
        Low-resolution ``(h, w, 1)``.
    scale : int
        Up-sampling factor.
    filters, layers : int
        Width and depth of the convolutional trunk.
    name : str
        Model name.

    Returns
    -------
    keras.Model
        Uncompiled; maps an ``(h, w, 1)`` image to ``(scale * h, scale * w, 1)``.

    Notes
    -----
    Taught in: :doc:`ch4_2b_restoration`.
    """
    tf = import_tensorflow()
    import keras

    class PixelShuffle(keras.layers.Layer):
        def call(self, x):
            return tf.nn.depth_to_space(x, scale)

    class Bicubic(keras.layers.Layer):
        def call(self, x):
            shape = tf.shape(x)
            return tf.image.resize(
                x, (shape[1] * scale, shape[2] * scale), method="bicubic"
            )

    inputs = keras.Input(shape=tuple(input_shape))
    x = inputs
    for _ in range(layers - 1):
        x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    x = keras.layers.Conv2D(scale * scale, 3, padding="same")(x)
    detail = PixelShuffle(name="pixel_shuffle")(x)
    outputs = keras.layers.Add(dtype="float32", name="upsampled")(
        [Bicubic(name="bicubic")(inputs), detail]
    )
    return keras.Model(inputs, outputs, name=name)


def layer_outputs(model, layer_name: str):
    """A model that runs ``model`` once and returns a named layer's output and the
    final output.

    Explanations (Grad-CAM) need the feature maps of a hidden layer together with the
    score computed from them; embeddings need a hidden layer's activations. The
    returned model shares ``model``'s layers and weights (nothing is copied or
    retrained) and is built once, so call it on as many batches as needed.

    Parameters
    ----------
    model : keras.Model
        A functional model, or a ``keras.Sequential`` model whose first entry is
        ``keras.Input`` (as all of :mod:`medtutor.models` builds), also after
        ``keras.models.load_model``.
    layer_name : str
        Name of a layer of ``model``, e.g. ``"conv2"`` or ``"dense"`` of
        :func:`article_cnn`.

    Returns
    -------
    keras.Model
        Maps the input of ``model`` to ``[output of layer_name, output of model]`` (the
        first output, for a model with several). Call it with ``training=False`` to run
        dropout and batch normalisation in inference mode:
        ``features, score = layer_outputs(model, "conv2")(x, training=False)``.

    Raises
    ------
    ValueError
        ``model`` has no layer called ``layer_name``, or its inputs are not defined yet
        (a ``keras.Sequential`` built without ``keras.Input`` and never called).

    Notes
    -----
    Taught in: :doc:`ch2_core_concepts`.
    """
    import_tensorflow()
    import keras

    try:
        layer = model.get_layer(layer_name)
    except ValueError:
        names = [each.name for each in model.layers]
        raise ValueError(
            f"no layer named {layer_name!r} in model {model.name!r}; "
            f"its layers are {names}"
        ) from None
    try:
        inputs = model.inputs
    except AttributeError:
        inputs = None
    if not inputs:
        raise ValueError(
            f"model {model.name!r} has no defined inputs yet; build it with "
            "keras.Input as its first entry (or call it once on data)"
        )
    if isinstance(model, keras.Sequential):
        # A Sequential model can hold several graphs of its layers (loading one from
        # disk builds it more than once), and ``layer.output`` need not belong to the
        # graph of ``model.outputs``. Running the layers on a fresh input makes one
        # graph in which the named output feeds the final one.
        start = keras.Input(batch_shape=inputs[0].shape, dtype=inputs[0].dtype)
        x, named = start, None
        for each in model.layers:
            x = each(x)
            if each is layer:
                named = x
        return keras.Model(start, [named, x], name=f"{model.name}_to_{layer_name}")
    return keras.Model(
        inputs[0] if len(inputs) == 1 else inputs,
        [layer.output, model.outputs[0]],
        name=f"{model.name}_to_{layer_name}",
    )
