"""Extraction over a corpus: one loop, whatever runs the work, and the tables it makes.

- `corpus`: `Corpus` (the five tables in memory, saved and read back) and `load_corpus`,
  what Python and notebooks call.
- `loop`: the one extraction loop: plan the articles, have an executor extract them, mark
  duplicates, merge meetings into events, count, hand the tables to a sink;
  `extract_to_folder` is `kaidan extract`.
- `work`: the unit of work, one article read and extracted (or taken from the cache), and
  a chunk of them as tables.
- `executors`: who does the work: this process, or a pool of worker processes (`--jobs`).
- `dask`: the same work on a Dask cluster (`--dask`).
- `writer`: the tables written as CSV and Parquet, the same bytes however they were made.
- `cache`: each article's result kept between runs.
"""
from importlib import import_module

# Imported on first use: `kaidan.run.cache` alone imports in 50 ms, with the corpus and
# the loop (pandas, pyarrow, the extraction stages) in about 0.6 s.
_EXPORTS = {"Corpus": "kaidan.run.corpus", "load_corpus": "kaidan.run.corpus"}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'kaidan.run' has no attribute {name!r}")
