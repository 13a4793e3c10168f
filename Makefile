# scorelab: `make lab` to open the notebooks, `make test` to check everything.
SHELL := /bin/bash
VENV ?= .venv
PYTHON ?= python3
EVCXR_VERSION := 0.22.0
CARGO_FUZZ_VERSION := 0.13.2
FUZZ_TARGETS := mixture_json mixture_new samplers batch_vs_single learning field_reuse
FUZZ_SECONDS ?= 600
# cargo-fuzz needs unstable compiler flags (sanitizers); the stable toolchain allows them here.
FUZZ := RUSTC_BOOTSTRAP=1 cargo fuzz
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: setup evcxr lab test notebooks rust-checks tool-checks notebook-checks figures doc docs fuzz \
	fuzz-smoke cargo-fuzz browser-setup browser-checks bench bench-cells bench-live kernel-lib kernel-checks gallery

## Installs what is missing: the Python venv (pinned JupyterLab, nbclient), evcxr_jupyter, the
## library the kernel loads, and the Rust kernel registered inside the venv. Idempotent; a second
## run takes seconds.
setup: $(VENV)/.installed evcxr kernel-lib
	@$(VENV)/bin/python tools/install_kernel.py

## scorelab compiled once as a shared library, which the project's kernel links every cell
## against (kernel/start.py). Cargo rebuilds it whenever crate/ changed. -Zshare-generics (allowed
## on stable by RUSTC_BOOTSTRAP) exports the library's generic instances, such as
## `Ula::run_ensemble` on a `GaussianMixture`, so a cell compiled at `:opt 0` calls the optimised
## code instead of compiling its own unoptimised copy (30x slower). The Cargo.lock and the rustc
## it was built with are recorded next to it, for kernel/scorelab/build.rs to compare.
kernel-lib:
	RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Cprefer-dynamic -Zshare-generics=y" CARGO_TARGET_DIR=target/kernel \
	  cargo rustc --quiet --release -p scorelab --lib --crate-type dylib
	cp Cargo.lock target/kernel/release/libscorelab.Cargo.lock
	$${RUSTC:-rustc} -vV > target/kernel/release/libscorelab.rustc

$(VENV)/.installed: requirements.lock.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock.txt
	@touch $@

evcxr:
	@cargo install --list | grep -q '^evcxr_jupyter v$(EVCXR_VERSION):' || { \
	  echo "Installing evcxr_jupyter $(EVCXR_VERSION): about 16 minutes on 2 cores, once per machine"; \
	  cargo install evcxr_jupyter --version $(EVCXR_VERSION) --locked; }

## Starts JupyterLab on 127.0.0.1 with the notebooks (run as root, it passes --allow-root, which
## Jupyter requires then).
lab: setup
	$(VENV)/bin/jupyter lab --no-browser --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=$(CURDIR) \
	  --ServerApp.jpserver_extensions=scorelab_warm=True \
	  --LabApp.default_url=/lab/tree/notebooks/README.md $(if $(filter 0,$(shell id -u)),--allow-root)

## fmt, clippy, cargo tests, every notebook run by the real Rust kernel, then the notebooks
## opened and run in JupyterLab in a headless browser.
test: setup rust-checks tool-checks fuzz-smoke kernel-checks notebook-checks browser-checks

rust-checks: doc
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo test --workspace

## API docs with rendered math; warnings are errors.
doc:
	RUSTDOCFLAGS="--html-in-header $(CURDIR)/crate/katex-header.html -D warnings" cargo doc --no-deps -p scorelab

## The tools' own tests, the docs' links, and the crate's module graph: no import circle between
## files, no arrow from a lower layer back up to a higher one (layers in tools/module_graph.py).
tool-checks: $(VENV)/.installed
	$(VENV)/bin/python -m unittest discover -s tools -p "test_*.py"
	$(VENV)/bin/python tools/check_links.py
	$(VENV)/bin/python tools/module_graph.py crate/src

notebook-checks: setup
	$(VENV)/bin/python tools/run_notebooks.py

## The project's kernel: completion of crate items, refusal of a stale build, two kernels at once,
## the wrapper in front of evcxr and its live figures.
kernel-checks: setup
	$(VENV)/bin/python tests/kernel/test_live.py
	env -u JUPYTER_PATH $(VENV)/bin/python tests/kernel/test_kernel.py

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
	$(VENV)/bin/python tests/browser/test_hidpi.py
	$(VENV)/bin/python tests/browser/test_live.py
	$(VENV)/bin/python tests/browser/test_sweep_player.py

## Re-executes every notebook in place, refreshing the committed outputs.
notebooks: setup
	$(VENV)/bin/python tools/run_notebooks.py --inplace $(wildcard notebooks/*.ipynb experiment/*.ipynb)

## Writes the port's and the series' figures as PNG files to target/figures.
figures:
	cargo run --release --example port_figures -- target/figures
	cargo run --release --example series_figures -- target/figures

## Redraws the chapter's figures in docs/figures.
docs:
	cargo run --release --example port_figures -- docs/figures
	cargo run --release --example series_figures -- docs/figures
	cargo run --release --example learning_figures -- docs/figures

cargo-fuzz:
	@cargo install --list | grep -q '^cargo-fuzz v$(CARGO_FUZZ_VERSION):' || \
	  cargo install cargo-fuzz --version $(CARGO_FUZZ_VERSION) --locked

## Runs every fuzz target for FUZZ_SECONDS (default 600) each; findings go to fuzz/artifacts/.
fuzz: cargo-fuzz
	@for t in $(FUZZ_TARGETS); do \
	  echo "== fuzzing $$t for $(FUZZ_SECONDS) s"; \
	  $(FUZZ) run $$t -- -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 || exit 1; \
	done

## A short run of each fuzz target (part of `make test`).
fuzz-smoke: cargo-fuzz
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=15

## Side-by-side ULA benchmark: numpy, JAX (jit, CPU) and scorelab in one run; writes
## experiment/bench/results.{md,json,png}. Python packages go to their own venv.
## `make bench BASELINE=<commit>` also times that commit's scorelab in the same run, alternating
## with today's: its ula_throughput is built in release from a copy of the commit's tree in
## target/baseline/<commit>/ (kept for the next run), and results gain its column and the ratio
## today / baseline. Baselines build in their own target directory, their sources stamped with
## the time of extraction: cargo names a workspace's artifacts by paths relative to it, so in a
## shared one an older tree could pass for fresh. BENCH_ARGS passes options to bench.py, e.g.
## BENCH_ARGS="--repeats 9".
BENCH_VENV := experiment/bench/.venv
BASELINE ?=
BENCH_ARGS ?=

$(BENCH_VENV)/.installed: experiment/bench/requirements.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --disable-pip-version-check -r experiment/bench/requirements.txt
	@touch $@

bench: $(BENCH_VENV)/.installed
ifneq ($(BASELINE),)
	@set -e; rev=$$(git rev-parse --short=7 '$(BASELINE)^{commit}'); dir=target/baseline/$$rev; \
	if [ ! -x $$dir/ula_throughput ]; then \
	  rm -rf $$dir; mkdir -p $$dir/src; git archive $$rev | tar -x -m -C $$dir/src; \
	  cargo build --release --example ula_throughput --manifest-path $$dir/src/Cargo.toml \
	    --target-dir target/baseline/target; \
	  cp target/baseline/target/release/examples/ula_throughput $$dir/ula_throughput; \
	fi
endif
	cargo build --release --example ula_throughput
	cd experiment/bench && .venv/bin/python bench.py --scorelab ../../target/release/examples/ula_throughput \
	  $(if $(BASELINE),--baseline ../../target/baseline/$$(git rev-parse --short=7 '$(BASELINE)^{commit}')/ula_throughput \
	  --baseline-name $$(git rev-parse --short=7 '$(BASELINE)^{commit}')) $(BENCH_ARGS)

## Times every figure cell of the port, re-run warm, in the Rust kernel and in an equivalent
## numpy + matplotlib notebook, and kernel start to first figure; writes
## experiment/bench/cell_latency.md. Its Python packages live in their own venv.
CELLS_VENV := experiment/bench/.venv-cells

$(CELLS_VENV)/.installed: experiment/bench/cells-requirements.txt
	$(PYTHON) -m venv $(CELLS_VENV)
	$(CELLS_VENV)/bin/pip install --quiet --disable-pip-version-check -r experiment/bench/cells-requirements.txt
	@touch $@

bench-cells: setup $(CELLS_VENV)/.installed
	@$(CELLS_VENV)/bin/python tools/install_kernel.py
	env -u JUPYTER_PATH $(CELLS_VENV)/bin/python experiment/bench/cell_latency.py \
	  --rust-kernels $(CELLS_VENV)/share/jupyter/kernels --output experiment/bench/cell_latency.md

## Live sliders in JupyterLab (headless Chromium): slider input to new image shown, for the
## project's `Live` figures (experiment/bench/live_rust.ipynb) against `ipywidgets.interact` with
## matplotlib (the cells tagged `live` of the Python twin, a kernel from the bench venv), both
## dragged in one run; writes experiment/bench/live_latency.{md,json}. Not part of `make test`.
bench-live: setup browser-setup $(CELLS_VENV)/.installed
	env -u JUPYTER_PATH $(VENV)/bin/python experiment/bench/live_latency.py \
	  --python-kernel $(CELLS_VENV)/bin/python $(BENCH_ARGS) \
	  --output experiment/bench/live_latency.md --json experiment/bench/live_latency.json

## Each figure family drawn by matplotlib beside scorelab's, both at density 2, composed at full
## size into experiment/gallery/ (see its README). The matplotlib side runs in the bench venv: the
## port's figures by the original notebook's method, the others from the numbers scorelab drew.
gallery: $(BENCH_VENV)/.installed
	cargo run --release --example port_figures -- target/gallery/ours 2
	cargo run --release --example gallery_figures -- target/gallery/ours
	$(BENCH_VENV)/bin/python experiment/gallery.py target/gallery/ours experiment/gallery
