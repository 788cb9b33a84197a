import numpy as np
import pytest

import lecture7
from lecture7 import datasets


@pytest.mark.parametrize("make", [datasets.xor, datasets.two_moons, datasets.spirals])
def test_toy_sets_are_seeded_and_shaped(make):
    a, b, c = make(n=120, seed=0), make(n=120, seed=0), make(n=120, seed=1)
    assert a.X.shape == (120, 2) and a.labels.shape == (120,)
    np.testing.assert_array_equal(a.X, b.X)
    assert not np.array_equal(a.X, c.X)
    assert set(np.unique(a.labels)) == set(range(a.n_classes))
    np.testing.assert_array_equal(a.Y.argmax(axis=1), a.labels)


def test_xor_labels_follow_the_corners():
    data = datasets.xor(n=400, noise=0.0, seed=0)
    np.testing.assert_array_equal(data.labels, (np.sign(data.X[:, 0]) != np.sign(data.X[:, 1])).astype(int))


def test_digits_are_local_and_scaled():
    data = datasets.digits()
    assert data.X.shape == (1797, 64) and data.n_classes == 10
    assert data.X.min() == 0 and data.X.max() == 1


def test_split_is_a_seeded_partition():
    data = datasets.spirals(n=90, n_classes=3, seed=0)
    train, test = data.split(test_fraction=0.2, seed=5)
    assert (len(train), len(test)) == (72, 18)
    both = np.concatenate([train.X, test.X])
    assert sorted(map(tuple, both)) == sorted(map(tuple, data.X))
    again, _ = data.split(test_fraction=0.2, seed=5)
    np.testing.assert_array_equal(train.X, again.X)


def test_one_hot():
    np.testing.assert_array_equal(lecture7.one_hot([2, 0], 3), [[0, 0, 1], [1, 0, 0]])
