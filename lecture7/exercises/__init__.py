"""The series' exercises: what each "Your turn" is checked on, and the mistakes its check recognises.

Each exercise is one `Exercise` in EXERCISES, keyed by its nbgrader grade_id. Its `cases(rng)` builds inputs
from lecture7 and, for each, the right answer. The visible check under an exercise,

    lecture7.check_answer("hidden_delta", hidden_delta)

calls the learner's function on the cases of seed 0, chosen so that the usual wrong answers give different
numbers (weights that are not symmetric, a layer other than the one in the prose, one example and a batch),
and when an answer is wrong says which known mistake it looks like. The classroom grader
(tools/exercises.py) runs the same cases with a seed of its own, in a sandbox, and compares outside it.

A blank exercise's function returns `...` (the learner's edition and the classroom release put
`return ...` where the answer goes): its check prints "not done yet" and raises nothing, so that the
notebook still runs from top to bottom.
"""
import copy
import io
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..checks import mismatch
from ..i18n import _

NOT_DONE = Ellipsis   # what a blank exercise's `return ...` returns
VISIBLE_SEED = 0


@dataclass(frozen=True)
class Case:
    """One call of the learner's function: `args`, and the right answer `expected()` (computed when needed).
    label: what the case is, a str or an N_ text (lecture7.i18n), shown in the language of the moment.

    judge: for an answer that is not one value (a trained network, a cache), got → None when it is right,
    else what is wrong; it replaces the comparison with expected().
    """
    label: str
    args: tuple
    expected: Callable = None
    atol: float = 1e-6
    judge: Callable = None


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer: `answer(*args)` is what that mistake returns; the check says "this is what you get {what}".
    what: an N_ text (lecture7.i18n), shown in the language of the moment the check runs."""
    what: str
    answer: Callable


@dataclass(frozen=True)
class Exercise:
    """notebook: the notebook's stem.  function: the name the learner defines.  points: what it is worth.
    cases: rng → [Case].  mistakes: the wrong answers the check names.
    reference: names of the package's own answer, which a solution may not use (the grader flags them).
    forbidden: (object, attribute name) pairs that raise while the learner's function runs.
    given: () → {name: function} that a solution cell needs from the notebook's earlier answers when it
    runs alone (the grader runs each solution cell on its own): the package's versions of them.
    """
    notebook: str
    function: str
    points: int
    cases: Callable
    mistakes: tuple = ()
    reference: frozenset = frozenset()
    forbidden: tuple = ()
    given: Callable = None


EXERCISES = {}


def register(grade_id, exercise):
    if grade_id in EXERCISES:
        raise ValueError(f"two exercises are called {grade_id!r}")
    EXERCISES[grade_id] = exercise
    return exercise


def get_exercise(name):
    """The Exercise called `name`; a ValueError lists the names when there is none."""
    if name not in EXERCISES:
        raise ValueError(_("no exercise is called {name!r}; the exercises are {names}", name=name, names=", ".join(EXERCISES)))
    return EXERCISES[name]


def check_answer(name, function, seed=VISIBLE_SEED):
    """Run the learner's `function` on exercise `name`'s cases; print ✓ per case, or raise AssertionError saying
    which case is wrong, by how much and, for a known mistake, which. A blank exercise (its function returns `...`)
    prints "not done yet" and raises nothing. Returns None, so that a notebook cell shows only the printed lines.

    seed: the cases' random seed (0: the visible check; the grader's hidden cases use others).
    """
    passed(name, function, seed)


def passed(name, function, seed=VISIBLE_SEED):
    """check_answer's run: True when every case is right, False when the exercise is not done yet."""
    exercise = get_exercise(name)
    if not callable(function):
        raise TypeError(_("check_answer needs your function {function}, not a value; got {type} "
                          "(write check_answer({name!r}, {function}))",
                          function=exercise.function, type=type(function).__name__, name=name))
    for case in exercise.cases(np.random.default_rng(seed)):
        got = call(exercise, function, case)
        if got is NOT_DONE:
            print(_("… {function} is not done yet: write it in the cell above (in place of `...`), run that cell, "
                    "then this one.", function=exercise.function))
            return False
        why = verdict(case, got)
        if why:
            raise AssertionError(_("{function}, {case}: {why}{diagnosis}", function=exercise.function, case=_(case.label),
                                   why=why, diagnosis=diagnosis(exercise, case, got)))
        print(_("✓ {function}: {case}", function=exercise.function, case=_(case.label)))
    return True


def done(name, function):
    """True when `function` passes exercise `name`'s visible check (quietly): for cells that need an earlier answer."""
    try:
        with redirect_stdout(io.StringIO()):
            return passed(name, function)
    except Exception:   # a wrong or crashing answer is not done either; its own check cell says why
        return False


def call(exercise, function, case):
    """The learner's function on copies of the case's arguments, with the exercise's forbidden calls raising."""
    with forbid(exercise):
        return function(*copy.deepcopy(case.args))


def verdict(case, got):
    """None when `got` is the case's right answer, else why not (a sentence)."""
    if case.judge is not None:
        return case.judge(got)
    return mismatch(got, case.expected(), case.atol)


def diagnosis(exercise, case, got):
    """" — this is what you get {mistake}" for the first known mistake whose answer `got` is, else ""."""
    for mistake in exercise.mistakes:
        try:
            wrong = mistake.answer(*copy.deepcopy(case.args))
        except Exception:   # a mistake that cannot even run on this case is not the learner's
            continue
        if mismatch(got, wrong, case.atol) is None:
            return _(" — this is what you get {what}", what=_(mistake.what))
    return ""


@contextmanager
def forbid(exercise):
    """While the learner's function runs, each (object, attribute) of exercise.forbidden raises when called."""
    saved = [(owner, attribute, owner.__dict__[attribute] if isinstance(owner, type) else getattr(owner, attribute))
             for owner, attribute in exercise.forbidden]

    def refuse(attribute):
        def refused(*args, **kwargs):
            raise AssertionError(_("{function} calls lecture7's {attribute}: this exercise asks you to write it yourself, "
                                   "with numpy", function=exercise.function, attribute=attribute))
        return refused

    try:
        for owner, attribute, _refused in saved:
            setattr(owner, attribute, refuse(attribute))
        yield
    finally:
        for owner, attribute, original in saved:
            setattr(owner, attribute, original)


# The exercises, notebook by notebook (each module registers its own).
from . import (chain_rule, forward_pass, backward_pass, summary, checking_and_training, beyond_the_lecture,  # noqa: E402,F401
               capstone, worksheet)
