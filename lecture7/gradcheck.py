"""Gradient checking: every ∂L/∂w by central differences, compared with backpropagation.

(L(w + ε) − L(w − ε)) / 2ε costs two forward passes per parameter; backprop gets all of them
in one forward and one backward pass. That difference is why backpropagation exists.
"""
from dataclasses import dataclass, field

import numpy as np

from ._validate import check_input, check_positive, check_target
from .chain_rule import central_difference
from .costs import get_cost
from .i18n import _
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


def numerical_gradient(net, x, y_hat, cost="squared_error", eps=1e-6):
    """Central-difference estimates of delta[l] = ∂L/∂z[l], dW[l] and db[l]: the structure of net.backward.

    x: (n_in,) or (batch, n_in); y_hat: the targets, the shape of the output y. Use a float64 network:
    in float32 the differences are mostly rounding error.
    """
    check_positive("eps", eps)
    x = check_input(x, net.sizes[0], net.dtype)
    cost = get_cost(cost, net.activations[-1])
    trace = net._run(x, 0)
    y_hat = check_target(y_hat, trace.a[-1].shape, net.dtype)

    def loss():
        return net._loss(net._run(x, 0), y_hat, cost)

    delta = []
    for l, z_l in enumerate(trace.z):
        z_l = z_l.copy()
        delta.append(_central_differences(z_l, lambda: net._loss_from(l, z_l, y_hat, cost), eps))
    dW = [_central_differences(W, loss, eps) for W in net.weights]
    db = [_central_differences(b, loss, eps) for b in net.biases]
    return Gradients(delta, dW, db)


def relative_error(analytic, numeric):
    """‖g − ĝ‖ / (‖g‖ + ‖ĝ‖): 0 when they agree, 1 when one is zero or they point opposite ways."""
    return _relative(np.linalg.norm(np.asarray(analytic, float) - numeric), analytic, numeric)


def _relative(difference, analytic, numeric):
    """A difference between g and ĝ relative to ‖g‖ + ‖ĝ‖, as relative_error measures it."""
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return float(difference / scale) if scale > 0 else 0.0


QUANTITIES = ("delta", "dW", "db")
SYMBOLS = {"delta": "δ", "dW": "dW", "db": "db"}
# D(ε) = ∂L/∂θ + cε² + dε⁴ + …: (D(2ε) − D(ε)) / 3 = cε² + 5dε⁴ misses the truncation error cε² + dε⁴ by
# 4dε⁴, on either side: on the lecture network at ε = 1e-2 by a few parts in 10⁵, on the tests' smooth random
# networks by at most 12% up to ε = 3e-2. Hence twice; at ε = 0.1 the ε⁴ term can outgrow even that.
TRUNCATION_MARGIN = 2


@dataclass
class Mismatch:
    """The first layer whose gradient disagrees, in the order of the backward pass (from the output
    layer back, δ before dW and db), and in it the entry that differs the most.

    layer and neuron count from 1, as the notebooks' prose does: layer 1 is net.weights[0] (the
    lecture's W¹), neuron 1 is row 0 of its W. quantity is "delta", "dW" or "db". index is the
    entry's position in that layer's array counted from 0, as code writes it (`code` spells it
    out, e.g. grads.dW[1][0, 1]); `entry` is the same position counted from 1.
    """

    layer: int
    neuron: int
    quantity: str
    index: tuple
    analytic: float
    numeric: float

    @property
    def entry(self):
        return tuple(i + 1 for i in self.index)

    @property
    def code(self):
        return f"grads.{self.quantity}[{self.layer - 1}][{', '.join(map(str, self.index))}]"


@dataclass
class GradientCheckReport:
    """Relative errors per layer for delta, dW and db; `mismatch` is None when all of them agree.

    errors[l] is layer l + 1, net.weights[l]. truncation is None unless some quantity's error
    exceeded both the tolerance and the rounding floor; then truncation[l][q] is the relative error
    that truncation of the central differences at eps may explain, and explained lists the
    (layer from 1, quantity) pairs that agree only within it.
    """

    errors: list        # errors[l] = {"delta": e, "dW": e, "db": e}
    tolerance: float
    floor: float        # differences below this are rounding noise of the central differences
    mismatch: Mismatch | None
    eps: float = 1e-6
    truncation: list | None = None
    explained: list = field(default_factory=list)

    @property
    def ok(self):
        return self.mismatch is None

    @property
    def max_error(self):
        return max(max(e.values()) for e in self.errors)

    @property
    def verdict(self):
        """The report's last line: that all agree (and within which allowance), or where they first disagree."""
        m = self.mismatch
        if m is not None:
            return _("layer {layer}, neuron {neuron} disagrees first: {quantity} of layer {layer}, entry ({entry}) — {code} in "
                     "code — is {analytic:.6g} by backprop but {numeric:.6g} by central differences (tolerance {tolerance:g})",
                     layer=m.layer, neuron=m.neuron, quantity=SYMBOLS[m.quantity], entry=", ".join(map(str, m.entry)),
                     code=m.code, analytic=m.analytic, numeric=m.numeric, tolerance=self.tolerance)
        line = _("all agree: relative error ≤ {tolerance:g}, or difference ≤ the rounding floor {floor:.1e}",
                 tolerance=self.tolerance, floor=self.floor)
        if self.explained:
            largest = max(self.truncation[l - 1][q] for l, q in self.explained)
            line += _(" plus the truncation error: at ε = {eps:g} central differences carry a truncation error up to "
                      "{largest:.1e} (relative, ∝ ε², estimated from ε and 2ε); backprop is within it", eps=self.eps, largest=largest)
        return line

    def __str__(self):
        # the header's columns are as wide as the numbers' below them (a CJK character takes two columns)
        lines = [_("layer   rel. error δ   rel. error dW   rel. error db")]
        lines += [f"{l:>5}   {e['delta']:12.2e}   {e['dW']:13.2e}   {e['db']:13.2e}" for l, e in enumerate(self.errors, 1)]
        return "\n".join(lines + [self.verdict])


def gradient_check(net, x, y_hat, cost="squared_error", eps=1e-6, tolerance=1e-7, grads=None):
    """Compare `grads` (by default net.backward's) with numerical_gradient, layer by layer.

    A layer's δ, dW or db disagrees when its relative error exceeds `tolerance` and the difference
    ‖g − D(ε)‖ from the central differences D(ε) exceeds what they cannot resolve:
    - rounding: the floor 10 · max(1, |L| + Σ |∂L/∂z · z|) · ulp / ε, the sum over every z of the
      network: each z is computed to about ulp · |z|, and that error reaches L through ∂L/∂z (taken
      from the central differences), so a large z whose effect on L cancels, say, leaves more noise
      in L than |L| suggests (a gradient that is 0 up to rounding has a relative error near 1 and is
      still right);
    - truncation: D(ε) − ∂L/∂θ ≈ ε² · (∂³L/∂θ³) / 6. Only when some quantity exceeds the tolerance
      and the floor are the central differences taken once more, at 2ε (so a check that passes
      costs no more). Truncation grows like ε², so ‖D(2ε) − D(ε)‖ is about 3 times that of D(ε);
      the check allows TRUNCATION_MARGIN times ‖D(2ε) − D(ε)‖ / 3 on top of the floor.
    The report names the first quantity that disagrees in the order the backward pass computes them
    (from the output layer back; in a layer δ, then dW, db), since a wrong δ spoils every layer below
    it, and in it the neuron that differs the most.
    grads must have the shapes of net.backward's (delta[l] that of z[l], dW[l] of W[l], db[l] of b[l]).
    """
    check_positive("tolerance", tolerance)
    trace = net.forward(x)
    if grads is None:
        grads = net.backward(trace, y_hat, cost)
    else:
        _check_grads(net, grads, trace)
    numeric = numerical_gradient(net, x, y_hat, cost, eps)
    floor = 10 * _rounding_scale(net.loss(x, y_hat, cost), trace, numeric.delta) * np.finfo(net.dtype).eps / eps
    pairs = [{q: (getattr(grads, q)[l], getattr(numeric, q)[l]) for q in QUANTITIES} for l in range(len(net.weights))]
    errors = [{q: relative_error(g, n) for q, (g, n) in p.items()} for p in pairs]
    gaps = {(l, q): np.linalg.norm(g - n) for l, p in enumerate(pairs) for q, (g, n) in p.items()}
    in_backward_order = sorted(gaps, key=lambda lq: -lq[0])   # stable: δ, dW, db within a layer
    suspects = [(l, q) for l, q in in_backward_order if errors[l][q] > tolerance and gaps[l, q] > floor]
    truncation, explained = None, []
    if suspects:
        coarse = numerical_gradient(net, x, y_hat, cost, 2 * eps)
        allowed = {(l, q): TRUNCATION_MARGIN * np.linalg.norm(getattr(coarse, q)[l] - pairs[l][q][1]) / 3
                   for l, q in gaps}
        truncation = [{q: _relative(allowed[l, q], g, n) for q, (g, n) in p.items()} for l, p in enumerate(pairs)]
        explained = [(l + 1, q) for l, q in suspects if gaps[l, q] <= floor + allowed[l, q]]
        suspects = [(l, q) for l, q in suspects if gaps[l, q] > floor + allowed[l, q]]
    mismatch = None
    if suspects:
        l, q = suspects[0]
        mismatch = _mismatch(l, q, *pairs[l][q])
    return GradientCheckReport(errors, tolerance, floor, mismatch, eps, truncation, explained)


def _rounding_scale(loss, trace, delta):
    """max(1, |L| + Σ |∂L/∂z · z|): how large the rounding of L and of every z is, carried to L."""
    carried = sum(float(np.abs(d * z).sum()) for d, z in zip(delta, trace.z))
    return max(1.0, abs(loss) + carried)


def _mismatch(l, quantity, analytic, numeric):
    """Where in layer l (from 0) `quantity` differs the most, as a Mismatch (layer and neuron from 1)."""
    index = tuple(int(i) for i in np.unravel_index(np.argmax(np.abs(analytic - numeric)), np.shape(analytic)))
    neuron = index[-1] if quantity == "delta" else index[0]
    return Mismatch(l + 1, neuron + 1, quantity, index, float(analytic[index]), float(numeric[index]))


def _check_grads(net, grads, trace):
    """grads as gradient_check compares it: per quantity one array per layer, each of its parameter's shape."""
    if not all(hasattr(grads, q) for q in QUANTITIES):
        raise TypeError(_("grads must be the Gradients that net.backward returns (with delta, dW, db); got {type}",
                          type=type(grads).__name__))
    like = {"delta": ("z", trace.z), "dW": ("W", net.weights), "db": ("b", net.biases)}
    for q, (name, arrays) in like.items():
        got = getattr(grads, q)
        if len(got) != len(arrays):
            raise ValueError(_("grads.{q} must hold one array per layer, {n} for sizes {sizes}; got {got}", q=q, n=len(arrays),
                               sizes=net.sizes, got=len(got)))
        for l, (g, expected) in enumerate(zip(got, arrays)):
            if np.shape(g) != expected.shape:
                raise ValueError(
                    _("grads.{q}[{l}], the {q} of layer {layer}, must have the shape of that layer's {name}, {expected}; "
                      "got shape {shape}", q=q, l=l, layer=l + 1, name=name, expected=expected.shape, shape=np.shape(g))
                    + (_(" (for a batch, dW and db sum over the examples: db is δ summed over axis 0)")
                       if q != "delta" and trace.a[0].ndim == 2 else "")
                )


def assert_gradients_close(net, x, y_hat, cost="squared_error", eps=1e-6, tolerance=1e-7, grads=None):
    """Raise AssertionError, with the report, unless backprop and central differences agree."""
    report = gradient_check(net, x, y_hat, cost, eps, tolerance, grads)
    if not report.ok:
        raise AssertionError(str(report))
    return report
