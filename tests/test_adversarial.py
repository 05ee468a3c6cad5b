"""Hostile input through the command line, one case per kind of failure.

Every bad file is built at test time from a good data set (nothing binary is committed).
For each case the command must: exit with the expected status, print exactly one line
that names the file or option at fault, leave the input byte for byte as it was, and
leave nothing behind next to the output (no half-written run, no hidden temporary
folder).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from medtutor.cli import EXIT_DATA, EXIT_USAGE, main


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """A small data set as a folder and as an .npz, and a run trained on it."""
    root = tmp_path_factory.mktemp("good")
    small = ["--patients", "12", "--slices", "2", "--size", "32"]
    assert main(["make-data", str(root / "folder"), *small]) == 0
    assert main(["make-data", str(root / "npz"), "--format", "npz", *small]) == 0
    args = ["train", str(root / "folder"), "--out", str(root / "run"), "--epochs", "1"]
    assert main(args) == 0
    return root


def _snapshot(path: Path) -> dict:
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*"))
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        for p in files
    }


def _first_png(folder: Path, split: str = "train") -> Path:
    return sorted((folder / split).rglob("*.png"))[0]


def _rewrite_npz(path: Path, **changes) -> None:
    with np.load(path, allow_pickle=False) as archive:
        arrays = {k: archive[k] for k in archive.files}
    arrays.update(changes)
    np.savez(path, **arrays)


# Each case: (name, how to spoil a copy of the good data, the command's arguments
# with DATA/OUT/RUN placeholders, expected exit status, text the line must contain).
def _png_8bit(data):
    Image.fromarray(np.full((32, 32), 200, np.uint8)).save(_first_png(data))


def _jpeg_named_png(data):
    Image.fromarray(np.full((32, 32), 90, np.uint8)).save(
        _first_png(data), format="JPEG"
    )


def _soft_labels(data):
    npz = data / "liver.npz"
    with np.load(npz) as archive:
        labels = archive["train_labels"].astype(float)
    labels[0] = 0.7
    _rewrite_npz(npz, train_labels=labels)


def _unit_floats(data):
    npz = data / "liver.npz"
    with np.load(npz) as archive:
        images = archive["val_images"] / 255.0
    _rewrite_npz(npz, val_images=images.astype(np.float32))


def _patient_leak(data):
    lines = (data / "manifest.csv").read_text().splitlines()
    header = lines[0].split(",")
    col, split = header.index("patient_id"), header.index("split")
    rows = [line.split(",") for line in lines[1:]]
    train = next(r for r in rows if r[split] == "train")
    test = next(r for r in rows if r[split] == "test")
    test[col] = train[col]
    (data / "manifest.csv").write_text(
        "\n".join([lines[0], *(",".join(r) for r in rows)]) + "\n"
    )


def _empty_class(data):
    (data / "manifest.csv").unlink()  # classes then come from the folder names
    (data / "train" / "aaa").mkdir()


def _truncated_npz(data):
    npz = data / "liver.npz"
    npz.write_bytes(npz.read_bytes()[:-200])


def _npy_as_npz(data):
    np.save(data / "array.npy", np.zeros(4))
    (data / "array.npy").replace(data / "liver.npz")


def _huge_png_header(data):
    import zlib

    def chunk(kind, body):
        return (
            len(body).to_bytes(4, "big")
            + kind
            + body
            + zlib.crc32(kind + body).to_bytes(4, "big")
        )

    header = (12_000).to_bytes(4, "big") * 2 + bytes([16, 0, 0, 0, 0])
    _first_png(data).write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")
    )


def _bad_dataset_json(data):
    (data / "dataset.json").write_text("{'not': json")


def _excel_manifest_latin1(data):
    text = (data / "manifest.csv").read_text().replace("train", "tr\xe4in", 1)
    (data / "manifest.csv").write_bytes(text.encode("latin-1"))


def _huge_manifest_field(data):
    with open(data / "manifest.csv", "a") as f:
        f.write('"' + "x" * 200_000 + '",,0,a,p,train\n')


def _damaged_threshold(run):
    (run / "threshold.json").write_text('{"threshold": NaN, "window": "liver", ')


def _damaged_model(run):
    (run / "model.keras").write_bytes(b"PK\x03\x04 damaged")


def _nan_threshold(run):
    settings = json.loads((run / "threshold.json").read_text())
    settings["threshold"] = float("nan")
    (run / "threshold.json").write_text(json.dumps(settings))


def _nothing(_):
    pass


TRAIN = ["train", "DATA", "--out", "OUT", "--epochs", "1"]
EVALUATE = ["evaluate", "DATA", "--model", "RUN", "--out", "OUT", "--bootstrap", "10"]

CASES = [
    # wrong successes, now refused
    ("8-bit PNG in 16-bit HU set", "folder", _png_8bit, TRAIN, EXIT_DATA, "8-bit"),
    ("JPEG named .png", "folder", _jpeg_named_png, TRAIN, EXIT_DATA, "JPEG file"),
    ("soft labels", "npz", _soft_labels, TRAIN, EXIT_DATA, "found 0.7"),
    ("images in [0, 1]", "npz", _unit_floats, TRAIN, EXIT_DATA, "floats in [0, 1]"),
    ("patient in two splits", "folder", _patient_leak, TRAIN, EXIT_DATA, "patient"),
    ("empty class folder", "folder", _empty_class, TRAIN, EXIT_DATA, "'aaa'"),
    ("NaN threshold", "run", _nan_threshold, EVALUATE, EXIT_DATA, "threshold.json"),
    # tracebacks, now one line
    ("truncated .npz", "npz", _truncated_npz, TRAIN, EXIT_DATA, "liver.npz"),
    (".npy renamed .npz", "npz", _npy_as_npz, TRAIN, EXIT_DATA, "liver.npz"),
    ("PNG bomb header", "folder", _huge_png_header, TRAIN, EXIT_DATA, "12000 x 12000"),
    ("malformed dataset.json", "folder", _bad_dataset_json, TRAIN, EXIT_DATA, "json"),
    ("manifest not UTF-8", "folder", _excel_manifest_latin1, TRAIN, EXIT_DATA, "UTF-8"),
    ("manifest field of 200 kB", "folder", _huge_manifest_field, TRAIN, 3, "manifest"),
    ("damaged threshold.json", "run", _damaged_threshold, EVALUATE, 3, "threshold"),
    ("damaged model.keras", "run", _damaged_model, EVALUATE, EXIT_DATA, "model.keras"),
    # bad options, refused before any work
    ("--epochs 0", "folder", _nothing, [*TRAIN[:4], "--epochs", "0"], 2, "--epochs"),
    ("--epochs -1", "folder", _nothing, [*TRAIN[:4], "--epochs", "-1"], 2, "--epochs"),
    ("--sensitivity nan", "folder", _nothing, [*TRAIN, "--sensitivity", "nan"], 2, "-"),
    (
        "--out is the input",
        "npz",
        _nothing,
        ["train", "DATA", "--out", "DATA"],
        3,
        "is",
    ),
]


@pytest.mark.parametrize(
    ("kind", "spoil", "args", "status", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_input_is_one_line_and_leaves_everything_as_it_was(
    good, tmp_path, capsys, kind, spoil, args, status, expected
):
    data = tmp_path / "data"
    shutil.copytree(good / ("npz" if kind == "npz" else "folder"), data)
    run = tmp_path / "run"
    shutil.copytree(good / "run", run)
    (spoil(run) if kind == "run" else spoil(data))
    if kind == "npz":
        data = data / "liver.npz"
    before = {**_snapshot(data), **_snapshot(run)}
    out = tmp_path / "out"
    argv = [
        {"DATA": str(data), "OUT": str(out), "RUN": str(run)}.get(a, a) for a in args
    ]
    assert main(argv) == status
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("medtutor: error: "), err
    assert expected.lower() in err[0].lower()
    if status == EXIT_USAGE:
        assert err[0].startswith("medtutor: error: argument --")
    assert "Traceback" not in err[0]
    assert {**_snapshot(data), **_snapshot(run)} == before, "the input was changed"
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "run"]
