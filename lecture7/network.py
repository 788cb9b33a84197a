"""A fully connected network, its forward pass and its backward pass (minibatch matrix form).

Notation of the lecture: layer l has weights W[l] of shape (n_out, n_in) and biases b[l] of
shape (n_out,); z = W a + b is the pre-activation, a = σ(z) the activation, δ = ∂C/∂z.
Rows are examples, so a batch computes z = a Wᵀ + b. The forward pass returns a `Trace`
holding every z and a; the backward pass consumes it.
"""
from dataclasses import dataclass

import numpy as np

from ._validate import as_array, check_dtype, check_input, check_target
from .activations import get_activation
from .costs import get_cost
from .i18n import _


@dataclass
class Trace:
    """What the forward pass leaves for the backward pass.

    z[l]: pre-activations of layer l, shape (n_out,) or (batch, n_out);
    a[0] is the input x and a[l + 1] = σ(z[l]).
    """

    z: list
    a: list


@dataclass
class Gradients:
    """delta[l] = ∂L/∂z[l] (shape of z[l]); dW[l], db[l] = ∂L/∂W[l], ∂L/∂b[l] (shapes of W[l], b[l])."""

    delta: list
    dW: list
    db: list

    def vector(self):
        """∇L as the lecture's column: every ∂L/∂w (layer by layer, row by row of each dW), then every ∂L/∂b."""
        return np.concatenate([dW.ravel() for dW in self.dW] + [db.ravel() for db in self.db])


def dense_forward(a_prev, W, b):
    """z = W a + b; for a batch (rows are examples), z = a Wᵀ + b."""
    z = a_prev @ W.T
    z += b   # in place: no second array the size of z
    return z


def dense_backward(delta, a_prev):
    """∂C/∂W[i, j] = ∂z_i/∂W[i, j] · ∂C/∂z_i = a_prev[j] · δ[i] (forward pass × backward pass); ∂C/∂b = δ.

    For a batch the products are summed over examples, since L = Σₙ Cⁿ.
    """
    if delta.ndim == 2 and len(delta) == 1:   # a batch of one is one example
        delta, a_prev = delta[0], a_prev[0]
    if delta.ndim == 1:   # one example: the outer product δ aᵀ (as a matmul, k = 1, it takes 1.5–3× longer)
        return delta[:, None] * a_prev, delta.copy()
    return delta.T @ a_prev, delta.sum(axis=0)


class Network:
    """A fully connected network with `sizes[0]` inputs and `sizes[-1]` outputs.

    Network([2, 3, 2], activation="sigmoid", output_activation=None, seed=0) draws
    W[l] ~ N(0, g / n_in) (g = 2 for relu, 1 otherwise) and b[l] = 0; output_activation=None
    means the same activation as the hidden layers. dtype is float64 unless asked otherwise.
    """

    def __init__(self, sizes, activation="sigmoid", output_activation=None, seed=0, dtype=np.float64):
        sizes = _check_sizes(sizes)
        rng = np.random.default_rng(seed)
        gain = 2.0 if activation == "relu" else 1.0
        weights = [rng.normal(0, np.sqrt(gain / n_in), (n_out, n_in)) for n_in, n_out in zip(sizes, sizes[1:])]
        biases = [np.zeros(n_out) for n_out in sizes[1:]]
        self._setup(weights, biases, activation, output_activation, dtype)

    @classmethod
    def from_weights(cls, weights, biases, activation="sigmoid", output_activation=None, dtype=np.float64):
        """A network with the given W[l] (shape (n_out, n_in)) and b[l] (shape (n_out,))."""
        net = cls.__new__(cls)
        net._setup(weights, biases, activation, output_activation, dtype)
        return net

    def _setup(self, weights, biases, activation, output_activation, dtype):
        self.dtype = check_dtype(dtype)
        self.weights, self.biases = _check_parameters(weights, biases, self.dtype)
        output_activation = activation if output_activation is None else output_activation
        hidden = get_activation(activation)
        self.activation, self.output_activation = activation, output_activation
        self.activations = [hidden] * (len(self.weights) - 1) + [get_activation(output_activation, output=True)]

    @property
    def sizes(self):
        """Neurons per layer, input layer first."""
        return [self.weights[0].shape[1]] + [W.shape[0] for W in self.weights]

    @property
    def n_params(self):
        """How many parameters θ holds: every weight and every bias."""
        return sum(W.size + b.size for W, b in zip(self.weights, self.biases))

    def __repr__(self):
        return (
            f"Network({self.sizes}, activation={self.activation!r}, "
            f"output_activation={self.output_activation!r}, dtype={self.dtype.name})"
        )

    def forward(self, x):
        """The forward pass. x: (n_in,) or (batch, n_in). Returns the Trace of every z and a."""
        return self._run(check_input(x, self.weights[0].shape[1], self.dtype), 0)

    def _run(self, a, start):
        """Layers start, start + 1, … on the activation `a` that enters layer `start`."""
        z_list, a_list = [], [a]
        for W, b, act in zip(self.weights[start:], self.biases[start:], self.activations[start:]):
            z_list.append(dense_forward(a_list[-1], W, b))
            a_list.append(act.f(z_list[-1]))
        return Trace(z_list, a_list)

    def backward(self, trace, y_hat, cost="squared_error"):
        """The backward pass: δ[l] = ∂L/∂z[l] from the output layer back, then dW[l], db[l].

        y_hat, the target ŷ, has the shape of the output y = trace.a[-1]. cost is a name of
        lecture7.COSTS: "squared_error", "cross_entropy" (softmax output) or "binary_cross_entropy" (sigmoid output).
        """
        cost = get_cost(cost, self.activations[-1])
        self._check_trace(trace)
        return self._backward(trace, check_target(y_hat, trace.a[-1].shape, self.dtype), cost)

    def _backward(self, trace, y_hat, cost, scale=1.0):
        """The backward pass; with `scale`, every δ, dW and db comes out multiplied by it (they are all
        linear in δᴸ), which is how a training step gets η ∇L without another pass over each W."""
        L = len(self.weights)
        delta, dW, db = [None] * L, [None] * L, [None] * L
        # the output layer: δᴸ = ∂a/∂z · ∂C/∂a
        delta[-1] = cost.delta(self.activations[-1], trace.z[-1], trace.a[-1], y_hat)
        if scale != 1.0:
            delta[-1] *= scale
        for l in reversed(range(L)):
            dW[l], db[l] = dense_backward(delta[l], trace.a[l])
            if l > 0:
                # a hidden layer: δ[l−1] = σ'(z[l−1]) ⊙ W[l]ᵀ δ[l], summing over the neurons it feeds (chain rule, case 2)
                delta[l - 1] = self.activations[l - 1].backward(trace.z[l - 1], trace.a[l], delta[l] @ self.weights[l])
        return Gradients(delta, dW, db)

    def loss(self, x, y_hat, cost="squared_error"):
        """The total loss L = Σₙ Cⁿ over the examples in x (one example: L = C), against the targets y_hat."""
        trace = self.forward(x)
        cost = get_cost(cost, self.activations[-1])
        return self._loss(trace, check_target(y_hat, trace.a[-1].shape, self.dtype), cost)

    @staticmethod
    def _loss(trace, y_hat, cost):
        return float(cost.value(trace.z[-1], trace.a[-1], y_hat))

    def _loss_from(self, l, z_l, y_hat, cost):
        """L as a function of z[l] alone: the layers after l re-run on σ(z[l])."""
        rest = self._run(self.activations[l].f(z_l), l + 1)
        return float(cost.value(rest.z[-1] if rest.z else z_l, rest.a[-1], y_hat))

    def predict(self, x):
        """The network's output y = a[-1] for x of shape (n_in,) or (batch, n_in)."""
        return self.forward(x).a[-1]

    def _check_trace(self, trace):
        if not isinstance(trace, Trace):
            raise TypeError(_("trace must be the Trace that net.forward(x) returns; got {type}", type=type(trace).__name__))
        got = [trace.a[0].shape[-1]] + [z.shape[-1] for z in trace.z]
        if got != self.sizes:
            raise ValueError(_("trace has layers of sizes {got}, but this network's layers have {sizes}", got=got, sizes=self.sizes))


def check_network(net):
    """`net` itself, when it is a Network; otherwise a TypeError that says what came instead."""
    if not isinstance(net, Network):
        raise TypeError(_("net must be a lecture7.Network; got {type}", type=type(net).__name__))
    return net


def _check_sizes(sizes):
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError(_("sizes must be a list of layer sizes such as [2, 3, 2]; got {sizes!r}", sizes=sizes))
    if len(sizes) < 2:
        raise ValueError(_("sizes needs at least an input and an output layer, such as [2, 2]; got {sizes}", sizes=list(sizes)))
    for n in sizes:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise TypeError(_("sizes must hold ints; got {sizes}", sizes=list(sizes)))
        if n < 1:
            raise ValueError(_("every layer needs at least one neuron; got sizes {sizes}", sizes=list(sizes)))
    return [int(n) for n in sizes]


def _check_parameters(weights, biases, dtype):
    """Weights and biases whose shapes chain: W[l] (n_out, n_in), b[l] (n_out,), n_in = previous n_out."""
    for name, seq in (("weights", weights), ("biases", biases)):
        if isinstance(seq, np.ndarray) or not isinstance(seq, (list, tuple)):
            raise TypeError(_("{name} must be a list with one array per layer; got {type}", name=name, type=type(seq).__name__))
    if len(weights) == 0 or len(weights) != len(biases):
        raise ValueError(_("need one bias vector per weight matrix, at least one layer; got {weights} weights and {biases} biases",
                           weights=len(weights), biases=len(biases)))
    # copies, so that training this network leaves the caller's arrays as they were
    Ws = [as_array(f"weights[{l}]", W, dtype).copy() for l, W in enumerate(weights)]
    bs = [as_array(f"biases[{l}]", b, dtype).copy() for l, b in enumerate(biases)]
    for l, (W, b) in enumerate(zip(Ws, bs)):
        if W.ndim != 2 or W.size == 0:
            raise ValueError(_("weights[{l}] must be a matrix of shape (n_out, n_in); got shape {shape}", l=l, shape=W.shape))
        if l > 0 and W.shape[1] != Ws[l - 1].shape[0]:
            raise ValueError(
                _("weights do not chain: weights[{before}] has shape {before_shape}, so layer {before} has {outputs} outputs, "
                  "but weights[{l}] has shape {shape}, i.e. {inputs} inputs; expected weights[{l}] of shape ({n_out}, {outputs})",
                  before=l - 1, before_shape=Ws[l - 1].shape, outputs=Ws[l - 1].shape[0], l=l, shape=W.shape,
                  inputs=W.shape[1], n_out=W.shape[0])
            )
        if b.shape != (W.shape[0],):
            raise ValueError(_("biases[{l}] must have shape ({n_out},) to match weights[{l}] of shape {W_shape}; got shape {shape}",
                               l=l, n_out=W.shape[0], W_shape=W.shape, shape=b.shape))
    return Ws, bs


# The slide network (input (1, −1); W[i][j] is the weight from input j to neuron i).
LECTURE_INPUT = (1.0, -1.0)
LECTURE_WEIGHTS = ([[1, -2], [-1, 1]], [[2, -1], [-2, -1]], [[3, -1], [-1, 4]])
LECTURE_BIASES = ([1, 0], [0, 0], [-2, 2])


def lecture_network(dtype=np.float64):
    """The lecture's example network: three sigmoid layers of two neurons each.

    With input (1, −1) its activations are (0.98, 0.12), (0.86, 0.11), (0.62, 0.83).
    """
    return Network.from_weights(list(LECTURE_WEIGHTS), list(LECTURE_BIASES), activation="sigmoid", dtype=dtype)
