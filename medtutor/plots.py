"""Figures the chapters draw again and again: image grids, windows, learning curves."""

from __future__ import annotations

import numpy as np

__all__ = ["FIGURE_WIDTH", "plot_evaluation", "plot_history", "show_images"]

#: Widest figure, in inches at matplotlib's 100 dpi, that the book's content column
#: (about 745 px) shows at 0.88 of its natural size or more; with the default 10-point
#: text that keeps every label at 9 points or more on the page.
FIGURE_WIDTH = 8.5


def show_images(
    images,
    titles=None,
    *,
    cmap="gray",
    vmin=None,
    vmax=None,
    ncols=None,
    size=2.6,
    colorbar_label=None,
    outlines=None,
):
    """Show 2D images side by side (with an optional colour bar and mask outlines).

    Parameters
    ----------
    images : sequence of 2D arrays
    titles : sequence of str, optional
    cmap, vmin, vmax
        Passed to ``imshow``; ``vmin``/``vmax`` may be sequences (one per image).
    ncols : int, optional
        Columns of the grid (default: as many as fit in :data:`FIGURE_WIDTH`, so a long
        row wraps onto a second one instead of shrinking on the page).
    size : float
        Inches per panel.
    colorbar_label : str or sequence of str, optional
        Adds a colour bar to each panel with this label (e.g. ``"HU"``); a sequence
        gives one label per panel (``None`` for no bar).
    outlines : sequence of 2D arrays, optional
        Binary masks outlined in red on each image.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Taught in: :doc:`ch1_background`.
    """
    import matplotlib.pyplot as plt

    n = len(images)
    panel = size + (0.6 if colorbar_label else 0)
    ncols = ncols or max(1, min(n, int(FIGURE_WIDTH // panel)))
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(size * ncols + (0.6 * ncols if colorbar_label else 0), size * nrows),
        squeeze=False,
    )

    def per(value, i):
        """One panel's setting: the i-th entry of a sequence, or the value itself."""
        return value[i] if isinstance(value, (list, tuple, np.ndarray)) else value

    for i, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if i >= n:
            continue
        im = ax.imshow(images[i], cmap=cmap, vmin=per(vmin, i), vmax=per(vmax, i))
        if outlines is not None and outlines[i] is not None and np.any(outlines[i]):
            ax.contour(outlines[i], levels=[0.5], colors="red", linewidths=0.8)
        if titles is not None:
            ax.set_title(titles[i], fontsize=10)
        label = per(colorbar_label, i)
        if label:
            fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04).set_label(label)
    fig.tight_layout()
    return fig


def plot_history(history, metrics=("loss", "auc"), *, best_epoch=None):
    """Training and validation curves of a Keras ``History``, one panel per metric.

    Parameters
    ----------
    history : keras.callbacks.History or dict
    metrics : sequence of str
        Metric names without the ``val_`` prefix.
    best_epoch : int, optional
        Marks the epoch whose weights were kept.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Taught in: :doc:`ch3_workflow`.
    """
    import matplotlib.pyplot as plt

    h = history.history if hasattr(history, "history") else history
    width = min(4.2 * len(metrics), FIGURE_WIDTH)
    fig, axes = plt.subplots(1, len(metrics), figsize=(width, 3.2), squeeze=False)
    for ax, m in zip(axes[0], metrics, strict=True):
        epochs = np.arange(1, len(h[m]) + 1)
        ax.plot(epochs, h[m], "o-", ms=3, label="training")
        if f"val_{m}" in h:
            ax.plot(epochs, h[f"val_{m}"], "o-", ms=3, label="validation")
        if best_epoch:
            ax.axvline(best_epoch, color="grey", ls="--", lw=1, label="best epoch")
        ax.set(xlabel="epoch", ylabel=m, title=m)
        ax.legend()
    fig.tight_layout()
    return fig


def plot_evaluation(report, *, figsize=(8.6, 7.6)):
    """The four panels of a classifier's evaluation, laid out two by two.

    ROC with its confidence interval and the operating point; precision-recall against
    the prevalence; the confusion matrix at the threshold; and the reliability diagram
    with the number of slices behind each point.

    Parameters
    ----------
    report : medtutor.evaluate.ClassifierReport
        From :func:`medtutor.evaluate.evaluate_classifier`.
    figsize : (float, float)
        Inches; the default fits the book's content width at full size.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Taught in: :doc:`ch4_1_liver_case_study`.
    """
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    curves, point, cal = report.curves, report.test, report.calibration
    pct = round(100 * report.level)
    fig, axes = plt.subplots(2, 2, figsize=figsize)
    (roc, pr), (cmx, rel) = axes
    roc.plot(
        curves["fpr"],
        curves["tpr"],
        label=f"AUC {report.roc_auc:.2f} ({pct}% CI "
        f"{report.roc_auc_low:.2f}-{report.roc_auc_high:.2f})",
    )
    roc.plot(
        1 - point["specificity"],
        point["sensitivity"],
        "o",
        color="C3",
        label=f"operating point (t = {report.threshold:.2f})",
    )
    roc.plot([0, 1], [0, 1], "k--", lw=0.8)
    roc.set(xlabel="1 - specificity", ylabel="sensitivity", title="ROC")
    roc.legend(loc="lower right", fontsize=10)
    pr.plot(
        curves["recall"],
        curves["precision"],
        label=f"AP {report.average_precision:.2f}",
    )
    pr.axhline(report.prevalence, color="k", ls="--", lw=0.8, label="prevalence")
    pr.set(
        xlabel="recall (sensitivity)",
        ylabel="precision (PPV)",
        title="Precision-recall",
    )
    pr.set_ylim(0, 1.02)
    pr.legend(loc="lower left", fontsize=10)
    matrix = np.array([[point["tn"], point["fp"]], [point["fn"], point["tp"]]])
    ConfusionMatrixDisplay(matrix, display_labels=list(report.class_names)).plot(
        ax=cmx, colorbar=False, cmap="Blues"
    )
    cmx.set_title(f"Confusion matrix at t = {report.threshold:.2f}")
    rel.plot([0, 1], [0, 1], "k--", lw=0.8, label="calibrated")
    rel.plot(
        cal["mean_predicted"],
        cal["observed_fraction"],
        "o-",
        label=f"model (Brier {cal['brier']:.3f})",
    )
    for x, y, n in zip(
        cal["mean_predicted"], cal["observed_fraction"], cal["count"], strict=True
    ):
        rel.annotate(
            str(n), (x, y), textcoords="offset points", xytext=(4, -12), fontsize=10
        )
    rel.set(
        xlabel="predicted probability",
        ylabel="observed fraction positive",
        title="Reliability (slices per bin)",
        xlim=(-0.02, 1.02),
        ylim=(-0.02, 1.02),
    )
    rel.legend(loc="upper left", fontsize=10)
    fig.tight_layout()
    return fig
