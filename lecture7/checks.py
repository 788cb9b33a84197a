"""The checks: a learner's answer against what lecture7 computes.

`check` compares one value; `lecture7.check_answer` (lecture7.exercises) runs a learner's function on an
exercise's cases. Both use `mismatch`. A failed check raises AssertionError naming the value, what was
expected and what came, so the message alone tells a learner what to fix; a passed one prints a ✓ line.
"""
from numbers import Real

import numpy as np

from .i18n import _


def check(name, got, expected, atol=1e-6):
    """Assert that `got` has the shape of `expected` and every entry within `atol` of it; print ✓.

    name: what the value is, as the learner knows it (for example "dz_dx(0.8)").
    got: the learner's answer, a number or an array-like.  expected: the package's value.
    """
    if not isinstance(atol, Real) or not atol >= 0:
        raise ValueError(_("atol must be a number >= 0; got {atol!r}", atol=atol))
    why = mismatch(got, expected, atol)
    if why:
        raise AssertionError(f"{name}: {why}")
    print(f"✓ {name} = {show(np.asarray(expected, dtype=float))}")


def mismatch(got, expected, atol=1e-6):
    """Why `got` differs from `expected` (numbers, arrays, or tuples and lists of them), or None within atol."""
    if _ragged(expected):
        if not isinstance(got, (list, tuple)) or len(got) != len(expected):
            return _("expected {n} values, got {got}", n=len(expected), got=_describe(got))
        for i, (g, e) in enumerate(zip(got, expected)):
            why = mismatch(g, e, atol)
            if why:
                return _("entry {i}: {why}", i=i, why=why)
        return None
    expected = np.asarray(expected, dtype=float)
    if got is None:
        return _("expected {expected}, got None (does your code `return` its result?)", expected=show(expected))
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return _("expected numbers {expected}, got {got}", expected=show(expected), got=_describe(got))
    if got.shape != expected.shape:
        return _("expected shape {expected_shape}, {expected}; got shape {shape}, {got}", expected_shape=expected.shape,
                 expected=show(expected), shape=got.shape, got=show(got))
    if not np.allclose(got, expected, rtol=0, atol=atol):   # NaN is never close, so it fails here too
        return _("expected {expected}, got {got} (tolerance {atol:g})", expected=show(expected), got=show(got), atol=atol)
    return None


def show(value):
    """Four decimals, as the notebooks print; a matrix on one line."""
    value = np.asarray(value)
    if value.ndim == 0:
        return f"{float(value):.4f}"
    return np.array2string(value, precision=4, floatmode="fixed", suppress_small=True, separator=", ", max_line_width=10_000).replace("\n", "")


def _ragged(value):
    """A tuple or list that is not one rectangular array: (dW, db) of a layer, the dW of every layer."""
    if not isinstance(value, (list, tuple)):
        return False
    try:
        np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return True
    return False


def _describe(value):
    if isinstance(value, (list, tuple)):
        return _("a {type} of {n}", type=type(value).__name__, n=len(value))
    return f"{type(value).__name__} {value!r}"[:80]
