"""The article's folder layout: write_folder and read_folder, including every bad
input."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from medtutor.data import DataError, make_liver_dataset, read_folder, write_folder
from medtutor.data.io.png import read_png


def snapshot(root: Path) -> dict:
    return {
        p.relative_to(root).as_posix(): hashlib.md5(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def plain_folder(tmp_path, small, name="plain"):
    """``small`` as 8-bit PNGs with ``dataset.json`` but without a manifest."""
    root = write_folder(small, tmp_path / name, bit_depth=8)
    (root / "manifest.csv").unlink()
    return root


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
    assert back.spacing == (1.0, 1.0)  # ... and so is the spacing
    assert set(back.patient_ids) == set(small.patient_ids)
    assert len(back) == len(small) and back.labels.sum() == small.labels.sum()


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
    with pytest.raises(DataError, match="bit_depth"):
        write_folder(small, tmp_path / "y", bit_depth=12)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["busy"]


def test_bad_folders(tmp_path):
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


def test_non_image_file_is_named(tmp_path, small):
    root = plain_folder(tmp_path, small)
    bad = root / "train" / "tumour" / "notes.txt"
    bad.write_text("not an image")
    with pytest.raises(DataError, match="notes.txt"):
        read_folder(root)


def test_truncated_png_is_named(tmp_path, small):
    root = plain_folder(tmp_path, small)
    victim = next((root / "val").rglob("*.png"))
    victim.write_bytes(victim.read_bytes()[:60])
    with pytest.raises(DataError, match=victim.name):
        read_folder(root)


def test_different_sizes_need_resize(tmp_path, small):
    root = plain_folder(tmp_path, small)
    odd = next((root / "test").rglob("*.png"))
    Image.fromarray(np.zeros((30, 40), np.uint8)).save(odd)
    with pytest.raises(DataError, match="size="):
        read_folder(root, masks=False)
    with pytest.warns(UserWarning, match="spacing"):
        back = read_folder(root, size=48, masks=False)
    assert back.image_shape == (48, 48)


def test_resized_spacing_follows_each_images_own_size(tmp_path, small):
    root = plain_folder(tmp_path, small)
    files = read_folder(root, masks=False).meta["files"]
    # The first image keeps its 48x48 pixels; every other one becomes 96x96 with pixels
    # half as large. Resized to 96x96, the first image's pixels halve, the others stay.
    for rel in files[1:]:
        big = np.kron(read_png(root / rel), np.ones((2, 2), np.uint8))
        Image.fromarray(big).save(root / rel)
    (row, col) = small.spacing
    with pytest.warns(UserWarning, match="spacing"):
        back = read_folder(root, size=96, masks=False)
    assert back.meta["files"] == files
    assert back.meta["spacing_mm"][0] == pytest.approx((row / 2, col / 2))
    for spacing in back.meta["spacing_mm"][1:]:
        assert spacing == pytest.approx((row, col))
    # One spacing cannot describe pixels of two sizes: the set's spacing is unknown.
    assert back.spacing == (1.0, 1.0)


def test_resized_spacing_when_all_images_share_a_size(tmp_path, small):
    root = plain_folder(tmp_path, small)
    for png in root.rglob("*.png"):
        big = np.kron(read_png(png), np.ones((2, 2), np.uint8))
        Image.fromarray(big).save(png)
    back = read_folder(root, size=(48, 24), masks=False)
    assert back.image_shape == (48, 24)
    assert back.spacing == pytest.approx(
        (small.spacing[0] * 96 / 48, small.spacing[1] * 96 / 24)
    )
    assert "spacing_mm" not in back.meta


def test_rgb_is_refused_or_converted(tmp_path, small):
    root = plain_folder(tmp_path, small)
    rgb = next((root / "train").rglob("*.png"))
    Image.fromarray(np.full((48, 48, 3), (200, 100, 50), np.uint8)).save(rgb)
    with pytest.raises(DataError, match="colour"):
        read_folder(root)
    back = read_folder(root, rgb="convert", masks=False)
    expected = round(0.299 * 200 + 0.587 * 100 + 0.114 * 50)
    assert expected in np.round(back.images)


def test_manifest_naming_missing_files(folder):
    victim = next((folder / "train").rglob("*.png"))
    victim.unlink()
    with pytest.raises(DataError, match="do not exist"):
        read_folder(folder)


def test_manifest_with_bad_rows(folder):
    manifest = folder / "manifest.csv"
    header, first = manifest.read_text().splitlines()[:2]
    manifest.write_text(f"{header}\n{first.rsplit(',', 1)[0]},dev\n")
    with pytest.raises(DataError, match="line 2: split 'dev'"):
        read_folder(folder)
    manifest.write_text("file,label\n")
    with pytest.raises(DataError, match="missing columns"):
        read_folder(folder)


def test_dataset_json_declares_hu(folder):
    meta = json.loads((folder / "dataset.json").read_text())
    assert meta["bit_depth"] == 16
    assert meta["pixel_to_units"] == {"units": "HU", "offset": -1024}


def test_folder_cache_is_outside_the_data_and_invalidated_by_changes(folder, tmp_path):
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


def test_threads_decode_the_same_pixels(folder):
    one = read_folder(folder, workers=1)
    four = read_folder(folder, workers=4)
    np.testing.assert_array_equal(one.images, four.images)
    np.testing.assert_array_equal(one.liver_masks, four.liver_masks)


def test_an_8bit_image_in_a_16bit_hu_set_is_refused_not_read_as_air(folder):
    """Read as 16-bit HU, an 8-bit image would become -1024...-769 HU."""
    odd = next((folder / "train").rglob("*.png"))
    Image.fromarray(np.full((64, 64), 200, np.uint8)).save(odd)
    with pytest.raises(DataError, match=rf"{odd.name}: 8-bit, but .* are 16-bit"):
        read_folder(folder)


def test_dataset_json_bit_depth_must_match_the_images(tmp_path, small):
    root = plain_folder(tmp_path, small)  # 8-bit images
    meta = json.loads((root / "dataset.json").read_text())
    (root / "dataset.json").write_text(json.dumps(dict(meta, bit_depth=16)))
    with pytest.raises(DataError, match=r"8-bit, but .*dataset.json declares 16-bit"):
        read_folder(root)


def test_a_jpeg_named_png_is_refused(tmp_path, small):
    root = plain_folder(tmp_path, small)
    victim = next((root / "val").rglob("*.png"))
    Image.fromarray(np.full((64, 64), 90, np.uint8)).save(victim, format="JPEG")
    with pytest.raises(DataError, match=rf"{victim.name}: a JPEG file named .png"):
        read_folder(root)


def _rewrite_manifest(folder, change):
    """Apply ``change(rows)`` to manifest.csv's rows (dicts) and write it back."""
    import csv

    manifest = folder / "manifest.csv"
    with open(manifest, newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    change(rows)
    with open(manifest, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def test_the_same_file_or_patient_in_two_splits_is_refused(folder):
    def same_file(rows):
        twin = dict(rows[0], split="test" if rows[0]["split"] != "test" else "val")
        rows.append(twin)

    _rewrite_manifest(folder, same_file)
    with pytest.raises(DataError, match=r"manifest.csv: .* is listed twice"):
        read_folder(folder)


def test_a_patient_in_two_splits_is_refused(folder):
    def leak(rows):
        train = next(r for r in rows if r["split"] == "train")
        test = next(r for r in rows if r["split"] == "test")
        test["patient_id"] = train["patient_id"]

    _rewrite_manifest(folder, leak)
    with pytest.raises(DataError, match=r"patient '.*' is in test and train"):
        read_folder(folder)


def test_labels_that_skip_classes_are_refused(folder):
    def five(rows):
        for r in rows:
            if r["label"] == "1":
                r["label"] = "5"
                r["class"] = "5"

    meta = json.loads((folder / "dataset.json").read_text())
    (folder / "dataset.json").write_text(json.dumps(dict(meta, class_names=None)))
    _rewrite_manifest(folder, five)
    with pytest.raises(DataError, match=r"labels \[0, 5\] skip \[1, 2, 3, 4\]"):
        read_folder(folder)
    (folder / "dataset.json").write_text(json.dumps(meta))  # names two classes
    with pytest.raises(DataError, match="label 5 but dataset.json names only 2"):
        read_folder(folder)


def test_an_empty_class_folder_is_refused(tmp_path, small):
    root = plain_folder(tmp_path, small)
    (root / "train" / "aaa_empty").mkdir()
    with pytest.raises(DataError, match="class folder 'aaa_empty' holds no images"):
        read_folder(root)


def test_patient_ids_from_file_names_must_not_cross_splits(tmp_path, small):
    root = plain_folder(tmp_path, small)
    (root / "manifest.csv").unlink(missing_ok=True)
    first_test = next((root / "test").rglob("*.png"))
    train_file = next((root / "train").rglob("*.png"))
    patient = train_file.stem.rsplit("_", 1)[0]
    first_test.rename(first_test.with_name(f"{patient}_099.png"))
    with pytest.raises(DataError, match="rename the files or write a manifest.csv"):
        read_folder(root, masks=False)


def test_manifest_and_dataset_json_problems_name_the_file(folder):
    manifest = folder / "manifest.csv"
    text = manifest.read_text()
    manifest.write_bytes(b"\xef\xbb\xbf" + text.encode())  # Excel's "CSV UTF-8"
    assert len(read_folder(folder)) == len(text.splitlines()) - 1
    manifest.write_bytes(text.replace("train", "tr\xe4in").encode("latin-1"))
    with pytest.raises(DataError, match=r"manifest.csv: not UTF-8 text"):
        read_folder(folder)
    header, first = text.splitlines()[:2]
    manifest.write_text(f"{header}\n{first},extra\n")
    with pytest.raises(DataError, match=r"manifest.csv, line 2: more fields"):
        read_folder(folder)
    manifest.write_text(f'{header}\n"{"x" * 200_000}",,0,a,p,train\n')
    with pytest.raises(DataError, match=r"manifest.csv: not a readable CSV file"):
        read_folder(folder)
    manifest.write_text(text)
    (folder / "dataset.json").write_text("{'spacing_mm': [1, 1]")
    with pytest.raises(DataError, match=r"dataset.json: not valid JSON"):
        read_folder(folder)
    (folder / "dataset.json").write_text('{"class_names": "tumour"}')
    with pytest.raises(DataError, match=r"class_names must be a list of strings"):
        read_folder(folder)


def test_links_that_leave_the_data_folder_are_refused(tmp_path, small):
    root = plain_folder(tmp_path, small)
    victim = next((root / "train").rglob("*.png"))
    outside = tmp_path / "elsewhere.png"
    victim.rename(outside)
    victim.symlink_to(outside)
    with pytest.raises(
        DataError, match=rf"{victim.name}: a link to .*outside the data"
    ):
        read_folder(root)
    victim.unlink()
    inside = next((root / "val").rglob("*.png"))
    victim.symlink_to(inside)  # a link within the folder is fine
    assert len(read_folder(root)) == len(small)
