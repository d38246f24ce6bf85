"""Extraction on a Dask cluster, for archives too large for one machine.

    kaidan extract /shared/archive --out /shared/tables --dask tcp://scheduler:8786

Extraction of a file is a pure function of its bytes and the reference data, so the
files are cut into partitions of `PARTITION_FILES` (in corpus order) and each partition
is read, extracted and written by a worker: `DIR/articles.parquet/part-000000.parquet`,
the same for sentences and mentions. Each worker loads the gazetteers and its tokenizers
once. What spans files is done on the client, from what the workers send back: the
duplicate marks (partitions with a duplicate in them are rewritten, which is rare) and
the merge of meetings into events; then the meetings are written in the same partitions
and the events as one part.

The tables are the single-machine tables, cut into parts: `pd.read_parquet(DIR /
"mentions.parquet")` (and `Corpus.from_folder(DIR)`) reads a partitioned table as it reads
a single file, with the same rows in the same order. No CSV is written: at this scale
Parquet is the format. SRC and DIR (and a --cache folder) must be paths that the client
and every worker can reach, such as a shared file system. The partitioning does not
depend on the cluster, so the output is the same on any number of workers.
"""
from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

from kaidan.constants import TABLE_NAMES
from kaidan.run.pipeline import Progress, Summary, run_stats

log = logging.getLogger("kaidan")

PARTITION_FILES = 1_000
DEFAULT_CACHE = "default"   # each worker's own default cache folder


def _part(out: Path, name: str, k: int) -> Path:
    return out / f"{name}.parquet" / f"part-{k:06d}.parquet"


def _write_part(frame, out: Path, name: str, k: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from kaidan.run.pipeline import ROW_GROUP_ROWS, arrow_schema

    path = _part(out, name, k)
    temp = path.with_name(f".{path.name}.tmp")
    table = pa.Table.from_pandas(frame, schema=arrow_schema(name), preserve_index=False)
    pq.write_table(table, temp, row_group_size=ROW_GROUP_ROWS[name])
    temp.replace(path)


def _worker_cache(cache_dir: str | None, reference):
    from kaidan.run.cache import Cache, default_cache_dir

    if not cache_dir:
        return None
    root = default_cache_dir() if cache_dir == DEFAULT_CACHE else cache_dir
    return Cache(root, reference.digest)


def _extract_partition(k: int, items: list, out: str, cache_dir: str | None) -> dict:
    """Read and extract one partition on a worker; write its articles (duplicates not yet
    marked), sentences and mentions; send back what the client needs."""
    from kaidan import schemas
    from kaidan.run.pipeline import process
    from kaidan.reference import load_reference

    reference = load_reference()
    cache = _worker_cache(cache_dir, reference)
    found = [process(item, reference, cache) for item in items]
    out_dir = Path(out)
    _write_part(schemas.from_records("articles", [r.row for r in found]), out_dir, "articles", k)
    for name in ("sentences", "mentions"):
        _write_part(schemas.from_records(name, [x for r in found for x in r.rows[name]]), out_dir, name, k)
    light = [{"article_id": r.row["article_id"], "path": r.row["path"], "status": r.row["status"],
              "message": r.row["message"], "content_hash": r.row.get("content_hash"),
              "published": r.row.get("published"), "n_chars": r.row.get("n_chars") or 0,
              "mentions": len(r.rows["mentions"]), "cached": r.cached} for r in found]
    meetings = schemas.from_records("meetings", [x for r in found for x in r.rows["meetings"]])
    return {"k": k, "rows": light, "meetings": meetings}


def _unmark_duplicates(k: int, out: str, marks: dict[str, dict]) -> None:
    """Rewrite one partition whose files include duplicates: mark them in articles, and drop
    their sentences and mentions (a duplicate is listed, not counted)."""
    import pandas as pd

    from kaidan import schemas

    out_dir = Path(out)
    articles = pd.read_parquet(_part(out_dir, "articles", k))
    for column in ("status", "message", "duplicate_of"):
        articles[column] = [marks[a][column] if a in marks else v
                            for a, v in zip(articles["article_id"], articles[column])]
    _write_part(schemas.validate("articles", articles), out_dir, "articles", k)
    for name in ("sentences", "mentions"):
        frame = pd.read_parquet(_part(out_dir, name, k))
        kept = frame[~frame["article_id"].isin(list(marks))].reset_index(drop=True)
        _write_part(schemas.validate(name, kept) if len(kept) else schemas.empty(name), out_dir, name, k)


def _prepare(out: Path) -> None:
    """Empty the output's table folders; drop single-machine files a partitioned table replaces."""
    out.mkdir(parents=True, exist_ok=True)
    for name in TABLE_NAMES:
        folder = out / f"{name}.parquet"
        if folder.is_dir():
            shutil.rmtree(folder)
        elif folder.exists():
            folder.unlink()
        (out / f"{name}.csv").unlink(missing_ok=True)
        folder.mkdir()


def _client(address):
    from distributed import Client

    if isinstance(address, Client):
        return address, False
    return Client(address), True


def extract_on_dask(src: str | Path, out: str | Path, address, metadata: str | Path | None = None, *,
                    cache_dir: str | Path | None = None, partition_files: int = PARTITION_FILES,
                    progress: bool = False) -> Summary:
    """`kaidan extract --dask ADDRESS`: extract src on the cluster at address (or a `Client`
    or `LocalCluster` object) into partitioned Parquet tables in out."""
    import pandas as pd
    from distributed import as_completed

    from kaidan import schemas
    from kaidan.extract.events import merge_events
    from kaidan.extract.read import duplicate_marker, plan_corpus
    from kaidan.reference import load_reference

    started = time.monotonic()
    items, problems = plan_corpus(src, metadata)
    for problem in problems:
        log.warning(problem)
    reference = load_reference()
    out_dir = Path(out).resolve()
    _prepare(out_dir)
    if hasattr(address, "scheduler_address") and not hasattr(address, "submit"):  # a LocalCluster
        address = address.scheduler_address
    client, own = _client(address)
    try:
        size = max(1, partition_files)
        parts = [items[i:i + size] for i in range(0, len(items), size)] or [[]]
        cache = str(cache_dir) if cache_dir else None
        futures = [client.submit(_extract_partition, k, part, str(out_dir), cache, pure=False,
                                 key=f"kaidan-extract-{k:06d}-{time.time_ns()}")
                   for k, part in enumerate(parts)]
        bar = Progress(len(items)) if progress else None
        done: dict[int, dict] = {}
        try:
            for future in as_completed(futures):
                result = future.result()
                done[result["k"]] = result
                if bar:
                    bar.add(len(result["rows"]), sum(r["cached"] for r in result["rows"]),
                            sum(r["n_chars"] for r in result["rows"]))
        finally:
            if bar:
                bar.close()
        # duplicates, in corpus order, exactly as a single machine marks them
        mark = duplicate_marker()
        summary = Summary(problems=list(problems))
        marks: dict[int, dict[str, dict]] = {}
        dates = {"article_id": [], "published": []}
        cached = 0
        for k in range(len(parts)):
            for light in done[k]["rows"]:
                row = {key: light[key] for key in ("article_id", "path", "status", "message", "content_hash")}
                mark(row)
                summary.note(row)
                cached += light["cached"]
                dates["article_id"].append(light["article_id"])
                dates["published"].append(light["published"])
                if row.get("duplicate_of"):
                    marks.setdefault(k, {})[row["article_id"]] = {
                        "status": row["status"], "message": row["message"], "duplicate_of": row["duplicate_of"]}
                else:
                    summary.mentions += light["mentions"]
        fixes = [client.submit(_unmark_duplicates, k, str(out_dir), found, pure=False) for k, found in marks.items()]
        client.gather(fixes)
        frames, partition_of = [], {}
        for k in range(len(parts)):
            frame = done[k]["meetings"]
            if k in marks and len(frame):
                frame = frame[~frame["article_id"].isin(list(marks[k]))]
            frames.append(frame)
            for light in done[k]["rows"]:
                partition_of[light["article_id"]] = k
    finally:
        if own:
            client.close()
    meetings = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) else \
        schemas.empty("meetings")
    meetings = schemas.validate("meetings", meetings) if len(meetings) else meetings
    events, meetings = merge_events(meetings, pd.DataFrame(dates, dtype=object), reference)
    part_of_meeting = meetings["article_id"].map(partition_of) if len(meetings) else pd.Series([], dtype=int)
    for k in range(len(parts)):
        chunk = meetings[part_of_meeting == k].reset_index(drop=True) if len(meetings) else meetings
        _write_part(chunk if len(chunk) else schemas.empty("meetings"), out_dir, "meetings", k)
    _write_part(events, out_dir, "events", 0)
    summary.meetings, summary.events = len(meetings), len(events)
    summary.stats = run_stats(None, cache_dir, len(items), cached, started)
    summary.stats.update(jobs="dask", partitions=len(parts))
    return summary

