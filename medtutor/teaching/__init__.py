"""Chapter 2's building blocks written out by hand: layers, losses and optimizer paths.

Each function here equals its Keras counterpart (checked in ``tests/teaching/``). They
exist to be read; nothing in the pipeline imports them.
"""

from medtutor.teaching import diagrams, layers, losses, optimizers
from medtutor.teaching.diagrams import *
from medtutor.teaching.layers import *
from medtutor.teaching.losses import *
from medtutor.teaching.optimizers import *

__all__ = sorted(
    [*diagrams.__all__, *layers.__all__, *losses.__all__, *optimizers.__all__]
)
