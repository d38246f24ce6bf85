"""Reports: what the notebooks import, and the `kaidan report` run that publishes them.

Notebook side
    params      the notebooks' parameters (COMMON, OWN, PARAMETERS), `check_value`,
                `validate_parameters` → `Params`; `repository_root` and `resolve_path`
    notebook    `open_corpus`, and `say`, `table`, `provenance` to show escaped output
    columns     the columns each notebook reads (`READS`, `columns_for`): no others are loaded
    extracted   the tables `kaidan report` extracts once (in a forked child) and every
                notebook reads back: marks, digest, `CheckedTables`

Run side (`run_report`, behind ``kaidan report``)
    run         `run_report` and `ReportRun`: check, lock, extract, run, reuse, publish
    execute     one notebook run with papermill (or refreshed in place) and its `Outcome`
    kernels     kernels forked from the run once it imported what the notebooks import
                (`KernelSeeds`, `ForkedKernelManager`), instead of each importing it again
    export      the executed notebook as HTML (`export_html`, `plotly_div`, the figures in it)
    figures     the main figures as SVG and PNG with kaleido (`StaticFigures`, `find_browser`)
    index       index.html (`write_index`)
    reuse       what a report and a figure depend on (`Job`, `figure_key`) and what the last
                run published (`Previous`)
    lock        one run into a folder at a time (`Lock`, `Busy`)

``python -m kaidan.reports refresh`` re-runs the committed notebooks (`__main__`). Importing
this package loads neither pandas nor plotly: each module imports the heavy libraries in the
functions that need them, with the measured cost in a comment.
"""
from kaidan.constants import EXIT_BUSY, EXIT_FAILED, EXIT_OK, EXIT_USAGE
from kaidan.reports.columns import READS, columns_for
from kaidan.reports.execute import KERNEL, Outcome, notebook_paths, refresh_notebooks
from kaidan.reports.export import PLOTLY_JS, export_html, figures_of, main_figures, plotly_div
from kaidan.reports.extracted import CHECKED, LABELS, CheckedTables, read_folder, tables_digest, vouched_for
from kaidan.reports.figures import StaticFigures, find_browser
from kaidan.reports.index import write_index
from kaidan.reports.lock import Busy, Lock
from kaidan.reports.notebook import open_corpus, provenance, say, table
from kaidan.reports.params import (COMMON, NOTEBOOKS, OWN, PARAMETERS, ParameterError, Params, check_run_parameters,
                                   check_value, repository_root, resolve_path, validate_parameters)
from kaidan.reports.reuse import Job, Previous, figure_key
from kaidan.reports.run import ReportRun, run_report

__all__ = [
    "EXIT_BUSY", "EXIT_FAILED", "EXIT_OK", "EXIT_USAGE",
    "READS", "columns_for",
    "KERNEL", "Outcome", "notebook_paths", "refresh_notebooks",
    "PLOTLY_JS", "export_html", "figures_of", "main_figures", "plotly_div",
    "CHECKED", "LABELS", "CheckedTables", "read_folder", "tables_digest", "vouched_for",
    "StaticFigures", "find_browser",
    "write_index",
    "Busy", "Lock",
    "open_corpus", "provenance", "say", "table",
    "COMMON", "NOTEBOOKS", "OWN", "PARAMETERS", "ParameterError", "Params", "check_run_parameters", "check_value",
    "repository_root", "resolve_path", "validate_parameters",
    "Job", "Previous", "figure_key",
    "ReportRun", "run_report",
]
