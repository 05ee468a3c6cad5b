"""Reading and writing slices and scans: PNG folders, MedMNIST ``.npz``, DICOM, NIfTI,
and LiTS/MSD liver CT volumes.

Every reader checks its input and raises :class:`medtutor.data.DataError` naming the
file; every writer is atomic (:func:`medtutor.data.atomic_folder`).
"""

from medtutor.data.io import (
    atomic,
    dicom,
    folders,
    load,
    medmnist,
    nifti,
    png,
    volumes,
)
from medtutor.data.io.atomic import *
from medtutor.data.io.dicom import *
from medtutor.data.io.folders import *
from medtutor.data.io.load import *
from medtutor.data.io.medmnist import *
from medtutor.data.io.nifti import *
from medtutor.data.io.png import *
from medtutor.data.io.volumes import *

__all__ = sorted(
    [
        *atomic.__all__,
        *dicom.__all__,
        *folders.__all__,
        *load.__all__,
        *medmnist.__all__,
        *nifti.__all__,
        *png.__all__,
        *volumes.__all__,
    ]
)
