"""Repository-wide pytest settings: how ``pytest --nbval`` treats the stored outputs.

The stored outputs were produced on x86-64 with the settings of
:mod:`medtutor.runtime.reproducible`, which every notebook applies when it imports
TensorFlow; on any x86-64 machine strict nbval then compares every output. On another
architecture (an ARM laptop, say) the numeric kernels differ, so comparing digits would
fail for reasons that have nothing to do with the book: there, nbval runs every cell and
still fails on any error or failed assert (each chapter asserts its quality bars), but
does not compare the printed outputs, and says so in one line at the start.
"""

from __future__ import annotations

import platform

from medtutor.runtime.reproducible import (
    native_cpu_requested,
    reproduces_stored_outputs,
)

CHECKS = "so nbval checks every cell's asserts but not its printed digits"


def lax_reason() -> str:
    """Why stored outputs cannot be compared here, in one line."""
    if native_cpu_requested():
        cause = "MEDTUTOR_NATIVE_CPU is set, which lifts the reproducible CPU settings"
    else:
        machine = platform.machine() or "unknown"
        cause = (
            f"this {machine} machine runs other numeric kernels than the x86-64 "
            "machines that produced the stored outputs"
        )
    return f"medtutor: {cause}, {CHECKS}"


def pytest_configure(config):
    option = config.option
    if getattr(option, "nbval", False) and not reproduces_stored_outputs():
        option.nbval, option.nbval_lax = False, True
        config._medtutor_lax = lax_reason()


def pytest_report_header(config):
    reason = getattr(config, "_medtutor_lax", None)
    return [reason] if reason else []
