import sys
from pathlib import Path

import numpy as np
import pytest

# tools/ holds the scripts around the package (JupyterLab in a browser, the README's figures)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import lecture7

# the made-up student submissions are graded by test_classroom.py, not run by nbval (one is not even JSON)
collect_ignore = ["classroom"]


def valid_combinations():
    """Every (hidden activation, output activation, cost) the package accepts, read off its registries."""
    return [
        (h, o, c)
        for c, cost in lecture7.COSTS.items()
        for o in lecture7.OUTPUT_ACTIVATIONS
        if cost.output in (None, o)
        for h in lecture7.ACTIVATIONS
    ]


def random_problem(sizes, hidden, output, cost, batch=None, seed=0):
    """A network with random weights and biases, an input and a target that suits the cost."""
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0, 1, (n_out, n_in)) for n_in, n_out in zip(sizes, sizes[1:])]
    biases = [rng.normal(0, 0.5, n_out) for n_out in sizes[1:]]
    net = lecture7.Network.from_weights(weights, biases, activation=hidden, output_activation=output)
    shape = (sizes[0],) if batch is None else (batch, sizes[0])
    x = rng.normal(0, 1, shape)
    out_shape = shape[:-1] + (sizes[-1],)
    if cost == "cross_entropy":
        y_hat = np.eye(sizes[-1])[rng.integers(0, sizes[-1], out_shape[:-1])]
    else:
        y_hat = rng.uniform(0, 1, out_shape)
    return net, x, y_hat


@pytest.fixture
def lecture_net():
    return lecture7.lecture_network()


def drawn_both_ways(write, guard=None):
    """The pixels of a 4 × 3 in figure on which `write(ax)` puts its texts, drawn twice (the second time from what
    the first kept) by the widgets' fast renderer and by matplotlib's own Agg, as two arrays that must be equal;
    `guard()`, if given, is a context that the draws run in."""
    import contextlib

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from lecture7 import widgets

    drawn = []
    for canvas in (widgets._Canvas, FigureCanvasAgg):
        figure = Figure(figsize=(4, 3), dpi=widgets.DPI)
        canvas(figure)
        write(figure.add_subplot())
        with guard() if guard else contextlib.nullcontext():
            figure.canvas.draw()
            figure.canvas.draw()
        drawn.append(np.asarray(figure.canvas.buffer_rgba()))
    return drawn
