"""Re-execute notebooks in place, storing their outputs, and strip volatile metadata (`make notebooks`).

Each notebook runs in a fresh kernel from its own folder, as a learner would run it; the time each
takes is printed, since the series promises at most 15 s a notebook.
"""
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def run(path):
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    # a cell's prints arrive as one stream output or several, depending on when the kernel flushed: merge them
    CoalesceStreamsPreprocessor().preprocess(notebook, {})
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            # a widget's view points at a model that lives only in the kernel (a new id on every run);
            # without it the stored text/plain is what JupyterLab and GitHub show anyway
            output.get("data", {}).pop(WIDGET_VIEW, None)
    nbformat.write(notebook, path)
    # widget state and execution timestamps change on every run: keep outputs and counts only
    subprocess.run([sys.executable, "-m", "nbstripout", "--keep-output", "--keep-count", str(path)], check=True)
    return seconds


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or sorted(Path("notebooks").glob("*.ipynb"))
    for path in paths:
        print(f"{path}: executed in {run(path):.1f} s", flush=True)
