"""Atomic writers: a folder or a file appears complete or not at all."""

from __future__ import annotations

import numpy as np
import pytest

from medtutor.data import DataError
from medtutor.data.io import atomic
from medtutor.data.io.atomic import atomic_folder, save_npz_atomic


def test_folder_appears_only_when_the_block_succeeds(tmp_path):
    target = tmp_path / "sub" / "out"
    with atomic_folder(target) as tmp:
        (tmp / "a.txt").write_text("a")
        assert not target.exists() and tmp.parent == target.parent
    assert (target / "a.txt").read_text() == "a"
    assert [p.name for p in target.parent.iterdir()] == ["out"]
    (tmp_path / "plain").mkdir()
    # The permissions of any new folder, not those of tempfile.mkdtemp (owner only).
    assert target.stat().st_mode == (tmp_path / "plain").stat().st_mode


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()])
def test_folder_is_removed_on_any_exception(tmp_path, error):
    with pytest.raises(type(error)), atomic_folder(tmp_path / "out") as tmp:
        (tmp / "a.txt").write_text("a")
        raise error
    assert list(tmp_path.iterdir()) == []


def test_an_empty_folder_is_used_and_a_busy_one_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    with atomic_folder(tmp_path / "empty") as tmp:
        (tmp / "a.txt").write_text("a")
    assert [p.name for p in (tmp_path / "empty").iterdir()] == ["a.txt"]
    with (
        pytest.raises(DataError, match="not an empty folder"),
        atomic_folder(tmp_path / "empty"),
    ):
        pass
    (tmp_path / "file").write_text("x")
    with (
        pytest.raises(DataError, match="file already exists"),
        atomic_folder(tmp_path / "file"),
    ):
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "file"]


def test_save_npz_atomic_round_trip_and_replace(tmp_path, rng):
    a = rng.random((3, 4))
    path = save_npz_atomic(tmp_path / "d" / "x.npz", {"a": a}, compressed=True)
    with np.load(path) as z:
        np.testing.assert_array_equal(z["a"], a)
    save_npz_atomic(path, {"b": a[:1]})
    with np.load(path) as z:
        assert z.files == ["b"]
    assert [p.name for p in path.parent.iterdir()] == ["x.npz"]


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()])
def test_save_npz_atomic_leaves_no_temporary_file(tmp_path, monkeypatch, error):
    def half_then_fail(file, **arrays):
        with open(file, "wb") as f:
            f.write(b"PK half an archive")
        raise error

    monkeypatch.setattr(np, "savez", half_then_fail)
    with pytest.raises(type(error)):
        save_npz_atomic(tmp_path / "x.npz", {"a": np.zeros(3)})
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()])
def test_atomic_file_keeps_the_old_file_on_any_exception(tmp_path, error):
    path = tmp_path / "x.txt"
    path.write_text("old")
    with (
        pytest.raises(DataError, match="x.txt already exists"),
        atomic._atomic_file(path),
    ):
        pass
    with pytest.raises(type(error)), atomic._atomic_file(path, overwrite=True) as tmp:
        tmp.write_text("half")
        raise error
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]
    assert path.read_text() == "old"
    with atomic._atomic_file(path, suffix=".txt", overwrite=True) as tmp:
        assert tmp.name.endswith(".txt") and not tmp.exists()
        tmp.write_text("new")
    assert path.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]
