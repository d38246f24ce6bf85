"""Load and validate the gazetteers (the *.yaml files beside this module) in one place.

Every other module reads reference data through `load_reference()`. Each file is
checked against its own pandera schema (required fields, types, unique ids) and for
aliases claimed twice; a broken file stops the run with a message naming the file,
the entry and the field, because extraction on a half-read gazetteer would be silently
wrong.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import yaml

from kaidan.reference import cache
from kaidan.text import fold

# libyaml when present: the gazetteers are large enough for the pure-Python parser to show
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ISO3 = r"^[A-Z]{3}$"
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


class ReferenceError(ValueError):
    """A gazetteer file that does not follow its schema."""


def _str_list(series: pd.Series) -> pd.Series:
    return series.map(lambda v: isinstance(v, list) and all(isinstance(x, str) and x for x in v))


def _list_col(required: bool = False) -> pa.Column:
    return pa.Column(object, pa.Check(_str_list, error="a list of non-empty strings"), required=required,
                     nullable=not required)


_SCHEMAS = {
    "countries": pa.DataFrameSchema({
        "id": pa.Column(str, pa.Check.str_matches(ISO3), unique=True),
        "name_en": pa.Column(str),
        "names_ja": _list_col(required=True),
        "short_ja": _list_col(),
        "un_member": pa.Column(bool, required=False, nullable=True),
    }),
    "places": pa.DataFrameSchema({
        "id": pa.Column(str, unique=True),
        "names_ja": _list_col(required=True),
        "venues_ja": _list_col(),
        "country": pa.Column(str, pa.Check.str_matches(ISO3)),
        "lat": pa.Column(float, pa.Check.in_range(-90, 90), coerce=True),
        "lon": pa.Column(float, pa.Check.in_range(-180, 180), coerce=True),
        "capital": pa.Column(bool, required=False, nullable=True),
    }),
    "people": pa.DataFrameSchema({
        "id": pa.Column(str, unique=True),
        "country": pa.Column(str, pa.Check.str_matches(ISO3), nullable=True),
        "names_ja": _list_col(required=True),
        "family_ja": _list_col(),
        "roles": pa.Column(object, pa.Check(lambda s: s.map(lambda v: isinstance(v, list)),
                                            error="a list of roles"), nullable=True),
    }),
    "forums": pa.DataFrameSchema({
        "id": pa.Column(str, unique=True),
        "name_en": pa.Column(str),
        "names_ja": _list_col(),
        "latin": _list_col(),
        "kind": pa.Column(str, required=False, nullable=True),
        "members": _list_col(),
        "city": pa.Column(str, required=False, nullable=True),
        "codebook": pa.Column(bool, required=False, nullable=True),
    }),
    "series": pa.DataFrameSchema({
        "id": pa.Column(str, unique=True),
        "names_ja": _list_col(required=True),
        "countries": _list_col(),
    }),
    "topics": pa.DataFrameSchema({
        "id": pa.Column(str, unique=True),
        "name_en": pa.Column(str),
        "expressions": _list_col(required=True),
    }),
    "treaties": pa.DataFrameSchema({
        "id": pa.Column(str, unique=True),
        "names_ja": _list_col(),
        "latin": _list_col(),
        "kind": pa.Column(str, pa.Check.isin(["treaty", "alliance"])),
        "forum": pa.Column(str, required=False, nullable=True),
    }),
    "titles": pa.DataFrameSchema({
        "title": pa.Column(str, unique=True),
        "role": pa.Column(str),
    }),
}


@dataclass(frozen=True)
class Role:
    role: str
    start: dt.date
    end: dt.date | None

    def active(self, on: dt.date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class Person:
    id: str
    country: str | None
    names_ja: tuple[str, ...]
    family_ja: tuple[str, ...]
    roles: tuple[Role, ...]

    def roles_on(self, on: dt.date | None) -> set[str]:
        """The roles held on a day; with no day, every role ever held."""
        return {r.role for r in self.roles if on is None or r.active(on)}

    def active(self, on: dt.date | None, slack_days: int = 0) -> bool:
        if on is None:
            return True
        return any(r.start - dt.timedelta(days=slack_days) <= on and
                   (r.end is None or on <= r.end + dt.timedelta(days=slack_days)) for r in self.roles)


@dataclass
class Reference:
    """Every gazetteer, validated, with the indexes the matcher needs."""

    countries: pd.DataFrame
    places: pd.DataFrame
    people: dict[str, Person]
    forums: pd.DataFrame
    series: pd.DataFrame
    topics: pd.DataFrame
    treaties: pd.DataFrame
    titles: dict[str, str]
    digest: str
    # folded surface form -> [(kind, id)]
    aliases: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # folded family name -> [person id]
    family_names: dict[str, list[str]] = field(default_factory=dict)
    # one-character country forms (中, ロ, 露, 米 ...) -> ISO3
    short_countries: dict[str, str] = field(default_factory=dict)
    country_names: dict[str, str] = field(default_factory=dict)
    city_country: dict[str, str] = field(default_factory=dict)
    # forums that always meet in one city (ミュンヘン安全保障会議 → Munich)
    forum_cities: dict[str, str] = field(default_factory=dict)
    # folded names of buildings and sites (首相官邸, 人民大会堂) -> the city they are in
    venues: dict[str, str] = field(default_factory=dict)
    series_countries: dict[str, frozenset[str]] = field(default_factory=dict)
    # forums the codebook names; the others are kept as organisations
    codebook_forums: frozenset[str] = frozenset()
    # person id -> ISO3, for telling the sides of a meeting apart
    people_country: dict[str, str | None] = field(default_factory=dict)
    # treaties whose name invokes a forum (国連憲章 → UN)
    treaty_forums: dict[str, str] = field(default_factory=dict)
    # indexes later stages build from this reference once (the mention matcher)
    derived: dict = field(default_factory=dict, repr=False)

    def label(self, kind: str, ident: str, lang: str = "en") -> str:
        """A display label for an id in English or Japanese."""
        if kind == "country":
            row = self.countries.loc[self.countries["id"] == ident]
            if not row.empty:
                return row.iloc[0]["names_ja"][0] if lang == "ja" else row.iloc[0]["name_en"]
        if kind == "person" and ident in self.people and lang == "ja":
            return self.people[ident].names_ja[0]
        if kind == "place" and lang == "ja":
            row = self.places.loc[self.places["id"] == ident]
            if not row.empty:
                return row.iloc[0]["names_ja"][0]
        if kind in ("forum", "topic", "series") and lang == "ja":
            table = {"forum": self.forums, "topic": self.topics, "series": self.series}[kind]
            row = table.loc[table["id"] == ident]
            column = "name_ja" if "name_ja" in table.columns else "names_ja"
            if not row.empty and isinstance(row.iloc[0].get(column), (str, list)):
                value = row.iloc[0][column]
                return value if isinstance(value, str) else value[0]
        return ident


def parse_day(value, *, end: bool = False) -> dt.date | None:
    """An ISO date at any precision as a day: the first day of its period, or the last with end=True."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value)
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        y, m = parts
        if end:
            nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(y, m, 1)
    return dt.date(parts[0], 12, 31) if end else dt.date(parts[0], 1, 1)


def _read_yaml(name: str, data: bytes) -> list[dict]:
    try:
        entries = yaml.load(data.decode("utf-8"), Loader=_LOADER)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ReferenceError(f"{name}: not valid YAML: {error}") from None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ReferenceError(f"{name}: expected a list of entries")
    return entries


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


def _frame(name: str, entries: list[dict], source: str) -> pd.DataFrame:
    schema = _SCHEMAS[name]
    frame = pd.DataFrame(entries)
    for col, spec in schema.columns.items():
        if col not in frame.columns and not spec.required:
            frame[col] = None
    for col, spec in schema.columns.items():
        if str(spec.dtype) == "bool":  # an optional flag left out means no
            frame[col] = frame[col].map(lambda v: False if _missing(v) else bool(v))
        if spec.dtype is not None and str(spec.dtype) == "object" and col != "roles":
            frame[col] = frame[col].map(lambda v: v if isinstance(v, list) else ([] if _missing(v) else v))
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as error:
        cases = error.failure_cases.head(5)
        detail = "; ".join(f"column {c!r}: {fc!r} ({chk})" for c, fc, chk in
                           zip(cases["column"], cases["failure_case"], cases["check"]))
        raise ReferenceError(f"{source}: {detail}") from None


def _roles(person: dict, source: str) -> tuple[Role, ...]:
    roles = []
    for raw in person.get("roles") or []:
        try:
            start = parse_day(str(raw["start"]))
            end = parse_day(str(raw["end"]), end=True) if raw.get("end") not in (None, "") else None
            roles.append(Role(str(raw["role"]), start, end))
        except (KeyError, ValueError, TypeError) as error:
            raise ReferenceError(f"{source}: person {person.get('id')!r}: bad role {raw!r} ({error})") from None
    return tuple(roles)


def _reference_dir() -> Path:
    return Path(str(resources.files("kaidan") / "reference"))


def _claim(aliases: dict, surface: str, kind: str, ident: str, claims: dict, source: str) -> None:
    """Record an alias; two entries of one kind may not claim the same surface."""
    key = fold(surface)
    owner = claims.get((kind, key))
    if owner is not None and owner != ident:
        raise ReferenceError(f"{source}: {surface!r} is claimed by both {owner!r} and {ident!r}")
    claims[(kind, key)] = ident
    entry = (kind, ident)
    bucket = aliases.setdefault(key, [])
    if entry not in bucket:
        bucket.append(entry)


def _files(root: Path) -> list[tuple[str, str, bytes]]:
    """(gazetteer, file name, bytes) of every file, in the order they are read."""
    found = []
    for name in _SCHEMAS:
        paths = sorted(root.glob(f"{name}*.yaml")) if name == "people" else [root / f"{name}.yaml"]
        for path in paths:
            if not path.exists():
                raise ReferenceError(f"{path}: missing reference file")
            found.append((name, path.name, path.read_bytes()))
    return found


@lru_cache(maxsize=4)
def load_reference(folder: str | None = None) -> Reference:
    """All gazetteers from the package (or `folder`), validated and indexed: read back from the
    user's cache folder when these very files were parsed before (`kaidan.reference.cache`)."""
    files = _files(Path(folder) if folder else _reference_dir())
    key = cache.cache_key([(file_name, data) for _, file_name, data in files])
    reference = cache.read(key, Reference)
    if reference is None:
        reference = _parse(files)
        cache.write(key, reference)
    return reference


def _parse(files: list[tuple[str, str, bytes]]) -> Reference:
    """The gazetteers parsed, validated and indexed."""
    digest = hashlib.sha256()
    raw: dict[str, list[dict]] = {name: [] for name in _SCHEMAS}
    for name, file_name, data in files:
        digest.update(data)
        raw[name].extend(_read_yaml(file_name, data))
    frames = {name: _frame(name, raw[name], f"reference/{name}") for name in _SCHEMAS if name != "titles"}
    titles_frame = _frame("titles", raw["titles"], "reference/titles.yaml")

    aliases: dict[str, list[tuple[str, str]]] = {}
    claims: dict = {}
    for row in frames["countries"].itertuples():
        for surface in row.names_ja:
            _claim(aliases, surface, "country", row.id, claims, "countries.yaml")
    short = {}
    for row in frames["countries"].itertuples():
        for surface in row.short_ja:
            if surface in short and short[surface] != row.id:
                raise ReferenceError(f"countries.yaml: short form {surface!r} claimed by {short[surface]} and {row.id}")
            short[surface] = row.id
    venues: dict[str, str] = {}
    for row in frames["places"].itertuples():
        for surface in row.names_ja:
            _claim(aliases, surface, "place", row.id, claims, "places.yaml")
        for surface in row.venues_ja:
            _claim(aliases, surface, "place", row.id, claims, "places.yaml")
            venues[fold(surface)] = row.id
    for kind, frame in (("forum", frames["forums"]), ("treaty", frames["treaties"])):
        for row in frame.itertuples():
            for surface in list(row.names_ja) + list(row.latin):
                _claim(aliases, surface, kind, row.id, claims, f"{kind}s")
    for row in frames["series"].itertuples():
        for surface in row.names_ja:
            _claim(aliases, surface, "series", row.id, claims, "series.yaml")
    for row in frames["topics"].itertuples():
        for surface in row.expressions:  # one expression may signal several topics
            bucket = aliases.setdefault(fold(surface), [])
            if ("topic", row.id) not in bucket:
                bucket.append(("topic", row.id))

    people: dict[str, Person] = {}
    family: dict[str, list[str]] = {}
    for entry in raw["people"]:
        person = Person(id=entry["id"], country=entry.get("country"),
                        names_ja=tuple(entry.get("names_ja") or ()), family_ja=tuple(entry.get("family_ja") or ()),
                        roles=_roles(entry, "people"))
        people[person.id] = person
        for surface in person.names_ja:
            key = fold(surface)
            bucket = aliases.setdefault(key, [])
            if ("person", person.id) not in bucket:
                bucket.append(("person", person.id))
        for surface in person.family_ja:
            family.setdefault(fold(surface), [])
            if person.id not in family[fold(surface)]:
                family[fold(surface)].append(person.id)

    unknown = set(frames["forums"]["city"].dropna()) - set(frames["places"]["id"])
    if unknown:
        raise ReferenceError(f"forums.yaml: city not in places.yaml: {sorted(unknown)}")
    return Reference(
        countries=frames["countries"], places=frames["places"], people=people, forums=frames["forums"],
        series=frames["series"], topics=frames["topics"], treaties=frames["treaties"],
        titles=dict(zip(titles_frame["title"], titles_frame["role"])), digest=digest.hexdigest()[:16],
        aliases=aliases, family_names=family, short_countries=short,
        people_country={pid: p.country for pid, p in people.items()},
        country_names=dict(zip(frames["countries"]["id"], frames["countries"]["name_en"])),
        city_country=dict(zip(frames["places"]["id"], frames["places"]["country"])),
        venues=venues,
        forum_cities={r.id: r.city for r in frames["forums"].itertuples() if isinstance(r.city, str)},
        series_countries={r.id: frozenset(r.countries) for r in frames["series"].itertuples()},
        treaty_forums={r.id: r.forum for r in frames["treaties"].itertuples() if isinstance(r.forum, str)},
        codebook_forums=frozenset(frames["forums"].loc[frames["forums"]["codebook"] == True, "id"]),  # noqa: E712
    )
