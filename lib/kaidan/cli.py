"""The `kaidan` command: extraction to tables, and scheduled report runs.

Exit status: 0 when every file was read or refused with a reason, 1 when a run failed
(or, with --strict, when any file has a warning or error), 2 for a usage error such
as a missing folder.
"""
from __future__ import annotations

import argparse
import gc
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from kaidan.constants import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_TERMINATED, EXIT_USAGE
from kaidan.messages import kind_of, shown, summarised
from kaidan.publish import DestinationError, check_extract_out

EPILOG = """exit status:
  0  every file was read, or refused with a reason recorded in articles.csv
  1  the run failed (or, with --strict, some file has a warning or an error, or
     the metadata file a problem)
  2  usage error: a bad option, a missing folder or metadata file, an --out that
     is a file, is or holds the corpus, or cannot be written
  130  interrupted (Ctrl-C); 143 stopped by SIGTERM
"""


def _parser() -> argparse.ArgumentParser:
    from kaidan import __version__

    parser = argparse.ArgumentParser(
        prog="kaidan", description="Japanese news on diplomatic and security meetings, as tables and reports.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"kaidan {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    extract = sub.add_parser(
        "extract", help="read a folder of articles and write the tables",
        description="Read every file under SRC (text .txt/.md, web pages .html/.htm, web archives "
                    ".warc/.warc.gz, exports .csv/.jsonl/.ndjson of one article per row; any other file is "
                    "listed as not read) and write articles, sentences, mentions, "
                    "meetings and events as CSV (list cells joined with ';', a ';' in an item written '\\;'; "
                    "cells that would start a formula prefixed with an apostrophe) and Parquet into DIR.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    extract.add_argument("src", metavar="SRC", help="folder of articles: text files, web pages, web archives, exports")
    extract.add_argument("--metadata", metavar="CSV", help="file,url,published,outlet[,title] overrides")
    _add_columns(extract)
    extract.add_argument("--out", metavar="DIR", required=True, help="folder for the tables")
    extract.add_argument("--strict", action="store_true", help="exit 1 when any file has a warning or error, or the metadata file a problem")
    extract.add_argument("-q", "--quiet", action="store_true", help="print only problems (no summary, no progress)")
    extract.add_argument("-j", "--jobs", type=_positive, metavar="N",
                         help="worker processes (default: one per core; small corpora use one)")
    extract.add_argument("--cache", metavar="DIR",
                         help="cache of per-file results, so a re-run extracts only new or changed files "
                              "(default: $KAIDAN_CACHE_DIR, else ~/.cache/kaidan)")
    extract.add_argument("--no-cache", action="store_true", help="extract every file, read and write no cache")
    extract.add_argument("--dask", metavar="ADDRESS",
                         help="extract on a Dask cluster (its scheduler's address, e.g. tcp://host:8786); the "
                              "same tables as on one machine; SRC and --cache must be paths every worker can reach")
    extract.set_defaults(run=_extract)

    report = sub.add_parser(
        "report", help="run the notebooks and publish HTML reports, tables and figures",
        description="Extract the corpus once, run every notebook in notebooks/ with papermill (in\n"
                    "parallel), export each to HTML (code hidden, one shared plotly.js, nothing fetched\n"
                    "from the network), write the main charts as SVG and PNG, and publish index.html\n"
                    "with the tables into DIR in one step. A report whose inputs (the tables, the\n"
                    "notebook, its parameters, kaidan) are unchanged since the last run is reused, not\n"
                    "run again; with nothing new, nothing is published. A second run while one is\n"
                    "going says so and exits 75.",
        epilog=REPORT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    report.add_argument("--corpus", metavar="DIR", default="seeds",
                        help="folder of articles: text files, web pages, web archives, exports (default: seeds)")
    report.add_argument("--metadata", metavar="CSV", help="file,url,published,outlet[,title] overrides")
    _add_columns(report)
    report.add_argument("--out", metavar="DIR", default="reports", help="folder for the reports (default: reports)")
    report.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="a notebook parameter, e.g. -p start 2024-01-01 -p countries CHN,RUS "
                             "(passed to the notebooks that take it)")
    report.add_argument("--jobs", type=int, metavar="N", help="notebooks run at once (default: all of them)")
    report.add_argument("--notebooks", metavar="DIR", help="folder of notebooks (default: the repository's notebooks/)")
    report.add_argument("--no-figures", action="store_true", help="skip the static SVG/PNG figures")
    report.add_argument("--replace", action="store_true",
                        help="publish into DIR even though it holds files and kaidan did not make it (they are "
                             "kept; without this such a DIR is refused)")
    report.add_argument("--force", action="store_true",
                        help="run every notebook even when its report is current (by default a notebook whose "
                             "tables, bytes, parameters and kaidan are unchanged keeps its published report)")
    report.set_defaults(run=_report)

    export = sub.add_parser(
        "export", help="write the events in another event-data format (PLOVER JSON Lines)",
        description="Write every event of SRC as PLOVER-style JSON Lines: one record a line, event type CONSULT\n"
                    "(AGREE for a meeting only scheduled), mode, actors and recipients with ISO3 codes and names,\n"
                    "the date (the day when the articles give it; kaidan.date at its precision), the place with\n"
                    "its coordinates, the evidence and the source articles. SRC is a folder of tables that\n"
                    "`kaidan extract` wrote (events.parquet) or a folder of articles, extracted first (cached).\n"
                    "The records follow kaidan/export/plover.schema.json; the README maps them field by field.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    export.add_argument("src", metavar="SRC",
                        help="folder of tables (events.parquet) or of articles (text files, web pages, web archives, "
                             "exports)")
    export.add_argument("--format", choices=("plover",), default="plover", help="the format (default: plover)")
    export.add_argument("--metadata", metavar="CSV", help="file,url,published,outlet[,title] overrides "
                                                          "(when SRC holds articles)")
    _add_columns(export, " (when SRC holds articles)")
    export.add_argument("--out", metavar="FILE", default="-", help="file to write (default: standard output)")
    export.set_defaults(run=_export)
    return parser


def _add_columns(command: argparse.ArgumentParser, when: str = "") -> None:
    """--columns, with one meaning for every command that reads articles (`_read_columns` checks it)."""
    command.add_argument("--columns", metavar="FIELD=COLUMN,...",
                         help=f"an export's columns where their names are not the common ones{when}, e.g. "
                              "body=本文,published=日付 (fields: body, title, published, url, outlet, author, id)")


def _read_columns(args: argparse.Namespace) -> int | None:
    """--columns read into the mapping the extraction takes, before anything runs: a bad value
    is a usage error (EXIT_USAGE), said as the extraction's own reader of it says it."""
    if getattr(args, "columns", None) is None:
        return None
    from kaidan.extract.read import CorpusError, parse_columns  # 0.5 s: only when the option is given

    try:
        args.columns = parse_columns(args.columns)
    except CorpusError as error:
        print(f"kaidan: {shown(error)}", file=sys.stderr)
        return EXIT_USAGE
    return None


REPORT_EPILOG = """exit status:
  0   every notebook ran and the reports were published
  1   a notebook failed: the others were published, its previous report kept, the
      failed notebook left in DIR/failed/ for inspection
  2   usage error: a bad option or parameter, a missing folder or metadata file, or a
      DIR kaidan will not write: a file, /, a folder it cannot write, one that is or
      holds the corpus, the working folder or the notebooks, or one with files in it
      that kaidan did not publish (see --replace); nothing was done
  75  another report run into DIR is still going; nothing was done
  130 interrupted (Ctrl-C); 143 stopped by SIGTERM
"""


def _report(args: argparse.Namespace) -> int:
    from kaidan.reports import run_report

    return run_report(args.corpus, args.out, metadata=args.metadata, parameters=[tuple(p) for p in args.parameter],
                      notebooks=args.notebooks, jobs=args.jobs, figures=not args.no_figures, force=args.force,
                      replace=args.replace, columns=args.columns)


def _export(args: argparse.Namespace) -> int:
    from kaidan.export import plover_records, write_plover, write_plover_file
    from kaidan.extract.read import CorpusError
    from kaidan.reference import load_reference
    from kaidan.run.corpus import Corpus, load_corpus

    src = Path(args.src)
    if not src.is_dir():
        print(f"kaidan: {shown(args.src)} is not a folder of tables or articles", file=sys.stderr)
        return EXIT_USAGE
    out = None if args.out == "-" else Path(args.out).expanduser()
    if out is not None and (out.is_dir() or not out.parent.is_dir()):
        print(f"kaidan: --out {shown(args.out)} is a folder or its folder does not exist: give a file name",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        if (src / "events.parquet").exists():
            corpus = Corpus.from_folder(src)
        else:
            from kaidan.run.cache import default_cache_dir

            corpus = load_corpus(src, args.metadata, jobs=None, cache_dir=default_cache_dir(), columns=args.columns)
    except CorpusError as error:
        print(f"kaidan: {shown(error)}", file=sys.stderr)
        return EXIT_USAGE
    records = plover_records(corpus.events, corpus.articles, load_reference(), corpus=src.name)
    if out is None:
        try:
            n = write_plover(records, sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:  # the reader stopped early (| head): not an error; say nothing more
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_OK
    else:
        n = write_plover_file(records, out)
    print(f"kaidan: wrote {n} PLOVER record(s) to {shown(args.out)}", file=sys.stderr)
    return EXIT_OK


class _DropRecords(logging.Filter):
    """Keeps the library's log records off stderr while the CLI prints the same problems itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        return False


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return number


def _check_extract_out(args: argparse.Namespace) -> None:
    """Refuse (DestinationError) an --out that is a file, `/`, unwritable, or is or holds the
    corpus, the metadata, the working folder, the notebooks or the repository."""
    from kaidan.reports import repository_root  # 60 ms to import: only where it is needed

    root = repository_root()
    protected = {"corpus": Path(args.src), "metadata file": Path(args.metadata) if args.metadata else None,
                 "working folder": Path.cwd(), "repository": root,
                 "notebooks": root / "notebooks" if root else None}
    check_extract_out(Path(args.out).expanduser().resolve(), protected)


def _print_problems(summary) -> None:
    """The run's problems, then the files with a warning or an error: of each kind the first
    few, then how many more (a long corpus must not print a line per file)."""
    for line in summarised(summary.problems):
        print(f"kaidan: {shown(line)}", file=sys.stderr)
    flagged = [f"{shown(path)}: {status}: {shown(message)}" for path, status, message in summary.flagged]
    kind = {line: f"{status}: {kind_of(message)}" for line, (_, status, message) in zip(flagged, summary.flagged)}
    for line in summarised(flagged, more="see articles.csv", key=kind.__getitem__):
        print(f"kaidan: {line}", file=sys.stderr)


def _restore_environ(name: str, value: str | None) -> None:
    """Put an environment variable back as it was before the run set it."""
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def _extract(args: argparse.Namespace) -> int:
    from kaidan.extract.read import CorpusError

    try:
        _check_extract_out(args)
    except DestinationError as error:
        print(f"kaidan: {error}", file=sys.stderr)
        return EXIT_USAGE
    cache_dir, switched = None, None
    if args.no_cache:
        from kaidan.reference import cache as reference_cache

        # nor the parsed gazetteers, in this process or its workers: for this run only, since a
        # caller of main (a test, a notebook) goes on after it
        switched = reference_cache.SWITCH, os.environ.get(reference_cache.SWITCH)
        os.environ[reference_cache.SWITCH] = "0"
    else:
        from kaidan.run.cache import ON_EACH_WORKER, default_cache_dir

        # on a cluster, each worker uses its own default cache folder unless told otherwise
        cache_dir = Path(args.cache) if args.cache else ON_EACH_WORKER if args.dask else default_cache_dir()
    quiet_log = _DropRecords()  # the problems are printed below, once, in order
    logging.getLogger("kaidan").addFilter(quiet_log)
    try:
        if args.dask:
            from kaidan.run.dask import extract_on_dask  # 1.9 s to import distributed: only for --dask

            summary = extract_on_dask(args.src, args.out, args.dask, metadata=args.metadata, cache_dir=cache_dir,
                                      progress=not args.quiet, columns=args.columns)
        else:
            from kaidan.run.loop import extract_to_folder

            # What the imports made lives through the run: frozen, the collector stops walking it
            # at each full collection (0.13 s of CPU at 1,000 articles), and forked workers leave
            # its pages shared; thawed after, for a caller that goes on (tests call main).
            gc.freeze()
            try:
                summary = extract_to_folder(args.src, args.out, args.metadata, jobs=args.jobs, cache_dir=cache_dir,
                                            progress=not args.quiet, columns=args.columns)
            finally:
                gc.unfreeze()
    except CorpusError as error:
        print(f"kaidan: {shown(error)}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        logging.getLogger("kaidan").removeFilter(quiet_log)
        if switched is not None:
            _restore_environ(*switched)
    _print_problems(summary)
    if not args.quiet:
        print(f"{summary.files} articles ({summary.ok} ok, {summary.warnings} warnings, "
              f"{summary.errors} errors), {summary.meetings} meetings, {summary.events} events "
              f"-> {shown(args.out)}")
    if args.strict and (summary.flagged or summary.problems):
        return EXIT_FAILED
    return EXIT_OK


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that the run stops its workers and drops its temporary files."""


def _terminate(signum, frame) -> None:
    raise Terminated()


def _stopped(error: KeyboardInterrupt) -> None:
    """Say in one line that the run was stopped, and end now with 130 (143 for SIGTERM), not
    waiting for threads still running notebooks (their kernels end with this process)."""
    terminated = isinstance(error, Terminated)
    print(f"kaidan: {'terminated' if terminated else 'interrupted'}; nothing more was written", file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(EXIT_TERMINATED if terminated else EXIT_INTERRUPTED)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="kaidan: %(message)s")
    parser = _parser()
    args = parser.parse_args(argv)
    unusable = _read_columns(args)
    if unusable is not None:
        return unusable
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return args.run(args)
    except KeyboardInterrupt as error:
        _stopped(error)
    finally:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, previous)
