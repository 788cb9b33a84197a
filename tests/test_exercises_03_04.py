"""Notebooks 3 and 4's exercises, their known mistakes, the worksheet of notebook 4, and the numbers their answers state."""
import contextlib
import io
import re

import nbformat
import numpy as np
import pytest

import learner
import lecture7
import mutants
from lecture7 import work, widgets
from lecture7.checks import mismatch
from lecture7.exercises import EXERCISES, check_answer
from lecture7.exercises import worksheet as ws
from lecture7.exercises.summary import batch_trace, slipped_pass

OURS = ["sigmoid_prime", "output_delta", "hidden_delta", "layer_gradient", "backward_pass", "layer_backward_batch"]
NOTEBOOKS = mutants.ROOT / "notebooks"
WS_X, WS_Y = (1, 2), (1, 0)


def cells(name):
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4).cells


def answer(name, k):
    """The text of answer k (from 1) of the notebook's answer cell."""
    source = next(c.source for c in cells(name) if "answer" in c.metadata.get("tags", []))
    return re.findall(r"<details><summary>Answer \d+</summary>\n\n(.*?)\n\n</details>", source, re.S)[k - 1]


def quiet(function, *args, **kwargs):
    with contextlib.redirect_stdout(io.StringIO()) as out, np.errstate(all="ignore"):
        result = function(*args, **kwargs)
    return result, out.getvalue()


# ---- the exercises ------------------------------------------------------------------------------------------

def test_a_missing_transpose_in_hidden_delta_fails_on_the_lecture_network_itself():
    """W³ is symmetric, so layer 2 passes without the transpose; layer 1 (W² is not symmetric) must not."""
    net = lecture7.lecture_network()
    assert np.allclose(net.weights[2], net.weights[2].T) and not np.allclose(net.weights[1], net.weights[1].T)
    no_transpose = lambda a, W_next, delta_next: a * (1 - a) * (W_next @ delta_next)
    with pytest.raises(AssertionError, match="layer 1 of the lecture network: .* without the transpose of W_next"):
        quiet(check_answer, "hidden_delta", no_transpose)


def test_the_cases_hold_what_the_statements_promise():
    rng = np.random.default_rng(0)
    zs = [case.args[0] for case in EXERCISES["sigmoid_prime"].cases(rng)]
    assert any(isinstance(z, float) for z in zs) and any(np.ndim(z) == 2 for z in zs)
    targets = [case.args[1] for case in EXERCISES["output_delta"].cases(np.random.default_rng(0))]
    assert any(not set(np.unique(t)) <= {0.0, 1.0} for t in targets), "a target that is not one-hot"
    batch = EXERCISES["layer_backward_batch"].cases(np.random.default_rng(0))
    sizes = {len(case.args[0]) for case in batch}
    assert 1 in sizes and len(sizes) >= 2
    assert any(W.shape[0] != W.shape[1] for _, _, W in (case.args for case in batch))
    first = batch[0].args[2]
    assert first.shape[0] == first.shape[1] and not np.allclose(first, first.T), "the first case shows a transpose slip"


def test_the_batch_layers_input_gradient_is_the_layer_belows_delta_before_its_sigma_prime():
    net, trace, grads = batch_trace(np.random.default_rng(3), 6)
    for case in EXERCISES["layer_backward_batch"].cases(np.random.default_rng(3)):
        A_in, Delta, W = case.args
        dW, db, dA_in = case.expected()
        assert dW.shape == W.shape and db.shape == (W.shape[0],) and dA_in.shape == A_in.shape
    for l in (1, 2):
        dA_in = grads.delta[l] @ net.weights[l]
        assert np.allclose(dA_in * trace.a[l] * (1 - trace.a[l]), grads.delta[l - 1], atol=1e-14)


def test_the_slipped_pass_without_a_slip_is_the_packages_backward_pass():
    for seed in range(10):
        for case in EXERCISES["backward_pass"].cases(np.random.default_rng(seed)):
            assert mismatch(slipped_pass(*case.args), case.expected(), 1e-12) is None


# ---- the worksheet --------------------------------------------------------------------------------------------

def worksheet_cells():
    nb = cells("04_summary")
    i = next(i for i, c in enumerate(nb) if "worksheet" in c.metadata.get("tags", []))
    return nb[i], nb[i + 1]


def filled():
    namespace = {}
    exec(worksheet_cells()[0].source, namespace)
    return namespace["boxes"]


def check(boxes):
    """(the printed lines, the AssertionError or None) of check_worksheet on the worksheet's example."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            ws.check_worksheet(boxes, x=WS_X, y_hat=WS_Y)
        except AssertionError as error:
            return out.getvalue().splitlines(), error
    return out.getvalue().splitlines(), None


def test_the_worksheet_cell_is_a_dict_literal_of_numbers_and_the_next_cell_checks_it():
    boxes_cell, check_cell = worksheet_cells()
    assert re.fullmatch(r"boxes = \{\n(    .*\n)+\}", boxes_cell.source)
    assert check_cell.source == f"lecture7.exercises.worksheet.check_worksheet(boxes, x={WS_X}, y_hat={WS_Y})"
    assert (WS_X, WS_Y) != (lecture7.LECTURE_INPUT, (1, 0)) and WS_X != lecture7.LECTURE_INPUT
    boxes = filled()
    assert list(boxes) == [box.name for box in ws.worksheet(lecture7.lecture_network())]
    for value in boxes.values():
        assert all(isinstance(v, float) for v in (value if isinstance(value, list) else [value]))


def test_the_filled_worksheet_is_right_to_3_decimals():
    lines, error = check(filled())
    assert error is None and lines[-1] == "23 of 23 boxes filled and right" and all(line.startswith("✓") for line in lines[:-1])
    right = ws.right_values(WS_X, WS_Y)
    for name, value in filled().items():
        assert np.allclose(value, np.round(right[name], 3), atol=1e-12)


def test_the_blank_worksheet_says_not_filled_yet_and_raises_nothing():
    namespace = {}
    exec(learner.blank_numbers(worksheet_cells()[0].source), namespace)
    lines, error = check(namespace["boxes"])
    assert error is None and lines[-1] == "0 of 23 boxes filled and right; 23 not filled yet"
    assert all(line.endswith(": not filled yet") for line in lines[:-1])


def test_no_right_value_is_so_small_that_a_zero_or_a_flipped_sign_passes():
    right = ws.right_values(WS_X, WS_Y)
    smallest = min(np.abs(right[box.name]).min() for box in ws.worksheet(lecture7.lecture_network()))
    assert smallest > ws.ATOL


def test_a_wrong_box_gets_a_hint_and_never_the_right_value():
    boxes = filled()
    right = ws.right_values(WS_X, WS_Y)
    boxes["a²"] = [round(float(v), 3) for v in right["z²"]]                                   # z in place of σ(z)
    boxes["σ′(z³)"] = [round(float(v), 3) for v in right["a³"]]                               # σ(z) in place of σ′(z)
    boxes["δ³"] = [round(-float(v), 3) for v in right["δ³"]]                                  # the sign
    boxes["∂C/∂W¹ row 1"] = [round(float(v), 3) for v in right["δ¹"] * right["x"][0]]        # a column, not a row
    boxes["δ¹"] = [round(float(v), 3) for v in right["σ′(z¹)"] * (lecture7.lecture_network().weights[1] @ right["δ²"])]
    boxes["∂C/∂b²"] = [0.5, ...]
    lines, error = check(boxes)
    said = dict(line[2:].split(": ", 1) for line in lines[:-1] if line.startswith("✗"))
    assert said == {"a²": "this is z² itself, not σ(z²)", "σ′(z³)": "this is σ(z³) = a³, not σ′(z³)",
                    "δ³": "the sign is flipped", "∂C/∂W¹ row 1": "row i holds the weights into neuron i: this is column i",
                    "δ¹": "the weights out of neuron j are column j of W², not row j",
                    "∂C/∂b²": "not this one; it is made of δ² alone"}
    assert "6 filled boxes are wrong: " in str(error) and lines[-1] == "17 of 23 boxes filled and right; 6 wrong"
    shown = "\n".join(lines)
    for name in said:
        assert not any(f"{v:.3f}" in shown for v in np.ravel(right[name]))


def test_every_slip_of_the_worksheet_is_recognised_when_it_differs_from_the_right_value():
    right = ws.right_values(WS_X, WS_Y)
    for box in ws.worksheet(lecture7.lecture_network()):
        for hint, slip in box.slips:
            value = np.asarray(slip(*(right[n] for n in box.needs)), dtype=float)
            if np.allclose(value, right[box.name], atol=ws.ATOL):
                continue   # the same number here (W³ is symmetric, so its transpose changes nothing)
            boxes = {box.name: value.tolist() if value.ndim else float(value)}
            lines, error = check(boxes)
            line = next(l for l in lines if l.startswith(f"✗ {box.name}:"))
            earlier = [h for h, s in box.slips[:box.slips.index((hint, slip))]
                       if np.allclose(s(*(right[n] for n in box.needs)), value, atol=ws.ATOL)]
            assert line == f"✗ {box.name}: {(earlier or [hint])[0]}" and error is not None


def test_a_box_computed_from_a_wrong_box_says_which_one_to_fix_first():
    net = lecture7.lecture_network()
    wrong_z1 = np.array([-1.5, 1.0])
    a1 = lecture7.sigmoid(wrong_z1)
    lines, _ = check({"z¹": wrong_z1.tolist(), "a¹": np.round(a1, 3).tolist(),
                      "z²": np.round(net.weights[1] @ a1 + net.biases[1], 3).tolist()})
    assert "✗ a¹: this follows from your z¹, which is wrong: fix that first" in lines
    assert "✗ z²: this follows from your a¹, which is wrong: fix that first" in lines


def test_the_worksheet_tolerance_is_for_hand_arithmetic():
    right = ws.right_values(WS_X, WS_Y)
    near = {"z²": (right["z²"] + 0.004).tolist()}
    assert check(near)[1] is None
    far = {"z²": (right["z²"] + 0.02).tolist()}
    lines, error = check(far)
    assert error is not None and "✗ z²: close, but more than 0.005 off" in "\n".join(lines)


def test_bad_worksheet_input_is_a_clear_error():
    with pytest.raises(TypeError, match="boxes must be the worksheet's dict"):
        ws.check_worksheet([1, 2], x=WS_X, y_hat=WS_Y)
    with pytest.raises(ValueError, match="the worksheet has no box 'z4'"):
        ws.check_worksheet({"z4": 1.0}, x=WS_X, y_hat=WS_Y)
    with pytest.raises(ValueError):
        ws.check_worksheet({}, x=(1, 2, 3), y_hat=WS_Y)
    lines, error = check({"C": [1.0, 2.0], "z¹": ["a", 1.0]})
    assert "✗ C: this box takes one number; got [1.0, 2.0]" in lines and error is not None
    assert any(line.startswith("✗ z¹: a box holds numbers") for line in lines)


# ---- the numbers the notebooks state ------------------------------------------------------------------------------

def f4(v):
    return f"{v:.4f}"


def test_notebook_3s_answers():
    net = lecture7.lecture_network()
    trace = net.forward(lecture7.LECTURE_INPUT)
    grads = net.backward(trace, [1.0, 0.0])
    g01 = net.backward(trace, [0.0, 1.0]).delta[2]
    assert g01[0] > 0 > g01[1] and f"({f4(g01[0])}, {f4(g01[1])})" in answer("03_backward_pass", 1)
    s = trace.a[1][1] * (1 - trace.a[1][1])
    w3, w4 = net.weights[1][:, 1]
    text = answer("03_backward_pass", 2)
    assert (w3, w4) == (-1, -1) and f"\\sigma'(z) = {f4(s)}" in text
    assert f"{s * (w3 * grads.delta[1][0] + w4 * grads.delta[1][1]):.5f}" in text and f"= {grads.delta[0][1]:.5f}$" in text
    text = answer("03_backward_pass", 3)
    for width, layers in ((4, 8), (8, 6)):
        c, fewer = work.count_multiplications([width] * (layers + 1)), work.count_multiplications([width] * layers)
        assert c.ratio > 1000 > fewer.ratio
        assert f"at {layers} layers ({c.naive:,} " in text and f"ratio {c.ratio:,.0f}" in text
        assert f"it is {fewer.ratio:,.0f}" in text
    text = answer("03_backward_pass", 4)
    moved = widgets.network_with_weight((1, 0, 0), 5.0)
    t5 = moved.forward(lecture7.LECTURE_INPUT)
    g5 = moved.backward(t5, [1.0, 0.0])
    gain, gain5 = (t.a[2][0] * (1 - t.a[2][0]) for t in (trace, t5))
    assert widgets.WEIGHT_CHOICES[4] == ("layer 2: input 1 → neuron 1", (1, 0, 0))
    assert f"from ${trace.z[1][0]:.2f}$ to ${t5.z[1][0]:.2f}$" in text and f"from ${gain:.3f}$ to ${gain5:.4f}$" in text
    assert f"about {gain / gain5:.0f} times smaller" in text
    for l, j in ((1, 0), (0, 0), (0, 1)):
        before, after = grads.delta[l][j], g5.delta[l][j]
        assert f"from ${before:.4f}$ to ${after:.4f}$" in text
    assert abs(g5.delta[1][0]) < abs(grads.delta[1][0]) / 10 and abs(g5.delta[0][1]) > abs(grads.delta[0][1])


def test_notebook_3s_prose_on_the_sigmoids_derivative():
    z = np.linspace(-6, 6, 1201)
    slope = lecture7.ACTIVATIONS["sigmoid"].df(z, lecture7.sigmoid(z))
    assert z[np.argmax(slope)] == 0 and slope.max() == 0.25


def test_notebook_4s_answers():
    net = lecture7.lecture_network()
    trace = net.forward(lecture7.LECTURE_INPUT)
    grads = net.backward(trace, [1.0, 0.0])
    w = trace.a[2][0] * grads.delta[2][1]
    assert np.isclose(w, grads.dW[2][1, 0]) and f"= {f4(w)}$" in answer("04_summary", 1)
    big = lecture7.Network([784, 256, 10])
    t = big.forward(np.zeros((32, 784)))
    g = big.backward(t, np.zeros((32, 10)))
    assert [z.shape for z in t.z] == [(32, 256), (32, 10)] and [d.shape for d in g.delta] == [(32, 256), (32, 10)]
    assert [d.shape for d in g.dW] == [(256, 784), (10, 256)] and [d.shape for d in g.db] == [(256,), (10,)]
    text = answer("04_summary", 2)
    assert all(s in text for s in ("32 \\times 784", "32 \\times 256", "32 \\times 10", "256 \\times 784", "10 \\times 256"))

    rng = np.random.default_rng(0)   # the batch of section 3
    X = rng.normal(size=(4, 2))
    X[0] = lecture7.LECTURE_INPUT
    Y_hat = lecture7.one_hot(np.array([0, 1, 1, 0]), 2)
    batch = net.forward(X)
    batch_grads = net.backward(batch, Y_hat)
    namespace = {"batch": batch, "net": net, "Y_hat": Y_hat}
    exec(re.search(r"```python\n(.*?)```", answer("04_summary", 3), re.S).group(1), namespace)
    for l in range(3):
        assert np.allclose(namespace["dW_cols"][l], batch_grads.dW[l], rtol=0, atol=1e-16)
        assert np.allclose(namespace["db_cols"][l], batch_grads.db[l], rtol=0, atol=1e-16)
    assert "every difference is below $10^{-16}$" in answer("04_summary", 3)

    A, W = batch.a, [w.copy() for w in net.weights]
    Delta, early = (A[3] - Y_hat) * A[3] * (1 - A[3]), [None] * 3
    for l in reversed(range(3)):   # a step of η = 1 inside the loop
        early[l] = Delta.T @ A[l]
        W[l] = W[l] - early[l]
        if l > 0:
            Delta = (Delta @ W[l]) * A[l] * (1 - A[l])
    off = [np.abs(early[l] - batch_grads.dW[l]).max() for l in range(3)]
    text = answer("04_summary", 4)
    assert off[2] == 0 and f"off by up to ${off[1]:.4f}$" in text and f"by up to ${off[0]:.4f}$" in text
    assert f"${np.abs(batch_grads.dW[0]).max():.4f}$" in text


