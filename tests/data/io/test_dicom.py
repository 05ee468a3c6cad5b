"""DICOM: stored values to Hounsfield units, series geometry, and atomic writing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pydicom
import pytest

from medtutor.data import DataError, example_ct_path, read_dicom, write_dicom_series
from medtutor.data.io.png import HU_OFFSET


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


def test_dicom_series_sorted_by_position_not_file_name(tmp_path, volume):
    folder = write_dicom_series(volume, tmp_path / "series", shuffle_names=True)
    files = sorted(folder.iterdir())
    assert len(files) == len(volume.array)
    positions = [float(pydicom.dcmread(f).ImagePositionPatient[2]) for f in files]
    assert positions != sorted(positions), "the names should not give the order"
    scan = read_dicom(folder)
    assert scan.spacing == pytest.approx(volume.spacing)
    np.testing.assert_allclose(scan.array, volume.array, atol=0.501)


def test_series_stores_hu_with_the_png_offset(tmp_path, volume):
    folder = write_dicom_series(volume, tmp_path / "series")
    ds = pydicom.dcmread(folder / "IM0000.dcm")
    assert float(ds.RescaleIntercept) == -HU_OFFSET and float(ds.RescaleSlope) == 1
    np.testing.assert_array_equal(
        ds.pixel_array, np.clip(np.round(volume.array[0] + HU_OFFSET), 0, 65535)
    )


def test_a_2d_scan_becomes_a_one_file_series(tmp_path):
    scan = read_dicom(example_ct_path())
    folder = write_dicom_series(scan, tmp_path / "one")
    assert [p.name for p in folder.iterdir()] == ["IM0000.dcm"]
    back = read_dicom(folder / "IM0000.dcm")
    np.testing.assert_allclose(back.array, scan.array, atol=0.501)
    assert back.spacing == pytest.approx(scan.spacing)


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


def test_dicom_folder_with_two_series(tmp_path, volume):
    a = write_dicom_series(volume, tmp_path / "a")
    b = write_dicom_series(volume, tmp_path / "b")
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    for src in (a, b):
        for f in src.iterdir():
            (mixed / f"{src.name}_{f.name}").write_bytes(f.read_bytes())
    with pytest.raises(DataError, match="2 series"):
        read_dicom(mixed)
    uid = str(pydicom.dcmread(next(a.iterdir())).SeriesInstanceUID)
    assert read_dicom(mixed, series_uid=uid).array.shape == volume.array.shape
    with pytest.raises(DataError, match="no slice of series"):
        read_dicom(mixed, series_uid="1.2.3")


def test_write_dicom_series_refuses_mr_and_busy_folders(tmp_path, volume):
    from dataclasses import replace

    with pytest.raises(DataError, match="Hounsfield"):
        write_dicom_series(replace(volume, units="a.u."), tmp_path / "mr")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine")
    with pytest.raises(DataError, match="not an empty folder"):
        write_dicom_series(volume, busy)
    assert [p.name for p in busy.iterdir()] == ["keep.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["busy"]


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()])
def test_interrupted_series_leaves_nothing(tmp_path, volume, monkeypatch, error):
    real_save = pydicom.Dataset.save_as
    calls = []

    def second_call_fails(self, filename, *args, **kwargs):
        calls.append(filename)
        if len(calls) > 1:
            Path(filename).write_bytes(b"DICM half a slice")
            raise error
        return real_save(self, filename, *args, **kwargs)

    monkeypatch.setattr(pydicom.Dataset, "save_as", second_call_fails)
    with pytest.raises(type(error)):
        write_dicom_series(volume, tmp_path / "series")
    assert len(calls) == 2
    assert list(tmp_path.iterdir()) == []


def test_interrupted_series_keeps_an_empty_target_empty(tmp_path, volume, monkeypatch):
    target = tmp_path / "series"
    target.mkdir()
    real_save = pydicom.Dataset.save_as
    calls = []

    def second_call_fails(self, filename, *args, **kwargs):
        calls.append(filename)
        if len(calls) > 1:
            raise KeyboardInterrupt
        return real_save(self, filename, *args, **kwargs)

    monkeypatch.setattr(pydicom.Dataset, "save_as", second_call_fails)
    with pytest.raises(KeyboardInterrupt):
        write_dicom_series(volume, target)
    assert [p.name for p in tmp_path.iterdir()] == ["series"]
    assert list(target.iterdir()) == []


def _edit_series(folder, change):
    """Apply ``change(ds, k)`` to every file of a series, in position order."""

    def height(f):
        ds = pydicom.dcmread(f)
        return float(ds.ImagePositionPatient[2]) if "ImagePositionPatient" in ds else 0

    files = sorted(folder.iterdir(), key=height)
    for k, f in enumerate(files):
        ds = pydicom.dcmread(f)
        change(ds, k)
        ds.save_as(f)
    return files


def test_without_positions_order_comes_from_instance_numbers_with_a_warning(
    tmp_path, volume
):
    folder = write_dicom_series(volume, tmp_path / "s", shuffle_names=True)

    def no_position(ds, k):
        del ds.ImagePositionPatient
        ds.InstanceNumber = 10 * (k + 1)  # gaps of 10: not millimetres
        ds.SliceThickness = 4.0

    _edit_series(folder, no_position)
    with pytest.warns(UserWarning, match="ordered by InstanceNumber"):
        scan = read_dicom(folder)
    assert scan.spacing[0] == 4.0  # SliceThickness, not the instance-number gaps
    np.testing.assert_allclose(scan.array, volume.array, atol=0.501)
    _edit_series(folder, lambda ds, k: delattr(ds, "InstanceNumber"))
    with pytest.raises(DataError, match="neither ImagePositionPatient nor Instance"):
        read_dicom(folder)


@pytest.mark.parametrize(
    ("tag", "value", "message"),
    [
        ("ImageOrientationPatient", [1, 0, 0, 0, 1], "must hold 6 numbers"),
        ("ImageOrientationPatient", [1, 0, 0, 1, 0, 0], "two perpendicular"),
        ("ImagePositionPatient", [0, 0], "must hold 3 numbers"),
        ("RescaleSlope", "1e400", "NaN or inf"),
    ],
)
def test_malformed_geometry_and_scaling_name_the_file(
    tmp_path, volume, tag, value, message
):
    folder = write_dicom_series(volume, tmp_path / "s")

    def spoil(ds, k):
        if k == 1 or tag == "ImageOrientationPatient":  # orientation: first slice's
            ds[tag].value = value

    files = _edit_series(folder, spoil)
    with pytest.raises(DataError, match=message) as caught:
        read_dicom(folder)
    assert str(folder) in str(caught.value)
    assert any(f.name in str(caught.value) for f in files)


def test_a_dicomdir_and_a_missing_preamble_do_not_break_a_series(tmp_path, volume):
    folder = write_dicom_series(volume, tmp_path / "s")
    (folder / "DICOMDIR").write_bytes(b"\0" * 128 + b"DICM" + b"\0" * 64)
    victim = sorted(folder.glob("*.dcm"))[0]
    victim.write_bytes(victim.read_bytes()[132:])  # no preamble, no "DICM" prefix
    scan = read_dicom(folder)
    np.testing.assert_allclose(scan.array, volume.array, atol=0.501)
