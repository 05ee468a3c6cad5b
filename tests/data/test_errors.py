"""DataError and the numeric check every preprocessing function starts with."""

from __future__ import annotations

import numpy as np
import pytest

from medtutor.data.errors import DataError, check_numeric


def test_data_error_is_a_value_error():
    assert issubclass(DataError, ValueError)


@pytest.mark.parametrize(
    "bad, message",
    [
        (np.array(["a"]), "numeric"),
        (np.array([1.0, np.nan]), "NaN or inf"),
        (np.array([np.inf]), "NaN or inf"),
    ],
)
def test_check_numeric_refuses_what_is_not_numbers(bad, message):
    with pytest.raises(DataError, match=message):
        check_numeric(bad, "probe")


def test_check_numeric_passes_numbers_through():
    x = np.arange(6, dtype=np.int16).reshape(2, 3)
    assert check_numeric(x) is x or np.array_equal(check_numeric(x), x)
    assert check_numeric([True, False]).dtype == bool
