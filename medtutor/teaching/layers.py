"""Neural-network building blocks written by hand in NumPy, to compare with Keras.

Each function here is checked against its Keras counterpart in
``tests/teaching/test_layers.py``; the chapter repeats the check in the open.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "ACTIVATIONS",
    "conv2d",
    "dense",
    "pool2d",
    "receptive_fields",
]

ACTIVATIONS = {
    "linear": lambda z: z,
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.2 * z),
    "gelu": lambda z: (
        0.5 * z * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (z + 0.044715 * z**3)))
    ),
}


def dense(
    x: np.ndarray, weights: np.ndarray, bias: np.ndarray, activation: str = "linear"
) -> np.ndarray:
    """One fully connected layer: ``a_i = f(sum_j x_j W_ji + b_i)`` for every unit
    ``i``.

    Parameters
    ----------
    x : numpy.ndarray
        Inputs, ``(batch, n_in)``.
    weights : numpy.ndarray
        ``(n_in, n_out)``; column ``i`` holds the weights of unit ``i`` (Keras' layout).
    bias : numpy.ndarray
        ``(n_out,)``.
    activation : str
        A key of :data:`ACTIVATIONS`.

    Returns
    -------
    numpy.ndarray
        ``(batch, n_out)``.

    Notes
    -----
    Taught in: :doc:`ch2_core_concepts`.

    Equals ``keras.layers.Dense``.
    """
    return ACTIVATIONS[activation](x @ weights + bias)


def conv2d(
    image: np.ndarray, kernel: np.ndarray, *, padding: str = "valid"
) -> np.ndarray:
    """2D convolution as deep-learning libraries define it (cross-correlation), one
    channel.

    ``out[r, c] = sum_{u, v} image[r + u, c + v] * kernel[u, v]``. Libraries do not flip
    the kernel, so this is what mathematicians call cross-correlation.

    Parameters
    ----------
    image : numpy.ndarray
        ``(H, W)``.
    kernel : numpy.ndarray
        ``(kh, kw)``.
    padding : {"valid", "same"}
        ``"valid"`` output is ``(H - kh + 1, W - kw + 1)``; ``"same"`` zero-pads to
        ``(H, W)``.

    Returns
    -------
    numpy.ndarray
        The feature map, float.

    Notes
    -----
    Taught in: :doc:`ch2_core_concepts`.

    Equals ``keras.layers.Conv2D``.
    """
    kh, kw = kernel.shape
    if padding == "same":
        top, left = (kh - 1) // 2, (kw - 1) // 2
        image = np.pad(image, ((top, kh - 1 - top), (left, kw - 1 - left)))
    elif padding != "valid":
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
    windows = np.lib.stride_tricks.sliding_window_view(image, (kh, kw))
    return np.einsum("rcuv,uv->rc", windows, kernel)


def pool2d(
    image: np.ndarray, size: int = 2, *, mode: str = "max", stride: int | None = None
) -> np.ndarray:
    """Max or average pooling over ``size x size`` windows (no padding).

    Parameters
    ----------
    image : numpy.ndarray
        ``(H, W)``.
    size : int
        Window side.
    mode : {"max", "average"}
        What each window is reduced to.
    stride : int, optional
        Step between windows; defaults to ``size`` (non-overlapping). A stride smaller
        than the window gives *overlapping* pooling, which is probably what the source
        article's "window pooling" meant: every pooling method works on windows.

    Returns
    -------
    numpy.ndarray
        One value per window: ``((H - size) // stride + 1, (W - size) // stride + 1)``.

    Notes
    -----
    Taught in: :doc:`ch2_core_concepts`.

    Equals ``MaxPooling2D`` and ``AveragePooling2D``.
    """
    stride = size if stride is None else stride
    windows = np.lib.stride_tricks.sliding_window_view(image, (size, size))[
        ::stride, ::stride
    ]
    if mode == "max":
        return windows.max(axis=(2, 3))
    if mode == "average":
        return windows.mean(axis=(2, 3))
    raise ValueError(f"mode must be 'max' or 'average', got {mode!r}")


def receptive_fields(layers: list[tuple[str, int, int]]) -> list[dict]:
    """Receptive field of each layer of a stack of convolutions and poolings.

    With kernel ``k`` and stride ``s``, the receptive field grows as ``r_out = r_in + (k
    - 1) * j_in`` and the distance between neighbouring outputs, measured in input
    pixels, as ``j_out = j_in * s``; with valid padding the first output is centred on
    input pixel ``start_out = start_in + (k - 1) / 2 * j_in``.

    Parameters
    ----------
    layers : list of (name, kernel, stride)
        For example ``[("conv1", 3, 1), ("pool1", 2, 2)]``.

    Returns
    -------
    list of dict
        One ``{"layer", "kernel", "stride", "receptive_field", "jump", "start"}`` per
        layer.

    Notes
    -----
    Taught in: :doc:`ch2_core_concepts`.
    """
    r, j, start, out = 1, 1, 0.0, []
    for name, k, s in layers:
        r, j, start = r + (k - 1) * j, j * s, start + (k - 1) / 2 * j
        out.append(
            {
                "layer": name,
                "kernel": k,
                "stride": s,
                "receptive_field": r,
                "jump": j,
                "start": start,
            }
        )
    return out
