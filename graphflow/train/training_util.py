"""The global step: an int64 scalar variable in the GLOBAL_STEP collection."""
import logging

from ..framework import dtypes, graph as graph_mod
from ..framework.graph import GraphKeys, Tensor

_log = logging.getLogger("graphflow")


def get_global_step(graph=None):
    """The graph's global step: the one variable in GLOBAL_STEP, else the tensor named
    ``global_step:0``, else None (also None, with an error logged, when the collection holds
    several)."""
    graph = graph or graph_mod.get_default_graph()
    found = graph.get_collection(GraphKeys.GLOBAL_STEP)
    if len(found) == 1:
        step = found[0]
    elif not found:
        try:
            step = graph.get_tensor_by_name("global_step:0")
        except KeyError:
            return None
    else:
        _log.error("Multiple tensors in global_step collection.")
        return None
    assert_global_step(step)
    return step


def assert_global_step(global_step_tensor):
    from ..ops.state import Variable
    if not (isinstance(global_step_tensor, (Variable, Tensor))):
        raise TypeError('Existing "global_step" must be a Variable or Tensor: %s.'
                        % global_step_tensor)
    if not global_step_tensor.dtype.base_dtype.is_integer:
        raise TypeError('Existing "global_step" does not have integer type: %s'
                        % global_step_tensor.dtype)
    shape = global_step_tensor.get_shape()
    if shape.ndims != 0 and shape.is_fully_defined():
        raise TypeError('Existing "global_step" is not scalar: %s' % shape)


def create_global_step(graph=None):
    from .. import initializers
    from ..ops import variable_scope
    graph = graph or graph_mod.get_default_graph()
    if get_global_step(graph) is not None:
        raise ValueError('"global_step" already exists.')
    # In the base name scope; the variable scope still prefixes it, as in TF.
    with graph.as_default(), graph.name_scope(None):
        return variable_scope.get_variable(
            GraphKeys.GLOBAL_STEP, shape=[], dtype=dtypes.int64,
            initializer=initializers.zeros_initializer(), trainable=False,
            collections=[GraphKeys.GLOBAL_VARIABLES, GraphKeys.GLOBAL_STEP])


def get_or_create_global_step(graph=None):
    graph = graph or graph_mod.get_default_graph()
    step = get_global_step(graph)
    if step is None:
        step = create_global_step(graph)
    return step


def global_step(sess, global_step_tensor):
    return int(sess.run(global_step_tensor))


_GLOBAL_STEP_READ_KEY = "global_step_read_op_cache"


def _get_or_create_global_step_read(graph=None):
    """A tensor holding a copy of the global step, built once per graph (hooks fetch it beside
    the train op), or None when the graph has no global step."""
    graph = graph or graph_mod.get_default_graph()
    cached = graph.get_collection(_GLOBAL_STEP_READ_KEY)
    if cached:
        return cached[0]
    step = get_global_step(graph)
    if step is None:
        return None
    with graph.as_default(), graph.name_scope(None), graph.name_scope(step.op.name + "/"):
        # "+ 0" makes a value copy, not a reference to the variable's buffer.
        read = (step.read_value() if hasattr(step, "read_value") else step) + 0
    graph.add_to_collection(_GLOBAL_STEP_READ_KEY, read)
    return read
