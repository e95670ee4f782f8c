# advot-teach: two commands do all set-up on a fresh machine.
#   make lab   -> opens the course in JupyterLab
#   make test  -> the whole test suite (package, notebooks, real browser)
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8888
# Voila serves the lecture page and image files only, nothing else of the repository.
VOILA_FILES := --VoilaConfiguration.file_allowlist="['.*[.](png|jpg|jpeg|gif|svg)']"
# Jupyter refuses to run as root unless told; containers and CI often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

# The lock: exact versions of everything pyproject.toml asks for (all extras) plus
# Binder's extras (requirements/binder.in), resolved for CPython 3.11 on x86-64 Linux,
# the Python that Binder (binder/runtime.txt) and CI run. Every install below takes
# its versions from it; `make lock` rewrites it and the files generated from it.
LOCK        := requirements/lock.txt
LOCK_PYTHON := 3.11
LOCK_FLAGS  := --python-version $(LOCK_PYTHON) --python-platform x86_64-manylinux_2_28 \
               --custom-compile-command "make lock" --quiet
# uv installs the locked set several times faster than pip; pip is the fallback
# when uv cannot be had (or on request: make lab INSTALLER=pip).
INSTALLER ?= uv
UV_SPEC   ?= uv==0.13.9
UV        := $(VENV)/bin/uv
# Empty for `make test-latest`, which installs the newest versions pyproject allows.
CONSTRAINTS ?= -c $(LOCK)

.PHONY: lab demo test test-fast test-latest lock lock-upgrade notebooks bench bench-browser bench-start clean help

help:
	@echo "make lab          open the course in JupyterLab (creates .venv on first use)"
	@echo "make demo         the lecture app in Voila"
	@echo "make test         every test: package, strict nbval on all notebooks, browser"
	@echo "make test-fast    package tests only"
	@echo "make test-latest  the tests on the newest versions pyproject.toml allows (.venv-latest)"
	@echo "make lock         re-resolve $(LOCK) after pyproject.toml changed (keeps other pins)"
	@echo "make lock-upgrade move every pin in $(LOCK) to the newest allowed version"
	@echo "make notebooks    re-execute every notebook in place (deterministic, no widget state)"
	@echo "make bench        speed benchmarks (ratios against naive baselines)"
	@echo "make bench-start  first start of make lab from a fresh clone, uv against pip"
	@echo "make bench-browser key press to new pixels in Chromium, explorers against a trivial ipympl figure"

# No pip in the venv: ensurepip alone takes longer than uv's whole install.
$(PY):
	@$(PYTHON) -c 'import sys; v = "%d.%d" % sys.version_info[:2]; \
	    old = sys.version_info[:2] < tuple(map(int, "$(LOCK_PYTHON)".split("."))); \
	    print(f"$(PYTHON) is Python {v}; the lock is resolved for $(LOCK_PYTHON):", \
	          "use make PYTHON=python$(LOCK_PYTHON)" if old else "going on", file=sys.stderr) \
	    if v != "$(LOCK_PYTHON)" else None; sys.exit(old)'
	$(PYTHON) -m venv --without-pip $(VENV)

# uv comes from PyPI, installed into the venv by the outer Python's pip.
$(UV): | $(PY)
	$(PYTHON) -m pip --python $(PY) install --quiet "$(UV_SPEC)"

# $(call install,SPEC): install SPEC into the venv, every version from the lock.
# The lock is a constraints file, so only what SPEC needs is installed.
define install
	if [ "$(INSTALLER)" = uv ] && $(MAKE) --no-print-directory $(UV); then \
	    $(UV) pip install --quiet --python $(PY) $(CONSTRAINTS) $(1); \
	else \
	    echo "installing with pip (INSTALLER=$(INSTALLER))"; \
	    $(PY) -m pip --version >/dev/null 2>&1 || $(PY) -m ensurepip --default-pip; \
	    $(PY) -m pip install --quiet $(CONSTRAINTS) $(1); \
	fi
endef

# Stamps re-run the install whenever pyproject.toml or the lock changes.
$(VENV)/.installed-course: pyproject.toml $(LOCK) | $(PY)
	$(call install,-e .)
	touch $@

# The tests also get Binder's extras, so that CI runs what Binder will.
$(VENV)/.installed-test: pyproject.toml $(LOCK) requirements/binder.in | $(PY)
	$(call install,-e ".[test]" -r requirements/binder.in)
	touch $@ $(VENV)/.installed-course

lab: $(VENV)/.installed-course
	$(VENV)/bin/jupyter lab --port=$(PORT) $(ROOT_FLAG) notebooks/00_welcome.ipynb

demo: $(VENV)/.installed-test
	$(VENV)/bin/voila notebooks/lecture.ipynb --port=$(PORT) $(VOILA_FILES)

# Lint (ruff, the rule set in pyproject.toml), the package's docstring
# examples, then the tests.
test: $(VENV)/.installed-test
	$(PY) -m ruff check advot_teach tests
	$(PY) -m pytest --doctest-modules advot_teach -q -p no:cacheprovider
	$(PY) -m pytest tests notebooks --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider $(PYTEST_ARGS)

test-fast: $(VENV)/.installed-test
	$(PY) -m ruff check advot_teach tests
	$(PY) -m pytest --doctest-modules advot_teach -q -p no:cacheprovider
	$(PY) -m pytest tests -m "not browser" -p no:cacheprovider $(PYTEST_ARGS)

# Not in CI: shows early what the next `make lock-upgrade` will break. A fresh venv
# without the lock; only the check that the venv matches the lock is left out.
test-latest:
	rm -rf .venv-latest
	$(MAKE) test VENV=.venv-latest CONSTRAINTS= \
	    PYTEST_ARGS="--deselect tests/test_config.py::test_installed_direct_dependencies_match_lock"

# Writes the lock, Binder's requirements (the lock's subset Binder needs, same
# versions) and environment.yml's pins (tests/test_config.py checks all agree).
lock: | $(UV)
	$(UV) pip compile pyproject.toml requirements/binder.in --all-extras $(LOCK_FLAGS) $(UPGRADE) -o $(LOCK)
	$(UV) pip compile pyproject.toml requirements/binder.in -c $(LOCK) $(LOCK_FLAGS) --no-annotate -o binder/requirements.txt
	$(PY) requirements/conda_pins.py $(LOCK) environment.yml $(LOCK_PYTHON)

lock-upgrade:
	$(MAKE) lock UPGRADE=--upgrade

notebooks: $(VENV)/.installed-test
	$(PY) tests/notebook_tools.py

# The benchmarks also need the peers' LP solver (cvxopt, the extra "bench");
# a variable, because a comma inside $(call ...) would split the argument.
BENCH_SPEC := -e ".[test,bench]" -r requirements/binder.in
$(VENV)/.installed-bench: pyproject.toml $(LOCK) $(VENV)/.installed-test
	$(call install,$(BENCH_SPEC))
	touch $@

bench: $(VENV)/.installed-bench
	$(PY) tests/benchmarks/run.py

bench-browser: $(VENV)/.installed-test
	$(PY) tests/benchmarks/browser_latency.py

bench-start:
	$(PYTHON) tests/benchmarks/first_start.py

clean:
	rm -rf $(VENV) .venv-latest tests/browser/artifacts .pytest_cache
