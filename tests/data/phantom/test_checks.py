"""Argument checks, and the map from the public difficulty to the internal severity."""

from __future__ import annotations

import numpy as np
import pytest

from medtutor.data import DataError, make_liver_dataset
from medtutor.data.phantom.checks import check_size, severity_from_difficulty


@pytest.mark.parametrize("size", [32, 64, 256, np.int64(100)])
def test_check_size_accepts_integers_from_32_to_256(size):
    out = check_size(size)
    assert out == size and type(out) is int


@pytest.mark.parametrize(
    "size, match",
    [
        (31, "between 32 and 256"),
        (257, "between 32 and 256"),
        (64.0, "integer"),
        (True, "integer"),
        ("64", "integer"),
    ],
)
def test_check_size_rejects_other_values_and_names_the_argument(size, match):
    with pytest.raises(DataError, match=match) as info:
        check_size(size, "ct_size")
    assert str(info.value).startswith("ct_size ")


@pytest.mark.parametrize(
    "difficulty, severity", [(0.0, 0.0), (0.25, 0.175), (0.5, 0.35), (1.0, 0.7)]
)
def test_severity_is_seven_tenths_of_difficulty(difficulty, severity):
    assert severity_from_difficulty(difficulty) == pytest.approx(severity)


@pytest.mark.parametrize("difficulty", [-0.01, 1.01, 1.5])
def test_difficulty_outside_0_1_is_rejected(difficulty):
    with pytest.raises(DataError, match=r"difficulty must be in \[0, 1\]"):
        severity_from_difficulty(difficulty)


def test_datasets_record_the_public_difficulty_not_the_severity():
    d = make_liver_dataset(n_patients=1, slices_per_patient=1, size=32, difficulty=0.5)
    assert d.meta["difficulty"] == 0.5
