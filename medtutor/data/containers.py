"""Containers for images and their annotations: :class:`SliceSet` and :class:`Scan`.

Every reader and generator of :mod:`medtutor.data` returns one of these two, so
that a chapter can swap synthetic data for the reader's own scans by changing one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

import numpy as np

from medtutor.data.errors import DataError

__all__ = ["Scan", "SliceSet", "SPLITS"]

SPLITS = ("train", "val", "test")


@dataclass(frozen=True)
class SliceSet:
    """A set of 2D slices with image-level labels, patient ids and optional masks.

    Attributes
    ----------
    images : numpy.ndarray
        ``(N, H, W)`` float32. For CT, Hounsfield units; otherwise the units in
        ``units``.
    labels : numpy.ndarray
        ``(N,)`` int64 class indices into ``class_names``.
    patient_ids : numpy.ndarray
        ``(N,)`` strings. Slices of one patient must stay in one split.
    class_names : tuple of str
        Name of each class index.
    spacing : tuple of float
        Pixel spacing ``(row, column)`` in millimetres; ``(1.0, 1.0)`` when unknown.
    modality : str
        ``"CT"``, ``"MR"`` or ``"unknown"``.
    units : str
        ``"HU"`` for CT in Hounsfield units, ``"a.u."`` for MR, ``"intensity"``
        otherwise.
    liver_masks, lesion_masks : numpy.ndarray or None
        ``(N, H, W)`` uint8 binary masks, where available.
    lesion_types : numpy.ndarray or None
        ``(N,)`` int8: 0 no lesion, 1 cyst only, 2 tumour (possibly with cysts).
    split : numpy.ndarray or None
        ``(N,)`` strings from ``("train", "val", "test")`` when the source defines a
        split.
    z_mm : numpy.ndarray or None
        ``(N,)`` slice position in millimetres, where known.

    Notes
    -----
    Taught in: :doc:`own_data`.
    """

    images: np.ndarray
    labels: np.ndarray
    patient_ids: np.ndarray
    class_names: tuple[str, ...]
    spacing: tuple[float, float] = (1.0, 1.0)
    modality: str = "unknown"
    units: str = "intensity"
    liver_masks: np.ndarray | None = None
    lesion_masks: np.ndarray | None = None
    lesion_types: np.ndarray | None = None
    split: np.ndarray | None = None
    z_mm: np.ndarray | None = None
    meta: dict = field(default_factory=dict, compare=False)

    _PER_SLICE = (
        "images",
        "labels",
        "patient_ids",
        "liver_masks",
        "lesion_masks",
        "lesion_types",
        "split",
        "z_mm",
    )

    def __post_init__(self):
        images = np.asarray(self.images)
        if images.ndim != 3:
            raise DataError(f"images must have shape (N, H, W), got {images.shape}")
        n = images.shape[0]
        for name in self._PER_SLICE:
            value = getattr(self, name)
            if value is not None and len(value) != n:
                raise DataError(
                    f"{name} has {len(value)} entries but there are {n} images"
                )
        if images.dtype.kind == "f" and n and not np.isfinite(images).all():
            bad = int(
                np.argwhere(~np.isfinite(images).reshape(n, -1).all(axis=1))[0, 0]
            )
            raise DataError(f"images contain NaN or inf (first at index {bad})")
        labels = np.asarray(self.labels)
        if n and (labels.min() < 0 or labels.max() >= len(self.class_names)):
            raise DataError(
                f"labels must lie in [0, {len(self.class_names)}), "
                f"got {labels.min()}..{labels.max()}"
            )

    def __len__(self) -> int:
        return int(self.images.shape[0])

    @property
    def image_shape(self) -> tuple[int, int]:
        """``(H, W)`` of every image."""
        return tuple(self.images.shape[1:])

    def subset(self, index) -> SliceSet:
        """A new :class:`SliceSet` with the slices selected by an index array or boolean
        mask."""
        index = np.asarray(index)
        changes = {}
        for name in self._PER_SLICE:
            value = getattr(self, name)
            if value is not None:
                changes[name] = value[index]
        return replace(self, **changes)

    def split_part(self, name: str) -> SliceSet:
        """The slices whose ``split`` equals ``name`` (``"train"``, ``"val"`` or
        ``"test"``)."""
        if self.split is None:
            raise DataError(
                "this SliceSet has no split: use medtutor.data.patient_split first"
            )
        if name not in SPLITS:
            raise DataError(f"split must be one of {SPLITS}, got {name!r}")
        return self.subset(self.split == name)

    def with_split(self, split) -> SliceSet:
        """A copy with a ``split`` array, e.g. from
        :func:`medtutor.data.patient_split`."""
        return replace(self, split=np.asarray(split))

    def as_binary(self, positive, negative=None) -> SliceSet:
        """A two-class copy: ``positive`` classes become label 1, ``negative`` label 0.

        The case study's network, training and evaluation tell two classes apart;
        this turns a multi-class set (e.g. MedMNIST's OrganAMNIST, 11 organs) into
        such a task.

        Parameters
        ----------
        positive : str or sequence of str
            Class name(s) that become label 1.
        negative : str or sequence of str, optional
            Class name(s) that become label 0; by default every other class. Slices of
            classes in neither list are dropped.

        Returns
        -------
        SliceSet
            Class names ``(negative names joined by "+" or "not_<positive>",
            positive names joined by "+")``.

        Raises
        ------
        DataError
            An unknown class name, or a class in both lists.

        Notes
        -----
        Taught in: :doc:`own_data`.
        """

        def names(value):
            chosen = (value,) if isinstance(value, str) else tuple(value)
            unknown = [c for c in chosen if c not in self.class_names]
            if unknown or not chosen:
                raise DataError(
                    f"unknown class name(s) {unknown or chosen}; the classes are "
                    f"{', '.join(self.class_names)}"
                )
            return chosen

        pos = names(positive)
        neg = (
            tuple(c for c in self.class_names if c not in pos)
            if negative is None
            else names(negative)
        )
        if set(pos) & set(neg):
            raise DataError(f"class(es) {sorted(set(pos) & set(neg))} in both lists")
        index = {c: i for i, c in enumerate(self.class_names)}
        is_pos = np.isin(self.labels, [index[c] for c in pos])
        keep = is_pos | np.isin(self.labels, [index[c] for c in neg])
        neg_name = "+".join(neg) if negative is not None else f"not_{'+'.join(pos)}"
        part = self.subset(keep)
        return replace(
            part,
            labels=is_pos[keep].astype(np.int64),
            class_names=(neg_name, "+".join(pos)),
        )

    def summary(self) -> str:
        """One line per split: slices, patients and class counts."""
        lines = []
        parts = [
            (s, self.split_part(s))
            for s in SPLITS
            if self.split is not None and (self.split == s).any()
        ]
        for name, part in parts or [("all", self)]:
            counts = ", ".join(
                f"{c} {int((part.labels == i).sum())}"
                for i, c in enumerate(self.class_names)
            )
            n_patients = len(np.unique(part.patient_ids))
            lines.append(
                f"{name:5s}: {len(part):5d} slices, {n_patients:4d} patients ({counts})"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        names = [
            f.name
            for f in fields(self)
            if getattr(self, f.name) is not None and f.name in self._PER_SLICE
        ]
        return (
            f"SliceSet({len(self)} slices of "
            f"{self.image_shape[0]}x{self.image_shape[1]} {self.modality} "
            f"in {self.units}, spacing {self.spacing[0]:.2f}x{self.spacing[1]:.2f} mm, "
            f"classes {self.class_names}, fields {names})"
        )


@dataclass(frozen=True)
class Scan:
    """One image or volume with its physical voxel spacing.

    Attributes
    ----------
    array : numpy.ndarray
        ``(H, W)`` or ``(Z, H, W)`` float32.
    spacing : tuple of float
        Millimetres per pixel along each axis of ``array``.
    modality : str
        ``"CT"``, ``"MR"`` or ``"unknown"``.
    units : str
        ``"HU"``, ``"a.u."`` or ``"intensity"``.
    masks : dict of str to numpy.ndarray
        Label masks with the shape of ``array`` (e.g. ``"liver"``, ``"lesion"``).
    meta : dict
        Anything else the source knew (patient id, file names, orientation).

    Notes
    -----
    Taught in: :doc:`own_data`.
    """

    array: np.ndarray
    spacing: tuple[float, ...]
    modality: str = "unknown"
    units: str = "intensity"
    masks: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.array.ndim not in (2, 3):
            raise DataError(
                f"a Scan holds a 2D image or a 3D volume, got shape {self.array.shape}"
            )
        if len(self.spacing) != self.array.ndim:
            raise DataError(
                f"spacing {self.spacing} does not match an array of "
                f"{self.array.ndim} dimensions"
            )
        if any(not np.isfinite(s) or s <= 0 for s in self.spacing):
            raise DataError(f"spacing must be positive millimetres, got {self.spacing}")
        for name, mask in self.masks.items():
            if mask.shape != self.array.shape:
                raise DataError(
                    f"mask {name!r} has shape {mask.shape}, "
                    f"the image {self.array.shape}"
                )

    @property
    def extent_mm(self) -> tuple[float, ...]:
        """Physical size along each axis (pixels times spacing)."""
        return tuple(n * s for n, s in zip(self.array.shape, self.spacing, strict=True))
