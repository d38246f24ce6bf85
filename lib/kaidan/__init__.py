"""kaidan: Japanese news about diplomatic and security meetings, as event data.

    corpus = kaidan.load_corpus("seeds")
    corpus.meetings        # one row per meeting an article reports
    corpus.events          # the same meeting across articles, merged

The names below are imported on first use, so `import kaidan` stays cheap for the
command line and for notebooks that only need one stage.
"""
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kaidan")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0"

_EXPORTS = {
    "Corpus": "kaidan.run.corpus",
    "load_corpus": "kaidan.run.corpus",
    "read_corpus": "kaidan.extract.read",
    "CorpusError": "kaidan.extract.read",
    "load_reference": "kaidan.reference",
}
__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'kaidan' has no attribute {name!r}")
