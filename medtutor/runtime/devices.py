"""Pick where to train: a ``tf.distribute`` strategy that falls back to the CPU.

Every training chapter opens with ``strategy = select_strategy()`` and builds its model
inside ``strategy.scope()``.
"""

from __future__ import annotations

from collections.abc import Sequence

from medtutor.runtime.quiet import import_tensorflow

__all__ = ["describe_strategy", "select_strategy"]

_VALID_PRECISION = ("auto", "on", "off")


def strategy_for_devices(devices: Sequence[str]):
    """Return the ``tf.distribute`` strategy that fits a list of logical device names.

    Parameters
    ----------
    devices : sequence of str
        Logical device names such as ``["/device:GPU:0"]`` or
        ``["/device:CPU:0", "/device:CPU:1"]``.

    Returns
    -------
    tf.distribute.Strategy
        The default strategy for an empty list, ``OneDeviceStrategy`` for one device,
        ``MirroredStrategy`` (synchronous data parallelism) for two or more.

    Notes
    -----
    Used by :func:`select_strategy`. The test suite uses two logical CPU devices to
    exercise the ``MirroredStrategy`` path on machines without a GPU.
    """
    tf = import_tensorflow()
    devices = list(devices)
    if not devices:
        return tf.distribute.get_strategy()
    if len(devices) == 1:
        return tf.distribute.OneDeviceStrategy(devices[0])
    return tf.distribute.MirroredStrategy(devices)


def select_strategy(mixed_precision: str = "auto"):
    """Choose a training strategy for the machine this runs on, falling back to the CPU.

    Parameters
    ----------
    mixed_precision : {"auto", "on", "off"}
        ``"auto"`` (default) turns on the ``mixed_float16`` Keras policy only when a GPU
        is used; ``"off"`` keeps ``float32`` everywhere; ``"on"`` forces mixed precision
        even on a CPU (slow there; for experiments only).

    Returns
    -------
    tf.distribute.Strategy
        The default strategy on a CPU-only machine, ``OneDeviceStrategy`` on one GPU,
        ``MirroredStrategy`` across several GPUs. Pass it to :func:`describe_strategy`
        for a one-line summary.

    Raises
    ------
    ValueError
        For an unknown ``mixed_precision`` value.

    Notes
    -----
    Taught in: :doc:`setup`.

    With mixed precision on, keep the model's last layer in ``float32``
    (``dtype="float32"``) so that probabilities and losses stay accurate; the book's
    model builders do this for you.
    """
    if mixed_precision not in _VALID_PRECISION:
        raise ValueError(
            f"mixed_precision must be one of {_VALID_PRECISION}, "
            f"got {mixed_precision!r}"
        )
    tf = import_tensorflow()
    import keras

    gpus = [d.name for d in tf.config.list_logical_devices("GPU")]
    strategy = strategy_for_devices(gpus)
    use_mixed = mixed_precision == "on" or (mixed_precision == "auto" and bool(gpus))
    keras.mixed_precision.set_global_policy("mixed_float16" if use_mixed else "float32")
    return strategy


def describe_strategy(strategy=None) -> str:
    """Describe a strategy, its devices and the precision policy in one line.

    Parameters
    ----------
    strategy : tf.distribute.Strategy, optional
        Defaults to the strategy currently in scope.

    Returns
    -------
    str
        For example ``"default strategy on CPU, 1 replica, float32 compute"``.

    Notes
    -----
    Taught in: :doc:`setup`.
    """
    tf = import_tensorflow()
    import keras

    strategy = strategy if strategy is not None else tf.distribute.get_strategy()
    kind = type(strategy).__name__
    if kind in ("_DefaultDistributionStrategy", "DefaultDistributionStrategy"):
        name = "default strategy"
    else:
        name = kind
    try:
        devices = tuple(strategy.extended.worker_devices)
    except (AttributeError, RuntimeError):
        # The default strategy does not list its devices.
        devices = ()
    device_types = sorted(
        {d.split("device:")[-1].split(":")[0].upper() for d in devices}
    ) or ["CPU"]
    replicas = strategy.num_replicas_in_sync
    policy = keras.mixed_precision.global_policy()
    compute = (
        "mixed float16" if policy.compute_dtype == "float16" else policy.compute_dtype
    )
    plural = "replica" if replicas == 1 else "replicas"
    return f"{name} on {'+'.join(device_types)}, {replicas} {plural}, {compute} compute"
