"""The paired bootstrap over patients."""

from __future__ import annotations

import numpy as np
import pytest

from medtutor.metrics import paired_bootstrap, paired_bootstrap_metric


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


def _patients(rng, n_patients=30, per=4):
    groups = np.repeat(np.arange(n_patients), per)
    y = np.repeat(rng.random(n_patients) < 0.4, per).astype(int)
    return y, groups


def test_metric_bootstrap_matches_a_hand_written_loop(rng):
    from sklearn.metrics import roc_auc_score

    y, groups = _patients(rng)
    a = y + rng.normal(scale=0.8, size=y.size)
    b = y + rng.normal(scale=1.5, size=y.size)
    out = paired_bootstrap_metric(y, a, b, groups, n_boot=200, seed=3)
    # The same draws as the resampler: whole patients, single-class samples redrawn.
    draw = np.random.default_rng(3)
    diffs, aucs_a = [], []
    while len(diffs) < 200:
        idx = np.concatenate(
            [np.flatnonzero(groups == g) for g in draw.integers(0, 30, 30)]
        )
        if y[idx].min() == y[idx].max():
            continue
        aucs_a.append(roc_auc_score(y[idx], a[idx]))
        diffs.append(aucs_a[-1] - roc_auc_score(y[idx], b[idx]))
    np.testing.assert_allclose(
        [out["low"], out["high"]], np.quantile(diffs, [0.025, 0.975])
    )
    np.testing.assert_allclose(
        [out["a_low"], out["a_high"]], np.quantile(aucs_a, [0.025, 0.975])
    )
    assert out["difference"] == pytest.approx(roc_auc_score(y, a) - roc_auc_score(y, b))
    assert out["n_groups"] == 30


def test_metric_bootstrap_sees_a_better_ranking_and_no_difference_with_itself(rng):
    y, groups = _patients(rng, 60)
    good = y + rng.normal(scale=0.5, size=y.size)
    poor = y + rng.normal(scale=3.0, size=y.size)
    out = paired_bootstrap_metric(y, good, poor, groups, metric="average_precision")
    assert out["low"] > 0 and out["share_a_better"] > 0.975
    same = paired_bootstrap_metric(y, good, good, groups)
    assert same["difference"] == 0 and same["low"] == 0 == same["high"]
    # Any monotone transform leaves a ranking metric unchanged.
    assert paired_bootstrap_metric(y, good, np.exp(good), groups)["high"] == 0


def test_metric_bootstrap_bad_input():
    with pytest.raises(ValueError, match="metric must be"):
        paired_bootstrap_metric([0, 1], [0.1, 0.9], [0.2, 0.8], metric="dice")
    with pytest.raises(ValueError, match="labels"):
        paired_bootstrap_metric([0, 1, 1], [0.1, 0.9], [0.2, 0.8])
    with pytest.raises(ValueError, match="1-D"):
        paired_bootstrap_metric([0, 1], [0.1, 0.9], np.zeros((2, 2)))
