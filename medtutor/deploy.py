"""Low-power deployment: convert a Keras model to LiteRT (TensorFlow Lite) and run it.

Conversion uses TensorFlow's ``tf.lite.TFLiteConverter``; inference uses the LiteRT
interpreter from the ``ai-edge-litert`` package, which replaces the deprecated
``tf.lite.Interpreter``.
"""

from __future__ import annotations

import contextlib
import io
import statistics
import time
import warnings

import numpy as np

from medtutor.runtime.quiet import import_tensorflow, silenced_fd2

__all__ = ["LiteModel", "convert_to_litert"]

MODES = ("float32", "dynamic_range", "int8")


def convert_to_litert(
    model, mode: str = "float32", representative: np.ndarray | None = None
) -> bytes:
    """Convert a Keras model to a LiteRT (``.tflite``) flat buffer.

    Parameters
    ----------
    model : keras.Model
    mode : {"float32", "dynamic_range", "int8"}
        ``float32``: no quantization. ``dynamic_range``: weights stored as 8-bit
        integers, activations computed in float. ``int8``: weights *and* activations in
        8-bit integers (inputs and outputs too), the form that microcontrollers and NPUs
        run; needs ``representative`` inputs to calibrate the activation ranges.
    representative : numpy.ndarray, optional
        A few hundred typical inputs ``(N, H, W, C)``, for ``mode="int8"``.

    Returns
    -------
    bytes
        The model; write it to a ``.tflite`` file or pass it to :class:`LiteModel`.

    Notes
    -----
    Taught in: :doc:`ch5b_deployment_features`.

    The converter's console output is silenced.
    """
    tf = import_tensorflow()
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    if mode == "int8" and representative is None:
        raise ValueError(
            "int8 quantization needs representative inputs to calibrate activation "
            "ranges"
        )
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if mode != "float32":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if mode == "int8":
        samples = np.asarray(representative, np.float32)

        def representative_dataset():
            for x in samples:
                yield [x[None]]

        converter.representative_dataset = representative_dataset
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    with (
        warnings.catch_warnings(),
        contextlib.redirect_stdout(io.StringIO()),
        silenced_fd2(),
    ):
        warnings.simplefilter("ignore")
        return converter.convert()


class LiteModel:
    """A LiteRT model that predicts like a Keras model, quantizing inputs and outputs as
    needed.

    Parameters
    ----------
    content : bytes
        The flat buffer from :func:`convert_to_litert`.
    num_threads : int
        CPU threads of the interpreter (1 imitates a small device).

    Notes
    -----
    Taught in: :doc:`ch5b_deployment_features`.
    """

    def __init__(self, content: bytes, num_threads: int = 1):
        from ai_edge_litert.interpreter import Interpreter

        self.size_bytes = len(content)
        with silenced_fd2():  # "Created TensorFlow Lite XNNPACK delegate for CPU."
            self._interpreter = Interpreter(
                model_content=content, num_threads=num_threads
            )
            self._interpreter.allocate_tensors()
        self._input = self._interpreter.get_input_details()[0]
        self._output = self._interpreter.get_output_details()[0]

    def _run_one(self, x: np.ndarray) -> np.ndarray:
        scale, zero = self._input["quantization"]
        if self._input["dtype"] == np.int8:
            x = np.clip(np.round(x / scale + zero), -128, 127).astype(np.int8)
        self._interpreter.set_tensor(
            self._input["index"], x[None].astype(self._input["dtype"])
        )
        self._interpreter.invoke()
        y = self._interpreter.get_tensor(self._output["index"])[0]
        scale, zero = self._output["quantization"]
        return (
            (y.astype(np.float32) - zero) * scale
            if self._output["dtype"] == np.int8
            else y
        )

    def predict(self, images: np.ndarray) -> np.ndarray:
        """Outputs for ``(N, H, W, C)`` float inputs, one image at a time (as on a
        device)."""
        return np.stack([self._run_one(np.asarray(x, np.float32)) for x in images])

    def latency_ms(self, image: np.ndarray, repeats: int = 50) -> float:
        """Median wall time of one single-image prediction, in milliseconds (after a
        warm-up)."""
        self._run_one(image)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            self._run_one(image)
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)
