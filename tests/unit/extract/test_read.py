"""kaidan.extract.read: every file becomes a row, read in its encoding, with furniture cut and metadata found."""
from __future__ import annotations

import builtins
import codecs
import logging
import os

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formats_helpers import png

from kaidan import schemas
from kaidan.extract.read import (MAX_ANALYSED_CHARS, CorpusError, date_from_url, detect_language, find_dateline,
                         read_article, read_corpus, split_boilerplate)

ARTICLE = (
    "日中外相が北京で会談 関係改善へ協議\n"
    "2024年11月19日\n"
    "\n"
    "王毅外相は19日、北京で日本の外相と会談した。両氏は「対話を続ける」ことで一致した。\n"
    "会談では経済協力や地域情勢について意見を交わした。\n"
)
UNDATED = "中ロ外相が電話会談\n\nラブロフ外相と王毅外相は電話で会談し、両国関係について意見を交わした。\n"
ENGLISH = ("The foreign ministers of Japan and China met in Beijing on Tuesday and agreed to continue "
           "the dialogue. They discussed trade and the security of the region.\n")
CHINESE = "中国外交部长王毅与俄罗斯外长拉夫罗夫在北京举行会谈。双方就两国关系和国际地区问题交换了意见。\n"
HTML_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>日中外相が北京で会談</title>"
    "<script>var note = \"不要なスクリプト\";</script><style>p { color: red }</style></head>\n"
    "<body><h1>日中外相が北京で会談</h1>\n<p>王毅外相は19日、北京で日本の外相と会談した。</p>"
    "<p>両氏は対話を続けることで一致した。</p></body></html>\n"
)
PROSE = "王毅外相は北京でラブロフ外相と会談し、国際情勢や二国間関係について幅広く意見を交わした。" * 3


def _value(cell):
    """A cell, with pandas' missing value as None."""
    return None if pd.isna(cell) else cell


def _row(frame, path):
    """The row of one file, as a dict."""
    rows = frame[frame["path"] == path].to_dict("records")
    assert len(rows) == 1, path
    return rows[0]


# --- the seeds -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def seeds(seeds_dir):
    return read_corpus(seeds_dir).set_index("article_id", drop=False)


@pytest.mark.parametrize("text, language", [
    ("中国とロシアが会談した", "ja"),   # kana among the letters
    ("中国和俄罗斯举行会谈", "zh"),     # Han without kana
    ("The ministers met in Tokyo and agreed on the plan.", "en"),
    ("123 456", "unknown"),            # no letters
])
def test_the_language_is_told_from_the_letters(text, language):
    assert detect_language(text) == language


def test_seeds_are_all_read_as_japanese(seeds):
    assert list(seeds.columns) == [c.name for c in schemas.ARTICLES]
    assert set(seeds["status"]) == {"ok"}
    assert set(seeds["language"]) == {"ja"}
    assert set(seeds["encoding"]) == {"utf-8"}
    assert seeds.attrs["problems"] == []


@pytest.mark.parametrize("article_id, title", [
    ("000_23708a5624a5c758", "モスクワでショイグ安全保障会議書記と王毅外相が20回目の安全保障協議"),
    ("001_3004fc1717f84af1", "北京とモスクワの安全保障協力の何が特別なのか?"),
    ("002_5334bc82fd01faaf", "中国とロシアが北京で戦略対話 ウクライナ危機や国連80年を協議"),
    ("003_c79ae0ac60eeb63a", "第2回日露防衛・外交トップ会談(2プラス2)──すれ違う思惑と今後の展望"),
    ("004_dc04b11b17a28cd4", "王毅外相「ロシアと戦略協調を強化」ASEANと中東で連携確認"),
])
def test_seed_titles(seeds, article_id, title):
    assert seeds.loc[article_id, "title"] == title


@pytest.mark.parametrize("article_id, outlet", [
    ("001_3004fc1717f84af1", "Modern Diplomacy"),
    ("002_5334bc82fd01faaf", "cgtn.com"),
    ("004_dc04b11b17a28cd4", "cgtn.com"),
])
def test_seed_outlets(seeds, article_id, outlet):
    assert seeds.loc[article_id, "outlet"] == outlet


def test_seed_dates_and_authors(seeds):
    assert seeds.loc["003_c79ae0ac60eeb63a", ["published", "published_source"]].tolist() == ["2017-03-24", "dateline"]
    assert seeds.loc["001_3004fc1717f84af1", ["published", "published_source"]].tolist() == ["2023-05-08", "dateline"]
    assert seeds.loc["001_3004fc1717f84af1", "author"] == "Dr. Andrey KORTUNOV"
    assert seeds.loc["003_c79ae0ac60eeb63a", "author"] == "小泉悠"


def test_seed_003_ranking_list_is_cut(seeds):
    row = seeds.loc["003_c79ae0ac60eeb63a"]
    for furniture in ("人気ランキング", "腸が弱ると", "今、あなたにオススメ", "プロフィール", "メールマガジン", "コラム\n"):
        assert furniture not in row["body"]
    assert "人気ランキング" in row["boilerplate"] and "腸が弱ると" in row["boilerplate"]
    assert row["body"].rstrip().endswith("中国と明示的な敵対関係に陥ることを警戒している。")


def test_seed_001_related_summaries_are_kept(seeds):
    row = seeds.loc["001_3004fc1717f84af1"]
    assert "秦剛は、少し前に行われた習近平主席のロシア公式訪問" in row["body"]
    assert "2023年4月13日、秦剛国務委員兼外相がサマルカンドで" in row["body"]
    assert "見出し画像" not in row["body"] and "見出し画像" in row["boilerplate"]
    assert "この記事が気に入ったら" not in row["body"]


def test_seed_000_ai_disclaimers_are_cut(seeds):
    row = seeds.loc["000_23708a5624a5c758"]
    for furniture in ("本サイトの記事や画像はAI", "※記事を視覚化したイメージ", "ニュースはAIで深化する", "参考・出典"):
        assert furniture not in row["body"] and furniture in row["boilerplate"]
    assert "タス通信によると" in row["body"]


def test_seed_lines_are_all_in_body_or_boilerplate(seeds):
    for row in seeds.itertuples():
        lines = {line.strip() for line in row.text.split("\n") if line.strip()}
        kept = {line.strip() for line in (row.body + "\n" + row.boilerplate).split("\n") if line.strip()}
        assert lines == kept, row.article_id


def test_seed_hash_and_length(seeds):
    row = seeds.loc["002_5334bc82fd01faaf"]
    assert len(row["content_hash"]) == 64 and row["n_chars"] == len(row["text"])


# --- encodings and line ends ---------------------------------------------------------

@pytest.mark.parametrize("data, encodings", [
    (ARTICLE.encode("utf-8"), {"utf-8"}),
    (codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), {"utf-8-sig"}),
    (codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"), {"utf-16-le"}),
    (codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), {"utf-16-be"}),
    (ARTICLE.encode("cp932"), {"cp932", "shift_jis"}),
    (ARTICLE.encode("shift_jis"), {"cp932", "shift_jis"}),
    (ARTICLE.encode("euc_jp"), {"euc_jp", "euc_jis_2004", "euc_jisx0213"}),
], ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "cp932", "shift_jis", "euc-jp"])
def test_encodings_read_to_the_same_text(tmp_path, make_corpus, data, encodings):
    row = read_corpus(make_corpus(tmp_path, {"a.txt": data})).iloc[0]
    assert row["text"] == ARTICLE
    assert row["encoding"] in encodings
    assert (row["status"], row["title"], row["published"]) == ("ok", "日中外相が北京で会談 関係改善へ協議", "2024-11-19")


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_line_ends_are_normalised(tmp_path, make_corpus, newline):
    row = read_corpus(make_corpus(tmp_path, {"a.txt": ARTICLE.replace("\n", newline)})).iloc[0]
    assert row["text"] == ARTICLE and "\r" not in row["body"]


# --- every file is a row -------------------------------------------------------------

@pytest.fixture
def troubled(tmp_path, make_corpus):
    """A corpus with one file of each kind of trouble, beside one good article."""
    root = make_corpus(tmp_path, {
        "good.txt": ARTICLE,
        "z_copy.txt": ARTICLE.replace("\n", "\r\n"),
        "empty.txt": b"",
        "blank.txt": " \n\t\n\u3000\n",
        "image.txt": png(),
        "noise.txt": bytes(range(128, 256)) * 20,
        "english.txt": ENGLISH,
        "chinese.txt": CHINESE,
        "page.txt": HTML_PAGE,
        "truncated.txt": ARTICLE.rstrip("\n").encode("utf-8")[:-1],
        "damaged.txt": ARTICLE.encode("utf-8").replace("北京".encode(), b"\xff\xfe", 1),
    })
    (root / "folder.txt").mkdir()
    (tmp_path / "outside.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "out.txt").symlink_to(tmp_path / "outside.txt")
    (root / "loop_a.txt").symlink_to(root / "loop_b.txt")
    (root / "loop_b.txt").symlink_to(root / "loop_a.txt")
    (root / "inside.txt").symlink_to(root / "good.txt")
    return root


@pytest.mark.parametrize("path, status, words", [
    ("good.txt", "ok", ""),
    ("z_copy.txt", "warning", "duplicate of good"),
    ("inside.txt", "warning", "duplicate of good"),
    ("empty.txt", "error", "empty file"),
    ("blank.txt", "error", "empty file"),
    ("image.txt", "error", "binary data (a PNG image)"),
    ("noise.txt", "error", "undecodable bytes"),
    ("english.txt", "warning", "not Japanese (looks like English)"),
    ("chinese.txt", "warning", "not Japanese (looks like Chinese"),
    ("page.txt", "warning", "a web page saved as text: read as HTML"),
    ("truncated.txt", "warning", "invalid UTF-8: 2 bytes replaced (the file looks truncated)"),
    ("damaged.txt", "warning", "invalid UTF-8: 2 bytes replaced"),
    ("folder.txt", "error", "is a directory"),
    ("out.txt", "error", "outside the corpus folder"),
    ("loop_a.txt", "error", "symlink loop"),
    ("loop_b.txt", "error", "symlink loop"),
])
def test_each_trouble_is_reported_and_the_run_goes_on(troubled, path, status, words):
    frame = read_corpus(troubled)
    assert len(frame) == 16
    row = _row(frame, path)
    assert row["status"] == status
    assert words in row["message"] if words else row["message"] == ""


def test_duplicates_point_at_the_first_file(troubled):
    frame = read_corpus(troubled)
    assert _row(frame, "z_copy.txt")["duplicate_of"] == "good"
    assert _value(_row(frame, "good.txt")["duplicate_of"]) is None


def test_languages(troubled):
    frame = read_corpus(troubled).set_index("path")
    assert frame.loc["english.txt", "language"] == "en"
    assert frame.loc["chinese.txt", "language"] == "zh"
    assert frame.loc["good.txt", "language"] == "ja"


def test_html_page_is_read_without_tags_or_scripts(troubled):
    row = _row(read_corpus(troubled), "page.txt")
    assert "<" not in row["text"] and "不要なスクリプト" not in row["text"] and "color" not in row["text"]
    assert "王毅外相は19日、北京で日本の外相と会談した。" in row["body"]
    assert row["title"] == "日中外相が北京で会談"


def test_damaged_utf8_is_read_with_replacement(troubled):
    frame = read_corpus(troubled)
    assert _row(frame, "truncated.txt")["text"].endswith("\ufffd")
    assert "\ufffd\ufffd" in _row(frame, "damaged.txt")["text"]
    assert "会談では経済協力" in _row(frame, "damaged.txt")["body"]


def test_unreadable_file_via_patched_open(tmp_path, make_corpus, monkeypatch):
    root = make_corpus(tmp_path, {"good.txt": ARTICLE, "secret.txt": ARTICLE + "追記。\n"})
    real_open = builtins.open

    def guarded(file, *args, **kwargs):
        if str(file).endswith("secret.txt"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    frame = read_corpus(root)
    assert (_row(frame, "secret.txt")["status"], _row(frame, "secret.txt")["message"]) == ("error", "permission denied")
    assert _row(frame, "good.txt")["status"] == "ok"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file; the patched-open test covers this")
def test_unreadable_file_via_chmod(tmp_path, make_corpus):
    root = make_corpus(tmp_path, {"good.txt": ARTICLE, "secret.txt": ARTICLE + "追記。\n"})
    (root / "secret.txt").chmod(0)
    try:
        frame = read_corpus(root)
    finally:
        (root / "secret.txt").chmod(0o644)
    assert _row(frame, "secret.txt")["message"] == "permission denied"


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=3000), st.text(max_size=1000).map(lambda t: t.encode("utf-8"))))
def test_any_bytes_give_a_row_and_never_raise(data):
    row = read_article(data)
    assert row["status"] in schemas.STATUSES and isinstance(row["message"], str)
    assert isinstance(row["body"], str) and isinstance(row["boilerplate"], str)


def test_files_found_anywhere_in_a_stable_order(tmp_path, make_corpus):
    root = make_corpus(tmp_path, {"b.txt": ARTICLE, "a.md": UNDATED, "sub/c.txt": ARTICLE + "c\n",
                                  "sub/a.txt": ARTICLE + "a\n", "notes.csv": "x", "img.png": png(),
                                  "same/x.txt": ARTICLE + "x\n", "same/x.md": ARTICLE + "y\n"})
    frame = read_corpus(root)
    assert frame["path"].tolist() == ["a.md", "b.txt", "img.png", "notes.csv", "same/x.md", "same/x.txt",
                                      "sub/a.txt", "sub/c.txt"]
    assert frame["article_id"].tolist() == ["a", "b", "img", "notes", "same/x.md", "same/x.txt", "sub/a", "c"]
    # files of other formats are listed, never skipped in silence
    refused = frame.set_index("path").loc[["img.png", "notes.csv"], ["status", "message"]]
    assert refused["status"].tolist() == ["error", "error"]
    assert refused.loc["img.png", "message"] == "not a format kaidan reads (PNG)"
    assert "no column holding the article text" in refused.loc["notes.csv", "message"]


def test_missing_or_non_folder_corpus_raises(tmp_path):
    with pytest.raises(CorpusError, match="not found") as missing:
        read_corpus(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in str(missing.value) and "\n" not in str(missing.value)
    (tmp_path / "file.txt").write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(CorpusError, match="not a folder"):
        read_corpus(tmp_path / "file.txt")


def test_empty_folder_gives_an_empty_valid_table(tmp_path):
    frame = read_corpus(tmp_path)
    assert len(frame) == 0 and list(frame.columns) == [c.name for c in schemas.ARTICLES]


def test_large_file_and_long_line_are_read(tmp_path, make_corpus):
    big = ARTICLE.encode("utf-8") * (MAX_ANALYSED_CHARS // len(ARTICLE) + 1)
    line = ("王毅外相は北京で会談した。" * 30_000).encode("utf-8")
    frame = read_corpus(make_corpus(tmp_path, {"big.txt": big, "line.txt": line})).set_index("path")
    assert len(big.decode()) > MAX_ANALYSED_CHARS and len(line) > 1_000_000
    for path, data in (("big.txt", big), ("line.txt", line)):
        row = frame.loc[path]
        assert row["text"] == data.decode() and row["n_chars"] == len(data.decode()), path  # read whole
        assert row["language"] == "ja", path
    big_row, line_row = frame.loc["big.txt"], frame.loc["line.txt"]
    assert big_row["status"] == "warning" and "too long to analyse as one article" in big_row["message"]
    assert "safeguard for memory" in big_row["message"] and big_row["body"] == ""  # listed, not analysed
    assert line_row["status"] == "ok" and line_row["body"] == line.decode()  # a long line is analysed whole


# --- site furniture ------------------------------------------------------------------

def test_ranking_in_the_middle_is_cut_and_the_article_goes_on():
    text = "\n".join(["見出し", PROSE, "人気ランキング", "1", "腸を守る3つの習慣とは?", "2", "株価が急落",
                      PROSE + "続き。", PROSE + "さらに続き。"])
    body, boilerplate = split_boilerplate(text)
    assert "腸を守る" not in body and "腸を守る" in boilerplate and "株価が急落" in boilerplate
    assert body.endswith("さらに続き。") and PROSE in body


def test_related_headline_lists_are_cut_but_related_summaries_kept():
    listed = "\n".join(["見出し", PROSE, "関連記事", "中ロ首脳が会談", "日米外相が電話協議", "米中対話の行方は?"])
    body, boilerplate = split_boilerplate(listed)
    assert "日米外相が電話協議" not in body and "関連記事" in boilerplate
    summarised = "\n".join(["見出し", PROSE, "関連記事", "1 中ロ首脳が会談", PROSE + "要約。"])
    body, boilerplate = split_boilerplate(summarised)
    assert "1 中ロ首脳が会談" in body and PROSE + "要約。" in body and boilerplate == ""


def test_recommendations_promos_and_prompts_are_cut():
    text = "\n".join(["見出し画像", "日中外相が会談", "コメント0", PROSE, "元記事はこちら。", PROSE,
                      "今、あなたにオススメ", "ワールド", "株価が急落 最高値更新", "MAGAZINE", "特集:ISSUES 2026",
                      "この記事が気に入ったらサポートをしてみませんか?"])
    body, boilerplate = split_boilerplate(text)
    assert body == "\n".join(["日中外相が会談", PROSE, PROSE])
    assert boilerplate.split("\n")[:3] == ["見出し画像", "コメント0", "元記事はこちら。"]


_FURNITURE_WORDS = st.sampled_from(["人気ランキング", "関連記事", "プロフィール", "今、あなたにオススメ", "1", "見出し画像",
                                    "Reference(s):", "cgtn.com", "コラム", "ホーム", PROSE, "会談した。", ""])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_FURNITURE_WORDS, st.text(max_size=40)), max_size=30))
def test_every_line_ends_up_in_body_or_boilerplate(lines):
    text = "\n".join(line.replace("\r", "") for line in lines)
    body, boilerplate = split_boilerplate(text)
    split = [line.strip() for line in text.split("\n") if line.strip()]
    assert sorted(split) == sorted(line.strip() for line in (body + "\n" + boilerplate).split("\n") if line.strip())


def test_menu_above_the_headline_is_cut_but_not_the_headline():
    body, boilerplate = split_boilerplate("ホーム\n国際\n政治\n経済\n日中首脳会談\n\n" + PROSE + "\n- 中国\n- ロシア\n- インド")
    assert boilerplate == "ホーム\n国際\n政治\n経済"
    assert body.startswith("日中首脳会談\n") and body.endswith("- 中国\n- ロシア\n- インド")


def test_profile_box_gives_the_author(tmp_path, make_corpus):
    text = "\n".join(["日中外相が会談", PROSE, PROSE, "プロフィール", "山田太郎", "国際政治アナリスト"])
    row = read_corpus(make_corpus(tmp_path, {"a.txt": text})).iloc[0]
    assert row["author"] == "山田太郎" and "山田太郎" not in row["body"]


# --- datelines, outlets and titles in the text ---------------------------------------

@pytest.mark.parametrize("lines, published, outlet, title", [
    (["日中外相が会談", "16:23, November 19, 2024 人民網日本語版", PROSE], "2024-11-19", "人民網日本語版", "日中外相が会談"),
    (["date 2025-12-03", "中ロ戦略安全保障協議", PROSE], "2025-12-03", None, "中ロ戦略安全保障協議"),
    (["日中外相が会談", PROSE, "「人民網日本語版」2013年8月16日"], "2013-08-16", "人民網日本語版", "日中外相が会談"),
    (["日中外相が会談", "令和元年5月30日", PROSE], "2019-05-30", None, "日中外相が会談"),
    (["日中首脳会談 北京で開催｜TBS NEWS DIG", PROSE], None, "TBS NEWS DIG", "日中首脳会談 北京で開催"),
    (["TBS NEWS DIG", "日中首脳会談 北京で開催", PROSE], None, "TBS NEWS DIG", "日中首脳会談 北京で開催"),
    (["日中外相が会談", "2013年11月に初の2+2が東京で開催された。", PROSE], None, None, "日中外相が会談"),
    (["日中外相が会談", PROSE, "2023/4/20 RIAC記事より"], None, None, "日中外相が会談"),
])
def test_text_metadata(tmp_path, make_corpus, lines, published, outlet, title):
    row = read_corpus(make_corpus(tmp_path, {"a.txt": "\n".join(lines)})).iloc[0]
    assert _value(row["published"]) == published
    assert _value(row["outlet"]) == outlet
    assert row["title"] == title


def test_dateline_precision_and_body_dates():
    assert (find_dateline("2024年11月").iso, find_dateline("2024年11月").precision) == ("2024-11", "month")
    assert find_dateline("両国は2024年11月19日に北京で会談した。") is None


# --- metadata CSV --------------------------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    ("https://www.example.com/2018/08/02/story.html", ("2018-08-02", "day")),
    ("http://j.people.com.cn/n3/2023/0110/c94474-10194937.html", ("2023-01-10", "day")),
    ("https://example.jp/articles/20250831-abc", ("2025-08-31", "day")),
    ("https://example.jp/news/fnn20230109468543.html", ("2023-01-09", "day")),
    ("https://www.example.com/world/news/131106/wor1311060001-n1.html", ("2013-11-06", "day")),
    ("http://japanese.china.org.cn/politics/txt/2014-06/07/content_32598913.htm", ("2014-06-07", "day")),
    ("https://example.com/2019/05/slug", ("2019-05", "month")),
    ("http://j.people.com.cn/94474/8366741.html", None),
    ("https://www.nikkei.com/article/DGXMZO63491820V00C20A9000000/", None),
    ("https://example.com/991332/", None),
    ("https://example.com/401106/", None),
    ("https://example.com/2018/02/30/x", None),
    ("https://example.com/2018/08/02/20190101.html", None),
])
def test_date_from_url(url, expected):
    assert date_from_url(url) == expected


def test_metadata_overrides_and_url_fallback(tmp_path, make_corpus):
    root = make_corpus(tmp_path, {"a.txt": ARTICLE, "b.txt": UNDATED, "sub/c.txt": UNDATED + "c\n",
                                  "d.txt": ARTICLE + "d\n", "e.txt": UNDATED + "e\n"})
    meta = tmp_path / "meta.csv"
    meta.write_text(
        "\ufefffile,url,published,outlet,title\n"
        "a.txt,https://example.com/a,2024-11-20,Example News,差し替えた見出し\n"
        "b.txt,https://www.example.jp/news/2018/08/02/article.html,,,\n"
        "c.txt,http://j.people.com.cn/n3/2023/0110/c1.html,,,\n"
        "d.txt,https://www.example.jp/news/2018/08/02/article.html,,,\n"
        "e.txt,,2020年1月2日,,\n", encoding="utf-8")
    frame = read_corpus(root, meta).set_index("path")
    assert frame.attrs["problems"] == []
    a = frame.loc["a.txt"]
    assert (a["published"], a["published_source"], a["outlet"], a["title"], a["url"]) == (
        "2024-11-20", "metadata", "Example News", "差し替えた見出し", "https://example.com/a")
    assert frame.loc["b.txt", ["published", "published_source"]].tolist() == ["2018-08-02", "url"]
    assert frame.loc["sub/c.txt", ["published", "published_source"]].tolist() == ["2023-01-10", "url"]
    assert frame.loc["d.txt", ["published", "published_source"]].tolist() == ["2024-11-19", "dateline"]
    assert frame.loc["e.txt", ["published", "published_source"]].tolist() == ["2020-01-02", "metadata"]


def test_metadata_problems_are_reported_not_fatal(tmp_path, make_corpus, caplog):
    root = make_corpus(tmp_path, {"a.txt": ARTICLE, "b.txt": UNDATED})
    meta = tmp_path / "meta.csv"
    meta.write_text("file,url,published,outlet,extra\n"
                    "a.txt,,not a date,,x\n"
                    "missing.txt,,2020-01-01,,\n"
                    "b.txt,,2021-02-03,,\n"
                    "b.txt,,2022-02-03,,\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="kaidan"):
        frame = read_corpus(root, meta).set_index("path")
    problems = frame.attrs["problems"]
    assert len(problems) == 4
    assert "unknown column(s) 'extra'" in problems[0]
    assert "line 2" in problems[1] and "'not a date' is not a date" in problems[1]
    assert "line 3" in problems[2] and "no file 'missing.txt'" in problems[2]
    assert "line 5" in problems[3] and "already given on line 4" in problems[3]
    assert [r.getMessage() for r in caplog.records if r.name == "kaidan"] == problems
    assert frame.loc["a.txt", ["published", "published_source"]].tolist() == ["2024-11-19", "dateline"]
    assert frame.loc["b.txt", "published"] == "2021-02-03"


def test_metadata_without_file_column_is_ignored_with_a_problem(tmp_path, make_corpus):
    root = make_corpus(tmp_path, {"a.txt": ARTICLE})
    meta = tmp_path / "meta.csv"
    meta.write_text("name,url\na.txt,https://example.com/2018/08/02/a\n", encoding="utf-8")
    frame = read_corpus(root, meta)
    assert len(frame.attrs["problems"]) == 1 and "no 'file' column" in frame.attrs["problems"][0]
    assert frame.iloc[0]["published_source"] == "dateline"


def test_ambiguous_file_name_is_a_problem(tmp_path, make_corpus):
    root = make_corpus(tmp_path, {"x/a.txt": ARTICLE, "y/a.txt": UNDATED})
    meta = tmp_path / "meta.csv"
    meta.write_text("file,outlet\na.txt,Somewhere\ny/a.txt,Y News\n", encoding="utf-8")
    frame = read_corpus(root, meta).set_index("path")
    assert "names several files" in frame.attrs["problems"][0]
    assert frame.loc["y/a.txt", "outlet"] == "Y News"


@pytest.mark.parametrize("make_bad", [
    lambda p: None,
    lambda p: p.mkdir(),
    lambda p: p.write_bytes("file,outlet\na.txt,日経\n".encode("cp932")),
], ids=["missing", "directory", "not-utf8"])
def test_unreadable_metadata_raises_naming_the_file(tmp_path, make_corpus, make_bad):
    root = make_corpus(tmp_path, {"a.txt": ARTICLE})
    meta = tmp_path / "meta.csv"
    make_bad(meta)
    with pytest.raises(CorpusError, match="meta.csv"):
        read_corpus(root, meta)
