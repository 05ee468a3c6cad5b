"""Where the files of a data set in the article's layout are, and what each one is.

Two ways to find them: the folder tree itself (``train/<class>/*.png``, with the patient
id taken from the file name) or a ``manifest.csv`` that lists each file with its label,
patient and split. :func:`medtutor.data.read_folder` uses whichever the folder has; both
return the same rows, ``(file, mask, label, class, patient_id, split)``.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from medtutor.data.containers import SPLITS
from medtutor.data.errors import DataError

__all__: list[str] = []

MANIFEST_FIELDS = ("file", "mask", "label", "class", "patient_id", "split")


def discover_files(root: Path) -> list[tuple[str, str, int, str, str, str]]:
    """(file, mask, label, class, patient, split) rows from the folder tree alone."""
    splits = [s for s in SPLITS if (root / s).is_dir()]
    if not splits:
        raise DataError(
            f"{root}: no train/, val/ or test/ folder (and no manifest.csv)"
        )
    classes = sorted(
        {c.name for s in splits for c in (root / s).iterdir() if c.is_dir()}
    )
    if not classes:
        raise DataError(f"{root}: no class sub-folders inside {', '.join(splits)}")
    rows = []
    for s in splits:
        for label, cls in enumerate(classes):
            folder = root / s / cls
            if not folder.is_dir():
                continue
            for f in sorted(folder.iterdir()):
                if f.name.startswith("."):  # .DS_Store and the like are not data
                    continue
                if f.is_dir():
                    raise DataError(f"{f}: unexpected folder inside a class folder")
                rel = f.relative_to(root).as_posix()
                mask = root / "masks" / rel
                pid = f.stem.rsplit("_", 1)[0] if "_" in f.stem else f.stem
                rows.append(
                    (
                        rel,
                        mask.relative_to(root).as_posix() if mask.exists() else "",
                        label,
                        cls,
                        pid,
                        s,
                    )
                )
    used = {r[3] for r in rows}
    empty = [c for c in classes if c not in used]
    if empty:
        raise DataError(
            f"{root}: class folder {empty[0]!r} holds no images in any split; remove "
            "it (it would shift the class indices of the others)"
        )
    return rows


def read_manifest(root: Path) -> list[tuple[str, str, int, str, str, str]]:
    path = root / "manifest.csv"
    try:
        return _manifest_rows(root, path)
    except UnicodeDecodeError as err:
        raise DataError(
            f"{path}: not UTF-8 text ({err.reason} at byte {err.start}); save it as "
            "CSV UTF-8"
        ) from None
    except csv.Error as err:
        raise DataError(f"{path}: not a readable CSV file ({err})") from None


def _manifest_rows(root: Path, path: Path):
    # utf-8-sig: Excel's "CSV UTF-8" starts with a byte-order mark.
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = {"file", "label", "patient_id", "split"} - set(
            reader.fieldnames or []
        )
        if missing:
            raise DataError(f"{path}: missing columns {sorted(missing)}")
        rows = []
        for line, r in enumerate(reader, start=2):
            if None in r or any(v is None for v in r.values()):
                raise DataError(
                    f"{path}, line {line}: {'more' if None in r else 'fewer'} fields "
                    f"than the header's {len(reader.fieldnames)}"
                )
            try:
                label = int(r["label"])
            except ValueError:
                raise DataError(
                    f"{path}, line {line}: label {r['label']!r} is not an integer"
                ) from None
            if r["split"] not in SPLITS:
                raise DataError(
                    f"{path}, line {line}: split {r['split']!r} is not one of {SPLITS}"
                )
            rows.append(
                (
                    r["file"],
                    r.get("mask") or "",
                    label,
                    r.get("class") or str(label),
                    r["patient_id"],
                    r["split"],
                )
            )
    existing = {
        (Path(dirpath) / name).relative_to(root).as_posix()
        for dirpath, _, names in os.walk(root)
        for name in names
    }
    missing_files = [r[0] for r in rows if r[0] not in existing]
    missing_files += [r[1] for r in rows if r[1] and r[1] not in existing]
    if missing_files:
        raise DataError(
            f"{path} names {len(missing_files)} file(s) that do not exist, "
            f"e.g. {root / missing_files[0]}"
        )
    return rows
