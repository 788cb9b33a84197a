"""Activations and costs: values, derivatives against central differences, and stability."""
import warnings

import numpy as np
import pytest

import lecture7
from lecture7.activations import log_softmax

Z = np.linspace(-3, 3, 13) + 0.05  # keeps clear of relu's kink at 0


@pytest.mark.parametrize("name", sorted(lecture7.ACTIVATIONS))
def test_derivative_equals_central_difference(name):
    act = lecture7.ACTIVATIONS[name]
    eps = 1e-6
    numeric = (act.f(Z + eps) - act.f(Z - eps)) / (2 * eps)
    np.testing.assert_allclose(act.df(Z, act.f(Z)), numeric, rtol=1e-7, atol=1e-9)


def test_known_values():
    assert lecture7.sigmoid(np.array(0.0)) == 0.5
    assert lecture7.sigmoid(np.array(4.0)) == pytest.approx(1 / (1 + np.exp(-4)), rel=1e-15)
    assert lecture7.sigmoid(np.array(-2.0)) == pytest.approx(1 / (1 + np.exp(2)), rel=1e-15)
    np.testing.assert_allclose(lecture7.softmax(np.array([0.0, np.log(3.0)])), [0.25, 0.75], rtol=1e-15)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_and_softmax_are_finite_and_silent_at_1e4(dtype):
    z = np.array([[-1e4, 0.0, 1e4], [1e4, 1e4, -1e4]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s, p, lp = lecture7.sigmoid(z), lecture7.softmax(z), log_softmax(z)
    assert s.dtype == dtype and p.dtype == dtype
    np.testing.assert_array_equal(s, [[0, 0.5, 1], [1, 1, 0]])
    np.testing.assert_allclose(p, [[0, 0, 1], [0.5, 0.5, 0]], atol=1e-30)
    assert np.isfinite(lp).all()
    np.testing.assert_allclose(lp[0], [-2e4, -1e4, 0], rtol=1e-6)


def test_softmax_partial_is_its_jacobian():
    z = np.array([0.3, -1.2, 2.0])
    a = lecture7.softmax(z)
    sm = lecture7.OUTPUT_ACTIVATIONS["softmax"]
    eps = 1e-6
    for j in range(3):
        dz = np.eye(3)[j] * eps
        column = (lecture7.softmax(z + dz) - lecture7.softmax(z - dz)) / (2 * eps)
        for k in range(3):
            assert sm.partial(z, a, k, j) == pytest.approx(column[k], abs=1e-9)


@pytest.mark.parametrize("cost,output", [("squared_error", "sigmoid"), ("cross_entropy", "softmax")])
def test_cost_gradient_with_respect_to_output(cost, output):
    c = lecture7.COSTS[cost]
    act = lecture7.OUTPUT_ACTIVATIONS[output]
    z = np.array([0.4, -0.7, 1.1])
    y_hat = np.array([0.0, 1.0, 0.0])
    eps = 1e-6
    numeric = [(c.value(z + e, act.f(z + e), y_hat) - c.value(z - e, act.f(z - e), y_hat)) / (2 * eps) for e in np.eye(3) * eps]
    np.testing.assert_allclose(c.delta(act, z, act.f(z), y_hat), numeric, rtol=1e-7)
    np.testing.assert_allclose([c.delta_j(act, z, act.f(z), y_hat, j) for j in range(3)], numeric, rtol=1e-7)


def test_squared_error_and_cross_entropy_values():
    sq, ce = lecture7.COSTS["squared_error"], lecture7.COSTS["cross_entropy"]
    assert sq.value(None, np.array([0.62, 0.83]), np.array([1.0, 0.0])) == pytest.approx(0.5 * (0.38**2 + 0.83**2))
    z = np.array([[1.0, 2.0], [0.0, 0.0]])
    expected = -np.log(np.exp(2) / (np.exp(1) + np.exp(2))) - np.log(0.5)
    assert ce.value(z, lecture7.softmax(z), np.array([[0.0, 1.0], [1.0, 0.0]])) == pytest.approx(expected, rel=1e-14)


def test_cross_entropy_network_is_finite_at_huge_logits():
    net = lecture7.Network.from_weights([[[1e4, 0.0], [0.0, -1e4]]], [[0.0, 0.0]], activation="identity", output_activation="softmax")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = net.loss([1.0, 1.0], [0.0, 1.0], cost="cross_entropy")
        grads = net.backward(net.forward([1.0, 1.0]), [0.0, 1.0], cost="cross_entropy")
    assert loss == pytest.approx(2e4)
    np.testing.assert_allclose(grads.delta[0], [1.0, -1.0])
