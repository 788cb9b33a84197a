"""ipywidgets that make each equation of the lecture something to play with.

Each widget is a `Panel`: controls, a readout table of the numbers the package computed for the
current setting, and a figure, all redrawn when a control moves. The computation behind each
readout is a plain function (`chain_rule_example`, `network_with_weight`, `train_example`), so
tests and notebooks can call it without a browser; tests drive a panel through `.controls`.
"""
import io

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from . import plots
from .activations import ACTIVATIONS
from .chain_rule import chain_rule_case1, chain_rule_case2
from .datasets import Dataset, two_moons
from .gradcheck import numerical_gradient
from .network import LECTURE_INPUT, LECTURE_WEIGHTS, Network, lecture_network
from .training import accuracy, train

DPI = 90


class Panel(widgets.VBox):
    """Controls, a readout and a figure; `render(figure, **values)` draws and returns the readout rows.

    title names the widget. controls: name → widget whose `.value` is passed to render under that
    name. extras: more widgets for the control row (a button, a progress bar) that render does not
    read. With live=True any control change redraws; otherwise call `refresh` (a button does).
    """

    def __init__(self, title, controls, render, figsize, extras=(), live=True):
        self.title, self.controls, self._render = title, controls, render
        self.figure = Figure(figsize=figsize, layout="constrained")
        self.readout = widgets.HTMLMath()
        self.image = widgets.Image(format="png")
        self.draws, self._drawn_for = 0, None
        row = widgets.HBox([*controls.values(), *extras], layout=widgets.Layout(flex_flow="row wrap"))
        super().__init__([row, self.readout, self.image])
        if live:
            for control in controls.values():
                control.observe(lambda change: self.refresh(), names="value")
        self.refresh()

    def __repr__(self):
        # the text a notebook stores and shows wherever no kernel draws the widget (GitHub, an unrun notebook)
        return f"[{self.title}: run this cell in JupyterLab to use it]"

    @property
    def values(self):
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self, force=False):
        """Redraw for the current control values (skipped when nothing changed, unless `force`)."""
        values = self.values
        if values == self._drawn_for and not force:
            return
        self.figure.clear()
        self.readout.value = readout_table(self._render(self.figure, **values))
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=DPI)
        self.image.value = buffer.getvalue()
        self.draws, self._drawn_for = self.draws + 1, values


def readout_table(rows):
    """HTML for rows of (label in LaTeX, number or text): numbers shown to 6 significant digits."""
    cells = "".join(
        f"<tr><td style='padding-right:1.5em'>{label}</td><td>{value if isinstance(value, str) else format(float(value), '.6g')}</td></tr>"
        for label, value in rows
    )
    return f"<table>{cells}</table>"


# ---- chain rule 連鎖律 ---------------------------------------------------------------------

def chain_rule_example(case, point):
    """The notes' two cases on fixed example functions, at `point` (x for case 1, s for case 2).

    Case 1: y = g(x) = x², z = h(y) = sin y.  Case 2: x = g(s) = s², y = h(s) = sin s, z = k(x, y) = x·y.
    Returns lecture7.chain_rule_case1 / chain_rule_case2's result, with exact local derivatives.
    """
    if case == 1:
        return chain_rule_case1(np.square, np.sin, point, dg=lambda x: 2 * x, dh=np.cos)
    if case == 2:
        return chain_rule_case2(np.square, np.sin, lambda x, y: x * y, point, dg=lambda s: 2 * s, dh=np.cos,
                                dk_dx=lambda x, y: y, dk_dy=lambda x, y: x)
    raise ValueError(f"case must be 1 or 2; got {case!r}")


def _render_chain_rule(figure, case, point):
    r = chain_rule_example(case, point)
    if case == 1:
        composed, name, rows = (lambda t: np.sin(t ** 2)), "$z = h(g(x)) = \\sin x^2$", [
            ("$x$", r.x), ("$y = g(x) = x^2$", r.y), ("$z = h(y) = \\sin y$", r.z),
            ("$dy/dx$", r.dy_dx), ("$dz/dy$", r.dz_dy),
            ("$dz/dx = \\dfrac{dz}{dy}\\cdot\\dfrac{dy}{dx}$", r.dz_dx), ("finite difference", r.finite_difference)]
        slope = r.dz_dx
    else:
        composed, name, rows = (lambda t: t ** 2 * np.sin(t)), "$z = k(g(s), h(s)) = s^2 \\sin s$", [
            ("$s$", r.s), ("$x = g(s) = s^2$", r.x), ("$y = h(s) = \\sin s$", r.y), ("$z = k(x, y) = xy$", r.z),
            ("$dx/ds$", r.dx_ds), ("$dy/ds$", r.dy_ds), ("$\\partial z/\\partial x$", r.dz_dx), ("$\\partial z/\\partial y$", r.dz_dy),
            ("$dz/ds = \\dfrac{\\partial z}{\\partial x}\\dfrac{dx}{ds} + \\dfrac{\\partial z}{\\partial y}\\dfrac{dy}{ds}$", r.dz_ds),
            ("finite difference", r.finite_difference)]
        slope = r.dz_ds
    ax = figure.add_subplot()
    t = np.linspace(-2.5, 2.5, 301)
    ax.plot(t, composed(t), color=plots.FORWARD["dark"], lw=2, label=name)
    ax.plot(t, r.z + slope * (t - point), color=plots.BACKWARD["dark"], ls="--", label=f"slope from the chain rule: {slope:.4g}")
    ax.plot([point], [r.z], "o", color=plots.BACKWARD["dark"])
    ax.set(xlabel="$x$" if case == 1 else "$s$", ylim=(-4, 6), title=f"Chain rule, case {case}")
    ax.legend(loc="upper center")
    return rows


def chain_rule_widget(case=1, point=0.8):
    """Choose case 1 or 2 and the point; see each factor, their product and a finite difference."""
    controls = {
        "case": widgets.ToggleButtons(options=[("case 1", 1), ("case 2", 2)], value=case, description="chain rule"),
        "point": widgets.FloatSlider(value=point, min=-2, max=2, step=0.05, description="x or s"),
    }
    return Panel("the chain-rule widget", controls, _render_chain_rule, figsize=(6, 3.6))


# ---- the lecture network with one weight changed ------------------------------------------

WEIGHT_CHOICES = [
    (f"layer {l + 1}: input {j + 1} → neuron {i + 1}", (l, i, j))
    for l, W in enumerate(LECTURE_WEIGHTS) for i in range(len(W)) for j in range(len(W[0]))
]


def network_with_weight(weight, value):
    """The lecture network with W[l][i, j] set to `value`, for weight = (l, i, j)."""
    l, i, j = weight
    net = lecture_network()
    net.weights[l][i, j] = value
    return net


def _lecture_weight(weight):
    l, i, j = weight
    return LECTURE_WEIGHTS[l][i][j]


def _weight_controls(weight):
    """A choice of weight and a slider for its value; choosing a weight puts its lecture value on the slider."""
    choice = widgets.Dropdown(options=WEIGHT_CHOICES, value=weight, description="weight", layout=widgets.Layout(width="20em"))
    slider = widgets.FloatSlider(value=_lecture_weight(weight), min=-5, max=5, step=0.1, description="its value")
    # registered before the panel's own observer, so the panel draws once, with the new value
    choice.observe(lambda change: setattr(slider, "value", _lecture_weight(change.new)), names="value")
    return {"weight": choice, "value": slider}


def _render_forward(figure, x1, x2, weight, value):
    net = network_with_weight(weight, value)
    x = (x1, x2)
    trace = net.forward(x)
    plots.draw_network(net, x, annotate="forward", ax=figure.add_subplot())
    l, i, j = weight
    return [("$y_1$", trace.a[-1][0]), ("$y_2$", trace.a[-1][1]),
            (f"$z$ of neuron {i + 1} in layer {l + 1}", trace.z[l][i]),
            ("$\\partial z/\\partial w$ of the chosen weight (its input)", trace.a[l][j])]


def forward_widget(weight=(0, 0, 0)):
    """Sliders for the inputs x₁, x₂ and one chosen weight; the annotated diagram redraws."""
    controls = {
        "x1": widgets.FloatSlider(value=LECTURE_INPUT[0], min=-3, max=3, step=0.1, description="$x_1$"),
        "x2": widgets.FloatSlider(value=LECTURE_INPUT[1], min=-3, max=3, step=0.1, description="$x_2$"),
        **_weight_controls(weight),
    }
    return Panel("the forward-pass widget", controls, _render_forward, figsize=(9.5, 3.4))


def _render_backward(figure, weight, value, y_hat1, y_hat2):
    net = network_with_weight(weight, value)
    x, y_hat = LECTURE_INPUT, (y_hat1, y_hat2)
    trace = net.forward(x)
    grads = net.backward(trace, y_hat)
    l, i, j = weight
    plots.draw_reversed_network(net, x, y_hat, ax=figure.add_subplot())
    return [("$C = \\frac{1}{2}\\sum_k (y_k - \\hat y_k)^2$", net.loss(x, y_hat)),
            ("$\\partial z/\\partial w$ (forward pass)", trace.a[l][j]),
            ("$\\partial C/\\partial z$ (backward pass)", grads.delta[l][i]),
            ("$\\partial C/\\partial w$ by backpropagation", grads.dW[l][i, j]),
            ("$\\partial C/\\partial w$ by finite differences", numerical_gradient(net, x, y_hat).dW[l][i, j])]


def backward_widget(weight=(0, 0, 0)):
    """Sliders for a weight and the target ŷ; the reversed network redraws, and ∂C/∂w by
    backprop sits beside its finite-difference value. The input is the lecture's (1, −1)."""
    controls = {
        **_weight_controls(weight),
        "y_hat1": widgets.FloatSlider(value=1.0, min=0, max=1, step=0.05, description="$\\hat y_1$"),
        "y_hat2": widgets.FloatSlider(value=0.0, min=0, max=1, step=0.05, description="$\\hat y_2$"),
    }
    return Panel("the backward-pass widget", controls, _render_backward, figsize=(9.5, 3.4))


# ---- training ------------------------------------------------------------------------------

def train_example(dataset, hidden, activation, learning_rate, epochs=60, batch_size=32, seed=0, progress=None):
    """Train [2, hidden, n_classes] (softmax and cross-entropy) on a seeded 75/25 split of `dataset`.

    Returns (net, history, test_accuracy); history holds the test set as its validation.
    """
    if not isinstance(dataset, Dataset):
        raise TypeError(f"dataset must be a lecture7.datasets.Dataset; got {type(dataset).__name__}")
    train_set, test_set = dataset.split(seed=seed)
    net = Network([dataset.X.shape[1], hidden, dataset.n_classes], activation=activation, output_activation="softmax", seed=seed)
    history = train(net, train_set.X, train_set.Y, "cross_entropy", learning_rate, epochs, batch_size,
                    seed=seed, validation=(test_set.X, test_set.Y), progress=progress)
    return net, history, accuracy(net, test_set.X, test_set.Y)


def training_widget(dataset=None, epochs=60, seed=0):
    """Learning rate, hidden size and activation; the button trains, showing progress, then the
    loss curve and the decision boundary redraw. dataset: a 2-D Dataset (default: two moons)."""
    dataset = two_moons() if dataset is None else dataset
    progress = widgets.IntProgress(value=0, min=0, max=epochs, description="epoch 0")
    button = widgets.Button(description="Train", button_style="primary")

    def report(epoch, history):
        progress.value, progress.description = epoch, f"epoch {epoch}"

    def render(figure, learning_rate, hidden, activation):
        try:
            net, history, test_accuracy = train_example(dataset, hidden, activation, learning_rate, epochs, seed=seed, progress=report)
        except FloatingPointError as error:
            figure.text(0.5, 0.5, "Training diverged: lower the learning rate.", ha="center", color=plots.BACKWARD["dark"])
            return [("training", str(error))]
        left, right = figure.subplots(1, 2)
        plots.plot_decision_boundary(net, dataset.X, dataset.labels, ax=left)
        plots.plot_history(history, ax=right)
        return [("epochs", history.epochs), ("final loss $L$ (training)", history.loss[-1]),
                ("training accuracy", history.accuracy[-1]), ("test accuracy", test_accuracy)]

    controls = {
        "learning_rate": widgets.FloatLogSlider(value=0.1, base=10, min=-3, max=0, step=0.1, description="learning rate"),
        "hidden": widgets.IntSlider(value=8, min=1, max=32, description="hidden size"),
        "activation": widgets.Dropdown(options=sorted(ACTIVATIONS), value="tanh", description="activation"),
    }
    panel = Panel("the training widget", controls, render, figsize=(9.5, 3.8), extras=(button, progress), live=False)
    button.on_click(lambda _: panel.refresh(force=True))
    return panel
