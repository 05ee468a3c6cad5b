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


def _dead_pid() -> int:
    import subprocess
    import sys

    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    return done.pid


def test_leftovers_of_killed_runs_are_cleaned_on_the_next_run(tmp_path):
    import os
    import time

    dead = tmp_path / f".run-partial-{_dead_pid()}-0a1b"
    alive = tmp_path / f".run-partial-{os.getpid()}-0a1b"
    old = tmp_path / ".run-partial-0a1b2c3d"  # no process id: judged by age
    fresh = tmp_path / ".run-partial-4e5f6a7b"
    other = tmp_path / f".other-partial-{_dead_pid()}-0a1b"
    for folder in (dead, alive, old, fresh, other):
        folder.mkdir()
        (folder / "model.keras").write_bytes(b"x" * 1000)
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    with atomic_folder(tmp_path / "run") as tmp:
        (tmp / "done.txt").write_text("ok")
    left = {p.name for p in tmp_path.iterdir()}
    assert left == {"run", alive.name, fresh.name, other.name}
    dead_file = tmp_path / f".vol.nii-partial-{_dead_pid()}-0a1b.nii"
    dead_file.write_bytes(b"half a volume")
    with atomic._atomic_file(tmp_path / "vol.nii", suffix=".nii") as tmp:
        tmp.write_bytes(b"a volume")
    assert not dead_file.exists() and (tmp_path / "vol.nii").read_bytes() == b"a volume"


def test_outputs_follow_the_umask_and_an_empty_folder_keeps_its_mode(tmp_path, rng):
    import os
    import stat

    previous = os.umask(0o022)
    try:
        with atomic_folder(tmp_path / "new") as tmp:
            (tmp / "a.txt").write_text("a")
        assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o755
        (tmp_path / "given").mkdir(mode=0o750)
        os.chmod(tmp_path / "given", 0o750)
        with atomic_folder(tmp_path / "given") as tmp:
            (tmp / "a.txt").write_text("a")
        assert stat.S_IMODE((tmp_path / "given").stat().st_mode) == 0o750
        path = save_npz_atomic(tmp_path / "x.npz", {"a": rng.normal(size=3)})
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
    finally:
        os.umask(previous)
