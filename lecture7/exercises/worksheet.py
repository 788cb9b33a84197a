"""The pen-and-paper worksheet: every z, a, σ′, δ and ∂C/∂w of the lecture network for another input and target.

The learner fills a dict of boxes by hand, `{"z¹": [..., ...], ..., "∂C/∂b¹": [..., ...]}`, and
`check_worksheet(boxes, x=..., y_hat=...)` says per box: ✓, not filled yet (`...`), or ✗ with a hint at what
the value is instead (σ(z) for σ′(z), the sign flipped, a wrong box it follows from, …), never the right value.
"""
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..activations import sigmoid
from ..network import lecture_network

ATOL = 5e-3   # hand arithmetic to 3 decimals, rounded on the way
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
GIVEN = {"x": "the input x", "ŷ": "the target ŷ"}


@dataclass(frozen=True)
class Box:
    """One box of the worksheet: its value is rule(*values of `needs`), boxes above it or x and ŷ.

    made_of: what it is computed from, in words (the hint for a wrong value that no slip explains).
    slips: (hint, slip) pairs: slip(*values of needs) is a usual wrong value, hint what it is.
    """
    name: str
    needs: tuple
    rule: Callable
    made_of: str
    slips: tuple = ()


def layer_name(symbol, l):
    """symbol of layer l (counted from 1, as the lecture does): layer_name("z", 2) is "z²"."""
    return symbol + "".join(SUPERSCRIPTS[int(d)] for d in str(l))


def worksheet(net):
    """The boxes of the worksheet for `net` (sigmoid layers, squared error), in the order they are computed."""
    W, b, L = net.weights, net.biases, len(net.weights)
    boxes = []
    for l in range(1, L + 1):
        a_in = "x" if l == 1 else layer_name("a", l - 1)
        z, a, s = layer_name("z", l), layer_name("a", l), f"σ′({layer_name('z', l)})"
        Wl, bl = W[l - 1], b[l - 1]
        boxes += [
            Box(z, (a_in,), lambda a_in, Wl=Wl, bl=bl: Wl @ a_in + bl,
                f"{layer_name('W', l)}, {layer_name('b', l)} and {GIVEN.get(a_in, a_in)}",
                (("row i of W holds the weights into neuron i, not column i", lambda a_in, Wl=Wl, bl=bl: Wl.T @ a_in + bl),
                 ("the bias is missing", lambda a_in, Wl=Wl: Wl @ a_in))),
            Box(a, (z,), sigmoid, f"{z} alone",
                ((f"this is {z} itself, not σ({z})", lambda z: z),
                 ("this is σ of −z: check the sign of the exponent", lambda z: sigmoid(-z)),
                 (f"this is σ′({z}), not σ({z})", lambda z: sigmoid(z) * (1 - sigmoid(z))))),
            Box(s, (z, a), lambda z, a: a * (1 - a), f"{a} (or {z}) alone",
                ((f"this is σ({z}) = {a}, not σ′({z})", lambda z, a: a),
                 (f"σ′ with {z} put where σ({z}) belongs", lambda z, a: z * (1 - z)),
                 ("σ′ with a plus sign where it has a minus", lambda z, a: a * (1 + a)),
                 (f"σ′ taken at {a} as if it were {z}", lambda z, a: sigmoid(a) * (1 - sigmoid(a))))),
        ]
    y = layer_name("a", L)
    boxes += [
        Box("C", (y, "ŷ"), lambda y, y_hat: 0.5 * np.sum((y - y_hat) ** 2), f"{y} = y and the target ŷ",
            (("the ½ of the squared error is missing", lambda y, y_hat: np.sum((y - y_hat) ** 2)),)),
        Box("∂C/∂y", (y, "ŷ"), lambda y, y_hat: y - y_hat, f"{y} = y and the target ŷ",
            (("the sign is flipped", lambda y, y_hat: y_hat - y),
             ("this is the cost's term of each output, not its derivative", lambda y, y_hat: 0.5 * (y - y_hat) ** 2))),
    ]
    for l in range(L, 0, -1):
        delta, s, a_in = layer_name("δ", l), f"σ′({layer_name('z', l)})", "x" if l == 1 else layer_name("a", l - 1)
        if l == L:
            boxes.append(Box(delta, (s, "∂C/∂y", y), lambda s, dC_dy, y: s * dC_dy, f"{s} and ∂C/∂y",
                             (("the sign is flipped", lambda s, dC_dy, y: -s * dC_dy),
                              (f"{s} is missing: this is ∂C/∂y", lambda s, dC_dy, y: dC_dy),
                              (f"this has σ({layer_name('z', l)}) where {s} belongs", lambda s, dC_dy, y: y * dC_dy))))
        else:
            Wn, s_next, delta_next = W[l], f"σ′({layer_name('z', l + 1)})", layer_name("δ", l + 1)
            boxes.append(Box(delta, (s, delta_next, s_next), lambda s, d, s_next, Wn=Wn: s * (Wn.T @ d),
                             f"{s}, {layer_name('W', l + 1)} and {delta_next}",
                             (("the sign is flipped", lambda s, d, s_next, Wn=Wn: -s * (Wn.T @ d)),
                              (f"the weights out of neuron j are column j of {layer_name('W', l + 1)}, not row j",
                               lambda s, d, s_next, Wn=Wn: s * (Wn @ d)),
                              (f"{s} is missing: this is ∂C/∂{layer_name('a', l)}", lambda s, d, s_next, Wn=Wn: Wn.T @ d),
                              (f"this has {s_next}, of the layer after, where {s} belongs",
                               lambda s, d, s_next, Wn=Wn: s_next * (Wn.T @ d)))))
        boxes.append(Box(f"∂C/∂{layer_name('b', l)}", (delta, a_in), lambda d, a_in: d, f"{delta} alone",
                         ((f"this is {GIVEN.get(a_in, a_in)}: what does z change by when b changes by 1?", lambda d, a_in: a_in),
                          ("the sign is flipped", lambda d, a_in: -d))))
        a_out = layer_name("a", l)
        for i in range(len(b[l - 1])):
            boxes.append(Box(f"∂C/∂{layer_name('W', l)} row {i + 1}", (delta, a_in, a_out),
                             lambda d, a_in, a_out, i=i: d[i] * a_in,
                             f"{delta} and {GIVEN.get(a_in, a_in)}, the input on each edge",
                             (("row i holds the weights into neuron i: this is column i", lambda d, a_in, a_out, i=i: d * a_in[i]),
                              (f"this takes the layer's output {a_out}, not the input on the edge",
                               lambda d, a_in, a_out, i=i: d[i] * a_out),
                              ("the sign is flipped", lambda d, a_in, a_out, i=i: -d[i] * a_in))))
    return boxes


def right_values(x, y_hat, net=None):
    """{box name: its right value} for the input x and the target y_hat (x and ŷ included)."""
    net = lecture_network() if net is None else net
    trace = net.forward(x)   # checks x
    net.backward(trace, y_hat, "squared_error")   # checks y_hat against the output's shape
    values = {"x": trace.a[0], "ŷ": np.asarray(y_hat, dtype=float)}
    for box in worksheet(net):
        values[box.name] = np.asarray(box.rule(*(values[n] for n in box.needs)), dtype=float)
    return values


def check_worksheet(boxes, x, y_hat):
    """Check a filled worksheet of the lecture network on input x and target y_hat; print one line per box.

    boxes: {box name: a number, or a list of numbers, each `...` while not filled yet}.
    Raises AssertionError at the end when a filled box is wrong (never for boxes not filled yet).
    """
    if not isinstance(boxes, dict):
        raise TypeError(f"boxes must be the worksheet's dict of boxes; got {type(boxes).__name__}")
    net = lecture_network()
    sheet = worksheet(net)
    unknown = set(boxes) - {box.name for box in sheet}
    if unknown:
        raise ValueError(f"the worksheet has no box {', '.join(map(repr, sorted(unknown)))}; "
                         f"its boxes are {', '.join(box.name for box in sheet)}")
    right = right_values(x, y_hat, net)
    theirs = dict(right)   # the learner's values where filled, the right ones elsewhere
    done, wrong, blank = 0, [], 0
    for box in sheet:
        expected = right[box.name]
        got, filled, problem = _entries(boxes.get(box.name, ...), expected.shape)
        if problem:
            print(f"✗ {box.name}: {problem}")
            wrong.append(box.name)
            continue
        if not filled.any():
            print(f"… {box.name}: not filled yet")
            blank += 1
            continue
        theirs[box.name] = np.where(filled, got, expected)
        if np.all(np.abs(got - expected)[filled] <= ATOL):
            if filled.all():
                print(f"✓ {box.name}")
                done += 1
            else:
                print(f"… {box.name}: {filled.sum()} of {filled.size} numbers filled, right so far")
                blank += 1
            continue
        print(f"✗ {box.name}: {_hint(box, got, filled, right, theirs)}")
        wrong.append(box.name)
    print(f"{done} of {len(sheet)} boxes filled and right" + (f"; {len(wrong)} wrong" if wrong else "")
          + (f"; {blank} not filled yet" if blank else ""))
    if wrong:
        raise AssertionError(f"{len(wrong)} filled box{'es are' if len(wrong) > 1 else ' is'} wrong: {', '.join(wrong)} "
                             f"(the ✗ lines above say what each looks like)")


def _entries(value, shape):
    """(the numbers as an array of `shape`, the mask of those filled, None) or (…, …, why the value is not usable)."""
    size = int(np.prod(shape))
    if value is ...:   # a whole box left blank
        return np.full(shape, np.nan), np.zeros(shape, dtype=bool), None
    several = isinstance(value, (list, tuple, np.ndarray)) and np.ndim(value) == 1
    entries = list(value) if several else [value]
    if several != bool(shape) or len(entries) != size:
        wanted = f"a list of {size} numbers" if shape else "one number"
        return None, None, f"this box takes {wanted}; got {value!r}"[:120]
    numbers = np.full(size, np.nan)
    for k, entry in enumerate(entries):
        if entry is ...:
            continue
        if isinstance(entry, bool) or not isinstance(entry, (int, float, np.number)) or not np.isfinite(entry):
            return None, None, f"a box holds numbers (or ... while not filled); got {entry!r}"[:120]
        numbers[k] = entry
    return numbers.reshape(shape), ~np.isnan(numbers.reshape(shape)), None


def _hint(box, got, filled, right, theirs):
    """What a wrong box's value looks like, without the right value."""
    def matches(value):
        value = np.broadcast_to(np.asarray(value, dtype=float), got.shape)
        return bool(np.all(np.abs(got - value)[filled] <= ATOL))

    def slipped(values):
        """The hint of the first slip that gives `got` from these values (and not the right value too)."""
        args = [values[n] for n in box.needs]
        right_here = np.asarray(box.rule(*args), dtype=float)
        for hint, slip in box.slips:
            value = slip(*args)
            if matches(value) and not np.allclose(value, right_here, rtol=0, atol=ATOL):
                return hint
        return None

    hint = slipped(right)
    if hint:
        return hint
    off = [n for n in box.needs if n not in GIVEN and not np.allclose(theirs[n], right[n], rtol=0, atol=ATOL)]
    if off and matches(box.rule(*(theirs[n] for n in box.needs))):
        return f"this follows from your {' and '.join(off)}, which {'is' if len(off) == 1 else 'are'} wrong: fix that first"
    hint = off and slipped(theirs)   # a slip made on top of a wrong box
    if hint:
        return hint
    expected = right[box.name]
    if matches(-expected):
        return "the sign is flipped"
    if np.all((np.abs(got - expected) <= 0.05 * np.abs(expected) + ATOL)[filled]):
        return "close, but more than 0.005 off: carry 4 decimals on the way and round only at the end"
    return f"not this one; it is made of {box.made_of}"
