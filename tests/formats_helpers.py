"""Builders for the input-format tests: saved web pages with site furniture, web archives written
with warcio, and CSV / JSON Lines exports, all made here from article text; and a real image."""
from __future__ import annotations

import csv
import html
import io
import json
import struct
import zlib
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Furniture a news site puts around an article; none of it may reach a body.
MENU = ("天気・災害", "マネー特集", "暮らしの知恵", "今日の占い", "動画ニュース")
RELATED = ("北極海の氷、観測史上最小に迫る", "人気ラーメン店の行列に密着した一日")
RANKING = ("週末に行きたい紅葉の名所10選", "新型スマホの予約始まる 価格は据え置き")
SHARE = ("Xでポスト", "フェイスブックでシェア", "はてなブックマークに追加")
FOOTER = ("利用規約", "個人情報の取り扱いについて", "© 2024 東亜デジタル All Rights Reserved.")
SCRIPT = "trackPageView('記事閲覧カウンター')"
STYLE = "font-family: 'ヒラギノ角ゴ'"
BREADCRUMB = ("ホーム", "ニュース一覧")
FURNITURE = (*MENU, *RELATED, *RANKING, *SHARE, *FOOTER, SCRIPT, "trackPageView", STYLE, "font-family",
             "ニュース一覧")


def _items(texts, link: str = "/a/") -> str:
    return "".join(f'<li><a href="{link}{i}">{html.escape(t)}</a></li>' for i, t in enumerate(texts))


def saved_page(title: str, paragraphs: list[str], *, site: str = "東亜デジタル", published: str | None = None,
               url: str | None = None, author: str | None = None, charset: str = "utf-8") -> str:
    """A news page as a browser saves it: the article among menus, a breadcrumb, share buttons,
    a related-articles list inside the article, a ranking in the sidebar, a footer, scripts, styles."""
    meta = [f'<meta charset="{charset}">', f'<meta property="og:site_name" content="{html.escape(site)}">',
            f'<meta property="og:title" content="{html.escape(title)}">']
    if published:
        meta.append(f'<meta property="article:published_time" content="{published}T09:30:00+09:00">')
    if url:
        meta.append(f'<link rel="canonical" href="{html.escape(url)}">')
    if author:
        meta.append(f'<meta name="author" content="{html.escape(author)}">')
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="ja"><head>{''.join(meta)}
<title>{html.escape(title)} | {html.escape(site)}</title>
<style>body {{ {STYLE}; }} .share a {{ color: #333 }}</style>
<script>window.dataLayer = []; {SCRIPT};</script>
</head><body>
<header class="site-header"><div class="logo"><a href="/">{html.escape(site)}</a></div>
<nav class="global-nav"><ul>{_items(MENU, "/cat/")}</ul></nav>
<form class="search"><input type="text" placeholder="サイト内検索"><button>検索</button></form></header>
<nav class="breadcrumb" aria-label="breadcrumb"><ol>{_items(BREADCRUMB, "/b/")}<li>{html.escape(title[:12])}</li></ol></nav>
<div class="container"><main>
<article class="article">
<h1 class="article-title">{html.escape(title)}</h1>
<div class="share">{''.join(f'<a class="btn" href="#">{s}</a>' for s in SHARE)}</div>
<div class="article-body">
{body}</div>
<div class="share share-bottom">{''.join(f'<a class="btn" href="#">{s}</a>' for s in SHARE)}</div>
<section class="related"><h2>関連記事</h2><ul>{_items(RELATED, "/related/")}</ul></section>
</article></main>
<aside class="sidebar"><section class="ranking"><h2>アクセスランキング</h2><ol>{_items(RANKING, "/rank/")}</ol></section></aside>
</div>
<footer class="site-footer"><ul>{_items(FOOTER[:2], "/about/")}</ul><p class="copyright">{FOOTER[2]}</p></footer>
<script>document.querySelectorAll('.btn').forEach(function (b) {{ b.onclick = null; }});</script>
</body></html>
"""


def write_warc(path: Path, records: list[dict], gzip: bool = True) -> None:
    """A web archive of records: {'type': 'response'|'request'|'revisit', 'url', 'body' (bytes),
    'content_type', 'status'}; responses carry HTTP headers as a crawler writes them."""
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        for spec in records:
            kind, url = spec.get("type", "response"), spec["url"]
            if kind == "response":
                headers = StatusAndHeaders(spec.get("status", "200 OK"),
                                           [("Content-Type", spec.get("content_type", "text/html; charset=utf-8"))],
                                           protocol="HTTP/1.1")
                record = writer.create_warc_record(url, "response", payload=io.BytesIO(spec["body"]),
                                                   http_headers=headers)
            elif kind == "request":
                headers = StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "news.example.jp")],
                                           is_http_request=True)
                record = writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=headers)
            else:
                record = writer.create_revisit_record(url, digest=spec.get("digest", "sha1:AAAAAAAAAAAAAAAA"),
                                                      refers_to_uri=url, refers_to_date="2024-11-20T00:00:00Z")
            writer.write_record(record)


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_jsonl(path: Path, objects: list[dict]) -> None:
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects), encoding="utf-8")


def png() -> bytes:
    """A tiny, real PNG image (one pixel): a file kaidan does not read."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))
