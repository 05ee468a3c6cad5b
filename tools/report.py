"""What every benchmark table starts with, and where it is written."""

from __future__ import annotations

import datetime as dt
import os
import platform
from pathlib import Path


def cpu_name() -> str:
    """The CPU's model name, as the benchmark tables print it."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def measured_on(target: str) -> str:
    """The first words of a table: date, make target, cores, CPU and Python."""
    return (
        f"Measured {dt.date.today().isoformat()} with `make {target}` on "
        f"{os.cpu_count()} cores ({cpu_name()}), Python {platform.python_version()}"
    )


def write_markdown(out: Path, lines: list[str]) -> None:
    """Write a benchmark table, creating its folder, and say where it went."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    print(f"wrote {out}")
