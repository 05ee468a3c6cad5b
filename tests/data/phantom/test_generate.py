"""Public generators: fields, labels from masks, determinism, CT/MR pairs, volumes."""

from __future__ import annotations

import numpy as np
import pytest

from medtutor.data import (
    CLASS_NAMES,
    DataError,
    make_ct_mr_pair,
    make_liver_dataset,
    make_volume,
)


def test_shapes_types_and_fields(body_dataset):
    data = body_dataset
    n = 24 * 6
    assert data.images.shape == (n, 96, 96) and data.images.dtype == np.float32
    assert data.liver_masks.shape == data.lesion_masks.shape == (n, 96, 96)
    assert (
        data.labels.shape == data.patient_ids.shape == data.lesion_types.shape == (n,)
    )
    assert (
        data.class_names == CLASS_NAMES and data.units == "HU" and data.modality == "CT"
    )
    assert data.spacing == pytest.approx((350 / 96, 350 / 96))


def test_labels_come_from_tumour_masks(body_dataset):
    data = body_dataset
    tumour_slices = data.lesion_types == 2
    np.testing.assert_array_equal(data.labels, tumour_slices.astype(int))
    lesion_any = data.lesion_masks.reshape(len(data), -1).any(axis=1)
    np.testing.assert_array_equal(lesion_any, data.lesion_types > 0)
    # every lesion lies inside the liver
    assert not (data.lesion_masks.astype(bool) & ~data.liver_masks.astype(bool)).any()


def test_both_classes_and_cysts_occur(body_dataset):
    assert 0.25 < body_dataset.labels.mean() < 0.75
    # cyst-only slices are the hard negatives
    assert (body_dataset.lesion_types == 1).any()


def test_same_seed_same_data_other_seed_other_data():
    a = make_liver_dataset(n_patients=3, slices_per_patient=2, size=32, seed=11)
    b = make_liver_dataset(n_patients=3, slices_per_patient=2, size=32, seed=11)
    c = make_liver_dataset(n_patients=3, slices_per_patient=2, size=32, seed=12)
    np.testing.assert_array_equal(a.images, b.images)
    np.testing.assert_array_equal(a.labels, b.labels)
    assert not np.array_equal(a.images, c.images)


def test_slices_of_a_patient_are_more_alike_than_slices_of_different_patients(
    body_dataset,
):
    # The property that makes a slice-level split leak.
    data = body_dataset
    noise = []
    for pid in np.unique(data.patient_ids)[:12]:
        sel = data.patient_ids == pid
        body = data.images[sel] > -500
        noise.append(body.mean(axis=(1, 2)))
    within = np.mean([n.std() for n in noise])
    between = np.std([n.mean() for n in noise])
    assert within < between


@pytest.mark.parametrize("size", [32, 256])
def test_size_limits_work(size):
    d = make_liver_dataset(n_patients=1, slices_per_patient=1, size=size)
    assert d.image_shape == (size, size)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"size": 31}, "between 32 and 256"),
        ({"size": 257}, "between 32 and 256"),
        ({"size": 64.0}, "integer"),
        ({"difficulty": 1.5}, "difficulty"),
        ({"n_patients": 0}, "at least one"),
        ({"slices_per_patient": 0}, "at least one"),
        ({"centre_on": "kidney"}, "centre_on"),
        ({"tumour_fraction": 2.0}, "probabilities"),
        ({"cyst_probability": -0.1}, "probabilities"),
    ],
)
def test_bad_arguments_raise_clear_errors(kwargs, match):
    with pytest.raises(DataError, match=match):
        make_liver_dataset(**{"n_patients": 2, "slices_per_patient": 1, **kwargs})


def test_difficulty_makes_tumours_fainter():
    def contrast(difficulty):
        d = make_liver_dataset(
            n_patients=30,
            slices_per_patient=3,
            size=64,
            difficulty=difficulty,
            seed=2,
            cyst_probability=0,
        )
        tum = d.lesion_masks.astype(bool) & (d.labels == 1)[:, None, None]
        liv = d.liver_masks.astype(bool) & ~d.lesion_masks.astype(bool)
        # against the dark core of the tumours
        return np.median(d.images[liv]) - np.percentile(d.images[tum], 10)

    assert contrast(0.1) > contrast(0.9) + 10


def test_ct_mr_pair_differs_like_real_scanners():
    ct, mr = make_ct_mr_pair(seed=1, ct_size=128, mr_size=96)
    assert ct.units == "HU" and mr.units == "a.u."
    assert ct.array.shape == (128, 128) and mr.array.shape == (96, 96)
    assert ct.spacing != mr.spacing
    assert mr.array.min() >= 0  # magnitude images
    # cysts: dark on CT, bright on T2 relative to liver
    for scan, sign in ((ct, -1), (mr, 1)):
        liver = scan.masks["liver"].astype(bool) & ~scan.masks["lesion"].astype(bool)
        lesion = scan.masks["lesion"].astype(bool)
        assert lesion.any()
        extreme = np.percentile(scan.array[lesion], 90 if sign > 0 else 10)
        assert sign * (extreme - np.median(scan.array[liver])) > 0
    bias = mr.meta["bias_field"]
    assert bias.shape == mr.array.shape and 0.6 < bias.min() < 1.0 < bias.max() < 1.4
    # the same anatomy: physical extent of the liver agrees within 10 %
    area_ct = ct.masks["liver"].sum() * np.prod(ct.spacing)
    area_mr = mr.masks["liver"].sum() * np.prod(mr.spacing)
    assert area_mr == pytest.approx(area_ct, rel=0.1)


def test_t1_and_t2_of_one_seed_share_the_anatomy():
    ct_a, t2 = make_ct_mr_pair(seed=3, mr_sequence="T2")
    ct_b, t1 = make_ct_mr_pair(seed=3, mr_sequence="T1")
    np.testing.assert_array_equal(ct_a.array, ct_b.array)
    np.testing.assert_array_equal(t1.masks["liver"], t2.masks["liver"])
    assert t1.meta["sequence"] == "T1" and t2.meta["sequence"] == "T2"
    assert not np.allclose(t1.array, t2.array)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"mr_sequence": "PD"}, "mr_sequence"),
        ({"height": 1.2}, "height"),
        ({"mr_size": 16}, "mr_size"),
        ({"difficulty": -1}, "difficulty"),
    ],
)
def test_ct_mr_pair_rejects_bad_arguments(kwargs, match):
    with pytest.raises(DataError, match=match):
        make_ct_mr_pair(**kwargs)


def test_volume_has_spacing_and_continuous_anatomy():
    vol = make_volume(seed=2, size=64, n_slices=20, slice_spacing_mm=5.0)
    assert vol.array.shape == (20, 64, 64) and vol.spacing[0] == 5.0
    liver_area = vol.masks["liver"].sum(axis=(1, 2)).astype(int)
    assert (liver_area > 0).all()
    # no jumps between slices
    assert np.abs(np.diff(liver_area)).max() < 0.25 * liver_area.max()
    assert vol.masks["lesion"].any()
    with pytest.raises(DataError):
        make_volume(n_slices=1)
