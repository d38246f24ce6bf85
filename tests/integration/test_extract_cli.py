"""`kaidan extract`: the tables on disk, in the eval format, and clear usage errors."""
import csv

import pandas as pd
import pytest

from kaidan import schemas
from kaidan.cli import main
from kaidan.run.corpus import Corpus
from kaidan.constants import TABLE_NAMES


def test_extract_writes_every_table_as_csv_and_parquet(seeds_dir, tmp_path, capsys):
    assert main(["extract", str(seeds_dir), "--out", str(tmp_path)]) == 0
    for name in TABLE_NAMES:
        assert (tmp_path / f"{name}.csv").exists() and (tmp_path / f"{name}.parquet").exists()
    with (tmp_path / "meetings.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {"article_id", "date", "countries", "participants", "event_id"} <= set(rows[0])
    assert any(";" in row["countries"] for row in rows)  # list cells joined with ';'
    assert "5 articles (5 ok" in capsys.readouterr().out


def test_tables_read_back_with_their_lists(seeds_dir, tmp_path):
    main(["extract", str(seeds_dir), "--out", str(tmp_path), "--quiet"])
    corpus = Corpus.from_folder(tmp_path)
    assert isinstance(corpus.meetings["countries"].iloc[0], list)
    assert set(corpus.meetings["event_id"]) <= set(corpus.events["event_id"])
    assert len(corpus.articles) == 5


def test_every_table_matches_its_schema(seeds_dir, tmp_path):
    main(["extract", str(seeds_dir), "--out", str(tmp_path), "--quiet"])
    for name in TABLE_NAMES:
        frame = pd.read_parquet(tmp_path / f"{name}.parquet")
        assert list(frame.columns) == [c.name for c in schemas.TABLES[name]]


def test_a_missing_folder_is_a_one_line_usage_error(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert "nowhere" in err and len(err.splitlines()) == 1


def test_help_documents_the_exit_statuses(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["extract", "--help"])
    assert stop.value.code == 0
    assert "exit status" in capsys.readouterr().out
