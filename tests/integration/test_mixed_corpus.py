"""One mixed corpus, as analysts keep them, through every command and entry point: text files,
web pages plain and saved with their furniture, web archives (.warc and .warc.gz), CSV and JSON
Lines exports, files kaidan does not read (a PDF, an image), and broken ones (undecodable bytes,
empty files of each kind, a page with no article, an archive's empty response, a truncated
archive, exports with bad rows). `kaidan extract` (one job and two, --strict), `kaidan report`,
`kaidan export`, `kaidan.load_corpus` and every notebook's code on its tables: each exits as
documented, every input is a row of `articles` with its status and a message naming the
problem, stderr says each problem once and nothing else, and the good articles are analysed
past the bad ones.

Nothing here is a committed binary and no sentence comes from the evaluation texts: the corpus
is written by `mixed_corpus()` below from the articles in ARTICLES.
"""
from __future__ import annotations

import contextlib
import html
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import IPython.display
import jsonschema
import nbformat
import pandas as pd
import pytest

import kaidan
from formats_helpers import png, saved_page, write_csv, write_jsonl, write_warc
from kaidan.cli import main
from kaidan.constants import PLOTLY_MIMETYPE, TABLE_NAMES
from kaidan.export import schema
from kaidan.run import executors
from kaidan.run.corpus import Corpus

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"

# Each article: headline, dateline, paragraphs; each reports one meeting of two countries.
ARTICLES = {
    "defence": ("日米防衛相がワシントンで会談 抑止力の強化を確認", "2024年5月2日",
                ["木原稔防衛相は2024年5月1日、ワシントンでオースティン米国防長官と会談した。",
                 "両氏は日米同盟の抑止力を高めるため、装備品の共同生産を進めることで一致した。"]),
    "phone": ("日豪首脳が電話会談 海洋の安全で連携", "2024年6月11日",
              ["岸田文雄首相は2024年6月10日、オーストラリアのアルバニージー首相と電話で会談した。",
               "両首脳は南シナ海の情勢について意見を交わし、連携を続けることを確かめた。"]),
    "moscow": ("中ロ外相がモスクワで会談 国際情勢を協議", "2024年4月9日",
               ["ロシアのラブロフ外相は2024年4月8日、モスクワで中国の王毅外相と会談した。",
                "両氏は国際情勢について協議し、今後も緊密に連絡を取り合うことで合意した。"]),
    "seoul": ("日韓外相がソウルで会談 北朝鮮への対応で協力", "2024年7月3日",
              ["上川陽子外相は2024年7月2日、ソウルで韓国の趙兌烈外相と会談した。",
               "両氏は北朝鮮の核・ミサイル開発への対応で日米韓の協力を深めることで一致した。"]),
    "manila": ("日比外相がマニラで会談 海上保安で協力", "2024年8月6日",
               ["上川陽子外相は2024年8月5日、マニラでフィリピンのマナロ外相と会談した。",
                "両氏は海上保安機関の協力を広げることで合意した。"]),
    "delhi": ("日印外相がニューデリーで会談 経済安保で連携", "2024年9月4日",
              ["上川陽子外相は2024年9月3日、ニューデリーでインドのジャイシャンカル外相と会談した。",
               "両氏は経済安全保障の分野で連携を強めることで一致した。"]),
    "hanoi": ("日越首脳がハノイで会談 インフラ協力を確認", "2024年10月15日",
              ["石破茂首相は2024年10月14日、ハノイでベトナムのファム・ミン・チン首相と会談した。",
               "両首脳はインフラ整備での協力を続けることを確認した。"]),
    "berlin": ("日独外相がベルリンで会談 ウクライナ支援を協議", "2024年11月6日",
               ["岩屋毅外相は2024年11月5日、ベルリンでドイツのベーアボック外相と会談した。",
                "両氏はウクライナへの支援を続けることで一致した。"]),
    "jakarta": ("日尼外相がジャカルタで会談 海洋協力で一致", "2024年12月3日",
                ["岩屋毅外相は2024年12月2日、ジャカルタでインドネシアのスギオノ外相と会談した。",
                 "両氏は海洋分野の協力を進めることで一致した。"]),
    "canberra": ("日豪外相がキャンベラで会談 防衛協力を確認", "2024年2月21日",
                 ["上川陽子外相は2024年2月20日、キャンベラでオーストラリアのウォン外相と会談した。",
                  "両氏は防衛協力をさらに深めることを確認した。"]),
    "london": ("日英外相がロンドンで会談 技術協力で合意", "2024年3月13日",
               ["上川陽子外相は2024年3月12日、ロンドンで英国のキャメロン外相と会談した。",
                "両氏は先端技術の協力について合意した。"]),
    "paris": ("日仏外相がパリで会談 インド太平洋で連携", "2024年1月17日",
              ["上川陽子外相は2024年1月16日、パリでフランスのセジュルネ外相と会談した。",
               "両氏はインド太平洋地域での連携を強めることで一致した。"]),
    "singapore": ("日星防衛相がシンガポールで会談 共同訓練を拡大", "2024年6月2日",
                  ["木原稔防衛相は2024年6月1日、アジア安全保障会議（シャングリラ会合）に合わせて、シンガポールの"
                   "ウン・エンヘン国防相とシンガポールで会談した。",
                   "両氏は共同訓練を広げることで合意した。"]),
}


def text_of(key: str) -> str:
    """An article as a text file holds it: headline, dateline, a blank line, the paragraphs."""
    title, dateline, paragraphs = ARTICLES[key]
    return f"{title}\n{dateline}\n\n" + "\n".join(paragraphs) + "\n"


def body_of(key: str) -> str:
    """An article as an export's text column holds it: the paragraphs."""
    return "\n\n".join(ARTICLES[key][2])


def plain_page(key: str) -> str:
    """A bare web page: a title, a heading and paragraphs, nothing around them."""
    title, dateline, paragraphs = ARTICLES[key]
    return (f"<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\"><title>{title}</title></head>"
            f"<body><h1>{title}</h1><p>{dateline}</p>" + "".join(f"<p>{p}</p>" for p in paragraphs)
            + "</body></html>\n")


def furnished_page(key: str) -> str:
    """The article as a browser saves it from a news site, among menus, rankings and footers."""
    title, dateline, paragraphs = ARTICLES[key]
    year, month, day = map(int, re.findall(r"\d+", dateline))
    return saved_page(title, paragraphs, published=f"{year}-{month:02d}-{day:02d}",
                      url=f"https://news.example.jp/world/{key}.html")


# A page saved from a video: a title and a player, no article text.
VIDEO_PAGE = ("<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\"><title>動画ニュース</title></head>"
              "<body><div class=\"player\" data-src=\"/v/1.mp4\"></div></body></html>\n")


def _response(key: str, page: str | None = None) -> dict:
    return {"url": f"https://news.example.jp/world/{key}.html", "body": (page or plain_page(key)).encode("utf-8")}


def mixed_corpus(root: Path) -> Path:
    """Write the mixed corpus under root (created) and return it."""
    root.mkdir(parents=True)
    (root / "texts").mkdir()
    (root / "texts" / "defence.txt").write_text(text_of("defence"), encoding="utf-8")
    (root / "texts" / "phone.md").write_text(text_of("phone"), encoding="utf-8")
    (root / "texts" / "moscow_sjis.txt").write_bytes(text_of("moscow").encode("cp932"))
    (root / "texts" / "noise.txt").write_bytes(bytes(range(128, 256)) * 30)
    (root / "texts" / "empty.txt").write_bytes(b"")
    (root / "pages").mkdir()
    (root / "pages" / "seoul.html").write_text(plain_page("seoul"), encoding="utf-8")
    (root / "pages" / "manila.htm").write_text(furnished_page("manila"), encoding="utf-8")
    (root / "pages" / "empty.html").write_bytes(b"")
    (root / "pages" / "video.html").write_text(VIDEO_PAGE, encoding="utf-8")
    (root / "archives").mkdir()
    write_warc(root / "archives" / "crawl.warc.gz", [
        {"type": "request", "url": _response("delhi")["url"]}, _response("delhi", furnished_page("delhi")),
        {"url": "https://news.example.jp/img/map.png", "body": png(), "content_type": "image/png"},
        _response("hanoi"), {"type": "revisit", "url": _response("hanoi")["url"]},
        {"url": "https://news.example.jp/world/gone.html", "body": b""}])
    write_warc(root / "archives" / "plain.warc", [_response("berlin")], gzip=False)
    whole = root / "archives" / "cut.warc.gz"
    write_warc(whole, [_response("jakarta"), _response("canberra")])
    data = whole.read_bytes()
    whole.write_bytes(data[:len(data) - 200])  # the second record loses its end
    (root / "archives" / "empty.warc.gz").write_bytes(b"")
    (root / "exports").mkdir()
    write_csv(root / "exports" / "feed.csv", ["id", "title", "published", "url", "source", "text"], [
        ["london-1", ARTICLES["london"][0], "2024-03-13", "https://news.example.jp/world/london.html", "東亜通信",
         body_of("london")],
        ["blank-2", "本文のない行", "2024-03-14", "", "東亜通信", ""],
        ["paris-3", ARTICLES["paris"][0], "2024-13-40", "", "東亜通信", body_of("paris")],
    ])
    with open(root / "exports" / "feed.csv", "a", encoding="utf-8") as handle:
        handle.write('broken-4,"開いた引用符が閉じない,2024-03-15,,東亜通信,本文\n')
    write_jsonl(root / "exports" / "wire.jsonl", [
        {"id": "wire-singapore", "headline": ARTICLES["singapore"][0], "date": "2024-06-02",
         "content": body_of("singapore")},
        {"id": "wire-defence", "headline": ARTICLES["defence"][0], "content": body_of("defence")},
    ])
    with open(root / "exports" / "wire.jsonl", "a", encoding="utf-8") as handle:
        handle.write("{\"id\": \"wire-cut\", \"content\": \"途中で切れた\n")
        handle.write("[\"a list\", \"not an object\"]\n")
    (root / "exports" / "empty.csv").write_bytes(b"")
    (root / "others").mkdir()
    (root / "others" / "scan.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    (root / "others" / "map.png").write_bytes(png())
    return root


# Every row of articles: article_id -> (path, status, words its message holds; "" = empty).
# The damaged place's id holds its byte offset, which the compressed sizes decide: "cut:byte-".
EXPECTED: dict[str, tuple[str, str, str]] = {
    "crawl": ("archives/crawl.warc.gz", "ok", "web archive: 3 articles from 6 records; not articles: 1 request "
                                              "record, 1 response of type image/png, 1 revisit record"),
    "crawl:2": ("archives/crawl.warc.gz", "ok", ""),
    "crawl:4": ("archives/crawl.warc.gz", "ok", ""),
    "crawl:6": ("archives/crawl.warc.gz", "error", "response with an empty body"),
    "texts/empty": ("texts/empty.txt", "error", "empty file"),  # four files named empty: ids are their paths
    "exports/empty": ("exports/empty.csv", "error", "empty file"),
    "pages/empty": ("pages/empty.html", "error", "empty file"),
    "archives/empty": ("archives/empty.warc.gz", "error", "empty file"),
    "video": ("pages/video.html", "error", "web page: no article text found in it"),
    "cut": ("archives/cut.warc.gz", "ok", "web archive: 1 article from 2 records; 1 damaged place"),
    "cut:1": ("archives/cut.warc.gz", "ok", ""),
    "cut:byte-": ("archives/cut.warc.gz", "warning", "record 2 is truncated: it ends before its stated length"),
    "plain": ("archives/plain.warc", "ok", "web archive: 1 article from 1 record"),
    "plain:1": ("archives/plain.warc", "ok", ""),
    "feed": ("exports/feed.csv", "ok", "CSV export: 3 articles (columns body=text, title=title, published=published, "
                                       "url=url, outlet=source, id=id); 1 row that cannot be read"),
    "london-1": ("exports/feed.csv", "ok", ""),
    "blank-2": ("exports/feed.csv", "error", "row 3 (line 5): no article text (column 'text' is empty)"),
    "paris-3": ("exports/feed.csv", "warning", "row 4 (line 6): date '2024-13-40' is not a date; ignored"),
    "feed:5": ("exports/feed.csv", "error",
               "row 5 (line 9): cannot be read as CSV: a quote is opened and never closed"),
    "wire": ("exports/wire.jsonl", "ok", "JSON Lines export: 2 articles; 2 lines that cannot be read"),
    "wire-singapore": ("exports/wire.jsonl", "ok", ""),
    "wire-defence": ("exports/wire.jsonl", "ok", ""),
    "wire:3": ("exports/wire.jsonl", "error", "line 3: not valid JSON"),
    "wire:4": ("exports/wire.jsonl", "error", "line 4: a JSON list, not an object"),
    "map": ("others/map.png", "error", "not a format kaidan reads (PNG)"),
    "scan": ("others/scan.pdf", "error", "not a format kaidan reads (PDF)"),
    "manila": ("pages/manila.htm", "ok", ""),
    "seoul": ("pages/seoul.html", "ok", ""),
    "defence": ("texts/defence.txt", "ok", ""),
    "moscow_sjis": ("texts/moscow_sjis.txt", "ok", ""),
    "noise": ("texts/noise.txt", "error", "undecodable bytes"),
    "phone": ("texts/phone.md", "ok", ""),
}
# The articles analysed, each with the sides of the meeting it reports.
SIDES: dict[str, set[str]] = {
    "crawl:2": {"IND", "JPN"}, "crawl:4": {"JPN", "VNM"}, "cut:1": {"IDN", "JPN"}, "plain:1": {"DEU", "JPN"},
    "london-1": {"GBR", "JPN"}, "paris-3": {"FRA", "JPN"}, "wire-singapore": {"JPN", "SGP"},
    "wire-defence": {"JPN", "USA"}, "manila": {"JPN", "PHL"}, "seoul": {"JPN", "KOR"}, "defence": {"JPN", "USA"},
    "moscow_sjis": {"CHN", "RUS"}, "phone": {"AUS", "JPN"},
}
N_EVENTS = 12  # the meeting in Washington, reported by a text file and an export's row, is one event


def run_cli(*args: str) -> tuple[int, str, str]:
    """`kaidan ARGS` in this process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def kaidan_process(*args, cache: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    """`kaidan ARGS` as a separate process, with its own cache folder."""
    env = {**os.environ, "KAIDAN_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, "-m", "kaidan", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, timeout=timeout, env=env)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _row_id(article_ids, key: str) -> str:
    """The article_id EXPECTED's key stands for (the damaged place's by its prefix)."""
    if not key.endswith("-"):
        return key
    found = [a for a in article_ids if a.startswith(key)]
    assert len(found) == 1, (key, found)
    return found[0]


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("mixed_corpus")
    mixed_corpus(base / "corpus")
    return base


@pytest.fixture(scope="module")
def one_job(base) -> dict:
    out = base / "one"
    code, stdout, stderr = run_cli("extract", base / "corpus", "--out", out, "--jobs", "1", "--cache", base / "cache")
    return {"out": out, "code": code, "stdout": stdout, "stderr": stderr,
            "articles": pd.read_csv(out / "articles.csv", keep_default_na=False, dtype=str).set_index("article_id"),
            "corpus": Corpus.from_folder(out)}


# --- kaidan extract ------------------------------------------------------------------------

def test_extract_exits_0_and_writes_every_table(one_job):
    assert one_job["code"] == 0, one_job["stderr"]
    for name in TABLE_NAMES:
        assert (one_job["out"] / f"{name}.csv").is_file() and (one_job["out"] / f"{name}.parquet").is_file()
    assert "32 articles (17 ok, 2 warnings, 13 errors), 13 meetings, 12 events" in one_job["stdout"]


def test_every_file_on_disk_is_listed(base, one_job):
    on_disk = {p.relative_to(base / "corpus").as_posix() for p in (base / "corpus").rglob("*") if p.is_file()}
    assert set(one_job["articles"]["path"]) == on_disk
    assert len(on_disk) == 18


def test_every_file_record_and_row_is_a_row_with_its_status_and_message(one_job):
    articles = one_job["articles"]
    ids = [_row_id(articles.index, key) for key in EXPECTED]
    assert sorted(ids) == sorted(articles.index)  # nothing more, nothing less
    for key, ident in zip(EXPECTED, ids):
        path, status, words = EXPECTED[key]
        row = articles.loc[ident]
        assert (row["path"], row["status"]) == (path, status), (ident, row["message"])
        assert words in row["message"] if words else row["message"] == "", (ident, row["message"])


def test_each_problem_reaches_stderr_once_naming_its_file(one_job):
    articles = one_job["articles"]
    flagged = articles[articles["status"] != "ok"]
    assert len(flagged) == 15
    for ident, row in flagged.iterrows():
        line = f"kaidan: {row['path']}: {row['status']}: {row['message']}"
        assert one_job["stderr"].splitlines().count(line) == 1, (line, one_job["stderr"])
    for path in set(articles["path"]) - set(flagged["path"]):
        assert f"kaidan: {path}:" not in one_job["stderr"]


def test_the_good_articles_are_analysed_past_the_bad_ones(one_job):
    corpus = one_job["corpus"]
    found = {}
    for row in corpus.meetings.itertuples():
        found.setdefault(row.article_id, set()).update(row.countries)
    assert found == SIDES
    assert len(corpus.events) == N_EVENTS
    washington = corpus.events[corpus.events["article_ids"].map(lambda ids: "defence" in ids)]
    assert len(washington) == 1 and set(washington.iloc[0]["article_ids"]) == {"defence", "wire-defence"}
    bad = set(corpus.articles.loc[corpus.articles["status"] == "error", "article_id"])
    for name in ("sentences", "mentions", "meetings"):
        assert not bad & set(getattr(corpus, name)["article_id"]), name


def test_missing_values_reach_the_tables_as_missing(one_job):
    """What the notebooks and exports below must cope with: a file not read has no title, text
    hash or language; an export's row may lack a date, a URL or an outlet; a phone call has no
    city. Missing, not text: no CSV cell reads 'nan' or 'None'."""
    corpus = one_job["corpus"]
    articles = corpus.articles.set_index("article_id")
    for ident in ("scan", "feed", "crawl", "noise"):
        assert articles.loc[ident, ["title", "content_hash", "language", "published"]].isna().all(), ident
    assert articles.loc["wire-defence", ["published", "url", "outlet"]].isna().all()
    assert corpus.events["city"].isna().sum() == 1 and corpus.events["forum"].isna().all()
    for name in TABLE_NAMES:
        cells = pd.read_csv(one_job["out"] / f"{name}.csv", keep_default_na=False, dtype=str)
        assert not cells.isin(["nan", "NaN", "None", "<NA>"]).any().any(), name


def test_two_jobs_write_the_same_bytes_as_one(base, one_job):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(executors, "PARALLEL_MIN_ITEMS", 0)  # so two processes really share the work
        patch.setattr(executors, "CHUNK_MAX_ITEMS", 4)
        code, stdout, stderr = run_cli("extract", base / "corpus", "--out", base / "two", "--jobs", "2",
                                       "--cache", base / "two-cache")  # a cache of its own: every article read
    assert code == 0, stderr
    assert stdout == one_job["stdout"].replace(str(base / "one"), str(base / "two"))
    assert sorted(stderr.splitlines()) == sorted(one_job["stderr"].splitlines())
    assert _files(base / "two") == _files(one_job["out"])


def test_strict_exits_1_and_still_writes_the_tables(base, one_job):
    """As a scheduled run starts it, in a process of its own: stderr holds the problems, one line
    each, and nothing else (no line a library logged about a page, naming no file)."""
    proc = kaidan_process("extract", base / "corpus", "--out", base / "strict", "--strict", "--quiet",
                          cache=base / "strict-cache")  # every page read, none from the cache
    assert proc.returncode == 1
    assert _files(base / "strict") == _files(one_job["out"])
    articles = one_job["articles"]
    flagged = articles[articles["status"] != "ok"]
    assert sorted(proc.stderr.splitlines()) == sorted(
        f"kaidan: {row['path']}: {row['status']}: {row['message']}" for _, row in flagged.iterrows())


# --- kaidan.load_corpus and the notebooks' analysis -------------------------------------------

def test_load_corpus_gives_the_tables_extract_wrote(base, one_job):
    corpus = kaidan.load_corpus(base / "corpus")
    for name in TABLE_NAMES:
        pd.testing.assert_frame_equal(getattr(corpus, name), getattr(one_job["corpus"], name), obj=name)


def _notebook_cells(name: str) -> list[str]:
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def _strings(value):
    """Every str inside a displayed bundle (a figure's titles, hover texts, labels)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def _visible(bundle) -> list[str]:
    """What a reader sees of one displayed bundle: an HTML part's text, a figure's strings."""
    if not isinstance(bundle, dict):
        return [repr(bundle)]
    texts = list(_strings(bundle.get(PLOTLY_MIMETYPE, {})))
    if "text/html" in bundle:
        markup = re.sub(r"<script.*?</script>", "", bundle["text/html"], flags=re.S)
        texts.append(html.unescape(re.sub(r"<[^>]+>", " ", markup)))
    return texts


# A scope that cuts the corpus: a period, one country, Japanese labels.
CUT = {"start": "2024-05", "end": "2024-10", "countries": "JPN", "lang": "ja"}


@pytest.mark.parametrize("tables, cut", [("", False), ("one", False), ("one", True)],
                         ids=["load_corpus", "tables", "tables-cut"])
@pytest.mark.parametrize("name", sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")))
def test_every_notebook_runs_on_the_mixed_corpus(base, one_job, name, tables, cut):
    """Each notebook's code, in this process as papermill runs it, given the corpus (so open_corpus
    extracts it with kaidan.load_corpus) or the tables extract wrote, whole or cut to a scope: a
    failure shows its own traceback. No missing value reaches the reader as text ('nan', 'None')."""
    parameters, *cells = _notebook_cells(name)
    namespace: dict = {}
    exec(parameters, namespace)
    namespace.update(corpus=str(base / "corpus"), tables=str(base / tables) if tables else "", **(CUT if cut else {}))
    shown: list = []
    with mock.patch.object(IPython.display, "display", lambda bundle, **_: shown.append(bundle)):
        for cell in cells:
            exec(cell, namespace)
    text = "\n".join(t for bundle in shown for t in _visible(bundle))
    assert "32 articles" in text  # the provenance table counts every row, the unreadable files too
    assert not re.findall(r".{0,40}\b(?:nan|NaN|None|NaT|<NA>)\b.{0,20}", text)


# --- kaidan report and kaidan export ------------------------------------------------------------

@pytest.fixture(scope="module")
def report(base) -> dict:
    out = base / "reports"
    proc = kaidan_process("report", "--corpus", base / "corpus", "--out", out, cache=base / "report-cache")
    return {"out": out, "proc": proc}


def test_report_exits_0_and_its_index_lists_every_report(report):
    out, proc = report["out"], report["proc"]
    assert proc.returncode == 0, proc.stderr
    assert ("extracted 32 articles (17 ok, 2 warnings, 13 errors; each listed in tables/articles.csv), 13 meetings, "
            "12 events") in proc.stderr
    # the run's own progress, nothing a library logged about a page
    own = re.compile(r"kaidan: (extracting |extracted |\[\d+/\d+\] |wrote \d+ static figures|published )")
    assert all(own.match(line) for line in proc.stderr.splitlines()), proc.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "ok"
    assert summary["extraction"] == {"files": 32, "ok": 17, "warnings": 2, "errors": 13, "mentions": summary[
        "extraction"]["mentions"], "meetings": 13, "events": N_EVENTS}
    names = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    assert [r["name"] for r in summary["reports"]] == names and all(r["ok"] for r in summary["reports"])
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in names:
        assert f'href="{name}.html"' in index and (out / f"{name}.html").is_file()
    assert summary["figures"], "the main charts are drawn from the mixed corpus too"


def test_report_run_again_finds_nothing_new(base, report):
    proc = kaidan_process("report", "--corpus", base / "corpus", "--out", report["out"], cache=base / "report-cache")
    assert proc.returncode == 0, proc.stderr
    assert "nothing new since the run of" in proc.stderr


def test_report_publishes_the_tables_extract_writes(report, one_job):
    published, written = _files(report["out"] / "tables"), _files(one_job["out"])
    assert {name: published.get(name) for name in written} == written


def test_report_overview_names_the_problems(report):
    page = html.unescape((report["out"] / "00_corpus_overview.html").read_text(encoding="utf-8"))
    assert "32 articles: 17 ok, 2 warnings, 13 errors" in page
    for words in ("not a format kaidan reads (PDF)", "record 2 is truncated", "a quote is opened and never closed"):
        assert words in page


@pytest.fixture(scope="module")
def exported(base, one_job) -> dict:
    """`kaidan export` of the folder of articles and of the tables extract wrote."""
    runs = {}
    for name, src in (("articles", base / "corpus"), ("tables", one_job["out"])):
        out = base / f"{name}.jsonl"
        runs[name] = (kaidan_process("export", src, "--out", out, cache=base / "export-cache"), out)
    return runs


@pytest.mark.parametrize("src", ["articles", "tables"])
def test_export_writes_a_valid_record_for_every_event(exported, one_job, src):
    proc, out = exported[src]
    assert proc.returncode == 0, proc.stderr
    assert f"wrote {N_EVENTS} PLOVER record(s)" in proc.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())
    for record in records:
        assert not list(validator.iter_errors(record)), record["id"]
    assert sorted(r["id"] for r in records) == sorted(one_job["corpus"].events["event_id"])
    sources = {s["article_id"] for r in records for s in r["kaidan"]["sources"]}
    assert sources == set(SIDES)  # every analysed article, and no row that could not be read


def test_export_of_the_articles_and_of_the_tables_agree(exported):
    def records(src):
        found = [json.loads(line) for line in exported[src][1].read_text(encoding="utf-8").splitlines()]
        for record in found:
            record["cite_info"].pop("corpus")  # the folder's name
        return found
    assert records("articles") == records("tables")
