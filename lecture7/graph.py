"""The computational graph 計算圖: a scalar engine in the style of micrograd, and a network built from it.

Every operation makes a `Value` that remembers its inputs and the local derivative ∂out/∂input, each
stated in one line below. `backward()` visits the graph from the output back (reverse topological
order) and applies the chain rule, input.grad += ∂out/∂input · out.grad. The `+=` is case 2 of the
chain rule: a value used by several operations (fan-out) collects the sum over every path.
"""
from dataclasses import dataclass
from functools import reduce
from numbers import Integral, Real

import numpy as np

from ._validate import check_input, check_target
from .activations import ACTIVATIONS
from .i18n import N_, _
from .network import Gradients, check_network


A_VALUE = N_("a Value")   # what an error message calls a Value's number


class Value:
    """One number of the graph: `data`; `grad` = ∂(output)/∂(this value) once the output's backward() has run.

    op is how the value was made ("" for a leaf: an input, a parameter or a constant); inputs holds
    the pairs (input Value, ∂self/∂input), the local derivatives, fixed when the value is computed.
    """

    def __init__(self, data, op="", inputs=()):
        self.data, self.grad, self.op, self.inputs = _number(A_VALUE, data), 0.0, op, tuple(inputs)

    def __add__(self, other):
        other = _as_value(other)
        return Value(self.data + other.data, "+", ((self, 1.0), (other, 1.0)))   # ∂(x + y)/∂x = 1, ∂(x + y)/∂y = 1

    def __sub__(self, other):
        other = _as_value(other)
        return Value(self.data - other.data, "-", ((self, 1.0), (other, -1.0)))  # ∂(x − y)/∂x = 1, ∂(x − y)/∂y = −1

    def __mul__(self, other):
        other = _as_value(other)
        return Value(self.data * other.data, "*", ((self, other.data), (other, self.data)))  # ∂(xy)/∂x = y, ∂(xy)/∂y = x

    def __pow__(self, k):
        if isinstance(k, bool) or not isinstance(k, Integral) or k < 1:
            raise TypeError(_("the exponent must be an int ≥ 1 (such as 2 for a square); got {type} {k!r}", type=type(k).__name__, k=k))
        return Value(self.data ** k, f"**{k}", ((self, k * self.data ** (k - 1)),))   # ∂(xᵏ)/∂x = k xᵏ⁻¹

    def sigmoid(self):
        a = float(ACTIVATIONS["sigmoid"].f(self.data))
        return Value(a, "σ", ((self, a * (1.0 - a)),))   # σ'(z) = σ(z)(1 − σ(z))

    def __neg__(self):
        return self * -1.0

    def __radd__(self, other):
        return _as_value(other) + self

    def __rsub__(self, other):
        return _as_value(other) - self

    def __rmul__(self, other):
        return _as_value(other) * self

    def topological_order(self):
        """Every value this one depends on, itself included, each after all of its inputs (self last)."""
        order, seen, stack = [], set(), [(self, False)]
        while stack:   # depth first without recursion: a wide layer chains hundreds of additions
            value, inputs_done = stack.pop()
            if inputs_done:
                order.append(value)
            elif value not in seen:
                seen.add(value)
                stack.append((value, True))
                stack.extend((source, False) for source, _local in value.inputs)
        return order

    def backward(self, grad=1.0):
        """v.grad = ∂C/∂v for every value v of self's graph, from grad = ∂C/∂self (1 when self is C itself).

        Every grad is first set to 0, so calling backward again gives the same numbers.
        """
        order = self.topological_order()
        for value in order:
            value.grad = 0.0
        self.grad = _number("grad", grad)
        for value in reversed(order):   # the output first: each value's grad is complete before it is passed on
            for source, local in value.inputs:
                source.grad += local * value.grad   # chain rule; += sums the paths of a value used twice

    def __repr__(self):
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g})"


def _number(name, v):
    if isinstance(v, bool) or not isinstance(v, Real):
        raise TypeError(_("{name} must be one real number (int or float); got {type} {value!r}", name=_(name), type=type(v).__name__,
                          value=v))
    if not np.isfinite(v):
        raise ValueError(_("{name} must be a finite number; got {value!r}", name=_(name), value=v))
    return float(v)


def _as_value(v):
    if isinstance(v, Value):
        return v
    if isinstance(v, bool) or not isinstance(v, Real):
        raise TypeError(_("a Value combines with another Value or a number (int or float); got {type} {value!r}", type=type(v).__name__,
                          value=v))
    return Value(v)


def _grads(values):
    """The grads of a list (or a list of lists) of Values, as an array of that shape."""
    return np.array([_grads(v) if isinstance(v, list) else v.grad for v in values])


@dataclass
class NetworkGraph:
    """The graph of one example's cost C (the Value `cost`). z[l], a[l + 1]: lists of the Values of layer l,
    as in Trace (a[0] is x, whose grads become ∂C/∂x); weights[l][i][j], biases[l][i]: the parameters' Values,
    shaped like net.weights and net.biases."""

    cost: Value
    weights: list
    biases: list
    z: list
    a: list

    def backward(self):
        """Run cost.backward() and read delta, dW and db off the nodes' grads, as the Gradients of net.backward."""
        self.cost.backward()
        return Gradients([_grads(z_l) for z_l in self.z], [_grads(W) for W in self.weights], [_grads(b) for b in self.biases])


def network_graph(net, x, y_hat, cost="squared_error"):
    """The cost C = ½ Σₖ (yₖ − ŷₖ)² of one example as a graph of Values, built from net.weights, net.biases, x and ŷ.

    Sigmoid layers and the squared error only, as in the lecture network. x: shape (n_in,); y_hat: (n_out,).
    """
    check_network(net)
    if {act.name for act in net.activations} != {"sigmoid"}:
        raise ValueError(_("network_graph builds sigmoid layers only; this network's activations are {hidden!r} (hidden) and "
                           "{output!r} (output)", hidden=net.activation, output=net.output_activation))
    if not (isinstance(cost, str) and cost == "squared_error"):
        raise ValueError(_("network_graph builds the squared error only, cost='squared_error'; got cost={cost!r}", cost=cost))
    x = check_input(x, net.sizes[0], net.dtype)
    if x.ndim != 1:
        raise ValueError(_("network_graph builds the cost of one example, x of shape ({n_in},); got shape {shape}", n_in=net.sizes[0],
                           shape=x.shape))
    y_hat = check_target(y_hat, (net.sizes[-1],), net.dtype)

    weights = [[[Value(w) for w in row] for row in W.tolist()] for W in net.weights]
    biases = [[Value(b) for b in b_l.tolist()] for b_l in net.biases]
    z, a = [], [[Value(v) for v in x.tolist()]]
    for W_l, b_l in zip(weights, biases):
        # one neuron: multiply gates w · a, then add gates, z = x₁w₁ + x₂w₂ + b; then a = σ(z)
        z.append([reduce(Value.__add__, [w * a_j for w, a_j in zip(row, a[-1])]) + b_i for row, b_i in zip(W_l, b_l)])
        a.append([z_i.sigmoid() for z_i in z[-1]])
    squares = [(y_k - t) ** 2 for y_k, t in zip(a[-1], y_hat.tolist())]
    return NetworkGraph(0.5 * reduce(Value.__add__, squares), weights, biases, z, a)
