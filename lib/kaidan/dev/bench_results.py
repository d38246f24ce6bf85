"""What `make bench` found, and bench/results.md written from it: the measurements' records,
the targets each is judged against, and the Markdown table (nothing here measures or runs)."""
from __future__ import annotations

import datetime as dt
import json
import platform
from dataclasses import dataclass, field
from pathlib import Path

# how much a report's HTML may grow from the smallest corpus to the largest and still be flat
HTML_GROWTH = 0.25

# Issue 14's targets (speed, memory, notebooks, report) and the earlier ones they did not replace;
# each row's label is written from these numbers.
TARGETS = {
    "one_core_chars": 200_000,
    "floor_ratio": 0.5,
    "two_core_speedup": 1.7,
    "report_floor_ratio": 1.3,
    "rerun_floor_ratio": 1.2,
    "full_extract_seconds": 480,
    "full_peak_rss": 1.5 * 1024 ** 3,
    "notebook_seconds": 30,
    "html_bytes": 300_000,
    "long_per_char": 1.5,   # a long document's cost per character against ordinary articles'
    "archive_throughput": 0.8,   # web archives vs the same articles as text files, all cores
    "archive_memory": 1.2,
}


@dataclass
class Run:
    """One command: wall and CPU seconds, peak memory, and what it printed."""

    cmd: list[str]
    wall: float = 0.0
    cpu: float = 0.0
    peak_main: int = 0
    peak_all: int = 0
    code: int = 0
    stdout: str = ""
    stderr: str = ""

    def json(self) -> dict:
        try:
            return json.loads(self.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            return {}


@dataclass
class SizeResult:
    """What one corpus size measured: extraction, the floor, the cache, the notebooks."""

    n: int
    files: int = 0
    chars: int = 0
    megabytes: float = 0.0
    floor: dict = field(default_factory=dict)
    one: Run | None = None
    all: Run | None = None
    jobs: int = 1
    identical: bool = False
    cold: Run | None = None
    warm: Run | None = None
    plus_one: Run | None = None
    plus_one_stats: dict = field(default_factory=dict)
    warm_stats: dict = field(default_factory=dict)
    cache_bytes: int = 0
    notebooks: dict = field(default_factory=dict)
    scale_only: bool = False  # measured at scale alone: all cores and the notebooks
    archives: int = 0            # the same articles packed into this many web archives...
    archive: Run | None = None   # ...and extracted on all cores


@dataclass
class ReportResult:
    """`kaidan report` on the seeds against the papermill floor (available: the command exists)."""

    available: bool
    floor: Run | None = None
    first: Run | None = None
    again: Run | None = None
    html: dict = field(default_factory=dict)
    plotly_bytes: int = 0
    error: str = ""


def machine() -> dict:
    """The machine and the versions the results were measured with."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        import psutil

        memory = f"{psutil.virtual_memory().total / 1024 ** 3:.0f} GiB"
    except ImportError:  # pragma: no cover
        pass
    from kaidan import __version__
    from kaidan.run.cache import code_fingerprint
    from kaidan.run.executors import available_cores

    try:
        import sudachipy

        sudachi = sudachipy.__version__
    except (ImportError, AttributeError):  # pragma: no cover
        sudachi = "?"
    return {"cpu": cpu, "cores": available_cores(), "memory": memory,
            "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "kaidan": code_fingerprint(), "sudachipy": sudachi, "version": __version__}


def _rate(chars: int, seconds: float) -> str:
    return f"{chars / seconds / 1000:,.0f}k" if seconds else "-"


def _mib(value: int) -> str:
    return f"{value / 1024 ** 2:,.0f} MiB"


def _ok(met: bool | None) -> str:
    return "n/a" if met is None else ("met" if met else "**not met**")


def _notebook_targets(lines: list[str], s: SizeResult) -> None:
    t = TARGETS
    for name, got in sorted(s.notebooks.items()):
        if name == "error":
            continue
        if s.scale_only:
            lines.append(f"| {s.n:,}: {name} ≤ {t['notebook_seconds']} s | {got['seconds']:,.1f} s | "
                         f"{got['seconds'] / t['notebook_seconds']:.2f} | "
                         f"{_ok(got['seconds'] <= t['notebook_seconds'])} |")
        lines.append(f"| {s.n:,}: {name} HTML ≤ {t['html_bytes'] // 1000} KB | {got['html_bytes'] / 1000:,.0f} KB | "
                     f"{got['html_bytes'] / t['html_bytes']:.2f} | {_ok(got['html_bytes'] <= t['html_bytes'])} |")


def _scale_targets(lines: list[str], s: SizeResult) -> None:
    """The targets of the largest corpus: wall time and memory of extraction on all cores, notebooks."""
    t = TARGETS
    lines.append(f"| {s.n:,}: extraction on all cores ≤ {t['full_extract_seconds'] / 60:g} min | {s.all.wall / 60:,.1f} min | "
                 f"{s.all.wall / t['full_extract_seconds']:.2f} | {_ok(s.all.wall <= t['full_extract_seconds'])} |")
    lines.append(f"| {s.n:,}: peak RSS ≤ {t['full_peak_rss'] / 1024 ** 3:g} GiB (all processes) | {_mib(s.all.peak_all)} | "
                 f"{s.all.peak_all / t['full_peak_rss']:.2f} | {_ok(s.all.peak_all <= t['full_peak_rss'])} |")
    _notebook_targets(lines, s)


def _long_documents(lines: list[str], long_documents: list[dict]) -> None:
    """The long-document table: each digest against the same articles extracted one by one."""
    lines += ["", "## Long documents", "",
              "A synthetic digest, the 1,000-article corpus's texts joined into one document, extracted as one "
              "article against the same articles extracted one by one, in one process and CPU time (extraction "
              "alone: no start-up, reading or writing). The SudachiPy floor is the bare mode-C pass over the "
              "same articles' text.", "",
              "| document | analysed | articles joined | meetings (digest / one by one) | extraction | per character "
              "| ordinary articles, per character | long / ordinary | ordinary extraction vs the floor |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for d in long_documents:
        per, ordinary = d["seconds"] / d["chars"], d["ordinary_seconds"] / d["ordinary_chars"]
        floor = (d["floor_chars"] / d["floor_seconds"]) if d["floor_seconds"] else 0
        lines.append(f"| {d['size']:,} chars | {d['chars']:,} chars ({d['status']}) | {d['articles']:,} | "
                     f"{d['meetings']:,} / {d['ordinary_meetings']:,} | {d['seconds']:,.2f} s | {per * 1e6:.2f} µs | "
                     f"{ordinary * 1e6:.2f} µs | {per / ordinary:.2f}x | "
                     f"{_rate(d['ordinary_chars'], d['ordinary_seconds'])} vs {_rate(d['floor_chars'], d['floor_seconds'])}"
                     f" chars/s, {d['ordinary_chars'] / d['ordinary_seconds'] / floor if floor else 0:.2f}x |")


def _largest_sample(long_documents: list[dict]) -> dict:
    """The long-document run with the most ordinary articles: the steadiest measure of extraction
    and tokenisation against the floor (the smallest has a few dozen articles, a tenth of a second)."""
    return max(long_documents, key=lambda d: d["ordinary_chars"], default={})


def _budget(lines: list[str], sizes: list[SizeResult], long_documents: list[dict]) -> None:
    """How the one-core whole command compares with the floor, in floors: kaidan's own tokenisation
    (measured beside the floor on the ordinary articles) and everything else, against what the
    floor-ratio target leaves for everything else."""
    d = _largest_sample(long_documents)
    timed = [s for s in sizes if not s.scale_only and s.floor.get("wall") and s.one.wall]
    if not (d.get("tokenise_seconds") and d.get("floor_seconds") and timed):
        return
    tokenise = (d["tokenise_seconds"] / d["ordinary_chars"]) / (d["floor_seconds"] / d["floor_chars"])
    allowed = 1 / TARGETS["floor_ratio"]
    lines += ["", "## One core against the floor", "",
              f"kaidan's own tokenisation of the ordinary articles above (SudachiPy mode A with the part-of-speech "
              f"field, sentence by sentence, and the loop over its tokens), CPU time in the same process as the "
              f"floor: {d['tokenise_seconds']:,.2f} s, {tokenise:.2f}x the bare pass. At {TARGETS['floor_ratio']:g}x "
              f"the pass the whole command may take {allowed:g} floors, so {allowed - tokenise:.2f} floors are left for "
              f"everything else: start-up, reading, dates, meetings, mentions, events and writing.", "",
              "| articles | whole command, 1 core | of which kaidan's tokenisation | everything else | "
              f"everything else at {TARGETS['floor_ratio']:g}x |",
              "|---:|---:|---:|---:|---:|"]
    for s in timed:
        whole = s.one.wall / (s.floor["wall"] * s.chars / s.floor["chars"])
        lines.append(f"| {s.n:,} | {whole:.2f} floors | {tokenise:.2f} | {whole - tokenise:.2f} | "
                     f"{allowed - tokenise:.2f} |")


def _long_targets(lines: list[str], long_documents: list[dict]) -> None:
    """Each long document against ordinary articles; and, from the same in-process run, the ordinary
    articles' extraction alone (no start-up, reading or writing) against the bare SudachiPy pass."""
    d = _largest_sample(long_documents)
    if d.get("floor_seconds"):
        ratio = (d["ordinary_chars"] / d["ordinary_seconds"]) / (d["floor_chars"] / d["floor_seconds"])
        lines.append(f"| extraction alone ≥ {TARGETS['floor_ratio']:g}x the bare SudachiPy pass (one core, "
                     f"{d['ordinary_chars']:,} chars of ordinary articles) | "
                     f"{_rate(d['ordinary_chars'], d['ordinary_seconds'])} vs "
                     f"{_rate(d['floor_chars'], d['floor_seconds'])} chars/s | {ratio:.2f}x | "
                     f"{_ok(ratio >= TARGETS['floor_ratio'])} |")
    for d in long_documents:
        ratio = (d["seconds"] / d["chars"]) / (d["ordinary_seconds"] / d["ordinary_chars"])
        lines.append(f"| a {d['size']:,}-character document analysed whole, ≤ {TARGETS['long_per_char']:g}x the cost per character of "
                     f"ordinary articles | {d['chars']:,} chars, {d['status']} | {ratio:.2f}x | "
                     f"{_ok(d['status'] != 'warning' and ratio <= TARGETS['long_per_char'])} |")


def _archive_targets(lines: list[str], s: SizeResult) -> None:
    """Web archives against text files: throughput and memory on all cores."""
    if s.archive is None:
        return
    t = TARGETS
    speed = s.all.wall / s.archive.wall
    memory = s.archive.peak_all / s.all.peak_all if s.all.peak_all else 0
    lines.append(f"| {s.n:,}: web archives ≥ {t['archive_throughput']:g}x the throughput of text files | {s.archive.wall:,.1f} s vs "
                 f"{s.all.wall:,.1f} s | {speed:.2f}x | {_ok(speed >= t['archive_throughput'])} |")
    lines.append(f"| {s.n:,}: web archives' peak memory ≤ {t['archive_memory']:g}x text files' | {_mib(s.archive.peak_all)} vs "
                 f"{_mib(s.all.peak_all)} | {memory:.2f}x | {_ok(0 < memory <= t['archive_memory'])} |")


def render(machine: dict, sizes: list[SizeResult], report: ReportResult | None, started: dt.datetime,
           load: tuple, args: str, long_documents: list[dict] | None = None) -> str:
    lines = [
        "# kaidan benchmark",
        "",
        f"Written by `python -m kaidan.dev.bench {args}`".rstrip() + f" on {started:%Y-%m-%d %H:%M %Z}.",
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory']}, {machine['os']}; "
        f"Python {machine['python']}, SudachiPy {machine['sudachipy']}, kaidan {machine['kaidan']}. "
        f"Load average {load[0]:.2f} at the start, {load[1]:.2f} at the end: a shared, noisy machine, "
        "so compare the ratios (measured in this one run) rather than absolute times.",
        "",
        "Corpora: synthetic articles recombined from the seeds with other dates, people, places and forums "
        "(`kaidan.dev.synthetic`, seed 0; 1% Shift_JIS, 1% HTML pages, 2% CRLF). Throughput is characters of "
        "article text per second of wall time for the whole command (start-up, reading, extraction, events, "
        "writing CSV and Parquet); CPU is the processes' user+system time.",
        "",
        "## Extraction",
        "",
        "| articles | MB | chars | SudachiPy floor (1 core) | extract, 1 core | CPU | extract, all cores | speed-up "
        "| same bytes | peak RSS main / all processes (1 core) | peak (all cores) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for s in sizes:
        if s.scale_only:
            lines.append(f"| {s.n:,} | {s.megabytes:,.1f} | {s.chars / 1e6:,.1f} M | - | - | - | "
                         f"{s.all.wall:,.1f} s ({s.jobs} jobs), {_rate(s.chars, s.all.wall)} chars/s | - | - | - | "
                         f"{_mib(s.all.peak_main)} / {_mib(s.all.peak_all)} |")
            continue
        floor_rate = _rate(s.floor.get("chars", 0), s.floor.get("wall", 0))
        lines.append(
            f"| {s.n:,} | {s.megabytes:,.1f} | {s.chars / 1e6:,.1f} M | {floor_rate} chars/s | "
            f"{s.one.wall:,.1f} s, {_rate(s.chars, s.one.wall)} chars/s | {s.one.cpu:,.1f} s | "
            f"{s.all.wall:,.1f} s ({s.jobs} jobs), {_rate(s.chars, s.all.wall)} chars/s | "
            f"{s.one.wall / s.all.wall:.2f}x | {'yes' if s.identical else '**no**'} | "
            f"{_mib(s.one.peak_main)} / {_mib(s.one.peak_all)} | {_mib(s.all.peak_main)} / {_mib(s.all.peak_all)} |")
    packed = [s for s in sizes if s.archive is not None]
    if packed:
        lines += ["", "## Web archives", "",
                  "The same articles as response records of .warc.gz archives, extracted on all cores, against "
                  "the text files above (the same characters, so the throughputs compare).", "",
                  "| articles | archives | text files, all cores | web archives, all cores | throughput vs text "
                  "| peak RSS, all processes: text / archives |",
                  "|---:|---:|---:|---:|---:|---:|"]
        for s in packed:
            lines.append(f"| {s.n:,} | {s.archives:,} | {s.all.wall:,.1f} s, {_rate(s.chars, s.all.wall)} chars/s | "
                         f"{s.archive.wall:,.1f} s, {_rate(s.chars, s.archive.wall)} chars/s | "
                         f"{s.all.wall / s.archive.wall:.2f}x | {_mib(s.all.peak_all)} / {_mib(s.archive.peak_all)} |")
    lines += [
        "",
        "## Cache",
        "",
        "| articles | cold run (fills the cache) | re-run, nothing changed | re-run, one new file | files extracted "
        "on that re-run | cache size |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for s in [s for s in sizes if not s.scale_only]:
        extracted = s.plus_one_stats.get("extracted", "?")
        lines.append(f"| {s.n:,} | {s.cold.wall:,.1f} s | {s.warm.wall:,.1f} s | {s.plus_one.wall:,.1f} s | "
                     f"{extracted} of {s.plus_one_stats.get('files', '?')} | {s.cache_bytes / 1e6:,.0f} MB |")
    if any(s.notebooks for s in sizes):
        names = sorted({k for s in sizes for k in s.notebooks if k != "error"})
        lines += ["", "## Notebooks on the extracted tables", "",
                  "Each notebook run alone by papermill with `tables=` the extraction's output; HTML as "
                  "`kaidan report` exports it (beside the one shared plotly.js).", "",
                  "| notebook | " + " | ".join(f"{s.n:,} articles" for s in sizes) + " |",
                  "|---|" + "---:|" * len(sizes)]
        for name in names:
            cells = []
            for s in sizes:
                got = s.notebooks.get(name)
                cells.append(f"{got['seconds']:,.1f} s, {got['html_bytes'] / 1000:,.0f} KB" if got else
                             ("failed" if "error" in s.notebooks else "-"))
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        for s in sizes:
            if "error" in s.notebooks:
                lines.append(f"\n{s.n:,} articles: notebooks failed: {' '.join(s.notebooks['error'])}")

    if long_documents:
        _long_documents(lines, long_documents)
        _budget(lines, sizes, long_documents)

    lines += ["", "## `kaidan report` on the seeds", ""]
    if report is None:
        lines.append("Skipped (`--no-report`).")
    elif not report.available:
        lines.append("not available: this kaidan has no `kaidan report` command yet.")
    else:
        floor = report.floor.wall if report.floor and report.floor.code == 0 else 0
        lines += [
            "| run | wall | vs the papermill floor |",
            "|---|---:|---:|",
            f"| papermill floor: the notebooks with only their imports, run together | {floor:,.1f} s | 1.00x |",
            f"| `kaidan report`, first run (empty cache) | {report.first.wall:,.1f} s | "
            f"{report.first.wall / floor if floor else 0:.2f}x |",
            f"| `kaidan report` again, nothing new | {report.again.wall:,.1f} s | "
            f"{report.again.wall / floor if floor else 0:.2f}x |",
        ]
        if report.error:
            lines.append(f"\nThe report run failed: {report.error}")
        if report.html:
            lines += ["", "HTML reports: " + ", ".join(f"{k} {v / 1000:,.0f} KB" for k, v in report.html.items())
                      + f"; the shared plotly.min.js {report.plotly_bytes / 1e6:,.1f} MB."]

    lines += ["", "## Targets", "", "| target | measured | ratio | |", "|---|---:|---:|---|"]
    t = TARGETS
    for s in sizes:
        if s.scale_only:
            _scale_targets(lines, s)
            continue
        rate = s.chars / s.one.wall
        floor_rate = s.floor["chars"] / s.floor["wall"] if s.floor.get("wall") else 0
        lines.append(f"| {s.n:,}: extraction ≥ {t['one_core_chars'] // 1000}k chars/s on one core | {rate / 1000:,.0f}k chars/s | "
                     f"{rate / t['one_core_chars']:.2f} | {_ok(rate >= t['one_core_chars'])} |")
        lines.append(f"| {s.n:,}: extraction ≥ {t['floor_ratio']:g}x the bare SudachiPy pass (whole command) | {rate / 1000:,.0f}k vs "
                     f"{floor_rate / 1000:,.0f}k chars/s | {rate / floor_rate if floor_rate else 0:.2f}x | "
                     f"{_ok(floor_rate and rate / floor_rate >= t['floor_ratio'])} |")
        if s.jobs == 2:
            speedup = s.one.wall / s.all.wall
            lines.append(f"| {s.n:,}: two cores ≥ {t['two_core_speedup']:g}x one core | {s.all.wall:,.1f} s vs {s.one.wall:,.1f} s | "
                         f"{speedup:.2f}x | {_ok(speedup >= t['two_core_speedup'])} |")
        lines.append(f"| {s.n:,}: re-run with one new file extracts only that file | "
                     f"{s.plus_one_stats.get('extracted', '?')} extracted | | "
                     f"{_ok(s.plus_one_stats.get('extracted') == 1)} |")
        lines.append(f"| {s.n:,}: same bytes with --jobs and the cache | {'yes' if s.identical else 'no'} | | "
                     f"{_ok(s.identical)} |")
        _notebook_targets(lines, s)
        _archive_targets(lines, s)
    with_html = [s for s in sizes if any(k != "error" for k in s.notebooks)]
    if len(with_html) > 1:
        small, large = with_html[0], with_html[-1]
        for name in sorted(k for k in large.notebooks if k != "error" and k in small.notebooks):
            a, b = small.notebooks[name]["html_bytes"], large.notebooks[name]["html_bytes"]
            lines.append(f"| {name} HTML flat as the corpus grows ({small.n:,} → {large.n:,}: within "
                         f"{HTML_GROWTH:.0%}) | {a / 1000:,.0f} → {b / 1000:,.0f} KB | {b / a:.2f} | "
                         f"{_ok(b / a <= 1 + HTML_GROWTH)} |")
    if report and report.available and report.floor and report.floor.code == 0:
        floor = report.floor.wall
        lines.append(f"| `kaidan report` on the seeds ≤ {t['report_floor_ratio']:g}x the papermill floor | {report.first.wall:,.1f} s vs "
                     f"{floor:,.1f} s | {report.first.wall / floor:.2f}x | "
                     f"{_ok(report.first.wall / floor <= t['report_floor_ratio'])} |")
        lines.append(f"| report re-run with nothing new ≤ {t['rerun_floor_ratio']:g}x the floor | {report.again.wall:,.1f} s | "
                     f"{report.again.wall / floor:.2f}x | {_ok(report.again.wall / floor <= t['rerun_floor_ratio'])} |")
        for name, size in report.html.items():
            lines.append(f"| seeds: {name} ≤ {t['html_bytes'] // 1000} KB | {size / 1000:,.0f} KB | {size / t['html_bytes']:.2f} | "
                         f"{_ok(size <= t['html_bytes'])} |")
    elif report is not None and not report.available:
        lines.append("| `kaidan report` targets | not available | | n/a |")
    _long_targets(lines, long_documents or [])
    return "\n".join(lines) + "\n"
