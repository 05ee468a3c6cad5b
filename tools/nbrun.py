"""Execute notebooks in place, in exactly the environment that strict nbval uses.

``make notebooks`` runs ``python -m tools.nbrun book``, which calls :func:`execute` for
each notebook. The kernel is the current interpreter (as with ``pytest --nbval
--nbval-current-env``), it starts in the notebook's folder (as under nbval), and it sees
``PYTEST_CURRENT_TEST``, so ipykernel treats C-level output exactly as it does under
pytest. That way the stored outputs are the outputs nbval will compare against.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import threading
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbval.kernel import CURRENT_ENV_KERNEL_NAME, NbvalKernelspecManager

ENV = {
    "PYTEST_CURRENT_TEST": "notebook execution (same capture rules as pytest --nbval)",
    "PYTHONHASHSEED": "0",
}


def notebooks_under(folder: Path) -> list[Path]:
    """Every notebook under ``folder`` except build output and checkpoints, sorted."""
    skip = {"_build", ".ipynb_checkpoints"}
    return sorted(p for p in folder.rglob("*.ipynb") if not skip & set(p.parts))


class PeakMemory:
    """Sample the resident memory of this process's children (the kernel) in a
    thread."""

    def __init__(self, interval: float = 0.05):
        import psutil

        self._me, self._interval, self.peak = psutil.Process(), interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        import psutil

        while not self._stop.is_set():
            total = 0
            for child in self._me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    total += child.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(self._interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run_notebook(nb, folder: Path, *, timeout: int = 600) -> float:
    """Run every cell of the notebook object ``nb`` in a fresh kernel started in
    ``folder``, as strict nbval does; return the wall time in seconds."""
    os.environ.update(ENV)
    km = KernelManager(
        kernel_name=CURRENT_ENV_KERNEL_NAME,
        kernel_spec_manager=NbvalKernelspecManager(),
    )
    folder = str(Path(folder).resolve())
    client = NotebookClient(
        nb,
        km=km,
        timeout=timeout,
        record_timing=False,
        allow_errors=False,
        resources={"metadata": {"path": folder}},
    )
    start = time.perf_counter()
    try:
        client.execute(cwd=folder)
    finally:  # the client does not stop a kernel it was handed
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    return time.perf_counter() - start


def execute(path: Path, *, write: bool = True, timeout: int = 600) -> float:
    """Run every cell of ``path`` in a fresh kernel; store the outputs if ``write``.

    Returns the wall time in seconds.
    """
    nb = nbformat.read(path, as_version=4)
    seconds = run_notebook(nb, path.parent, timeout=timeout)
    if write:
        nb.metadata["kernelspec"] = {
            "display_name": "Python 3",
            "language": "python",
            "name": "python3",
        }
        nb.metadata.get("language_info", {}).pop("version", None)
        nbformat.write(nb, path)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "paths", nargs="+", type=Path, help="notebooks or folders of notebooks"
    )
    parser.add_argument(
        "--no-write",
        action="store_true",
        help="execute only; leave the files as they are",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON line per notebook (for the benchmark)",
    )
    args = parser.parse_args(argv)
    paths: list[Path] = []
    for p in args.paths:
        paths.extend(notebooks_under(p) if p.is_dir() else [p])
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1
    for path in paths:
        if args.json:
            with PeakMemory() as memory:  # the kernel and anything it starts
                seconds = execute(path, write=not args.no_write)
            print(
                json.dumps(
                    {
                        "notebook": str(path),
                        "seconds": seconds,
                        "peak_mib": memory.peak / 2**20,
                    }
                )
            )
            continue
        seconds = execute(path, write=not args.no_write)
        print(f"executed {path} in {seconds:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
