"""Comparing two methods on the same cases: a paired bootstrap over patients."""

from __future__ import annotations

import numpy as np

from medtutor.metrics.classification import _patient_bootstrap, check_binary

__all__ = ["paired_bootstrap", "paired_bootstrap_metric"]


def paired_bootstrap(
    scores_a, scores_b, groups=None, *, n_boot: int = 1000, level: float = 0.95, seed=0
) -> dict:
    """Mean difference ``a - b`` of two methods scored on the same cases, with a
    bootstrap confidence interval that resamples whole patients.

    Each case (a slice, say) has a score under method A and under method B (a PSNR,
    a Dice, a correct/incorrect). Pairing removes the variation between cases that both
    methods share, and resampling patients, not slices, respects that slices of one
    patient are correlated.

    Parameters
    ----------
    scores_a, scores_b : array_like
        One score per case for each method, in the same order.
    groups : array_like, optional
        Patient id of each case; ``None`` treats every case as its own patient.
    n_boot : int
        Bootstrap samples (at least 10).
    level : float
        Confidence level of the percentile interval.
    seed : int or numpy.random.Generator
        Seeds the resampling.

    Returns
    -------
    dict
        ``difference`` (mean of ``a - b`` over all cases), ``low`` and ``high`` (the
        interval), ``share_a_better`` (share of bootstrap samples whose difference is
        positive) and ``n_groups``.

    Raises
    ------
    ValueError
        Scores or groups of different lengths, non-finite scores, or a bad ``level`` or
        ``n_boot``.

    Notes
    -----
    Taught in: :doc:`ch4_2b_restoration`.
    """
    a = np.asarray(scores_a, dtype=float).ravel()
    b = np.asarray(scores_b, dtype=float).ravel()
    if a.shape != b.shape:
        raise ValueError(f"{a.size} scores for method A but {b.size} for method B")
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ValueError("scores must be finite numbers")
    if not 0 < level < 1 or n_boot < 10:
        raise ValueError("level must be in (0, 1) and n_boot at least 10")
    groups = np.arange(a.size) if groups is None else np.asarray(groups).ravel()
    if groups.size != a.size:
        raise ValueError(f"{groups.size} group ids but {a.size} scores")
    diff = a - b
    uniq, inverse = np.unique(groups, return_inverse=True)
    # Per patient: the sum of differences and the number of cases, so that a resample
    # is a weighted mean over the drawn patients.
    sums = np.bincount(inverse, weights=diff)
    counts = np.bincount(inverse).astype(float)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, uniq.size, (n_boot, uniq.size))
    means = sums[draws].sum(axis=1) / counts[draws].sum(axis=1)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return {
        "difference": float(diff.mean()),
        "low": float(low),
        "high": float(high),
        "share_a_better": float((means > 0).mean()),
        "n_groups": int(uniq.size),
    }


_METRICS = {"roc_auc": "roc_auc_score", "average_precision": "average_precision_score"}


def paired_bootstrap_metric(
    y_true,
    scores_a,
    scores_b,
    groups=None,
    *,
    metric="roc_auc",
    n_boot: int = 1000,
    level: float = 0.95,
    seed=0,
) -> dict:
    """A ranking metric of two models on the same cases, each with its confidence
    interval, and their difference with a paired interval; all resample whole patients.

    ROC-AUC and average precision are computed over a whole set, not per case, so
    :func:`paired_bootstrap` (a mean of per-case differences) does not apply. Here every
    bootstrap sample draws patients with replacement, keeps all their slices, and
    computes the metric for both models on that same sample. Samples with a single
    class are redrawn.

    Parameters
    ----------
    y_true : array_like
        Labels (0/1), one per case.
    scores_a, scores_b : array_like
        Scores of model A and model B for the same cases, in the same order.
    groups : array_like, optional
        Patient id of each case; ``None`` treats every case as its own patient.
    metric : {"roc_auc", "average_precision"} or callable
        ``metric(y_true, y_score) -> float``.
    n_boot, level, seed
        As in :func:`paired_bootstrap`.

    Returns
    -------
    dict
        ``a``, ``a_low``, ``a_high`` (model A's metric and interval), ``b``, ``b_low``,
        ``b_high``, ``difference`` (``a - b`` on all data), ``low``, ``high``,
        ``share_a_better`` and ``n_groups``.

    Raises
    ------
    ValueError
        Arrays of different lengths, non-binary labels, an unknown metric, or too few
        patients of one class to resample.

    Notes
    -----
    Taught in: :doc:`ch5a_imbalance_metrics`.
    """
    import sklearn.metrics as skm

    y, a = check_binary(y_true, scores_a)
    _, b = check_binary(y_true, scores_b)
    if callable(metric):
        fn = metric
    elif metric in _METRICS:
        fn = getattr(skm, _METRICS[metric])
    else:
        raise ValueError(
            f"metric must be one of {sorted(_METRICS)} or a callable, got {metric!r}"
        )
    both = np.stack([a, b], axis=1)
    values, n_groups = _patient_bootstrap(
        y,
        both,
        groups,
        lambda yy, ss: (fn(yy, ss[:, 0]), fn(yy, ss[:, 1])),
        n_boot=n_boot,
        level=level,
        seed=seed,
    )
    tail = (1 - level) / 2
    quantiles = np.quantile(values, [tail, 1 - tail], axis=0)
    diffs = values[:, 0] - values[:, 1]
    d_low, d_high = np.quantile(diffs, [tail, 1 - tail])
    value_a, value_b = float(fn(y, a)), float(fn(y, b))
    return {
        "a": value_a,
        "a_low": float(quantiles[0, 0]),
        "a_high": float(quantiles[1, 0]),
        "b": value_b,
        "b_low": float(quantiles[0, 1]),
        "b_high": float(quantiles[1, 1]),
        "difference": value_a - value_b,
        "low": float(d_low),
        "high": float(d_high),
        "share_a_better": float((diffs > 0).mean()),
        "n_groups": n_groups,
    }
