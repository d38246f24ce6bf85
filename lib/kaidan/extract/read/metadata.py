"""The metadata CSV that overrides what the text says (file, url, published, outlet, title),
and the dates a URL carries."""
from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from kaidan.extract.dates import parse_date
from kaidan.extract.read.files import CorpusError, _os_reason
from kaidan.messages import plural

METADATA_COLUMNS = ("file", "url", "published", "outlet", "title")


_URL_DAY = (
    re.compile(r"(?<!\d)(20[0-3]\d)[/-](\d{1,2})[/-](\d{1,2})(?!\d)"),  # /2018/08/02/, 2014-06/07
    re.compile(r"(?<!\d)(20[0-3]\d)/(\d{2})(\d{2})(?!\d)"),               # /n3/2023/0110/
    re.compile(r"(?<!\d)(20[0-3]\d)(\d{2})(\d{2})(?!\d)"),                # 20250831
    re.compile(r"(?<=[A-Za-z_])(20[0-3]\d)(\d{2})(\d{2})\d+"),             # fnn20230109468543
)
_URL_YYMMDD = re.compile(r"(?:^|/)([0-3]\d)(\d{2})(\d{2})(?=/|\.|$)")   # /131106/
_URL_MONTH = re.compile(r"(?<!\d)(20[0-3]\d)/(\d{1,2})/(?!\d)")          # /2019/05/slug


def _valid_date(year: int, month: int, day: int) -> str | None:
    """The ISO date, when it is a real day."""
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def date_from_url(url: str) -> tuple[str, str] | None:
    """(iso, precision) of a date the URL's path carries unambiguously, else None."""
    parts = urlsplit(url)
    path = parts.path + ("?" + parts.query if parts.query else "")
    days = {iso for pattern in _URL_DAY for m in pattern.finditer(path)
            if (iso := _valid_date(int(m[1]), int(m[2]), int(m[3])))}
    days |= {iso for m in _URL_YYMMDD.finditer(path) if (iso := _valid_date(2000 + int(m[1]), int(m[2]), int(m[3])))}
    if len(days) == 1:
        return days.pop(), "day"
    if days:
        return None
    months = {f"{int(m[1]):04d}-{int(m[2]):02d}" for m in _URL_MONTH.finditer(path) if 1 <= int(m[2]) <= 12}
    return (months.pop(), "month") if len(months) == 1 else None


# --- the metadata CSV ----------------------------------------------------------------

def _match_file(name: str, rels: list[str], by_name: dict[str, list[str]]) -> tuple[str | None, str | None]:
    """The corpus file a metadata row names (relative path, else a unique file name), or why none."""
    name = name.replace("\\", "/").removeprefix("./")
    if name in rels:
        return name, None
    candidates = by_name.get(PurePosixPath(name).name, [])
    if len(candidates) == 1:
        return candidates[0], None
    if candidates:
        return None, f"'{name}' names several files ({', '.join(candidates)}); give the relative path"
    return None, f"no file '{name}' in the corpus"


def _open_metadata(path: Path) -> list[list[str]]:
    """The CSV's rows; a file that cannot be read at all is a CorpusError."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return list(csv.reader(handle))
    except UnicodeDecodeError:
        raise CorpusError(f"metadata file {path} is not UTF-8 text") from None
    except (OSError, csv.Error) as error:
        reason = _os_reason(error) if isinstance(error, OSError) else str(error)
        raise CorpusError(f"cannot read metadata file {path}: {reason}") from None


def read_metadata(path: str | Path, rels: list[str]) -> tuple[dict[str, dict], list[str]]:
    """Metadata rows keyed by the relative path they name, and the problems found on the way."""
    path = Path(path)
    rows = _open_metadata(path)
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    problems = []
    if "file" not in header:
        return {}, [f"metadata {path.name}: no 'file' column, so no row can be matched; metadata ignored"]
    extra = [name for name in header if name not in METADATA_COLUMNS]
    if extra:
        problems.append(f"metadata {path.name}: unknown column(s) {', '.join(map(repr, extra))} ignored "
                        f"(expected {', '.join(METADATA_COLUMNS)})")
    by_name: dict[str, list[str]] = {}
    for rel in rels:
        by_name.setdefault(PurePosixPath(rel).name, []).append(rel)
    found: dict[str, dict] = {}
    first_line: dict[str, int] = {}
    for line_no, cells in enumerate(rows[1:], start=2):
        record = {name: cell.strip() for name, cell in zip(header, cells) if name in METADATA_COLUMNS}
        if not any(record.values()):
            continue
        where = f"metadata {path.name} line {line_no}"
        if len(cells) != len(header):
            fate = "the missing ones left empty" if len(cells) < len(header) else "the extra ones ignored"
            problems.append(f"{where}: {plural(len(cells), 'cell')} where the header has {len(header)}; {fate}")
        rel, why = _match_file(record.get("file", ""), rels, by_name)
        if rel is None:
            problems.append(f"{where}: {why}")
            continue
        if rel in found:
            problems.append(f"{where}: '{rel}' was already given on line {first_line[rel]}; row ignored")
            continue
        published = record.get("published")
        record["published"] = parse_date(published) if published else None
        if published and record["published"] is None:
            problems.append(f"{where}: published '{published}' is not a date; ignored")
        found[rel], first_line[rel] = record, line_no
    return found, problems


def _apply_metadata(row: dict, record: dict) -> None:
    """Metadata overrides the text: title, outlet, url, and the date (metadata > dateline > url)."""
    for name in ("title", "outlet", "url"):
        if record.get(name):
            row[name] = record[name]
    if record.get("published"):
        row["published"], row["published_source"] = record["published"][0], "metadata"
    elif not row.get("published") and record.get("url"):
        from_url = date_from_url(record["url"])
        if from_url:
            row["published"], row["published_source"] = from_url[0], "url"
