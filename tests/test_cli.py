"""End-to-end tests of the ``medtutor`` command line, and its error handling."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from medtutor.cli import main


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    small = ["--patients", "24", "--slices", "3", "--size", "32"]
    assert main(["make-data", str(root / "data"), *small]) == 0
    assert main(["make-data", str(root / "npz"), "--format", "npz", *small]) == 0
    assert (
        main(["train", str(root / "data"), "--out", str(root / "run"), "--epochs", "1"])
        == 0
    )
    return root


def test_make_data_writes_both_formats(workspace):
    assert (workspace / "data" / "manifest.csv").is_file()
    assert {p.name for p in (workspace / "data").iterdir()} >= {
        "train",
        "val",
        "test",
        "masks",
        "dataset.json",
    }
    assert (workspace / "npz" / "liver.npz").is_file()


def test_train_saves_model_history_and_threshold(workspace):
    run = workspace / "run"
    assert {p.name for p in run.iterdir()} == {
        "model.keras",
        "history.json",
        "learning_curves.png",
        "threshold.json",
    }
    from PIL import Image

    with Image.open(run / "learning_curves.png") as curves:
        assert curves.format == "PNG" and curves.width > 400
    settings = json.loads((run / "threshold.json").read_text())
    assert 0 <= settings["threshold"] <= 1 and settings["image_shape"] == [32, 32]
    assert "val_auc" in json.loads((run / "history.json").read_text())


def test_evaluate_writes_report(workspace, capsys):
    args = ["evaluate", str(workspace / "data"), "--model", str(workspace / "run")]
    assert main([*args, "--out", str(workspace / "report"), "--bootstrap", "50"]) == 0
    files = {p.name for p in (workspace / "report").iterdir()}
    assert files == {"evaluation.png", "report.json", "report.md"}
    report = json.loads((workspace / "report" / "report.json").read_text())
    assert 0 <= report["roc_auc_low"] <= report["roc_auc"] <= report["roc_auc_high"]
    assert report["threshold_rule"] == "fixed in advance"
    assert "ROC-AUC" in (workspace / "report" / "report.md").read_text()
    assert "ROC-AUC" in capsys.readouterr().out


def test_evaluate_reports_what_the_chapter_computes(workspace):
    """The command line and chapter 4.1 give the same numbers from the same scores."""
    import keras

    from medtutor.data import load_slices, make_tf_dataset
    from medtutor.evaluate import evaluate_classifier

    out = workspace / "report_same"
    args = ["evaluate", str(workspace / "data"), "--model", str(workspace / "run")]
    assert main([*args, "--out", str(out), "--bootstrap", "60"]) == 0
    cli = json.loads((out / "report.json").read_text())
    # Chapter 4.1's way: predict each split, choose the threshold on validation.
    model = keras.models.load_model(workspace / "run" / "model.keras")
    data = load_slices(workspace / "data")
    val, test = data.split_part("val"), data.split_part("test")

    def scores(split):
        batches = make_tf_dataset(data, split=split, batch_size=32, window="liver")
        return model.predict(batches, verbose=0).ravel()

    chapter = evaluate_classifier(
        test.labels,
        scores("test"),
        test.patient_ids,
        validation=(val.labels, scores("val")),
        target_sensitivity=0.9,
        n_boot=60,
        class_names=data.class_names,
    ).to_dict()
    rule = chapter.pop("threshold_rule")
    assert rule.startswith("sensitivity >= 0.90") and cli.pop("threshold_rule")
    assert cli == chapter


def test_train_on_npz(workspace):
    assert (
        main(
            [
                "train",
                str(workspace / "npz" / "liver.npz"),
                "--out",
                str(workspace / "run_npz"),
                "--epochs",
                "1",
            ]
        )
        == 0
    )
    assert (workspace / "run_npz" / "model.keras").is_file()


def test_multi_class_data_is_refused_before_training(tmp_path, capsys):
    rng = np.random.default_rng(0)
    arrays = {}
    for split, n in (("train", 30), ("val", 9), ("test", 9)):
        arrays[f"{split}_images"] = rng.integers(0, 255, (n, 28, 28), dtype=np.uint8)
        arrays[f"{split}_labels"] = (np.arange(n) % 11).reshape(-1, 1)
    np.savez(tmp_path / "organamnist.npz", **arrays)
    args = ["train", str(tmp_path / "organamnist.npz"), "--out", str(tmp_path / "r")]
    assert main(args) == 3
    line = one_error_line(capsys)
    assert "organamnist.npz: 11 classes (class_0, class_1" in line
    assert "SliceSet.as_binary" in line and not (tmp_path / "r").exists()


def test_train_on_a_folder_of_liver_volumes(tmp_path):
    """An MSD-layout folder of NIfTI CT and label volumes trains like any other data."""
    from medtutor.data import Scan, make_liver_dataset, write_nifti

    data = make_liver_dataset(n_patients=12, slices_per_patient=3, size=32, seed=2)
    root = tmp_path / "Task03_Liver"
    (root / "imagesTr").mkdir(parents=True)
    (root / "labelsTr").mkdir()
    for pid in np.unique(data.patient_ids):
        rows = data.patient_ids == pid
        seg = (
            data.liver_masks[rows]
            + data.lesion_masks[rows] * data.labels[rows, None, None]
        )
        spacing = (5.0, *data.spacing)
        write_nifti(
            Scan(data.images[rows], spacing), root / "imagesTr" / f"{pid}.nii.gz"
        )
        write_nifti(
            Scan(seg.astype(np.float32), spacing), root / "labelsTr" / f"{pid}.nii.gz"
        )
    out = tmp_path / "run"
    assert main(["train", str(root), "--out", str(out), "--epochs", "1"]) == 0
    settings = json.loads((out / "threshold.json").read_text())
    assert settings["image_shape"] == [64, 64]  # the case study's grid


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("medtutor: error: "), err
    return err[0]


def test_bad_paths_and_formats(workspace, tmp_path, capsys):
    assert main(["train", str(tmp_path / "absent"), "--out", str(tmp_path / "r")]) == 3
    assert "no such file" in one_error_line(capsys)
    (tmp_path / "notes.txt").write_text("x")
    assert (
        main(["train", str(tmp_path / "notes.txt"), "--out", str(tmp_path / "r")]) == 3
    )
    assert "expected a folder" in one_error_line(capsys)
    assert (
        main(
            [
                "evaluate",
                str(workspace / "data"),
                "--model",
                str(tmp_path),
                "--out",
                str(tmp_path / "rep"),
            ]
        )
        == 3
    )
    assert "not a run folder" in one_error_line(capsys)
    assert not (tmp_path / "r").exists() and not (tmp_path / "rep").exists()


def test_refuses_to_overwrite_or_write_into_input(workspace, capsys):
    assert (
        main(
            [
                "train",
                str(workspace / "data"),
                "--out",
                str(workspace / "run"),
                "--epochs",
                "1",
            ]
        )
        == 3
    )
    assert "--out" in (line := one_error_line(capsys)) and "not an empty" in line
    assert (
        main(
            [
                "train",
                str(workspace / "data"),
                "--out",
                str(workspace / "data" / "run"),
                "--epochs",
                "1",
            ]
        )
        == 3
    )
    assert "is the input or inside it" in one_error_line(capsys)
    assert main(["make-data", str(workspace / "data")]) == 3
    assert "not empty" in one_error_line(capsys)


def test_data_errors_are_one_line_and_leave_nothing(workspace, tmp_path, capsys):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(workspace / "data", broken)
    victim = next((broken / "train").rglob("*.png"))
    victim.write_bytes(victim.read_bytes()[:40])
    assert (
        main(["train", str(broken), "--out", str(tmp_path / "run"), "--epochs", "1"])
        == 3
    )
    assert victim.name in one_error_line(capsys)
    assert not (tmp_path / "run").exists()
    assert not [p for p in tmp_path.iterdir() if "partial" in p.name], (
        "no half-written output may remain"
    )


def test_help_for_every_subcommand_and_console_script():
    for command in ([], ["make-data"], ["train"], ["evaluate"]):
        done = subprocess.run(
            [sys.executable, "-m", "medtutor", *command, "--help"],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0 and "usage: medtutor" in done.stdout
        if command in (["train"], ["evaluate"]):
            assert "(default: " in done.stdout, "--help shows the defaults"
    script = Path(sys.executable).parent / "medtutor"
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("medtutor ")


def test_bad_usage_exits_non_zero():
    done = subprocess.run(
        [sys.executable, "-m", "medtutor", "train"], capture_output=True, text=True
    )
    assert done.returncode == 2 and "required" in done.stderr


def test_versions_lists_the_libraries(capsys):
    assert main(["versions"]) == 0
    out = capsys.readouterr().out
    assert "tensorflow" in out and "keras" in out


def test_fetch_lists_the_sets_and_refuses_unknown_names(capsys):
    from medtutor.cli import EXIT_DATA
    from medtutor.data.real import DATASETS

    assert main(["fetch", "--list"]) == 0
    listed = capsys.readouterr().out
    assert all(name in listed for name in DATASETS)
    assert "apt-get download mricron-data=" in listed
    assert main(["fetch", "colin27", "liver"]) == EXIT_DATA
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "medtutor: error: unknown data set(s) liver; 'medtutor fetch --list' lists them"
    ]


def test_fetch_prints_the_cached_folder(capsys):
    from medtutor.data.real import data_home

    assert main(["fetch", "itk_t1"]) == 0
    assert capsys.readouterr().out.strip() == str(data_home() / "itk_t1")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["train", "D", "--out", "R", "--epochs", "0"],
            "--epochs: must be >= 1, got 0",
        ),
        (["train", "D", "--out", "R", "--epochs", "-1"], "--epochs: must be >= 1"),
        (["train", "D", "--out", "R", "--epochs", "ten"], "not a whole number: 'ten'"),
        (["train", "D", "--out", "R", "--patience", "-2"], "--patience: must be >= 0"),
        (["train", "D", "--out", "R", "--sensitivity", "nan"], "strictly between 0"),
        (["train", "D", "--out", "R", "--sensitivity", "1.5"], "strictly between 0"),
        (["evaluate", "D", "--model", "M", "--out", "R", "--bootstrap", "5"], ">= 10"),
        (["make-data", "R", "--size", "16"], "--size: must be from 32 to 256"),
        (["make-data", "R", "--patients", "0"], "--patients: must be >= 3"),
    ],
)
def test_bad_options_are_one_line_before_any_work(args, expected, tmp_path):
    args = [str(tmp_path / a) if a in "DRM" else a for a in args]
    done = subprocess.run(
        [sys.executable, "-m", "medtutor", *args], capture_output=True, text=True
    )
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert lines[0].startswith("medtutor: error: argument") and expected in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_outputs_that_cannot_work_are_refused_first(workspace, tmp_path, capsys):
    npz = workspace / "npz" / "liver.npz"
    before = npz.read_bytes()
    assert main(["train", str(npz), "--out", str(npz)]) == 3
    assert "is the input or inside it" in one_error_line(capsys)
    (tmp_path / "file").write_text("x")
    assert main(["train", str(npz), "--out", str(tmp_path / "file" / "run")]) == 3
    assert "cannot create it" in one_error_line(capsys)
    assert npz.read_bytes() == before


def test_a_split_without_one_class_is_refused(tmp_path, capsys):
    arrays = {}
    for split in ("train", "val", "test"):
        arrays[f"{split}_images"] = np.zeros((6, 28, 28), np.uint8)
        arrays[f"{split}_labels"] = np.array([[0], [1]] * 3)
    arrays["val_labels"] = np.zeros((6, 1), np.int64)
    np.savez(tmp_path / "one_class.npz", **arrays)
    args = ["train", str(tmp_path / "one_class.npz"), "--out", str(tmp_path / "r")]
    assert main(args) == 3
    assert "the val split has no class_1 slices" in one_error_line(capsys)


def test_damaged_run_files_are_named(workspace, tmp_path, capsys):
    import shutil

    run = tmp_path / "run"
    shutil.copytree(workspace / "run", run)
    base = ["evaluate", str(workspace / "data"), "--model", str(run)]
    (run / "threshold.json").write_text('{"threshold": 0.4')
    assert main([*base, "--out", str(tmp_path / "a")]) == 3
    assert "threshold.json: not valid JSON" in one_error_line(capsys)
    (run / "threshold.json").write_text('{"threshold": "high"}')
    assert main([*base, "--out", str(tmp_path / "b")]) == 3
    assert "threshold.json: missing or malformed 'threshold'" in one_error_line(capsys)
    shutil.copy(workspace / "run" / "threshold.json", run / "threshold.json")
    (run / "model.keras").write_bytes(b"PK not a zip")
    assert main([*base, "--out", str(tmp_path / "c")]) == 3
    assert "model.keras: not a readable Keras model" in one_error_line(capsys)
    assert not [p for p in tmp_path.iterdir() if p.name != "run"]


def test_unexpected_errors_are_one_line_unless_debugging(monkeypatch, capsys):
    import medtutor.cli as cli

    def broken(args):
        raise RuntimeError("something nobody expected\nsecond line")

    parser = cli.build_parser()
    monkeypatch.setattr(
        cli, "build_parser", lambda: _with_command(parser, "versions", broken)
    )
    assert cli.main(["versions"]) == cli.EXIT_INTERNAL
    line = one_error_line_prefix(capsys, "medtutor: internal error: ")
    assert "RuntimeError: something nobody expected; rerun with --debug" in line
    with pytest.raises(RuntimeError):
        cli.main(["--debug", "versions"])


def test_ctrl_c_while_starting_is_a_clean_exit(monkeypatch, capsys):
    import medtutor.cli as cli

    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "build_parser", interrupted)
    assert cli.main(["versions"]) == cli.EXIT_INTERRUPTED
    assert "interrupted; nothing was written" in capsys.readouterr().err


def _with_command(parser, name, func):
    """The parser with subcommand ``name`` bound to ``func``."""
    for action in parser._subparsers._group_actions:
        action.choices[name].set_defaults(func=func)
    return parser


def one_error_line_prefix(capsys, prefix) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(prefix), err
    return err[0]


def test_overwrite_replaces_only_medtutor_outputs(workspace, tmp_path, capsys):
    import shutil

    run = tmp_path / "run"
    shutil.copytree(workspace / "run", run)
    (run / "stale.txt").write_text("from the earlier run")
    args = ["train", str(workspace / "data"), "--out", str(run), "--epochs", "1"]
    assert main(args) == 3
    assert "pass --overwrite" in one_error_line(capsys)
    assert main([*args, "--overwrite"]) == 0
    capsys.readouterr()
    assert (run / "model.keras").is_file() and not (run / "stale.txt").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["run"], "no leftovers"
    mine = tmp_path / "my_notes"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    args = ["train", str(workspace / "data"), "--out", str(mine), "--overwrite"]
    assert main(args) == 3
    assert "not a run or report folder" in one_error_line(capsys)
    assert (mine / "notes.txt").read_text() == "keep me"


def test_a_failed_write_names_out_not_the_temporary_folder(
    workspace, tmp_path, monkeypatch, capsys
):
    import medtutor.evaluate as evaluate

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(evaluate, "write_report", disk_full)
    out = tmp_path / "report"
    args = ["evaluate", str(workspace / "data"), "--model", str(workspace / "run")]
    assert main([*args, "--out", str(out), "--bootstrap", "10"]) == 3
    line = one_error_line(capsys)
    assert f"--out {out}: could not write it (No space left on device)" in line
    assert list(tmp_path.iterdir()) == []


def test_rgb_convert_is_offered_on_the_command_line(workspace, tmp_path, capsys):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(workspace / "npz", data)
    npz = data / "liver.npz"
    with np.load(npz) as archive:
        arrays = {k: archive[k] for k in archive.files}
    for split in ("train", "val", "test"):
        grey = arrays[f"{split}_images"]
        colour = np.stack([grey, grey // 2, grey], axis=-1)
        arrays[f"{split}_images"] = colour
    np.savez(npz, **arrays)
    args = ["train", str(npz), "--out", str(tmp_path / "run"), "--epochs", "1"]
    assert main(args) == 3
    assert "rgb='convert'" in one_error_line(capsys)
    assert main([*args, "--rgb", "convert"]) == 0
