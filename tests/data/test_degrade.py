"""Degradations for the restoration chapters: low-dose noise, downsampling, scanner
shift."""

from __future__ import annotations

import numpy as np
import pytest

from medtutor.data.degrade import add_low_dose_noise, downsample, scanner_shift


def test_low_dose_noise_has_the_asked_sd_and_is_seeded():
    hu = np.zeros((4, 32, 32), np.float32)
    noisy = add_low_dose_noise(hu, 40.0, seed=1)
    assert noisy.dtype == np.float32 and noisy.shape == hu.shape
    assert noisy.std() == pytest.approx(40.0, rel=0.1)
    np.testing.assert_array_equal(noisy, add_low_dose_noise(hu, 40.0, seed=1))
    assert not np.array_equal(noisy, add_low_dose_noise(hu, 40.0, seed=2))
    with pytest.raises(ValueError):
        add_low_dose_noise(hu, -1)


def test_low_dose_noise_is_correlated_unless_asked_for_white_noise():
    hu = np.zeros((128, 128), np.float32)

    def neighbour_correlation(x):
        return np.corrcoef(x[:, :-1].ravel(), x[:, 1:].ravel())[0, 1]

    assert neighbour_correlation(add_low_dose_noise(hu, 10.0)) > 0.3
    white = add_low_dose_noise(hu, 10.0, correlation_px=0)
    assert abs(neighbour_correlation(white)) < 0.05


def test_downsample_averages_blocks():
    img = np.arange(16, dtype=np.float32).reshape(4, 4)
    np.testing.assert_allclose(downsample(img, 2), [[2.5, 4.5], [10.5, 12.5]])
    stack = np.stack([img, 2 * img])
    np.testing.assert_allclose(downsample(stack, 4), [[[7.5]], [[15.0]]])
    with pytest.raises(ValueError):
        downsample(np.zeros((5, 4)), 2)


def test_scanner_shift_changes_what_it_says():
    hu = np.full((2, 16, 16), 60.0, np.float32)
    out = scanner_shift(hu, offset_hu=25, gain=0.5)
    np.testing.assert_allclose(out, 0.5 * (60 - 40) + 40 + 25)
    noisy = scanner_shift(hu, noise_hu=10, seed=3)
    assert noisy.std() == pytest.approx(10, rel=0.2)
    edge = np.zeros((16, 16), np.float32)
    edge[:, 8:] = 100.0
    blurred = scanner_shift(edge, blur_px=2.0)
    assert 0 < blurred[0, 7] < blurred[0, 8] < 100
    np.testing.assert_array_equal(scanner_shift(edge), edge)
