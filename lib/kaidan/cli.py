"""The `kaidan` command: extraction to tables, and scheduled report runs.

Exit status: 0 when every file was read or refused with a reason, 1 when a run failed
(or, with --strict, when any file has a warning or error), 2 for a usage error such
as a missing folder.
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

EPILOG = """exit status:
  0  every file was read, or refused with a reason recorded in articles.csv
  1  the run failed (or, with --strict, some file has a warning or an error)
  2  usage error: a bad option, a missing folder or metadata file
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
        description="Read every *.txt and *.md under SRC and write articles, sentences, mentions, "
                    "meetings and events as CSV (list cells joined with ';') and Parquet into DIR.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    extract.add_argument("src", metavar="SRC", help="folder of article text files")
    extract.add_argument("--metadata", metavar="CSV", help="file,url,published,outlet[,title] overrides")
    extract.add_argument("--out", metavar="DIR", required=True, help="folder for the tables")
    extract.add_argument("--strict", action="store_true", help="exit 1 when any file has a warning or error")
    extract.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    extract.set_defaults(run=_extract)
    return parser


def _extract(args: argparse.Namespace) -> int:
    from kaidan.read import CorpusError
    from kaidan.tables import load_corpus

    try:
        corpus = load_corpus(args.src, args.metadata)
    except CorpusError as error:
        print(f"kaidan: {error}", file=sys.stderr)
        return EXIT_USAGE
    corpus.save(args.out)
    for problem in corpus.problems:
        print(f"kaidan: {problem}", file=sys.stderr)
    flagged = corpus.articles[corpus.articles["status"] != "ok"]
    for row in flagged.itertuples():
        print(f"kaidan: {row.path}: {row.status}: {row.message}", file=sys.stderr)
    if not args.quiet:
        summary = corpus.summary()
        print(f"{summary['files']} files ({summary['ok']} ok, {summary['warnings']} warnings, "
              f"{summary['errors']} errors), {summary['meetings']} meetings, {summary['events']} events "
              f"-> {args.out}")
    if args.strict and len(flagged):
        return EXIT_FAILED
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="kaidan: %(message)s")
    parser = _parser()
    args = parser.parse_args(argv)
    return args.run(args)
