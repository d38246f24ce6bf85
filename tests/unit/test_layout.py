"""kaidan's imports run one way: cli → reports → analysis/charts → run → extract → reference/schemas.

The graph is read from the source with `ast` (every import statement, at the top of a module
or inside a function), so a cycle hidden in a function is found as well as one at the top.
Every module must have a layer in `LAYERS`: a new module says where it belongs.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import kaidan
from kaidan.run import cache

PACKAGE = Path(kaidan.__file__).resolve().parent

BASE, EXTRACT, RUN, ANALYSIS, REPORTS, CLI = range(6)
TOOLS = 99  # developers' tools: may import anything, and nothing in the library imports them
LAYER_NAMES = {BASE: "reference/schemas", EXTRACT: "extract", RUN: "run", ANALYSIS: "analysis/charts",
               REPORTS: "reports", CLI: "cli", TOOLS: "tools"}

# The first part of the module's name under kaidan → its layer.
LAYERS = {
    "": BASE,             # kaidan/__init__.py: the version, and names it imports on first use
    "schemas": BASE,
    "reference": BASE,
    "text": BASE,         # Unicode normalisation the gazetteers' loader uses too, so below extract
    "messages": BASE,     # how names and repeated problems are shown; imports nothing of kaidan
    "cachedir": BASE,     # where caches live: the run's per-file results and the parsed gazetteers
    "constants": BASE,    # table names, choices, exit statuses: imports nothing, so the cli stays light
    "extract": EXTRACT,   # read, sentences, mentions, dates, meetings, events
    "run": RUN,           # corpus (Corpus), loop, work, executors, dask, writer, cache
    "processes": RUN,     # worker processes that die with their parent
    "analysis": ANALYSIS,
    "charts": ANALYSIS,
    "meeting_charts": ANALYSIS,  # the explorer's map and network (charts.py would pass 600 lines)
    "event_table": ANALYSIS,   # the explorer's interactive table (itables)
    "export": ANALYSIS,        # events in other event-data formats (PLOVER); kaidan export
    "assets": BASE,            # the base map and DataTables scripts the reports share; imports nothing of kaidan
    "reports": REPORTS,
    "publish": REPORTS,   # where a report may go, and replacing only what kaidan made
    "cli": CLI,
    "__main__": CLI,
    "dev": TOOLS,
}


def module_name(path: Path, root: Path) -> str:
    """kaidan.x.y for root/x/y.py, kaidan.x for root/x/__init__.py."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([root.name, *parts])


def imported(module: str, is_package: bool, tree: ast.AST, modules: set[str]) -> set[str]:
    """The package's own modules this module imports, anywhere in its body."""
    package = module if is_package else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from kaidan import schemas` imports a module; `from kaidan import __version__` the package
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:  # import kaidan.analysis.periods.Span → the module
                target = target.rpartition(".")[0]
            if target and target != module:
                found.add(target)
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    """module → the modules of the same package it imports."""
    paths = {module_name(p, root): p for p in sorted(root.rglob("*.py")) if "__pycache__" not in p.parts}
    modules = set(paths)
    return {name: imported(name, path.name == "__init__.py", ast.parse(path.read_text(encoding="utf-8")), modules)
            for name, path in paths.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import cycle once, as the modules around it (depth-first search, colouring nodes)."""
    found, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def layer(module: str) -> int | None:
    first = module.split(".")[1] if "." in module else ""
    return LAYERS.get(first)


def against_the_flow(graph: dict[str, set[str]]) -> list[str]:
    """Imports from a lower layer up to a higher one, and any import of a tool by the library."""
    wrong = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            here, there = layer(module), layer(target)
            if here == TOOLS:
                continue
            if there == TOOLS or there > here:
                wrong.append(f"{module} ({LAYER_NAMES[here]}) imports {target} ({LAYER_NAMES[there]})")
    return wrong


GRAPH = import_graph(PACKAGE)


def test_every_module_has_a_layer():
    assert [m for m in GRAPH if layer(m) is None] == [], "add the new module to LAYERS in tests/unit/test_layout.py"


def test_no_module_imports_one_that_imports_it_back():
    assert cycles(GRAPH) == []


def test_imports_run_one_way():
    assert against_the_flow(GRAPH) == []


def test_the_graph_sees_imports_inside_functions_and_from_the_package():
    # what the layout rests on, read from today's code: if these were missed, the tests above would pass vacuously
    assert "kaidan.analysis" in GRAPH["kaidan.charts"]
    assert "kaidan.extract" in GRAPH["kaidan.run.work"]           # from kaidan import extract, schemas
    assert "kaidan.schemas" in GRAPH["kaidan.run.work"]
    assert "kaidan.run.loop" in GRAPH["kaidan.run.corpus"]        # from kaidan.run.loop import ...
    assert "kaidan.analysis.scoping" in GRAPH["kaidan.analysis.frequency"]


# --- the checker itself, on small packages written here ---------------------------------

def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "kaidan"
    for rel, text in {"__init__.py": "", **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@pytest.mark.parametrize("files, expected", [
    ({"extract/__init__.py": "", "extract/read.py": "from kaidan.extract import events\n",
      "extract/events.py": "def f():\n    import kaidan.extract.read\n"},
     [["kaidan.extract.events", "kaidan.extract.read", "kaidan.extract.events"]]),
    ({"analysis/__init__.py": "from kaidan.analysis.a import x\n",
      "analysis/a.py": "from kaidan.analysis import y\n"},
     [["kaidan.analysis", "kaidan.analysis.a", "kaidan.analysis"]]),
    ({"analysis/__init__.py": "from .a import x\n", "analysis/a.py": "from . import b\n", "analysis/b.py": ""}, []),
    ({"extract/__init__.py": "", "extract/read.py": "from kaidan import schemas\n", "schemas.py": "import pandas\n"}, []),
])
def test_cycles_are_found_wherever_the_import_is(tmp_path, files, expected):
    assert cycles(import_graph(_package(tmp_path, files))) == expected


@pytest.mark.parametrize("files, expected", [
    ({"schemas.py": "def f():\n    from kaidan.run.corpus import Corpus\n", "run/__init__.py": "", "run/corpus.py": ""},
     ["kaidan.schemas (reference/schemas) imports kaidan.run.corpus (run)"]),
    ({"extract/__init__.py": "", "extract/read.py": "from kaidan.analysis.periods import Span\n",
      "analysis/__init__.py": "", "analysis/periods.py": ""},
     ["kaidan.extract.read (extract) imports kaidan.analysis.periods (analysis/charts)"]),
    ({"run/__init__.py": "", "run/loop.py": "from kaidan.dev import bench\n", "dev/__init__.py": "",
      "dev/bench.py": ""},
     ["kaidan.run.loop (run) imports kaidan.dev.bench (tools)"]),
    ({"dev/bench.py": "import kaidan.cli\n", "dev/__init__.py": "", "cli.py": "from kaidan import reports\n",
      "reports.py": "from kaidan.run.corpus import load_corpus\n", "run/__init__.py": "",
      "run/corpus.py": "from kaidan.extract import read\n", "extract/__init__.py": "",
      "extract/read.py": "from kaidan import schemas, text\n", "schemas.py": "", "text.py": ""}, []),
])
def test_imports_against_the_flow_are_named(tmp_path, files, expected):
    assert against_the_flow(import_graph(_package(tmp_path, files))) == expected


# --- the cache counts the extraction code, and only that ------------------------------

@pytest.mark.parametrize("rel, counted", [
    ("extract/read/files.py", True), ("extract/meetings/draft.py", True), ("extract/__init__.py", True),
    ("reference/__init__.py", True), ("run/work.py", True), ("run/loop.py", True), ("run/executors.py", True),
    ("run/corpus.py", True), ("run/writer.py", True), ("run/dask.py", False), ("analysis/prose.py", False),
    ("charts.py", False), ("reports/run.py", False), ("cli.py", False), ("dev/bench.py", False),
    ("export/__init__.py", False), ("event_table.py", False), ("meeting_charts.py", False), ("publish.py", False),
    ("schemas.py", True), ("constants.py", True), ("text.py", True),
])
def test_the_cache_fingerprint_counts_the_extraction_modules_only(monkeypatch, rel, counted):
    """Editing an analysis or a report keeps the cache; editing extraction invalidates it."""
    seen = {}
    monkeypatch.setattr(cache, "hash_sources", lambda digest, suffixes, skip: seen.setdefault("skip", skip))
    cache.code_fingerprint.__wrapped__()
    assert (PACKAGE / rel).is_file()
    assert seen["skip"](PACKAGE / rel) is not counted
