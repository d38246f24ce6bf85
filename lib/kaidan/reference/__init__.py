"""Load and validate the gazetteers (the *.yaml files beside this module) in one place.

Every other module reads reference data through `load_reference()`. Each file is
checked against its rules (required fields, types, unique ids: `_FIELDS`) and for
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

import numpy as np
import pandas as pd
import yaml

from kaidan.reference import cache
from kaidan.text import fold

# libyaml when present: the gazetteers are large enough for the pure-Python parser to show
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ISO3 = r"^[A-Z]{3}$"
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


class ReferenceError(ValueError):
    """A gazetteer file that does not follow its schema."""


@dataclass(frozen=True)
class _Field:
    """One gazetteer column's rules, from which the quick check (`_holds`) and pandera's schema
    (`_through_pandera`, for the message when an entry breaks one) are both made."""

    kind: str  # str, float (coerced), bool, strings (a list of non-empty strings), roles (a list)
    required: bool = True
    nullable: bool = False
    unique: bool = False
    pattern: str | None = None
    within: tuple[float, float] | None = None
    allowed: tuple[str, ...] | None = None


def _strings(required: bool = False) -> _Field:
    return _Field("strings", required=required, nullable=not required)


_OPTIONAL_FLAG = _Field("bool", required=False, nullable=True)
_OPTIONAL_TEXT = _Field("str", required=False, nullable=True)
_FIELDS: dict[str, dict[str, _Field]] = {
    "countries": {"id": _Field("str", unique=True, pattern=ISO3), "name_en": _Field("str"),
                  "names_ja": _strings(required=True), "short_ja": _strings(), "un_member": _OPTIONAL_FLAG},
    "places": {"id": _Field("str", unique=True), "names_ja": _strings(required=True), "venues_ja": _strings(),
               "country": _Field("str", pattern=ISO3), "lat": _Field("float", within=(-90, 90)),
               "lon": _Field("float", within=(-180, 180)), "capital": _OPTIONAL_FLAG},
    "people": {"id": _Field("str", unique=True), "country": _Field("str", nullable=True, pattern=ISO3),
               "names_ja": _strings(required=True), "family_ja": _strings(), "roles": _Field("roles", nullable=True)},
    "forums": {"id": _Field("str", unique=True), "name_en": _Field("str"), "names_ja": _strings(),
               "latin": _strings(), "kind": _OPTIONAL_TEXT, "members": _strings(), "city": _OPTIONAL_TEXT,
               "codebook": _OPTIONAL_FLAG},
    "series": {"id": _Field("str", unique=True), "names_ja": _strings(required=True), "countries": _strings()},
    "topics": {"id": _Field("str", unique=True), "name_en": _Field("str"), "expressions": _strings(required=True)},
    "treaties": {"id": _Field("str", unique=True), "names_ja": _strings(), "latin": _strings(),
                 "kind": _Field("str", allowed=("treaty", "alliance")), "forum": _OPTIONAL_TEXT},
    "titles": {"title": _Field("str", unique=True), "role": _Field("str")},
}
# the dtype a column of each kind has when its entries keep the rules (text: pandas' str)
_DTYPES = {"str": pd.api.types.pandas_dtype("str"), "float": np.dtype("float64"), "bool": np.dtype("bool"),
           "strings": np.dtype("object"), "roles": np.dtype("object")}


def _str_list(series: pd.Series) -> pd.Series:
    return series.map(lambda v: isinstance(v, list) and all(isinstance(x, str) and x for x in v))


def _is_list(series: pd.Series) -> pd.Series:
    return series.map(lambda v: isinstance(v, list))


def _holds(fields: dict[str, _Field], frame: pd.DataFrame) -> bool:
    """Whether a gazetteer's frame keeps every rule as it is, so that pandera would give it back
    unchanged; False sends it through pandera, which coerces what it may or names what is wrong."""
    for name, rules in fields.items():
        if name not in frame.columns or frame[name].dtype != _DTYPES[rules.kind]:
            return False
        series = frame[name]
        missing = series.isna()
        if missing.any() and not rules.nullable:
            return False
        present = series[~missing]
        if rules.kind == "strings" and not _str_list(present).all():
            return False
        if rules.kind == "roles" and not _is_list(present).all():
            return False
        if rules.pattern and not present.str.match(rules.pattern).all():
            return False
        if rules.within and not present.between(*rules.within).all():
            return False
        if rules.allowed and not present.isin(rules.allowed).all():
            return False
        if rules.unique and series.duplicated().any():
            return False
    return True


def _through_pandera(fields: dict[str, _Field], frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """The frame as pandera's schema of the fields makes it (coerced), or a ReferenceError naming
    the entries and the rules they break."""
    import pandera.pandas as pa  # 0.25 s with its checks: only for a gazetteer `_holds` does not pass

    columns = {}
    for name, rules in fields.items():
        checks = []
        if rules.pattern:
            checks.append(pa.Check.str_matches(rules.pattern))
        if rules.within:
            checks.append(pa.Check.in_range(*rules.within))
        if rules.allowed:
            checks.append(pa.Check.isin(list(rules.allowed)))
        if rules.kind == "strings":
            checks.append(pa.Check(_str_list, error="a list of non-empty strings"))
        if rules.kind == "roles":
            checks.append(pa.Check(_is_list, error="a list of roles"))
        dtype = {"str": str, "float": float, "bool": bool}.get(rules.kind, object)
        columns[name] = pa.Column(dtype, checks, required=rules.required, nullable=rules.nullable,
                                  unique=rules.unique, coerce=rules.kind == "float")
    try:
        return pa.DataFrameSchema(columns).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as error:
        cases = error.failure_cases.head(5)
        detail = "; ".join(f"column {c!r}: {fc!r} ({chk})" for c, fc, chk in
                           zip(cases["column"], cases["failure_case"], cases["check"]))
        raise ReferenceError(f"{source}: {detail}") from None


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


def _filled(fields: dict[str, _Field], entries: list[dict]) -> pd.DataFrame:
    """The entries as a frame, optional columns left out added empty, flags and lists filled in."""
    frame = pd.DataFrame(entries)
    for col, rules in fields.items():
        if col not in frame.columns and not rules.required:
            frame[col] = None
    for col, rules in fields.items():
        if rules.kind == "bool":  # an optional flag left out means no
            frame[col] = frame[col].map(lambda v: False if _missing(v) else bool(v))
        if rules.kind == "strings":
            frame[col] = frame[col].map(lambda v: v if isinstance(v, list) else ([] if _missing(v) else v))
    return frame


def _frame(name: str, entries: list[dict], source: str) -> pd.DataFrame:
    """A gazetteer's entries as a frame that keeps its rules, or a ReferenceError saying which they break."""
    fields = _FIELDS[name]
    frame = _filled(fields, entries)
    return frame if _holds(fields, frame) else _through_pandera(fields, frame, source)


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
    for name in _FIELDS:
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
    raw: dict[str, list[dict]] = {name: [] for name in _FIELDS}
    for name, file_name, data in files:
        digest.update(data)
        raw[name].extend(_read_yaml(file_name, data))
    frames = {name: _frame(name, raw[name], f"reference/{name}") for name in _FIELDS if name != "titles"}
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
