"""`--columns` on every command that reads articles (kaidan.cli): one reading of it, the
extraction's own (`parse_columns`), checked before anything runs, the same usage error
everywhere, and the mapping it gives handed to the run."""
from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import pytest

import kaidan.reports
import kaidan.run.corpus
import kaidan.run.loop
from kaidan.cli import main
from kaidan.constants import EXIT_USAGE
from kaidan.extract.read import CorpusError, parse_columns
from kaidan.extract.read.export import FIELDS


class Started(Exception):
    """Raised by a stand-in for the run, once it has noted how it was called."""


@pytest.fixture
def runs(monkeypatch) -> list[tuple[str, dict]]:
    """The runs the commands start (what each was given), none of them done: extract's
    extraction, report's run and export's extraction of a folder of articles."""
    calls = []

    def stand_in(name):
        def started(*args, **kwargs):
            calls.append((name, kwargs))
            raise Started(name)
        return started
    monkeypatch.setattr(kaidan.run.loop, "extract_to_folder", stand_in("extract"))
    monkeypatch.setattr(kaidan.reports, "run_report", stand_in("report"))
    monkeypatch.setattr(kaidan.run.corpus, "load_corpus", stand_in("export"))
    return calls


def _command(name: str, tmp_path: Path) -> tuple[list[str], Path]:
    """The command's arguments on a corpus folder, and where it would write."""
    src = tmp_path / "corpus"
    src.mkdir(exist_ok=True)
    out = tmp_path / ("events.jsonl" if name == "export" else "out")
    where = {"extract": [str(src)], "report": ["--corpus", str(src)], "export": [str(src)]}[name]
    return [name, *where, "--out", str(out)], out


def _main(args: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(args)
    return code, err.getvalue()


COMMANDS = ["extract", "report", "export"]


@pytest.mark.parametrize("spec, words", [
    ("summary=本文", "unknown field 'summary' (fields: body, title, published, url, outlet, author, id)"),
    ("body", "'body' is not FIELD=COLUMN"),
    ("body=", "'body=' is not FIELD=COLUMN"),
    ("body=本文,published", "'published' is not FIELD=COLUMN"),
    ("=本文", "unknown field '' (fields: body, title, published, url, outlet, author, id)"),
])
@pytest.mark.parametrize("command", COMMANDS)
def test_a_bad_columns_value_is_the_same_usage_error_and_nothing_runs(command, spec, words, tmp_path, runs):
    args, out = _command(command, tmp_path)
    code, err = _main([*args, "--columns", spec])
    with pytest.raises(CorpusError) as raised:
        parse_columns(spec)
    assert code == EXIT_USAGE
    assert err == f"kaidan: {raised.value}\n" == f"kaidan: --columns: {words}\n"
    assert runs == [] and not out.exists()


@pytest.mark.parametrize("spec, mapping", [
    (None, None),
    ("", {}),
    ("body=記事内容", {"body": "記事内容"}),
    (" Body = 記事内容 ,published=日付,ID=記事番号", {"body": "記事内容", "published": "日付", "id": "記事番号"}),
])
@pytest.mark.parametrize("command", COMMANDS)
def test_the_columns_reach_the_run_as_the_extraction_reads_them(command, spec, mapping, tmp_path, runs):
    args, _ = _command(command, tmp_path)
    with pytest.raises(Started):
        _main(args + (["--columns", spec] if spec is not None else []))
    assert [(name, kwargs["columns"]) for name, kwargs in runs] == [(command, mapping)]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_documents_columns_alike(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "--columns FIELD=COLUMN,... an export's columns where their names are not the common ones" in shown
    assert f"e.g. body=本文,published=日付 (fields: {', '.join(FIELDS)})" in shown


@pytest.mark.parametrize("before", [None, "1", "off"])
def test_no_cache_turns_the_gazetteer_cache_off_for_its_own_run_only(before, tmp_path, monkeypatch):
    """--no-cache reads no parsed gazetteers during the run; a caller of main (a test, a
    notebook) finds the switch as it was afterwards, whether the run ended or failed."""
    from kaidan.reference.cache import SWITCH

    if before is None:
        monkeypatch.delenv(SWITCH, raising=False)
    else:
        monkeypatch.setenv(SWITCH, before)
    during = []

    def run(*args, **kwargs):
        during.append(os.environ.get(SWITCH))
        raise Started("extract")
    monkeypatch.setattr(kaidan.run.loop, "extract_to_folder", run)
    args, _ = _command("extract", tmp_path)
    with pytest.raises(Started):
        _main([*args, "--no-cache"])
    assert during == ["0"]
    assert os.environ.get(SWITCH) == before
