# kaidan: two commands do everything on a fresh machine.
#   make report   set up, run every notebook on seeds/, write reports/ and figures/
#   make test     set up, run every test (unit, notebooks with nbval, browser)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
# The stamp is newer than pyproject.toml once the environment matches it,
# so `make setup` re-installs only when the dependencies changed.
STAMP  := $(VENV)/.kaidan-installed

.PHONY: setup browser test report lab bench clean help

help:
	@echo "make report  - set up, run all notebooks on seeds/, write reports/ and figures/"
	@echo "make test    - set up, run every test"
	@echo "make lab     - open JupyterLab with the 'Python (kaidan)' kernel"
	@echo "make bench   - speed and memory benchmark, written to bench/results.md"

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name kaidan --display-name "Python (kaidan)" >/dev/null
	@touch $(STAMP)

# Headless Chromium runs the browser tests and kaleido's static figures; the CJK fonts
# draw the Japanese labels. Installed from Debian when missing and we may (root or sudo);
# otherwise those tests skip and say why.
CHROMIUM := /usr/bin/chromium
# how to run apt-get: as root already, or with sudo that needs no password; empty when neither
AS_ROOT = $(shell [ "$$(id -u)" = 0 ] && echo env || { sudo -n true 2>/dev/null && echo "sudo -n env"; })
browser:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ -n "$(AS_ROOT)" ]; then \
	  echo "installing Chromium and CJK fonts from Debian for the browser tests"; \
	  $(AS_ROOT) DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(AS_ROOT) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else \
	  echo "note: no $(CHROMIUM) and no way to install it here: the browser tests will skip"; \
	fi

test: setup browser
	$(BIN)/python -m pytest tests notebooks --nbval --nbval-sanitize-with notebooks/nbval_sanitize.cfg

report: setup browser
	$(BIN)/kaidan report --corpus seeds --out reports
	@mkdir -p figures && cp reports/figures/*.svg reports/figures/*.png figures/ 2>/dev/null || true

lab: setup
	$(BIN)/jupyter lab notebooks

bench: setup
	$(BIN)/python -m kaidan.dev.bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) reports .pytest_cache .hypothesis
