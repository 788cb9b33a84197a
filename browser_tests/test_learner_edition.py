"""The learner's edition in JupyterLab, as `make lab` serves it, in both languages: every notebook runs from top to
bottom with its exercises blank and no error shown; each check says "not done yet" (尚未完成); a solution stays folded
until it is clicked; in the Chinese edition a widget's labels are in Chinese (a screenshot of each in build/browser/)."""
import re
import shutil

import pytest

from conftest import PROBLEMS_JS, ROOT
from lab_browser import chromium_page, jupyterlab, run_notebook
from lecture7.cli import series

EDITION = ROOT / "lecture7" / "learner"
NAMES = [p.relative_to(EDITION).as_posix() for p in [*series(EDITION), *series(EDITION / "zh-TW")]]
SHOTS = ROOT / "build" / "browser"
# the edition's words for what the test looks for
WORDS = {"en": {"not done": "not done yet", "solution": "Solution"}, "zh-TW": {"not done": "尚未完成", "solution": "解答"}}

# The first collapsed solution of the notebook: scrolled into view (the notebook renders only the cells in view),
# then whether it is open and its code shown, before and after a click on its summary.
FOLDED_JS = """async (summary) => {
  const notebook = window.jupyterapp.shell.currentWidget.content, cells = notebook.model.cells;
  let index = -1;
  for (let i = 0; i < cells.length; i++)
    if (cells.get(i).type === 'markdown' && cells.get(i).sharedModel.getSource().startsWith(`<details><summary>${summary}<`)) { index = i; break; }
  if (index < 0) return null;
  await notebook.scrollToItem(index, 'center');
  const widget = notebook.widgets[index];
  await widget.ready;
  await new Promise(r => setTimeout(r, 500));
  const details = widget.node.querySelector('details'), code = details?.querySelector('pre');
  if (!details || !code) return {rendered: widget.node.innerText.slice(0, 200)};
  // checkVisibility: false inside a closed <details> (Chromium hides its content with content-visibility, which
  // leaves a layout size behind, so a bounding box would not tell)
  const before = {open: details.open, visible: code.checkVisibility()};
  details.querySelector('summary').click();
  await new Promise(r => setTimeout(r, 300));
  return {before, after: {open: details.open, visible: code.checkVisibility()}, text: code.innerText};
}"""


@pytest.fixture(scope="module")
def learner_lab(tmp_path_factory):
    served = tmp_path_factory.mktemp("mine") / "my-notebooks"
    shutil.copytree(EDITION, served)
    with jupyterlab(served, tmp_path_factory.mktemp("runtime-learner")) as (base, token), chromium_page() as page:
        yield page, base, token


@pytest.mark.parametrize("name", NAMES)
def test_the_learners_edition_runs_blank_and_keeps_its_solutions_folded(learner_lab, name):
    page, base, token = learner_lab
    run_notebook(page, base, token, name)
    problems = page.evaluate(PROBLEMS_JS)
    assert not problems, f"{name} (learner's edition) in JupyterLab:\n" + "\n".join(problems)
    texts = page.evaluate("""() => { const cells = window.jupyterapp.shell.currentWidget.content.model.cells, out = [];
      for (let i = 0; i < cells.length; i++) { const c = cells.get(i); if (c.type === 'code')
        for (let k = 0; k < c.outputs.length; k++) out.push(c.outputs.get(k).toJSON().text || ''); }
      return out.join(''); }""")
    words = WORDS["zh-TW" if name.startswith("zh-TW/") else "en"]
    if name.startswith("zh-TW/"):
        widget = page.locator(".widget-vbox").filter(has=page.locator(".widget-htmlmath")).first
        if widget.count():
            widget.scroll_into_view_if_needed()
            SHOTS.mkdir(parents=True, exist_ok=True)
            widget.screenshot(path=SHOTS / f"zh-TW-{name.split('/')[-1].removesuffix('.ipynb')}-widget.png")
            labels = " ".join(widget.locator(".widget-label, button, .widget-htmlmath td").all_text_contents())
            assert re.search(r"[\u3400-\u9fff]", labels), f"{name}: the widget's labels are not in Chinese: {labels}"
    folded = page.evaluate(FOLDED_JS, words["solution"])
    if name.endswith("00_index.ipynb"):
        assert folded is None and words["not done"] not in texts
        return
    assert words["not done"] in texts, f"{name}: no check says its exercise is not done yet"
    assert folded and "before" in folded, f"{name}: the solution did not render as a folded <details>: {folded}"
    assert folded["before"] == {"open": False, "visible": False}, f"{name}: the solution shows before it is asked for"
    assert folded["after"] == {"open": True, "visible": True} and "def " in folded["text"]
