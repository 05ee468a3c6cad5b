"""The paired bootstrap over patients."""

from __future__ import annotations

import numpy as np
import pytest

from medtutor.metrics import paired_bootstrap


def test_a_constant_difference_has_no_uncertainty(rng):
    b = rng.normal(size=40)
    out = paired_bootstrap(b + 0.3, b, rng.integers(0, 8, 40), n_boot=200)
    assert out["difference"] == pytest.approx(0.3)
    assert out["low"] == pytest.approx(0.3) and out["high"] == pytest.approx(0.3)
    assert out["share_a_better"] == 1.0


def test_resamples_whole_patients_as_a_hand_written_loop(rng):
    a, b = rng.normal(size=30), rng.normal(size=30)
    groups = np.repeat(np.arange(6), 5)
    out = paired_bootstrap(a, b, groups, n_boot=300, seed=4)
    draws = np.random.default_rng(4).integers(0, 6, (300, 6))
    means = [np.concatenate([(a - b)[groups == g] for g in d]).mean() for d in draws]
    np.testing.assert_allclose(
        [out["low"], out["high"]], np.percentile(means, [2.5, 97.5])
    )
    assert out["n_groups"] == 6
    assert out["share_a_better"] == pytest.approx(np.mean(np.array(means) > 0))


def test_patients_widen_the_interval_when_slices_are_correlated(rng):
    # Each patient's slices share one offset: resampling slices would pretend there
    # are 100 independent cases; resampling patients sees only 5.
    offsets = np.repeat(rng.normal(scale=1.0, size=5), 20)
    a, b = offsets + rng.normal(scale=0.1, size=100), np.zeros(100)
    by_slice = paired_bootstrap(a, b, None, n_boot=400)
    by_patient = paired_bootstrap(a, b, np.repeat(np.arange(5), 20), n_boot=400)
    assert by_patient["high"] - by_patient["low"] > 2 * (
        by_slice["high"] - by_slice["low"]
    )


@pytest.mark.parametrize(
    ("a", "b", "groups", "message"),
    [
        ([1, 2], [1], None, "method A"),
        ([1, np.nan], [1, 2], None, "finite"),
        ([1, 2], [1, 2], [0], "group ids"),
    ],
)
def test_bad_input(a, b, groups, message):
    with pytest.raises(ValueError, match=message):
        paired_bootstrap(a, b, groups)
