"""One JupyterLab and one headless Chromium page for the whole run, serving a copy of notebooks/.

Running a notebook in JupyterLab rewrites its outputs, so the server gets a temporary copy and
the committed notebooks are checked to be byte for byte unchanged at the end. Each notebook's time
to open and run all cells is printed after the run and written to build/browser/times.md.
"""
import hashlib
import shutil
import statistics
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
OUT = ROOT / "build" / "browser"
sys.path.insert(0, str(ROOT / "tools"))

from lab_browser import chromium_page, jupyterlab, run_notebook  # noqa: E402

# notebook → (seconds to open and run all cells, seconds for its widget checks)
TIMES = {}

# Every code cell that ran, with its error or stderr outputs, read from the notebook's model: in
# "full" windowing mode JupyterLab leaves cells out of view out of the page, the model has them all.
PROBLEMS_JS = """() => {
  const cells = window.jupyterapp.shell.currentWidget.content.model.cells, problems = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== 'code') continue;
    if (cell.executionCount === null) problems.push(`cell ${i + 1} did not run`);
    for (let k = 0; k < cell.outputs.length; k++) {
      const out = cell.outputs.get(k).toJSON();
      if (out.output_type === 'error') problems.push(`cell ${i + 1}: ${out.ename}: ${out.evalue}`);
      if (out.output_type === 'stream' && out.name === 'stderr') problems.push(`cell ${i + 1} wrote to stderr: ${out.text}`);
    }
  }
  return problems;
}"""
SHOWN_ERRORS = ('[data-mime-type="application/vnd.jupyter.error"], '
                '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')


def digests():
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(NOTEBOOKS.glob("*.ipynb"))}


class Lab:
    """The page, and what every notebook's test does: open and run it, check it, screenshot it."""

    def __init__(self, page, base, token):
        self.page, self.base, self.token = page, base, token

    def open_and_run(self, name):
        """Open `name`, run all cells, wait until the kernel is idle; assert that no cell shows an error."""
        start = time.perf_counter()
        run_notebook(self.page, self.base, self.token, name)
        TIMES[name] = [time.perf_counter() - start, None]
        problems = self.page.evaluate(PROBLEMS_JS)
        assert not problems, f"{name} in JupyterLab:\n" + "\n".join(problems)
        shown = self.page.locator(SHOWN_ERRORS).all_inner_texts()
        assert not shown, f"{name} shows error output:\n" + "\n".join(shown)
        widget_errors = self.page.locator(".jp-OutputArea-output", has_text="Error displaying widget").all_inner_texts()
        assert not widget_errors, f"{name}: a widget did not display:\n" + "\n".join(widget_errors)
        self._widgets_start = time.perf_counter()

    def done(self, name, panel=None):
        """Save a screenshot with `panel` (a widget's locator) in view, or else the notebook's top
        (running all cells leaves it scrolled to the last); record the time the widget checks took."""
        if panel is not None:
            TIMES[name][1] = time.perf_counter() - self._widgets_start
        if panel is None:
            # a long notebook renders only the cells in view: scroll its panel to the top, then wait for its first cell
            self.page.evaluate("() => document.querySelectorAll('.jp-WindowedPanel-outer').forEach(s => { s.scrollTop = 0; })")
            expect(self.page.locator(".jp-Notebook .jp-Cell").first).to_be_in_viewport()
        else:
            panel.scroll_into_view_if_needed()
        OUT.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(OUT / f"{Path(name).stem}.png"))


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """JupyterLab on a copy of notebooks/, and a Chromium page; both stopped at the end, also after a failure."""
    before = digests()
    served = tmp_path_factory.mktemp("served") / "notebooks"
    shutil.copytree(NOTEBOOKS, served, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    with jupyterlab(served, tmp_path_factory.mktemp("runtime")) as (base, token), chromium_page() as page:
        yield Lab(page, base, token)
    assert digests() == before, "running the series in JupyterLab changed the committed notebooks"


def pytest_terminal_summary(terminalreporter):
    from test_series import DRAGS, PRESS_TO_PICTURE

    if not TIMES:
        return
    lines = ["| notebook | open + run all cells | widget checks |", "|---|---|---|"]
    lines += [f"| {name} | {run:.1f} s | {'–' if checks is None else f'{checks:.1f} s'} |"
              for name, (run, checks) in sorted(TIMES.items())]
    if PRESS_TO_PICTURE:
        lines += ["", "| widget (slider) | key press → new picture on the page: median (each of the presses) |", "|---|---|"]
        lines += [f"| {name} | {statistics.median(ms):.0f} ms ({', '.join(f'{t:.0f}' for t in ms)}) |"
                  for name, ms in PRESS_TO_PICTURE.items()]
    if DRAGS:
        lines += ["", "| widget | a drag of 20 key presses: pictures that reached the page | last key → last picture |", "|---|---|---|"]
        lines += [f"| {name} | {count} | {ms:.0f} ms |" for name, (count, ms) in DRAGS.items()]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "times.md").write_text("\n".join(lines) + "\n")
    terminalreporter.write_sep("-", f"JupyterLab in Chromium (also in {(OUT / 'times.md').relative_to(ROOT)})")
    for line in lines:
        terminalreporter.write_line(line)
