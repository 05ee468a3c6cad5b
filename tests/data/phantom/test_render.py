"""Rendering: pixel grids, tissue values on CT and MR, lesion contrast, noise."""

from __future__ import annotations

import numpy as np
import pytest

from medtutor.data import make_liver_dataset
from medtutor.data.phantom.render import mr_bias_field, pixel_grid, render_slice


def test_pixel_grid_is_centred_with_the_field_of_view_spacing():
    X, Y, spacing = pixel_grid(100, 350.0, centre=(10.0, -20.0))
    assert spacing == pytest.approx(3.5)
    assert X.shape == (1, 100) and Y.shape == (100, 1) and X.dtype == np.float32
    assert X.mean() == pytest.approx(10.0) and Y.mean() == pytest.approx(-20.0)
    np.testing.assert_allclose(np.diff(X[0]), 3.5, rtol=1e-5)
    np.testing.assert_allclose(np.diff(Y[:, 0]), 3.5, rtol=1e-5)


def render(patient, modality, seed=0, t=None, size=96, fov_mm=350.0):
    t = patient.lesions[0].t if t is None else t
    rng = np.random.default_rng(seed)
    return render_slice(patient, t, size, fov_mm, modality, rng)


def test_render_returns_float_image_nested_masks_and_spacing(patient):
    img, liver, lesion, tumour, spacing = render(patient, "CT")
    assert img.shape == (96, 96) and img.dtype == np.float32
    assert spacing == pytest.approx(350 / 96)
    assert tumour.any()
    assert not (tumour & ~lesion).any() and not (lesion & ~liver).any()


def test_same_generator_same_slice_other_generator_other_noise(patient):
    a, spacing = render(patient, "CT", 0)[::4]
    b, c = render(patient, "CT", 0)[0], render(patient, "CT", 1)[0]
    np.testing.assert_array_equal(a, b)
    # Only the noise differs: the patient's noise of a 1 mm pixel over sqrt(spacing).
    expected = np.sqrt(2) * patient.noise_hu / np.sqrt(spacing)
    assert np.std(a - c) == pytest.approx(expected, rel=0.2)


@pytest.mark.parametrize("modality", ["MR", "T2", "T1"])
def test_mr_is_a_non_negative_magnitude_image(patient, modality):
    assert render(patient, modality)[0].min() >= 0


def test_cysts_are_bright_on_t2_and_dark_on_t1(patient):
    cyst = next(les for les in patient.lesions if les.kind == "cyst")
    for modality, sign in (("T2", 1), ("T1", -1)):
        img, liver, lesion, tumour, _ = render(patient, modality, t=cyst.t)
        cyst_px = lesion & ~tumour
        assert cyst_px.any()
        assert sign * (np.median(img[cyst_px]) - np.median(img[liver & ~lesion])) > 0


def test_hounsfield_units_of_tissues(body_dataset):
    data = body_dataset
    img, liver = data.images, data.liver_masks.astype(bool)
    # air in the corners
    assert np.median(img[:, :3, :3]) == pytest.approx(-1000, abs=40)
    liver_only = liver & ~data.lesion_masks.astype(bool)
    assert 90 <= np.median(img[liver_only]) <= 130  # liver in the portal-venous phase
    assert img.max() > 400  # bone
    body = img > -500
    fat = img[body & (img < -50)]
    assert -130 <= np.median(fat) <= -60  # fat


def test_cysts_are_near_water_and_tumours_hypodense():
    d = make_liver_dataset(
        n_patients=30, slices_per_patient=4, size=128, seed=5, fov_mm=220
    )
    lesions = d.lesion_masks.astype(bool)
    liver = d.liver_masks.astype(bool) & ~lesions
    cyst = lesions & (d.lesion_types == 1)[:, None, None]
    tumour = lesions & (d.lesion_types == 2)[:, None, None]
    assert cyst.any() and tumour.any()
    assert np.median(d.images[cyst]) < np.median(d.images[liver]) - 25
    assert abs(np.median(d.images[cyst])) < 30
    assert np.median(d.images[tumour]) < np.median(d.images[liver]) - 10


def test_bias_field_is_smooth_around_one_and_off_at_zero_strength(rng):
    field = mr_bias_field(96, 380.0, 0.3, rng)
    assert field.shape == (96, 96)
    assert 0.7 <= field.min() < 1.0 < field.max() <= 1.3
    assert np.abs(np.diff(field, axis=0)).max() < 0.05
    np.testing.assert_array_equal(mr_bias_field(96, 380.0, 0.0, rng), 1.0)
