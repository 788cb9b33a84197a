"""Notebooks 1 and 2's exercises (lecture7/exercises/chain_rule.py and forward_pass.py): what their checks catch
and name, what their statements leave to the learner, and every number their prose and answers state."""
import contextlib
import io
import re

import nbformat
import numpy as np
import pytest

import lecture7
import mutants
from lecture7 import plots, widgets
from lecture7.exercises import EXERCISES, call, check_answer, passed, verdict

GRADE_IDS = ["gradient_descent_step", "chain_rule_case1", "chain_rule_case2", "neuron_forward", "neuron_dC_dw", "forward_pass"]
SEEDS = range(21)


def cells(notebook):
    return nbformat.read(mutants.ROOT / "notebooks" / f"{notebook}.ipynb", as_version=4).cells


def markdown(notebook):
    return "\n".join(c.source for c in cells(notebook) if c.cell_type == "markdown")


def answers(notebook):
    (cell,) = [c for c in cells(notebook) if "answer" in c.metadata.get("tags", [])]
    return cell.source


def quietly(function, *args, **kwargs):
    with contextlib.redirect_stdout(io.StringIO()), np.errstate(all="ignore"):
        return function(*args, **kwargs)


@pytest.mark.parametrize("grade_id", GRADE_IDS)
def test_a_case_label_names_inputs_only(grade_id):
    """Every number in a label is one of the case's own inputs (η, x, s), never a piece of its answer."""
    for seed in SEEDS:
        for case in EXERCISES[grade_id].cases(np.random.default_rng(seed)):
            inputs = [float(v) for arg in case.args if isinstance(arg, (float, np.ndarray)) and np.size(arg) <= 3
                      for v in np.ravel(arg)]
            for number in re.findall(r"-?\d+\.\d+", case.label):
                assert any(f"{v:.3f}" == number for v in inputs), f"{grade_id}: {case.label!r}"


# ---- what the checks catch and name beyond the Mistakes ----------------------------------------------------

def in_place(theta, grad, eta):
    theta -= eta * grad
    return theta


def test_a_step_written_into_theta_is_named_by_the_visible_check():
    with pytest.raises(AssertionError, match="theta was changed by the call.*this is what you get writing the step into "
                                             "theta itself"):
        quietly(check_answer, "gradient_descent_step", in_place)

    def into_a_copy(theta, grad, eta):   # ada's answer in tests/classroom
        stepped = np.array(theta, dtype=float)
        stepped -= eta * np.asarray(grad)
        return stepped

    assert quietly(passed, "gradient_descent_step", into_a_copy)


def test_the_grader_which_gets_values_alone_judges_a_step_written_into_theta_by_its_value():
    exercise = EXERCISES["gradient_descent_step"]
    ran = exercise.cases(np.random.default_rng(101))        # the sandbox's cases, called
    graded = exercise.cases(np.random.default_rng(101))     # the grader's own, never called
    assert all(verdict(case, call(exercise, in_place, run).tolist()) is None for run, case in zip(ran, graded))


@pytest.mark.parametrize("grade_id, answer, name", [
    ("chain_rule_case1", lambda x: widgets.chain_rule_example(1, x).dz_dx, "chain_rule_example"),
    ("chain_rule_case1", lambda x: lecture7.central_difference(lambda t: np.sin(t ** 2), x), "central_difference"),
    ("chain_rule_case2", lambda s: lecture7.chain_rule_case2(np.square, np.sin, lambda x, y: x * y, s).dz_ds, "chain_rule_case2"),
    ("neuron_forward", lambda x, w, b: (lecture7.neuron_z(x, w, b), lecture7.sigmoid(lecture7.neuron_z(x, w, b))), "neuron_z"),
    ("neuron_dC_dw", lambda x, dC_dz: lecture7.neuron_gradient(x, np.zeros_like(x), 0.0, dC_dz).dC_dw, "neuron_gradient"),
    ("forward_pass", lambda net, x: net.forward(x).a[-1], "forward"),
    ("forward_pass", lambda net, x: net.predict(x), "predict"),
    ("forward_pass", lambda net, x: lecture7.forward_per_neuron(net, x).a[-1], "forward_per_neuron"),
])
def test_the_package_s_own_answer_is_refused_while_the_check_runs(grade_id, answer, name):
    with pytest.raises(AssertionError, match=f"calls lecture7's {name}: this exercise asks you to write it yourself"):
        quietly(check_answer, grade_id, answer)


# ---- what the statements leave to the learner --------------------------------------------------------------

# per exercise, what its statement and docstring must not say: the local derivatives, the formula, the code
GIVEAWAYS = {
    "gradient_descent_step": [r"-\s*\\eta", r"−\s*η", r"theta\s*-", r"- eta"],
    "chain_rule_case1": [r"cos", r"2\s*\*?\s*x\b", r"dz_dy \* dy_dx", r"\\dfrac\{dz\}\{dy\}\s*\\dfrac\{dy\}\{dx\}"],
    "chain_rule_case2": [r"cos", r"2\s*\*?\s*s\b", r"\\partial z/\\partial x = y", r"\} \+ \\dfrac"],
    "neuron_forward": [r"np\.dot", r"@", r"\\sum", r"\\sigma\(z\)", r"σ\(z\)", r"x_1\s*w_1", r"x_iw_i"],
    "neuron_dC_dw": [r"= x_i", r"x_i\s*\\cdot", r"\* dC_dz", r"dC_dz \*", r"\\partial z/\\partial w_i"],
    "forward_pass": [r"W\s*a\s*\+\s*b", r"W\^\{l\+1\}\s*a", r"\\sigma\(", r"σ\(", r"@", r"zip\(", r"a = x"],
}


@pytest.mark.parametrize("grade_id", GRADE_IDS)
def test_the_statement_and_the_docstring_say_what_to_compute_not_how(grade_id):
    notebook = EXERCISES[grade_id].notebook
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in cells(notebook)}
    docstring = by_id[grade_id].split("### BEGIN SOLUTION")[0]
    for text in (by_id[f"{grade_id}_task"], docstring):
        found = [pattern for pattern in GIVEAWAYS[grade_id] if re.search(pattern, text)]
        assert not found, f"{grade_id} gives away {found}:\n{text}"


@pytest.mark.parametrize("notebook", ["01_chain_rule", "02_forward_pass"])
def test_no_cell_but_an_exercise_s_own_calls_the_learner_s_function(notebook):
    """In the learner's edition those functions return `...`: a later cell that used one would break."""
    functions = [e.function for e in EXERCISES.values() if e.notebook == notebook]
    for cell in cells(notebook):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if cell.cell_type == "code" and grade_id.removesuffix("_test") not in EXERCISES:
            assert not [f for f in functions if re.search(rf"(?<![.\w]){f}\b", cell.source)], cell.source


# ---- the numbers the notebooks state ----------------------------------------------------------------------

def stated(text, *pieces):
    for piece in pieces:
        assert piece in text, f"{piece!r} is not in the text"


def test_notebook_1_prose():
    text = markdown("01_chain_rule")
    net = lecture7.lecture_network()
    grads = net.backward(net.forward(lecture7.LECTURE_INPUT), [1, 0])
    stated(text, rf"$\partial L/\partial w_9 = {grads.vector()[8]:.3f}$", "row 1, column 1 of $W^3$, which is "
           f"{net.weights[2][0, 0]:.0f} at")
    assert grads.vector()[8] == grads.dW[2][0, 0]
    stated(text, f"$y = g(0.8) = {3 * 0.8 + 1:.1f}$", f"$(x, y) = (g(0.8), h(0.8)) = ({2 * 0.8 + 1:.1f}, {0.8 ** 2:.2f})$")


def test_notebook_1_answer_1_what_the_widget_shows():
    text = answers("01_chain_rule")
    panel = widgets.chain_rule_widget()
    panel.controls["point"].value = 0.0
    at_zero = panel.readout.value
    assert "<td>0</td>" in at_zero and "<td>1</td>" in at_zero
    r = widgets.chain_rule_example(1, 0.0)
    assert (r.dy_dx, r.dz_dy) == (0.0, 1.0)
    stated(text, "$dy/dx = 0$ and $dz/dy = 1$", f"steps of {panel.controls['point'].step:.2f}")
    root = np.sqrt(np.pi / 2)
    nearest = round(root / panel.controls["point"].step) * panel.controls["point"].step
    assert nearest == pytest.approx(1.25)
    panel.controls["point"].value = 1.25
    near = widgets.chain_rule_example(1, 1.25)
    for value in (near.dz_dy, near.dz_dx):
        assert f"<td>{value:.6g}</td>" in panel.readout.value
    stated(text, rf"x = \sqrt{{\pi/2}} \approx {root:.4f}", f"$dz/dy = {near.dz_dy:.6g}$ and $dz/dx = {near.dz_dx:.6g}$")
    exact = lecture7.chain_rule_case1(np.square, np.sin, root, dg=lambda x: 2 * x, dh=np.cos)
    assert 2.5e-16 < exact.dz_dy < 3.5e-16 and 6.5e-16 < exact.dz_dx < 7.5e-16
    stated(text, r"$dz/dy \approx 3 \cdot 10^{-16}$ and $dz/dx \approx 7 \cdot 10^{-16}$")


def test_notebook_1_answer_2():
    text = answers("01_chain_rule")
    r = lecture7.chain_rule_case1(lecture7.sigmoid, np.square, 0.0)
    stated(text, f"$y = \\sigma(0) = {r.y:.1f}$", f"$z = y^2 = {r.z:.2f}$", f"$dy/dx = {r.dy_dx:.4f}$",
           f"$dz/dy = {r.dz_dy:.4f}$", f"$dz/dx = {r.dz_dx:.4f}$", f"`finite_difference` $= {r.finite_difference:.4f}$")
    assert 2.5e-12 < abs(r.dz_dx - r.finite_difference) < 3.5e-12
    stated(text, r"agree to about $3 \cdot 10^{-12}$")


def test_notebook_1_answer_3():
    text = answers("01_chain_rule")
    x, y_hat = lecture7.LECTURE_INPUT, [1, 0]
    losses = {}
    for eta in (0.1, 1.0, 10.0):
        net = lecture7.lecture_network()
        history = lecture7.train(net, [x], [y_hat], learning_rate=eta, epochs=10)
        losses[eta] = [*history.loss, net.loss(x, y_hat)]
        if eta == 10.0:
            y = net.predict(x)
    stated(text, f"from {losses[0.1][0]:.4f} to {losses[0.1][-1]:.4f} after ten steps", f"with $\\eta = 1$ ({losses[1.0][1]:.4f})",
           f"{losses[10.0][1]:.4f} after one step and {losses[10.0][-1]:.4f} after ten", f"$y = ({y[0]:.2f}, {y[1]:.2f})$")
    data = lecture7.datasets.xor(n=40, seed=0)
    net = lecture7.Network([2, 4, 2], activation="sigmoid", seed=0)
    lecture7.train(net, data.X, data.Y, learning_rate=5, epochs=1)
    trace = net.forward(data.X)
    assert trace.a[-1].min() > 0.9999 and np.abs(net.backward(trace, data.Y).vector()).max() < 0.001
    stated(text, f"$z$ between {trace.z[-1].min():.1f} and {trace.z[-1].max():.1f}", "below 0.001",
           f"$L$ jumps from {lecture7.Network([2, 4, 2], seed=0).loss(data.X, data.Y):.2f} to {net.loss(data.X, data.Y):.2f}")
    assert net.loss(data.X, data.Y) == pytest.approx(40 * 0.5, abs=0.005)
    net = lecture7.Network([2, 4, 2], activation="sigmoid", seed=0)
    history = lecture7.train(net, data.X, data.Y, learning_rate=5, epochs=200)
    assert set(history.accuracy) == {0.55}
    stated(text, f"after 200 epochs $L$ is still {net.loss(data.X, data.Y):.2f} and the accuracy stays at 0.55")
    net = lecture7.Network([2, 4, 2], activation="sigmoid", seed=0)
    history = lecture7.train(net, data.X, data.Y, learning_rate=0.5, epochs=200)
    stated(text, f"$\\eta = 0.5$ reached {history.loss[199]:.4f} and {history.accuracy[199]:.3f}")


def test_notebook_1_answer_4():
    text = answers("01_chain_rule")
    net = lecture7.Network([64, 64, 10])
    hidden, output = (W.size + b.size for W, b in zip(net.weights, net.biases))
    stated(text, f"= {hidden:,}".replace(",", "{,}"), f"= {output}", f"{net.n_params:,} in all", f"{2 * net.n_params:,} for one")


def test_notebook_2_statement_and_answer_1():
    net = lecture7.lecture_network()
    y = net.predict(lecture7.LECTURE_INPUT)
    stated(markdown("02_forward_pass"), f"$y = ({y[0]:.2f}, {y[1]:.2f})$")
    text = answers("02_forward_pass")
    trace = net.forward((-1, 2))
    stated(text, f"x_1 = {trace.a[0][0]:.0f}$", f"$x_2 = {trace.a[0][1]:.0f}$",
           f"$z^1 = ({trace.z[0][0]:.0f}, {trace.z[0][1]:.0f})$",
           f"`trace.a[1]` $= ({trace.a[1][0]:.4f}, {trace.a[1][1]:.4f})$", f"`trace.a[2]` $= ({trace.a[2][0]:.4f}, {trace.a[2][1]:.4f})$")


def test_notebook_2_answer_2():
    text = answers("02_forward_pass")
    net, x = lecture7.lecture_network(), lecture7.LECTURE_INPUT
    w, b = net.weights[0][0], net.biases[0][0]
    dz_db = lecture7.central_difference(lambda b_: lecture7.neuron_z(x, w, b_), b)
    dC_dz = net.backward(net.forward(x), (1.0, 0.0)).delta[0][0]
    assert lecture7.neuron_gradient(x, w, b, dC_dz).dC_db == dC_dz
    stated(text, f"$\\partial z/\\partial b = {dz_db:.4f}$", f"`g.dC_db` is ${dC_dz:.4f}$")


def test_notebook_2_answer_3():
    text = answers("02_forward_pass")
    x = lecture7.LECTURE_INPUT

    def input_of_the_edge(weight, value):   # the ∂z/∂w of W³[2, 1]: the output of neuron 1 of layer 2
        return widgets.network_with_weight(weight, value).forward(x).a[2][0]

    before = lecture7.lecture_network().forward(x).a[2][0]
    stated(text, f"$a = {before:.4f}$", f"leaves it at {before:.4f}")
    for weight, name in [((0, 0, 0), "W^1[1, 1]"), ((0, 1, 1), "W^1[2, 2]"), ((1, 0, 1), "W^2[1, 2]")]:
        stated(text, f"${name}$ to 3 gives {input_of_the_edge(weight, 3.0):.4f}")
    assert input_of_the_edge((1, 1, 0), 3.0) == input_of_the_edge((2, 1, 0), 0.0) == input_of_the_edge((2, 0, 0), 0.0) == before
    label = plots._network_labels(lecture7.lecture_network(), x, annotate="forward")["dw", 2, 1, 0]
    stated(text, f"({label.removeprefix('∂z/∂w=')} for the lecture's weights)")


def test_notebook_2_answer_4():
    text = answers("02_forward_pass")
    net = lecture7.lecture_network()
    X, Y_hat = np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([[1.0, 0.0], [0.0, 1.0]])
    per_example = [net.backward(net.forward(X[n]), Y_hat[n]).dW[0][0, 1] for n in range(2)]
    batch = net.backward(net.forward(X), Y_hat).dW[0][0, 1]
    assert batch == pytest.approx(sum(per_example), abs=1e-15)
    stated(text, f"$\\partial z/\\partial w = {X[0, 1]:.0f}$ for $x^1$ and ${X[1, 1]:.0f}$ for $x^2$",
           f"$\\partial C^1/\\partial w = {per_example[0]:.4f}$ and $\\partial C^2/\\partial w = {per_example[1]:.4f}$",
           f"$\\partial L/\\partial w = {batch:.4f}$")
