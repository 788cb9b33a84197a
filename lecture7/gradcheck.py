"""Gradient checking: every ∂L/∂w by central differences, compared with backpropagation.

(L(w + ε) − L(w − ε)) / 2ε costs two forward passes per parameter; backprop gets all of them
in one forward and one backward pass. That difference is why backpropagation exists.
"""
from dataclasses import dataclass

import numpy as np

from ._validate import check_input, check_positive, check_target
from .chain_rule import central_difference
from .costs import get_cost
from .network import Gradients


def _central_differences(values, loss, eps):
    """∂loss/∂v for every entry v of the array `values`, set in place to v ± ε and then restored."""
    grad = np.zeros_like(values)
    for idx in np.ndindex(values.shape):
        v = values[idx]

        def loss_at(t):
            values[idx] = t
            return loss()

        grad[idx] = central_difference(loss_at, v, eps)
        values[idx] = v
    return grad


def numerical_gradient(net, x, y, cost="squared_error", eps=1e-6):
    """Central-difference estimates of delta[l] = ∂L/∂z[l], dW[l] and db[l]: the structure of net.backward.

    x: (n_in,) or (batch, n_in); y: the matching output shape. Use a float64 network: in float32
    the differences are mostly rounding error.
    """
    check_positive("eps", eps)
    x = check_input(x, net.sizes[0], net.dtype)
    cost = get_cost(cost, net.activations[-1])
    trace = net._run(x, 0)
    y = check_target(y, trace.a[-1].shape, net.dtype)

    def loss():
        return net._loss(net._run(x, 0), y, cost)

    delta = []
    for l, z_l in enumerate(trace.z):
        z_l = z_l.copy()
        delta.append(_central_differences(z_l, lambda: net._loss_from(l, z_l, y, cost), eps))
    dW = [_central_differences(W, loss, eps) for W in net.weights]
    db = [_central_differences(b, loss, eps) for b in net.biases]
    return Gradients(delta, dW, db)


def relative_error(analytic, numeric):
    """‖g − ĝ‖ / (‖g‖ + ‖ĝ‖): 0 when they agree, 1 when one is zero or they point opposite ways."""
    diff = np.linalg.norm(np.asarray(analytic, float) - numeric)
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return float(diff / scale) if scale > 0 else 0.0


@dataclass
class Mismatch:
    """The first layer whose gradient disagrees, and its neuron that disagrees the most."""

    layer: int
    neuron: int
    quantity: str
    analytic: float
    numeric: float


@dataclass
class GradientCheckReport:
    """Relative errors per layer for delta, dW and db; `mismatch` is None when all of them agree."""

    errors: list        # errors[l] = {"delta": e, "dW": e, "db": e}
    tolerance: float
    floor: float        # differences below this are rounding noise of the central differences
    mismatch: Mismatch | None

    @property
    def ok(self):
        return self.mismatch is None

    @property
    def max_error(self):
        return max(max(e.values()) for e in self.errors)

    def __str__(self):
        lines = ["layer   rel. error δ   rel. error dW   rel. error db"]
        lines += [f"{l:>5}   {e['delta']:12.2e}   {e['dW']:13.2e}   {e['db']:13.2e}" for l, e in enumerate(self.errors)]
        m = self.mismatch
        if m is None:
            lines.append(f"all agree: relative error ≤ {self.tolerance:g}, or difference ≤ the rounding floor {self.floor:.1e}")
        else:
            lines.append(
                f"layer {m.layer}, neuron {m.neuron} disagrees first: {m.quantity} is {m.analytic:.6g} "
                f"by backprop but {m.numeric:.6g} by central differences (tolerance {self.tolerance:g})"
            )
        return "\n".join(lines)


def gradient_check(net, x, y, cost="squared_error", eps=1e-6, tolerance=1e-7, grads=None):
    """Compare `grads` (by default net.backward's) with numerical_gradient, layer by layer.

    A layer's δ, dW or db disagrees when its relative error exceeds `tolerance` and the difference
    ‖g − ĝ‖ exceeds what rounding lets central differences resolve, 10 · max(1, |L|) · ulp / eps
    (a gradient that is 0 up to rounding has a relative error near 1 and is still right).
    The report names the first layer that disagrees and, in it, the neuron that differs the most.
    """
    check_positive("tolerance", tolerance)
    if grads is None:
        grads = net.backward(net.forward(x), y, cost)
    numeric = numerical_gradient(net, x, y, cost, eps)
    floor = 10 * max(1.0, abs(net.loss(x, y, cost))) * np.finfo(net.dtype).eps / eps
    errors, mismatch = [], None
    for l in range(len(net.weights)):
        pairs = {q: (getattr(grads, q)[l], getattr(numeric, q)[l]) for q in ("delta", "dW", "db")}
        errors.append({q: relative_error(g, n) for q, (g, n) in pairs.items()})
        bad = [q for q, (g, n) in pairs.items() if errors[l][q] > tolerance and np.linalg.norm(g - n) > floor]
        if mismatch is None and bad:
            g, n = pairs[bad[0]]
            idx = tuple(int(i) for i in np.unravel_index(np.argmax(np.abs(g - n)), np.shape(g)))
            neuron = idx[-1] if bad[0] == "delta" else idx[0]
            where = f"{bad[0]}[{l}][{', '.join(map(str, idx))}]"
            mismatch = Mismatch(l, neuron, where, float(g[idx]), float(n[idx]))
    return GradientCheckReport(errors, tolerance, floor, mismatch)


def assert_gradients_close(net, x, y, cost="squared_error", eps=1e-6, tolerance=1e-7, grads=None):
    """Raise AssertionError, with the report, unless backprop and central differences agree."""
    report = gradient_check(net, x, y, cost, eps, tolerance, grads)
    if not report.ok:
        raise AssertionError(str(report))
    return report
