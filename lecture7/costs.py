"""Costs Cⁿ for one example, summed over a batch to the lecture's total loss L = Σₙ Cⁿ.

Each cost gives its value and δ = ∂C/∂z of the output layer (∂C/∂z = ∂y/∂z · ∂C/∂y, where y is
the network's output and ŷ, `y_hat`, the target), for whole layers and for one output neuron at a time.
"""
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .activations import log_softmax
from .i18n import _


@dataclass(frozen=True)
class Cost:
    name: str
    value: Callable     # (z, a, y_hat) -> L = Σₙ Cⁿ over every example given
    delta: Callable     # (activation, z, a, y_hat) -> ∂C/∂z of the output layer, per example
    delta_j: Callable   # (activation, z, a, y_hat, j) -> ∂C/∂zⱼ of output neuron j, one example, in scalars
    output: str | None  # the output activation the cost is made for, or None for any
    dC_da: Callable | None = None   # (a, y_hat) -> ∂C/∂y, for an elementwise output (a diagram's input)


COSTS = {
    # C = ½ Σₖ (aₖ − ŷₖ)²: ∂C/∂aₖ = aₖ − ŷₖ, then δⱼ = Σₖ ∂aₖ/∂zⱼ · ∂C/∂aₖ through the output activation:
    # σ'(zⱼ)(aⱼ − ŷⱼ) for an elementwise σ; for softmax, which couples the outputs, the whole sum
    # (Softmax.backward and Softmax.partial), so the slides' elementwise formula is not assumed here.
    "squared_error": Cost(
        "squared_error",
        value=lambda z, a, y_hat: 0.5 * np.sum((a - y_hat) ** 2),
        delta=lambda act, z, a, y_hat: act.backward(z, a, a - y_hat),
        delta_j=lambda act, z, a, y_hat, j: sum(act.partial(z, a, k, j) * (a[k] - y_hat[k]) for k in range(len(a))),
        output=None,
        dC_da=lambda a, y_hat: a - y_hat,
    ),
    # C = −Σₖ ŷₖ ln aₖ with a = softmax(z): δⱼ = aⱼ Σₖ ŷₖ − ŷⱼ (= a − ŷ for a one-hot ŷ). The product
    # ∂aₖ/∂zⱼ · ∂C/∂aₖ is taken in closed form: ∂C/∂aₖ = −ŷₖ/aₖ alone is infinite where aₖ underflows.
    "cross_entropy": Cost(
        "cross_entropy",
        value=lambda z, a, y_hat: -np.vdot(y_hat, log_softmax(z)),   # −Σ ŷ ln a as one dot product over the batch
        delta=lambda act, z, a, y_hat: a * y_hat.sum(axis=-1, keepdims=True) - y_hat,
        delta_j=lambda act, z, a, y_hat, j: a[j] * sum(y_hat) - y_hat[j],
        output="softmax",
    ),
    # C = −Σₖ [ŷₖ ln aₖ + (1 − ŷₖ) ln(1 − aₖ)] with a = σ(z), each output a yes/no: ∂C/∂aₖ = (aₖ − ŷₖ) / (aₖ(1 − aₖ)),
    # and σ'(zₖ) = aₖ(1 − aₖ) cancels it: δ = a − ŷ. ln σ(z) = −ln(1 + e^(−z)) keeps C finite where σ(z) rounds to 0 or 1.
    "binary_cross_entropy": Cost(
        "binary_cross_entropy",
        value=lambda z, a, y_hat: np.sum(y_hat * np.logaddexp(0, -z) + (1 - y_hat) * np.logaddexp(0, z)),
        delta=lambda act, z, a, y_hat: a - y_hat,
        delta_j=lambda act, z, a, y_hat, j: a[j] - y_hat[j],
        output="sigmoid",
        dC_da=lambda a, y_hat: (a - y_hat) / (a * (1 - a)),
    ),
}


def get_cost(name, output_activation):
    """The registry entry called `name`, checked against the network's output activation."""
    if not isinstance(name, str):
        raise TypeError(_("cost must be a name (str), one of {names}; got {name!r}", names=sorted(COSTS), name=name))
    if name not in COSTS:
        raise ValueError(_("unknown cost {name!r}; valid names: {names}", name=name, names=sorted(COSTS)))
    cost = COSTS[name]
    if cost.output not in (None, output_activation.name):
        raise ValueError(
            _("cost {name!r} needs a {output} output layer; this network's output activation is {activation!r}. Build it "
              "with output_activation={output!r}, or use 'squared_error'", name=name, output=cost.output,
              activation=output_activation.name)
        )
    return cost
