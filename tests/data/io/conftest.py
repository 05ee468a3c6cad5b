"""Fixtures of the reader and writer tests: a small split data set, the same data set
written in the article's folder layout, and a small CT volume."""

from __future__ import annotations

import pytest

from medtutor.data import make_liver_dataset, make_volume, patient_split, write_folder


@pytest.fixture(scope="module")
def small():
    """18 slices of 48x48 pixels from 6 patients, with masks and a patient split."""
    d = make_liver_dataset(n_patients=6, slices_per_patient=3, size=48, seed=4)
    return d.with_split(patient_split(d, seed=0))


@pytest.fixture()
def folder(small, tmp_path):
    """``small`` written by :func:`medtutor.data.write_folder` (16-bit HU, masks)."""
    return write_folder(small, tmp_path / "data")


@pytest.fixture()
def volume():
    """A 6x32x32 CT volume in HU with 2.5 mm slices."""
    return make_volume(seed=3, size=32, n_slices=6, slice_spacing_mm=2.5)
