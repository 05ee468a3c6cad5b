"""Windowing, normalisation, z-scores, one-hot and model inputs: against libraries
and by property."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from medtutor.data import (
    WINDOWS,
    DataError,
    SliceSet,
    apply_window,
    model_inputs,
    normalize,
    one_hot,
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


def test_window_presets_map_their_edges():
    assert apply_window(np.array([40.0]), "abdomen")[0] == pytest.approx(0.5)
    np.testing.assert_allclose(
        apply_window([-1350.0, -600.0, 150.0], "lung"), [0, 0.5, 1]
    )
    np.testing.assert_allclose(apply_window([0.0, 80.0], "brain"), [0, 1])


@pytest.mark.parametrize("bad", ["kidney", (40, 0), (40, -10), "x", 40])
def test_window_rejects_bad_windows(bad):
    with pytest.raises(DataError):
        apply_window(np.zeros(3), bad)


def test_nan_and_inf_are_refused():
    for fn in (
        apply_window,
        normalize,
        zscore,
    ):
        with pytest.raises(DataError, match="NaN or inf"):
            fn(np.array([[0.0, np.nan], [1.0, np.inf]]))
    with pytest.raises(DataError, match="numeric"):
        normalize(np.array(["a", "b"]))


@given(arrays(np.float64, 30, elements=st.floats(-1e4, 1e4, allow_nan=False)))
def test_normalize_ranges(x):
    for lo, hi in ((0, 1), (-1, 1)):
        out = normalize(x, (lo, hi))
        assert out.min() >= lo - 1e-6 and out.max() <= hi + 1e-6
        if np.ptp(x) > 1e-3:
            assert out.min() == pytest.approx(lo, abs=1e-5)
            assert out.max() == pytest.approx(hi, abs=1e-5)


def test_normalize_fixed_input_range_and_constant_images():
    out = normalize(np.array([-10.0, 0.0, 127.5, 300.0]), in_range=(0, 255))
    np.testing.assert_allclose(out, [0, 0, 0.5, 1])
    np.testing.assert_array_equal(normalize(np.full(4, 7.0), (-1, 1)), np.full(4, -1))


def test_zscore_and_mask(rng):
    x = rng.normal(300, 40, (32, 32))
    z = zscore(x)
    assert z.mean() == pytest.approx(0, abs=1e-5)
    assert z.std() == pytest.approx(1, abs=1e-4)
    mask = np.zeros_like(x, bool)
    mask[:16] = True
    zm = zscore(x, mask)
    assert zm[mask].mean() == pytest.approx(0, abs=1e-5)
    assert np.all(zscore(np.ones((3, 3))) == 0)
    with pytest.raises(DataError, match="no pixels"):
        zscore(x, np.zeros_like(mask))


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


def test_model_inputs_window_ct_and_scale_other_data(rng):
    ct = SliceSet(
        images=np.array([[[-1000.0, 40.0], [1000.0, 40.0]]], np.float32),
        labels=np.array([0]),
        patient_ids=np.array(["a"]),
        class_names=("x",),
        units="HU",
    )
    np.testing.assert_allclose(model_inputs(ct)[0, ..., 0], [[0, 0.5], [1, 0.5]])
    assert model_inputs(ct).shape == (1, 2, 2, 1)
    eight = replace(ct, images=np.full((1, 2, 2), 255.0, np.float32), units="a.u.")
    assert model_inputs(eight).max() == pytest.approx(1.0)
    assert model_inputs(eight, out_range=(-1, 1)).min() == pytest.approx(1.0)
    wide = replace(eight, images=rng.uniform(0, 1000, (1, 2, 2)).astype(np.float32))
    assert model_inputs(wide).max() == pytest.approx(1.0)


def test_model_inputs_refuses_intensity_images_scaled_twice():
    def slices(images):
        return SliceSet(
            images=images,
            labels=np.zeros(2, np.int64),
            patient_ids=np.array(["a", "b"]),
            class_names=("x", "y"),
        )

    with pytest.raises(DataError, match=r"already lie in \[0, 1\] .*multiply"):
        model_inputs(slices(np.full((2, 4, 4), 0.8, np.float32)))
    x = model_inputs(slices(np.full((2, 4, 4), 204.0, np.float32)))
    np.testing.assert_allclose(x, 0.8, atol=1e-6)
