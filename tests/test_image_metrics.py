"""Segmentation and restoration metrics against reference implementations and
hand-checked cases."""

from __future__ import annotations

import numpy as np
import pytest
from skimage.metrics import (
    hausdorff_distance,
    peak_signal_noise_ratio,
    structural_similarity,
)

from medtutor.data.degrade import add_low_dose_noise, downsample
from medtutor.losses import dice_bce_loss
from medtutor.metrics.image import dice, hausdorff95, iou, psnr, ssim
from medtutor.teaching.losses import dice_loss

rng = np.random.default_rng(0)


def disk(shape, centre, radius):
    yy, xx = np.indices(shape)
    return (yy - centre[0]) ** 2 + (xx - centre[1]) ** 2 <= radius**2


def test_dice_and_iou_by_hand_and_relation():
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
    assert hausdorff95(full, empty) == float("inf") and hausdorff95(
        empty, full
    ) == float("inf")


@pytest.mark.parametrize("fn", [dice, iou, hausdorff95, psnr, ssim])
def test_shape_mismatch_is_a_clear_error(fn):
    with pytest.raises(ValueError, match="shape"):
        fn(np.zeros((8, 8)), np.zeros((8, 9)))


def test_hausdorff_maximum_equals_scikit_image_and_spacing_scales():
    for seed in range(4):
        r = np.random.default_rng(seed)
        a = disk((40, 40), r.integers(12, 28, 2), r.integers(4, 9))
        b = disk((40, 40), r.integers(12, 28, 2), r.integers(4, 9))
        ours = hausdorff95(a, b, percentile=100)
        # scikit-image measures between all foreground pixels; on boundaries the maximum
        # is the same
        from scipy import ndimage

        surf = lambda m: m & ~ndimage.binary_erosion(m)  # noqa: E731
        assert ours == pytest.approx(hausdorff_distance(surf(a), surf(b)))
        assert hausdorff95(a, b, (2.0, 2.0), percentile=100) == pytest.approx(2 * ours)


def test_hd95_of_shifted_disk():
    a = disk((64, 64), (32, 32), 10)
    b = disk((64, 64), (32, 35), 10)  # shifted 3 pixels
    hd = hausdorff95(a, b, (0.5, 0.5))
    assert 0.5 < hd <= 1.5 + 1e-9  # at most the 3-pixel shift of 0.5 mm pixels
    assert hausdorff95(a, a) == 0.0
    with pytest.raises(ValueError, match="spacing"):
        hausdorff95(a, b, (1.0,))


def test_psnr_and_ssim_equal_scikit_image():
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


def test_dice_bce_loss_matches_the_numpy_dice():
    from medtutor import import_tensorflow

    import_tensorflow()
    y = (rng.random((2, 8, 8, 2)) > 0.7).astype("float32")
    p = rng.random((2, 8, 8, 2)).astype("float32")
    got = np.asarray(dice_bce_loss(y, p))
    eps = 1e-7
    bce = -np.mean(
        y * np.log(np.clip(p, eps, 1 - eps))
        + (1 - y) * np.log(np.clip(1 - p, eps, 1 - eps)),
        axis=(1, 2, 3),
    )
    dl = np.array(
        [
            np.mean(
                [dice_loss(y[i, ..., c], p[i, ..., c], smooth=1.0) for c in range(2)]
            )
            for i in range(2)
        ]
    )
    np.testing.assert_allclose(got, dl + bce, rtol=1e-5)


def test_degradations():
    hu = np.zeros((4, 32, 32), np.float32)
    noisy = add_low_dose_noise(hu, 40.0, seed=1)
    assert noisy.std() == pytest.approx(40.0, rel=0.1)
    np.testing.assert_array_equal(noisy, add_low_dose_noise(hu, 40.0, seed=1))
    img = np.arange(16, dtype=np.float32).reshape(4, 4)
    np.testing.assert_allclose(downsample(img, 2), [[2.5, 4.5], [10.5, 12.5]])
    with pytest.raises(ValueError):
        downsample(np.zeros((5, 4)), 2)
    with pytest.raises(ValueError):
        add_low_dose_noise(hu, -1)


def test_image_models_shapes():
    from medtutor.models import residual_denoiser, subpixel_upsampler, unet

    assert unet((32, 32, 1), depth=2, base_filters=4, out_channels=2).output_shape == (
        None,
        32,
        32,
        2,
    )
    with pytest.raises(ValueError, match="divisible"):
        unet((30, 30, 1), depth=2)
    den = residual_denoiser((16, 16, 1), layers=3, filters=4)
    assert den.output_shape == (None, 16, 16, 1)
    sr = subpixel_upsampler((8, 8, 1), scale=2, filters=4, layers=2)
    out = sr(np.zeros((1, 8, 8, 1), "float32"))
    assert tuple(out.shape) == (1, 16, 16, 1)
