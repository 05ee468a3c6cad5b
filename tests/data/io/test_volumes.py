"""LiTS/MSD liver CT volumes -> the case study's SliceSet, on synthetic NIfTI files."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest

from medtutor.data import (
    DataError,
    find_liver_volumes,
    load_slices,
    read_liver_volumes,
    read_nifti,
)

LIVER_HU, TUMOUR_HU = 110.0, 60.0


def _case(shape=(6, 40, 48), pixel=0.8, tumour_slices=(2, 3), radius_mm=4.0):
    """A CT volume in HU and its label volume (Z, H, W): liver on slices 1-4, a tumour
    disc on ``tumour_slices``."""
    z, h, w = shape
    rows, cols = np.mgrid[:h, :w] * pixel
    ct = np.full(shape, -1000.0, np.float32)
    seg = np.zeros(shape, np.uint8)
    liver = ((rows - 14) / 9) ** 2 + ((cols - 20) / 13) ** 2 <= 1
    tumour = (rows - 14) ** 2 + (cols - 22) ** 2 <= radius_mm**2
    for k in range(1, 5):
        ct[k][liver], seg[k][liver] = LIVER_HU, 1
    for k in tumour_slices:
        ct[k][tumour], seg[k][tumour] = TUMOUR_HU, 2
    return ct, seg


def _save(array, path, pixel=0.8, thickness=2.5, flip=False):
    """Save (Z, H, W) in the book's display order as RAS+ NIfTI, or as LPS-stored data
    (``flip``, how many CT exports store it) with the matching affine."""
    data = array[:, ::-1, ::-1].transpose(2, 1, 0)  # -> (x, y, z) in RAS+
    affine = np.diag([pixel, pixel, thickness, 1.0])
    if flip:  # store x and y reversed, with negative steps
        data = data[::-1, ::-1]
        affine = np.diag([-pixel, -pixel, thickness, 1.0])
    nib.save(nib.Nifti1Image(np.ascontiguousarray(data), affine), path)


@pytest.fixture
def msd(tmp_path):
    root = tmp_path / "Task03_Liver"
    (root / "imagesTr").mkdir(parents=True)
    (root / "labelsTr").mkdir()
    for n, tumour in ((0, (2, 3)), (1, ())):
        ct, seg = _case(tumour_slices=tumour)
        _save(ct, root / "imagesTr" / f"liver_{n}.nii.gz", flip=n == 1)
        _save(seg, root / "labelsTr" / f"liver_{n}.nii.gz", flip=n == 1)
    (root / "imagesTr" / "._liver_0.nii.gz").write_bytes(b"macOS metadata")
    return root


def test_msd_folder_becomes_the_case_study_slices(msd):
    pairs = find_liver_volumes(msd)
    assert [p[0].name for p in pairs] == ["liver_0.nii.gz", "liver_1.nii.gz"]
    data = read_liver_volumes(msd)
    assert data.units == "HU" and data.modality == "CT"
    assert data.class_names == ("no_tumour", "tumour")
    assert len(data) == 8  # slices 1-4 of each volume hold liver
    np.testing.assert_array_equal(data.labels, [0, 1, 1, 0, 0, 0, 0, 0])
    assert list(data.patient_ids) == ["liver_0"] * 4 + ["liver_1"] * 4
    np.testing.assert_allclose(data.z_mm[:4], [2.5, 5.0, 7.5, 10.0])
    assert data.spacing == pytest.approx((0.8, 0.8))
    # HU kept, masks aligned with the image in both storage orientations
    for k in range(len(data)):
        image, liver, tumour = data.images[k], data.liver_masks[k], data.lesion_masks[k]
        assert np.all(image[tumour == 1] == TUMOUR_HU)
        assert np.all(image[(liver == 1) & (tumour == 0)] == LIVER_HU)
        assert np.all(image[liver == 0] == -1000.0)
    np.testing.assert_array_equal(data.images[4:], data.images[[0, 0, 3, 3]])


def test_lits_layout_numeric_order_and_all_slices(tmp_path):
    for n in (10, 2):
        ct, seg = _case()
        _save(ct, tmp_path / f"volume-{n}.nii")
        _save(seg, tmp_path / f"segmentation-{n}.nii")
    pairs = find_liver_volumes(tmp_path)
    assert [p[1].name for p in pairs] == ["segmentation-2.nii", "segmentation-10.nii"]
    data = read_liver_volumes(tmp_path, slices="all")
    assert len(data) == 12 and data.patient_ids[0] == "volume-2"
    assert (
        data.labels.sum() == 4 and data.liver_masks[:, :, :].any(axis=(1, 2)).sum() == 8
    )


def test_minimum_tumour_size(msd):
    area = int(read_liver_volumes(msd).lesion_masks[1].sum())
    assert read_liver_volumes(msd, min_tumour_voxels=area).labels.sum() == 2
    assert read_liver_volumes(msd, min_tumour_voxels=area + 1).labels.sum() == 0


def test_different_pixel_sizes_need_a_common_grid(tmp_path):
    for n, pixel in ((0, 0.7), (1, 0.95)):
        ct, seg = _case(pixel=pixel, radius_mm=5.0)
        _save(ct, tmp_path / f"volume-{n}.nii.gz", pixel=pixel)
        _save(seg, tmp_path / f"segmentation-{n}.nii.gz", pixel=pixel)
    with pytest.raises(DataError, match=r"volume-1.nii.gz: .*fov_mm="):
        read_liver_volumes(tmp_path)
    data = read_liver_volumes(tmp_path, size=32, fov_mm=48.0)
    assert data.image_shape == (32, 32) and data.spacing == pytest.approx((1.5, 1.5))
    # Both patients' tumour (radius 5 mm) covers the same physical area on the grid ...
    areas = data.lesion_masks.reshape(len(data), -1).sum(axis=1)[data.labels == 1]
    assert len(areas) == 4
    np.testing.assert_allclose(areas, np.pi * 5.0**2 / 1.5**2, rtol=0.25)
    # ... and the liver sits at the grid's centre.
    for k in range(len(data)):
        rows, cols = np.nonzero(data.liver_masks[k])
        assert abs(rows.mean() - 15.5) < 1.0 and abs(cols.mean() - 15.5) < 1.0


def test_resize_whole_slices(msd):
    data = read_liver_volumes(msd, size=24)
    assert data.image_shape == (24, 24)
    assert data.spacing == pytest.approx((40 * 0.8 / 24, 48 * 0.8 / 24))
    np.testing.assert_array_equal(data.labels, [0, 1, 1, 0, 0, 0, 0, 0])


def test_load_slices_uses_the_case_study_grid(msd):
    data = load_slices(msd)
    assert data.image_shape == (64, 64)
    assert data.spacing == pytest.approx((220 / 64, 220 / 64))
    assert data.labels.sum() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("labels 3", r"liver_0.nii.gz: labels must be 0 background, 1 liver, 2 tumour"),
        ("shape", r"liver_0.nii.gz: label volume \(5, 40, 48\) does not match"),
        ("spacing", r"liver_0.nii.gz: voxel spacing"),
        ("no label", r"no label volume for liver_0.nii.gz"),
        ("not nifti", r"liver_0.nii.gz: not a readable NIfTI file"),
    ],
)
def test_bad_volumes_are_named(msd, change, message):
    label = msd / "labelsTr" / "liver_0.nii.gz"
    ct, seg = _case()
    if change == "labels 3":
        seg[1, 0, 0] = 3
        _save(seg, label)
    elif change == "shape":
        _save(seg[:5], label)
    elif change == "spacing":
        _save(seg, label, thickness=5.0)
    elif change == "no label":
        label.unlink()
    else:
        label.write_bytes(b"not a volume")
    with pytest.raises(DataError, match=message):
        read_liver_volumes(msd)


def test_folders_and_options_are_checked(tmp_path, msd):
    with pytest.raises(DataError, match="no liver CT volumes found"):
        find_liver_volumes(tmp_path)
    with pytest.raises(DataError, match="no such folder"):
        read_liver_volumes(tmp_path / "missing")
    with pytest.raises(DataError, match="slices must be"):
        read_liver_volumes(msd, slices="tumour")
    with pytest.raises(DataError, match="fov_mm needs size"):
        read_liver_volumes(msd, fov_mm=200.0)
    with pytest.raises(DataError, match="size must be"):
        read_liver_volumes(msd, size=4)
    with pytest.raises(DataError, match="no \\(CT, label\\) pairs"):
        read_liver_volumes([])


def test_explicit_pairs_and_progress(msd):
    pairs = find_liver_volumes(msd)[:1]
    seen = []
    data = read_liver_volumes(
        pairs, progress=lambda i, n, name: seen.append((i, n, name))
    )
    assert seen == [(0, 1, "liver_0.nii.gz")] and len(data) == 4


def test_written_by_the_book_reads_back(tmp_path, volume):
    """A volume written by write_nifti (the chapter's route) keeps its HU exactly."""
    from medtutor.data import Scan, write_nifti

    (tmp_path / "imagesTr").mkdir()
    (tmp_path / "labelsTr").mkdir()
    write_nifti(volume, tmp_path / "imagesTr" / "p.nii.gz")
    labels = np.ones(volume.array.shape, np.float32)
    write_nifti(Scan(labels, volume.spacing), tmp_path / "labelsTr" / "p.nii.gz")
    data = read_liver_volumes(tmp_path)
    np.testing.assert_allclose(
        data.images, read_nifti(tmp_path / "imagesTr" / "p.nii.gz").array
    )
    assert data.labels.sum() == 0 and len(data) == volume.array.shape[0]
