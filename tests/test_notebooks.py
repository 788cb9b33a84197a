"""The notebook series as committed: complete, stored outputs that nbval can compare, the lecture's
numbers present, and the house rules (short cells, figures shown, goals, recap and exercises).

nbval itself (`make test`) re-executes every notebook and compares the outputs checked here.
"""
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

import lecture7

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SERIES = ["01_chain_rule.ipynb", "02_forward_pass.ipynb", "03_backward_pass.ipynb", "04_summary.ipynb"]
IGNORE = "# NBVAL_IGNORE_OUTPUT"
# a cell's output may only be left uncompared when it is a widget or a timing
IGNORABLE = re.compile(r"widgets\.\w+_widget\(|measure_gradient_cost\(")


def load(name):
    return nbformat.read(NOTEBOOKS / name, as_version=4)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def stored_text(nb):
    """Every compared text output of the notebook, joined."""
    parts = []
    for cell in code_cells(nb):
        if cell.source.startswith(IGNORE):
            continue
        for out in cell.outputs:
            parts.append(out.get("text", "") if out.output_type == "stream" else out.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def test_the_series_is_complete():
    assert sorted(p.name for p in NOTEBOOKS.glob("0[1-9]_*.ipynb")) == SERIES


@pytest.mark.parametrize("name", SERIES)
def test_outputs_are_stored_and_mostly_compared(name):
    cells = code_cells(load(name))
    assert all(c.execution_count is not None for c in cells), "run `make notebooks` to store the outputs"
    assert not any(o.output_type == "error" for c in cells for o in c.outputs)
    with_output = [c for c in cells if c.outputs]
    ignored = [c for c in with_output if c.source.startswith(IGNORE)]
    for cell in ignored:
        assert IGNORABLE.search(cell.source), f"only widget and timing cells may skip comparison:\n{cell.source}"
    assert len(ignored) <= 0.3 * len(with_output), f"{len(ignored)} of {len(with_output)} cells with output are ignored"


@pytest.mark.parametrize("name", SERIES)
def test_volatile_metadata_is_stripped(name):
    nb = load(name)
    assert "widgets" not in nb.metadata, "widget state is stored: run `make notebooks` (nbstripout)"
    assert all("execution" not in c.metadata for c in nb.cells)
    for cell in code_cells(nb):
        for out in cell.outputs:
            assert "application/vnd.jupyter.widget-view+json" not in out.get("data", {}), \
                f"a widget view (its model id changes every run) is stored: run `make notebooks`\n{cell.source}"
            if "_widget(" in cell.source:
                assert "run this cell in JupyterLab" in out["data"]["text/plain"]


@pytest.mark.parametrize("name", SERIES)
def test_house_rules(name):
    nb = load(name)
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert "you will be able to" in markdown[0].lower(), "the notebook opens with what the learner will be able to do"
    assert re.search(r"(?im)^#+ .*recap", "\n".join(markdown)) and re.search(r"(?im)^#+ .*exercises", "\n".join(markdown))
    for cell in code_cells(nb):
        assert len(cell.source.splitlines()) <= 12, f"code cell longer than 12 lines:\n{cell.source}"
        if cell.metadata.get("nbgrader", {}).get("solution"):
            continue   # an exercise: the learner writes the math, and the next cell checks it against lecture7
        assert not re.search(r"^\s*def |np\.exp\(|lambda z", cell.source, re.M), f"math belongs in lecture7, not in a cell:\n{cell.source}"
        if re.search(r"plots\.(draw|plot)_", cell.source):
            assert cell.source.rstrip().endswith("plt.show()"), f"a figure cell must end with plt.show():\n{cell.source}"


@pytest.mark.parametrize("name, term", [
    ("01_chain_rule.ipynb", "鏈式法則"), ("01_chain_rule.ipynb", "梯度下降"),
    ("02_forward_pass.ipynb", "前向傳播"), ("03_backward_pass.ipynb", "反向傳播"), ("04_summary.ipynb", "反向傳播"),
])
def test_the_notes_terms_appear(name, term):
    assert term in "".join(c.source for c in load(name).cells if c.cell_type == "markdown")


def test_the_index_links_the_whole_series():
    intro = load("00_index.ipynb").cells[0].source
    for name in SERIES:
        assert f"]({name})" in intro, f"00_index.ipynb does not link {name}"
    assert "coming" not in intro


def latex(text):
    """LaTeX with spacing and sizing commands removed, so the same formula matches however it is typeset."""
    text = text.replace(r"\dfrac", r"\frac")
    for token in (r"\left", r"\right", r"\,", r"\cdot", r"\quad", r"\qquad", " ", "\n"):
        text = text.replace(token, "")
    return text


# every formula of the lecture notes (../shared/seed), in the notes' notation, and the notebook that derives it
NOTES_FORMULAS = [
    ("01_chain_rule.ipynb", r"\theta^1 = \theta^0 - \eta\nabla L(\theta^0)"),
    ("01_chain_rule.ipynb", r"\frac{dz}{dx} = \frac{dz}{dy}\frac{dy}{dx}"),
    ("01_chain_rule.ipynb", r"\frac{dz}{ds} = \frac{\partial z}{\partial x}\frac{dx}{ds} + \frac{\partial z}{\partial y}\frac{dy}{ds}"),
    ("02_forward_pass.ipynb", r"L(\theta) = \sum_{n=1}^{N} C^n(\theta)"),
    ("02_forward_pass.ipynb", r"z = x_1w_1 + x_2w_2 + b"),
    ("02_forward_pass.ipynb", r"\frac{\partial C}{\partial w} = \frac{\partial z}{\partial w}\frac{\partial C}{\partial z}"),
    ("02_forward_pass.ipynb", r"\frac{\partial z}{\partial w_1} = x_1"),
    ("02_forward_pass.ipynb", r"\frac{\partial z}{\partial w_2} = x_2"),
    ("02_forward_pass.ipynb", r"a = \sigma(z)"),
    ("03_backward_pass.ipynb", r"\frac{\partial C}{\partial z}=\frac{\partial a}{\partial z}\frac{\partial C}{\partial a}"),
    ("03_backward_pass.ipynb", r"\frac{\partial C}{\partial a}=\frac{\partial z'}{\partial a}\frac{\partial C}{\partial z'}"
                               r"+\frac{\partial z''}{\partial a}\frac{\partial C}{\partial z''}"),
    ("03_backward_pass.ipynb", r"\frac{\partial C}{\partial z}=\sigma'(z)[w_3\frac{\partial C}{\partial z'}+w_4\frac{\partial C}{\partial z''}]"),
    ("03_backward_pass.ipynb", r"\frac{\partial C}{\partial z'}=\frac{\partial y_1}{\partial z'}\frac{\partial C}{\partial y_1}"),
    ("03_backward_pass.ipynb", r"\frac{\partial C}{\partial z''}=\frac{\partial y_2}{\partial z''}\frac{\partial C}{\partial y_2}"),
    ("04_summary.ipynb", r"\frac{\partial C}{\partial w} = \frac{\partial z}{\partial w}\frac{\partial C}{\partial z}"),
]


@pytest.mark.parametrize("name, formula", NOTES_FORMULAS)
def test_every_formula_of_the_notes_appears(name, formula):
    markdown = "".join(c.source for c in load(name).cells if c.cell_type == "markdown")
    assert latex(formula) in latex(markdown), f"{name} does not show {formula}"


def test_forward_pass_shows_the_lecture_numbers():
    # the slide's activations, (1, −1) → (0.98, 0.12) → (0.86, 0.11) → (0.62, 0.83), as the package computes them
    text = stored_text(load("02_forward_pass.ipynb"))
    a = lecture7.lecture_network().forward(lecture7.LECTURE_INPUT).a[1:]
    shown = [f"({a_l[0]:.2f}, {a_l[1]:.2f})" for a_l in a]
    assert shown == ["(0.98, 0.12)", "(0.86, 0.11)", "(0.62, 0.83)"]
    for pair in shown:
        assert f"a = σ(z) = {pair}" in text, f"the lecture's activations {pair} are not in the stored outputs"


def test_backward_pass_shows_every_delta():
    net = lecture7.lecture_network()
    grads = net.backward(net.forward(lecture7.LECTURE_INPUT), [1.0, 0.0])
    text = stored_text(load("03_backward_pass.ipynb"))
    for delta in np.concatenate(grads.delta):
        assert f"{delta:.4f}" in text, f"δ = {delta:.4f} of the lecture network is not in the stored outputs"
