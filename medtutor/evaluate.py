"""One clinical evaluation of a binary classifier, and its JSON, Markdown and PNG forms.

Chapter 4.1 and the ``medtutor evaluate`` command both call :func:`evaluate_classifier`
and :func:`write_report`, so the book and the command line report the same numbers from
the same scores. The arithmetic lives in :mod:`medtutor.metrics`; this module decides
what a report holds: discrimination with its uncertainty (ROC-AUC with a
patient-bootstrap confidence interval, average precision), decisions at an operating
point chosen on validation data (sensitivity, specificity, PPV, NPV), and calibration.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from sklearn import metrics as skm

from medtutor.metrics import classification as cm

__all__ = [
    "ClassifierReport",
    "evaluate_classifier",
    "fit_patient_combiner",
    "patient_columns",
    "patient_table",
    "write_report",
]


@dataclass
class ClassifierReport:
    """What :func:`evaluate_classifier` found; :meth:`to_dict` is its JSON form.

    Attributes
    ----------
    n_slices, n_patients : int
        Size of the evaluated set.
    prevalence : float
        Fraction of positive slices.
    roc_auc, roc_auc_low, roc_auc_high : float
        ROC-AUC and its percentile bootstrap interval over patients.
    level : float
        Confidence level of the interval.
    n_boot : int
        Bootstrap samples behind the interval.
    average_precision : float
        Area under the precision-recall curve.
    threshold : float
        Decision threshold: a score ``>= threshold`` is positive.
    threshold_rule : str
        How the threshold was chosen, in words.
    test : dict
        :func:`medtutor.metrics.operating_point` on the evaluated set.
    validation : dict or None
        The same on the validation set, when validation scores were given.
    calibration : dict
        :func:`medtutor.metrics.calibration`: Brier score and the reliability bins.
    class_names : tuple of str
        Names of class 0 and class 1.
    rate_intervals : dict
        :func:`medtutor.metrics.bootstrap_rates` on the evaluated set: sensitivity and
        specificity at the threshold, each with its patient-bootstrap interval.
    curves : dict
        ROC (``fpr``, ``tpr``) and precision-recall (``precision``, ``recall``) points
        for plotting; left out of :meth:`to_dict`.

    Notes
    -----
    Taught in: :doc:`own_data`.
    """

    n_slices: int
    n_patients: int
    prevalence: float
    roc_auc: float
    roc_auc_low: float
    roc_auc_high: float
    level: float
    n_boot: int
    average_precision: float
    threshold: float
    threshold_rule: str
    test: dict
    validation: dict | None
    calibration: dict
    class_names: tuple = ("no tumour", "tumour")
    rate_intervals: dict = field(default_factory=dict)
    curves: dict = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict:
        """The report as plain JSON-serialisable values (curves left out)."""
        out = asdict(self)
        out.pop("curves")
        return _plain(out)

    def summary(self) -> str:
        """A few lines of text: the numbers a reader of a clinical paper looks for."""
        pct = round(100 * self.level)
        lines = [
            f"{self.n_slices} slices of {self.n_patients} patients, "
            f"prevalence {self.prevalence:.2f}",
            f"ROC-AUC            {self.roc_auc:.2f}  ({pct}% CI {self.roc_auc_low:.2f}-"
            f"{self.roc_auc_high:.2f}, bootstrap over patients)",
            f"average precision  {self.average_precision:.2f}",
            f"threshold          {self.threshold:.2f}  ({self.threshold_rule})",
        ]
        for name, point in (("validation", self.validation), ("test", self.test)):
            if point is not None:
                lines.append(
                    f"{name:10s} sensitivity {point['sensitivity']:.2f}  "
                    f"specificity {point['specificity']:.2f}  PPV {point['ppv']:.2f}  "
                    f"NPV {point['npv']:.2f}"
                )
        for name in ("sensitivity", "specificity"):
            r = self.rate_intervals.get(name)
            if r:
                lines.append(
                    f"test {name:12s}  {r['value']:.2f}  ({pct}% CI {r['low']:.2f}-"
                    f"{r['high']:.2f}, bootstrap over patients)"
                )
        lines.append(f"Brier score        {self.calibration['brier']:.3f}")
        return "\n".join(lines)

    def to_markdown(self, title: str = "Evaluation") -> str:
        """The report as a Markdown page with a table and the evaluation figure."""
        t = self.test
        pct = round(100 * self.level)
        rows = [
            ("slices / patients", f"{self.n_slices} / {self.n_patients}"),
            ("prevalence", f"{self.prevalence:.3f}"),
            (
                f"ROC-AUC ({pct}% CI, patient bootstrap)",
                f"{self.roc_auc:.3f} ({self.roc_auc_low:.3f}-{self.roc_auc_high:.3f})",
            ),
            ("average precision", f"{self.average_precision:.3f}"),
            ("threshold", f"{self.threshold:.3f} ({self.threshold_rule})"),
            (
                "sensitivity / specificity",
                f"{t['sensitivity']:.3f} / {t['specificity']:.3f}",
            ),
            ("PPV / NPV", f"{t['ppv']:.3f} / {t['npv']:.3f}"),
            *(
                (
                    f"{name} ({pct}% CI, patient bootstrap)",
                    f"{r['value']:.3f} ({r['low']:.3f}-{r['high']:.3f})",
                )
                for name, r in self.rate_intervals.items()
                if isinstance(r, dict)
            ),
            ("Brier score", f"{self.calibration['brier']:.3f}"),
        ]
        table = "\n".join(f"| {k} | {v} |" for k, v in rows)
        return (
            f"# {title}\n\n| metric | value |\n|---|---|\n{table}\n\n"
            "![ROC, precision-recall, confusion matrix and reliability diagram]"
            "(evaluation.png)\n"
        )


def _plain(value):
    """JSON-safe copy: arrays to lists, tuples to lists, NaN to None."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def evaluate_classifier(
    y_true,
    y_score,
    patient_ids=None,
    *,
    threshold: float | None = None,
    validation=None,
    target_sensitivity: float = 0.9,
    n_boot: int = 1000,
    level: float = 0.95,
    n_bins: int = 10,
    seed: int = 0,
    class_names=("no tumour", "tumour"),
) -> ClassifierReport:
    """Evaluate scores on a test set the way a clinical study reports a classifier.

    Parameters
    ----------
    y_true, y_score : array_like
        Labels (0/1) and probabilities, one per slice.
    patient_ids : array_like, optional
        Patient of each slice: the bootstrap resamples patients. By default every slice
        is its own patient (only right when slices are independent).
    threshold : float, optional
        A threshold fixed in advance (e.g. saved by ``medtutor train``).
    validation : (array_like, array_like), optional
        Validation labels and scores. Without ``threshold``, the threshold is the
        highest one that reaches ``target_sensitivity`` on them
        (:func:`medtutor.metrics.threshold_for_sensitivity`); the validation operating
        point is reported either way.
    target_sensitivity : float
        Sensitivity the operating point must reach on validation data.
    n_boot, level, seed
        Bootstrap samples, confidence level and seed of the interval
        (:func:`medtutor.metrics.bootstrap_auc`).
    n_bins : int
        Bins of the reliability diagram.
    class_names : (str, str)
        Names of class 0 and class 1, for the figure.

    Returns
    -------
    ClassifierReport

    Raises
    ------
    ValueError
        Neither ``threshold`` nor ``validation`` is given (an operating point must not
        be chosen on the test set), or the inputs fail
        :func:`medtutor.metrics.check_binary`.

    Notes
    -----
    Taught in: :doc:`ch4_1_liver_case_study`, :doc:`own_data`.
    """
    y, s = cm.check_binary(y_true, y_score)
    if threshold is None and validation is None:
        raise ValueError(
            "choose the operating point on validation data: pass validation=(labels, "
            "scores) or a threshold fixed in advance"
        )
    if threshold is not None and not np.isfinite(threshold):
        raise ValueError(f"threshold must be a finite number, got {threshold}")
    at_val = None
    if validation is not None:
        y_val, s_val = cm.check_binary(*validation)
        if threshold is None:
            threshold = cm.threshold_for_sensitivity(y_val, s_val, target_sensitivity)
            rule = f"sensitivity >= {target_sensitivity:.2f} on validation"
        else:
            rule = "fixed in advance"
        at_val = cm.operating_point(y_val, s_val, threshold)
    else:
        rule = "fixed in advance"
    ci = cm.bootstrap_auc(y, s, patient_ids, n_boot=n_boot, level=level, seed=seed)
    rates = cm.bootstrap_rates(
        y, s, threshold, patient_ids, n_boot=n_boot, level=level, seed=seed
    )
    fpr, tpr, _ = skm.roc_curve(y, s)
    precision, recall, _ = skm.precision_recall_curve(y, s)
    return ClassifierReport(
        n_slices=len(y),
        n_patients=ci["n_groups"],
        prevalence=float(y.mean()),
        roc_auc=ci["auc"],
        roc_auc_low=ci["low"],
        roc_auc_high=ci["high"],
        level=level,
        n_boot=n_boot,
        average_precision=cm.average_precision(y, s),
        threshold=float(threshold),
        threshold_rule=rule,
        test=cm.operating_point(y, s, threshold),
        validation=at_val,
        calibration=cm.calibration(y, s, n_bins=n_bins),
        class_names=tuple(class_names),
        rate_intervals=rates,
        curves={"fpr": fpr, "tpr": tpr, "precision": precision, "recall": recall},
    )


def write_report(
    report: ClassifierReport, folder: str | os.PathLike, *, title: str = "Evaluation"
) -> dict[str, Path]:
    """Write ``report.json``, ``report.md`` and ``evaluation.png`` into ``folder``.

    Parameters
    ----------
    report : ClassifierReport
    folder : path-like
        An existing folder (the command line passes the temporary folder that
        :func:`medtutor.data.io.atomic_folder` renames into place when complete).
    title : str
        Heading of the Markdown page.

    Returns
    -------
    dict of str to pathlib.Path
        ``json``, ``markdown`` and ``figure`` paths.

    Notes
    -----
    Taught in: :doc:`own_data`.
    """
    import matplotlib.pyplot as plt

    from medtutor.plots import plot_evaluation

    folder = Path(folder)
    paths = {
        "json": folder / "report.json",
        "markdown": folder / "report.md",
        "figure": folder / "evaluation.png",
    }
    paths["json"].write_text(json.dumps(report.to_dict(), indent=1) + "\n")
    paths["markdown"].write_text(report.to_markdown(title))
    fig = plot_evaluation(report)
    fig.savefig(paths["figure"], dpi=120, bbox_inches="tight")
    plt.close(fig)
    return paths


def patient_table(data, slice_scores, clinical=None) -> dict:
    """One row per patient: the image evidence (the highest slice probability), the
    patient's label and split, and optional clinical variables.

    Parameters
    ----------
    data : SliceSet
        Slices with patient ids and labels; a split if the table is to be used by
        :func:`fit_patient_combiner`.
    slice_scores : array_like
        One model probability per slice of ``data``.
    clinical : dict of str to array_like, optional
        Per-patient variables in the order of the sorted patient ids (the order of the
        returned ``patient_id``), e.g. from :func:`medtutor.data.simulate_clinical`.

    Returns
    -------
    dict of str to numpy.ndarray
        ``patient_id``, ``split`` (or ``None``), ``label`` (1 if any slice is
        positive), ``image`` (highest slice score) and one entry per clinical variable.

    Raises
    ------
    ValueError
        A score count that differs from the slice count, or a clinical variable of
        the wrong length.

    Notes
    -----
    Taught in: :doc:`ch5b_deployment_features`.
    """
    scores = np.asarray(slice_scores, dtype=float).ravel()
    if scores.size != len(data):
        raise ValueError(f"{scores.size} scores for {len(data)} slices")
    ids, inverse = np.unique(data.patient_ids, return_inverse=True)
    image = np.full(ids.size, -np.inf)
    np.maximum.at(image, inverse, scores)
    label = np.zeros(ids.size, dtype=int)
    np.maximum.at(label, inverse, np.asarray(data.labels, dtype=int))
    split = None
    if data.split is not None:
        split = np.empty(ids.size, dtype=object)
        split[inverse] = data.split
        split = split.astype(str)
    table = {"patient_id": ids, "split": split, "label": label, "image": image}
    for name, values in (clinical or {}).items():
        values = np.asarray(values)
        if values.shape != (ids.size,):
            raise ValueError(
                f"clinical variable {name!r} has {values.size} values for "
                f"{ids.size} patients"
            )
        table[name] = values
    return table


def fit_patient_combiner(table: dict, columns, *, fit_split: str = "val"):
    """A logistic regression on patient-level columns, fitted on validation patients.

    The image column holds the network's probabilities. On the patients it trained on,
    those are optimistic (the network has seen their labels), so a combiner fitted there
    learns to trust the image more than it deserves. It is fitted here on the
    validation patients only, which the network never trained on, and the test patients
    stay untouched for the evaluation.

    Parameters
    ----------
    table : dict
        From :func:`patient_table`, with a split.
    columns : sequence of str
        Names of the table's columns to use as inputs, e.g. ``["image", "age"]``.
    fit_split : str
        The split to fit on; ``"train"`` and ``"test"`` are refused.

    Returns
    -------
    sklearn.pipeline.Pipeline
        ``StandardScaler`` + ``LogisticRegression``, fitted; call
        ``predict_proba(patient_columns(table, columns, "test"))[:, 1]``.

    Raises
    ------
    ValueError
        ``fit_split`` is "train" or "test", the table has no split, a column is
        unknown, or the fitting patients hold a single class.

    Notes
    -----
    Taught in: :doc:`ch5b_deployment_features`.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if fit_split in ("train", "test"):
        raise ValueError(
            f"fit_split={fit_split!r}: fit the combiner on patients the network did "
            "not train on and that the evaluation does not use (the validation split)"
        )
    x = patient_columns(table, columns, fit_split)
    y = table["label"][table["split"] == fit_split]
    if np.unique(y).size < 2:
        raise ValueError(f"the {fit_split!r} patients hold a single class")
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    return model.fit(x, y)


def patient_columns(table: dict, columns, split: str) -> np.ndarray:
    """The ``(patients, columns)`` matrix of one split of a :func:`patient_table`.

    Notes
    -----
    Taught in: :doc:`ch5b_deployment_features`.
    """
    if table.get("split") is None:
        raise ValueError("the patient table has no split: build it from split data")
    unknown = [c for c in columns if c not in table or c in ("split", "patient_id")]
    if unknown:
        raise ValueError(f"unknown column(s) {unknown}; the table has {sorted(table)}")
    rows = table["split"] == split
    if not rows.any():
        raise ValueError(f"no patients in split {split!r}")
    return np.column_stack([np.asarray(table[c], dtype=float)[rows] for c in columns])
