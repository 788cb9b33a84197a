"""The learner's edition in JupyterLab, as `make lab` serves it: every notebook runs from top to bottom with its
exercises blank and no error shown; each check says "not done yet"; a solution stays folded until it is clicked."""
import shutil

import pytest

from conftest import PROBLEMS_JS, ROOT
from lab_browser import chromium_page, jupyterlab, run_notebook

EDITION = ROOT / "learner"
NAMES = sorted(p.name for p in EDITION.glob("[0-9][0-9]_*.ipynb"))

# The first collapsed solution of the notebook: scrolled into view (the notebook renders only the cells in view),
# then whether it is open and its code shown, before and after a click on its summary.
FOLDED_JS = """async () => {
  const notebook = window.jupyterapp.shell.currentWidget.content, cells = notebook.model.cells;
  let index = -1;
  for (let i = 0; i < cells.length; i++)
    if (cells.get(i).type === 'markdown' && cells.get(i).sharedModel.getSource().startsWith('<details><summary>Solution')) { index = i; break; }
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
    folded = page.evaluate(FOLDED_JS)
    if name == "00_index.ipynb":
        assert folded is None and "not done yet" not in texts
        return
    assert "not done yet" in texts, f"{name}: no check says its exercise is not done yet"
    assert folded and "before" in folded, f"{name}: the solution did not render as a folded <details>: {folded}"
    assert folded["before"] == {"open": False, "visible": False}, f"{name}: the solution shows before it is asked for"
    assert folded["after"] == {"open": True, "visible": True} and "def " in folded["text"]
