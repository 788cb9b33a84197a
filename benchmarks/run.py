"""How fast lecture7 is, beside PyTorch and scikit-learn: every figure of issue 6 as a markdown table.

    make bench                                       # one thread, bench extra installed; writes build/bench.md
    python benchmarks/run.py [--out build/bench.md]

Every time is a median over REPEATS repeats; a repeat loops the call until it lasts at least
MIN_SECONDS. The sides of a ratio, and the references timed with them, are timed in this one
process with their repeats interleaved (a, b, a, b, …), so that all see the same state of the machine. Times are the CPU time
of this process (time.process_time): everything runs on one thread, and on a shared machine wall
time would also count whatever else runs there.
"""
import argparse
import os
import platform
import statistics
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sklearn
import torch
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from threadpoolctl import threadpool_info, threadpool_limits

import lecture7
from lecture7.training import _step  # (the step that lecture7.train takes per minibatch)

REPEATS = 5
MIN_SECONDS = 0.02
ROOT = Path(__file__).resolve().parent.parent
TORCH_DTYPES = {np.float64: torch.float64, np.float32: torch.float32}


# --- timing ---------------------------------------------------------------------------------

def _seconds(fn, loops):
    start = time.process_time()
    for _ in range(loops):
        fn()
    return time.process_time() - start


def _loops_for(fn, min_seconds):
    """How many calls of fn in a row last at least min_seconds (the first calls warm up)."""
    loops = 1
    while (took := _seconds(fn, loops)) < min_seconds:
        loops = max(2 * loops, int(1.2 * loops * min_seconds / max(took, 1e-9)))
    return loops


def median_times(*fns, repeats=REPEATS, min_seconds=MIN_SECONDS):
    """Median seconds per call of each fn, over `repeats` repeats interleaved across the fns."""
    loops = [_loops_for(fn, min_seconds) for fn in fns]
    samples = [[] for _ in fns]
    for _ in range(repeats):
        for fn, n, times in zip(fns, loops, samples):
            times.append(_seconds(fn, n) / n)
    return [statistics.median(times) for times in samples]


def show(seconds):
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


@dataclass
class Row:
    figure: str
    value: float
    target: str        # "≤ 0.25", "≥ 0.8", or "reported"
    detail: str        # the measurements the value comes from
    why_not: str = ""  # what the table says when the value misses its target

    @property
    def on_target(self):
        if self.target == "reported":
            return None
        op, bound = self.target.split()
        return self.value <= float(bound) if op == "≤" else self.value >= float(bound)


# --- the networks ---------------------------------------------------------------------------

def mnist_batch(batch, dtype, seed=0):
    """A batch shaped like MNIST: pixels in [0, 1), one-hot targets over 10 classes, and the labels."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, batch)
    return rng.random((batch, 784)).astype(dtype), lecture7.one_hot(labels, 10).astype(dtype), labels


def torch_mlp(net):
    """The same layers as `net` (sigmoid or relu hidden, softmax folded into the loss), same weights."""
    dtype = TORCH_DTYPES[net.dtype.type]
    hidden = {"sigmoid": torch.nn.Sigmoid, "relu": torch.nn.ReLU}[net.activation]
    layers = []
    for W, b in zip(net.weights, net.biases):
        linear = torch.nn.Linear(W.shape[1], W.shape[0], dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W))
            linear.bias.copy_(torch.from_numpy(b))
        layers += [linear, hidden()]
    return torch.nn.Sequential(*layers[:-1])


# --- the figures ----------------------------------------------------------------------------

def lecture_network():
    """Forward and backward pass of the slide network, one example, through each public API; both
    sides compute the same: every z and a, then every δ = ∂L/∂z, ∂L/∂W and ∂L/∂b."""
    net = lecture7.lecture_network()
    x, y_hat = np.array(lecture7.LECTURE_INPUT), np.array([1.0, 0.0])
    params = [torch.tensor(p, requires_grad=True) for p in net.weights + net.biases]
    x_t, y_hat_t = torch.tensor(x), torch.tensor(y_hat)

    def ours():
        net.backward(net.forward(x), y_hat, "squared_error")

    def ours_unchecked():   # the same passes without the input checks of forward and backward
        net._backward(net._run(x, 0), y_hat, lecture7.COSTS["squared_error"])

    def autograd():
        a, zs = x_t, []
        for W, b in zip(params[:3], params[3:]):
            zs.append(W @ a + b)
            a = torch.sigmoid(zs[-1])
        torch.autograd.grad(0.5 * ((a - y_hat_t) ** 2).sum(), zs + params)

    t_ours, t_torch, t_unchecked = median_times(ours, autograd, ours_unchecked)
    return [Row("lecture network forward + backward, lecture7 / PyTorch autograd (float64)",
                t_ours / t_torch, "≤ 0.25",
                f"lecture7 {show(t_ours)} (without its input checks {show(t_unchecked)}), PyTorch {show(t_torch)}",
                f"layers of two neurons are all per-call overhead: lecture7 makes some 60 numpy calls at 0.3–1 µs "
                f"each; without the input checks of forward and backward the ratio would be {t_unchecked / t_torch:.2f}")]


def training_step(activation, dtype, batch=256, learning_rate=1e-3):
    """One step of minibatch gradient descent on 784-256-10 (softmax, cross-entropy): lecture7's
    own step (the one lecture7.train takes), PyTorch's usual one (nn, cross_entropy, optim.SGD),
    and numpy's bare matmuls of the same shapes, which bound what the step can reach."""
    net = lecture7.Network([784, 256, 10], activation, "softmax", seed=0, dtype=dtype)
    X, Y_hat, labels = mnist_batch(batch, dtype)
    cost = lecture7.COSTS["cross_entropy"]

    def ours():
        _step(net, X, Y_hat, cost, learning_rate)

    model = torch_mlp(net)
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    X_t, labels_t = torch.from_numpy(X), torch.from_numpy(labels)

    def pytorch():
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(X_t), labels_t, reduction="sum")
        loss.backward()
        optimizer.step()
        loss.item()

    # forward z = a Wᵀ per layer; backward dW = δᵀ a per layer and δ W for every layer but the first
    rng = np.random.default_rng(1)
    shapes = [(batch, n_in, n_out) for n_in, n_out in zip(net.sizes, net.sizes[1:])]
    products = []
    for l, (m, k, n) in enumerate(shapes):
        a, W, delta = (rng.random(s).astype(dtype) for s in ((m, k), (n, k), (m, n)))
        products += [(a, W.T), (delta.T, a)] + ([(delta, W)] if l > 0 else [])
    flops = sum(2 * p.shape[0] * p.shape[1] * q.shape[1] for p, q in products)

    torch_products = [(torch.from_numpy(p), torch.from_numpy(q)) for p, q in products]

    def bare_matmuls(products=products):
        for p, q in products:
            p @ q

    t_ours, t_torch, t_bare, t_torch_mm = median_times(ours, pytorch, bare_matmuls,
                                                       lambda: bare_matmuls(torch_products))
    name = f"784-256-10 {activation}, {np.dtype(dtype).name}, batch {batch}"
    rest = t_ours - t_bare
    return [
        Row(f"{name}: one training step, lecture7 / PyTorch", t_ours / t_torch, "≤ 1.0",
            f"lecture7 {show(t_ours)}, PyTorch {show(t_torch)}; the same matmuls alone: numpy {show(t_bare)}, "
            f"PyTorch {show(t_torch_mm)}",
            f"PyTorch's matmuls (MKL) take {t_torch_mm / t_bare:.0%} of the time of numpy's (OpenBLAS) here; "
            f"the rest of the step takes lecture7 {show(rest)}, PyTorch {show(t_torch - t_torch_mm)}"),
        Row(f"{name}: GFLOP/s of the step / numpy's bare matmul GFLOP/s", t_bare / t_ours, "≥ 0.8",
            f"{flops / t_ours / 1e9:.1f} vs {flops / t_bare / 1e9:.1f} GFLOP/s ({flops / 1e6:.0f} MFLOP of matmul a step)",
            f"{show(rest)} of the step ({rest / t_ours:.0%}) is the elementwise work around the matmuls (the "
            f"activation and its derivative on 256×256, softmax and cross-entropy, the bias sums, the update), "
            f"which faster matmuls do not shorten"),
    ]


def backward_over_forward(batch, activation="sigmoid", dtype=np.float64):
    """net.backward against net.forward on 784-256-10 (softmax, cross-entropy); batch None: one example.

    For one example, the outer product δ¹ xᵀ that backward must write for dW¹ is timed alone too.
    """
    net = lecture7.Network([784, 256, 10], activation, "softmax", seed=0, dtype=dtype)
    X, Y_hat, _ = mnist_batch(batch or 1, dtype)
    x, y_hat = (X[0], Y_hat[0]) if batch is None else (X, Y_hat)
    trace = net.forward(x)
    name = f"backward time / forward time, 784-256-10 {activation}, {np.dtype(dtype).name}"
    forward, backward = lambda: net.forward(x), lambda: net.backward(trace, y_hat, "cross_entropy")
    if batch is not None:
        t_forward, t_backward = median_times(forward, backward)
        return [Row(f"{name}, batch {batch}", t_backward / t_forward, "≤ 1.6",
                    f"backward {show(t_backward)}, forward {show(t_forward)}",
                    "backward takes two matmuls a layer (dW, and δ for the layer below) to forward's one")]
    delta = backward().delta[0]
    t_forward, t_backward, t_outer = median_times(forward, backward, lambda: delta[:, None] * x)
    return [Row(f"{name}, one example (batch 1)", t_backward / t_forward, "≤ 4",
                f"backward {show(t_backward)}, of which writing dW¹ = δ¹ xᵀ alone (256×784) {show(t_outer)}; "
                f"forward {show(t_forward)}",
                f"backward must write dW¹, a new {delta.size * x.size * x.itemsize / 1e6:.1f} MB array, which takes "
                f"{t_outer / t_forward:.1f}× the whole forward pass (that only reads W¹, from cache)")]


class Reached(Exception):
    """Raised from inside a training run at the end of the first epoch that reaches the goal."""

    def __init__(self, epoch):
        super().__init__(epoch)
        self.epoch = epoch


class MLPCheckedEachEpoch(MLPClassifier):
    """MLPClassifier that scores the test set after every epoch and raises Reached at the goal.

    It hooks the method that fit calls once per epoch; it is used only to count epochs, untimed.
    """

    def _update_no_improvement_count(self, *args, **kwargs):
        X_test, labels_test, goal = self.checked_on
        self.epochs_checked = getattr(self, "epochs_checked", 0) + 1
        if self.score(X_test, labels_test) >= goal:
            raise Reached(self.epochs_checked)
        return super()._update_no_improvement_count(*args, **kwargs)


def epochs_to(goal, run):
    """The first epoch after which run() (a training run that raises Reached) reaches the goal."""
    try:
        run()
    except Reached as reached:
        return reached.epoch
    raise AssertionError(f"no epoch reached {goal:.0%} test accuracy")


def digits(goal=0.97, max_epochs=200, batch=32, learning_rate=0.01):
    """Time to ≥ 97% test accuracy on the digits, 64-64-10 relu with softmax and cross-entropy.

    Both sides train on lecture7's seeded split with the same algorithm, the README's: minibatch
    gradient descent, batch 32, no momentum, no weight penalty, η = 0.01 per example (scikit-learn
    averages its loss over the batch, so its learning_rate_init is 0.01 · 32). Each side's number
    of epochs to the goal is counted first (untimed, scoring the test set after every epoch); then
    training from scratch for exactly that many epochs is timed. scikit-learn with its defaults
    (adam, learning rate 0.001, batch 200) is timed the same way, for the record.
    """
    train, test = lecture7.datasets.digits().split()

    def ours(epochs, progress=None):
        net = lecture7.Network([64, 64, 10], "relu", "softmax", seed=0)
        lecture7.train(net, train.X, train.Y, "cross_entropy", learning_rate=learning_rate, epochs=epochs,
                       batch_size=batch, seed=0, validation=(test.X, test.Y) if progress else None, progress=progress)

    def check(epoch, history):
        if history.val_accuracy[-1] >= goal:
            raise Reached(epoch)

    same_training = dict(solver="sgd", batch_size=batch, learning_rate_init=learning_rate * batch, momentum=0.0,
                         nesterovs_momentum=False, alpha=0.0)
    settings = {"same training": same_training, "defaults": {}}

    def sklearn_mlp(epochs, kind, cls=MLPClassifier):
        return cls(hidden_layer_sizes=(64,), activation="relu", random_state=0, max_iter=epochs, tol=0.0,
                   n_iter_no_change=max_epochs + 1, **settings[kind])

    def checked(kind):
        clf = sklearn_mlp(max_epochs, kind, MLPCheckedEachEpoch)
        clf.checked_on = (test.X, test.labels, goal)
        clf.fit(train.X, train.labels)
        assert hasattr(clf, "epochs_checked"), "MLPClassifier no longer calls _update_no_improvement_count each epoch"

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)   # max_iter is reached on purpose
        ours_epochs = epochs_to(goal, lambda: ours(max_epochs, progress=check))
        epochs = {kind: epochs_to(goal, lambda kind=kind: checked(kind)) for kind in settings}
        for kind, n in epochs.items():   # a plain fit for that many epochs trains the same way: check
            assert sklearn_mlp(n, kind).fit(train.X, train.labels).score(test.X, test.labels) >= goal
        t_ours, t_same, t_defaults = median_times(
            lambda: ours(ours_epochs), *[lambda kind=kind: sklearn_mlp(epochs[kind], kind).fit(train.X, train.labels)
                                         for kind in settings])
    return [Row("digits 64-64-10 relu, softmax cross-entropy: time to ≥ 97% test accuracy, lecture7 / scikit-learn "
                "MLPClassifier (same split, architecture and training: minibatch SGD, batch 32, η = 0.01 per example)",
                t_ours / t_same, "≤ 0.35",
                f"lecture7 {show(t_ours)} ({ours_epochs} epochs), scikit-learn {show(t_same)} ({epochs['same training']} "
                f"epochs); scikit-learn with its defaults (adam, learning rate 0.001, batch 200) {show(t_defaults)} "
                f"({epochs['defaults']} epochs)",
                f"an epoch takes lecture7 {show(t_ours / ours_epochs)}, scikit-learn "
                f"{show(t_same / epochs['same training'])}: at batch 32 both are mostly per-call overhead")]


def finite_differences(sizes=(100, 90, 10)):
    """One gradient by central differences (lecture7.numerical_gradient) against one by backprop
    (forward + backward) on a sigmoid network of 10,000 parameters, one example."""
    net = lecture7.Network(list(sizes), "sigmoid", seed=0)
    rng = np.random.default_rng(0)
    x, y_hat = rng.random(sizes[0]), rng.random(sizes[-1])
    t_numeric, t_backprop = median_times(lambda: lecture7.numerical_gradient(net, x, y_hat),
                                         lambda: net.backward(net.forward(x), y_hat))
    return [Row(f"finite differences / backprop, one gradient, {'-'.join(map(str, sizes))} sigmoid "
                f"({net.n_params:,} parameters), one example", t_numeric / t_backprop, "reported",
                f"finite differences {show(t_numeric)}, backprop {show(t_backprop)}")]


def widget_redraws(steps=40):
    """Each widget's redraw, while a learner drags its slider over new values, against the time matplotlib
    needs to save an empty one-axes 6.4 × 4.8 in figure as a PNG at 90 dpi (the reference), timed
    interleaved in this process. A redraw is everything a move costs the kernel: the package's numbers,
    the figure and its PNG. For the training widget, a press of Train with the runs trained beforehand
    (training 60 epochs takes its own time; this is the redraw after it)."""
    import io
    import itertools
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from lecture7 import widgets

    reference = Figure(figsize=(6.4, 4.8))
    reference.add_subplot()

    def empty_png():
        reference.savefig(io.BytesIO(), format="png", dpi=90)

    def drag(panel, name, values):
        values = itertools.cycle(values)
        return lambda: setattr(panel.controls[name], "value", next(values))

    def train_presses():
        panel = widgets.training_widget()
        run, runs = panel.picture._train, {}
        for hidden in range(1, 33):
            runs[hidden] = run(0.1, hidden, "tanh")
        panel.picture._train = lambda learning_rate, hidden, activation: runs[hidden]
        hiddens = itertools.cycle(range(1, 33))

        def press():
            panel.controls["hidden"].value = next(hiddens)
            panel.refresh(force=True)
        return press

    moves = {
        "chain rule: moving x or s": drag(widgets.chain_rule_widget(), "point", [round(-2 + 0.05 * k, 2) for k in range(81)]),
        "forward pass: moving x₁": drag(widgets.forward_widget(), "x1", [round(-3 + 0.1 * k, 1) for k in range(61)]),
        "forward pass: moving the chosen weight": drag(widgets.forward_widget(), "value", [round(-5 + 0.1 * k, 1) for k in range(101)]),
        "backward pass: moving the chosen weight": drag(widgets.backward_widget(), "value", [round(-5 + 0.1 * k, 1) for k in range(101)]),
        "backward pass: moving ŷ₂": drag(widgets.backward_widget(), "y_hat2", [round(0.05 * k, 2) for k in range(21)]),
        "training: pressing Train (redraw after training)": train_presses(),
    }
    times = median_times(empty_png, *moves.values(), repeats=steps, min_seconds=0)
    return [Row(f"widget redraw, {what} / saving an empty 6.4×4.8 in figure as PNG at 90 dpi", t / times[0], "≤ 1.0",
                f"redraw {show(t)}, empty-figure PNG {show(times[0])} (medians of {steps}, interleaved)",
                TRAINING_REDRAW if what.startswith("training") else "every value that moved is a new text to lay out and draw")
            for what, t in zip(moves, times[1:])]


TRAINING_REDRAW = ("after a run the widget finds the new network's class at 14,400 points of the plane, contours them, "
                   "and draws the examples, the curves and the legends over them again")


FIGURES = [
    lecture_network,
    *[lambda a=a, d=d: training_step(a, d) for a in ("sigmoid", "relu") for d in (np.float64, np.float32)],
    *[lambda b=b: backward_over_forward(b) for b in (32, 256, None)],
    digits,
    finite_differences,
    widget_redraws,
]


# --- the table ------------------------------------------------------------------------------

def table(rows):
    lines = ["| figure | measured | target | status | from |", "|---|---|---|---|---|"]
    for row in rows:
        status = {None: "reported", True: "on target", False: f"**off target**: {row.why_not}"}[row.on_target]
        lines.append(f"| {row.figure} | {row.value:.4g} | {row.target} | {status} | {row.detail} |")
    return "\n".join(lines)


def cpu():
    try:
        models = [line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")]
    except OSError:
        models = []
    return models[0] if models else platform.processor() or platform.machine()


def machine():
    blas = ", ".join(sorted({f"{p['internal_api']} {p['version']}" for p in threadpool_info()}))
    return (f"{cpu()}, {os.cpu_count()} cores; Python {platform.python_version()}, "
            f"numpy {np.__version__} ({blas}), torch {torch.__version__}, scikit-learn {sklearn.__version__}; "
            f"1 thread; CPU time of the process, median of {REPEATS} repeats of ≥ {MIN_SECONDS * 1e3:.0f} ms")


def settle_the_allocator():
    """Allocate and free one 16 MB block before timing anything.

    glibc gives freed memory back to the system when the free top of its heap grows past a
    threshold: 128 KB at first, then twice the largest block that went straight back to the
    system, so 32 MB after this one. Before such a block, a float64 step of 784-256-10 in lecture7
    frees some 3.5 MB of arrays at its end and may have to page-fault them all in again at the next
    step (about 900 faults: 4.8–5.1 instead of 3.8 ms; PyTorch's step, some 15 faults: 4.0–4.2
    instead of 3.7–3.8 ms), depending on what the process happened to allocate before. A training
    run is in the settled state once it has loaded its data; the figures here are taken in it.
    """
    np.empty(16 * 2**20, dtype=np.uint8)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench.md", help="where to write the table too")
    args = parser.parse_args()
    settle_the_allocator()
    torch.set_num_threads(1)
    with threadpool_limits(limits=1):
        rows = [row for figure in FIGURES for row in figure()]
    report = f"{table(rows)}\n\n{machine()}\n"
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report)


if __name__ == "__main__":
    main()
