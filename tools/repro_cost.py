"""``make repro-cost``: what the reproducible CPU settings cost in training speed.

A benchmark, not a test. The case study's network is trained for a few epochs on
synthetic slices in a fresh process, alternately with the book's settings
(:mod:`medtutor.runtime.reproducible`: oneDNN capped at AVX2, two TensorFlow threads,
one BLAS thread) and with ``MEDTUTOR_NATIVE_CPU=1`` (the CPU's widest instructions and
TensorFlow's default threads). Alternating the two and reporting medians keeps the
comparison fair on a machine whose speed drifts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

from tools.report import measured_on, write_markdown

TRAIN = """
import time
import medtutor
from medtutor.data import make_liver_dataset, patient_split
from medtutor.training import CaseStudyTrainer

medtutor.seed_everything(0)
data = make_liver_dataset(n_patients=150, slices_per_patient=8, size=64, seed=0)
data = data.with_split(patient_split(data, seed=0))
trainer = CaseStudyTrainer((64, 64, 1), epochs=4, patience=4, seed=0)
trainer.fit(data, checkpoint=None)  # the first run also builds the tf.data cache
start = time.perf_counter()
trainer.model.fit(trainer.dataset(data, "train", training=True), epochs=3, verbose=0)
n = int((data.split == "train").sum()) * 3
print(n / (time.perf_counter() - start))
"""

SETTINGS = {
    "reproducible (the book's default)": {"MEDTUTOR_NATIVE_CPU": "0"},
    "native (MEDTUTOR_NATIVE_CPU=1)": {"MEDTUTOR_NATIVE_CPU": "1"},
}


def slices_per_second(env: dict) -> float:
    done = subprocess.run(
        [sys.executable, "-c", TRAIN],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env},
    )
    return float(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    speeds: dict[str, list[float]] = {name: [] for name in SETTINGS}
    for run in range(args.runs):
        for name, env in SETTINGS.items():
            speeds[name].append(slices_per_second(env))
            print(f"run {run + 1}: {name}: {speeds[name][-1]:.0f} slices/s", flush=True)
    medians = {name: statistics.median(values) for name, values in speeds.items()}
    base, native = medians.values()
    lines = [
        "# Cost of reproducible outputs",
        "",
        f"{measured_on('repro-cost')}: "
        "training speed of the case study's network (64x64 slices, batches of 32, "
        f"augmentation on), {args.runs} runs of each setting, alternating.",
        "",
        "| setting | slices/s (median) | min | max |",
        "|---|---:|---:|---:|",
        *(
            f"| {name} | {medians[name]:.0f} | {min(v):.0f} | {max(v):.0f} |"
            for name, v in speeds.items()
        ),
        "",
        f"The reproducible settings train at {base / native:.0%} of the native speed "
        "on this machine.",
    ]
    write_markdown(args.out, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
