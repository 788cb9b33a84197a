"""Notebooks 5 and 6: their exercises (the softmax's Jacobian and δ, the learning rate of a mean loss, tanh', the
multiply gate), what their statements claim about lecture7, and the numbers of their end-of-notebook answers."""
import math
import re

import nbformat
import numpy as np
import pytest

import lecture7
import mutants
from lecture7 import bugs, graph, modes, vanishing, widgets
from lecture7.exercises import EXERCISES

OURS = {"05_checking_and_training": ["softmax_jacobian", "softmax_delta", "learning_rate_for_mean"],
        "06_beyond_the_lecture": ["tanh_prime", "multiply_gate"]}
IDS = [grade_id for ids in OURS.values() for grade_id in ids]


def notebook(name):
    return nbformat.read(mutants.ROOT / "notebooks" / f"{name}.ipynb", as_version=4)


@pytest.mark.parametrize("grade_id", IDS)
def test_statements_docstrings_labels_and_messages_hold_no_formula(grade_id):
    exercise = EXERCISES[grade_id]
    cells = notebook(exercise.notebook).cells
    task = next(c.source for c in cells if c.metadata.get("nbgrader", {}).get("grade_id") == f"{grade_id}_task")
    docstring = re.search(r'"""(.*?)"""', next(c.source for c in cells if c.metadata.get("nbgrader", {}).get("grade_id")
                                                == grade_id), re.S).group(1)
    labels = " ".join(c.label for c in exercise.cases(np.random.default_rng(0)))
    messages = " ".join(m.what for m in exercise.mistakes)
    answers = {"softmax_jacobian": [r"y_k\s*\(\s*\\mathbb 1", r"\bdiag\(", r"\bouter\(", r"-\s*y_k\s*y_j"],
               "softmax_delta": [r"y\s*-\s*\\hat y", r"y_j\s*\\sum", "y − ŷ", "y·Σŷ"],
               "learning_rate_for_mean": [r"\\eta\s*N", r"N\s*\\eta", r"\\eta\s*\\cdot\s*N", "η·N", "eta * batch_size"],
               "tanh_prime": [r"1\s*-\s*\\tanh\^2", "1 − tanh²", "sech²", r"\\operatorname{sech}\^2"],
               "multiply_gate": [r"y\s*\\cdot\s*\\dfrac", "y * dC_dz", r"\\partial C/\\partial x\s*=\s*y"]}[grade_id]
    for text in (task, docstring, labels, messages):
        assert not [a for a in answers if re.search(a, text)], f"{grade_id}: the answer is given away in {text!r}"


def test_the_jacobian_is_lecture7s_softmax_derivative():
    """The exercise's reference Jacobian against central differences of lecture7.softmax."""
    jacobian = EXERCISES["softmax_delta"].given()["softmax_jacobian"]
    z = np.array([0.3, -1.2, 2.0, 0.5])
    numeric = np.column_stack([(lecture7.softmax(z + e) - lecture7.softmax(z - e)) / 2e-6 for e in 1e-6 * np.eye(4)])
    assert np.allclose(jacobian(lecture7.softmax(z)), numeric, atol=1e-8)


def test_the_statement_on_targets_is_what_lecture7_computes():
    """Your turn 2 says lecture7's cross-entropy takes one-hot, soft and weighted targets; δ is y − ŷ only when Σŷ = 1."""
    net = lecture7.Network([2, 3, 3], activation="sigmoid", output_activation="softmax", seed=4)
    x = np.array([1.0, -1.0])
    y = net.forward(x).a[-1]
    for y_hat in ([0.0, 1.0, 0.0], [0.05, 0.9, 0.05], [0.0, 2.0, 0.0], [0.3, 1.2, 0.5]):
        y_hat = np.array(y_hat)
        delta = net.backward(net.forward(x), y_hat, "cross_entropy").delta[-1]
        assert np.allclose(delta, lecture7.numerical_gradient(net, x, y_hat, "cross_entropy").delta[-1], atol=1e-7)
        assert np.allclose(delta, y * y_hat.sum() - y_hat)
        assert np.allclose(delta, y - y_hat) == math.isclose(y_hat.sum(), 1.0)
    cases = EXERCISES["softmax_delta"].cases(np.random.default_rng(0))
    sums = [float(np.sum(c.args[1])) for c in cases]
    assert any(math.isclose(s, 1) for s in sums) and any(not math.isclose(s, 1) for s in sums)
    assert all(np.all(c.args[1] >= 0) for c in cases)


def test_the_learning_rate_demo_takes_the_same_step():
    digits = lecture7.datasets.digits()
    start = lecture7.Network([64, 64, 10], activation="relu", output_activation="softmax", seed=0)
    grad_sum = start.backward(start.forward(digits.X[:32]), digits.Y[:32], cost="cross_entropy").vector()
    rate = mutants.solution("learning_rate_for_mean")
    assert np.allclose(0.01 * grad_sum, rate(0.01, 32) * (grad_sum / 32), rtol=0, atol=1e-15)


# ---- the numbers of notebook 5's answers -------------------------------------------------------------------

def lecture_batch():
    return lecture7.lecture_network(), np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([[1.0, 0.0], [0.0, 1.0]])


def test_answer_5_1_the_bugs_reports():
    net, X, Y_hat = lecture_batch()

    def delta_errors(bug):
        report = lecture7.gradient_check(net, X, Y_hat, cost="squared_error", grads=bugs.backward_with_bug(net, X, Y_hat, bug))
        return [round(e["delta"], 2) for e in reversed(report.errors)]   # layer 3 first

    assert delta_errors("σ' of a instead of z") == [0.17, 0.50, 0.91]
    fan_out = delta_errors("= instead of += at a fan-out")
    assert fan_out[1:] == [0.34, 0.59] and fan_out[0] == 0.0
    report = lecture7.gradient_check(net, X, Y_hat, cost="squared_error",
                                     grads=bugs.backward_with_bug(net, X, Y_hat, "= instead of += at a fan-out"))
    assert f"{report.errors[2]['delta']:.1e}" == "1.4e-10"


def test_answer_5_2_the_two_errors_of_central_differences():
    net, x, y_hat = lecture7.lecture_network(), lecture7.LECTURE_INPUT, [1.0, 0.0]
    errors = [lecture7.gradient_check(net, x, y_hat, cost="squared_error", eps=10.0 ** -k).max_error for k in range(1, 13)]
    assert [f"{e:.1e}" for e in errors[:3]] == ["8.6e-04", "8.6e-06", "8.6e-08"]
    assert int(np.argmin(errors)) + 1 in (4, 5, 6) and min(errors) < 1e-9   # the last digits of rounding vary by CPU
    for k, order in ((6, -9), (9, -5), (12, -2)):   # "about": within a factor of 10
        assert abs(np.log10(errors[k - 1]) - order) < 1, (k, errors[k - 1])
    assert f"{2.2e-16 ** (1 / 3):.0e}" == "6e-06"


def test_answer_5_3_batches_of_128():
    digits = lecture7.datasets.digits()
    train, test = digits.split(test_fraction=0.25, seed=0)
    found = {}
    for batch_size, learning_rate in ((32, 0.01), (128, 0.01), (128, 0.0025)):
        n = lecture7.Network([64, 64, 10], activation="relu", output_activation="softmax", seed=0)
        h = lecture7.train(n, train.X, train.Y, cost="cross_entropy", learning_rate=learning_rate, batch_size=batch_size, epochs=30)
        found[batch_size, learning_rate] = (round(h.accuracy[-1], 3), round(lecture7.accuracy(n, test.X, test.Y), 3))
    assert found == {(32, 0.01): (0.996, 0.978), (128, 0.01): (0.996, 0.976), (128, 0.0025): (0.981, 0.964)}
    start = lecture7.Network([64, 64, 10], activation="relu", output_activation="softmax", seed=0)
    norms = [np.linalg.norm(start.backward(start.forward(digits.X[:N]), digits.Y[:N], cost="cross_entropy").vector())
             for N in (32, 128)]
    assert [round(v, 1) for v in norms] == [32.9, 140.5] and round(norms[1] / norms[0], 1) == 4.3
    assert len(train) == 1348 and (math.ceil(1348 / 128), math.ceil(1348 / 32)) == (11, 43)


def test_answer_5_4_the_spirals_in_the_training_widget():
    spirals = lecture7.datasets.spirals()
    rate = 10 ** -1.7   # the widget's learning rate at the start
    relu = {h: widgets.train_example(spirals, h, "relu", rate)[2] for h in range(1, 9)}
    assert [h for h in relu if relu[h] > 0.9][0] == 7
    assert (round(min(relu[h] for h in range(1, 7)), 2), round(max(relu[h] for h in range(1, 7)), 2)) == (0.24, 0.76)
    assert (round(relu[1], 2), round(relu[7], 2), round(relu[8], 2)) == (0.52, 0.96, 0.95)
    tanh = {h: widgets.train_example(spirals, h, "tanh", rate)[2] for h in range(1, 5)}
    assert [h for h in tanh if tanh[h] > 0.9] == [4] and round(tanh[4], 2) == 0.91


# ---- the numbers of notebook 6's answers -------------------------------------------------------------------

def test_answer_6_1_deeper_and_deeper():
    x_deep, y_hat = np.random.default_rng(0).normal(size=16), np.array([1.0, 0.0])

    def ratios(name):
        return [vanishing.gradient_norms(lecture7.Network([16] + [16] * k + [2], activation=name, output_activation="sigmoid",
                                                          seed=0), x_deep, y_hat, "squared_error").ratio for k in (2, 4, 8, 12)]

    sigmoid = ratios("sigmoid")
    assert [f"{r:.1e}" for r in sigmoid] == ["8.4e-02", "2.6e-03", "1.1e-05", "1.6e-08"]
    per_layer = [(sigmoid[i + 1] / sigmoid[i]) ** (1 / k) for i, k in enumerate((2, 4, 4))]
    assert round(min(per_layer), 2) == 0.17 and round(max(per_layer), 2) == 0.26
    assert round((sigmoid[3] / sigmoid[0]) ** (1 / 10), 2) == 0.21
    assert [round(r, 2) for r in ratios("tanh")] == [0.96, 0.49, 0.70, 1.10]


def test_answer_6_2_xor_at_larger_learning_rates():
    data = lecture7.datasets.xor(n=40, seed=0)
    for eta, final in ((1.0, 1.0), (2.0, 1.0), (5.0, 0.55)):
        n = lecture7.Network([2, 4, 2], activation="sigmoid", seed=0)
        history = lecture7.train(n, data.X, data.Y, "squared_error", learning_rate=eta, epochs=200)
        assert history.accuracy[-1] == final and (history.accuracy[49] == 1.0) == (final == 1.0)
        if eta == 5.0:
            assert set(history.accuracy) == {0.55} and round(history.loss[-1], 1) == 18.0
            trace = n.forward(data.X)
            assert f"{n.activations[1].df(trace.z[1], trace.a[2]).max():.1e}" == "1.2e-04"
    stuck = lecture7.Network([2, 4, 2], activation="sigmoid", seed=0)
    lecture7.train(stuck, data.X, data.Y, "squared_error", learning_rate=5.0, epochs=1)
    trace = stuck.forward(data.X)
    assert f"{stuck.activations[1].df(trace.z[1], trace.a[2]).max():.1e}" == "6.2e-05"


def test_answer_6_3_the_size_of_the_graph():
    def formula(sizes):
        return sizes[0] + sum(3 * a * b + 2 * b for a, b in zip(sizes, sizes[1:])) + 4 * sizes[-1] + 1

    assert (formula([2, 2, 2, 2]), formula([3, 5, 4, 2])) == (59, 163)
    for net, x, y_hat in ((lecture7.lecture_network(), lecture7.LECTURE_INPUT, [1.0, 0.0]),
                          (lecture7.Network([3, 5, 4, 2], seed=1), [0.5, -1.0, 2.0], [0.0, 1.0]),
                          (lecture7.Network([2, 3, 4], seed=1), [1.0, 2.0], [0.0, 1.0, 0.0, 0.5])):
        g = graph.network_graph(net, x, y_hat)
        nodes = g.cost.topological_order()
        assert len(nodes) == formula(net.sizes)
        assert np.allclose(g.backward().vector(), net.backward(net.forward(x), y_hat, "squared_error").vector())
        if net.sizes == [3, 5, 4, 2]:
            assert (sum(1 for v in nodes if not v.op), sum(1 for v in nodes if v.op)) == (60, 103)


def test_answer_6_4_wider_layers_and_many_outputs():
    before, after = modes.count_mode_work([784, 256, 256, 10]), modes.count_mode_work([784, 512, 512, 10])
    assert (after.passes, after.forward_mode_pass, after.reverse_mode) == (669_706, 2_007_060, 1_605_642)
    assert round(after.passes / before.passes, 1) == 2.5 and round(after.reverse_mode / before.reverse_mode, 1) == 2.6
    assert f"{after.forward_mode:.1e}" == "1.3e+12" and round(after.forward_mode / before.forward_mode, 1) == 6.2
    assert round(after.forward_mode / after.reverse_mode, -4) == 840_000 and round(before.forward_mode / before.reverse_mode, -4) == 360_000
