"""Simulated clinical variables for the "intelligent healthcare" toy example.

The variables are invented, loosely shaped after real risk factors of liver cancer; they
exist to show how image and clinical features combine and where such a model can fool
you. They are not medical knowledge.
"""

from __future__ import annotations

import numpy as np

__all__ = ["simulate_clinical"]


def simulate_clinical(
    has_tumour: np.ndarray, *, seed: int = 0
) -> dict[str, np.ndarray]:
    """Per-patient age, cirrhosis and a tumour marker, weakly related to tumour status.

    Parameters
    ----------
    has_tumour : array_like of bool
        One entry per patient.
    seed : int

    Returns
    -------
    dict of str to numpy.ndarray
        ``age`` (years), ``cirrhosis`` (0/1) and ``log_afp`` (log of a serum
        tumour-marker level, elevated in some patients with a tumour, as
        alpha-fetoprotein is in some hepatocellular carcinomas).

    Notes
    -----
    Taught in: :doc:`ch5b_deployment_features`.
    """
    y = np.asarray(has_tumour, bool)
    rng = np.random.default_rng(seed)
    n = len(y)
    age = rng.normal(58 + 6 * y, 10, n).round()
    cirrhosis = (rng.random(n) < np.where(y, 0.45, 0.15)).astype(int)
    secreting = y & (rng.random(n) < 0.5)  # only some tumours raise the marker
    log_afp = rng.normal(1.5, 0.6, n) + secreting * rng.uniform(1.0, 3.0, n)
    return {"age": age, "cirrhosis": cirrhosis, "log_afp": log_afp}
