"""Readers and writers of real formats, including every bad-input case."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pydicom
import pytest
from PIL import Image

from medtutor.data import (
    DataError,
    Scan,
    example_ct_path,
    load_slices,
    make_liver_dataset,
    make_volume,
    patient_split,
    read_dicom,
    read_folder,
    read_medmnist,
    read_nifti,
    read_png,
    write_dicom_series,
    write_folder,
    write_medmnist,
    write_nifti,
)


@pytest.fixture(scope="module")
def small():
    d = make_liver_dataset(n_patients=6, slices_per_patient=3, size=48, seed=4)
    return d.with_split(patient_split(d, seed=0))


@pytest.fixture()
def folder(small, tmp_path):
    return write_folder(small, tmp_path / "data")


def snapshot(root: Path) -> dict:
    return {
        p.relative_to(root).as_posix(): hashlib.md5(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


# ---------------------------------------------------------------- folder layout


def test_folder_round_trip_keeps_hu_labels_patients_masks(small, folder):
    assert (folder / "manifest.csv").is_file() and (folder / "dataset.json").is_file()
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == [
        "masks",
        "test",
        "train",
        "val",
    ]
    before = snapshot(folder)
    back = read_folder(folder)
    assert snapshot(folder) == before, "readers must never write to their input"
    assert back.units == "HU" and back.spacing == pytest.approx(small.spacing)
    np.testing.assert_allclose(back.images, small.images, atol=0.501)
    np.testing.assert_array_equal(back.labels, small.labels)
    np.testing.assert_array_equal(back.patient_ids, small.patient_ids)
    np.testing.assert_array_equal(back.split, small.split)
    np.testing.assert_array_equal(back.lesion_masks, small.lesion_masks)
    np.testing.assert_array_equal(back.liver_masks, small.liver_masks)


def test_folder_without_manifest_uses_folders_and_file_names(small, folder):
    (folder / "manifest.csv").unlink()
    (folder / "dataset.json").unlink()
    back = read_folder(folder, masks=False)
    assert back.class_names == ("no_tumour", "tumour")
    assert back.units == "intensity"  # without dataset.json the offset is unknown
    order = np.argsort([f for f in back.meta["files"]])
    assert set(back.patient_ids) == set(small.patient_ids)
    assert len(back) == len(small) and back.labels.sum() == small.labels.sum()
    assert order.size == len(small)


def test_8bit_folder_is_windowed(small, tmp_path):
    root = write_folder(small, tmp_path / "d8", bit_depth=8, window="abdomen")
    png = next((root / "train").rglob("*.png"))
    assert Image.open(png).mode == "L"
    back = read_folder(root)
    assert back.units == "intensity" and back.images.max() <= 255


def test_write_folder_refuses_non_empty_target_and_missing_split(small, tmp_path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "keep.txt").write_text("mine")
    with pytest.raises(DataError, match="not an empty folder"):
        write_folder(small, tmp_path / "busy")
    assert (tmp_path / "busy" / "keep.txt").read_text() == "mine"
    with pytest.raises(DataError, match="split"):
        write_folder(
            make_liver_dataset(n_patients=1, slices_per_patient=1, size=32),
            tmp_path / "x",
        )


def test_bad_folders(tmp_path, small, folder):
    with pytest.raises(DataError, match="no such folder"):
        read_folder(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no train/"):
        read_folder(tmp_path / "empty")
    (tmp_path / "noclass" / "train").mkdir(parents=True)
    with pytest.raises(DataError, match="no class sub-folders"):
        read_folder(tmp_path / "noclass")
    (tmp_path / "emptyclass" / "train" / "a").mkdir(parents=True)
    with pytest.raises(DataError, match="no images"):
        read_folder(tmp_path / "emptyclass")


def _plain_folder(tmp_path, small, name="plain"):
    root = write_folder(small, tmp_path / name, bit_depth=8)
    (root / "manifest.csv").unlink()
    return root


def test_non_image_file_is_named(tmp_path, small):
    root = _plain_folder(tmp_path, small)
    bad = root / "train" / "tumour" / "notes.txt"
    bad.write_text("not an image")
    with pytest.raises(DataError, match="notes.txt"):
        read_folder(root)


def test_truncated_png_is_named(tmp_path, small):
    root = _plain_folder(tmp_path, small)
    victim = next((root / "val").rglob("*.png"))
    victim.write_bytes(victim.read_bytes()[:60])
    with pytest.raises(DataError, match=victim.name):
        read_folder(root)


def test_different_sizes_need_resize(tmp_path, small):
    root = _plain_folder(tmp_path, small)
    odd = next((root / "test").rglob("*.png"))
    Image.fromarray(np.zeros((30, 40), np.uint8)).save(odd)
    with pytest.raises(DataError, match="size="):
        read_folder(root, masks=False)
    back = read_folder(root, size=48, masks=False)
    assert back.image_shape == (48, 48)


def test_rgb_is_refused_or_converted(tmp_path, small):
    root = _plain_folder(tmp_path, small)
    rgb = next((root / "train").rglob("*.png"))
    Image.fromarray(np.full((48, 48, 3), (200, 100, 50), np.uint8)).save(rgb)
    with pytest.raises(DataError, match="colour"):
        read_folder(root)
    back = read_folder(root, rgb="convert", masks=False)
    expected = round(0.299 * 200 + 0.587 * 100 + 0.114 * 50)
    assert expected - 1 <= back.images.max() <= 255 and expected in np.round(
        back.images
    )


def test_manifest_naming_missing_files(tmp_path, small, folder):
    victim = next((folder / "train").rglob("*.png"))
    victim.unlink()
    with pytest.raises(DataError, match="do not exist"):
        read_folder(folder)


def test_read_png_16_bit(tmp_path):
    arr = np.arange(0, 4096, dtype=np.uint16).reshape(64, 64)
    Image.fromarray(arr).save(tmp_path / "a.png")
    np.testing.assert_array_equal(read_png(tmp_path / "a.png"), arr)


# ---------------------------------------------------------------- MedMNIST


def test_medmnist_round_trip(small, tmp_path):
    path = write_medmnist(small, tmp_path / "liver.npz")
    with np.load(path, allow_pickle=False) as z:
        assert z["train_images"].dtype == np.uint8 and z["train_labels"].shape[1] == 1
    back = read_medmnist(path)
    assert back.class_names == small.class_names
    np.testing.assert_array_equal(np.sort(back.labels), np.sort(small.labels))
    assert set(back.patient_ids) == set(small.patient_ids)
    for s in ("train", "val", "test"):
        assert (back.split == s).sum() == (small.split == s).sum()
    assert load_slices(path).image_shape == (48, 48)


def _npz(path, **arrays):
    np.savez(path, **arrays)
    return path


def test_medmnist_bad_inputs(tmp_path):
    ok = {
        f"{s}_{k}": (
            np.zeros((3, 28, 28), np.uint8)
            if k == "images"
            else np.zeros((3, 1), np.uint8)
        )
        for s in ("train", "val", "test")
        for k in ("images", "labels")
    }
    assert len(read_medmnist(_npz(tmp_path / "ok.npz", **ok))) == 9
    missing = {k: v for k, v in ok.items() if k != "val_labels"}
    with pytest.raises(DataError, match="val_labels"):
        read_medmnist(_npz(tmp_path / "missing.npz", **missing))
    short = dict(ok, test_labels=np.zeros((2, 1), np.uint8))
    with pytest.raises(
        DataError, match="test_images has 3 entries but test_labels has 2"
    ):
        read_medmnist(_npz(tmp_path / "short.npz", **short))
    rgb = dict(ok, train_images=np.zeros((3, 28, 28, 3), np.uint8))
    with pytest.raises(DataError, match="colour"):
        read_medmnist(_npz(tmp_path / "rgb.npz", **rgb))
    assert len(read_medmnist(tmp_path / "rgb.npz", rgb="convert")) == 9
    nan = dict(ok, val_images=np.full((3, 28, 28), np.nan, np.float32))
    with pytest.raises(DataError, match="NaN"):
        read_medmnist(_npz(tmp_path / "nan.npz", **nan))
    obj = dict(ok, train_labels=np.array([[0], [1], [None]], dtype=object))
    with pytest.raises(DataError, match="pickle"):
        read_medmnist(_npz(tmp_path / "obj.npz", **obj))
    with pytest.raises(DataError, match="no such file"):
        read_medmnist(tmp_path / "absent.npz")
    (tmp_path / "junk.npz").write_bytes(b"junk")
    with pytest.raises(DataError, match="junk.npz"):
        read_medmnist(tmp_path / "junk.npz")


# ---------------------------------------------------------------- DICOM


def test_pydicom_ct_slice_in_hounsfield_units():
    ds = pydicom.dcmread(example_ct_path())
    scan = read_dicom(example_ct_path())
    manual = ds.pixel_array.astype(np.float64) * float(ds.RescaleSlope) + float(
        ds.RescaleIntercept
    )
    np.testing.assert_allclose(scan.array, manual)
    assert scan.units == "HU" and scan.modality == "CT"
    assert scan.spacing == pytest.approx((0.661468, 0.661468))
    assert -1100 < scan.array.min() < -800 and scan.array.max() > 200


def test_dicom_series_sorted_by_position_not_file_name(tmp_path):
    vol = make_volume(seed=1, size=32, n_slices=8, slice_spacing_mm=3.0)
    folder = write_dicom_series(vol, tmp_path / "series", shuffle_names=True)
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 8
    scan = read_dicom(folder)
    assert scan.spacing == pytest.approx((3.0, *vol.spacing[1:]))
    np.testing.assert_allclose(scan.array, vol.array, atol=0.501)


def test_dicom_bad_inputs(tmp_path):
    with pytest.raises(DataError, match="no such"):
        read_dicom(tmp_path / "absent")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="empty folder"):
        read_dicom(tmp_path / "empty")
    (tmp_path / "notdicom.dcm").write_text("hello")
    with pytest.raises(DataError, match="notdicom.dcm"):
        read_dicom(tmp_path / "notdicom.dcm")
    ds = pydicom.dcmread(example_ct_path())
    del ds.PixelData
    ds.save_as(tmp_path / "nopixels.dcm")
    with pytest.raises(DataError, match="without pixel data"):
        read_dicom(tmp_path / "nopixels.dcm")
    raw = example_ct_path().read_bytes()
    (tmp_path / "truncated.dcm").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(DataError, match="truncated.dcm"):
        read_dicom(tmp_path / "truncated.dcm")


def test_dicom_folder_with_two_series(tmp_path):
    a = write_dicom_series(make_volume(seed=1, size=32, n_slices=3), tmp_path / "a")
    b = write_dicom_series(make_volume(seed=2, size=32, n_slices=3), tmp_path / "b")
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    for src in (a, b):
        for f in src.iterdir():
            (mixed / f"{src.name}_{f.name}").write_bytes(f.read_bytes())
    with pytest.raises(DataError, match="2 series"):
        read_dicom(mixed)
    uid = str(pydicom.dcmread(next(a.iterdir())).SeriesInstanceUID)
    assert read_dicom(mixed, series_uid=uid).array.shape == (3, 32, 32)


# ---------------------------------------------------------------- NIfTI


def test_nifti_round_trip_and_spacing(tmp_path):
    vol = make_volume(seed=3, size=32, n_slices=6, slice_spacing_mm=2.5)
    path = write_nifti(vol, tmp_path / "vol.nii.gz")
    back = read_nifti(path, modality="CT")
    np.testing.assert_allclose(back.array, vol.array, atol=1e-3)
    assert back.spacing == pytest.approx(vol.spacing) and back.units == "HU"


def test_nifti_reorients_to_canonical(tmp_path):
    import nibabel as nib

    data = np.arange(4 * 5 * 6, dtype=np.float32).reshape(4, 5, 6)
    flipped = nib.Nifti1Image(data[::-1], np.diag([-2.0, 1.0, 3.0, 1.0]))  # stored L->R
    nib.save(flipped, tmp_path / "lr.nii")
    canonical = nib.Nifti1Image(data, np.diag([2.0, 1.0, 3.0, 1.0]))
    nib.save(canonical, tmp_path / "ras.nii")
    a, b = read_nifti(tmp_path / "lr.nii"), read_nifti(tmp_path / "ras.nii")
    np.testing.assert_array_equal(a.array, b.array)
    assert a.spacing == pytest.approx((3.0, 1.0, 2.0))


def test_nifti_bad_inputs(tmp_path):
    import nibabel as nib

    with pytest.raises(DataError, match="no such file"):
        read_nifti(tmp_path / "x.nii")
    (tmp_path / "bad.nii").write_bytes(b"\0" * 10)
    with pytest.raises(DataError, match="bad.nii"):
        read_nifti(tmp_path / "bad.nii")
    nib.save(
        nib.Nifti1Image(np.zeros((4, 4), np.float32), np.eye(4)), tmp_path / "flat.nii"
    )
    with pytest.raises(DataError, match="3D"):
        read_nifti(tmp_path / "flat.nii")
    arr = np.zeros((4, 4, 4), np.float32)
    arr[1, 1, 1] = np.nan
    nib.save(nib.Nifti1Image(arr, np.eye(4)), tmp_path / "nan.nii")
    with pytest.raises(DataError, match="NaN"):
        read_nifti(tmp_path / "nan.nii")


# ---------------------------------------------------------------- containers


def test_containers_validate():
    with pytest.raises(DataError, match="entries"):
        make = make_liver_dataset(n_patients=2, slices_per_patient=1, size=32)
        type(make)(
            images=make.images,
            labels=make.labels[:1],
            patient_ids=make.patient_ids,
            class_names=make.class_names,
        )
    bad = np.zeros((2, 8, 8), np.float32)
    bad[1, 0, 0] = np.inf
    with pytest.raises(DataError, match="index 1"):
        type(make)(
            images=bad,
            labels=np.zeros(2, int),
            patient_ids=np.array(["a", "b"]),
            class_names=("x",),
        )
    with pytest.raises(DataError, match="spacing"):
        Scan(np.zeros((4, 4)), (1.0,))
    with pytest.raises(DataError, match="positive"):
        Scan(np.zeros((4, 4)), (1.0, 0.0))


def test_load_slices_dispatch(tmp_path, small, folder):
    assert load_slices(small) is small
    assert len(load_slices(folder)) == len(small)
    with pytest.raises(DataError, match="no such"):
        load_slices(tmp_path / "absent.npz")
    (tmp_path / "x.csv").write_text("a")
    with pytest.raises(DataError, match="expected a folder"):
        load_slices(tmp_path / "x.csv")
    assert os.path.isdir(folder)


def test_folder_cache_is_outside_the_data_and_invalidated_by_changes(
    small, folder, tmp_path
):
    cache = tmp_path / "cache"
    first = read_folder(folder, cache_dir=cache)
    assert len(list(cache.glob("*.npz"))) == 1
    again = read_folder(folder, cache_dir=cache)
    np.testing.assert_array_equal(first.images, again.images)
    np.testing.assert_array_equal(first.lesion_masks, again.lesion_masks)
    victim = folder / first.meta["files"][0]
    arr = read_png(victim)
    Image.fromarray((arr // 2).astype(arr.dtype)).save(victim)
    os.utime(victim, ns=(victim.stat().st_atime_ns, victim.stat().st_mtime_ns + 10**9))
    changed = read_folder(folder, cache_dir=cache)
    assert not np.array_equal(changed.images[0], first.images[0])
    with pytest.raises(DataError, match="inside the data folder"):
        read_folder(folder, cache_dir=folder / "cache")
