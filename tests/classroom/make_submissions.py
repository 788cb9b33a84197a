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
import learner  # noqa: E402

STUB = learner.STUB.replace("\n", "\n    ")   # as the release has it, inside a function: nbgrader indents every line

# Each student's answers: notebook → {grade_id of a solution cell: the function body they wrote}.
ADA = {  # every answer right, in her own words, in two notebooks; 02 handed in under another name, 04 not at all
    "01_chain_rule": {
        "gradient_descent_step": "stepped = np.array(theta, dtype=float)\n    stepped -= eta * np.asarray(grad)\n    return stepped",
        "chain_rule_case1": "return 2 * x * np.cos(x * x)",
        "chain_rule_case2": "return 2 * s * np.sin(s) + s * s * np.cos(s)",
    },
    "03_backward_pass": {
        "sigmoid_prime": "e = np.exp(-np.asarray(z, dtype=float))\n    return e / (1 + e) ** 2",
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

# The attacks: each student tries one class of thing, beside answers that are right, so that the points lost are
# exactly those of the exercise cheated on. A payload reaches only paths it works out from its own folder
# (the kernel's cwd is <course>/grading/<student>/autograded/<student>/lecture7), i.e. the grading course's.
GDS, DZ_DX, DZ_DS = (ADA["01_chain_rule"][k] for k in ("gradient_descent_step", "chain_rule_case1", "chain_rule_case2"))
OUTPUT_DELTA, HIDDEN_DELTA = ADA["03_backward_pass"]["output_delta"], ADA["03_backward_pass"]["hidden_delta"]
FAY = {  # patches the checker; calls the package's own chain rule
    "01_chain_rule": {
        "gradient_descent_step": 'return theta\nlecture7.check = lambda *a, **k: print("✓")',
        "chain_rule_case1": DZ_DX,
        "chain_rule_case2": "return widgets.chain_rule_example(2, s).dz_ds",
    },
}
GUS = {  # patches numpy; calls the package's forward pass
    "02_forward_pass": {
        "neuron_forward": "return 0.0, 0.0\nnp.allclose = lambda *a, **k: True",
        "neuron_dC_dw": DEE["02_forward_pass"]["neuron_dC_dw"],
        "forward_pass": "return net.forward(x).a[-1]",
    },
}
HAL = {  # replaces the notebook's lecture7; overwrites the trace the check compares against
    "03_backward_pass": {
        "output_delta": OUTPUT_DELTA + "\nclass Anything:\n    def check(self, *args):\n        print('✓')\nlecture7 = Anything()",
        "hidden_delta": HIDDEN_DELTA + "\ntrace.a[2][:] = 0.5",
    },
}
IVY = {  # calls the package's tanh derivative; replaces a module in sys.modules
    "06_beyond_the_lecture": {
        "tanh_prime": 'return lecture7.ACTIVATIONS["tanh"].df(z, np.tanh(z))',
        "multiply_gate": "return y * dC_dz, x * dC_dz\nimport sys\nsys.modules['lecture7'].check = print",
    },
}
JO = {  # calls net.backward; changes how later cells run; patches builtins
    "04_summary": {
        "layer_gradient": "return np.outer(delta, a_in), np.asarray(delta)\n"
                          "get_ipython().input_transformers_cleanup.append(lambda lines: [l for l in lines if 'check' not in l])",
        "backward_pass": "grads = net.backward(trace, y_hat, 'squared_error')\n    return grads.dW, grads.db",
    },
    "05_checking_and_training": {
        "softmax_delta": "return np.asarray(y) - np.asarray(y_hat)\nimport builtins\nbuiltins.abs = lambda v: 0",
        "learning_rate_for_mean": "return eta * batch_size",
    },
}
KIM = {  # honest, with warnings on stderr: no point lost
    "06_beyond_the_lecture": {
        "tanh_prime": 'import warnings\n    warnings.warn("computing tanh twice")\n    return 1 - np.tanh(z) ** 2',
        "multiply_gate": "_ = np.float64(1e308) * 10   # overflows: a RuntimeWarning on stderr\n    return y * dC_dz, x * dC_dz",
    },
}
NED = {  # kills every process it can see, in the first exercise; the second exercise right
    "03_backward_pass": {"output_delta": "import os, signal\n    os.kill(-1, signal.SIGKILL)", "hidden_delta": HIDDEN_DELTA},
}
# oz: an added cell that tries everything the sandbox must deny and prints what happened, then 5 MB of output
SNOOP = """import os, socket, sqlite3, subprocess
from pathlib import Path
course = Path.cwd().parents[4]
attempts = {
    "read the course's source": lambda: (course / "source" / "lecture7" / "01_chain_rule.ipynb").read_text(),
    "write the gradebook": lambda: open(course / "gradebook.db", "ab").write(b"0"),
    "lock the gradebook": lambda: sqlite3.connect(course / "gradebook.db", timeout=1).execute("BEGIN EXCLUSIVE"),
    "write scores.csv": lambda: (course / "scores.csv").write_text("oz,100"),
    "overwrite ada's submission": lambda: (course / "submitted" / "ada" / "lecture7" / "01_chain_rule.ipynb").write_text("{}"),
    "write the installed lecture7": lambda: open(lecture7.__file__, "a").write("#"),
    "write beside the notebook": lambda: Path("lecture7.py").write_text("check = print"),
    "reach the network": lambda: socket.create_connection(("127.0.0.1", 8888), timeout=2),
    "allocate 4 GB": lambda: bytearray(4 * 2**30),
    "start 100 processes": lambda: spawn(100),
}
def spawn(n):
    started = []
    try:
        for _ in range(n):
            started.append(subprocess.Popen(["sleep", "604"]))
    finally:
        print(f"started {len(started)} of {n} processes")
        for process in started:
            process.kill()
            process.wait()
for what, attempt in attempts.items():
    try:
        attempt()
        print(f"{what}: done")
    except Exception as error:
        print(f"{what}: denied ({type(error).__name__})")
subprocess.Popen(["sh", "-c", f"sleep 605; echo oz,100 > {course}/scores.csv"], start_new_session=True)"""


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
        for student, notebooks in (("fay", FAY), ("gus", GUS), ("hal", HAL), ("ivy", IVY), ("jo", JO), ("kim", KIM), ("ned", NED)):
            for name, answers in notebooks.items():
                write(student, name, answered(blank(name), answers))
        # lea: a link to another student's notebook and a package folder that would shadow lecture7; 01 right
        folder = write("lea", "01_chain_rule", answered(blank("01_chain_rule"), ADA["01_chain_rule"])).parent
        (folder / "04_summary.ipynb").symlink_to("../../ada/lecture7/03_backward_pass.ipynb")
        (folder / "lecture7").mkdir()
        (folder / "lecture7" / "__init__.py").write_text('def check(*args, **kwargs):\n    print("✓")\n')
        # max: metadata that makes nbgrader abort (schema_version 4) and a duplicated solution cell (dz_dx)
        bad = answered(blank("01_chain_rule"), ADA["01_chain_rule"])
        bad.cells[0].metadata["nbgrader"] = {**bad.cells[0].metadata.get("nbgrader", {}), "schema_version": 4}
        twice = next(i for i, c in enumerate(bad.cells) if grade_id(c) == "chain_rule_case1")
        bad.cells.insert(twice + 1, nbformat.from_dict({**bad.cells[twice], "id": "dz-dx-again"}))
        write("max", "01_chain_rule", bad)
        # oz: the attempts of SNOOP in a cell of his own after the setup cell, a 5 MB print, every answer right
        snoop = answered(blank("01_chain_rule"), ADA["01_chain_rule"])
        setup = next(i for i, c in enumerate(snoop.cells) if grade_id(c) == "setup")
        snoop.cells[setup + 1:setup + 1] = [nbformat.v4.new_code_cell(SNOOP, id="oz-snoop"),
                                              nbformat.v4.new_code_cell('print("x" * 5_000_000)', id="oz-flood")]   # fixed ids: the same file every run
        write("oz", "01_chain_rule", snoop)


if __name__ == "__main__":
    main()
