"""The lecture's example network, checked against an independent plain-Python computation."""
import math

import numpy as np
import pytest

import lecture7

W = [[[1, -2], [-1, 1]], [[2, -1], [-2, -1]], [[3, -1], [-1, 4]]]
B = [[1, 0], [0, 0], [-2, 2]]
X = [1.0, -1.0]
Y_HAT = [1.0, 0.0]


def sig(v):
    return 1 / (1 + math.exp(-v))


def plain_backprop():
    """Lists and math.exp only: the slides' arithmetic, written out without the package."""
    zs, acts = [], [X]
    for Wl, bl in zip(W, B):
        z = [sum(Wl[i][j] * acts[-1][j] for j in range(2)) + bl[i] for i in range(2)]
        zs.append(z)
        acts.append([sig(v) for v in z])
    deltas = [None] * 3
    # C = ½ Σ (y_k − ŷ_k)²: ∂C/∂y_k = y_k − ŷ_k, and ∂y/∂z = σ(z)(1 − σ(z))
    deltas[2] = [acts[3][k] * (1 - acts[3][k]) * (acts[3][k] - Y_HAT[k]) for k in range(2)]
    for l in (1, 0):
        deltas[l] = [acts[l + 1][j] * (1 - acts[l + 1][j]) * sum(W[l + 1][k][j] * deltas[l + 1][k] for k in range(2))
                     for j in range(2)]
    dW = [[[acts[l][j] * deltas[l][i] for j in range(2)] for i in range(2)] for l in range(3)]
    return zs, acts, deltas, dW


def test_first_layer_z_by_hand(lecture_net):
    # z₁ = 1·1 + (−2)·(−1) + 1 = 4, z₂ = (−1)·1 + 1·(−1) + 0 = −2
    np.testing.assert_array_equal(lecture_net.forward(X).z[0], [4.0, -2.0])


def test_activations_match_the_slide(lecture_net):
    trace = lecture_net.forward(lecture7.LECTURE_INPUT)
    assert [list(np.round(a, 2)) for a in trace.a[1:]] == [[0.98, 0.12], [0.86, 0.11], [0.62, 0.83]]


@pytest.mark.parametrize("form", ["batch", "per_layer", "per_neuron"])
def test_every_value_matches_plain_computation(lecture_net, form):
    zs, acts, deltas, dW = plain_backprop()
    if form == "batch":
        trace = lecture_net.forward(X)
        grads = lecture_net.backward(trace, Y_HAT, cost="squared_error")
    else:
        forward = getattr(lecture7, f"forward_{form}")
        backward = getattr(lecture7, f"backward_{form}")
        trace = forward(lecture_net, X)
        grads = backward(lecture_net, trace, Y_HAT, cost="squared_error")
    for l in range(3):
        np.testing.assert_allclose(trace.z[l], zs[l], rtol=0, atol=1e-9)
        np.testing.assert_allclose(trace.a[l + 1], acts[l + 1], rtol=0, atol=1e-9)
        np.testing.assert_allclose(grads.delta[l], deltas[l], rtol=0, atol=1e-9)
        np.testing.assert_allclose(grads.dW[l], dW[l], rtol=0, atol=1e-9)
        np.testing.assert_allclose(grads.db[l], deltas[l], rtol=0, atol=1e-9)


def test_forward_pass_rule_dz_dw_is_the_input(lecture_net):
    # ∂C/∂w = ∂z/∂w · ∂C/∂z with ∂z/∂w the input on the edge: 1 and −1 for the first layer
    trace = lecture_net.forward(X)
    grads = lecture_net.backward(trace, Y_HAT)
    for i in range(2):
        np.testing.assert_allclose(grads.dW[0][i], np.array(X) * grads.delta[0][i], rtol=1e-15)


def test_backward_pass_formula_from_the_slides(lecture_net):
    # ∂C/∂z = σ'(z) [w₃ ∂C/∂z' + w₄ ∂C/∂z''] for the first neuron of layer 1
    trace = lecture_net.forward(X)
    grads = lecture_net.backward(trace, Y_HAT)
    a = trace.a[1][0]
    w3, w4 = W[1][0][0], W[1][1][0]
    expected = a * (1 - a) * (w3 * grads.delta[1][0] + w4 * grads.delta[1][1])
    assert grads.delta[0][0] == pytest.approx(expected, rel=1e-12)


def test_float32_network_gives_the_same_numbers():
    net = lecture7.lecture_network(dtype="float32")
    trace = net.forward(X)
    grads = net.backward(trace, Y_HAT)
    assert trace.a[-1].dtype == np.float32 and grads.dW[0].dtype == np.float32
    _, acts, deltas, _ = plain_backprop()
    np.testing.assert_allclose(trace.a[-1], acts[-1], rtol=1e-6)
    np.testing.assert_allclose(grads.delta[0], deltas[0], rtol=1e-4)


@pytest.mark.parametrize("l,j", [(0, 0), (0, 1), (1, 0), (1, 1)])
def test_neuron_delta_is_the_slides_equation_with_its_numbers(lecture_net, l, j):
    # ∂C/∂z = σ'(z) [w₃ ∂C/∂z' + w₄ ∂C/∂z''], every factor against the plain computation
    _, acts, deltas, _ = plain_backprop()
    trace = lecture_net.forward(X)
    nd = lecture7.neuron_delta(lecture_net, trace, deltas[l + 1], l, j)
    a = acts[l + 1][j]
    assert nd.sigma_prime == pytest.approx(a * (1 - a), rel=1e-12)
    assert list(nd.w) == [W[l + 1][0][j], W[l + 1][1][j]]
    assert nd.dC_da == pytest.approx(W[l + 1][0][j] * deltas[l + 1][0] + W[l + 1][1][j] * deltas[l + 1][1], rel=1e-12)
    assert nd.delta == pytest.approx(deltas[l][j], rel=1e-12)


def test_neuron_delta_writes_out_the_equation(lecture_net):
    trace = lecture_net.forward(X)
    grads = lecture_net.backward(trace, Y_HAT)
    text = str(lecture7.neuron_delta(lecture_net, trace, grads.delta[2], 1, 0))
    assert text == ("∂C/∂z = σ'(z)[w₃ ∂C/∂z' + w₄ ∂C/∂z''] = 0.1179 × [3.0000 × (-0.0903) + (-1.0000) × 0.1175] = -0.0458")
    wide = lecture7.Network([2, 3, 3, 1], seed=0)
    wide_trace = wide.forward(X)
    wide_delta = wide.backward(wide_trace, [1.0]).delta
    text = str(lecture7.neuron_delta(wide, wide_trace, wide_delta[1], 0, 2))
    assert "Σₖ wₖ ∂C/∂z'ₖ" in text and text.count(" × ") == 1 + 3
    assert text.endswith(f"= {wide_delta[0][2]:.4f}")


def test_gradient_vector_is_the_lecture_column(lecture_net):
    # ∇L = [∂L/∂w₁, …, ∂L/∂w₁₂, ∂L/∂b₁, …, ∂L/∂b₆]: weights layer by layer, row by row, then biases
    _, _, deltas, dW = plain_backprop()
    grads = lecture_net.backward(lecture_net.forward(X), Y_HAT)
    expected = [dW[l][i][j] for l in range(3) for i in range(2) for j in range(2)] + [d for layer in deltas for d in layer]
    np.testing.assert_allclose(grads.vector(), expected, rtol=1e-12)
    assert lecture_net.n_params == len(expected) == 18
    assert lecture7.Network([784, 1000, 1000, 10]).n_params == 784 * 1000 + 1000 + 1000 * 1000 + 1000 + 1000 * 10 + 10
