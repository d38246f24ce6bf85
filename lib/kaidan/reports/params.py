"""The notebooks' parameters: their names and defaults, and the checks a value must pass.

A notebook calls `validate_parameters(name, globals())` in its first cell; `kaidan report`
checks its ``-p NAME VALUE`` pairs with `check_run_parameters` before any work. Both use
`check_value`, so a value is read the same way wherever it comes from. Standard library
only (pandas is imported when a notebook's dates are compared), so a command line is
checked in a blink.
"""
from __future__ import annotations

import ast
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from kaidan.constants import MEASURES, NODES, PERIODS, UNITS

COMMON = {
    "corpus": "seeds",
    "metadata": "",
    "tables": "",
    "start": "",
    "end": "",
    "countries": [],
    "lang": "en",
}
OWN = {
    "00_corpus_overview": {"period": "month", "max_rows": 20},
    "01_meeting_frequency": {"period": "year"},
    "02_topic_cooccurrence": {"unit": "article", "measure": "lift", "min_count": 1, "period": "year"},
    "03_forum_involvement": {"forums": [], "top_n": 8, "period": "year"},
    "04_meetings": {"latest": 200, "nodes": "countries"},
}
PARAMETERS = {name: {**COMMON, **own} for name, own in OWN.items()}
NOTEBOOKS = tuple(OWN)
ISO3 = re.compile(r"^[A-Z]{3}$")


class ParameterError(ValueError):
    """A parameter with a bad value or an unknown name; the message names it."""


def _text(name: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value).strip()
    raise ParameterError(f"parameter {name} = {value!r}: expected text")


def _is_iso_date(text: str) -> bool:
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if not match:
        return False
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _date(name: str, value) -> str:
    text = _text(name, value)
    if text and not _is_iso_date(text):
        raise ParameterError(f"parameter {name} = {value!r} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    return text


def _list(name: str, value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                raise ParameterError(f"parameter {name} = {value!r}: not a list") from None
        else:
            return [part for part in re.split(r"[,\s]+", text) if part]
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    raise ParameterError(f"parameter {name} = {value!r}: expected a list of names or a comma-separated string")


def _int(name: str, value, low: int = 1) -> int:
    if isinstance(value, bool):
        raise ParameterError(f"parameter {name} = {value!r}: expected a whole number")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        value = int(value)
    if not isinstance(value, int) or value < low:
        raise ParameterError(f"parameter {name} = {value!r}: expected a whole number of at least {low}")
    return value


def _choice(name: str, value, options) -> str:
    text = _text(name, value)
    if text not in options:
        raise ParameterError(f"parameter {name} = {value!r}: expected one of {', '.join(options)}")
    return text


def _countries(name: str, value) -> list[str]:
    codes = [c.upper() for c in _list(name, value)]
    bad = [c for c in codes if not ISO3.match(c)]
    if bad:
        raise ParameterError(f"parameter countries: {', '.join(map(repr, bad))} "
                             "not an ISO 3166-1 alpha-3 code (e.g. CHN, RUS)")
    known = known_countries() if codes else None
    unknown = [c for c in codes if known is not None and c not in known]
    if unknown:
        raise ParameterError(f"parameter countries: {', '.join(map(repr, unknown))} "
                             "not a country in the gazetteer (e.g. CHN, RUS)")
    return codes


def check_value(name: str, value):
    """One parameter's value, checked and coerced (``"2"`` → 2, ``"CHN,RUS"`` → a list)."""
    if name == "corpus":
        text = _text(name, value)
        if not text:
            raise ParameterError("parameter corpus is empty: give the folder of articles")
        return text
    if name in ("metadata", "tables"):
        return _text(name, value)
    if name in ("start", "end"):
        return _date(name, value)
    if name == "countries":
        return _countries(name, value)
    if name == "forums":
        return _list(name, value)
    if name == "lang":
        return _choice(name, value, ("en", "ja"))
    if name == "period":
        return _choice(name, value, PERIODS)
    if name == "unit":
        return _choice(name, value, UNITS)
    if name == "measure":
        return _choice(name, value, MEASURES)
    if name == "nodes":
        return _choice(name, value, NODES)
    if name in ("min_count", "top_n", "max_rows", "latest"):
        return _int(name, value)
    raise ParameterError(f"unknown parameter {name!r}")


_COUNTRIES: list = []


def known_countries() -> frozenset[str] | None:
    """The ISO3 ids of reference/countries.yaml (read with yaml alone, not the whole reference,
    so a command line is checked in a blink); None when the file cannot be read."""
    if not _COUNTRIES:
        try:
            # imported here: yaml and importlib.resources cost about 50 ms, paid only when
            # countries are given
            from importlib import resources

            import yaml

            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            text = (resources.files("kaidan") / "reference" / "countries.yaml").read_text(encoding="utf-8")
            _COUNTRIES.append(frozenset(str(e["id"]) for e in yaml.load(text, Loader=loader) if "id" in e))
        except Exception:  # noqa: BLE001 no gazetteer: the shape check above still applies
            _COUNTRIES.append(None)
    return _COUNTRIES[0]


@dataclass
class Params:
    """A notebook's checked parameters, as attributes (``params.start``)."""

    notebook: str
    values: dict

    def __getattr__(self, name):
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None


def _injected_names(namespace: dict) -> set[str]:
    """Names assigned in cells papermill injected (they start with ``# Parameters``)."""
    names: set[str] = set()
    for source in namespace.get("In") or []:
        if not isinstance(source, str) or not source.lstrip().startswith("# Parameters"):
            continue
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def validate_parameters(notebook: str, namespace: dict) -> Params:
    """Check a notebook's parameters; raise `ParameterError` naming the first bad one.

    `namespace` is the notebook's ``globals()``: the parameters cell's names are read
    from it, and a name that papermill injected but the notebook does not declare is an
    error (papermill itself only warns).
    """
    if notebook not in PARAMETERS:
        raise ParameterError(f"unknown notebook {notebook!r}; known: {', '.join(PARAMETERS)}")
    unknown = sorted(_injected_names(namespace) - set(PARAMETERS[notebook]))
    if unknown:
        raise ParameterError(f"unknown parameter {', '.join(map(repr, unknown))} for {notebook}; "
                             f"it takes {', '.join(PARAMETERS[notebook])}")
    values = {}
    for name, default in PARAMETERS[notebook].items():
        values[name] = check_value(name, namespace.get(name, default))
    # imported here: kaidan.analysis loads pandas (about 430 ms), which `kaidan report`'s own
    # process, checking its -p pairs with this module, never needs
    from kaidan.analysis import parse_bound

    start, end = parse_bound(values["start"]), parse_bound(values["end"], end=True)
    if start and end and start > end:
        raise ParameterError(f"parameter start = {values['start']!r} is after end = {values['end']!r}")
    return Params(notebook, values)


def check_run_parameters(pairs: list[tuple[str, str]], notebooks: list[str]) -> dict[str, object]:
    """`-p NAME VALUE` pairs checked: every name must be one some notebook takes."""
    known = set()
    for name in notebooks:
        known |= set(PARAMETERS.get(name, COMMON))
    reserved = {"tables"}
    values = {}
    for name, value in pairs:
        if name in reserved:
            raise ParameterError(f"parameter {name} is set by kaidan report itself")
        if name in ("corpus", "metadata"):
            raise ParameterError(f"parameter {name}: use --{name} instead of -p {name}")
        if name not in known:
            raise ParameterError(f"unknown parameter {name!r}; the notebooks take {', '.join(sorted(known))}")
        values[name] = check_value(name, value)
    return values


# --- where a path parameter points ---------------------------------------------------------

def repository_root(start: Path | None = None) -> Path | None:
    """The kaidan checkout: the nearest folder above `start` (or the working directory) with
    pyproject.toml and notebooks/, else the one this package was installed from."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "notebooks").is_dir():
            return folder
    package = Path(__file__).resolve().parents[3]  # <root>/lib/kaidan/reports/params.py
    if (package / "pyproject.toml").is_file():
        return package
    return None


def resolve_path(value: str, what: str) -> Path:
    """A path parameter: absolute as given; relative to the working directory if it is there,
    else relative to the repository root (so ``seeds`` works from the repo and from notebooks/)."""
    path = Path(value).expanduser()
    if path.is_absolute():
        candidates = [path]
    else:
        candidates = [Path.cwd() / path]
        root = repository_root()
        if root is not None and root / path not in candidates:
            candidates.append(root / path)
    for candidate in candidates:
        if candidate.exists():
            return candidate.resolve()
    looked = " and ".join(str(c) for c in candidates)
    raise ParameterError(f"parameter {what} = {value!r}: not found (looked in {looked})")
