"""Where kaidan may write, and publishing a report folder without destroying what kaidan did not write.

Every report folder `kaidan report` publishes carries a marker, `.kaidan-report`: JSON
naming the run and listing every file kaidan wrote into it. Publishing swaps the new
folder in for the old one in one step, and only when the old one is kaidan's: it has the
marker (or it is a report folder from a kaidan before the marker, with kaidan's
summary.json). Files in it that the marker does not list (a README or an .htaccess a
colleague added) are carried into the new folder, never deleted. A folder that is not
kaidan's and not empty is refused before any work starts, unless the user typed
--replace. `--out` may never be, or contain, the corpus, the metadata file, the working
folder, the notebooks or the repository; and it is checked (a file, `/`, a place that
cannot be written) before anything is extracted. A mount point cannot be swapped, so a
report for one is published into a folder inside it, `kaidan-report/`.
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Callable

from kaidan.messages import shown

MARKER = ".kaidan-report"
MOUNT_FOLDER = "kaidan-report"
# A file of the user's at a path the new report also uses is kept under its name plus this.
KEPT_SUFFIX = ".not-kaidan"
# A report folder from before the marker: kaidan's files are those under these names.
LEGACY_NAMES = frozenset({"index.html", "summary.json", "plotly.min.js", "tables", "reports", "notebooks",
                          "figures", "failed"})


class DestinationError(Exception):
    """An --out that kaidan will not write to (the CLI exits 2, before any work)."""


# --- checking a destination -------------------------------------------------------------------

def report_folder(out: str | Path) -> tuple[Path, str | None]:
    """The folder a report for --out is published as, and a note when that is not --out
    itself: a mount point cannot be replaced in one step, so its report goes inside it."""
    path = Path(out).expanduser().resolve()
    _not_root(path)
    if path.is_dir() and os.path.ismount(path):
        folder = path / MOUNT_FOLDER
        return folder, (f"{shown(path)} is a mount point, which cannot be replaced in one step; "
                        f"publishing into {shown(folder)}")
    return path, None


def check_report_out(out: Path, protected: dict[str, Path | None], replace: bool = False) -> None:
    """Refuse (DestinationError) an --out for `kaidan report` that is a file, protected, not
    writable, or a folder with things in it that kaidan did not publish (unless `replace`)."""
    _check_place(out, protected)
    _check_writable(out.parent)
    if out.is_dir():
        _check_writable(out)
        if not replace and any(out.iterdir()) and owned_files(out) is None:
            raise DestinationError(
                f"--out {shown(out)} is not empty and is not a report folder kaidan published (it has no "
                f"{MARKER} file), so nothing was done: give another --out, or add --replace to publish into it "
                f"(the files there are kept; one at a path kaidan writes is kept as NAME{KEPT_SUFFIX})")


def check_extract_out(out: Path, protected: dict[str, Path | None]) -> None:
    """Refuse (DestinationError) an --out for `kaidan extract` that is `/`, a file, protected or
    not writable."""
    _not_root(out)
    _check_place(out, protected)
    _check_writable(out)


def _not_root(path: Path) -> None:
    if path == Path(path.anchor):
        raise DestinationError(f"--out {shown(path)} is the root of the file system; give a folder for kaidan's files")


def _check_place(out: Path, protected: dict[str, Path | None]) -> None:
    if out.exists() and not out.is_dir():
        raise DestinationError(f"--out {shown(out)} is a file, not a folder; give a folder")
    for what, place in protected.items():
        if place is None:
            continue
        place = Path(place).resolve()
        if place == out or place.is_relative_to(out):
            relation = "is" if place == out else "contains"
            raise DestinationError(f"--out {shown(out)} {relation} the {what} ({shown(place)}); kaidan writes its "
                                   "output only into a folder of its own: give another --out")


def _check_writable(folder: Path) -> None:
    """`folder`, or the nearest folder above it that exists, takes a new folder."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise DestinationError(f"cannot make {shown(folder)}: {shown(existing)} is a file")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".kaidan-probe-", dir=existing))
    except OSError as error:
        reason = "read-only file system" if error.errno == errno.EROFS else (error.strerror or str(error)).lower()
        raise DestinationError(f"cannot write in {shown(existing)} ({reason}); give an --out kaidan can write to") \
            from None


# --- whose files ------------------------------------------------------------------------------

def _files(folder: Path) -> list[str]:
    """Every file, link and empty folder under `folder`, as relative POSIX paths (links not followed)."""
    found = []
    for root, dirs, files in os.walk(folder):
        here = Path(root).relative_to(folder)
        for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            found.append((here / name).as_posix())
        if not dirs and not files and here != Path("."):
            found.append(here.as_posix() + "/")
    return sorted(found)


def owned_files(folder: Path) -> set[str] | None:
    """The relative paths of kaidan's files in a folder it published; None when it is not one."""
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        return set(marker["files"]) | {MARKER}
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError):  # a marker kaidan cannot read: kaidan's, as before it
        return _legacy(folder)
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(summary, dict) and {"reports", "tables", "inputs"} <= set(summary):
        return _legacy(folder)
    return None


def _legacy(folder: Path) -> set[str]:
    return {rel for rel in _files(folder) if rel.split("/", 1)[0] in LEGACY_NAMES} | {MARKER}


def write_marker(folder: Path, version: str) -> str:
    """Mark a folder about to be published as kaidan's, listing the files in it now; returns the run id."""
    run = uuid.uuid4().hex[:16]
    files = _files(folder)
    marker = {"kaidan": "report", "version": version, "run": run, "files": files + [MARKER]}
    (folder / MARKER).write_text(json.dumps(marker, ensure_ascii=False, indent=1), encoding="utf-8")
    return run


# --- publishing -------------------------------------------------------------------------------

def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if sys.platform != "linux":
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _swap(staging: Path, out: Path) -> Path:
    """Put `staging` at `out` in one step; returns where the old folder is now."""
    if _exchange(staging, out):
        return staging
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    os.rename(out, old)
    os.rename(staging, out)
    return old


def _keep(source: Path, target: Path, move: bool) -> None:
    """Put a file, link or empty folder of the user's at `target`: moved, or hard-linked (else copied)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if move:
        os.rename(source, target)
    elif source.is_symlink():
        os.symlink(os.readlink(source), target)
    elif source.is_dir():
        target.mkdir()
    else:
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)


def carry_over(old: Path, new: Path, skip: set[str], move: bool = False) -> tuple[dict[str, str], list[str]]:
    """Put every file of `old` but those in `skip` (kaidan's) into `new` at the same path (or,
    where the new report has that path, at path + KEPT_SUFFIX); returns ({path: where it is
    kept}, the paths that could not be kept)."""
    kept, failed = {}, []
    for rel in _files(old):
        if rel in skip:
            continue
        target = new / rel
        if target.exists() or target.is_symlink():
            target = new / (rel.rstrip("/") + KEPT_SUFFIX)
        try:
            if target.exists() or target.is_symlink():
                raise FileExistsError(rel)
            _keep(old / rel, target, move)
            kept[rel] = target.relative_to(new).as_posix()
        except OSError:
            failed.append(rel)
    return kept, failed


def publish(staging: Path, out: Path, version: str = "", replace: bool = False,
            log: Callable[[str], None] = lambda message: None) -> None:
    """Make `staging` the folder at `out` in one step, keeping every file of the old folder that
    kaidan did not write, then remove the old one. A non-empty `out` that is not kaidan's is
    refused (DestinationError) unless `replace`."""
    write_marker(staging, version)
    if not out.exists():
        os.rename(staging, out)
        return
    owned = owned_files(out)
    if owned is None:
        if any(out.iterdir()) and not replace:
            raise DestinationError(f"{shown(out)} is not a report folder kaidan published; not replaced")
        owned = set()
    kept, failed = carry_over(out, staging, owned)
    old = _swap(staging, out)
    more, failed_after = carry_over(old, out, owned | set(kept) | set(failed), move=True)  # added meanwhile
    kept.update(more)
    failed += failed_after
    if kept:
        names = sorted(kept.values())
        log(f"kept {len(names)} file(s) in {shown(out)} that kaidan did not write: "
            f"{', '.join(shown(n) for n in names[:5])}{' ...' if len(names) > 5 else ''}")
    if failed:
        keep = out.with_name(f"{out.name}.kept-{uuid.uuid4().hex[:8]}")
        os.rename(old, keep)
        log(f"could not carry {len(failed)} file(s) that kaidan did not write ({shown(failed[0])} ...) into the "
            f"new {shown(out)}; the previous folder is kept whole as {shown(keep)}")
        return
    shutil.rmtree(old, ignore_errors=True)
