"""The common bugs of notebook 5: the loop without a bug is backprop; each bug fails the gradient check."""
import numpy as np
import pytest

import lecture7
from lecture7 import bugs

X = np.array([[1.0, -1.0], [0.5, 2.0]])        # the lecture's input and a second example
Y_HAT = np.array([[1.0, 0.0], [0.0, 1.0]])


def test_the_loop_without_a_bug_is_backprop_and_agrees_with_central_differences():
    for net, X_, Y_ in [(lecture7.lecture_network(), X, Y_HAT),
                        (lecture7.Network([3, 5, 4, 2], seed=1), np.random.default_rng(0).normal(size=(6, 3)),
                         np.random.default_rng(1).random((6, 2)))]:
        grads, reference = bugs.backward_with_bug(net, X_, Y_), net.backward(net.forward(X_), Y_)
        for q in ("delta", "dW", "db"):
            for mine, theirs in zip(getattr(grads, q), getattr(reference, q)):
                np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-14)
        assert lecture7.gradient_check(net, X_, Y_, grads=grads).ok


# where each bug first shows (1-based layer, the quantity), in the order of the backward pass
FIRST_WRONG = {
    "missing transpose": (3, "dW"),
    "σ' of a instead of z": (3, "delta"),
    "db over the wrong axis": (3, "db"),
    "= instead of += at a fan-out": (2, "delta"),
    "cached a overwritten in place": (3, "dW"),
}


def test_every_bug_is_listed_here():
    assert set(FIRST_WRONG) == set(bugs.BUGS)


@pytest.mark.parametrize("bug", sorted(bugs.BUGS))
def test_each_bug_runs_on_the_lecture_network_and_fails_the_check_where_it_enters(bug):
    net = lecture7.lecture_network()
    grads = bugs.backward_with_bug(net, X, Y_HAT, bug)
    reference = net.backward(net.forward(X), Y_HAT)
    for q in ("delta", "dW", "db"):   # every shape is right: only the values give the bug away
        assert [g.shape for g in getattr(grads, q)] == [g.shape for g in getattr(reference, q)]
    report = lecture7.gradient_check(net, X, Y_HAT, grads=grads)
    assert not report.ok
    layer, quantity = FIRST_WRONG[bug]
    assert (report.mismatch.layer, report.mismatch.quantity) == (layer, quantity), str(report)


def test_the_in_place_bug_harms_only_its_own_trace():
    net = lecture7.lecture_network()
    before = net.forward(X)
    bugs.backward_with_bug(net, X, Y_HAT, "cached a overwritten in place")
    for a, again in zip(before.a, net.forward(X).a):
        np.testing.assert_array_equal(a, again)


def test_bad_input_says_what_was_expected():
    net = lecture7.lecture_network()
    with pytest.raises(ValueError, match=r"unknown bug 'typo'; the bugs are \["):
        bugs.backward_with_bug(net, X, Y_HAT, "typo")
    with pytest.raises(ValueError, match="sigmoid layers; this network has 'tanh' hidden"):
        bugs.backward_with_bug(lecture7.Network([2, 3, 2], activation="tanh"), X, Y_HAT)
    with pytest.raises(ValueError, match=r"X must be a batch of shape \(batch, 2\); got shape \(2,\)"):
        bugs.backward_with_bug(net, X[0], Y_HAT[0])
