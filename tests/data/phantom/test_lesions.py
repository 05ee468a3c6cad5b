"""Lesions: cysts and tumours drawn as described, cut into masks inside the liver."""

from __future__ import annotations

import numpy as np

from medtutor.data.phantom.anatomy import structure_masks
from medtutor.data.phantom.lesions import lesion_fields, sample_lesion
from medtutor.data.phantom.render import pixel_grid

LIVER_AXES = (80.0, 70.0)


def test_cysts_are_round_sharp_rimless_and_near_water(rng):
    for _ in range(50):
        cyst = sample_lesion(rng, "cyst", 0.35, LIVER_AXES)
        assert cyst.kind == "cyst" and not cyst.harmonics.any()
        assert cyst.rim == 0.0 and cyst.edge < 1.0
        assert 0.0 <= cyst.contrast <= 15.0


def test_tumours_are_lobulated_and_ill_defined(rng):
    for _ in range(50):
        tumour = sample_lesion(rng, "tumour", 0.35, LIVER_AXES)
        assert tumour.kind == "tumour" and tumour.harmonics.any()
        assert tumour.edge >= 1.5 and tumour.contrast > 0


def test_lesion_centres_sit_well_inside_the_liver(rng):
    for kind in ("cyst", "tumour"):
        for _ in range(50):
            les = sample_lesion(rng, kind, 0.35, LIVER_AXES)
            assert (les.x / LIVER_AXES[0]) ** 2 + (les.y / LIVER_AXES[1]) ** 2 < 0.3
            assert 0.25 <= les.t <= 0.75


def test_higher_severity_makes_tumours_smaller_fainter_and_rarely_rimmed():
    def draws(severity):
        rng = np.random.default_rng(1)
        tumours = [
            sample_lesion(rng, "tumour", severity, LIVER_AXES) for _ in range(200)
        ]
        return (
            np.mean([t.radius for t in tumours]),
            np.mean([t.contrast for t in tumours]),
            np.mean([t.rim > 0 for t in tumours]),
        )

    easy, hard = draws(0.0), draws(0.7)
    assert easy[0] > hard[0] and easy[1] > hard[1] and easy[2] > hard[2]


def fields_at(patient, t, size=128, fov_mm=220.0):
    X, Y, spacing = pixel_grid(size, fov_mm, patient.liver[:2])
    liver = structure_masks(patient, t, X, Y, spacing)["liver"]
    return liver, lesion_fields(patient, t, X, Y, liver)


def test_fields_lie_inside_the_liver_with_weights_in_0_1(patient):
    les = patient.lesions[0]
    liver, fields = fields_at(patient, les.t)
    assert fields
    for _, mask, weight, rel in fields:
        assert mask.any() and not (mask & ~liver).any()
        assert weight.dtype == np.float32
        assert weight.min() >= 0.0 and weight.max() <= 1.0
        assert (weight[~liver] == 0).all()
        assert (rel[mask] < 1).all()


def test_a_lesion_is_cut_only_within_its_radius_of_height(patient):
    les = patient.lesions[0]
    dt = les.radius / patient.liver_length
    _, on = fields_at(patient, les.t)
    _, off_above = fields_at(patient, les.t - 1.01 * dt)
    _, off_below = fields_at(patient, les.t + 1.01 * dt)
    assert any(f[0] is les for f in on)
    assert not any(f[0] is les for f in off_above + off_below)
