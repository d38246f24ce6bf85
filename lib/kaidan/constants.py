"""The names and codes several of kaidan's parts must agree on, each written once.

Kept apart from `kaidan.schemas` because this module imports nothing: the command line and
the `kaidan report` process check parameters and name exit statuses without loading pandas
and pyarrow, which `schemas` needs (about 300 ms).
"""

# The tables kaidan writes, in the order of their files and of `kaidan.schemas.TABLES`.
TABLE_NAMES = ("articles", "sentences", "mentions", "meetings", "events")

# What an analysis may count by: a period (with its pandas frequency), a co-occurrence unit,
# a co-occurrence measure. The notebooks' parameters are checked against the same names.
PERIODS = {"year": "Y", "quarter": "Q", "month": "M"}
UNITS = ("article", "paragraph", "sentence")
MEASURES = ("lift", "pmi", "jaccard")
# What the meetings network joins: countries, or the people who met.
NODES = ("countries", "people")

# The MIME type of a plotly figure in a notebook's outputs: charts write it, reports read it.
PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"

# Exit statuses of the `kaidan` command (cli.py's epilogs say what each means to a user).
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_BUSY = 75  # another `kaidan report` into the same folder is going (EX_TEMPFAIL)
# Stopped by Ctrl-C (SIGINT) or SIGTERM: the shell's 128 + the signal's number.
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143
