"""Grad-CAM: where in the image a convolutional classifier found its evidence.

Taught in: *Chapter 4.1 — the liver case study*.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from medtutor.runtime.quiet import import_tensorflow

__all__ = ["grad_cam", "heat_near_mask"]


def grad_cam(
    model,
    images: np.ndarray,
    layer_name: str = "conv2",
    *,
    method: str = "hirescam",
    batch_size: int = 64,
) -> np.ndarray:
    """Grad-CAM heat maps (Selvaraju et al., 2017) for a single-output classifier.

    For each image, the feature maps ``A_k`` of ``layer_name`` are weighted by the
    spatial mean of the gradient of the output score with respect to them, ``cam =
    relu(sum_k mean(dy/dA_k) * A_k)``, scaled to [0, 1] and resized to the image.

    Parameters
    ----------
    model : keras.Model
        A model with one sigmoid output (e.g. :func:`medtutor.models.article_cnn`).
    images : numpy.ndarray
        ``(N, H, W, 1)`` inputs, preprocessed as for the model.
    layer_name : str
        A convolutional layer; the last one gives the most semantic maps.
    batch_size : int
        Images per gradient computation.

    Returns
    -------
    numpy.ndarray
        ``(N, H, W)`` heat maps in [0, 1] (all zeros where no pixel had positive
        evidence).

    Notes
    -----
    Taught in: *Chapter 4.1*.
    """
    tf = import_tensorflow()
    import keras

    if method not in ("hirescam", "gradcam"):
        raise ValueError(f"method must be 'hirescam' or 'gradcam', got {method!r}")
    model.get_layer(layer_name)  # a clear ValueError for an unknown layer name

    def forward(x):
        if isinstance(
            model, keras.Sequential
        ):  # run the layers one by one, keeping the chosen output
            features = None
            for layer in model.layers:
                x = layer(x, training=False)
                if layer.name == layer_name:
                    features = x
            return features, x
        inputs = (
            model.inputs[0] if isinstance(model.inputs, (list, tuple)) else model.inputs
        )
        return keras.Model(
            inputs, [model.get_layer(layer_name).output, model.outputs[0]]
        )(x, training=False)

    maps = []
    for start in range(0, len(images), batch_size):
        x = tf.convert_to_tensor(images[start : start + batch_size], tf.float32)
        with tf.GradientTape() as tape:
            features, out = forward(x)
            score = out[:, 0] if out.shape[-1] == 1 else out[:, -1]
        grads = tape.gradient(score, features)
        if (
            method == "gradcam"
        ):  # one weight per feature map: its spatially averaged gradient
            weights = tf.reduce_mean(grads, axis=(1, 2), keepdims=True)
        else:  # HiResCAM: each location keeps its own gradient
            weights = grads
        cam = tf.nn.relu(tf.reduce_sum(weights * features, axis=-1)).numpy()
        for c in cam:
            zoom = (images.shape[1] / c.shape[0], images.shape[2] / c.shape[1])
            c = np.clip(ndimage.zoom(c, zoom, order=1), 0, None)
            top = c.max()
            maps.append(c / top if top > 0 else c)
    return np.stack(maps).astype(np.float32)


def heat_near_mask(cam: np.ndarray, mask: np.ndarray, *, margin_px: int = 2) -> float:
    """Share of a heat map's total heat that falls inside a mask grown by ``margin_px``
    pixels.

    Parameters
    ----------
    cam : numpy.ndarray
        ``(H, W)`` non-negative heat map.
    mask : numpy.ndarray
        ``(H, W)`` binary lesion mask.
    margin_px : int
        Dilation of the mask (Grad-CAM is coarse: a map of the last convolution has a
        few pixels' resolution).

    Returns
    -------
    float
        In [0, 1]; NaN when the heat map is all zeros.

    Notes
    -----
    Taught in: *Chapter 4.1*, where it is compared with the share of the image that the
    grown mask covers (what a heat map spread at random would score).
    """
    if cam.shape != mask.shape:
        raise ValueError(f"heat map {cam.shape} and mask {mask.shape} differ in shape")
    near = (
        ndimage.binary_dilation(mask.astype(bool), iterations=margin_px)
        if margin_px
        else mask.astype(bool)
    )
    total = float(cam.sum())
    return float(cam[near].sum() / total) if total > 0 else float("nan")
