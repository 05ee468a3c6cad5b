"""The runtime core: quiet TensorFlow import, seeds, device selection."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import medtutor
from medtutor import (
    describe_strategy,
    import_tensorflow,
    seed_everything,
    select_strategy,
    strategy_for_devices,
)


def run_python(code: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    import os

    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_import_medtutor_does_not_import_tensorflow():
    done = run_python("import sys, medtutor; print('tensorflow' in sys.modules)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_quiet_import_leaves_no_c_level_noise():
    done = run_python(
        """
        from medtutor import import_tensorflow
        tf = import_tensorflow()
        print(tf.reduce_sum(tf.ones((3, 3))).numpy())
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "9.0"
    for noise in (
        "oneDNN",
        "cpu_feature_guard",
        "absl::InitializeLog",
        "I0000",
        "W0000",
    ):
        assert noise not in done.stderr, done.stderr


def test_plain_import_is_noisy_which_is_why_the_helper_exists():
    # Guards the premise: if TF ever becomes quiet on its own, the helper can go.
    done = run_python("import tensorflow")
    assert done.returncode == 0
    assert "oneDNN" in done.stderr or "cpu_feature_guard" in done.stderr


def test_import_tensorflow_returns_the_same_module():
    assert import_tensorflow() is import_tensorflow()


def test_seed_everything_makes_numpy_and_keras_repeatable():
    import keras

    def draw():
        rng = seed_everything(123)
        layer = keras.layers.Dense(4)
        layer.build((None, 3))
        return rng.normal(size=3), np.random.rand(2), layer.get_weights()[0]

    a, b = draw(), draw()
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    other = (seed_everything(124), np.random.rand(2))[1]
    assert not np.array_equal(other, a[1])


@pytest.mark.parametrize("bad", [-1, 2**32, 1.5, "0", True, None])
def test_seed_everything_rejects_bad_seeds(bad):
    with pytest.raises(ValueError, match="seed"):
        seed_everything(bad)


def test_select_strategy_on_cpu_is_the_default_strategy():
    tf = import_tensorflow()
    if tf.config.list_physical_devices("GPU"):
        pytest.skip("this machine has a GPU")
    strategy = select_strategy()
    assert strategy is tf.distribute.get_strategy()
    assert strategy.num_replicas_in_sync == 1
    import keras

    assert keras.mixed_precision.global_policy().name == "float32"
    assert (
        describe_strategy(strategy)
        == "default strategy on CPU, 1 replica, float32 compute"
    )


def test_select_strategy_rejects_unknown_precision():
    with pytest.raises(ValueError, match="mixed_precision"):
        select_strategy(mixed_precision="yes")


def test_strategy_for_one_device_is_one_device_strategy():
    tf = import_tensorflow()
    strategy = strategy_for_devices(["/device:CPU:0"])
    assert isinstance(strategy, tf.distribute.OneDeviceStrategy)
    assert (
        describe_strategy(strategy)
        == "OneDeviceStrategy on CPU, 1 replica, float32 compute"
    )


def test_mirrored_strategy_over_two_logical_cpus_trains_one_step():
    # Logical devices must be configured before TF initialises, hence a fresh process.
    done = run_python(
        """
        import numpy as np
        from medtutor import import_tensorflow, seed_everything, strategy_for_devices, describe_strategy
        tf = import_tensorflow()
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()])
        import keras
        seed_everything(0, deterministic_ops=False)
        names = [d.name for d in tf.config.list_logical_devices("CPU")]
        strategy = strategy_for_devices(names)
        assert isinstance(strategy, tf.distribute.MirroredStrategy), type(strategy)
        assert strategy.num_replicas_in_sync == 2
        with strategy.scope():
            model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
            model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
        before = model.get_weights()[0].copy()
        x = np.ones((8, 4), "float32"); y = np.zeros((8, 1), "float32")
        model.fit(x, y, batch_size=8, epochs=1, verbose=0)
        assert not np.allclose(before, model.get_weights()[0])
        print(describe_strategy(strategy))
        """
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (
        done.stdout.strip().splitlines()[-1]
        == "MirroredStrategy on CPU, 2 replicas, float32 compute"
    )


@pytest.mark.gpu
def test_gpu_strategy_uses_mixed_precision_and_trains():
    import keras

    tf = import_tensorflow()
    strategy = select_strategy()
    n_gpu = len(tf.config.list_logical_devices("GPU"))
    expected = (
        tf.distribute.OneDeviceStrategy
        if n_gpu == 1
        else tf.distribute.MirroredStrategy
    )
    assert isinstance(strategy, expected)
    assert keras.mixed_precision.global_policy().name == "mixed_float16"
    assert "GPU" in describe_strategy(strategy)
    with strategy.scope():
        model = keras.Sequential(
            [keras.Input((4,)), keras.layers.Dense(1, dtype="float32")]
        )
        model.compile(optimizer="sgd", loss="mse")
    history = model.fit(np.ones((16, 4)), np.zeros((16, 1)), epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    select_strategy(mixed_precision="off")


def test_versions_lists_the_pinned_stack():
    found = medtutor.versions()
    assert found["tensorflow"].startswith("2.21")
    assert found["keras"].startswith("3.")
    assert found["medtutor"] == medtutor.__version__
    assert all(
        found[name] != "not installed" for name in ("numpy", "pydicom", "nibabel")
    )


def test_command_line_versions(capsys):
    from medtutor.cli import main

    assert main(["versions"]) == 0
    assert "tensorflow" in capsys.readouterr().out
