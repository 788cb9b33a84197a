"""Re-execute notebooks in place, storing their outputs, and strip volatile metadata (`make notebooks`).

    python tools/run_notebooks.py [notebooks/NAME.ipynb ...]   (default: the whole series)

For each English notebook: run it; write its Traditional Chinese edition from translations/ (tools/translate.py)
and run that; then write both learner's editions (tools/learner.py). Each notebook runs in a fresh kernel from its
own folder, as a learner would run it; the time each takes is printed, since the series promises at most 15 s a
notebook. A cell tagged `timing` shows measured seconds, which differ at every run: it keeps the outputs it has while
its code is unchanged (`--timings` runs it anew), so that running unchanged notebooks changes no file.
"""
import argparse
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

import learner
import translate

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def run(path, timings=False):
    before = nbformat.read(path, as_version=4)
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    # a cell's prints arrive as one stream output or several, depending on when the kernel flushed: merge them
    CoalesceStreamsPreprocessor().preprocess(notebook, {})
    stored = {c.source: c for c in before.cells if "timing" in c.metadata.get("tags", []) and c.get("outputs")}
    for cell in notebook.cells:
        if not timings and cell.source in stored and "timing" in cell.metadata.get("tags", []):
            cell.outputs = stored[cell.source].outputs
        for output in cell.get("outputs", []):
            # a widget's view points at a model that lives only in the kernel (a new id on every run);
            # without it the stored picture and text/plain are what JupyterLab and GitHub show
            output.get("data", {}).pop(WIDGET_VIEW, None)
    nbformat.write(notebook, path)
    # widget state and execution timestamps change on every run: keep outputs and counts only
    subprocess.run([sys.executable, "-m", "nbstripout", "--keep-output", "--keep-count", str(path)], check=True)
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="English notebooks (default: all of notebooks/)")
    parser.add_argument("--timings", action="store_true", help="run the cells tagged `timing` anew too")
    args = parser.parse_args(argv)
    english = [p.resolve() for p in args.notebooks] or translate.series()
    for path in english:
        print(f"{path.relative_to(translate.ROOT)}: executed in {run(path, args.timings):.1f} s", flush=True)
    for language in translate.LANGUAGES:
        for path in translate.build(language, english):
            print(f"{path.relative_to(translate.ROOT)}: executed in {run(path, args.timings):.1f} s", flush=True)
    sources = english + [translate.edition_folder(language) / p.name for language in translate.LANGUAGES for p in english]
    for path in learner.build(paths=sources if args.notebooks else ()):
        print(f"wrote {path.relative_to(translate.ROOT)}")


if __name__ == "__main__":
    main()
