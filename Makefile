# The two commands a newcomer needs: `make demo` (the main job) and `make test`.
# Both create .venv on first use and reinstall only when setup.cfg or pyproject.toml change.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
ORACLE_VENV ?= ../graphflow-oracle
# xdist workers: one per core (2 on CI); each worker pays one graphflow/numba import.
PYTEST_WORKERS ?= auto
PYTEST := $(VENV)/bin/python -m pytest -n $(PYTEST_WORKERS)

.PHONY: demo test test-all compat oracle oracle-torch clean graphviz-binary

$(STAMP): setup.cfg pyproject.toml
	@$(PYTHON) -m venv $(VENV) || { echo "error: '$(PYTHON) -m venv' failed; install Python's venv module (Debian: apt-get install python3-venv) or set PYTHON=" >&2; exit 1; }
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test,examples]'
	@touch $(STAMP)

# The Python graphviz package draws through the `dot` binary; without it graphs are written as
# DOT source only, so a missing binary is installed where we may and otherwise only reported.
graphviz-binary:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing graphviz (for rendering graphs)..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz) >/dev/null 2>&1 \
	      || echo "note: could not install graphviz; graphs will be written as DOT source only"; \
	  else echo "note: graphviz's 'dot' is missing (install it with: sudo apt-get install graphviz); graphs will be written as DOT source only"; fi; }

demo: $(STAMP) graphviz-binary
	GRAPHFLOW_OUTPUT=out GRAPHFLOW_VIZ=viz $(VENV)/bin/python examples/digits_cnn.py

# CUDA kernels run under Numba's simulator unless the caller says otherwise. pytest's exit 5
# ("no tests collected") means the suite vanished (a collection filter, a moved directory), so
# it fails loudly rather than passing as empty.
test test-all compat: export NUMBA_ENABLE_CUDASIM ?= 1
define run_pytest
	$(PYTEST) $(1); status=$$?; \
	if [ $$status -eq 5 ]; then echo "error: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status
endef

test: $(STAMP)
	@$(call run_pytest,)

test-all: $(STAMP)
	@$(call run_pytest,-m "")

# TensorFlow for the differential tests lives outside the repository and is never a
# dependency of graphflow; tensorflow-cpu is the smaller wheel where it exists. An existing
# environment named by ORACLE_VENV is used as it is. A failed install removes the interpreter
# link so that the next `make oracle` tries again.
$(ORACLE_VENV)/bin/python:
	$(PYTHON) -m venv $(ORACLE_VENV)
	$(ORACLE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check tensorflow-cpu \
	  || $(ORACLE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check tensorflow \
	  || { rm -f $@; exit 1; }
	@# tf.layers left TensorFlow with Keras 3 (2.16+): tf_keras brings it back; programs train on
	@# scikit-learn's digits.
	$(ORACLE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check tf_keras scikit-learn \
	  || { rm -f $@; exit 1; }

oracle: $(ORACLE_VENV)/bin/python

# PyTorch for the benchmarks' PyTorch column only, pinned to the CPU build this machine keeps on
# disk (an unpinned torch would fetch a CUDA build of several GB).
oracle-torch: $(ORACLE_VENV)/bin/python
	$(ORACLE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check torch==2.13.0

compat: $(STAMP) oracle
	@GRAPHFLOW_TF_PYTHON=$(abspath $(ORACLE_VENV))/bin/python $(call run_pytest,-m compat tests/compat)

clean:
	rm -rf $(VENV) .graphflow_cache
