"""The ``medtutor`` command line: make data, train the case-study CNN, evaluate it.

Taught in: *Using your own data* (back matter). Every subcommand has ``--help``. Errors
in the input give a one-line message and a non-zero exit status; outputs are written to
a temporary folder beside the destination and renamed into place only when complete, so
an error or Ctrl-C never leaves a half-written model or report. Nothing is ever written
inside the input data.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

EXIT_USAGE, EXIT_DATA, EXIT_INTERRUPTED = 2, 3, 130


class CliError(Exception):
    """An error reported to the user as one line."""


def _outside(output: Path, data: Path) -> None:
    out, src = output.resolve(), data.resolve()
    if src.is_dir() and (out == src or src in out.parents):
        raise CliError(
            f"{output} is inside the input folder {data}; medtutor never writes into input data"
        )


def _load(data: Path):
    from medtutor.data import load_slices, patient_split

    if not data.exists():
        raise CliError(f"{data}: no such file or folder")
    slices = load_slices(data)
    if slices.split is None:
        slices = slices.with_split(patient_split(slices))
    for part in ("train", "val", "test"):
        if not (slices.split == part).any():
            raise CliError(f"{data}: the {part} split is empty")
    return slices


def cmd_make_data(args) -> int:
    from medtutor.data import (
        make_liver_dataset,
        patient_split,
        write_folder,
        write_medmnist,
    )

    data = make_liver_dataset(
        n_patients=args.patients,
        slices_per_patient=args.slices,
        size=args.size,
        seed=args.seed,
    )
    data = data.with_split(patient_split(data, seed=args.seed))
    target = Path(args.dir)
    if args.format == "folder":
        write_folder(data, target)  # atomic, and refuses a folder that is not empty
        print(
            f"wrote {len(data)} slices of {len(np.unique(data.patient_ids))} patients to {target}/ (article layout, manifest.csv)"
        )
    else:
        path = target if target.suffix == ".npz" else target / "liver.npz"
        if path.exists():
            raise CliError(f"{path} already exists")
        write_medmnist(data, path, window="liver")
        print(f"wrote {len(data)} slices to {path} (MedMNIST format, liver window)")
    return 0


def cmd_train(args) -> int:
    import medtutor
    from medtutor import metrics
    from medtutor.data import make_tf_dataset
    from medtutor.data.io.atomic import atomic_folder
    from medtutor.models import article_cnn
    from medtutor.training import fit_with_early_stopping

    data_path, out = Path(args.data), Path(args.out)
    _outside(out, data_path)
    data = _load(data_path)
    medtutor.seed_everything(args.seed)
    keras = medtutor.import_tensorflow().keras
    strategy = medtutor.select_strategy()
    print(
        f"{len(data)} slices of {data.image_shape[0]}x{data.image_shape[1]} ({data.units}); {medtutor.describe_strategy(strategy)}"
    )
    with strategy.scope():
        model = article_cnn((*data.image_shape, 1))
        model.compile(
            optimizer=keras.optimizers.Adam(1e-3),
            loss="binary_crossentropy",
            metrics=[keras.metrics.AUC(name="auc")],
        )
    train = make_tf_dataset(
        data,
        split="train",
        shuffle=True,
        augment=True,
        seed=args.seed,
        window=args.window,
    )
    val = make_tf_dataset(data, split="val", window=args.window)
    history = fit_with_early_stopping(
        model,
        train,
        val,
        epochs=args.epochs,
        patience=args.patience,
        verbose=1 if sys.stdout.isatty() else 2,
    )
    p_val = model.predict(val, verbose=0).ravel()
    y_val = data.split_part("val").labels
    threshold = metrics.threshold_for_sensitivity(y_val, p_val, args.sensitivity)
    with atomic_folder(out) as tmp:
        model.save(tmp / "model.keras")
        (tmp / "history.json").write_text(
            json.dumps(
                {k: [float(v) for v in vals] for k, vals in history.history.items()},
                indent=1,
            )
        )
        (tmp / "threshold.json").write_text(
            json.dumps(
                {
                    "threshold": threshold,
                    "target_sensitivity": args.sensitivity,
                    "window": args.window,
                    "image_shape": list(data.image_shape),
                    "validation_auc": metrics.roc_auc(y_val, p_val),
                },
                indent=1,
            )
        )
    print(f"saved model, history and threshold {threshold:.3f} to {out}/")
    return 0


def cmd_evaluate(args) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import (
        ConfusionMatrixDisplay,
        precision_recall_curve,
        roc_curve,
    )

    import medtutor
    from medtutor import metrics
    from medtutor.data import make_tf_dataset
    from medtutor.data.io.atomic import atomic_folder

    data_path, run, out = Path(args.data), Path(args.model), Path(args.out)
    _outside(out, data_path)
    if not (run / "model.keras").is_file() or not (run / "threshold.json").is_file():
        raise CliError(
            f"{run}: not a run folder (expected model.keras and threshold.json from 'medtutor train')"
        )
    data = _load(data_path)
    settings = json.loads((run / "threshold.json").read_text())
    if list(data.image_shape) != settings["image_shape"]:
        raise CliError(
            f"the model expects {settings['image_shape']} images, {data_path} has {list(data.image_shape)}"
        )
    keras = medtutor.import_tensorflow().keras
    model = keras.models.load_model(run / "model.keras")
    test = data.split_part("test")
    scores = model.predict(
        make_tf_dataset(data, split="test", window=settings["window"]), verbose=0
    ).ravel()
    y, t = test.labels, settings["threshold"]
    ci = metrics.bootstrap_auc(
        y, scores, test.patient_ids, n_boot=args.bootstrap, seed=0
    )
    point = metrics.operating_point(y, scores, t)
    cal = metrics.calibration(y, scores)
    report = {
        "data": str(data_path),
        "model": str(run),
        "test_slices": int(len(y)),
        "test_patients": ci["n_groups"],
        "prevalence": float(y.mean()),
        "roc_auc": ci["auc"],
        "roc_auc_ci95": [ci["low"], ci["high"]],
        "average_precision": metrics.average_precision(y, scores),
        "accuracy_at_threshold": metrics.accuracy(y, scores, t),
        "operating_point": point,
        "brier": cal["brier"],
    }
    with atomic_folder(out) as tmp:
        fpr, tpr, _ = roc_curve(y, scores)
        fig, ax = plt.subplots(figsize=(4.5, 4.2))
        ax.plot(
            fpr,
            tpr,
            label=f"AUC {ci['auc']:.3f} (95% CI {ci['low']:.3f}-{ci['high']:.3f})",
        )
        ax.plot([0, 1], [0, 1], "k--", lw=0.8)
        ax.set(xlabel="1 - specificity", ylabel="sensitivity", title="ROC, test set")
        ax.legend(loc="lower right", fontsize=8)
        fig.savefig(tmp / "roc.png", dpi=120, bbox_inches="tight")
        precision, recall, _ = precision_recall_curve(y, scores)
        fig, ax = plt.subplots(figsize=(4.5, 4.2))
        ax.plot(recall, precision)
        ax.axhline(y.mean(), color="k", ls="--", lw=0.8)
        ax.set(
            xlabel="recall",
            ylabel="precision",
            title=f"Precision-recall (AP {report['average_precision']:.3f})",
        )
        fig.savefig(tmp / "precision_recall.png", dpi=120, bbox_inches="tight")
        fig, ax = plt.subplots(figsize=(4.2, 4))
        ConfusionMatrixDisplay.from_predictions(
            y,
            (scores >= t).astype(int),
            display_labels=list(data.class_names),
            ax=ax,
            colorbar=False,
        )
        ax.set_title(f"Confusion matrix at t = {t:.3f}")
        fig.savefig(tmp / "confusion_matrix.png", dpi=120, bbox_inches="tight")
        fig, ax = plt.subplots(figsize=(4.5, 4.2))
        ax.plot([0, 1], [0, 1], "k--", lw=0.8)
        ax.plot(cal["mean_predicted"], cal["observed_fraction"], "o-")
        ax.set(
            xlabel="predicted probability",
            ylabel="observed fraction",
            title=f"Reliability (Brier {cal['brier']:.3f})",
        )
        fig.savefig(tmp / "calibration.png", dpi=120, bbox_inches="tight")
        plt.close("all")
        (tmp / "report.json").write_text(json.dumps(report, indent=1))
        (tmp / "report.md").write_text(
            f"# Evaluation of {run.name} on {data_path.name}\n\n"
            f"Test split: {len(y)} slices of {ci['n_groups']} patients, prevalence {y.mean():.3f}.\n\n"
            "| metric | value |\n|---|---|\n"
            f"| ROC-AUC (95% CI, patient bootstrap) | {ci['auc']:.3f} ({ci['low']:.3f}-{ci['high']:.3f}) |\n"
            f"| average precision | {report['average_precision']:.3f} |\n"
            f"| threshold (from validation) | {t:.3f} |\n"
            f"| sensitivity / specificity | {point['sensitivity']:.3f} / {point['specificity']:.3f} |\n"
            f"| PPV / NPV | {point['ppv']:.3f} / {point['npv']:.3f} |\n"
            f"| Brier score | {cal['brier']:.3f} |\n\n"
            "![ROC](roc.png) ![PR](precision_recall.png) ![confusion](confusion_matrix.png) ![calibration](calibration.png)\n"
        )
    print(
        f"test ROC-AUC {ci['auc']:.3f} (95% CI {ci['low']:.3f}-{ci['high']:.3f}); report in {out}/"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    import medtutor

    parser = argparse.ArgumentParser(
        prog="medtutor",
        description="Companion command line of the book; see 'Using your own data'.",
    )
    parser.add_argument(
        "--version", action="version", version=f"medtutor {medtutor.__version__}"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser(
        "versions", help="print the versions of the libraries the book uses"
    )
    p.set_defaults(
        func=lambda a: (
            print("\n".join(f"{k:14s} {v}" for k, v in medtutor.versions().items())),
            0,
        )[1]
    )
    p = sub.add_parser(
        "make-data",
        help="write the synthetic liver CT data set",
        description="Write the synthetic liver CT data set in the article's folder layout (default) or as a MedMNIST-style .npz.",
    )
    p.add_argument(
        "dir",
        help="output folder (must not exist or be empty); for --format npz a folder or a .npz path",
    )
    p.add_argument("--format", choices=("folder", "npz"), default="folder")
    p.add_argument("--patients", type=int, default=250)
    p.add_argument("--slices", type=int, default=8, help="slices per patient")
    p.add_argument("--size", type=int, default=64, help="image side in pixels (32-256)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_make_data)
    p = sub.add_parser(
        "train",
        help="train the case-study CNN on a folder or .npz",
        description="Train the case-study CNN (chapter 4.1) and save model.keras, history.json and threshold.json into RUN_DIR.",
    )
    p.add_argument(
        "data", help="a folder in the article's layout or a MedMNIST-style .npz"
    )
    p.add_argument("--out", required=True, help="run folder to create")
    p.add_argument("--epochs", type=int, default=12)
    p.add_argument("--patience", type=int, default=4)
    p.add_argument(
        "--window",
        default="liver",
        help="CT window preset for data in HU (ignored for 8-bit data)",
    )
    p.add_argument(
        "--sensitivity",
        type=float,
        default=0.9,
        help="target sensitivity of the operating point, chosen on validation",
    )
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_train)
    p = sub.add_parser(
        "evaluate",
        help="evaluate a trained run on the test split",
        description="Evaluate a run folder on the test split: ROC with a patient bootstrap CI, PR, confusion matrix and calibration, written as PNGs, report.json and report.md.",
    )
    p.add_argument("data", help="the same kind of data the model was trained on")
    p.add_argument(
        "--model", required=True, help="run folder written by 'medtutor train'"
    )
    p.add_argument("--out", required=True, help="report folder to create")
    p.add_argument(
        "--bootstrap",
        type=int,
        default=1000,
        help="bootstrap samples for the AUC interval",
    )
    p.set_defaults(func=cmd_evaluate)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    from medtutor.data import DataError

    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("medtutor: interrupted; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (CliError, DataError, ValueError, OSError) as err:
        message = str(err).splitlines()[0] if str(err) else type(err).__name__
        print(f"medtutor: error: {message}", file=sys.stderr)
        return EXIT_DATA
