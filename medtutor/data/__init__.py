"""medtutor.data: synthetic CT/MR and readers for real formats, behind one API.

Taught in: *Chapter 3 — Algorithms and workflow*. Generators and readers return a
:class:`SliceSet` (2D slices with labels, patient ids and masks) or a :class:`Scan` (one image
or volume with its spacing); :func:`make_tf_dataset` turns either source into batches.
"""

from medtutor.data.containers import SPLITS, Scan, SliceSet
from medtutor.data.dicom import example_ct_path, read_dicom, write_dicom_series
from medtutor.data.errors import DataError
from medtutor.data.folders import HU_OFFSET, read_folder, read_png, write_folder
from medtutor.data.medmnist import read_medmnist, write_medmnist
from medtutor.data.nifti import read_nifti, write_nifti
from medtutor.data.phantom import CLASS_NAMES, CT_HU, MR_T1, MR_T2, make_ct_mr_pair, make_liver_dataset, make_volume
from medtutor.data.pipeline import load_slices, make_segmentation_dataset, make_tf_dataset, model_inputs
from medtutor.data.preprocess import WINDOWS, apply_window, match_grid, normalize, one_hot, resample, resize, zscore
from medtutor.data.splits import patient_split, slice_split

__all__ = [
    "CLASS_NAMES",
    "CT_HU",
    "DataError",
    "HU_OFFSET",
    "MR_T1",
    "MR_T2",
    "SPLITS",
    "Scan",
    "SliceSet",
    "WINDOWS",
    "apply_window",
    "example_ct_path",
    "load_slices",
    "make_ct_mr_pair",
    "make_liver_dataset",
    "make_segmentation_dataset",
    "make_tf_dataset",
    "make_volume",
    "match_grid",
    "model_inputs",
    "normalize",
    "one_hot",
    "patient_split",
    "read_dicom",
    "read_folder",
    "read_medmnist",
    "read_nifti",
    "read_png",
    "resample",
    "resize",
    "slice_split",
    "write_dicom_series",
    "write_folder",
    "write_medmnist",
    "write_nifti",
    "zscore",
]
