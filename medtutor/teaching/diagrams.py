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
    "draw_subpixel",
    "draw_unet",
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


def draw_unet(model):
    """A U-Net as its U: encoder levels down the left, the bottom, decoder levels up
    the right, with each level's output shape and the skip connections across.

    Parameters
    ----------
    model : keras.Model
        A model built by :func:`medtutor.models.unet` (its layer names are read:
        ``enc{k}_relu2``, ``bottom_relu2``, ``dec{k}_relu2`` and, where present,
        ``skip{k}``).

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Taught in: :doc:`ch4_2a_segmentation`.
    """
    from matplotlib.patches import FancyBboxPatch

    names = {layer.name for layer in model.layers}
    depth = sum(1 for n in names if n.startswith("enc") and n.endswith("_relu2"))

    def shape(name):
        return " x ".join(str(d) for d in model.get_layer(name).output.shape[1:])

    fig, ax = _figure(7.2, 1.0 * depth + 1.9)
    width, height = 1.9, 0.62
    arrow = {"arrowstyle": "->", "color": _EDGE, "lw": 0.9}

    def box(x, y, text, colour, gid):
        ax.add_patch(
            FancyBboxPatch(
                (x - width / 2, y - height / 2),
                width,
                height,
                boxstyle="round,pad=0.02",
                facecolor=colour,
                edgecolor=_EDGE,
                lw=0.8,
            )
        )
        ax.text(x, y, text, ha="center", va="center", fontsize=10, gid=gid)

    top = depth + 0.6
    inputs = " x ".join(str(d) for d in model.inputs[0].shape[1:])
    ax.text(1.2, top + 0.55, f"input {inputs}", ha="center", fontsize=10)
    for level in range(depth):
        y = depth - level
        x_enc, x_dec = 1.2 + 0.55 * level, 6.8 - 0.55 * level
        box(x_enc, y, shape(f"enc{level}_relu2"), "#a6cee3", "encoder")
        box(x_dec, y, shape(f"dec{level}_relu2"), "#fdbf6f", "decoder")
        ax.annotate(
            "",
            (x_enc + 0.55, y - 1 + height / 2),
            (x_enc, y - height / 2),
            arrowprops=arrow,
        )
        ax.annotate(
            "",
            (x_dec, y - height / 2 - 0.02),
            (x_dec - 0.55, y - 1 + height / 2),
            arrowprops=arrow,
        )
        if f"skip{level}" in names:
            ax.annotate(
                "",
                (x_dec - width / 2, y),
                (x_enc + width / 2, y),
                arrowprops={**arrow, "linestyle": "--", "color": _HIGHLIGHT},
                gid="skip",
            )
            ax.text(
                (x_enc + x_dec) / 2,
                y + 0.1,
                "skip: concatenate",
                ha="center",
                fontsize=9,
                color=_HIGHLIGHT,
            )
    box(4.0, 0, shape("bottom_relu2"), "#b2df8a", "bottom")
    ax.text(
        1.2 + 0.55 * (depth - 0.5) - 0.75,
        0.5,
        "max pool\n(halves)",
        ha="right",
        va="center",
        fontsize=9,
    )
    ax.text(
        6.8 - 0.55 * (depth - 0.5) + 0.75,
        0.5,
        "transposed conv\n(doubles)",
        ha="left",
        va="center",
        fontsize=9,
    )
    ax.text(
        6.8,
        top + 0.55,
        "output " + shape("masks") + " (sigmoid)",
        ha="center",
        fontsize=10,
    )
    ax.annotate("", (1.2, depth + height / 2), (1.2, top + 0.45), arrowprops=arrow)
    ax.annotate("", (6.8, top + 0.45), (6.8, depth + height / 2), arrowprops=arrow)
    ax.set_xlim(-0.2, 8.2)
    ax.set_ylim(-0.6, top + 0.9)
    fig.tight_layout()
    return fig


def draw_subpixel(scale: int = 2, size: int = 3):
    """Sub-pixel convolution's last step, depth-to-space: ``scale**2`` feature maps of
    ``size x size`` pixels interleaved into one image ``scale`` times larger.

    Every output pixel is labelled with the channel and the input pixel it comes from;
    the arrangement is computed by ``tf.nn.depth_to_space``, the operation the model
    uses.

    Parameters
    ----------
    scale : int
        Upscaling factor (2 to 4).
    size : int
        Side of each input feature map (2 to 4).

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Taught in: :doc:`ch4_2b_restoration`.
    """
    import matplotlib.pyplot as plt

    from medtutor.runtime import import_tensorflow

    if not (2 <= scale <= 4 and 2 <= size <= 4):
        raise ValueError(f"scale and size must be 2 to 4, got {scale} and {size}")
    tf = import_tensorflow()
    channels = scale**2
    # Code each value as channel * 100 + row * 10 + column, then rearrange.
    c, i, j = np.meshgrid(
        np.arange(channels), np.arange(size), np.arange(size), indexing="ij"
    )
    codes = (c * 100 + i * 10 + j).transpose(1, 2, 0)[None].astype("int32")
    out = tf.nn.depth_to_space(codes, scale).numpy()[0, ..., 0]
    colours = plt.get_cmap("tab10" if channels <= 10 else "tab20")
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(7.2, 3.4), gridspec_kw={"width_ratios": [1, 1.1]}
    )
    for ax in (left, right):
        ax.set_axis_off()
        ax.set_aspect("equal")
    # Left: the channels as a stack of small grids.
    for ch in range(channels):
        ox, oy = (ch % scale) * (size + 0.6), -(ch // scale) * (size + 0.9)
        for a in range(size):
            for b in range(size):
                left.add_patch(
                    plt.Rectangle(
                        (ox + b, oy - a),
                        1,
                        1,
                        facecolor=colours(ch),
                        alpha=0.55,
                        edgecolor="white",
                    )
                )
        left.text(ox + size / 2, oy + 1.15, f"channel {ch}", ha="center", fontsize=9)
    left.set_xlim(-0.3, scale * (size + 0.6))
    left.set_ylim(-(scale - 1) * (size + 0.9) - size + 0.7, 1.7)
    left.set_title(f"{channels} feature maps, {size} x {size}", fontsize=10)
    n = size * scale
    for a in range(n):
        for b in range(n):
            code = int(out[a, b])
            ch, pi, pj = code // 100, code // 10 % 10, code % 10
            right.add_patch(
                plt.Rectangle(
                    (b, -a), 1, 1, facecolor=colours(ch), alpha=0.55, edgecolor="white"
                )
            )
            right.text(
                b + 0.5,
                -a + 0.5,
                f"{pi},{pj}",
                ha="center",
                va="center",
                fontsize=9 if n <= 8 else 7,
                gid=f"px{a}_{b}:{ch}",
            )
    right.set_xlim(0, n)
    right.set_ylim(-n + 1, 1)
    right.set_title(f"depth-to-space: one {n} x {n} image", fontsize=10)
    fig.tight_layout()
    return fig
