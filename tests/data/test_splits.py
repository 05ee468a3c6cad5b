"""Patient-level splits never share a patient; the slice-level split does."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medtutor.data import DataError, make_liver_dataset, patient_split, slice_split
from medtutor.data.containers import SPLITS


@settings(max_examples=40, deadline=None)
@given(st.integers(6, 60), st.integers(1, 6), st.integers(0, 10_000))
def test_splits_never_share_a_patient(n_patients, per_patient, seed):
    labels = np.random.default_rng(seed).integers(0, 2, n_patients * per_patient)
    pids = np.repeat([f"P{i}" for i in range(n_patients)], per_patient)
    split = patient_split(pids, labels, seed=seed)
    assert set(split) <= set(SPLITS)
    owners = {}
    for pid, s in zip(pids, split, strict=True):
        assert owners.setdefault(pid, s) == s, f"patient {pid} is in two splits"


def test_patient_split_is_stratified_and_repeatable():
    data = make_liver_dataset(n_patients=40, slices_per_patient=3, size=32, seed=0)
    a, b = patient_split(data, seed=1), patient_split(data, seed=1)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, patient_split(data, seed=2))
    for s in SPLITS:
        part = data.with_split(a).split_part(s)
        assert part.labels.sum() > 0, f"no positive slice in {s}"
    n_patients = {s: len(np.unique(data.patient_ids[a == s])) for s in SPLITS}
    assert n_patients == {"train": 24, "val": 8, "test": 8}


def test_no_validation_split():
    pids = np.repeat([f"P{i}" for i in range(10)], 2)
    split = patient_split(pids, np.zeros(20), fractions=(0.7, 0.0, 0.3))
    assert set(split) == {"train", "test"}


def test_slice_split_mixes_patients():
    data = make_liver_dataset(n_patients=10, slices_per_patient=6, size=32, seed=0)
    split = slice_split(data, seed=0)
    assert list(np.unique(split, return_counts=True)[1]) == [12, 36, 12]
    shared = {p for p in data.patient_ids if len(set(split[data.patient_ids == p])) > 1}
    assert shared, "a slice-level split puts slices of one patient in several splits"


@pytest.mark.parametrize(
    "fractions", [(0.5, 0.5), (0.7, 0.2, 0.2), (-0.1, 0.6, 0.5), (0.0, 0.5, 0.5)]
)
def test_bad_fractions(fractions):
    with pytest.raises(DataError, match="fractions"):
        patient_split(np.array(["a", "b", "c", "d"]), np.zeros(4), fractions=fractions)


def test_too_few_patients_and_mismatched_lengths():
    with pytest.raises(DataError, match="at least 3"):
        patient_split(np.array(["a", "a", "b"]), np.zeros(3))
    with pytest.raises(DataError, match="labels"):
        patient_split(np.array(["a", "b", "c"]), np.zeros(2))
    with pytest.raises(DataError, match="labels are needed"):
        patient_split(np.array(["a", "b", "c"]))
