"""The classroom version of the series: nbgrader metadata, the student release, and autograding.

One course is built per test run with tools/classroom.py (the code behind `make assignments` and
`make grade`). Grading runs once, on the made-up submissions of tests/classroom/submitted beside two
made here: the solution notebooks (the series itself) and the untouched release.
"""
import csv
import re
import shutil
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

import classroom
import learner
from lecture7.exercises import EXERCISES

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SUBMITTED = Path(__file__).resolve().parent / "classroom" / "submitted"
SERIES = [p.stem for p in classroom.SERIES]
TIMEOUT = 10   # seconds a cell may run when grading: the slowest cell of the series takes about 3 s


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
        assert f'lecture7.check_answer("{nbgrader(cells[i])["grade_id"]}", ' in cells[i + 1].source, \
            "the test runs the answer on the exercise's cases (lecture7.exercises), naming what is wrong"
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
    secret = learner.secret_lines(source)
    released = release(course, name)
    text = "\n".join(c.source for c in released.cells)
    assert secret and not [line for line in secret if line in text], "a line of a solution or a hidden test is in the release"
    assert "### BEGIN" not in text and "### END" not in text
    assert not any(c.get("outputs") for c in released.cells if c.cell_type == "code"), "stored outputs would show the answers"
    stubs = [c for c in released.cells if nbgrader(c).get("solution")]
    assert len(stubs) == len([c for c in source.cells if nbgrader(c).get("solution")])
    assert all(learner.STUB.splitlines()[-1] in c.source for c in stubs)


@pytest.mark.parametrize("name", SERIES)
def test_the_release_has_the_code_of_the_learners_edition(course, name):
    """So that what tests/test_learner.py proves of the learner's edition (it runs from top to bottom with every
    exercise blank, each check saying "not done yet") holds for the release too."""
    code = [c.source for c in release(course, name).cells if c.cell_type == "code"]
    assert code == [c.source for c in nbformat.read(learner.EDITION / f"{name}.ipynb", as_version=4).cells if c.cell_type == "code"]


@pytest.fixture(scope="module")
def course_zh(tmp_path_factory):
    course = tmp_path_factory.mktemp("course-zh-TW")
    classroom.release(course, "zh-TW")
    return course


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_the_release_comes_with_the_wheel_without_the_solutions_and_a_students_readme(request, language):
    course = request.getfixturevalue("course" if language == "en" else "course_zh")
    released = course / "release" / classroom.ASSIGNMENT
    wheels = list(released.glob("lecture7-*.whl"))
    assert len(wheels) == 1
    names = zipfile.ZipFile(wheels[0]).namelist()
    assert "lecture7/exercises/__init__.py" in names and "lecture7/locale/zh-TW.po" in names
    assert not [n for n in names if "/learner/" in n], "the learner's edition folds the solutions in: not for a class"
    readme = (released / "README.md").read_text(encoding="utf-8")
    assert f"pip install {wheels[0].name}" in readme and "jupyter lab" in readme
    assert ("繳交" in readme) == (language == "zh-TW") and ("Hand in" in readme) == (language == "en")
    total = sum(e.points for e in EXERCISES.values())
    assert sum(int(points) for points in re.findall(r"\| `\d\d_\w+\.ipynb` \| (\d+) \|", readme)) == total


@pytest.mark.parametrize("name", SERIES)
def test_the_chinese_release_is_the_chinese_learners_edition_without_secrets(course_zh, name):
    source = nbformat.read(NOTEBOOKS / "zh-TW" / f"{name}.ipynb", as_version=4)
    released = release(course_zh, name)
    text = "\n".join(c.source for c in released.cells)
    assert not [line for line in learner.secret_lines(source) if line in text] and "### BEGIN" not in text
    code = [c.source for c in released.cells if c.cell_type == "code"]
    assert code == [c.source for c in nbformat.read(learner.EDITION / "zh-TW" / f"{name}.ipynb", as_version=4).cells
                    if c.cell_type == "code"]
    assert code[0] == 'import lecture7\n\nlecture7.set_language("zh-TW")'
    assert re.search(r"[\u3400-\u9fff]", "".join(c.source for c in released.cells if c.cell_type == "markdown"))


# What each made-up submission earns (tests/classroom/make_submissions.py says what each student did):
# notebook → the test cells that pass. A notebook not listed scores 0.
EARNED = {
    "ada": {"01_chain_rule": "all", "03_backward_pass": "all"},   # right answers in her own words; 02 renamed, 04 not handed in
    "ben": {},                                                    # every cell raises
    "cy": {"03_backward_pass": {"hidden_delta_test"}},            # an endless loop in output_delta, stopped after TIMEOUT
    "dee": {"02_forward_pass": {"neuron_dC_dw_test"}},            # two wrong answers; their tests deleted or emptied, and put back
    # one notebook not JSON, graded by hand; her other notebook is graded (each notebook on its own, since issue 15)
    "eve": {"03_backward_pass": "all"},
    # the attacks: each loses exactly the exercises it cheats on (FLAGGED)
    "fay": {"01_chain_rule": {"chain_rule_case1_test"}},
    "gus": {"02_forward_pass": {"neuron_dC_dw_test"}},
    "hal": {},
    "ivy": {},
    "jo": {"05_checking_and_training": {"learning_rate_for_mean_test"}},
    "kim": {"06_beyond_the_lecture": "all"},                      # right answers that warn on stderr
    "lea": {"01_chain_rule": "all"},                              # a link and a package folder beside, refused
    "max": {"01_chain_rule": {"gradient_descent_step_test", "chain_rule_case2_test"}},   # nbgrader aborts on his metadata
    "ned": {"03_backward_pass": {"hidden_delta_test"}},           # kills every process it can see
    "oz": {"01_chain_rule": "all"},                               # tries every escape in a cell of his own
    "solution": {name: "all" for name in SERIES},
    "untouched": {},
}
# student → {grade_id of a cheated exercise: what the note must name}
FLAGGED = {
    "fay": {"gradient_descent_step": "changes lecture7.check", "chain_rule_case2": "uses the package's .chain_rule_example"},
    "gus": {"neuron_forward": "changes np.allclose", "forward_pass": "uses the package's .forward"},
    "hal": {"output_delta": "rebinds lecture7", "hidden_delta": "changes trace.a[2][:]"},
    "ivy": {"tanh_prime": "uses the package's .ACTIVATIONS", "multiply_gate": "imports sys"},
    "jo": {"layer_gradient": "uses get_ipython", "backward_pass": "uses the package's .backward", "softmax_delta": "imports builtins"},
    "max": {"chain_rule_case1": "2 solution cells with this grade_id"},
    "ned": {"output_delta": "imports os"},
}
# (student, notebook) → what else the note of a handed-in notebook says; every other handed-in notebook's note is empty
NOTES = {
    ("cy", "03_backward_pass"): ["output_delta: stopped: ran longer than 10 s"],
    ("eve", "01_chain_rule"): ["not graded: not a notebook nbformat can read (01_chain_rule.ipynb)"],
    ("lea", "01_chain_rule"): ["not taken from the submission: 04_summary.ipynb (a link), lecture7/"],
    ("max", "01_chain_rule"): ["no feedback: nbgrader could not run the notebook"],
    ("oz", "01_chain_rule"): ["flagged, no point at stake: cell 3, not in the release, imports os; imports pathlib"],
}
NO_FEEDBACK = {("max", "01_chain_rule"), ("eve", "01_chain_rule")}
GRADE_IDS = {gid: name for name in SERIES for gid in (nbgrader(c)["grade_id"] for c in load(name).cells if nbgrader(c).get("solution"))}


def tree(folder):
    """Every file under `folder` (links not followed) → its bytes."""
    return {p.relative_to(folder): (p.read_bytes() if not p.is_symlink() else str(p.readlink()))
            for p in sorted(folder.rglob("*")) if p.is_file() or p.is_symlink()}


@pytest.fixture(scope="module")
def graded(course, tmp_path_factory):
    submitted = tmp_path_factory.mktemp("submitted")
    shutil.copytree(SUBMITTED, submitted, dirs_exist_ok=True, symlinks=True)
    for student, folder in (("solution", NOTEBOOKS), ("untouched", course / "release" / classroom.ASSIGNMENT)):
        (submitted / student / classroom.ASSIGNMENT).mkdir(parents=True)
        for name in SERIES:
            shutil.copy(folder / f"{name}.ipynb", submitted / student / classroom.ASSIGNMENT)
    before = {folder: tree(course / folder) for folder in ("source", "release")}
    before["submissions"] = tree(submitted)
    rows = classroom.grade(course, submitted, TIMEOUT)
    after = {folder: tree(course / folder) for folder in ("source", "release")}
    after["submissions"] = tree(submitted)
    return {(r["student"], r["notebook"]): r for r in rows}, before, after, submitted


def test_the_made_up_submissions_use_the_series_grade_ids():
    ids = {name: {nbgrader(c)["grade_id"] for c in load(name).cells if nbgrader(c)} for name in SERIES}
    for path in SUBMITTED.glob(f"*/{classroom.ASSIGNMENT}/*.ipynb"):
        if classroom.readable(path) and not path.is_symlink():   # lea's link is refused, whatever it points to
            used = {nbgrader(c)["grade_id"] for c in nbformat.read(path, as_version=4).cells if "grade_id" in nbgrader(c)}
            assert used <= ids[path.stem.removesuffix("-Copy1")], f"{path} is stale: run tests/classroom/make_submissions.py"
    assert sorted(p.name for p in SUBMITTED.iterdir()) == sorted(set(EARNED) - {"solution", "untouched"})
    assert set(FLAGGED) <= set(EARNED) and all(gid in GRADE_IDS for flags in FLAGGED.values() for gid in flags)


@pytest.mark.parametrize("student", EARNED)
def test_each_submission_gets_the_score_of_nbgrader_rules(graded, student):
    graded, _, _, _ = graded
    for name in SERIES:
        row = graded[student, name]
        earned = EARNED[student].get(name, set())
        expected = points(name) if earned == "all" else points(name, earned)
        assert (row["score"], row["max_score"]) == (expected, points(name)), f"{student}, {name}: {row}"
        path = SUBMITTED / student / classroom.ASSIGNMENT / f"{name}.ipynb"
        handed_in = student in ("solution", "untouched") or (path.exists() and not path.is_symlink())
        not_graded = (student, name) == ("eve", "01_chain_rule")   # not a notebook: left to grade by hand
        if handed_in:
            flags = [f"{gid}: flagged, 0 points: the solution cell" for gid in FLAGGED.get(student, {}) if GRADE_IDS[gid] == name]
            if (student, name) == ("max", "01_chain_rule"):
                flags = ["chain_rule_case1: 2 solution cells with this grade_id"]
            expected_notes = flags + NOTES.get((student, name), [])
            assert all(n in row["note"] for n in expected_notes), f"{student}, {name}: {row['note']!r} lacks {expected_notes}"
            if not expected_notes:
                assert row["note"] == "", f"{student}, {name}: {row['note']!r}"
        else:
            renamed = " (not graded under another name: 02_forward_pass-Copy1.ipynb)" if student == "ada" else ""
            refused = "; not taken from the submission: 04_summary.ipynb (a link), lecture7/" if student == "lea" else ""
            assert row["note"] == "not submitted" + renamed + refused
        assert row["needs_manual_grade"] == not_graded


def test_each_cheat_is_flagged_with_what_was_found(graded):
    graded, _, _, _ = graded
    for student, flags in FLAGGED.items():
        for grade_id, found in flags.items():
            note = graded[student, GRADE_IDS[grade_id]]["note"]
            assert f"{grade_id}: " in note and found in note, f"{student}, {grade_id}: {note!r}"


def test_wrong_answers_say_which_case_and_what_was_expected(graded):
    graded, _, _, _ = graded
    wrong = graded["dee", "02_forward_pass"]["wrong"]
    assert "neuron_forward: neuron" in wrong and "expected [" in wrong and "forward_pass: the lecture network: expected" in wrong
    assert graded["ben", "02_forward_pass"]["wrong"].startswith("neuron_forward: the cell raised RuntimeError: ben's cell")
    assert graded["solution", "04_summary"]["wrong"] == ""


def test_grading_writes_feedback_and_both_csv_files(course, graded):
    graded, _, _, submitted = graded
    for (student, name), row in graded.items():
        feedback = course / "feedback" / student / classroom.ASSIGNMENT / f"{name}.html"
        handed_in = (submitted / student / classroom.ASSIGNMENT / f"{name}.ipynb").is_file() and not \
            (submitted / student / classroom.ASSIGNMENT / f"{name}.ipynb").is_symlink()
        assert feedback.exists() == (handed_in and (student, name) not in NO_FEEDBACK), f"{student}, {name}: {row['note']!r}"
    with open(course / "scores.csv") as f:
        assert len(list(csv.DictReader(f))) == len(EARNED) * len(SERIES)
    with open(course / "grades.csv") as f:
        totals = {r["student_id"]: float(r["score"]) for r in csv.DictReader(f)}
    assert totals == {s: sum(graded[s, name]["score"] for name in SERIES) for s in EARNED}


def test_feedback_shows_no_hidden_test_no_solution_and_output_capped_in_bytes(course, graded):
    hidden = {line.strip() for name in SERIES for c in load(name).cells for m in learner.REGION.finditer(c.source)
              if m.group(1) == "HIDDEN TESTS" for line in m.group(2).splitlines() if len(line.strip()) > 20}
    solutions = {line.strip() for name in SERIES for c in load(name).cells for m in learner.REGION.finditer(c.source)
                 if m.group(1) == "SOLUTION" for line in m.group(2).splitlines() if len(line.strip()) > 20}
    visible = {line.strip() for name in SERIES for c in load(name).cells for line in learner.REGION.sub("", c.source).splitlines()}
    hidden, solutions = hidden - visible, solutions - visible
    pages = sorted((course / "feedback").glob(f"*/{classroom.ASSIGNMENT}/*.html"))
    assert len(pages) > 20 and hidden and solutions
    import html
    for page in pages:
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
        assert "BEGIN HIDDEN TESTS" not in text and not [line for line in hidden if line in text], f"hidden test in {page}"
        # a line the student wrote themselves (all of them, for the solution student) is their own work
        own = {line.strip() for c in nbformat.read(course / "submitted" / page.parent.parent.name / classroom.ASSIGNMENT
                                                   / f"{page.stem}.ipynb", as_version=4).cells for line in c.source.splitlines()}
        assert not [line for line in solutions - own if line in text], f"a solution line in {page}"
    flood = course / "feedback" / "oz" / classroom.ASSIGNMENT / "01_chain_rule.html"
    assert flood.stat().st_size < 2_000_000 and "bytes of output, more than the 100,000 that feedback keeps: cut" in flood.read_text()


def test_the_sandbox_denied_every_attempt_of_oz_and_left_nothing_running(course, graded):
    notebook = nbformat.read(course / "autograded" / "oz" / classroom.ASSIGNMENT / "01_chain_rule.ipynb", as_version=4)
    cell = next(c for c in notebook.cells if c.cell_type == "code" and "attempts = {" in c.source)
    lines = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream").splitlines()
    attempts = [line for line in lines if not line.startswith("started ")]
    assert len(attempts) == 10 and all(": denied (" in line for line in attempts), lines
    started = int(next(line for line in lines if line.startswith("started ")).split()[1])
    assert 0 < started < 64, f"{started} processes started: the process limit did not hold"
    leftovers = [p for p in Path("/proc").glob("[0-9]*") if b"sleep" in _cmdline(p) and (b"605" in _cmdline(p) or b"604" in _cmdline(p))]
    assert not leftovers, "a process that a submission started outlived its grading"


def _cmdline(process):
    try:
        return (process / "cmdline").read_bytes()
    except OSError:   # the process ended meanwhile
        return b""


def test_nothing_outside_the_cheaters_folders_changes(course, graded):
    graded, before, after, submitted = graded
    assert before == after, "grading changed the course's source, the release or the submissions it was given"
    for student in EARNED:   # what was graded is what was handed in (ada's notebook despite oz, lea's link not followed)
        accepted = tree(course / "submitted" / student / classroom.ASSIGNMENT)
        handed_in = {p: b for p, b in tree(submitted / student / classroom.ASSIGNMENT).items()
                     if p.suffix == ".ipynb" and len(p.parts) == 1 and isinstance(b, bytes)}
        assert accepted == handed_in, student
    with open(course / "scores.csv") as f:
        assert "oz,100" not in f.read()


def test_the_sandbox_denies_reading_the_course_source_and_writing_the_gradebook(course, graded):
    """Straight through the sandbox, as a student's code runs: what it reads and writes, and which lecture7 it imports."""
    import sandbox

    probe = f"""
import lecture7, sys
for what, action in [("read", lambda: open({str(course / "source" / classroom.ASSIGNMENT / "01_chain_rule.ipynb")!r}).read()),
                     ("write", lambda: open({str(course / "gradebook.db")!r}, "ab").write(b"0")),
                     ("repository", lambda: open({str(NOTEBOOKS.parent / "README.md")!r}).read())]:
    try:
        action()
        print(what, "allowed")
    except OSError as error:
        print(what, "denied", type(error).__name__)
print("lecture7", lecture7.__file__)
print("prefix", [line.split()[5] for line in open("/proc/self/mountinfo") if line.split()[4] == sys.prefix][0])
"""
    gradebook = (course / "gradebook.db").read_bytes()
    run = sandbox.run(course / "grader", [sys.executable, "-c", probe], uid=61999, capture_output=True, text=True, timeout=120)
    out = dict(line.split(" ", 1) for line in run.stdout.splitlines())
    assert out["read"].startswith("denied") and out["write"].startswith("denied") and out["repository"].startswith("denied"), run
    assert out["lecture7"] == f"{sandbox.GRADER_MOUNT}/{sandbox.SITE}/lecture7/__init__.py"
    assert out["prefix"].split(",")[0] == "ro"
    assert (course / "gradebook.db").read_bytes() == gradebook


def test_a_student_whose_grading_fails_is_noted_and_stops_nobody(monkeypatch, tmp_path):
    def broken(course, student, *args):
        raise OSError("disk full")

    monkeypatch.setattr(classroom, "grade_student", broken)
    result = classroom.guarded(tmp_path, "zed", 61000, {}, 0, TIMEOUT, False)
    assert result["failed"] == "grading failed (OSError: disk full); grade by hand" and not result["notebooks"]


def test_grading_refuses_to_run_unsandboxed_unless_told(course, monkeypatch, tmp_path):
    import sandbox

    monkeypatch.setattr(sandbox, "BWRAP", str(tmp_path / "no-bwrap"))
    with pytest.raises(SystemExit, match=r"bubblewrap is not installed.*UNSAFE=1"):
        classroom.grade(course, SUBMITTED, TIMEOUT)


def test_grading_without_a_release_or_submissions_says_what_is_missing(tmp_path, course):
    with pytest.raises(SystemExit, match="no released assignment: run `make assignments`"):
        classroom.grade(tmp_path, SUBMITTED, TIMEOUT)
    with pytest.raises(SystemExit, match=r"no submissions in .*<student>/lecture7/"):
        classroom.grade(course, tmp_path, TIMEOUT)
    with pytest.raises(SystemExit, match="the course's own submitted/ folder"):
        classroom.grade(course, course / "submitted", TIMEOUT)
