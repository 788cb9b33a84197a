"""The project around the package: dependency lists in step (pyproject.toml, environment.yml, Binder's), and the
documented contract."""
import os
import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def pyproject_requirements(extras=("test", "classroom")):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = [Requirement(r) for r in project["dependencies"] + [r for e in extras for r in project["optional-dependencies"][e]]]
    return {r.name.lower(): str(r.specifier) for r in reqs}


def conda_requirements(path=ROOT / "environment.yml"):
    env = yaml.safe_load(path.read_text())
    assert env["channels"] == ["conda-forge"]
    specs = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str):
            name, spec = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*(.*)", dep).groups()
            specs[name.lower()] = spec.replace(" ", "")
        else:   # the package itself, and what conda-forge does not have under its PyPI name
            assert list(dep) == ["pip"] and dep["pip"][0] == "-e ."
            specs.update({r.name.lower(): str(r.specifier) for r in map(Requirement, dep["pip"][1:])})
    return specs


def test_environment_yml_matches_pyproject():
    conda = conda_requirements()
    python = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert conda.pop("python") == python
    assert conda.pop("pip") == ""
    assert conda == pyproject_requirements()


def test_binder_has_the_runtime_dependencies_only_and_a_python_repo2docker_reads():
    env = yaml.safe_load((ROOT / "binder" / "environment.yml").read_text())
    python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    # repo2docker's own pattern for the Python version of an environment.yml
    assert len(python) == 1 and re.match(r"python\s*=+\s*([\d\.]*)", python[0]).group(1) == "3.12"
    specs = conda_requirements(ROOT / "binder" / "environment.yml")
    specs.pop("python"), specs.pop("pip")
    assert specs == pyproject_requirements(extras=())
    for script in ("postBuild", "start"):
        path = ROOT / "binder" / script
        assert os.access(path, os.X_OK) and path.read_text().startswith("#!/bin/bash")
    assert 'exec "$@"' in (ROOT / "binder" / "start").read_text()
    readme = (ROOT / "README.md").read_text()
    link = re.search(r"https://mybinder\.org/v2/gh/[^/\s]+/[^/\s]+/HEAD\?labpath=([\w%./-]+)", readme)
    assert link and (ROOT / link.group(1).replace("%2F", "/")).exists()


def test_torch_is_not_a_dependency():
    assert "torch" not in pyproject_requirements()


def test_readme_documents_the_commands_and_the_contract():
    readme = (ROOT / "README.md").read_text()
    assert readme.index("make lab") < readme.index("## ") and readme.index("make test") < readme.index("## ")
    for name in ["lecture7.Network(", "Network.from_weights(", "lecture7.lecture_network()", "net.forward(x)",
                 "net.backward(trace, y_hat", "grads.delta[l]", "grads.dW[l]", "grads.db[l]", "trace.a[0]",
                 "lecture7.numerical_gradient(", "cross_entropy", "make install", "make help", "make clean", ".ci/run"]:
        assert name in readme, f"README.md does not document {name}"


def test_every_public_name_exists():
    import lecture7

    for name in lecture7.__all__:
        assert hasattr(lecture7, name), name
