# scorelab: `make lab` to open the notebooks, `make test` to check everything.
SHELL := /bin/bash
VENV ?= .venv
PYTHON ?= python3
EVCXR_VERSION := 0.22.0
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: setup evcxr lab test notebooks rust-checks tool-checks notebook-checks figures bench-cells

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

## fmt, clippy, cargo tests, then every notebook run by the real Rust kernel.
test: setup rust-checks tool-checks notebook-checks

rust-checks:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo test --workspace

tool-checks: $(VENV)/.installed
	$(VENV)/bin/python -m unittest discover -s tools -p "test_*.py"

notebook-checks: setup
	$(VENV)/bin/python tools/run_notebooks.py

## Re-executes every notebook in place, refreshing the committed outputs.
notebooks: setup
	$(VENV)/bin/python tools/run_notebooks.py --inplace $(wildcard notebooks/*.ipynb experiment/*.ipynb)

## Writes the port's figures as PNG files to target/figures.
figures:
	cargo run --release --example port_figures -- target/figures

## Times every figure cell of the port, re-run warm, in the Rust kernel and in an equivalent
## numpy + matplotlib notebook, and kernel start to first figure; writes
## experiment/bench/results.md. Its Python packages live in their own venv.
BENCH_VENV := experiment/bench/.venv

$(BENCH_VENV)/.installed: experiment/bench/requirements.lock.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --disable-pip-version-check -r experiment/bench/requirements.lock.txt
	@touch $@

bench-cells: setup $(BENCH_VENV)/.installed
	env -u JUPYTER_PATH $(BENCH_VENV)/bin/python experiment/bench/cell_latency.py \
	  --rust-kernels $(VENV)/share/jupyter/kernels --output experiment/bench/results.md
