"""The one exception type the data module raises for bad input.

Taught in: *Chapter 3 — Algorithms and workflow* (loading data, and what the errors
mean).
"""

from __future__ import annotations

__all__ = ["DataError"]


class DataError(ValueError):
    """Bad input data: the message names the file (or key) and says what is wrong.

    A subclass of :class:`ValueError`, so ``except ValueError`` also catches it.
    Readers raise it instead of skipping data silently.

    Notes
    -----
    Taught in: *Chapter 3 — Algorithms and workflow*.
    """
