"""Resizing, resampling to a spacing and matching grids: against scikit-image and by
property."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medtutor.data import DataError, match_grid, resample, resize


def test_resize_matches_scikit_image_for_linear_interpolation(rng):
    from skimage.transform import resize as sk_resize

    img = rng.normal(size=(40, 50)).astype(np.float32)
    ours = resize(img, (80, 100))
    ref = sk_resize(
        img, (80, 100), order=1, mode="edge", anti_aliasing=False, preserve_range=True
    )
    assert ours.shape == (80, 100) and ours.dtype == np.float32
    assert np.abs(ours - ref)[2:-2, 2:-2].max() < 1e-4
    masks = resize((img > 0).astype(np.uint8), (20, 25), order=0)
    assert masks.dtype == np.uint8 and set(np.unique(masks)) <= {0, 1}
    assert resize(np.stack([img, img]), (20, 25)).shape == (2, 20, 25)
    with pytest.raises(DataError, match="two positive integers"):
        resize(img, (0, 5))


@settings(max_examples=25, deadline=None)
@given(
    st.integers(16, 40),
    st.floats(0.5, 3.0),
    st.floats(0.5, 3.0),
)
def test_resampling_preserves_mean_intensity(n, spacing, new_spacing):
    yy, xx = np.mgrid[:n, :n]
    img = (100 + 50 * np.sin(xx / 5.0) + 30 * np.cos(yy / 7.0)).astype(np.float32)
    out = resample(img, (spacing, spacing), (new_spacing, new_spacing))
    assert out.shape == (max(1, round(n * spacing / new_spacing)),) * 2
    assert out.mean() == pytest.approx(img.mean(), rel=0.03)


def test_resample_3d_to_isotropic_keeps_extent(rng):
    vol = rng.normal(size=(10, 32, 32)).astype(np.float32)
    out = resample(vol, (5.0, 1.25, 1.25), (1.25, 1.25, 1.25))
    assert out.shape == (40, 32, 32)
    with pytest.raises(DataError):
        resample(vol, (1, 1), (1, 1))
    with pytest.raises(DataError):
        resample(vol, (0, 1, 1), (1, 1, 1))


def test_match_grid_pads_and_crops_about_the_centre():
    image = np.ones((4, 4), np.float32)
    padded = match_grid(image, (1.0, 1.0), (8, 6), (1.0, 1.0), fill=-1)
    assert padded.shape == (8, 6)
    np.testing.assert_array_equal(padded[2:6, 1:5], 1)
    assert (padded == -1).sum() == 8 * 6 - 16
    coarse = match_grid(np.arange(64.0).reshape(8, 8), (1.0, 1.0), (2, 2), (2.0, 2.0))
    assert coarse.shape == (2, 2)


def test_nan_and_inf_are_refused():
    bad = np.array([[0.0, np.nan], [1.0, np.inf]])
    for fn in (lambda x: resize(x, (2, 2)), lambda x: resample(x, (1, 1), (2, 2))):
        with pytest.raises(DataError, match="NaN or inf"):
            fn(bad)


def test_match_grid_keeps_the_centre_when_grids_differ():
    img = np.zeros((10, 10), "float32")
    img[4:6, 4:6] = 1
    np.testing.assert_allclose(match_grid(img, (1.0, 1.0), (10, 10), (1.0, 1.0)), img)
    padded = match_grid(img, (1.0, 1.0), (14, 14), (1.0, 1.0), fill=-1)
    assert padded.shape == (14, 14) and padded[0, 0] == -1
    assert padded[6:8, 6:8].min() == 1
    coarse = match_grid(img, (2.0, 2.0), (10, 10), (1.0, 1.0), order=0)
    assert coarse.shape == (10, 10) and coarse.sum() == pytest.approx(16)
