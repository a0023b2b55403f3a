import os

# CUDA code is tested under Numba's simulator unless the caller chose otherwise (a machine with a
# GPU can run `NUMBA_ENABLE_CUDASIM=0 pytest`). Numba reads this once, on import, so it is set
# before graphflow (and so numba) is imported here; `make test` sets it too.
os.environ.setdefault("NUMBA_ENABLE_CUDASIM", "1")

import pytest  # noqa: E402

import graphflow as tf  # noqa: E402

# The namespaces `import graphflow` leaves for first use hold op records too: every test (and
# every walk over the op registry) sees them all.
for _name in tf._LAZY_MODULES + ("nn.rnn_cell",):
    _module = tf
    for _part in _name.split("."):
        _module = getattr(_module, _part)


@pytest.fixture(autouse=True)
def fresh_default_graph():
    """Each test builds in its own default graph, as a fresh TF1 program would."""
    tf.reset_default_graph()
    yield
