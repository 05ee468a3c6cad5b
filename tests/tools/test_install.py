"""Installing medtutor where TensorFlow is already installed adds no second TensorFlow.

A GPU machine or Colab has the `tensorflow` distribution; pinning `tensorflow-cpu` in
the package's own requirements would make pip put the CPU build beside it. The test
builds a fresh virtual environment that sees this environment's packages, except that
`tensorflow-cpu` is replaced by a `tensorflow` distribution of the same version, and
asks pip (offline, dry run) what installing the package would add.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HIDDEN = ("tensorflow_cpu-", "tensorflow-cpu-", "medtutor-", "__editable__")


@pytest.fixture(scope="module")
def env_with_tensorflow(tmp_path_factory):
    try:
        version = metadata.version("tensorflow-cpu")
    except metadata.PackageNotFoundError:
        version = metadata.version("tensorflow")
    base = tmp_path_factory.mktemp("install")
    site = base / "site"
    site.mkdir()
    packages = Path(sysconfig.get_paths()["purelib"])
    for entry in packages.iterdir():
        if entry.name.startswith(HIDDEN) or entry.suffix == ".pth":
            continue
        (site / entry.name).symlink_to(entry)
    info = site / f"tensorflow-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: tensorflow\nVersion: {version}\n"
    )
    (info / "RECORD").write_text("")
    env = base / "env"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    python = env / "bin" / "python"
    env_site = subprocess.run(
        [
            str(python),
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(env_site) / "zz_packages.pth").write_text(f"{site}\n")
    return python, base


def dry_run(python, base, target: str) -> tuple[int, list[str], str]:
    report = base / f"report-{abs(hash(target))}.json"
    report.unlink(missing_ok=True)
    run = subprocess.run(
        [str(python), "-m", "pip", "install", "--dry-run", "--no-index"]
        + ["--no-build-isolation", "--quiet", "--report", str(report), target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PIP_CONFIG_FILE": os.devnull},
    )
    names = []
    if report.exists():
        installs = json.loads(report.read_text())["install"]
        names = [i["metadata"]["name"] for i in installs]
    return run.returncode, names, run.stdout + run.stderr


def test_installing_beside_tensorflow_adds_only_medtutor(env_with_tensorflow):
    python, base = env_with_tensorflow
    code, names, output = dry_run(python, base, ".")
    assert code == 0, output[-2000:]
    assert names == ["medtutor"], names


@pytest.mark.skipif(
    not (sys.platform == "linux" and platform.machine() == "x86_64"),
    reason="the cpu extra names tensorflow-cpu on Linux x86-64 only",
)
def test_the_cpu_extra_is_what_asks_for_tensorflow_cpu(env_with_tensorflow):
    """The same environment, with the `cpu` extra: pip now wants tensorflow-cpu (and
    cannot find it offline), so the first test would have seen a hard requirement."""
    python, base = env_with_tensorflow
    code, names, output = dry_run(python, base, ".[cpu]")
    assert "tensorflow-cpu" in names or (code != 0 and "tensorflow-cpu" in output), (
        output[-2000:]
    )
