"""lecture7.graph: the scalar engine's local derivatives and its backward(), against central differences,
and the network built from it against net.backward and numerical_gradient."""
import numpy as np
import pytest

import lecture7
from lecture7 import graph
from lecture7.graph import Value

from test_errors import raises

# (name, function of Values, the point): each input's grad must be the central difference in that input
OPERATIONS = [
    ("x + y", lambda x, y: x + y, (1.5, -2.0)),
    ("x − y", lambda x, y: x - y, (1.5, -2.0)),
    ("x · y", lambda x, y: x * y, (1.5, -2.0)),
    ("x²", lambda x: x ** 2, (-1.3,)),
    ("x³", lambda x: x ** 3, (0.7,)),
    ("σ(x)", lambda x: x.sigmoid(), (0.4,)),
    ("σ(x) far out", lambda x: x.sigmoid(), (-30.0,)),
    ("−x", lambda x: -x, (2.0,)),
    ("2 + x, x + 2", lambda x: (2 + x) * (x + 2), (0.3,)),
    ("2 − x, x − 2", lambda x: (2 - x) * (x - 2), (0.3,)),
    ("3 · x, x · 3", lambda x: (3 * x) * (x * 3), (0.3,)),
    ("a neuron", lambda x1, x2, w1, w2, b: (x1 * w1 + x2 * w2 + b).sigmoid(), (1.0, -1.0, 1.0, -2.0, 1.0)),
]


def value_of(f, point):
    return f(*(Value(v) for v in point)).data


@pytest.mark.parametrize("name, f, point", OPERATIONS, ids=[op[0] for op in OPERATIONS])
def test_every_local_derivative_equals_central_differences(name, f, point):
    inputs = [Value(v) for v in point]
    out = f(*inputs)
    out.backward()
    for k, v in enumerate(inputs):
        def moved(t):
            return value_of(f, point[:k] + (t,) + point[k + 1:])
        assert v.grad == pytest.approx(lecture7.central_difference(moved, point[k]), rel=1e-6, abs=0), f"{name}, input {k}"


def test_each_operation_records_its_local_derivative():
    x, y = Value(3.0), Value(-2.0)
    assert [(p.data, d) for p, d in (x * y).inputs] == [(3.0, -2.0), (-2.0, 3.0)]   # the multiply gate swaps
    assert [d for _, d in (x + y).inputs] == [1.0, 1.0]                           # the add gate passes on
    assert [d for _, d in (x - y).inputs] == [1.0, -1.0]
    assert (x ** 2).inputs[0][1] == 6.0
    s = Value(0.0).sigmoid()
    assert (s.data, s.inputs[0][1], s.op) == (0.5, 0.25, "σ")


def test_fan_out_sums_the_paths():
    # s used twice by one gate: d(s·s)/ds = s + s, the two paths of chain rule, case 2
    s = Value(3.0)
    square = s * s
    square.backward()
    assert s.grad == 6.0
    # s used by two gates, x = s², y = 3s, z = x·y = 3s³: dz/ds = ∂z/∂x · dx/ds + ∂z/∂y · dy/ds = 9s²
    s = Value(1.5)
    x, y = s ** 2, 3 * s
    z = x * y
    z.backward()
    assert x.grad * 2 * s.data + y.grad * 3 == pytest.approx(s.grad)   # the sum over the two paths
    assert s.grad == pytest.approx(9 * 1.5 ** 2)
    assert s.grad == pytest.approx(lecture7.central_difference(lambda t: 3 * t ** 3, 1.5))


def test_a_diamond_counts_each_path_once():
    # s → u = 2s, v = s + 1 → f = u · v = 2s² + 2s: df/ds = 4s + 2
    s = Value(0.5)
    f = (2 * s) * (s + 1)
    f.backward()
    assert s.grad == pytest.approx(4 * 0.5 + 2)


def test_backward_resets_and_takes_the_gradient_from_above():
    x, y = Value(3.0), Value(-2.0)
    z = x * y
    z.backward()
    z.backward()                      # again: the same numbers, not twice them
    assert (x.grad, y.grad, z.grad) == (-2.0, 3.0, 1.0)
    z.backward(0.5)                   # ∂C/∂z = 0.5 from gates outside this graph
    assert (x.grad, y.grad, z.grad) == (-1.0, 1.5, 0.5)


def test_topological_order_puts_every_value_after_its_inputs():
    x, y = Value(1.0), Value(2.0)
    out = (x * y + x).sigmoid() * y
    order = out.topological_order()
    assert order[-1] is out and len(order) == len(set(map(id, order))) == 6
    position = {id(v): i for i, v in enumerate(order)}
    assert all(position[id(p)] < position[id(v)] for v in order for p, _ in v.inputs)


def test_a_long_chain_needs_no_recursion():
    x = Value(0.5)
    total = x
    for _ in range(5000):
        total = total + x               # x fans out 5001 times
    total.backward()
    assert x.grad == 5001.0


# ---- the network as a graph ---------------------------------------------------------------

def random_sigmoid_problem():
    rng = np.random.default_rng(3)
    net = lecture7.Network([3, 5, 4, 2], activation="sigmoid", seed=1)
    return net, rng.normal(size=3), rng.uniform(size=2)


PROBLEMS = {
    "lecture network": lambda: (lecture7.lecture_network(), lecture7.LECTURE_INPUT, np.array([1.0, 0.0])),
    "3-5-4-2": random_sigmoid_problem,
}


@pytest.mark.parametrize("problem", PROBLEMS)
def test_the_graph_equals_net_backward_and_central_differences(problem):
    net, x, y_hat = PROBLEMS[problem]()
    g = graph.network_graph(net, x, y_hat)
    assert g.cost.data == pytest.approx(net.loss(x, y_hat, "squared_error"), rel=1e-14)
    by_graph = g.backward()
    expected = net.backward(net.forward(x), y_hat, "squared_error")
    numeric = lecture7.numerical_gradient(net, x, y_hat, "squared_error")
    for q in ("delta", "dW", "db"):
        for l in range(len(net.weights)):
            got = getattr(by_graph, q)[l]
            assert got.shape == getattr(expected, q)[l].shape
            np.testing.assert_allclose(got, getattr(expected, q)[l], rtol=0, atol=1e-14)
            np.testing.assert_allclose(got, getattr(numeric, q)[l], rtol=0, atol=1e-8)
    # the graph's inputs hold ∂C/∂x = (W¹)ᵀ δ¹
    np.testing.assert_allclose([v.grad for v in g.a[0]], net.weights[0].T @ expected.delta[0], rtol=0, atol=1e-14)


def count_nodes(sizes):
    """Leaves: x, W, b, ŷ and ½. Gates: per neuron n_in multiplications, n_in additions (b included) and σ;
    for the cost per output a subtraction and a square, n_out − 1 additions and the multiplication by ½."""
    leaves = sizes[0] + sum(m * n for m, n in zip(sizes, sizes[1:])) + sum(sizes[1:]) + sizes[-1] + 1
    gates = sum(n * (2 * m + 1) for m, n in zip(sizes, sizes[1:])) + 3 * sizes[-1]
    return leaves + gates


@pytest.mark.parametrize("problem", PROBLEMS)
def test_the_graph_has_one_node_per_number_and_gate(problem):
    net, x, y_hat = PROBLEMS[problem]()
    nodes = graph.network_graph(net, x, y_hat).cost.topological_order()
    assert len(nodes) == count_nodes(net.sizes)
    if problem == "lecture network":
        assert len(nodes) == 59 and sum(1 for v in nodes if v.op == "") == 23


def test_the_graph_of_a_float32_network_matches_its_backward_pass():
    net = lecture7.Network.from_weights(lecture7.lecture_network().weights, lecture7.lecture_network().biases, dtype=np.float32)
    g = graph.network_graph(net, lecture7.LECTURE_INPUT, [1.0, 0.0])
    expected = net.backward(net.forward(lecture7.LECTURE_INPUT), [1.0, 0.0])
    np.testing.assert_allclose(g.backward().vector(), expected.vector(), rtol=0, atol=1e-6)


# ---- bad input ------------------------------------------------------------------------------

def test_a_value_holds_one_finite_real_number():
    with raises(TypeError, "a Value must be one real number", "str"):
        Value("1.0")
    with raises(TypeError, "a Value must be one real number", "bool"):
        Value(True)
    with raises(TypeError, "ndarray"):
        Value(np.array([1.0, 2.0]))
    with raises(ValueError, "a Value must be a finite number", "nan"):
        Value(float("nan"))
    with raises(ValueError, "finite", "inf"):
        Value(1e308) * 10.0


def test_operations_say_what_they_take():
    with raises(TypeError, "a Value combines with another Value or a number", "str 'a'"):
        Value(1.0) + "a"
    with raises(TypeError, "a Value combines with another Value or a number", "list"):
        [1.0] * Value(2.0)
    with raises(TypeError, "the exponent must be an int ≥ 1", "0.5"):
        Value(2.0) ** 0.5
    with raises(TypeError, "the exponent must be an int ≥ 1", "Value"):
        Value(2.0) ** Value(2.0)
    with raises(TypeError, "the exponent must be an int ≥ 1", "0"):
        Value(2.0) ** 0
    with raises(TypeError, "grad must be one real number", "str"):
        Value(2.0).backward("1")


def test_network_graph_takes_a_sigmoid_network_one_example_and_the_squared_error():
    net, x, y_hat = lecture7.lecture_network(), lecture7.LECTURE_INPUT, [1.0, 0.0]
    with raises(TypeError, "net must be a lecture7.Network", "list"):
        graph.network_graph([net], x, y_hat)
    tanh = lecture7.Network([2, 2, 2], activation="tanh", output_activation="sigmoid")
    with raises(ValueError, "sigmoid layers only", "'tanh' (hidden)", "'sigmoid' (output)"):
        graph.network_graph(tanh, x, y_hat)
    softmax = lecture7.Network([2, 2, 2], activation="sigmoid", output_activation="softmax")
    with raises(ValueError, "sigmoid layers only", "'softmax' (output)"):
        graph.network_graph(softmax, x, y_hat)
    with raises(ValueError, "the squared error only", "hinge"):
        graph.network_graph(net, x, y_hat, cost="hinge")
    with raises(ValueError, "the squared error only", "cross_entropy"):
        graph.network_graph(net, x, y_hat, cost="cross_entropy")
    with raises(ValueError, "one example, x of shape (2,)", "got shape (3, 2)"):
        graph.network_graph(net, np.ones((3, 2)), np.ones((3, 2)))
    with raises(ValueError, "must have shape (2,)", "got shape (3,)"):
        graph.network_graph(net, x, [1.0, 0.0, 0.0])
    with raises(ValueError, "x must have shape (2,)"):
        graph.network_graph(net, [1.0, 2.0, 3.0], y_hat)
