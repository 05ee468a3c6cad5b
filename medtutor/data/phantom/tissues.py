"""What each tissue looks like on each modality, and the names of the two classes.

This module holds the phantom's physics as plain tables: the attenuation of every tissue
on CT in Hounsfield units and its relative signal on T1- and T2-weighted MR. The
renderer (:mod:`~medtutor.data.phantom.render`) paints each structure with the value of
its tissue from one of these tables. :data:`CLASS_NAMES` names the image-level labels
that the generators return.
"""

from __future__ import annotations

__all__ = ["CLASS_NAMES", "CT_HU", "MR_T1", "MR_T2"]

#: Names of the image-level labels: ``0 = no_tumour``, ``1 = tumour``.
CLASS_NAMES = ("no_tumour", "tumour")

#: Typical attenuation of each tissue in Hounsfield units on contrast-enhanced CT in
#: the portal-venous phase (about 70 s after an intravenous iodine bolus), the phase
#: in which liver metastases are usually read: the enhanced liver sits near 100-120 HU
#: (about 55-65 HU before contrast), the spleen a little above it, the portal vein and
#: aorta at 150-200 HU, while cysts stay at water density because they take up no
#: contrast. The liver and vessel values are drawn per patient around these (see
#: :func:`~medtutor.data.phantom.patients.sample_patient`).
CT_HU = {
    "air": -1000.0,
    "fat": -100.0,
    "visceral_fat": -90.0,
    "muscle": 55.0,
    "liver": 110.0,
    "spleen": 120.0,
    "kidney": 160.0,
    "vessel": 175.0,
    "bowel": 20.0,
    "gas": -950.0,
    "marrow": 250.0,
    "cortical_bone": 800.0,
    "cyst": 8.0,
    "csf": 10.0,
}

#: Relative signal of each tissue on a T2-weighted MR image (arbitrary units).
MR_T2 = {
    "air": 0.0,
    "fat": 620.0,
    "visceral_fat": 600.0,
    "muscle": 150.0,
    "liver": 230.0,
    "spleen": 460.0,
    "kidney": 520.0,
    "vessel": 40.0,  # flow void
    "bowel": 850.0,
    "gas": 0.0,
    "marrow": 420.0,
    "cortical_bone": 20.0,
    "cyst": 1300.0,
    "csf": 1250.0,
}

#: Relative signal of each tissue on a T1-weighted MR image (arbitrary units).
MR_T1 = {
    "air": 0.0,
    "fat": 950.0,
    "visceral_fat": 900.0,
    "muscle": 300.0,
    "liver": 420.0,
    "spleen": 330.0,
    "kidney": 350.0,
    "vessel": 60.0,
    "bowel": 200.0,
    "gas": 0.0,
    "marrow": 700.0,
    "cortical_bone": 20.0,
    "cyst": 120.0,
    "csf": 130.0,
}
