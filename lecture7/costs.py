"""Costs Cⁿ for one example, summed over a batch to the lecture's total loss L = Σₙ Cⁿ.

Each cost gives its value and δ = ∂C/∂z of the output layer (the notes' "case 1",
∂C/∂z = ∂y/∂z · ∂C/∂y), for whole layers and for one output neuron at a time.
"""
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .activations import log_softmax


@dataclass(frozen=True)
class Cost:
    name: str
    value: Callable     # (z, a, y) -> L = Σₙ Cⁿ over every example given
    delta: Callable     # (activation, z, a, y) -> ∂C/∂z of the output layer, per example
    delta_j: Callable   # (activation, z, a, y, j) -> ∂C/∂zⱼ of output neuron j, one example, in scalars
    needs_softmax: bool


COSTS = {
    # C = ½ Σₖ (aₖ − ŷₖ)²: ∂C/∂aₖ = aₖ − ŷₖ, then through σ' of the output layer
    "squared_error": Cost(
        "squared_error",
        value=lambda z, a, y: 0.5 * np.sum((a - y) ** 2),
        delta=lambda act, z, a, y: act.backward(z, a, a - y),
        delta_j=lambda act, z, a, y, j: sum(act.partial(z, a, k, j) * (a[k] - y[k]) for k in range(len(a))),
        needs_softmax=False,
    ),
    # C = −Σₖ ŷₖ ln aₖ with a = softmax(z): δⱼ = aⱼ Σₖ ŷₖ − ŷⱼ (= a − ŷ for a one-hot ŷ). The product
    # ∂aₖ/∂zⱼ · ∂C/∂aₖ is taken in closed form: ∂C/∂aₖ = −ŷₖ/aₖ alone is infinite where aₖ underflows.
    "cross_entropy": Cost(
        "cross_entropy",
        value=lambda z, a, y: -np.vdot(y, log_softmax(z)),   # −Σ ŷ ln a as one dot product over the batch
        delta=lambda act, z, a, y: a * y.sum(axis=-1, keepdims=True) - y,
        delta_j=lambda act, z, a, y, j: a[j] * sum(y) - y[j],
        needs_softmax=True,
    ),
}


def get_cost(name, output_activation):
    """The registry entry called `name`, checked against the network's output activation."""
    if not isinstance(name, str):
        raise TypeError(f"cost must be a name (str), one of {sorted(COSTS)}; got {name!r}")
    if name not in COSTS:
        raise ValueError(f"unknown cost {name!r}; valid names: {sorted(COSTS)}")
    cost = COSTS[name]
    if cost.needs_softmax and output_activation.name != "softmax":
        raise ValueError(
            f"cost {name!r} needs a softmax output layer; this network's output activation is "
            f"{output_activation.name!r}. Build it with output_activation='softmax', or use 'squared_error'"
        )
    return cost
