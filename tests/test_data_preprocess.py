"""Windowing, normalisation, resizing, resampling, one-hot: against libraries and by
property."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from medtutor.data import (
    WINDOWS,
    DataError,
    apply_window,
    normalize,
    one_hot,
    resample,
    resize,
    zscore,
)

finite = st.floats(-3000, 3000, allow_nan=False, width=32)


@given(
    arrays(
        np.float32, st.tuples(st.integers(1, 8), st.integers(1, 8)), elements=finite
    ),
    st.sampled_from(sorted(WINDOWS)),
)
def test_windowed_output_always_within_range(img, window):
    out = apply_window(img, window)
    assert out.min() >= 0.0 and out.max() <= 1.0
    out = apply_window(img, window, out_range=(-1, 1))
    assert out.min() >= -1.0 and out.max() <= 1.0


@given(
    arrays(np.float32, 20, elements=finite), st.floats(-500, 500), st.floats(1, 3000)
)
def test_window_is_monotone_and_matches_the_formula(hu, centre, width):
    hu = np.sort(hu)
    out = apply_window(hu, (centre, width))
    assert np.all(np.diff(out) >= -1e-6)
    expected = np.clip((hu - (centre - width / 2)) / width, 0, 1)
    np.testing.assert_allclose(out, expected, atol=1e-5)


def test_window_presets_are_the_standard_ones():
    assert WINDOWS["lung"] == (-600.0, 1500.0)
    assert WINDOWS["bone"][0] > 300 and WINDOWS["brain"] == (40.0, 80.0)
    assert apply_window(np.array([40.0]), "abdomen")[0] == pytest.approx(0.5)


@pytest.mark.parametrize("bad", ["kidney", (40, 0), (40, -10), "x"])
def test_window_rejects_bad_windows(bad):
    with pytest.raises(DataError):
        apply_window(np.zeros(3), bad)


def test_nan_and_inf_are_refused():
    for fn in (
        lambda x: apply_window(x),
        normalize,
        zscore,
        lambda x: resize(x, (2, 2)),
    ):
        with pytest.raises(DataError, match="NaN or inf"):
            fn(np.array([[0.0, np.nan], [1.0, np.inf]]))


@given(arrays(np.float64, 30, elements=st.floats(-1e4, 1e4, allow_nan=False)))
def test_normalize_ranges(x):
    for lo, hi in ((0, 1), (-1, 1)):
        out = normalize(x, (lo, hi))
        assert out.min() >= lo - 1e-6 and out.max() <= hi + 1e-6
        if np.ptp(x) > 1e-3:
            assert out.min() == pytest.approx(
                lo, abs=1e-5
            ) and out.max() == pytest.approx(hi, abs=1e-5)


def test_zscore_and_mask():
    rng = np.random.default_rng(0)
    x = rng.normal(300, 40, (32, 32))
    z = zscore(x)
    assert z.mean() == pytest.approx(0, abs=1e-5) and z.std() == pytest.approx(
        1, abs=1e-4
    )
    mask = np.zeros_like(x, bool)
    mask[:16] = True
    zm = zscore(x, mask)
    assert zm[mask].mean() == pytest.approx(0, abs=1e-5)
    assert np.all(zscore(np.ones((3, 3))) == 0)


def test_one_hot_equals_keras_to_categorical():
    import keras

    labels = np.array([0, 2, 1, 2, 0])
    np.testing.assert_array_equal(one_hot(labels), keras.utils.to_categorical(labels))
    np.testing.assert_array_equal(
        one_hot(labels, 4), keras.utils.to_categorical(labels, 4)
    )
    for bad in ([-1, 0], [0.5, 1], [[0, 1]]):
        with pytest.raises(DataError):
            one_hot(np.array(bad))
    with pytest.raises(DataError, match="num_classes"):
        one_hot(np.array([0, 3]), 2)


def test_resize_matches_scikit_image_for_linear_interpolation():
    from skimage.transform import resize as sk_resize

    rng = np.random.default_rng(1)
    img = rng.normal(size=(40, 50)).astype(np.float32)
    ours = resize(img, (80, 100))
    ref = sk_resize(
        img, (80, 100), order=1, mode="edge", anti_aliasing=False, preserve_range=True
    )
    assert ours.shape == (80, 100)
    assert np.abs(ours - ref)[2:-2, 2:-2].max() < 1e-4
    masks = resize((img > 0).astype(np.uint8), (20, 25), order=0)
    assert masks.dtype == np.uint8 and set(np.unique(masks)) <= {0, 1}


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


def test_resample_3d_to_isotropic_keeps_extent():
    vol = np.random.default_rng(0).normal(size=(10, 32, 32)).astype(np.float32)
    out = resample(vol, (5.0, 1.25, 1.25), (1.25, 1.25, 1.25))
    assert out.shape == (40, 32, 32)
    with pytest.raises(DataError):
        resample(vol, (1, 1), (1, 1))
    with pytest.raises(DataError):
        resample(vol, (0, 1, 1), (1, 1, 1))
