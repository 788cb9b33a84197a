"""The lecture's pictures, drawn with matplotlib: the network (forward and backward values), the
reversed network of the backward pass, σ and σ', loss curves, decision boundaries, the cost of
a gradient by backprop against finite differences, and the size of each layer's gradient.

Every function takes an optional `ax` and returns the Figure it drew on. Forward quantities
(x, z, a, ∂z/∂w) are blue, backward ones (δ = ∂C/∂z, ∂C/∂w, σ'(z) as a gain) orange.
"""
import time
from dataclasses import dataclass
from itertools import cycle

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, Polygon
from matplotlib.ticker import MaxNLocator

from .activations import get_activation
from .costs import get_cost
from .gradcheck import numerical_gradient
from .network import Network
from .training import History, predict_labels
from .vanishing import GradientNorms

FORWARD = {"dark": "#1f4e99", "light": "#dbe7f6"}
BACKWARD = {"dark": "#b3400b", "light": "#fde3cc"}
STYLE = {"font.size": 11, "axes.titlesize": 12, "axes.labelsize": 11, "legend.fontsize": 10}
MAX_NEURONS, MAX_LAYERS = 6, 6
ANNOTATIONS = (None, "forward", "backward")
DX, DY, R = 2.6, 1.5, 0.3   # layer spacing, neuron spacing, neuron radius (data units)


def _fmt(v):
    """A value as the slides write it: at most three significant digits, a true minus sign."""
    return f"{float(v):.3g}".replace("-", "−")


def _axes(ax, figsize):
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return fig, ax


def _check_drawable(net):
    if not isinstance(net, Network):
        raise TypeError(f"net must be a lecture7.Network; got {type(net).__name__}")
    if max(net.sizes) > MAX_NEURONS or len(net.sizes) > MAX_LAYERS:
        raise ValueError(
            f"a network of sizes {net.sizes} is too large to draw: at most {MAX_NEURONS} neurons "
            f"a layer and {MAX_LAYERS} layers (input included)"
        )


def _one_example(net, x, y_hat, cost, backward):
    """The forward trace, and the gradients when `backward`, of one example x with target y_hat."""
    trace = net.forward(x)
    if trace.a[0].ndim != 1:
        raise ValueError(f"a diagram shows one example, x of shape ({net.sizes[0]},); got shape {trace.a[0].shape}")
    if not backward:
        return trace, None
    if y_hat is None:
        raise ValueError("the backward values need the target y_hat (ŷ) as well as x")
    return trace, net.backward(trace, y_hat, cost)


def _centres(sizes):
    """(x, y) of neuron i in layer l: layers DX apart, neurons DY apart and centred, neuron 1 on top."""
    return [[(l * DX, ((n - 1) / 2 - i) * DY) for i in range(n)] for l, n in enumerate(sizes)]


def _arrow(ax, start, end, colour, lw=1.0):
    ax.annotate("", end, start, arrowprops=dict(arrowstyle="-|>", color=colour, shrinkA=0, shrinkB=0, lw=lw))


def _edge(ax, p, q, colour, gap=R):
    """An arrow from the rim of the neuron at p to the rim of the neuron at q."""
    u = (np.subtract(q, p)) / np.hypot(*np.subtract(q, p))
    _arrow(ax, p + gap * u, q - gap * u, colour)


def _edge_labels(ax, p, q, above, below, below_colour, frac=0.3):
    """Texts along the edge p → q, `frac` of the way from p: one above the line, one below."""
    # keep the text upright whichever way the edge runs
    angle = (np.degrees(np.arctan2(q[1] - p[1], q[0] - p[0])) + 90) % 180 - 90
    x, y = p[0] + frac * (q[0] - p[0]), p[1] + frac * (q[1] - p[1])
    kw = dict(rotation=angle, rotation_mode="anchor", ha="center", fontsize=9, transform_rotates_text=True)
    ax.text(x, y, above, va="bottom", color="black", **kw)
    if below:
        ax.text(x, y, below, va="top", color=below_colour, **kw)


def _diagram_axes(ax, sizes, first=0, extra_right=0.0):
    """Axes in data units, one unit about 0.9 inch, framing layers first, first + 1, … and their labels."""
    half = (max(sizes) - 1) / 2 * DY + R
    x0, x1, y0, y1 = first * DX - 1.2, (len(sizes) - 1) * DX + 1.0 + extra_right, -half - 0.4, half + 0.9
    fig, ax = _axes(ax, (0.9 * (x1 - x0), 0.9 * (y1 - y0) + 0.4))
    ax.set(xlim=(x0, x1), ylim=(y0, y1), aspect="equal")
    ax.axis("off")
    return fig, ax


def draw_network(net, x=None, y_hat=None, annotate=None, cost="squared_error", ax=None):
    """The network as on the slides: neurons in layers, each edge labelled with its weight w.

    annotate=None: weights and biases only. "forward" (needs x): z above each neuron, a = σ(z)
    inside it, and on each edge ∂z/∂w, which is the input on that edge. "backward" (needs x and
    the target y_hat): δ = ∂C/∂z above each neuron and ∂C/∂w = ∂z/∂w · ∂C/∂z on each edge. At
    most 6 neurons a layer and 6 layers.
    """
    with plt.rc_context(STYLE):
        return _draw_network(net, x, y_hat, annotate, cost, ax)


def _draw_network(net, x, y_hat, annotate, cost, ax):
    _check_drawable(net)
    if annotate not in ANNOTATIONS:
        raise ValueError(f"unknown annotate mode {annotate!r}; valid modes: {list(ANNOTATIONS)}")
    if annotate and x is None:
        raise ValueError(f"annotate={annotate!r} needs the input x of one example")
    trace, grads = _one_example(net, x, y_hat, cost, annotate == "backward") if annotate else (None, None)
    fig, ax = _diagram_axes(ax, net.sizes)
    centres = _centres(net.sizes)
    colour = BACKWARD if annotate == "backward" else FORWARD
    for l, W in enumerate(net.weights):
        for i, q in enumerate(centres[l + 1]):
            for j, p in enumerate(centres[l]):
                _edge(ax, p, q, "0.45")
                below = None
                if annotate == "forward":
                    below = rf"$\partial z/\partial w$={_fmt(trace.a[l][j])}"
                elif annotate == "backward":
                    below = rf"$\partial C/\partial w$={_fmt(grads.dW[l][i, j])}"
                _edge_labels(ax, p, q, f"w={_fmt(W[i, j])}", below, colour["dark"])
    for l, layer in enumerate(centres):
        for i, (cx, cy) in enumerate(layer):
            ax.add_patch(Circle((cx, cy), R, facecolor=colour["light"] if annotate else "white", edgecolor=colour["dark"], lw=1.5))
            if l == 0:
                ax.text(cx, cy, _fmt(trace.a[0][i]) if annotate else rf"$x_{i + 1}$", ha="center", va="center", color=FORWARD["dark"])
                continue
            ax.text(cx, cy - R - 0.05, f"b={_fmt(net.biases[l - 1][i])}", ha="center", va="top", fontsize=9, color="0.35")
            if annotate == "forward":
                ax.text(cx, cy, _fmt(trace.a[l][i]), ha="center", va="center", color=FORWARD["dark"], fontsize=10)
                ax.text(cx, cy + R + 0.05, f"z={_fmt(trace.z[l - 1][i])}", ha="center", va="bottom", color=FORWARD["dark"])
            elif annotate == "backward":
                ax.text(cx, cy + R + 0.05, rf"$\delta$={_fmt(grads.delta[l - 1][i])}", ha="center", va="bottom", color=BACKWARD["dark"])
    titles = {
        None: "The network: $z = Wa + b$, $a = \\sigma(z)$",
        "forward": "Forward pass: $z$, $a = \\sigma(z)$; on each edge $\\partial z/\\partial w$ = its input",
        "backward": "Backward pass: $\\delta = \\partial C/\\partial z$; $\\partial C/\\partial w = \\partial z/\\partial w \\cdot \\partial C/\\partial z$",
    }
    ax.set_title(titles[annotate])
    return fig


def draw_reversed_network(net, x, y_hat, cost="squared_error", ax=None):
    """The backward pass drawn as a network that runs from the output back to the input.

    Its inputs, on the right, are ∂C/∂y. Each neuron multiplies the sum Σ w ∂C/∂z' that reaches it,
    along the same weights as the forward network, by a constant gain σ'(z) fixed by the forward
    pass, and gives δ = ∂C/∂z = σ'(z) [w₃ ∂C/∂z' + w₄ ∂C/∂z'']. With sigmoid that gain is
    σ(z)(1 − σ(z)) ≤ 1/4, so every such neuron attenuates what reaches it. A softmax output couples
    its neurons, so there the inputs are δ of the output layer itself.
    """
    with plt.rc_context(STYLE):
        return _draw_reversed_network(net, x, y_hat, cost, ax)


def _draw_reversed_network(net, x, y_hat, cost, ax):
    _check_drawable(net)
    trace, grads = _one_example(net, x, y_hat, cost, True)
    fig, ax = _diagram_axes(ax, net.sizes, first=1, extra_right=1.2)
    centres = _centres(net.sizes)
    L = len(net.weights)
    softmax_out = net.activations[-1].name == "softmax"
    for l in range(1, L + 1):
        gain_stages = not (softmax_out and l == L)
        gains = net.activations[l - 1].df(trace.z[l - 1], trace.a[l]) if gain_stages else None
        for i, (cx, cy) in enumerate(centres[l]):
            if not gain_stages:
                ax.add_patch(Circle((cx, cy), R, facecolor=BACKWARD["light"], edgecolor=BACKWARD["dark"], lw=1.5))
            else:
                # a gain stage: a triangle (the circuit symbol) pointing left, the direction the backward pass runs
                ax.add_patch(Polygon([(cx - R, cy), (cx + R, cy + R), (cx + R, cy - R)], facecolor=BACKWARD["light"], edgecolor=BACKWARD["dark"], lw=1.5))
                ax.text(cx + 0.1, cy - R - 0.05, rf"$\sigma'(z)$={_fmt(gains[i])}", ha="center", va="top", fontsize=9, color="0.25")
            ax.text(cx, cy + R + 0.05, rf"$\delta$={_fmt(grads.delta[l - 1][i])}", ha="center", va="bottom", color=BACKWARD["dark"])
    for l in range(1, L):
        W = net.weights[l]
        for k, p in enumerate(centres[l + 1]):
            for j, q in enumerate(centres[l]):
                tip, rim = (p[0] - R, p[1]), (q[0] + R, q[1])
                _arrow(ax, tip, rim, BACKWARD["dark"])
                _edge_labels(ax, tip, rim, f"w={_fmt(W[k, j])}", None, None)
    if softmax_out:
        inputs, label = grads.delta[-1], r"$\partial C/\partial z$"
    else:
        # an elementwise output: its neurons are gains like the others, fed with ∂C/∂y
        dC_da = get_cost(cost, net.activations[-1]).dC_da
        inputs, label = dC_da(trace.a[-1], np.asarray(y_hat, dtype=net.dtype)), r"$\partial C/\partial y$"
    for k, (cx, cy) in enumerate(centres[L]):
        start = (cx + DX * 0.55, cy)
        _arrow(ax, start, (cx + R, cy), BACKWARD["dark"], lw=1.2)
        ax.text(start[0] + 0.05, cy, f"{label}$_{k + 1}$\n={_fmt(inputs[k])}", ha="left", va="center", color=BACKWARD["dark"])
    for (cx, cy) in centres[1]:
        _arrow(ax, (cx - R, cy), (cx - DX * 0.4, cy), BACKWARD["dark"], lw=1.2)
    ax.text(DX * 0.6 - 0.1, (max(net.sizes) - 1) / 2 * DY + R + 0.6, "← backward pass runs from the output to the input", ha="left", fontsize=9, color="0.35")
    title = "Reversed network: $\\delta = \\sigma'(z)\\,\\sum w\\,\\partial C/\\partial z'$"
    ax.set_title(title)
    return fig


def plot_activation(name="sigmoid", z_range=(-6.0, 6.0), ax=None):
    """σ(z) and its derivative σ'(z) for a hidden activation of the registry."""
    act = get_activation(name)
    lo, hi = z_range
    if not lo < hi:
        raise ValueError(f"z_range must be (low, high) with low < high; got {z_range}")
    with plt.rc_context(STYLE):
        fig, ax = _axes(ax, (6, 3.6))
        z = np.linspace(lo, hi, 401)
        a = act.f(z)
        ax.plot(z, a, color=FORWARD["dark"], lw=2, label=rf"$\sigma(z)$ ({name})")
        ax.plot(z, act.df(z, a), color=BACKWARD["dark"], lw=2, ls="--", label=r"$\sigma'(z) = \partial a/\partial z$")
        ax.axhline(0, color="0.8", lw=0.8, zorder=0)
        ax.axvline(0, color="0.8", lw=0.8, zorder=0)
        ax.set_xlabel("$z$")
        ax.set_title(f"{name} and its derivative")
        ax.legend(loc="best")
    return fig


def plot_history(history, ax=None):
    """The loss L per epoch (and the validation loss); accuracy in a second panel when recorded."""
    if not isinstance(history, History):
        raise TypeError(f"history must be the History that lecture7.train returns; got {type(history).__name__}")
    if history.epochs == 0:
        raise ValueError("history has no entries: train for at least one epoch before plotting it")
    with plt.rc_context(STYLE):
        has_accuracy = bool(history.accuracy)
        if ax is not None:
            fig, axes = ax.figure, [ax]
        else:
            fig, axes = plt.subplots(1, 1 + has_accuracy, figsize=(5 + 4.5 * has_accuracy, 3.6), layout="constrained", squeeze=False)
            axes = list(axes[0])
        epochs = np.arange(1, history.epochs + 1)
        axes[0].plot(epochs, history.loss, color=BACKWARD["dark"], label="training")
        if history.val_loss:
            axes[0].plot(epochs, history.val_loss, color=BACKWARD["dark"], ls="--", label="validation")
        axes[0].set(xlabel="epoch", ylabel=r"$L = \sum_n C^n$", title="Loss")
        for ax in axes:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes[0].legend()
        if has_accuracy and len(axes) > 1:
            axes[1].plot(epochs, history.accuracy, color=FORWARD["dark"], label="training")
            if history.val_accuracy:
                axes[1].plot(epochs, history.val_accuracy, color=FORWARD["dark"], ls="--", label="validation")
            axes[1].set(xlabel="epoch", ylabel="accuracy", title="Accuracy", ylim=(0, 1.02))
            axes[1].legend()
    return fig


def plot_decision_boundary(net, X, labels, resolution=200, ax=None):
    """The class the network picks at every point of the plane, with the examples on top. X: (n, 2)."""
    if not isinstance(net, Network):
        raise TypeError(f"net must be a lecture7.Network; got {type(net).__name__}")
    if net.sizes[0] != 2:
        raise ValueError(f"a decision boundary is drawn in the plane: the network needs 2 inputs; it has {net.sizes[0]}")
    X, labels = np.asarray(X, dtype=float), np.asarray(labels)
    if X.ndim != 2 or X.shape[1] != 2 or labels.shape != (len(X),):
        raise ValueError(f"X must have shape (n, 2) and labels shape (n,); got {X.shape} and {labels.shape}")
    with plt.rc_context(STYLE):
        fig, ax = _axes(ax, (5, 4.4))
        pad = 0.1 * (X.max(axis=0) - X.min(axis=0)) + 0.1
        lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
        g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
        grid_labels = predict_labels(net.predict(np.column_stack([g0.ravel(), g1.ravel()])))
        n_classes = max(int(labels.max()) + 1, net.sizes[-1], 2)
        cmap = plt.get_cmap("tab10")
        ax.contourf(g0, g1, grid_labels.reshape(g0.shape), levels=np.arange(n_classes + 1) - 0.5, colors=[cmap(c) for c in range(n_classes)], alpha=0.25)
        for c in range(n_classes):
            ax.scatter(*X[labels == c].T, s=14, color=cmap(c), edgecolor="white", lw=0.4, label=f"class {c}")
        ax.set(xlabel="$x_1$", ylabel="$x_2$", title="Decision boundary")
        ax.legend(loc="best")
    return fig


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
    for _ in range(repeats):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def plot_gradient_cost(cost, ax=None):
    """Log-log: seconds for one gradient against the number of parameters, both ways."""
    if not isinstance(cost, GradientCost):
        raise TypeError(f"cost must be the GradientCost that measure_gradient_cost returns; got {type(cost).__name__}")
    if not cost.n_params:
        raise ValueError("cost has no measurements")
    with plt.rc_context(STYLE):
        fig, ax = _axes(ax, (5.5, 4))
        ax.loglog(cost.n_params, cost.finite_differences, "o-", color="0.3", label="finite differences")
        ax.loglog(cost.n_params, cost.backprop, "o-", color=BACKWARD["dark"], label="backpropagation")
        ratio = cost.finite_differences[-1] / cost.backprop[-1]
        ax.annotate(f"×{ratio:,.0f}", (cost.n_params[-1], np.sqrt(cost.finite_differences[-1] * cost.backprop[-1])), ha="right", color="0.3")
        ax.set(xlabel="number of parameters", ylabel="seconds for one gradient", title="The cost of one gradient")
        ax.legend(loc="upper left")
    return fig


def plot_gradient_norms(norms, ax=None):
    """‖dWˡ‖ against the layer l on a log scale, one line per entry of `norms` (a dict: label → GradientNorms)."""
    if not isinstance(norms, dict) or not norms or not all(isinstance(n, GradientNorms) for n in norms.values()):
        raise TypeError("norms must be a non-empty dict of label → GradientNorms (from vanishing.gradient_norms)")
    with plt.rc_context(STYLE):
        fig, ax = _axes(ax, (6, 3.6))
        for (label, n), marker in zip(norms.items(), cycle("osd^v")):
            ax.semilogy(np.arange(1, len(n.dW) + 1), n.dW, marker=marker, label=label)
        ax.set(xlabel="layer $l$, from the first hidden layer to the output layer", ylabel=r"$\|\partial C/\partial W^l\|$",
               title="Gradient size per layer")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend()
    return fig
