"""Synthetic abdominal CT and MR that behave like real scans, and simulated clinical variables.

Split by concern: :mod:`~medtutor.data.phantom.generate` holds the public generators (it will be
split further into anatomy, lesions and rendering), :mod:`~medtutor.data.phantom.clinical` the
simulated clinical variables of chapter 5.
"""

from medtutor.data.phantom.clinical import simulate_clinical
from medtutor.data.phantom.generate import (
    CLASS_NAMES,
    CT_HU,
    MR_T1,
    MR_T2,
    make_ct_mr_pair,
    make_liver_dataset,
    make_volume,
)

__all__ = [
    "CLASS_NAMES",
    "CT_HU",
    "MR_T1",
    "MR_T2",
    "make_ct_mr_pair",
    "make_liver_dataset",
    "make_volume",
    "simulate_clinical",
]
