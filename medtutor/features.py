"""Hand-crafted (radiomics-style) features and learned CNN embeddings, for side-by-side
use.

"""

from __future__ import annotations

import numpy as np
from scipy import ndimage, stats

from medtutor.data.preprocess import WINDOWS
from medtutor.models import layer_outputs
from medtutor.runtime.quiet import import_tensorflow

__all__ = ["FEATURE_NAMES", "cnn_embedding", "handcrafted_features"]

FEATURE_NAMES = (
    "mean_hu",
    "sd_hu",
    "p10_hu",
    "p90_hu",
    "skewness",
    "kurtosis",
    "darkest_spot_hu",
    "dark_area_mm2",
    "liver_area_mm2",
    "glcm_contrast",
    "glcm_homogeneity",
)


def _glcm(roi: np.ndarray, mask: np.ndarray) -> tuple[float, float]:
    """Contrast and homogeneity of a grey-level co-occurrence matrix (distance 1, 4
    directions)."""
    from skimage.feature import graycomatrix, graycoprops

    levels = 32
    # The liver window (WINDOWS["liver"]) onto the grey levels.
    centre, width = WINDOWS["liver"]
    low = centre - width / 2
    q = np.clip(((roi - low) / width * (levels - 1)).round(), 0, levels - 1)
    q = q.astype(np.uint8)
    q = np.where(mask, q, 0)
    m = graycomatrix(
        q, [1], [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4], levels=levels, symmetric=True
    )
    m[0, :, :, :] = 0  # ignore pairs that involve the outside of the liver
    m[:, 0, :, :] = 0
    return float(graycoprops(m, "contrast").mean()), float(
        graycoprops(m, "homogeneity").mean()
    )


def handcrafted_features(
    images_hu: np.ndarray, liver_masks: np.ndarray, spacing
) -> np.ndarray:
    """Radiomics-style features of the liver on each slice, in the order of
    :data:`FEATURE_NAMES`.

    Intensity statistics in HU (mean, standard deviation, 10th and 90th percentiles,
    skewness, kurtosis), the darkest smoothed spot and the area darker than the liver by
    25 HU (lesion candidates), the liver area (shape) and two grey-level co-occurrence
    texture measures.

    Parameters
    ----------
    images_hu : numpy.ndarray
        ``(N, H, W)`` CT in HU.
    liver_masks : numpy.ndarray
        ``(N, H, W)`` binary liver masks (in practice from a segmentation model, chapter
        4.2).
    spacing : (float, float)
        Pixel spacing in mm.

    Returns
    -------
    numpy.ndarray
        ``(N, 11)`` float64; a row of zeros where the mask has fewer than 5 pixels.

    Raises
    ------
    ValueError
        The numbers of images and masks differ.

    Notes
    -----
    Taught in: :doc:`ch5b_deployment_features`.

    Real radiomics uses standardized definitions (the IBSI) and packages such as
    PyRadiomics; these few features show the idea.
    """
    if len(images_hu) != len(liver_masks):
        raise ValueError(f"{len(images_hu)} images but {len(liver_masks)} masks")
    out = np.zeros((len(images_hu), len(FEATURE_NAMES)))
    pixel_mm2 = spacing[0] * spacing[1]
    masks = np.asarray(liver_masks).astype(bool)
    for i, (img, mask) in enumerate(zip(images_hu, masks, strict=True)):
        inner = ndimage.binary_erosion(mask, iterations=1)
        vals = img[inner] if inner.sum() > 10 else img[mask]
        if vals.size < 5:
            continue
        smooth = ndimage.gaussian_filter(img, 1.0)
        median = np.median(vals)
        contrast, homogeneity = _glcm(img, inner if inner.sum() > 10 else mask)
        out[i] = (
            vals.mean(),
            vals.std(),
            np.percentile(vals, 10),
            np.percentile(vals, 90),
            stats.skew(vals),
            stats.kurtosis(vals),
            smooth[inner].min() - median if inner.any() else 0.0,
            ((smooth < median - 25) & inner).sum() * pixel_mm2,
            mask.sum() * pixel_mm2,
            contrast,
            homogeneity,
        )
    return out


def cnn_embedding(model, images: np.ndarray, layer_name: str = "dense") -> np.ndarray:
    """Activations of a hidden layer (by default the 128-unit dense layer): the learned
    features.

    Parameters
    ----------
    model : keras.Model
        A trained model, e.g. :func:`medtutor.models.article_cnn`; see
        :func:`medtutor.models.layer_outputs` for the models that work.
    images : numpy.ndarray
        ``(N, H, W, C)`` inputs, preprocessed as for the model.
    layer_name : str
        The layer whose outputs are returned.

    Returns
    -------
    numpy.ndarray
        ``(N, ...)``: the layer's outputs in inference mode (dropout off), computed in
        batches of 256.

    Raises
    ------
    ValueError
        ``model`` has no layer called ``layer_name``.

    Notes
    -----
    Taught in: :doc:`ch5b_deployment_features`.
    """
    import_tensorflow()
    import keras

    forward = layer_outputs(model, layer_name)
    x = np.asarray(images, np.float32)
    out = []
    for start in range(0, len(x), 256):
        features, _ = forward(x[start : start + 256], training=False)
        out.append(keras.ops.convert_to_numpy(features))
    return np.concatenate(out)
