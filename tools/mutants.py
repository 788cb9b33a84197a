"""How many wrong answers each exercise's visible check catches: mutation testing of the solutions.

    python tools/mutants.py [GRADE_ID ...] [--escaped]

Each solution in notebooks/ is changed in one small way at a time, in the lines between its BEGIN and END
SOLUTION markers: an operator swapped, operands swapped, a transpose dropped or added, a number off by one,
a sum for a mean, the other axis, an index one layer off, a sign flipped, a variable for another, a line
left out. A mutant that the grader's cases (two seeds of their own) still accept is an equivalent answer and
is not counted. Of the others, the wrong answers, the visible check (`lecture7.check_answer`, seed 0) must
catch as many as possible; "named" counts those whose message says which known mistake it looks like.
--escaped lists the wrong answers the visible check let through.
"""
import argparse
import ast
import contextlib
import copy
import io
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import numpy as np

from lecture7.exercises import EXERCISES, call, passed, verdict

ROOT = Path(__file__).resolve().parent.parent
GRADER_SEEDS = (101, 202)
SECONDS = 20   # a mutant that runs longer is stopped and counted as caught (the learner sees it hang)
BINOPS = {ast.Add: [ast.Sub, ast.Mult], ast.Sub: [ast.Add], ast.Mult: [ast.Add, ast.Div], ast.Div: [ast.Mult],
          ast.MatMult: [ast.Mult], ast.Pow: [ast.Mult]}
NOT_COMMUTATIVE = (ast.Sub, ast.Div, ast.MatMult, ast.Pow)
CALLS = {"sum": ["mean"], "mean": ["sum"], "outer": ["dot", "multiply"], "dot": ["outer", "multiply"], "exp": ["log"],
         "log": ["exp"], "cos": ["sin"], "sin": ["cos"], "tanh": ["sigmoid"], "sigmoid": ["tanh"], "maximum": ["minimum"],
         "reversed": [], "abs": []}
COMPARE = {ast.Gt: ast.Lt, ast.Lt: ast.Gt, ast.GtE: ast.Gt, ast.LtE: ast.Lt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}


@dataclass
class Tally:
    wrong: int = 0
    caught: int = 0
    named: int = 0
    equivalent: int = 0
    escaped: list = field(default_factory=list)

    @property
    def fraction(self):
        return self.caught / self.wrong if self.wrong else 1.0


def solution_cells(grade_id):
    """(setup source, solution cell source) of an exercise in its source notebook."""
    exercise = EXERCISES[grade_id]
    cells = nbformat.read(ROOT / "notebooks" / f"{exercise.notebook}.ipynb", as_version=4).cells
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in cells if c.cell_type == "code"}
    return by_id["setup"], by_id[grade_id]


def region(source):
    """The line numbers (1-based) strictly between the BEGIN and END SOLUTION markers."""
    lines = source.splitlines()
    begin = next(i for i, line in enumerate(lines, 1) if "### BEGIN SOLUTION" in line)
    end = next(i for i, line in enumerate(lines, 1) if "### END SOLUTION" in line)
    return range(begin + 1, end)


def mutants(source):
    """Every one-change mutant of the solution region, as source text (deduplicated)."""
    tree = ast.parse(source)
    lines = region(source)
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.lineno in lines}
    names |= {a.arg for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) for a in f.args.args}
    modules = {"np", "lecture7", "math", "range", "len", "zip", "reversed", "enumerate", "float", "int", "list", "sum",
               "abs", "max", "min", "None", "print", "isinstance", "tuple", "dict"}
    variables = sorted(names - modules)
    seen, out = {ast.unparse(tree)}, []
    count = sum(1 for _ in ast.walk(tree))
    for index in range(count):
        node = _nth(tree, index)
        if getattr(node, "lineno", None) not in lines:
            continue
        for change in _changes(node, variables):
            mutant = copy.deepcopy(tree)
            target = _nth(mutant, index)
            if _apply(mutant, target, change):
                text = ast.unparse(ast.fix_missing_locations(mutant))
                if text not in seen:
                    seen.add(text)
                    out.append((_describe(node, change), text))
    return out


def _nth(tree, index):
    for i, node in enumerate(ast.walk(tree)):
        if i == index:
            return node


def _changes(node, variables):
    if isinstance(node, ast.BinOp):
        yield from (("op", op) for op in BINOPS.get(type(node.op), []))
        if isinstance(node.op, NOT_COMMUTATIVE):
            yield ("swap",)
        if isinstance(node.op, ast.MatMult):
            yield ("transpose", "left")
            yield ("transpose", "right")
    elif isinstance(node, ast.Attribute) and node.attr == "T":
        yield ("drop T",)
    elif isinstance(node, ast.Attribute) and node.attr in CALLS:
        yield from (("rename", other) for other in CALLS[node.attr])
    elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
        if node.id in CALLS:
            yield from (("rename", other) for other in CALLS[node.id])
        yield from (("name", other) for other in variables if other != node.id)
    elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        for value in {node.value + 1, node.value - 1, 0, -node.value, 2 * node.value} - {node.value}:
            yield ("constant", value)
    elif isinstance(node, ast.keyword) and node.arg == "axis":
        yield ("axis",)
        yield ("no axis",)
    elif isinstance(node, ast.Subscript) and not isinstance(node.slice, ast.Slice):
        yield ("index", 1)
        yield ("index", -1)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        yield ("drop minus",)
    elif isinstance(node, ast.Return) and node.value is not None:
        yield ("negate",)
        if isinstance(node.value, ast.Tuple) and len(node.value.elts) == 2:
            yield ("swap returned",)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "reversed":
        yield ("not reversed",)
    elif isinstance(node, ast.Compare) and type(node.ops[0]) in COMPARE:
        yield ("compare",)
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.Expr)) and not isinstance(getattr(node, "value", None), ast.Constant):
        yield ("delete",)


def _apply(tree, node, change):
    kind = change[0]
    if kind == "op":
        node.op = change[1]()
    elif kind == "swap":
        node.left, node.right = node.right, node.left
    elif kind == "transpose":
        side = "left" if change[1] == "left" else "right"
        setattr(node, side, ast.Attribute(value=getattr(node, side), attr="T", ctx=ast.Load()))
    elif kind == "drop T":
        return _replace(tree, node, node.value)
    elif kind == "rename":
        if isinstance(node, ast.Attribute):
            node.attr = change[1]
        else:
            node.id = change[1]
    elif kind == "name":
        node.id = change[1]
    elif kind == "constant":
        node.value = change[1]
    elif kind == "axis":
        if not isinstance(node.value, ast.Constant):
            return False
        node.value = ast.Constant(1 - node.value.value if node.value.value in (0, 1) else 0)
    elif kind == "no axis":
        return _remove_keyword(tree, node)
    elif kind == "index":
        node.slice = ast.BinOp(left=node.slice, op=ast.Add(), right=ast.Constant(change[1]))
    elif kind == "drop minus":
        return _replace(tree, node, node.operand)
    elif kind == "negate":
        node.value = ast.UnaryOp(op=ast.USub(), operand=node.value)
    elif kind == "swap returned":
        node.value.elts.reverse()
    elif kind == "not reversed":
        return _replace(tree, node, node.args[0])
    elif kind == "compare":
        node.ops = [COMPARE[type(node.ops[0])]()]
    elif kind == "delete":
        return _remove_statement(tree, node)
    return True


def _replace(tree, old, new):
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, name, new)
                return True
            if isinstance(value, list) and any(v is old for v in value):
                value[[i for i, v in enumerate(value) if v is old][0]] = new
                return True
    return False


def _remove_keyword(tree, keyword):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and any(k is keyword for k in node.keywords):
            node.keywords = [k for k in node.keywords if k is not keyword]
            return True
    return False


def _remove_statement(tree, statement):
    for parent in ast.walk(tree):
        for name in ("body", "orelse"):
            body = getattr(parent, name, None)
            if isinstance(body, list) and any(s is statement for s in body):
                rest = [s for s in body if s is not statement]
                setattr(parent, name, rest or [ast.Pass()])
                return True
    return False


def _describe(node, change):
    where = ast.unparse(node) if not isinstance(node, ast.keyword) else f"{node.arg}={ast.unparse(node.value)}"
    return f"line {getattr(node, 'lineno', '?')}: {' '.join(str(c) if not isinstance(c, type) else c.__name__ for c in change)} in `{where[:60]}`"


class Slow(BaseException):
    pass


@contextlib.contextmanager
def limit(seconds):
    def stop(*_):
        raise Slow()
    signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def define(setup, source, grade_id):
    """Exercise `grade_id`'s function, defined by running the setup cell and `source` (their prints swallowed)
    after the names the exercise is given when its cell runs alone."""
    exercise = EXERCISES[grade_id]
    namespace = {"__name__": "__main__", **(exercise.given() if exercise.given else {})}
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        exec(compile(setup, "<setup>", "exec"), namespace)
        exec(compile(source, "<mutant>", "exec"), namespace)
    return namespace[exercise.function]


def solution(grade_id):
    """Exercise `grade_id`'s function as the solution in its source notebook defines it."""
    return define(*solution_cells(grade_id), grade_id)


def accepted(grade_id, function):
    """True when the grader's cases, with seeds of their own, all accept `function`."""
    exercise = EXERCISES[grade_id]
    for seed in GRADER_SEEDS:
        for case in exercise.cases(np.random.default_rng(seed)):
            with contextlib.redirect_stdout(io.StringIO()), np.errstate(all="ignore"):
                got = call(exercise, function, case)
            if got is ... or verdict(case, got):
                return False
    return True


def tally(grade_id):
    """The Tally of one exercise's mutants."""
    setup, source = solution_cells(grade_id)
    result = Tally()
    for description, text in mutants(source):
        try:
            function = define(setup, text, grade_id)
        except Exception:
            continue   # not a program: no learner would hand it in
        try:
            with limit(SECONDS):
                if accepted(grade_id, function):
                    result.equivalent += 1
                    continue
        except (Slow, Exception):
            pass   # a mutant that hangs or crashes on the grader's cases is wrong: the visible check below decides
        result.wrong += 1
        try:
            with limit(SECONDS), contextlib.redirect_stdout(io.StringIO()), np.errstate(all="ignore"):
                ok = passed(grade_id, function)
        except Slow:
            ok, message = False, ""
        except Exception as error:
            ok, message = False, str(error)
        else:
            message = ""
        if ok:
            result.escaped.append(description)
        else:
            result.caught += 1
            result.named += "this is what you get" in message
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("grade_ids", nargs="*", default=list(EXERCISES))
    parser.add_argument("--escaped", action="store_true", help="list the wrong answers the visible check lets through")
    args = parser.parse_args(argv)
    total = Tally()
    print(f"{'exercise':26} {'wrong':>5} {'caught':>6} {'named':>5} {'equivalent':>10}  fraction")
    for grade_id in args.grade_ids:
        t = tally(grade_id)
        print(f"{grade_id:26} {t.wrong:5} {t.caught:6} {t.named:5} {t.equivalent:10}  {t.fraction:.0%}")
        if args.escaped:
            for description in t.escaped:
                print(f"    escaped: {description}")
        total.wrong, total.caught, total.named = total.wrong + t.wrong, total.caught + t.caught, total.named + t.named
    print(f"{'all':26} {total.wrong:5} {total.caught:6} {total.named:5} {'':10}  {total.fraction:.0%}")


if __name__ == "__main__":
    sys.exit(main())
