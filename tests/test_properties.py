"""Property: on any small network, backpropagation equals central differences.

Hypothesis draws the architecture (1 to 4 layers of weights, 1 to 5 neurons each), the weights,
biases and inputs (floats in [-2, 2]), the hidden and output activations and a cost the output
accepts, one example or a batch of 1 to 3, and a target that suits the cost (probability vectors
for cross_entropy). Draws where a relu layer has some |z| < 1e-3 are skipped: at the kink,
backprop's σ'(0) = 0 is a convention that differences need not reproduce.

Every δ[l], dW[l], db[l] of net.backward must agree with lecture7.numerical_gradient to a relative
error of 1e-7, as lecture7.assert_gradients_close judges it: a gradient that is 0 up to rounding
(output on target, saturated sigmoid) has a relative error near 1 and passes when the difference
is below the rounding floor of central differences.
"""
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import lecture7
from conftest import valid_combinations

EPS = 1e-6          # central-difference step
RTOL = 1e-7         # largest relative error per layer and quantity, above the rounding floor of the differences
RELU_MARGIN = 1e-3  # relu draws with some |z| below this are skipped (the kink at 0)

VALUE = st.floats(-2, 2, allow_nan=False, allow_infinity=False)


def arrays(shape):
    return hnp.arrays(np.float64, shape, elements=VALUE)


COMBINATIONS = valid_combinations()


@st.composite
def problems(draw):
    sizes = draw(st.lists(st.integers(1, 5), min_size=2, max_size=5))
    hidden, output, cost = draw(st.sampled_from(COMBINATIONS))
    weights = [draw(arrays((n_out, n_in))) for n_in, n_out in zip(sizes, sizes[1:])]
    biases = [draw(arrays((n_out,))) for n_out in sizes[1:]]
    batch = draw(st.one_of(st.none(), st.integers(1, 3)))
    x_shape = (sizes[0],) if batch is None else (batch, sizes[0])
    y_shape = x_shape[:-1] + (sizes[-1],)
    x = draw(arrays(x_shape))
    if cost == "cross_entropy":  # probability vectors: one-hot, or drawn weights normalised
        if draw(st.booleans()):
            labels = draw(hnp.arrays(np.intp, y_shape[:-1], elements=st.integers(0, sizes[-1] - 1)))
            y_hat = np.eye(sizes[-1])[labels]
        else:
            p = draw(hnp.arrays(np.float64, y_shape, elements=st.floats(0, 1))) + 1e-3
            y_hat = p / p.sum(axis=-1, keepdims=True)
    else:
        y_hat = draw(arrays(y_shape))
    net = lecture7.Network.from_weights(weights=weights, biases=biases, activation=hidden, output_activation=output)
    return net, x, y_hat, cost


def relu_layers(net):
    return [l for l, act in enumerate(net.activations) if act.name == "relu"]


@settings(max_examples=1000, deadline=None)
@given(problems())
def test_backprop_equals_central_differences(problem):
    net, x, y_hat, cost = problem
    trace = net.forward(x)
    assume(all(np.min(np.abs(trace.z[l])) >= RELU_MARGIN for l in relu_layers(net)))
    lecture7.assert_gradients_close(net, x, y_hat, cost=cost, eps=EPS, tolerance=RTOL)


def test_property_catches_a_wrong_derivative(monkeypatch):
    """The check is not vacuous: with sigmoid' off by 1e-6 · a, it fails."""
    good = lecture7.ACTIVATIONS["sigmoid"]
    bad = type(good)("sigmoid", good.f, lambda z, a: a * (1 - a) + 1e-6 * a)
    monkeypatch.setitem(lecture7.activations.ACTIVATIONS, "sigmoid", bad)
    monkeypatch.setitem(lecture7.activations.OUTPUT_ACTIVATIONS, "sigmoid", bad)
    net = lecture7.Network.from_weights([[[0.5, -1.0], [1.5, 0.3]], [[1.0, -0.7]]], [[0.1, -0.2], [0.3]],
                                        activation="sigmoid", output_activation="identity")
    with pytest.raises(AssertionError, match="disagrees first"):
        lecture7.assert_gradients_close(net, np.array([0.4, -1.2]), np.array([0.5]), eps=EPS, tolerance=RTOL)
