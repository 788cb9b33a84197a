"""How fast lecture7 is, beside PyTorch and scikit-learn: every figure of issue 6 as a markdown table.

    make bench                                       # one thread, bench extra installed; writes build/bench.md
    python benchmarks/run.py [--out build/bench.md]

Every time is a median over REPEATS repeats; a repeat loops the call until it lasts at least
MIN_SECONDS. The two (or three) sides of a ratio are timed in this one process with their repeats
interleaved (a, b, a, b, …), so that both see the same state of the machine. Times are the CPU time
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
    target: str     # "≤ 0.25", "≥ 0.8", or "reported"
    detail: str     # the measurements the value comes from

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
    x, y = np.array(lecture7.LECTURE_INPUT), np.array([1.0, 0.0])
    params = [torch.tensor(p, requires_grad=True) for p in net.weights + net.biases]
    x_t, y_t = torch.tensor(x), torch.tensor(y)

    def ours():
        net.backward(net.forward(x), y, "squared_error")

    def autograd():
        a, zs = x_t, []
        for W, b in zip(params[:3], params[3:]):
            zs.append(W @ a + b)
            a = torch.sigmoid(zs[-1])
        torch.autograd.grad(0.5 * ((a - y_t) ** 2).sum(), zs + params)

    t_ours, t_torch = median_times(ours, autograd)
    return [Row("lecture network forward + backward, lecture7 / PyTorch autograd (float64)",
                t_ours / t_torch, "≤ 0.25", f"lecture7 {show(t_ours)}, PyTorch {show(t_torch)}")]


def training_step(activation, dtype, batch=256, learning_rate=1e-3):
    """One step of minibatch gradient descent on 784-256-10 (softmax, cross-entropy): lecture7's
    own step (the one lecture7.train takes), PyTorch's usual one (nn, cross_entropy, optim.SGD),
    and numpy's bare matmuls of the same shapes, which bound what the step can reach."""
    net = lecture7.Network([784, 256, 10], activation, "softmax", seed=0, dtype=dtype)
    X, Y, labels = mnist_batch(batch, dtype)
    cost = lecture7.COSTS["cross_entropy"]

    def ours():
        _step(net, X, Y, cost, learning_rate)

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

    def bare_matmuls():
        for p, q in products:
            p @ q

    t_ours, t_torch, t_bare = median_times(ours, pytorch, bare_matmuls)
    name = f"784-256-10 {activation}, {np.dtype(dtype).name}, batch {batch}"
    return [
        Row(f"{name}: one training step, lecture7 / PyTorch", t_ours / t_torch, "≤ 1.0",
            f"lecture7 {show(t_ours)}, PyTorch {show(t_torch)}"),
        Row(f"{name}: GFLOP/s of the step / numpy's bare matmul GFLOP/s", t_bare / t_ours, "≥ 0.8",
            f"{flops / t_ours / 1e9:.1f} vs {flops / t_bare / 1e9:.1f} GFLOP/s ({flops / 1e6:.0f} MFLOP of matmul a step)"),
    ]


def backward_over_forward(batch, activation="sigmoid", dtype=np.float64):
    """net.backward against net.forward on 784-256-10 (softmax, cross-entropy); batch None: one example."""
    net = lecture7.Network([784, 256, 10], activation, "softmax", seed=0, dtype=dtype)
    X, Y, _ = mnist_batch(batch or 1, dtype)
    x, y = (X[0], Y[0]) if batch is None else (X, Y)
    trace = net.forward(x)
    t_forward, t_backward = median_times(lambda: net.forward(x), lambda: net.backward(trace, y, "cross_entropy"))
    shape = "one example (batch 1)" if batch is None else f"batch {batch}"
    return [Row(f"backward time / forward time, 784-256-10 {activation}, {np.dtype(dtype).name}, {shape}",
                t_backward / t_forward, "≤ 4" if batch is None else "≤ 1.6",
                f"backward {show(t_backward)}, forward {show(t_forward)}")]


def first_epoch_reaching(accuracies, goal):
    return next((epoch for epoch, acc in enumerate(accuracies, 1) if acc >= goal), None)


def digits(goal=0.97, max_epochs=100):
    """Time to ≥ 97% test accuracy on the digits, 64-64-10 relu with softmax and cross-entropy.

    Both sides train on lecture7's seeded split. The number of epochs that first reaches the goal
    is found first (untimed, checking the test accuracy after every epoch); then training from
    scratch for exactly that many epochs is timed. lecture7 runs the README's settings; for
    scikit-learn the fastest of a few sensible settings counts (its default adam among them).
    """
    train, test = lecture7.datasets.digits().split()

    def ours(epochs, validation=None):
        net = lecture7.Network([64, 64, 10], "relu", "softmax", seed=0)
        return lecture7.train(net, train.X, train.Y, "cross_entropy", learning_rate=0.01, epochs=epochs,
                              batch_size=32, seed=0, validation=validation)

    history = ours(max_epochs, validation=(test.X, test.Y))
    ours_epochs = first_epoch_reaching(history.val_accuracy, goal)
    assert ours_epochs is not None, f"lecture7 did not reach {goal:.0%} in {max_epochs} epochs"

    def sklearn_mlp(epochs, **settings):
        return MLPClassifier(hidden_layer_sizes=(64,), activation="relu", random_state=0, max_iter=epochs,
                             tol=0.0, n_iter_no_change=max_epochs + 1, **settings)

    candidates = {
        "adam, learning_rate_init 0.001, batch 200 (defaults)": {},
        "adam, learning_rate_init 0.01, batch 32": dict(learning_rate_init=0.01, batch_size=32),
        "adam, learning_rate_init 0.003, batch 64": dict(learning_rate_init=0.003, batch_size=64),
        "sgd, learning_rate_init 0.1, momentum 0.9, batch 32": dict(solver="sgd", learning_rate_init=0.1, batch_size=32),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        found = {}
        for label, settings in candidates.items():
            # fit(max_iter=E) for E = 1, 2, …: E calls of partial_fit do not train the same way
            for epochs in range(1, max_epochs + 1):
                if sklearn_mlp(epochs, **settings).fit(train.X, train.labels).score(test.X, test.labels) >= goal:
                    found[label] = (epochs, settings)
                    break
        fits = {label: lambda e=epochs, s=settings: sklearn_mlp(e, **s).fit(train.X, train.labels)
                for label, (epochs, settings) in found.items()}
        t_ours, *t_fits = median_times(lambda: ours(ours_epochs), *fits.values())
    timed = dict(zip(fits, t_fits))
    best = min(timed, key=timed.get)
    return [Row("digits 64-64-10 relu, softmax cross-entropy: time to ≥ 97% test accuracy, lecture7 / scikit-learn "
                "MLPClassifier", t_ours / timed[best], "≤ 0.35",
                f"lecture7 {show(t_ours)} ({ours_epochs} epochs of sgd, learning_rate 0.01, batch 32); scikit-learn "
                f"{show(timed[best])} ({found[best][0]} epochs of {best}; the other settings: "
                + ", ".join(f"{found[label][0]} epochs of {label} {show(t)}" for label, t in timed.items() if label != best) + ")")]


def finite_differences(sizes=(100, 90, 10)):
    """One gradient by central differences (lecture7.numerical_gradient) against one by backprop
    (forward + backward) on a sigmoid network of 10,000 parameters, one example."""
    net = lecture7.Network(list(sizes), "sigmoid", seed=0)
    rng = np.random.default_rng(0)
    x, y = rng.random(sizes[0]), rng.random(sizes[-1])
    n_params = sum(W.size + b.size for W, b in zip(net.weights, net.biases))
    t_numeric, t_backprop = median_times(lambda: lecture7.numerical_gradient(net, x, y),
                                         lambda: net.backward(net.forward(x), y))
    return [Row(f"finite differences / backprop, one gradient, {'-'.join(map(str, sizes))} sigmoid "
                f"({n_params:,} parameters), one example", t_numeric / t_backprop, "reported",
                f"finite differences {show(t_numeric)}, backprop {show(t_backprop)}")]


FIGURES = [
    lecture_network,
    *[lambda a=a, d=d: training_step(a, d) for a in ("sigmoid", "relu") for d in (np.float64, np.float32)],
    *[lambda b=b: backward_over_forward(b) for b in (32, 256, None)],
    digits,
    finite_differences,
]


# --- the table ------------------------------------------------------------------------------

def table(rows):
    lines = ["| figure | measured | target | status | from |", "|---|---|---|---|---|"]
    for row in rows:
        status = {None: "reported", True: "on target", False: "**off target**"}[row.on_target]
        lines.append(f"| {row.figure} | {row.value:.3g} | {row.target} | {status} | {row.detail} |")
    return "\n".join(lines)


def machine():
    blas = ", ".join(sorted({f"{p['internal_api']} {p['version']}" for p in threadpool_info()}))
    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores; Python {platform.python_version()}, "
            f"numpy {np.__version__} ({blas}), torch {torch.__version__}, scikit-learn {sklearn.__version__}; "
            f"1 thread; CPU time of the process, median of {REPEATS} repeats of ≥ {MIN_SECONDS * 1e3:.0f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench.md", help="where to write the table too")
    args = parser.parse_args()
    torch.set_num_threads(1)
    with threadpool_limits(limits=1):
        rows = [row for figure in FIGURES for row in figure()]
    report = f"{table(rows)}\n\n{machine()}\n"
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report)


if __name__ == "__main__":
    main()
