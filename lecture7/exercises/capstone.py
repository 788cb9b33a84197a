"""Notebook 7, the capstone: forward pass with its cache, backward pass and training loop, written with numpy alone.

The learner's functions take a network as two lists, weights[l] = W^{l+1} of shape (n_out, n_in) and
biases[l] = b^{l+1}, and a batch as rows of examples. forward's cache is [a⁰ = x, a¹, …, aᴸ]; backward's
(dW, db) is compared with central differences; train with lecture7.train, step for step, and then with what it
learns: XOR and the digits. While the learner's function runs, the package's passes, its train and its σ raise.
"""
import numpy as np

import lecture7 as package   # the names a learner reaches as lecture7.…, patched while their function runs

from .. import activations, training
from ..activations import sigmoid
from ..datasets import digits, xor
from ..gradcheck import numerical_gradient
from ..network import LECTURE_INPUT, Network, lecture_network
from ..training import accuracy
from ..i18n import N_, _
from . import Case, Exercise, Mistake, register
from ._cases import random_network

# The package's passes as they are now: the stand-ins and the known mistakes below use them while the learner's
# function runs, when Network.forward and Network.backward raise.
_FORWARD, _BACKWARD, _TRAIN = Network.forward, Network.backward, training.train

FORBIDDEN = ((Network, "forward"), (Network, "backward"), (package, "train"), (training, "train"),
             (package, "numerical_gradient"), (package, "gradient_check"), (package, "forward_per_layer"),
             (package, "forward_per_neuron"), (package, "backward_per_layer"), (package, "backward_per_neuron"),
             (package, "sigmoid"), (activations, "sigmoid"))
# Names of the package's own answer, for the grader's scan. Not "forward" and "backward": those are also the
# learner's own functions, which their train calls by name (and sigmoid is often the name of their own σ).
PACKAGE = frozenset({"Network", "from_weights", "lecture_network", "train", "numerical_gradient", "gradient_check",
                     "forward_per_layer", "forward_per_neuron", "backward_per_layer", "backward_per_neuron",
                     "neuron_delta", "neuron_gradient", "neuron_z", "ACTIVATIONS", "OUTPUT_ACTIVATIONS",
                     "get_activation", "COSTS", "get_cost", "dense_forward", "dense_backward", "_run", "_backward",
                     "_epoch", "_step", "exercises"})

# Networks of the forward and backward cases after the lecture network: one of equal widths (where a mistake
# that needs square matrices shows and is named), then ones whose W are not square, of 1 to 4 layers.
SIZES = ((3, 3, 3, 3), (3, 5, 4, 2), (4, 2), (2, 6, 3, 4, 1))
BATCHES = (4, 5, 3, 2)

# train: XOR from fixed weights. From this start every one of 500 shuffle seeds tried reaches accuracy 1 within
# 50 of the 150 epochs; from some others, sigmoid neurons with the squared error stall for thousands of epochs
# at 75–80% accuracy (from the start of seed 0, 2 of 60 shuffles, for 3000 epochs and more).
XOR_START, XOR_SIZES, XOR_STEPS = 9, (2, 4, 2), (1.0, 150, 8)   # the steps: η, epochs, batch size
# the digits: a right answer reaches 0.958 to 0.982 test accuracy over the 300 seeds tried (mean 0.970)
DIGITS_SIZES, DIGITS_STEPS, DIGITS_THRESHOLD = (64, 32, 10), (0.25, 40, 16), 0.95


def _network(rng, sizes):
    """(weights, biases) of a network with these layer sizes, every entry drawn from rng (no bias is 0)."""
    net = random_network(rng, sizes)
    return net.weights, net.biases


def _problems(rng):
    """[(label, weights, biases, x, y_hat)]: the lecture network on its input and on a batch, then networks from rng."""
    net = lecture_network()
    problems = [(N_("the lecture network, x = (1, −1)"), net.weights, net.biases,
                 np.array([LECTURE_INPUT]), np.array([[1.0, 0.0]])),
                (N_("the lecture network, a batch of {n}", n=3), net.weights, net.biases, rng.normal(size=(3, 2)),
                 rng.uniform(size=(3, 2)))]
    for sizes, n in zip(SIZES, BATCHES):
        weights, biases = _network(rng, sizes)
        problems.append((N_("a {sizes} network, a batch of {n}", sizes="-".join(map(str, sizes)), n=n), weights, biases,
                         rng.normal(size=(n, sizes[0])), rng.uniform(size=(n, sizes[-1]))))
    return problems


def _trace(weights, biases, x):
    return _FORWARD(Network.from_weights(weights, biases), x)


# ---- forward ------------------------------------------------------------------------------------------------

def forward_cases(rng):
    return [Case(label, (W, b, x), lambda W=W, b=b, x=x: _trace(W, b, x).a) for label, W, b, x, _y_hat in _problems(rng)]


def _forward_with(layer):
    """The cache a forward pass returns that computes each layer's a as layer(W, b, a of the layer below)."""
    def answer(weights, biases, x):
        cache = [np.asarray(x, dtype=float)]
        for W, b in zip(weights, biases):
            cache.append(layer(W, b, cache[-1]))
        return cache
    return answer


FORWARD_MISTAKES = (
    Mistake(N_("without the input a⁰ = x at the start of the cache"), lambda W, b, x: _trace(W, b, x).a[1:]),
    Mistake(N_("returning only the output y instead of the cache"), lambda W, b, x: _trace(W, b, x).a[-1]),
    Mistake(N_("with the z's in the cache in place of the activations"),
            lambda W, b, x: [np.asarray(x, dtype=float), *_trace(W, b, x).z]),
    Mistake(N_("with σ left out of the output layer"), lambda W, b, x: [*_trace(W, b, x).a[:-1], _trace(W, b, x).z[-1]]),
    Mistake(N_("without the transpose of W"), _forward_with(lambda W, b, a: sigmoid(a @ W + b))),
    Mistake(N_("with the examples as columns instead of rows"), lambda W, b, x: [a.T for a in _trace(W, b, x).a]),
    Mistake(N_("without the bias"), _forward_with(lambda W, b, a: sigmoid(a @ W.T))),
    Mistake(N_("with the bias added after σ"), _forward_with(lambda W, b, a: sigmoid(a @ W.T) + b)),
)


# ---- backward -----------------------------------------------------------------------------------------------

def backward_cases(rng):
    cases = []
    for label, W, b, x, y_hat in _problems(rng):
        def central_differences(W=W, b=b, x=x, y_hat=y_hat):
            numeric = numerical_gradient(Network.from_weights(W, b), x, y_hat, "squared_error")
            return numeric.dW, numeric.db
        # central differences are good to about 1e-10 here: a tolerance of 1e-7 leaves no wrong δ of a deep layer unseen
        cases.append(Case(label, (W, b, _trace(W, b, x).a, y_hat), central_differences, atol=1e-7))
    return cases


def _sigmoid_prime(a):
    return a * (1 - a)


def _backprop(weights, cache, y_hat, prime=_sigmoid_prime, through=np.matmul, gain=0, entering=0, output_gain=True,
              db_of=lambda delta: delta.sum(axis=0)):
    """(dW, db) of L = Σₙ Cⁿ by the four equations, rows being examples, with one knob per known mistake: σ′ as
    prime(a), δ carried one layer back as through(δ, W), σ′ taken `gain` layers above the right one, dW from the
    activations `entering` layers above the layer's input, σ′ at the output layer or not, db as db_of(δ)."""
    y = cache[-1]
    delta = (prime(y) if output_gain else 1) * (y - y_hat)
    dW, db = [None] * len(weights), [None] * len(weights)
    for l in reversed(range(len(weights))):
        dW[l], db[l] = delta.T @ cache[l + entering], db_of(delta)
        if l > 0:
            delta = prime(cache[l + gain]) * through(delta, weights[l])
    return dW, db


def _backprop_with(**knobs):
    return lambda weights, biases, cache, y_hat: _backprop(weights, cache, y_hat, **knobs)


def _then(change):
    """A mistake made on the right (dW, db): change(dW, db, batch size) is what comes back."""
    return lambda weights, biases, cache, y_hat: change(*_backprop(weights, cache, y_hat), len(cache[0]))


BACKWARD_MISTAKES = (
    Mistake(N_("without the transpose of W"), _backprop_with(through=lambda delta, W: delta @ W.T)),
    Mistake(N_("with σ′ of the wrong layer"), _backprop_with(gain=1)),
    Mistake(N_("with σ′ taken of a as if a were z"), _backprop_with(prime=lambda a: _sigmoid_prime(sigmoid(a)))),
    Mistake(N_("without σ′ at the output layer"), _backprop_with(output_gain=False)),
    Mistake(N_("with the activations of the wrong layer in dW"), _backprop_with(entering=1)),
    Mistake(N_("with db not summed over the examples"), _backprop_with(db_of=lambda delta: delta)),
    Mistake(N_("with y and ŷ the wrong way round"), _then(lambda dW, db, n: ([-g for g in dW], [-g for g in db]))),
    Mistake(N_("averaging over the minibatch instead of summing"), _then(lambda dW, db, n: ([g / n for g in dW], [g / n for g in db]))),
    Mistake(N_("with dW transposed"), _then(lambda dW, db, n: ([g.T for g in dW], db))),
    Mistake(N_("with the layers in reverse order"), _then(lambda dW, db, n: (dW[::-1], db[::-1]))),
    Mistake(N_("with dW and db swapped"), _then(lambda dW, db, n: (db, dW))),
)


def _package_forward(weights, biases, x):
    return _trace(weights, biases, x).a


def _package_backward(weights, biases, cache, y_hat):
    net = Network.from_weights(weights, biases)
    grads = _BACKWARD(net, _FORWARD(net, cache[0]), y_hat)   # the package's trace, from the cache's input
    return grads.dW, grads.db


def given():
    """The package's forward and backward under the learner's names: what train builds on when its cell runs alone."""
    return {"forward": _package_forward, "backward": _package_backward}


# ---- train --------------------------------------------------------------------------------------------------

def _package_trained(weights, biases, X, Y_hat, eta, epochs, batch_size, seed):
    net = Network.from_weights(weights, biases)
    _TRAIN(net, X, Y_hat, "squared_error", eta, epochs, batch_size, seed)
    return net.weights, net.biases


def _as_network(got, like):
    """The learner's trained (weights, biases) as a Network, or why they are not one (a sentence)."""
    shapes = [[np.shape(p) for p in part] for part in like]
    wanted = _("(weights, biases), two lists of arrays shaped like the ones train was given, {shapes}", shapes=shapes)
    if not isinstance(got, (list, tuple)) or len(got) != 2 or not all(isinstance(p, (list, tuple)) for p in got):
        return _("expected {wanted}; got {type}", wanted=wanted, type=type(got).__name__)
    try:
        arrays = [[np.asarray(p, dtype=float) for p in part] for part in got]
    except (TypeError, ValueError):
        return _("expected {wanted}; got entries that are not arrays of numbers", wanted=wanted)
    if [[p.shape for p in part] for part in arrays] != shapes:
        return _("expected {wanted}; got shapes {shapes}", wanted=wanted, shapes=[[p.shape for p in part] for part in arrays])
    if not all(np.isfinite(p).all() for part in arrays for p in part):
        return _("the trained weights hold NaN or inf: the steps diverged")
    return Network.from_weights(*arrays)


def _reaches(threshold, X, Y_hat, like, what):
    """A judge: the trained network, shaped like `like`, classifies (X, Y_hat) with accuracy ≥ threshold."""
    def judge(got):
        net = _as_network(got, like)
        if isinstance(net, str):
            return net
        score = accuracy(net, X, Y_hat)
        return None if score >= threshold else _("{what} is {score:.3f}, below {threshold:g}", what=_(what), score=score,
                                                  threshold=threshold)
    return judge


def train_cases(rng):
    weights, biases = _network(rng, (3, 4, 2))
    X, Y_hat, eta = rng.normal(size=(10, 3)), rng.uniform(size=(10, 2)), float(rng.uniform(0.5, 2.0))
    exact = (weights, biases, X, Y_hat, eta, 3, 4, int(rng.integers(1000)))
    data = xor(n=40, seed=0)
    start = _network(np.random.default_rng(XOR_START), XOR_SIZES)
    xor_args = (*start, data.X, data.Y, *XOR_STEPS, int(rng.integers(1000)))
    digits_train, digits_test = digits().split(test_fraction=0.25, seed=0)
    net = Network(list(DIGITS_SIZES), seed=int(rng.integers(1000)))
    digits_args = (net.weights, net.biases, digits_train.X, digits_train.Y, *DIGITS_STEPS, int(rng.integers(1000)))
    return [
        Case(N_("3 epochs on 10 examples in minibatches of 4, η = {eta:.3f}, step for step as lecture7.train", eta=eta), exact,
             lambda: _package_trained(*exact)),
        Case(N_("XOR, 40 points, a 2-4-2 network: accuracy 1"), xor_args,
             judge=_reaches(1.0, data.X, data.Y, start, N_("the accuracy on the XOR points"))),
        Case(N_("the digits, a 64-32-10 network: test accuracy ≥ {threshold:g}", threshold=DIGITS_THRESHOLD), digits_args,
             judge=_reaches(DIGITS_THRESHOLD, digits_test.X, digits_test.Y, (net.weights, net.biases),
                            N_("the test accuracy on {n} held-out digits", n=len(digits_test)))),
    ]


def _minibatches(n, epochs, batch_size, seed, shuffle=True, fresh=False, keep_last=True):
    """The rows of every step, in order: each epoch the order rng.permutation(n) of one generator (0 … n − 1 without
    shuffling; with `fresh`, a new generator each epoch), cut into runs of batch_size (the last one shorter)."""
    rng, steps = np.random.default_rng(seed), []
    for _round in range(epochs):
        if fresh:
            rng = np.random.default_rng(seed)
        order = rng.permutation(n) if shuffle else np.arange(n)
        end = n if keep_last else n - n % batch_size
        steps += [order[start:start + batch_size] for start in range(0, end, batch_size)]
    return steps


def _descend(weights, biases, X, Y_hat, eta, steps, targets=None, mean=False):
    """Gradient descent with the package's passes, a step θ ← θ − η∇L per array of rows in `steps` (the rows of Y_hat:
    `targets`, when they are not the same); with `mean`, L is the mean over the minibatch instead of the sum."""
    net = Network.from_weights(weights, biases)
    for rows, target_rows in zip(steps, targets or steps):
        grads = _BACKWARD(net, _FORWARD(net, X[rows]), Y_hat[target_rows])
        step = eta / len(rows) if mean else eta
        for param, gradient in zip(net.weights + net.biases, grads.dW + grads.db):
            param -= step * gradient
    return net.weights, net.biases


def _trained(sign=1, epochs_short=0, batch_size=None, mean=False, targets_shuffled=True, **schedule):
    """A mistaken train: the step's sign, epochs left out, a batch size of its own (a function of n), the mean, the
    targets taken in their own order, and how the minibatches are drawn."""
    def answer(weights, biases, X, Y_hat, eta, epochs, size, seed):
        size = batch_size(len(X)) if batch_size else size
        steps = _minibatches(len(X), epochs - epochs_short, size, seed, **schedule)
        targets = None if targets_shuffled else _minibatches(len(X), epochs - epochs_short, size, seed, shuffle=False)
        return _descend(weights, biases, X, Y_hat, sign * eta, steps, targets, mean)
    return answer


TRAIN_MISTAKES = (
    Mistake(N_("without shuffling"), _trained(shuffle=False)),
    Mistake(N_("with the same order in every epoch"), _trained(fresh=True)),
    Mistake(N_("with the targets left in their order while the inputs are shuffled"), _trained(targets_shuffled=False)),
    Mistake(N_("averaging the gradient over each minibatch instead of summing"), _trained(mean=True)),
    Mistake(N_("leaving out the last, shorter minibatch"), _trained(keep_last=False)),
    Mistake(N_("with one example per step"), _trained(batch_size=lambda n: 1)),
    Mistake(N_("with the whole training set in every step"), _trained(batch_size=lambda n: n)),
    Mistake(N_("with one epoch too few"), _trained(epochs_short=1)),
    Mistake(N_("stepping up the gradient instead of down"), _trained(sign=-1)),
)


register("capstone_forward", Exercise("07_capstone", "forward", 2, forward_cases, FORWARD_MISTAKES, PACKAGE, FORBIDDEN))
register("capstone_backward", Exercise("07_capstone", "backward", 3, backward_cases, BACKWARD_MISTAKES, PACKAGE,
                                       FORBIDDEN, given=given))
register("capstone_train", Exercise("07_capstone", "train", 3, train_cases, TRAIN_MISTAKES, PACKAGE, FORBIDDEN,
                                    given=given))
