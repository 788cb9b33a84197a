"""Write the README's pictures to docs/img: the annotated forward diagram, the reversed network,
and a screenshot of the backward-pass widget running in JupyterLab (headless Chromium).

Run with `make figures`.
"""
import json
import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from lecture7 import LECTURE_INPUT, lecture_network, plots  # noqa: E402
from lab_browser import chromium_page, jupyterlab, run_notebook  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "docs" / "img"
LECTURE_TARGET = (1.0, 0.0)
WIDGET_CELL = "from lecture7 import widgets\nwidgets.backward_widget(weight=(2, 0, 0))"


def diagrams():
    net = lecture_network()
    plots.draw_network(net, LECTURE_INPUT, annotate="forward").savefig(OUT / "forward.png", dpi=110)
    plots.draw_reversed_network(net, LECTURE_INPUT, LECTURE_TARGET).savefig(OUT / "reversed.png", dpi=110)


def widget_screenshot():
    """The widget as a learner sees it: a one-cell notebook run in JupyterLab, then a screenshot."""
    with tempfile.TemporaryDirectory() as tmp:
        notebook = {"cells": [{"cell_type": "code", "metadata": {}, "source": WIDGET_CELL, "outputs": [], "execution_count": None}],
                    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
                    "nbformat": 4, "nbformat_minor": 5}
        (Path(tmp) / "widget.ipynb").write_text(json.dumps(notebook))
        with jupyterlab(tmp, Path(tmp) / "runtime") as (base, token), chromium_page(width=1200, height=1000) as page:
            run_notebook(page, base, token, "widget.ipynb")
            output = page.locator(".jp-OutputArea-output").first
            output.locator("img.lecture7-picture").wait_for(timeout=60_000)
            output.screenshot(path=str(OUT / "widget.png"))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    diagrams()
    widget_screenshot()
    print(f"wrote {', '.join(sorted(p.name for p in OUT.glob('*.png')))} to {OUT}", file=sys.stderr)
