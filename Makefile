# One virtual environment, .venv, made and kept up to date by these targets.
# A fresh machine needs only python3 (>= 3.11), pip and gcc.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# PyTensor: no BLAS to link in a pip venv (numpy's is used), and a compile cache
# outside the clone so that later runs on the same machine start warm.
export PYTENSOR_FLAGS ?= base_compiledir=$(HOME)/.cache/bayesreg-pytensor,blas__ldflags=

.PHONY: install demo test test-fast clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m bayesreg

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)  # skips the statistical tests marked slow (CI runs them all)
	$(BIN)/python -m pytest -m "not slow"

clean:
	rm -rf $(VENV) .pytest_cache
