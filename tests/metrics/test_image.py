"""medtutor.metrics.image against scikit-image, SciPy and hand-checked cases."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage
from skimage.metrics import (
    hausdorff_distance,
    peak_signal_noise_ratio,
    structural_similarity,
)

from medtutor.metrics.image import (
    dice,
    hausdorff95,
    iou,
    lesion_detection,
    psnr,
    ssim,
)


def test_dice_and_iou_by_hand_and_relation(rng):
    a = np.zeros((10, 10), bool)
    b = np.zeros((10, 10), bool)
    a[2:6, 2:6] = True  # 16 pixels
    b[4:8, 4:8] = True  # 16 pixels, 4 shared
    assert dice(a, b) == pytest.approx(2 * 4 / 32)
    assert iou(a, b) == pytest.approx(4 / 28)
    for _ in range(5):
        x, y = rng.random((16, 16)) > 0.5, rng.random((16, 16)) > 0.6
        assert iou(x, y) == pytest.approx(dice(x, y) / (2 - dice(x, y)))


def test_empty_mask_conventions():
    empty, full = np.zeros((5, 5)), np.ones((5, 5))
    assert dice(empty, empty) == 1.0 and iou(empty, empty) == 1.0
    assert dice(full, empty) == 0.0 and iou(empty, full) == 0.0
    assert hausdorff95(empty, empty) == 0.0
    assert hausdorff95(full, empty) == float("inf")
    assert hausdorff95(empty, full) == float("inf")


@pytest.mark.parametrize("fn", [dice, iou, hausdorff95, psnr, ssim])
def test_shape_mismatch_is_a_clear_error(fn):
    with pytest.raises(ValueError, match="shape"):
        fn(np.zeros((8, 8)), np.zeros((8, 9)))


@pytest.mark.parametrize("seed", range(4))
def test_hausdorff_maximum_equals_scikit_image_and_spacing_scales(disk, seed):
    r = np.random.default_rng(seed)
    a = disk((40, 40), r.integers(12, 28, 2), r.integers(4, 9))
    b = disk((40, 40), r.integers(12, 28, 2), r.integers(4, 9))
    ours = hausdorff95(a, b, percentile=100)
    # scikit-image measures between all foreground pixels; between the boundaries the
    # maximum is the same.
    a_edge, b_edge = a & ~ndimage.binary_erosion(a), b & ~ndimage.binary_erosion(b)
    assert ours == pytest.approx(hausdorff_distance(a_edge, b_edge))
    assert hausdorff95(a, b, (2.0, 2.0), percentile=100) == pytest.approx(2 * ours)


def test_hd95_of_shifted_disk(disk):
    a = disk((64, 64), (32, 32), 10)
    b = disk((64, 64), (32, 35), 10)  # shifted 3 pixels
    hd = hausdorff95(a, b, (0.5, 0.5))
    assert 0.5 < hd <= 1.5 + 1e-9  # at most the 3-pixel shift of 0.5 mm pixels
    assert hausdorff95(a, a) == 0.0
    with pytest.raises(ValueError, match="spacing"):
        hausdorff95(a, b, (1.0,))


def test_psnr_and_ssim_equal_scikit_image(rng):
    ref = rng.random((32, 32))
    img = np.clip(ref + rng.normal(0, 0.05, ref.shape), 0, 1)
    assert psnr(ref, img) == pytest.approx(
        peak_signal_noise_ratio(ref, img, data_range=1.0)
    )
    assert ssim(ref, img) == pytest.approx(
        structural_similarity(ref, img, data_range=1.0)
    )
    mse = np.mean((ref - img) ** 2)
    assert psnr(ref, img) == pytest.approx(10 * np.log10(1 / mse))


@pytest.mark.parametrize("seed", range(4))
def test_hd95_conventions_pooled_and_monai_max(disk, seed):
    r = np.random.default_rng(seed)
    a = disk((48, 48), r.integers(16, 32, 2), r.integers(8, 14))
    b = disk((48, 48), r.integers(16, 32, 2), r.integers(3, 7))
    sa, sb = a & ~ndimage.binary_erosion(a), b & ~ndimage.binary_erosion(b)
    to_b = ndimage.distance_transform_edt(~sb)[sa]
    to_a = ndimage.distance_transform_edt(~sa)[sb]
    directed = (np.percentile(to_b, 95), np.percentile(to_a, 95))
    monai = hausdorff95(a, b, convention="max")
    pooled = hausdorff95(a, b)
    assert monai == pytest.approx(max(directed))
    assert pooled == pytest.approx(np.percentile(np.r_[to_b, to_a], 95))
    # Between the two directed percentiles, up to interpolation (under a pixel).
    assert min(directed) - 0.5 <= pooled <= monai + 0.5
    assert hausdorff95(a, b, percentile=100, convention="max") == pytest.approx(
        hausdorff95(a, b, percentile=100)
    )
    with pytest.raises(ValueError, match="convention"):
        hausdorff95(a, b, convention="mean")


def test_lesion_detection_counts_lesions_not_pixels(disk):
    truth = disk((40, 40), (10, 10), 6) | disk((40, 40), (30, 30), 2)
    # The big lesion found (shifted), the small one missed, one invented lesion.
    prediction = disk((40, 40), (11, 10), 6) | disk((40, 40), (10, 32), 2)
    out = lesion_detection(truth, prediction, (0.5, 0.5))
    assert out["n_lesions"] == 2 and out["n_detected"] == 1 and out["recall"] == 0.5
    assert out["false_positives"] == 1
    big, small = sorted(out["lesions"], key=lambda les: -les["size"])
    assert big["detected"] and big["dice"] > 0.8 and not small["detected"]
    assert small["size"] == pytest.approx(disk((40, 40), (30, 30), 2).sum() * 0.25)
    # A stricter rule: the shifted prediction must overlap more than Dice 0.95.
    assert lesion_detection(truth, prediction, min_dice=0.95)["n_detected"] == 0


def test_lesion_detection_of_empty_masks():
    empty = np.zeros((8, 8), bool)
    out = lesion_detection(empty, empty)
    assert out["n_lesions"] == 0 and np.isnan(out["recall"])
    assert out["false_positives"] == 0
    with pytest.raises(ValueError, match="spacing"):
        lesion_detection(empty, empty, (1.0,))
