"""Getting the series without a clone: the wheel (with the learner's edition and the `lecture7` command), installed
into a fresh venv and used outside the repository; PyPI's checks; and a Makefile a newcomer cannot
trip on (clean keeps grades, a half-made .venv is made again, a too-old Python is told what to do)."""
import importlib.metadata
import os
import re
import secrets
import shutil
import subprocess
import sys
import tomllib
import urllib.request
import zipfile
from pathlib import Path

import nbformat
import pytest
from lab_browser import free_port, stop, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
EDITIONS = {"": sorted(p.name for p in (ROOT / "lecture7" / "learner").glob("*.ipynb")),
            "zh-TW/": sorted(p.name for p in (ROOT / "lecture7" / "learner" / "zh-TW").glob("*.ipynb"))}


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    run = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    return out


def wheel(dist):
    return next(dist.glob("lecture7-*.whl"))


def test_the_wheel_and_the_sdist_pass_twine_check(dist):
    files = sorted(str(p) for p in dist.iterdir())
    assert sorted(Path(f).suffix for f in files) == [".gz", ".whl"]
    run = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *files], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_wheel_carries_the_series_the_command_and_the_licence(dist):
    import lecture7

    names = set(zipfile.ZipFile(wheel(dist)).namelist())
    for folder, notebooks in EDITIONS.items():
        assert len(notebooks) == 8 and {f"lecture7/learner/{folder}{n}" for n in notebooks} <= names
    assert {"lecture7/jupyter-config/labconfig/default_setting_overrides.json", "lecture7/locale/zh-TW.po",
            f"lecture7-{lecture7.__version__}.dist-info/licenses/LICENSE"} <= names
    entry_points = zipfile.ZipFile(wheel(dist)).read(f"lecture7-{lecture7.__version__}.dist-info/entry_points.txt").decode()
    assert "lecture7 = lecture7.cli:main" in entry_points
    assert not [n for n in names if n.startswith(("notebooks/", "tests/", "tools/")) or "__pycache__" in n]


def test_pypi_sees_a_readme_without_relative_pictures_urls_and_classifiers():
    readme = (ROOT / PROJECT["readme"]).read_text()
    assert not re.findall(r"!\[[^\]]*\]\((?!https://)", readme) and "<img" not in readme
    assert "lecture7 lab" in readme and "pip install lecture7" in readme
    assert PROJECT["urls"] and all(url.startswith("https://") for url in PROJECT["urls"].values())
    assert "Natural Language :: Chinese (Traditional)" in PROJECT["classifiers"]
    assert (ROOT / "LICENSE").read_text().startswith("MIT License") and PROJECT["license"] == "MIT"


def test_the_wheel_installed_in_a_fresh_venv_gives_lecture7_copy_and_lab_outside_the_repository(dist, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python, command = venv / "bin" / "python", venv / "bin" / "lecture7"
    # its dependencies from the package index, pinned by constraints.txt as make test pins them
    run = subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel(dist))], capture_output=True, text=True,
                         env={**os.environ, "PIP_CONSTRAINT": str(ROOT / "constraints.txt")})
    assert run.returncode == 0, run.stdout + run.stderr
    home = tmp_path / "elsewhere"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    copied = subprocess.run([str(command), "copy", "series"], cwd=home, capture_output=True, text=True, env=env)
    assert copied.returncode == 0, copied.stderr
    for folder, notebooks in EDITIONS.items():
        assert sorted(p.name for p in (home / "series" / folder).glob("*.ipynb")) == notebooks
        assert f"{folder}01_chain_rule.ipynb: copied (new)" in copied.stdout
    # the installed package, not the repository's, runs a notebook of the edition from there
    where = subprocess.run([str(python), "-c", "import lecture7; print(lecture7.__file__)"], cwd=home, capture_output=True,
                           text=True, env=env).stdout
    assert str(venv) in where and str(ROOT) not in where
    executed = subprocess.run([str(venv / "bin" / "jupyter"), "nbconvert", "--to", "notebook", "--execute", "--output",
                               "run.ipynb", "series/01_chain_rule.ipynb"], cwd=home, capture_output=True, text=True, env=env)
    assert executed.returncode == 0, executed.stderr
    text = "".join(o.get("text", "") for c in nbformat.read(home / "series" / "run.ipynb", as_version=4).cells
                   if c.cell_type == "code" for o in c.outputs)
    assert "gradient_descent_step is not done yet" in text and "Traceback" not in text

    port, token = free_port(), secrets.token_hex(16)
    server = subprocess.Popen([str(command), "lab", "series", "--port", str(port), "--no-browser", "--port-retries=0",
                               f"--ServerApp.token={token}"], cwd=home, env={**env, "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt")},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_up(server, f"http://127.0.0.1:{port}/api/status?token={token}")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents/zh-TW?token={token}", timeout=10) as response:
            assert response.status == 200
    finally:
        stop(server)
    said = server.stdout.read().decode()
    assert "01_chain_rule.ipynb: kept (the edition has not changed)" in said


def test_make_test_runs_with_the_versions_of_constraints_txt():
    pins = dict(line.split("==") for line in (ROOT / "constraints.txt").read_text().splitlines() if "==" in line)
    for name in ("matplotlib", "numpy", "jupyterlab", "nbval", "pytest-mpl", "nbgrader"):
        assert importlib.metadata.version(name) == pins[name], f"{name} is not the version of constraints.txt"
    assert "export PIP_CONSTRAINT := $(CURDIR)/constraints.txt" in (ROOT / "Makefile").read_text()


def make(tmp_path, *args, **env):
    return subprocess.run(["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), "-C", str(tmp_path), *args],
                          capture_output=True, text=True, env={**os.environ, **env})


def test_make_clean_never_removes_a_course_and_clean_course_says_what_it_removes(tmp_path):
    grades = tmp_path / "build" / "my-course" / "gradebook.db"
    grades.parent.mkdir(parents=True)
    grades.write_text("scores")
    (tmp_path / ".venv").mkdir()
    refused = make(tmp_path, "clean")
    assert refused.returncode != 0 and "build/my-course/gradebook.db" in refused.stdout + refused.stderr
    assert grades.exists() and (tmp_path / ".venv").exists()
    shutil.move(tmp_path / "build" / "my-course", tmp_path / "classroom")
    assert make(tmp_path, "clean").returncode == 0
    assert not (tmp_path / ".venv").exists() and not (tmp_path / "build").exists()
    assert (tmp_path / "classroom" / "gradebook.db").exists()
    removed = make(tmp_path, "clean-course")
    assert removed.returncode == 0 and "classroom/gradebook.db" in removed.stdout and not (tmp_path / "classroom").exists()


def test_a_half_made_venv_is_made_again_and_a_too_old_python_is_told_the_fix(tmp_path):
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / ".venv")], check=True)
    python = shutil.which("python3.11") or sys.executable
    made = make(tmp_path, "venv", f"PYTHON={python}")
    assert made.returncode == 0 and "is incomplete (no working pip): making it again" in made.stdout
    assert subprocess.run([str(tmp_path / ".venv" / "bin" / "python"), "-m", "pip", "--version"]).returncode == 0
    old = tmp_path / "python3.9"
    old.write_text("#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'Python 3.9.2'; exit 0; fi\nexit 1\n")
    old.chmod(0o755)
    refused = make(tmp_path, "venv", f"PYTHON={old}")
    assert refused.returncode != 0 and "Python 3.9.2" in refused.stdout and "make lab PYTHON=python3.12" in refused.stdout
