"""Where kaidan keeps what it can compute again (per-file extraction results, the parsed
gazetteers): one rule, below every layer that caches."""
from __future__ import annotations

import os
from pathlib import Path


def default_cache_dir() -> Path:
    """$KAIDAN_CACHE_DIR, else $XDG_CACHE_HOME/kaidan, else ~/.cache/kaidan."""
    if os.environ.get("KAIDAN_CACHE_DIR"):
        return Path(os.environ["KAIDAN_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "kaidan"
