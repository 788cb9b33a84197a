"""Every figure against a committed baseline PNG (pytest-mpl), and the errors of bad arguments.

Regenerate the baselines after an intended change of a figure with `make baselines`, look at
them, and commit them.
"""
import io

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from PIL import Image

import lecture7
from lecture7 import plots, vanishing

compare = pytest.mark.mpl_image_compare(tolerance=2)
LECTURE_X, LECTURE_Y = (1.0, -1.0), (1.0, 0.0)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@compare
def test_network_plain(lecture_net):
    return plots.draw_network(lecture_net)


@compare
def test_network_forward_values(lecture_net):
    return plots.draw_network(lecture_net, LECTURE_X, annotate="forward")


@compare
def test_network_backward_values(lecture_net):
    return plots.draw_network(lecture_net, LECTURE_X, LECTURE_Y, annotate="backward")


@compare
def test_reversed_network(lecture_net):
    return plots.draw_reversed_network(lecture_net, LECTURE_X, LECTURE_Y)


@compare
def test_reversed_network_softmax_output():
    net = lecture7.Network([3, 4, 3], activation="tanh", output_activation="softmax", seed=1)
    return plots.draw_reversed_network(net, (1.0, 0.5, -1.0), (0.0, 1.0, 0.0), cost="cross_entropy")


@compare
@pytest.mark.parametrize("name", sorted(lecture7.ACTIVATIONS))
def test_activation(name):
    return plots.plot_activation(name)


@compare
def test_history():
    history = lecture7.History(loss=[9.0, 5.0, 3.5, 3.0], accuracy=[0.5, 0.75, 0.85, 0.9],
                               val_loss=[3.2, 2.0, 1.5, 1.4], val_accuracy=[0.5, 0.7, 0.8, 0.85])
    return plots.plot_history(history)


@compare
def test_history_regression():
    return plots.plot_history(lecture7.History(loss=[4.0, 2.0, 1.0]))


@compare
def test_decision_boundary():
    data = lecture7.datasets.xor()
    net = lecture7.Network([2, 6, 2], activation="tanh", output_activation="softmax", seed=0)
    lecture7.train(net, data.X, data.Y, "cross_entropy", learning_rate=0.05, epochs=60, batch_size=20)
    return plots.plot_decision_boundary(net, data.X, data.labels, resolution=100)


@compare
def test_gradient_cost():
    n = [50, 500, 5000]
    return plots.plot_gradient_cost(plots.GradientCost(n, [1e-4, 1.5e-4, 4e-4], [2e-3, 3e-2, 5e-1]))


def test_diagram_values_are_the_networks(lecture_net):
    """The numbers on the forward diagram are the lecture's: inputs, z, a and ∂z/∂w = the input."""
    fig = plots.draw_network(lecture_net, LECTURE_X, annotate="forward")
    texts = {t.get_text() for t in fig.axes[0].texts}
    for shown in ["z=4", "z=−2", "0.982", "0.119", "0.864", "0.111", "0.618", "0.829", "∂z/∂w=−1"]:
        assert shown in texts, shown


def test_reversed_network_shows_gains_and_deltas(lecture_net):
    trace = lecture_net.forward(LECTURE_X)
    grads = lecture_net.backward(trace, LECTURE_Y)
    texts = {t.get_text() for t in plots.draw_reversed_network(lecture_net, LECTURE_X, LECTURE_Y).axes[0].texts}
    for l, (z, a) in enumerate(zip(trace.z, trace.a[1:])):
        for gain, delta in zip(a * (1 - a), grads.delta[l]):
            assert f"σ′(z)={plots._fmt(gain)}" in texts
            assert f"δ={plots._fmt(delta)}" in texts
    assert "∂C/∂y₁\n=" + plots._fmt(trace.a[-1][0] - 1) in texts


def overlaps(fig):
    """What makes a diagram unreadable, measured in pixels by matplotlib's renderer after drawing: pairs
    of texts whose boxes overlap, texts on a neuron they do not belong to (their gid names the neuron
    they belong to), and texts not wholly inside the figure."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [t for ax in fig.axes for t in [*ax.texts, ax.title] if t.get_visible() and t.get_text()]
    boxes = [t.get_window_extent(renderer) for t in texts]
    pairs = [(texts[a].get_text(), texts[b].get_text()) for a in range(len(boxes)) for b in range(a)
             if Bbox.intersection(boxes[a], boxes[b]) is not None
             and Bbox.intersection(boxes[a], boxes[b]).width > 0 and Bbox.intersection(boxes[a], boxes[b]).height > 0]
    neurons = [p for ax in fig.axes for p in ax.patches if (p.get_gid() or "").startswith("neuron")]
    on_neurons = [(t.get_text(), p.get_gid()) for p in neurons for t, box in zip(texts, boxes)
                  if t.get_gid() != p.get_gid() and p.get_path().transformed(p.get_transform()).intersects_bbox(box)]
    outside = [t.get_text() for t, box in zip(texts, boxes) if not fig.bbox.contains(box.x0, box.y0) or not fig.bbox.contains(box.x1, box.y1)]
    return pairs, on_neurons, outside


def diagrams(net, chosen=None):
    x = np.linspace(1.0, -1.0, net.sizes[0])
    y_hat = np.linspace(1.0, 0.0, net.sizes[-1])
    yield "plain", plots.draw_network(net, chosen=chosen)
    yield "forward", plots.draw_network(net, x, annotate="forward", chosen=chosen)
    yield "backward", plots.draw_network(net, x, y_hat, annotate="backward", chosen=chosen)
    yield "reversed", plots.draw_reversed_network(net, x, y_hat, chosen=chosen)


def test_the_overlap_measure_sees_overlaps():
    """The measure below would pass by accident if it could not see an overlap: here it must see each kind."""
    fig = plots.draw_network(lecture7.lecture_network(), LECTURE_X, annotate="forward")
    ax, first_input = fig.axes[0], plots._centres(lecture7.lecture_network().sizes)[0][0]
    ax.text(*first_input, "on neuron 1", gid="someone else")          # on the first input neuron, and ...
    ax.text(*first_input, "twice", gid="someone else")                # ... on the text before
    ax.text(ax.get_xlim()[1], 0, "cut off at the right edge")
    pairs, on_neurons, outside = overlaps(fig)
    assert ("twice", "on neuron 1") in pairs and ("twice", "neuron 0 0") in on_neurons
    assert outside == ["cut off at the right edge"]


def test_the_lecture_networks_diagrams_are_readable(lecture_net):
    for mode, fig in diagrams(lecture_net):
        assert overlaps(fig) == ([], [], []), mode
        # and every edge keeps its labels: the lecture network is narrow enough for all of them
        labelled = {t.get_gid() for t in fig.axes[0].texts if (t.get_gid() or "").startswith("edge")}
        assert len(labelled) == (8 if mode == "reversed" else 12), mode
        plt.close(fig)


SHAPES = [[n] * 6 for n in range(1, 7)] + [[3, 4, 4, 2], [2, 6, 1], [6, 1, 6], [1, 6, 6, 1], [5, 3, 6, 2, 4, 1], [2, 2]]


@pytest.mark.parametrize("sizes", SHAPES, ids=lambda s: "-".join(map(str, s)))
def test_every_drawable_network_is_readable(sizes):
    net = lecture7.Network(sizes, seed=1)
    chosen = (len(sizes) // 2 - 1, sizes[len(sizes) // 2] - 1, 0)   # an edge of a middle layer of weights
    for mode, fig in diagrams(net, chosen):
        assert overlaps(fig) == ([], [], []), mode
        edges = {t.get_gid() for t in fig.axes[0].texts if (t.get_gid() or "").startswith("edge")}
        if mode != "reversed" or chosen[0] > 0:
            assert f"edge {' '.join(map(str, chosen))}" in edges, f"{mode}: the chosen edge lost its labels"
        plt.close(fig)


@compare
def test_gradient_norms():
    deep = {name: lecture7.Network([16] + [16] * 8 + [2], activation=name, output_activation="sigmoid", seed=0)
            for name in ("sigmoid", "tanh", "relu")}
    x = np.random.default_rng(0).normal(size=16)
    return plots.plot_gradient_norms({name: vanishing.gradient_norms(net, x, [1.0, 0.0]) for name, net in deep.items()})


def test_reversed_network_is_fed_the_costs_own_dC_dy(lecture_net):
    """Under the binary cross-entropy ∂C/∂y = (y − ŷ) / (y(1 − y)), so that the output gain σ'(z) gives δ = y − ŷ."""
    trace = lecture_net.forward(LECTURE_X)
    y = trace.a[-1]
    texts = {t.get_text() for t in plots.draw_reversed_network(lecture_net, LECTURE_X, LECTURE_Y, cost="binary_cross_entropy").axes[0].texts}
    expected = (y[0] - LECTURE_Y[0]) / (y[0] * (1 - y[0]))
    bce = lambda v: -(LECTURE_Y[0] * np.log(v) + (1 - LECTURE_Y[0]) * np.log(1 - v))
    assert lecture7.central_difference(bce, y[0]) == pytest.approx(expected, rel=1e-6)
    assert "∂C/∂y₁\n=" + plots._fmt(expected) in texts
    plt.close("all")


def test_measure_gradient_cost_counts_parameters():
    cost = plots.measure_gradient_cost(widths=(2, 3), n_in=4, depth=1, repeats=1)
    assert cost.n_params == [4 * 2 + 2 + 2 * 2 + 2, 4 * 3 + 3 + 3 * 2 + 2]
    assert all(t > 0 for t in cost.backprop + cost.finite_differences)


@pytest.mark.parametrize("call, message", [
    (lambda: plots.draw_network(lecture7.Network([2, 7, 2])), "too large to draw: at most 6 neurons"),
    (lambda: plots.draw_network(lecture7.Network([2] * 7)), "and 6 layers"),
    (lambda: plots.draw_network(lecture7.lecture_network(), LECTURE_X, annotate="sideways"), "unknown annotate mode 'sideways'; valid modes: [None, 'forward', 'backward']"),
    (lambda: plots.draw_network(lecture7.lecture_network(), annotate="forward"), "needs the input x"),
    (lambda: plots.draw_network(lecture7.lecture_network(), LECTURE_X, annotate="backward"), "need the target y_hat (ŷ) as well as x"),
    (lambda: plots.draw_network(lecture7.lecture_network(), [[1, -1], [0, 0]], annotate="forward"), "one example, x of shape (2,); got shape (2, 2)"),
    (lambda: plots.draw_reversed_network(lecture7.lecture_network(), (1, 2, 3), LECTURE_Y), "shape"),
    (lambda: plots.plot_history(lecture7.History()), "history has no entries"),
    (lambda: plots.plot_activation("softmax"), "valid names"),
    (lambda: plots.plot_activation("tanh", z_range=(2, -2)), "low < high"),
    (lambda: plots.plot_decision_boundary(lecture7.Network([3, 2]), np.zeros((4, 3)), np.zeros(4, int)), "needs 2 inputs; it has 3"),
    (lambda: plots.plot_decision_boundary(lecture7.Network([2, 2]), np.zeros((4, 3)), np.zeros(4, int)), "X must have shape (n, 2)"),
    (lambda: plots.plot_gradient_cost(plots.GradientCost([], [], [])), "no measurements"),
])
def test_bad_arguments_raise_value_error(call, message):
    with pytest.raises(ValueError) as error:
        call()
    assert message in str(error.value)


@pytest.mark.parametrize("call, message", [
    (lambda: plots.draw_network("net"), "net must be a lecture7.Network; got str"),
    (lambda: plots.plot_history([1.0, 2.0]), "history must be the History that lecture7.train returns; got list"),
    (lambda: plots.plot_gradient_cost({"n": 1}), "got dict"),
])
def test_wrong_types_raise_type_error(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def every_figure():
    net, trace_x = lecture7.lecture_network(), LECTURE_X
    data = lecture7.datasets.xor()
    yield "network", plots.draw_network(net), "Diagram of the network 2-2-2-2"
    yield "forward", plots.draw_network(net, trace_x, annotate="forward"), "the outputs y = (0.618, 0.829)"
    yield "backward", plots.draw_network(net, trace_x, LECTURE_Y, annotate="backward"), "δ of the output layer (−0.0903, 0.117)"
    yield "reversed", plots.draw_reversed_network(net, trace_x, LECTURE_Y), "of layer 1 (−0.00357, −0.000987)"
    yield "activation", plots.plot_activation("sigmoid"), "σ′ is largest, 0.25, first at z = 0"
    yield "history", plots.plot_history(lecture7.History(loss=[9.0, 3.0], accuracy=[0.5, 0.9])), "from 9 to 3; the accuracy from 50% to 90%"
    yield "boundary", plots.plot_decision_boundary(lecture7.Network([2, 2], seed=0), data.X, data.labels, resolution=20), f"the {len(data.X)} examples of 2 classes"
    yield "cost", plots.plot_gradient_cost(plots.GradientCost([50, 500], [1e-4, 2e-4], [1e-3, 5e-2])), "finite differences take 250 times as long"
    norms = {"sigmoid": vanishing.gradient_norms(net, trace_x, LECTURE_Y)}
    yield "norms", plots.plot_gradient_norms(norms), f"sigmoid from {plots._fmt(norms['sigmoid'].dW[0])} in layer 1"


@pytest.mark.parametrize("name, fig, says", list(every_figure()), ids=lambda v: v if isinstance(v, str) and len(v) < 12 else "")
def test_every_figure_has_a_text_alternative(name, fig, says):
    """A notebook stores a figure's text/plain beside its PNG: the package's figures give what they show,
    with their numbers, instead of "<Figure size 600x360 with 1 Axes>" (IPython's formatter, as in a kernel)."""
    from IPython.core.formatters import PlainTextFormatter

    formatter = PlainTextFormatter()
    formatter.for_type(Figure, plots._figure_text)
    assert says in plots.describe(fig)
    assert formatter(fig) == plots.describe(fig)
    assert formatter(plt.figure()).startswith("<Figure size")   # a figure of someone else's keeps matplotlib's text


@pytest.mark.parametrize("name, fig, says", list(every_figure()), ids=lambda v: v if isinstance(v, str) and len(v) < 12 else "")
def test_every_figure_has_an_opaque_white_ground(name, fig, says):
    """Readable on JupyterLab's dark theme: the PNG a notebook shows is white where nothing is drawn, not transparent."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    corner = np.asarray(Image.open(buffer).convert("RGBA"))[1, 1]
    assert tuple(corner) == (255, 255, 255, 255)


def test_a_transparent_default_does_not_reach_the_figures():
    with plt.rc_context({"figure.facecolor": "none", "savefig.facecolor": "auto"}):
        for fig in (plots.draw_network(lecture7.lecture_network()), plots.plot_activation("tanh")):
            assert fig.get_facecolor() == (1.0, 1.0, 1.0, 1.0)


# Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of color vision
# deficiency", severity 1.0 (complete dichromacy), applied to linear RGB
DICHROMACY = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}


def cie_lab(linear_rgb):
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ np.clip(linear_rgb, 0, 1)
    t = xyz / np.array([0.95047, 1.0, 1.08883])   # D65 white
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("kind, least", [("dark", 40), ("light", 15)])
@pytest.mark.parametrize("vision", ["normal", *DICHROMACY])
def test_forward_and_backward_colours_stay_apart_for_colour_blind_readers(kind, least, vision):
    """Blue for the forward pass, orange for the backward one (the pair colour-blind-safe palettes such as
    Okabe–Ito use): simulated for each dichromacy, the two stay at least `least` apart in CIELAB (ΔE*ab;
    about 2 is just noticeable; the dark pair measures 88–103, the light fills 20–25)."""
    linear = [np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
              for c in (np.array(to_rgb(plots.FORWARD[kind])), np.array(to_rgb(plots.BACKWARD[kind])))]
    seen = [np.array(DICHROMACY[vision]) @ c if vision != "normal" else c for c in linear]
    assert np.linalg.norm(cie_lab(seen[0]) - cie_lab(seen[1])) >= least
