"""The learner's edition: the series with every "Your turn" blank, shipped in the package as lecture7/learner/.

    python tools/learner.py build [NOTEBOOK ...] [--out lecture7/learner]   (`make learner`; `make notebooks` too)

`build` makes lecture7/learner/ from the source notebooks in notebooks/ (which keep the solutions, are nbgrader's
source and are what nbval runs), and lecture7/learner/zh-TW/ from notebooks/zh-TW/: nbgrader's own ClearSolutions and
ClearHiddenTests, with the stub `return ...` that the classroom release uses too; after each exercise's hint, a
collapsed "Solution" (the source's solution cell); a worksheet's numbers blanked to `...`, its filled version
collapsed below its check; no outputs. Never edit lecture7/learner/ by hand: tests/test_learner.py fails when it
differs from what `build` writes. A learner gets their own copy of it with `lecture7 copy` or `lecture7 lab`
(lecture7/cli.py), which never overwrite a notebook they changed.
"""
import argparse
import io
import re
import sys
import tokenize
from pathlib import Path

import nbformat

from lecture7.cli import series   # the series' notebooks in a folder, in order

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "notebooks"
EDITION = ROOT / "lecture7" / "learner"
STUB = "# your answer, in place of `...`\nreturn ..."   # what a blank exercise returns: its check says "not done yet"
# the collapsed cells' summaries, in each edition's language
SUMMARIES = {"en": {"solution": "Solution", "filled-in": "Filled in"}, "zh-TW": {"solution": "解答", "filled-in": "已填好"}}


REGION = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", re.S)


def secret_lines(notebook):
    """The lines (stripped) of a source notebook's solutions and hidden tests that appear nowhere else in it: what
    neither the learner's edition nor the classroom release may show (a blank line or a `return a` gives nothing away)."""
    visible = {line.strip() for c in notebook.cells for line in REGION.sub("", c.source).splitlines()}
    return {line.strip() for c in notebook.cells for m in REGION.finditer(c.source) for line in m.group(2).splitlines()} - visible


# ---- build ------------------------------------------------------------------------------------------------

def learner_notebook(path):
    """The learner's edition of the source notebook at `path` (a NotebookNode)."""
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

    source = nbformat.read(path, as_version=4)
    language = source.metadata.get("lecture7", {}).get("language", "en")
    summary = SUMMARIES[language]
    solutions = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
                 if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"}
    notebook, _ = ClearSolutions(code_stub={"python": STUB}).preprocess(nbformat.from_dict(source), {})
    notebook, _ = ClearHiddenTests().preprocess(notebook, {})
    cells, pending, filled = [], None, None   # pending: a solution to show after its check and hint; filled: a worksheet's
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        if pending and not (cell.cell_type == "markdown" and "hint" in tags) and not _is_test(cell):
            cells.append(pending)
            pending = None
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in solutions:
            pending = _collapsed(summary, "solution", _without_markers(solutions[grade_id]), f"{grade_id}-solution")
        cell.metadata.pop("nbgrader", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
        if filled:   # the cell after a worksheet is its check: the filled-in copy goes below it
            cells.append(filled)
            filled = None
        if "worksheet" in tags:
            filled = _collapsed(summary, "filled-in", cell.source, f"{cell.id}-filled")
    blank_worksheets(notebook)
    if pending or filled:
        cells.append(pending or filled)
    notebook.cells = cells
    notebook.metadata = {"kernelspec": source.metadata["kernelspec"], "language_info": {"name": "python"},
                         "lecture7": {"edition": "learner", "language": language,
                                      "source": Path(path).resolve().relative_to(ROOT).as_posix()}}
    return notebook


def _is_test(cell):
    return cell.metadata.get("nbgrader", {}).get("grade", False)


def _without_markers(source):
    return "\n".join(line for line in source.split("\n") if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)


def _collapsed(summaries, tag, code, cell_id):
    """A markdown cell, tagged `tag`, that shows `code` only when the learner opens it (an HTML <details>)."""
    cell = nbformat.v4.new_markdown_cell(f"<details><summary>{summaries[tag]}</summary>\n\n```python\n{code}\n```\n\n</details>")
    cell.id, cell.metadata = cell_id[:64], {"tags": [tag]}
    return cell


def blank_worksheets(notebook):
    """Blank, in place, the numbers of every cell tagged `worksheet` (the learner's edition and the classroom release)."""
    for cell in notebook.cells:
        if "worksheet" in cell.metadata.get("tags", []):
            cell.source = blank_numbers(cell.source)
    return notebook


def blank_numbers(source):
    """`source` with every number literal, and the minus sign of a negative one, replaced by `...` (a worksheet's boxes)."""
    lines = source.split("\n")
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
              if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)]
    spans = []
    for i, token in enumerate(tokens):
        if token.type == tokenize.NUMBER:
            start = token.start
            if i >= 2 and tokens[i - 1].string == "-" and tokens[i - 2].string in "([{,:=":
                start = tokens[i - 1].start   # a negative number: its sign is part of the answer
            spans.append((start, token.end))
    for (row, col), (_, end) in reversed(spans):   # from the end, so that earlier columns stay right
        lines[row - 1] = lines[row - 1][:col] + "..." + lines[row - 1][end:]
    return "\n".join(lines)


def sources():
    """Every source notebook of both editions: notebooks/ and notebooks/zh-TW/."""
    return series(SOURCE) + series(SOURCE / "zh-TW")


def build(out=EDITION, paths=()):
    """Write the learner's edition of the source notebooks `paths` (default: all of both editions, and remove the
    edition's notebooks that have no source any more) into `out`, a language's notebooks in its own folder (zh-TW/);
    return the paths written."""
    out = Path(out)
    written = []
    for path in [Path(p).resolve() for p in paths] or sources():
        target = out / path.parent.relative_to(SOURCE) / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(learner_notebook(path), target)
        written.append(target)
    if not paths:
        for stale in (set(series(out)) | set(series(out / "zh-TW"))) - set(written):
            stale.unlink()
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("build")
    command.add_argument("notebooks", nargs="*", type=Path, help="source notebooks (default: all of notebooks/ and notebooks/zh-TW/)")
    command.add_argument("--out", default=EDITION, type=Path)
    args = parser.parse_args(argv)
    for path in build(args.out, args.notebooks):
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


if __name__ == "__main__":
    sys.exit(main())
