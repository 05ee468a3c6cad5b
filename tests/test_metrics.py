"""Metric helpers against scikit-learn and hand computations, and their input checks."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics as skm

from medtutor import metrics
from medtutor.explain import heat_near_mask


def random_case(seed, n=200):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    y[:2] = [0, 1]
    s = np.clip(y * 0.3 + rng.random(n) * 0.7, 0, 1)
    return y, s


@pytest.mark.parametrize("seed", range(5))
def test_equal_to_scikit_learn(seed):
    y, s = random_case(seed)
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
    cal = metrics.calibration(y, s, n_bins=5)
    assert cal["brier"] == pytest.approx(skm.brier_score_loss(y, s), abs=1e-9)
    assert cal["count"].sum() == len(y)
    assert np.all((cal["observed_fraction"] >= 0) & (cal["observed_fraction"] <= 1))


def test_reliability_bins_by_hand():
    y = np.array([0, 0, 1, 1, 1, 0, 1, 1])
    s = np.array([0.05, 0.15, 0.15, 0.6, 0.7, 0.65, 0.95, 0.9])
    cal = metrics.calibration(y, s, n_bins=2)  # bins [0, 0.5) and [0.5, 1]
    np.testing.assert_allclose(cal["mean_predicted"], [s[:3].mean(), s[3:].mean()])
    np.testing.assert_allclose(cal["observed_fraction"], [1 / 3, 4 / 5])
    np.testing.assert_array_equal(cal["count"], [3, 5])


def test_threshold_for_sensitivity_reaches_the_target_and_is_highest():
    y, s = random_case(7, 400)
    for target in (0.8, 0.9, 0.95):
        t = metrics.threshold_for_sensitivity(y, s, target)
        assert metrics.operating_point(y, s, t)["sensitivity"] >= target
        higher = np.unique(s[s > t])
        if higher.size:
            assert metrics.operating_point(y, s, higher[0])["sensitivity"] < target


def test_bootstrap_resamples_patients():
    rng = np.random.default_rng(0)
    groups = np.repeat(np.arange(40), 5)
    y = np.tile([0, 1, 0, 1, 1], 40)
    s = y * 0.4 + rng.random(200) * 0.6
    res = metrics.bootstrap_auc(y, s, groups, n_boot=300, seed=1)
    assert res["low"] <= res["auc"] <= res["high"]
    assert res["n_groups"] == 40 and res["auc"] == pytest.approx(
        skm.roc_auc_score(y, s)
    )
    again = metrics.bootstrap_auc(y, s, groups, n_boot=300, seed=1)
    assert again == res
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


def test_heat_near_mask():
    cam = np.zeros((10, 10))
    cam[2, 2] = 1.0
    mask = np.zeros((10, 10), bool)
    mask[2, 3] = True
    assert heat_near_mask(cam, mask, margin_px=0) == 0.0
    assert heat_near_mask(cam, mask, margin_px=1) == 1.0
    assert np.isnan(heat_near_mask(np.zeros((10, 10)), mask))
    with pytest.raises(ValueError):
        heat_near_mask(cam, mask[:5])
