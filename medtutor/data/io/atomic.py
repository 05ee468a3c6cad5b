"""Write files so that an error or Ctrl-C never leaves half of one behind."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from medtutor.data.errors import DataError

__all__ = ["atomic_folder"]

# Temporary names carry the writer's process id, so that the next writer can tell the
# leftovers of a killed run (SIGKILL, power loss) from another run in progress.
_PARTIAL = ".{name}-partial-{pid}-{token}"
_LEGACY_AGE_S = 24 * 3600  # leftovers without a process id, from older versions


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _clean_leftovers(destination: Path) -> list[Path]:
    """Delete ``.<name>-partial-*`` siblings left by runs that died mid-write."""
    removed = []
    prefix = f".{destination.name}-partial-"
    parent = destination.parent
    if not parent.is_dir():
        return removed
    for entry in parent.iterdir():
        if not entry.name.startswith(prefix):
            continue
        head = entry.name[len(prefix) :].split("-", 1)[0]
        if head.isdigit():
            dead = not _process_alive(int(head))
        else:
            try:
                dead = time.time() - entry.lstat().st_mtime > _LEGACY_AGE_S
            except OSError:
                continue
        if dead:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temporary_name(destination: Path, suffix: str = "") -> Path:
    token = secrets.token_hex(4)
    name = _PARTIAL.format(name=destination.name, pid=os.getpid(), token=token)
    return destination.parent / f"{name}{suffix}"


@contextmanager
def atomic_folder(destination: str | os.PathLike, *, replace: bool = False):
    """Yield a temporary folder beside ``destination`` that becomes it only if the block
    succeeds.

    Parameters
    ----------
    destination : path-like
        The folder to create. It must not exist, or be an empty folder; its parent is
        created if needed.
    replace : bool
        Replace an existing folder that is not empty, in one rename once the new one
        is complete (the old one is then deleted). The caller decides whether that
        folder may go (``medtutor train --overwrite`` replaces only its own outputs).

    Yields
    ------
    pathlib.Path
        A new, hidden folder in the same parent (``.<name>-partial-XXXX``) to write
        into. When the block ends without an exception it is renamed to
        ``destination``; on any exception, ``KeyboardInterrupt`` included, it is
        deleted and ``destination`` is left as it was.

    Raises
    ------
    DataError
        ``destination`` exists and is not an empty folder (nothing is overwritten or
        added to).

    Notes
    -----
    Taught in: :doc:`own_data`.
    """
    destination = Path(destination)
    if destination.exists() and (
        not destination.is_dir() or (any(destination.iterdir()) and not replace)
    ):
        raise DataError(
            f"{destination} already exists and is not an empty folder; choose a new "
            "one (medtutor never overwrites or adds to folders that are not empty)"
        )
    destination.parent.mkdir(parents=True, exist_ok=True)
    _clean_leftovers(destination)
    # Not tempfile.mkdtemp, whose folders only their owner may read: this one gets the
    # permissions of any new folder, which it keeps when renamed.
    while True:
        tmp = _temporary_name(destination)
        try:
            tmp.mkdir()
            break
        except FileExistsError:
            continue
    try:
        yield tmp
        old = None
        if destination.exists():
            # An existing folder's permissions are kept.
            os.chmod(tmp, destination.stat().st_mode & 0o7777)
            if any(destination.iterdir()):
                old = _temporary_name(destination)
                os.replace(destination, old)
            else:
                destination.rmdir()
        os.replace(tmp, destination)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def _atomic_file(destination: Path, *, suffix: str = "", overwrite: bool = False):
    """Yield a path beside ``destination`` that replaces it only if the block succeeds.

    The temporary path (``.<name>-partial-<random><suffix>``) is not created here, so
    the writer creates it with the usual permissions; ``suffix`` keeps the extension
    that writers such as nibabel read the format from. On any exception,
    ``KeyboardInterrupt`` included, whatever was written there is deleted and
    ``destination`` is left as it was. Raises :class:`DataError` when ``destination``
    is a folder, or exists and ``overwrite`` is false.
    """
    if destination.is_dir():
        raise DataError(f"{destination} is a folder, not a file name")
    if destination.exists() and not overwrite:
        raise DataError(
            f"{destination} already exists; choose a new name or pass overwrite=True"
        )
    _clean_leftovers(destination)
    tmp = _temporary_name(destination, suffix)
    try:
        yield tmp
        os.replace(tmp, destination)
    finally:
        tmp.unlink(missing_ok=True)


def save_npz_atomic(
    path: str | os.PathLike, arrays: dict, *, compressed: bool = False
) -> Path:
    """Save ``arrays`` as an ``.npz`` file through a temporary file in the same folder
    and a rename.

    Parameters
    ----------
    path : path-like
        The ``.npz`` file; its folder is created if needed, and an existing file is
        replaced (in one step: readers see the old file or the new one, never half of
        one).
    arrays : dict of str to array_like
        The arrays, by key.
    compressed : bool
        Use :func:`numpy.savez_compressed` instead of :func:`numpy.savez`.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    OSError
        The folder or the file cannot be written. On this or any other exception,
        ``KeyboardInterrupt`` included, the temporary file is deleted and ``path`` is
        left as it was.

    Notes
    -----
    Used by the ``.npz`` writers and the folder reader's cache.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".npz", dir=path.parent)
    os.close(fd)
    try:
        (np.savez_compressed if compressed else np.savez)(tmp, **arrays)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp's 0600 would hide it from others
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
