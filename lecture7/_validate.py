"""Input checks shared by the whole package.

Every public entry point turns bad input into a ValueError or TypeError that says what was
expected and what came, before numpy can answer with a broadcasting traceback or a silent NaN.
"""
from numbers import Integral, Real

import numpy as np

from .i18n import _

DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def check_dtype(dtype):
    """Return `dtype` as a numpy dtype, which must be float32 or float64."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(_("dtype must be float32 or float64; got {dtype!r}", dtype=dtype)) from None
    if dt not in DTYPES:
        raise ValueError(_("dtype must be float32 or float64; got {dtype}", dtype=dt))
    return dt


def as_array(name, value, dtype=np.float64):
    """`value` as a finite floating-point array; `name` is what error messages call it."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(_("{name} must be an array of numbers; got {type}", name=name, type=type(value).__name__))
    try:
        arr = np.asarray(value)
    except ValueError:
        raise ValueError(_("{name} must be a rectangular array of numbers; its rows have different lengths", name=name)) from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(_("{name} must be an array of numbers; got an array of dtype {dtype}", name=name, dtype=arr.dtype))
    if arr.dtype == dtype:
        cast = arr   # the usual case: nothing to convert, so no errstate either
    else:
        with np.errstate(over="ignore"):   # a number too large for dtype becomes inf, and is reported below
            cast = arr.astype(dtype)
    if not np.isfinite(cast).all():
        bad = ~np.isfinite(cast)
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        if np.isfinite(arr[where]):
            raise ValueError(
                _("{name} has {value} at index {where}, too large for {dtype} (largest {largest:.3g}); use dtype float64 "
                  "or rescale", name=name, value=arr[where], where=where, dtype=np.dtype(dtype), largest=np.finfo(dtype).max)
            )
        raise ValueError(_("{name} must hold finite numbers; it has {value} at index {where}", name=name, value=arr[where],
                           where=where))
    return cast


def check_input(x, n_in, dtype):
    """x of shape (n_in,) for one example or (batch, n_in) for a batch."""
    x = as_array("x", x, dtype)
    if x.ndim == 2 and x.shape[0] == 0:
        raise ValueError(_("x is an empty batch (shape {shape}); it needs at least one example", shape=x.shape))
    if x.ndim not in (1, 2) or x.shape[-1] != n_in:
        raise ValueError(
            _("x must have shape ({n_in},) for one example or (batch, {n_in}) for a batch, to match the {n_in} neurons of "
              "the input layer; got shape {shape}", n_in=n_in, shape=x.shape)
        )
    return x


def check_target(y_hat, expected_shape, dtype):
    """The target y_hat (ŷ) must have exactly the shape of the network's output y for the same x."""
    y_hat = as_array("y_hat", y_hat, dtype)
    if y_hat.shape != expected_shape:
        n_out = expected_shape[-1]
        what = _("one example") if len(expected_shape) == 1 else _("a batch of {n} examples", n=expected_shape[0])
        raise ValueError(
            _("y_hat must have shape {expected} (the output layer has {n_out} neurons, and x was {what}); got shape "
              "{shape}. For class labels, use lecture7.one_hot(labels, n_classes)", expected=expected_shape, n_out=n_out,
              what=what, shape=y_hat.shape)
        )
    return y_hat


def check_positive(name, value, integer=False):
    """A positive number (an int where `integer`), for learning rates, epochs and batch sizes."""
    kind = Integral if integer else Real
    if isinstance(value, bool) or not isinstance(value, kind):
        expected = _("a positive int") if integer else _("a positive number")
        raise TypeError(_("{name} must be {expected}; got {value!r} ({type})", name=name, expected=expected, value=value,
                          type=type(value).__name__))
    if not (np.isfinite(value) and value > 0):
        raise ValueError(_("{name} must be positive (> 0); got {value!r}", name=name, value=value))
    return value
