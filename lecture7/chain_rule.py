"""The chain rule 連鎖律, the notes' two cases, each beside a central-difference estimate.

Case 1: y = g(x), z = h(y)             ⇒  dz/dx = dz/dy · dy/dx
Case 2: x = g(s), y = h(s), z = k(x, y) ⇒  dz/ds = ∂z/∂x · dx/ds + ∂z/∂y · dy/ds

Derivatives you do not pass are estimated by central differences of that one function, so each
factor of the product is local; `finite_difference` differentiates the whole composition at once.
"""
from dataclasses import dataclass

import numpy as np

from ._validate import check_positive
from .i18n import _


def central_difference(f, x, eps=1e-6):
    """(f(x + ε) − f(x − ε)) / 2ε, the derivative of a scalar function f at x."""
    return (f(x + eps) - f(x - eps)) / (2 * eps)


@dataclass(frozen=True)
class ChainRuleCase1:
    x: float
    y: float
    z: float
    dy_dx: float
    dz_dy: float
    dz_dx: float               # dz/dy · dy/dx
    finite_difference: float   # d h(g(x)) / dx by central differences


@dataclass(frozen=True)
class ChainRuleCase2:
    s: float
    x: float
    y: float
    z: float
    dx_ds: float
    dy_ds: float
    dz_dx: float
    dz_dy: float
    dz_ds: float               # ∂z/∂x · dx/ds + ∂z/∂y · dy/ds
    finite_difference: float   # d k(g(s), h(s)) / ds by central differences


def chain_rule_case1(g, h, x, dg=None, dh=None, eps=1e-6):
    """Case 1 at the point x: y = g(x), z = h(y). dg, dh are g', h' (estimated when None)."""
    x, eps = _check_point("x", x, eps, g=g, h=h, dg=dg, dh=dh)
    y = float(g(x))
    dy_dx = _derivative(g, dg, x, eps)
    dz_dy = _derivative(h, dh, y, eps)
    return ChainRuleCase1(
        x, y, float(h(y)), dy_dx, dz_dy, dz_dy * dy_dx,
        float(central_difference(lambda t: h(g(t)), x, eps)),
    )


def chain_rule_case2(g, h, k, s, dg=None, dh=None, dk_dx=None, dk_dy=None, eps=1e-6):
    """Case 2 at the point s: x = g(s), y = h(s), z = k(x, y).

    dg, dh are g', h'; dk_dx(x, y), dk_dy(x, y) are k's partial derivatives 偏微分 (estimated when None).
    """
    s, eps = _check_point("s", s, eps, g=g, h=h, k=k, dg=dg, dh=dh, dk_dx=dk_dx, dk_dy=dk_dy)
    x, y = float(g(s)), float(h(s))
    dx_ds = _derivative(g, dg, s, eps)
    dy_ds = _derivative(h, dh, s, eps)
    dz_dx = float(dk_dx(x, y)) if dk_dx else float(central_difference(lambda t: k(t, y), x, eps))
    dz_dy = float(dk_dy(x, y)) if dk_dy else float(central_difference(lambda t: k(x, t), y, eps))
    return ChainRuleCase2(
        s, x, y, float(k(x, y)), dx_ds, dy_ds, dz_dx, dz_dy, dz_dx * dx_ds + dz_dy * dy_ds,
        float(central_difference(lambda t: k(g(t), h(t)), s, eps)),
    )


def _derivative(f, df, x, eps):
    return float(df(x)) if df else float(central_difference(f, x, eps))


def _check_point(name, value, eps, **functions):
    for fname, f in functions.items():
        if f is not None and not callable(f):
            raise TypeError(_("{name} must be a function; got {type}", name=fname, type=type(f).__name__))
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(_("{name} must be a number; got {value!r} ({type})", name=name, value=value, type=type(value).__name__))
    if not np.isfinite(value):
        raise ValueError(_("{name} must be a finite number; got {value}", name=name, value=value))
    return float(value), check_positive("eps", eps)
