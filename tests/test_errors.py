"""Bad input fails loudly and clearly.

Every bad input must raise ValueError (TypeError for a wrong type) whose message names what was
expected and what came, never a bare numpy broadcasting error, a RuntimeWarning or a silent NaN.
Valid but extreme input (|z| = 1e4) must stay finite and silent.

Each check runs with warnings turned into errors, so a numpy RuntimeWarning (overflow, divide by
zero, invalid value) on the way to the error counts as a failure, not as a pass.
"""
import re
import warnings
from contextlib import contextmanager

import numpy as np
import pytest

import lecture7
from lecture7 import Network


# ---------------------------------------------------------------------------------------------
# helpers


@contextmanager
def raises(exc_type, *facts):
    """Expect `exc_type` whose message holds every fact: a str (literal substring) or a compiled
    regex (searched). Warnings are errors inside, so numpy cannot warn on the way to the error."""
    with pytest.raises(exc_type) as info:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            yield info
    message = str(info.value)
    for fact in facts:
        if isinstance(fact, re.Pattern):
            assert fact.search(message), f"pattern {fact.pattern!r} not found in message: {message!r}"
        else:
            assert fact in message, f"{fact!r} not found in message: {message!r}"


@contextmanager
def silent():
    """No warning of any kind may be raised inside."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def sigmoid_net(sizes=(2, 3, 2), **kwargs):
    return Network(list(sizes), activation="sigmoid", seed=0, **kwargs)


def softmax_net(sizes=(2, 3, 2), **kwargs):
    return Network(list(sizes), activation="sigmoid", output_activation="softmax", seed=0, **kwargs)


X_ONE = np.array([0.5, -1.0])
Y_HAT_ONE = np.array([0.0, 1.0])
X_BATCH = np.array([[0.5, -1.0], [1.0, 2.0], [-0.3, 0.1], [2.0, 0.0]])
Y_HAT_BATCH = np.eye(2)[[0, 1, 1, 0]]


def shape_facts(expected, got):
    """The facts a y_hat-shape message must state: the expected shape and the shape that came."""
    return (f"y_hat must have shape {expected}", f"got shape {got}")


# Everything that takes a target y_hat for one example, as f(net, x, y_hat, cost).
Y_HAT_CONSUMERS_ONE = {
    "net.backward": lambda net, x, y_hat, cost: net.backward(net.forward(x), y_hat, cost),
    "net.loss": lambda net, x, y_hat, cost: net.loss(x, y_hat, cost),
    "numerical_gradient": lambda net, x, y_hat, cost: lecture7.numerical_gradient(net, x, y_hat, cost),
    "gradient_check": lambda net, x, y_hat, cost: lecture7.gradient_check(net, x, y_hat, cost),
    "backward_per_neuron": lambda net, x, y_hat, cost: lecture7.backward_per_neuron(net, lecture7.forward_per_neuron(net, x), y_hat, cost),
    "backward_per_layer": lambda net, x, y_hat, cost: lecture7.backward_per_layer(net, lecture7.forward_per_layer(net, x), y_hat, cost),
}

# Everything that takes targets Y_hat for a batch, as f(net, X, Y_hat, cost).
Y_HAT_CONSUMERS_BATCH = {
    "net.backward": Y_HAT_CONSUMERS_ONE["net.backward"],
    "net.loss": Y_HAT_CONSUMERS_ONE["net.loss"],
    "numerical_gradient": Y_HAT_CONSUMERS_ONE["numerical_gradient"],
    "gradient_check": Y_HAT_CONSUMERS_ONE["gradient_check"],
    "train": lambda net, x, y_hat, cost: lecture7.train(net, x, y_hat, cost=cost, epochs=1),
}

# Everything that takes an input x, as f(net, x); y_hat is made to fit so only x can be wrong.
def _fit_y_hat(net, x):
    x = np.asarray(x)
    return np.zeros(x.shape[:-1] + (net.sizes[-1],)) if x.ndim in (1, 2) and x.dtype.kind in "biuf" else np.zeros(net.sizes[-1])


X_CONSUMERS = {
    "net.forward": lambda net, x: net.forward(x),
    "net.predict": lambda net, x: net.predict(x),
    "net.loss": lambda net, x: net.loss(x, _fit_y_hat(net, x)),
    "numerical_gradient": lambda net, x: lecture7.numerical_gradient(net, x, _fit_y_hat(net, x)),
}
X_CONSUMERS_ONE = {
    **X_CONSUMERS,
    "forward_per_neuron": lambda net, x: lecture7.forward_per_neuron(net, x),
    "forward_per_layer": lambda net, x: lecture7.forward_per_layer(net, x),
}
X_CONSUMERS_BATCH = {
    **X_CONSUMERS,
    "train": lambda net, x: lecture7.train(net, x, _fit_y_hat(net, x), epochs=1),
}


# ---------------------------------------------------------------------------------------------
# x of the wrong shape


X_ONE_BAD = {
    "too-many-features": (np.array([1.0, 2.0, 3.0]), "(3,)"),
    "too-few-features": (np.array([1.0]), "(1,)"),
    "column-vector": (np.array([[1.0], [-1.0]]), "(2, 1)"),
    "scalar": (np.float64(1.0), "()"),
    "empty": (np.array([]), "(0,)"),
    "3-D": (np.zeros((2, 3, 2)), "(2, 3, 2)"),
}


@pytest.mark.parametrize("consumer", X_CONSUMERS_ONE, ids=str)
@pytest.mark.parametrize("case", X_ONE_BAD, ids=str)
def test_x_of_wrong_shape_one_example(consumer, case):
    x, got = X_ONE_BAD[case]
    with raises(ValueError, "x must have shape (2,)", "(batch, 2)", "2 neurons of the input layer", f"got shape {got}"):
        X_CONSUMERS_ONE[consumer](sigmoid_net(), x)


X_BATCH_BAD = {
    "too-many-features": (np.zeros((4, 3)), "(4, 3)"),
    "too-few-features": (np.zeros((4, 1)), "(4, 1)"),
    "transposed": (np.zeros((2, 4)), "(2, 4)"),
    "3-D": (np.zeros((4, 1, 2)), "(4, 1, 2)"),
}


@pytest.mark.parametrize("consumer", X_CONSUMERS_BATCH, ids=str)
@pytest.mark.parametrize("case", X_BATCH_BAD, ids=str)
def test_x_of_wrong_shape_batch(consumer, case):
    x, got = X_BATCH_BAD[case]
    with raises(ValueError, "x must have shape (2,)", "(batch, 2)", f"got shape {got}"):
        X_CONSUMERS_BATCH[consumer](sigmoid_net(), x)


@pytest.mark.parametrize("consumer", X_CONSUMERS_BATCH, ids=str)
def test_empty_batch_says_it_is_empty(consumer):
    # A (0, 2) batch has the right feature count, so the message must say what is wrong with it:
    # the batch has no examples. "expected (batch, 2), got (0, 2)" alone does not say that.
    with raises(ValueError, "shape (0, 2)", re.compile(r"empty|at least one|no example", re.I)):
        X_CONSUMERS_BATCH[consumer](sigmoid_net(), np.zeros((0, 2)))


def test_ragged_x():
    with raises(ValueError, "x must be a rectangular array", "different lengths"):
        sigmoid_net().forward([[1.0, 2.0], [3.0]])


def test_train_rejects_one_example_as_X():
    with raises(ValueError, "X must be a batch of shape (n, 2)", "got shape (2,)"):
        lecture7.train(sigmoid_net(), X_ONE, Y_HAT_ONE)


@pytest.mark.parametrize("consumer", ["forward_per_neuron", "forward_per_layer"])
def test_per_neuron_per_layer_forward_reject_a_batch(consumer):
    with raises(ValueError, "one example", "(n_in,)", "got shape (4, 2)", "net.forward"):
        X_CONSUMERS_ONE[consumer](sigmoid_net(), X_BATCH)


@pytest.mark.parametrize("backward", [lecture7.backward_per_neuron, lecture7.backward_per_layer],
                         ids=["backward_per_neuron", "backward_per_layer"])
def test_per_neuron_per_layer_backward_reject_a_batch(backward):
    net = sigmoid_net()
    with raises(ValueError, "one example", "got shape (4, 2)", "net.backward"):
        backward(net, net.forward(X_BATCH), Y_HAT_BATCH)


# ---------------------------------------------------------------------------------------------
# y_hat of the wrong shape


Y_HAT_ONE_BAD = {
    "wrong-n_out": (np.zeros(3), "(3,)"),
    "batch-of-one": (np.zeros((1, 2)), "(1, 2)"),
    "scalar": (np.float64(1.0), "()"),
    "empty": (np.array([]), "(0,)"),
}


@pytest.mark.parametrize("consumer", Y_HAT_CONSUMERS_ONE, ids=str)
@pytest.mark.parametrize("case", Y_HAT_ONE_BAD, ids=str)
def test_y_hat_of_wrong_shape_one_example(consumer, case):
    y_hat, got = Y_HAT_ONE_BAD[case]
    with raises(ValueError, *shape_facts("(2,)", got), "the output layer has 2 neurons", "one example"):
        Y_HAT_CONSUMERS_ONE[consumer](sigmoid_net(), X_ONE, y_hat, "squared_error")


Y_HAT_BATCH_BAD = {
    "wrong-n_out": (np.zeros((4, 3)), "(4, 3)"),
    "wrong-batch-length": (np.zeros((5, 2)), "(5, 2)"),
    "1-D-for-a-batch": (np.zeros(2), "(2,)"),
    "labels-not-one-hot": (np.array([0, 1, 1, 0]), "(4,)"),
    "transposed": (np.zeros((2, 4)), "(2, 4)"),
}


@pytest.mark.parametrize("consumer", Y_HAT_CONSUMERS_BATCH, ids=str)
@pytest.mark.parametrize("case", Y_HAT_BATCH_BAD, ids=str)
def test_y_hat_of_wrong_shape_batch(consumer, case):
    y_hat, got = Y_HAT_BATCH_BAD[case]
    with raises(ValueError, *shape_facts("(4, 2)", got), "a batch of 4 examples", "one_hot"):
        Y_HAT_CONSUMERS_BATCH[consumer](sigmoid_net(), X_BATCH, y_hat, "squared_error")


@pytest.mark.parametrize("consumer", Y_HAT_CONSUMERS_BATCH, ids=str)
def test_1d_y_hat_for_a_single_output_batch(consumer):
    # the commonest slip: y_hat of shape (n,) for a network with one output neuron
    net = sigmoid_net((2, 3, 1))
    with raises(ValueError, *shape_facts("(4, 1)", "(4,)"), "the output layer has 1 neurons"):
        Y_HAT_CONSUMERS_BATCH[consumer](net, X_BATCH, np.array([0.0, 1.0, 1.0, 0.0]), "squared_error")


def test_accuracy_y_hat_of_wrong_shape():
    with raises(ValueError, *shape_facts("(4, 2)", "(4,)")):
        lecture7.accuracy(sigmoid_net(), X_BATCH, np.array([0, 1, 1, 0]))


def test_train_validation_of_wrong_shape_says_validation():
    with raises(ValueError, "validation", *shape_facts("(4, 2)", "(4, 3)")):
        lecture7.train(sigmoid_net(), X_BATCH, Y_HAT_BATCH, epochs=1, validation=(X_BATCH, np.zeros((4, 3))))


def test_train_validation_not_a_pair():
    with raises(TypeError, "validation must be a pair (X_val, Y_hat_val)"):
        lecture7.train(sigmoid_net(), X_BATCH, Y_HAT_BATCH, epochs=1, validation=X_BATCH)


# ---------------------------------------------------------------------------------------------
# weights and biases


def test_weights_do_not_chain():
    weights = [np.zeros((3, 2)), np.zeros((2, 4))]
    with raises(ValueError, "weights do not chain", "weights[0] has shape (3, 2)", "3 outputs",
                "weights[1] has shape (2, 4)", "4 inputs", "expected weights[1] of shape (2, 3)"):
        Network.from_weights(weights, [np.zeros(3), np.zeros(2)])


def test_weights_do_not_chain_deeper_layer():
    weights = [np.zeros((3, 2)), np.zeros((4, 3)), np.zeros((2, 3))]
    with raises(ValueError, "weights[1] has shape (4, 3)", "weights[2] has shape (2, 3)", "expected weights[2] of shape (2, 4)"):
        Network.from_weights(weights, [np.zeros(3), np.zeros(4), np.zeros(2)])


@pytest.mark.parametrize("bias,got", [(np.zeros(2), "(2,)"), (np.zeros((3, 1)), "(3, 1)"), (np.float64(0.0), "()")],
                         ids=["wrong-length", "column", "scalar"])
def test_bias_of_wrong_shape(bias, got):
    with raises(ValueError, "biases[0] must have shape (3,)", "weights[0] of shape (3, 2)", f"got shape {got}"):
        Network.from_weights([np.zeros((3, 2)), np.zeros((2, 3))], [bias, np.zeros(2)])


@pytest.mark.parametrize("W,got", [(np.zeros(3), "(3,)"), (np.zeros((2, 3, 2)), "(2, 3, 2)"), (np.zeros((0, 2)), "(0, 2)")],
                         ids=["vector", "3-D", "empty"])
def test_weight_not_a_matrix(W, got):
    with raises(ValueError, "weights[0] must be a matrix of shape (n_out, n_in)", f"got shape {got}"):
        Network.from_weights([W], [np.zeros(3)])


@pytest.mark.parametrize("n_weights,n_biases", [(2, 1), (1, 2), (0, 0)])
def test_different_number_of_weights_and_biases(n_weights, n_biases):
    weights = [np.zeros((2, 2))] * n_weights
    biases = [np.zeros(2)] * n_biases
    with raises(ValueError, "one bias vector per weight matrix", f"got {n_weights} weights and {n_biases} biases"):
        Network.from_weights(weights, biases)


@pytest.mark.parametrize("which", ["weights", "biases"])
@pytest.mark.parametrize("value,type_name", [(np.zeros((2, 2)), "ndarray"), ({0: np.zeros((2, 2))}, "dict"), (None, "NoneType")],
                         ids=["ndarray", "dict", "None"])
def test_weights_or_biases_not_a_list(which, value, type_name):
    params = {"weights": [np.zeros((2, 2))], "biases": [np.zeros(2)]}
    params[which] = value
    with raises(TypeError, f"{which} must be a list with one array per layer", f"got {type_name}"):
        Network.from_weights(params["weights"], params["biases"])


def test_ragged_weight_matrix():
    with raises(ValueError, "weights[0] must be a rectangular array", "different lengths"):
        Network.from_weights([[[1.0, 2.0], [3.0]]], [np.zeros(2)])


def test_weights_of_strings():
    with raises(TypeError, "weights[0] must be an array of numbers", "dtype <U"):
        Network.from_weights([[["a", "b"], ["c", "d"]]], [np.zeros(2)])


# ---------------------------------------------------------------------------------------------
# NaN and inf


NON_FINITE = {"nan": np.nan, "inf": np.inf, "-inf": -np.inf}


@pytest.mark.parametrize("consumer", X_CONSUMERS_ONE, ids=str)
@pytest.mark.parametrize("value", NON_FINITE, ids=str)
def test_non_finite_x_one_example(consumer, value):
    x = np.array([0.5, NON_FINITE[value]])
    with raises(ValueError, "x must hold finite numbers", f"it has {NON_FINITE[value]} at index (1,)"):
        X_CONSUMERS_ONE[consumer](sigmoid_net(), x)


@pytest.mark.parametrize("consumer", X_CONSUMERS_BATCH, ids=str)
@pytest.mark.parametrize("value", NON_FINITE, ids=str)
def test_non_finite_x_batch(consumer, value):
    x = X_BATCH.copy()
    x[2, 0] = NON_FINITE[value]
    with raises(ValueError, "x must hold finite numbers", f"it has {NON_FINITE[value]} at index (2, 0)"):
        X_CONSUMERS_BATCH[consumer](sigmoid_net(), x)


@pytest.mark.parametrize("consumer", Y_HAT_CONSUMERS_ONE, ids=str)
@pytest.mark.parametrize("value", NON_FINITE, ids=str)
def test_non_finite_y_hat_one_example(consumer, value):
    y_hat = np.array([NON_FINITE[value], 1.0])
    with raises(ValueError, "y_hat must hold finite numbers", f"it has {NON_FINITE[value]} at index (0,)"):
        Y_HAT_CONSUMERS_ONE[consumer](sigmoid_net(), X_ONE, y_hat, "squared_error")


@pytest.mark.parametrize("consumer", Y_HAT_CONSUMERS_BATCH, ids=str)
@pytest.mark.parametrize("value", NON_FINITE, ids=str)
def test_non_finite_y_hat_batch(consumer, value):
    y_hat = Y_HAT_BATCH.copy()
    y_hat[3, 1] = NON_FINITE[value]
    with raises(ValueError, "y_hat must hold finite numbers", f"it has {NON_FINITE[value]} at index (3, 1)"):
        Y_HAT_CONSUMERS_BATCH[consumer](sigmoid_net(), X_BATCH, y_hat, "squared_error")


@pytest.mark.parametrize("which", ["weights", "biases"])
@pytest.mark.parametrize("value", NON_FINITE, ids=str)
def test_non_finite_parameters(which, value):
    weights = [np.ones((3, 2)), np.ones((2, 3))]
    biases = [np.zeros(3), np.zeros(2)]
    params = {"weights": weights, "biases": biases}
    params[which][1] = params[which][1].copy()
    params[which][1].flat[1] = NON_FINITE[value]
    index = "(0, 1)" if which == "weights" else "(1,)"
    with raises(ValueError, f"{which}[1] must hold finite numbers", f"it has {NON_FINITE[value]} at index {index}"):
        Network.from_weights(weights, biases)


def test_float32_network_rejects_x_too_large_for_float32():
    # 1e39 is finite, but not in float32: the cast must not warn and the message must not claim x is inf
    net = sigmoid_net(dtype=np.float32)
    with raises(ValueError, "float32", re.compile(r"1(\.0*)?e\+?39")):
        net.forward(np.array([1e39, 0.0]))


# ---------------------------------------------------------------------------------------------
# non-numeric input


NON_NUMERIC = {
    "str": ("ab", "got str"),
    "list-of-str": (["a", "b"], "dtype <U1"),
    "None": (None, "got NoneType"),
    "objects": (np.array([1.0, None], dtype=object), "dtype object"),
    "complex": (np.array([1.0 + 1j, 2.0]), "dtype complex128"),
}


@pytest.mark.parametrize("consumer", X_CONSUMERS_ONE, ids=str)
@pytest.mark.parametrize("case", NON_NUMERIC, ids=str)
def test_non_numeric_x(consumer, case):
    x, got = NON_NUMERIC[case]
    with raises(TypeError, "x must be an array of numbers", got):
        X_CONSUMERS_ONE[consumer](sigmoid_net(), x)


@pytest.mark.parametrize("consumer", Y_HAT_CONSUMERS_ONE, ids=str)
@pytest.mark.parametrize("case", NON_NUMERIC, ids=str)
def test_non_numeric_y_hat(consumer, case):
    y_hat, got = NON_NUMERIC[case]
    with raises(TypeError, "y_hat must be an array of numbers", got):
        Y_HAT_CONSUMERS_ONE[consumer](sigmoid_net(), X_ONE, y_hat, "squared_error")


def test_train_non_numeric_X():
    with raises(TypeError, "x must be an array of numbers", "dtype <U"):
        lecture7.train(sigmoid_net(), [["a", "b"]] * 4, Y_HAT_BATCH)


# ---------------------------------------------------------------------------------------------
# activations and costs


HIDDEN_NAMES = ["identity", "relu", "sigmoid", "tanh"]


@pytest.mark.parametrize("name", ["sigmod", "ReLU", "", "linear"])
def test_unknown_hidden_activation(name):
    with raises(ValueError, f"unknown hidden activation {name!r}", "valid names", *(repr(n) for n in HIDDEN_NAMES)):
        Network([2, 3, 2], activation=name, output_activation="sigmoid")


@pytest.mark.parametrize("name", ["softmx", "Softmax", "linear"])
def test_unknown_output_activation(name):
    with raises(ValueError, f"unknown output activation {name!r}", "valid names", *(repr(n) for n in HIDDEN_NAMES + ["softmax"])):
        Network([2, 3, 2], activation="sigmoid", output_activation=name)


def test_unknown_output_activation_from_weights():
    with raises(ValueError, "unknown output activation 'softmx'", "'softmax'"):
        Network.from_weights([np.zeros((2, 2))], [np.zeros(2)], output_activation="softmx")


@pytest.mark.parametrize("output", ["softmax", "sigmoid", None])
def test_softmax_as_hidden_activation(output):
    with raises(ValueError, "unknown hidden activation 'softmax'", "only for the output layer", "output_activation='softmax'"):
        Network([2, 3, 2], activation="softmax", output_activation=output)


@pytest.mark.parametrize("role,kwargs", [
    ("hidden activation", {"activation": np.tanh}),
    ("hidden activation", {"activation": 3}),
    ("hidden activation", {"activation": None}),
    ("hidden activation", {"activation": ["sigmoid"]}),
    ("output activation", {"activation": "sigmoid", "output_activation": lecture7.softmax}),
    ("output activation", {"activation": "sigmoid", "output_activation": 1}),
], ids=["hidden-function", "hidden-int", "hidden-None", "hidden-list", "output-function", "output-int"])
def test_activation_not_a_str(role, kwargs):
    with raises(TypeError, f"{role} must be a name (str)", "'sigmoid'"):
        Network([2, 3, 2], **kwargs)


COST_CONSUMERS = {**Y_HAT_CONSUMERS_ONE, "train": lambda net, x, y_hat, cost: lecture7.train(net, X_BATCH, Y_HAT_BATCH, cost=cost, epochs=1)}


@pytest.mark.parametrize("consumer", COST_CONSUMERS, ids=str)
@pytest.mark.parametrize("cost", ["mse", "crossentropy", "squared error"])
def test_unknown_cost(consumer, cost):
    with raises(ValueError, f"unknown cost {cost!r}", "valid names", "'squared_error'", "'cross_entropy'"):
        COST_CONSUMERS[consumer](softmax_net(), X_ONE, Y_HAT_ONE, cost)


@pytest.mark.parametrize("consumer", COST_CONSUMERS, ids=str)
@pytest.mark.parametrize("cost", [None, 0, lecture7.COSTS["squared_error"]], ids=["None", "int", "Cost-object"])
def test_cost_not_a_str(consumer, cost):
    with raises(TypeError, "cost must be a name (str)", "'squared_error'", "'cross_entropy'"):
        COST_CONSUMERS[consumer](softmax_net(), X_ONE, Y_HAT_ONE, cost)


@pytest.mark.parametrize("consumer", COST_CONSUMERS, ids=str)
@pytest.mark.parametrize("cost,needed,output", [
    (cost, needed, output)
    for cost, needed, others in [("cross_entropy", "softmax", ["sigmoid", "identity", "tanh"]),
                                 ("binary_cross_entropy", "sigmoid", ["softmax", "identity", "tanh"])]
    for output in others
])
def test_a_cross_entropy_needs_its_output(consumer, cost, needed, output):
    net = Network([2, 3, 2], activation="relu", output_activation=output)
    with raises(ValueError, f"{cost!r} needs a {needed} output layer", f"output activation is {output!r}",
                f"output_activation={needed!r}"):
        COST_CONSUMERS[consumer](net, X_ONE, Y_HAT_ONE, cost)


# ---------------------------------------------------------------------------------------------
# learning rate, epochs, batch size


@pytest.mark.parametrize("name,value", [
    ("learning_rate", 0), ("learning_rate", 0.0), ("learning_rate", -0.1), ("learning_rate", np.nan),
    ("learning_rate", np.inf), ("learning_rate", -np.inf),
    ("epochs", 0), ("epochs", -3),
    ("batch_size", 0), ("batch_size", -2),
])
def test_train_non_positive_number(name, value):
    with raises(ValueError, f"{name} must be positive (> 0)", f"got {value!r}"):
        lecture7.train(sigmoid_net(), X_BATCH, Y_HAT_BATCH, **{"epochs": 1, name: value})


@pytest.mark.parametrize("name,value,type_name", [
    ("learning_rate", "0.1", "str"), ("learning_rate", None, "NoneType"), ("learning_rate", True, "bool"),
    ("epochs", 2.0, "float"), ("epochs", 2.5, "float"), ("epochs", "10", "str"), ("epochs", True, "bool"),
    ("batch_size", 2.0, "float"), ("batch_size", "4", "str"),
])
def test_train_wrong_type_of_number(name, value, type_name):
    expected = "a positive number" if name == "learning_rate" else "a positive int"
    with raises(TypeError, f"{name} must be {expected}", f"got {value!r} ({type_name})"):
        lecture7.train(sigmoid_net(), X_BATCH, Y_HAT_BATCH, **{"epochs": 1, name: value})


@pytest.mark.parametrize("progress", ["yes", 2.5, [1]])
def test_train_progress_of_the_wrong_kind(progress):
    with raises(TypeError, "progress must be None, True, a number of epochs between lines or a function",
                f"got {progress!r}"):
        lecture7.train(sigmoid_net(), X_BATCH, Y_HAT_BATCH, epochs=1, progress=progress)


@pytest.mark.parametrize("progress", [0, -3])
def test_train_progress_every_non_positive(progress):
    with raises(ValueError, "progress must be positive (> 0)", f"got {progress!r}"):
        lecture7.train(sigmoid_net(), X_BATCH, Y_HAT_BATCH, epochs=1, progress=progress)


@pytest.mark.parametrize("l,j,delta_next,facts", [
    (2, 0, [0.1, 0.2], ["l must be a hidden layer, an integer in 0..1", "the output layer, whose δ comes from the cost", "got 2"]),
    (-1, 0, [0.1, 0.2], ["l must be a hidden layer", "got -1"]),
    (0.0, 0, [0.1, 0.2], ["l must be a hidden layer", "got 0.0"]),
    (0, 2, [0.1, 0.2], ["j must be a neuron of layer 0, an integer in 0..1", "got 2"]),
    (1, 0, [0.1, 0.2, 0.3], ["delta_next must be δ of layer 2, shape (2,)", "got shape (3,)"]),
])
def test_neuron_delta_bad_indices(l, j, delta_next, facts):
    net = lecture7.lecture_network()
    with raises(ValueError, *facts):
        lecture7.neuron_delta(net, net.forward(X_ONE), delta_next, l, j)


def test_neuron_delta_rejects_a_batch():
    net = lecture7.lecture_network()
    with raises(ValueError, "take one example", "got shape (3, 2)"):
        lecture7.neuron_delta(net, net.forward(np.ones((3, 2))), [0.1, 0.2], 0, 0)


@pytest.mark.parametrize("eps", [0, -1e-6, np.nan])
def test_numerical_gradient_bad_eps(eps):
    with raises(ValueError, "eps must be positive (> 0)", f"got {eps!r}"):
        lecture7.numerical_gradient(sigmoid_net(), X_ONE, Y_HAT_ONE, eps=eps)


@pytest.mark.parametrize("tolerance", [0, -1.0, np.nan])
def test_gradient_check_bad_tolerance(tolerance):
    with raises(ValueError, "tolerance must be positive (> 0)", f"got {tolerance!r}"):
        lecture7.gradient_check(sigmoid_net(), X_ONE, Y_HAT_ONE, tolerance=tolerance)


# grads handed to gradient_check: an array of the wrong shape is named, not broadcast
GRADS_BAD = {
    # a batch's db summed over the neurons instead of the examples: shape (4,) where b has (2,)
    "db-over-the-wrong-axis": ("db", 1, lambda g: g.delta[1].sum(axis=1),
                               ["grads.db[1], the db of layer 2", "that layer's b, (2,)", "got shape (4,)", "axis 0"]),
    "dW-a-column-short": ("dW", 2, lambda g: g.dW[2][:, :1],
                          ["grads.dW[2], the dW of layer 3", "that layer's W, (2, 2)", "got shape (2, 1)"]),
    "delta-of-one-example": ("delta", 0, lambda g: g.delta[0][0],
                             ["grads.delta[0], the delta of layer 1", "that layer's z, (4, 2)", "got shape (2,)"]),
}


@pytest.mark.parametrize("case", GRADS_BAD, ids=str)
def test_gradient_check_names_grads_of_the_wrong_shape(case):
    quantity, l, wrong, facts = GRADS_BAD[case]
    net = lecture7.lecture_network()
    grads = net.backward(net.forward(X_BATCH), Y_HAT_BATCH)
    getattr(grads, quantity)[l] = wrong(grads)
    with raises(ValueError, *facts):
        lecture7.gradient_check(net, X_BATCH, Y_HAT_BATCH, grads=grads)


def test_gradient_check_needs_grads_for_every_layer():
    net = lecture7.lecture_network()
    grads = net.backward(net.forward(X_ONE), Y_HAT_ONE)
    grads.db.pop()
    with raises(ValueError, "grads.db must hold one array per layer, 3 for sizes [2, 2, 2, 2]", "got 2"):
        lecture7.gradient_check(net, X_ONE, Y_HAT_ONE, grads=grads)


def test_gradient_check_needs_gradients():
    with raises(TypeError, "grads must be the Gradients that net.backward returns", "got dict"):
        lecture7.gradient_check(sigmoid_net(), X_ONE, Y_HAT_ONE, grads={"dW": []})


# ---------------------------------------------------------------------------------------------
# sizes and dtype


@pytest.mark.parametrize("sizes,facts", [
    ([2], ["at least an input and an output layer", "got [2]"]),
    ([], ["at least an input and an output layer", "got []"]),
    ([2, 0], ["at least one neuron", "got sizes [2, 0]"]),
    ([2, 3, -1], ["at least one neuron", "got sizes [2, 3, -1]"]),
], ids=["one-layer", "empty", "zero-neurons", "negative"])
def test_bad_sizes_value(sizes, facts):
    with raises(ValueError, *facts):
        Network(sizes)


@pytest.mark.parametrize("sizes,facts", [
    ([2, "a"], ["sizes must hold ints", "got [2, 'a']"]),
    ([2, 3.0], ["sizes must hold ints", "got [2, 3.0]"]),
    ([2, True], ["sizes must hold ints", "got [2, True]"]),
    ("232", ["sizes must be a list of layer sizes", "got '232'"]),
    (5, ["sizes must be a list of layer sizes", "got 5"]),
    (None, ["sizes must be a list of layer sizes", "got None"]),
], ids=["str-entry", "float-entry", "bool-entry", "str", "int", "None"])
def test_bad_sizes_type(sizes, facts):
    with raises(TypeError, *facts):
        Network(sizes)


@pytest.mark.parametrize("dtype,got", [(np.int64, "int64"), ("float16", "float16"), (np.float16, "float16"),
                                       (int, "int64"), (np.complex128, "complex128"), (bool, "bool")],
                         ids=["int64", "float16-str", "float16", "int", "complex128", "bool"])
def test_bad_dtype(dtype, got):
    with raises(ValueError, "dtype must be float32 or float64", f"got {got}"):
        Network([2, 2], dtype=dtype)


def test_bad_dtype_from_weights():
    with raises(ValueError, "dtype must be float32 or float64", "got int32"):
        Network.from_weights([np.zeros((2, 2))], [np.zeros(2)], dtype="int32")


def test_dtype_not_a_dtype():
    with raises(TypeError, "dtype must be float32 or float64", "got 'nonsense'"):
        Network([2, 2], dtype="nonsense")


# ---------------------------------------------------------------------------------------------
# chain rule and a single neuron


def _square(t):
    return t * t


@pytest.mark.parametrize("which", ["g", "h"])
@pytest.mark.parametrize("value,type_name", [(3, "int"), ("sin", "str"), (np.array([1.0]), "ndarray")], ids=["int", "str", "ndarray"])
def test_chain_rule_case1_not_callable(which, value, type_name):
    funcs = {"g": np.sin, "h": _square, which: value}
    with raises(TypeError, f"{which} must be a function", f"got {type_name}"):
        lecture7.chain_rule_case1(funcs["g"], funcs["h"], 0.5)


@pytest.mark.parametrize("which", ["g", "h", "k", "dg", "dk_dx"])
def test_chain_rule_case2_not_callable(which):
    funcs = {"g": np.sin, "h": np.cos, "k": lambda x, y: x * y, "dg": None, "dk_dx": None, which: 2.0}
    with raises(TypeError, f"{which} must be a function", "got float"):
        lecture7.chain_rule_case2(funcs["g"], funcs["h"], funcs["k"], 0.5, dg=funcs["dg"], dk_dx=funcs["dk_dx"])


@pytest.mark.parametrize("value", NON_FINITE, ids=str)
def test_chain_rule_non_finite_point(value):
    with raises(ValueError, "x must be a finite number", f"got {NON_FINITE[value]}"):
        lecture7.chain_rule_case1(np.sin, _square, NON_FINITE[value])
    with raises(ValueError, "s must be a finite number", f"got {NON_FINITE[value]}"):
        lecture7.chain_rule_case2(np.sin, np.cos, lambda x, y: x * y, NON_FINITE[value])


@pytest.mark.parametrize("value,type_name", [("1.0", "str"), ([1.0], "list"), (None, "NoneType"), (True, "bool")],
                         ids=["str", "list", "None", "bool"])
def test_chain_rule_point_not_a_number(value, type_name):
    with raises(TypeError, "x must be a number", f"({type_name})"):
        lecture7.chain_rule_case1(np.sin, _square, value)
    with raises(TypeError, "s must be a number", f"({type_name})"):
        lecture7.chain_rule_case2(np.sin, np.cos, lambda x, y: x * y, value)


@pytest.mark.parametrize("eps", [0, -1e-6])
def test_chain_rule_bad_eps(eps):
    with raises(ValueError, "eps must be positive (> 0)"):
        lecture7.chain_rule_case1(np.sin, _square, 0.5, eps=eps)


@pytest.mark.parametrize("x,w,got", [
    ([1.0, 2.0], [1.0, 2.0, 3.0], "got shapes (2,) and (3,)"),
    ([1.0, 2.0, 3.0], [1.0], "got shapes (3,) and (1,)"),
    ([[1.0, 2.0]], [[1.0, 2.0]], "got shapes (1, 2) and (1, 2)"),
], ids=["w-longer", "w-shorter", "matrices"])
def test_neuron_x_and_w_of_different_lengths(x, w, got):
    with raises(ValueError, "x and w must be vectors of the same length", got):
        lecture7.neuron_z(x, w, 0.0)
    with raises(ValueError, "x and w must be vectors of the same length", got):
        lecture7.neuron_gradient(x, w, 0.0, 1.0)


def test_neuron_b_as_a_vector():
    with raises(ValueError, "b must be a single number", "got an array of shape (2,)"):
        lecture7.neuron_z([1.0, 2.0], [3.0, 4.0], [0.5, 0.5])


def test_neuron_gradient_dC_dz_as_a_vector():
    with raises(ValueError, "dC_dz must be a single number", "got an array of shape (2,)"):
        lecture7.neuron_gradient([1.0, 2.0], [3.0, 4.0], 0.5, [1.0, 1.0])


def test_neuron_non_finite_and_non_numeric():
    with raises(ValueError, "w must hold finite numbers", "nan"):
        lecture7.neuron_z([1.0, 2.0], [np.nan, 4.0], 0.0)
    with raises(TypeError, "x must be an array of numbers", "got str"):
        lecture7.neuron_z("12", [3.0, 4.0], 0.0)
    with raises(ValueError, "b must hold finite numbers", "inf"):
        lecture7.neuron_z([1.0, 2.0], [3.0, 4.0], np.inf)


# ---------------------------------------------------------------------------------------------
# data sets


@pytest.mark.parametrize("labels,n_classes", [([0, 3], 3), ([-1, 0], 2), ([0, 1, 2], 2)], ids=["too-big", "negative", "one-past"])
def test_one_hot_labels_out_of_range(labels, n_classes):
    bad = next(i for i, label in enumerate(labels) if not 0 <= label < n_classes)
    with raises(ValueError, f"labels must lie in 0 … {n_classes - 1}", f"labels[{bad}] is {labels[bad]}"):
        lecture7.one_hot(labels, n_classes)


def test_one_hot_names_the_bad_label_in_a_long_vector():
    # with thousands of labels numpy's repr elides the middle: the message must still name the culprit
    labels = np.arange(3000) % 3
    labels[1500] = 7
    with raises(ValueError, "0 … 2", "7"):
        lecture7.one_hot(labels, 3)


def test_one_hot_of_a_matrix_names_its_shape():
    # passing targets that are already one-hot: the message must say a vector was expected and what shape came
    with raises(ValueError, "labels must be a vector", "(4, 2)"):
        lecture7.one_hot(Y_HAT_BATCH.astype(int), 2)


def test_one_hot_of_strings_is_a_type_error():
    with raises(TypeError, "labels must be", "ints"):
        lecture7.one_hot(["cat", "dog"], 2)


@pytest.mark.parametrize("n_classes,exc,facts", [
    (0, ValueError, ["n_classes must be positive (> 0)", "got 0"]),
    (2.0, TypeError, ["n_classes must be a positive int", "got 2.0 (float)"]),
])
def test_one_hot_bad_n_classes(n_classes, exc, facts):
    with raises(exc, *facts):
        lecture7.one_hot([0, 1], n_classes)


@pytest.mark.parametrize("make", [lecture7.datasets.xor, lecture7.datasets.two_moons, lecture7.datasets.spirals],
                         ids=["xor", "two_moons", "spirals"])
@pytest.mark.parametrize("n,exc,facts", [
    (0, ValueError, ["n must be positive (> 0)", "got 0"]),
    (-10, ValueError, ["n must be positive (> 0)", "got -10"]),
    (10.0, TypeError, ["n must be a positive int", "got 10.0 (float)"]),
    ("10", TypeError, ["n must be a positive int", "got '10' (str)"]),
], ids=["zero", "negative", "float", "str"])
def test_dataset_bad_n(make, n, exc, facts):
    with raises(exc, *facts):
        make(n=n)


def test_dataset_bad_noise():
    with raises(ValueError, "noise must be ≥ 0", "got -0.1"):
        lecture7.datasets.xor(noise=-0.1)
    with raises(ValueError, "noise must hold finite numbers", "nan"):
        lecture7.datasets.xor(noise=np.nan)


@pytest.mark.parametrize("fraction", [0, 1, -0.5, 1.5])
def test_dataset_split_bad_fraction(fraction):
    with raises(ValueError, "test_fraction must lie strictly between 0 and 1", f"got {fraction}"):
        lecture7.datasets.xor(n=20).split(test_fraction=fraction)


# ---------------------------------------------------------------------------------------------
# traces


BACKWARDS = {
    "net.backward": lambda net, trace, y_hat: net.backward(trace, y_hat),
    "backward_per_neuron": lambda net, trace, y_hat: lecture7.backward_per_neuron(net, trace, y_hat),
    "backward_per_layer": lambda net, trace, y_hat: lecture7.backward_per_layer(net, trace, y_hat),
}


@pytest.mark.parametrize("backward", BACKWARDS, ids=str)
@pytest.mark.parametrize("trace,type_name", [(X_ONE, "ndarray"), (([], []), "tuple"), (None, "NoneType"),
                                             ({"z": [], "a": []}, "dict")], ids=["ndarray", "tuple", "None", "dict"])
def test_backward_of_something_that_is_not_a_trace(backward, trace, type_name):
    with raises(TypeError, "trace must be the Trace that net.forward(x) returns", f"got {type_name}"):
        BACKWARDS[backward](sigmoid_net(), trace, Y_HAT_ONE)


@pytest.mark.parametrize("backward", BACKWARDS, ids=str)
@pytest.mark.parametrize("other_sizes,got", [
    ([2, 4, 2], "[4, 2]"),      # a different hidden layer
    ([2, 3, 3], "[3, 3]"),      # a different output layer
    ([2, 3, 3, 2], "[3, 3, 2]"),  # one layer more
    ([2, 2], "[2]"),            # one layer fewer
], ids=["hidden", "output", "deeper", "shallower"])
def test_trace_from_a_network_of_different_layer_sizes(backward, other_sizes, got):
    net, other = sigmoid_net((2, 3, 2)), sigmoid_net(other_sizes)
    trace = lecture7.forward_per_layer(other, X_ONE)
    with raises(ValueError, f"trace has layers of sizes [2, {str(got)[1:]}", "this network's layers have [2, 3, 2]"):
        BACKWARDS[backward](net, trace, np.zeros(other_sizes[-1]))


@pytest.mark.parametrize("backward", BACKWARDS, ids=str)
def test_trace_from_a_network_with_a_different_input_layer(backward):
    # same hidden and output sizes, so only the input layer tells them apart; accepting it would give
    # dW[0] of shape (3, 5) for a W[0] of shape (3, 2)
    net, other = sigmoid_net((2, 3, 2)), sigmoid_net((5, 3, 2))
    trace = lecture7.forward_per_layer(other, np.ones(5))
    with raises(ValueError, "trace", re.compile(r"\b5\b"), re.compile(r"\b2\b")):
        BACKWARDS[backward](net, trace, Y_HAT_ONE)


# ---------------------------------------------------------------------------------------------
# valid but extreme input: finite and silent


def _extreme_net(hidden, output, dtype):
    """Two layers whose pre-activations are ±1e4 (and more after relu / identity) at x = (1, 1)."""
    W0 = 1e4 * np.array([[1.0, 0.0], [0.0, -1.0]])
    W1 = 1e4 * np.array([[1.0, -1.0], [-1.0, 1.0]])
    net = Network.from_weights([W0, W1], [np.zeros(2), np.zeros(2)], activation=hidden, output_activation=output, dtype=dtype)
    return net, np.array([1.0, 1.0])


def _all_finite(grads):
    return all(np.isfinite(arr).all() for part in (grads.delta, grads.dW, grads.db) for arr in part)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
def test_sigmoid_and_softmax_finite_and_silent_at_extreme_z(dtype):
    z = np.array([1e4, -1e4, 0.0, 800.0, -800.0], dtype=dtype)
    with silent():
        s = lecture7.sigmoid(z)
        p = lecture7.softmax(np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]], dtype=dtype))
    assert np.isfinite(s).all() and np.isfinite(p).all()
    np.testing.assert_allclose(s, [1.0, 0.0, 0.5, 1.0, 0.0])
    np.testing.assert_allclose(p, [[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("hidden", HIDDEN_NAMES)
@pytest.mark.parametrize("output", ["sigmoid", "softmax", "tanh"])
def test_squared_error_finite_and_silent_at_extreme_z(hidden, output, dtype):
    net, x = _extreme_net(hidden, output, dtype)
    xb = np.stack([x, -x, x])
    with silent():
        trace = net.forward(x)
        assert np.abs(trace.z[0]).max() >= 1e4
        grads = net.backward(trace, Y_HAT_ONE)
        loss = net.loss(x, Y_HAT_ONE)
        batch_grads = net.backward(net.forward(xb), np.eye(2)[[0, 1, 0]])
        layer = lecture7.backward_per_layer(net, lecture7.forward_per_layer(net, x), Y_HAT_ONE)
        neuron = lecture7.backward_per_neuron(net, lecture7.forward_per_neuron(net, x), Y_HAT_ONE)
    assert all(np.isfinite(a).all() for a in trace.a)
    assert np.isfinite(loss)
    assert _all_finite(grads) and _all_finite(batch_grads) and _all_finite(layer) and _all_finite(neuron)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("hidden", HIDDEN_NAMES)
@pytest.mark.parametrize("target", [0, 1], ids=["right-class", "wrong-class"])
def test_cross_entropy_finite_and_silent_with_huge_logits(hidden, target, dtype):
    net, x = _extreme_net(hidden, "softmax", dtype)
    y_hat = np.eye(2)[target]
    with silent():
        trace = net.forward(x)
        loss = net.loss(x, y_hat, "cross_entropy")
        grads = net.backward(trace, y_hat, "cross_entropy")
        batch_loss = net.loss(np.stack([x, x]), np.stack([y_hat, y_hat]), "cross_entropy")
    assert np.isfinite(trace.a[-1]).all()
    assert np.isfinite(loss) and np.isfinite(batch_loss)
    assert _all_finite(grads)
    # the logits are (+Z, −Z) with Z ≥ 1e4: C = 0 for the right class and 2Z for the wrong one
    Z = float(trace.z[-1][0])
    assert loss == pytest.approx(0.0 if target == 0 else 2 * Z, rel=1e-6, abs=1e-6)


@pytest.mark.parametrize("hidden", HIDDEN_NAMES)
def test_cross_entropy_numerical_gradient_finite_with_huge_logits(hidden):
    net, x = _extreme_net(hidden, "softmax", np.float64)
    with silent():
        numeric = lecture7.numerical_gradient(net, x, np.array([0.0, 1.0]), "cross_entropy")
    assert _all_finite(numeric)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("granularity", ["per_layer", "per_neuron"])
@pytest.mark.parametrize("target", [0, 1], ids=["right-class", "wrong-class"])
def test_cross_entropy_per_layer_per_neuron_finite_with_huge_logits(granularity, target, dtype):
    # the per-layer / per-neuron forms compute ∂C/∂a = −ŷ / a, which is 0/0 or 1/0 where softmax underflows
    net, x = _extreme_net("sigmoid", "softmax", dtype)
    forward = getattr(lecture7, f"forward_{granularity}")
    backward = getattr(lecture7, f"backward_{granularity}")
    y_hat = np.eye(2)[target]
    with silent():
        grads = backward(net, forward(net, x), y_hat, "cross_entropy")
    assert _all_finite(grads)
    reference = net.backward(net.forward(x), y_hat, "cross_entropy")
    for l in range(2):
        np.testing.assert_allclose(grads.delta[l], reference.delta[l], rtol=1e-5, atol=1e-6)


def test_train_finite_and_silent_with_huge_logits():
    net, x = _extreme_net("sigmoid", "softmax", np.float64)
    X = np.stack([x, -x, x, -x])
    Y_hat = np.eye(2)[[1, 0, 1, 0]]
    with silent():
        history = lecture7.train(net, X, Y_hat, cost="cross_entropy", learning_rate=1e-6, epochs=3)
    assert all(np.isfinite(history.loss))
    assert all(np.isfinite(W).all() for W in net.weights)
