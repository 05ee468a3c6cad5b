"""medtutor: the runnable companion package of the book *Deep Learning for Medical Image
Analysis*.

The package reads as the pipeline the book teaches: :mod:`medtutor.runtime` sets up
TensorFlow, seeds and devices; :mod:`medtutor.data` makes, reads, splits, preprocesses
and batches images; :mod:`medtutor.models`, :mod:`medtutor.losses` and
:mod:`medtutor.training` build and train networks; :mod:`medtutor.metrics`,
:mod:`medtutor.evaluate`, :mod:`medtutor.plots` and :mod:`medtutor.explain` judge them;
:mod:`medtutor.features` and :mod:`medtutor.deploy` take them further; and
:mod:`medtutor.teaching` holds chapter 2's building blocks written out by hand.

Every public function names, in a ``Taught in:`` field of its docstring, the pages of
the book that teach it. Importing :mod:`medtutor` is cheap: TensorFlow is imported only
when a helper needs it, and then always through :func:`medtutor.import_tensorflow`, so
that no C-level log line from TensorFlow ever ends up in a notebook's stored output.
"""

from medtutor import runtime
from medtutor.runtime import *

__version__ = "0.1.0"

__all__ = ["__version__", *runtime.__all__]
