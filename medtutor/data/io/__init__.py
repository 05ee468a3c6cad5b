"""Reading and writing slices and scans: PNG folders, MedMNIST ``.npz``, DICOM and NIfTI.

Every reader checks its input and raises :class:`medtutor.data.DataError` naming the file;
every writer is atomic (:mod:`medtutor.data.io.atomic`).
"""

from medtutor.data.io.atomic import atomic_folder, save_npz_atomic
from medtutor.data.io.dicom import example_ct_path, read_dicom, write_dicom_series
from medtutor.data.io.folders import read_folder, write_folder
from medtutor.data.io.load import load_slices
from medtutor.data.io.medmnist import read_medmnist, write_medmnist
from medtutor.data.io.nifti import read_nifti, write_nifti
from medtutor.data.io.png import HU_OFFSET, encode_pixels, read_png

__all__ = [
    "HU_OFFSET",
    "atomic_folder",
    "encode_pixels",
    "example_ct_path",
    "load_slices",
    "read_dicom",
    "read_folder",
    "read_medmnist",
    "read_nifti",
    "read_png",
    "save_npz_atomic",
    "write_dicom_series",
    "write_folder",
    "write_medmnist",
    "write_nifti",
]
