"""MedMNIST-style .npz archives: round trip and every bad input."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest

from medtutor.data import DataError, read_medmnist, write_medmnist
from medtutor.data.containers import SPLITS


@pytest.fixture()
def ok():
    """The six keys of a valid archive: 3 black 28x28 images per split, label 0."""
    return {
        f"{s}_{k}": (
            np.zeros((3, 28, 28), np.uint8)
            if k == "images"
            else np.zeros((3, 1), np.uint8)
        )
        for s in SPLITS
        for k in ("images", "labels")
    }


def npz(path, **arrays):
    np.savez(path, **arrays)
    return path


def test_medmnist_round_trip(small, tmp_path):
    path = write_medmnist(small, tmp_path / "liver.npz")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["liver.npz"]
    with np.load(path, allow_pickle=False) as z:
        assert z["train_images"].dtype == np.uint8 and z["train_labels"].shape[1] == 1
    back = read_medmnist(path)
    assert back.class_names == small.class_names
    assert back.units == "intensity" and back.image_shape == small.image_shape
    np.testing.assert_array_equal(np.sort(back.labels), np.sort(small.labels))
    assert set(back.patient_ids) == set(small.patient_ids)
    for s in SPLITS:
        assert (back.split == s).sum() == (small.split == s).sum()


def test_write_medmnist_needs_a_split(small, tmp_path):
    from dataclasses import replace

    with pytest.raises(DataError, match="split"):
        write_medmnist(replace(small, split=None), tmp_path / "x.npz")
    assert list(tmp_path.iterdir()) == []


def test_valid_archive_without_medtutor_keys(tmp_path, ok):
    back = read_medmnist(npz(tmp_path / "ok.npz", **ok))
    assert len(back) == 9
    assert back.class_names == ("class_0",)
    assert back.patient_ids[0] == "train-0"  # MedMNIST has no patient ids
    named = read_medmnist(tmp_path / "ok.npz", class_names=("normal", "abnormal"))
    assert named.class_names == ("normal", "abnormal")


def test_missing_and_short_keys(tmp_path, ok):
    missing = {k: v for k, v in ok.items() if k != "val_labels"}
    with pytest.raises(DataError, match="val_labels"):
        read_medmnist(npz(tmp_path / "missing.npz", **missing))
    short = dict(ok, test_labels=np.zeros((2, 1), np.uint8))
    with pytest.raises(
        DataError, match="test_images has 3 entries but test_labels has 2"
    ):
        read_medmnist(npz(tmp_path / "short.npz", **short))


def test_colour_is_refused_or_converted(tmp_path, ok):
    rgb = dict(ok, train_images=np.zeros((3, 28, 28, 3), np.uint8))
    with pytest.raises(DataError, match="colour"):
        read_medmnist(npz(tmp_path / "rgb.npz", **rgb))
    assert len(read_medmnist(tmp_path / "rgb.npz", rgb="convert")) == 9


def test_bad_values(tmp_path, ok):
    nan = dict(ok, val_images=np.full((3, 28, 28), np.nan, np.float32))
    with pytest.raises(DataError, match="NaN"):
        read_medmnist(npz(tmp_path / "nan.npz", **nan))
    obj = dict(ok, train_labels=np.array([[0], [1], [None]], dtype=object))
    with pytest.raises(DataError, match="pickle"):
        read_medmnist(npz(tmp_path / "obj.npz", **obj))
    multi = dict(ok, train_labels=np.zeros((3, 2), np.uint8))
    with pytest.raises(DataError, match="multi-label"):
        read_medmnist(npz(tmp_path / "multi.npz", **multi))
    sizes = dict(ok, test_images=np.zeros((3, 32, 32), np.uint8))
    with pytest.raises(DataError, match="sizes differ"):
        read_medmnist(npz(tmp_path / "sizes.npz", **sizes))
    with pytest.raises(DataError, match="only 1 class names"):
        read_medmnist(
            npz(tmp_path / "labels.npz", **dict(ok, val_labels=np.ones((3, 1)))),
            class_names=("one",),
        )


def test_unreadable_files(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        read_medmnist(tmp_path / "absent.npz")
    (tmp_path / "junk.npz").write_bytes(b"junk")
    with pytest.raises(DataError, match="junk.npz"):
        read_medmnist(tmp_path / "junk.npz")


def test_soft_labels_are_refused_not_rounded(tmp_path, ok):
    soft = dict(ok, train_labels=np.array([[0.0], [0.7], [1.0]]))
    with pytest.raises(DataError, match=r"soft.npz: train_labels .* found 0.7"):
        read_medmnist(npz(tmp_path / "soft.npz", **soft))
    text = dict(ok, test_labels=np.array([["a"], ["b"], ["c"]]))
    with pytest.raises(DataError, match=r"test_labels must be integer .* dtype <U1"):
        read_medmnist(npz(tmp_path / "text.npz", **text))


def test_damaged_archives_say_so(tmp_path, ok):
    """What an interrupted download looks like: one line naming the file, no
    traceback."""
    whole = npz(tmp_path / "whole.npz", **ok).read_bytes()
    (tmp_path / "cut.npz").write_bytes(whole[: len(whole) // 2])
    with pytest.raises(DataError, match=r"cut.npz: .*download it again"):
        read_medmnist(tmp_path / "cut.npz")
    noisy = dict(ok, train_images=np.arange(3 * 28 * 28).reshape(3, 28, 28) % 251)
    np.savez_compressed(tmp_path / "crc.npz", **noisy)
    with zipfile.ZipFile(tmp_path / "crc.npz") as archive:
        member = archive.getinfo("train_images.npy")
    damaged = bytearray((tmp_path / "crc.npz").read_bytes())
    middle = (
        member.header_offset + 30 + len(member.filename) + member.compress_size // 2
    )
    damaged[middle] ^= 0xFF  # inside the member's compressed data
    (tmp_path / "crc.npz").write_bytes(bytes(damaged))
    with pytest.raises(DataError, match=r"crc.npz: .*download it again"):
        read_medmnist(tmp_path / "crc.npz")
    np.save(tmp_path / "array.npy", np.zeros(3))
    (tmp_path / "array.npy").rename(tmp_path / "array.npz")
    with pytest.raises(DataError, match=r"array.npz: a single NumPy array"):
        read_medmnist(tmp_path / "array.npz")
    (tmp_path / "empty.npz").write_bytes(b"")
    with pytest.raises(DataError, match="empty.npz"):
        read_medmnist(tmp_path / "empty.npz")


def test_float_images_already_in_unit_range_are_refused(tmp_path, ok):
    scaled = dict(ok, train_images=np.full((3, 28, 28), 0.5, np.float32))
    with pytest.raises(DataError, match=r"train_images are floats in \[0, 1\]"):
        read_medmnist(npz(tmp_path / "scaled.npz", **scaled))


def test_archives_that_expand_beyond_the_limit_are_refused_first(
    tmp_path, ok, monkeypatch
):
    big = dict(  # 1.6 MB inside
        ok,
        train_images=np.zeros((400, 64, 64), np.uint8),
        train_labels=np.zeros((400, 1), np.uint8),
    )
    np.savez_compressed(tmp_path / "bomb.npz", **big)
    assert (tmp_path / "bomb.npz").stat().st_size < 100_000
    monkeypatch.setenv("MEDTUTOR_MAX_NPZ_MB", "1")
    with pytest.raises(DataError, match=r"bomb.npz: 2 MB once uncompressed"):
        read_medmnist(tmp_path / "bomb.npz")
    monkeypatch.setenv("MEDTUTOR_MAX_NPZ_MB", "2")
    with pytest.raises(DataError, match="image sizes differ"):  # read, then checked
        read_medmnist(tmp_path / "bomb.npz")
    monkeypatch.setenv("MEDTUTOR_MAX_NPZ_MB", "lots")
    with pytest.raises(DataError, match="MEDTUTOR_MAX_NPZ_MB='lots' is not a number"):
        read_medmnist(tmp_path / "bomb.npz")
