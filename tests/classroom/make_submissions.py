"""Write the made-up submissions in tests/classroom/submitted/ from the current student version.

    .venv/bin/python tests/classroom/make_submissions.py

Each student below is one case that grading must survive; tests/test_classroom.py grades them, with the
solution notebooks and the untouched release beside them, and asserts the score of each. Run this again
after adding, removing or renaming an exercise of the series; the grade_ids in the submissions must be
those of the notebooks (a test checks it).
"""
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "tools"))

import classroom  # noqa: E402

STUB = "# YOUR CODE HERE\n    raise NotImplementedError()"

# Each student's answers: notebook → {grade_id of a solution cell: the function body they wrote}.
ADA = {  # every answer right, in her own words, in two notebooks; 02 handed in under another name, 04 not at all
    "01_chain_rule": {
        "gradient_descent_step": "stepped = np.array(theta, dtype=float)\n    stepped -= eta * np.asarray(grad)\n    return stepped",
        "chain_rule_case1": "return 2 * x * np.cos(x * x)",
        "chain_rule_case2": "return 2 * s * np.sin(s) + s * s * np.cos(s)",
    },
    "03_backward_pass": {
        "output_delta": "return np.array([yk * (1 - yk) * (yk - tk) for yk, tk in zip(y, y_hat)])",
        "hidden_delta": "return np.array([a[j] * (1 - a[j]) * sum(W_next[k][j] * delta_next[k] for k in range(len(delta_next)))\n"
                        "                     for j in range(len(a))])",
    },
}
CY = {  # an endless loop in the first exercise, the second one right
    "03_backward_pass": {"output_delta": "while True:\n        pass", "hidden_delta": ADA["03_backward_pass"]["hidden_delta"]},
}
DEE = {  # two wrong answers whose test cells she deleted or emptied, one right answer
    "02_forward_pass": {
        "neuron_forward": "z = np.dot(w, x) + b\n    return z, z",
        "neuron_dC_dw": "return np.array(x) * dC_dz",
        "forward_pass": "return np.asarray(x)",
    },
}


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def answered(notebook, answers):
    """The release notebook with each solution cell's stub replaced by the student's body."""
    for cell in notebook.cells:
        if grade_id(cell) in answers:
            assert STUB in cell.source, f"{grade_id(cell)}: no stub to fill in"
            cell.source = cell.source.replace(STUB, answers[grade_id(cell)])
    return notebook


def write(student, name, notebook):
    folder = HERE / "submitted" / student / classroom.ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / f"{name}.ipynb")
    return folder / f"{name}.ipynb"


def main():
    shutil.rmtree(HERE / "submitted", ignore_errors=True)
    with tempfile.TemporaryDirectory() as course:
        release = classroom.release(Path(course))

        def blank(name):
            return nbformat.read(release / f"{name}.ipynb", as_version=4)

        for name, answers in ADA.items():
            write("ada", name, answered(blank(name), answers))
        write("ada", "02_forward_pass-Copy1", blank("02_forward_pass"))
        raising = blank("02_forward_pass")
        for cell in raising.cells:
            if cell.cell_type == "code":
                cell.source = "raise RuntimeError(\"ben's cell\")"
        write("ben", "02_forward_pass", raising)
        write("cy", "03_backward_pass", answered(blank("03_backward_pass"), CY["03_backward_pass"]))
        dee = answered(blank("02_forward_pass"), DEE["02_forward_pass"])
        dee.cells = [c for c in dee.cells if grade_id(c) != "neuron_forward_test"]
        for cell in dee.cells:
            if grade_id(cell) == "forward_pass_test":
                cell.source = 'print("all tests passed")'
        write("dee", "02_forward_pass", dee)
        # eve: one notebook cut off halfway (not JSON), one with every answer right (ada's)
        cut = write("eve", "01_chain_rule", answered(blank("01_chain_rule"), ADA["01_chain_rule"]))
        cut.write_text(cut.read_text()[: len(cut.read_text()) // 2])
        write("eve", "03_backward_pass", answered(blank("03_backward_pass"), ADA["03_backward_pass"]))


if __name__ == "__main__":
    main()
