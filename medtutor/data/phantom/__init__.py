"""Synthetic abdominal CT and MR that behave like real scans, and clinical variables.

:mod:`~medtutor.data.phantom.generate` holds the public generators;
:mod:`~medtutor.data.phantom.clinical` simulates the clinical variables of chapter 5.
"""

from medtutor.data.phantom import clinical, generate
from medtutor.data.phantom.clinical import *
from medtutor.data.phantom.generate import *

__all__ = sorted([*clinical.__all__, *generate.__all__])
