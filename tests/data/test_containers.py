"""SliceSet and Scan: validation on construction, subsets and splits."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from medtutor.data import DataError, Scan, SliceSet


@pytest.fixture()
def slices(rng):
    """Six 8x8 slices of three patients, labels 0 1 0 1 0 1, with a split."""
    return SliceSet(
        images=rng.normal(size=(6, 8, 8)).astype(np.float32),
        labels=np.array([0, 1, 0, 1, 0, 1]),
        patient_ids=np.array(["a", "a", "b", "b", "c", "c"]),
        class_names=("no", "yes"),
        lesion_masks=np.zeros((6, 8, 8), np.uint8),
        split=np.array(["train", "train", "val", "val", "test", "test"]),
    )


def test_slice_set_validates(slices):
    with pytest.raises(DataError, match="labels has 1 entries but there are 6"):
        SliceSet(
            images=slices.images,
            labels=slices.labels[:1],
            patient_ids=slices.patient_ids,
            class_names=slices.class_names,
        )
    bad = slices.images.copy()
    bad[1, 0, 0] = np.inf
    with pytest.raises(DataError, match="index 1"):
        SliceSet(
            images=bad,
            labels=slices.labels,
            patient_ids=slices.patient_ids,
            class_names=slices.class_names,
        )
    with pytest.raises(DataError, match=r"labels must lie in \[0, 1\)"):
        SliceSet(
            images=slices.images,
            labels=slices.labels,
            patient_ids=slices.patient_ids,
            class_names=("only",),
        )
    with pytest.raises(DataError, match="shape"):
        SliceSet(
            images=slices.images[0],
            labels=slices.labels,
            patient_ids=slices.patient_ids,
            class_names=slices.class_names,
        )


def test_subset_and_split_part_keep_fields_aligned(slices):
    part = slices.subset(slices.labels == 1)
    assert len(part) == 3 and part.image_shape == (8, 8)
    np.testing.assert_array_equal(part.images, slices.images[1::2])
    np.testing.assert_array_equal(part.patient_ids, ["a", "b", "c"])
    assert part.lesion_masks.shape == (3, 8, 8) and part.liver_masks is None
    val = slices.split_part("val")
    np.testing.assert_array_equal(val.patient_ids, ["b", "b"])
    with pytest.raises(DataError, match="split must be one of"):
        slices.split_part("dev")
    with pytest.raises(DataError, match="no split"):
        replace(slices, split=None).split_part("train")


def test_summary_counts_each_split(slices):
    lines = slices.summary().splitlines()
    assert [line.split(":")[0].strip() for line in lines] == ["train", "val", "test"]
    assert "2 slices" in lines[0] and "1 patients" in lines[0] and "yes 1" in lines[0]
    assert replace(slices, split=None).summary().startswith("all  :     6 slices")


def test_scan_validates_and_measures():
    with pytest.raises(DataError, match="spacing"):
        Scan(np.zeros((4, 4)), (1.0,))
    with pytest.raises(DataError, match="positive"):
        Scan(np.zeros((4, 4)), (1.0, 0.0))
    with pytest.raises(DataError, match="2D image or a 3D volume"):
        Scan(np.zeros(4), (1.0,))
    with pytest.raises(DataError, match="mask 'liver'"):
        Scan(np.zeros((4, 4)), (1.0, 1.0), masks={"liver": np.zeros((4, 5))})
    assert Scan(np.zeros((10, 4, 5)), (2.5, 0.5, 1.0)).extent_mm == (25.0, 2.0, 5.0)


def test_as_binary_one_against_the_rest_or_against_chosen_classes():
    n = 12
    data = SliceSet(
        images=np.zeros((n, 4, 4), np.float32),
        labels=np.arange(n) % 3,
        patient_ids=np.array([f"p{i}" for i in range(n)]),
        class_names=("liver", "kidney", "spleen"),
    )
    rest = data.as_binary("kidney")
    assert rest.class_names == ("not_kidney", "kidney") and len(rest) == n
    np.testing.assert_array_equal(rest.labels, (data.labels == 1).astype(int))
    pair = data.as_binary(["spleen"], negative="liver")
    assert pair.class_names == ("liver", "spleen") and len(pair) == 8
    np.testing.assert_array_equal(pair.labels, data.labels[data.labels != 1] // 2)
    assert list(pair.patient_ids) == [f"p{i}" for i in range(n) if i % 3 != 1]
    with pytest.raises(DataError, match="unknown class name.*liver, kidney, spleen"):
        data.as_binary("lung")
    with pytest.raises(DataError, match="in both lists"):
        data.as_binary("liver", negative=["liver", "kidney"])
