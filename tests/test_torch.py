"""lecture7 against PyTorch autograd, in float64, to 1e-10.

Every z and a of the forward pass, the loss, and every δ[l] = ∂L/∂z[l], ∂L/∂W[l], ∂L/∂b[l] of the
backward pass, for every hidden activation × output activation × cost the package accepts, one
example and a batch (L = Σₙ Cⁿ, a sum over the examples), and the lecture's own network.
The torch side is written from the definitions alone; it calls nothing inside lecture7.
"""
import os

import numpy as np
import pytest

import lecture7
from conftest import valid_combinations

# CI sets LECTURE7_REQUIRE_TORCH so that a missing torch fails there instead of skipping quietly.
torch = __import__("torch") if os.environ.get("LECTURE7_REQUIRE_TORCH") else pytest.importorskip("torch")
torch.set_num_threads(1)

RTOL, ATOL = 1e-10, 1e-12

# The definitions, in torch. An activation or cost added to lecture7 without an entry here fails
# below, asking for one, rather than going untested.
TORCH_ACTIVATIONS = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "identity": lambda z: z,
    "softmax": lambda z: torch.softmax(z, dim=-1),
}
TORCH_COSTS = {
    # C = ½ Σₖ (aₖ − ŷₖ)², summed over the examples
    "squared_error": lambda z, a, y_hat: 0.5 * ((a - y_hat) ** 2).sum(),
    # C = −Σₖ ŷₖ ln softmax(z)ₖ, summed over the examples
    "cross_entropy": lambda z, a, y_hat: -(y_hat * torch.log_softmax(z, dim=-1)).sum(),
    # C = −Σₖ [ŷₖ ln σ(z)ₖ + (1 − ŷₖ) ln(1 − σ(z)ₖ)], summed over the examples
    "binary_cross_entropy": lambda z, a, y_hat: torch.nn.functional.binary_cross_entropy_with_logits(z, y_hat, reduction="sum"),
}


def torch_reference(weights, biases, hidden, output, cost, x, y_hat):
    """Forward values, loss and gradients of a dense network by torch autograd (float64).

    z[l] = a[l] W[l]ᵀ + b[l], a[l + 1] = σ(z[l]); hidden σ on every layer but the last.
    """
    for name in (hidden, output):
        if name not in TORCH_ACTIVATIONS:
            pytest.fail(f"no torch reference for activation {name!r}: add it to TORCH_ACTIVATIONS")
    if cost not in TORCH_COSTS:
        pytest.fail(f"no torch reference for cost {cost!r}: add it to TORCH_COSTS")
    Ws = [torch.tensor(W, dtype=torch.float64, requires_grad=True) for W in weights]
    bs = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in biases]
    a = torch.tensor(x, dtype=torch.float64)
    zs, as_ = [], [a]
    for l, (W, b) in enumerate(zip(Ws, bs)):
        z = a @ W.T + b
        z.retain_grad()
        a = TORCH_ACTIVATIONS[output if l == len(Ws) - 1 else hidden](z)
        zs.append(z)
        as_.append(a)
    loss = TORCH_COSTS[cost](zs[-1], as_[-1], torch.tensor(y_hat, dtype=torch.float64))
    loss.backward()
    to_numpy = lambda ts: [t.detach().numpy().copy() for t in ts]
    return {
        "z": to_numpy(zs), "a": to_numpy(as_), "loss": loss.item(),
        "delta": to_numpy(z.grad for z in zs), "dW": to_numpy(W.grad for W in Ws), "db": to_numpy(b.grad for b in bs),
    }


def random_target(rng, shape, cost):
    if cost == "cross_entropy":
        return rng.dirichlet(np.ones(shape[-1]), size=shape[:-1])  # probability vectors
    return rng.uniform(-1, 2, shape)


def compare(net, x, y_hat, cost):
    """Assert lecture7's forward pass, loss and backward pass equal torch's; return the largest
    relative deviation seen (for the record)."""
    trace = net.forward(x)
    grads = net.backward(trace, y_hat, cost)
    ref = torch_reference(net.weights, net.biases, net.activation, net.output_activation, cost, x, y_hat)
    L = len(net.weights)
    assert len(trace.z) == L and len(trace.a) == L + 1
    assert all(len(getattr(grads, q)) == L for q in ("delta", "dW", "db"))
    worst = 0.0
    for q, ours in [("z", trace.z), ("a", trace.a), ("delta", grads.delta), ("dW", grads.dW), ("db", grads.db)]:
        for l, (got, want) in enumerate(zip(ours, ref[q])):
            assert got.dtype == np.float64, f"{q}[{l}] has dtype {got.dtype}"
            assert got.shape == want.shape, f"{q}[{l}] has shape {got.shape}, torch {want.shape}"
            np.testing.assert_allclose(got, want, rtol=RTOL, atol=ATOL, err_msg=f"{q}[{l}]")
            worst = max(worst, float(np.max(np.abs(got - want) / (np.abs(want) + ATOL), initial=0.0)))
    np.testing.assert_allclose(net.loss(x, y_hat, cost), ref["loss"], rtol=RTOL, atol=ATOL, err_msg="loss")
    return worst


ARCHITECTURES = [[4, 3], [3, 4, 2], [2, 5, 3, 4]]


@pytest.mark.parametrize("batch", [None, 1, 6], ids=["one", "batch1", "batch6"])
@pytest.mark.parametrize("sizes", ARCHITECTURES, ids=lambda s: "-".join(map(str, s)))
@pytest.mark.parametrize("hidden,output,cost", valid_combinations())
def test_matches_torch(hidden, output, cost, sizes, batch):
    seed = 1000 * len(sizes) + sum(sizes) + (batch or 0)
    net = lecture7.Network(sizes, activation=hidden, output_activation=output, seed=seed)
    rng = np.random.default_rng(seed)
    for b in net.biases:  # Network() starts biases at 0; random ones let the bias path show
        b[...] = rng.uniform(-0.5, 0.5, b.shape)
    shape = (sizes[0],) if batch is None else (batch, sizes[0])
    x = rng.normal(0, 1.5, shape)
    y_hat = random_target(rng, shape[:-1] + (sizes[-1],), cost)
    compare(net, x, y_hat, cost)


def test_combinations_cover_every_registry_entry():
    combos = valid_combinations()
    assert {h for h, _, _ in combos} == set(lecture7.ACTIVATIONS)
    assert {o for _, o, _ in combos} == set(lecture7.OUTPUT_ACTIVATIONS)
    assert {c for _, _, c in combos} == set(lecture7.COSTS)
    assert ("relu", "softmax", "cross_entropy") in combos and ("relu", "sigmoid", "cross_entropy") not in combos


@pytest.mark.parametrize("batch", [None, 3], ids=["one", "batch3"])
def test_lecture_network_matches_torch(batch):
    net = lecture7.lecture_network()
    x, y_hat = np.array([1.0, -1.0]), np.array([1.0, 0.0])
    if batch is not None:  # the same example repeated: every gradient is `batch` times as large
        x, y_hat = np.tile(x, (batch, 1)), np.tile(y_hat, (batch, 1))
    compare(net, x, y_hat, "squared_error")
    # and the slide's numbers: activations (0.98, 0.12), (0.86, 0.11), (0.62, 0.83)
    a = net.forward(x).a
    for l, slide in enumerate([(0.98, 0.12), (0.86, 0.11), (0.62, 0.83)], start=1):
        np.testing.assert_allclose(a[l], np.broadcast_to(slide, a[l].shape), atol=0.005)


def test_cross_entropy_with_target_not_summing_to_one():
    """δᴸ = a Σₖ ŷₖ − ŷ holds for any target ŷ, not just probability vectors."""
    net = lecture7.Network([3, 4, 3], activation="tanh", output_activation="softmax", seed=7)
    rng = np.random.default_rng(7)
    compare(net, rng.normal(size=(5, 3)), rng.uniform(0, 2, (5, 3)), "cross_entropy")


def test_comparison_catches_a_wrong_derivative(monkeypatch):
    """The check is not vacuous: with tanh' off by 1e-8 · a, it fails."""
    good = lecture7.ACTIVATIONS["tanh"]
    bad = type(good)("tanh", good.f, lambda z, a: 1 - a * a + 1e-8 * a)
    monkeypatch.setitem(lecture7.activations.ACTIVATIONS, "tanh", bad)
    monkeypatch.setitem(lecture7.activations.OUTPUT_ACTIVATIONS, "tanh", bad)
    net = lecture7.Network([3, 4, 2], activation="tanh", output_activation="identity", seed=3)
    rng = np.random.default_rng(3)
    with pytest.raises(AssertionError, match="delta"):
        compare(net, rng.normal(size=(4, 3)), rng.normal(size=(4, 2)), "squared_error")
