"""The series as a classroom assignment, with nbgrader: release it to students, grade what they hand in.

    python tools/classroom.py release [--course DIR] [--language en|zh-TW]
    python tools/classroom.py grade [--course DIR] [--submitted DIR] [--timeout SECONDS] [--jobs N] [--unsafe]

The course folder (default classroom/) has nbgrader's layout:
  source/lecture7/          the seven notebooks of notebooks/ (or notebooks/zh-TW/), with their solutions (copied by `release`)
  release/lecture7/         the student version: solutions replaced by `return ...` (as in the learner's edition), hidden
                            tests removed; beside them the lecture7 wheel students install (without the learner's edition,
                            which folds the solutions in) and README.md, how to install, open and hand in
  grader/                   lecture7 installed from this repository (read-only) and tools/exercises.py: what the sandbox sees
  submitted/<student>/lecture7/   the plain notebooks of each submission (copied by `grade` from --submitted)
  grading/<student>/        one nbgrader course per student, where their notebooks run sandboxed (tools/sandbox.py)
  autograded/, feedback/    what grading writes: the executed submissions, and one HTML page per notebook and student
  gradebook.db              nbgrader's database of the assignment and every score (the points of tools/exercises.py)
  grades.csv                nbgrader's export: one row per student
  scores.csv                one row per student and notebook
"""
import argparse
import ast
import csv
import json
import os
import re
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

import exercises
import sandbox
from learner import STUB, blank_worksheets

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "lecture7"
COURSE_ID = "lecture7"
SERIES = sorted((ROOT / "notebooks").glob("0[1-9]_*.ipynb"))
EDITIONS = {"en": ROOT / "notebooks", "zh-TW": ROOT / "notebooks" / "zh-TW"}
# A deleted test cell is put back and run, so deleting a test never earns its points or leaves a
# score to grade by hand. Read by every nbgrader command run in the course folder.
CONFIG = f"""c = get_config()
c.CourseDirectory.course_id = "{COURSE_ID}"
c.OverwriteCells.add_missing_cells = True
# a blank exercise returns `...`, as in the learner's edition: its check says "not done yet" and the notebook runs on
c.ClearSolutions.code_stub = {{"python": {STUB!r}}}
# feedback shows the student's work and the visible checks: no hidden test
c.GenerateFeedback.preprocessors = ["nbgrader.preprocessors.GetGrades", "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
                                    "nbgrader.preprocessors.ClearHiddenTests"]
"""
HIDDEN = re.compile(r"[ \t]*### BEGIN HIDDEN TESTS\n.*?### END HIDDEN TESTS[ \t]*\n?", re.S)
OUTPUT_BYTES = 100_000   # a cell's outputs in the feedback, at most
BACKSTOP = 30   # seconds an exercise's run may take beyond --timeout (its imports), before it is killed


def nbgrader(course, *args):
    """Run an nbgrader command in the course folder; return its log (nbgrader logs to stderr)."""
    # nbgrader calls the `alembic` command of its own environment to set up the gradebook
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env, capture_output=True, text=True)
    return run.returncode, run.stdout + run.stderr


def release(course, language="en"):
    """Copy the series (in `language`) into source/ and generate the student version in release/, with the wheel
    students install and their README; return its folder."""
    course.mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text(CONFIG)
    source = course / "source" / ASSIGNMENT
    shutil.rmtree(source, ignore_errors=True)
    source.mkdir(parents=True)
    for notebook in sorted(EDITIONS[language].glob("0[1-9]_*.ipynb")):
        shutil.copy(notebook, source)
    code, log = nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    if code != 0:
        raise SystemExit(f"nbgrader generate_assignment failed:\n{log}")
    released = course / "release" / ASSIGNMENT
    for path in released.glob("*.ipynb"):   # a worksheet's boxes are for the student to fill
        nbformat.write(blank_worksheets(nbformat.read(path, as_version=4)), path)
    wheel = student_wheel(released)
    (released / "README.md").write_text(STUDENT_README[language].format(wheel=wheel.name, points=points_table()),
                                        encoding="utf-8")
    install(course)
    return released


def student_wheel(folder):
    """Build lecture7's wheel into `folder` from a copy of the package without its learner's edition (the folded
    solutions stay with the instructor); return its path."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "lecture7"
        for name in ("pyproject.toml", "LICENSE", "docs/pypi.md"):
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / name, tree / name)
        shutil.copytree(ROOT / "lecture7", tree / "lecture7", ignore=shutil.ignore_patterns("learner", "__pycache__"))
        for old in folder.glob("lecture7-*.whl"):
            old.unlink()
        run = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(folder), str(tree)],
                             capture_output=True, text=True)
        if run.returncode != 0:
            raise SystemExit(f"could not build the students' wheel:\n{run.stdout}{run.stderr}")
    return next(folder.glob("lecture7-*.whl"))


def points_table():
    rows = {}
    for exercise in exercises.EXERCISES.values():
        rows[exercise.notebook] = rows.get(exercise.notebook, 0) + exercise.points
    return "\n".join(f"| `{name}.ipynb` | {points} |" for name, points in sorted(rows.items()))


STUDENT_README = {"en": """# lecture7: your assignment

The notebooks here are the series *Backpropagation*, after Hung-yi Lee's NTU ML Lecture 7
(https://www.youtube.com/watch?v=ibJpTrp5mcE). Each "Your turn" is a function for you to write where its cell
says `return ...`; the check under it runs your function on several cases and says which cases fail.

## Install (once)

You need Python 3.11 or newer. In this folder:

    python3 -m venv .venv
    .venv/bin/python -m pip install {wheel}

(On Windows: `py -m venv .venv`, then `.venv\\Scripts\\python -m pip install {wheel}`.) This installs the
`lecture7` package the notebooks import, and JupyterLab.

## Work

    .venv/bin/jupyter lab

opens JupyterLab in this folder: open `01_chain_rule.ipynb` and take the notebooks in order (*Run ▸ Run All
Cells* runs one; a blank exercise's check says "not done yet" and the notebook runs on). Write each answer in
place of `...`, run its cell, then the check under it.

## Hand in

Hand in the notebooks the way your course says (nbgrader's *Assignment List*, or the files themselves), with
their names unchanged. Do not delete, copy or reorder cells, and do not edit the check cells: they are put back
as they were before grading, and your code runs again on other cases than the visible ones. The points:

| notebook | points |
|---|---|
{points}
""", "zh-TW": """# lecture7：你的作業

這裡的筆記本是「反向傳播（Backpropagation）」系列，依照李宏毅老師臺大 ML Lecture 7
（https://www.youtube.com/watch?v=ibJpTrp5mcE）。每個「換你試試」是一個要你寫的函式，寫在儲存格裡 `return ...`
的位置；它下面的檢查會用好幾種情況執行你的函式，並告訴你哪些情況不對。

## 安裝（一次就好）

你需要 Python 3.11 以上。在這個資料夾裡：

    python3 -m venv .venv
    .venv/bin/python -m pip install {wheel}

（Windows：`py -m venv .venv`，再 `.venv\\Scripts\\python -m pip install {wheel}`。）這會安裝筆記本匯入的
`lecture7` 套件，以及 JupyterLab。

## 作答

    .venv/bin/jupyter lab

會在這個資料夾打開 JupyterLab：打開 `01_chain_rule.ipynb`，依序做下去（*Run ▸ Run All Cells* 執行整本；空白練習的
檢查會說「尚未完成」，筆記本會繼續執行）。把答案寫在 `...` 的位置，執行那個儲存格，再執行它下面的檢查。

## 繳交

依照你的課程規定的方式繳交筆記本（nbgrader 的 *Assignment List*，或直接交檔案），不要改檔名。不要刪除、複製或
調換儲存格，也不要修改檢查儲存格：評分前它們會被放回原樣，而且你的程式碼會在看得到的情況之外的其他情況上再執行一次。
配分：

| 筆記本 | 分數 |
|---|---|
{points}
"""}


def install(course):
    """Install a read-only copy of lecture7 (built from this repository) and the exercise runner into course/grader/."""
    grader = course / "grader"
    if grader.exists():
        for path in [grader, *grader.rglob("*")]:   # read-only, as installed: writable again to be removed
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(grader)
    grader.mkdir(parents=True)
    # --no-build-isolation: setuptools from this environment, no network; --target: a plain folder, not an editable install
    run = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                          "--target", str(grader / sandbox.SITE), str(ROOT)], capture_output=True, text=True, cwd=course)
    if run.returncode != 0:
        raise SystemExit(f"could not install lecture7 into {grader}:\n{run.stdout}{run.stderr}")
    shutil.copy(ROOT / "tools" / "exercises.py", grader)
    for path in [grader, *grader.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    return grader


def accept(source, dest):
    """Copy the plain notebooks of a submission folder; return the names of everything refused."""
    dest.mkdir(parents=True)
    refused = []
    for path in sorted(source.iterdir()):
        if path.suffix == ".ipynb" and stat.S_ISREG(path.lstat().st_mode):   # lstat: a link is refused, not followed
            shutil.copyfile(path, dest / path.name)
        else:
            refused.append(path.name + ("/" if path.is_dir() and not path.is_symlink() else "") + (" (a link)" if path.is_symlink() else ""))
    return refused


def grade(course, submitted, timeout, jobs=None, unsafe=False):
    """Grade every submission in `submitted`, each student on their own, `jobs` at a time; return the rows of scores.csv."""
    if not (course / "gradebook.db").exists() or not (course / "release" / ASSIGNMENT).is_dir():
        raise SystemExit(f"{course} has no released assignment: run `make assignments` (tools/classroom.py release) first")
    if submitted.resolve() == (course / "submitted").resolve():
        raise SystemExit(f"{submitted} is the course's own submitted/ folder, which grading empties and refills: "
                         "keep the submissions in another folder")
    students = sorted(p.parent.name for p in submitted.glob(f"*/{ASSIGNMENT}") if p.is_dir() and not p.is_symlink())
    if not students:
        raise SystemExit(f"no submissions in {submitted}: expected folders {submitted}/<student>/{ASSIGNMENT}/ holding the notebooks")
    grader = install(course)   # afresh: the package and the runner as they are now
    if not unsafe and (reason := sandbox.unavailable(grader)):
        raise SystemExit(f"no sandbox for the students' code: {reason}. Grading refuses to run it unsandboxed; "
                         "pass UNSAFE=1 (--unsafe) to grade without one, only for submissions you trust")
    for folder in ("submitted", "autograded", "feedback", "grading"):
        shutil.rmtree(course / folder, ignore_errors=True)
    refused = {s: accept(submitted / s / ASSIGNMENT, course / "submitted" / s / ASSIGNMENT) for s in students}
    visible_checks(course)
    setup = {p.stem: setup_cell(p) for p in (course / "release" / ASSIGNMENT).glob("*.ipynb")}
    seed = secrets.randbelow(2**32)   # inputs no submission can know in advance
    with ThreadPoolExecutor(jobs or os.cpu_count()) as pool:
        results = dict(zip(students, pool.map(lambda i_s: guarded(course, i_s[1], 61000 + i_s[0], setup, seed, timeout, unsafe),
                                              enumerate(students))))
    (course / "autograde.log").write_text("".join(f"==== {s}\n{r['log']}\n" for s, r in results.items()))
    record(course, results)
    for command in (["generate_feedback", ASSIGNMENT, "--force"], ["export", "--to", "grades.csv"]):
        code, log = nbgrader(course, *command)
        if code != 0:
            raise SystemExit(f"nbgrader {command[0]} failed:\n{log}")
    rows = scores(course, students, results, refused)
    with open(course / "scores.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def visible_checks(course):
    """visible.db: the course's gradebook with the hidden tests cut out of every test cell. The students'
    notebooks run with these cells put back, so that neither their outputs nor their tracebacks show a hidden test."""
    from nbgrader.api import Gradebook
    from nbgrader.utils import compute_checksum

    shutil.copy(course / "gradebook.db", course / "visible.db")
    with Gradebook(f"sqlite:///{course / 'visible.db'}", COURSE_ID) as gradebook:
        for notebook in gradebook.find_assignment(ASSIGNMENT).notebooks:
            points = {cell.name: cell.max_score for cell in notebook.grade_cells}
            solutions = {cell.name for cell in notebook.solution_cells}
            for cell in notebook.source_cells:
                if HIDDEN.search(cell.source):
                    cell.source = HIDDEN.sub("", cell.source)
                    # nbgrader checks a locked cell against its checksum: the one of the cell as it now is
                    metadata = {"grade": cell.name in points, "solution": cell.name in solutions, "locked": cell.locked,
                                "grade_id": cell.name, "points": points.get(cell.name, 0)}
                    cell.checksum = compute_checksum(nbformat.from_dict({"cell_type": cell.cell_type, "source": cell.source,
                                                                         "metadata": {"nbgrader": metadata}}))
        gradebook.db.commit()


def setup_cell(path):
    """The source of the release notebook's locked setup cell: the imports every exercise runs after."""
    return next(c.source for c in nbformat.read(path, as_version=4).cells if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")


def guarded(course, student, *args):
    """grade_student, or, when grading this student fails in a way nothing else caught, no points and the reason."""
    try:
        return grade_student(course, student, *args)
    except Exception as error:   # whatever it is, it is this student's alone: the others are still graded
        reason = f"grading failed ({type(error).__name__}: {error}); grade by hand"
        return {"log": traceback.format_exc(), "autograded": False, "unreadable": [], "notebooks": {}, "added": {},
                "work": course / "grading" / student, "failed": reason}


def grade_student(course, student, uid, setup, seed, timeout, unsafe):
    """nbgrader autograde of one student in a folder of their own (for the feedback), then every exercise's points."""
    work = course / "grading" / student
    mine = work / "submitted" / student / ASSIGNMENT
    shutil.copytree(course / "submitted" / student / ASSIGNMENT, mine)
    unreadable = sorted(p.name for p in mine.glob("*.ipynb") if not readable(p))
    for name in unreadable:   # graded by hand; nbgrader would refuse the student's other notebooks with it
        (mine / name).unlink()
    (work / "source" / ASSIGNMENT).mkdir(parents=True)
    shutil.copy(course / "visible.db", work / "gradebook.db")
    autograded = work / "autograded" / student / ASSIGNMENT
    # the kernel's connection file and Unix sockets (ipc reaches a kernel with no network; a path stays under 108 bytes)
    runtime = Path(tempfile.mkdtemp(prefix="l7k-"))
    kernel = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"] if unsafe else \
        [sys.executable, str(ROOT / "tools" / "sandbox.py"), "kernel", "--grader", str(course / "grader"),
         "--notebook-dir", str(autograded), "--runtime", str(runtime), "--uid", str(uid), "{connection_file}"]
    spec = work / "jupyter" / "kernels" / "python3"   # shadows every other python3: whatever the notebook names, this runs
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": kernel, "display_name": "Python 3 (sandbox)", "language": "python", "interrupt_mode": "message",
        "env": {"PYTHONPATH": str(course / "grader" / sandbox.SITE), "PYTHONSAFEPATH": "1"} if unsafe else {}}))
    (work / "nbgrader_config.py").write_text(CONFIG + f'c.Execute.kernel_name = "python3"\nc.Execute.timeout = {timeout}\n'
                                             + ("" if unsafe else f'c.KernelManager.transport = "ipc"\nc.KernelManager.ip = "{runtime}/kernel"\n'
                                                             f'c.KernelManager.connection_file = "{runtime}/kernel.json"\n'))
    env = {**os.environ, "JUPYTER_PATH": str(work / "jupyter"), "JUPYTER_RUNTIME_DIR": str(runtime),
           "JUPYTER_CONFIG_DIR": str(work / "jupyter"), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    try:
        run = subprocess.run(sandbox.limited([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--student", student,
                                              "--create", "--force"]),
                             cwd=work, env=env, capture_output=True, text=True, timeout=60 + 40 * timeout)
        code, log = run.returncode, run.stdout + run.stderr
    except subprocess.TimeoutExpired as stopped:
        code, log = None, f"nbgrader stopped after {stopped.timeout} s"
    finally:
        shutil.rmtree(runtime, ignore_errors=True)
    notebooks, added = {}, {}
    for path in sorted(p for p in mine.glob("*.ipynb") if p.stem in setup):   # a notebook under another name: not graded
        cells = nbformat.read(path, as_version=4).cells
        notebooks[path.stem] = {grade_id: exercise_points(course, cells, grade_id, exercise, setup.get(path.stem, ""), uid, seed,
                                                          timeout, unsafe)
                                for grade_id, exercise in exercises.EXERCISES.items() if exercise.notebook == path.stem}
        added[path.stem] = added_cells(course, path.stem, cells, setup.get(path.stem, ""))
    return {"log": log, "autograded": code == 0, "unreadable": unreadable, "notebooks": notebooks, "added": added,
            "work": autograded}


def imported(preamble):
    """The names a setup cell's imports bind."""
    return {n.asname or n.name.split(".")[0] for node in ast.walk(ast.parse(preamble))
            if isinstance(node, (ast.Import, ast.ImportFrom)) for n in node.names}


def added_cells(course, name, cells, preamble):
    """Notes on the code cells a student added or changed outside the exercises that tamper: they cannot change a
    point (the points come from the solution cells alone), but an instructor should know."""
    release = {c.source for c in nbformat.read(course / "release" / ASSIGNMENT / f"{name}.ipynb", as_version=4).cells}
    notes = []
    for number, cell in enumerate(cells, start=1):
        if cell.cell_type == "code" and "grade_id" not in cell.metadata.get("nbgrader", {}) and cell.source not in release:
            found = exercises.tampering(cell.source, exercises.NO_EXERCISE, imported(preamble))
            if found:
                notes.append(f"flagged, no point at stake: cell {number}, not in the release, {'; '.join(found)}")
    return notes


def exercise_points(course, cells, grade_id, exercise, preamble, uid, seed, timeout, unsafe):
    """(passed, kind, note) of one exercise: the student's solution cell run alone in the sandbox, compared here.
    kind: "" (passed), "wrong", "stopped" (ran too long, exited, was killed) or "flagged" (tampering)."""
    sources = [c.source for c in cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    if len(sources) != 1 or not isinstance(sources[0], str):
        return False, "flagged", f"{grade_id}: {len(sources)} solution cells with this grade_id (the release has 1)"
    found = exercises.tampering(sources[0], exercise, imported(preamble))
    if found:
        return False, "flagged", f"{grade_id}: flagged, 0 points: the solution cell {'; '.join(found)}"
    out = Path(tempfile.mkdtemp(prefix="l7r-"))
    job = json.dumps({"grade_id": grade_id, "preamble": preamble, "source": sources[0], "seed": seed, "timeout": timeout})
    quiet = {"input": job, "text": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "timeout": timeout + BACKSTOP}
    try:
        if unsafe:
            env = {**sandbox.environment(), "PYTHONPATH": str(course / "grader" / sandbox.SITE)}
            subprocess.run(sandbox.limited([sys.executable, str(course / "grader" / "exercises.py"), str(out)]), env=env, cwd=out, **quiet)
        else:
            if os.geteuid() == 0:
                os.chown(out, uid, uid)
            sandbox.run(course / "grader", [sys.executable, f"{sandbox.GRADER_MOUNT}/exercises.py", str(out)], uid=uid,
                        writable=[out], **quiet)
        path = out / exercises.RESULTS
        if not path.is_file() or path.is_symlink():
            return False, "stopped", f"{grade_id}: stopped: its run ended before returning (it exited, was killed or ran out of memory)"
        with open(path) as f:
            results = json.loads(f.read(exercises.RESULTS_BYTES))
    except subprocess.TimeoutExpired:
        return False, "stopped", f"{grade_id}: stopped: ran longer than {timeout + BACKSTOP} s"
    except ValueError:
        return False, "stopped", f"{grade_id}: stopped: its run returned no readable result"
    finally:
        shutil.rmtree(out, ignore_errors=True)
    passed, why = exercises.score(exercise, seed, results)
    if passed:
        return True, "", ""
    return False, "stopped" if why.startswith("stopped") else "wrong", f"{grade_id}: {why}"


def record(course, results):
    """Write each exercise's points into the course's gradebook (nbgrader's export and feedback read them) and copy the
    autograded notebooks, their outputs capped, beside it."""
    from nbgrader.api import Gradebook
    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)   # nbgrader's add_submission warns of its own session use
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
        for student, result in results.items():
            gradebook.update_or_create_student(student)
            try:
                gradebook.remove_submission(ASSIGNMENT, student)
            except Exception:   # MissingEntry: never graded before
                pass
            gradebook.add_submission(ASSIGNMENT, student)
            for notebook in gradebook.find_submission(ASSIGNMENT, student).notebooks:
                exercises_done = result["notebooks"].get(notebook.name)
                for grade in notebook.grades:
                    if notebook.name + ".ipynb" in result["unreadable"] or "failed" in result:
                        grade.auto_score, grade.needs_manual_grade = None, True
                    else:
                        passed = (exercises_done or {}).get(grade.name.removesuffix("_test"), (False,))[0]
                        grade.auto_score, grade.needs_manual_grade = (grade.max_score if passed else 0), False
            gradebook.db.commit()
            dest = course / "autograded" / student / ASSIGNMENT
            dest.mkdir(parents=True, exist_ok=True)
            for name in result["notebooks"]:
                path = result["work"] / f"{name}.ipynb"
                if result["autograded"] and path.is_file() and not path.is_symlink():
                    notebook = nbformat.read(path, as_version=4)
                    for cell in notebook.cells:
                        if cell.cell_type == "code":
                            cell.outputs = capped(cell.outputs)
                    nbformat.write(notebook, dest / f"{name}.ipynb")


def capped(outputs):
    """A cell's outputs, or a note in their place when they exceed OUTPUT_BYTES."""
    size = len(json.dumps(outputs))
    if size <= OUTPUT_BYTES:
        return outputs
    return [nbformat.v4.new_output("stream", name="stdout", text=f"[{size:,} bytes of output, more than the {OUTPUT_BYTES:,} "
                                                                   "that feedback keeps: cut]\n")]


def scores(course, students, results, refused):
    """One row per student and notebook, from the gradebook, with a note naming what an instructor should know."""
    from nbgrader.api import Gradebook

    rows = []
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
        for student in students:
            result = results[student]
            folder = course / "submitted" / student / ASSIGNMENT
            notebooks = sorted(gradebook.find_submission(ASSIGNMENT, student).notebooks, key=lambda nb: nb.name)
            files, names = sorted(folder.glob("*.ipynb")), {nb.name for nb in notebooks}
            # a notebook under another name (a renamed copy, say) is not graded
            unknown = ", ".join(p.name for p in files if p.stem not in names)
            others = [f"not taken from the submission: {', '.join(refused[student])}"] if refused[student] else []
            for notebook in notebooks:
                wrong = []
                if not (folder / f"{notebook.name}.ipynb").exists():
                    notes = ["not submitted" + (f" (not graded under another name: {unknown})" if unknown else "")]
                elif "failed" in result:
                    notes = [result["failed"]]
                elif f"{notebook.name}.ipynb" in result["unreadable"]:
                    notes = [f"not graded: not a notebook nbformat can read ({notebook.name}.ipynb)"]
                else:
                    done = result["notebooks"].get(notebook.name, {}).values()
                    notes = [note for _, kind, note in done if kind in ("flagged", "stopped")] + result["added"].get(notebook.name, [])
                    wrong = [note for _, kind, note in done if kind == "wrong"]
                    if not result["autograded"]:
                        notes.append(f"no feedback: nbgrader could not run the notebook (autograde.log, ==== {student})")
                rows.append({"student": student, "notebook": notebook.name, "score": notebook.score,
                             "max_score": notebook.max_score, "needs_manual_grade": notebook.needs_manual_grade,
                             "note": "; ".join(notes + others), "wrong": "; ".join(wrong)})
    return rows


def readable(path):
    """Whether `path` is a notebook nbformat can read (a truncated or hand-edited file is not)."""
    try:
        nbformat.read(path, as_version=4)
    except Exception:   # nbformat raises NotJSONError, ValidationError, UnicodeDecodeError, …; any means unreadable
        return False
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["release", "grade"])
    parser.add_argument("--course", type=Path, default=ROOT / "classroom", help="nbgrader's course folder")
    parser.add_argument("--language", choices=sorted(EDITIONS), default="en", help="the edition to release (default: en)")
    parser.add_argument("--submitted", type=Path, default=ROOT / "tests" / "classroom" / "submitted",
                        help="submissions as <student>/lecture7/*.ipynb (default: the made-up ones of the tests)")
    parser.add_argument("--timeout", type=int, default=30, help="seconds a cell may run before grading stops it")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="students graded at the same time (default: the cores)")
    parser.add_argument("--unsafe", action="store_true", help="grade without a sandbox where none can be made (trusted submissions only)")
    args = parser.parse_args(argv)
    if args.timeout < 1:
        parser.error(f"--timeout must be at least 1 second; got {args.timeout}")
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1; got {args.jobs}")
    course = args.course.resolve()
    if args.command == "release":
        print(f"student version: {release(course, args.language)}")
        return
    start = time.monotonic()
    rows = grade(course, args.submitted.resolve(), args.timeout, args.jobs, args.unsafe)
    students, minutes = len({row["student"] for row in rows}), (time.monotonic() - start) / 60
    for row in rows:
        print(f"{row['student']:>12}  {row['notebook']:<18} {row['score']:4g} / {row['max_score']:g}  {row['note']}")
    print(f"scores per student and notebook: {course / 'scores.csv'}\nnbgrader's grades per student: {course / 'grades.csv'}\n"
          f"feedback: {course / 'feedback'}/<student>/{ASSIGNMENT}/*.html\n"
          f"{students} students in {minutes:.1f} min with --jobs {args.jobs}: {students / minutes:.1f} students per minute")


if __name__ == "__main__":
    main()
