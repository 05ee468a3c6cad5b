"""medtutor.runtime.devices: strategies that fall back to the CPU."""

from __future__ import annotations

import numpy as np
import pytest

from medtutor import describe_strategy, import_tensorflow, select_strategy
from medtutor.runtime.devices import strategy_for_devices

tf = import_tensorflow()
import keras


@pytest.fixture
def restore_policy():
    """Put the float32 policy back, whatever a test selected."""
    yield
    keras.mixed_precision.set_global_policy("float32")


def test_select_strategy_on_cpu_is_the_default_strategy(restore_policy):
    if tf.config.list_physical_devices("GPU"):
        pytest.skip("this machine has a GPU")
    strategy = select_strategy()
    assert strategy is tf.distribute.get_strategy()
    assert strategy.num_replicas_in_sync == 1
    assert keras.mixed_precision.global_policy().name == "float32"
    assert (
        describe_strategy(strategy)
        == "default strategy on CPU, 1 replica, float32 compute"
    )


def test_mixed_precision_on_forces_the_policy(restore_policy):
    strategy = select_strategy(mixed_precision="on")
    assert keras.mixed_precision.global_policy().name == "mixed_float16"
    assert describe_strategy(strategy).endswith("mixed float16 compute")


def test_select_strategy_rejects_unknown_precision():
    with pytest.raises(ValueError, match="mixed_precision"):
        select_strategy(mixed_precision="yes")


def test_strategy_for_no_device_is_the_default_strategy():
    assert strategy_for_devices([]) is tf.distribute.get_strategy()


def test_strategy_for_one_device_is_one_device_strategy():
    strategy = strategy_for_devices(["/device:CPU:0"])
    assert isinstance(strategy, tf.distribute.OneDeviceStrategy)
    assert (
        describe_strategy(strategy)
        == "OneDeviceStrategy on CPU, 1 replica, float32 compute"
    )


def test_mirrored_strategy_over_two_logical_cpus_trains_one_step(run_python):
    # Logical devices must be configured before TF initialises, hence a fresh process.
    done = run_python(
        """
        import numpy as np
        from medtutor import describe_strategy, import_tensorflow, seed_everything
        from medtutor.runtime.devices import strategy_for_devices
        tf = import_tensorflow()
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu,
            [tf.config.LogicalDeviceConfiguration() for _ in range(2)],
        )
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
        x = np.ones((8, 4), "float32")
        y = np.zeros((8, 1), "float32")
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
def test_gpu_strategy_uses_mixed_precision_and_trains(restore_policy):
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
