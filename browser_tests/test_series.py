"""The series as a learner uses it: each notebook opened in JupyterLab in headless Chromium, all
cells run, no error shown, then its widget moved as with the keyboard and mouse until the numbers
it shows are the package's own, computed here, for the setting the page shows.

Widgets are found by what they contain (a "Train" button, a slider labelled x₁), not by cell
position, and rows of a readout by their label, so cells may be added around them.
"""
import re
import time
from functools import partial
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect

import lecture7
from lecture7 import widgets

WAIT = 60   # seconds a readout may take to follow a control (training 60 epochs is the slowest)
WEIGHT_OF_LABEL = dict(widgets.WEIGHT_CHOICES)
LABEL_OF_WEIGHT = {weight: label for label, weight in widgets.WEIGHT_CHOICES}


# ---- reading and moving a panel ------------------------------------------------------------

def panel_with(page, control):
    """The widget panel (controls, readout, picture) that contains `control`, once its readout shows."""
    panel = page.locator(".widget-vbox").filter(has=page.locator(".widget-htmlmath")).filter(has=control).first
    panel.locator(".widget-htmlmath tr").first.wait_for()
    return panel


def labelled(scope, kind, label):
    """A control of class `kind` (e.g. ".widget-slider") in `scope` (the page or a panel) whose label
    reads exactly `label` (for LaTeX, the text MathJax gives it)."""
    page = getattr(scope, "page", scope)   # a filter's `has` must be rooted at the page
    return scope.locator(kind).filter(has=page.locator(".widget-label", has_text=re.compile(f"^{re.escape(label)}$")))


def slider_value(slider):
    """The value a slider shows in its readout box (for a log slider, the value, not the exponent)."""
    return float(slider.locator(".widget-readout").text_content().replace("−", "-"))


def step_right(slider):
    """Press → on the slider's handle, as a learner does after clicking it: one step up. Returns the new value."""
    box = slider.locator(".widget-readout")
    shown = box.text_content()
    before = slider_value(slider)
    slider.locator(".noUi-handle").press("ArrowRight")
    expect(box).not_to_have_text(shown)
    after = slider_value(slider)
    assert after > before, f"→ moved the slider from {before} to {after}"
    return after


def chosen_weight(panel):
    """The weight chosen in the panel's dropdown, as (l, i, j), and the value its slider shows."""
    choice = panel.locator(".widget-dropdown select").input_value()
    return WEIGHT_OF_LABEL[choice], slider_value(labelled(panel, ".widget-slider", "its value"))


def readout(panel):
    """The readout's rows as {label: text shown}, a label cut at its first "=" (so "dz/ds" for dz/ds = …)."""
    rows = panel.locator(".widget-htmlmath tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))")
    return {label.split("=")[0].strip(): value for label, value in rows}


def number(text):
    try:
        return float(text.replace("−", "-"))
    except ValueError:
        return None


def agrees(shown, expected):
    """Equal to the 6 significant digits the readout shows."""
    return shown is not None and np.isclose(shown, expected, rtol=1e-5, atol=1e-12)


def shows(panel, expected, setting):
    """Assert the readout shows `expected` ({label: number}), naming each row that differs."""
    rows = readout(panel)
    wrong = [label for label, value in expected.items() if not agrees(number(rows.get(label, "")), value)]
    assert not wrong, f"after {setting}, the readout shows:\n" + "\n".join(
        f"  {label}: {rows.get(label, 'no such row')}, the package computes {expected[label]:.6g}" for label in wrong)


def picture(panel):
    return panel.locator("img.lecture7-picture").first


# Each picture the panel's img loads (decoded, on the page), with the time and the readout it came with,
# and the time of each key pressed: what the key-press-to-picture times and the drag are measured from.
WATCH_JS = """(img) => {
  const panel = img.closest('.widget-vbox'), readout = () => panel.querySelector('.widget-htmlmath').textContent;
  window.lecture7Keys = [];
  window.lecture7Pictures = [];   // [time decoded and shown, readout]
  window.lecture7Arrivals = [];   // [time the kernel's new picture reached the page, readout]
  if (panel.lecture7Watched) return;   // the listeners below once per panel; the lists start again
  panel.lecture7Watched = true;
  document.addEventListener('keydown', e => window.lecture7Keys.push(e.timeStamp), true);
  // each redraw puts a new <img> in the panel's HTML: 'load' does not bubble, so listen in the capture phase
  panel.addEventListener('load', e => e.target.matches('img.lecture7-picture') && window.lecture7Pictures.push(
    [performance.now(), readout()]), true);
  new MutationObserver(changes => changes.some(c => [...c.addedNodes].some(n => n.matches?.('img.lecture7-picture')))
    && window.lecture7Arrivals.push([performance.now(), readout()])).observe(panel, {childList: true, subtree: true});
}"""
PRESS_TO_PICTURE = {}   # widget → milliseconds from a key press on a slider to the new picture loaded
DRAGS = {}   # widget → (pictures that reached the page during a drag of 20 steps, ms from its last key to its last picture)
PRESSED = []


def watch(panel):
    picture(panel).evaluate(WATCH_JS)


def press_to_picture(page, panel, slider, widget, presses=5):
    """Press → on `slider` `presses` times, one at a time, each time timing the key press to the new
    picture loaded on the page; record them for the summary."""
    watch(panel)
    for _ in range(presses):
        pictures = page.evaluate("window.lecture7Pictures.length")
        step_right(slider)
        page.wait_for_function(f"window.lecture7Pictures.length > {pictures}", timeout=WAIT * 1000)
        page.wait_for_timeout(200)   # let the kernel go idle: each press timed on its own
    keys, shown = page.evaluate("[window.lecture7Keys, window.lecture7Pictures]")
    times = [next(t for t, _ in shown if t >= key) - key for key in keys]
    PRESS_TO_PICTURE[widget] = times
    PRESSED.append(widget)
    return times


def drag(page, panel, slider, numbers, setting, steps=20):
    """Press ← `steps` times as fast as the keyboard repeats, as a drag does. The kernel draws one change at
    a time and the browser holds back newer values meanwhile (sending only the latest), so after the last
    key press at most two pictures reach the page (the one being drawn, then the last value's), and the
    last one shows the last value."""
    watch(panel)
    for _ in range(steps):
        slider.locator(".noUi-handle").press("ArrowLeft")
    # done once the kernel is idle and no picture has come for a second
    page.wait_for_function("""() => {
      const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel, a = window.lecture7Arrivals;
      return kernel.status === 'idle' && a.length > 0 && performance.now() - a[a.length - 1][0] > 1000;
    }""", timeout=WAIT * 1000)
    keys, arrivals = page.evaluate("[window.lecture7Keys, window.lecture7Arrivals]")
    after_last_key = [readout for t, readout in arrivals if t >= keys[-1]]
    assert 1 <= len(after_last_key) <= 2, f"{len(after_last_key)} pictures reached the page after the last of {steps} key presses"
    shows(panel, numbers(*setting()), f"a drag of {steps} steps, at {setting()}")
    assert arrivals[-1][1] == panel.locator(".widget-htmlmath").text_content(), "the last picture is not the last value's"
    DRAGS[PRESSED[-1]] = (len(arrivals), arrivals[-1][0] - keys[-1])


def says_what_it_shows(panel, *words):
    """The picture's text alternative (the img's alt, its accessible name) names what it shows."""
    name = picture(panel).get_attribute("alt")
    assert name and all(w in name for w in words), f"the picture's text alternative: {name!r}"
    expect(panel.get_by_role("img", name=name)).to_be_visible()


def redrawn(panel, before):
    """Assert the panel's picture is a new one (its data URL is the PNG the kernel sends)."""
    expect(picture(panel)).not_to_have_attribute("src", before, timeout=WAIT * 1000)


def processed_by_kernel(page, action):
    """Do `action` and wait until the kernel has been busy and is idle again, i.e. has handled what the page sent."""
    page.evaluate("""() => {
      const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
      window.lecture7Statuses = [];
      kernel.statusChanged.connect((_, status) => window.lecture7Statuses.push(status));
    }""")
    action()
    page.wait_for_function("(() => { const s = window.lecture7Statuses;"
                           " return s.includes('busy') && s[s.length - 1] === 'idle'; })()", timeout=WAIT * 1000)


def check(page, panel, action, what, numbers, setting, new_picture=True):
    """Do `action` as a learner would, wait for its result, and assert that the readout shows
    numbers(*setting()), the package's numbers for the setting the page now shows, and that the
    picture is a new one (unless not `new_picture`). A panel redraws once per change, so once the
    kernel has handled the action and the readout differs from the one before, it is the final one."""
    before, old_picture = readout(panel), picture(panel).get_attribute("src")
    processed_by_kernel(page, action)
    deadline = time.monotonic() + WAIT
    while readout(panel) == before:
        assert time.monotonic() < deadline, f"{what} did not change the readout within {WAIT} s"
        time.sleep(0.1)
    shows(panel, numbers(*setting()), f"{what}, at {setting()}")
    if new_picture:
        redrawn(panel, old_picture)


def shows_whole_choices(panel):
    """The weight dropdown is wide enough for its longest choice ("layer 3: input 2 → neuron 2"), measured
    in the page's font: the text's width against the select's, less its padding and arrow."""
    room, longest = panel.locator(".widget-dropdown select").evaluate("""select => {
      const style = getComputedStyle(select), ctx = document.createElement('canvas').getContext('2d');
      ctx.font = style.font;
      const widest = Math.max(...[...select.options].map(o => ctx.measureText(o.text).width));
      return [select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight), widest];
    }""")
    assert longest <= room, f"the longest choice needs {longest:.0f} px; the dropdown leaves {room:.0f} px"


# ---- what the package computes for a setting -----------------------------------------------

def chain_rule_numbers(case, point):
    r = widgets.chain_rule_example(case, point)
    if case == 1:
        return {"x": r.x, "y": r.y, "z": r.z, "dy/dx": r.dy_dx, "dz/dy": r.dz_dy, "dz/dx": r.dz_dx,
                "finite difference": r.finite_difference}
    return {"s": r.s, "x": r.x, "y": r.y, "z": r.z, "dx/ds": r.dx_ds, "dy/ds": r.dy_ds, "∂z/∂x": r.dz_dx,
            "∂z/∂y": r.dz_dy, "dz/ds": r.dz_ds, "finite difference": r.finite_difference}


def forward_numbers(x1, x2, weight, value):
    l, i, j = weight
    trace = widgets.network_with_weight(weight, value).forward((x1, x2))
    return {"y1": trace.a[-1][0], "y2": trace.a[-1][1], f"z of neuron {i + 1} in layer {l + 1}": trace.z[l][i],
            "∂z/∂w of the chosen weight (its input)": trace.a[l][j]}


def backward_numbers(weight, value, y_hat1, y_hat2):
    l, i, j = weight
    net, x, y_hat = widgets.network_with_weight(weight, value), lecture7.LECTURE_INPUT, (y_hat1, y_hat2)
    trace = net.forward(x)
    grads = net.backward(trace, y_hat)
    return {"C": net.loss(x, y_hat), "∂z/∂w (forward pass)": trace.a[l][j], "∂C/∂z (backward pass)": grads.delta[l][i],
            "∂C/∂w by backpropagation": grads.dW[l][i, j],
            "∂C/∂w by finite differences": lecture7.numerical_gradient(net, x, y_hat).dW[l][i, j]}


def training_numbers(learning_rate, hidden, activation):
    _, history, test_accuracy = widgets.train_example(lecture7.datasets.two_moons(), hidden, activation, learning_rate)
    return {"epochs": history.epochs, "final loss L (training)": history.loss[-1],
            "training accuracy": history.accuracy[-1], "test accuracy": test_accuracy}


# ---- one test per notebook -----------------------------------------------------------------

WITHOUT_WIDGET = ["00_index.ipynb", "04_summary.ipynb", "06_beyond_the_lecture.ipynb", "07_capstone.ipynb"]


@pytest.mark.parametrize("name", WITHOUT_WIDGET)
def test_notebook_without_a_widget(lab, name):
    lab.open_and_run(name)
    lab.done(name)


def test_chain_rule(lab):
    lab.open_and_run("01_chain_rule.ipynb")
    page = lab.page
    panel = panel_with(page, page.locator(".widget-toggle-buttons"))
    point = labelled(panel, ".widget-slider", "x or s")

    def setting():
        return int(panel.locator(".widget-toggle-buttons button.mod-active").text_content().split()[-1]), slider_value(point)

    shows(panel, chain_rule_numbers(*setting()), "opening the notebook")
    press_case_2 = panel.locator(".widget-toggle-buttons button", has_text="case 2").click
    check(page, panel, press_case_2, "pressing “case 2”", chain_rule_numbers, setting)
    assert setting()[0] == 2
    check(page, panel, lambda: step_right(point), "moving s", chain_rule_numbers, setting)
    says_what_it_shows(panel, "Chain rule, case 2", f"s = {setting()[1]:g}")
    press_to_picture(page, panel, point, "chain rule (x or s)")
    drag(page, panel, labelled(panel, ".widget-slider", "x or s"), chain_rule_numbers, setting)
    lab.done("01_chain_rule.ipynb", panel)


def test_forward_pass(lab):
    lab.open_and_run("02_forward_pass.ipynb")
    page = lab.page
    panel = panel_with(page, labelled(page, ".widget-slider", "x1"))
    x1, x2 = labelled(panel, ".widget-slider", "x1"), labelled(panel, ".widget-slider", "x2")

    def setting():
        return slider_value(x1), slider_value(x2), *chosen_weight(panel)

    shows(panel, forward_numbers(*setting()), "opening the notebook")
    check(page, panel, lambda: step_right(x1), "moving x₁", forward_numbers, setting)
    # choosing a weight puts its lecture value on the slider (the network, and so its picture, stays
    # the same: only the readout's rows for the chosen weight change); then that weight is moved
    weight = (1, 0, 1)
    choose = partial(panel.locator(".widget-dropdown select").select_option, LABEL_OF_WEIGHT[weight])
    check(page, panel, choose, f"choosing {LABEL_OF_WEIGHT[weight]}", forward_numbers, setting, new_picture=False)
    l, i, j = weight
    assert chosen_weight(panel) == (weight, lecture7.lecture_network().weights[l][i, j])
    value = labelled(panel, ".widget-slider", "its value")
    check(page, panel, lambda: step_right(value), "moving the chosen weight", forward_numbers, setting)
    says_what_it_shows(panel, "the forward pass for x = (", "the outputs y = (")
    shows_whole_choices(panel)
    press_to_picture(page, panel, x1, "forward pass (x₁)")
    drag(page, panel, x2, forward_numbers, setting)
    lab.done("02_forward_pass.ipynb", panel)


def test_backward_pass(lab):
    lab.open_and_run("03_backward_pass.ipynb")
    page = lab.page
    panel = panel_with(page, labelled(page, ".widget-slider", "y^1"))
    y_hat1, y_hat2 = labelled(panel, ".widget-slider", "y^1"), labelled(panel, ".widget-slider", "y^2")
    value = labelled(panel, ".widget-slider", "its value")

    def setting():
        return *chosen_weight(panel), slider_value(y_hat1), slider_value(y_hat2)

    shows(panel, backward_numbers(*setting()), "opening the notebook")
    check(page, panel, lambda: step_right(value), "moving the weight", backward_numbers, setting)
    check(page, panel, lambda: step_right(y_hat2), "moving ŷ₂", backward_numbers, setting)
    shown = readout(panel)
    assert agrees(number(shown["∂C/∂w by finite differences"]), number(shown["∂C/∂w by backpropagation"]))
    says_what_it_shows(panel, "The backward pass of the network 2-2-2-2", f"ŷ = (1, {setting()[3]:g})")
    shows_whole_choices(panel)
    press_to_picture(page, panel, value, "backward pass (the chosen weight)")
    drag(page, panel, value, backward_numbers, setting)
    lab.done("03_backward_pass.ipynb", panel)


def test_training(lab):
    lab.open_and_run("05_checking_and_training.ipynb")
    page = lab.page
    panel = panel_with(page, page.locator(".widget-button", has_text=re.compile("^Train$")))
    train = panel.locator(".widget-button", has_text=re.compile("^Train$"))
    rate, hidden = labelled(panel, ".widget-slider", "learning rate"), labelled(panel, ".widget-slider", "hidden size")
    activation = labelled(panel, ".widget-dropdown", "activation").locator("select")

    def setting():
        # the readout rounds the learning rate; the slider holds 10 ** (min + k · step), on its grid
        return 10 ** round(np.log10(slider_value(rate)), 1), int(slider_value(hidden)), activation.input_value()

    trained_for = setting()
    first = training_numbers(*trained_for)
    shows(panel, first, "opening the notebook")
    expect(panel.locator(".widget-hprogress .widget-label")).to_have_text(f"epoch {first['epochs']}")

    # the training widget trains on the button only: a moved slider leaves the last result
    rows, old_picture = readout(panel), picture(panel).get_attribute("src")
    processed_by_kernel(page, lambda: step_right(hidden))
    assert setting() != trained_for
    assert readout(panel) == rows, "moving the hidden size retrained without the button"
    assert picture(panel).get_attribute("src") == old_picture

    check(page, panel, train.click, "pressing Train", training_numbers, setting)
    expect(panel.locator(".widget-hprogress .widget-label")).to_have_text(f"epoch {training_numbers(*setting())['epochs']}")
    says_what_it_shows(panel, "Decision boundary", "The loss L per epoch over 60 epochs")
    # Train pressed → the new picture (training 60 epochs included): the widget does not redraw on its sliders
    processed_by_kernel(page, lambda: step_right(hidden))   # another setting, so that Train gives another picture
    watch(panel)
    start = page.evaluate("performance.now()")
    train.click()
    page.wait_for_function("window.lecture7Pictures.length > 0", timeout=WAIT * 1000)
    PRESS_TO_PICTURE["training (Train pressed, 60 epochs trained)"] = [page.evaluate("window.lecture7Pictures[0][0]") - start]
    lab.done("05_checking_and_training.ipynb", panel)


def test_every_notebook_of_the_series_has_its_test():
    """A notebook added to the series must get a test above, or it would go unchecked in the browser."""
    tested = set(re.findall(r'open_and_run\("([^"]+)"\)', Path(__file__).read_text())) | set(WITHOUT_WIDGET)
    assert {path.name for path in (Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb")} == tested
