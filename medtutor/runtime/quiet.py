"""Import TensorFlow without its C-level start-up log lines.


TensorFlow's C++ runtime writes lines such as ``oneDNN custom operations are on`` and
the CPU-feature notice straight to file descriptor 2 while it is imported. In a notebook
executed normally, ipykernel captures that descriptor and the lines are stored in the
notebook; under ``pytest --nbval`` it does not, so the stored output no longer matches
and strict nbval fails. :func:`import_tensorflow` points descriptor 2 at ``/dev/null``
for the duration of the import (oneDNN stays on: switching it off would halve training
speed) and raises the C++ log threshold so later warnings stay quiet too.
"""

from __future__ import annotations

import contextlib
import os
import sys
from types import ModuleType

from medtutor.runtime import reproducible

__all__ = ["import_tensorflow"]

#: Environment defaults applied before TensorFlow is imported (existing values win).
TF_ENV_DEFAULTS = {
    # Hide C++ log lines below FATAL. TF 2.21 logs a harmless "NodeDef mentions
    # attribute use_unbounded_threadpool" ERROR line on the first tf.data map; real
    # failures still raise Python exceptions that carry their message. Set the variable
    # yourself to see everything.
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "KERAS_BACKEND": "tensorflow",
}


@contextlib.contextmanager
def silenced_fd2():
    """Redirect the process-level standard error (file descriptor 2) to ``/dev/null``.

    Python-level ``sys.stderr`` is flushed first and keeps working afterwards; only
    output written at the C level during the ``with`` block is discarded.

    Used by :func:`import_tensorflow` and by the LiteRT converter.
    """
    # A closed or odd sys.stderr must not stop the redirection.
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # pragma: no cover - no descriptor 2 at all (some embedded hosts)
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def import_tensorflow() -> ModuleType:
    """Import and return :mod:`tensorflow` with its start-up noise silenced.

    Safe to call many times: after the first call it simply returns the module.
    Use it instead of ``import tensorflow as tf`` in notebooks and helpers. Before the
    import it applies the settings that make results the same on every x86-64 machine
    (:mod:`medtutor.runtime.reproducible`).

    Returns
    -------
    module
        The :mod:`tensorflow` module.

    Notes
    -----
    Taught in: :doc:`setup`.

    The setup chapter explains why C-level log lines break strict ``pytest --nbval``.

    Examples
    --------
    >>> from medtutor import import_tensorflow
    >>> tf = import_tensorflow()
    >>> tf.__version__.startswith("2.")
    True
    """
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    for key, value in TF_ENV_DEFAULTS.items():
        os.environ.setdefault(key, value)
    reproducible.apply_before_import()
    with silenced_fd2():
        # Keras registers its own absl handlers on first import: do it while quiet, too.
        try:
            import keras  # noqa: F401
            import tensorflow as tf
        except ModuleNotFoundError as err:
            if err.name != "tensorflow":
                raise
            raise ModuleNotFoundError(
                "TensorFlow is not installed: pip install 'medtutor[cpu]' (or "
                "tensorflow, for a GPU)",
                name="tensorflow",
            ) from None

        tf.get_logger().setLevel("ERROR")
        reproducible.apply_after_import(tf)
        # Initialise the runtime (device discovery prints on first use) while still
        # quiet.
        tf.config.list_physical_devices()
    return tf
