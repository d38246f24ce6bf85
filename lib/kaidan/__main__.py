"""`python -m kaidan` is the `kaidan` command."""
from kaidan.cli import main

raise SystemExit(main())
