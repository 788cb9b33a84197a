"""lecture7: backpropagation 反向傳播 as taught in Hung-yi Lee's NTU ML Lecture 7.

The public names below are the contract that the notebooks and outside checks use.
"""
__version__ = "0.2.0"

from . import datasets
from .activations import ACTIVATIONS, OUTPUT_ACTIVATIONS, sigmoid, softmax
from .checks import check
from .exercises import check_answer
from .chain_rule import central_difference, chain_rule_case1, chain_rule_case2
from .costs import COSTS
from .datasets import one_hot
from .gradcheck import GradientCheckReport, assert_gradients_close, gradient_check, numerical_gradient, relative_error
from .i18n import LANGUAGES, get_language, set_language
from .granularity import (NeuronDelta, backward_per_layer, backward_per_neuron, forward_per_layer, forward_per_neuron,
                          neuron_delta)
from .network import LECTURE_INPUT, Gradients, Network, Trace, lecture_network
from .neuron import neuron_gradient, neuron_z
from .training import History, accuracy, print_progress, train

__all__ = [
    "ACTIVATIONS", "OUTPUT_ACTIVATIONS", "COSTS", "sigmoid", "softmax",
    "check", "check_answer",
    "central_difference", "chain_rule_case1", "chain_rule_case2",
    "neuron_z", "neuron_gradient",
    "Network", "Trace", "Gradients", "lecture_network", "LECTURE_INPUT",
    "forward_per_neuron", "backward_per_neuron", "forward_per_layer", "backward_per_layer",
    "neuron_delta", "NeuronDelta",
    "numerical_gradient", "gradient_check", "assert_gradients_close", "GradientCheckReport", "relative_error",
    "train", "History", "accuracy", "print_progress",
    "datasets", "one_hot",
    "set_language", "get_language", "LANGUAGES",
]
