"""Training by gradient descent: the digits accuracy target, XOR, history and progress."""
import numpy as np
import pytest

import lecture7
from lecture7 import datasets


@pytest.fixture(scope="module")
def digits_split():
    return datasets.digits().split(test_fraction=0.25, seed=0)


def test_digits_reach_97_percent_test_accuracy(digits_split):
    train, test = digits_split
    net = lecture7.Network([64, 64, 10], activation="relu", output_activation="softmax", seed=0)
    history = lecture7.train(net, train.X, train.Y, cost="cross_entropy", learning_rate=0.01,
                             epochs=30, batch_size=32, seed=0, validation=(test.X, test.Y))
    assert lecture7.accuracy(net, test.X, test.Y) >= 0.97
    assert history.val_accuracy[-1] == lecture7.accuracy(net, test.X, test.Y)
    assert history.loss[-1] < history.loss[0] / 5


def test_float32_training_works(digits_split):
    train, test = digits_split
    net = lecture7.Network([64, 32, 10], activation="tanh", output_activation="softmax", seed=1, dtype="float32")
    lecture7.train(net, train.X, train.Y, cost="cross_entropy", learning_rate=0.01, epochs=15, batch_size=32)
    assert all(W.dtype == np.float32 for W in net.weights)
    assert lecture7.accuracy(net, test.X, test.Y) >= 0.93


def test_xor_with_full_batch_gradient_descent():
    data = datasets.xor(n=200, noise=0.1, seed=0)
    net = lecture7.Network([2, 4, 2], activation="tanh", output_activation="softmax", seed=0)
    history = lecture7.train(net, data.X, data.Y, cost="cross_entropy", learning_rate=0.01, epochs=300)
    assert history.accuracy[-1] == 1.0
    assert len(history.loss) == history.epochs == 300


def test_one_gradient_descent_step_is_the_update_rule(lecture_net):
    """θ¹ = θ⁰ − η ∇L(θ⁰) for one full-batch step."""
    X, Y_hat = np.array([[1.0, -1.0], [0.5, 0.5]]), np.array([[1.0, 0.0], [0.0, 1.0]])
    before = [W.copy() for W in lecture_net.weights]
    grads = lecture_net.backward(lecture_net.forward(X), Y_hat)
    history = lecture7.train(lecture_net, X, Y_hat, learning_rate=0.5, epochs=1)
    for W0, dW, W1 in zip(before, grads.dW, lecture_net.weights):
        np.testing.assert_allclose(W1, W0 - 0.5 * dW, rtol=1e-15)
    assert history.loss == [pytest.approx(lecture7.lecture_network().loss(X, Y_hat))]
    assert history.accuracy == [0.5]


def test_training_is_deterministic_for_a_seed():
    data = datasets.two_moons(n=100, seed=3)
    runs = []
    for _ in range(2):
        net = lecture7.Network([2, 5, 2], activation="sigmoid", output_activation="softmax", seed=4)
        runs.append(lecture7.train(net, data.X, data.Y, cost="cross_entropy", learning_rate=0.05, epochs=5, batch_size=10, seed=7).loss)
    assert runs[0] == runs[1]


def test_progress_is_reported_each_epoch(capsys):
    data = datasets.xor(n=40, seed=1)
    seen = []
    net = lecture7.Network([2, 3, 2], output_activation="softmax", seed=0)
    lecture7.train(net, data.X, data.Y, cost="cross_entropy", epochs=3, progress=lambda e, h: seen.append((e, h.epochs)))
    assert seen == [(1, 1), (2, 2), (3, 3)]
    lecture7.train(net, data.X, data.Y, cost="cross_entropy", epochs=2, progress=True)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[1].startswith("epoch   2  loss ") and "accuracy" in lines[1]
    lecture7.train(net, data.X, data.Y, cost="cross_entropy", epochs=7, progress=3)
    assert [line[:9] for line in capsys.readouterr().out.splitlines()] == ["epoch   3", "epoch   6"]


def test_regression_targets_have_no_accuracy():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 3))
    Y_hat = X @ rng.normal(size=(3, 1)) * 0.1
    net = lecture7.Network([3, 1], activation="identity", seed=0)
    history = lecture7.train(net, X, Y_hat, learning_rate=0.02, epochs=200)
    assert history.accuracy == [] and history.loss[-1] < 1e-6
    with pytest.raises(ValueError, match="accuracy needs class targets"):
        lecture7.accuracy(net, X, Y_hat)


def test_divergence_is_reported():
    data = datasets.xor(n=50, seed=0)
    net = lecture7.Network([2, 3, 2], activation="identity", seed=0)
    with pytest.raises(FloatingPointError, match="smaller learning_rate"):
        lecture7.train(net, data.X * 1e3, data.Y, learning_rate=10.0, epochs=50)


def test_single_sigmoid_output_accuracy_thresholds_at_one_half():
    net = lecture7.Network.from_weights([[[1.0]]], [[0.0]], activation="sigmoid")
    assert lecture7.accuracy(net, [[2.0], [-2.0], [1.0]], [[1.0], [0.0], [0.0]]) == pytest.approx(2 / 3)
