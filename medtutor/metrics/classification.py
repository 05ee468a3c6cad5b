"""Clinical-style evaluation of a binary classifier: ROC with a patient-level bootstrap
CI, PR, operating points, confusion matrix and calibration.

Each function checks its input and then relies on scikit-learn for the arithmetic;
``tests/metrics/test_classification.py`` checks them against scikit-learn and against
hand computations.
"""

from __future__ import annotations

import numpy as np
from sklearn import metrics as skm

__all__ = [
    "accuracy",
    "average_precision",
    "bootstrap_auc",
    "bootstrap_rates",
    "calibration",
    "check_binary",
    "operating_point",
    "roc_auc",
    "threshold_for_sensitivity",
]


def check_binary(
    y_true, y_score, *, need_both_classes: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Validate labels and scores of a binary problem; return them as 1-D arrays.

    Raises
    ------
    ValueError
        Lengths differ, arrays are not 1-D (e.g. a two-column softmax output: pass
        ``proba[:, 1]``), labels outside {0, 1}, NaN or inf scores, or (when
        ``need_both_classes``) only one class present.

    Notes
    -----
    Taught in: :doc:`own_data`.
    """
    y = np.asarray(y_true)
    s = np.asarray(y_score, dtype=float)
    if y.ndim != 1 or s.ndim != 1:
        raise ValueError(
            f"labels and scores must be 1-D, got shapes {y.shape} and {s.shape}; "
            "for a softmax output pass proba[:, 1], for a sigmoid output pass "
            "proba.ravel()"
        )
    if len(y) != len(s):
        raise ValueError(f"{len(y)} labels but {len(s)} scores")
    if len(y) == 0:
        raise ValueError("no examples")
    if not np.isfinite(s).all():
        raise ValueError(
            f"scores contain {int((~np.isfinite(s)).sum())} NaN or inf values"
        )
    values = set(np.unique(y).tolist())
    if not values <= {0, 1}:
        raise ValueError(f"labels must be 0 or 1, found {sorted(values - {0, 1})}")
    if need_both_classes and len(values) < 2:
        raise ValueError(
            f"only class {values.pop()} is present; ROC and PR need both classes"
        )
    return y.astype(int), s


def accuracy(y_true, y_score, threshold: float = 0.5) -> float:
    """Fraction of correct decisions when ``score >= threshold`` means positive.

    Notes
    -----
    Taught in: :doc:`ch4_1_liver_case_study`.

    Equals :func:`sklearn.metrics.accuracy_score`. Under class imbalance it hides
    everything that matters (chapter 5).
    """
    y, s = check_binary(y_true, y_score, need_both_classes=False)
    return float(skm.accuracy_score(y, (s >= threshold).astype(int)))


def roc_auc(y_true, y_score) -> float:
    """Area under the ROC curve (:func:`sklearn.metrics.roc_auc_score`) after input
    checks.

    Notes
    -----
    Taught in: :doc:`ch4_1_liver_case_study`.
    """
    y, s = check_binary(y_true, y_score)
    return float(skm.roc_auc_score(y, s))


def average_precision(y_true, y_score) -> float:
    """Average precision, the usual summary of the precision-recall curve.

    Notes
    -----
    Taught in: :doc:`ch4_1_liver_case_study`.

    Equals :func:`sklearn.metrics.average_precision_score`.
    """
    y, s = check_binary(y_true, y_score)
    return float(skm.average_precision_score(y, s))


def _patient_bootstrap(y, s, groups, statistic, *, n_boot, level, seed):
    """``statistic(y, s)`` on ``n_boot`` samples of whole patients, with replacement;
    samples with a single class are redrawn. Returns the values and the group count."""
    groups = np.arange(len(y)) if groups is None else np.asarray(groups)
    if len(groups) != len(y):
        raise ValueError(f"{len(groups)} group ids but {len(y)} labels")
    if not 0 < level < 1 or n_boot < 10:
        raise ValueError("level must be in (0, 1) and n_boot at least 10")
    uniq, inverse = np.unique(groups, return_inverse=True)
    members = [np.flatnonzero(inverse == g) for g in range(len(uniq))]
    rng = np.random.default_rng(seed)
    values = []
    tries = 0
    while len(values) < n_boot:
        tries += 1
        if tries > 20 * n_boot:
            raise ValueError(
                "almost every bootstrap sample has a single class: too few patients "
                "of one class"
            )
        idx = np.concatenate(
            [members[g] for g in rng.integers(0, len(uniq), len(uniq))]
        )
        if y[idx].min() == y[idx].max():
            continue
        values.append(statistic(y[idx], s[idx]))
    return np.asarray(values), len(uniq)


def bootstrap_auc(
    y_true,
    y_score,
    groups=None,
    *,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> dict:
    """ROC-AUC with a percentile bootstrap confidence interval that resamples
    *patients*.

    Slices of one patient are correlated, so resampling slices would make the interval
    too narrow. Each bootstrap sample draws patients with replacement and keeps all
    their slices. Samples that happen to contain a single class are redrawn.

    Parameters
    ----------
    y_true, y_score : array_like
        Labels (0/1) and scores, one per slice.
    groups : array_like, optional
        Patient id of each slice; by default every slice is its own group.
    n_boot : int
        Number of bootstrap samples.
    level : float
        Confidence level.
    seed : int
        Seed of the resampling.

    Returns
    -------
    dict
        ``auc`` (on all data), ``low``, ``high``, ``level``, ``n_boot`` and
        ``n_groups``.

    Notes
    -----
    Taught in: :doc:`ch4_1_liver_case_study`.
    """
    y, s = check_binary(y_true, y_score)
    aucs, n_groups = _patient_bootstrap(
        y, s, groups, skm.roc_auc_score, n_boot=n_boot, level=level, seed=seed
    )
    low, high = np.quantile(aucs, [(1 - level) / 2, 1 - (1 - level) / 2])
    return {
        "auc": float(skm.roc_auc_score(y, s)),
        "low": float(low),
        "high": float(high),
        "level": level,
        "n_boot": n_boot,
        "n_groups": n_groups,
    }


def threshold_for_sensitivity(y_true, y_score, target: float = 0.9) -> float:
    """The highest threshold whose sensitivity (true-positive rate) reaches ``target``.

    Choose it on the validation set and apply it, unchanged, to the test set.

    Notes
    -----
    Taught in: :doc:`ch4_1_liver_case_study`.
    """
    if not 0 < target <= 1:
        raise ValueError(f"target sensitivity must be in (0, 1], got {target}")
    y, s = check_binary(y_true, y_score)
    fpr, tpr, thresholds = skm.roc_curve(y, s, drop_intermediate=False)
    ok = np.flatnonzero(tpr >= target)
    return float(min(thresholds[ok[0]], 1.0))


def operating_point(y_true, y_score, threshold: float) -> dict:
    """Confusion matrix and the rates a clinician asks for, at one threshold.

    Returns
    -------
    dict
        ``tp``, ``fp``, ``tn``, ``fn``, ``sensitivity``, ``specificity``, ``ppv``
        (precision), ``npv`` and ``threshold``. Rates with a zero denominator are NaN.

    Notes
    -----
    Taught in: :doc:`ch4_1_liver_case_study`.

    The counts come from :func:`sklearn.metrics.confusion_matrix`.
    """
    y, s = check_binary(y_true, y_score, need_both_classes=False)
    tn, fp, fn, tp = skm.confusion_matrix(
        y, (s >= threshold).astype(int), labels=[0, 1]
    ).ravel()

    def rate(a, b):
        return float(a / (a + b)) if a + b else float("nan")

    return {
        "threshold": float(threshold),
        "tp": int(tp),
        "fp": int(fp),
        "tn": int(tn),
        "fn": int(fn),
        "sensitivity": rate(tp, fn),
        "specificity": rate(tn, fp),
        "ppv": rate(tp, fp),
        "npv": rate(tn, fn),
    }


def calibration(y_true, y_score, n_bins: int = 10) -> dict:
    """Brier score and the points of a reliability diagram.

    The interval [0, 1] is cut into ``n_bins`` bins of equal width. A score on an edge
    between two bins belongs to the lower one (bins are ``[0, 1/n]``, ``(1/n, 2/n]``,
    ...), the rule of :func:`sklearn.calibration.calibration_curve` with
    ``strategy="uniform"``. Every slice is assigned to its bin once, and the means, the
    observed fractions and the counts are all computed from that one assignment.

    Parameters
    ----------
    y_true, y_score : array_like
        Labels (0/1) and predicted probabilities.
    n_bins : int
        Number of bins.

    Returns
    -------
    dict
        ``brier`` (:func:`sklearn.metrics.brier_score_loss`), and for each non-empty
        bin, in increasing order: ``mean_predicted`` (mean score), ``observed_fraction``
        (share of positives) and ``count`` (number of slices). The first two equal
        :func:`sklearn.calibration.calibration_curve`'s output; the counts sum to the
        number of slices.

    Raises
    ------
    ValueError
        Besides :func:`check_binary`'s cases, scores outside [0, 1] (not probabilities)
        or ``n_bins`` below 1.

    Notes
    -----
    Taught in: :doc:`ch4_1_liver_case_study`.

    A calibrated model's points lie on the diagonal: of the slices given probability
    0.8, 80 % have a tumour.
    """
    y, s = check_binary(y_true, y_score, need_both_classes=False)
    if s.min() < 0 or s.max() > 1:
        raise ValueError("calibration needs probabilities in [0, 1]")
    if int(n_bins) != n_bins or n_bins < 1:
        raise ValueError(f"n_bins must be a positive integer, got {n_bins!r}")
    n_bins = int(n_bins)
    inner_edges = np.linspace(0.0, 1.0, n_bins + 1)[1:-1]
    bin_of = np.searchsorted(inner_edges, s, side="left")  # an edge goes to the left
    counts = np.bincount(bin_of, minlength=n_bins)
    score_sums = np.bincount(bin_of, weights=s, minlength=n_bins)
    positives = np.bincount(bin_of, weights=y, minlength=n_bins)
    filled = counts > 0
    return {
        "brier": float(skm.brier_score_loss(y, s)),
        "mean_predicted": score_sums[filled] / counts[filled],
        "observed_fraction": positives[filled] / counts[filled],
        "count": counts[filled],
    }


def bootstrap_rates(
    y_true,
    y_score,
    threshold: float,
    groups=None,
    *,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> dict:
    """Sensitivity and specificity at one threshold, with patient-bootstrap intervals.

    The same resampling as :func:`bootstrap_auc`: whole patients, drawn with
    replacement, so correlated slices do not narrow the interval.

    Parameters
    ----------
    y_true, y_score : array_like
        Labels (0/1) and scores, one per slice.
    threshold : float
        A score ``>= threshold`` is a positive decision.
    groups : array_like, optional
        Patient id of each slice; by default every slice is its own group.
    n_boot, level, seed
        As for :func:`bootstrap_auc`.

    Returns
    -------
    dict
        ``sensitivity`` and ``specificity``, each ``{"value", "low", "high"}``, plus
        ``level``, ``n_boot`` and ``n_groups``.

    Notes
    -----
    Taught in: :doc:`ch4_1_liver_case_study`.
    """
    y, s = check_binary(y_true, y_score)

    def rates(yy, ss):
        decided = ss >= threshold
        return (decided[yy == 1].mean(), (~decided[yy == 0]).mean())

    samples, n_groups = _patient_bootstrap(
        y, s, groups, rates, n_boot=n_boot, level=level, seed=seed
    )
    point = rates(y, s)
    out = {"level": level, "n_boot": n_boot, "n_groups": n_groups}
    for k, name in enumerate(("sensitivity", "specificity")):
        low, high = np.quantile(samples[:, k], [(1 - level) / 2, 1 - (1 - level) / 2])
        out[name] = {"value": float(point[k]), "low": float(low), "high": float(high)}
    return out
