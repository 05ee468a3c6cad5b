"""medtutor.data: synthetic CT/MR and readers for real formats, behind one API.

Taught in: *Chapter 3 — Algorithms and workflow*. Generators and readers return a
:class:`SliceSet` (2D slices with labels, patient ids and masks) or a :class:`Scan` (one image
or volume with its spacing); :func:`make_tf_dataset` turns either source into batches.

The sub-packages read as the pipeline: :mod:`~medtutor.data.phantom` makes data,
:mod:`~medtutor.data.io` reads and writes it, :mod:`~medtutor.data.splits` splits it by patient,
:mod:`~medtutor.data.preprocess` scales it, :mod:`~medtutor.data.degrade` degrades it for the
restoration chapters and :mod:`~medtutor.data.pipeline` batches it with ``tf.data``.
"""

from medtutor.data.containers import SPLITS, Scan, SliceSet
from medtutor.data.degrade import add_low_dose_noise, downsample, scanner_shift
from medtutor.data.errors import DataError
from medtutor.data.io import (
    HU_OFFSET,
    example_ct_path,
    load_slices,
    read_dicom,
    read_folder,
    read_medmnist,
    read_nifti,
    read_png,
    write_dicom_series,
    write_folder,
    write_medmnist,
    write_nifti,
)
from medtutor.data.phantom import (
    CLASS_NAMES,
    CT_HU,
    MR_T1,
    MR_T2,
    make_ct_mr_pair,
    make_liver_dataset,
    make_volume,
    simulate_clinical,
)
from medtutor.data.pipeline import make_segmentation_dataset, make_tf_dataset
from medtutor.data.preprocess import (
    WINDOWS,
    apply_window,
    match_grid,
    model_inputs,
    normalize,
    one_hot,
    resample,
    resize,
    zscore,
)
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
    "add_low_dose_noise",
    "apply_window",
    "downsample",
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
    "scanner_shift",
    "simulate_clinical",
    "slice_split",
    "write_dicom_series",
    "write_folder",
    "write_medmnist",
    "write_nifti",
    "zscore",
]
