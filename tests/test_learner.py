"""The learner's edition (lecture7/learner/ and lecture7/learner/zh-TW/, built by tools/learner.py from notebooks/ and
notebooks/zh-TW/) and the learner's own copy of it.

The edition is what `lecture7 lab` and `make lab` open: every exercise blank, its check saying "not done yet", its hint
and solution collapsed; it runs from top to bottom without a traceback. `lecture7 copy` never overwrites a notebook the
learner changed.
"""
import io
import re
import shutil
import tokenize

import nbformat
import pytest
from nbclient import NotebookClient

import learner
from lecture7 import cli
from lecture7.exercises import EXERCISES

SOURCES = learner.series(learner.SOURCE)
NAMES = [p.name for p in SOURCES]
BOTH = NAMES + [f"zh-TW/{name}" for name in NAMES]   # each edition's notebooks, as paths within the edition


def edition(name):
    return nbformat.read(learner.EDITION / name, as_version=4)


def test_the_edition_is_what_build_writes(tmp_path):
    written = [p.relative_to(tmp_path).as_posix() for p in learner.build(tmp_path)]
    assert sorted(written) == sorted(p.relative_to(learner.EDITION).as_posix() for p in learner.EDITION.rglob("*.ipynb")) == sorted(BOTH)
    for path in written:
        assert (tmp_path / path).read_bytes() == (learner.EDITION / path).read_bytes(), \
            f"lecture7/learner/{path} is not what tools/learner.py build writes from notebooks/: run `make learner`"


@pytest.mark.parametrize("path", BOTH)
def test_no_answer_is_on_screen_before_the_learner_asks(path):
    source = nbformat.read(learner.SOURCE / path, as_version=4)
    secret = learner.secret_lines(source)
    cells = edition(path).cells
    shown = "\n".join(c.source for c in cells if not c.source.startswith("<details>"))
    assert not [line for line in secret if line in shown], "a line of a solution or a hidden test is on screen"
    assert "### BEGIN" not in shown and not any(c.get("outputs") for c in cells if c.cell_type == "code")
    for cell in (c for c in cells if "worksheet" in c.metadata.get("tags", [])):   # its boxes are for the learner to fill
        assert "..." in cell.source and not [t for t in tokenize.generate_tokens(io.StringIO(cell.source).readline)
                                             if t.type == tokenize.NUMBER]
    solutions = [c for c in source.cells if c.metadata.get("nbgrader", {}).get("solution")]
    collapsed = [c.source for c in cells if "solution" in c.metadata.get("tags", [])]
    assert len(collapsed) == len(solutions)
    for cell, shown_on_request in zip(solutions, collapsed):   # each solution, in order, whole, only inside <details>
        assert all(line in shown_on_request for line in learner.REGION.search(cell.source).group(2).splitlines())
        summary = "解答" if path.startswith("zh-TW/") else "Solution"
        assert shown_on_request.startswith(f"<details><summary>{summary}</summary>") and shown_on_request.endswith("</details>")


@pytest.mark.parametrize("name", NAMES)
def test_each_exercise_is_followed_by_its_check_its_hint_and_then_its_solution(name):
    cells = edition(name).cells
    source = nbformat.read(learner.SOURCE / name, as_version=4).cells
    ids = [c.metadata["nbgrader"]["grade_id"] for c in source if c.metadata.get("nbgrader", {}).get("solution")]
    for grade_id in ids:
        stub = next(i for i, c in enumerate(cells) if c.cell_type == "code" and f"def {EXERCISES[grade_id].function}(" in c.source)
        assert cells[stub].source.rstrip().endswith("return ...")
        assert f'check_answer("{grade_id}"' in cells[stub + 1].source, f"{grade_id}: no visible check right after it"
        assert "hint" in cells[stub + 2].metadata.get("tags", []), f"{grade_id}: no hint after its check"
        assert cells[stub + 3].id == f"{grade_id}-solution"[:64]


@pytest.mark.parametrize("path", BOTH)
def test_the_edition_runs_from_top_to_bottom_with_every_exercise_blank(tmp_path, path):
    name = path.split("/")[-1]
    shutil.copy(learner.EDITION / path, tmp_path)
    notebook = nbformat.read(tmp_path / name, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs)
    assert "Traceback" not in text
    not_done = "尚未完成" if path.startswith("zh-TW/") else "is not done yet"
    for exercise in (e for e in EXERCISES.values() if f"{e.notebook}.ipynb" == name):
        assert f"{exercise.function} {not_done}" in text, f"{exercise.function}'s check does not say it is not done"


def test_a_learners_changed_copy_survives_every_refresh(tmp_path):
    mine, first, second, third = tmp_path / "mine", tmp_path / "e1", tmp_path / "e2", tmp_path / "e3"
    for folder, extra in ((first, None), (second, "A new paragraph."), (third, "Another one.")):
        shutil.copytree(learner.EDITION, folder)
        for path in learner.series(folder):
            if extra:
                notebook = nbformat.read(path, as_version=4)
                notebook.cells.append(nbformat.v4.new_markdown_cell(extra))
                nbformat.write(notebook, path)
    said = cli.copy(mine, first, say=lambda _: None)
    assert said == [f"{name}: copied (new)" for name in BOTH]
    assert cli.copy(mine, first, say=lambda _: None) == [f"{name}: kept (the edition has not changed)" for name in BOTH]

    changed = mine / "03_backward_pass.ipynb"
    notebook = nbformat.read(changed, as_version=4)
    notebook.cells[0].source += "\nmy own note"
    nbformat.write(notebook, changed)
    mine_bytes = changed.read_bytes()

    said = cli.copy(mine, second, say=lambda _: None)
    assert changed.read_bytes() == mine_bytes
    assert (mine / "03_backward_pass.new.ipynb").read_bytes() == (second / "03_backward_pass.ipynb").read_bytes()
    assert "03_backward_pass.ipynb: yours is kept as it is; the new edition is beside it as 03_backward_pass.new.ipynb" in said
    assert "zh-TW/03_backward_pass.ipynb: kept (the edition has not changed)" in said
    for name in set(NAMES) - {"03_backward_pass.ipynb"}:   # not changed by the learner: now the new edition
        assert (mine / name).read_bytes() == (second / name).read_bytes()
        assert f"{name}: updated to the new edition (you had neither changed nor run it)" in said

    (mine / "03_backward_pass.new.ipynb").write_text("the learner wrote here too")
    cli.copy(mine, third, say=lambda _: None)
    assert changed.read_bytes() == mine_bytes
    assert (mine / "03_backward_pass.new.ipynb").read_text() == "the learner wrote here too"
    assert (mine / "03_backward_pass.new-2.ipynb").read_bytes() == (third / "03_backward_pass.ipynb").read_bytes()


@pytest.mark.parametrize("name", [n for n in NAMES if n != "00_index.ipynb"])
def test_every_end_of_notebook_exercise_has_its_answer_folded_after_the_list(name):
    cells = nbformat.read(learner.SOURCE / name, as_version=4).cells
    i = next(i for i, c in enumerate(cells) if c.cell_type == "markdown" and re.search(r"(?m)^## Exercises", c.source))
    exercises = re.findall(r"(?m)^(\d+)\. ", cells[i].source.split("## Exercises")[1])
    answer = cells[i + 1]
    assert exercises and answer.cell_type == "markdown" and answer.metadata.get("tags") == ["answer"]
    assert re.findall(r"<details><summary>Answer (\d+)</summary>\n\n", answer.source) == exercises
    assert answer.source.count("</details>") == len(exercises) and answer.source.endswith("</details>")


def test_blank_numbers_blanks_only_numbers():
    assert learner.blank_numbers('boxes = {"z1": [0.5, -2.25], "a1": [1e-3, 7]}  # 3 decimals\n') == \
        'boxes = {"z1": [..., ...], "a1": [..., ...]}  # 3 decimals\n'
