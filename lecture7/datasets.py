"""Small data sets for the notebooks, all generated here or shipped with scikit-learn (no downloads)."""
from dataclasses import dataclass

import numpy as np

from ._validate import as_array, check_positive
from .i18n import _


@dataclass(frozen=True)
class Dataset:
    """X: inputs, shape (n, n_in); labels: class indices, shape (n,); Y: the one-hot targets."""

    name: str
    X: np.ndarray
    labels: np.ndarray
    n_classes: int

    @property
    def Y(self):
        return one_hot(self.labels, self.n_classes)

    def __len__(self):
        return len(self.labels)

    def split(self, test_fraction=0.25, seed=0):
        """(train, test): a seeded shuffle, the last `test_fraction` of it held out."""
        if not 0 < test_fraction < 1:
            raise ValueError(_("test_fraction must lie strictly between 0 and 1; got {fraction}", fraction=test_fraction))
        order = np.random.default_rng(seed).permutation(len(self))
        n_test = int(round(test_fraction * len(self)))
        test, train = order[:n_test], order[n_test:]
        return (Dataset(self.name, self.X[train], self.labels[train], self.n_classes),
                Dataset(self.name, self.X[test], self.labels[test], self.n_classes))


def one_hot(labels, n_classes):
    """Targets ŷ for class labels: row n is 1 at column labels[n] and 0 elsewhere."""
    n_classes = check_positive("n_classes", n_classes, integer=True)
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        raise TypeError(_("labels must be ints (class indices 0 … {last}); got an array of dtype {dtype}", last=n_classes - 1,
                          dtype=labels.dtype))
    if labels.ndim != 1:
        raise ValueError(_("labels must be a vector of shape (n,); got shape {shape}", shape=labels.shape))
    bad = (labels < 0) | (labels >= n_classes)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(_("labels must lie in 0 … {last}; labels[{i}] is {label}", last=n_classes - 1, i=i, label=labels[i]))
    Y = np.zeros((len(labels), n_classes))
    Y[np.arange(len(labels)), labels] = 1.0
    return Y


def xor(n=200, noise=0.2, seed=0):
    """Points around the four corners (±1, ±1); class 1 where exactly one coordinate is positive."""
    n, rng = _check(n, noise, seed)
    corners = rng.choice([-1.0, 1.0], size=(n, 2))
    labels = (corners[:, 0] != corners[:, 1]).astype(int)
    return Dataset("xor", corners + noise * rng.standard_normal((n, 2)), labels, 2)


def two_moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles, as in scikit-learn's make_moons."""
    n, rng = _check(n, noise, seed)
    labels = np.arange(n) % 2
    angle = rng.uniform(0, np.pi, n)
    X = np.where(labels[:, None] == 0,
                 np.column_stack([np.cos(angle), np.sin(angle)]),
                 np.column_stack([1 - np.cos(angle), 0.5 - np.sin(angle)]))
    return Dataset("two_moons", X + noise * rng.standard_normal((n, 2)), labels, 2)


def spirals(n=300, n_classes=3, noise=0.2, seed=0):
    """`n_classes` arms of a spiral, one class each (the CS231n toy problem)."""
    n, rng = _check(n, noise, seed)
    n_classes = check_positive("n_classes", n_classes, integer=True)
    labels = np.arange(n) % n_classes
    radius = rng.uniform(0.05, 1, n)
    angle = labels * 2 * np.pi / n_classes + 4 * radius + noise * rng.standard_normal(n)
    return Dataset("spirals", np.column_stack([radius * np.sin(angle), radius * np.cos(angle)]), labels, n_classes)


def digits():
    """scikit-learn's bundled 8×8 handwritten digits (1,797 images, no download), pixels scaled to [0, 1]."""
    from sklearn.datasets import load_digits

    data = load_digits()
    return Dataset("digits", data.data / 16.0, data.target.astype(int), 10)


def _check(n, noise, seed):
    check_positive("n", n, integer=True)
    if float(as_array("noise", noise)) < 0:
        raise ValueError(_("noise must be ≥ 0; got {noise}", noise=noise))
    return n, np.random.default_rng(seed)
