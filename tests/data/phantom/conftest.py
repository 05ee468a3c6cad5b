"""Shared inputs of the phantom tests: seeded generators, patients and a dataset."""

from __future__ import annotations

import numpy as np
import pytest

from medtutor.data import make_liver_dataset
from medtutor.data.phantom.patients import sample_patient

#: Severity of the default public difficulty, 0.5.
DEFAULT_SEVERITY = 0.35


@pytest.fixture
def rng():
    """A fresh, seeded random generator per test."""
    return np.random.default_rng(0)


@pytest.fixture
def patient():
    """A patient with tumours and cysts, at the default severity."""
    return sample_patient(
        np.random.default_rng(7), "T0007", DEFAULT_SEVERITY, True, cyst_probability=1.0
    )


@pytest.fixture
def healthy_patient():
    """A patient with neither tumours nor cysts, at the default severity."""
    return sample_patient(
        np.random.default_rng(8), "H0008", DEFAULT_SEVERITY, False, cyst_probability=0.0
    )


@pytest.fixture(scope="session")
def body_dataset():
    """Whole-abdomen CT slices of 24 patients; read-only, shared by every test."""
    return make_liver_dataset(
        n_patients=24,
        slices_per_patient=6,
        size=96,
        fov_mm=350,
        centre_on="body",
        seed=3,
    )
