"""The columns each notebook declares it reads (kaidan.reports.columns) are columns of the tables,
and reading only them gives the same frames as reading every column and cutting."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kaidan import schemas
from kaidan.constants import TABLE_NAMES
from kaidan.reports.columns import READS, WHEN, columns_for, merged
from kaidan.reports.params import NOTEBOOKS, PARAMETERS
from kaidan.run.tables import read_sentences, read_tables

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_notebook_declares_what_it_reads(notebook):
    assert notebook in READS
    assert (REPO / "notebooks" / f"{notebook}.ipynb").is_file()


@pytest.mark.parametrize("notebook, reads", [(n, r) for n, r in READS.items()] +
                         [(n, r) for n, extra in WHEN.items() for r in extra.values()])
def test_a_notebook_asks_only_for_columns_the_schemas_have(notebook, reads):
    for table, columns in reads.items():
        known = [c.name for c in schemas.TABLES[table]]
        assert [c for c in columns if c not in known] == [], f"{notebook}: {table}"


@pytest.mark.parametrize("notebook, name, value", [(n, name, value) for n, extra in WHEN.items()
                                                   for name, value in extra])
def test_a_parameter_value_names_a_parameter_of_the_notebook(notebook, name, value):
    assert name in PARAMETERS[notebook]


def test_columns_for_adds_what_a_parameter_value_needs():
    article = columns_for("02_topic_cooccurrence", {"unit": "article"})
    paragraph = columns_for("02_topic_cooccurrence", {"unit": "paragraph"})
    assert "body" not in article["articles"] and "body" in paragraph["articles"]
    assert "start" in paragraph["mentions"]
    assert columns_for("my_own_notebook", {}) is None  # an analyst's notebook reads everything


def test_no_notebook_reads_sentence_text_or_whole_article_text():
    # sentence text is read for a trace only (read_sentences); the text column only by nobody
    for notebook, reads in READS.items():
        assert "text" not in reads["sentences"], notebook
        assert "text" not in reads["articles"], notebook


def test_merged_keeps_every_table_and_each_column_once():
    got = merged({"articles": ("a", "b")}, {"articles": ("b", "c"), "events": ("d",)})
    assert set(got) == set(TABLE_NAMES)
    assert got["articles"] == ("a", "b", "c") and got["events"] == ("d",) and got["sentences"] == ()


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    from kaidan.run.corpus import load_corpus

    out = tmp_path_factory.mktemp("tables")
    load_corpus(REPO / "seeds").save(out)
    return out


def test_reading_some_columns_is_reading_all_and_cutting(tables):
    whole = read_tables(tables)
    some = read_tables(tables, READS["04_meetings"])
    for name in TABLE_NAMES:
        expected = whole[name][[c for c in whole[name].columns if c in READS["04_meetings"][name]]]
        pd.testing.assert_frame_equal(some[name], expected, check_dtype=True)


def test_a_missing_column_is_named(tables):
    with pytest.raises(KeyError, match="no_such_column"):
        read_tables(tables, {**READS["01_meeting_frequency"], "events": ("event_id", "no_such_column")})


def test_read_sentences_gives_the_text_of_the_articles_asked_for(tables):
    whole = read_tables(tables)["sentences"]
    first = whole["article_id"].iloc[0]
    got = read_sentences(tables, {first})
    expected = whole.loc[whole["article_id"] == first, ["article_id", "index", "text"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected)
    assert read_sentences(tables, set()).empty


def test_a_notebook_on_tables_traces_evidence_without_reading_sentence_text(tables):
    from kaidan import analysis
    from kaidan.reports import open_corpus, validate_parameters

    params = validate_parameters("02_topic_cooccurrence", {"tables": str(tables)})
    corpus, sc, _ = open_corpus(params)
    assert "text" not in sc.sentences.columns and "body" not in sc.articles.columns
    together = analysis.topic_cooccurrence(sc, "article")
    assert len(together), "the seeds have topics together"
    traced = analysis.trace(sc, together.iloc[0])
    # the same trace as on a scope holding every column, sentence text included
    whole = read_tables(tables)
    full = analysis.scope(type("Tables", (), {**whole, "source": ""})())
    expected = analysis.trace(full, analysis.topic_cooccurrence(full, "article").iloc[0])
    pd.testing.assert_frame_equal(traced, expected)
    assert traced["evidence"].str.len().gt(0).any()


def test_a_parameter_value_that_needs_more_columns_gets_them(tables):
    from kaidan import analysis
    from kaidan.reports import open_corpus, validate_parameters

    params = validate_parameters("02_topic_cooccurrence", {"tables": str(tables), "unit": "paragraph"})
    _, sc, _ = open_corpus(params)
    assert "body" in sc.articles.columns
    assert len(analysis.topic_counts(sc, "paragraph"))
