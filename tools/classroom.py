"""The series as a classroom assignment, with nbgrader: release it to students, grade what they hand in.

    python tools/classroom.py release [--course DIR]
    python tools/classroom.py grade [--course DIR] [--submitted DIR] [--timeout SECONDS]

The course folder (default build/classroom) has nbgrader's layout:
  source/lecture7/          the four notebooks of notebooks/, with their solutions (copied by `release`)
  release/lecture7/         the student version: solutions replaced by `raise NotImplementedError()`, hidden tests removed
  submitted/<student>/lecture7/   the submissions (copied by `grade` from --submitted, in the same layout)
  autograded/, feedback/    what grading writes: the executed submissions, and one HTML page per notebook and student
  gradebook.db              nbgrader's database of the assignment and every score
  grades.csv                nbgrader's export: one row per student
  scores.csv                one row per student and notebook
"""
import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "lecture7"
COURSE_ID = "lecture7"
SERIES = sorted((ROOT / "notebooks").glob("0[1-9]_*.ipynb"))
# A deleted test cell is put back and run, so deleting a test never earns its points or leaves a
# score to grade by hand. Read by every nbgrader command run in the course folder.
CONFIG = f"""c = get_config()
c.CourseDirectory.course_id = "{COURSE_ID}"
c.OverwriteCells.add_missing_cells = True
"""
# nbgrader's autograde names each submission it could not process in this line of its log
FAILED = re.compile(rf"There was an error processing assignment: .*[/\\]submitted[/\\](?P<student>[^/\\]+)[/\\]{ASSIGNMENT}")


def nbgrader(course, *args):
    """Run an nbgrader command in the course folder; return its log (nbgrader logs to stderr)."""
    # nbgrader calls the `alembic` command of its own environment to set up the gradebook
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env, capture_output=True, text=True)
    return run.returncode, run.stdout + run.stderr


def release(course):
    """Copy the series into source/ and generate the student version in release/; return its folder."""
    course.mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text(CONFIG)
    source = course / "source" / ASSIGNMENT
    shutil.rmtree(source, ignore_errors=True)
    source.mkdir(parents=True)
    for notebook in SERIES:
        shutil.copy(notebook, source)
    code, log = nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    if code != 0:
        raise SystemExit(f"nbgrader generate_assignment failed:\n{log}")
    return course / "release" / ASSIGNMENT


def grade(course, submitted, timeout):
    """Autograde every submission in `submitted`, export the scores, write feedback; return the rows of scores.csv."""
    if not (course / "gradebook.db").exists() or not (course / "release" / ASSIGNMENT).is_dir():
        raise SystemExit(f"{course} has no released assignment: run `make assignments` (tools/classroom.py release) first")
    if submitted.resolve() == (course / "submitted").resolve():
        raise SystemExit(f"{submitted} is the course's own submitted/ folder, which grading empties and refills: "
                         "keep the submissions in another folder")
    students = sorted(p.parent.name for p in submitted.glob(f"*/{ASSIGNMENT}") if p.is_dir())
    if not students:
        raise SystemExit(f"no submissions in {submitted}: expected folders {submitted}/<student>/{ASSIGNMENT}/ holding the notebooks")
    for folder in ("submitted", "autograded", "feedback"):
        shutil.rmtree(course / folder, ignore_errors=True)
    for student in students:
        shutil.copytree(submitted / student / ASSIGNMENT, course / "submitted" / student / ASSIGNMENT)

    code, log = nbgrader(course, "autograde", ASSIGNMENT, "--create", "--force", f"--Execute.timeout={timeout}")
    (course / "autograde.log").write_text(log)
    failed = sorted(set(FAILED.findall(log)))
    if code != 0 and not failed:   # an error that is not one student's submission: the course itself is broken
        raise SystemExit(f"nbgrader autograde failed:\n{log}")
    for command in (["generate_feedback", ASSIGNMENT, "--force"], ["export", "--to", "grades.csv"]):
        code, log = nbgrader(course, *command)
        if code != 0:
            raise SystemExit(f"nbgrader {command[0]} failed:\n{log}")
    rows = scores(course, students, failed)
    with open(course / "scores.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def scores(course, students, failed):
    """One row per student and notebook, from the gradebook."""
    from nbgrader.api import Gradebook

    rows = []
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
        for student in students:
            folder = course / "submitted" / student / ASSIGNMENT
            notebooks = sorted(gradebook.find_submission(ASSIGNMENT, student).notebooks, key=lambda nb: nb.name)
            files, names = sorted(folder.glob("*.ipynb")), {nb.name for nb in notebooks}
            # nbgrader skips a notebook under another name (a renamed copy, say) with only a warning in its log
            unknown = ", ".join(p.name for p in files if p.stem not in names)
            for notebook in notebooks:
                if not (folder / f"{notebook.name}.ipynb").exists():
                    note = "not submitted" + (f" (not graded under another name: {unknown})" if unknown else "")
                elif student in failed:   # nbgrader grades a student's notebooks together or not at all
                    unreadable = ", ".join(p.name for p in files if not readable(p)) or "see autograde.log"
                    note = f"not graded: nbgrader could not process the submission ({unreadable})"
                else:
                    note = ""
                rows.append({"student": student, "notebook": notebook.name, "score": notebook.score,
                             "max_score": notebook.max_score, "needs_manual_grade": notebook.needs_manual_grade, "note": note})
    return rows


def readable(path):
    """Whether `path` is a notebook nbformat can read (a truncated or hand-edited file is not)."""
    import nbformat

    try:
        nbformat.read(path, as_version=4)
    except Exception:   # nbformat raises NotJSONError, ValidationError, UnicodeDecodeError, …; any means unreadable
        return False
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["release", "grade"])
    parser.add_argument("--course", type=Path, default=ROOT / "build" / "classroom", help="nbgrader's course folder")
    parser.add_argument("--submitted", type=Path, default=ROOT / "tests" / "classroom" / "submitted",
                        help="submissions as <student>/lecture7/*.ipynb (default: the made-up ones of the tests)")
    parser.add_argument("--timeout", type=int, default=30, help="seconds a cell may run before grading stops it")
    args = parser.parse_args(argv)
    if args.timeout < 1:
        parser.error(f"--timeout must be at least 1 second; got {args.timeout}")
    course = args.course.resolve()
    if args.command == "release":
        print(f"student version: {release(course)}")
        return
    rows = grade(course, args.submitted.resolve(), args.timeout)
    for row in rows:
        print(f"{row['student']:>12}  {row['notebook']:<18} {row['score']:4g} / {row['max_score']:g}  {row['note']}")
    print(f"scores per student and notebook: {course / 'scores.csv'}\nnbgrader's grades per student: {course / 'grades.csv'}\n"
          f"feedback: {course / 'feedback'}/<student>/{ASSIGNMENT}/*.html")


if __name__ == "__main__":
    main()
