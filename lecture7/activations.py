"""Activation functions σ with their local derivatives σ'(z), kept in a registry.

Each entry states its derivative in one line, in terms of z or of a = σ(z), whichever is cheaper.
`backward` is the notes' first backward-pass step, ∂C/∂z = ∂a/∂z · ∂C/∂a.
"""
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .i18n import _


@np.errstate(over="ignore")
def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), finite and silent at any z.

    Where z is very negative (below about −709 in float64, −88 in float32) e^(−z) overflows to inf,
    and 1 / (1 + inf) = 0 is σ's limit there: that overflow is expected, so it is not reported.
    One exp and no branches (choosing a formula per element costs more than the exp), in place.
    """
    z = np.asarray(z)
    # −z straight into a float array of our own; every step below works in it, in place
    s = np.negative(z, out=np.empty(z.shape, np.result_type(z, 1.0)))
    np.exp(s, out=s)
    s += 1.0
    return np.reciprocal(s, out=s)


# softmax and log_softmax reduce with the array methods (z.max, e.sum): np.max and np.sum add a
# Python layer that costs more than the reduction itself on a minibatch of a few classes.
def softmax(z):
    """aₖ = e^(zₖ) / Σⱼ e^(zⱼ) along the last axis; shifting by the max keeps every e^(·) ≤ 1."""
    z = np.asarray(z)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    e /= e.sum(axis=-1, keepdims=True)
    return e


def log_softmax(z):
    """ln softmax(z), computed without forming softmax(z), so it stays finite where aₖ underflows."""
    s = z - z.max(axis=-1, keepdims=True)
    s -= np.log(np.exp(s).sum(axis=-1, keepdims=True))
    return s


@dataclass(frozen=True)
class Activation:
    """An elementwise activation: a = f(z), and ∂a/∂z = df(z, a) for each neuron on its own."""

    name: str
    f: Callable
    df: Callable

    def backward(self, z, a, dC_da):
        """∂C/∂z = σ'(z) · ∂C/∂a, neuron by neuron."""
        return self.df(z, a) * dC_da

    def partial(self, z, a, k, j):
        """∂aₖ/∂zⱼ for one pair of neurons: σ'(zⱼ) on the diagonal, 0 elsewhere."""
        return self.df(z[j], a[j]) if k == j else 0.0


class Softmax:
    """softmax couples a layer's neurons: ∂aₖ/∂zⱼ = aₖ (1[k = j] − aⱼ). Output layer only."""

    name = "softmax"
    f = staticmethod(softmax)

    def backward(self, z, a, dC_da):
        """∂C/∂zⱼ = Σₖ ∂aₖ/∂zⱼ · ∂C/∂aₖ = aⱼ (∂C/∂aⱼ − Σₖ aₖ ∂C/∂aₖ)."""
        return a * (dC_da - np.sum(a * dC_da, axis=-1, keepdims=True))

    def partial(self, z, a, k, j):
        return a[k] * ((k == j) - a[j])

    def __repr__(self):
        return "Softmax()"


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", sigmoid, lambda z, a: a * (1.0 - a)),
    "tanh": Activation("tanh", np.tanh, lambda z, a: 1 - a * a),
    "relu": Activation("relu", lambda z: np.maximum(z, 0), lambda z, a: (z > 0).astype(z.dtype)),
    "identity": Activation("identity", lambda z: z, lambda z, a: np.ones_like(z)),
}
OUTPUT_ACTIVATIONS = {**ACTIVATIONS, "softmax": Softmax()}


def get_activation(name, output=False):
    """The registry entry called `name`; softmax only where `output` (it is not elementwise)."""
    registry = OUTPUT_ACTIVATIONS if output else ACTIVATIONS
    if not isinstance(name, str):
        raise TypeError(_("output activation must be a name (str), one of {names}; got {name!r}", names=sorted(registry), name=name)
                        if output else
                        _("hidden activation must be a name (str), one of {names}; got {name!r}", names=sorted(registry), name=name))
    if name not in registry:
        hint = _(" (softmax is only for the output layer: pass output_activation='softmax')") if name == "softmax" else ""
        raise ValueError(_("unknown output activation {name!r}; valid names: {names}{hint}", name=name, names=sorted(registry), hint=hint)
                         if output else
                         _("unknown hidden activation {name!r}; valid names: {names}{hint}", name=name, names=sorted(registry), hint=hint))
    return registry[name]
