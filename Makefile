# lecture7: `make lab` to learn, `make test` to check, `make bench` to time. All set up .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
BENCH_INSTALLED := $(VENV)/.bench-installed
CLASSROOM_INSTALLED := $(VENV)/.classroom-installed
BROWSER_INSTALLED := $(VENV)/.browser-installed
CHROMIUM ?= /usr/bin/chromium
LAB_PORT ?= 8888
LAB_ARGS ?=
# the learner's own copy of the learner's edition (learner/): `make lab` fills it and never overwrites what they changed
LEARNER_DIR ?= my-notebooks
PYTEST_ARGS ?=
NOTEBOOKS ?=
COURSE ?= build/classroom
SUBMITTED ?= tests/classroom/submitted
# students graded at the same time, each in a bubblewrap sandbox of their own; UNSAFE=1 grades without one
JOBS ?= $(shell nproc 2>/dev/null || echo 1)
UNSAFE ?=

# Printing a set or dict of strings is only reproducible with a fixed hash seed (nbval compares outputs).
export PYTHONHASHSEED := 0

.PHONY: help install lab learner test test-browser notebooks assignments grade baselines figures torch bench clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "lecture7 needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(INSTALLED)  ## Create or update .venv with the package and its test tools

# tools/jupyter-config: defaults that turn JupyterLab's news off (no "get notified?" prompt over the notebook); a learner's own settings still win
lab: $(INSTALLED)  ## Open JupyterLab on your copy of the learner's edition in LEARNER_DIR=my-notebooks (127.0.0.1, token login)
	$(BIN)/python tools/learner.py sync --into "$(LEARNER_DIR)"
	JUPYTER_CONFIG_PATH="$(CURDIR)/tools/jupyter-config$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" $(BIN)/jupyter lab --notebook-dir="$(LEARNER_DIR)" --LabApp.default_url=/lab/tree/00_index.ipynb --ServerApp.ip=127.0.0.1 --port=$(LAB_PORT) --allow-root $(LAB_ARGS)

# nbgrader, for the classroom version: `make test` checks it, a learner's `make lab` does without it
$(CLASSROOM_INSTALLED): $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[classroom]'
	touch $@

test: $(INSTALLED) $(CLASSROOM_INSTALLED)  ## Run every test: pytest on the package, nbval on the notebooks
	$(BIN)/python -m pytest tests --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks $(PYTEST_ARGS)

$(BROWSER_INSTALLED): $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[browser]'
	touch $@

# Debian's Chromium through Playwright's executable_path: `playwright install` would download a browser.
test-browser: $(BROWSER_INSTALLED)  ## Run the series in JupyterLab in headless Chromium; screenshots in build/browser
	@test -x "$(CHROMIUM)" || { echo "make test-browser needs Chromium at $(CHROMIUM): apt-get install chromium, or set CHROMIUM=/path/to/chromium"; exit 1; }
	CHROMIUM="$(CHROMIUM)" $(BIN)/python -m pytest browser_tests $(PYTEST_ARGS)

notebooks: $(CLASSROOM_INSTALLED)  ## Re-execute every notebook in place (stored outputs), strip volatile metadata, rebuild learner/
	$(BIN)/python tools/run_notebooks.py $(NOTEBOOKS)
	$(BIN)/python tools/learner.py build $(NOTEBOOKS)

learner: $(CLASSROOM_INSTALLED)  ## Rebuild the learner's edition, learner/, from notebooks/ (exercises blank, solutions collapsed)
	$(BIN)/python tools/learner.py build

assignments: $(CLASSROOM_INSTALLED)  ## Release the series to students with nbgrader, into COURSE=build/classroom (release/lecture7/)
	$(BIN)/python tools/classroom.py release --course $(COURSE)

grade: assignments  ## Autograde SUBMITTED=<folder of <student>/lecture7/*.ipynb> (default: the tests' made-up ones), JOBS at a time, sandboxed; scores, feedback in COURSE
	$(BIN)/python tools/classroom.py grade --course $(COURSE) --submitted $(SUBMITTED) --jobs $(JOBS) $(if $(filter 1,$(UNSAFE)),--unsafe)

baselines: $(INSTALLED)  ## Rewrite the baseline PNGs of the figure tests (look at them before committing)
	$(BIN)/python -m pytest tests/test_plots.py --mpl-generate-path=tests/baseline -q

figures: $(BROWSER_INSTALLED)  ## Write the README's pictures to docs/img (needs Chromium: apt-get install chromium)
	$(BIN)/python tools/make_figures.py

torch: $(INSTALLED)  ## Add PyTorch 2.13.0 (CPU) to .venv, for the tests that compare with autograd
	$(BIN)/python -m pip install --quiet torch==2.13.0

$(BENCH_INSTALLED): $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@

# One BLAS thread and one torch thread: with two, OpenBLAS and torch stall now and then on a shared machine.
bench: $(BENCH_INSTALLED)  ## Time lecture7 against PyTorch and scikit-learn; prints the table, writes build/bench.md
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/python benchmarks/run.py --out build/bench.md

clean:  ## Remove .venv and every cache
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
