"""The graded exercises, decided outside the student's kernel: run each function on the grader's inputs, compare outside.

For each exercise (an nbgrader grade_id) lecture7.exercises.EXERCISES holds the notebook, the function the student
writes, its points, the cases (inputs built from lecture7 and a seeded generator, each with its right answer) and the
names of the package's own implementation that the exercise asks the student to write themselves. The visible
check in the notebook runs the same cases with seed 0; the grader uses a seed of its own.

    python exercises.py OUT_FOLDER < job.json      (inside the sandbox: tools/sandbox.py; the grader's side is below)

The job is {"grade_id", "preamble" (the release's setup cell), "source" (the student's solution cell), "seed", "timeout"}.
The run builds the cases before any student code runs, runs the preamble and the cell, calls the function on
each case's arguments and writes plain numbers to OUT_FOLDER/results.json; the grader computes the expected
values itself and compares (`score`). A cell that tampers (`tampering`) gets no points whatever it returns.
"""
import ast
import builtins
import json
import signal
import sys
from pathlib import Path
from types import SimpleNamespace

from lecture7.exercises import EXERCISES, call, diagnosis, verdict   # the exercises: each one's cases, points and mistakes

RESULTS = "results.json"
RESULTS_BYTES = 2**20   # the grader reads no more of a run's results than this

# Names whose use in a solution cell is tampering or an escape, whatever the exercise: changing what other
# code sees (setattr, globals), running code the scan cannot read (eval, exec, __import__), reaching objects
# by name (getattr, vars), files and processes (open), and every dunder (__dict__, __class__, __builtins__, …).
ESCAPES = {"setattr", "delattr", "getattr", "globals", "locals", "vars", "eval", "exec", "compile", "__import__",
           "open", "breakpoint", "input", "memoryview", "help", "get_ipython", "exit", "quit"}
MUTATORS = {"update", "clear", "pop", "popitem", "setdefault", "append", "extend", "insert", "remove", "sort",
            "reverse", "fill", "put", "itemset", "resize", "setflags", "copyto"}
IMPORTABLE = {"numpy", "math", "warnings"}
NO_EXERCISE = SimpleNamespace(reference=frozenset())   # for a cell outside the exercises: no reference to avoid


# ---- inside the sandbox ----------------------------------------------------------------------------------

def plain(value):
    """Numbers as JSON: nested lists of floats (a tuple or list of arrays stays a list of them)."""
    import numpy as np

    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return np.asarray(value, dtype=float).tolist()


def run_job(job, out):
    """Build the cases, run the preamble and the student's cell, call the function on each case; write the results."""
    import numpy as np

    exercise = EXERCISES[job["grade_id"]]
    cases = exercise.cases(np.random.default_rng(job["seed"]))   # before any student code runs
    results = {"grade_id": job["grade_id"]}
    # the notebook's earlier answers this cell builds on, in the package's version: each exercise is graded on its own
    namespace = {"__name__": "__main__", **(exercise.given() if exercise.given else {})}
    exec(compile(job["preamble"], "<setup cell>", "exec"), namespace)

    def stop(*_):
        raise Stopped(f"ran longer than {job['timeout']} s")

    signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, job["timeout"])   # the student's cell and calls only, not the imports
    try:
        exec(compile(job["source"], "<solution cell>", "exec"), namespace)
        function = namespace[exercise.function]
        results["results"] = []
        for case in cases:
            try:
                value = call(exercise, function, case)
                results["results"].append({"not_done": True} if value is ... else {"value": plain(value)})
            except Stopped:
                raise
            except Exception as error:
                results["results"].append({"error": f"{type(error).__name__}: {error}"[:300]})
    except Stopped as stopped:
        results = {"grade_id": job["grade_id"], "stopped": str(stopped)}
    except BaseException as error:   # the cell itself raised (NotImplementedError of an untouched stub, …)
        results = {"grade_id": job["grade_id"], "error": f"the cell raised {type(error).__name__}: {error}"[:300]}
    signal.setitimer(signal.ITIMER_REAL, 0)
    Path(out, RESULTS).write_text(json.dumps(results))


class Stopped(BaseException):
    """The run's time is up (a BaseException, so that a student's `except Exception` does not swallow it)."""


# ---- the grader's side --------------------------------------------------------------------------------------

def tampering(source, exercise, setup_names):
    """What in a solution cell's source tampers, escapes the scan or calls the package's own answer (sorted findings)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []   # a cell that does not parse earns nothing anyway
    found = set()
    shared = set(setup_names) | set(dir(builtins))   # names every other cell sees
    in_functions = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.Lambda)) for n in ast.walk(f)}
    local = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    local |= {a.arg for n in ast.walk(tree) if isinstance(n, ast.arguments) for a in [*n.args, *n.kwonlyargs, *n.posonlyargs]}
    local -= shared

    def root(node):
        while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
            node = node.func if isinstance(node, ast.Call) else node.value
        return node.id if isinstance(node, ast.Name) else None

    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found |= {f"imports {m}" for m in modules if m.split(".")[0] not in IMPORTABLE}
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            found.add(f"declares {', '.join(node.names)} global")
        elif isinstance(node, ast.Name):
            if node.id in ESCAPES or node.id.startswith("__"):
                found.add(f"uses {node.id}")
            elif isinstance(node.ctx, (ast.Store, ast.Del)) and node.id in shared and id(node) not in in_functions:
                found.add(f"rebinds {node.id}, which the notebook's other cells use")
            if node.id in exercise.reference:
                found.add(f"uses the package's {node.id}")
        elif isinstance(node, ast.Attribute):
            if node.attr.startswith("__"):
                found.add(f"uses .{node.attr}")
            if node.attr in exercise.reference:
                found.add(f"uses the package's .{node.attr}")
            if isinstance(node.ctx, (ast.Store, ast.Del)) and root(node) not in local:
                found.add(f"changes {ast.unparse(node)}")
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del)) and root(node) not in local:
            found.add(f"changes {ast.unparse(node)}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS \
                and root(node.func) not in local:
            found.add(f"calls {ast.unparse(node.func)}")
    return sorted(found)


def score(exercise, seed, results):
    """(passed, note) for a run's results against the values the grader computes itself with its own lecture7."""
    import numpy as np

    if "stopped" in results:
        return False, f"stopped: {results['stopped']}"
    if "error" in results:
        return False, results["error"]
    cases = exercise.cases(np.random.default_rng(seed))
    if len(results.get("results", [])) != len(cases):
        return False, "the run returned no result for some of the cases"
    for case, got in zip(cases, results["results"]):
        if "error" in got:
            return False, f"{case.label}: raised {got['error']}"
        if got.get("not_done"):
            return False, f"{case.label}: not done (the function returns `...`)"
        why = verdict(case, got["value"])
        if why:
            return False, f"{case.label}: {why}{diagnosis(exercise, case, got['value'])}"
    return True, ""


if __name__ == "__main__":
    run_job(json.load(sys.stdin), sys.argv[1])
