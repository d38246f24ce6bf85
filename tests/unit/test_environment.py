"""environment.yml (conda-forge) must list the same dependencies as pyproject.toml."""
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
# conda-forge names that differ from PyPI's
CONDA_NAME = {"kaleido": "python-kaleido", "dask": "dask", "sudachidict-core": "sudachidict-core"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower()


def _pyproject_names() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"]) + list(project["optional-dependencies"]["test"])
    names = {CONDA_NAME.get(_name(r), _name(r)) for r in requirements}
    if any(r.startswith("dask[distributed]") for r in requirements):
        names.add("distributed")
    return names


def _environment_names() -> set[str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    names = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            names |= {_name(d) for d in dep.get("pip", []) if not d.startswith("-e")}
        else:
            names.add(_name(dep))
    return names - {"python", "pip"}


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    assert _environment_names() == _pyproject_names()


def test_name_parsing_sees_a_drift():
    # the comparison above is only useful if a missing name would show
    assert _name("pandas>=2.2") == "pandas" and _name("dask[distributed]>=2024.8") == "dask"
    assert _pyproject_names() - {"pandas"} != _environment_names()
