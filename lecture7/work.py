"""What the backward pass saves by re-using each δ: the work, counted in multiplications.

Lecture 7 ("Backpropagation - Backward pass") computes δ = ∂C/∂z of a neuron with
    ∂C/∂z = σ'(z) [w₃ ∂C/∂z' + w₄ ∂C/∂z''],
which needs ∂C/∂z', ∂C/∂z'' of the neurons it feeds. At the output layer:
∂C/∂z' = ∂y₁/∂z' · ∂C/∂y₁. At a hidden layer: the same equation again, "一直往下一層去推偏微分，
直到最後的輸出層" (keep going to the next layer until the output layer). The notes end with
"實務上，我們並不會從輸入層開始計算反向傳播，而是從輸出層開始計算，一路往前推": in practice the backward
pass starts from the output layer and goes backwards, which lets it compute each δ once. This module
counts what that saves.

Two ways to get δ of every neuron (every layer but the input layer), both by the same recursion,
which ends at the output layer either way:

(a) naive: each neuron on its own, recursing through the layers after it until the output layer
    and recomputing every ∂C/∂z' it meets, since nothing is remembered. The recursion ends in one
    output-layer term per path from the neuron to the output layer, so its work grows with the
    number of paths.
(b) the backward pass: each δ computed once and re-used by every neuron of the layer before
    (memoisation 記憶化). Going from the output layer back is the order in which every δ is ready
    before the first neuron that needs it.

What is counted: every multiplication of two numbers, starting from ∂C/∂y (known from the
output) and σ'(z) (a constant once the forward pass is done; computing it is not counted, it
is the same in both ways). Per evaluation of a neuron's δ: one multiplication by ∂a/∂z = σ'(z)
(at the output layer, ∂y/∂z · ∂C/∂y) and, at a hidden layer, one product w · ∂C/∂z' per neuron
of the next layer. The output activation must act neuron by neuron (not softmax), as the notes'
output-layer equation assumes.

With layer sizes n₀ (input), n₁, …, n_L:
    backward = Σ_{l=1}^{L-1} n_l n_{l+1}  (one w · ∂C/∂z' per edge)  +  Σ_{l=1}^{L} n_l  (one σ' per neuron)
    naive    = Σ_{l=1}^{L} n_l (2 c_l − 1),  c_L = 1,  c_l = 1 + n_{l+1} c_{l+1}
where c_l, the evaluations one δ of layer l sets off, counts the paths from that neuron that stop
at any later layer (including the empty one); c_l − 1 of them end with a product w · ∂C/∂z'.
"""
from dataclasses import dataclass

from ._validate import check_target
from .costs import get_cost
from .granularity import _neuron_delta, _require_one_example
from .i18n import _
from .network import _check_sizes


@dataclass(frozen=True)
class Work:
    """Multiplications needed for δ = ∂C/∂z of every neuron of a network with layer sizes `sizes`.

    paths: paths from a neuron to the output layer, summed over the neurons (the output-layer terms
    of (a); an output neuron has one, the empty path);
    naive: multiplications of (a), the recursion that remembers nothing, neuron by neuron;
    backward: multiplications of (b), the backward pass that re-uses each δ (memoisation);
    naive_per_neuron[l]: multiplications of (a) for one neuron of layer l + 1 (the index of grads.delta).
    """

    sizes: tuple
    paths: int
    naive: int
    backward: int
    naive_per_neuron: tuple

    @property
    def ratio(self):
        """How many times more multiplications the naive recursion needs than the one that re-uses each δ."""
        return self.naive / self.backward


def count_multiplications(sizes):
    """Count the multiplications of (a) the naive recursion and (b) the backward pass (see the module docstring).

    sizes: neurons per layer, input layer first, as in lecture7.Network(sizes). For the lecture
    network, count_multiplications([2, 2, 2, 2]) gives naive = 38 against backward = 14.
    """
    sizes = _check_sizes(sizes)
    n = sizes[1:]                        # the layers that have a z, and so a δ
    L = len(n)
    calls, paths = [1] * L, [1] * L      # evaluations set off by one δ of layer l; its paths to the output
    for l in reversed(range(L - 1)):
        calls[l] = 1 + n[l + 1] * calls[l + 1]
        paths[l] = n[l + 1] * paths[l + 1]
    per_neuron = tuple(2 * c - 1 for c in calls)
    return Work(
        sizes=tuple(sizes),
        paths=sum(n_l * p for n_l, p in zip(n, paths)),
        naive=sum(n_l * m for n_l, m in zip(n, per_neuron)),
        backward=sum(n[l] * n[l + 1] for l in range(L - 1)) + sum(n),
        naive_per_neuron=per_neuron,
    )


def naive_delta(net, trace, y_hat, layer, neuron, cost="squared_error"):
    """δ = ∂C/∂z of one neuron by the naive recursion (a), and the multiplications it took.

    layer, neuron index grads.delta[layer][neuron] (0-based). At the output layer, ∂y/∂z · ∂C/∂y
    is the cost's output δ; at a hidden layer, σ'(z) Σₖ wₖⱼ ∂C/∂z'ₖ calls itself for every neuron
    k of the next layer and remembers nothing, so the same δ is recomputed on every path that
    reaches it. One example; the count equals count_multiplications(net.sizes).naive_per_neuron[layer].
    """
    cost_ = get_cost(cost, net.activations[-1])
    if net.activations[-1].name == "softmax":
        raise ValueError(_("naive_delta follows the notes' output-layer equation, ∂C/∂z' = ∂y₁/∂z' · ∂C/∂y₁, which needs an "
                           "output activation that acts neuron by neuron; this network's output is 'softmax'"))
    net._check_trace(trace)
    _require_one_example(trace.a[0].shape)
    L = len(net.weights)
    in_range = (type(layer) is int and 0 <= layer < L) and (type(neuron) is int and 0 <= neuron < net.sizes[layer + 1])
    if not in_range:
        raise ValueError(_("layer must be in 0..{last} and neuron in 0..(that layer's size − 1) for sizes {sizes}; got "
                           "layer={layer!r}, neuron={neuron!r}", last=L - 1, sizes=net.sizes, layer=layer, neuron=neuron))
    y_hat = check_target(y_hat, trace.a[-1].shape, net.dtype)

    def delta(l, j):
        if l == L - 1:                   # the output layer: ∂y/∂z · ∂C/∂y, one multiplication
            return cost_.delta_j(net.activations[l], trace.z[l], trace.a[l + 1], y_hat, j), 1
        # a hidden layer: every neuron of the next layer, recomputed; then one w · ∂C/∂z' each and one σ'(z)
        below = [delta(l + 1, k) for k in range(net.sizes[l + 2])]
        step = _neuron_delta(net, trace, [d for d, _count in below], l, j)
        return step.delta, sum(count + 1 for _delta, count in below) + 1

    value, count = delta(layer, neuron)
    return float(value), count
