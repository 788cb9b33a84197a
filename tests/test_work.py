"""lecture7.work: the multiplications of the naive forward recursion against the backward pass.

The counts are checked by hand on small networks, against a brute-force enumeration of paths,
and against literal, instrumented implementations of both ways that also compute δ.
"""
import itertools

import numpy as np
import pytest

import lecture7
from lecture7 import work


# ---- by hand ------------------------------------------------------------------------------

def test_one_layer_is_the_output_layer_only():
    # [2, 3]: three output neurons, each δ = ∂y/∂z · ∂C/∂y, one multiplication, in both ways
    w = work.count_multiplications([2, 3])
    assert (w.naive, w.backward, w.paths, w.naive_per_neuron) == (3, 3, 3, (1,))


def test_one_hidden_layer_by_hand():
    # [2, 2, 2]. Output neurons: 1 each. Hidden neuron: σ'(z)[w₃ ∂C/∂z' + w₄ ∂C/∂z'']
    # is 3 multiplications, plus the 2 output-layer terms recomputed: 5 each. Naive: 2·1 + 2·5 = 12.
    # Backward: output 2, hidden 2·3 (reusing the output δ): 8.
    w = work.count_multiplications([2, 2, 2])
    assert (w.naive, w.backward, w.naive_per_neuron) == (12, 8, (5, 1))
    assert w.paths == 2 * 2 + 2


def test_lecture_network_by_hand():
    # [2, 2, 2, 2], the lecture network. Layer 3 (output): 1 each. Layer 2: 3 + 2·1 = 5 each.
    # Layer 1: 3 + 2·5 = 13 each (σ', two w·∂C/∂z', and two whole layer-2 recursions).
    # Naive: 2·1 + 2·5 + 2·13 = 38. Backward: 2 + 2·3 + 2·3 = 14 (= 2·2 + 2·2 edges + 6 neurons).
    w = work.count_multiplications([2, 2, 2, 2])
    assert w.naive_per_neuron == (13, 5, 1)
    assert (w.naive, w.backward) == (38, 14)
    assert w.paths == 2 * 4 + 2 * 2 + 2 * 1
    assert w.ratio == pytest.approx(38 / 14)


def test_a_chain_of_single_neurons():
    # [1, 1, 1, 1, 1]: no branching, so the naive way recomputes the same chain for each neuron:
    # 1, 3, 5, 7 multiplications from the output back; the backward pass needs 3 w + 4 σ' = 7.
    w = work.count_multiplications([1, 1, 1, 1, 1])
    assert w.naive_per_neuron == (7, 5, 3, 1)
    assert (w.naive, w.backward, w.paths) == (16, 7, 4)


def test_a_wide_hidden_layer_by_hand():
    # [3, 4, 2]: each of 4 hidden neurons 1 + 2 + 2 = 5, outputs 1 each: 22; backward 4·2 + 6 = 14
    w = work.count_multiplications([3, 4, 2])
    assert (w.naive, w.backward) == (22, 14)


def test_the_input_layer_has_no_delta():
    wide, narrow = work.count_multiplications([7, 2, 2]), work.count_multiplications([1, 2, 2])
    assert (wide.naive, wide.backward, wide.paths) == (narrow.naive, narrow.backward, narrow.paths)


# ---- brute force: enumerate the paths ------------------------------------------------------

def enumerate_paths(sizes):
    """Every path (l, j, k, …) that starts at neuron j of layer l ≥ 1 and moves one layer up per step,
    stopping at any layer (the empty path included), listed one by one."""
    n = sizes[1:]
    for l in range(len(n)):
        for end in range(l, len(n)):
            yield from ((l,) + p for p in itertools.product(*(range(m) for m in n[l:end + 1])))


def brute_force(sizes):
    """The counts, from the enumeration alone.

    Naive: each path is one evaluation of a δ (one multiplication by σ'(z), or by ∂y/∂z at the output),
    and each path but the empty one was asked for by its caller through one product w · ∂C/∂z'.
    Backward: one product per edge between layers that have a δ, one σ' per neuron.
    """
    L = len(sizes) - 1
    paths = list(enumerate_paths(sizes))
    evaluations = len(paths)
    roots = sum(1 for p in paths if len(p) == 2)                       # one per neuron
    complete = sum(1 for p in paths if p[0] + len(p) - 2 == L - 1)       # paths that reach the output layer
    edges = sum(1 for l in range(1, L) for _ in itertools.product(range(sizes[l]), range(sizes[l + 1])))
    return {"naive": evaluations + (evaluations - roots), "backward": edges + sum(sizes[1:]), "paths": complete}


SIZES = [[2, 3], [2, 2, 2], [2, 2, 2, 2], [1, 1, 1, 1, 1], [3, 4, 2], [2, 3, 1, 4, 2], [4, 1, 5, 1, 3],
         [2, 5, 5, 5], [3, 2, 2, 2, 2, 2, 2], [1, 6, 1, 6]]


@pytest.mark.parametrize("sizes", SIZES + [list(np.random.default_rng(s).integers(1, 5, s % 5 + 2)) for s in range(20)])
def test_counts_match_the_enumeration(sizes):
    sizes = [int(n) for n in sizes]
    w = work.count_multiplications(sizes)
    assert {"naive": w.naive, "backward": w.backward, "paths": w.paths} == brute_force(sizes)


# ---- brute force: run both ways, multiplication by multiplication --------------------------

class Counted:
    """Both ways written out literally on one example (squared error), counting every multiplication."""

    def __init__(self, net, x, y_hat):
        self.net, self.trace, self.y_hat = net, net.forward(x), np.asarray(y_hat, dtype=float)
        self.gain = [act.df(z, a) for act, z, a in zip(net.activations, self.trace.z, self.trace.a[1:])]
        self.mults = 0

    def times(self, u, v):
        self.mults += 1
        return u * v

    def output_delta(self, j):                  # the output layer: ∂y/∂z · ∂C/∂y, with ∂C/∂y = y − ŷ
        return self.times(self.gain[-1][j], self.trace.a[-1][j] - self.y_hat[j])

    def naive(self, l, j):                      # a hidden layer: every δ' recomputed, nothing remembered
        if l == len(self.net.weights) - 1:
            return self.output_delta(j)
        W = self.net.weights[l + 1]
        return self.times(self.gain[l][j], sum(self.times(W[k, j], self.naive(l + 1, k)) for k in range(W.shape[0])))

    def backward(self):                         # from the output layer back, each δ once
        delta = [None] * len(self.net.weights)
        delta[-1] = [self.output_delta(j) for j in range(self.net.sizes[-1])]
        for l in reversed(range(len(delta) - 1)):
            W = self.net.weights[l + 1]
            delta[l] = [self.times(self.gain[l][j], sum(self.times(W[k, j], delta[l + 1][k]) for k in range(W.shape[0])))
                        for j in range(W.shape[1])]
        return delta


def network(sizes, activation, seed):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0, 1, (m, n)) for n, m in zip(sizes, sizes[1:])]
    biases = [rng.normal(0, 0.5, m) for m in sizes[1:]]
    net = lecture7.Network.from_weights(weights, biases, activation=activation)
    return net, rng.normal(0, 1, sizes[0]), rng.uniform(0, 1, sizes[-1])


@pytest.mark.parametrize("sizes", SIZES)
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "identity"])
def test_literal_runs_count_and_compute_the_same(sizes, activation):
    net, x, y_hat = network(sizes, activation, seed=len(sizes) * 7 + sum(sizes))
    expected = net.backward(net.forward(x), y_hat).delta
    w = work.count_multiplications(sizes)

    run = Counted(net, x, y_hat)
    delta = run.backward()
    assert run.mults == w.backward
    for l in range(len(delta)):
        np.testing.assert_allclose(delta[l], expected[l], rtol=1e-12, atol=1e-15)

    total = 0
    for l, n_l in enumerate(sizes[1:]):
        for j in range(n_l):
            run = Counted(net, x, y_hat)
            assert run.naive(l, j) == pytest.approx(expected[l][j], rel=1e-12, abs=1e-15)
            assert run.mults == w.naive_per_neuron[l]
            total += run.mults
    assert total == w.naive


# ---- naive_delta ---------------------------------------------------------------------------

def test_naive_delta_on_the_lecture_network():
    net = lecture7.lecture_network()
    trace = net.forward(lecture7.LECTURE_INPUT)
    grads = net.backward(trace, [1, 0])
    counts = work.count_multiplications(net.sizes).naive_per_neuron
    for l in range(3):
        for j in range(2):
            value, mults = work.naive_delta(net, trace, [1, 0], l, j)
            assert value == pytest.approx(grads.delta[l][j], rel=1e-12)
            assert mults == counts[l]
    assert work.naive_delta(net, trace, [1, 0], 0, 0)[1] == 13


@pytest.mark.parametrize("sizes", SIZES)
def test_naive_delta_on_random_networks(sizes):
    net, x, y_hat = network(sizes, "tanh", seed=sum(sizes))
    trace = net.forward(x)
    expected = net.backward(trace, y_hat).delta
    w = work.count_multiplications(sizes)
    for l, n_l in enumerate(sizes[1:]):
        for j in range(n_l):
            value, mults = work.naive_delta(net, trace, y_hat, l, j)
            assert value == pytest.approx(expected[l][j], rel=1e-12, abs=1e-15)
            assert mults == w.naive_per_neuron[l]


# ---- growth and errors ---------------------------------------------------------------------

def test_naive_grows_with_paths_backward_with_edges():
    for width in (2, 3, 4):
        counts = [work.count_multiplications([width] * (depth + 1)) for depth in range(1, 9)]
        ratios = [c.ratio for c in counts]
        assert ratios == sorted(ratios) and ratios[-1] > ratios[0]
        # the backward pass grows linearly with depth: one more layer adds width² + width
        steps = {b.backward - a.backward for a, b in zip(counts, counts[1:])}
        assert steps == {width * width + width}


@pytest.mark.parametrize("sizes, error", [([2], ValueError), ([2, 0, 2], ValueError), ("222", TypeError), ([2, 2.5], TypeError)])
def test_count_rejects_bad_sizes(sizes, error):
    with pytest.raises(error):
        work.count_multiplications(sizes)


def test_naive_delta_rejects_what_it_cannot_do():
    net = lecture7.lecture_network()
    trace = net.forward(lecture7.LECTURE_INPUT)
    with pytest.raises(ValueError, match="layer must be in 0..2"):
        work.naive_delta(net, trace, [1, 0], 3, 0)
    with pytest.raises(ValueError, match="layer must be in 0..2"):
        work.naive_delta(net, trace, [1, 0], 0, 2)
    with pytest.raises(ValueError, match="y_hat must have shape"):
        work.naive_delta(net, trace, [1, 0, 0], 0, 0)
    with pytest.raises(ValueError, match="one example"):
        work.naive_delta(net, net.forward(np.ones((3, 2))), np.zeros((3, 2)), 0, 0)
    soft = lecture7.Network([2, 3, 2], output_activation="softmax")
    with pytest.raises(ValueError, match="softmax"):
        work.naive_delta(soft, soft.forward([1, 0]), [1, 0], 0, 0, cost="cross_entropy")
