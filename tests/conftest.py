"""Shared fixtures: the seed articles, and small corpora written into tmp_path."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Tests here run whole programs (CLI, reports, Dask, the browser) or score ../shared: marked
# slow, so `pytest -m "not slow"` runs the unit tests alone in about half a minute.
SLOW_FOLDERS = (Path(__file__).resolve().parent / "integration", Path(__file__).resolve().parent / "quality")


def pytest_collection_modifyitems(items):
    for item in items:
        if any(folder in item.path.parents for folder in SLOW_FOLDERS):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The repository's seed articles."""
    return REPO / "seeds"


def _write_corpus(tmp_path: Path, files: dict[str, bytes | str], folder: str = "corpus") -> Path:
    """Write files (relative path -> bytes, or str as UTF-8) under tmp_path/folder; returns the folder."""
    root = tmp_path / folder
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


@pytest.fixture
def make_corpus():
    """make_corpus(tmp_path, {"a.txt": "…", "sub/b.md": b"…"}) -> the corpus folder."""
    return _write_corpus


@pytest.fixture(scope="session")
def reference():
    """The package's gazetteers, loaded once."""
    from kaidan.reference import load_reference

    return load_reference()


@pytest.fixture(scope="session")
def extract(reference):
    """extract(body, published=None) -> {"sentences", "mentions", "meetings"} for one article."""
    from kaidan.extract import extract_article

    def run(body: str, published: str | None = None, article_id: str = "t") -> dict[str, list[dict]]:
        article = {"article_id": article_id, "body": body, "published": published, "status": "ok", "language": "ja"}
        return extract_article(article, reference)

    return run


@pytest.fixture(scope="session")
def dask_cluster():
    """A Dask cluster of two single-threaded workers in this process, shared by the tests of `--dask`."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as c:
        yield c


# --- Hypothesis profiles ------------------------------------------------------------------
# `make test` runs the default profile (each property test asks for its own modest count).
# HYPOTHESIS_PROFILE=fuzz runs every property with thousands of examples, once, by hand:
#   HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest tests/unit/extract/test_properties.py
# and what it finds goes into tests/unit/extract/test_regressions.py as plain tests.
import os  # noqa: E402

from hypothesis import HealthCheck, Phase, settings  # noqa: E402

settings.register_profile("fuzz", max_examples=5000, deadline=None, print_blob=True,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                 HealthCheck.filter_too_much])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def block_network(context) -> list[str]:
    """Let a Playwright browser context load file:// pages only; returns the list that
    collects every other address a page asked for (each one aborted)."""
    left: list[str] = []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            left.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return left
