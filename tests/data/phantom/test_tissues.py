"""Tissue tables: every modality knows every tissue, and the contrasts the book uses."""

from __future__ import annotations

import pytest

from medtutor.data import CLASS_NAMES, CT_HU, MR_T1, MR_T2


def test_every_table_has_the_same_tissues():
    assert set(CT_HU) == set(MR_T1) == set(MR_T2)


def test_class_names_index_the_labels():
    assert CLASS_NAMES.index("no_tumour") == 0 and CLASS_NAMES.index("tumour") == 1


def test_hounsfield_scale_is_anchored_on_air_and_water():
    assert CT_HU["air"] == -1000
    assert CT_HU["cyst"] == pytest.approx(0, abs=15)  # water density
    assert CT_HU["fat"] < 0 < CT_HU["liver"] < CT_HU["cortical_bone"]


def test_cysts_are_dark_on_ct_and_t1_and_bright_on_t2():
    assert CT_HU["cyst"] < CT_HU["liver"]
    assert MR_T1["cyst"] < MR_T1["liver"]
    assert MR_T2["cyst"] > MR_T2["liver"]


def test_fat_is_bright_on_mr_and_dark_on_ct():
    assert MR_T1["fat"] > MR_T1["muscle"] and MR_T2["fat"] > MR_T2["muscle"]
    assert CT_HU["fat"] < CT_HU["muscle"]


def test_ct_values_are_one_phase_portal_venous():
    # Enhanced liver near 100-120 HU, vessels and kidneys brighter, cysts at water.
    assert 95 <= CT_HU["liver"] <= 125
    assert CT_HU["vessel"] > CT_HU["spleen"] >= CT_HU["liver"] > CT_HU["muscle"]
    assert CT_HU["kidney"] > CT_HU["liver"]
