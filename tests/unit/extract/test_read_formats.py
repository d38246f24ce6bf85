"""Web archives, exports and other files: damage named where it is, columns mapped, ids stable."""
from __future__ import annotations

import contextlib
import gzip
import io
import logging
from pathlib import Path

import pandas as pd
import pytest
from trafilatura import metadata as trafilatura_metadata

from formats_helpers import saved_page, write_csv, write_jsonl, write_warc
from kaidan.cli import main
from kaidan.extract.read import CorpusError, parse_columns, plan_corpus, read_corpus, read_page

TABLES = ("articles", "sentences", "mentions", "meetings", "events")
PARAGRAPHS = {
    "a": ["王毅外相は11月19日、北京で岩屋毅外相と会談した。", "両氏は対話を続けることで一致した。"],
    "b": ["林芳正官房長官は3月2日、東京でラブロフ外相と電話で会談した。", "エネルギー協力について意見を交わした。"],
    "c": ["岸田文雄首相は5月8日、ソウルで尹錫悦大統領と会談した。", "両首脳は安全保障協力の強化で一致した。"],
}
TITLES = {"a": "日中外相が北京で会談", "b": "日ロが電話会談", "c": "日韓首脳がソウルで会談"}


def _page(key: str, extra: tuple[str, ...] = (), **kwargs) -> bytes:
    return saved_page(TITLES[key], PARAGRAPHS[key] + list(extra), published="2024-11-20", **kwargs).encode("utf-8")


def _responses(keys="abc", host: str = "news.example.jp") -> list[dict]:
    """Pages of these articles from one site (another site's have a line of their own)."""
    extra = () if host == "news.example.jp" else (f"{host}による配信。",)
    return [{"url": f"https://{host}/{k}.html", "body": _page(k, extra, site=host)} for k in keys]


def _rows(frame) -> dict[str, tuple[str, str]]:
    return {a: (s, m) for a, s, m in zip(frame["article_id"], frame["status"], frame["message"].fillna(""))}


def _run(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(args))
    return code, err.getvalue()


# --- damage is named, and the run goes on --------------------------------------------

@pytest.fixture(scope="module")
def damaged(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("damaged") / "corpus"
    root.mkdir()
    write_warc(root / "cut.warc.gz", _responses())
    write_warc(root / "hurt.warc.gz", _responses(host="other.example.jp"))
    plan = {item.article_id: item.part for item in plan_corpus(root)[0]}
    data = (root / "cut.warc.gz").read_bytes()
    (root / "cut.warc.gz").write_bytes(data[:len(data) - 200])  # the last gzip member truncated
    (root / "cut-at.txt").write_text(str(plan["cut:3"].start))  # where the test expects the warning
    start, end = plan["hurt:2"].start, plan["hurt:2"].end
    hurt = bytearray((root / "hurt.warc.gz").read_bytes())
    hurt[start + 20:start + 60] = b"\x00" * 40  # the second record's compressed bytes overwritten
    (root / "hurt.warc.gz").write_bytes(bytes(hurt))
    assert end > start + 60
    (root / "broken.csv").write_text(
        'title,text\n日中外相が北京で会談,"王毅外相は北京で岩屋毅外相と会談した。"\n'
        '壊れた行,"引用符が閉じられていない行\n日韓首脳がソウルで会談,岸田文雄首相はソウルで尹錫悦大統領と会談した。\n',
        encoding="utf-8")
    (root / "bad.jsonl").write_text(
        '{"title": "日ロが電話会談", "text": "林芳正官房長官はラブロフ外相と電話で会談した。"}\n'
        '{"title": "壊れた行", "text": "閉じていない\n'
        '{"title": "日韓", "text": "岸田文雄首相は尹錫悦大統領と会談した。"}\n', encoding="utf-8")
    (root / "report.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    return root


def test_damage_is_a_row_naming_file_and_place_and_the_rest_is_read(damaged):
    rows = _rows(read_corpus(damaged))
    assert rows["cut:1"] == ("ok", "") and rows["cut:2"] == ("ok", "")
    at = int((damaged / "cut-at.txt").read_text())
    assert rows[f"cut:byte-{at}"] == ("warning", f"web archive damaged at byte {at:,}: record 3 is truncated: it "
                                                 "ends before its stated length; not read")
    hurt = [ident for ident in rows if ident.startswith("hurt:byte-")]
    assert len(hurt) == 1 and rows[hurt[0]][0] == "warning" and "damaged at byte" in rows[hurt[0]][1]
    assert rows["hurt:1"] == ("ok", "") and rows["hurt:3"] == ("ok", "")  # read on after the damage
    assert "hurt:2" not in rows
    assert rows["broken:3"] == ("error", "row 3: cannot be read as CSV: a quote is opened and never closed; "
                                         "reading goes on at line 4")
    assert rows["broken:2"][0] == "ok" and rows["broken:4"][0] == "ok"
    assert rows["bad:2"][0] == "error" and rows["bad:2"][1].startswith("line 2: not valid JSON")
    assert rows["bad:1"][0] == "ok" and rows["bad:3"][0] == "ok"
    assert rows["report"] == ("error", "not a format kaidan reads (PDF)")


def test_the_cli_goes_on_and_strict_fails(damaged, tmp_path):
    code, err = _run("extract", str(damaged), "--out", str(tmp_path / "a"), "--no-cache")
    assert code == 0
    assert "report.pdf: error: not a format kaidan reads (PDF)" in err
    assert "broken.csv: error: row 3" in err and "bad.jsonl: error: line 2" in err
    assert "cut.warc.gz: warning: web archive damaged at byte" in err
    assert _run("extract", str(damaged), "--out", str(tmp_path / "b"), "--no-cache", "--strict")[0] == 1


# --- web archives --------------------------------------------------------------------

def test_skipped_records_are_counted_and_a_url_seen_before_is_a_duplicate(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    write_warc(root / "crawl.warc.gz", _responses("ab") + [
        {"url": "https://news.example.jp/gone.html", "body": b"<html><body>not found</body></html>",
         "status": "404 Not Found"},
        {"url": "https://news.example.jp/a.html", "body": _page("c")},      # the same URL, crawled again
        {"url": "https://news.example.jp/style.css", "body": b"p{}", "content_type": "text/css"},
        {"url": "https://news.example.jp/print.css", "body": b"p{}", "content_type": "text/css"}])
    rows = _rows(read_corpus(root))
    assert rows["crawl"] == ("ok", "web archive: 3 articles from 6 records; not articles: 2 responses of type "
                                   "text/css, 1 response with status 404")
    assert rows["crawl:4"] == ("warning", "duplicate of crawl:1 (the same URL in the web archive)")


@pytest.mark.parametrize("name, compress", [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_plain_and_gzipped_archives_read_alike(tmp_path, name, compress):
    root = tmp_path / "corpus"
    root.mkdir()
    write_warc(root / name, _responses(), gzip=compress)
    frame = read_corpus(root).set_index("article_id")
    assert frame.loc[["crawl:1", "crawl:2", "crawl:3"], "title"].tolist() == [TITLES[k] for k in "abc"]
    assert frame.loc["crawl:1", "url"] == "https://news.example.jp/a.html"


def test_an_archive_gzipped_whole_says_how_to_fix_it(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    write_warc(root / "whole.warc", _responses(), gzip=False)
    (root / "whole.warc.gz").write_bytes(gzip.compress((root / "whole.warc").read_bytes()))
    (root / "whole.warc").unlink()
    rows = _rows(read_corpus(root))
    assert list(rows) == ["whole"]
    assert rows["whole"][0] == "error" and "warcio recompress" in rows["whole"][1]


def test_record_ids_are_stable_and_unique(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    for name in ("x.warc.gz", "sub/x.warc.gz"):
        (root / name).parent.mkdir(exist_ok=True)
        write_warc(root / name, _responses("ab"))
    (root / "x:1.txt").write_text("王毅外相は北京で会談した。\n", encoding="utf-8")
    first = [item.article_id for item in plan_corpus(root)[0]]
    assert first == [item.article_id for item in plan_corpus(root)[0]]
    assert len(set(first)) == len(first)
    assert "sub/x:1" in first and "x:1" in first


def test_a_page_in_shift_jis_is_read_in_the_charset_the_server_gave(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    page = saved_page(TITLES["a"], PARAGRAPHS["a"], charset="shift_jis").replace(
        '<meta charset="shift_jis">', "")
    write_warc(root / "sjis.warc.gz", [{"url": "https://news.example.jp/a.html", "body": page.encode("cp932", "xmlcharrefreplace"),
                                        "content_type": "text/html; charset=Shift_JIS"}])
    row = read_corpus(root).set_index("article_id").loc["sjis:1"]
    assert row["encoding"] == "shift_jis" and row["title"] == TITLES["a"]
    assert PARAGRAPHS["a"][0] in row["body"]


def test_the_metadata_csv_overrides_a_page_and_reaches_a_record(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "page.html").write_bytes(_page("a"))
    write_warc(root / "crawl.warc.gz", _responses("b"))
    meta = tmp_path / "meta.csv"
    meta.write_text("file,published,title\npage.html,2024-11-19,差し替えた見出し\ncrawl.warc.gz:1,2024-03-02,\n",
                    encoding="utf-8")
    frame = read_corpus(root, meta).set_index("article_id")
    assert frame.loc["page", ["title", "published", "published_source"]].tolist() == [
        "差し替えた見出し", "2024-11-19", "metadata"]
    assert frame.loc["crawl:1", ["published", "published_source"]].tolist() == ["2024-03-02", "metadata"]


# --- exports -------------------------------------------------------------------------

@pytest.mark.parametrize("spec, expected", [
    ("", {}),
    ("body=本文", {"body": "本文"}),
    ("body=本文, published=日付,title = 見出し", {"body": "本文", "published": "日付", "title": "見出し"}),
    ("Body=text", {"body": "text"}),
])
def test_columns_option_is_parsed(spec, expected):
    assert parse_columns(spec) == expected


@pytest.mark.parametrize("spec, words", [
    ("body", "is not FIELD=COLUMN"), ("body=", "is not FIELD=COLUMN"), ("summary=x", "unknown field 'summary'"),
])
def test_a_bad_columns_option_is_a_usage_error(spec, words):
    with pytest.raises(CorpusError, match=words):
        parse_columns(spec)


def test_columns_named_by_the_user_and_the_cli_usage_error(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    write_csv(root / "news.csv", ["記事番号", "件名", "日付", "記事内容"],
              [["k1", TITLES["a"], "2024年11月19日", "\n".join(PARAGRAPHS["a"])]])
    unread = _rows(read_corpus(root))
    assert unread["news"][0] == "error" and "--columns body=COLUMN" in unread["news"][1]
    frame = read_corpus(root, columns="body=記事内容,title=件名,id=記事番号").set_index("article_id")
    assert frame.loc["k1", ["title", "published", "published_source"]].tolist() == [TITLES["a"], "2024-11-19",
                                                                                    "export"]
    assert frame.loc["k1", "body"].startswith(TITLES["a"] + "\n\n" + PARAGRAPHS["a"][0])
    assert _run("extract", str(root), "--out", str(tmp_path / "o"), "--columns", "bogus=x")[0] == 2
    assert _run("extract", str(root), "--out", str(tmp_path / "o"), "--no-cache", "-q",
                "--columns", "body=記事内容,published=日付")[0] == 0
    assert pd.read_csv(tmp_path / "o" / "articles.csv")["published"].tolist()[-1] == "2024-11-19"


def test_row_ids_from_the_id_column_else_file_and_row(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    write_csv(root / "table.csv", ["id", "text"], [["x1", PARAGRAPHS["a"][0]], ["x1", PARAGRAPHS["b"][0]],
                                                   ["", PARAGRAPHS["c"][0]], ["x4", ""]])
    write_jsonl(root / "lines.jsonl", [{"id": 7, "body": PARAGRAPHS["a"][1]}, {"body": PARAGRAPHS["b"][1]}])
    rows = _rows(read_corpus(root))
    # x1 is taken by row 2, so row 3 is table:3; row 4 has no id
    assert list(rows) == ["lines", "7", "lines:2", "table", "x1", "table:3", "table:4", "x4"]
    assert all(rows[ident][0] == "ok" for ident in ("7", "lines:2", "x1", "table:3", "table:4"))
    assert rows["x4"] == ("error", "row 5: no article text (column 'text' is empty)")
    assert rows["table"] == ("ok", "CSV export: 4 articles (columns body=text, id=id)")


def test_a_file_named_as_an_archive_that_is_none_is_an_error(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "notes.warc.gz").write_bytes(gzip.compress("王毅外相は北京で会談した。\n".encode("utf-8")))
    rows = _rows(read_corpus(root))
    assert rows == {"notes": ("error", "not a web archive kaidan can read: no record found in it")}


def test_a_cell_longer_than_the_csv_default_is_one_row(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    long_text = "王毅外相は北京で会談した。\n" * 12_000   # over csv's default 131,072 characters
    write_csv(root / "long.csv", ["title", "text"], [["長い記事", long_text], [TITLES["a"], PARAGRAPHS["a"][0]]])
    rows = _rows(read_corpus(root))
    assert list(rows) == ["long", "long:2", "long:3"]
    assert rows["long:2"] == ("ok", "")  # one article, analysed whole (long documents are)
    assert rows["long:3"] == ("ok", "")


@pytest.mark.parametrize("page", [b"", b"<html><body><div class='player'></div></body></html>", b"<p>"],
                         ids=["empty", "no-article", "fragment"])
def test_a_page_without_an_article_is_said_once_on_its_row_not_in_the_libraries_logs(tmp_path, caplog, page):
    """trafilatura logs at ERROR each page it finds no article in, naming no file; the command
    prints every log record, so only the row may say it."""
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "page.html").write_bytes(page)
    with caplog.at_level(logging.DEBUG):
        row = read_corpus(root).set_index("article_id").loc["page"]
    assert row["status"] == "error"
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


@pytest.mark.parametrize("name, data, message", [
    ("empty.html", b"", "empty file"),
    ("blank.htm", b" \n\t\n", "empty file (whitespace only)"),
    ("empty.txt", b"", "empty file"),
    ("player.html", b"<html><body><div class='player'></div></body></html>", "web page: no article text found in it"),
])
def test_an_empty_page_says_empty_file_as_a_text_file_does(tmp_path, name, data, message):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / name).write_bytes(data)
    assert list(_rows(read_corpus(root)).values()) == [("error", message)]


@pytest.mark.parametrize("name", ["feed.csv", "feed.jsonl", "feed.ndjson", "crawl.warc", "crawl.warc.gz"])
def test_an_empty_export_or_archive_is_an_empty_file(tmp_path, name):
    """Not 'no column holding the article text ... name one with --columns', nor a warning of an
    archive of 0 records: the file is empty."""
    root = tmp_path / "corpus"
    root.mkdir()
    (root / name).write_bytes(b"")
    assert list(_rows(read_corpus(root)).values()) == [("error", "empty file")]


def test_a_response_with_an_empty_body_says_so_not_that_a_file_is_empty(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    write_warc(root / "crawl.warc.gz", [
        {"url": "https://news.example.jp/0.html", "body": _page("a")},
        {"url": "https://news.example.jp/1.html", "body": b""},
        {"url": "https://news.example.jp/2.txt", "body": b" \n", "content_type": "text/plain"}])
    rows = read_corpus(root).set_index("article_id")
    assert rows.loc["crawl:1", "status"] == "ok"
    for ident in ("crawl:2", "crawl:3"):
        assert (rows.loc[ident, "status"], rows.loc[ident, "message"]) == ("error", "response with an empty body")
    assert rows.loc["crawl:2", "url"] == "https://news.example.jp/1.html"


def test_tags_in_an_article_that_is_no_page_leave_it_read_as_text(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    text = f"{TITLES['a']}\n\n{PARAGRAPHS['a'][0]}<body onload=x()>\n{PARAGRAPHS['a'][1]}</b>\n"
    (root / "tagged.txt").write_text(text, encoding="utf-8")
    row = read_corpus(root).set_index("article_id").loc["tagged"]
    assert row["status"] == "warning" and row["message"] == (
        "HTML tags in the text, but no web page around an article: read as text")
    assert row["title"] == TITLES["a"] and PARAGRAPHS["a"][1] in row["body"]


@pytest.mark.parametrize("published, url, expected", [
    ("2024-11-19", None, "2024-11-19"),  # the page's meta tag
    (None, "https://news.example.jp/2024/11/19/a.html", "2024-11-19"),  # its canonical link
    (None, "https://news.example.jp/world/a.html", None),  # a date only in the text: left to the dateline
])
def test_a_page_gives_the_date_its_markup_states_and_trafilatura_searches_cheaply(monkeypatch, published, url,
                                                                                  expected):
    searches = []
    real_find_date = trafilatura_metadata.find_date

    def recording_find_date(tree, **params):
        searches.append(params)
        return real_find_date(tree, **params)

    monkeypatch.setattr(trafilatura_metadata, "find_date", recording_find_date)
    page = read_page(saved_page(TITLES["a"], ["2024年11月18日、" + PARAGRAPHS["a"][0]], published=published, url=url))
    assert page.date == expected
    # trafilatura's own date (which kaidan discards) searched without dateparser's locales
    assert [params["extensive_search"] for params in searches] == [False]
