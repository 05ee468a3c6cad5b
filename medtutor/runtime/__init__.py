"""Setting up: a quiet TensorFlow import, seeds, devices and library versions.

Taught in: *Setting up* (``book/setup.ipynb``); every training chapter opens with these.
Importing this package does not import TensorFlow.
"""

from medtutor.runtime.devices import describe_strategy, select_strategy, strategy_for_devices
from medtutor.runtime.quiet import import_tensorflow, silenced_fd2
from medtutor.runtime.seeding import seed_everything
from medtutor.runtime.versions import versions

__all__ = [
    "describe_strategy",
    "import_tensorflow",
    "seed_everything",
    "select_strategy",
    "silenced_fd2",
    "strategy_for_devices",
    "versions",
]
