"""The `kaidan report` run: check everything first, take the lock, then extract once, run what
changed, reuse the rest, and publish the folder in one step.

`run_report` refuses bad input before any work (exit 2) and a second run into the same folder
(exit 75); `ReportRun` does the work under the lock, in a staging folder beside the output
that is published atomically at the end, or removed.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import multiprocessing
import os
import shutil
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from kaidan import __version__
from kaidan.assets import write_assets
from kaidan.constants import EXIT_BUSY, EXIT_FAILED, EXIT_OK, EXIT_USAGE
from kaidan.messages import shown, summarised
from kaidan.processes import stop_signals_held
from kaidan.publish import DestinationError, check_report_out, publish, report_folder
from kaidan.reports.execute import Outcome, import_papermill, kernel_name, notebook_paths, run_notebook
from kaidan.reports.export import PLOTLY_JS, figures_of, main_figures, plotly_js, prepare_export
from kaidan.reports.extracted import BUSY, FAILED, extract_tables
from kaidan.reports.figures import StaticFigures
from kaidan.reports.index import write_index
from kaidan.reports.lock import Busy, Lock
from kaidan.reports.notebook import cell_text
from kaidan.reports.params import ParameterError, check_run_parameters, repository_root
from kaidan.reports.reuse import Job, Previous, code_version, corpus_stamp, figure_key, plan_jobs


def _check_out(out: str, corpus_dir: Path, metadata_path: Path | None, notebook_dir: Path, replace: bool,
               log) -> Path:
    """The folder to publish into, checked before any work (DestinationError says why not)."""
    out_dir, note = report_folder(out)
    protected = {"corpus": corpus_dir, "metadata file": metadata_path, "working folder": Path.cwd(),
                 "repository": repository_root(), "notebooks": notebook_dir}
    check_report_out(out_dir, protected, replace)
    if note:
        log(note)
    return out_dir


def run_report(corpus: str, out: str, metadata: str | None = None, parameters: list[tuple[str, str]] = (),
               notebooks: str | None = None, jobs: int | None = None, figures: bool = True, force: bool = False,
               log=None, replace: bool = False, columns: dict[str, str] | None = None) -> int:
    """Extract once, run and export every notebook whose inputs changed, publish; the exit
    status of `kaidan report`. `force` runs every notebook even when its report is current;
    `replace` publishes into a folder that is not empty though kaidan did not make it;
    `columns` names an export's columns, as `kaidan.extract.read.parse_columns` reads them."""
    log = log or (lambda message: print(f"kaidan: {message}", file=sys.stderr, flush=True))
    started_at = dt.datetime.now().astimezone()
    started = time.monotonic()
    root = repository_root()
    notebook_dir = Path(notebooks) if notebooks else (root / "notebooks" if root else Path("notebooks"))
    paths = notebook_paths(notebook_dir)
    if not paths:
        log(f"no notebooks in {shown(notebook_dir)}")
        return EXIT_USAGE
    corpus_dir = Path(corpus).expanduser().resolve()
    if not corpus_dir.is_dir():
        log(f"corpus folder {shown(corpus)} not found")
        return EXIT_USAGE
    metadata_path = Path(metadata).expanduser().resolve() if metadata else None
    if metadata_path is not None and not metadata_path.is_file():
        log(f"metadata file {shown(metadata)} not found")
        return EXIT_USAGE
    try:
        values = check_run_parameters(list(parameters), [p.stem for p in paths])
        out_dir = _check_out(out, corpus_dir, metadata_path, notebook_dir.resolve(), replace, log)
    except (ParameterError, DestinationError) as error:
        log(str(error))
        return EXIT_USAGE
    try:
        lock = Lock(out_dir).__enter__()
    except Busy as holder:
        log(f"another report run is going ({holder}); not starting a second one")
        return EXIT_BUSY
    try:
        run = ReportRun(corpus_dir, metadata_path, out_dir, notebook_dir, values, jobs, figures, force, log,
                        started, started_at, replace, columns)
        return run.go(plan_jobs(paths, values, corpus_dir, metadata_path))
    finally:
        lock.__exit__(None, None, None)


def started_iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


class ReportRun:
    """One `kaidan report` run, under the lock: extract, run what changed, reuse the rest, publish.

    When the corpus looks unchanged since the last run (same files, sizes and times), it
    extracts first and runs only the notebooks whose report's inputs changed (the tables'
    digest, the notebook's bytes, its parameters, kaidan); when nothing changed it publishes
    nothing. Otherwise it starts every kernel at once, while the corpus is extracted: forked
    from this process once it has imported what the notebooks import (`kaidan.reports.kernels`),
    and each main figure goes to Chrome as soon as its cell has run.
    """

    def __init__(self, corpus_dir, metadata_path, out_dir, notebook_dir, values, jobs, figures, force, log,
                 started, started_at, replace=False, columns=None):
        self.corpus_dir, self.metadata_path, self.out_dir = corpus_dir, metadata_path, out_dir
        self.columns = columns or {}  # an export's columns, for the extraction
        self.replace = replace
        self.notebook_dir, self.values, self.jobs, self.figures, self.force = notebook_dir, values, jobs, figures, force
        self.log, self.started, self.started_at = log, started, started_at
        self.staging = out_dir.parent / f".{out_dir.name}.staging-{os.getpid()}"
        self.tables = self.staging / "tables"
        self.previous = Previous(out_dir)
        self.static: StaticFigures | None = None
        self.pool = None
        self.futures: dict = {}
        self.seeds = None  # kernels forked from this process (kaidan.reports.kernels), when they can be
        self._figure_rows: dict[str, dict] = {}  # the main figures' rows, by name, as they are drawn or reused
        self._dropped: set[str] = set()  # figures of notebooks that failed: not published
        self._figure_lock = threading.Lock()

    def go(self, jobs: list[Job]) -> int:
        """The run, in a fresh staging folder that is gone afterwards, however the run ends."""
        for kind in ("staging", "old"):  # what runs that died left (this one holds the lock)
            for stale in self.out_dir.parent.glob(f".{self.out_dir.name}.{kind}-*"):
                shutil.rmtree(stale, ignore_errors=True)
        self.tables.mkdir(parents=True)
        (self.tables / BUSY).write_text(str(os.getpid()), encoding="utf-8")
        finished = False
        try:
            code = self._go(jobs)
            finished = True
            return code
        finally:
            if self.pool is not None:  # interrupted: do not wait for the notebooks
                self.pool.shutdown(wait=finished, cancel_futures=not finished)
            if self.static is not None:
                self.static.close(30 if finished else 0)
            if self.seeds is not None:
                self.seeds.close()
            if self.staging.exists():
                shutil.rmtree(self.staging, ignore_errors=True)

    # --- extract, and start the notebooks ------------------------------------------------------

    def _go(self, jobs: list[Job]) -> int:
        stamp = corpus_stamp(self.corpus_dir, self.metadata_path, self.columns)
        likely_same = not self.force and self.previous.inputs.get("corpus_stamp") == stamp
        extractor, t_extract = self._fork_extraction()
        if not likely_same and self._preload(jobs):
            from kaidan.reports.kernels import KernelSeeds

            self.seeds = KernelSeeds(len(jobs))
        if self.figures:
            self.static = StaticFigures(self.staging / "figures", self.log)
        if not likely_same:
            self.log(f"extracting {self.corpus_dir} and running {len(jobs)} notebooks, "
                     f"{self._at_once(jobs)} at a time")
            if self.static is not None:  # the figures will be new: Chrome's start-up (and its
                self.static.start()      # parsing plotly.js) is the longest chain of the run
            self._start(jobs)
        else:
            self.log(f"extracting {self.corpus_dir} (the same files as at the last run, so the notebooks "
                     "wait to see which reports are current)")
        info = self._extraction(extractor, t_extract)
        if info is None:
            return self._extraction_failed(extractor)
        reused = {} if self.force else {j.name: self.previous.report(j.name, j.key(info["digest"])) for j in jobs}
        to_run = jobs
        if likely_same:
            to_run = [j for j in jobs if not reused.get(j.name)]
            if not to_run and self.previous.whole(self.figures):
                self.log(f"nothing new since the run of {self.previous.summary.get('started', '?')}: the corpus, "
                         f"notebooks, parameters and kaidan are the same, so {self.out_dir} is left as it is "
                         "(--force runs the notebooks again)")
                return EXIT_OK
            if to_run:
                self.log(f"running {len(to_run)} of {len(jobs)} notebooks (the others are unchanged)")
                self._start(to_run)
        return self._finish(jobs, to_run, reused, info, stamp)

    def _fork_extraction(self) -> tuple[multiprocessing.Process, float]:
        """Start the extraction and say when it started.

        It runs in a forked process (before any thread exists here) while this one starts the
        kernels and Chrome; the notebooks wait for the tables' mark."""
        extractor = multiprocessing.get_context("fork").Process(
            target=extract_tables, args=(self.corpus_dir, self.metadata_path, self.tables, os.getpid(),
                                         self.columns),
            name="kaidan-extract")
        t_extract = time.monotonic()
        with stop_signals_held():
            extractor.start()
        return extractor, t_extract

    def _preload(self, jobs: list[Job]) -> bool:
        """Import what the notebooks import, here, when their kernel spec runs this interpreter,
        so that the kernels are forked from this process; whether it did. (The extraction is
        forked first: importing pandas there too costs CPU, but it starts a second sooner, and
        the notebooks wait for it.)"""
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

        from kaidan.reports.kernels import kernel_arguments, notebook_imports, preload

        try:
            argv = KernelSpecManager().get_kernel_spec(kernel_name(lambda message: None)).argv
        except NoSuchKernel:
            return False
        if kernel_arguments(argv) is None:
            return False
        preload(notebook_imports([job.path for job in jobs]))
        return True

    def _at_once(self, jobs: list[Job]) -> int:
        return max(1, min(len(jobs), self.jobs or len(jobs)))

    def _start(self, jobs: list[Job]) -> None:
        """Start kernels for `jobs` (papermill in threads); the notebooks wait for the tables."""
        import_papermill()
        kernel = kernel_name(self.log)
        manager = None
        if self.seeds is not None:
            from kaidan.reports.kernels import manager_for

            manager = manager_for(self.seeds)
        self.pool = ThreadPoolExecutor(max_workers=self._at_once(jobs))
        for job in jobs:
            params = {**job.params, "tables": str(self.tables)}
            future = self.pool.submit(run_notebook, job.path, self.staging, params, kernel, self.notebook_dir,
                                      manager, functools.partial(self._cell_done, job.name))
            self.futures[future] = job
        # the first export would import nbconvert and compile its template after the first notebook;
        # done now, while the notebooks wait for the tables, it is off the end of the run
        threading.Thread(target=prepare_export, name="kaidan-prepare-export", daemon=True).start()

    def _extraction(self, extractor, t_extract: float) -> dict | None:
        """Wait for the extraction; its summary, or None (said why) when it failed."""
        extractor.join()
        if extractor.exitcode == EXIT_OK:
            info = json.loads((self.staging / "extraction.json").read_text(encoding="utf-8"))
            counts = info["summary"]
            cached = f", {info['from_cache']} of them from the cache" if info.get("from_cache") else ""
            # as kaidan extract counts them: a scheduled run's log says that some files could not be read
            flagged = (f" ({counts['ok']} ok, {counts['warnings']} warnings, {counts['errors']} errors; each listed in "
                       f"tables/articles.csv)" if counts["warnings"] or counts["errors"] else "")
            self.log(f"extracted {counts['files']} articles{flagged}, {counts['meetings']} meetings, "
                     f"{counts['events']} events ({time.monotonic() - t_extract:.1f} s{cached})")
            for line in summarised(info["problems"]):
                self.log(shown(line))
            return info
        reason = (self.tables / FAILED).read_text(encoding="utf-8") if (self.tables / FAILED).exists() else \
            f"the extraction process exited with {extractor.exitcode}"
        self.log(f"extraction failed: {reason.strip()}")
        return None

    def _extraction_failed(self, extractor) -> int:
        """Let the started notebooks stop at the failed extraction's mark; publish nothing."""
        for future in self.futures:
            future.result()
        self.log(f"nothing published; {self.out_dir} is unchanged")
        return EXIT_USAGE if extractor.exitcode == EXIT_USAGE else EXIT_FAILED

    # --- gather the reports and figures --------------------------------------------------------

    def _finish(self, jobs: list[Job], to_run: list[Job], reused: dict, info: dict, stamp: str) -> int:
        """Wait for the notebooks and the figures, write the summary and the index, publish."""
        outcomes = self._outcomes(jobs, to_run, reused, info["digest"])
        reports = [self._entry(outcomes[job.name]) for job in jobs]
        shutil.copyfile(plotly_js(), self.staging / PLOTLY_JS)
        write_assets(self.staging)  # the base map and DataTables, shared like plotly.js
        note, complete = self._static_figures()
        figure_list = [row for _, row in sorted(self._figure_rows.items()) if row.get("files")]
        summary = self._summary(reports, figure_list, note, complete, info, stamp)
        return self._publish(summary)

    def _outcomes(self, jobs: list[Job], to_run: list[Job], reused: dict, digest: str) -> dict[str, Outcome]:
        """Each notebook's outcome, by name: unchanged reports copied first, then the running
        ones as they finish; each one's main figures drawn or reused as it comes (`_figures`)."""
        outcomes: dict[str, Outcome] = {}
        running = {j.name for j in to_run}
        for job in jobs:
            if job.name not in running and reused.get(job.name):
                outcome = outcomes[job.name] = self._reuse(job, reused[job.name])
                self.log(f"[{len(outcomes)}/{len(jobs)}] {job.name} unchanged since the run of {outcome.reused}: "
                         "report reused")
                self._figures(outcome)
        for future in as_completed(list(self.futures)):
            job = self.futures[future]
            outcome = future.result()
            if outcome.ok:
                outcome.key = job.key(digest)
            outcomes[outcome.name] = outcome
            state = "ok" if outcome.ok else f"FAILED: {outcome.message}"
            self.log(f"[{len(outcomes)}/{len(jobs)}] {outcome.name} {state} ({outcome.seconds:.1f} s)")
            self._figures(outcome)
        return outcomes

    def _reuse(self, job: Job, entry: dict) -> Outcome:
        """The previous report of an unchanged notebook, copied into the new folder."""
        for relative in (entry["html"], entry["notebook"]):
            target = self.staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(self.out_dir / relative, target)
        figures = []
        if self.figures:
            nb = json.loads((self.staging / entry["notebook"]).read_text(encoding="utf-8"))
            figures = main_figures(nb)
        return Outcome(job.name, True, float(entry.get("seconds") or 0), html=entry["html"], notebook=entry["notebook"],
                       figures=figures, key=entry.get("key"), title=entry.get("title"),
                       reused=entry.get("ran") or "an earlier run")

    def _figures(self, outcome: Outcome) -> None:
        """A report's main figures as SVG and PNG (those its cells did not hand over already); a
        failed report's figures are dropped, drawn or not."""
        if self.static is None:
            return
        with self._figure_lock:
            if not outcome.ok:
                dropped = [n for n, row in self._figure_rows.items() if row["notebook"] == outcome.name]
                self._dropped.update(dropped)
                for name in dropped:
                    del self._figure_rows[name]
                return
            for name, fig in outcome.figures:
                if self._figure_rows.get(name, {}).get("notebook") != outcome.name:
                    self._figure(outcome.name, name, fig)

    def _cell_done(self, notebook: str, cell, **_) -> None:
        """As a notebook's cell finishes (papermill's thread): its named main figures go to be
        drawn at once, while the other cells and notebooks still run, not after the last."""
        if self.static is None:
            return
        with self._figure_lock:
            for name, fig, meta in figures_of({"cells": [cell]}):
                if meta.get("main") and meta.get("figure"):
                    self._figure(notebook, name, fig)

    def _figure(self, notebook: str, name: str, fig: dict) -> None:
        """One main figure: its row, and its files: the last run's when drawn from the same
        figure, else drawn now (Chrome starts with the first one to draw). Under the figure lock."""
        key = figure_key(fig)
        self._figure_rows[name] = {"name": name, "key": key, "notebook": notebook}
        files = self.previous.figure(name, key)
        if files:
            for relative in files:
                (self.staging / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(self.out_dir / relative, self.staging / relative)
        else:
            self.static.add(name, fig)

    def _entry(self, o: Outcome) -> dict:
        """A report's row in summary.json; a failed notebook keeps showing its previous report."""
        entry = {"name": o.name, "title": o.title or o.name, "ok": o.ok, "seconds": round(o.seconds, 2),
                 "message": o.message, "html": o.html, "notebook": o.notebook,
                 "ran": (o.reused or started_iso(self.started_at)) if o.ok else None, "key": o.key}
        if o.reused:
            entry["reused"] = True
        elif not o.ok:
            self._show_previous(entry)
        return entry

    def _show_previous(self, entry: dict) -> None:
        """A failed notebook's last published report, copied and named in its entry, when there is one."""
        old = self.previous.reports.get(entry["name"])
        if old is None or not (self.out_dir / old["html"]).is_file():
            return
        shutil.copy2(self.out_dir / old["html"], self.staging / old["html"])
        entry.update(html=old["html"], title=old.get("title", entry["name"]),
                     previous=old.get("previous") or old.get("ran") or "an earlier run")

    def _static_figures(self) -> tuple[str | None, bool]:
        """Wait for the figures being drawn and give each row its files; a note on them for the
        index (None when all went well) and whether every figure has both files."""
        if self.static is None:
            return "static figures were not requested (--no-figures)", False
        t = time.monotonic()
        drawn = self.static.close()
        for name in self._dropped:  # drawn before their notebook failed
            for fmt in ("svg", "png"):
                (self.staging / "figures" / f"{name}.{fmt}").unlink(missing_ok=True)
        drawn = [path for path in drawn if path.stem not in self._dropped]
        note = self.static.problem
        if drawn:
            self.log(f"wrote {len(drawn)} static figures ({time.monotonic() - t:.1f} s after the notebooks)")
        elif self._figure_rows:
            self.log(f"static figures unchanged: {len(self._figure_rows)} reused")
        if note:
            self.log(note)
        for row in self._figure_rows.values():
            row["files"] = [f"figures/{row['name']}.{fmt}" for fmt in ("svg", "png")
                            if (self.staging / "figures" / f"{row['name']}.{fmt}").is_file()]
        return note, all(len(row["files"]) == 2 for row in self._figure_rows.values())

    # --- publish -------------------------------------------------------------------------------

    def _summary(self, reports: list[dict], figure_list: list[dict], note: str | None, complete: bool,
                 info: dict, stamp: str) -> dict:
        """summary.json: the run, its reports, tables and figures, and the inputs the next run
        compares with its own to reuse what is unchanged."""
        counts = info["summary"]
        failed = [r["name"] for r in reports if not r["ok"]]
        return {
            "started": started_iso(self.started_at),
            "finished": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "seconds": round(time.monotonic() - self.started, 2), "version": __version__,
            "status": "ok" if not failed else f"failed: {', '.join(failed)}",
            "corpus": {"path": str(self.corpus_dir), "metadata": str(self.metadata_path or ""),
                       "columns": self.columns, "files": counts["files"], "hash": info["hash"]},
            "extraction": counts, "parameters": {k: cell_text(v) for k, v in self.values.items()},
            "reports": reports, "figures": figure_list, "figures_note": note,
            "figures_complete": bool(self.static is not None and complete and not note),
            "tables": [{"name": name, "rows": rows, "csv": f"tables/{name}.csv",
                        "parquet": f"tables/{name}.parquet"} for name, rows in info["rows"].items()],
            "inputs": {"corpus_stamp": stamp, "tables": info["digest"], "code": code_version()},
        }

    def _publish(self, summary: dict) -> int:
        """Write summary.json and index.html into the staging folder and publish it as the output."""
        (self.staging / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2),
                                                   encoding="utf-8")
        (self.staging / "extraction.json").unlink(missing_ok=True)
        write_index(self.staging, summary)
        try:
            publish(self.staging, self.out_dir, __version__, self.replace, self.log)
        except DestinationError as error:  # the folder changed hands while the run went
            self.log(f"{error}; nothing published")
            return EXIT_USAGE
        self.log(f"published {self.out_dir / 'index.html'} ({time.monotonic() - self.started:.1f} s)")
        failed = [r["name"] for r in summary["reports"] if not r["ok"]]
        if failed:
            self.log(f"{len(failed)} notebook(s) failed: {', '.join(failed)}; see {self.out_dir / 'failed'}")
            return EXIT_FAILED
        return EXIT_OK
