"""Comparing two methods on the same cases: a paired bootstrap over patients."""

from __future__ import annotations

import numpy as np

__all__ = ["paired_bootstrap"]


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
