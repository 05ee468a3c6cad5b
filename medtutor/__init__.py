"""medtutor: the runnable companion package of the book *Deep Learning for Medical Image
Analysis*.

Every public function names, in its docstring, the chapter of the book that teaches it.
Importing :mod:`medtutor` is cheap: TensorFlow is imported only when a helper needs it,
and then always through :func:`medtutor.runtime.quiet.import_tensorflow`, so that no
C-level log
line from TensorFlow ever ends up in a notebook's stored output.
"""

from medtutor.runtime import (
    describe_strategy,
    import_tensorflow,
    seed_everything,
    select_strategy,
    strategy_for_devices,
    versions,
)

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "describe_strategy",
    "import_tensorflow",
    "seed_everything",
    "select_strategy",
    "strategy_for_devices",
    "versions",
]
