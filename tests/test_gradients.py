"""Backprop against central differences for every activation × output × cost, and the three
granularities (per neuron, per layer, minibatch) against each other."""
import numpy as np
import pytest

import lecture7
from conftest import random_problem, valid_combinations

ARCHITECTURES = [[2, 2], [3, 4, 2], [2, 5, 3, 4]]
CASES = [(sizes, *combo) for sizes in ARCHITECTURES for combo in valid_combinations()]


@pytest.mark.parametrize("batch", [None, 5], ids=["one", "batch"])
@pytest.mark.parametrize("sizes,hidden,output,cost", CASES)
def test_backprop_equals_central_differences(sizes, hidden, output, cost, batch):
    net, x, y = random_problem(sizes, hidden, output, cost, batch=batch, seed=len(sizes))
    report = lecture7.assert_gradients_close(net, x, y, cost=cost, tolerance=1e-7)
    assert report.max_error < 1e-7


@pytest.mark.parametrize("sizes,hidden,output,cost", CASES)
def test_three_granularities_agree(sizes, hidden, output, cost):
    net, x, y = random_problem(sizes, hidden, output, cost, seed=1)
    fast = net.forward(x)
    grads = net.backward(fast, y, cost)
    for forward, backward in [(lecture7.forward_per_layer, lecture7.backward_per_layer),
                              (lecture7.forward_per_neuron, lecture7.backward_per_neuron)]:
        trace = forward(net, x)
        other = backward(net, trace, y, cost)
        for l in range(len(net.weights)):
            np.testing.assert_allclose(trace.z[l], fast.z[l], rtol=0, atol=1e-12)
            np.testing.assert_allclose(trace.a[l + 1], fast.a[l + 1], rtol=0, atol=1e-12)
            for q in ("delta", "dW", "db"):
                np.testing.assert_allclose(getattr(other, q)[l], getattr(grads, q)[l], rtol=0, atol=1e-12)


@pytest.mark.parametrize("sizes,hidden,output,cost", CASES[::3])
def test_batch_is_the_sum_of_single_examples(sizes, hidden, output, cost):
    """L = Σₙ Cⁿ: the batch gradient is the sum of the per-example gradients, δ row by row."""
    net, X, Y = random_problem(sizes, hidden, output, cost, batch=4, seed=2)
    grads = net.backward(net.forward(X), Y, cost)
    singles = [lecture7.backward_per_layer(net, lecture7.forward_per_layer(net, x), y, cost) for x, y in zip(X, Y)]
    for l in range(len(net.weights)):
        np.testing.assert_allclose(grads.dW[l], sum(s.dW[l] for s in singles), rtol=0, atol=1e-12)
        np.testing.assert_allclose(grads.db[l], sum(s.db[l] for s in singles), rtol=0, atol=1e-12)
        np.testing.assert_allclose(grads.delta[l], [s.delta[l] for s in singles], rtol=0, atol=1e-12)
    assert net.loss(X, Y, cost) == pytest.approx(sum(net.loss(x, y, cost) for x, y in zip(X, Y)), rel=1e-12)


def test_numerical_gradient_has_the_structure_of_grads(lecture_net):
    trace = lecture_net.forward([[1, -1], [0.5, 2]])
    grads = lecture_net.backward(trace, [[1, 0], [0, 1]])
    numeric = lecture7.numerical_gradient(lecture_net, [[1, -1], [0.5, 2]], [[1, 0], [0, 1]], cost="squared_error", eps=1e-6)
    assert isinstance(numeric, lecture7.Gradients)
    for q in ("delta", "dW", "db"):
        assert [g.shape for g in getattr(numeric, q)] == [g.shape for g in getattr(grads, q)]


def test_gradient_check_names_the_first_wrong_layer_and_neuron(lecture_net):
    x, y = [1, -1], [1, 0]
    grads = lecture_net.backward(lecture_net.forward(x), y)
    grads.dW[1][1, 0] += 1e-3
    report = lecture7.gradient_check(lecture_net, x, y, grads=grads)
    assert not report.ok
    assert (report.mismatch.layer, report.mismatch.neuron) == (1, 1)
    assert report.errors[0]["dW"] < 1e-7 and report.errors[1]["dW"] > 1e-3
    assert "layer 1, neuron 1" in str(report)
    with pytest.raises(AssertionError, match="layer 1, neuron 1"):
        lecture7.assert_gradients_close(lecture_net, x, y, grads=grads)


def test_gradient_check_catches_a_wrong_delta_in_a_batch(lecture_net):
    X, Y = [[1, -1], [0.5, 2], [0, 0]], [[1, 0], [0, 1], [1, 1]]
    grads = lecture_net.backward(lecture_net.forward(X), Y)
    grads.delta[0][2, 1] *= 2
    report = lecture7.gradient_check(lecture_net, X, Y, grads=grads)
    assert (report.mismatch.layer, report.mismatch.neuron, report.mismatch.quantity) == (0, 1, "delta[0][2, 1]")


def test_relative_error():
    assert lecture7.relative_error([1.0, 2.0], [1.0, 2.0]) == 0
    assert lecture7.relative_error([0.0], [0.0]) == 0
    assert lecture7.relative_error([1.0], [-1.0]) == 1
    assert lecture7.relative_error([1.0], [1.1]) == pytest.approx(0.1 / 2.1)


def test_relu_derivative_at_zero_is_zero():
    relu = lecture7.ACTIVATIONS["relu"]
    np.testing.assert_array_equal(relu.df(np.array([-1.0, 0.0, 2.0]), None), [0.0, 0.0, 1.0])


@pytest.mark.parametrize("weights,biases,activation,x,y", [
    ([[[1.0]]], [[1.0]], "identity", [0.0], [1.0]),                      # output already on target: ∇L = 0
    ([[[20.0]], [[1.0]]], [[0.0], [0.0]], "sigmoid", [1.5], [0.0]),       # saturated sigmoid, z = 30
], ids=["zero-gradient", "saturated"])
def test_gradients_that_are_zero_up_to_rounding_pass(weights, biases, activation, x, y):
    net = lecture7.Network.from_weights(weights, biases, activation=activation)
    report = lecture7.assert_gradients_close(net, x, y)
    assert report.floor == pytest.approx(10 * max(1, net.loss(x, y)) * np.finfo(float).eps / 1e-6)


def test_from_weights_copies_the_arrays():
    W, b = np.array([[1.0, 2.0]]), np.array([0.5])
    net = lecture7.Network.from_weights([W], [b], activation="identity")
    lecture7.train(net, [[1.0, 1.0]], [[0.0]], learning_rate=0.1, epochs=1)
    assert W.tolist() == [[1.0, 2.0]] and b.tolist() == [0.5]
    assert net.weights[0].tolist() != [[1.0, 2.0]]
