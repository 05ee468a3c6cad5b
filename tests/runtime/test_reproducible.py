"""The settings that make results identical on every x86-64 machine and core count."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from types import SimpleNamespace

import pytest

from medtutor.runtime import reproducible

TRAIN_AND_HASH = textwrap.dedent(
    """
    import hashlib
    import numpy as np
    import medtutor
    from medtutor.data import make_liver_dataset, patient_split
    from medtutor.training import CaseStudyTrainer

    medtutor.seed_everything(0)
    data = make_liver_dataset(n_patients=24, slices_per_patient=4, size=32, seed=0)
    data = data.with_split(patient_split(data, seed=0))
    trainer = CaseStudyTrainer((32, 32, 1), epochs=2, patience=2, seed=0)
    trainer.fit(data)
    weights = b"".join(np.ascontiguousarray(w) for w in trainer.model.get_weights())
    print(hashlib.sha256(weights).hexdigest())
    """
)


def trained_weights_hash(env: dict, one_core: bool = False) -> str:
    command = [sys.executable, "-c", TRAIN_AND_HASH]
    if one_core:
        command = ["taskset", "-c", "0", *command]
    full_env = {**os.environ, **env}
    done = subprocess.run(
        command, capture_output=True, text=True, env=full_env, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.slow
@pytest.mark.skipif(
    not reproducible.reproduces_stored_outputs() or shutil.which("taskset") is None,
    reason="exact reproduction is promised on x86-64 Linux with taskset only",
)
def test_training_is_identical_across_instruction_sets_and_core_counts():
    plain = {"MEDTUTOR_NATIVE_CPU": "0"}
    reference = trained_weights_hash(plain)
    other_isa = {**plain, "ONEDNN_MAX_CPU_ISA": "AVX512_CORE"}
    assert trained_weights_hash(other_isa, one_core=True) == reference


def test_stored_outputs_are_reproduced_on_x86_64_only(monkeypatch):
    monkeypatch.delenv("MEDTUTOR_NATIVE_CPU", raising=False)
    for machine, expected in (("x86_64", True), ("AMD64", True), ("aarch64", False)):
        monkeypatch.setattr(reproducible.platform, "machine", lambda m=machine: m)
        assert reproducible.reproduces_stored_outputs() is expected
    monkeypatch.setattr(reproducible.platform, "machine", lambda: "x86_64")
    monkeypatch.setenv("MEDTUTOR_NATIVE_CPU", "1")
    assert not reproducible.reproduces_stored_outputs()


def test_settings_override_the_environment_unless_native(monkeypatch):
    monkeypatch.setattr(reproducible, "limit_blas_threads", lambda: None)
    monkeypatch.delenv("MEDTUTOR_NATIVE_CPU", raising=False)
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX512_CORE")
    reproducible.apply_before_import()
    assert os.environ["ONEDNN_MAX_CPU_ISA"] == "AVX2"
    assert os.environ["TF_NUM_INTRAOP_THREADS"] == "2"
    monkeypatch.setenv("MEDTUTOR_NATIVE_CPU", "1")
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX512_CORE")
    reproducible.apply_before_import()
    assert os.environ["ONEDNN_MAX_CPU_ISA"] == "AVX512_CORE"


def test_blas_runs_on_one_thread_after_the_import():
    from threadpoolctl import threadpool_info

    from medtutor import import_tensorflow

    import_tensorflow()
    reproducible.limit_blas_threads()
    blas = [i for i in threadpool_info() if i["user_api"] == "blas"]
    assert blas and all(i["num_threads"] == reproducible.BLAS_THREADS for i in blas)


def test_nbval_turns_lax_with_one_line_where_digits_cannot_match(monkeypatch):
    import conftest as root_conftest

    config = SimpleNamespace(option=SimpleNamespace(nbval=True, nbval_lax=False))
    monkeypatch.setattr(root_conftest, "reproduces_stored_outputs", lambda: False)
    monkeypatch.setattr(reproducible.platform, "machine", lambda: "aarch64")
    root_conftest.pytest_configure(config)
    assert config.option.nbval is False and config.option.nbval_lax is True
    (line,) = root_conftest.pytest_report_header(config)
    assert "aarch64" in line and "asserts" in line
    strict = SimpleNamespace(option=SimpleNamespace(nbval=True, nbval_lax=False))
    monkeypatch.setattr(root_conftest, "reproduces_stored_outputs", lambda: True)
    root_conftest.pytest_configure(strict)
    assert (
        strict.option.nbval is True and root_conftest.pytest_report_header(strict) == []
    )
