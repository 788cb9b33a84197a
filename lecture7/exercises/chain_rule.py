"""Notebook 1, the chain rule 連鎖律: one step of gradient descent, and the chain rule's two cases by hand."""
import numpy as np

import lecture7 as package   # the names a learner reaches as lecture7.…, patched while their function runs

from .. import widgets
from ..checks import mismatch
from ..i18n import N_, _
from ..widgets import chain_rule_example
from . import Case, Exercise, Mistake, register
from ._cases import networks

PACKAGE_CHAIN_RULE = frozenset({"chain_rule_case1", "chain_rule_case2", "chain_rule_example", "central_difference", "widgets"})
# the package's own chain rule and its finite differences: an answer that calls them has derived nothing
CHAIN_RULE_CALLS = ((package, "chain_rule_case1"), (package, "chain_rule_case2"), (package, "central_difference"),
                    (widgets, "chain_rule_example"))


class _Watched(np.ndarray):
    """θ⁰ as a case holds it: each deep copy (the learner's function gets one) is a plain array, kept in
    `copies`, so that the check can see afterwards whether the function wrote into the array it was given."""

    def __deepcopy__(self, memo):
        copy = np.array(self)
        getattr(self, "copies", []).append(copy)
        return copy


def _watched(array):
    watched = np.array(array).view(_Watched)
    watched.copies = []
    return watched


def _left_alone(theta, expected):
    """A judge: θ⁰ must come out of the call as it went in, and the answer must be θ¹.

    Only the visible check sees the learner's copy of θ⁰; the grader, which gets the answer alone, judges the value."""
    def judge(got):
        if theta.copies and not np.array_equal(theta.copies[0], theta):
            return _("theta was changed by the call, so the caller's θ⁰ is lost; θ¹ must be a new array"
                     " — this is what you get writing the step into theta itself")
        return mismatch(got, expected())
    return judge


def gradient_descent_step(rng):
    cases = []
    for name, net, _trace, _y_hat, grads in networks(rng):
        eta = float(rng.uniform(0.1, 0.9))   # not 1: a step without η must show
        for label, theta, grad in [*((f"W{l + 1}", W, dW) for l, (W, dW) in enumerate(zip(net.weights, grads.dW))),
                                   (f"b{len(net.biases)}", net.biases[-1], grads.db[-1])]:
            theta = _watched(theta)
            expected = lambda t=np.array(theta), g=grad, eta=eta: t - eta * g
            cases.append(Case(N_("{parameter} of {network}, η = {eta:.3f}", parameter=label, network=name, eta=eta),
                              (theta, grad.copy(), eta), expected,
                              judge=_left_alone(theta, expected)))
    return cases


GRADIENT_DESCENT_MISTAKES = (
    Mistake(N_("with a step in the direction of the gradient, which climbs L"), lambda theta, grad, eta: theta + eta * grad),
    Mistake(N_("without the learning rate η"), lambda theta, grad, eta: theta - grad),
    Mistake(N_("dividing by the learning rate η"), lambda theta, grad, eta: theta - grad / eta),
    Mistake(N_("returning the step alone, not the parameters after it"), lambda theta, grad, eta: -eta * grad),
    Mistake(N_("with the sign of the whole answer flipped"), lambda theta, grad, eta: eta * grad - theta),
    Mistake(N_("returning θ⁰ unchanged"), lambda theta, grad, eta: theta),
)


def _points(rng):
    """The notebook's point 0.8, then four drawn from rng."""
    return [0.8, *map(float, rng.uniform(-3, 3, 4))]


def dz_dx(rng):
    return [Case(f"x = {x:.3f}", (x,), lambda x=x: chain_rule_example(1, x).dz_dx) for x in _points(rng)]


# y = x², z = sin y
CASE1_MISTAKES = (
    Mistake(N_("with dz/dy taken at x instead of at y"), lambda x: np.cos(x) * 2 * x),
    Mistake(N_("with dy/dx taken at y instead of at x"), lambda x: np.cos(x ** 2) * 2 * x ** 2),
    Mistake(N_("with dz/dy alone: the factor dy/dx is missing"), lambda x: np.cos(x ** 2)),
    Mistake(N_("with dy/dx alone: the factor dz/dy is missing"), lambda x: 2 * x),
    Mistake(N_("with the two local derivatives added"), lambda x: np.cos(x ** 2) + 2 * x),
    Mistake(N_("with one local derivative divided by the other"), lambda x: np.cos(x ** 2) / (2 * x)),
    Mistake(N_("with dy/dx taken as x"), lambda x: np.cos(x ** 2) * x),
    Mistake(N_("with the derivative of sin taken as −sin"), lambda x: -np.sin(x ** 2) * 2 * x),
    Mistake(N_("with the derivative of sin taken as −cos"), lambda x: -np.cos(x ** 2) * 2 * x),
    Mistake(N_("with h itself where its derivative goes"), lambda x: np.sin(x ** 2) * 2 * x),
    Mistake(N_("returning z itself, not its derivative"), lambda x: np.sin(x ** 2)),
)


def dz_ds(rng):
    return [Case(f"s = {s:.3f}", (s,), lambda s=s: chain_rule_example(2, s).dz_ds) for s in _points(rng)]


# x = s², y = sin s, z = x·y: the path through x is ∂z/∂x · dx/ds, the one through y is ∂z/∂y · dy/ds
def _paths(s):
    x, y = s ** 2, np.sin(s)
    return y * 2 * s, x * np.cos(s)


CASE2_MISTAKES = (
    Mistake(N_("with the path through x alone (s → x → z)"), lambda s: _paths(s)[0]),
    Mistake(N_("with the path through y alone (s → y → z)"), lambda s: _paths(s)[1]),
    Mistake(N_("with the two paths multiplied"), lambda s: _paths(s)[0] * _paths(s)[1]),
    Mistake(N_("with one path subtracted from the other"), lambda s: _paths(s)[0] - _paths(s)[1]),
    Mistake(N_("with ∂z/∂x and ∂z/∂y swapped"), lambda s: s ** 2 * 2 * s + np.sin(s) * np.cos(s)),
    Mistake(N_("without the partial derivatives ∂z/∂x and ∂z/∂y"), lambda s: 2 * s + np.cos(s)),
    Mistake(N_("with dy/ds taken at x instead of at s"), lambda s: np.sin(s) * 2 * s + s ** 2 * np.cos(s ** 2)),
    Mistake(N_("with the derivative of sin taken as −sin"), lambda s: np.sin(s) * 2 * s - s ** 2 * np.sin(s)),
    Mistake(N_("with h itself where its derivative dy/ds goes"), lambda s: np.sin(s) * 2 * s + s ** 2 * np.sin(s)),
    Mistake(N_("with the factors along each path added"), lambda s: np.sin(s) + 2 * s + s ** 2 + np.cos(s)),
    Mistake(N_("returning z itself, not its derivative"), lambda s: s ** 2 * np.sin(s)),
)


register("gradient_descent_step", Exercise("01_chain_rule", "gradient_descent_step", 2, gradient_descent_step,
                                           mistakes=GRADIENT_DESCENT_MISTAKES, reference=frozenset({"train"})))
register("chain_rule_case1", Exercise("01_chain_rule", "dz_dx", 1, dz_dx, mistakes=CASE1_MISTAKES,
                                      reference=PACKAGE_CHAIN_RULE, forbidden=CHAIN_RULE_CALLS))
register("chain_rule_case2", Exercise("01_chain_rule", "dz_ds", 2, dz_ds, mistakes=CASE2_MISTAKES,
                                      reference=PACKAGE_CHAIN_RULE, forbidden=CHAIN_RULE_CALLS))
