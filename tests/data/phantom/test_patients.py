"""Patients: lesions as asked for, noise with severity, and where slices cut them."""

from __future__ import annotations

import numpy as np
import pytest

from medtutor.data.phantom.patients import sample_patient, slice_heights


def kinds(patient):
    return [les.kind for les in patient.lesions]


def test_tumour_patients_have_one_to_three_tumours_and_cysts_when_asked(patient):
    assert 1 <= kinds(patient).count("tumour") <= 3
    assert 1 <= kinds(patient).count("cyst") <= 2


def test_healthy_patients_have_no_lesions(healthy_patient):
    assert healthy_patient.lesions == []


def test_patients_are_deterministic_and_differ_between_seeds():
    def draw(seed):
        return sample_patient(np.random.default_rng(seed), "X", 0.35, True, 0.5)

    a, b, c = draw(4), draw(4), draw(5)
    assert a.liver == b.liver and a.seed == b.seed and a.noise_hu == b.noise_hu
    assert a.liver != c.liver


def test_higher_severity_means_noisier_scanners():
    def mean_noise(severity):
        rng = np.random.default_rng(2)
        return np.mean(
            [sample_patient(rng, "X", severity, False, 0.0).noise_hu for _ in range(40)]
        )

    assert mean_noise(0.7) > 2 * mean_noise(0.0)


@pytest.mark.parametrize("n, fewest, most", [(2, 1, 1), (4, 1, 3), (9, 3, 6)])
def test_slice_heights_are_sorted_and_about_half_cut_a_tumour(
    patient, rng, n, fewest, most
):
    tumours = [les for les in patient.lesions if les.kind == "tumour"]
    for _ in range(5):
        heights = slice_heights(patient, n, 5.0, rng)
        assert heights.shape == (n,) and (np.diff(heights) >= 0).all()
        hits = sum(
            any(abs(t - les.t) * patient.liver_length < les.radius for les in tumours)
            for t in heights
        )
        assert fewest <= hits <= most


def test_patients_without_tumours_get_a_block_of_adjacent_slices(healthy_patient, rng):
    heights = slice_heights(healthy_patient, 6, 5.0, rng)
    step = 5.0 / healthy_patient.liver_length
    np.testing.assert_allclose(np.diff(heights), step)
    assert heights[0] >= 0.08 and heights[-1] <= 0.92 + 1e-9


def test_slice_heights_end_when_tumours_fill_the_liver(patient, rng):
    """A tumour as tall as the liver leaves no tumour-free height: no endless search."""
    from dataclasses import replace

    giant = replace(patient.lesions[0], kind="tumour", t=0.5, radius=500.0)
    filled = replace(patient, lesions=[giant])
    heights = slice_heights(filled, 6, 5.0, rng)
    assert len(heights) == 6 and (np.diff(heights) >= 0).all()
    # The slices meant to miss the tumour come from the grid inside the liver.
    assert ((heights >= 0.08) & (heights <= 0.92)).sum() >= 6 - 4
