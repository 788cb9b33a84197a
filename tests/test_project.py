"""The project around the package: dependency lists in step, and the documented contract."""
import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def pyproject_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    reqs = [Requirement(r) for r in project["dependencies"] + extras["test"] + extras["classroom"]]
    return {r.name.lower(): str(r.specifier) for r in reqs}


def conda_requirements():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
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
