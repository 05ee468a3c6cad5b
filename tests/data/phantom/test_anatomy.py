"""Organ masks at one height: organs in plausible places, continuous along the body."""

from __future__ import annotations

import numpy as np
import pytest

from medtutor.data.phantom.anatomy import liver_profile, structure_masks
from medtutor.data.phantom.render import pixel_grid


def masks_at(patient, t, size=128, fov_mm=350.0):
    X, Y, spacing = pixel_grid(size, fov_mm)
    return structure_masks(patient, t, X, Y, spacing)


def test_liver_profile_is_largest_mid_liver_and_bounded():
    t = np.linspace(0.0, 0.95, 96)
    profile = np.array([liver_profile(v) for v in t])
    assert ((profile >= 0.15) & (profile <= 1.0)).all()
    assert profile[0] < profile.max() and profile[-1] < profile.max()
    assert 0.3 < t[profile.argmax()] < 0.7


def test_masks_are_boolean_images_of_the_grid(patient):
    g = masks_at(patient, 0.5, size=64)
    assert {"body", "liver", "kidney", "vessel", "ribs"} <= set(g)
    for mask in g.values():
        assert mask.shape == (64, 64) and mask.dtype == bool


@pytest.mark.parametrize("t", [0.1, 0.4, 0.7])
def test_organs_lie_inside_the_body_and_the_liver_inside_the_cavity(patient, t):
    g = masks_at(patient, t)
    assert g["liver"].any()
    assert not (g["liver"] & ~g["cavity"]).any()
    assert not (g["cavity"] & ~g["wall"]).any() and not (g["wall"] & ~g["body"]).any()
    # The liver is on the patient's right, the image's left.
    cols = np.nonzero(g["liver"])[1]
    assert cols.mean() < 64


def test_liver_excludes_vessels_and_bowel(patient):
    g = masks_at(patient, 0.5)
    for other in ("vessel", "gas", "bowel"):
        assert not (g["liver"] & g[other]).any()


def test_spleen_and_kidneys_appear_at_their_own_heights(patient):
    t_kidney = patient.kidneys[2]
    assert "spleen" in masks_at(patient, 0.3) and "spleen" not in masks_at(patient, 0.9)
    assert not masks_at(patient, t_kidney - 0.05)["kidney"].any()
    assert masks_at(patient, t_kidney + 0.2)["kidney"].any()


def test_liver_area_changes_smoothly_with_height(patient):
    areas = np.array(
        [masks_at(patient, t)["liver"].sum() for t in np.linspace(0.05, 0.95, 46)]
    )
    assert (areas > 0).all()
    assert np.abs(np.diff(areas)).max() < 0.25 * areas.max()
