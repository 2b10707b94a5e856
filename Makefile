# One virtual environment, .venv, made and kept up to date by these targets.
# A fresh machine needs only python3 (>= 3.11), pip and gcc.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# PyTensor: BLAS ops through numpy (empty ldflags; without this setting bayesreg links
# them to scipy's bundled OpenBLAS, see docs/performance.md), and a compile cache
# outside the clone so that later runs on the same machine start warm.
export PYTENSOR_FLAGS ?= base_compiledir=$(HOME)/.cache/bayesreg-pytensor,blas__ldflags=
# Notebook kernels run with MPLBACKEND unset: an inherited MPLBACKEND=Agg would
# replace the inline backend, and the notebooks would show no figures.
NB_ENV := env -u MPLBACKEND

.PHONY: install demo test test-fast docs lab clean

install: $(STAMP)

# Every extra in one go: test (pytest, nbclient, the numpyro sampler, dask and
# distributed for tests/test_dask.py), docs (sphinx, myst-nb...) and notebooks
# (jupyterlab, nbconvert). uv resolves and installs them in seconds where pip
# takes minutes.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[test,docs,notebooks]'
	touch $(STAMP)

# The main job: the quickstart notebook, executed headless on a fresh kernel
# (full draw counts), written as a self-contained HTML page.
demo: $(STAMP)
	$(NB_ENV) $(BIN)/jupyter nbconvert --to html --execute --log-level=ERROR \
		--ExecutePreprocessor.timeout=900 \
		--output-dir build --output quickstart notebooks/01_quickstart.ipynb
	@echo "bayesreg demo written to $(CURDIR)/build/quickstart.html"

# CI (.ci/run -> make test) runs pytest only, and pytest's summary is the last
# line printed. The docs build with warnings as errors is a test in there:
# tests/test_notebooks.py executes every notebook once with nbclient
# (BAYESREG_FAST=1, a fresh kernel each, a failing cell fails the test) and then
# builds the docs from those executed copies (BAYESREG_EXECUTED_NOTEBOOKS), so
# no notebook runs twice in CI. `make docs` instead lets myst-nb execute the
# notebooks during the build (full draw counts; a failing cell fails the build).
test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)  # skips the slow tests: statistical checks, notebooks, docs (CI runs them all)
	$(BIN)/python -m pytest -m "not slow"

docs: $(STAMP)
	$(NB_ENV) $(BIN)/python -m sphinx -W --keep-going -b html docs docs/_build/html
	@echo "documentation written to $(CURDIR)/docs/_build/html/index.html"

# JupyterLab refuses to run as root without --allow-root (containers, CI machines).
lab: $(STAMP)
	$(NB_ENV) $(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

clean:
	rm -rf $(VENV) .pytest_cache build docs/_build docs/generated docs/notebooks
