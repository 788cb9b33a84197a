"""Each widget driven from code, as a learner would drive it with the mouse: the numbers it shows
must be the package's own computation for the new setting, and its figure must be redrawn."""
import base64
import html
import io
import pickle
import re

import ipywidgets
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

import lecture7
from lecture7 import widgets
from lecture7.network import LECTURE_BIASES, LECTURE_WEIGHTS
from conftest import drawn_both_ways


def shown(panel):
    """The readout as {label: number}, read back from the HTML the learner sees."""
    rows = re.findall(r"<tr><td[^>]*>(.*?)</td><td>(.*?)</td></tr>", panel.readout.value)
    assert rows, "the readout shows no rows"
    return {html.unescape(label): float(value) for label, value in rows}


def close(a, b):
    """Equal to the 6 significant digits the readout shows."""
    return np.isclose(a, b, rtol=1e-5, atol=1e-12)


def redrawn(panel, change, new_picture=True):
    """Apply `change` and assert the panel drew once more (a new picture, unless only the readout
    depends on the change, as when another weight is chosen but keeps its value)."""
    draws, image, readout = panel.draws, panel.png, panel.readout.value
    change()
    assert panel.draws == draws + 1
    assert panel.png.startswith(b"\x89PNG")
    assert (panel.png != image) == new_picture
    assert panel.readout.value != readout


def texts(panel):
    return {t.get_text() for ax in panel.figure.axes for t in ax.texts}


def test_chain_rule_widget_case_1():
    panel = widgets.chain_rule_widget()
    redrawn(panel, lambda: setattr(panel.controls["point"], "value", 1.25))
    x = 1.25
    values = shown(panel)
    # y = x², z = sin y: dz/dx = cos(x²) · 2x, written out here independently of the package
    assert close(values["$dy/dx$"], 2 * x) and close(values["$dz/dy$"], np.cos(x * x))
    assert close(values["$dz/dx = \\dfrac{dz}{dy}\\cdot\\dfrac{dy}{dx}$"], np.cos(x * x) * 2 * x)
    assert close(values["finite difference"], np.cos(x * x) * 2 * x)


def test_chain_rule_widget_case_2():
    panel = widgets.chain_rule_widget()
    redrawn(panel, lambda: setattr(panel.controls["case"], "value", 2))
    redrawn(panel, lambda: setattr(panel.controls["point"], "value", -0.7))
    s = -0.7
    values = shown(panel)
    result = lecture7.chain_rule_case2(lambda t: t * t, np.sin, lambda x, y: x * y, s)
    expected = 2 * s * np.sin(s) + s * s * np.cos(s)   # d(s² sin s)/ds
    assert close(values["$dz/ds = \\dfrac{\\partial z}{\\partial x}\\dfrac{dx}{ds} + \\dfrac{\\partial z}{\\partial y}\\dfrac{dy}{ds}$"], expected)
    assert close(values["$dz/ds = \\dfrac{\\partial z}{\\partial x}\\dfrac{dx}{ds} + \\dfrac{\\partial z}{\\partial y}\\dfrac{dy}{ds}$"], result.dz_ds)
    assert close(values["$\\partial z/\\partial x$"], np.sin(s)) and close(values["$\\partial z/\\partial y$"], s * s)
    assert panel.figure.axes[0].get_title() == "Chain rule, case 2"


def lecture_net_with(l, i, j, value):
    weights = [np.array(W, dtype=float) for W in LECTURE_WEIGHTS]
    weights[l][i, j] = value
    return lecture7.Network.from_weights(weights, list(LECTURE_BIASES))


def test_forward_widget_follows_inputs_and_weight():
    panel = widgets.forward_widget()
    assert shown(panel)["$y_1$"] == pytest.approx(0.62, abs=5e-3) and shown(panel)["$y_2$"] == pytest.approx(0.83, abs=5e-3)
    redrawn(panel, lambda: setattr(panel.controls["x1"], "value", 0.5))
    redrawn(panel, lambda: setattr(panel.controls["weight"], "value", (1, 0, 1)), new_picture=False)
    assert panel.controls["value"].value == LECTURE_WEIGHTS[1][0][1]   # the chosen weight's lecture value
    redrawn(panel, lambda: setattr(panel.controls["value"], "value", 2.5))
    trace = lecture_net_with(1, 0, 1, 2.5).forward((0.5, -1.0))
    values = shown(panel)
    assert close(values["$y_1$"], trace.a[-1][0]) and close(values["$y_2$"], trace.a[-1][1])
    assert close(values["$z$ of neuron 1 in layer 2"], trace.z[1][0])
    assert close(values["$\\partial z/\\partial w$ of the chosen weight (its input)"], trace.a[1][1])
    assert "w=2.5" in texts(panel) and f"z={trace.z[1][0]:.3g}" in texts(panel)


def test_backward_widget_follows_weight_and_target():
    panel = widgets.backward_widget()
    redrawn(panel, lambda: setattr(panel.controls["weight"], "value", (2, 1, 0)), new_picture=False)
    redrawn(panel, lambda: setattr(panel.controls["value"], "value", -2.0))
    redrawn(panel, lambda: setattr(panel.controls["y_hat2"], "value", 0.4))
    net, x, y_hat = lecture_net_with(2, 1, 0, -2.0), (1.0, -1.0), (1.0, 0.4)
    trace = net.forward(x)
    grads = net.backward(trace, y_hat)
    values = shown(panel)
    assert close(values["$\\partial C/\\partial w$ by backpropagation"], grads.dW[2][1, 0])
    assert close(values["$\\partial C/\\partial w$ by backpropagation"], trace.a[2][0] * grads.delta[2][1])
    assert close(values["$\\partial C/\\partial z$ (backward pass)"], grads.delta[2][1])
    assert close(values["$\\partial z/\\partial w$ (forward pass)"], trace.a[2][0])
    assert values["$\\partial C/\\partial w$ by finite differences"] == pytest.approx(grads.dW[2][1, 0], rel=1e-5)
    assert close(values["$C = \\frac{1}{2}\\sum_k (y_k - \\hat y_k)^2$"], 0.5 * np.sum((trace.a[-1] - y_hat) ** 2))
    assert f"δ={grads.delta[2][1]:.3g}".replace("-", "−") in texts(panel)


def test_training_widget_trains_on_click():
    panel = widgets.training_widget(epochs=20)
    button, progress = panel.children[0].children[-2:]
    panel.controls["hidden"].value = 5
    panel.controls["activation"].value = "relu"
    panel.controls["learning_rate"].value = 0.1
    assert panel.draws == 1, "moving a control must not retrain before the button is pressed"
    redrawn(panel, button.click)
    assert progress.value == 20 and progress.description == "epoch 20"
    train_set, test_set = lecture7.datasets.two_moons().split(seed=0)
    net = lecture7.Network([2, 5, 2], activation="relu", output_activation="softmax", seed=0)
    history = lecture7.train(net, train_set.X, train_set.Y, "cross_entropy", 0.1, 20, 32, seed=0)
    values = shown(panel)
    assert values["epochs"] == 20
    assert close(values["final loss $L$ (training)"], history.loss[-1])
    assert close(values["test accuracy"], lecture7.accuracy(net, test_set.X, test_set.Y))
    assert [ax.get_title() for ax in panel.figure.axes] == ["Decision boundary", "Loss"]


def test_training_widget_starts_where_the_loss_falls_smoothly():
    """The defaults train without spikes: after epoch 10 the loss never rises above 1.2 times its lowest
    value so far (at η = 0.1 with 8 tanh neurons it jumps to 3.7 times), and the test accuracy is high."""
    panel = widgets.training_widget()
    values = panel.values
    _, history, test_accuracy = widgets.train_example(lecture7.datasets.two_moons(), values["hidden"], values["activation"], values["learning_rate"])
    loss = np.array(history.loss)
    assert max(loss[t] / loss[:t].min() for t in range(10, len(loss))) <= 1.2
    assert test_accuracy >= 0.95
    _, spiky, _ = widgets.train_example(lecture7.datasets.two_moons(), 8, "tanh", 0.1)
    spiky = np.array(spiky.loss)
    assert max(spiky[t] / spiky[:t].min() for t in range(10, len(spiky))) > 3   # what the old defaults did


def test_training_widget_keeps_one_loss_scale_for_every_run():
    """Runs are compared on one log scale, which holds the default run's curves whole; a new run changes the curves only."""
    panel = widgets.training_widget(epochs=20)
    loss_axes = panel.figure.axes[1]
    for hidden, activation in ((4, "tanh"), (12, "sigmoid")):
        panel.controls["hidden"].value, panel.controls["activation"].value = hidden, activation
        redrawn(panel, panel.children[0].children[-2].click)
        assert loss_axes is panel.figure.axes[1], "a run drew the loss panel again instead of changing its curves"
        assert loss_axes.get_yscale() == "log" and loss_axes.get_ylim() == widgets.LOSS_RANGE
    values = widgets.training_widget().values
    _, history, _ = widgets.train_example(lecture7.datasets.two_moons(), values["hidden"], values["activation"], values["learning_rate"])
    low, high = widgets.LOSS_RANGE
    assert low < min(history.loss + history.val_loss) and max(history.loss + history.val_loss) < high


def test_training_widget_reports_divergence():
    panel = widgets.training_widget(epochs=40)
    panel.controls["learning_rate"].value = 1.0
    panel.controls["hidden"].value = 32
    panel.controls["activation"].value = "identity"
    redrawn(panel, panel.children[0].children[-2].click)
    assert "gradient descent diverged in epoch" in panel.readout.value
    assert [t.get_text() for t in panel.figure.texts] == ["Training diverged: lower the learning rate."]


def test_bad_arguments():
    with pytest.raises(ValueError, match="case must be 1 or 2; got 3"):
        widgets.chain_rule_example(3, 0.5)
    with pytest.raises(TypeError, match="dataset must be a lecture7.datasets.Dataset; got tuple"):
        widgets.train_example((np.zeros((4, 2)), np.zeros(4)), 4, "tanh", 0.1)


def on_grid(slider):
    """True when the browser's slider can show this value: it snaps to min + k · step (in the exponent,
    for a log slider) and syncs the snapped value back, so a default off the grid changes silently."""
    position = np.log(slider.value) / np.log(slider.base) if isinstance(slider, ipywidgets.FloatLogSlider) else slider.value
    k = (position - slider.min) / slider.step
    return np.isclose(k, round(k), rtol=0, atol=1e-9)


@pytest.mark.parametrize("make", [widgets.chain_rule_widget, widgets.forward_widget, widgets.backward_widget,
                                  widgets.training_widget])
def test_every_slider_starts_on_its_grid(make):
    panel = make()
    sliders = [c for c in panel.controls.values() if isinstance(c, (ipywidgets.FloatSlider, ipywidgets.FloatLogSlider))]
    assert sliders
    for slider in sliders:
        assert on_grid(slider), f"{slider.description} = {slider.value} is not on its grid (min {slider.min}, step {slider.step})"
    weight = panel.controls.get("weight")
    for choice in (weight.options if weight is not None else []):
        weight.value = choice[1]
        assert on_grid(panel.controls["value"]), f"the lecture value of {choice[0]} is not on the slider's grid"


@pytest.mark.parametrize("make, title", [(widgets.chain_rule_widget, "chain-rule"), (widgets.forward_widget, "forward-pass"),
                                         (widgets.backward_widget, "backward-pass"), (widgets.training_widget, "training")])
def test_a_panel_without_a_kernel_shows_its_picture_and_says_what_it_does_live(make, title):
    # what a stored notebook shows where no kernel draws the widget (GitHub, the website): the picture, and a line
    panel = make()
    line = repr(panel)
    assert line.startswith(f"[the {title} widget, as it first draws. Run this cell in JupyterLab and it is live: ")
    controls = [c.description for c in panel.controls.values()]
    assert all(c in line for c in controls), (controls, line)
    assert line.endswith("then press Train.]" if title == "training" else "and it redraws.]")
    bundle = panel._repr_mimebundle_()
    assert bundle["text/plain"] == line and base64.b64decode(bundle["image/png"]) == panel.png


def full_draw(panel):
    """A copy of the panel's figure drawn from scratch by matplotlib's own Agg canvas, as pixels."""
    figure = pickle.loads(pickle.dumps(panel.figure))
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())


def pixels(panel):
    return np.asarray(Image.open(io.BytesIO(panel.png)).convert("RGBA"))


MOVES = {
    widgets.chain_rule_widget: [("point", 1.35), ("point", -0.6), ("case", 2), ("point", 1.95)],
    widgets.forward_widget: [("x1", -2.7), ("x2", 0.4), ("weight", (2, 1, 0)), ("value", -4.6), ("x1", 3.0)],
    widgets.backward_widget: [("value", 4.1), ("y_hat2", 0.85), ("weight", (1, 0, 1)), ("value", -3.3), ("y_hat1", 0.1)],
    widgets.training_widget: [("hidden", 3), ("learning_rate", 0.5), ("activation", "relu")],
}


@pytest.mark.parametrize("make", list(MOVES), ids=lambda make: make.__name__)
def test_a_redraw_shows_the_same_picture_as_a_full_draw(make):
    """A panel redraws only what changed, over the pixels it kept: after every move, its picture must be
    pixel for pixel what matplotlib draws from scratch for the same figure."""
    panel = make()
    for name, value in MOVES[make]:
        panel.controls[name].value = value
        if make is widgets.training_widget:
            panel.refresh(force=True)
        assert (pixels(panel) == full_draw(panel)).all(), f"after {name} = {value}"


@pytest.mark.parametrize("make, name, values", [
    (widgets.chain_rule_widget, "point", [round(-1.0 + 0.05 * k, 2) for k in range(1, 21)]),
    (widgets.forward_widget, "x1", [round(1.0 - 0.2 * k, 1) for k in range(1, 21)]),
    (widgets.backward_widget, "y_hat2", [round(0.05 * k, 2) for k in range(1, 21)]),
])
def test_a_drag_ends_showing_its_last_value(make, name, values):
    """A drag of 20 steps: each change is drawn before the next is handled (the kernel handles one
    message at a time and ipywidgets' browser side sends the newest value once the last is handled), so
    the picture after the last step is that of the last value, exactly as a panel opened at it shows it."""
    panel = make()
    draws = panel.draws
    for value in values:
        panel.controls[name].value = value
    assert panel.draws == draws + len(values)
    fresh = make()
    fresh.controls[name].value = values[-1]
    assert (pixels(panel) == pixels(fresh)).all()
    assert panel.readout.value == fresh.readout.value


def test_the_fast_renderer_draws_what_agg_draws():
    """The panels' renderer keeps glyph layouts and bitmaps; on a figure full of text it must draw exactly
    the pixels of matplotlib's own Agg renderer."""
    def write(ax):
        for k in range(40):
            ax.text(k % 5 / 5 + 0.013 * k, k // 5 / 8, f"∂z/∂w={0.1 + 0.137 * k:.3g} δ σ′", fontsize=7 + k % 5, color="C0")
        ax.set_title("$\\delta = \\partial C/\\partial z$")

    fast, agg = drawn_both_ways(write)
    assert (fast == agg).all()


def test_the_picture_says_what_it_shows():
    """The picture is an <img> whose alt text says what it shows, and follows it (ipywidgets' Image has no
    alt); the browser test reads it as the image's accessible name."""
    def alt(panel):
        src = re.search(r'src="data:image/png;base64,([^"]+)"', panel.image.value).group(1)
        assert base64.b64decode(src) == panel.png
        return html.unescape(re.search(r'alt="([^"]*)"', panel.image.value).group(1))

    panel = widgets.forward_widget()
    panel.controls["x1"].value = 0.5
    y = lecture_net_with(0, 0, 0, 1.0).forward((0.5, -1.0)).a[-1]
    assert "x = (0.5, −1)" in alt(panel) and f"y = ({y[0]:.3g}, {y[1]:.3g})" in alt(panel)
    chain = widgets.chain_rule_widget()
    chain.controls["point"].value = 1.25
    assert "tangent at x = 1.25, of slope" in alt(chain)
    training = widgets.training_widget(epochs=5)
    assert "The loss L per epoch over 5 epochs" in alt(training)
