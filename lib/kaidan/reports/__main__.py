"""python -m kaidan.reports refresh [NOTEBOOK_DIR]: re-run the committed notebooks in place."""
import sys

from kaidan.constants import EXIT_USAGE
from kaidan.reports.execute import refresh_notebooks


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "refresh":
        print("usage: python -m kaidan.reports refresh [NOTEBOOK_DIR]", file=sys.stderr)
        return EXIT_USAGE
    for path in refresh_notebooks(argv[1] if len(argv) > 1 else None):
        print(f"refreshed {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
