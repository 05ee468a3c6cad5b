"""``make bench-data``: speed of the synthetic generator and of the folder reader.

A benchmark, not a test: it writes ``benchmarks/data_benchmark.md`` and never fails on
time. Targets: 2,000 slices of 128x128 with masks in at most 5 s; reading 2,000 PNGs
with ``medtutor.data.read_folder`` at least 5x faster than the source article's per-file
``load_img`` loop (run in the same process, on the same files).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from tools.report import measured_on, write_markdown


def article_loop(root: Path):
    """The article's loader, with its removed ``grayscale=True`` replaced by
    ``color_mode``."""
    import keras

    x, y = [], []
    for split in ("train", "val", "test"):
        for label, cls in enumerate(sorted(os.listdir(root / split))):
            folder = root / split / cls
            for file in os.listdir(folder):
                img = keras.utils.load_img(
                    os.path.join(folder, file), color_mode="grayscale"
                )
                img = keras.utils.img_to_array(img).astype("float32") / 255
                x.append(img)
                y.append(label)
    return np.array(x), np.array(y)


def best_of(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from medtutor import import_tensorflow
    from medtutor.data import (
        make_liver_dataset,
        patient_split,
        read_folder,
        write_folder,
    )

    import_tensorflow()
    gen_s = best_of(
        lambda: make_liver_dataset(
            n_patients=250, slices_per_patient=8, size=128, seed=0
        ),
        args.repeats,
    )
    data = make_liver_dataset(n_patients=250, slices_per_patient=8, size=128, seed=0)
    data = data.with_split(patient_split(data))
    with tempfile.TemporaryDirectory() as tmp:
        root = write_folder(data, Path(tmp) / "data", bit_depth=8)
        article_loop(root)  # warm the file cache and Keras for both contenders
        article_s = best_of(lambda: article_loop(root), args.repeats)
        ours_s = best_of(lambda: read_folder(root, masks=False), args.repeats)
        cache = Path(tmp) / "cache"
        read_folder(root, masks=False, cache_dir=cache)  # first read fills the cache
        cached_s = best_of(
            lambda: read_folder(root, masks=False, cache_dir=cache), args.repeats
        )
    lines = [
        "# Data benchmark",
        "",
        f"{measured_on('bench-data')}; best of {args.repeats} runs.",
        "",
        "| what | seconds | target |",
        "|---|---:|---|",
        "| generate 2,000 slices of 128x128 with masks (`make_liver_dataset`) | "
        f"{gen_s:.2f} | <= 5 s |",
        "| read 2,000 8-bit PNGs, the article's per-file `load_img` loop | "
        f"{article_s:.2f} | |",
        f"| read the same PNGs with `read_folder` (first read) | {ours_s:.2f} | |",
        "| read them again with `read_folder(..., cache_dir=...)` (decoded pixels "
        f"cached) | {cached_s:.2f} | |",
        f"| speed-up of `read_folder`, first read | {article_s / ours_s:.1f}x | |",
        f"| speed-up of `read_folder`, later reads | {article_s / cached_s:.1f}x | >= "
        "5x |",
        "",
        "Decoding the PNGs takes most of the time, and both loaders use Pillow for "
        "it, so a first",
        "read can only gain from parallel threads (two cores here). Every later read "
        "(another epoch",
        "script, another run of a chapter, the command line) skips decoding when a "
        "cache folder is",
        "given; the cache is checked against each file's size and modification time.",
    ]
    write_markdown(args.out, lines)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
