"""The one clinical evaluation: report contents, operating point rules, outputs."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from medtutor import metrics
from medtutor.evaluate import evaluate_classifier, write_report


@pytest.fixture
def scored():
    """Labels, scores and patient ids of a test and a validation set (8 slices each)."""
    rng = np.random.default_rng(7)

    def one_set(n_patients):
        patients = np.repeat(np.arange(n_patients), 8)
        y = (rng.random(n_patients) < 0.4)[patients].astype(int)
        p = np.clip(0.3 + 0.4 * y + rng.normal(0, 0.2, len(y)), 0, 1)
        return y, p, patients

    return one_set(30), one_set(20)


def test_threshold_is_chosen_on_validation_not_test(scored):
    (y, p, ids), (yv, pv, _) = scored
    report = evaluate_classifier(
        y, p, ids, validation=(yv, pv), target_sensitivity=0.8, n_boot=50
    )
    assert report.threshold == metrics.threshold_for_sensitivity(yv, pv, 0.8)
    assert report.validation["sensitivity"] >= 0.8
    assert report.test == metrics.operating_point(y, p, report.threshold)
    with pytest.raises(ValueError, match="validation"):
        evaluate_classifier(y, p, ids)


def test_a_fixed_threshold_is_kept_and_must_be_finite(scored):
    (y, p, ids), (yv, pv, _) = scored
    report = evaluate_classifier(y, p, ids, threshold=0.5, validation=(yv, pv))
    assert report.threshold == 0.5 and report.threshold_rule == "fixed in advance"
    assert report.validation == metrics.operating_point(yv, pv, 0.5)
    with pytest.raises(ValueError, match="finite"):
        evaluate_classifier(y, p, ids, threshold=float("nan"))


def test_report_numbers_come_from_the_metrics(scored):
    (y, p, ids), _ = scored
    report = evaluate_classifier(y, p, ids, threshold=0.5, n_boot=80, seed=3)
    ci = metrics.bootstrap_auc(y, p, ids, n_boot=80, seed=3)
    assert (report.roc_auc, report.roc_auc_low, report.roc_auc_high) == (
        ci["auc"],
        ci["low"],
        ci["high"],
    )
    assert report.n_patients == 30 and report.n_slices == 240
    assert report.average_precision == metrics.average_precision(y, p)
    cal = metrics.calibration(y, p)
    assert report.calibration["brier"] == cal["brier"]
    assert len(report.calibration["count"]) == len(report.calibration["mean_predicted"])


def test_written_forms_round_trip(scored, tmp_path):
    (y, p, ids), (yv, pv, _) = scored
    report = evaluate_classifier(y, p, ids, validation=(yv, pv), n_boot=30)
    paths = write_report(report, tmp_path, title="A test")
    assert {path.name for path in paths.values()} == {
        "report.json",
        "report.md",
        "evaluation.png",
    }
    saved = json.loads(paths["json"].read_text())
    assert saved["roc_auc"] == report.roc_auc
    assert saved["test"]["sensitivity"] == report.test["sensitivity"]
    markdown = paths["markdown"].read_text()
    assert markdown.startswith("# A test") and f"{report.roc_auc:.3f}" in markdown
    assert paths["figure"].read_bytes()[:4] == b"\x89PNG"


def test_json_form_has_no_nan(scored):
    (y, p, ids), _ = scored
    # A threshold above every score: no positive decisions, so PPV is undefined.
    report = evaluate_classifier(y, p, ids, threshold=1.5, n_boot=20)
    assert np.isnan(report.test["ppv"])
    text = json.dumps(report.to_dict(), allow_nan=False)
    assert json.loads(text)["test"]["ppv"] is None


def test_summary_names_the_numbers(scored):
    (y, p, ids), (yv, pv, _) = scored
    text = evaluate_classifier(y, p, ids, validation=(yv, pv), n_boot=20).summary()
    for word in ("ROC-AUC", "validation", "test", "Brier", "bootstrap over patients"):
        assert word in text


def test_rates_carry_patient_bootstrap_intervals(scored):
    (y, p, ids), (yv, pv, _) = scored
    report = evaluate_classifier(y, p, ids, validation=(yv, pv), n_boot=60, seed=2)
    expected = metrics.bootstrap_rates(y, p, report.threshold, ids, n_boot=60, seed=2)
    assert report.rate_intervals == expected
    assert report.rate_intervals["sensitivity"]["value"] == report.test["sensitivity"]
    assert "test sensitivity" in report.summary()
    assert "sensitivity (95% CI" in report.to_markdown()


@pytest.fixture(scope="module")
def split_slices():
    from medtutor.data import make_liver_dataset, patient_split

    data = make_liver_dataset(n_patients=40, slices_per_patient=3, size=32, seed=2)
    return data.with_split(patient_split(data, seed=2))


def test_patient_table_takes_the_highest_slice_and_any_label(split_slices):
    from medtutor.evaluate import patient_table

    data = split_slices
    scores = np.random.default_rng(0).random(len(data))
    table = patient_table(data, scores, {"age": np.arange(40.0)})
    for i, pid in enumerate(table["patient_id"]):
        rows = data.patient_ids == pid
        assert table["image"][i] == scores[rows].max()
        assert table["label"][i] == data.labels[rows].max()
        assert table["split"][i] == data.split[rows][0]
    assert table["age"][5] == 5.0
    with pytest.raises(ValueError, match="slices"):
        patient_table(data, scores[:-1])
    with pytest.raises(ValueError, match="'age' has 3 values for 40 patients"):
        patient_table(data, scores, {"age": [1, 2, 3]})


def test_combiner_never_sees_training_or_test_patients(split_slices):
    from medtutor.evaluate import fit_patient_combiner, patient_table

    data = split_slices
    rng = np.random.default_rng(1)
    table = patient_table(data, rng.random(len(data)), {"age": rng.normal(60, 10, 40)})
    fitted = fit_patient_combiner(table, ["image", "age"])
    # Poison every training and test patient: scores, clinical values and labels.
    poisoned = {
        k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in table.items()
    }
    outside = table["split"] != "val"
    poisoned["image"][outside] = rng.random(outside.sum()) * 100
    poisoned["age"][outside] = -1.0
    poisoned["label"][outside] = 1 - poisoned["label"][outside]
    refit = fit_patient_combiner(poisoned, ["image", "age"])
    np.testing.assert_array_equal(fitted[-1].coef_, refit[-1].coef_)
    np.testing.assert_array_equal(fitted[-1].intercept_, refit[-1].intercept_)
    for bad in ("train", "test"):
        with pytest.raises(ValueError, match="validation split"):
            fit_patient_combiner(table, ["image"], fit_split=bad)
    with pytest.raises(ValueError, match="unknown column"):
        fit_patient_combiner(table, ["image", "cirrhosis"])
    with pytest.raises(ValueError, match="no split"):
        unsplit = dataclasses.replace(data, split=None)
        fit_patient_combiner(patient_table(unsplit, data.labels), ["image"])
