"""The source article's folder layout: ``DIR/{train,val,test}/<class>/*.png`` plus a
manifest.


Layout written by :func:`write_folder` and read by :func:`read_folder`::

    DIR/
      manifest.csv            file, mask, label, class, patient_id, split
      dataset.json            spacing, modality, bit depth and how pixels map to HU
      train/no_tumour/P0003_000.png
      train/tumour/P0003_001.png
      val/...  test/...
      masks/train/tumour/P0003_001.png   label map: 0 background, 1 liver, 2 lesion
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

from medtutor.data.containers import SliceSet
from medtutor.data.errors import DataError
from medtutor.data.geometry import resize
from medtutor.data.io.atomic import atomic_folder, save_npz_atomic
from medtutor.data.io.layout import MANIFEST_FIELDS, discover_files, read_manifest
from medtutor.data.io.png import HU_OFFSET, encode_pixels, read_png

__all__ = ["read_folder", "write_folder"]


def write_folder(
    data: SliceSet,
    root: str | os.PathLike,
    *,
    bit_depth: int = 16,
    window="abdomen",
    split: np.ndarray | None = None,
) -> Path:
    """Write a :class:`SliceSet` in the article's layout, with masks, a manifest and
    metadata.

    Parameters
    ----------
    data : SliceSet
        The slices; its ``split`` is used unless ``split`` is given.
    root : path-like
        Output folder. It must not exist or be empty; the data set is written to a
        temporary folder beside it and moved into place at the end
        (:func:`medtutor.data.io.atomic.atomic_folder`), so an error never leaves half a
        data set behind.
    bit_depth : {16, 8}
        16 keeps Hounsfield units exactly (stored as ``HU + HU_OFFSET``, 1024); 8
        stores the image after the display ``window``, which loses everything outside
        the window.
    window : str or (float, float)
        Window used for 8-bit output (see :func:`medtutor.data.apply_window`).
    split : array of str, optional
        Per-slice split names; by default ``data.split``.

    Returns
    -------
    pathlib.Path
        ``root``.

    Raises
    ------
    DataError
        No split, a non-empty ``root``, or a bit depth other than 8 or 16.

    Notes
    -----
    Taught in: :doc:`ch3_workflow`, :doc:`own_data`.
    """
    root = Path(root)
    split = data.split if split is None else np.asarray(split)
    if split is None:
        raise DataError(
            "the slices have no split: pass split= or use "
            "data.with_split(patient_split(data))"
        )
    if bit_depth not in (8, 16):
        raise DataError(f"bit_depth must be 8 or 16, got {bit_depth}")
    with atomic_folder(root) as tmp:
        rows = []
        counters: dict[str, int] = {}
        for i in range(len(data)):
            pid = str(data.patient_ids[i])
            k = counters.get(pid, 0)
            counters[pid] = k + 1
            cls = data.class_names[int(data.labels[i])]
            rel = Path(str(split[i])) / cls / f"{pid}_{k:03d}.png"
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(
                encode_pixels(data.images[i], data.units, bit_depth, window)
            ).save(tmp / rel)
            mask_rel = ""
            if data.liver_masks is not None or data.lesion_masks is not None:
                label_map = np.zeros(data.image_shape, np.uint8)
                if data.liver_masks is not None:
                    label_map[data.liver_masks[i] > 0] = 1
                if data.lesion_masks is not None:
                    label_map[data.lesion_masks[i] > 0] = 2
                mask_rel = (Path("masks") / rel).as_posix()
                (tmp / mask_rel).parent.mkdir(parents=True, exist_ok=True)
                Image.fromarray(label_map).save(tmp / mask_rel)
            rows.append(
                [rel.as_posix(), mask_rel, int(data.labels[i]), cls, pid, str(split[i])]
            )
        with open(tmp / "manifest.csv", "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(MANIFEST_FIELDS)
            writer.writerows(rows)
        meta = {
            "class_names": list(data.class_names),
            "spacing_mm": list(map(float, data.spacing)),
            "modality": data.modality,
            "bit_depth": bit_depth,
            "pixel_to_units": (
                {"units": "HU", "offset": -HU_OFFSET}
                if bit_depth == 16
                else {
                    "units": "window",
                    "window": window if isinstance(window, str) else list(window),
                }
            ),
        }
        (tmp / "dataset.json").write_text(json.dumps(meta, indent=2) + "\n")
    return root


def _fingerprint(root: Path, rows, rgb: str, use_masks: bool) -> str:
    h = hashlib.sha256(f"{root.resolve()}|{rgb}|{use_masks}".encode())
    for r in rows:
        for rel in (r[0], r[1]) if use_masks else (r[0],):
            st = (root / rel).stat()
            h.update(f"{rel}|{st.st_size}|{st.st_mtime_ns};".encode())
    return h.hexdigest()[:24]


def _read_dataset_json(path: Path) -> dict:
    """dataset.json as a dict ({} when absent); a damaged one names the file."""
    if not path.is_file():
        return {}
    try:
        meta = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DataError(f"{path}: not valid JSON ({err}); fix or delete it") from None
    if not isinstance(meta, dict):
        raise DataError(f"{path}: expected a JSON object, got {type(meta).__name__}")
    names = meta.get("class_names")
    if names is not None and not (
        isinstance(names, list) and all(isinstance(n, str) for n in names)
    ):
        raise DataError(f"{path}: class_names must be a list of strings")
    return meta


def _check_rows(root: Path, rows, meta: dict, has_manifest: bool) -> None:
    """What the rows say must make sense before any pixel is read: no file twice, no
    patient in two splits, labels that index the classes without gaps, and no empty
    class folder."""
    source = root / "manifest.csv" if has_manifest else root
    inside = root.resolve()
    for r in rows:
        for name in (r[0], r[1]):
            if name and (root / name).is_symlink():
                target = (root / name).resolve()
                if not target.is_relative_to(inside):
                    raise DataError(
                        f"{root / name}: a link to {target}, outside the data folder; "
                        "copy the file into the folder instead"
                    )
    seen: dict[str, str] = {}
    for r in rows:
        if r[0] in seen:
            raise DataError(
                f"{source}: {r[0]} is listed twice ({seen[r[0]]} and {r[5]}); each "
                "file belongs to one split"
            )
        seen[r[0]] = r[5]
    splits_of: dict[str, set] = {}
    for r in rows:
        splits_of.setdefault(r[4], set()).add(r[5])
    shared = sorted(p for p, s in splits_of.items() if len(s) > 1)
    if shared:
        where = " and ".join(sorted(splits_of[shared[0]]))
        hint = (
            "fix the patient_id column, or re-split with medtutor.data.patient_split"
            if has_manifest
            else "without a manifest the patient id is the file name up to its last "
            "underscore: rename the files or write a manifest.csv"
        )
        raise DataError(
            f"{source}: patient {shared[0]!r} is in {where}"
            + (
                f" ({len(shared)} patients in several splits)"
                if len(shared) > 1
                else ""
            )
            + f"; slices of one patient must stay in one split: {hint}"
        )
    labels = sorted({r[2] for r in rows})
    names = meta.get("class_names")
    if labels and labels[0] < 0:
        raise DataError(f"{source}: negative label {labels[0]}")
    if names:
        if labels and labels[-1] >= len(names):
            raise DataError(
                f"{source}: label {labels[-1]} but dataset.json names only "
                f"{len(names)} classes ({', '.join(names)})"
            )
    elif labels != list(range(len(labels))):
        gaps = sorted(set(range(labels[-1] + 1)) - set(labels))
        raise DataError(
            f"{source}: labels {labels} skip {gaps}; labels must be 0, 1, ... without "
            "gaps"
            + (
                " (an empty class folder shifts them: remove it)"
                if not has_manifest
                else " (or name every class in dataset.json's class_names)"
            )
        )


def _check_one_bit_depth(root: Path, rows, arrays) -> None:
    """One data set, one bit depth: an 8-bit image among 16-bit ones (an export in
    another format, a JPEG renamed) would otherwise be read as -1024...-769 HU."""
    depths = [a.dtype.itemsize for a in arrays]
    if len(set(depths)) > 1:
        common = max(set(depths), key=depths.count)
        odd = next(i for i, d in enumerate(depths) if d != common)
        raise DataError(
            f"{root / rows[odd][0]}: {8 * depths[odd]}-bit, but "
            f"{depths.count(common)} of the {len(depths)} images are "
            f"{8 * common}-bit; one data set needs one bit depth: re-export the odd "
            "files (16-bit PNGs store HU + 1024)"
        )


def _decode(root: Path, rows, rgb: str, use_masks: bool, workers, cache_dir):
    """Decode every PNG (and mask) in parallel threads, or take them from the cache."""
    cache = None
    if cache_dir is not None:
        cache_dir = Path(cache_dir)
        if cache_dir.resolve().is_relative_to(root.resolve()):
            raise DataError(
                f"cache_dir {cache_dir} is inside the data folder; "
                "readers never write there"
            )
        cache = (
            cache_dir
            / f"medtutor-folder-{_fingerprint(root, rows, rgb, use_masks)}.npz"
        )
        if cache.is_file():
            with np.load(cache, allow_pickle=False) as z:
                images = (
                    z["images"]
                    if "images" in z.files
                    else [z[f"i{k}"] for k in range(len(rows))]
                )
                return images, (z["masks"] if use_masks else None)

    def chunk(part):
        images = [read_png(root / r[0], rgb=rgb) for r in part]
        return images, ([read_png(root / r[1]) for r in part] if use_masks else None)

    if workers is None:
        # Small files decode faster than threads can share them (Python's GIL): one
        # thread then.
        sample = [(root / r[0]).stat().st_size for r in rows[:16]]
        workers = 1 if np.mean(sample) < 8192 else (os.cpu_count() or 1)
    # Threads pay off only with enough work per task: hand each one a chunk of files.
    size = max(64, -(-len(rows) // (4 * workers)))
    parts = [rows[i : i + size] for i in range(0, len(rows), size)]
    if workers == 1 or len(parts) == 1:
        results = [chunk(p) for p in parts]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(chunk, parts))
    arrays = [a for imgs, _ in results for a in imgs]
    mask_arrays = [m for _, ms in results for m in ms] if use_masks else None
    _check_one_bit_depth(root, rows, arrays)  # before a mixed set could be cached
    if cache is not None:
        same = len({a.shape for a in arrays}) == 1
        payload = (
            {"images": np.stack(arrays)}
            if same
            else {f"i{k}": a for k, a in enumerate(arrays)}
        )
        if use_masks and same:
            payload["masks"] = np.stack(mask_arrays)
        if use_masks and not same:
            return arrays, mask_arrays  # ragged masks: not worth caching
        save_npz_atomic(cache, payload)
    return arrays, mask_arrays


def _resized_spacing(
    spacing: tuple[float, float],
    shapes: list[tuple[int, int]],
    target: tuple[int, int] | None,
) -> tuple[tuple[float, float], list[tuple[float, float]] | None]:
    """The spacing of the images after resizing each from its own shape to ``target``.

    Returns ``(spacing, None)`` when every resized image has the same pixel spacing
    (always so without ``target``), else ``((1.0, 1.0), per_image)``: the
    :class:`SliceSet` convention for an unknown spacing, and each image's.
    """
    if target is None:
        return spacing, None

    def one(shape):
        if shape == target:
            return spacing
        return (spacing[0] * shape[0] / target[0], spacing[1] * shape[1] / target[1])

    per_image = [one(tuple(shape)) for shape in shapes]
    if len(set(per_image)) == 1:
        return per_image[0], None
    return (1.0, 1.0), per_image


def read_folder(
    root: str | os.PathLike,
    *,
    size: int | tuple[int, int] | None = None,
    rgb: str = "error",
    masks: bool = True,
    workers: int | None = None,
    cache_dir: str | os.PathLike | None = None,
) -> SliceSet:
    """Read a data set in the article's layout into a :class:`SliceSet`.

    With a ``manifest.csv`` (as :func:`write_folder` writes), labels, patient ids and
    splits come from it and every file it names must exist. Without one, splits are the
    ``train``, ``val`` and ``test`` folders, classes are the sub-folder names in sorted
    order, and the patient id is the file name up to its last underscore
    (``P0003_001.png`` -> ``P0003``).

    Parameters
    ----------
    root : path-like
        The data set folder.
    size : int or (int, int), optional
        Resize every image to this size. Without it, images of different sizes are an
        error.
    rgb : {"error", "convert"}
        Refuse colour PNGs (default) or convert them to grayscale.
    masks : bool
        Also read the label maps in ``masks/`` when they exist.
    workers : int, optional
        Threads that decode PNGs in parallel (default: one per CPU for files of 8 KB or
        more, a single thread for smaller files, where threads cost more than they
        save).
    cache_dir : path-like, optional
        Keep the decoded pixels in an ``.npz`` file in this folder (never inside
        ``root``) and reuse them while no file of the data set has changed size or
        modification time. Decoding PNGs dominates the reading time, so a second read is
        many times faster.

    Returns
    -------
    SliceSet
        Images in HU when ``dataset.json`` says the PNGs are 16-bit HU, otherwise the
        raw pixel values (0-255 for 8-bit) with ``units="intensity"``. The spacing is
        ``dataset.json``'s ``spacing_mm`` (``(1.0, 1.0)``, unknown, without it), which
        describes the stored pixels of every file. Resizing to ``size`` scales each
        image's spacing by its own size: ``spacing * original / size``. When the
        images had different sizes, their resized pixels differ in size too, and the
        one spacing a :class:`SliceSet` holds would be wrong for some of them; the
        spacing is then ``(1.0, 1.0)``, the unknown value, ``meta["spacing_mm"]`` lists
        each image's ``(row, column)`` spacing in the order of ``meta["files"]``, and a
        :class:`UserWarning` says so. Neither the first image's spacing nor the most
        common one is passed off as the spacing of all.

    Raises
    ------
    DataError
        Missing or empty folder, no class folders, a non-image or corrupt file, colour
        images, different sizes without ``size``, or a manifest naming missing files.
        The message names the file. Nothing is skipped silently, and nothing in ``root``
        is written or moved.

    Notes
    -----
    Taught in: :doc:`ch3_workflow`, :doc:`own_data`.

    Chapter 3 times it against the article's per-file ``load_img`` loop.
    """
    root = Path(root)
    if not root.is_dir():
        raise DataError(f"{root}: no such folder")
    has_manifest = (root / "manifest.csv").is_file()
    rows = read_manifest(root) if has_manifest else discover_files(root)
    if not rows:
        raise DataError(f"{root}: no images found")
    meta = _read_dataset_json(root / "dataset.json")
    _check_rows(root, rows, meta, has_manifest)
    target = (
        (size, size)
        if isinstance(size, int)
        else (tuple(size) if size is not None else None)
    )

    use_masks = masks and all(r[1] for r in rows)
    arrays, mask_arrays = _decode(root, rows, rgb, use_masks, workers, cache_dir)
    depth, declared = 8 * arrays[0].dtype.itemsize, meta.get("bit_depth")
    if declared in (8, 16) and depth != declared:
        raise DataError(
            f"{root / rows[0][0]}: {depth}-bit, but {root / 'dataset.json'} declares "
            f"{declared}-bit images; fix dataset.json or re-export the images"
        )
    shapes = (
        {arrays.shape[1:]}
        if isinstance(arrays, np.ndarray)
        else {a.shape for a in arrays}
    )
    if len(shapes) > 1 and target is None:
        first = arrays[0].shape
        odd = next(i for i, a in enumerate(arrays) if a.shape != first)
        raise DataError(
            f"{root / rows[odd][0]} is "
            f"{arrays[odd].shape[1]}x{arrays[odd].shape[0]} pixels but "
            f"{root / rows[0][0]} is {first[1]}x{first[0]}; pass size= to resize them"
        )
    if target is None:
        images = (
            arrays.astype(np.float32)
            if isinstance(arrays, np.ndarray)
            else np.stack(arrays).astype(np.float32)
        )
    else:
        images = np.stack(
            [
                resize(a.astype(np.float32), target)
                if a.shape != target
                else a.astype(np.float32)
                for a in arrays
            ]
        )
    units, modality = "intensity", meta.get("modality", "unknown")
    mapping = meta.get("pixel_to_units", {})
    if mapping.get("units") == "HU":
        images += float(mapping.get("offset", -HU_OFFSET))
        units = "HU"
    liver = lesion = None
    if mask_arrays is not None:
        maps = np.stack(
            [
                m if target is None or m.shape == target else resize(m, target, order=0)
                for m in mask_arrays
            ]
        )
        liver, lesion = (maps >= 1).astype(np.uint8), (maps == 2).astype(np.uint8)
    by_label: dict[int, str] = {}
    for r in rows:
        by_label.setdefault(r[2], r[3])
    class_names = tuple(
        meta.get("class_names")
        or [by_label.get(i, str(i)) for i in range(max(by_label) + 1)]
    )
    spacing, per_image = _resized_spacing(
        tuple(meta.get("spacing_mm", (1.0, 1.0))),
        [a.shape for a in arrays],
        target,
    )
    extra = {}
    if per_image is not None:
        extra["spacing_mm"] = per_image
        warnings.warn(
            f"{root}: images of {len(shapes)} sizes resized to {target[1]}x{target[0]} "
            "pixels no longer share one pixel spacing; the SliceSet's spacing is "
            "(1.0, 1.0), unknown, and meta['spacing_mm'] holds each image's",
            UserWarning,
            stacklevel=2,
        )
    return SliceSet(
        images=images,
        labels=np.array([r[2] for r in rows], np.int64),
        patient_ids=np.array([r[4] for r in rows]),
        class_names=class_names,
        spacing=spacing,
        modality=modality,
        units=units,
        liver_masks=liver,
        lesion_masks=lesion,
        split=np.array([r[5] for r in rows], dtype="<U5"),
        meta={"source": "folder", "files": [r[0] for r in rows], **extra},
    )
