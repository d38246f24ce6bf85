"""Tools for kaidan's developers, not part of what analysts import.

- `kaidan.dev.bench`      the speed and memory benchmark (`make bench`, `python -m kaidan.dev.bench`)
- `kaidan.dev.synthetic`  synthetic corpora of any size built from the seeds, for the benchmark and tests
"""
