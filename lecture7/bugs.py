"""Five common backpropagation bugs, each one line away from a correct minibatch backward pass.

`backward_with_bug(net, X, Y_hat, bug)` runs the minibatch backward pass of notebook 4 (sigmoid layers,
the squared error, rows as examples) with the one step that `bug` names replaced by its buggy version;
bug=None runs it without a bug, and then it equals net.backward. Hand the result to
`gradient_check(net, X, Y_hat, grads=...)` to see where the check points. On the lecture network every
matrix is 2 × 2, so with a batch of two examples each bug runs without a shape error: only the
gradient check notices.
"""
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._validate import check_input, check_target
from .activations import sigmoid
from .i18n import N_, _
from .network import Gradients


@dataclass(frozen=True)
class Bug:
    """One wrong line of the backward loop: `wrong` stands where `right` belongs, in step `step`; `why` says what it
    breaks, in the language of the moment (`reason`, an N_ text, in English)."""

    wrong: str
    right: str
    step: str
    f: Callable
    reason: str

    @property
    def why(self):
        return _(self.reason)


# The loop's steps as written correctly; each bug replaces one of them.
STEPS = {
    "sigma_prime": lambda Z, A: A * (1 - A),   # σ'(Z), written through A = σ(Z)
    "back": lambda Delta, W: Delta @ W,        # ∂C/∂A of the layer below: Σₖ Δ[:, k] W[k], every path summed
    "dW": lambda Delta, A: Delta.T @ A,        # dWˡ = (Δˡ)ᵀ Aˡ⁻¹
    "db": lambda Delta: Delta.sum(axis=0),     # dbˡ = Σ of the rows of Δˡ, one row per example
}


def _overwrite_in_place(Z, A):
    A *= 1 - A   # σ'(Z) in place: the cached A now holds σ'(Z), and dWˡ reads it next
    return A


BUGS = {
    "missing transpose": Bug(
        "dW[l] = Delta @ A[l]", "dW[l] = Delta.T @ A[l]", "dW", lambda Delta, A: Delta @ A,
        N_("every dW is wrong; the δ are right, since the bug is not on the path back")),
    "σ' of a instead of z": Bug(
        "sigma_prime(A[l])", "sigma_prime(Z[l - 1])", "sigma_prime", lambda Z, A: sigmoid(A) * (1 - sigmoid(A)),
        N_("σ'(a) = σ(a)(1 − σ(a)) where σ'(z) = a(1 − a) belongs: wrong from the output layer on")),
    "db over the wrong axis": Bug(
        "db[l] = Delta.sum(axis=1)", "db[l] = Delta.sum(axis=0)", "db", lambda Delta: Delta.sum(axis=1),
        N_("sums each example's δ over its neurons instead of each neuron's δ over the examples")),
    "= instead of += at a fan-out": Bug(
        "for k in ...: dC_dA = np.outer(Delta[:, k], W[k])", "for k in ...: dC_dA += np.outer(Delta[:, k], W[k])",
        "back", lambda Delta, W: np.outer(Delta[:, -1], W[-1]),
        N_("each a feeds every neuron of the next layer (the chain rule, case 2): `=` keeps only the last path")),
    "cached a overwritten in place": Bug(
        "A[l] *= 1 - A[l]", "sp = A[l] * (1 - A[l])", "sigma_prime", _overwrite_in_place,
        N_("σ' is right, but the trace's a of the layer now holds σ', and dW of the layer above reads it")),
}


def backward_with_bug(net, X, Y_hat, bug=None):
    """The minibatch backward pass of sigmoid layers and the squared error, with the bug BUGS[bug] (or none).

    X: (batch, n_in); Y_hat: (batch, n_out). Returns Gradients, shaped as net.backward's unless the bug
    changes a shape. A fresh forward pass is run here, so a bug that writes into the trace harms only its own.
    """
    if bug is not None and bug not in BUGS:
        raise ValueError(_("unknown bug {bug!r}; the bugs are {bugs}, or None for the correct loop", bug=bug, bugs=sorted(BUGS)))
    if {act.name for act in net.activations} != {"sigmoid"}:
        raise ValueError(_("backward_with_bug follows the lecture's sigmoid layers; this network has {hidden!r} hidden and "
                           "{output!r} output activations", hidden=net.activation, output=net.output_activation))
    X = check_input(X, net.sizes[0], net.dtype)
    if X.ndim != 2:
        raise ValueError(_("X must be a batch of shape (batch, {n_in}); got shape {shape}", n_in=net.sizes[0], shape=X.shape))
    trace = net.forward(X)
    Y_hat = check_target(Y_hat, trace.a[-1].shape, net.dtype)
    steps = dict(STEPS)
    if bug is not None:
        steps[BUGS[bug].step] = BUGS[bug].f
    Z, A, W, L = trace.z, trace.a, net.weights, len(net.weights)
    delta, dW, db = [None] * L, [None] * L, [None] * L
    delta[-1] = (A[-1] - Y_hat) * steps["sigma_prime"](Z[-1], A[-1])   # Δᴸ = (Y − Ŷ) ⊙ σ'(Zᴸ)
    for l in reversed(range(L)):
        if l > 0:   # Δˡ⁻¹ = (Δˡ Wˡ) ⊙ σ'(Zˡ⁻¹), before this layer's dW, as many loops order it
            delta[l - 1] = steps["back"](delta[l], W[l]) * steps["sigma_prime"](Z[l - 1], A[l])
        dW[l], db[l] = steps["dW"](delta[l], A[l]), steps["db"](delta[l])
    return Gradients(delta, dW, db)
