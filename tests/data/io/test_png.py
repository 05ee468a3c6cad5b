"""PNG slices: reading 8- and 16-bit grayscale with clear errors, and the pixel
encoding of HU."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from medtutor.data import DataError, apply_window
from medtutor.data.io.png import HU_OFFSET, encode_pixels, read_png


def test_read_png_16_bit(tmp_path):
    arr = np.arange(0, 4096, dtype=np.uint16).reshape(64, 64)
    Image.fromarray(arr).save(tmp_path / "a.png")
    out = read_png(tmp_path / "a.png")
    assert out.dtype == np.uint16
    np.testing.assert_array_equal(out, arr)


def test_read_png_8_bit(tmp_path, rng):
    arr = rng.integers(0, 256, (20, 30), dtype=np.uint8)
    Image.fromarray(arr).save(tmp_path / "a.png")
    np.testing.assert_array_equal(read_png(tmp_path / "a.png"), arr)


def test_colour_is_refused_or_converted(tmp_path):
    Image.fromarray(np.full((8, 8, 3), (200, 100, 50), np.uint8)).save(
        tmp_path / "c.png"
    )
    with pytest.raises(DataError, match="c.png: colour image"):
        read_png(tmp_path / "c.png")
    grey = read_png(tmp_path / "c.png", rgb="convert")
    assert grey.shape == (8, 8)
    assert grey[0, 0] == round(0.299 * 200 + 0.587 * 100 + 0.114 * 50)


def test_unreadable_files_are_named(tmp_path):
    (tmp_path / "text.png").write_text("not an image")
    with pytest.raises(DataError, match="text.png: not a readable image"):
        read_png(tmp_path / "text.png")
    with pytest.raises(DataError, match="absent.png"):
        read_png(tmp_path / "absent.png")


def test_16_bit_encoding_stores_hu_plus_offset():
    hu = np.array([[-HU_OFFSET, 0.0], [40.4, 3000.0]], np.float32)
    stored = encode_pixels(hu, "HU", 16, "abdomen")
    assert stored.dtype == np.uint16
    np.testing.assert_array_equal(stored, [[0, HU_OFFSET], [HU_OFFSET + 40, 4024]])
    below = encode_pixels(np.array([[-2000.0]]), "HU", 16, "abdomen")
    assert below[0, 0] == 0  # clipped, not wrapped around
    with pytest.raises(DataError, match="16-bit"):
        encode_pixels(hu, "intensity", 16, "abdomen")


def test_8_bit_encoding_windows_ct_and_clips_intensities():
    hu = np.array([[-1000.0, 40.0, 1000.0]], np.float32)
    stored = encode_pixels(hu, "HU", 8, "abdomen")
    assert stored.dtype == np.uint8
    expected = np.round(apply_window(hu, "abdomen", out_range=(0, 255)))
    np.testing.assert_array_equal(stored, expected)
    np.testing.assert_array_equal(
        encode_pixels(np.array([[-3.0, 12.6, 300.0]]), "intensity", 8, None),
        [[0, 13, 255]],
    )


def test_limits_are_checked_before_decoding(tmp_path, monkeypatch):
    import zlib

    # A valid PNG header claiming 12,000 x 12,000 pixels, with almost no data.
    def chunk(kind, data):
        crc = zlib.crc32(kind + data).to_bytes(4, "big")
        return len(data).to_bytes(4, "big") + kind + data + crc

    header = (12_000).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    bomb = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")
    (tmp_path / "bomb.png").write_bytes(bomb)
    with pytest.raises(DataError, match=r"bomb.png: its header claims 12000 x 12000"):
        read_png(tmp_path / "bomb.png")
    bigger = bomb.replace(header, (60_000).to_bytes(4, "big") * 2 + header[8:])
    (tmp_path / "bigger.png").write_bytes(bigger)
    with pytest.raises(DataError, match=r"bigger.png: not a readable image"):
        read_png(tmp_path / "bigger.png")  # Pillow's own bomb check, also one line
    noise = np.random.default_rng(0).integers(0, 255, (64, 64), dtype=np.uint8)
    Image.fromarray(noise).save(tmp_path / "ok.png")  # about 4 kB
    monkeypatch.setenv("MEDTUTOR_MAX_FILE_MB", "0.0001")
    with pytest.raises(DataError, match=r"ok.png: 0 MB, more than the 0.0001 MB"):
        read_png(tmp_path / "ok.png")


def test_grayscale_in_all_but_name_is_read_as_grayscale(tmp_path):
    grey = np.arange(64, dtype=np.uint8).reshape(8, 8) * 4
    Image.fromarray(grey).convert("1").save(tmp_path / "bits.png")
    assert set(np.unique(read_png(tmp_path / "bits.png"))) <= {0, 255}
    Image.fromarray(grey).convert("P").save(tmp_path / "palette.png")
    np.testing.assert_array_equal(read_png(tmp_path / "palette.png"), grey)
    Image.fromarray(grey).convert("LA").save(tmp_path / "alpha.png")
    np.testing.assert_array_equal(read_png(tmp_path / "alpha.png"), grey)
    Image.fromarray(grey).convert("RGB").save(tmp_path / "rgb_grey.png")
    np.testing.assert_array_equal(read_png(tmp_path / "rgb_grey.png"), grey)
    see_through = Image.fromarray(grey).convert("LA")
    see_through.putalpha(Image.fromarray(np.full((8, 8), 128, np.uint8)))
    see_through.save(tmp_path / "transparent.png")
    with pytest.raises(DataError, match="transparent.png: 64 transparent pixels"):
        read_png(tmp_path / "transparent.png")
    colour = np.zeros((8, 8, 3), np.uint8)
    colour[..., 0] = 200
    Image.fromarray(colour).convert("P").save(tmp_path / "red.png")
    with pytest.raises(DataError, match=r"red.png: colour image .*--rgb convert"):
        read_png(tmp_path / "red.png")
    assert read_png(tmp_path / "red.png", rgb="convert").shape == (8, 8)
