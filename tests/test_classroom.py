"""The classroom version of the series: nbgrader metadata, the student release, and autograding.

One course is built per test run with tools/classroom.py (the code behind `make assignments` and
`make grade`). Grading runs once, on the made-up submissions of tests/classroom/submitted beside two
made here: the solution notebooks (the series itself) and the untouched release.
"""
import csv
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

import classroom

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SUBMITTED = Path(__file__).resolve().parent / "classroom" / "submitted"
SERIES = [p.stem for p in classroom.SERIES]
TIMEOUT = 10   # seconds a cell may run when grading: the slowest cell of the series takes about 3 s
REGION = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", re.S)


def load(name):
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def nbgrader(cell):
    return cell.metadata.get("nbgrader", {})


def points(name, grade_ids=None):
    """Points of the notebook's test cells (of those in `grade_ids`, if given)."""
    return sum(nbgrader(c)["points"] for c in load(name).cells
               if nbgrader(c).get("grade") and (grade_ids is None or nbgrader(c)["grade_id"] in grade_ids))


@pytest.mark.parametrize("name", SERIES)
def test_each_exercise_is_a_solution_cell_checked_by_the_next_cell(name):
    cells = load(name).cells
    solutions = [i for i, c in enumerate(cells) if nbgrader(c).get("solution")]
    assert len(solutions) >= 2, f"{name} has {len(solutions)} fill-in cells; the series promises at least 2"
    for i in solutions:
        assert "### BEGIN SOLUTION" in cells[i].source and cells[i].cell_type == "code"
        statement, test = nbgrader(cells[i - 1]), nbgrader(cells[i + 1])
        assert cells[i - 1].cell_type == "markdown" and statement.get("locked"), "a read-only statement precedes each fill-in"
        assert test.get("grade") and test.get("locked") and test["points"] > 0, f"no graded test cell after {cells[i].source}"
        assert "lecture7.check(" in cells[i + 1].source, "the test compares the answer with lecture7, naming the value"
    ids = [nbgrader(c)["grade_id"] for c in cells if nbgrader(c)]
    assert len(ids) == len(set(ids)), f"grade_ids repeat in {name}: {ids}"
    assert all(nbgrader(c)["schema_version"] == 3 for c in cells if nbgrader(c))
    assert any("### BEGIN HIDDEN TESTS" in c.source for c in cells), f"{name} has no hidden test"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    classroom.release(course)
    return course


def release(course, name):
    return nbformat.read(course / "release" / classroom.ASSIGNMENT / f"{name}.ipynb", as_version=4)


@pytest.mark.parametrize("name", SERIES)
def test_the_release_holds_no_solution_and_no_hidden_test(course, name):
    source = load(name)
    regions = [m.group(2) for c in source.cells for m in REGION.finditer(c.source)]
    # a line that the learner also sees outside the regions (a blank line, a `return a`) gives nothing away
    visible = {line.strip() for c in source.cells for line in REGION.sub("", c.source).splitlines()}
    secret = {line.strip() for region in regions for line in region.splitlines()} - visible
    released = release(course, name)
    text = "\n".join(c.source for c in released.cells)
    assert secret and not [line for line in secret if line in text], "a line of a solution or a hidden test is in the release"
    assert "### BEGIN" not in text and "### END" not in text
    assert not any(c.get("outputs") for c in released.cells if c.cell_type == "code"), "stored outputs would show the answers"
    stubs = [c for c in released.cells if nbgrader(c).get("solution")]
    assert len(stubs) == len([c for c in source.cells if nbgrader(c).get("solution")])
    assert all("raise NotImplementedError()" in c.source for c in stubs)


@pytest.mark.parametrize("name", SERIES)
def test_the_release_runs_up_to_its_first_fill_in(course, name):
    notebook = release(course, name)
    first = next(i for i, c in enumerate(notebook.cells) if nbgrader(c).get("solution"))
    folder = course / "release" / classroom.ASSIGNMENT
    with pytest.raises(CellExecutionError) as failure:
        NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    assert failure.value.ename == "NotImplementedError", f"{name} fails with {failure.value.ename}, not at a fill-in"
    failed = [i for i, c in enumerate(notebook.cells) if any(o.output_type == "error" for o in c.get("outputs", []))]
    # the fill-in cell only defines the function; the test cell after it is the first to call it
    assert failed == [first + 1], f"the first error is in cell {failed}, not in the test of the first fill-in (cell {first + 1})"
    assert all(c.execution_count is not None for c in notebook.cells[:first + 2] if c.cell_type == "code")


# What each made-up submission earns (tests/classroom/make_submissions.py says what each student did):
# notebook → the test cells that pass. A notebook not listed scores 0.
EARNED = {
    "ada": {"01_chain_rule": "all", "03_backward_pass": "all"},   # right answers in her own words; 02 renamed, 04 not handed in
    "ben": {},                                                    # every cell raises
    "cy": {"03_backward_pass": {"hidden_delta_test"}},            # an endless loop in output_delta, stopped after TIMEOUT
    "dee": {"02_forward_pass": {"neuron_dC_dw_test"}},            # two wrong answers; their tests deleted or emptied, and put back
    "eve": {},                                                    # one notebook not JSON: nbgrader grades none of hers
    "solution": {name: "all" for name in SERIES},
    "untouched": {},
}


@pytest.fixture(scope="module")
def graded(course, tmp_path_factory):
    submitted = tmp_path_factory.mktemp("submitted")
    shutil.copytree(SUBMITTED, submitted, dirs_exist_ok=True)
    for student, folder in (("solution", NOTEBOOKS), ("untouched", course / "release" / classroom.ASSIGNMENT)):
        (submitted / student / classroom.ASSIGNMENT).mkdir(parents=True)
        for name in SERIES:
            shutil.copy(folder / f"{name}.ipynb", submitted / student / classroom.ASSIGNMENT)
    rows = classroom.grade(course, submitted, TIMEOUT)
    return {(r["student"], r["notebook"]): r for r in rows}


def test_the_made_up_submissions_use_the_series_grade_ids():
    ids = {name: {nbgrader(c)["grade_id"] for c in load(name).cells if nbgrader(c)} for name in SERIES}
    for path in SUBMITTED.glob(f"*/{classroom.ASSIGNMENT}/*.ipynb"):
        if classroom.readable(path):
            used = {nbgrader(c)["grade_id"] for c in nbformat.read(path, as_version=4).cells if nbgrader(c)}
            assert used <= ids[path.stem.removesuffix("-Copy1")], f"{path} is stale: run tests/classroom/make_submissions.py"
    assert sorted(p.name for p in SUBMITTED.iterdir()) == sorted(set(EARNED) - {"solution", "untouched"})


@pytest.mark.parametrize("student", EARNED)
def test_each_submission_gets_the_score_of_nbgrader_rules(graded, student):
    for name in SERIES:
        row = graded[student, name]
        earned = EARNED[student].get(name, set())
        expected = points(name) if earned == "all" else points(name, earned)
        assert (row["score"], row["max_score"]) == (expected, points(name)), f"{student}, {name}: {row}"
        handed_in = student in ("solution", "untouched") or (SUBMITTED / student / classroom.ASSIGNMENT / f"{name}.ipynb").exists()
        not_graded = student == "eve" and handed_in   # nbgrader could not process her submission: left to grade by hand
        if not_graded:
            assert row["note"].startswith("not graded")
        elif handed_in:
            assert row["note"] == ""
        else:
            renamed = " (not graded under another name: 02_forward_pass-Copy1.ipynb)" if student == "ada" else ""
            assert row["note"] == "not submitted" + renamed
        assert row["needs_manual_grade"] == not_graded


def test_grading_writes_feedback_and_both_csv_files(course, graded):
    for (student, name), row in graded.items():
        feedback = course / "feedback" / student / classroom.ASSIGNMENT / f"{name}.html"
        assert feedback.exists() == (row["note"] == ""), f"{student}, {name}: {row['note']!r}, feedback {feedback.exists()}"
    with open(course / "scores.csv") as f:
        assert len(list(csv.DictReader(f))) == len(EARNED) * len(SERIES)
    with open(course / "grades.csv") as f:
        totals = {r["student_id"]: float(r["score"]) for r in csv.DictReader(f)}
    assert totals == {s: sum(graded[s, name]["score"] for name in SERIES) for s in EARNED}
    assert graded["eve", "01_chain_rule"]["note"] == "not graded: nbgrader could not process the submission (01_chain_rule.ipynb)"


def test_grading_without_a_release_or_submissions_says_what_is_missing(tmp_path, course):
    with pytest.raises(SystemExit, match="no released assignment: run `make assignments`"):
        classroom.grade(tmp_path, SUBMITTED, TIMEOUT)
    with pytest.raises(SystemExit, match=r"no submissions in .*<student>/lecture7/"):
        classroom.grade(course, tmp_path, TIMEOUT)
    with pytest.raises(SystemExit, match="the course's own submitted/ folder"):
        classroom.grade(course, course / "submitted", TIMEOUT)
