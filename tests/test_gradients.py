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
    net, x, y_hat = random_problem(sizes, hidden, output, cost, batch=batch, seed=len(sizes))
    report = lecture7.assert_gradients_close(net, x, y_hat, cost=cost, tolerance=1e-7)
    assert report.max_error < 1e-7


@pytest.mark.parametrize("sizes,hidden,output,cost", CASES)
def test_three_granularities_agree(sizes, hidden, output, cost):
    net, x, y_hat = random_problem(sizes, hidden, output, cost, seed=1)
    fast = net.forward(x)
    grads = net.backward(fast, y_hat, cost)
    for forward, backward in [(lecture7.forward_per_layer, lecture7.backward_per_layer),
                              (lecture7.forward_per_neuron, lecture7.backward_per_neuron)]:
        trace = forward(net, x)
        other = backward(net, trace, y_hat, cost)
        for l in range(len(net.weights)):
            np.testing.assert_allclose(trace.z[l], fast.z[l], rtol=0, atol=1e-12)
            np.testing.assert_allclose(trace.a[l + 1], fast.a[l + 1], rtol=0, atol=1e-12)
            for q in ("delta", "dW", "db"):
                np.testing.assert_allclose(getattr(other, q)[l], getattr(grads, q)[l], rtol=0, atol=1e-12)


@pytest.mark.parametrize("sizes,hidden,output,cost", CASES[::3])
def test_batch_is_the_sum_of_single_examples(sizes, hidden, output, cost):
    """L = Σₙ Cⁿ: the batch gradient is the sum of the per-example gradients, δ row by row."""
    net, X, Y_hat = random_problem(sizes, hidden, output, cost, batch=4, seed=2)
    grads = net.backward(net.forward(X), Y_hat, cost)
    singles = [lecture7.backward_per_layer(net, lecture7.forward_per_layer(net, x), y_hat, cost) for x, y_hat in zip(X, Y_hat)]
    for l in range(len(net.weights)):
        np.testing.assert_allclose(grads.dW[l], sum(s.dW[l] for s in singles), rtol=0, atol=1e-12)
        np.testing.assert_allclose(grads.db[l], sum(s.db[l] for s in singles), rtol=0, atol=1e-12)
        np.testing.assert_allclose(grads.delta[l], [s.delta[l] for s in singles], rtol=0, atol=1e-12)
    assert net.loss(X, Y_hat, cost) == pytest.approx(sum(net.loss(x, y_hat, cost) for x, y_hat in zip(X, Y_hat)), rel=1e-12)


def test_numerical_gradient_has_the_structure_of_grads(lecture_net):
    trace = lecture_net.forward([[1, -1], [0.5, 2]])
    grads = lecture_net.backward(trace, [[1, 0], [0, 1]])
    numeric = lecture7.numerical_gradient(lecture_net, [[1, -1], [0.5, 2]], [[1, 0], [0, 1]], cost="squared_error", eps=1e-6)
    assert isinstance(numeric, lecture7.Gradients)
    for q in ("delta", "dW", "db"):
        assert [g.shape for g in getattr(numeric, q)] == [g.shape for g in getattr(grads, q)]


def test_gradient_check_names_the_first_wrong_layer_and_neuron(lecture_net):
    x, y_hat = [1, -1], [1, 0]
    grads = lecture_net.backward(lecture_net.forward(x), y_hat)
    grads.dW[1][1, 0] += 1e-3
    report = lecture7.gradient_check(lecture_net, x, y_hat, grads=grads)
    assert not report.ok
    assert (report.mismatch.layer, report.mismatch.neuron) == (2, 2)   # counted from 1: net.weights[1], row 1
    assert report.errors[0]["dW"] < 1e-7 and report.errors[1]["dW"] > 1e-3
    assert "layer 2, neuron 2" in str(report) and "entry (2, 1) — grads.dW[1][1, 0] in code" in str(report)
    with pytest.raises(AssertionError, match="layer 2, neuron 2"):
        lecture7.assert_gradients_close(lecture_net, x, y_hat, grads=grads)


def test_gradient_check_catches_a_wrong_delta_in_a_batch(lecture_net):
    X, Y_hat = [[1, -1], [0.5, 2], [0, 0]], [[1, 0], [0, 1], [1, 1]]
    grads = lecture_net.backward(lecture_net.forward(X), Y_hat)
    grads.delta[0][2, 1] *= 2
    report = lecture7.gradient_check(lecture_net, X, Y_hat, grads=grads)
    m = report.mismatch
    assert (m.layer, m.neuron, m.quantity, m.index, m.entry) == (1, 2, "delta", (2, 1), (3, 2))
    assert m.code == "grads.delta[0][2, 1]"
    assert "δ of layer 1, entry (3, 2) — grads.delta[0][2, 1] in code" in str(report)


def test_gradient_check_names_the_first_wrong_layer_of_the_backward_pass(lecture_net):
    """A wrong δ spoils every layer below it, so the report starts from the output layer, as backprop does."""
    x, y_hat = [1, -1], [1, 0]
    grads = lecture_net.backward(lecture_net.forward(x), y_hat)
    grads.dW[0][0, 0] += 1e-3
    grads.dW[2][1, 1] += 1e-3
    m = lecture7.gradient_check(lecture_net, x, y_hat, grads=grads).mismatch
    assert (m.layer, m.neuron, m.quantity, m.index) == (3, 2, "dW", (1, 1))


# ---- the verdict at a large ε: truncation error, estimated from ε and 2ε ------------------------

LECTURE_EXAMPLE = (lecture7.LECTURE_INPUT, [1, 0])


def test_the_report_counts_layers_from_1(lecture_net):
    rows = str(lecture7.gradient_check(lecture_net, *LECTURE_EXAMPLE)).splitlines()[1:-1]
    assert [row.split()[0] for row in rows] == ["1", "2", "3"]


def test_a_correct_gradient_agrees_at_eps_1e_2_within_the_truncation_error(lecture_net):
    report = lecture7.assert_gradients_close(lecture_net, *LECTURE_EXAMPLE, eps=1e-2)
    assert report.max_error > 1e-6   # far above the tolerance 1e-7: only truncation explains it
    assert len(report.explained) == 9
    text = str(report).splitlines()[-1]
    assert "at ε = 0.01 central differences carry a truncation error up to 1.7e-05" in text
    assert "(relative, ∝ ε², estimated from ε and 2ε); backprop is within it" in text
    for l, q in report.explained:
        # the estimate measures the truncation error itself: the allowance is twice it, to 0.1 %
        assert report.truncation[l - 1][q] == pytest.approx(2 * report.errors[l - 1][q], rel=1e-3)


def test_the_truncation_error_grows_like_eps_squared(lecture_net):
    coarse, fine = (lecture7.gradient_check(lecture_net, *LECTURE_EXAMPLE, eps=eps) for eps in (1e-2, 5e-3))
    for l in range(3):
        for q in ("delta", "dW", "db"):
            assert coarse.truncation[l][q] / fine.truncation[l][q] == pytest.approx(4, rel=0.01)
            assert coarse.errors[l][q] / fine.errors[l][q] == pytest.approx(4, rel=0.01)


def test_a_passing_check_at_the_default_eps_takes_the_central_differences_once(lecture_net, monkeypatch):
    calls = []
    real = lecture7.gradcheck.numerical_gradient
    monkeypatch.setattr(lecture7.gradcheck, "numerical_gradient", lambda *args: calls.append(args[4]) or real(*args))
    report = lecture7.gradient_check(lecture_net, *LECTURE_EXAMPLE)
    assert report.ok and report.truncation is None and report.explained == []
    assert calls == [1e-6]
    assert "truncation" not in str(report)


def _flip_a_sign(grads):   # as a wrong index or a missing minus sign would
    grads.dW[1][0, 1] *= -1


def _add_1e_3(grads):      # far smaller than the entry, 0.0542, yet far above the truncation error at ε = 1e-2
    grads.dW[1][1, 0] += 1e-3


BUGS = {
    "sign-flipped": (_flip_a_sign, (2, 1, "dW", (0, 1)),
                     "layer 2, neuron 1 disagrees first: dW of layer 2, entry (1, 2) — grads.dW[1][0, 1] in code — "
                     "is 0.00545507 by backprop but -0.00545507 by central differences (tolerance 1e-07)"),
    "off-by-1e-3": (_add_1e_3, (2, 2, "dW", (1, 0)),
                    "layer 2, neuron 2 disagrees first: dW of layer 2, entry (2, 1) — grads.dW[1][1, 0] in code — "
                    "is 0.0551684 by backprop but 0.054168"),
}


@pytest.mark.parametrize("eps", [1e-2, 1e-6], ids=["eps=1e-2", "default-eps"])
@pytest.mark.parametrize("bug", BUGS)
def test_a_real_bug_is_reported_at_a_large_eps_as_at_the_default(lecture_net, bug, eps):
    plant, where, line = BUGS[bug]
    grads = lecture_net.backward(lecture_net.forward(LECTURE_EXAMPLE[0]), LECTURE_EXAMPLE[1])
    plant(grads)
    report = lecture7.gradient_check(lecture_net, *LECTURE_EXAMPLE, eps=eps, grads=grads)
    m = report.mismatch
    assert (m.layer, m.neuron, m.quantity, m.index) == where
    assert str(report).splitlines()[-1].startswith(line)
    # at ε = 1e-2 truncation explains every other quantity of the 9; at 1e-6 none needs it
    assert len(report.explained) == (8 if eps == 1e-2 else 0)


def test_relative_error():
    assert lecture7.relative_error([1.0, 2.0], [1.0, 2.0]) == 0
    assert lecture7.relative_error([0.0], [0.0]) == 0
    assert lecture7.relative_error([1.0], [-1.0]) == 1
    assert lecture7.relative_error([1.0], [1.1]) == pytest.approx(0.1 / 2.1)


def test_relu_derivative_at_zero_is_zero():
    relu = lecture7.ACTIVATIONS["relu"]
    np.testing.assert_array_equal(relu.df(np.array([-1.0, 0.0, 2.0]), None), [0.0, 0.0, 1.0])


@pytest.mark.parametrize("weights,biases,activation,x,y_hat", [
    ([[[1.0]]], [[1.0]], "identity", [0.0], [1.0]),                      # output already on target: ∇L = 0
    ([[[20.0]], [[1.0]]], [[0.0], [0.0]], "sigmoid", [1.5], [0.0]),       # saturated sigmoid, z = 30
], ids=["zero-gradient", "saturated"])
def test_gradients_that_are_zero_up_to_rounding_pass(weights, biases, activation, x, y_hat):
    net = lecture7.Network.from_weights(weights, biases, activation=activation)
    report = lecture7.assert_gradients_close(net, x, y_hat)
    delta, z = lecture7.numerical_gradient(net, x, y_hat).delta, net.forward(x).z
    scale = max(1, net.loss(x, y_hat) + sum(np.abs(d * z_l).sum() for d, z_l in zip(delta, z)))
    assert report.floor == pytest.approx(10 * scale * np.finfo(float).eps / 1e-6)


def test_rounding_in_a_large_z_is_not_a_disagreement():
    """z¹ = 10⁴ and z² = z¹ − 10⁴ + 0.5: L = ½ (z²)² is small, but z² carries the rounding of 10⁴, which central
    differences at ε = 10⁻⁶ turn into a relative error above 10⁻⁷. The floor counts |∂L/∂z · z| for that."""
    net = lecture7.Network.from_weights([[[1e4]], [[1.0]]], [[0.0], [-1e4 + 0.5]], activation="identity")
    report = lecture7.gradient_check(net, [1.0], [0.0])
    assert report.max_error > 1e-7 and report.ok, str(report)
    wrong = net.backward(net.forward([1.0]), [0.0])
    wrong.db[1] += 1e-3   # a real error, far above that rounding, is still found
    assert not lecture7.gradient_check(net, [1.0], [0.0], grads=wrong).ok


def test_from_weights_copies_the_arrays():
    W, b = np.array([[1.0, 2.0]]), np.array([0.5])
    net = lecture7.Network.from_weights([W], [b], activation="identity")
    lecture7.train(net, [[1.0, 1.0]], [[0.0]], learning_rate=0.1, epochs=1)
    assert W.tolist() == [[1.0, 2.0]] and b.tolist() == [0.5]
    assert net.weights[0].tolist() != [[1.0, 2.0]]
