"""Setting up: a quiet TensorFlow import, seeds, devices and library versions.

Every training chapter opens with these. Importing this package does not import
TensorFlow.
"""

from medtutor.runtime import devices, environment, quiet, seeding
from medtutor.runtime.devices import *
from medtutor.runtime.environment import *
from medtutor.runtime.quiet import *
from medtutor.runtime.seeding import *

__all__ = sorted(
    [*devices.__all__, *quiet.__all__, *seeding.__all__, *environment.__all__]
)
