"""The lecture's pictures, drawn with matplotlib: the network (forward and backward values), the
reversed network of the backward pass, σ and σ', loss curves, decision boundaries, the cost of
a gradient by backprop against finite differences, and the size of each layer's gradient.

Every function takes an optional `ax` and returns the Figure it drew on. Forward quantities
(x, z, a, ∂z/∂w) are blue, backward ones (δ = ∂C/∂z, ∂C/∂w, σ'(z) as a gain) orange.
The words drawn (D_) and the descriptions (_) are in the language of lecture7.set_language.
"""
import time
import weakref
from dataclasses import dataclass
from itertools import cycle

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, Polygon, Rectangle
from matplotlib.ticker import MaxNLocator

from .activations import get_activation
from .costs import get_cost
from .gradcheck import numerical_gradient
from .i18n import D_, N_, _
from .network import Network, check_network
from .training import History, predict_labels
from .vanishing import GradientNorms

FORWARD = {"dark": "#1f4e99", "light": "#dbe7f6"}
BACKWARD = {"dark": "#b3400b", "light": "#fde3cc"}
STYLE = {"font.size": 11, "axes.titlesize": 12, "axes.labelsize": 11, "legend.fontsize": 10}
MAX_NEURONS, MAX_LAYERS = 6, 6
ANNOTATIONS = (None, "forward", "backward")
TITLES = {   # draw_network's title for each annotate mode
    None: N_("The network: $z = Wa + b$, $a = \\sigma(z)$"),
    "forward": N_("Forward pass: $z$, $a = \\sigma(z)$; on each edge $\\partial z/\\partial w$ = its input"),
    "backward": N_("Backward pass: $\\delta = \\partial C/\\partial z$; "
                   "$\\partial C/\\partial w = \\partial z/\\partial w \\cdot \\partial C/\\partial z$"),
}
DX, DY, R = 2.6, 1.8, 0.3   # layer spacing, neuron spacing, neuron radius (data units)
SCALE, TITLE_ROOM, MIN_WIDTH = 0.9, 0.45, 6.0   # a diagram's inches per data unit, inches above it for the title, least width
SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"
EDGE_FONT, LABEL_GAP = 9, 2.0   # the size of edge labels, and the points kept free around every label
MAX_EDGE_LABELS = 8   # more edges than this between two layers make a web of labels, however they are placed
WIDEST = "−0.000"   # labels are placed with room for a value this wide, so most keep their place when values change
# fractions along an edge where its labels may go, tried in turn: a flat edge from its middle, a slanted
# one off the middle, where the edges of a layer cross
FLAT_SPOTS = (0.5, 0.45, 0.55, 0.4, 0.6, 0.35, 0.65, 0.3, 0.7, 0.25, 0.75)
SLANTED_SPOTS = (0.3, 0.7, 0.25, 0.75, 0.35, 0.65, 0.2, 0.8, 0.4, 0.6, 0.45, 0.55)


def _fmt(v):
    """A value as the slides write it: at most three significant digits, a true minus sign."""
    return f"{float(v):.3g}".replace("-", "−")


def _axes(ax, figsize):
    if ax is not None:
        return ax.figure, ax
    # an opaque white ground: the figure stays readable on a dark notebook theme
    fig, ax = plt.subplots(figsize=figsize, layout="constrained", facecolor="white")
    return fig, ax


# ---- text alternatives: what each figure shows, in words --------------------------------------

_DESCRIPTIONS = weakref.WeakKeyDictionary()   # figure → the descriptions of what was drawn on it


def describe(fig):
    """What the figure shows, in words (its text alternative), or None for a figure this package did not draw.

    A notebook stores this as the figure's text (instead of "<Figure size 600x360 with 1 Axes>"), which
    screen readers and exports without images show.
    """
    return " ".join(_DESCRIPTIONS[fig]) if fig in _DESCRIPTIONS else None


def _described(fig, text):
    _DESCRIPTIONS.setdefault(fig, []).append(text)
    # registered anew with every figure: when pyplot activates the inline backend, IPython drops the
    # formatters of Figure that were there before
    _register_text_alternative()
    return fig


def _figure_text(fig, printer, cycle):
    printer.text(describe(fig) or repr(fig))


def _register_text_alternative():
    """In IPython (a notebook's kernel), show a figure as its description where a text is shown."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["text/plain"].for_type(Figure, _figure_text)


def _values(v):
    return "(" + ", ".join(_fmt(e) for e in np.ravel(v)) + ")"


def _sizes(net):
    return "-".join(map(str, net.sizes))


def network_description(net, x=None, y_hat=None, annotate=None, cost="squared_error", crowded=False):
    """The text alternative of draw_network's diagram."""
    text = _("Diagram of the network {sizes}: its neurons in layers, from the input on the left to the output on the right",
             sizes=_sizes(net))
    if annotate == "forward":
        trace = net.forward(x)
        text += _("; the forward pass for x = {x}: z above each neuron, a = σ(z) inside it, and on each edge its weight w and "
                  "∂z/∂w; the outputs y = {y}.", x=_values(x), y=_values(trace.a[-1]))
    elif annotate == "backward":
        grads = net.backward(net.forward(x), y_hat, cost)
        text += _("; the backward pass for x = {x}, ŷ = {y_hat}: δ = ∂C/∂z above each neuron, and on each edge its weight w "
                  "and ∂C/∂w; δ of the output layer {delta}.", x=_values(x), y_hat=_values(y_hat), delta=_values(grads.delta[-1]))
    else:
        text += _(", each edge labelled with its weight w and each neuron with its bias b.")
    return text + (_(" Layers with too many edges label only the chosen one.") if crowded else "")


def reversed_description(net, x, y_hat, cost="squared_error"):
    """The text alternative of draw_reversed_network's diagram."""
    grads = net.backward(net.forward(x), y_hat, cost)
    return _("The backward pass of the network {sizes} for x = {x}, ŷ = {y_hat}, drawn as a network that runs from the output "
             "on the right to layer 1 on the left: each neuron multiplies what reaches it by its gain σ′(z) and gives δ = ∂C/∂z; "
             "δ of the output layer {output}, of layer 1 {first}.", sizes=_sizes(net), x=_values(x), y_hat=_values(y_hat),
             output=_values(grads.delta[-1]), first=_values(grads.delta[0]))


def _check_drawable(net):
    check_network(net)
    if max(net.sizes) > MAX_NEURONS or len(net.sizes) > MAX_LAYERS:
        raise ValueError(
            _("a network of sizes {sizes} is too large to draw: at most {neurons} neurons a layer and {layers} layers (input "
              "included)", sizes=net.sizes, neurons=MAX_NEURONS, layers=MAX_LAYERS)
        )


def _one_example(net, x, y_hat, cost, backward):
    """The forward trace, and the gradients when `backward`, of one example x with target y_hat."""
    trace = net.forward(x)
    if trace.a[0].ndim != 1:
        raise ValueError(_("a diagram shows one example, x of shape ({n_in},); got shape {shape}", n_in=net.sizes[0],
                           shape=trace.a[0].shape))
    if not backward:
        return trace, None
    if y_hat is None:
        raise ValueError(_("the backward values need the target y_hat (ŷ) as well as x"))
    return trace, net.backward(trace, y_hat, cost)


def _centres(sizes):
    """(x, y) of neuron i in layer l: layers DX apart, neurons DY apart and centred, neuron 1 on top."""
    return [[(l * DX, ((n - 1) / 2 - i) * DY) for i in range(n)] for l, n in enumerate(sizes)]


def _arrow(ax, start, end, colour, lw=1.0):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=10, color=colour, lw=lw, shrinkA=0, shrinkB=0))


def _renderer(fig):
    canvas = fig.canvas
    return canvas.get_renderer() if hasattr(canvas, "get_renderer") else fig._get_renderer()


class _Layout:
    """Where a diagram's texts go, measured in pixels by the figure's renderer: every text placed and
    every neuron is `taken`, with LABEL_GAP points around it, and a new text goes only where it is free.

    A text is measured as if its value were as wide as WIDEST (or as itself, when wider), so that it
    keeps its place while a widget changes the values; `texts` and `room` keep each value text by its
    key, with the width laid out for it.
    """

    def __init__(self, ax):
        self.ax, self.renderer = ax, _renderer(ax.figure)
        ax.apply_aspect()   # the final data → pixel transform, before anything is measured
        self.gap = LABEL_GAP * ax.figure.dpi / 72
        self.bounds = ax.get_window_extent(self.renderer).extents
        self.taken = np.empty((0, 4))
        self.texts, self.room, self.crowded = {}, {}, False

    def extent(self, text):
        """The pixel box (x0, y0, x1, y1) of `text`, widened to the same text with the widest value."""
        box = text.get_window_extent(self.renderer).extents
        shown = text.get_text()
        head, sep, _value = shown.rpartition("=")
        text.set_text(f"{head}{sep}{WIDEST}")
        wide = text.get_window_extent(self.renderer).extents
        text.set_text(shown)
        return np.array([min(box[0], wide[0]), box[1], max(box[2], wide[2]), box[3]])

    def is_free(self, box):
        b = box + np.array([-self.gap, -self.gap, self.gap, self.gap])
        inside = b[0] >= self.bounds[0] and b[1] >= self.bounds[1] and b[2] <= self.bounds[2] and b[3] <= self.bounds[3]
        t = self.taken
        return inside and not np.any((t[:, 0] < b[2]) & (t[:, 2] > b[0]) & (t[:, 1] < b[3]) & (t[:, 3] > b[1]))

    def take(self, box):
        self.taken = np.vstack([self.taken, box])

    def take_patch(self, patch):
        self.take(patch.get_window_extent(self.renderer).extents)

    def fixed_text(self, x, y, label, gid, key=None, **kw):
        """A text whose place is fixed (in or beside its neuron), taken with room for wider values."""
        text = self.ax.text(x, y, label, gid=gid, **kw)
        box = self.extent(text)
        self.take(box)
        if key is not None:
            self.texts[key], self.room[key] = text, box[2] - box[0]

    def edge_labels(self, edges, chosen, colour):
        """Label every edge of one layer of weights, each where its labels are free; when some edge finds
        no free place, or there are more than MAX_EDGE_LABELS edges, the layer is too crowded and only the
        edge `chosen` is labelled. edges: (key,
        start, end, labels) with key = (l, i, j) for W[l][i, j] and labels {key: text} drawn top down."""
        before = self.taken
        # the flattest edges first: they have the least room to move along
        edges = sorted(edges, key=lambda e: abs(e[2][1] - e[1][1]))
        placed = [self._on_edge(*edge, colour) for edge in edges] if len(edges) <= MAX_EDGE_LABELS else [None]
        if all(placed):
            return
        self.crowded = True
        for artists in filter(None, placed):
            for artist in artists:
                artist.remove()
                self.texts = {k: t for k, t in self.texts.items() if t is not artist}
        self.taken = before
        for edge in edges:
            if edge[0] == chosen:
                self._on_edge(*edge, colour)

    def _on_edge(self, key, start, end, labels, colour):
        """Put the labels of the edge start → end on it, at the first of its spots where they are free, on a
        white ground that hides the line beneath them. Returns the artists, or None (nothing drawn)."""
        ax = self.ax
        kw = dict(ha="center", fontsize=EDGE_FONT, gid=f"edge {' '.join(map(str, key))}", zorder=3)
        texts = {k: ax.text(*start, label, va=va, color=c, **kw)
                 for (k, label), va, c in zip(labels.items(), ("bottom", "top"), ("black", colour))}
        # measured once, at the start: the box of a horizontal text moves with its anchor; one pixel
        # above and below the line, so that the two texts do not touch
        apart = np.array([[0, 1], [0, -1]])[:len(texts)]
        boxes = np.array([self.extent(t) for t in texts.values()]) - np.tile(ax.transData.transform(start), 2)
        boxes[:, 1::2] += apart[:, 1:]
        block = np.concatenate([boxes[:, :2].min(axis=0), boxes[:, 2:].max(axis=0)])
        for f in FLAT_SPOTS if np.isclose(start[1], end[1]) else SLANTED_SPOTS:
            anchor = ax.transData.transform(np.add(start, f * np.subtract(end, start)))
            box = block + np.tile(anchor, 2)
            if self.is_free(box):
                for (k, t), position, b in zip(texts.items(), ax.transData.inverted().transform(anchor + apart), boxes):
                    t.set_position(position)
                    self.texts[k], self.room[k] = t, b[2] - b[0]
                self.take(box)
                (x0, y0), (x1, y1) = ax.transData.inverted().transform(box.reshape(2, 2))
                ground = ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor="white", edgecolor="none", zorder=2.5, gid=kw["gid"]))
                return [ground, *texts.values()]
        for t in texts.values():
            t.remove()
        return None


@dataclass
class _Diagram:
    """A drawn diagram, its value texts by key with the width in pixels laid out for each, and whether
    some layer was too crowded to label every edge."""

    figure: Figure
    texts: dict
    room: dict
    crowded: bool

    def relabel(self, labels):
        """Show new values (labels: key → text, from the diagram's labels function). Returns the texts
        that changed, or None when one no longer fits the width laid out for it (then draw anew)."""
        changed = {key: t for key, t in self.texts.items() if t.get_text() != labels[key]}
        for key, t in changed.items():
            t.set_text(labels[key])
        # a value no longer than WIDEST, and without an exponent, is no wider than it: only others are measured
        renderer = _renderer(self.figure)
        if any(not _fits_widest(labels[key]) and t.get_window_extent(renderer).width > self.room[key] + 0.5
               for key, t in changed.items()):
            return None
        return list(changed.values())


def _fits_widest(label):
    value = label.rpartition("=")[2]
    return len(value) <= len(WIDEST) and "e" not in value and value.count("−") <= 1 and value.count(".") <= 1


def _diagram_axes(ax, sizes, first=0, extra_right=0.0):
    """Axes in data units framing layers first, first + 1, … and their labels; on a new figure, one
    unit is SCALE inches and nothing moves after the labels are placed (no layout engine)."""
    half = (max(sizes) - 1) / 2 * DY + R
    x0, x1, y0, y1 = first * DX - 1.2, (len(sizes) - 1) * DX + 1.0 + extra_right, -half - 0.4, half + 0.9
    if ax is None or isinstance(ax, Figure):
        # a new figure (or the empty one given) sized to the diagram, at least MIN_WIDTH wide for the title
        widen = max(0.0, MIN_WIDTH / SCALE - (x1 - x0)) / 2
        x0, x1 = x0 - widen, x1 + widen
        width, height = SCALE * (x1 - x0), SCALE * (y1 - y0)
        fig = plt.figure() if ax is None else ax
        fig.set_size_inches(width, height + TITLE_ROOM)
        fig.set_facecolor("white")
        ax = fig.add_axes((0, 0, 1, height / (height + TITLE_ROOM)))
    ax.set(xlim=(x0, x1), ylim=(y0, y1), aspect="equal")
    ax.axis("off")
    return ax.figure, ax


def draw_network(net, x=None, y_hat=None, annotate=None, cost="squared_error", ax=None, chosen=None):
    """The network as on the slides: neurons in layers, each edge labelled with its weight w.

    annotate=None: weights and biases only. "forward" (needs x): z above each neuron, a = σ(z)
    inside it, and on each edge ∂z/∂w, which is the input on that edge. "backward" (needs x and
    the target y_hat): δ = ∂C/∂z above each neuron and ∂C/∂w = ∂z/∂w · ∂C/∂z on each edge. At
    most 6 neurons a layer and 6 layers. A layer of weights with too many edges to label each one
    without overlaps shows only the labels of the edge `chosen` = (l, i, j), that of W[l][i, j].
    """
    diagram = _network_diagram(net, x, y_hat, annotate, cost, ax, chosen)
    return _described(diagram.figure, network_description(net, x, y_hat, annotate, cost, diagram.crowded))


def _network_labels(net, x=None, y_hat=None, annotate=None, cost="squared_error"):
    """The value texts of draw_network by key: ("in", 0, i) inside input i, ("a" | "z" | "b" | "delta",
    l, i) on neuron i of layer l, ("w" | "dw", l, i, j) on the edge of W[l][i, j] (dw: ∂z/∂w or ∂C/∂w).

    Value texts are plain text (δ, ∂ and σ′ are characters of the font), not mathtext: a widget changes
    many of them at once, and mathtext parses every new one anew, at some 2 ms a text."""
    _check_drawable(net)
    if annotate not in ANNOTATIONS:
        raise ValueError(_("unknown annotate mode {annotate!r}; valid modes: {modes}", annotate=annotate, modes=list(ANNOTATIONS)))
    if annotate and x is None:
        raise ValueError(_("annotate={annotate!r} needs the input x of one example", annotate=annotate))
    trace, grads = _one_example(net, x, y_hat, cost, annotate == "backward") if annotate else (None, None)
    labels = {("in", 0, i): _fmt(trace.a[0][i]) if annotate else rf"$x_{i + 1}$" for i in range(net.sizes[0])}
    for l, (W, b) in enumerate(zip(net.weights, net.biases)):
        for i in range(len(b)):
            labels["b", l + 1, i] = f"b={_fmt(b[i])}"
            if annotate == "forward":
                labels["a", l + 1, i] = _fmt(trace.a[l + 1][i])
                labels["z", l + 1, i] = f"z={_fmt(trace.z[l][i])}"
            elif annotate == "backward":
                labels["delta", l + 1, i] = f"δ={_fmt(grads.delta[l][i])}"
            for j in range(W.shape[1]):
                labels["w", l, i, j] = f"w={_fmt(W[i, j])}"
                if annotate == "forward":
                    labels["dw", l, i, j] = f"∂z/∂w={_fmt(trace.a[l][j])}"
                elif annotate == "backward":
                    labels["dw", l, i, j] = f"∂C/∂w={_fmt(grads.dW[l][i, j])}"
    return labels


def _network_diagram(net, x, y_hat, annotate, cost, ax, chosen):
    labels = _network_labels(net, x, y_hat, annotate, cost)
    with plt.rc_context(STYLE):
        fig, ax = _diagram_axes(ax, net.sizes)
        layout = _Layout(ax)
        colour = BACKWARD if annotate == "backward" else FORWARD
        ax.set_title(D_(TITLES[annotate]))
        centres = _centres(net.sizes)
        # fixed places: what is in, above and below each neuron (above: z or δ, the same place)
        places = {"in": (0, "center", 11, FORWARD["dark"]), "a": (0, "center", 10, FORWARD["dark"]),
                  "b": (-R - 0.05, "top", 9, "0.35"), "z": (R + 0.05, "bottom", 11, FORWARD["dark"]),
                  "delta": (R + 0.05, "bottom", 11, BACKWARD["dark"])}
        for l, layer in enumerate(centres):
            for i, (cx, cy) in enumerate(layer):
                gid = f"neuron {l} {i}"
                layout.take_patch(ax.add_patch(Circle((cx, cy), R, facecolor=colour["light"] if annotate else "white",
                                                      edgecolor=colour["dark"], lw=1.5, gid=gid, zorder=2)))
                for kind, (dy, va, size, c) in places.items():
                    if (kind, l, i) in labels:
                        layout.fixed_text(cx, cy + dy, labels[kind, l, i], gid, (kind, l, i), ha="center", va=va, fontsize=size, color=c, zorder=3)
        for l, W in enumerate(net.weights):
            edges = []
            for i, q in enumerate(centres[l + 1]):
                for j, p in enumerate(centres[l]):
                    u = np.subtract(q, p) / np.hypot(*np.subtract(q, p))
                    start, end = p + R * u, q - R * u
                    _arrow(ax, start, end, "0.45")
                    edges.append(((l, i, j), start, end, {k: labels[k] for k in (("w", l, i, j), ("dw", l, i, j)) if k in labels}))
            layout.edge_labels(edges, chosen, colour["dark"])
    return _Diagram(fig, layout.texts, layout.room, layout.crowded)


def draw_reversed_network(net, x, y_hat, cost="squared_error", ax=None, chosen=None):
    """The backward pass drawn as a network that runs from the output back to the input.

    Its inputs, on the right, are ∂C/∂y. Each neuron multiplies the sum Σ w ∂C/∂z' that reaches it,
    along the same weights as the forward network, by a constant gain σ'(z) fixed by the forward
    pass, and gives δ = ∂C/∂z = σ'(z) [w₃ ∂C/∂z' + w₄ ∂C/∂z'']. With sigmoid that gain is
    σ(z)(1 − σ(z)) ≤ 1/4, so every such neuron attenuates what reaches it. A softmax output couples
    its neurons, so there the inputs are δ of the output layer itself. `chosen` as in draw_network.
    """
    fig = _reversed_diagram(net, x, y_hat, cost, ax, chosen).figure
    return _described(fig, reversed_description(net, x, y_hat, cost))


def _reversed_labels(net, x, y_hat, cost="squared_error"):
    """The value texts of draw_reversed_network by key: ("delta" | "gain", l, i) on neuron i of layer l,
    ("input", L, k) at the input beside output k, ("w", l, k, j) on the edge of W[l][k, j]."""
    _check_drawable(net)
    trace, grads = _one_example(net, x, y_hat, cost, True)
    L = len(net.weights)
    softmax_out = net.activations[-1].name == "softmax"
    labels = {}
    for l in range(1, L + 1):
        if not (softmax_out and l == L):
            for i, gain in enumerate(net.activations[l - 1].df(trace.z[l - 1], trace.a[l])):
                labels["gain", l, i] = f"σ′(z)={_fmt(gain)}"
        for i, delta in enumerate(grads.delta[l - 1]):
            labels["delta", l, i] = f"δ={_fmt(delta)}"
    if softmax_out:
        inputs, name = grads.delta[-1], "∂C/∂z"
    else:
        # an elementwise output: its neurons are gains like the others, fed with ∂C/∂y
        dC_da = get_cost(cost, net.activations[-1]).dC_da
        inputs, name = dC_da(trace.a[-1], np.asarray(y_hat, dtype=net.dtype)), "∂C/∂y"
    for k, value in enumerate(inputs):
        labels["input", L, k] = f"{name}{SUBSCRIPTS[k + 1]}\n={_fmt(value)}"
    for l in range(1, L):
        for (k, j), w in np.ndenumerate(net.weights[l]):
            labels["w", l, k, j] = f"w={_fmt(w)}"
    return labels


def _reversed_diagram(net, x, y_hat, cost, ax, chosen):
    labels = _reversed_labels(net, x, y_hat, cost)
    with plt.rc_context(STYLE):
        fig, ax = _diagram_axes(ax, net.sizes, first=1, extra_right=1.6)
        layout = _Layout(ax)
        ax.set_title(D_("Reversed network: $\\delta = \\sigma'(z)\\,\\sum w\\,\\partial C/\\partial z'$"))
        centres = _centres(net.sizes)
        L = len(net.weights)
        layout.fixed_text(DX * 0.6 - 0.1, (max(net.sizes) - 1) / 2 * DY + R + 0.6, D_("← backward pass runs from the output to the input"),
                          "direction", ha="left", fontsize=9, color="0.35")
        for l in range(1, L + 1):
            for i, (cx, cy) in enumerate(centres[l]):
                gid = f"neuron {l} {i}"
                style = dict(facecolor=BACKWARD["light"], edgecolor=BACKWARD["dark"], lw=1.5, gid=gid, zorder=2)
                if ("gain", l, i) in labels:
                    # a gain stage: a triangle (the circuit symbol) pointing left, the direction the backward pass runs
                    stage = Polygon([(cx - R, cy), (cx + R, cy + R), (cx + R, cy - R)], **style)
                    layout.fixed_text(cx + 0.1, cy - R - 0.05, labels["gain", l, i], gid, ("gain", l, i), ha="center", va="top", fontsize=9, color="0.25")
                else:   # a softmax output neuron
                    stage = Circle((cx, cy), R, **style)
                layout.take_patch(ax.add_patch(stage))
                layout.fixed_text(cx, cy + R + 0.05, labels["delta", l, i], gid, ("delta", l, i), ha="center", va="bottom", color=BACKWARD["dark"])
        for k, (cx, cy) in enumerate(centres[L]):
            start = (cx + DX * 0.55, cy)
            _arrow(ax, start, (cx + R, cy), BACKWARD["dark"], lw=1.2)
            layout.fixed_text(start[0] + 0.05, cy, labels["input", L, k], f"input {k}", ("input", L, k), ha="left", va="center", color=BACKWARD["dark"])
        for (cx, cy) in centres[1]:
            _arrow(ax, (cx - R, cy), (cx - DX * 0.4, cy), BACKWARD["dark"], lw=1.2)
        for l in range(1, L):
            edges = []
            for k, p in enumerate(centres[l + 1]):
                for j, q in enumerate(centres[l]):
                    tip, rim = (p[0] - R, p[1]), (q[0] + R, q[1])
                    _arrow(ax, tip, rim, BACKWARD["dark"])
                    edges.append(((l, k, j), tip, rim, {("w", l, k, j): labels["w", l, k, j]}))
            layout.edge_labels(edges, chosen, None)
    return _Diagram(fig, layout.texts, layout.room, layout.crowded)


def plot_activation(name="sigmoid", z_range=(-6.0, 6.0), ax=None):
    """σ(z) and its derivative σ'(z) for a hidden activation of the registry."""
    act = get_activation(name)
    lo, hi = z_range
    if not lo < hi:
        raise ValueError(_("z_range must be (low, high) with low < high; got {z_range}", z_range=z_range))
    with plt.rc_context(STYLE):
        fig, ax = _axes(ax, (6, 3.6))
        z = np.linspace(lo, hi, 401)
        a = act.f(z)
        ax.plot(z, a, color=FORWARD["dark"], lw=2, label=rf"$\sigma(z)$ ({name})")
        ax.plot(z, act.df(z, a), color=BACKWARD["dark"], lw=2, ls="--", label=r"$\sigma'(z) = \partial a/\partial z$")
        ax.axhline(0, color="0.8", lw=0.8, zorder=0)
        ax.axvline(0, color="0.8", lw=0.8, zorder=0)
        ax.set_xlabel("$z$")
        ax.set_title(D_("{name} and its derivative", name=name))
        ax.legend(loc="best")
    slope = act.df(z, a)
    return _described(fig, _("σ(z) = {name}(z) and its derivative σ′(z) for z from {low} to {high}: σ goes from {first} to {last}; "
                             "σ′ is largest, {largest}, first at z = {where}.", name=name, low=_fmt(lo), high=_fmt(hi), first=_fmt(a[0]),
                             last=_fmt(a[-1]), largest=_fmt(slope.max()), where=_fmt(z[slope.argmax()])))


def plot_history(history, ax=None):
    """The loss L per epoch (and the validation loss); accuracy in a second panel when recorded."""
    if not isinstance(history, History):
        raise TypeError(_("history must be the History that lecture7.train returns; got {type}", type=type(history).__name__))
    if history.epochs == 0:
        raise ValueError(_("history has no entries: train for at least one epoch before plotting it"))
    with plt.rc_context(STYLE):
        has_accuracy = bool(history.accuracy)
        if ax is not None:
            fig, axes = ax.figure, [ax]
        else:
            fig, axes = plt.subplots(1, 1 + has_accuracy, figsize=(5 + 4.5 * has_accuracy, 3.6), layout="constrained", squeeze=False)
            axes = list(axes[0])
        epochs = np.arange(1, history.epochs + 1)
        axes[0].plot(epochs, history.loss, color=BACKWARD["dark"], label=D_("training"))
        if history.val_loss:
            axes[0].plot(epochs, history.val_loss, color=BACKWARD["dark"], ls="--", label=D_("validation"))
        axes[0].set(xlabel=D_("epoch"), ylabel=r"$L = \sum_n C^n$", title=D_("Loss"))
        for ax in axes:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes[0].legend()
        if has_accuracy and len(axes) > 1:
            axes[1].plot(epochs, history.accuracy, color=FORWARD["dark"], label=D_("training"))
            if history.val_accuracy:
                axes[1].plot(epochs, history.val_accuracy, color=FORWARD["dark"], ls="--", label=D_("validation"))
            axes[1].set(xlabel=D_("epoch"), ylabel=D_("accuracy"), title=D_("Accuracy"), ylim=(0, 1.02))
            axes[1].legend()
    return _described(fig, history_description(history, accuracy=has_accuracy and len(axes) > 1))


def history_description(history, accuracy=True):
    """The text alternative of plot_history's figure (with the accuracy panel, or without)."""
    text = _("The loss L per epoch over {epochs} epochs: from {first} to {last}", epochs=history.epochs,
             first=_fmt(history.loss[0]), last=_fmt(history.loss[-1]))
    if history.val_loss:
        text += _(" (validation from {first} to {last})", first=_fmt(history.val_loss[0]), last=_fmt(history.val_loss[-1]))
    if accuracy and history.accuracy:
        text += _("; the accuracy from {first:.0%} to {last:.0%}", first=history.accuracy[0], last=history.accuracy[-1])
        if history.val_accuracy:
            text += _(" (validation {last:.0%} at the end)", last=history.val_accuracy[-1])
    return text + _(".")


def plot_decision_boundary(net, X, labels, resolution=200, ax=None):
    """The class the network picks at every point of the plane, with the examples on top. X: (n, 2)."""
    check_network(net)
    if net.sizes[0] != 2:
        raise ValueError(_("a decision boundary is drawn in the plane: the network needs 2 inputs; it has {n_in}", n_in=net.sizes[0]))
    X, labels = np.asarray(X, dtype=float), np.asarray(labels)
    if X.ndim != 2 or X.shape[1] != 2 or labels.shape != (len(X),):
        raise ValueError(_("X must have shape (n, 2) and labels shape (n,); got {X} and {labels}", X=X.shape, labels=labels.shape))
    with plt.rc_context(STYLE):
        fig, ax = _axes(ax, (5, 4.4))
        decision_regions(net, X, labels, ax, resolution)
        n_classes = max(int(labels.max()) + 1, net.sizes[-1], 2)
        cmap = plt.get_cmap("tab10")
        for c in range(n_classes):
            ax.scatter(*X[labels == c].T, s=14, color=cmap(c), edgecolor="white", lw=0.4, label=D_("class {c}", c=c))
        ax.set(xlabel="$x_1$", ylabel="$x_2$", title=D_("Decision boundary"))
        ax.legend(loc="best")
    return _described(fig, decision_description(net, X, labels))


def decision_description(net, X, labels):
    """The text alternative of plot_decision_boundary's figure."""
    labels = np.asarray(labels)
    n_classes = max(int(labels.max()) + 1, net.sizes[-1], 2)
    right = np.mean(predict_labels(net.predict(np.asarray(X, dtype=float))) == labels)
    return _("Decision boundary: the class the network picks at every point of the plane, coloured, with the {n} examples of "
             "{classes} classes on top; it picks the right class for {right:.0%} of them.", n=len(X), classes=n_classes, right=right)


def decision_regions(net, X, labels, ax, resolution=200):
    """Fill the plane around the examples X with the colour of the class the network picks there; returns the ContourSet."""
    pad = 0.1 * (X.max(axis=0) - X.min(axis=0)) + 0.1
    lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
    g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    grid_labels = predict_labels(net.predict(np.column_stack([g0.ravel(), g1.ravel()])))
    n_classes = max(int(labels.max()) + 1, net.sizes[-1], 2)
    cmap = plt.get_cmap("tab10")
    return ax.contourf(g0, g1, grid_labels.reshape(g0.shape), levels=np.arange(n_classes + 1) - 0.5,
                       colors=[cmap(c) for c in range(n_classes)], alpha=0.25)


@dataclass(frozen=True)
class GradientCost:
    """Seconds for one gradient, by backprop and by central differences, per network size."""

    n_params: list
    backprop: list
    finite_differences: list


def measure_gradient_cost(widths=(2, 4, 8, 16, 32), n_in=16, depth=2, repeats=3, seed=0):
    """Time one gradient of networks [n_in, width × depth, 2] both ways (the median of `repeats`).

    Finite differences run the forward pass twice per parameter; backprop runs it once, then the
    backward pass, whatever the number of parameters.
    """
    rng = np.random.default_rng(seed)
    result = GradientCost([], [], [])
    for width in widths:
        net = Network([n_in] + [width] * depth + [2], seed=seed)
        x, y_hat = rng.standard_normal(n_in), rng.random(2)
        result.n_params.append(net.n_params)
        result.backprop.append(_median_time(lambda: net.backward(net.forward(x), y_hat), repeats))
        result.finite_differences.append(_median_time(lambda: numerical_gradient(net, x, y_hat), repeats))
    return result


def _median_time(f, repeats):
    times = []
    for _repeat in range(repeats):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def plot_gradient_cost(cost, ax=None):
    """Log-log: seconds for one gradient against the number of parameters, both ways."""
    if not isinstance(cost, GradientCost):
        raise TypeError(_("cost must be the GradientCost that measure_gradient_cost returns; got {type}", type=type(cost).__name__))
    if not cost.n_params:
        raise ValueError(_("cost has no measurements"))
    with plt.rc_context(STYLE):
        fig, ax = _axes(ax, (5.5, 4))
        ax.loglog(cost.n_params, cost.finite_differences, "o-", color="0.3", label=D_("finite differences"))
        ax.loglog(cost.n_params, cost.backprop, "o-", color=BACKWARD["dark"], label=D_("backpropagation"))
        ratio = cost.finite_differences[-1] / cost.backprop[-1]
        ax.annotate(f"×{ratio:,.0f}", (cost.n_params[-1], np.sqrt(cost.finite_differences[-1] * cost.backprop[-1])), ha="right", color="0.3")
        ax.set(xlabel=D_("number of parameters"), ylabel=D_("seconds for one gradient"), title=D_("The cost of one gradient"))
        ax.legend(loc="upper left")
    return _described(fig, _("Seconds for one gradient by finite differences and by backpropagation against the number of "
                             "parameters, {first:,} to {last:,}, on log scales; at {last:,} parameters finite differences take "
                             "{ratio:,.0f} times as long.", first=cost.n_params[0], last=cost.n_params[-1], ratio=ratio))


def plot_gradient_norms(norms, ax=None):
    """‖dWˡ‖ against the layer l on a log scale, one line per entry of `norms` (a dict: label → GradientNorms)."""
    if not isinstance(norms, dict) or not norms or not all(isinstance(n, GradientNorms) for n in norms.values()):
        raise TypeError(_("norms must be a non-empty dict of label → GradientNorms (from vanishing.gradient_norms)"))
    with plt.rc_context(STYLE):
        fig, ax = _axes(ax, (6, 3.6))
        for (label, n), marker in zip(norms.items(), cycle("osd^v")):
            ax.semilogy(np.arange(1, len(n.dW) + 1), n.dW, marker=marker, label=label)
        ax.set(xlabel=D_("layer $l$, from the first hidden layer to the output layer"), ylabel=r"$\|\partial C/\partial W^l\|$",
               title=D_("Gradient size per layer"))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend()
    each = _("; ").join(_("{label} from {first} in layer 1 to {last} in layer {layers}", label=label, first=_fmt(n.dW[0]),
                          last=_fmt(n.dW[-1]), layers=len(n.dW)) for label, n in norms.items())
    return _described(fig, _("The size of the gradient ‖∂C/∂Wˡ‖ per layer l, on a log scale: {each}.", each=each))
