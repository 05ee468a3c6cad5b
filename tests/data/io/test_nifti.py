"""NIfTI: reading in the book's (Z, H, W) order, and writing atomically."""

from __future__ import annotations

from pathlib import Path

import nibabel as nib
import numpy as np
import pytest

from medtutor.data import DataError, read_nifti, write_nifti


def test_nifti_round_trip_and_spacing(tmp_path, volume):
    path = write_nifti(volume, tmp_path / "vol.nii.gz")
    assert path == tmp_path / "vol.nii.gz"
    back = read_nifti(path, modality="CT")
    np.testing.assert_allclose(back.array, volume.array, atol=1e-3)
    assert back.spacing == pytest.approx(volume.spacing) and back.units == "HU"
    assert back.meta["orientation"] == "RAS"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vol.nii.gz"]


def test_uncompressed_nifti(tmp_path, volume):
    path = write_nifti(volume, tmp_path / "vol.nii")
    assert path.read_bytes()[344:348] == b"n+1\0"  # the NIfTI-1 magic, not gzip
    np.testing.assert_allclose(read_nifti(path).array, volume.array, atol=1e-3)


def test_nifti_reorients_to_canonical(tmp_path):
    data = np.arange(4 * 5 * 6, dtype=np.float32).reshape(4, 5, 6)
    flipped = nib.Nifti1Image(data[::-1], np.diag([-2.0, 1.0, 3.0, 1.0]))  # stored L->R
    nib.save(flipped, tmp_path / "lr.nii")
    canonical = nib.Nifti1Image(data, np.diag([2.0, 1.0, 3.0, 1.0]))
    nib.save(canonical, tmp_path / "ras.nii")
    a, b = read_nifti(tmp_path / "lr.nii"), read_nifti(tmp_path / "ras.nii")
    np.testing.assert_array_equal(a.array, b.array)
    assert a.spacing == pytest.approx((3.0, 1.0, 2.0))


def test_nifti_bad_inputs(tmp_path):
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


def test_write_nifti_refuses_a_2d_scan(tmp_path, volume):
    from dataclasses import replace

    flat = replace(volume, array=volume.array[0], spacing=volume.spacing[1:], masks={})
    with pytest.raises(DataError, match="3D"):
        write_nifti(flat, tmp_path / "flat.nii")
    assert list(tmp_path.iterdir()) == []


def test_write_nifti_refuses_other_file_names(tmp_path, volume):
    with pytest.raises(DataError, match=r"vol.img: a NIfTI file name ends in \.nii"):
        write_nifti(volume, tmp_path / "vol.img")
    assert list(tmp_path.iterdir()) == []
    path = write_nifti(volume, tmp_path / "VOL.NII.GZ")
    assert path.read_bytes()[:2] == b"\x1f\x8b"  # gzip, as the name says
    assert [p.name for p in tmp_path.iterdir()] == ["VOL.NII.GZ"]


def test_write_nifti_never_overwrites_silently(tmp_path, volume):
    path = tmp_path / "vol.nii.gz"
    path.write_bytes(b"someone else's file")
    with pytest.raises(DataError, match="vol.nii.gz"):
        write_nifti(volume, path)
    assert path.read_bytes() == b"someone else's file"
    write_nifti(volume, path, overwrite=True)
    np.testing.assert_allclose(read_nifti(path).array, volume.array, atol=1e-3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vol.nii.gz"]


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()])
def test_write_nifti_interrupted_leaves_nothing(tmp_path, volume, monkeypatch, error):
    def half_then_fail(img, filename, *args, **kwargs):
        Path(filename).write_bytes(b"\x1f\x8b half a volume")
        raise error

    monkeypatch.setattr(nib, "save", half_then_fail)
    with pytest.raises(type(error)):
        write_nifti(volume, tmp_path / "vol.nii.gz")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()])
def test_interrupted_overwrite_keeps_the_old_file(tmp_path, volume, monkeypatch, error):
    path = write_nifti(volume, tmp_path / "vol.nii")
    before = path.read_bytes()

    def half_then_fail(img, filename, *args, **kwargs):
        Path(filename).write_bytes(b"half a volume")
        raise error

    monkeypatch.setattr(nib, "save", half_then_fail)
    with pytest.raises(type(error)):
        write_nifti(volume, path, overwrite=True)
    assert [p.name for p in tmp_path.iterdir()] == ["vol.nii"]
    assert path.read_bytes() == before
