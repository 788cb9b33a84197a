"""The vanishing gradient 梯度消失: how large δ = ∂C/∂z and dW are, layer by layer.

A hidden layer's δˡ = σ'(zˡ) ⊙ (Wˡ⁺¹)ᵀ δˡ⁺¹ is the next layer's δ multiplied by the weights and by σ'(z),
which for the sigmoid is at most 1/4; over many layers these factors multiply.
"""
from dataclasses import dataclass

import numpy as np

from .i18n import _
from .network import check_network


@dataclass(frozen=True)
class GradientNorms:
    """delta[l], dW[l]: the norms ‖δ‖ and ‖dW‖ of layer l + 1 (over a batch, of the whole Δ = ∂L/∂Z)."""

    delta: tuple
    dW: tuple

    @property
    def ratio(self):
        """‖dW¹‖ / ‖dWᴸ‖: how much smaller layer 1's gradient is than the output layer's (nan if ‖dWᴸ‖ = 0)."""
        return _quotient(self.dW[0], self.dW[-1])

    def __str__(self):
        lines = [_("layer       ‖δ‖      ‖dW‖   ‖δˡ‖/‖δˡ⁺¹‖")]
        for l in reversed(range(len(self.delta))):   # output layer first, as the backward pass goes
            shrink = f"{_quotient(self.delta[l], self.delta[l + 1]):13.4f}" if l + 1 < len(self.delta) else ""
            lines.append(f"{l + 1:>5}  {self.delta[l]:.2e}  {self.dW[l]:.2e}{shrink}")
        return "\n".join(lines)


def _quotient(a, b):
    """a / b, or nan where b = 0 (a layer that passes no gradient back, such as dead ReLU neurons)."""
    return a / b if b else float("nan")


def gradient_norms(net, x, y_hat, cost="squared_error"):
    """‖δˡ‖ and ‖dWˡ‖ of every layer from one forward and one backward pass. x: (n_in,) or (batch, n_in)."""
    check_network(net)
    grads = net.backward(net.forward(x), y_hat, cost)
    return GradientNorms(tuple(float(np.linalg.norm(d)) for d in grads.delta),
                         tuple(float(np.linalg.norm(dW)) for dW in grads.dW))
