"""Notebook 5, checking and training: the softmax's Jacobian, the cross-entropy's δ through it, and the learning
rate of a mean loss."""
import numpy as np

from ..activations import OUTPUT_ACTIVATIONS
from ..checks import show
from ..network import Network
from ..i18n import N_
from . import Case, Exercise, Mistake, register
from .forward_pass import BACKWARD

SOFTMAX = OUTPUT_ACTIVATIONS["softmax"]
# the package's softmax and its derivative, whose use would be the answer
SOFTMAX_NAMES = frozenset({"softmax", "Softmax", "OUTPUT_ACTIVATIONS", "partial", "log_softmax"})


def jacobian(y):
    """The package's ∂y_k/∂z_j (entry [k, j]) of a softmax output y of one example, entry by entry."""
    n = len(y)
    return np.array([[SOFTMAX.partial(None, y, k, j) for j in range(n)] for k in range(n)])


def classifiers(rng):
    """[(name, net, y)]: softmax outputs y of one example, from a 3-class and a 6-class network drawn from rng."""
    out = []
    for sizes, activation in (((2, 3, 3), "sigmoid"), ((4, 5, 6), "tanh")):
        net = Network(list(sizes), activation=activation, output_activation="softmax", seed=int(rng.integers(1000)))
        out.append((N_("{n} classes", n=sizes[-1]), net, net.forward(rng.normal(size=sizes[0]))))
    return out


def softmax_jacobian(rng):
    return [Case(N_("{classes}, y = {y}", classes=name, y=show(trace.a[-1])), (trace.a[-1],), lambda y=trace.a[-1]: jacobian(y))
            for name, _net, trace in classifiers(rng)]


def targets(rng, n):
    """[(label, ŷ)]: two one-hot targets, a soft one (entries adding up to 1) and a weighted one (they do not)."""
    first, second = (int(k) for k in rng.choice(n, size=2, replace=False))
    smoothing = float(rng.uniform(0.1, 0.3))   # label smoothing: 1 − s on the class, s spread over all n
    soft = (1 - smoothing) * np.eye(n)[second] + smoothing / n
    weighted = float(rng.uniform(1.5, 3.0)) * np.eye(n)[first]   # one example counted more than once
    return [(N_("one-hot ŷ for class {k}", k=first + 1), np.eye(n)[first]), (N_("one-hot ŷ for class {k}", k=second + 1), np.eye(n)[second]),
            (N_("soft ŷ = {y_hat}", y_hat=show(soft)), soft), (N_("weighted ŷ = {y_hat}", y_hat=show(weighted)), weighted)]


def softmax_delta(rng):
    return [Case(N_("{classes}, {target}", classes=name, target=label), (trace.a[-1], y_hat),
                 lambda n=net, t=trace, y_hat=y_hat: n.backward(t, y_hat, "cross_entropy").delta[-1])
            for name, net, trace in classifiers(rng) for label, y_hat in targets(rng, len(trace.a[-1]))]


def learning_rate_for_mean(rng):
    # two batch sizes of the digits, then drawn ones; N ≥ 2, so that the known mistakes give other numbers
    pairs = [(0.01, 32), (0.001, 200), *zip(map(float, rng.uniform(1e-3, 0.5, 3)), map(int, rng.integers(2, 1000, 3)))]
    return [Case(f"η = {eta:.4g}, N = {n}", (eta, n), lambda eta=eta, n=n: eta * n, atol=1e-9) for eta, n in pairs]


register("softmax_jacobian", Exercise(
    "05_checking_and_training", "softmax_jacobian", 2, softmax_jacobian,
    mistakes=(
        Mistake(N_("as if each y_k depended on its own z_k alone, as a sigmoid's output does"), lambda y: np.diag(y * (1 - y))),
        Mistake(N_("with the sign the other way round"), lambda y: np.outer(y, y) - np.diag(y)),
        Mistake(N_("with a + where the quotient rule has a −"), lambda y: np.diag(y) + np.outer(y, y)),
        Mistake(N_("without the term that only the diagonal (k = j) has"), lambda y: -np.outer(y, y)),
        Mistake(N_("with the sign of the entries off the diagonal (k ≠ j) flipped"),
                lambda y: np.outer(y, y) + np.diag(y * (1 - y) - y * y)),
        Mistake(N_("with one output squared, y_j², where two outputs multiply"), lambda y: np.diag(y) - y * y),
    ),
    reference=BACKWARD | SOFTMAX_NAMES))
register("softmax_delta", Exercise(
    "05_checking_and_training", "softmax_delta", 2, softmax_delta,
    mistakes=(
        Mistake(N_("if the target's entries always added up to 1"), lambda y, y_hat: y - y_hat),
        Mistake(N_("without the minus sign of the cross-entropy"), lambda y, y_hat: y_hat - y * y_hat.sum()),
        Mistake(N_("with only the k = j term of the sum over k"), lambda y, y_hat: -y_hat * (1 - y)),
        Mistake(N_("with ∂C/∂y alone, without the softmax's Jacobian"), lambda y, y_hat: -y_hat / y),
        Mistake(N_("under the squared error instead of the cross-entropy"), lambda y, y_hat: jacobian(y) @ (y - y_hat)),
    ),
    reference=BACKWARD | SOFTMAX_NAMES,
    # the solution cell may build on Your turn 1; graded alone, it gets the package's Jacobian
    given=lambda: {"softmax_jacobian": jacobian}))
register("learning_rate_for_mean", Exercise(
    "05_checking_and_training", "learning_rate_for_mean", 2, learning_rate_for_mean,
    mistakes=(
        Mistake(N_("if the mean's gradient were N times the sum's"), lambda eta, n: eta / n),
        Mistake(N_("if the mean and the sum had the same gradient"), lambda eta, n: eta),
        Mistake(N_("with the factor N applied twice"), lambda eta, n: eta * n * n),
    ),
    reference=frozenset({"train"})))
