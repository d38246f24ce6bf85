"""Kernels forked from the run (kaidan.reports.kernels): which kernel commands a seed may stand
in for, what is imported before forking, and that a forked kernel runs a notebook as a kernel
jupyter_client starts would, in its folder, with its environment, and ends when asked."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from kaidan.reports.execute import run_notebook
from kaidan.reports.kernels import KernelSeeds, kernel_arguments, manager_for, notebook_imports, preload

PY = sys.executable


@pytest.mark.parametrize("cmd, expected", [
    ([PY, "-m", "ipykernel_launcher", "-f", "c.json"], ["-f", "c.json"]),
    ([PY, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "c.json", "--x=1"], ["-f", "c.json", "--x=1"]),
    ([PY, "-X", "frozen_modules=off", "-m", "ipykernel_launcher", "-f", "c.json"], ["-f", "c.json"]),
    (["/some/other/python", "-m", "ipykernel_launcher", "-f", "c.json"], None),  # another interpreter
    ([PY, "-E", "-m", "ipykernel_launcher", "-f", "c.json"], None),  # an option a fork cannot honour
    ([PY, "-m", "other_kernel", "-f", "c.json"], None),
    (["R", "--slave", "-e", "IRkernel::main()", "--args", "c.json"], None),
    ([], None),
])
def test_only_ipykernel_in_this_interpreter_is_forked(cmd, expected):
    assert kernel_arguments(cmd) == expected


def _notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources] + [nbformat.v4.new_markdown_cell("import nothing")]
    nbformat.write(nb, path)
    return path


def test_the_imports_preloaded_are_the_notebooks_own_once_each(tmp_path):
    a = _notebook(tmp_path / "a.ipynb", "import json\nx = 1\nfrom os import path as p", "%time import re")
    b = _notebook(tmp_path / "b.ipynb", "import json", "from . import here", "def f():\n    import csv")
    assert notebook_imports([a, b]) == ["import json", "from os import path as p"]


def test_a_failing_import_is_left_to_its_notebook():
    preload(["import kaidan_no_such_module", "import json"])  # no exception: the kernel reports it


def _probe(tmp_path: Path) -> Path:
    return _notebook(tmp_path / "probe.ipynb", "\n".join([
        "import json, os, sys, logging",
        "print(json.dumps({'cwd': os.getcwd(), 'parent': os.environ.get('JPY_PARENT_PID'),",
        "                  'path0': sys.path[0], 'argv0': os.path.basename(sys.argv[0]),",
        "                  'handlers': len(logging.root.handlers), 'probe': os.environ.get('KAIDAN_PROBE'),",
        "                  'stdin': sys.stdin is None or not sys.stdin.isatty()}))",
    ]))


def _ran(staging: Path, name: str) -> dict:
    nb = nbformat.read(staging / "notebooks" / f"{name}.ipynb", as_version=4)
    return json.loads(nb.cells[0].outputs[0]["text"])


def test_a_forked_kernel_runs_a_notebook_as_a_started_one(tmp_path, monkeypatch):
    probe = _probe(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("KAIDAN_PROBE", "set after the fork")  # reaches the kernel as jupyter_client passes it
    # this interpreter's path as a command's process has it: its script's folder first (pytest adds others)
    fresh = subprocess.run([PY, "-c", "import json, sys; print(json.dumps(sys.path[1:]))"], capture_output=True,
                           text=True, check=True)
    monkeypatch.setattr(sys, "path", [str(tmp_path), *json.loads(fresh.stdout)])
    seeds = KernelSeeds(1)
    try:
        manager = manager_for(seeds)
        forked = run_notebook(probe, tmp_path / "forked", {}, "kaidan", work, manager)
        assert seeds.waiting == []  # the seed was used
    finally:
        seeds.close()
    started = run_notebook(probe, tmp_path / "started", {}, "kaidan", work)
    assert forked.ok and started.ok, (forked.message, started.message)
    assert _ran(tmp_path / "forked", "probe") == _ran(tmp_path / "started", "probe")
    assert _ran(tmp_path / "forked", "probe")["probe"] == "set after the fork"


def test_idle_seeds_end_when_closed():
    seeds = KernelSeeds(2)
    pids = [seed.pid for seed in seeds.waiting]
    seeds.close()
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reaped: gone, not a zombie
