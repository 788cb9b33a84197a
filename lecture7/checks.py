"""The exercises' checks: a learner's answer against what lecture7 computes.

The notebooks' test cells (graded by nbgrader in the classroom version) call `check`. A failed check
raises AssertionError naming the value, what was expected and what came, so the message alone tells a
learner what to fix; a passed one prints a ✓ line.
"""
from numbers import Real

import numpy as np


def check(name, got, expected, atol=1e-6):
    """Assert that `got` has the shape of `expected` and every entry within `atol` of it; print ✓.

    name: what the value is, as the learner knows it (for example "dz_dx(0.8)").
    got: the learner's answer, a number or an array-like.  expected: the package's value.
    """
    if not isinstance(atol, Real) or not atol >= 0:
        raise ValueError(f"atol must be a number >= 0; got {atol!r}")
    expected = np.asarray(expected, dtype=float)
    if got is None:
        raise AssertionError(f"{name}: expected {_show(expected)}, got None (does your code `return` its result?)")
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise AssertionError(f"{name}: expected numbers {_show(expected)}, got {type(got).__name__} {got!r}") from None
    if got.shape != expected.shape:
        raise AssertionError(f"{name}: expected shape {expected.shape}, {_show(expected)}; got shape {got.shape}, {_show(got)}")
    if not np.allclose(got, expected, rtol=0, atol=atol):   # NaN is never close, so it fails here too
        raise AssertionError(f"{name}: expected {_show(expected)}, got {_show(got)} (tolerance {atol:g})")
    print(f"✓ {name} = {_show(expected)}")


def _show(value):
    """Four decimals, as the notebooks print; a matrix on one line."""
    if value.ndim == 0:
        return f"{float(value):.4f}"
    return np.array2string(value, precision=4, floatmode="fixed", suppress_small=True, separator=", ", max_line_width=10_000).replace("\n", "")
