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

.PHONY: lab demo test test-fast notebooks bench clean help

help:
	@echo "make lab        open the course in JupyterLab (creates .venv on first use)"
	@echo "make demo       the lecture app in Voila"
	@echo "make test       every test: package, strict nbval on all notebooks, browser"
	@echo "make test-fast  package tests only"
	@echo "make notebooks  re-execute every notebook in place (deterministic, no widget state)"
	@echo "make bench      speed benchmarks (ratios against naive baselines)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamps re-run the install whenever pyproject.toml changes.
$(VENV)/.installed-course: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed-course

lab: $(VENV)/.installed-course
	$(VENV)/bin/jupyter lab --port=$(PORT) $(ROOT_FLAG) notebooks/00_welcome.ipynb

demo: $(VENV)/.installed-test
	$(VENV)/bin/voila notebooks/lecture.ipynb --port=$(PORT) $(VOILA_FILES)

test: $(VENV)/.installed-test
	$(PY) -m pytest tests notebooks --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

test-fast: $(VENV)/.installed-test
	$(PY) -m pytest tests -m "not browser" -p no:cacheprovider

notebooks: $(VENV)/.installed-test
	$(PY) tests/notebook_tools.py

bench: $(VENV)/.installed-test
	$(PY) tests/benchmarks/run.py

clean:
	rm -rf $(VENV) tests/browser/artifacts .pytest_cache
