"""Notebook 2, the forward pass 正向傳遞: one neuron forward, ∂C/∂w of one neuron, the whole forward pass."""
import numpy as np

import lecture7 as package   # the names a learner reaches as lecture7.…, patched while their function runs

from ..activations import sigmoid
from ..network import Network
from ..i18n import N_
from . import Case, Exercise, Mistake, register
from ._cases import lecture, networks, random_network

# the package's forward pass, whose use would be the answer
FORWARD = frozenset({"forward", "predict", "forward_per_layer", "forward_per_neuron", "neuron_z", "loss", "_run", "work"})
# the package's backward pass and its parts
BACKWARD = frozenset({"backward", "numerical_gradient", "gradient_check", "backward_per_layer", "backward_per_neuron",
                      "neuron_delta", "neuron_gradient", "ACTIVATIONS", "OUTPUT_ACTIVATIONS", "COSTS", "get_activation",
                      "get_cost", "df", "bugs", "work"})
NEURON_CALLS = ((package, "neuron_z"), (package, "neuron_gradient"))
FORWARD_CALLS = ((Network, "forward"), (Network, "predict"), (package, "forward_per_neuron"), (package, "forward_per_layer"))


def neuron_forward(rng):
    other = random_network(rng)
    other_trace = other.forward(rng.normal(size=3))
    neurons = [(N_("a 3-5-4-2 network"), other, other_trace, l, int(rng.integers(len(W)))) for l, W in enumerate(other.weights)]
    # the neuron of section 2 last: on its input (1, −1) some wrong answers happen to look like others
    net, trace = lecture()[:2]
    neurons.append((N_("the lecture network"), net, trace, 0, 0))
    return [Case(N_("neuron {neuron} of layer {layer}, {network}", neuron=i + 1, layer=l + 1, network=name),
                 (t.a[l], n.weights[l][i], float(n.biases[l][i])),
                 lambda l=l, i=i, t=t: (t.z[l][i], t.a[l + 1][i]))
            for name, n, t, l, i in neurons]


NEURON_FORWARD_MISTAKES = (
    Mistake(N_("without the bias"), lambda x, w, b: (x @ w, sigmoid(x @ w))),
    Mistake(N_("with a = z: no activation function"), lambda x, w, b: (x @ w + b, x @ w + b)),
    Mistake(N_("with z and a in the other order"), lambda x, w, b: (sigmoid(x @ w + b), x @ w + b)),
    Mistake(N_("with the first two inputs alone"), lambda x, w, b: (x[:2] @ w[:2] + b, sigmoid(x[:2] @ w[:2] + b))),
    Mistake(N_("with tanh as the activation function"), lambda x, w, b: (x @ w + b, np.tanh(x @ w + b))),
    Mistake(N_("with the bias in a but not in z"), lambda x, w, b: (x @ w, sigmoid(x @ w + b))),
    Mistake(N_("with the bias subtracted"), lambda x, w, b: (x @ w - b, sigmoid(x @ w - b))),
    Mistake(N_("with the bias multiplying the sum"), lambda x, w, b: (x @ w * b, sigmoid(x @ w * b))),
    Mistake(N_("with the products xᵢwᵢ not summed"), lambda x, w, b: (x * w + b, sigmoid(x * w + b))),
)


def neuron_dC_dw(rng):
    cases = []
    for name, net, trace, _y_hat, grads in networks(rng):
        for l, W in enumerate(net.weights):
            i = int(rng.integers(len(W)))
            cases.append(Case(N_("neuron {neuron} of layer {layer}, {network}", neuron=i + 1, layer=l + 1, network=name),
                              (trace.a[l], float(grads.delta[l][i])),
                              lambda l=l, i=i, g=grads: g.dW[l][i]))
    return cases


NEURON_DC_DW_MISTAKES = (
    Mistake(N_("with ∂z/∂w alone: the backward pass's factor is missing"), lambda x, dC_dz: x),
    Mistake(N_("with ∂C/∂z alone for every weight: the forward pass's factor is missing"), lambda x, dC_dz: np.full_like(x, dC_dz)),
    Mistake(N_("summed over the inputs: one number, where each weight has its own"), lambda x, dC_dz: np.sum(x * dC_dz)),
    Mistake(N_("with one factor divided by the other"), lambda x, dC_dz: x / dC_dz),
    Mistake(N_("with the two factors added"), lambda x, dC_dz: x + dC_dz),
    Mistake(N_("with a minus sign, which belongs to the step of gradient descent, not to the derivative"),
            lambda x, dC_dz: -x * dC_dz),
)


def forward_pass(rng):
    net, trace = lecture()[:2]
    x = rng.uniform(-2, 2, size=2)
    other = random_network(rng)
    x_other = rng.normal(size=3)
    return [Case(N_("the lecture network"), (net, trace.a[0]), lambda t=trace: t.a[-1]),
            Case(N_("the lecture network, x = ({x1:.3f}, {x2:.3f})", x1=x[0], x2=x[1]), (net, x), lambda: net.forward(x).a[-1]),
            Case(N_("a 3-5-4-2 network"), (other, x_other), lambda: other.forward(x_other).a[-1])]


def _run(net, a, layers=None, step=lambda W, a, b: sigmoid(W @ a + b)):
    """a through the layers (indices; all of them when None), each one a `step` with its W and b."""
    for l in range(len(net.weights)) if layers is None else layers:
        a = step(net.weights[l], a, net.biases[l])
    return a


def _hidden(net, x):
    """The output of the layer below the output layer."""
    return _run(net, x, range(len(net.weights) - 1))


FORWARD_PASS_MISTAKES = (
    Mistake(N_("returning the input x unchanged"), lambda net, x: np.asarray(x, dtype=float)),
    Mistake(N_("with every layer fed the input x instead of the output of the layer below"),
            lambda net, x: _run(net, x, step=lambda W, a, b: sigmoid(W @ x + b))),
    Mistake(N_("stopping one layer before the output"), _hidden),
    Mistake(N_("after the first layer alone"), lambda net, x: _run(net, x, [0])),
    Mistake(N_("with σ applied to the input x too"), lambda net, x: _run(net, sigmoid(x))),
    Mistake(N_("without σ on the output layer"),
            lambda net, x: _run(net, _hidden(net, x), [len(net.weights) - 1], lambda W, a, b: W @ a + b)),
    Mistake(N_("with no activation function at all"), lambda net, x: _run(net, x, step=lambda W, a, b: W @ a + b)),
    Mistake(N_("with every W transposed: a neuron's weights taken from a column"),
            lambda net, x: _run(net, x, step=lambda W, a, b: sigmoid(W.T @ a + b))),
    Mistake(N_("without the biases"), lambda net, x: _run(net, x, step=lambda W, a, b: sigmoid(W @ a))),
    Mistake(N_("with each b added after σ"), lambda net, x: _run(net, x, step=lambda W, a, b: sigmoid(W @ a) + b)),
    Mistake(N_("with the biases subtracted"), lambda net, x: _run(net, x, step=lambda W, a, b: sigmoid(W @ a - b))),
    Mistake(N_("with the layers taken from the output end"), lambda net, x: _run(net, x, reversed(range(len(net.weights))))),
)


register("neuron_forward", Exercise("02_forward_pass", "neuron_forward", 2, neuron_forward, mistakes=NEURON_FORWARD_MISTAKES,
                                    reference=FORWARD | {"neuron_gradient"}, forbidden=NEURON_CALLS))
register("neuron_dC_dw", Exercise("02_forward_pass", "neuron_dC_dw", 1, neuron_dC_dw, mistakes=NEURON_DC_DW_MISTAKES,
                                  reference=BACKWARD, forbidden=NEURON_CALLS))
register("forward_pass", Exercise("02_forward_pass", "forward_pass", 2, forward_pass, mistakes=FORWARD_PASS_MISTAKES,
                                  reference=FORWARD, forbidden=FORWARD_CALLS))
