"""Diagrams of chapter 2's building blocks, drawn from the same numbers the code uses.

Each function draws one picture with Matplotlib and returns the figure: a multilayer
perceptron, a kernel sliding over an image, pooling, the growth of the receptive field,
and a Keras model's layers with their output shapes. The numbers in the convolution and
pooling pictures are computed by :mod:`medtutor.teaching.layers`, and the receptive
fields by :func:`~medtutor.teaching.receptive_fields`, so a picture cannot disagree
with the code beside it. Sizes suit the book's content width (about 750 px) and stay
legible on a phone.
"""

from __future__ import annotations

import numpy as np

from medtutor.teaching.layers import conv2d, pool2d, receptive_fields

__all__ = [
    "draw_convolution",
    "draw_mlp",
    "draw_network",
    "draw_pooling",
    "draw_receptive_field",
]

_HIGHLIGHT, _SOFT, _EDGE = "#d95f02", "#fdd9b5", "#555555"


def _figure(width, height):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height))
    ax.set_axis_off()
    return fig, ax


def draw_mlp(layer_sizes=(3, 4, 4, 1)):
    """A multilayer perceptron: every unit of a layer connected to every unit of the
    next, with one hidden unit's inputs and formula highlighted.

    Parameters
    ----------
    layer_sizes : sequence of int
        Units per layer, input first, output last (at least two layers).

    Returns
    -------
    matplotlib.figure.Figure
        Units are circles (``Circle`` patches), connections are lines.

    Notes
    -----
    Taught in: :doc:`ch2_core_concepts`.
    """
    from matplotlib.patches import Circle

    sizes = [int(n) for n in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError("layer_sizes needs at least two layers of at least one unit")
    fig, ax = _figure(6.4, 3.4)
    top = max(sizes)
    # Each layer centred vertically: unit k of n at height (top - 1)/2 + (n - 1)/2 - k.
    pos = [
        [(2.2 * i, (top - 1) / 2 + (n - 1) / 2 - k) for k in range(n)]
        for i, n in enumerate(sizes)
    ]
    for i in range(len(sizes) - 1):
        for x0, y0 in pos[i]:
            for b, (x1, y1) in enumerate(pos[i + 1]):
                lit = i == 0 and b == 0
                ax.plot(
                    [x0, x1],
                    [y0, y1],
                    color=_HIGHLIGHT if lit else "#bbbbbb",
                    lw=1.6 if lit else 0.7,
                    zorder=1,
                )
    names = ["input $x_j$", *[f"hidden {i}" for i in range(1, len(sizes) - 1)]]
    names.append("output")
    for i, layer in enumerate(pos):
        for k, (x, y) in enumerate(layer):
            lit = i == 1 and k == 0
            ax.add_patch(
                Circle(
                    (x, y),
                    0.28,
                    facecolor=_SOFT if lit else "white",
                    edgecolor=_HIGHLIGHT if lit else _EDGE,
                    lw=1.5,
                    zorder=2,
                )
            )
        ax.text(layer[0][0], -0.6, names[i], ha="center", va="top", fontsize=10)
    x1, y1 = pos[1][0]
    ax.annotate(
        r"$a_i = f\left(\sum_j w_{ij}\,x_j + b_i\right)$",
        (x1 + 0.3, y1 + 0.15),
        xytext=(x1 - 1.2, top - 0.35),
        fontsize=11,
        color=_HIGHLIGHT,
        arrowprops={"arrowstyle": "-", "color": _HIGHLIGHT, "lw": 0.8},
    )
    ax.set_xlim(-0.6, 2.2 * (len(sizes) - 1) + 0.6)
    ax.set_ylim(-1.1, top + 0.2)
    ax.set_aspect("equal")
    fig.tight_layout()
    return fig


def _grid(ax, values, x0, y0, *, lit=None, fmt="{:g}", title=None, cell=1.0):
    """Draw a matrix of numbers with its top-left corner at (x0, y0)."""
    from matplotlib.patches import Rectangle

    rows, cols = values.shape
    for r in range(rows):
        for c in range(cols):
            on = lit is not None and lit[r, c]
            ax.add_patch(
                Rectangle(
                    (x0 + c * cell, y0 - (r + 1) * cell),
                    cell,
                    cell,
                    facecolor=_SOFT if on else "white",
                    edgecolor=_EDGE,
                    lw=0.8,
                )
            )
            ax.text(
                x0 + (c + 0.5) * cell,
                y0 - (r + 0.5) * cell,
                fmt.format(values[r, c]),
                ha="center",
                va="center",
                fontsize=10,
                gid="value",
            )
    if title:
        ax.text(x0 + cols * cell / 2, y0 + 0.3, title, ha="center", fontsize=10)


def draw_convolution(image=None, kernel=None, at=(1, 1)):
    """A 3x3 kernel sliding over a small image: the window at ``at``, the kernel and
    the output, whose highlighted value is that window's weighted sum.

    Parameters
    ----------
    image : numpy.ndarray, optional
        A small 2D array of integers (default: a 5x5 example with a vertical edge).
    kernel : numpy.ndarray, optional
        A 2D kernel (default: a vertical-edge kernel).
    at : (int, int)
        Top-left corner of the highlighted window (a valid output position).

    Returns
    -------
    matplotlib.figure.Figure
        The output values printed are :func:`~medtutor.teaching.conv2d`'s ("valid").

    Notes
    -----
    Taught in: :doc:`ch2_core_concepts`.
    """
    if image is None:
        image = np.array([[0, 0, 1, 1, 1]] * 5, dtype=float)
        image[2:, 0] = 1
    if kernel is None:
        kernel = np.array([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]], dtype=float)
    image, kernel = np.asarray(image, float), np.asarray(kernel, float)
    out = conv2d(image, kernel)
    r, c = at
    if not (0 <= r < out.shape[0] and 0 <= c < out.shape[1]):
        raise ValueError(f"at={at} is not a valid output position for {out.shape}")
    window = np.zeros(image.shape, bool)
    window[r : r + kernel.shape[0], c : c + kernel.shape[1]] = True
    spot = np.zeros(out.shape, bool)
    spot[r, c] = True
    fig, ax = _figure(7.2, 3.0)
    h = image.shape[0]
    _grid(ax, image, 0, h, lit=window, title="image")
    kx = image.shape[1] + 1.2
    ky = h - (h - kernel.shape[0]) / 2
    _grid(ax, kernel, kx, ky, title="kernel")
    ox = kx + kernel.shape[1] + 1.2
    oy = h - (h - out.shape[0]) / 2
    _grid(ax, out, ox, oy, lit=spot, title="output (valid)")
    ax.text(
        kx - 0.6, ky - kernel.shape[0] / 2, "*", ha="center", va="center", fontsize=16
    )
    ax.text(ox - 0.6, oy - out.shape[0] / 2, "=", ha="center", va="center", fontsize=16)
    terms = image[r : r + kernel.shape[0], c : c + kernel.shape[1]] * kernel
    ax.text(
        (ox + out.shape[1]) / 2,
        -0.45,
        f"highlighted: sum of window x kernel = {terms.sum():g}",
        ha="center",
        va="top",
        fontsize=10,
        color=_HIGHLIGHT,
    )
    ax.set_xlim(-0.2, ox + out.shape[1] + 0.2)
    ax.set_ylim(-1.0, h + 0.7)
    ax.set_aspect("equal")
    fig.tight_layout()
    return fig


def draw_pooling(feature_map=None, size=2):
    """A feature map, its pooling windows, and the max- and average-pooled outputs.

    Parameters
    ----------
    feature_map : numpy.ndarray, optional
        A small 2D array (default: a 4x4 example).
    size : int
        Window and stride.

    Returns
    -------
    matplotlib.figure.Figure
        The pooled values printed are :func:`~medtutor.teaching.pool2d`'s.

    Notes
    -----
    Taught in: :doc:`ch2_core_concepts`.
    """
    from matplotlib.patches import Rectangle

    if feature_map is None:
        feature_map = np.array(
            [[1, 3, 2, 0], [4, 2, 1, 1], [0, 1, 5, 6], [2, 2, 7, 1]], dtype=float
        )
    fmap = np.asarray(feature_map, float)
    pooled = {m: pool2d(fmap, size, mode=m) for m in ("max", "average")}
    fig, ax = _figure(7.2, 2.9)
    h = fmap.shape[0]
    _grid(ax, fmap, 0, h, title=f"feature map, {size}x{size} windows")
    colours = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"]
    for r in range(fmap.shape[0] // size):
        for c in range(fmap.shape[1] // size):
            ax.add_patch(
                Rectangle(
                    (c * size + 0.06, h - (r + 1) * size + 0.06),
                    size - 0.12,
                    size - 0.12,
                    fill=False,
                    edgecolor=colours[(r * 3 + c) % len(colours)],
                    lw=2.2,
                )
            )
    x = fmap.shape[1] + 1.5
    for name, values in pooled.items():
        y = h - (h - values.shape[0]) / 2
        _grid(ax, values, x, y, title=f"{name} pooling")
        x += values.shape[1] + 1.8
    ax.set_xlim(-0.2, x - 1.4)
    ax.set_ylim(-0.3, h + 0.7)
    ax.set_aspect("equal")
    fig.tight_layout()
    return fig


def draw_receptive_field(layers, n_input=24):
    """How far one unit sees: units of each layer in one dimension, and the input
    pixels that can reach one unit of the last layer.

    Parameters
    ----------
    layers : list of (name, kernel, stride)
        As for :func:`~medtutor.teaching.receptive_fields` (valid padding).
    n_input : int
        Pixels of the one-dimensional input drawn.

    Returns
    -------
    matplotlib.figure.Figure
        The shaded span of input pixels (a patch with ``gid="receptive_field"``) is
        the last layer's receptive field.

    Notes
    -----
    Taught in: :doc:`ch2_core_concepts`.
    """
    from matplotlib.patches import Rectangle

    table = receptive_fields(layers)
    rows = [("input", 1, 0.0, n_input)]
    n = n_input
    for row in table:
        n = (n - row["kernel"]) // row["stride"] + 1
        if n < 1:
            raise ValueError("n_input is too small for these layers")
        rows.append((row["layer"], row["jump"], row["start"], n))
    fig, ax = _figure(7.2, 0.55 * len(rows) + 0.9)
    rf = table[-1]["receptive_field"]
    _, last_jump, last_start, last_n = rows[-1]
    centre = last_start + (last_n // 2) * last_jump
    lo = centre - (rf - 1) / 2
    ax.add_patch(
        Rectangle(
            (lo - 0.5, -0.45),
            rf,
            0.9,
            facecolor=_SOFT,
            edgecolor="none",
            gid="receptive_field",
        )
    )
    for level, (name, jmp, st, count) in enumerate(rows):
        y = level
        for i in range(count):
            x = st + i * jmp
            lit = level == len(rows) - 1 and i == last_n // 2
            ax.add_patch(
                Rectangle(
                    (x - 0.38, y - 0.3),
                    0.76,
                    0.6,
                    facecolor=_HIGHLIGHT if lit else "white",
                    edgecolor=_EDGE,
                    lw=0.7,
                )
            )
        label = (
            name
            if level == 0
            else f"{name}: sees {table[level - 1]['receptive_field']} px"
        )
        ax.text(-1.2, y, label, ha="right", va="center", fontsize=10)
    ax.plot([centre, lo - 0.5], [len(rows) - 1.3, 0.45], color=_HIGHLIGHT, lw=0.8)
    ax.plot([centre, lo - 0.5 + rf], [len(rows) - 1.3, 0.45], color=_HIGHLIGHT, lw=0.8)
    ax.set_xlim(-9.5, n_input + 0.3)
    ax.set_ylim(-0.8, len(rows) - 0.4)
    fig.tight_layout()
    return fig


def draw_network(model):
    """A Keras model as a column of boxes, one per layer, with its type, output shape
    and number of weights.

    Parameters
    ----------
    model : keras.Model
        A built sequential model (e.g. :func:`medtutor.models.article_cnn`).

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Taught in: :doc:`ch3_workflow`.
    """
    from matplotlib.patches import FancyBboxPatch

    kinds = {
        "Conv2D": "#a6cee3",
        "MaxPooling2D": "#b2df8a",
        "Dropout": "#eeeeee",
        "Flatten": "#fdbf6f",
        "Dense": "#fb9a99",
    }
    layers = [("input", "Input", tuple(model.inputs[0].shape), 0)]
    for layer in model.layers:
        layers.append(
            (
                layer.name,
                type(layer).__name__,
                tuple(layer.output.shape),
                layer.count_params(),
            )
        )
    fig, ax = _figure(6.0, 0.62 * len(layers) + 0.4)
    for i, (name, kind, shape, params) in enumerate(layers):
        y = len(layers) - 1 - i
        ax.add_patch(
            FancyBboxPatch(
                (0.05, y * 1.0 + 0.12),
                0.9,
                0.76,
                boxstyle="square,pad=0.0",
                facecolor=kinds.get(kind, "white"),
                edgecolor=_EDGE,
                lw=0.8,
                transform=ax.transData,
            )
        )
        dims = " x ".join(str(d) for d in shape[1:])
        ax.text(
            0.08, y + 0.5, f"{name} ({kind})", va="center", fontsize=10, gid="layer"
        )
        ax.text(0.62, y + 0.5, dims, va="center", ha="center", fontsize=10, gid="shape")
        ax.text(
            0.92,
            y + 0.5,
            f"{params:,}" if params else "",
            va="center",
            ha="right",
            fontsize=9,
            color="#333333",
        )
        if i:
            ax.annotate(
                "",
                (0.5, y + 0.88),
                (0.5, y + 1.12),
                arrowprops={"arrowstyle": "->", "color": _EDGE, "lw": 0.8},
            )
    ax.text(0.62, len(layers) + 0.05, "output shape", ha="center", fontsize=9)
    ax.text(0.92, len(layers) + 0.05, "weights", ha="right", fontsize=9)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, len(layers) + 0.4)
    fig.tight_layout()
    return fig
