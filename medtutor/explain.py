"""Grad-CAM: where in the image a convolutional classifier found its evidence."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from medtutor.models import layer_outputs
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

    The map is then resized to the image (bilinear), clipped at 0 and scaled so that its
    maximum is 1.

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
    forward = layer_outputs(model, layer_name)

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
