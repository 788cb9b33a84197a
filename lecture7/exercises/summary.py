"""Notebook 4, the summary: one layer's ∂C/∂W and ∂C/∂b, a whole backward pass, and one layer's backward pass
for a minibatch in matrix form."""
import numpy as np

from ..activations import sigmoid
from ..network import Network
from ..i18n import N_
from . import Case, Exercise, Mistake, register
from ._cases import networks
from .forward_pass import BACKWARD


def layer_gradient(rng):
    return [Case(N_("layer {layer} of {network}", layer=l + 1, network=name), (trace.a[l], grads.delta[l]),
                 lambda l=l, g=grads: (g.dW[l], g.db[l]))
            for name, net, trace, _y_hat, grads in networks(rng) for l in range(len(net.weights))]


def right_layer(a, delta):
    """One layer's (dW, db) from its input a and its δ."""
    return np.outer(delta, a), np.asarray(delta)


# the usual slips in one layer's (dW, db), as functions of (a, δ) like layer_gradient
LAYER_SLIPS = (
    (N_("with dW transposed (the shape of Wᵀ)"), lambda a, delta: (np.outer(a, delta), np.asarray(delta))),
    (N_("with ∂C/∂b taken as the input on the edge"), lambda a, delta: (np.outer(delta, a), np.asarray(a))),
    (N_("with the sign flipped"), lambda a, delta: (-np.outer(delta, a), -np.asarray(delta))),
    (N_("with dW and db in the other order"), lambda a, delta: right_layer(a, delta)[::-1]),
)
LAYER_GRADIENT_MISTAKES = tuple(Mistake(what, slip) for what, slip in LAYER_SLIPS)


def backward_pass(rng):
    return [Case(name, (net, trace, y_hat), lambda g=grads: (g.dW, g.db)) for name, net, trace, y_hat, grads in networks(rng)]


def slipped_pass(net, trace, y_hat, output=lambda y, y_hat: y * (1 - y) * (y - y_hat), prime=lambda a: a * (1 - a),
                 step=lambda W, delta: W.T @ delta, below=0, carried=True, layer=right_layer, output_first=False):
    """(dW, db) of a backward pass for sigmoid layers and the squared error, with one part replaced by a slip:
    output: δ of the output layer from (y, ŷ); prime: σ′ from a layer's outputs; step: ∂C/∂a from (W, δ);
    below: σ′ taken of the outputs `below` layers off the right ones; carried: δ stepped back at all;
    layer: (dW, db) from (a, δ); output_first: the lists in the order the pass computes them."""
    a, n_layers = trace.a, len(net.weights)
    dW, db = [None] * n_layers, [None] * n_layers
    delta = output(a[-1], np.asarray(y_hat))
    for l in reversed(range(n_layers)):
        dW[l], db[l] = layer(a[l], delta)
        if l > 0 and carried:
            delta = prime(a[l + below]) * step(net.weights[l], delta)
    return (dW[::-1], db[::-1]) if output_first else (dW, db)


def _slip(**slip):
    return lambda net, trace, y_hat: slipped_pass(net, trace, y_hat, **slip)


BACKWARD_PASS_MISTAKES = (
    Mistake(N_("with ∂C/∂y's sign flipped"), _slip(output=lambda y, y_hat: y * (1 - y) * (y_hat - y))),
    Mistake(N_("without σ′ at the output layer"), _slip(output=lambda y, y_hat: y - y_hat)),
    Mistake(N_("without σ′ in the hidden layers"), _slip(prime=lambda a: 1.0)),
    Mistake(N_("without the transpose of W in the hidden-layer step"), _slip(step=lambda W, delta: W @ delta)),
    Mistake(N_("with σ′ of the layer δ comes from, not of the layer it steps back into"), _slip(below=1)),
    Mistake(N_("with σ′ of the layer's input, one layer too far back"), _slip(below=-1)),
    Mistake(N_("without the hidden-layer step (the output layer's δ used for every layer)"), _slip(carried=False)),
    Mistake(N_("with a plus sign where σ′ has a minus"),
            _slip(output=lambda y, y_hat: y * (1 + y) * (y - y_hat), prime=lambda a: a * (1 + a))),
    Mistake(N_("with σ applied to a, which is not σ′"), _slip(output=lambda y, y_hat: sigmoid(y) * (y - y_hat), prime=sigmoid)),
    *(Mistake(what, _slip(layer=slip)) for what, slip in LAYER_SLIPS[:2]),   # a flipped sign is the output's, above
    Mistake(N_("with the lists in the order the pass computes them (output layer first)"), _slip(output_first=True)),
)


def batch_trace(rng, n, sizes=(3, 4, 4, 2)):
    """(net, trace, grads) of a sigmoid network drawn from rng on a batch of n examples (rows) and targets in [0, 1]."""
    net = Network(list(sizes), activation="sigmoid", output_activation="sigmoid", seed=int(rng.integers(1000)))
    trace = net.forward(rng.normal(size=(n, sizes[0])))
    return net, trace, net.backward(trace, rng.uniform(0, 1, size=(n, sizes[-1])), "squared_error")


def layer_backward_batch(rng):
    cases = []
    for n in (int(rng.integers(3, 9)), 1):
        net, trace, grads = batch_trace(rng, n)
        # layer 2 first: its W is square, so a transpose too many or too few still gives the right shapes
        for l in (1, 2, 0):
            inputs = N_("the inputs x") if l == 0 else N_("the outputs of layer {layer}", layer=l)
            cases.append(Case(N_("layer {layer} of a 3-4-4-2 network (A_in: {inputs}), a batch of {n}", layer=l + 1, inputs=inputs, n=n),
                              (trace.a[l], grads.delta[l], net.weights[l]),
                              lambda l=l, net=net, g=grads: (g.dW[l], g.db[l], g.delta[l] @ net.weights[l])))
    return cases


def _batch(dW=lambda A, D: D.T @ A, db=lambda D: D.sum(axis=0), dA=lambda D, W, A: D @ W):
    return lambda A_in, Delta, W: (dW(A_in, Delta), db(Delta), dA(Delta, W, A_in))


LAYER_BACKWARD_BATCH_MISTAKES = (
    Mistake(N_("with the mean over the batch, not the sum (L = Σₙ Cⁿ)"),
            _batch(dW=lambda A, D: D.T @ A / len(D), db=lambda D: D.mean(axis=0))),
    Mistake(N_("with db the mean over the batch, not the sum"), _batch(db=lambda D: D.mean(axis=0))),
    Mistake(N_("with dW the mean over the batch, not the sum"), _batch(dW=lambda A, D: D.T @ A / len(D))),
    Mistake(N_("with db summed over the neurons instead of the examples"), _batch(db=lambda D: D.sum(axis=1))),
    Mistake(N_("with db summed over everything, examples and neurons"), _batch(db=lambda D: D.sum())),
    Mistake(N_("with dW transposed (the shape of Wᵀ)"), _batch(dW=lambda A, D: A.T @ D)),
    Mistake(N_("with W transposed in ∂L/∂A_in"), _batch(dA=lambda D, W, A: D @ W.T)),
    Mistake(N_("with the layer below's σ′ already applied (this function stops before it)"),
            _batch(dA=lambda D, W, A: D @ W * A * (1 - A))),
    Mistake(N_("with the sign flipped"), lambda A_in, Delta, W: tuple(-v for v in _batch()(A_in, Delta, W))),
)

register("layer_gradient", Exercise("04_summary", "layer_gradient", 2, layer_gradient, LAYER_GRADIENT_MISTAKES,
                                    reference=BACKWARD))
register("backward_pass", Exercise("04_summary", "backward_pass", 3, backward_pass, BACKWARD_PASS_MISTAKES,
                                   reference=BACKWARD,
                                   # graded alone, a solution built on Your turn 1 gets the package's layer_gradient
                                   given=lambda: {"layer_gradient": right_layer}))
register("layer_backward_batch", Exercise("04_summary", "layer_backward_batch", 3, layer_backward_batch,
                                          LAYER_BACKWARD_BATCH_MISTAKES, reference=BACKWARD | {"dense_backward"}))
