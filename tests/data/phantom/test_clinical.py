"""Simulated clinical variables: shapes, and the weak relation to tumour status."""

from __future__ import annotations

import numpy as np

from medtutor.data import simulate_clinical


def test_simulated_clinical_variables():
    y = np.r_[np.zeros(500, bool), np.ones(500, bool)]
    c = simulate_clinical(y, seed=0)
    assert set(c) == {"age", "known_primary", "log_cea"}
    assert all(len(v) == 1000 for v in c.values())
    assert c["log_cea"][y].mean() > c["log_cea"][~y].mean() + 0.5
    # CEA about 2 ng/mL without metastases
    assert 1.5 < np.exp(np.median(c["log_cea"][~y])) < 2.5
    assert c["known_primary"][y].mean() > c["known_primary"][~y].mean() + 0.2
    assert set(np.unique(c["known_primary"])) == {0, 1}


def test_same_seed_same_patients():
    y = np.r_[np.zeros(5, bool), np.ones(5, bool)]
    a, b = simulate_clinical(y, seed=3), simulate_clinical(y, seed=3)
    assert all(np.array_equal(a[k], b[k]) for k in a)
