"""Forward mode 前向模式 against reverse mode 反向模式 of automatic differentiation 自動微分, on a Network.

Forward mode fixes one parameter θ and carries, beside every value v of the forward pass, its tangent
v̇ = ∂v/∂θ. From ȧ⁰ = 0 (the input does not depend on θ), each layer computes

    ż = Ẇ a + W ȧ + ḃ        (Ẇ, ḃ: 1 at θ, 0 everywhere else)
    ȧ = σ'(z) ⊙ ż

and at the output Ċ = Σⱼ ∂C/∂zⱼᴸ żⱼᴸ with the cost's local derivative ∂C/∂zᴸ (for sigmoid outputs and
the squared error, σ'(zᴸ) ⊙ (y − ŷ)). One pass gives ∂(every value)/∂θ, so ∇C needs one pass per
parameter. Reverse mode, the backward pass, gives ∂C/∂(every value) in one pass.
"""
from dataclasses import dataclass

import numpy as np

from ._validate import check_input, check_target
from .costs import get_cost
from .i18n import _
from .network import _check_sizes, check_network, dense_forward


def _superscript(n):
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def parameter_names(net):
    """A name for each entry of grads.vector(), layers and neurons counted from 1: "W¹[i, j]" is the weight
    from neuron j of the layer below to neuron i of layer 1 (net.weights[0][i − 1, j − 1]), "b¹[i]" its bias."""
    check_network(net)
    weights = [f"W{_superscript(l + 1)}[{i + 1}, {j + 1}]" for l, W in enumerate(net.weights) for i, j in np.ndindex(W.shape)]
    biases = [f"b{_superscript(l + 1)}[{i + 1}]" for l, b in enumerate(net.biases) for i in range(len(b))]
    return weights + biases


def forward_mode_derivative(net, x, y_hat, parameter, cost="squared_error"):
    """∂C/∂θ for the one parameter θ = grads.vector()[parameter], by one forward pass that carries tangents.

    x: (n_in,) for one example, or (batch, n_in) for L = Σₙ Cⁿ; y_hat: the output's shape.
    The pass keeps only the current layer: a forward-mode pass needs no trace.
    """
    x, y_hat, cost = _prepare(net, x, y_hat, cost)
    if isinstance(parameter, bool) or not isinstance(parameter, (int, np.integer)) or not 0 <= parameter < net.n_params:
        expected = _("an index into grads.vector(), an int in 0..{last} for this network's {n} parameters", last=net.n_params - 1,
                     n=net.n_params)
        if isinstance(parameter, bool) or not isinstance(parameter, (int, np.integer)):
            raise TypeError(_("parameter must be {expected}; got {type} {parameter!r}", expected=expected, type=type(parameter).__name__,
                              parameter=parameter))
        raise ValueError(_("parameter must be {expected}; got {parameter!r}", expected=expected, parameter=parameter))
    return _tangent_pass(net, x, y_hat, cost, parameter)


def forward_mode_gradient(net, x, y_hat, cost="squared_error"):
    """∇C by forward mode: one tangent pass per parameter. Returns (the vector, in the order of
    grads.vector(), and the number of passes it took)."""
    x, y_hat, cost = _prepare(net, x, y_hat, cost)
    gradient = np.array([_tangent_pass(net, x, y_hat, cost, p) for p in range(net.n_params)])
    return gradient, len(gradient)


def _prepare(net, x, y_hat, cost):
    check_network(net)
    cost = get_cost(cost, net.activations[-1])
    x = check_input(x, net.sizes[0], net.dtype)
    return x, check_target(y_hat, x.shape[:-1] + (net.sizes[-1],), net.dtype), cost


def _unit_tangents(net, parameter):
    """Ẇ[l], ḃ[l]: 1 at θ = grads.vector()[parameter], 0 elsewhere; views of one vector in that order."""
    theta_dot = np.zeros(net.n_params, dtype=net.dtype)
    theta_dot[parameter] = 1.0
    shapes = [W.shape for W in net.weights] + [b.shape for b in net.biases]
    parts = np.split(theta_dot, np.cumsum([np.prod(s, dtype=int) for s in shapes])[:-1])
    tangents = [part.reshape(shape) for part, shape in zip(parts, shapes)]
    return tangents[:len(net.weights)], tangents[len(net.weights):]


def _tangent_pass(net, x, y_hat, cost, parameter):
    W_dots, b_dots = _unit_tangents(net, parameter)
    a, a_dot = x, np.zeros_like(x)   # ȧ⁰ = 0: the input does not depend on θ
    for l, (W, b, act) in enumerate(zip(net.weights, net.biases, net.activations)):
        z = dense_forward(a, W, b)
        z_dot = dense_forward(a, W_dots[l], b_dots[l]) + a_dot @ W.T   # ż = Ẇ a + ḃ + W ȧ (rows are examples)
        a = act.f(z)
        if l < len(net.weights) - 1:
            a_dot = act.df(z, a) * z_dot                                # ȧ = σ'(z) ⊙ ż
    return float(np.vdot(cost.delta(act, z, a, y_hat), z_dot))         # Ċ = Σⱼ ∂C/∂zⱼᴸ żⱼᴸ


@dataclass(frozen=True)
class ModeWork:
    """Multiplications for ∇C of one example, counted as the matrix formulas state them (a product with an
    entry known to be 0 counts too); evaluating σ and σ' is not counted.

    forward_pass: z = W a, every layer;  forward_mode_pass: one forward-mode pass, the forward pass and
    its tangents (Ẇ a and W ȧ per layer, σ'(z) ⊙ ż, then ∂C/∂zᴸ and the sum Σⱼ ∂C/∂zⱼᴸ żⱼᴸ);
    passes: forward-mode passes, one per parameter; forward_mode = passes × forward_mode_pass;
    reverse_mode: the forward pass and one backward pass (δ = σ'(z) ⊙ ∂C/∂a, dW = δ aᵀ, ∂C/∂a = Wᵀ δ).
    """

    sizes: tuple
    forward_pass: int
    forward_mode_pass: int
    passes: int
    forward_mode: int
    reverse_mode: int


def count_mode_work(sizes):
    """ModeWork for layer sizes `sizes` (input layer first), an output activation that acts neuron by neuron
    and the squared error (∂C/∂y = y − ŷ takes no multiplication)."""
    sizes = _check_sizes(sizes)
    edges = [n_in * n_out for n_in, n_out in zip(sizes, sizes[1:])]
    neurons, n_out = sum(sizes[1:]), sizes[-1]
    forward = sum(edges)                                 # W a: one product per edge
    # Ẇ a and W ȧ: two per edge; σ'(z) ⊙ ż per hidden neuron, δᴸ = σ'(zᴸ) ⊙ (y − ŷ) per output neuron; Ċ = Σⱼ δⱼᴸ żⱼᴸ
    forward_mode_pass = forward + 2 * forward + neurons + n_out
    passes = forward + neurons                           # one per weight and one per bias
    # δ = σ'(z) ⊙ ∂C/∂a per neuron, dW = δ aᵀ per edge, ∂C/∂a = Wᵀ δ per edge above layer 1
    reverse = forward + neurons + forward + (forward - edges[0])
    return ModeWork(tuple(sizes), forward, forward_mode_pass, passes, passes * forward_mode_pass, reverse)
