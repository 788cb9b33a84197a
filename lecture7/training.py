"""Gradient descent 梯度下降 on L = Σₙ Cⁿ: θ¹ = θ⁰ − η ∇L(θ⁰), over minibatches.

Because L is a sum over the examples in a batch (not a mean), the step grows with the batch
size: halve the learning rate when you double the batch.
"""
import functools
from dataclasses import dataclass, field

import numpy as np

from ._validate import check_input, check_positive, check_target
from .costs import get_cost
from .i18n import _


@dataclass
class History:
    """Per epoch: loss (L summed over the minibatches as they were seen) and, for classification,
    accuracy on those same examples; val_loss / val_accuracy on the validation set after the epoch."""

    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)

    @property
    def epochs(self):
        return len(self.loss)


def is_classification(Y_hat):
    """Targets are class labels when every entry is 0 or 1 and, with several outputs, each row is one-hot."""
    binary = np.isin(Y_hat, (0, 1)).all()
    return bool(binary and (Y_hat.shape[1] == 1 or (Y_hat.sum(axis=1) == 1).all()))


def predict_labels(output):
    """The class of each row of a network's output: argmax for several outputs, a ≥ 0.5 for one."""
    if output.shape[1] == 1:
        return (output[:, 0] >= 0.5).astype(int)
    return output.argmax(axis=1)


def count_correct(output, Y_hat):
    """How many rows the network classifies as in the targets Y_hat (one-hot, or 0/1 for one output)."""
    return int(np.count_nonzero(predict_labels(output) == predict_labels(Y_hat)))


def accuracy(net, X, Y_hat):
    """The fraction of examples in X that `net` classifies as in the one-hot (or 0/1) targets Y_hat."""
    X, Y_hat = _check_data(net, X, Y_hat)
    if not is_classification(Y_hat):
        raise ValueError(_("accuracy needs class targets: one-hot rows, or 0/1 for a single output (see lecture7.one_hot)"))
    return count_correct(net._run(X, 0).a[-1], Y_hat) / len(X)


def print_progress(epoch, history, every=1):
    """A progress reporter for `train`: one line every `every` epochs."""
    if epoch % every:
        return
    line = _("epoch {epoch:>3}  loss {loss:.4f}", epoch=epoch, loss=history.loss[-1])
    if history.accuracy:
        line += _("  accuracy {accuracy:.3f}", accuracy=history.accuracy[-1])
    if history.val_accuracy:
        line += _("  val_accuracy {accuracy:.3f}", accuracy=history.val_accuracy[-1])
    print(line)


def train(net, X, Y_hat, cost="squared_error", learning_rate=0.1, epochs=10, batch_size=None,
          seed=0, validation=None, progress=None):
    """Train `net` in place by minibatch gradient descent and return its History.

    X: (n, n_in); Y_hat: the targets, (n, n_out). batch_size=None takes the whole set at each step
    (plain gradient descent). Examples are shuffled each epoch with `seed`. validation: an optional
    (X_val, Y_hat_val).
    progress: None, True (print a line per epoch), an integer n (a line every n epochs) or a
    function called as progress(epoch, history).
    """
    cost = get_cost(cost, net.activations[-1])
    check_positive("learning_rate", learning_rate)
    check_positive("epochs", epochs, integer=True)
    if batch_size is not None:
        check_positive("batch_size", batch_size, integer=True)
    X, Y_hat = _check_data(net, X, Y_hat)
    if validation is not None:
        if not isinstance(validation, (tuple, list)) or len(validation) != 2:
            raise TypeError(_("validation must be a pair (X_val, Y_hat_val)"))
        validation = _check_data(net, *validation, prefix=True)
    progress = _progress_reporter(progress)

    classify = is_classification(Y_hat)
    batch_size = batch_size or len(X)
    rng = np.random.default_rng(seed)
    history = History()
    for epoch in range(1, epochs + 1):
        try:
            # overflow only happens when the steps are too large: say so instead of training on NaN
            with np.errstate(over="raise", invalid="raise"):
                loss, correct = _epoch(net, X, Y_hat, cost, learning_rate, batch_size, rng.permutation(len(X)), classify)
        except FloatingPointError:
            raise FloatingPointError(
                _("gradient descent diverged in epoch {epoch}: the numbers overflowed. Try a smaller learning_rate than "
                  "{learning_rate} (L sums over each batch of {batch_size} examples)", epoch=epoch, learning_rate=learning_rate,
                  batch_size=batch_size)
            ) from None
        history.loss.append(loss)
        if classify:
            history.accuracy.append(correct / len(X))
        if validation is not None:
            X_val, Y_hat_val = validation
            val_trace = net._run(X_val, 0)
            history.val_loss.append(net._loss(val_trace, Y_hat_val, cost))
            if classify:
                history.val_accuracy.append(count_correct(val_trace.a[-1], Y_hat_val) / len(X_val))
        if progress is not None:
            progress(epoch, history)
    return history


def _progress_reporter(progress):
    """train's progress argument as None or a function progress(epoch, history)."""
    if progress is None or callable(progress):
        return progress
    if progress is True:
        return print_progress
    if isinstance(progress, (int, np.integer)) and not isinstance(progress, bool):
        check_positive("progress", progress, integer=True)
        return functools.partial(print_progress, every=int(progress))
    raise TypeError(
        _("progress must be None, True, a number of epochs between lines or a function progress(epoch, history); "
          "got {progress!r}", progress=progress)
    )


def _epoch(net, X, Y_hat, cost, learning_rate, batch_size, order, classify):
    """One pass over the examples in `order`: a gradient step per minibatch. Returns (loss, correct)."""
    loss, correct = 0.0, 0
    for start in range(0, len(X), batch_size):
        batch = order[start:start + batch_size]
        X_batch, Y_hat_batch = X[batch], Y_hat[batch]
        trace, batch_loss = _step(net, X_batch, Y_hat_batch, cost, learning_rate)
        loss += batch_loss
        if classify:
            correct += count_correct(trace.a[-1], Y_hat_batch)
    return loss, correct


def _step(net, X, Y_hat, cost, learning_rate):
    """One gradient step θ¹ = θ⁰ − η ∇L(θ⁰) on the batch (X, Y_hat). Returns its trace and its loss L(θ⁰)."""
    trace = net._run(X, 0)
    loss = net._loss(trace, Y_hat, cost)
    steps = net._backward(trace, Y_hat, cost, scale=learning_rate)   # η ∇L, backpropagated from η δᴸ
    for param, step in zip(net.weights + net.biases, steps.dW + steps.db):
        param -= step   # θ¹ = θ⁰ − η ∇L, in place: no temporary the size of W
    return trace, loss


def _check_data(net, X, Y_hat, prefix=False):
    """X and Y_hat checked against net; with `prefix`, a bad one's message says it is the validation set's."""
    try:
        X = check_input(X, net.sizes[0], net.dtype)
        if X.ndim != 2:
            raise ValueError(_("X must be a batch of shape (n, {n_in}); got shape {shape}", n_in=net.sizes[0], shape=X.shape))
        Y_hat = check_target(Y_hat, (len(X), net.sizes[-1]), net.dtype)
    except (TypeError, ValueError) as error:
        if not prefix:
            raise
        raise type(error)(_("validation {error}", error=error)) from None
    return X, Y_hat
