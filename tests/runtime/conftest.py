"""Fixtures of the runtime tests."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest


@pytest.fixture
def run_python():
    """``run_python(code)``: run Python code in a fresh interpreter, return the result.

    TensorFlow's import-time state (logging, logical devices) can only be observed in a
    process that has not imported it yet. ``TF_CPP_MIN_LOG_LEVEL``, which the test
    session sets, is removed so that the child starts as a reader's notebook would.
    """

    def run(code: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
        env.update(env_extra or {})
        return subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )

    return run
