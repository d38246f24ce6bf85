"""Synthetic corpora of any size, built from the seeds, for benchmarks and tests.

    from kaidan.dev.synthetic import write_corpus
    write_corpus("bench/data/synthetic-1000", 1000, seed=0)

Every article recombines the seed articles' own lines (the headline and paragraphs of one
seed, some dropped, a few paragraphs of the other seeds put in) and rewrites what the
extraction looks for: each person, place and forum the seed names is replaced by another
entry of the gazetteers (a person mostly by one of the same country, in the form the seed
wrote: full name or family name), and every date is moved by the same number of years,
months and days, so the dateline and the dates in the text still agree. Some articles get
the seeds' site furniture (AI disclaimers, author boxes, reference footers), and a few
are saved as Shift_JIS, as an HTML page or with CRLF line ends, as real archives are.
So extraction does real work on every article: tokenising, matching names, resolving
people by role and date, finding meetings, and merging them into events.

The corpus is a pure function of (n, seed, the seeds, the gazetteers): article i depends
only on seed and i, so the first 1,000 articles of a 10,000-article corpus are the
1,000-article corpus. No two articles have the same normalised text (duplicates are not
extracted, so they would make the benchmark do less work than it says).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

GENERATOR_VERSION = 1
# Shares of articles saved in the less common forms.
SHIFT_JIS_SHARE = 0.01
HTML_SHARE = 0.01
CRLF_SHARE = 0.02
# Per article: paragraphs of the main seed kept, paragraphs borrowed from other seeds.
KEEP_PARAGRAPH = 0.85
BORROWED = (0, 0, 1, 1, 2, 3)
HEADER_FURNITURE = 0.3
FOOTER_FURNITURE = 0.4
DATELINE = 0.75
FILES_PER_FOLDER = 1000
OUTLETS = ("共同通信", "時事通信", "NHKニュース", "東京新聞", "日本経済新聞", "産経ニュース", "毎日新聞",
           "朝日新聞デジタル", "読売新聞オンライン", "Sputnik日本", "人民網日本語版", "cgtn.com", "Newsweek日本版")


@dataclass(frozen=True)
class _Slot:
    """A place in a line where a seed names something the generator replaces."""

    kind: str   # person, family, place, forum, date
    key: str    # the seed's id (for dates: the expression)
    text: str   # as the seed wrote it


@dataclass
class _Line:
    pieces: tuple          # str or _Slot, in order
    prose: bool


@dataclass
class _Seed:
    lines: list[_Line]     # the body's non-empty lines, with slots
    header: list[str]      # furniture above the body
    footer: list[str]      # furniture below it
    anchor: dt.date        # the date the seed's relative dates count from
    outlet: str | None


@dataclass
class _Pools:
    people_by_country: dict[str | None, list[tuple[str, str, str]]]  # (id, full name, family name)
    people: list[tuple[str, str, str]]
    places_by_country: dict[str, list[str]]
    places: list[str]
    forums: list[str]


_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")
_MONTH = re.compile(r"(?<![0-9])([0-9]{1,2})(?=月)")
_DAY = re.compile(r"(?<![0-9])([0-9]{1,2})(?=日|[〜~～-][0-9]{1,2}日)")
_SLASHED = re.compile(r"((?:19|20)[0-9]{2})([/.-])([0-9]{1,2})\2([0-9]{1,2})")


@dataclass(frozen=True)
class _Shift:
    """One article's move of every date: years back, months and days on (kept within the month)."""

    years: int
    months: int
    days: int

    def month(self, month: int) -> int:
        return (month - 1 + self.months) % 12 + 1

    def day(self, day: int) -> int:
        return (day - 1 + self.days) % 28 + 1

    def date(self, day: dt.date) -> dt.date:
        return dt.date(day.year + self.years, self.month(day.month), self.day(min(day.day, 28)))

    def text(self, expression: str) -> str:
        def width(old: str, new: int) -> str:
            return f"{new:0{len(old)}d}" if old.startswith("0") else str(new)

        def slashed(m: re.Match) -> str:
            return (f"{int(m[1]) + self.years}{m[2]}{width(m[3], self.month(int(m[3])))}{m[2]}"
                    f"{width(m[4], self.day(int(m[4])))}")
        if _SLASHED.search(expression):
            return _SLASHED.sub(slashed, expression)
        out = _YEAR.sub(lambda m: str(int(m[1]) + self.years), expression)
        out = _MONTH.sub(lambda m: width(m[1], self.month(int(m[1]))), out)
        return _DAY.sub(lambda m: width(m[1], self.day(int(m[1]))), out)


def _body_lines(layout) -> list[tuple[int, str]]:
    """(offset in the body, line) of each non-empty body line (`Layout.kept_lines`)."""
    lines, offset = [], 0
    for line in layout.kept_lines():
        if line:
            lines.append((offset, line))
        offset += len(line) + 1
    return lines


def _slots(article: dict, rows: dict, reference) -> list[tuple[int, int, _Slot]]:
    """Non-overlapping (start, end, slot) in the body: people, places, forums and dates."""
    from kaidan.extract.dates import find_dates

    body = article["body"]
    treaty_spans = {(m["start"], m["end"]) for m in rows["mentions"] if m["kind"] == "treaty"}
    found = []
    for m in rows["mentions"]:
        span = (m["start"], m["end"])
        if m["kind"] == "person" and m["resolution"] in ("name", "family_name"):
            kind = "person" if m["resolution"] == "name" else "family"
            found.append((*span, _Slot(kind, m["id"], m["text"])))
        elif m["kind"] == "place" and m["resolution"] == "name":
            found.append((*span, _Slot("place", m["id"], m["text"])))
        elif m["kind"] in ("forum", "organisation") and m["resolution"] == "name" and span not in treaty_spans:
            found.append((*span, _Slot("forum", m["id"], m["text"])))
    for d in find_dates(body):
        if d.kind in ("absolute", "relative", "range") and re.search(r"[0-9]", d.text):
            found.append((d.start, d.end, _Slot("date", d.text, d.text)))
    found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept, until = [], -1
    for start, end, slot in found:
        if start >= until:
            kept.append((start, end, slot))
            until = end
    return kept


def _furniture(layout) -> tuple[list[str], list[str]]:
    """The cut lines above the first kept line and below the last one."""
    kept = [i for i, (line, cut) in enumerate(zip(layout.lines, layout.cut)) if not cut and line.strip()]
    if not kept:
        return [], []
    header = [line for line in layout.lines[:kept[0]] if line.strip()]
    footer = [line for line in layout.lines[kept[-1] + 1:] if line.strip()]
    return header, footer


def _load_seeds(seeds_dir: Path, reference) -> list[_Seed]:
    from kaidan import schemas
    from kaidan.extract.meetings import anchor_for
    from kaidan.extract.read import is_prose, layout, read_corpus
    from kaidan.reference import parse_day
    from kaidan.extract.sentences import split_sentences
    from kaidan.extract import extract_article

    seeds = []
    for article in schemas.records(read_corpus(seeds_dir)):
        if article["status"] == "error" or not article["body"]:
            continue
        rows = extract_article(article, reference)
        slots = _slots(article, rows, reference)
        marked = layout(article["text"])
        lines = []
        for offset, line in _body_lines(marked):
            end, pieces, pos = offset + len(line), [], offset
            for s_start, s_end, slot in slots:
                if offset <= s_start and s_end <= end:
                    pieces += [article["body"][pos:s_start], slot]
                    pos = s_end
            pieces.append(article["body"][pos:end])
            lines.append(_Line(tuple(p for p in pieces if p != ""), is_prose(line.strip())))
        header, footer = _furniture(marked)
        sentences = [{"start": s, "end": e} for s, e in split_sentences(article["body"])]
        anchor = anchor_for(article, article["body"], sentences) or "2024-06-01"
        try:
            day = parse_day(anchor)
        except ValueError:
            day = dt.date(2024, 6, 1)
        seeds.append(_Seed(lines, header, footer, day, article.get("outlet")))
    if not seeds:
        raise ValueError(f"no readable seed articles in {seeds_dir}")
    return seeds


def _pools(reference) -> _Pools:
    by_country: dict[str | None, list[tuple[str, str, str]]] = {}
    people = []
    for person in sorted(reference.people.values(), key=lambda p: p.id):
        if not person.names_ja:
            continue
        entry = (person.id, person.names_ja[0], person.family_ja[0] if person.family_ja else person.names_ja[0])
        by_country.setdefault(person.country, []).append(entry)
        people.append(entry)
    places_by_country: dict[str, list[str]] = {}
    places = []
    for row in reference.places.sort_values("id").itertuples():
        if row.names_ja:
            places_by_country.setdefault(row.country, []).append(row.names_ja[0])
            places.append(row.names_ja[0])
    forums = sorted({(row.names_ja or row.latin or [None])[0] for row in reference.forums.itertuples()} - {None})
    return _Pools(by_country, people, places_by_country, places, forums)


class Generator:
    """Articles recombined from the seeds; `article(i)` is the text of article i."""

    def __init__(self, seed: int = 0, seeds_dir: str | Path | None = None, reference=None):
        from kaidan.reference import load_reference

        self.seed = seed
        self.reference = reference or load_reference()
        self.seeds_dir = Path(seeds_dir) if seeds_dir else _default_seeds()
        self.seeds = _load_seeds(self.seeds_dir, self.reference)
        self.pools = _pools(self.reference)
        self.place_country = {}
        for row in self.reference.places.itertuples():
            self.place_country[row.id] = row.country

    # -- one article --------------------------------------------------------------------

    def article(self, i: int, attempt: int = 0) -> str:
        """The text of article i (LF line ends, as kaidan normalises it)."""
        rng = random.Random(f"kaidan-synthetic/{GENERATOR_VERSION}/{self.seed}/{i}/{attempt}")
        main = rng.randrange(len(self.seeds))
        seed = self.seeds[main]
        shift = _Shift(years=rng.randint(-11, 0) if seed.anchor.year >= 2024 else rng.randint(-4, 2),
                       months=rng.randrange(12), days=rng.randrange(28))
        lines = [seed.lines[0]] + [line for line in seed.lines[1:] if rng.random() < KEEP_PARAGRAPH]
        others = [s for j, s in enumerate(self.seeds) if j != main] or self.seeds
        for _ in range(rng.choice(BORROWED)):
            donor = rng.choice(others)
            prose = [line for line in donor.lines[1:] if line.prose]
            if prose:
                lines.insert(rng.randint(1, len(lines)), rng.choice(prose))
        mapping: dict[tuple[str, str], str] = {}
        used: set[str] = set()
        text_lines = [self._render(line, rng, shift, mapping, used) for line in lines]

        head: list[str] = []
        if rng.random() < HEADER_FURNITURE:
            head += rng.choice(self.seeds).header
        head.append(text_lines[0])
        if rng.random() < 0.5:
            head.append(rng.choice(OUTLETS))
        if rng.random() < DATELINE:
            head.append(self._dateline(shift.date(seed.anchor), rng))
        tail: list[str] = []
        if rng.random() < FOOTER_FURNITURE:
            tail += rng.choice(self.seeds).footer
        blank = rng.random() < 0.5  # some sites leave a blank line between paragraphs
        body = ("\n\n" if blank else "\n").join(text_lines[1:])
        return "\n".join(head) + "\n\n" + body + ("\n\n" + "\n".join(tail) if tail else "") + "\n"

    def _render(self, line: _Line, rng: random.Random, shift: _Shift, mapping: dict, used: set) -> str:
        out = []
        for piece in line.pieces:
            if isinstance(piece, str):
                out.append(piece)
            elif piece.kind == "date":
                out.append(shift.text(piece.text))
            else:
                out.append(self._replace(piece, rng, mapping, used))
        return "".join(out)

    def _replace(self, slot: _Slot, rng: random.Random, mapping: dict, used: set) -> str:
        kind = "person" if slot.kind == "family" else slot.kind
        key = (kind, slot.key)
        if key not in mapping:
            mapping[key] = self._choose(kind, slot.key, rng, used)
            used.add(mapping[key] if kind != "person" else mapping[key][0])
        chosen = mapping[key]
        if kind == "person":
            return chosen[2] if slot.kind == "family" else chosen[1]
        return chosen

    def _choose(self, kind: str, original: str, rng: random.Random, used: set):
        pools = self.pools
        if kind == "person":
            country = self.reference.people[original].country if original in self.reference.people else None
            same = pools.people_by_country.get(country, [])
            pool = same if len(same) > 2 and rng.random() < 0.7 else pools.people
            for _ in range(20):
                person = rng.choice(pool)
                if person[0] not in used:
                    return person
            return person
        if kind == "place":
            same = pools.places_by_country.get(self.place_country.get(original), [])
            pool = same if len(same) > 1 and rng.random() < 0.5 else pools.places
            return rng.choice(pool)
        return rng.choice(pools.forums)

    @staticmethod
    def _dateline(day: dt.date, rng: random.Random) -> str:
        hour, minute = rng.randrange(6, 23), rng.randrange(60)
        return rng.choice((
            f"{day.year}年{day.month}月{day.day}日 {hour}:{minute:02d}",
            f"{day.year}/{day.month:02d}/{day.day:02d} {hour:02d}:{minute:02d}配信",
            f"{day.year}年{day.month:02d}月{day.day:02d}日",
            f"{day.isoformat()}",
        ))

    # -- saved form ---------------------------------------------------------------------

    def encoded(self, i: int, text: str) -> tuple[str, bytes]:
        """(suffix, bytes) of article i as saved: mostly UTF-8 .txt, a few Shift_JIS, HTML, CRLF."""
        rng = random.Random(f"kaidan-synthetic-form/{self.seed}/{i}")
        roll = rng.random()
        if roll < SHIFT_JIS_SHARE:
            try:
                return ".txt", text.encode("cp932")
            except UnicodeEncodeError:
                pass
        elif roll < SHIFT_JIS_SHARE + HTML_SHARE:
            lines = text.strip("\n").split("\n")
            paragraphs = "".join(f"<p>{_escape(line)}</p>\n" for line in lines[1:] if line)
            page = (f"<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\"><title>{_escape(lines[0])}"
                    f"</title><script>var x = 1;</script></head>\n<body><nav><a href=\"/\">トップ</a></nav>\n"
                    f"<article><h1>{_escape(lines[0])}</h1>\n{paragraphs}</article></body></html>\n")
            return ".md" if rng.random() < 0.2 else ".txt", page.encode("utf-8")
        elif roll < SHIFT_JIS_SHARE + HTML_SHARE + CRLF_SHARE:
            return ".txt", text.replace("\n", "\r\n").encode("utf-8")
        return (".md" if rng.random() < 0.05 else ".txt"), text.encode("utf-8")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _default_seeds() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "seeds").is_dir():
            return parent / "seeds"
    raise FileNotFoundError("no seeds/ folder found above the kaidan package; pass seeds_dir")


def relative_path(i: int, suffix: str = ".txt") -> str:
    """Where article i goes: folders of 1,000 files, as large archives are kept."""
    return f"{i // FILES_PER_FOLDER:04d}/{i:07d}{suffix}"


def generate(n: int, seed: int = 0, seeds_dir: str | Path | None = None, reference=None):
    """Yield (relative path, bytes) of n articles, every normalised text distinct."""
    generator = Generator(seed, seeds_dir, reference)
    seen: set[bytes] = set()
    for i in range(n):
        for attempt in range(100):
            text = generator.article(i, attempt)
            digest = hashlib.sha256(text.encode("utf-8")).digest()[:16]
            if digest not in seen:
                break
        seen.add(digest)
        suffix, data = generator.encoded(i, text)
        yield relative_path(i, suffix), data


def write_corpus(folder: str | Path, n: int, seed: int = 0, seeds_dir: str | Path | None = None) -> dict:
    """Write an n-article synthetic corpus into folder (reused when already there); returns its stamp."""
    folder = Path(folder)
    stamp_path = folder / ".synthetic.json"  # hidden: kaidan lists every other file it finds
    seeds = Path(seeds_dir) if seeds_dir else _default_seeds()
    seeds_hash = hashlib.sha256()
    for path in sorted(seeds.glob("*")):
        if path.is_file():
            seeds_hash.update(path.name.encode() + b"\0" + path.read_bytes())
    from kaidan.reference import load_reference

    wanted = {"generator": GENERATOR_VERSION, "n": n, "seed": seed, "seeds": seeds_hash.hexdigest()[:16],
              "reference": load_reference().digest}
    if stamp_path.exists():
        try:
            stamp = json.loads(stamp_path.read_text())
        except ValueError:
            stamp = {}
        if {k: stamp.get(k) for k in wanted} == wanted:
            return stamp
    if folder.exists():
        import shutil

        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    files = size = 0
    for rel, data in generate(n, seed, seeds):
        path = folder / rel
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        files += 1
        size += len(data)
    stamp = {**wanted, "files": files, "bytes": size}
    stamp_path.write_text(json.dumps(stamp, indent=1) + "\n")
    return stamp


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m kaidan.dev.synthetic",
                                     description="Write a synthetic corpus recombined from the seeds.")
    parser.add_argument("out", help="folder to write")
    parser.add_argument("-n", type=int, default=1000, help="articles (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seeds", help="folder of seed articles (default: the repository's seeds/)")
    args = parser.parse_args(argv)
    stamp = write_corpus(args.out, args.n, args.seed, args.seeds)
    print(f"{stamp['files']} files, {stamp['bytes']:,} bytes -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
