"""lecture7.vanishing: per-layer gradient norms against central differences, the claims notebook 6 makes
about them, and the plot's data."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

import lecture7
from lecture7 import plots, vanishing

from test_errors import raises

DEEP = [16] + [16] * 8 + [2]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("batch", [None, 3], ids=["one", "batch"])
def test_the_norms_are_those_of_the_central_difference_gradients(batch):
    net = lecture7.Network([3, 5, 4, 2], activation="sigmoid", seed=1)
    rng = np.random.default_rng(2)
    x, y_hat = rng.normal(size=(3,) if batch is None else (batch, 3)), rng.uniform(size=(2,) if batch is None else (batch, 2))
    norms = vanishing.gradient_norms(net, x, y_hat, "squared_error")
    numeric = lecture7.numerical_gradient(net, x, y_hat, "squared_error")
    np.testing.assert_allclose(norms.delta, [np.linalg.norm(d) for d in numeric.delta], rtol=1e-6)
    np.testing.assert_allclose(norms.dW, [np.linalg.norm(d) for d in numeric.dW], rtol=1e-6)
    assert norms.ratio == norms.dW[0] / norms.dW[-1]


def test_the_lecture_network_table():
    net = lecture7.lecture_network()
    norms = vanishing.gradient_norms(net, lecture7.LECTURE_INPUT, [1.0, 0.0], "squared_error")
    grads = net.backward(net.forward(lecture7.LECTURE_INPUT), [1.0, 0.0])
    rows = str(norms).splitlines()
    assert [row.split()[0] for row in rows[1:]] == ["3", "2", "1"]             # output layer first
    assert rows[1].split()[1:] == [f"{np.linalg.norm(grads.delta[2]):.2e}", f"{np.linalg.norm(grads.dW[2]):.2e}"]
    shrink = np.linalg.norm(grads.delta[0]) / np.linalg.norm(grads.delta[1])
    assert rows[3].split()[-1] == f"{shrink:.4f}" == "0.0516"
    assert norms.delta[2] / norms.delta[0] == pytest.approx(40, rel=0.01)     # notebook 6: "a factor of 40"


def deep_norms(activation):
    net = lecture7.Network(DEEP, activation=activation, output_activation="sigmoid", seed=0)
    return vanishing.gradient_norms(net, np.random.default_rng(0).normal(size=16), [1.0, 0.0], "squared_error")


def test_the_deep_sigmoid_network_vanishes_and_tanh_and_relu_do_not():
    sigmoid = deep_norms("sigmoid")
    shrink = [sigmoid.delta[l] / sigmoid.delta[l + 1] for l in range(len(DEEP) - 2)]
    assert [round(s, 2) for s in (min(shrink), max(shrink))] == [0.19, 0.25]   # "multiplies ‖δ‖ by 0.19 to 0.25"
    assert 1e-5 < sigmoid.ratio < 2e-5
    for name in ("tanh", "relu"):
        assert 0.2 < deep_norms(name).ratio < 1.0        # "within a factor of five"


def test_the_plot_shows_the_norms_on_a_log_scale():
    norms = {name: deep_norms(name) for name in ("sigmoid", "tanh", "relu")}
    fig = plots.plot_gradient_norms(norms)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    assert [line.get_label() for line in ax.lines] == ["sigmoid", "tanh", "relu"]
    for line, n in zip(ax.lines, norms.values()):
        np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 10))
        np.testing.assert_array_equal(line.get_ydata(), n.dW)


def test_bad_input_is_named():
    with raises(TypeError, "net must be a lecture7.Network", "list"):
        vanishing.gradient_norms([], [1.0, 2.0], [1.0, 0.0])
    with raises(ValueError, "x must have shape (2,)"):
        vanishing.gradient_norms(lecture7.lecture_network(), [1.0], [1.0, 0.0])
    for bad in ({}, [deep_norms("tanh")], {"tanh": 0.5}):
        with raises(TypeError, "norms must be a non-empty dict of label → GradientNorms"):
            plots.plot_gradient_norms(bad)


def test_a_layer_without_gradient_gives_nan_not_an_error():
    # every ReLU output neuron of this network is inactive at x: no gradient reaches any layer
    dead = lecture7.Network([16] + [32] * 8 + [2], activation="relu", seed=0)
    norms = vanishing.gradient_norms(dead, np.random.default_rng(1).normal(size=16), [1.0, 0.0], "squared_error")
    assert norms.dW == (0.0,) * 9 and np.isnan(norms.ratio)
    assert str(norms).splitlines()[2].split()[-1] == "nan"
