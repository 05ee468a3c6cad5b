"""load_slices: one entry point for a SliceSet, a folder or a MedMNIST file."""

from __future__ import annotations

import numpy as np
import pytest

from medtutor.data import DataError, load_slices, write_medmnist


def test_a_slice_set_is_returned_as_is(small):
    assert load_slices(small) is small


def test_a_folder_is_read_with_read_folder(small, folder):
    back = load_slices(folder)
    assert back.meta["source"] == "folder" and len(back) == len(small)
    np.testing.assert_array_equal(back.labels, small.labels)


def test_an_npz_is_read_with_read_medmnist(small, tmp_path):
    path = write_medmnist(small, tmp_path / "liver.npz")
    back = load_slices(str(path))
    assert back.meta["source"] == "medmnist" and back.image_shape == (48, 48)


def test_anything_else_is_refused(tmp_path):
    with pytest.raises(DataError, match="no such"):
        load_slices(tmp_path / "absent.npz")
    with pytest.raises(DataError, match="no such file or folder"):
        load_slices(tmp_path / "absent")
    (tmp_path / "x.csv").write_text("a")
    with pytest.raises(DataError, match="expected a folder"):
        load_slices(tmp_path / "x.csv")
