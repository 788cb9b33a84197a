"""The exercises' registry (lecture7.exercises) against the notebooks, and the strength of their visible checks.

Every solution cell of the series is an Exercise with the same function and points; its solution passes its
check for the visible seed and for the grader's; a blank one says "not done yet"; every known mistake fails the
visible check with its own message; and mutants of the solutions (tools/mutants.py) are caught.
"""
import contextlib
import io

import nbformat
import numpy as np
import pytest

import lecture7
import mutants
from lecture7.exercises import EXERCISES, Exercise, check_answer, done, forbid, passed

NOTEBOOKS = mutants.ROOT / "notebooks"


def nbgrader_cells():
    """{grade_id: (notebook stem, solution cell, test cell)} of every exercise in the series."""
    found = {}
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        meta = [c.metadata.get("nbgrader", {}) for c in cells]
        for i, m in enumerate(meta):
            if m.get("solution") and cells[i].cell_type == "code":
                test = next(c for c, n in zip(cells, meta) if n.get("grade_id") == f"{m['grade_id']}_test")
                found[m["grade_id"]] = (path.stem, cells[i], test)
    return found


CELLS = nbgrader_cells()


def test_every_exercise_of_the_notebooks_is_registered_with_its_points():
    assert set(CELLS) == set(EXERCISES)
    for grade_id, (notebook, solution, test) in CELLS.items():
        exercise = EXERCISES[grade_id]
        assert exercise.notebook == notebook and f"def {exercise.function}(" in solution.source
        assert test.metadata["nbgrader"]["points"] == exercise.points
        assert f'lecture7.check_answer("{grade_id}", {exercise.function})' in test.source
    assert len(EXERCISES) >= 14


@pytest.mark.parametrize("grade_id", sorted(EXERCISES))
def test_the_solution_passes_the_visible_check_and_the_graders_cases(grade_id):
    function = mutants.solution(grade_id)
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        assert passed(grade_id, function) is True
    assert printed.getvalue().count("✓") == len(EXERCISES[grade_id].cases(np.random.default_rng(0)))
    for seed in range(1, 21):
        with contextlib.redirect_stdout(io.StringIO()):
            assert passed(grade_id, function, seed=seed) is True


@pytest.mark.parametrize("grade_id", sorted(EXERCISES))
def test_a_blank_exercise_is_not_done_yet_and_raises_nothing(grade_id, capsys):
    assert check_answer(grade_id, lambda *args: ...) is None
    assert capsys.readouterr().out == (f"… {EXERCISES[grade_id].function} is not done yet: write it in the cell above "
                                      "(in place of `...`), run that cell, then this one.\n")
    assert done(grade_id, lambda *args: ...) is False


@pytest.mark.parametrize("grade_id", sorted(g for g, e in EXERCISES.items() if e.mistakes))
def test_every_known_mistake_fails_the_visible_check_and_is_named_and_fails_the_graders_cases(grade_id):
    exercise = EXERCISES[grade_id]
    for mistake in exercise.mistakes:
        with pytest.raises(AssertionError) as failure, contextlib.redirect_stdout(io.StringIO()), np.errstate(all="ignore"):
            check_answer(grade_id, mistake.answer)
        assert f"this is what you get {mistake.what}" in str(failure.value), f"{grade_id}: {mistake.what}: {failure.value}"
    # the grader's seeds too (a few: the capstone's training cases train the digits)
    seeds = range(1, 2) if any(c.judge for c in exercise.cases(np.random.default_rng(0))) else range(1, 6)
    for mistake in exercise.mistakes:
        for seed in seeds:
            with pytest.raises(Exception), contextlib.redirect_stdout(io.StringIO()), np.errstate(all="ignore"):
                passed(grade_id, mistake.answer, seed=seed)


def test_the_visible_checks_catch_the_mutants_of_the_solutions():
    """tools/mutants.py's measure: at least 95% of the wrong mutants overall, and 80% of each exercise's."""
    tallies = {grade_id: mutants.tally(grade_id) for grade_id in EXERCISES}
    weak = {g: f"{t.caught}/{t.wrong}, escaped: {t.escaped}" for g, t in tallies.items() if t.fraction < 0.8}
    assert not weak
    assert sum(t.caught for t in tallies.values()) >= 0.95 * sum(t.wrong for t in tallies.values())
    assert all(t.wrong > 0 for t in tallies.values()), "an exercise without a wrong mutant measures nothing"


def test_check_answer_names_what_it_needs():
    with pytest.raises(ValueError, match="no exercise is called 'hidden_deltas'; the exercises are gradient_descent_step, "):
        check_answer("hidden_deltas", print)
    with pytest.raises(TypeError, match=r"check_answer needs your function hidden_delta, not a value; got ndarray"):
        check_answer("hidden_delta", np.zeros(2))


def test_a_forbidden_call_raises_only_while_the_learners_function_runs():
    exercise = Exercise("x", "own_forward", 1, cases=None, forbidden=((lecture7.Network, "forward"), (lecture7, "train")))
    original = lecture7.Network.forward, lecture7.train
    net = lecture7.lecture_network()
    with pytest.raises(AssertionError, match="own_forward calls lecture7's forward: this exercise asks you to write it"):
        with forbid(exercise):
            net.forward(lecture7.LECTURE_INPUT)
    with pytest.raises(AssertionError, match="calls lecture7's train"), forbid(exercise):
        lecture7.train(net, [[1.0, -1.0]], [[1.0, 0.0]], cost="squared_error")
    assert (lecture7.Network.forward, lecture7.train) == original
