"""The pen-and-paper worksheet: every z, a, σ′, δ and ∂C/∂w of the lecture network for another input and target.

The learner fills a dict of boxes by hand, `{"z¹": [..., ...], ..., "∂C/∂b¹": [..., ...]}`, and
`check_worksheet(boxes, x=..., y_hat=...)` says per box: ✓, not filled yet (`...`), or ✗ with a hint at what
the value is instead (σ(z) for σ′(z), the sign flipped, a wrong box it follows from, …), never the right value.
"""
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..activations import sigmoid
from ..i18n import N_, _
from ..network import lecture_network

ATOL = 5e-3   # hand arithmetic to 3 decimals, rounded on the way
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
GIVEN = {"x": N_("the input x"), "ŷ": N_("the target ŷ")}


@dataclass(frozen=True)
class Box:
    """One box of the worksheet: its value is rule(*values of `needs`), boxes above it or x and ŷ.

    made_of: what it is computed from, in words (the hint for a wrong value that no slip explains).
    slips: (hint, slip) pairs: slip(*values of needs) is a usual wrong value, hint what it is.
    The words are N_ texts (lecture7.i18n), printed in the language of the moment.
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
                N_("{W}, {b} and {a_in}", W=layer_name("W", l), b=layer_name("b", l), a_in=GIVEN.get(a_in, a_in)),
                ((N_("row i of W holds the weights into neuron i, not column i"), lambda a_in, Wl=Wl, bl=bl: Wl.T @ a_in + bl),
                 (N_("the bias is missing"), lambda a_in, Wl=Wl: Wl @ a_in))),
            Box(a, (z,), sigmoid, N_("{z} alone", z=z),
                ((N_("this is {z} itself, not σ({z})", z=z), lambda z: z),
                 (N_("this is σ of −z: check the sign of the exponent"), lambda z: sigmoid(-z)),
                 (N_("this is σ′({z}), not σ({z})", z=z), lambda z: sigmoid(z) * (1 - sigmoid(z))))),
            Box(s, (z, a), lambda z, a: a * (1 - a), N_("{a} (or {z}) alone", a=a, z=z),
                ((N_("this is σ({z}) = {a}, not σ′({z})", z=z, a=a), lambda z, a: a),
                 (N_("σ′ with {z} put where σ({z}) belongs", z=z), lambda z, a: z * (1 - z)),
                 (N_("σ′ with a plus sign where it has a minus"), lambda z, a: a * (1 + a)),
                 (N_("σ′ taken at {a} as if it were {z}", a=a, z=z), lambda z, a: sigmoid(a) * (1 - sigmoid(a))))),
        ]
    y = layer_name("a", L)
    boxes += [
        Box("C", (y, "ŷ"), lambda y, y_hat: 0.5 * np.sum((y - y_hat) ** 2), N_("{y} = y and the target ŷ", y=y),
            ((N_("the ½ of the squared error is missing"), lambda y, y_hat: np.sum((y - y_hat) ** 2)),)),
        Box("∂C/∂y", (y, "ŷ"), lambda y, y_hat: y - y_hat, N_("{y} = y and the target ŷ", y=y),
            ((N_("the sign is flipped"), lambda y, y_hat: y_hat - y),
             (N_("this is the cost's term of each output, not its derivative"), lambda y, y_hat: 0.5 * (y - y_hat) ** 2))),
    ]
    for l in range(L, 0, -1):
        delta, s, a_in = layer_name("δ", l), f"σ′({layer_name('z', l)})", "x" if l == 1 else layer_name("a", l - 1)
        if l == L:
            boxes.append(Box(delta, (s, "∂C/∂y", y), lambda s, dC_dy, y: s * dC_dy, N_("{s} and ∂C/∂y", s=s),
                             ((N_("the sign is flipped"), lambda s, dC_dy, y: -s * dC_dy),
                              (N_("{s} is missing: this is ∂C/∂y", s=s), lambda s, dC_dy, y: dC_dy),
                              (N_("this has σ({z}) where {s} belongs", z=layer_name("z", l), s=s), lambda s, dC_dy, y: y * dC_dy))))
        else:
            Wn, s_next, delta_next = W[l], f"σ′({layer_name('z', l + 1)})", layer_name("δ", l + 1)
            boxes.append(Box(delta, (s, delta_next, s_next), lambda s, d, s_next, Wn=Wn: s * (Wn.T @ d),
                             N_("{s}, {W} and {delta}", s=s, W=layer_name("W", l + 1), delta=delta_next),
                             ((N_("the sign is flipped"), lambda s, d, s_next, Wn=Wn: -s * (Wn.T @ d)),
                              (N_("the weights out of neuron j are column j of {W}, not row j", W=layer_name("W", l + 1)),
                               lambda s, d, s_next, Wn=Wn: s * (Wn @ d)),
                              (N_("{s} is missing: this is ∂C/∂{a}", s=s, a=layer_name("a", l)), lambda s, d, s_next, Wn=Wn: Wn.T @ d),
                              (N_("this has {s_next}, of the layer after, where {s} belongs", s_next=s_next, s=s),
                               lambda s, d, s_next, Wn=Wn: s_next * (Wn.T @ d)))))
        boxes.append(Box(f"∂C/∂{layer_name('b', l)}", (delta, a_in), lambda d, a_in: d, N_("{delta} alone", delta=delta),
                         ((N_("this is {a_in}: what does z change by when b changes by 1?", a_in=GIVEN.get(a_in, a_in)),
                           lambda d, a_in: a_in),
                          (N_("the sign is flipped"), lambda d, a_in: -d))))
        a_out = layer_name("a", l)
        for i in range(len(b[l - 1])):
            boxes.append(Box(f"∂C/∂{layer_name('W', l)} row {i + 1}", (delta, a_in, a_out),
                             lambda d, a_in, a_out, i=i: d[i] * a_in,
                             N_("{delta} and {a_in}, the input on each edge", delta=delta, a_in=GIVEN.get(a_in, a_in)),
                             ((N_("row i holds the weights into neuron i: this is column i"), lambda d, a_in, a_out, i=i: d * a_in[i]),
                              (N_("this takes the layer's output {a}, not the input on the edge", a=a_out),
                               lambda d, a_in, a_out, i=i: d[i] * a_out),
                              (N_("the sign is flipped"), lambda d, a_in, a_out, i=i: -d[i] * a_in))))
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
        raise TypeError(_("boxes must be the worksheet's dict of boxes; got {type}", type=type(boxes).__name__))
    net = lecture_network()
    sheet = worksheet(net)
    unknown = set(boxes) - {box.name for box in sheet}
    if unknown:
        raise ValueError(_("the worksheet has no box {unknown}; its boxes are {boxes}", unknown=", ".join(map(repr, sorted(unknown))),
                           boxes=", ".join(box.name for box in sheet)))
    right = right_values(x, y_hat, net)
    theirs = dict(right)   # the learner's values where filled, the right ones elsewhere
    done, wrong, blank = 0, [], 0
    for box in sheet:
        expected = right[box.name]
        got, filled, problem = _entries(boxes.get(box.name, ...), expected.shape)
        if problem:
            print(_("✗ {box}: {problem}", box=box.name, problem=problem))
            wrong.append(box.name)
            continue
        if not filled.any():
            print(_("… {box}: not filled yet", box=box.name))
            blank += 1
            continue
        theirs[box.name] = np.where(filled, got, expected)
        if np.all(np.abs(got - expected)[filled] <= ATOL):
            if filled.all():
                print(f"✓ {box.name}")
                done += 1
            else:
                print(_("… {box}: {filled} of {size} numbers filled, right so far", box=box.name, filled=filled.sum(), size=filled.size))
                blank += 1
            continue
        print(_("✗ {box}: {problem}", box=box.name, problem=_(_hint(box, got, filled, right, theirs))))
        wrong.append(box.name)
    print(_("{done} of {boxes} boxes filled and right", done=done, boxes=len(sheet))
          + (_("; {wrong} wrong", wrong=len(wrong)) if wrong else "") + (_("; {blank} not filled yet", blank=blank) if blank else ""))
    if wrong:
        message = (_("{n} filled boxes are wrong: {boxes} (the ✗ lines above say what each looks like)", n=len(wrong), boxes=", ".join(wrong))
                   if len(wrong) > 1 else
                   _("{n} filled box is wrong: {boxes} (the ✗ lines above say what each looks like)", n=len(wrong), boxes=", ".join(wrong)))
        raise AssertionError(message)


def _entries(value, shape):
    """(the numbers as an array of `shape`, the mask of those filled, None) or (…, …, why the value is not usable)."""
    size = int(np.prod(shape))
    if value is ...:   # a whole box left blank
        return np.full(shape, np.nan), np.zeros(shape, dtype=bool), None
    several = isinstance(value, (list, tuple, np.ndarray)) and np.ndim(value) == 1
    entries = list(value) if several else [value]
    if several != bool(shape) or len(entries) != size:
        wanted = _("a list of {size} numbers", size=size) if shape else _("one number")
        return None, None, _("this box takes {wanted}; got {value!r}", wanted=wanted, value=value)[:120]
    numbers = np.full(size, np.nan)
    for k, entry in enumerate(entries):
        if entry is ...:
            continue
        if isinstance(entry, bool) or not isinstance(entry, (int, float, np.number)) or not np.isfinite(entry):
            return None, None, _("a box holds numbers (or ... while not filled); got {entry!r}", entry=entry)[:120]
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
        if len(off) == 1:
            return _("this follows from your {boxes}, which is wrong: fix that first", boxes=off[0])
        return _("this follows from your {boxes}, which are wrong: fix that first", boxes=_(" and ").join(off))
    hint = off and slipped(theirs)   # a slip made on top of a wrong box
    if hint:
        return hint
    expected = right[box.name]
    if matches(-expected):
        return _("the sign is flipped")
    if np.all((np.abs(got - expected) <= 0.05 * np.abs(expected) + ATOL)[filled]):
        return _("close, but more than 0.005 off: carry 4 decimals on the way and round only at the end")
    return _("not this one; it is made of {made_of}", made_of=_(box.made_of))
