"""Checks of the generators' arguments, and the one map from difficulty to severity.

Every public generator validates its image sizes with :func:`check_size` and turns its
public ``difficulty`` into the internal **severity** with
:func:`severity_from_difficulty`. The two words name two scales: *difficulty* is the
0-1 knob that users turn, *severity* is what the appearance model (lesion size and
contrast, enhancing rims, scanner noise) is written in. Only this module converts
between them.
"""

from __future__ import annotations

import numpy as np

from medtutor.data.errors import DataError

__all__: list[str] = []

_MIN_SIZE, _MAX_SIZE = 32, 256


def check_size(size: int, name: str = "size") -> int:
    """Validate an image side in pixels and return it as an ``int``.

    Parameters
    ----------
    size : int
        Side of a square image, 32 to 256 pixels.
    name : str
        Name of the argument, for the error message.

    Returns
    -------
    int

    Raises
    ------
    DataError
        For a non-integer (including ``bool``) or a size outside 32-256.
    """
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
        raise DataError(f"{name} must be an integer number of pixels, got {size!r}")
    if not _MIN_SIZE <= size <= _MAX_SIZE:
        raise DataError(
            f"{name} must be between {_MIN_SIZE} and {_MAX_SIZE} pixels, got {size}"
        )
    return int(size)


def severity_from_difficulty(difficulty: float) -> float:
    """Validate the public difficulty and return the internal severity.

    ``severity = 0.7 * difficulty``, so the public scale 0-1 covers severities 0-0.7:
    difficulty 0 is severity 0, the default difficulty 0.5 is severity 0.35 and
    difficulty 1 is severity 0.7. The public scale is calibrated so that the default,
    0.5, gives the book's small CNN a ROC-AUC of about 0.93-0.99. Higher severity means
    smaller, fainter tumours with fewer enhancing rims and noisier scanners (see
    :func:`~medtutor.data.phantom.lesions.sample_lesion` and
    :func:`~medtutor.data.phantom.patients.sample_patient`).

    Parameters
    ----------
    difficulty : float in [0, 1]

    Returns
    -------
    float
        The severity, in [0, 0.7].

    Raises
    ------
    DataError
        For a difficulty outside [0, 1].
    """
    if not 0.0 <= float(difficulty) <= 1.0:
        raise DataError(f"difficulty must be in [0, 1], got {difficulty}")
    return 0.7 * float(difficulty)
