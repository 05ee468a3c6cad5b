"""``make seeds``: how much the book's trained-model results move with the seed.

A benchmark, not a test: for every chapter that trains a model, the notebook is run
in a fresh kernel with ``seed`` set to each of a few values in its parameters cell (the
files are not changed). It records the metrics the chapter reports and whether every
assert of the chapter held, and writes a table that the *Chapter cost* page includes.
A result reported from one seed means little without that spread.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from pathlib import Path

import nbformat
from nbclient.exceptions import CellExecutionError

from tools.nbrun import run_notebook
from tools.report import measured_on, write_markdown

SEEDS = (0, 1, 2)
MARK = "SEED_SPREAD "

#: Per notebook: metric label -> Python expression evaluated in the finished kernel.
METRICS = {
    "ch2_core_concepts.ipynb": {
        "MLP test accuracy (rings)": "fitted['MLP, 2 hidden layers'][1]",
        "one-layer test accuracy (rings)": "fitted['one layer'][1]",
        "mean change in p, 8 px shift": "changes[8][0]",
    },
    "ch3_workflow.ipynb": {
        "test ROC-AUC": "test_auc",
        "best epoch": "history.best_epoch",
        "overfitting run: epoch of lowest validation loss": "turn",
    },
    "ch4_1_liver_case_study.ipynb": {
        "test ROC-AUC": "report.roc_auc",
        "test sensitivity": "report.test['sensitivity']",
        "test specificity": "report.test['specificity']",
        "test sensitivity, CI low": "rates['sensitivity']['low']",
        "patient-level ROC-AUC": "patient_ci['auc']",
        "HiResCAM heat (x chance)": "result['hirescam'][0]",
        "Grad-CAM peak on the tumour (%)": "100 * result['gradcam'][1]",
    },
    "ch4_2a_segmentation.ipynb": {
        "liver Dice": "liver_dice.mean()",
        "lesion Dice (slices with a lesion)": "lesion_dice[has_lesion].mean()",
        "lesion-wise recall": "detected.mean()",
        "ablation, U-Net lesion Dice": "ablations['U-Net']['lesion Dice'].mean()",
        "ablation, no skips lesion Dice": (
            "ablations['no skip connections']['lesion Dice'].mean()"
        ),
        "ablation, cross-entropy lesion Dice": (
            "ablations['cross-entropy only']['lesion Dice'].mean()"
        ),
    },
    "ch4_2b_restoration.ipynb": {
        "denoising gain over noisy input (dB)": "cnn - base",
        "super-resolution gain over bicubic (dB)": "gain",
        "synthesis: U-Net minus lookup table (dB)": "synth_gain['difference']",
        "synthesis: lesion / liver error": "lesion_error / liver_error",
    },
    "ch4_3_real_scans.ipynb": {
        "brain extraction, U-Net Dice (other head)": "unet_s['Dice'].mean()",
        "brain extraction, classical Dice": "base_s['Dice'].mean()",
        "U-Net minus classical HD95 (mm, lower is better)": "-hd_gain['difference']",
        "super-resolution, network minus bicubic PSNR (dB)": (
            "sr_gain['PSNR']['difference']"
        ),
        "super-resolution, lower CI bound of that gain (dB)": "sr_gain['PSNR']['low']",
    },
    "ch5a_imbalance_metrics.ipynb": {
        **{
            f"{name} {label}": f"rows[{name!r}][{key!r}]['a']"
            for name in ("naive", "class weights", "oversampling", "focal loss")
            for key, label in (("roc_auc", "ROC-AUC"), ("average_precision", "PR-AUC"))
        },
        "best-ranking model: precision at the moved threshold": "full['ppv']",
        "Brier after Platt scaling": "cal['Platt scaling']['brier']",
    },
    "ch5b_deployment_features.ipynb": {
        "test ROC-AUC (Keras)": "keras_auc",
        "int8 AUC change": "results['int8']['auc'] - results['float32']['auc']",
        "hand-crafted, other scanner": "table['hand-crafted']['other scanner']['a']",
        "CNN embedding, other scanner": "table['CNN embedding']['other scanner']['a']",
        "image + clinical minus image only": "gain['difference']",
    },
}


def with_seed(path: Path, seed: int, metrics: dict) -> nbformat.NotebookNode:
    """The notebook with ``seed = <seed>`` in its parameters cell and a last cell that
    prints the metrics as JSON."""
    nb = nbformat.read(path, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    if len(params) != 1 or not re.search(r"^seed = \d+", params[0].source, re.M):
        raise SystemExit(f"{path}: no parameters cell with a 'seed = N' line")
    params[0].source = re.sub(
        r"^seed = \d+", f"seed = {seed}", params[0].source, count=1, flags=re.M
    )
    body = ", ".join(f"{label!r}: float({expr})" for label, expr in metrics.items())
    nb.cells.append(
        nbformat.v4.new_code_cell(
            f"import json\nprint({MARK!r} + json.dumps({{{body}}}))"
        )
    )
    return nb


def measure(path: Path, seed: int) -> dict:
    """Run one notebook with one seed: its metrics, or the error that stopped it."""
    nb = with_seed(path, seed, METRICS[path.name])
    try:
        run_notebook(nb, path.parent)
    except CellExecutionError as err:
        lines = str(err).strip().splitlines()
        return {"error": lines[-1][:200] if lines else "cell failed"}
    for output in nb.cells[-1].get("outputs", []):
        text = output.get("text", "")
        if MARK in text:
            return {"metrics": json.loads(text.split(MARK, 1)[1])}
    return {"error": "no metrics printed"}


def number_format(label: str, values: list[float]) -> str:
    """Whole numbers without decimals, changes with a sign and four decimals."""
    if values and all(float(v).is_integer() for v in values):
        return ".0f"
    return "+.4f" if "change" in label else ".3f"


def table(results: dict) -> list[str]:
    head = " | ".join(f"seed {s}" for s in SEEDS)
    lines = [
        f"| notebook | metric | {head} | mean (sd) | asserts held |",
        "|---|---|" + "---:|" * len(SEEDS) + "---|---|",
    ]
    for name, runs in results.items():
        held = sum("metrics" in r for r in runs)
        verdict = "all" if held == len(runs) else f"**{held} of {len(runs)}**"
        for label in METRICS[name]:
            values = [r["metrics"][label] for r in runs if "metrics" in r]
            fmt = number_format(label, values)
            cells = [
                format(r["metrics"][label], fmt) if "metrics" in r else "failed"
                for r in runs
            ]
            sd_fmt = fmt.lstrip("+")
            spread = (
                f"{statistics.mean(values):{fmt}} ({statistics.stdev(values):{sd_fmt}})"
                if len(values) > 1
                else "-"
            )
            lines.append(
                f"| `{name}` | {label} | {' | '.join(cells)} | {spread} | {verdict} |"
            )
        for seed, r in zip(SEEDS, runs, strict=True):
            if "error" in r:
                error = re.sub(r"\x1b\[[0-9;]*m", "", r["error"])  # no ANSI colours
                lines.append(f"| `{name}` | seed {seed} stopped: {error} | |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="NOTEBOOK",
        help="rerun only these notebooks; the others keep their results from the "
        "JSON file stored beside --out",
    )
    args = parser.parse_args()
    store = args.out.with_suffix(".json")
    results = {}
    if args.only:
        unknown = sorted(set(args.only) - set(METRICS))
        if unknown:
            raise SystemExit(f"not in METRICS: {', '.join(unknown)}")
        if not store.is_file():
            raise SystemExit(f"{store}: no earlier results; run without --only first")
        results = json.loads(store.read_text())
    for name in METRICS:
        if args.only and name not in args.only and name in results:
            continue
        path = args.folder / name
        results[name] = []
        for seed in SEEDS:
            run = measure(path, seed)
            results[name].append(run)
            print(f"{name} seed {seed}: {run}", flush=True)
    lines = [
        "# Seed spread",
        "",
        f"{measured_on('seeds')}, no GPU: every chapter that trains a "
        f"model, run with seeds {', '.join(map(str, SEEDS))} (the book shows seed 0). "
        "The seed changes the synthetic patients, the split, the initial weights and "
        "the order of training batches. *Asserts held* says whether every quality bar "
        "the chapter asserts was met for every seed.",
        "",
        *table(results),
    ]
    write_markdown(args.out, lines)
    results = {name: results[name] for name in METRICS if name in results}
    store.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
