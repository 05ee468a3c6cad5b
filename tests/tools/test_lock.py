"""One source of truth for dependencies: pyproject.toml -> requirements-lock.txt ->
environment.yml."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import pytest
import tomllib
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tools.lock import binder_data_pins

ROOT = Path(__file__).resolve().parents[2]


def lock_requirements() -> list[Requirement]:
    lines = (ROOT / "requirements-lock.txt").read_text().splitlines()
    return [
        Requirement(line) for line in lines if line.strip() and not line.startswith("#")
    ]


def pins(reqs) -> dict[str, str]:
    """name -> exact version for requirements that apply on this platform."""
    out = {}
    for req in reqs:
        if req.marker is None or req.marker.evaluate():
            spec = list(req.specifier)
            assert len(spec) == 1 and spec[0].operator == "==", (
                f"{req} is not an exact pin"
            )
            out[canonicalize_name(req.name)] = spec[0].version
    return out


def test_every_lock_line_is_an_exact_pin():
    reqs = lock_requirements()
    assert len(reqs) > 50
    for req in reqs:
        assert [s.operator for s in req.specifier] == ["=="], (
            f"{req} must be pinned with =="
        )


def test_environment_yml_carries_exactly_the_lock_pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert "-e ." in pip_section, "Binder must install medtutor itself"
    data = set(binder_data_pins())
    assert data == {"pydicom-data==1.0.0"} and data <= set(pip_section)
    assert "nodejs" in deps, "npm pack needs Node.js on Binder"
    env_reqs = sorted(
        str(Requirement(p)) for p in pip_section if p != "-e ." and p not in data
    )
    lock_reqs = sorted(str(r) for r in lock_requirements())
    assert env_reqs == lock_reqs, (
        "environment.yml and requirements-lock.txt differ: run `make lock`"
    )


def test_pyproject_dependencies_are_all_satisfied_by_the_lock():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in ("cpu", "book", "test"):
        wanted += project["optional-dependencies"][extra]
    locked_all = {}
    for req in lock_requirements():
        locked_all.setdefault(canonicalize_name(req.name), []).append(req)
    for line in wanted:
        req = Requirement(line)
        name = canonicalize_name(req.name)
        assert name in locked_all, (
            f"{req.name} is declared in pyproject.toml but missing from the lock"
        )
        for locked in locked_all[name]:
            version = next(iter(locked.specifier)).version
            assert req.specifier.contains(version, prereleases=True), (
                f"lock pins {name}=={version}, outside {req}"
            )
            assert str(req.marker or "") == str(locked.marker or ""), (
                f"platform markers of {name} differ"
            )


def test_tensorflow_platform_markers_follow_the_toolchain_notes():
    text = (ROOT / "requirements-lock.txt").read_text()
    assert re.search(
        r"^tensorflow-cpu==2\.21\.\d+; "
        r'sys_platform == "linux" and platform_machine == "x86_64"$',
        text,
        re.M,
    )
    assert re.search(
        r"^tensorflow==2\.21\.\d+; "
        r'sys_platform != "linux" or platform_machine != "x86_64"$',
        text,
        re.M,
    )


def test_installed_versions_match_the_lock():
    mismatched = []
    for name, version in pins(lock_requirements()).items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            mismatched.append(f"{name}: not installed")
            continue
        if installed != version:
            mismatched.append(f"{name}: installed {installed}, locked {version}")
    if mismatched:
        pytest.fail(
            "environment differs from requirements-lock.txt: " + "; ".join(mismatched)
        )


def test_tensorflow_is_an_extra_so_an_existing_install_is_kept():
    """pip install medtutor where TensorFlow exists must not add tensorflow-cpu."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    base = [canonicalize_name(Requirement(r).name) for r in project["dependencies"]]
    assert not [n for n in base if n.startswith("tensorflow")], base
    cpu = [Requirement(r) for r in project["optional-dependencies"]["cpu"]]
    assert {canonicalize_name(r.name) for r in cpu} == {"tensorflow", "tensorflow-cpu"}
    for req in cpu:  # ranges, not pins: the lock file holds the exact versions
        assert [s.operator for s in req.specifier] != ["=="]
    assert "pydicom>=3" in project["dependencies"]  # medtutor uses pydicom.pixels
    assert project["dynamic"] == ["version"] and "version" not in project
