"""The same forward and backward pass, written at the slides' two finer granularities.

Per neuron: scalar by scalar, looping over neurons and edges exactly as the slides compute it.
Per layer: vectors for one example (z = W a + b, δ = σ'(z) ⊙ Wᵀ δ').
Both take one example and agree with Network.forward / Network.backward, the minibatch form.
"""
from dataclasses import dataclass

import numpy as np

from ._validate import check_input, check_target
from .costs import get_cost
from .i18n import _
from .network import Gradients, Trace


def forward_per_neuron(net, x):
    """zᵢ = Σⱼ W[i][j] aⱼ + bᵢ, one neuron and one edge at a time; then a = σ(z)."""
    a_prev = check_input(x, net.sizes[0], net.dtype)
    _require_one_example(a_prev.shape)
    z_list, a_list = [], [a_prev]
    for W, b, act in zip(net.weights, net.biases, net.activations):
        z = np.zeros(len(b), dtype=net.dtype)
        for i in range(W.shape[0]):
            z[i] = b[i]
            for j in range(W.shape[1]):
                z[i] += W[i, j] * a_prev[j]
        a_prev = act.f(z)
        z_list.append(z)
        a_list.append(a_prev)
    return Trace(z_list, a_list)


def backward_per_neuron(net, trace, y_hat, cost="squared_error"):
    """The slides' backward pass, from the output layer back, one neuron at a time.

    The output layer: ∂C/∂zⱼ = Σₖ ∂yₖ/∂zⱼ · ∂C/∂yₖ (only k = j for an elementwise σ);
    for softmax with cross-entropy the sum is aⱼ Σₖ ŷₖ − ŷⱼ.
    A hidden layer: ∂C/∂zⱼ = σ'(zⱼ) Σₖ wₖⱼ ∂C/∂z'ₖ, the k running over the next layer (chain rule, case 2).
    Every weight: ∂C/∂w = ∂z/∂w · ∂C/∂z = (the input on that edge) × δ of the neuron it enters.
    """
    cost, y_hat = _prepare(net, trace, y_hat, cost)
    z, a, L = trace.z, trace.a, len(net.weights)
    delta = [np.zeros_like(z_l) for z_l in z]
    for j in range(len(z[-1])):
        delta[-1][j] = cost.delta_j(net.activations[-1], z[-1], a[-1], y_hat, j)
    for l in reversed(range(L - 1)):
        for j in range(len(z[l])):
            delta[l][j] = _neuron_delta(net, trace, delta[l + 1], l, j).delta
    dW = [np.zeros_like(W) for W in net.weights]
    for l in range(L):
        for i in range(dW[l].shape[0]):
            for j in range(dW[l].shape[1]):
                dW[l][i, j] = a[l][j] * delta[l][i]
    return Gradients(delta, dW, [d.copy() for d in delta])


@dataclass
class NeuronDelta:
    """The slides' equation for one neuron of a hidden layer, with its numbers.

    ∂C/∂z = ∂a/∂z · ∂C/∂a = σ'(z) [w₃ ∂C/∂z' + w₄ ∂C/∂z''], the sum running over every neuron k of
    the next layer (chain rule, case 2): w[k] is the weight from this neuron to neuron k,
    delta_next[k] its ∂C/∂z'.
    """

    sigma_prime: float
    w: np.ndarray
    delta_next: np.ndarray

    @property
    def dC_da(self):
        """∂C/∂a = Σₖ ∂z'ₖ/∂a · ∂C/∂z'ₖ, and ∂z'ₖ/∂a = w[k]."""
        total = 0.0
        for w_k, delta_k in zip(self.w, self.delta_next):
            total += w_k * delta_k
        return total

    @property
    def delta(self):
        """∂C/∂z = σ'(z) · ∂C/∂a."""
        return self.sigma_prime * self.dC_da

    def __str__(self):
        terms = " + ".join(f"{_paren(w_k)} × {_paren(d_k)}" for w_k, d_k in zip(self.w, self.delta_next))
        symbols = "w₃ ∂C/∂z' + w₄ ∂C/∂z''" if len(self.w) == 2 else "Σₖ wₖ ∂C/∂z'ₖ"
        return f"∂C/∂z = σ'(z)[{symbols}] = {self.sigma_prime:.4f} × [{terms}] = {self.delta:.4f}"


def neuron_delta(net, trace, delta_next, l, j):
    """The backward pass at neuron j of hidden layer l (counted from 0), given δ of layer l + 1.

    trace: the forward pass of one example; delta_next: shape (n_{l+1},). Returns a NeuronDelta
    whose .delta is ∂C/∂z of that neuron. backward_per_neuron and work.naive_delta compute every
    hidden neuron's δ with the same equation, through _neuron_delta (their arguments already checked).
    """
    net._check_trace(trace)
    _require_one_example(trace.a[0].shape)
    hidden = len(net.weights) - 1
    if not (isinstance(l, (int, np.integer)) and 0 <= l < hidden):
        raise ValueError(_("l must be a hidden layer, an integer in 0..{last} ({hidden} is the output layer, whose δ comes "
                           "from the cost); got {l!r}", last=hidden - 1, hidden=hidden, l=l))
    if not (isinstance(j, (int, np.integer)) and 0 <= j < net.sizes[l + 1]):
        raise ValueError(_("j must be a neuron of layer {l}, an integer in 0..{last}; got {j!r}", l=l, last=net.sizes[l + 1] - 1, j=j))
    delta_next = np.asarray(delta_next, dtype=net.dtype)
    if delta_next.shape != (net.sizes[l + 2],):
        raise ValueError(_("delta_next must be δ of layer {next}, shape ({n},); got shape {shape}", next=l + 1, n=net.sizes[l + 2],
                           shape=delta_next.shape))
    return _neuron_delta(net, trace, delta_next, l, j)


def _neuron_delta(net, trace, delta_next, l, j):
    """neuron_delta on arguments already checked: the per-neuron and naive backward passes call it per neuron."""
    sigma_prime = net.activations[l].df(trace.z[l][j], trace.a[l + 1][j])
    return NeuronDelta(float(sigma_prime), net.weights[l + 1][:, j], delta_next)


def _paren(v):
    """A negative factor in parentheses, as written by hand."""
    return f"({v:.4f})" if v < 0 else f"{v:.4f}"


def forward_per_layer(net, x):
    """z = W a + b and a = σ(z), one layer (a vector) at a time, for one example."""
    a_prev = check_input(x, net.sizes[0], net.dtype)
    _require_one_example(a_prev.shape)
    z_list, a_list = [], [a_prev]
    for W, b, act in zip(net.weights, net.biases, net.activations):
        z_list.append(W @ a_list[-1] + b)
        a_list.append(act.f(z_list[-1]))
    return Trace(z_list, a_list)


def backward_per_layer(net, trace, y_hat, cost="squared_error"):
    """δᴸ = ∂y/∂zᴸ · ∂C/∂y; δˡ = σ'(zˡ) ⊙ (Wˡ⁺¹)ᵀ δˡ⁺¹; ∂C/∂Wˡ = δˡ (aˡ⁻¹)ᵀ; ∂C/∂bˡ = δˡ."""
    cost, y_hat = _prepare(net, trace, y_hat, cost)
    z, a, L = trace.z, trace.a, len(net.weights)
    delta = [None] * L
    delta[-1] = cost.delta(net.activations[-1], z[-1], a[-1], y_hat)
    for l in reversed(range(L - 1)):
        delta[l] = net.activations[l].df(z[l], a[l + 1]) * (net.weights[l + 1].T @ delta[l + 1])
    return Gradients(delta, [np.outer(delta[l], a[l]) for l in range(L)], [d.copy() for d in delta])


def _prepare(net, trace, y_hat, cost):
    cost = get_cost(cost, net.activations[-1])
    net._check_trace(trace)
    _require_one_example(trace.a[0].shape)
    return cost, check_target(y_hat, trace.a[-1].shape, net.dtype)


def _require_one_example(shape):
    if len(shape) != 1:
        raise ValueError(
            _("the per-neuron and per-layer forms take one example, x of shape (n_in,); got shape {shape}. For a batch, use "
              "net.forward / net.backward", shape=shape)
        )
