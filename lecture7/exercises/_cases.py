"""Networks the exercises' cases share: the lecture network, and networks drawn from the cases' generator."""
import numpy as np

from ..i18n import N_
from ..network import LECTURE_INPUT, Network, lecture_network

LECTURE_TARGET = np.array([1.0, 0.0])


def lecture():
    """(net, trace, y_hat, grads) of the lecture network on its input and target."""
    net = lecture_network()
    trace = net.forward(LECTURE_INPUT)
    return net, trace, LECTURE_TARGET, net.backward(trace, LECTURE_TARGET, "squared_error")


def random_network(rng, sizes=(3, 5, 4, 2)):
    """A sigmoid network drawn from rng, biases too (Network's own start at 0, where a missing bias would not show).
    With the default sizes no W is square, so neither is one that a learner transposes."""
    weights = [rng.normal(0, 1, (n_out, n_in)) for n_in, n_out in zip(sizes, sizes[1:])]
    biases = [rng.normal(0, 1, n_out) for n_out in sizes[1:]]
    return Network.from_weights(weights, biases, activation="sigmoid")


def random_example(rng, sizes=(3, 5, 4, 2)):
    """(net, trace, y_hat, grads) of a random_network on an input and a target drawn from rng, under the squared error."""
    net = random_network(rng, sizes)
    trace = net.forward(rng.normal(size=sizes[0]))
    y_hat = rng.uniform(0, 1, size=sizes[-1])
    return net, trace, y_hat, net.backward(trace, y_hat, "squared_error")


def networks(rng):
    """[(name, net, trace, y_hat, grads)]: the lecture network, then a 3-5-4-2 network drawn from rng."""
    return [(N_("the lecture network"), *lecture()), (N_("a 3-5-4-2 network"), *random_example(rng))]
