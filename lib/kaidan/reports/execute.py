"""Running a notebook: with papermill for a report (then exported to HTML), or in place with
nbclient to refresh the committed notebooks that `make test` compares against."""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from kaidan.reports.export import export_html, main_figures, notebook_title
from kaidan.reports.params import repository_root

# papermill (about 1 s to import, with nbformat), nbclient and jupyter_client are imported in
# the functions that use them: `kaidan extract` imports this package and never needs them.

KERNEL = "kaidan"


def notebook_paths(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))


@dataclass
class Outcome:
    """How one notebook of a run went: run now, or its previous report reused."""

    name: str
    ok: bool
    seconds: float
    message: str = ""
    html: str | None = None
    notebook: str | None = None
    figures: list = field(default_factory=list)
    key: str | None = None
    title: str | None = None
    reused: str | None = None  # when the reused report ran


def kernel_name(log) -> str | None:
    """The `kaidan` kernel when installed; else None (papermill then uses the notebook's own)."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

        try:
            KernelSpecManager().get_kernel_spec(KERNEL)
            return KERNEL
        except NoSuchKernel:
            log(f"kernel {KERNEL!r} is not installed (make setup installs it); using python3 from {sys.executable}")
            return "python3"
    except ImportError:  # pragma: no cover
        return None


def import_papermill() -> None:
    """Import papermill once, here, rather than in every notebook's thread.

    nbformat validates with jsonschema, which on import probes for rfc3987_syntax and, when
    it is installed, builds a grammar for the "iri" string formats: over a second, and no
    notebook schema uses those formats. Marking the module absent skips only that probe.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    import papermill  # noqa: F401


def run_notebook(path: Path, staging: Path, parameters: dict, kernel: str | None, cwd: Path,
                 manager: type | None = None, on_cell=None) -> Outcome:
    """Run one notebook into `staging`/notebooks and export its page to `staging`; a notebook
    that fails is moved to `staging`/failed and its Outcome says why. `manager`: the kernel
    manager class to start its kernel with (`kaidan.reports.kernels`), else jupyter_client's;
    `on_cell(cell=...)` is called as each cell finishes, its outputs complete."""
    import nbformat
    import papermill

    name = path.stem
    started = time.monotonic()
    executed = staging / "notebooks" / path.name
    executed.parent.mkdir(parents=True, exist_ok=True)
    try:
        # the kernel's own log (TCP notice, shutdown) is noise here; errors reach the notebook.
        # Once the last cell has run the kernel holds nothing the report needs, so it is stopped
        # at once rather than given time for a graceful exit (1 to 2.5 s of tearing down pandas
        # and plotly per kernel, on cores the other notebooks and Chrome still need).
        papermill.execute_notebook(str(path), str(executed), parameters=parameters, kernel_name=kernel,
                                   cwd=str(cwd), progress_bar=False, log_output=False,
                                   request_save_on_cell_execute=False, execution_timeout=1800,
                                   extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
                                   shutdown_kernel="immediate",
                                   **({"kernel_manager_class": manager} if manager is not None else {}),
                                   **({"on_cell_executed": on_cell} if on_cell is not None else {}))
    except Exception as error:  # noqa: BLE001 any failure: keep the notebook, report the reason
        failed = staging / "failed" / path.name
        failed.parent.mkdir(parents=True, exist_ok=True)
        if executed.exists():
            executed.replace(failed)
        message = f"{type(error).__name__}: {getattr(error, 'evalue', None) or error}"
        return Outcome(name, False, time.monotonic() - started, message.splitlines()[0][:500],
                       notebook=str(failed.relative_to(staging)) if failed.exists() else None)
    nb = nbformat.read(executed, as_version=4)
    title = notebook_title(nb, name)
    page = export_html(nb, name, title)
    (staging / f"{name}.html").write_text(page, encoding="utf-8")
    return Outcome(name, True, time.monotonic() - started, html=f"{name}.html",
                   notebook=str(executed.relative_to(staging)), figures=main_figures(nb), title=title)


def refresh_notebooks(folder: str | Path | None = None, kernel: str = KERNEL) -> list[Path]:
    """Re-run the committed notebooks in place on their defaults (seeds/), keeping the outputs
    `make test` compares against (nbval). No papermill metadata, no timings, so a re-run on an
    unchanged corpus changes nothing but the provenance timestamp."""
    import nbformat
    from nbclient import NotebookClient

    root = repository_root()
    folder = Path(folder) if folder else (root / "notebooks" if root else Path("notebooks"))
    written = []
    for path in notebook_paths(folder):
        nb = nbformat.read(path, as_version=4)
        nb.metadata.pop("papermill", None)
        for cell in nb.cells:
            cell.metadata.pop("papermill", None)
            cell.metadata.pop("execution", None)
        NotebookClient(nb, kernel_name=kernel, timeout=1800, record_timing=False,
                       resources={"metadata": {"path": str(folder)}},
                       extra_arguments=["--IPKernelApp.log_level=CRITICAL"]).execute()
        nbformat.write(nb, path)
        written.append(path)
    return written
