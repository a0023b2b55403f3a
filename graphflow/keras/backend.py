"""``tf.keras.backend``: the graph-mode state Keras models share.

As in TF1's Keras, every graph has one learning-phase tensor (a boolean placeholder defaulting to
False, fed True by ``fit``) that Dropout and BatchNormalization read, and models run in one
Session per graph: the default session when one is active for that graph, else a session Keras
creates on first use (``get_session``) or that the user installed (``set_session``).
"""
import weakref

import numpy as np

from ..framework import dtypes, graph as graph_mod
from ..ops import array as array_ops
from ..ops import state as state_ops
from ..runtime.session import Session

_SESSIONS = {}  # graph -> the Session Keras runs that graph's models in
_KNOWN_INITIALIZED = weakref.WeakKeyDictionary()  # session -> ids of variables it has set
_REPORTS = weakref.WeakKeyDictionary()  # graph -> {variable ids: report_uninitialized op}
_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"


def floatx():
    return _FLOATX


def epsilon():
    return _EPSILON


def set_epsilon(value):
    global _EPSILON
    _EPSILON = float(value)


def image_data_format():
    return _IMAGE_DATA_FORMAT


def learning_phase():
    """The graph's training flag: a Python 0/1 after ``set_learning_phase``, else the boolean
    placeholder ``keras_learning_phase`` (False unless fed)."""
    graph = graph_mod.get_default_graph()
    fixed = graph._extras.get("keras_learning_phase_value")
    if fixed is not None:
        return fixed
    phase = graph._extras.get("keras_learning_phase")
    if phase is None:
        # Built outside any name or control-dependency scope the caller happens to be in, so
        # every model of the graph shares the one tensor.
        with graph.as_default(), graph_mod.name_scope(None), \
                graph_mod.control_dependencies(None):
            phase = array_ops.placeholder_with_default(False, shape=[],
                                                       name="keras_learning_phase")
        graph._extras["keras_learning_phase"] = phase
    return phase


def set_learning_phase(value):
    if value not in (0, 1):
        raise ValueError("Expected learning phase to be 0 or 1, got %r." % (value,))
    graph_mod.get_default_graph()._extras["keras_learning_phase_value"] = int(value)


def get_session(graph=None):
    """The Session Keras runs ``graph``'s models in (the default graph if None)."""
    graph = graph or graph_mod.get_default_graph()
    default = graph_mod.get_default_session()
    if default is not None and default.graph is graph and not getattr(default, "_closed",
                                                                        False):
        return default
    session = _SESSIONS.get(graph)
    if session is None or getattr(session, "_closed", False):
        session = _SESSIONS[graph] = Session(graph=graph)
    return session


def set_session(session):
    _SESSIONS[session.graph] = session


def clear_session():
    """Closes Keras's sessions and starts a fresh default graph (so names restart at dense)."""
    for session in _SESSIONS.values():
        session.close()
    _SESSIONS.clear()
    graph_mod.reset_default_graph()


def initialize_variables(session, variables):
    """Initializes those of ``variables`` that ``session`` has not set yet, leaving trained
    values alone, as TF1's Keras does on first use. Each new set of variables costs one report
    op, built once per graph; a session checks each variable once."""
    known = _KNOWN_INITIALIZED.setdefault(session, set())
    pending = [v for v in variables if id(v) not in known]
    if not pending:
        return
    graph = pending[0].graph
    reports = _REPORTS.setdefault(graph, {})
    key = tuple(id(v) for v in pending)
    report = reports.get(key)
    if report is None:
        with graph.as_default(), graph_mod.name_scope(None), \
                graph_mod.control_dependencies(None):
            report = reports[key] = state_ops.report_uninitialized_variables(pending)
    names = {n.decode() if isinstance(n, bytes) else n for n in session.run(report)}
    missing = [v for v in pending if v.op.name in names]
    if missing:
        session.run([v.initializer for v in missing])
    known.update(id(v) for v in pending)


def get_value(variable):
    return batch_get_value([variable])[0]


def batch_get_value(variables):
    """The values of Keras-created variables, initialized first where still unset."""
    if not variables:
        return []
    session = get_session(variables[0].graph)
    initialize_variables(session, variables)
    return session.run(list(variables))


def cast_to_floatx(x):
    return np.asarray(x, dtype=_FLOATX)


def int_shape(x):
    shape = x.shape
    return None if shape.ndims is None else tuple(shape.as_list())


def is_keras_tensor(x):
    return hasattr(x, "_keras_history")


def count_params(variable):
    return int(np.prod(variable.shape.as_list(), dtype=np.int64))


def dtype(x):
    return dtypes.as_dtype(x.dtype).base_dtype.name
