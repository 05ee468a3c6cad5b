"""Patient-level, stratified train/validation/test splits.

Chapter 3 shows that a split by slice leaks (slices of one patient look alike) and
inflates the test score.
"""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import train_test_split

from medtutor.data.containers import SliceSet
from medtutor.data.errors import DataError

__all__ = ["patient_split", "slice_split"]


def _check_fractions(fractions) -> tuple[float, float, float]:
    fr = tuple(float(f) for f in fractions)
    if (
        len(fr) != 3
        or min(fr) < 0
        or not np.isclose(sum(fr), 1.0)
        or fr[0] == 0
        or fr[2] == 0
    ):
        raise DataError(
            "fractions must be three non-negative numbers summing to 1 "
            f"(train and test > 0), got {fractions}"
        )
    return fr


def patient_split(
    data: SliceSet | np.ndarray,
    labels: np.ndarray | None = None,
    *,
    fractions=(0.6, 0.2, 0.2),
    seed: int = 0,
) -> np.ndarray:
    """Assign every slice to ``"train"``, ``"val"`` or ``"test"`` so that no patient is
    in two splits.

    Patients are stratified by whether *any* of their slices is positive, so each split
    gets a similar share of patients with the finding.

    Parameters
    ----------
    data : SliceSet or array of str
        A :class:`~medtutor.data.SliceSet`, or the per-slice patient ids.
    labels : array_like of int, optional
        Per-slice labels; required when ``data`` is an array of patient ids.
    fractions : (float, float, float)
        Fractions of *patients* for train, validation and test.
    seed : int
        The same seed gives the same split.

    Returns
    -------
    numpy.ndarray
        ``(N,)`` array of ``"train"``, ``"val"``, ``"test"``; pass it to
        :meth:`SliceSet.with_split`.

    Raises
    ------
    DataError
        For bad fractions, too few patients, or mismatched lengths.

    Notes
    -----
    Taught in: :doc:`ch3_workflow`.

    Uses :func:`sklearn.model_selection.train_test_split` on the patients.
    """
    if isinstance(data, SliceSet):
        pids, y = data.patient_ids, data.labels
    else:
        if labels is None:
            raise DataError("labels are needed when patient ids are passed as an array")
        pids, y = np.asarray(data), np.asarray(labels)
    if len(pids) != len(y):
        raise DataError(f"{len(pids)} patient ids but {len(y)} labels")
    f_train, f_val, f_test = _check_fractions(fractions)
    patients, inverse = np.unique(pids, return_inverse=True)
    if len(patients) < 3:
        raise DataError(
            f"a three-way patient split needs at least 3 patients, got {len(patients)}"
        )
    positive = np.zeros(len(patients), np.int64)
    np.maximum.at(positive, inverse, (np.asarray(y) > 0).astype(np.int64))
    strat = positive if np.bincount(positive).min() >= 3 else None
    idx = np.arange(len(patients))

    def cut(items, size, labels):
        try:
            return train_test_split(
                items, test_size=size, random_state=seed, stratify=labels
            )
        except ValueError:  # too few patients of one kind to stratify: split without it
            return train_test_split(items, test_size=size, random_state=seed)

    rest, test = cut(idx, f_test, strat)
    if f_val > 0:
        train, val = cut(
            rest, f_val / (f_train + f_val), strat[rest] if strat is not None else None
        )
    else:
        train, val = rest, idx[:0]
    which = np.empty(len(patients), dtype="<U5")
    which[train], which[val], which[test] = "train", "val", "test"
    return which[inverse]


def slice_split(
    n: int | SliceSet, *, fractions=(0.6, 0.2, 0.2), seed: int = 0
) -> np.ndarray:
    """Assign slices to splits at random, ignoring patients: **the wrong way**, kept for
    comparison.

    Parameters
    ----------
    n : int or SliceSet
        Number of slices (or the set itself).
    fractions : (float, float, float)
        Fractions of slices for train, validation and test.
    seed : int
        Random seed.

    Returns
    -------
    numpy.ndarray
        ``(N,)`` array of split names; slices of one patient end up in several splits.

    Notes
    -----
    Taught in: :doc:`ch3_workflow`.

    Chapter 3 uses it as the leaky baseline that :func:`patient_split` fixes.
    """
    n = len(n) if isinstance(n, SliceSet) else int(n)
    f_train, f_val, _ = _check_fractions(fractions)
    order = np.random.default_rng(seed).permutation(n)
    n_train, n_val = int(round(f_train * n)), int(round(f_val * n))
    which = np.full(n, "test", dtype="<U5")
    which[order[:n_train]] = "train"
    which[order[n_train : n_train + n_val]] = "val"
    return which
