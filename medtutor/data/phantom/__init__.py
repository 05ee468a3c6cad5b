"""Synthetic abdominal CT and MR that behave like real scans, and clinical variables.

The modules read as the pipeline of making a synthetic scan:

* :mod:`~medtutor.data.phantom.tissues`: what each tissue looks like on CT and MR;
* :mod:`~medtutor.data.phantom.checks`: the generators' arguments, and the map from the
  public *difficulty* to the internal *severity*;
* :mod:`~medtutor.data.phantom.lesions`: drawing cysts and tumours, cutting them on a
  slice;
* :mod:`~medtutor.data.phantom.patients`: drawing a patient, choosing its slice heights;
* :mod:`~medtutor.data.phantom.anatomy`: the organs' masks at one height;
* :mod:`~medtutor.data.phantom.render`: painting, blurring and adding scanner noise;
* :mod:`~medtutor.data.phantom.generate`: the public generators.

:mod:`~medtutor.data.phantom.clinical` simulates the clinical variables of chapter 5.
"""

from medtutor.data.phantom import (
    anatomy,
    checks,
    clinical,
    generate,
    lesions,
    patients,
    render,
    tissues,
)
from medtutor.data.phantom.anatomy import *
from medtutor.data.phantom.checks import *
from medtutor.data.phantom.clinical import *
from medtutor.data.phantom.generate import *
from medtutor.data.phantom.lesions import *
from medtutor.data.phantom.patients import *
from medtutor.data.phantom.render import *
from medtutor.data.phantom.tissues import *

__all__ = sorted(
    [
        *anatomy.__all__,
        *checks.__all__,
        *clinical.__all__,
        *generate.__all__,
        *lesions.__all__,
        *patients.__all__,
        *render.__all__,
        *tissues.__all__,
    ]
)
