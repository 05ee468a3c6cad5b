"""``make budget``: wall time and peak memory of each notebook, each in a fresh kernel.

A benchmark, not a test: it writes a table and never fails on time. Each notebook runs
in its own child process (``python -m tools.nbrun --no-write --json``), which samples
the resident memory of the notebook's kernel (and anything the kernel starts) every 50
ms and reports the peak. Budget per chapter: 90 s, 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from tools.nbrun import notebooks_under
from tools.report import measured_on, write_markdown

BUDGET_S = 90.0
BUDGET_MIB = 1536.0


def measure(path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "tools.nbrun", "--no-write", "--json", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _rows_of(table: Path) -> dict:
    """The rows of an earlier table, by notebook path, as ``(row, ok)``."""
    rows = {}
    for line in table.read_text().splitlines() if table.is_file() else []:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith("`"):
            row = {
                "notebook": cells[0].strip("`"),
                "seconds": float(cells[1]),
                "peak_mib": float(cells[2]),
            }
            rows[row["notebook"]] = (row, cells[3] == "yes")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="NAME",
        help="re-measure these notebooks (file names) and keep the other rows of --out",
    )
    args = parser.parse_args()
    kept = _rows_of(args.out) if args.only else {}
    rows = []
    for path in notebooks_under(args.folder):
        if args.only and path.name not in args.only and path.as_posix() in kept:
            rows.append(kept[path.as_posix()])
            continue
        row = measure(path)
        row["notebook"] = path.as_posix()
        ok = row["seconds"] <= BUDGET_S and row["peak_mib"] <= BUDGET_MIB
        rows.append((row, ok))
        print(
            f"{path}: {row['seconds']:.1f} s, {row['peak_mib']:.0f} MiB "
            f"{'ok' if ok else 'OVER BUDGET'}",
            flush=True,
        )
    lines = [
        "# Notebook budget",
        "",
        f"{measured_on('budget')}, no GPU. Each notebook runs in a fresh kernel; peak "
        "memory is the resident memory of the kernel (and anything it starts), sampled "
        "every 50 ms. Budget: 90 s and 1.5 GB per notebook.",
        "",
        "| notebook | wall time (s) | peak memory (MiB) | within budget |",
        "|---|---:|---:|---|",
    ]
    for row, ok in rows:
        lines.append(
            f"| `{row['notebook']}` | {row['seconds']:.1f} | {row['peak_mib']:.0f} | "
            f"{'yes' if ok else '**no**'} |"
        )
    write_markdown(args.out, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
