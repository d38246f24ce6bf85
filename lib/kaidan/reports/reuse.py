"""What a report depends on, and what the last run published that can be used again.

A report is a function of the tables' digest, its notebook's bytes, its parameters, and kaidan
with the libraries that make a report (`Job.key`); a static figure of its data and layout
(`figure_key`). The last run's summary.json records those keys (`Previous`), so a report or
figure whose key is unchanged is copied rather than made again.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from kaidan import __version__
from kaidan.run.cache import hash_sources
from kaidan.assets import SHARED_ASSETS
from kaidan.reports.export import PLOTLY_JS
from kaidan.reports.params import COMMON, PARAMETERS


def _sha(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """kaidan's version, a hash of its code and gazetteers, and the versions of the libraries
    that make a report: a report is a function of these too, and an edited checkout keeps
    its version number."""
    digest = hashlib.sha256(__version__.encode())
    hash_sources(digest, (".py", ".yaml"))
    for library in ("pandas", "plotly", "nbconvert", "papermill"):
        try:
            digest.update(f"{library} {version(library)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{library} -\0".encode())
    return f"{__version__}-{digest.hexdigest()[:12]}"


def corpus_stamp(corpus_dir: Path, metadata: Path | None, columns: dict[str, str] | None = None) -> str:
    """Paths, sizes and modification times of the corpus's files and the metadata file, the
    export's columns named, and the code: a guess, before extracting, whether the corpus
    changed. Only the tables' digest decides what is reused; this says whether to wait for
    it before starting kernels."""
    digest = hashlib.sha256(code_version().encode())
    for root, dirs, files in os.walk(corpus_dir):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            digest.update(f"{os.path.relpath(path, corpus_dir)}\0{info.st_size}\0{info.st_mtime_ns}\n"
                          .encode("utf-8", "surrogateescape"))
    if metadata is not None:
        info = metadata.stat()
        digest.update(f"metadata {metadata}\0{info.st_size}\0{info.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    if columns:  # none named: the stamp of a run before --columns existed
        digest.update(b"columns " + json.dumps(columns, sort_keys=True).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:32]


def figure_key(fig: dict) -> str:
    """What a static figure is drawn from: its data and layout."""
    return _sha(json.dumps({"data": fig.get("data", []), "layout": fig.get("layout", {})}, sort_keys=True,
                           ensure_ascii=False, default=str))


@dataclass
class Job:
    """One notebook of a run: the parameters papermill gets, and what its report depends on
    besides the tables (its bytes, those parameters, kaidan and the libraries)."""

    path: Path
    params: dict
    source_key: str

    @property
    def name(self) -> str:
        return self.path.stem

    def key(self, tables: str) -> str:
        """The key of this notebook's report on tables with digest `tables`."""
        return _sha(self.source_key, tables)


def plan_jobs(paths: list[Path], values: dict, corpus_dir: Path, metadata_path: Path | None) -> list[Job]:
    """A `Job` per notebook, given the parameters it takes of `values` and the corpus."""
    jobs = []
    for path in paths:
        own = PARAMETERS.get(path.stem, COMMON)
        params = {k: v for k, v in values.items() if k in own}
        params.update(corpus=str(corpus_dir), metadata=str(metadata_path or ""))
        source_key = _sha(hashlib.sha256(path.read_bytes()).hexdigest(), json.dumps(params, sort_keys=True),
                          code_version())
        jobs.append(Job(path, params, source_key))
    return jobs


class Previous:
    """What the last run published into the output folder, as its summary.json tells."""

    def __init__(self, out: Path):
        self.out = out
        try:
            self.summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
            self.inputs = dict(self.summary.get("inputs") or {})
            self.reports = {r["name"]: r for r in self.summary.get("reports", []) if r.get("html")}
            self.figures = {f["name"]: f for f in self.summary.get("figures", []) if f.get("key")}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):  # none, or not one we wrote
            self.summary, self.inputs, self.reports, self.figures = {}, {}, {}, {}

    def _there(self, *paths) -> bool:
        return all(p and (self.out / p).is_file() for p in paths)

    def report(self, name: str, key: str) -> dict | None:
        """The previous report of a notebook that ran without error on exactly these inputs,
        when its page and executed notebook are still there; else None."""
        entry = self.reports.get(name)
        if entry and entry.get("ok") and entry.get("key") == key and self._there(entry["html"], entry.get("notebook")):
            return entry
        return None

    def figure(self, name: str, key: str) -> list[str] | None:
        """The files of a static figure drawn from exactly this figure, when they are all there."""
        row = self.figures.get(name)
        if row and row["key"] == key and row.get("files") and self._there(*row["files"]):
            return row["files"]
        return None

    def whole(self, figures: bool) -> bool:
        """Every file the summary lists is still there (and, when figures are wanted, all were drawn)."""
        if not self.summary or (figures and not self.summary.get("figures_complete")):
            return False
        files = ["index.html", PLOTLY_JS, *SHARED_ASSETS]
        files += [t.get(kind) for t in self.summary.get("tables", []) for kind in ("csv", "parquet")]
        files += [f for row in self.summary.get("figures", []) for f in row.get("files", [])] if figures else []
        return self._there(*files)
