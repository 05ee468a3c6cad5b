"""Metrics for images that models produce: Dice, IoU, 95th-percentile Hausdorff
distance, PSNR, SSIM.

PSNR and SSIM come from scikit-image; Dice, IoU and HD95 are short enough to write here
and are checked against scikit-image and SciPy in ``tests/metrics/test_image.py``.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

__all__ = ["dice", "hausdorff95", "iou", "lesion_detection", "psnr", "ssim"]


def _pair(a, b, name_a="truth", name_b="prediction"):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} has shape {a.shape} but {name_b} has shape {b.shape}"
        )
    return a, b


def dice(truth, prediction) -> float:
    """Dice overlap ``2|A n B| / (|A| + |B|)`` of two binary masks.

    Both empty gives 1.0 (nothing to find, nothing found); exactly one empty gives 0.0.
    Non-zero values count as foreground.

    Notes
    -----
    Taught in: :doc:`ch1_background`, :doc:`ch4_2a_segmentation`.

    The soft Dice of :func:`medtutor.teaching.dice_coefficient` and of the Dice
    term of :func:`medtutor.losses.dice_bce_loss` follow the same convention: with
    ``smooth=0`` on binary masks they equal this function, both empty included.
    """
    a, b = _pair(truth, prediction)
    a, b = a.astype(bool), b.astype(bool)
    total = a.sum() + b.sum()
    return 1.0 if total == 0 else float(2 * np.logical_and(a, b).sum() / total)


def iou(truth, prediction) -> float:
    """Intersection over union (Jaccard index) ``|A n B| / |A u B|``; both empty gives
    1.0.

    Notes
    -----
    Taught in: :doc:`ch4_2a_segmentation`.

    ``IoU = Dice / (2 - Dice)``.
    """
    a, b = _pair(truth, prediction)
    a, b = a.astype(bool), b.astype(bool)
    union = np.logical_or(a, b).sum()
    return 1.0 if union == 0 else float(np.logical_and(a, b).sum() / union)


def _surface(mask):
    return mask & ~ndimage.binary_erosion(mask)


def hausdorff95(
    truth,
    prediction,
    spacing=(1.0, 1.0),
    *,
    percentile: float = 95.0,
    convention: str = "pooled",
) -> float:
    """95th-percentile symmetric Hausdorff distance between two masks' boundaries, in
    millimetres.

    For every boundary pixel of each mask, the distance to the other mask's boundary is
    measured (with the physical ``spacing``). Two conventions turn those distances into
    one number, and papers use both, so say which:

    * ``convention="pooled"`` (default): the 95th percentile of both sets of
      distances pooled together;
    * ``convention="max"``: the larger of the two directed 95th percentiles (truth to
      prediction, prediction to truth), as MONAI's ``compute_hausdorff_distance`` with
      ``percentile=95`` does. It is usually a little larger: for continuous
      distributions a percentile of the pooled distances lies between the two
      directed ones, and with the finitely many distances of a pixel outline the
      interpolated percentiles can differ from that by a fraction of a pixel.

    Unlike the maximum, either is not ruled by one stray pixel.

    Parameters
    ----------
    truth, prediction : array_like
        Binary masks of the same shape (2D or 3D).
    spacing : sequence of float
        Pixel (voxel) size along each axis, in mm.
    percentile : float
        100 gives the classic (maximum) Hausdorff distance (the same under both
        conventions).
    convention : {"pooled", "max"}
        How the two directed sets of distances are combined, as above.

    Returns
    -------
    float
        0.0 when both masks are empty, ``inf`` when exactly one is (the distance is
        undefined; report such cases separately).

    Raises
    ------
    ValueError
        Shapes differ, ``spacing`` does not match the number of dimensions, or an
        unknown ``convention``.

    Notes
    -----
    Taught in: :doc:`ch4_2a_segmentation`.
    """
    a, b = _pair(truth, prediction)
    a, b = a.astype(bool), b.astype(bool)
    if convention not in ("pooled", "max"):
        raise ValueError(f"convention must be 'pooled' or 'max', got {convention!r}")
    if len(spacing) != a.ndim:
        raise ValueError(f"spacing {tuple(spacing)} does not match a {a.ndim}-D mask")
    if not a.any() and not b.any():
        return 0.0
    if not a.any() or not b.any():
        return float("inf")
    sa, sb = _surface(a), _surface(b)
    to_b = ndimage.distance_transform_edt(~sb, sampling=spacing)
    to_a = ndimage.distance_transform_edt(~sa, sampling=spacing)
    if convention == "max":
        return float(
            max(
                np.percentile(to_b[sa], percentile), np.percentile(to_a[sb], percentile)
            )
        )
    distances = np.concatenate([to_b[sa], to_a[sb]])
    return float(np.percentile(distances, percentile))


def lesion_detection(truth, prediction, spacing=(1.0, 1.0), *, min_dice=0.0) -> dict:
    """Lesion-wise detection: each connected lesion of the truth found or missed, and
    the predicted lesions that match no true one.

    Pixel-wise scores such as Dice are dominated by large lesions; a reader counts
    lesions. Each connected component of ``truth`` (face-connected) is *detected* when
    its Dice with the predicted components that touch it is above ``min_dice`` (the
    default, 0, counts any overlap; challenges differ in this rule, so state it).

    Parameters
    ----------
    truth, prediction : array_like
        Binary masks of the same shape (2D or 3D).
    spacing : sequence of float
        Pixel (voxel) size along each axis, in mm, for the lesion sizes.
    min_dice : float
        Overlap a true lesion needs with the touching predicted lesions to count as
        detected.

    Returns
    -------
    dict
        ``lesions``: one dict per true lesion with ``size`` (mm² in 2D, mm³ in 3D),
        ``dice`` and ``detected``; ``n_lesions``, ``n_detected``, ``recall`` (NaN
        without true lesions) and ``false_positives`` (predicted components touching
        no true lesion).

    Raises
    ------
    ValueError
        Shapes differ, or ``spacing`` does not match the number of dimensions.

    Notes
    -----
    Taught in: :doc:`ch4_2a_segmentation`.
    """
    a, b = _pair(truth, prediction)
    a, b = a.astype(bool), b.astype(bool)
    if len(spacing) != a.ndim:
        raise ValueError(f"spacing {tuple(spacing)} does not match a {a.ndim}-D mask")
    voxel = float(np.prod(spacing))
    true_labels, n_true = ndimage.label(a)
    pred_labels, n_pred = ndimage.label(b)
    lesions, matched = [], set()
    for k in range(1, n_true + 1):
        lesion = true_labels == k
        touching = np.unique(pred_labels[lesion & b])
        matched.update(int(t) for t in touching)
        predicted = np.isin(pred_labels, touching[touching > 0])
        overlap = dice(lesion, predicted) if touching.size else 0.0
        lesions.append(
            {
                "size": float(lesion.sum() * voxel),
                "dice": float(overlap),
                "detected": bool(touching.size) and overlap > min_dice,
            }
        )
    n_detected = sum(les["detected"] for les in lesions)
    return {
        "lesions": lesions,
        "n_lesions": n_true,
        "n_detected": int(n_detected),
        "recall": n_detected / n_true if n_true else float("nan"),
        "false_positives": int(n_pred - len(matched - {0})),
    }


def psnr(reference, image, data_range: float = 1.0) -> float:
    """Peak signal-to-noise ratio in dB
    (:func:`skimage.metrics.peak_signal_noise_ratio`).

    Notes
    -----
    Taught in: :doc:`ch4_2b_restoration`.

    ``data_range`` is the span of possible values (1 for images scaled to [0, 1]); +6 dB
    means half the root-mean-square error.
    """
    from skimage.metrics import peak_signal_noise_ratio

    ref, img = _pair(reference, image, "reference", "image")
    return float(
        peak_signal_noise_ratio(
            ref.astype(np.float64), img.astype(np.float64), data_range=data_range
        )
    )


def ssim(reference, image, data_range: float = 1.0) -> float:
    """Structural similarity index (:func:`skimage.metrics.structural_similarity`), 1 =
    identical.

    Notes
    -----
    Taught in: :doc:`ch4_2b_restoration`.

    SSIM compares local means, contrasts and structure, so it tracks perceived quality
    better than PSNR.
    """
    from skimage.metrics import structural_similarity

    ref, img = _pair(reference, image, "reference", "image")
    return float(
        structural_similarity(
            ref.astype(np.float64), img.astype(np.float64), data_range=data_range
        )
    )
