# scorelab: `make lab` to open the notebooks, `make test` to check everything.
SHELL := /bin/bash
VENV ?= .venv
PYTHON ?= python3
EVCXR_VERSION := 0.22.0
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: setup evcxr lab test notebooks rust-checks tool-checks notebook-checks figures \
	browser-setup browser-checks

## Installs what is missing: the Python venv (pinned JupyterLab, nbclient), evcxr_jupyter, and
## the Rust kernel registered inside the venv. Idempotent; a second run takes seconds.
setup: $(VENV)/.installed evcxr
	@$(VENV)/bin/python tools/install_kernel.py

$(VENV)/.installed: requirements.lock.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock.txt
	@touch $@

evcxr:
	@cargo install --list | grep -q '^evcxr_jupyter v$(EVCXR_VERSION):' || { \
	  echo "Installing evcxr_jupyter $(EVCXR_VERSION): about 16 minutes on 2 cores, once per machine"; \
	  cargo install evcxr_jupyter --version $(EVCXR_VERSION) --locked; }

## Starts JupyterLab on 127.0.0.1 with the notebooks.
lab: setup
	$(VENV)/bin/jupyter lab --no-browser --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=$(CURDIR) \
	  --LabApp.default_url=/lab/tree/notebooks/README.md

## fmt, clippy, cargo tests, every notebook run by the real Rust kernel, then the notebooks
## opened and run in JupyterLab in a headless browser.
test: setup rust-checks tool-checks notebook-checks browser-checks

rust-checks:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo test --workspace

tool-checks: $(VENV)/.installed
	$(VENV)/bin/python -m unittest discover -s tools -p "test_*.py"

notebook-checks: setup
	$(VENV)/bin/python tools/run_notebooks.py

## The browser test's own set-up: Debian's Chromium (when missing) and Playwright for Python,
## pinned, driving that Chromium (Playwright never downloads a browser here).
CHROMIUM := /usr/bin/chromium
BROWSER_REQUIREMENTS := tests/browser/requirements.lock.txt
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

browser-setup: $(CHROMIUM) $(VENV)/.browser-installed

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

$(VENV)/.browser-installed: $(VENV)/.installed $(BROWSER_REQUIREMENTS)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r $(BROWSER_REQUIREMENTS)
	@touch $@

browser-checks: setup browser-setup
	$(VENV)/bin/python tests/browser/test_jupyterlab.py

## Re-executes every notebook in place, refreshing the committed outputs.
notebooks: setup
	$(VENV)/bin/python tools/run_notebooks.py --inplace $(wildcard notebooks/*.ipynb experiment/*.ipynb)

## Writes the port's figures as PNG files to target/figures.
figures:
	cargo run --release --example port_figures -- target/figures
