"""The corpus hash the reports state (kaidan.reports.extracted.corpus_hash): every articles row
counts, those without a content hash too (a file not read, an export's or archive's own row)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kaidan.reports.extracted import corpus_hash
from kaidan.run.corpus import load_corpus

HASHES = ["a1" * 32, "b2" * 32]


def _articles(contents: list, dtype) -> pd.DataFrame:
    return pd.DataFrame({"path": ["news.csv", "news.csv", "note.txt"][:len(contents)],
                         "content_hash": pd.Series(contents, dtype=dtype)})


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA])
@pytest.mark.parametrize("dtype", ["str", object])
def test_a_row_without_a_content_hash_counts_as_an_empty_one(missing, dtype):
    found = corpus_hash(_articles([missing, *HASHES], dtype))
    assert found == corpus_hash(_articles(["", *HASHES], object))
    assert found != corpus_hash(_articles(["", HASHES[0], HASHES[0]], object))


def test_a_corpus_with_a_file_not_read_and_an_export_has_a_hash(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "memo.pdf").write_bytes(b"%PDF-1.4 not read")
    (root / "news.csv").write_text("id,text\nk1,首相は記者団の質問に答えた。\n", encoding="utf-8")
    articles = load_corpus(root).articles
    assert articles["content_hash"].isna().sum() >= 2  # the PDF's row and the export's own row
    assert len(corpus_hash(articles)) == 16
