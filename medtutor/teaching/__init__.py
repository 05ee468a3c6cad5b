"""Chapter 2's building blocks written out by hand: layers, losses and optimizer paths.

Each function here equals its Keras counterpart (checked in ``tests/teaching/``). They exist to
be read; nothing in the pipeline imports them.
"""

from medtutor.teaching.layers import conv2d, dense, pool2d, receptive_fields
from medtutor.teaching.losses import (
    binary_cross_entropy,
    categorical_cross_entropy,
    dice_coefficient,
    dice_loss,
    mean_squared_error,
    smooth_l1,
)
from medtutor.teaching.optimizers import ill_conditioned_loss, optimizer_paths

__all__ = [
    "binary_cross_entropy",
    "categorical_cross_entropy",
    "conv2d",
    "dense",
    "dice_coefficient",
    "dice_loss",
    "ill_conditioned_loss",
    "mean_squared_error",
    "optimizer_paths",
    "pool2d",
    "receptive_fields",
    "smooth_l1",
]
