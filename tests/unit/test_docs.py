"""docs/tables.md is generated from kaidan.schemas: it must say what the code writes."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kaidan import schemas

REPO = Path(__file__).resolve().parents[2]
TABLES_MD = REPO / "docs" / "tables.md"
REGENERATE = "python -m kaidan.schemas --markdown > docs/tables.md"


def test_the_committed_table_reference_is_the_generated_one():
    assert TABLES_MD.read_text(encoding="utf-8") == schemas.markdown(), f"docs/tables.md is stale: run {REGENERATE}"


@pytest.mark.parametrize("table", list(schemas.TABLES))
def test_every_column_has_a_row_in_its_table_section(table):
    section = schemas.markdown().split(f"## {table}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == [c.name for c in schemas.TABLES[table]]


def test_a_pipe_in_a_description_does_not_break_the_row(monkeypatch):
    column = schemas.Column("x", "str", "a | b", False)
    monkeypatch.setitem(schemas.TABLES, "sentences", (column,))
    row = next(line for line in schemas.markdown().splitlines() if line.startswith("| `x`"))
    assert row.count(" | ") == 4 and "a \\| b" in row


@pytest.mark.parametrize("args, code", [(["--markdown"], 0), ([], 2), (["--html"], 2)])
def test_the_command_writes_the_reference_or_says_how_to_call_it(args, code):
    proc = subprocess.run([sys.executable, "-m", "kaidan.schemas", *args], capture_output=True, text=True)
    assert proc.returncode == code, proc.stderr
    if code == 0:
        assert proc.stdout == schemas.markdown()
    else:
        assert proc.stdout == "" and "--markdown" in proc.stderr


def test_the_readme_points_to_the_table_reference():
    assert "docs/tables.md" in (REPO / "README.md").read_text(encoding="utf-8")
