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
SERIES = ["01_chain_rule.ipynb", "02_forward_pass.ipynb", "03_backward_pass.ipynb", "04_summary.ipynb",
          "05_checking_and_training.ipynb", "06_beyond_the_lecture.ipynb", "07_capstone.ipynb"]
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
            if "_widget(" in cell.source:   # where no kernel draws it: its picture, and a line saying what it does live
                assert "Run this cell in JupyterLab and it is live" in out["data"]["text/plain"]
                assert out["data"]["image/png"]


@pytest.mark.parametrize("name", SERIES)
def test_house_rules(name):
    nb = load(name)
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert "you will be able to" in markdown[0].lower(), "the notebook opens with what the learner will be able to do"
    assert re.search(r"(?im)^#+ .*recap", "\n".join(markdown)) and re.search(r"(?im)^#+ .*exercises", "\n".join(markdown))
    cells = code_cells(nb)
    for cell, after in zip(cells, cells[1:] + [None]):
        assert len(cell.source.splitlines()) <= 12, f"code cell longer than 12 lines:\n{cell.source}"
        if cell.metadata.get("nbgrader", {}).get("solution"):
            continue   # an exercise: the learner writes the math, and the next cell checks it against lecture7
        if "lesson" in cell.metadata.get("tags", []):
            # a few lines of math shown as the lesson itself: the next cell asserts them equal to the package
            assert after is not None and "lecture7.check(" in after.source, f"a lesson cell is not checked:\n{cell.source}"
            continue
        assert not re.search(r"^\s*def |np\.exp\(|lambda z", cell.source, re.M), f"math belongs in lecture7, not in a cell:\n{cell.source}"
        if re.search(r"plots\.(draw|plot)_", cell.source):
            assert cell.source.rstrip().endswith("plt.show()"), f"a figure cell must end with plt.show():\n{cell.source}"


@pytest.mark.parametrize("name, term", [
    ("01_chain_rule.ipynb", "連鎖律"), ("01_chain_rule.ipynb", "鏈式法則"), ("01_chain_rule.ipynb", "梯度下降"),
    ("02_forward_pass.ipynb", "正向傳遞"), ("03_backward_pass.ipynb", "反向傳遞"), ("03_backward_pass.ipynb", "反向傳播"),
    ("04_summary.ipynb", "反向傳播"), ("05_checking_and_training.ipynb", "梯度檢查"), ("06_beyond_the_lecture.ipynb", "梯度消失"),
])
def test_the_notes_terms_appear(name, term):
    assert term in markdown_text(name)


def markdown_text(name):
    return "\n".join(c.source for c in load(name).cells if c.cell_type == "markdown")


def glossary():
    """English term → 繁體中文 term, from the table under the index's "Glossary" heading; "cost (function)"
    stands for "cost function" and "cost"."""
    cell = next(c.source for c in load("00_index.ipynb").cells if c.cell_type == "markdown" and "## Glossary" in c.source)
    terms = {}
    for english, chinese in re.findall(r"^\|\s*([A-Za-z][^|]*?)\s*\|\s*([^|]*?)\s*\|", cell, re.M):
        if re.search(CJK, chinese):
            english = english.lower()
            for name in {english.replace("(", "").replace(")", ""), re.sub(r"\s*\(.*?\)", "", english)}:
                terms[name] = chinese
    return terms


CJK = r"[\u3400-\u9fff]"


def test_the_glossary_has_the_lecture_terms_once_each():
    terms = glossary()
    for term in ["連鎖律", "正向傳遞", "反向傳遞", "反向傳播", "損失函數", "成本函數", "學習率", "權重", "偏差", "神經元",
                 "隱藏層", "小批次", "數值微分", "梯度檢查", "交叉熵", "梯度消失", "計算圖"]:
        assert term in terms.values(), f"the glossary has no {term}"
    english_of = {}
    for english, chinese in terms.items():
        english_of.setdefault(chinese, set()).add(english)
    # "cost function" and "cost" are one row; any other Chinese term standing for two English ones is a bug
    shared = {c: e for c, e in english_of.items() if len(e) > 1 and not any(a in b for a in e for b in e if a != b)}
    assert not shared, f"one Chinese term stands for two English ones: {shared}"


@pytest.mark.parametrize("name", ["00_index.ipynb"] + SERIES)
def test_each_term_beside_its_english_is_the_glossary_one(name):
    """"the backward pass 反向傳播" would give backpropagation's term to the backward pass."""
    terms = glossary()
    # longest first, so that "vanishing gradient" is read as one term and not as "gradient"
    names = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in sorted(terms, key=len, reverse=True))
    for english, found in re.findall(rf"(?i)\b({names})s?\b\**\s*({CJK}+)", markdown_text(name)):
        english = " ".join(english.lower().split())
        assert found == terms[english], f"{name}: {english!r} stands beside {found}, but the glossary says {terms[english]}"
