# lecture7: `make lab` to learn, `make test` to check, `make bench` to time. All set up .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
BENCH_INSTALLED := $(VENV)/.bench-installed
CLASSROOM_INSTALLED := $(VENV)/.classroom-installed
BROWSER_INSTALLED := $(VENV)/.browser-installed
SITE_INSTALLED := $(VENV)/.site-installed
# where `make site` writes the website of the series
SITE_OUT ?= build/site
CHROMIUM ?= /usr/bin/chromium
LAB_PORT ?= 8888
LAB_ARGS ?=
# the learner's own copy of the learner's edition (learner/): `make lab` fills it and never overwrites what they changed
LEARNER_DIR ?= my-notebooks
# the edition `make lab` opens at: en, or zh-TW (繁體中文); both are in LEARNER_DIR, and each index links to the other
EDITION ?= en
PYTEST_ARGS ?=
NOTEBOOKS ?=
# the course folder of `make assignments` / `make grade`: its gradebook and grades are kept by `make clean`
COURSE ?= classroom$(if $(filter zh-TW,$(EDITION)),-zh-TW)
# the versions the tests were last run with (image baselines hold only with them); `make constraints` rewrites it
export PIP_CONSTRAINT := $(CURDIR)/constraints.txt
# PyTorch's own index has the CPU build of torch (PyPI's is the CUDA one, several GB): an extra index, so that torch's
# dependencies still come from PyPI at the versions of constraints.txt, and 2.13.0+cpu ranks above PyPI's 2.13.0.
# Where that host cannot be reached, pip says so, retries, and takes torch from elsewhere (a local CPU wheel).
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
SUBMITTED ?= tests/classroom/submitted
# students graded at the same time, each in a bubblewrap sandbox of their own; UNSAFE=1 grades without one
JOBS ?= $(shell nproc 2>/dev/null || echo 1)
UNSAFE ?=

# Printing a set or dict of strings is only reproducible with a fixed hash seed (nbval compares outputs).
export PYTHONHASHSEED := 0

.PHONY: help venv install lab learner test test-browser notebooks site wheel assignments grade baselines figures torch bench constraints clean clean-course

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# `venv` runs before every install step (order-only, so it never forces one): it refuses a too-old Python, and makes
# .venv again when it has no working pip (made where python3-venv was missing, or cut short); its stamps go with it.
venv:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { echo "lecture7 needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1). Install one (python.org, pyenv, or your system's python3.12 package), then run e.g. make lab PYTHON=python3.12"; exit 1; }
	@$(BIN)/python -m pip --version >/dev/null 2>&1 || { test ! -e $(VENV) || { echo "$(VENV) is incomplete (no working pip): making it again"; rm -rf $(VENV); }; $(PYTHON) -m venv $(VENV); }
	@$(BIN)/python -m pip --version >/dev/null 2>&1 || { echo "$(PYTHON) -m venv made no working pip in $(VENV). On Debian or Ubuntu: sudo apt-get install python3-venv, then make again"; rm -rf $(VENV); exit 1; }

$(INSTALLED): pyproject.toml constraints.txt | venv
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(INSTALLED)  ## Create or update .venv with the package and its test tools

# `lecture7 lab` (lecture7/cli.py): it copies the edition without overwriting what the learner changed, turns
# JupyterLab's news and the classroom tools off (a learner's own settings still win), and opens EDITION's index
lab: $(INSTALLED)  ## Open JupyterLab on your copy of the learner's edition in LEARNER_DIR=my-notebooks (127.0.0.1, token login; EDITION=zh-TW for 繁體中文)
	$(BIN)/lecture7 lab "$(LEARNER_DIR)" --language $(EDITION) --port $(LAB_PORT) -- $(LAB_ARGS)

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
test-browser: $(BROWSER_INSTALLED) $(SITE_INSTALLED)  ## Run the series in JupyterLab in headless Chromium; screenshots in build/browser
	@test -x "$(CHROMIUM)" || { echo "make test-browser needs Chromium at $(CHROMIUM): apt-get install chromium, or set CHROMIUM=/path/to/chromium"; exit 1; }
	CHROMIUM="$(CHROMIUM)" $(BIN)/python -m pytest browser_tests $(PYTEST_ARGS)

notebooks: $(CLASSROOM_INSTALLED)  ## Re-execute the notebooks (English, then 繁體中文 from translations/), store outputs, rebuild lecture7/learner/
	$(BIN)/python tools/run_notebooks.py $(NOTEBOOKS)

learner: $(CLASSROOM_INSTALLED)  ## Rebuild the learner's edition, lecture7/learner/, from notebooks/ (exercises blank, solutions collapsed)
	$(BIN)/python tools/learner.py build

# nbconvert and nbclient (JupyterLab has them already) and MathJax 2.7 from jupyter-server-mathjax, which the site copies
$(SITE_INSTALLED): $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[site]'
	touch $@

site: $(SITE_INSTALLED)  ## Write the series as a website into SITE_OUT=build/site: both editions, run here, math by a local MathJax; works from file:// offline
	$(BIN)/python tools/site.py --out $(SITE_OUT)

wheel: $(INSTALLED)  ## Build the package (with the learner's edition) into dist/: pip install dist/lecture7-*.whl, then lecture7 lab
	$(BIN)/python -m build --no-isolation --outdir dist .

assignments: $(CLASSROOM_INSTALLED)  ## Release the series to students with nbgrader into COURSE (release/lecture7/: notebooks, a wheel, a README); EDITION=zh-TW for 繁體中文
	$(BIN)/python tools/classroom.py release --course $(COURSE) --language $(EDITION)

grade: assignments  ## Autograde SUBMITTED=<folder of <student>/lecture7/*.ipynb> (default: the tests' made-up ones), JOBS at a time, sandboxed; scores, feedback in COURSE
	$(BIN)/python tools/classroom.py grade --course $(COURSE) --submitted $(SUBMITTED) --jobs $(JOBS) $(if $(filter 1,$(UNSAFE)),--unsafe)

baselines: $(INSTALLED)  ## Rewrite the baseline PNGs of the figure tests (look at them before committing)
	$(BIN)/python -m pytest tests/test_plots.py --mpl-generate-path=tests/baseline -q

figures: $(BROWSER_INSTALLED)  ## Write the README's pictures to docs/img (needs Chromium: apt-get install chromium)
	$(BIN)/python tools/make_figures.py

torch: $(INSTALLED)  ## Add PyTorch 2.13.0, its CPU build, to .venv, for the tests that compare with autograd
	$(BIN)/python -m pip install --quiet $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX)) torch==2.13.0

$(BENCH_INSTALLED): $(INSTALLED)
	$(MAKE) torch
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@

# One BLAS thread and one torch thread: with two, OpenBLAS and torch stall now and then on a shared machine.
bench: $(BENCH_INSTALLED)  ## Time lecture7 against PyTorch and scikit-learn; prints the table, writes build/bench.md
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/python benchmarks/run.py --out build/bench.md

constraints: $(INSTALLED) $(CLASSROOM_INSTALLED) $(BROWSER_INSTALLED) $(SITE_INSTALLED)  ## Rewrite constraints.txt from .venv (after upgrading it); run make test and make baselines before committing it
	{ echo "# The versions make test was last run with (its image baselines hold only with these): make constraints wrote it"; \
	  echo "# from .venv. Torch comes from PyTorch's CPU index (make torch) and is left out."; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^torch=='; } > constraints.txt

# build/ holds only what can be made again; a course folder (gradebook.db) in it is never removed by clean
clean:  ## Remove .venv, dist/, build/ and every cache; never a course folder or its grades (see clean-course)
	@found=$$(find build -name gradebook.db 2>/dev/null); test -z "$$found" || { echo "make clean removes nothing: build/ holds a course's grades ($$found). Move that course folder out of build/, or remove it with make clean-course COURSE=..."; exit 1; }
	rm -rf $(VENV) .pytest_cache .hypothesis build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

clean-course:  ## Remove the course folder COURSE (classroom/), with its gradebook, grades and feedback; lists what it deletes
	@test -d "$(COURSE)" || { echo "no course folder $(COURSE)"; exit 0; }
	@echo "removing $(COURSE), with:"; find "$(COURSE)" -maxdepth 1 -mindepth 1 | sort | sed 's/^/  /'
	rm -rf "$(COURSE)"
