"""Notebook 6, beyond the lecture: the derivative of tanh, and the multiply gate of a computational graph."""
import numpy as np

from .. import graph
from ..activations import ACTIVATIONS, sigmoid
from ..checks import show
from ..i18n import N_
from . import Case, Exercise, Mistake, register


def tanh_prime(rng):
    tanh = ACTIVATIONS["tanh"]
    zs = [np.array([-2.0, -0.5, 0.0, 0.5, 1.0, 2.0]), rng.uniform(-4, 4, 9), float(rng.uniform(0.5, 3) * rng.choice([-1, 1]))]
    return [Case(f"z = {show(z)}", (z,), lambda z=z: tanh.df(z, np.tanh(z))) for z in zs]


def multiply_gate(rng):
    def expected(x, y, upstream):
        x_node, y_node = graph.Value(x), graph.Value(y)
        (x_node * y_node).backward(upstream)
        return x_node.grad, y_node.grad

    # a gate of round numbers, the lecture neuron's x₂·w₂ with the σ'(4) that reaches it (section 2), then random ones
    triples = [(3.0, -2.0, 0.5), (-1.0, -2.0, float(ACTIVATIONS["sigmoid"].df(4.0, sigmoid(4.0)))),
               *(tuple(map(float, rng.uniform(-5, 5, 3))) for _triple in range(2))]
    return [Case(f"multiply_gate{tuple(round(v, 4) for v in t)}", t, lambda t=t: expected(*t)) for t in triples]


register("tanh_prime", Exercise(
    "06_beyond_the_lecture", "tanh_prime", 2, tanh_prime,
    mistakes=(
        Mistake(N_("with z in place of tanh z"), lambda z: 1 - np.square(z)),
        Mistake(N_("with 1 − tanh z"), lambda z: 1 - np.tanh(z)),
        Mistake(N_("with sech z = 1/cosh z (look at the power)"), lambda z: 1 / np.cosh(z)),
        Mistake(N_("with the sigmoid's derivative σ(z)(1 − σ(z))"), lambda z: sigmoid(z) * (1 - sigmoid(z))),
        Mistake(N_("with tanh² z"), lambda z: np.square(np.tanh(z))),
        Mistake(N_("with the sign the other way round"), lambda z: np.square(np.tanh(z)) - 1),
        Mistake(N_("with a + where the quotient rule has a −"), lambda z: 1 + np.square(np.tanh(z))),
        Mistake(N_("with the square inside the tanh, tanh(z²)"), lambda z: 1 - np.tanh(np.square(z))),
    ),
    reference=frozenset({"ACTIVATIONS", "get_activation", "df", "central_difference", "vanishing"})))
register("multiply_gate", Exercise(
    "06_beyond_the_lecture", "multiply_gate", 2, multiply_gate,
    mistakes=(
        Mistake(N_("with ∂C/∂x and ∂C/∂y in each other's place"), lambda x, y, g: (x * g, y * g)),
        Mistake(N_("without the ∂C/∂z that arrives from the gates after it"), lambda x, y, g: (y, x)),
        Mistake(N_("without ∂C/∂z, and with the two in each other's place"), lambda x, y, g: (x, y)),
        Mistake(N_("as if it were an add gate"), lambda x, y, g: (g, g)),
        Mistake(N_("with the gate's output x·y as the local derivative"), lambda x, y, g: (x * y * g, x * y * g)),
    ),
    reference=frozenset({"graph", "Value", "backward", "grad"})))
