"""Notebook 3, the backward pass 反向傳遞: σ′(z) of the sigmoid, ∂C/∂z of the output layer and of a hidden layer."""
import numpy as np

from ..activations import ACTIVATIONS, sigmoid
from ..i18n import N_
from . import Case, Exercise, Mistake, register
from ._cases import lecture, networks
from .forward_pass import BACKWARD

# the package's derivatives, whose use would be the answer
DERIVATIVES = frozenset({"ACTIVATIONS", "OUTPUT_ACTIVATIONS", "get_activation", "df", "partial", "backward",
                         "central_difference", "numerical_gradient", "gradient_check"})


def sigmoid_prime(rng):
    trace = lecture()[1]
    z = float(rng.uniform(-4, -0.5))
    zs = [(N_("the number z = {z}", z=1.5), 1.5), (N_("the z of the lecture network's layer 1"), trace.z[0]),
          (N_("the number z = {z:.3f}", z=z), z), (N_("a 3 × 4 array of z between −6 and 6"), rng.uniform(-6, 6, size=(3, 4)))]
    return [Case(label, (z,), lambda z=z: ACTIVATIONS["sigmoid"].df(z, sigmoid(z))) for label, z in zs]


def _sigma(z):
    return sigmoid(np.asarray(z, dtype=float))


SIGMOID_PRIME_MISTAKES = (
    Mistake(N_("with σ(z) itself, not its derivative"), _sigma),
    Mistake(N_("with z put where σ(z) belongs"), lambda z: np.asarray(z) * (1 - np.asarray(z))),
    Mistake(N_("with the sign of the derivative flipped"), lambda z: -_sigma(z) * (1 - _sigma(z))),
    Mistake(N_("with a plus sign where σ′ has a minus"), lambda z: _sigma(z) * (1 + _sigma(z))),
    Mistake(N_("without squaring the quotient rule's denominator 1 + e^(−z)"), lambda z: 1 - _sigma(z)),
    Mistake(N_("without the chain rule's inner factor, the derivative of e^(−z)"), lambda z: -_sigma(z) ** 2),
)

# σ′ of a sigmoid layer written from its outputs a, the usual slips: what each gives in place of σ′
PRIME_SLIPS = (
    (N_("with a plus sign where σ′ has a minus"), lambda a: a * (1 + a)),
    (N_("with σ applied to a, which is not σ′"), sigmoid),
    (N_("with σ′ taken at a as if a were z"), lambda a: sigmoid(a) * (1 - sigmoid(a))),
)


def prime_mistakes(a_of, rest):
    """A Mistake per slip in σ′ alone: the slipped σ′ of the layer's outputs a_of(*args), times the right rest(*args)."""
    return tuple(Mistake(what, lambda *args, f=f: f(np.asarray(a_of(*args), dtype=float)) * rest(*args))
                 for what, f in PRIME_SLIPS)


def output_delta(rng):
    return [Case(N_("{network}, ŷ = {y_hat}", network=name, y_hat=np.round(y_hat, 3).tolist()), (trace.a[-1], y_hat),
                 lambda g=grads: g.delta[-1])
            for name, net, trace, y_hat, grads in networks(rng)]


def _dC_dy(y, y_hat):
    return np.asarray(y) - np.asarray(y_hat)


OUTPUT_DELTA_MISTAKES = (
    Mistake(N_("with ∂C/∂y's sign flipped"), lambda y, y_hat: -y * (1 - y) * _dC_dy(y, y_hat)),
    Mistake(N_("without the factor ∂y/∂z (this is ∂C/∂y)"), _dC_dy),
    *prime_mistakes(lambda y, y_hat: y, _dC_dy),
    Mistake(N_("with the cost itself in place of its derivative ∂C/∂y"),
            lambda y, y_hat: y * (1 - y) * _dC_dy(y, y_hat) ** 2 / 2),
    Mistake(N_("differentiating (y − ŷ)² rather than the cost's ½(y − ŷ)²"),
            lambda y, y_hat: 2 * y * (1 - y) * _dC_dy(y, y_hat)),
    Mistake(N_("with ∂C/∂y summed over the outputs"), lambda y, y_hat: y * (1 - y) * np.sum(_dC_dy(y, y_hat))),
)


def hidden_delta(rng):
    return [Case(N_("layer {layer} of {network}", layer=l + 1, network=name), (trace.a[l + 1], net.weights[l + 1], grads.delta[l + 1]),
                 lambda l=l, g=grads: g.delta[l])
            for name, net, trace, _y_hat, grads in networks(rng) for l in reversed(range(len(net.weights) - 1))]


def _dC_da(a, W_next, delta_next):
    return np.asarray(W_next).T @ np.asarray(delta_next)


HIDDEN_DELTA_MISTAKES = (
    Mistake(N_("without the transpose of W_next"), lambda a, W_next, delta_next: a * (1 - a) * (W_next @ delta_next)),
    Mistake(N_("without σ′ (this is ∂C/∂a)"), _dC_da),
    Mistake(N_("with the sign flipped"), lambda a, W_next, delta_next: -a * (1 - a) * _dC_da(a, W_next, delta_next)),
    *prime_mistakes(lambda a, W_next, delta_next: a, _dC_da),
    Mistake(N_("without the sum over the next layer's neurons (no weights at all)"),
            lambda a, W_next, delta_next: a * (1 - a) * delta_next),
)

register("sigmoid_prime", Exercise("03_backward_pass", "sigmoid_prime", 2, sigmoid_prime, SIGMOID_PRIME_MISTAKES,
                                   reference=DERIVATIVES))
register("output_delta", Exercise("03_backward_pass", "output_delta", 2, output_delta, OUTPUT_DELTA_MISTAKES,
                                  reference=BACKWARD))
register("hidden_delta", Exercise("03_backward_pass", "hidden_delta", 2, hidden_delta, HIDDEN_DELTA_MISTAKES,
                                  reference=BACKWARD))
