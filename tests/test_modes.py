"""lecture7.modes: forward-mode derivatives against net.backward and central differences, and the counts of
multiplications against literal, instrumented implementations of both modes."""
import numpy as np
import pytest

import lecture7
from conftest import random_problem, valid_combinations
from lecture7 import modes

from test_errors import raises


def lecture_problem():
    return lecture7.lecture_network(), lecture7.LECTURE_INPUT, np.array([1.0, 0.0])


def random_sigmoid_problem():
    rng = np.random.default_rng(3)
    return lecture7.Network([3, 5, 4, 2], activation="sigmoid", seed=1), rng.normal(size=3), rng.uniform(size=2)


PROBLEMS = {"lecture network": lecture_problem, "3-5-4-2": random_sigmoid_problem}


def numeric_vector(net, x, y_hat, cost="squared_error"):
    return lecture7.numerical_gradient(net, x, y_hat, cost).vector()


@pytest.mark.parametrize("problem", PROBLEMS)
def test_forward_mode_equals_the_backward_pass_and_central_differences(problem):
    net, x, y_hat = PROBLEMS[problem]()
    gradient, passes = modes.forward_mode_gradient(net, x, y_hat)
    assert passes == net.n_params == len(gradient)
    np.testing.assert_allclose(gradient, net.backward(net.forward(x), y_hat, "squared_error").vector(), rtol=0, atol=1e-14)
    np.testing.assert_allclose(gradient, numeric_vector(net, x, y_hat), rtol=0, atol=1e-8)
    for p in (0, net.n_params // 2, net.n_params - 1):
        assert modes.forward_mode_derivative(net, x, y_hat, p) == gradient[p]


def test_the_lecture_network_needs_18_passes():
    net, x, y_hat = lecture_problem()
    assert modes.forward_mode_gradient(net, x, y_hat)[1] == 18


@pytest.mark.parametrize("batch", [None, 4], ids=["one", "batch"])
@pytest.mark.parametrize("hidden, output, cost", valid_combinations())
def test_forward_mode_for_every_activation_and_cost(hidden, output, cost, batch):
    net, x, y_hat = random_problem([3, 4, 2], hidden, output, cost, batch=batch, seed=5)
    gradient, _ = modes.forward_mode_gradient(net, x, y_hat, cost)
    np.testing.assert_allclose(gradient, net.backward(net.forward(x), y_hat, cost).vector(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(gradient, numeric_vector(net, x, y_hat, cost), rtol=0, atol=1e-7)


def test_parameter_names_follow_the_gradient_vector():
    net = lecture7.Network([3, 2, 2], seed=0)
    names = modes.parameter_names(net)
    assert len(names) == net.n_params == 14
    assert names == ["W¹[1, 1]", "W¹[1, 2]", "W¹[1, 3]", "W¹[2, 1]", "W¹[2, 2]", "W¹[2, 3]",
                     "W²[1, 1]", "W²[1, 2]", "W²[2, 1]", "W²[2, 2]", "b¹[1]", "b¹[2]", "b²[1]", "b²[2]"]
    # put into every dW, db entry the position of its name: Gradients.vector() must then count 0, 1, 2, …
    tagged = lecture7.Gradients([], [np.zeros(W.shape) for W in net.weights], [np.zeros(b.shape) for b in net.biases])
    for l in range(2):
        for i, j in np.ndindex(net.weights[l].shape):
            tagged.dW[l][i, j] = names.index(f"W{'¹²'[l]}[{i + 1}, {j + 1}]")
        for i in range(len(net.biases[l])):
            tagged.db[l][i] = names.index(f"b{'¹²'[l]}[{i + 1}]")
    assert list(tagged.vector()) == list(range(14))


# ---- the counts, against instrumented scalar implementations --------------------------------

def counted_forward_mode_pass(net, x, y_hat, parameter):
    """One forward-mode pass in scalars, sigmoid layers and the squared error, counting every multiplication
    that the dense formulas ż = Ẇa + Wȧ + ḃ, ȧ = σ'(z) ⊙ ż, δᴸ = σ'(zᴸ) ⊙ (y − ŷ), Ċ = Σ δᴸ ż state."""
    W_dot = [np.zeros(W.shape) for W in net.weights]
    b_dot = [np.zeros(b.shape) for b in net.biases]
    flat = [(W_dot[l], idx) for l, W in enumerate(net.weights) for idx in np.ndindex(W.shape)]
    flat += [(b_dot[l], (i,)) for l, b in enumerate(net.biases) for i in range(len(b))]
    target, idx = flat[parameter]
    target[idx] = 1.0
    count, a, a_dot = 0, list(x), [0.0] * len(x)
    for l, (W, b) in enumerate(zip(net.weights, net.biases)):
        z, z_dot = [], []
        for i in range(W.shape[0]):
            z_i, z_dot_i = b[i], b_dot[l][i]
            for j in range(W.shape[1]):
                z_i += W[i, j] * a[j]
                z_dot_i += W_dot[l][i, j] * a[j] + W[i, j] * a_dot[j]
                count += 3
            z.append(z_i)
            z_dot.append(z_dot_i)
        a = [1 / (1 + np.exp(-z_i)) for z_i in z]
        sigma_prime = [a_i * (1 - a_i) for a_i in a]     # σ' is not counted
        if l < len(net.weights) - 1:
            a_dot = [s * d for s, d in zip(sigma_prime, z_dot)]
            count += len(a_dot)
    delta = [s * (a_k - t) for s, a_k, t in zip(sigma_prime, a, y_hat)]
    C_dot = sum(d * zd for d, zd in zip(delta, z_dot))
    return C_dot, count + 2 * len(delta)


def counted_reverse_mode(net, x, y_hat):
    """The forward pass and the backward pass in scalars, counting every multiplication. Returns (dW, db, count)."""
    count, a = 0, [list(x)]
    for W, b in zip(net.weights, net.biases):
        z = []
        for i in range(W.shape[0]):
            z_i = b[i]
            for j in range(W.shape[1]):
                z_i += W[i, j] * a[-1][j]
                count += 1
            z.append(z_i)
        a.append([1 / (1 + np.exp(-z_i)) for z_i in z])
    L = len(net.weights)
    dW, db = [None] * L, [None] * L
    dC_da = [a_k - t for a_k, t in zip(a[-1], y_hat)]   # squared error: no multiplication
    for l in reversed(range(L)):
        delta = [a_i * (1 - a_i) * g for a_i, g in zip(a[l + 1], dC_da)]   # σ'(z) ⊙ ∂C/∂a (σ' not counted)
        count += len(delta)
        dW[l] = np.array([[d * a_j for a_j in a[l]] for d in delta])
        count += dW[l].size
        db[l] = np.array(delta)
        if l > 0:
            W = net.weights[l]
            dC_da = [sum(W[i, j] * delta[i] for i in range(W.shape[0])) for j in range(W.shape[1])]
            count += W.size
    return dW, db, count


@pytest.mark.parametrize("sizes", [[2, 2, 2, 2], [3, 5, 4, 2], [1, 1], [4, 3], [2, 6, 1, 3]])
def test_the_counts_equal_instrumented_implementations(sizes):
    net = lecture7.Network(sizes, activation="sigmoid", seed=2)
    rng = np.random.default_rng(4)
    x, y_hat = rng.normal(size=sizes[0]), rng.uniform(size=sizes[-1])
    grads = net.backward(net.forward(x), y_hat, "squared_error")
    work = modes.count_mode_work(sizes)

    dW, db, reverse_count = counted_reverse_mode(net, x, y_hat)
    np.testing.assert_allclose(np.concatenate([d.ravel() for d in dW + db]), grads.vector(), rtol=0, atol=1e-14)
    assert reverse_count == work.reverse_mode

    passes = [counted_forward_mode_pass(net, x, y_hat, p) for p in range(net.n_params)]
    np.testing.assert_allclose([value for value, _ in passes], grads.vector(), rtol=0, atol=1e-14)
    assert {count for _, count in passes} == {work.forward_mode_pass}
    assert work.passes == net.n_params and work.forward_mode == work.passes * work.forward_mode_pass
    assert work.forward_pass == sum(m * n for m, n in zip(sizes, sizes[1:]))


def test_the_lecture_network_by_hand():
    # z = W a: 3 layers · 4 = 12. One forward-mode pass: 12 + 2 · 12 (Ẇa, Wȧ) + 4 (σ' ⊙ ż, layers 1 and 2)
    # + 2 (δᴸ) + 2 (Ċ) = 44; 18 passes: 792. Reverse mode: 12 + 6 (σ' per neuron) + 12 (dW) + 8 (Wᵀδ, layers 3 and 2) = 38.
    work = modes.count_mode_work([2, 2, 2, 2])
    assert (work.forward_pass, work.forward_mode_pass, work.passes, work.forward_mode, work.reverse_mode) == (12, 44, 18, 792, 38)


# ---- bad input ------------------------------------------------------------------------------

def test_bad_parameters_and_inputs_are_named():
    net, x, y_hat = lecture_problem()
    for error, bad in ((ValueError, 18), (ValueError, -1), (TypeError, 1.0), (TypeError, True), (TypeError, "W¹[1, 1]")):
        with raises(error, "parameter must be an index into grads.vector()", "0..17", "18 parameters", repr(bad)):
            modes.forward_mode_derivative(net, x, y_hat, bad)
    with raises(TypeError, "net must be a lecture7.Network", "tuple"):
        modes.forward_mode_gradient((net,), x, y_hat)
    with raises(ValueError, "x must have shape (2,)", "got shape (3,)"):
        modes.forward_mode_gradient(net, [1.0, 2.0, 3.0], y_hat)
    with raises(ValueError, "must have shape (2,)", "got shape (3,)"):
        modes.forward_mode_derivative(net, x, [1.0, 0.0, 0.0], 0)
    with raises(ValueError, "unknown cost 'hinge'"):
        modes.forward_mode_gradient(net, x, y_hat, "hinge")
    with raises(ValueError, "at least an input and an output layer"):
        modes.count_mode_work([3])
    with raises(TypeError, "sizes must be a list of layer sizes"):
        modes.count_mode_work("2, 2")
    with raises(TypeError, "net must be a lecture7.Network", "list"):
        modes.parameter_names([])
