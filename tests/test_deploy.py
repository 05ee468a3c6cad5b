"""medtutor.deploy: LiteRT conversion and inference."""

from __future__ import annotations

import numpy as np
import pytest

from medtutor.deploy import LiteModel, convert_to_litert


def test_litert_modes_predict_like_keras(tiny_cnn, tiny_images):
    expected = tiny_cnn.predict(tiny_images, verbose=0).ravel()
    sizes = {}
    for mode in ("float32", "dynamic_range", "int8"):
        lite = LiteModel(convert_to_litert(tiny_cnn, mode, representative=tiny_images))
        got = lite.predict(tiny_images).ravel()
        sizes[mode] = lite.size_bytes
        tolerance = 1e-5 if mode == "float32" else 0.05
        np.testing.assert_allclose(got, expected, atol=tolerance)
        assert lite.latency_ms(tiny_images[0], repeats=3) > 0
    assert sizes["int8"] * 3 < sizes["float32"]


def test_convert_to_litert_rejects_bad_requests(tiny_cnn):
    with pytest.raises(ValueError, match="representative"):
        convert_to_litert(tiny_cnn, "int8")
    with pytest.raises(ValueError, match="mode"):
        convert_to_litert(tiny_cnn, "int4")
