"""medtutor.metrics.classification against scikit-learn and hand computations, and its
input checks."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics as skm
from sklearn.calibration import calibration_curve

from medtutor import metrics


@pytest.mark.parametrize("seed", range(5))
def test_equal_to_scikit_learn(make_case, seed):
    y, s = make_case(seed)
    assert metrics.roc_auc(y, s) == pytest.approx(skm.roc_auc_score(y, s), abs=1e-9)
    assert metrics.average_precision(y, s) == pytest.approx(
        skm.average_precision_score(y, s), abs=1e-9
    )
    assert metrics.accuracy(y, s, 0.4) == pytest.approx(
        skm.accuracy_score(y, s >= 0.4), abs=1e-9
    )
    point = metrics.operating_point(y, s, 0.5)
    tn, fp, fn, tp = skm.confusion_matrix(y, s >= 0.5).ravel()
    assert (point["tp"], point["fp"], point["tn"], point["fn"]) == (tp, fp, tn, fn)
    assert point["sensitivity"] == pytest.approx(
        skm.recall_score(y, s >= 0.5), abs=1e-9
    )
    assert point["specificity"] == pytest.approx(tn / (tn + fp), abs=1e-9)
    assert point["ppv"] == pytest.approx(skm.precision_score(y, s >= 0.5), abs=1e-9)
    assert point["npv"] == pytest.approx(tn / (tn + fn), abs=1e-9)
    cal = metrics.calibration(y, s, n_bins=5)
    assert cal["brier"] == pytest.approx(skm.brier_score_loss(y, s), abs=1e-9)


def test_operating_point_rates_with_zero_denominator_are_nan():
    point = metrics.operating_point([0, 0, 0], [0.1, 0.2, 0.3], 0.5)
    assert (point["tn"], point["fp"]) == (3, 0)
    assert np.isnan(point["sensitivity"]) and np.isnan(point["ppv"])
    assert point["specificity"] == 1.0


def test_reliability_bins_by_hand():
    y = np.array([0, 0, 1, 1, 1, 0, 1, 1])
    s = np.array([0.05, 0.15, 0.15, 0.6, 0.7, 0.65, 0.95, 0.9])
    cal = metrics.calibration(y, s, n_bins=2)  # bins [0, 0.5] and (0.5, 1]
    np.testing.assert_allclose(cal["mean_predicted"], [s[:3].mean(), s[3:].mean()])
    np.testing.assert_allclose(cal["observed_fraction"], [1 / 3, 4 / 5])
    np.testing.assert_array_equal(cal["count"], [3, 5])


def test_scores_on_bin_edges_go_to_the_lower_bin():
    # Edges of 10 bins fall on 0.1, 0.2, ...; a score on an edge belongs to the bin
    # below it, as in scikit-learn, for the means, the fractions and the counts alike.
    y = np.array([0, 1, 0, 1, 0, 1])
    s = np.array([0.1, 0.15, 0.3, 0.6, 0.8, 1.0])
    cal = metrics.calibration(y, s, n_bins=10)
    np.testing.assert_allclose(cal["mean_predicted"], s)
    np.testing.assert_allclose(cal["observed_fraction"], y)
    np.testing.assert_array_equal(cal["count"], [1, 1, 1, 1, 1, 1])


@pytest.mark.parametrize("n_bins", [2, 5, 10, 20])
@pytest.mark.parametrize("seed", range(3))
def test_calibration_bins_are_one_binning(make_case, seed, n_bins):
    y, _ = make_case(seed, 300)
    # Scores on a 0.05 grid: many lie exactly on bin edges.
    s = np.random.default_rng(seed).integers(0, 21, len(y)) / 20
    cal = metrics.calibration(y, s, n_bins=n_bins)
    counts = cal["count"]
    assert len(counts) == len(cal["mean_predicted"]) == len(cal["observed_fraction"])
    assert counts.sum() == len(y) and (counts > 0).all()
    # Counts weight the bin means back to the totals only if they count the same bins.
    assert np.sum(counts * cal["mean_predicted"]) == pytest.approx(s.sum())
    assert np.sum(counts * cal["observed_fraction"]) == pytest.approx(y.sum())
    observed, predicted = calibration_curve(y, s, n_bins=n_bins, strategy="uniform")
    np.testing.assert_allclose(cal["mean_predicted"], predicted, rtol=1e-12)
    np.testing.assert_allclose(cal["observed_fraction"], observed, rtol=1e-12)


def test_threshold_for_sensitivity_reaches_the_target_and_is_highest(make_case):
    y, s = make_case(7, 400)
    for target in (0.8, 0.9, 0.95):
        t = metrics.threshold_for_sensitivity(y, s, target)
        assert metrics.operating_point(y, s, t)["sensitivity"] >= target
        higher = np.unique(s[s > t])
        if higher.size:
            assert metrics.operating_point(y, s, higher[0])["sensitivity"] < target
    with pytest.raises(ValueError, match="target"):
        metrics.threshold_for_sensitivity(y, s, 0.0)


def test_bootstrap_resamples_patients(rng):
    groups = np.repeat(np.arange(40), 5)
    y = np.tile([0, 1, 0, 1, 1], 40)
    s = y * 0.4 + rng.random(200) * 0.6
    res = metrics.bootstrap_auc(y, s, groups, n_boot=300, seed=1)
    assert res["low"] <= res["auc"] <= res["high"]
    assert res["n_groups"] == 40
    assert res["auc"] == pytest.approx(skm.roc_auc_score(y, s))
    assert metrics.bootstrap_auc(y, s, groups, n_boot=300, seed=1) == res
    # Patient clusters whose scores move together: slice resampling understates the
    # uncertainty.
    y2 = np.repeat(np.arange(40) % 2, 5)  # every slice of a patient shares the label
    s2 = y2 * 0.3 + np.repeat(rng.normal(0, 0.3, 40), 5) + rng.random(200) * 0.05
    by_patient = metrics.bootstrap_auc(y2, s2, groups, n_boot=400, seed=2)
    by_slice = metrics.bootstrap_auc(y2, s2, None, n_boot=400, seed=2)
    assert by_patient["high"] - by_patient["low"] > by_slice["high"] - by_slice["low"]


@pytest.mark.parametrize(
    "y, s, match",
    [
        ([0, 1, 1], [0.1, 0.9], "3 labels but 2 scores"),
        ([1, 1, 1], [0.1, 0.5, 0.9], "only class 1"),
        ([0, 1, 1], [0.1, np.nan, 0.9], "NaN"),
        ([0, 1, 2], [0.1, 0.5, 0.9], "0 or 1"),
        ([0, 1], [[0.9, 0.1], [0.2, 0.8]], "1-D"),
    ],
)
def test_bad_inputs_raise_clear_errors(y, s, match):
    for fn in (
        metrics.roc_auc,
        metrics.average_precision,
        metrics.bootstrap_auc,
        metrics.threshold_for_sensitivity,
    ):
        with pytest.raises(ValueError, match=match):
            fn(np.array(y), np.array(s))


def test_calibration_needs_probabilities():
    with pytest.raises(ValueError, match="probabilities"):
        metrics.calibration([0, 1], [-0.5, 2.0])


def test_bootstrap_rates_bracket_the_operating_point(rng):
    from medtutor.metrics import bootstrap_rates, operating_point

    patients = np.repeat(np.arange(40), 5)
    y = (rng.random(40) < 0.5)[patients].astype(int)
    s = np.clip(0.3 + 0.4 * y + rng.normal(0, 0.25, len(y)), 0, 1)
    out = bootstrap_rates(y, s, 0.5, patients, n_boot=200, seed=1)
    point = operating_point(y, s, 0.5)
    for name in ("sensitivity", "specificity"):
        r = out[name]
        assert r["value"] == pytest.approx(point[name])
        assert 0 <= r["low"] <= r["value"] <= r["high"] <= 1
    assert out["n_groups"] == 40 and out["n_boot"] == 200


def test_bootstrap_rates_over_patients_is_wider_than_over_slices(rng):
    from medtutor.metrics import bootstrap_rates

    # Whole patients are right or wrong together: slices of a patient are correlated.
    patients = np.repeat(np.arange(30), 10)
    y = (np.arange(30) % 2)[patients]
    correct = (rng.random(30) < 0.8)[patients]
    s = np.where(correct, y, 1 - y).astype(float)
    by_patient = bootstrap_rates(y, s, 0.5, patients, n_boot=300, seed=0)
    by_slice = bootstrap_rates(y, s, 0.5, None, n_boot=300, seed=0)

    def width(r):
        return r["sensitivity"]["high"] - r["sensitivity"]["low"]

    assert width(by_patient) > width(by_slice)
