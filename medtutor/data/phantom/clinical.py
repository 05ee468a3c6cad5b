"""Simulated clinical variables for the "intelligent healthcare" toy example.

The phantom's tumours are hypo-attenuating lesions in an enhanced liver, the
portal-venous look of metastases (most often from colorectal cancer), not of a
hepatocellular carcinoma. The variables therefore stand for what a radiologist knows
when staging a patient for liver metastases: age, whether a primary cancer is already
known, and a serum marker of colorectal cancer (CEA). Their sizes are invented; they
exist to show how image and clinical features combine and where such a model can fool
you. They are not medical knowledge.
"""

from __future__ import annotations

import numpy as np

__all__ = ["simulate_clinical"]


def simulate_clinical(
    has_tumour: np.ndarray, *, seed: int = 0
) -> dict[str, np.ndarray]:
    """Per-patient age, known primary cancer and a tumour marker, weakly related to
    whether the liver holds (metastatic) tumours.

    Parameters
    ----------
    has_tumour : array_like of bool
        One entry per patient.
    seed : int
        The same seed gives the same patients.

    Returns
    -------
    dict of str to numpy.ndarray
        ``age`` (years), ``known_primary`` (0/1: a colorectal cancer was diagnosed
        before this scan, more often so in patients with liver metastases, but also in
        many without) and ``log_cea`` (natural log of the serum carcinoembryonic antigen
        in ng/mL; about 2 ng/mL without metastases, raised in some patients with them,
        as CEA is in many but not all colorectal metastases).

    Notes
    -----
    Taught in: :doc:`ch5b_deployment_features`.
    """
    y = np.asarray(has_tumour, bool)
    rng = np.random.default_rng(seed)
    n = len(y)
    age = rng.normal(60 + 4 * y, 11, n).round()
    known_primary = (rng.random(n) < np.where(y, 0.6, 0.25)).astype(int)
    secreting = y & (rng.random(n) < 0.6)  # only some metastases raise the marker
    log_cea = rng.normal(np.log(2.0), 0.5, n) + secreting * rng.uniform(0.7, 2.5, n)
    return {"age": age, "known_primary": known_primary, "log_cea": log_cea}
