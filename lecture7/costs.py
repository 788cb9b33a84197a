"""Costs Cⁿ for one example, summed over a batch to the lecture's total loss L = Σₙ Cⁿ.

Each cost gives its value, ∂C/∂a for the output layer (the notes' ∂C/∂y), and δ = ∂C/∂z for the
output layer (the notes' "case 1").
"""
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .activations import log_softmax


@dataclass(frozen=True)
class Cost:
    name: str
    value: Callable   # (z, a, y) -> L = Σₙ Cⁿ over every example given
    dC_da: Callable   # (a, y) -> ∂C/∂a of the output layer, per example
    delta: Callable   # (activation, z, a, y) -> ∂C/∂z of the output layer, per example
    needs_softmax: bool


COSTS = {
    # C = ½ Σₖ (aₖ − ŷₖ)²: ∂C/∂aₖ = aₖ − ŷₖ, then through σ' of the output layer
    "squared_error": Cost(
        "squared_error",
        value=lambda z, a, y: 0.5 * np.sum((a - y) ** 2),
        dC_da=lambda a, y: a - y,
        delta=lambda act, z, a, y: act.backward(z, a, a - y),
        needs_softmax=False,
    ),
    # C = −Σₖ ŷₖ ln aₖ with a = softmax(z): δⱼ = aⱼ Σₖ ŷₖ − ŷⱼ (= a − ŷ for a one-hot ŷ)
    "cross_entropy": Cost(
        "cross_entropy",
        value=lambda z, a, y: -np.sum(y * log_softmax(z)),
        dC_da=lambda a, y: -y / a,
        delta=lambda act, z, a, y: a * np.sum(y, axis=-1, keepdims=True) - y,
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
