"""The tables `kaidan report` extracts once and hands to every notebook, through a folder.

The run forks `extract_tables`, which writes the tables into the folder with labels.json,
checked.json (the digests of the bytes it checked against the schemas and wrote, each file's
and all together) and a summary, then drops the ``.extracting`` mark; a failure leaves
``.failed`` with the reason. A notebook given the folder waits for the mark
(`wait_for_tables`) and reads the tables back without checking them again when checked.json
vouches for exactly the bytes it reads (`read_folder`, `vouched_for`): the Parquet files and
labels.json, not the CSV copies beside them.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import signal
import sys
import time
import traceback
from pathlib import Path

from kaidan.constants import EXIT_FAILED, EXIT_OK, EXIT_USAGE, TABLE_NAMES
from kaidan.processes import die_with_parent, take_stop_signals
from kaidan.reports.lock import let_go_in_child

BUSY, FAILED, LABELS, CHECKED = ".extracting", ".failed", "labels.json", "checked.json"


def wait_for_tables(folder: Path, timeout: float = 3600) -> None:
    """Wait while `kaidan report` is still extracting into `folder` (it holds a .extracting mark)."""
    deadline = time.monotonic() + timeout
    while (folder / BUSY).exists() and not (folder / FAILED).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"tables in {folder} still being extracted after {timeout:.0f} s")
        time.sleep(0.02)
    if (folder / FAILED).exists():
        raise RuntimeError(f"extraction failed: {(folder / FAILED).read_text(encoding='utf-8').strip()}")


def file_digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every table file and labels.json in `folder`, by name."""
    found = {}
    for path in sorted(p for p in Path(folder).iterdir() if p.is_file() and p.name != CHECKED
                       and not p.name.startswith(".")):
        found[path.name] = _file_digest(path)
    return found


def _file_digest(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def tables_digest(folder: Path, files: dict[str, str] | None = None) -> str:
    """SHA-256 over every table file and labels.json in `folder` (over `files`, their digests
    by name, when given): the extracted corpus's content, what each report is a function of
    (besides its notebook, parameters and kaidan itself)."""
    digest = hashlib.sha256()
    for name, hexdigest in sorted((files if files is not None else file_digests(folder)).items()):
        digest.update(name.encode() + b"\0")
        digest.update(bytes.fromhex(hexdigest))
    return digest.hexdigest()


def read_files() -> list[str]:
    """The files of a tables folder a notebook reads: each table's Parquet file and labels.json."""
    return [f"{name}.parquet" for name in TABLE_NAMES] + [LABELS]


def corpus_hash(articles) -> str:
    """SHA-256 (first 16 hex) over the sorted (path, content hash) of every file. A row without
    a content hash (a file not read, an export's or archive's own row) counts with an empty one:
    pandas keeps a missing str as NaN, which sorted() cannot compare with a str."""
    digest = hashlib.sha256()
    contents = articles["content_hash"].astype("object").fillna("").astype(str)
    for path, content in sorted(zip(articles["path"].astype(str), contents)):
        digest.update(f"{path}\t{content}\n".encode())
    return digest.hexdigest()[:16]


class CheckedTables:
    """The tables a notebook reads, maybe cut to some columns (`kaidan.reports.columns`), read
    without importing kaidan.run.corpus and the extraction (about a second per kernel). Sentence
    text comes from `sentences_of` when a trace asks for it. Anything else a
    `kaidan.run.corpus.Corpus` offers (``summary()``, ``save()``) is served by a real one, built
    on first use."""

    def __init__(self, frames: dict, source: str, sentences_of=None):
        self.__dict__.update(frames)
        self.source = source
        self.problems: list[str] = []
        self._sentences_of = sentences_of

    def tables(self) -> dict:
        return {name: getattr(self, name) for name in TABLE_NAMES}

    def sentences_of(self, article_ids):
        """The sentences of some articles with their text (article_id, index, text)."""
        if self._sentences_of is not None:
            return self._sentences_of(article_ids)
        return self.corpus().sentences_of(article_ids)

    def corpus(self):
        """The same tables as a `kaidan.run.corpus.Corpus`."""
        # imported here: kaidan.run.corpus loads pandas and the extraction (about half a second),
        # which the run's own process, importing this module, never needs
        from kaidan.run.corpus import Corpus

        return Corpus(**self.tables(), source=self.source, problems=list(self.problems))

    def __getattr__(self, name):
        if name.startswith("_"):  # IPython's probes and dunders: not a Corpus method
            raise AttributeError(name)
        return getattr(self.corpus(), name)

    def __repr__(self) -> str:
        return repr(self.corpus())

    def _repr_html_(self) -> str:
        return self.corpus()._repr_html_()


def vouched_for(folder: Path) -> bool:
    """Whether `kaidan report` checked exactly the bytes a notebook reads here: checked.json
    holds the digest of each (only those files are hashed, each once)."""
    try:
        vouched = json.loads((folder / CHECKED).read_text(encoding="utf-8")).get("files")
    except (OSError, ValueError, AttributeError):
        return False
    if not isinstance(vouched, dict):
        return False
    for name in read_files():
        path = folder / name
        if not path.is_file():
            continue  # nothing read from it, so nothing to vouch for (read_tables says it is missing)
        if vouched.get(name) != _file_digest(path):
            return False
    return True


def read_folder(folder: Path, columns: dict | None = None) -> CheckedTables:
    """The tables in `folder`, only `columns` of each (all when None), checked against the schemas
    unless `kaidan report` vouches for them; sentence text is read from the folder when asked for."""
    return _read(folder, columns, check=not vouched_for(folder))


def _read(folder: Path, columns: dict | None, check: bool) -> CheckedTables:
    # imported here, in the notebook that reads the tables, not in the run's own process
    from kaidan.run.tables import read_sentences, read_tables

    frames = read_tables(folder, columns, check=check)
    return CheckedTables(frames, str(folder), lambda article_ids: read_sentences(folder, article_ids))


# --- writing them: the forked extraction ------------------------------------------------------

def _follow_parent(parent: int) -> None:
    """In the forked extraction: end with the run (killed or interrupted, it stops this too),
    leave Ctrl-C to it, let go of its lock, and leave the problems for it to print."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    take_stop_signals()  # forked with them held (`stop_signals_held`)
    let_go_in_child()
    logging.getLogger("kaidan").disabled = True


def extract_tables(corpus_dir: Path, metadata_path: Path | None, tables: Path, parent: int,
                   columns: dict[str, str] | None = None) -> None:
    """Extraction in a child process: tables, labels.json, checked.json (the digest of each file
    a notebook reads, and the digest over them) and extraction.json; then drop the mark the
    notebooks wait on. columns: an export's columns (`kaidan.extract.read.parse_columns`).

    Files extracted before come from kaidan's cache (as for `kaidan extract`), so a re-run
    only extracts new or changed articles."""
    code = EXIT_OK
    _follow_parent(parent)
    try:
        # imported here, in the child: the extraction loads pandas, the gazetteers and the tokenizer,
        # which the run's own process (starting kernels meanwhile) never needs
        from kaidan.analysis import label_names
        from kaidan.extract.read import CorpusError
        from kaidan.reference import load_reference
        from kaidan.run.cache import default_cache_dir
        from kaidan.run.corpus import load_corpus

        try:
            corpus = load_corpus(corpus_dir, metadata_path, jobs=None, cache_dir=default_cache_dir(),
                                 columns=columns)
        except CorpusError as error:
            (tables / FAILED).write_text(str(error), encoding="utf-8")
            code = EXIT_USAGE
        else:
            corpus.save(tables)
            (tables / LABELS).write_text(json.dumps(label_names(load_reference()), ensure_ascii=False),
                                         encoding="utf-8")
            files = file_digests(tables)
            digest = tables_digest(tables, files)
            (tables / CHECKED).write_text(json.dumps({"digest": digest, "files": files}), encoding="utf-8")
            info = {"summary": corpus.summary(), "problems": list(corpus.problems),
                    "hash": corpus_hash(corpus.articles), "digest": digest,
                    "from_cache": int(corpus.stats.get("from_cache") or 0),
                    "rows": {name: len(frame) for name, frame in corpus.tables().items()}}
            (tables.parent / "extraction.json").write_text(json.dumps(info), encoding="utf-8")
    except BaseException as error:  # noqa: BLE001 the parent reports it
        (tables / FAILED).write_text(f"{type(error).__name__}: {error}\n{traceback.format_exc()}", encoding="utf-8")
        code = EXIT_FAILED
    finally:
        (tables / BUSY).unlink(missing_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
