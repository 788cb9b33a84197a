"""Input checks shared by the whole package.

Every public entry point turns bad input into a ValueError or TypeError that says what was
expected and what came, before numpy can answer with a broadcasting traceback or a silent NaN.
"""
from numbers import Integral, Real

import numpy as np

DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def check_dtype(dtype):
    """Return `dtype` as a numpy dtype, which must be float32 or float64."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be float32 or float64; got {dtype!r}") from None
    if dt not in DTYPES:
        raise ValueError(f"dtype must be float32 or float64; got {dt}")
    return dt


def as_array(name, value, dtype=np.float64):
    """`value` as a finite floating-point array; `name` is what error messages call it."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array of numbers; got {type(value).__name__}")
    try:
        arr = np.asarray(value)
    except ValueError:
        raise ValueError(f"{name} must be a rectangular array of numbers; its rows have different lengths") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be an array of numbers; got an array of dtype {arr.dtype}")
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
                f"{name} has {arr[where]} at index {where}, too large for {np.dtype(dtype)} "
                f"(largest {np.finfo(dtype).max:.3g}); use dtype float64 or rescale"
            )
        raise ValueError(f"{name} must hold finite numbers; it has {arr[where]} at index {where}")
    return cast


def check_input(x, n_in, dtype):
    """x of shape (n_in,) for one example or (batch, n_in) for a batch."""
    x = as_array("x", x, dtype)
    if x.ndim == 2 and x.shape[0] == 0:
        raise ValueError(f"x is an empty batch (shape {x.shape}); it needs at least one example")
    if x.ndim not in (1, 2) or x.shape[-1] != n_in:
        raise ValueError(
            f"x must have shape ({n_in},) for one example or (batch, {n_in}) for a batch, "
            f"to match the {n_in} neurons of the input layer; got shape {x.shape}"
        )
    return x


def check_target(y_hat, expected_shape, dtype):
    """The target y_hat (ŷ) must have exactly the shape of the network's output y for the same x."""
    y_hat = as_array("y_hat", y_hat, dtype)
    if y_hat.shape != expected_shape:
        n_out = expected_shape[-1]
        what = "one example" if len(expected_shape) == 1 else f"a batch of {expected_shape[0]} examples"
        raise ValueError(
            f"y_hat must have shape {expected_shape} (the output layer has {n_out} neurons, and x was {what}); "
            f"got shape {y_hat.shape}. For class labels, use lecture7.one_hot(labels, n_classes)"
        )
    return y_hat


def check_positive(name, value, integer=False):
    """A positive number (an int where `integer`), for learning rates, epochs and batch sizes."""
    kind = Integral if integer else Real
    if isinstance(value, bool) or not isinstance(value, kind):
        expected = "a positive int" if integer else "a positive number"
        raise TypeError(f"{name} must be {expected}; got {value!r} ({type(value).__name__})")
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be positive (> 0); got {value!r}")
    return value
