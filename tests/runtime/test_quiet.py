"""medtutor.runtime.quiet: TensorFlow imported without C-level noise."""

from __future__ import annotations

import os

import pytest

from medtutor import import_tensorflow
from medtutor.runtime.quiet import silenced_fd2

NOISE = ("oneDNN", "cpu_feature_guard", "absl::InitializeLog", "I0000", "W0000")


def test_import_medtutor_does_not_import_tensorflow(run_python):
    done = run_python("import sys, medtutor; print('tensorflow' in sys.modules)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_quiet_import_leaves_no_c_level_noise(run_python):
    done = run_python(
        """
        from medtutor import import_tensorflow
        tf = import_tensorflow()
        print(tf.reduce_sum(tf.ones((3, 3))).numpy())
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "9.0"
    for noise in NOISE:
        assert noise not in done.stderr, done.stderr


def test_plain_import_is_noisy_which_is_why_the_helper_exists(run_python):
    # Guards the premise, which is TensorFlow's behaviour, not ours: if TensorFlow ever
    # becomes quiet on its own, this skips to say that the helper can go.
    done = run_python("import tensorflow")
    assert done.returncode == 0, done.stderr
    if not any(noise in done.stderr for noise in NOISE):
        pytest.skip(
            "a plain `import tensorflow` printed none of "
            f"{NOISE} on this machine: TensorFlow has become quiet by itself"
        )


def test_import_tensorflow_returns_the_same_module():
    tf = import_tensorflow()
    assert tf.__name__ == "tensorflow"
    assert import_tensorflow() is tf


def test_silenced_fd2_discards_c_level_stderr_and_restores_it(capfd):
    with silenced_fd2():
        os.write(2, b"hidden\n")
    os.write(2, b"shown\n")
    err = capfd.readouterr().err
    assert "hidden" not in err and "shown" in err
