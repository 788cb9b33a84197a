"""One neuron, the notes' starting point: z = x₁w₁ + x₂w₂ + b.

∂C/∂w = ∂z/∂w · ∂C/∂z. The first factor comes from the forward pass 正向傳遞 and is just the
input on that edge (∂z/∂wᵢ = xᵢ); the second comes from the backward pass 反向傳遞.
"""
from dataclasses import dataclass

import numpy as np

from ._validate import as_array
from .i18n import _


@dataclass(frozen=True)
class NeuronGradient:
    z: float
    dz_dw: np.ndarray   # = x: the forward-pass factor
    dC_dz: float        # the backward-pass factor
    dC_dw: np.ndarray   # ∂z/∂w · ∂C/∂z
    dC_db: float        # ∂z/∂b · ∂C/∂z, with ∂z/∂b = 1


def neuron_z(x, w, b):
    """z = Σᵢ xᵢ wᵢ + b (= x₁w₁ + x₂w₂ + b for two inputs)."""
    x, w, b = _check(x, w, b)
    return float(x @ w + b)


def neuron_gradient(x, w, b, dC_dz):
    """Every factor of ∂C/∂w = ∂z/∂w · ∂C/∂z for one neuron, given ∂C/∂z from the backward pass."""
    x, w, b = _check(x, w, b)
    dC_dz = _scalar("dC_dz", dC_dz)
    return NeuronGradient(float(x @ w + b), x.copy(), dC_dz, x * dC_dz, dC_dz)


def _check(x, w, b):
    x, w = as_array("x", x), as_array("w", w)
    if x.ndim != 1 or x.shape != w.shape:
        raise ValueError(_("x and w must be vectors of the same length (one weight per input); got shapes {x} and {w}",
                           x=x.shape, w=w.shape))
    return x, w, _scalar("b", b)


def _scalar(name, value):
    value = as_array(name, value)
    if value.ndim != 0:
        raise ValueError(_("{name} must be a single number; got an array of shape {shape}", name=name, shape=value.shape))
    return float(value)
