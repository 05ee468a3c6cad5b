"""Settings that make the book's numbers the same on every x86-64 machine.

Training follows a different floating-point path when the CPU's instruction set or the
number of threads changes, and a small model amplifies the difference: without these
settings, the same notebook printed an accuracy of 0.93 on a 2-core AVX-512 machine and
0.86 with AVX2 only. Measured on the book's network, three settings remove the
difference, and :func:`medtutor.import_tensorflow` applies them before TensorFlow
starts, wherever the book's code runs (``make``, ``pytest --nbval``, Jupyter, Binder):

- oneDNN, the kernel library of TensorFlow on CPUs, is capped at the AVX2 instruction
  set (``ONEDNN_MAX_CPU_ISA=AVX2``), which every x86-64 CPU of the last decade has;
- TensorFlow runs each operation on two threads and at most two operations at once, on
  any number of cores (with one core, the two threads take turns);
- NumPy's and scikit-learn's BLAS use one thread.

Their cost on the 2-core machines the book is measured on is listed on the *Chapter
cost* page. Set ``MEDTUTOR_NATIVE_CPU=1`` before the first import to use every core and
the CPU's widest instructions instead: faster, but the stored outputs may then differ in
their last printed digits. On other architectures (ARM, for example) the kernels differ
anyway; ``pytest --nbval`` then checks what the notebooks assert instead of their
digits.
"""

from __future__ import annotations

import os
import platform

__all__: list[str] = []

#: What :func:`apply_before_import` sets, unless ``MEDTUTOR_NATIVE_CPU=1``.
REPRODUCIBLE_ENV = {
    "ONEDNN_MAX_CPU_ISA": "AVX2",
    "TF_NUM_INTRAOP_THREADS": "2",
    "TF_NUM_INTEROP_THREADS": "2",
    # BLAS libraries loaded later (SciPy's, for instance) read these when they load.
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
#: Threads of the BLAS library behind NumPy, SciPy and scikit-learn.
BLAS_THREADS = 1
#: Machines whose stored outputs the book reproduces exactly.
EXACT_MACHINES = ("x86_64", "amd64")


def native_cpu_requested() -> bool:
    """True when the reader asked for speed over reproducibility."""
    return os.environ.get("MEDTUTOR_NATIVE_CPU", "") not in ("", "0")


def reproduces_stored_outputs() -> bool:
    """True when this machine should reproduce the notebooks' stored outputs exactly.

    That is an x86-64 CPU with the reproducible settings on; ARM and other architectures
    run other kernels, so only the notebooks' own checks (their asserts) apply there.
    """
    return platform.machine().lower() in EXACT_MACHINES and not native_cpu_requested()


def apply_before_import() -> None:
    """Set the instruction-set cap and thread counts before TensorFlow is imported.

    The values override what the environment says (a reader's ``ONEDNN_MAX_CPU_ISA``
    left over from another project would otherwise change the book's numbers), except
    when ``MEDTUTOR_NATIVE_CPU=1``.
    """
    if native_cpu_requested():
        return
    os.environ.update(REPRODUCIBLE_ENV)
    limit_blas_threads()


def apply_after_import(tf) -> None:
    """Fix TensorFlow's thread pools (a no-op once TensorFlow has started running)."""
    if native_cpu_requested():
        return
    threading = tf.config.threading
    try:
        threading.set_intra_op_parallelism_threads(
            int(REPRODUCIBLE_ENV["TF_NUM_INTRAOP_THREADS"])
        )
        threading.set_inter_op_parallelism_threads(
            int(REPRODUCIBLE_ENV["TF_NUM_INTEROP_THREADS"])
        )
    except RuntimeError:  # the runtime is already initialised: the env vars applied
        pass


def limit_blas_threads() -> None:
    """Run the BLAS libraries loaded so far on :data:`BLAS_THREADS` threads."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=BLAS_THREADS, user_api="blas")
