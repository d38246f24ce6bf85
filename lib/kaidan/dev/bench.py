"""`make bench`: how kaidan's cost grows with the corpus, in one run, written to bench/results.md.

    python -m kaidan.dev.bench                  # 1,000 and 10,000 synthetic articles
    python -m kaidan.dev.bench --sizes 1000     # a quick look
    python -m kaidan.dev.bench --full           # adds 100,000, at scale only (about 15 min more on two cores)

For each size it generates (once; kept in bench/data/) a synthetic corpus recombined from
the seeds (`kaidan.dev.synthetic`), then measures, each command in a fresh process as a user
runs it:

- extraction (`kaidan extract`'s code path) on one core and on all cores: wall time,
  characters per second, CPU time, peak memory (the main process, and every process of
  the run added up), and whether the tables are the same bytes;
- the floor: the same text (the `text` column kaidan read) through a bare SudachiPy
  mode-C tokenisation pass on one core, surfaces taken, nothing else;
- the cache: a cold run that fills it, a re-run with nothing changed, and a re-run with
  one new file (which must extract that file only);
- web archives: the same articles packed into .warc.gz archives (1,000 records each, kept
  beside the corpus), extracted on all cores, against the text files: throughput and memory;
- each notebook run with papermill on the extracted tables, and the size of its HTML
  report (aggregates go into the HTML, so it should not grow with the corpus);
- long documents: a digest of 100,000 and of 1,000,000 characters joined from the 1,000
  articles, extracted as one article against the same articles one by one, in one process:
  the cost per character must not grow with a document's length; and, from the same run,
  extraction alone, and kaidan's own tokenisation, against the bare SudachiPy pass over
  those articles.

Corpora above 10,000 articles (`--full`) are measured at scale only: extraction on all
cores (wall time, peak memory) and the notebooks; one core, the floor and the cache are
measured on the smaller ones.

On the seeds it times `kaidan report` (a first run with an empty cache, then a re-run
with nothing new) against the floor of papermill running the same notebooks with only
their imports, when `kaidan report` is there; otherwise that part says "not available".

The machines this runs on are shared and noisy: compare the ratios within one run, and
read absolute times with the load average printed beside them.
"""
from __future__ import annotations

import argparse
import ast
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from kaidan.dev.bench_results import ReportResult, Run, SizeResult, machine, render

# corpora above this size are measured at scale only (see `bench_size`)
PER_CORE_SIZES = 10_000
# records per web archive when the corpus is packed into archives
ARCHIVE_RECORDS = 1_000


def _repo() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "seeds").is_dir() and (parent / "pyproject.toml").is_file():
            return parent
    return Path.cwd()


# --- measuring a command -------------------------------------------------------------

def measure(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> Run:
    """Run cmd to the end, sampling the memory of it and its children every 50 ms."""
    try:
        import psutil
    except ImportError:  # pragma: no cover  (psutil comes with dask.distributed)
        psutil = None
    run = Run(cmd)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=cwd)
        peaks = [0, 0]

        def sample() -> None:
            if psutil is None:
                return
            try:
                main = psutil.Process(proc.pid)
            except psutil.Error:
                return
            while proc.poll() is None:
                try:
                    rss = main.memory_info().rss
                    total = rss + sum(c.memory_info().rss for c in main.children(recursive=True))
                except psutil.Error:
                    total = rss = 0
                peaks[0], peaks[1] = max(peaks[0], rss), max(peaks[1], total)
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        run.code = proc.wait()
        run.wall = time.perf_counter() - started
        sampler.join()
        out.seek(0)
        err.seek(0)
        run.stdout, run.stderr = out.read(), err.read()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    run.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    run.peak_main, run.peak_all = peaks
    if not run.peak_main:
        run.peak_main = run.peak_all = int(after.ru_maxrss * 1024)
    return run


def _check(run: Run, what: str) -> Run:
    if run.code != 0:
        raise RuntimeError(f"{what} failed ({run.code}): {' '.join(run.cmd)}\n{run.stderr[-3000:]}")
    return run


# --- the pieces each run in their own process ---------------------------------------------

def _floor_pass(articles: str) -> dict:
    """A bare SudachiPy mode-C pass over the text column: every line tokenised, surfaces taken."""
    import pandas as pd
    from sudachipy import Dictionary, SplitMode

    texts = [t for t in pd.read_parquet(articles, columns=["text"])["text"] if isinstance(t, str)]
    tokenizer = Dictionary(dict="core").tokenizer(mode=SplitMode.C)
    tokenizer.tokenize("準備")
    chars = sum(map(len, texts))
    tokens = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        for line in text.split("\n"):
            for start in range(0, len(line), 2000):
                tokens += len([m.surface() for m in tokenizer.tokenize(line[start:start + 2000])])
    return {"chars": chars, "tokens": tokens, "wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}


def _sudachi_seconds(texts: list[str]) -> float:
    """CPU seconds of a bare SudachiPy mode-C pass over texts: every line tokenised, surfaces taken."""
    from sudachipy import Dictionary, SplitMode

    tokenizer = Dictionary(dict="core").tokenizer(mode=SplitMode.C)
    tokenizer.tokenize("準備")
    started = time.process_time()
    for text in texts:
        for line in text.split("\n"):
            for start in range(0, len(line), 2000):
                [m.surface() for m in tokenizer.tokenize(line[start:start + 2000])]
    return time.process_time() - started


def _tokenise_seconds(bodies: list[str]) -> float:
    """CPU seconds of kaidan's own tokenisation of bodies (the calls and token loop extraction
    makes, sentence by sentence), so the bench can say how much of the floor it already spends."""
    from kaidan.extract.mentions import tokenize
    from kaidan.extract.sentences import split_sentences

    spans = [split_sentences(body) for body in bodies]
    started = time.process_time()
    for body, body_spans in zip(bodies, spans):
        tokenize(body, body_spans)
    return time.process_time() - started


def _long_document(corpus: str, size: int) -> dict:
    """One digest of about `size` characters, made by joining the corpus's articles, extracted as
    one article; the same articles extracted one by one; and the SudachiPy floor over them: all
    in this process, extraction only (no start-up, reading or writing), so the costs per
    character compare."""
    from kaidan.extract import extract_article
    from kaidan.extract.read import read_article
    from kaidan.reference import load_reference

    reference = load_reference()
    ordinary, total = [], 0
    for path in sorted(Path(corpus).rglob("*.txt")):
        row = read_article(path.read_bytes())
        if row["status"] != "error" and row["body"] and row.get("language") == "ja":
            ordinary.append({**row, "article_id": path.stem})
            total += len(row["text"]) + 2
            if total >= size:
                break
    digest = {**read_article("\n\n".join(r["text"] for r in ordinary).encode("utf-8")), "article_id": "digest"}

    def seconds(rows: list[dict]) -> tuple[float, int]:
        started, meetings = time.process_time(), 0
        for row in rows:
            meetings += len(extract_article(row, reference)["meetings"])
        return time.process_time() - started, meetings

    seconds(ordinary[:5])  # the tokenizer and the alias automata built before timing
    long_seconds, long_meetings = seconds([digest])
    ordinary_seconds, ordinary_meetings = seconds(ordinary)
    return {"size": size, "articles": len(ordinary), "status": digest["status"], "message": digest["message"],
            "chars": len(digest["body"]), "seconds": long_seconds, "meetings": long_meetings,
            "ordinary_chars": sum(len(r["body"]) for r in ordinary), "ordinary_seconds": ordinary_seconds,
            "ordinary_meetings": ordinary_meetings, "floor_chars": sum(len(r["text"]) for r in ordinary),
            "floor_seconds": _sudachi_seconds([r["text"] for r in ordinary]),
            "tokenise_seconds": _tokenise_seconds([r["body"] for r in ordinary])}


def _extract(src: str, out: str, jobs: int | None, cache: str | None) -> dict:
    """`kaidan extract SRC --out OUT` (its code path), with the run's statistics as JSON."""
    from kaidan.run.loop import extract_to_folder

    summary = extract_to_folder(src, out, jobs=jobs, cache_dir=cache)
    return {**summary.counts(), **summary.stats}


def _notebook_kernel() -> str | None:
    try:
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    except ImportError:  # pragma: no cover
        return None
    try:
        KernelSpecManager().get_kernel_spec("kaidan")
        return "kaidan"
    except NoSuchKernel:
        return "python3"


def _papermill(path: Path, out: Path, parameters: dict, cwd: Path) -> float:
    import papermill

    started = time.perf_counter()
    papermill.execute_notebook(str(path), str(out), parameters=parameters, kernel_name=_notebook_kernel(),
                               cwd=str(cwd), progress_bar=False, log_output=False,
                               request_save_on_cell_execute=False, execution_timeout=3600,
                               extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
                               # as `kaidan report` runs them, so the floor is no slower than it need be
                               shutdown_kernel="immediate")
    return time.perf_counter() - started


def _imports_only(source: Path, target: Path) -> None:
    """The notebook with its parameters cell and, of every other code cell, only its imports."""
    import nbformat

    nb = nbformat.read(source, as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if "parameters" in cell.metadata.get("tags", []):
            cells.append(cell)
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        lines = cell.source.splitlines()
        imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
        if imports:
            cell.source = "\n".join("\n".join(lines[n.lineno - 1:n.end_lineno]) for n in imports)
            cell.outputs = []
            cells.append(cell)
    nb.cells = cells
    nbformat.write(nb, target)


def _papermill_floor(folder: str) -> dict:
    """Every imports-only notebook in folder run by papermill at once, as `kaidan report` runs them."""
    from concurrent.futures import ThreadPoolExecutor

    paths = sorted(Path(folder).glob("*.ipynb"))
    executed = Path(folder).parent / (Path(folder).name + "-executed")  # not read back as input next time
    executed.mkdir(exist_ok=True)
    with ThreadPoolExecutor(max_workers=len(paths)) as pool:
        seconds = list(pool.map(lambda p: _papermill(p, executed / p.name, {}, Path(folder)), paths))
    return {"notebooks": len(paths), "seconds": seconds}


def _notebooks_on(tables: str, corpus: str, folder: str, out: str) -> dict:
    """Each notebook run alone by papermill on extracted tables; its HTML report's size."""
    import nbformat

    from kaidan import reports

    found = {}
    Path(out).mkdir(parents=True, exist_ok=True)
    for path in reports.notebook_paths(Path(folder)):
        executed = Path(out) / path.name
        seconds = _papermill(path, executed, {"tables": tables, "corpus": corpus}, path.parent)
        nb = nbformat.read(executed, as_version=4)
        page = reports.export_html(nb, path.stem, path.stem)
        found[path.stem] = {"seconds": seconds, "html_bytes": len(page.encode("utf-8"))}
    return found


# --- the benchmark -----------------------------------------------------------------

def _python() -> list[str]:
    return [sys.executable, "-m", "kaidan.dev.bench"]


def _kaidan() -> list[str]:
    found = Path(sys.executable).with_name("kaidan")
    return [str(found)] if found.exists() else [sys.executable, "-m", "kaidan"]


def report_available() -> bool:
    """Whether this kaidan has the `report` command (another part of the project adds it)."""
    try:
        from kaidan.reports import run_report  # noqa: F401
    except ImportError:
        return False
    run = subprocess.run([*_kaidan(), "report", "--help"], capture_output=True, text=True)
    return run.returncode == 0


def _same_files(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in a.iterdir() if p.is_file())
    return names == sorted(p.name for p in b.iterdir() if p.is_file()) and all(
        (a / n).read_bytes() == (b / n).read_bytes() for n in names)


def _articles_chars(folder: Path) -> tuple[int, int]:
    import pandas as pd

    frame = pd.read_parquet(folder / "articles.parquet", columns=["n_chars"])
    return int(frame["n_chars"].fillna(0).sum()), len(frame)



def _tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def pack_archives(corpus: Path, target: Path, per_archive: int = ARCHIVE_RECORDS) -> int:
    """The corpus's files as response records of .warc.gz archives (their bytes as they are, as
    text/plain), per_archive records each, written once and kept; returns how many archives."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    files = sorted(p for p in corpus.rglob("*") if p.is_file() and not p.name.startswith("."))
    count = -(-len(files) // per_archive)
    stamp = target / ".packed"
    if stamp.exists() and stamp.read_text() == f"{len(files)} {per_archive}":
        return count
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for k in range(count):
        with open(target / f"archive-{k:04d}.warc.gz", "wb") as handle:
            writer = WARCWriter(handle, gzip=True)
            for path in files[k * per_archive:(k + 1) * per_archive]:
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/plain")], protocol="HTTP/1.1")
                url = f"https://news.example.jp/{path.relative_to(corpus).as_posix()}"
                writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(path.read_bytes()),
                                                              http_headers=headers))
    stamp.write_text(f"{len(files)} {per_archive}")
    return count


def bench_size(n: int, seed: int, data: Path, work: Path, jobs: int, notebooks: bool, say) -> SizeResult:
    from kaidan.dev.synthetic import Generator, write_corpus

    result = SizeResult(n, jobs=jobs)
    corpus = data / f"synthetic-{seed}-{n}"
    say(f"{n:,} articles: generating {corpus} (kept for next time)")
    stamp = write_corpus(corpus, n, seed)
    result.files, result.megabytes = stamp["files"], stamp["bytes"] / 1e6
    one, every = work / f"one-{n}", work / f"all-{n}"
    if n > PER_CORE_SIZES:
        # the 100k run checks the targets at scale (time, memory, notebooks, HTML); one core,
        # the floor and the cache are measured on the smaller corpora, where they take minutes
        result.scale_only = True
        say(f"{n:,} articles: extracting on all cores ({jobs})")
        result.all = _check(measure([*_python(), "--run-extract", str(corpus), str(every), "--jobs", str(jobs)]),
                            "extract")
        result.chars, _ = _articles_chars(every)
        if notebooks:
            say(f"{n:,} articles: each notebook on the tables")
            run = measure([*_python(), "--notebooks-on", str(every), str(corpus), str(_repo() / "notebooks"),
                           str(work / f"notebooks-{n}")])
            result.notebooks = run.json() if run.code == 0 else {"error": run.stderr.strip().splitlines()[-1:]}
        shutil.rmtree(every, ignore_errors=True)
        return result

    say(f"{n:,} articles: extracting on one core")
    result.one = _check(measure([*_python(), "--run-extract", str(corpus), str(one), "--jobs", "1"]), "extract")
    result.chars, _ = _articles_chars(one)
    say(f"{n:,} articles: extracting on all cores ({jobs})")
    result.all = _check(measure([*_python(), "--run-extract", str(corpus), str(every), "--jobs", str(jobs)]),
                        "extract")
    result.identical = _same_files(one, every)
    say(f"{n:,} articles: the SudachiPy floor")
    result.floor = _check(measure([*_python(), "--floor", str(one / "articles.parquet")]), "floor").json()

    cache = work / f"cache-{n}"
    shutil.rmtree(cache, ignore_errors=True)
    say(f"{n:,} articles: the cache (cold, nothing changed, one new file)")
    cached_out = work / f"cached-{n}"
    base = [*_python(), "--run-extract", str(corpus), str(cached_out), "--jobs", str(jobs), "--cache", str(cache)]
    result.cold = _check(measure(base), "cold cache")
    result.warm = _check(measure(base), "warm cache")
    result.warm_stats = result.warm.json()
    result.identical = result.identical and _same_files(one, cached_out)
    extra = corpus / "extra" / "new-article.txt"
    extra.parent.mkdir(exist_ok=True)
    generator = Generator(seed)
    extra.write_text(generator.article(n + 1, attempt=7), encoding="utf-8")
    try:
        result.plus_one = _check(measure(base), "one new file")
        result.plus_one_stats = result.plus_one.json()
    finally:
        shutil.rmtree(extra.parent)
    result.cache_bytes = _tree_bytes(cache)
    shutil.rmtree(cache, ignore_errors=True)

    say(f"{n:,} articles: packed into web archives, extracting on all cores ({jobs})")
    packed = data / f"synthetic-{seed}-{n}-warc"
    result.archives = pack_archives(corpus, packed)
    archive_out = work / f"archive-{n}"
    result.archive = _check(measure([*_python(), "--run-extract", str(packed), str(archive_out), "--jobs", str(jobs)]),
                            "extract web archives")
    shutil.rmtree(archive_out, ignore_errors=True)

    if notebooks:
        say(f"{n:,} articles: each notebook on the tables")
        run = measure([*_python(), "--notebooks-on", str(one), str(corpus), str(_repo() / "notebooks"),
                       str(work / f"notebooks-{n}")])
        result.notebooks = run.json() if run.code == 0 else {"error": run.stderr.strip().splitlines()[-1:]}
    for folder in (one, every, cached_out):
        shutil.rmtree(folder, ignore_errors=True)
    return result



LONG_DOCUMENTS = (100_000, 1_000_000)  # characters of the digests measured against ordinary articles
LONG_SOURCE = 1_000  # articles of the synthetic corpus the digests are joined from


def bench_long(seed: int, data: Path, say) -> list[dict]:
    """A digest of 100k and of 1M characters against the articles it joins (`_long_document`)."""
    from kaidan.dev.synthetic import write_corpus

    corpus = data / f"synthetic-{seed}-{LONG_SOURCE}"
    write_corpus(corpus, LONG_SOURCE, seed)
    found = []
    for size in LONG_DOCUMENTS:
        say(f"a long document of {size:,} characters, against the same articles one by one")
        found.append(_check(measure([*_python(), "--long-document", str(corpus), str(size)]), "long document").json())
    return found


def bench_report(work: Path, say) -> ReportResult:
    if not report_available():
        return ReportResult(False)
    result = ReportResult(True)
    repo = _repo()
    floor_dir = work / "floor-notebooks"
    floor_dir.mkdir(parents=True, exist_ok=True)
    for path in sorted((repo / "notebooks").glob("*.ipynb")):
        _imports_only(path, floor_dir / path.name)
    say("report: the papermill floor (the notebooks with only their imports)")
    result.floor = measure([*_python(), "--papermill-floor", str(floor_dir)], cwd=repo)
    env = {**os.environ, "KAIDAN_CACHE_DIR": str(work / "report-cache")}
    out = work / "report"
    say("report: kaidan report on the seeds, then again with nothing new")
    result.first = measure([*_kaidan(), "report", "--corpus", str(repo / "seeds"), "--out", str(out)], env=env, cwd=repo)
    result.again = measure([*_kaidan(), "report", "--corpus", str(repo / "seeds"), "--out", str(out)], env=env, cwd=repo)
    if result.first.code != 0:
        result.error = (result.first.stderr.strip().splitlines() or ["?"])[-1]
    if out.is_dir():
        for page in sorted(out.glob("*.html")):
            result.html[page.name] = page.stat().st_size
        plotly = out / "plotly.min.js"
        result.plotly_bytes = plotly.stat().st_size if plotly.exists() else 0
    return result




def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kaidan.dev.bench", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], metavar="N",
                        help="corpus sizes in articles (default: 1000 10000)")
    parser.add_argument("--full", action="store_true", help="add 100,000 articles")
    parser.add_argument("--jobs", type=int, help="worker processes for the all-cores runs (default: every core)")
    parser.add_argument("--seed", type=int, default=0, help="synthetic corpus seed (default 0)")
    parser.add_argument("--data", default=None, help="where corpora are kept (default: bench/data)")
    parser.add_argument("--results", default=None, help="the results file (default: bench/results.md)")
    parser.add_argument("--no-report", action="store_true", help="skip `kaidan report` and the notebooks")
    # the measured pieces, each run in a process of its own
    parser.add_argument("--floor", help=argparse.SUPPRESS)
    parser.add_argument("--run-extract", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--long-document", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    parser.add_argument("--papermill-floor", help=argparse.SUPPRESS)
    parser.add_argument("--notebooks-on", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.floor:
        print(json.dumps(_floor_pass(args.floor)))
        return 0
    if args.run_extract:
        print(json.dumps(_extract(*args.run_extract, args.jobs, args.cache)))
        return 0
    if args.long_document:
        print(json.dumps(_long_document(args.long_document[0], int(args.long_document[1]))))
        return 0
    if args.papermill_floor:
        print(json.dumps(_papermill_floor(args.papermill_floor)))
        return 0
    if args.notebooks_on:
        print(json.dumps(_notebooks_on(*args.notebooks_on)))
        return 0

    from kaidan.run.executors import available_cores

    repo = _repo()
    data = Path(args.data) if args.data else repo / "bench" / "data"
    results = Path(args.results) if args.results else repo / "bench" / "results.md"
    sizes = sorted(set(args.sizes + ([100_000] if args.full else [])))
    jobs = args.jobs or available_cores()
    started = dt.datetime.now().astimezone()
    load_start = os.getloadavg()[0]
    clock = time.monotonic()

    def say(message: str) -> None:
        print(f"bench [{time.monotonic() - clock:6.0f} s] {message}", file=sys.stderr, flush=True)

    shown = " ".join(argv if argv is not None else sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="kaidan-bench-") as tmp:
        work = Path(tmp)
        report = None if args.no_report else bench_report(work, say)
        if report is not None and not report.available:
            say("report: `kaidan report` is not available; that part is skipped")
        measured = [bench_size(n, args.seed, data, work, jobs, not args.no_report and report is not None
                               and report.available, say) for n in sizes]
        long_documents = bench_long(args.seed, data, say)
    text = render(machine(), measured, report, started, (load_start, os.getloadavg()[0]), shown, long_documents)
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(text, encoding="utf-8")
    print(text)
    say(f"written to {results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
