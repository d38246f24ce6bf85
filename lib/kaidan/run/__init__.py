"""Running extraction over a corpus: the loop, its workers, the cache and the tables it writes.

`tables` holds `Corpus` and `load_corpus` (what Python and notebooks call); `pipeline` plans
the files, runs `kaidan.extract.extract_article` in this process or in worker processes, and
writes the tables (`kaidan extract`); `cache` keeps each file's rows between runs;
`distributed` runs the same per-article work on a Dask cluster.
"""
