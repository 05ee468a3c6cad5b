"""Data: synthetic CT/MR, readers and writers of real formats, splits, preprocessing.

Generators and readers return a :class:`SliceSet` (2D slices with labels, patient ids
and masks) or a :class:`Scan` (one image or volume with its spacing). The sub-packages
read as the pipeline: :mod:`~medtutor.data.phantom` makes data, :mod:`~medtutor.data.io`
reads and writes it, :mod:`~medtutor.data.splits` splits it by patient,
:mod:`~medtutor.data.preprocess` scales it, :mod:`~medtutor.data.degrade` degrades it
for the restoration chapters and :mod:`~medtutor.data.pipeline` batches it with
``tf.data``. Every public name is importable from here.
"""

from medtutor.data import (
    containers,
    degrade,
    errors,
    geometry,
    io,
    phantom,
    pipeline,
    preprocess,
    splits,
)
from medtutor.data.containers import *
from medtutor.data.degrade import *
from medtutor.data.errors import *
from medtutor.data.geometry import *
from medtutor.data.io import *
from medtutor.data.phantom import *
from medtutor.data.pipeline import *
from medtutor.data.preprocess import *
from medtutor.data.splits import *

__all__ = sorted(
    [
        *containers.__all__,
        *degrade.__all__,
        *errors.__all__,
        *geometry.__all__,
        *io.__all__,
        *phantom.__all__,
        *pipeline.__all__,
        *preprocess.__all__,
        *splits.__all__,
    ]
)
