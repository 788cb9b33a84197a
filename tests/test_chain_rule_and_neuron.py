"""The notes' chain rule, both cases, and the single neuron z = x₁w₁ + x₂w₂ + b."""
import math

import numpy as np
import pytest

import lecture7


def test_case1_with_given_derivatives():
    # y = g(x) = x², z = h(y) = sin y: dz/dx = cos(x²) · 2x
    r = lecture7.chain_rule_case1(lambda x: x**2, math.sin, 1.5, dg=lambda x: 2 * x, dh=math.cos)
    assert (r.y, r.z) == (2.25, math.sin(2.25))
    assert (r.dy_dx, r.dz_dy) == (3.0, math.cos(2.25))
    assert r.dz_dx == pytest.approx(math.cos(2.25) * 3.0, rel=1e-15)
    assert r.finite_difference == pytest.approx(r.dz_dx, rel=1e-8)


def test_case1_estimates_missing_derivatives():
    r = lecture7.chain_rule_case1(math.exp, lambda y: 3 * y + 1, 0.5)
    assert r.dy_dx == pytest.approx(math.exp(0.5), rel=1e-8)
    assert r.dz_dy == pytest.approx(3.0, rel=1e-8)
    assert r.dz_dx == pytest.approx(3 * math.exp(0.5), rel=1e-8)


def test_case2_sums_both_paths():
    # x = g(s) = 2s, y = h(s) = s², z = k(x, y) = x·y = 2s³: dz/ds = y·2 + x·2s = 6s²
    s = 1.2
    r = lecture7.chain_rule_case2(lambda s: 2 * s, lambda s: s**2, lambda x, y: x * y, s,
                                  dg=lambda s: 2.0, dh=lambda s: 2 * s, dk_dx=lambda x, y: y, dk_dy=lambda x, y: x)
    assert (r.x, r.y, r.z) == pytest.approx((2.4, 1.44, 2.4 * 1.44))
    assert r.dz_dx * r.dx_ds + r.dz_dy * r.dy_ds == r.dz_ds
    assert r.dz_ds == pytest.approx(6 * s**2, rel=1e-14)
    assert r.finite_difference == pytest.approx(6 * s**2, rel=1e-8)
    estimated = lecture7.chain_rule_case2(lambda s: 2 * s, lambda s: s**2, lambda x, y: x * y, s)
    assert estimated.dz_ds == pytest.approx(6 * s**2, rel=1e-8)


def test_central_difference():
    assert lecture7.central_difference(lambda t: t**3, 2.0) == pytest.approx(12.0, rel=1e-9)


def test_neuron_forward_pass_and_gradient():
    # the slide's first neuron: inputs 1 and −1, weights 1 and −2, bias 1
    assert lecture7.neuron_z([1, -1], [1, -2], 1) == 4.0
    g = lecture7.neuron_gradient([1, -1], [1, -2], 1, dC_dz=0.5)
    np.testing.assert_array_equal(g.dz_dw, [1, -1])
    np.testing.assert_array_equal(g.dC_dw, [0.5, -0.5])
    assert (g.z, g.dC_dz, g.dC_db) == (4.0, 0.5, 0.5)


def test_neuron_matches_the_network(lecture_net):
    trace = lecture_net.forward([1, -1])
    grads = lecture_net.backward(trace, [1, 0])
    for i in range(2):
        g = lecture7.neuron_gradient(trace.a[0], lecture_net.weights[0][i], lecture_net.biases[0][i], grads.delta[0][i])
        assert g.z == trace.z[0][i]
        np.testing.assert_allclose(g.dC_dw, grads.dW[0][i], rtol=1e-15)
