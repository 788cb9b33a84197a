"""The graded exercises, decided outside the student's kernel: run each function on the grader's inputs, compare outside.

For each exercise (an nbgrader grade_id) EXERCISES holds the notebook, the function the student writes, the
cases (inputs built from lecture7 and a seeded generator, each with the expected value as a thunk) and the
names of the package's own implementation that the exercise asks the student to write themselves.

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
from dataclasses import dataclass
from pathlib import Path

ATOL = 1e-6   # lecture7.check's default tolerance
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
BACKWARD = frozenset({"backward", "numerical_gradient", "gradient_check", "backward_per_layer", "backward_per_neuron",
                      "neuron_delta", "neuron_gradient", "ACTIVATIONS", "OUTPUT_ACTIVATIONS", "COSTS", "get_activation",
                      "get_cost", "df", "bugs", "work"})
FORWARD = frozenset({"forward", "predict", "forward_per_layer", "forward_per_neuron", "neuron_z", "loss", "_run", "work"})


@dataclass(frozen=True)
class Exercise:
    notebook: str
    function: str
    cases: object          # (lecture7, numpy, rng) → [(label, args, expected thunk)]
    reference: frozenset   # names of the package's own answer to this exercise


def _lecture(l7):
    net = l7.lecture_network()
    trace = net.forward(l7.LECTURE_INPUT)
    return net, trace, net.backward(trace, [1.0, 0.0], "squared_error")


def _random_net(l7, np, rng, sizes=(3, 5, 4, 2)):
    net = l7.Network(list(sizes), activation="sigmoid", output_activation="sigmoid", seed=int(rng.integers(1000)))
    trace = net.forward(rng.normal(size=sizes[0]))
    y_hat = rng.uniform(0, 1, size=sizes[-1])
    return net, trace, y_hat, net.backward(trace, y_hat, "squared_error")


def _networks(l7, np, rng):
    """The lecture network on its input and target, and a 3-5-4-2 network drawn from rng."""
    net, trace, grads = _lecture(l7)
    other, other_trace, y_hat, other_grads = _random_net(l7, np, rng)
    return [("the lecture network", net, trace, np.array([1.0, 0.0]), grads),
            ("a 3-5-4-2 network", other, other_trace, y_hat, other_grads)]


def gradient_descent_step(l7, np, rng):
    eta = float(rng.uniform(0.05, 2.0))
    cases = []
    for name, net, trace, y_hat, grads in _networks(l7, np, rng):
        for l in range(len(net.weights)):
            theta, grad = net.weights[l].copy(), grads.dW[l]
            cases.append((f"W{l + 1} of {name}, η = {eta:.3f}", (theta, grad, eta), lambda t=theta, g=grad: t - eta * g))
    return cases


def chain_rule_case1(l7, np, rng):
    from lecture7 import widgets
    return [(f"dz_dx({x:.3f})", (x,), lambda x=x: widgets.chain_rule_example(1, x).dz_dx)
            for x in [0.8, *map(float, rng.uniform(-3, 3, 4))]]


def chain_rule_case2(l7, np, rng):
    from lecture7 import widgets
    return [(f"dz_ds({s:.3f})", (s,), lambda s=s: widgets.chain_rule_example(2, s).dz_ds)
            for s in [0.8, *map(float, rng.uniform(-3, 3, 4))]]


def neuron_forward(l7, np, rng):
    cases = []
    for name, net, trace, _, _ in _networks(l7, np, rng):
        for l, W in enumerate(net.weights):
            i = int(rng.integers(len(W)))
            x, w, b = trace.a[l], W[i], float(net.biases[l][i])
            cases.append((f"neuron {i + 1} of layer {l + 1}, {name}", (x, w, b), lambda l=l, i=i, t=trace: (t.z[l][i], t.a[l + 1][i])))
    return cases


def neuron_dC_dw(l7, np, rng):
    cases = []
    for name, net, trace, _, grads in _networks(l7, np, rng):
        for l, W in enumerate(net.weights):
            i = int(rng.integers(len(W)))
            args = (trace.a[l], float(grads.delta[l][i]))
            cases.append((f"neuron {i + 1} of layer {l + 1}, {name}", args, lambda l=l, i=i, g=grads: g.dW[l][i]))
    return cases


def forward_pass(l7, np, rng):
    return [(name, (net, trace.a[0]), lambda t=trace: t.a[-1]) for name, net, trace, _, _ in _networks(l7, np, rng)]


def output_delta(l7, np, rng):
    return [(f"{name}, ŷ = {np.round(y_hat, 3)}", (trace.a[-1], y_hat), lambda g=grads: g.delta[-1])
            for name, net, trace, y_hat, grads in _networks(l7, np, rng)]


def hidden_delta(l7, np, rng):
    return [(f"layer {l + 1} of {name}", (trace.a[l + 1], net.weights[l + 1], grads.delta[l + 1]), lambda l=l, g=grads: g.delta[l])
            for name, net, trace, _, grads in _networks(l7, np, rng) for l in range(len(net.weights) - 1)]


def layer_gradient(l7, np, rng):
    return [(f"layer {l + 1} of {name}", (trace.a[l], grads.delta[l]), lambda l=l, g=grads: (g.dW[l], g.db[l]))
            for name, net, trace, _, grads in _networks(l7, np, rng) for l in range(len(net.weights))]


def backward_pass(l7, np, rng):
    return [(name, (net, trace, y_hat), lambda g=grads: (g.dW, g.db)) for name, net, trace, y_hat, grads in _networks(l7, np, rng)]


def softmax_delta(l7, np, rng):
    cases = []
    for sizes, activation in (((2, 3, 3), "sigmoid"), ((4, 5, 6), "tanh")):
        net = l7.Network(list(sizes), activation=activation, output_activation="softmax", seed=int(rng.integers(1000)))
        out = net.forward(rng.normal(size=sizes[0]))
        for k in rng.choice(sizes[-1], size=2, replace=False):
            target = np.eye(sizes[-1])[k]
            cases.append((f"class {k + 1} of {sizes[-1]}", (out.a[-1], target),
                          lambda n=net, o=out, t=target: n.backward(o, t, "cross_entropy").delta[-1]))
    return cases


def learning_rate_for_mean(l7, np, rng):
    # train's step on the summed loss is η·Σ∇C; the mean loss's gradient is Σ∇C / N, so the same step needs η·N
    return [(f"η = {eta:.4g}, N = {n}", (eta, n), lambda eta=eta, n=n: eta * n)
            for eta, n in zip(map(float, rng.uniform(1e-4, 0.5, 4)), map(int, rng.integers(1, 1000, 4)))]


def tanh_prime(l7, np, rng):
    tanh = l7.ACTIVATIONS["tanh"]
    zs = [np.array([-2.0, -0.5, 0.0, 0.5, 1.0, 2.0]), rng.uniform(-4, 4, 9), float(rng.uniform(-3, 3))]
    return [(f"tanh_prime at {np.round(z, 3)}", (z,), lambda z=z: tanh.df(z, np.tanh(z))) for z in zs]


def multiply_gate(l7, np, rng):
    from lecture7 import graph

    def expected(x, y, upstream):
        x_node, y_node = graph.Value(x), graph.Value(y)
        (x_node * y_node).backward(upstream)
        return x_node.grad, y_node.grad

    triples = [(3.0, -2.0, 0.5), *(tuple(map(float, rng.uniform(-5, 5, 3))) for _ in range(3))]
    return [(f"multiply_gate{tuple(round(v, 3) for v in t)}", t, lambda t=t: expected(*t)) for t in triples]


EXERCISES = {
    "gradient_descent_step": Exercise("01_chain_rule", "gradient_descent_step", gradient_descent_step, frozenset({"train"})),
    "chain_rule_case1": Exercise("01_chain_rule", "dz_dx", chain_rule_case1,
                                 frozenset({"chain_rule_case1", "chain_rule_example", "central_difference", "widgets"})),
    "chain_rule_case2": Exercise("01_chain_rule", "dz_ds", chain_rule_case2,
                                 frozenset({"chain_rule_case2", "chain_rule_example", "central_difference", "widgets"})),
    "neuron_forward": Exercise("02_forward_pass", "neuron_forward", neuron_forward, FORWARD | {"neuron_gradient"}),
    "neuron_dC_dw": Exercise("02_forward_pass", "neuron_dC_dw", neuron_dC_dw, BACKWARD),
    "forward_pass": Exercise("02_forward_pass", "forward_pass", forward_pass, FORWARD),
    "output_delta": Exercise("03_backward_pass", "output_delta", output_delta, BACKWARD),
    "hidden_delta": Exercise("03_backward_pass", "hidden_delta", hidden_delta, BACKWARD),
    "layer_gradient": Exercise("04_summary", "layer_gradient", layer_gradient, BACKWARD),
    "backward_pass": Exercise("04_summary", "backward_pass", backward_pass, BACKWARD),
    "softmax_delta": Exercise("05_checking_and_training", "softmax_delta", softmax_delta, BACKWARD),
    "learning_rate_for_mean": Exercise("05_checking_and_training", "learning_rate_for_mean", learning_rate_for_mean,
                                       frozenset({"train"})),
    "tanh_prime": Exercise("06_beyond_the_lecture", "tanh_prime", tanh_prime,
                           frozenset({"ACTIVATIONS", "get_activation", "df", "central_difference", "vanishing"})),
    "multiply_gate": Exercise("06_beyond_the_lecture", "multiply_gate", multiply_gate, frozenset({"graph", "Value", "backward", "grad"})),
}
NO_EXERCISE = Exercise("", "", None, frozenset())   # for a cell outside the exercises: no reference to avoid


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
    import lecture7

    exercise = EXERCISES[job["grade_id"]]
    cases = exercise.cases(lecture7, np, np.random.default_rng(job["seed"]))   # before any student code runs
    results = {"grade_id": job["grade_id"]}
    namespace = {"__name__": "__main__"}
    exec(compile(job["preamble"], "<setup cell>", "exec"), namespace)

    def stop(*_):
        raise Stopped(f"ran longer than {job['timeout']} s")

    signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, job["timeout"])   # the student's cell and calls only, not the imports
    try:
        exec(compile(job["source"], "<solution cell>", "exec"), namespace)
        function = namespace[exercise.function]
        results["results"] = []
        for _, args, _ in cases:
            try:
                results["results"].append({"value": plain(function(*args))})
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
    import lecture7

    if "stopped" in results:
        return False, f"stopped: {results['stopped']}"
    if "error" in results:
        return False, results["error"]
    cases = exercise.cases(lecture7, np, np.random.default_rng(seed))
    if len(results.get("results", [])) != len(cases):
        return False, "the run returned no result for some of the cases"
    for (label, _, expected), got in zip(cases, results["results"]):
        if "error" in got:
            return False, f"{label}: raised {got['error']}"
        mismatch = _compare(got["value"], plain(expected()))
        if mismatch:
            return False, f"{label}: {mismatch}"
    return True, ""


def _compare(got, expected):
    """Why plain numbers `got` differ from `expected` (None when they match within ATOL)."""
    import numpy as np

    if isinstance(expected, list) and expected and isinstance(expected[0], list) and not _rectangular(expected):
        if not isinstance(got, list) or len(got) != len(expected):
            return f"expected {len(expected)} arrays, got {_shape(got)}"
        return next(filter(None, (_compare(g, e) for g, e in zip(got, expected))), None)
    try:
        got_array, expected_array = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return f"expected shape {np.shape(expected)}, got {_shape(got)}"
    if got_array.shape != expected_array.shape:
        return f"expected shape {expected_array.shape}, got shape {got_array.shape}"
    if not np.allclose(got_array, expected_array, rtol=0, atol=ATOL):
        return f"expected {np.round(expected_array, 4).tolist()}, got {np.round(got_array, 4).tolist()}"
    return None


def _rectangular(value):
    import numpy as np

    try:
        np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return True


def _shape(value):
    return f"a list of {len(value)}" if isinstance(value, list) else repr(value)[:60]


if __name__ == "__main__":
    run_job(json.load(sys.stdin), sys.argv[1])
