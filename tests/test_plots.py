"""Every figure against a committed baseline PNG (pytest-mpl), and the errors of bad arguments.

Regenerate the baselines after an intended change of a figure with `make baselines`, look at
them, and commit them.
"""
import matplotlib.pyplot as plt
import numpy as np
import pytest

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
    for shown in ["z=4", "z=−2", "0.982", "0.119", "0.864", "0.111", "0.618", "0.829", r"$\partial z/\partial w$=−1"]:
        assert shown in texts, shown


def test_reversed_network_shows_gains_and_deltas(lecture_net):
    trace = lecture_net.forward(LECTURE_X)
    grads = lecture_net.backward(trace, LECTURE_Y)
    texts = {t.get_text() for t in plots.draw_reversed_network(lecture_net, LECTURE_X, LECTURE_Y).axes[0].texts}
    for l, (z, a) in enumerate(zip(trace.z, trace.a[1:])):
        for gain, delta in zip(a * (1 - a), grads.delta[l]):
            assert rf"$\sigma'(z)$={plots._fmt(gain)}" in texts
            assert rf"$\delta$={plots._fmt(delta)}" in texts
    assert r"$\partial C/\partial y$$_1$" + "\n=" + plots._fmt(trace.a[-1][0] - 1) in texts


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
    assert r"$\partial C/\partial y$$_1$" + "\n=" + plots._fmt(expected) in texts
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
