"""Grad-CAM: where in the image a convolutional classifier found its evidence."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from medtutor.models import layer_outputs
from medtutor.runtime.quiet import import_tensorflow

__all__ = ["grad_cam", "heat_near_mask", "receptive_field_grid"]


def grad_cam(
    model,
    images: np.ndarray,
    layer_name: str = "conv2",
    *,
    method: str = "hirescam",
    batch_size: int = 64,
    align: str = "receptive_field",
) -> np.ndarray:
    """Class-activation heat maps, HiResCAM (default) or Grad-CAM, for a
    single-output classifier.

    Both methods start from the feature maps ``A_k`` (``k`` indexes channels) of
    ``layer_name`` and the gradient ``dy/dA_k`` of the output score ``y`` with respect
    to them, computed in one pass per batch:

    * ``method="hirescam"`` (default; Draelos & Carin, 2020): the gradient times the
      activation, element by element, summed over channels:
      ``cam = relu(sum_k dy/dA_k * A_k)``. Each location keeps its own gradient, so
      when the score is linear in the features (``Flatten`` then ``Dense``) the map is
      exactly each location's contribution to the score.
    * ``method="gradcam"`` (Selvaraju et al., 2017): each channel is weighted by its
      spatially averaged gradient, ``cam = relu(sum_k mean(dy/dA_k) * A_k)``; smoother,
      and it can put heat where the model did not look.

    The map is then brought onto the image's pixels, clipped at 0 and scaled so that
    its maximum is 1. With ``align="receptive_field"`` (default) each unit is placed at
    the centre of its receptive field (:func:`receptive_field_grid`) and the map is
    interpolated bilinearly between those centres: a valid-padded layer's units cover
    only the middle of the image, so stretching its map corner to corner
    (``align="stretch"``, what a plain resize does) moves the heat outwards, by up to
    a few pixels at the border.

    Parameters
    ----------
    model : keras.Model
        A model with one sigmoid output (e.g. :func:`medtutor.models.article_cnn`); for
        a softmax output the last class's probability is explained.
    images : numpy.ndarray
        ``(N, H, W, 1)`` inputs, preprocessed as for the model.
    layer_name : str
        A convolutional layer; the last one gives the most semantic maps.
    method : {"hirescam", "gradcam"}
        How gradients and activations are combined, as above.
    batch_size : int
        Images per gradient computation.
    align : {"receptive_field", "stretch"}
        How the layer's grid is mapped onto the image, as above.

    Returns
    -------
    numpy.ndarray
        ``(N, H, W)`` float32 heat maps in [0, 1] (all zeros where no pixel had positive
        evidence).

    Raises
    ------
    ValueError
        An unknown ``method`` or ``layer_name``.

    Notes
    -----
    Taught in: :doc:`ch4_1_liver_case_study`.

    References
    ----------
    R. R. Selvaraju et al., "Grad-CAM: Visual explanations from deep networks via
    gradient-based localization", ICCV 2017.
    R. L. Draelos and L. Carin, "Use HiResCAM instead of Grad-CAM for faithful
    explanations of convolutional neural networks", arXiv:2011.08891, 2020.
    """
    tf = import_tensorflow()

    if method not in ("hirescam", "gradcam"):
        raise ValueError(f"method must be 'hirescam' or 'gradcam', got {method!r}")
    if align not in ("receptive_field", "stretch"):
        raise ValueError(f"align must be 'receptive_field' or 'stretch', got {align!r}")
    forward = layer_outputs(model, layer_name)
    grid = receptive_field_grid(model, layer_name) if align != "stretch" else None

    maps = []
    for start in range(0, len(images), batch_size):
        x = tf.convert_to_tensor(images[start : start + batch_size], tf.float32)
        with tf.GradientTape() as tape:
            features, out = forward(x, training=False)
            score = out[:, 0] if out.shape[-1] == 1 else out[:, -1]
        grads = tape.gradient(score, features)
        if method == "gradcam":
            # One weight per feature map: its spatially averaged gradient.
            weights = tf.reduce_mean(grads, axis=(1, 2), keepdims=True)
        else:
            # HiResCAM: each location keeps its own gradient.
            weights = grads
        cam = tf.nn.relu(tf.reduce_sum(weights * features, axis=-1)).numpy()
        for c in cam:
            if grid is None:
                zoom = (images.shape[1] / c.shape[0], images.shape[2] / c.shape[1])
                c = ndimage.zoom(c, zoom, order=1)
            else:
                c = _onto_pixels(c, images.shape[1:3], grid)
            c = np.clip(c, 0, None)
            top = c.max()
            maps.append(c / top if top > 0 else c)
    return np.stack(maps).astype(np.float32)


def receptive_field_grid(model, layer_name: str) -> tuple[float, float]:
    """Where the units of a layer sit on the input image: the centre of the first
    unit's receptive field and the distance between neighbouring units, in pixels.

    Unit ``i`` of ``layer_name`` (along rows or columns) is centred on input pixel
    coordinate ``start + i * jump`` (pixel centres are integers). Walks the layers from
    the input: a convolution or pooling window of ``k`` pixels with stride ``s`` moves
    the first centre by ``(k - 1) / 2`` input units less any padding before it, and
    multiplies the jump by ``s``. For the article's network at 64x64, ``conv2``
    (29x29) gives ``(3.5, 2.0)``: its units cover pixels 3.5 to 59.5, not 0 to 63.

    Parameters
    ----------
    model : keras.Model
        A sequential stack of 2D convolutions, poolings and layers that keep the grid
        (dropout, activation, normalisation).
    layer_name : str
        The layer whose grid is wanted.

    Returns
    -------
    (float, float)
        ``(start, jump)``, the same along rows and columns (square windows and strides).

    Raises
    ------
    ValueError
        An unknown layer, or a layer on the way that changes the grid in a way this
        function does not follow (e.g. upsampling, non-square windows).

    Notes
    -----
    Taught in: :doc:`ch4_1_liver_case_study`.
    """
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise ValueError(f"no layer {layer_name!r} in the model; it has {names}")
    start, jump = 0.0, 1.0
    for layer in model.layers:
        config = layer.get_config()
        window = config.get("kernel_size", config.get("pool_size"))
        if window is not None:
            k, s = (
                _square(window, layer),
                _square(config.get("strides") or window, layer),
            )
            d = _square(config.get("dilation_rate", 1), layer)
            k = d * (k - 1) + 1
            before = 0
            if config.get("padding") == "same":
                n = int(layer.input.shape[1])
                total = max((-(-n // s) - 1) * s + k - n, 0)
                before = total // 2
            start += ((k - 1) / 2 - before) * jump
            jump *= s
        elif "size" in config or "target_shape" in config:
            raise ValueError(f"layer {layer.name!r} changes the grid; cannot follow it")
        if layer.name == layer_name:
            break
    return start, jump


def _square(value, layer) -> int:
    values = (value,) * 2 if isinstance(value, int) else tuple(value)
    if len(set(values)) != 1:
        raise ValueError(f"layer {layer.name!r} has a non-square window or stride")
    return int(values[0])


def _onto_pixels(cam: np.ndarray, shape, grid) -> np.ndarray:
    """Sample a layer's map at every input pixel, each unit at its receptive-field
    centre (bilinear between centres, the nearest unit beyond the outermost ones)."""
    start, jump = grid
    rows = (np.arange(shape[0]) - start) / jump
    cols = (np.arange(shape[1]) - start) / jump
    r, c = np.meshgrid(rows, cols, indexing="ij")
    return ndimage.map_coordinates(cam, [r, c], order=1, mode="nearest")


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
    Taught in: :doc:`ch4_1_liver_case_study`.

    Compare it with the share of the image that the grown mask covers (what a
    heat map spread at random would score).
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
