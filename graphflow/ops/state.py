"""Variables and the ops that read and write them, with TF1's ref-variable semantics.

``tf.Variable(v, name="x")`` builds the ops ``x/initial_value``, ``x`` (VariableV2, a reference),
``x/Assign`` (its initializer) and ``x/read`` (the snapshot used when the variable appears in an
expression). At run time a reference is a ``VariableHandle`` from the session's store.
"""
import contextlib

import numpy as np

from ..framework import dtypes, errors, graph as graph_mod, tensor_shape
from ..framework.graph import GraphKeys
from .convert import convert_to_tensor, register_tensor_conversion_function
from .registry import ALL_INPUTS, NOT_DIFFERENTIABLE, Spec, _graph_for, defop


def _variable_shape(*, shape, dtype, container="", shared_name=""):
    return Spec(shape, dtypes.as_dtype(dtype)._as_ref)


VariableV2 = defop(
    "VariableV2", shape=_variable_shape,
    ref=lambda variable, *, shape, dtype, container="", shared_name="": variable,
    needs=("variable",), stateful=True, grad=NOT_DIFFERENTIABLE)


def _shape_mismatch(op_type, ref, value):
    """TF's shape-function wording for two inputs that must have one shape, naming the node
    (the op's name scope is open while its shape rule runs)."""
    node = graph_mod.get_default_graph().get_name_scope()
    a, b = ref.shape, value.shape
    lists = ("[%s]" % ",".join("?" if d is None else str(d) for d in a.as_list()),
             "[%s]" % ",".join("?" if d is None else str(d) for d in b.as_list()))
    where = "for '{{node %s}} = %s' with input shapes: %s, %s." % ((node, op_type) + lists)
    if a.ndims != b.ndims:
        return ValueError("Shapes must be equal rank, but are %d and %d %s"
                          % (a.ndims, b.ndims, where))
    for i, (x, y) in enumerate(zip(a.as_list(), b.as_list())):
        if x is not None and y is not None and x != y:
            return ValueError("Dimension %d in both shapes must be equal, but are %d and %d. "
                              "Shapes are %s and %s. %s" % ((i, x, y) + lists + (where,)))
    return ValueError("Shapes %s and %s are incompatible %s" % (a, b, where))


def _check_value_dtype(op_type, ref, value):
    if ref.dtype.base_dtype != value.dtype.base_dtype:
        raise TypeError("Input 'value' of '%s' Op has type %s that does not match type %s of "
                        "argument 'ref'." % (op_type, value.dtype.base_dtype.name,
                                             ref.dtype.base_dtype.name))


def _assign_shape(ref, value, *, validate_shape=True, use_locking=True):
    _check_value_dtype("Assign", ref, value)
    if not validate_shape:
        return Spec(value.shape, ref.dtype)
    if not ref.shape.is_compatible_with(value.shape):
        raise _shape_mismatch("Assign", ref, value)
    return Spec(ref.shape.merge_with(value.shape), ref.dtype)


def _update_shape_rule(op_type):
    def rule(ref, value, *, use_locking=False):
        _check_value_dtype(op_type, ref, value)
        if not ref.shape.is_compatible_with(value.shape):
            raise _shape_mismatch(op_type, ref, value)
        return Spec(ref.shape.merge_with(value.shape), ref.dtype)
    return rule


def _update_kernel(combine):
    def kernel(ref, value, *, use_locking=False):
        current = ref.value()
        # TF's AssignAdd/AssignSub do not broadcast.
        if np.shape(value) != current.shape:
            raise errors.InvalidArgumentError(
                None, None, "Parameters and update must be the same size (variable %s has shape "
                "%s, the update has shape %s)" % (ref.name, list(current.shape),
                                                  list(np.shape(value))))
        return ref.assign(combine(current, value))
    return kernel


Assign = defop(
    "Assign", shape=_assign_shape,
    ref=lambda ref, value, *, validate_shape=True, use_locking=True:
        ref.assign(value, validate_shape),
    stateful=True, ref_inputs=(0,), grad=NOT_DIFFERENTIABLE)
AssignAdd = defop(
    "AssignAdd", shape=_update_shape_rule("AssignAdd"), ref=_update_kernel(np.add),
    stateful=True, ref_inputs=(0,), grad=NOT_DIFFERENTIABLE)
AssignSub = defop(
    "AssignSub", shape=_update_shape_rule("AssignSub"), ref=_update_kernel(np.subtract),
    stateful=True, ref_inputs=(0,), grad=NOT_DIFFERENTIABLE)
IsVariableInitialized = defop(
    "IsVariableInitialized", shape=lambda ref, *, dtype=None: Spec([], dtypes.bool),
    ref=lambda ref, *, dtype=None: np.array(ref.is_initialized()),
    stateful=True, ref_inputs=(0,), grad=NOT_DIFFERENTIABLE)
NoOp = defop("NoOp", shape=lambda: [], ref=lambda: None, grad=NOT_DIFFERENTIABLE)


def _count_up_to_shape(ref, *, limit):
    dtype = ref.dtype.base_dtype
    if dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError("Value passed to parameter 'ref' has DataType %s not in list of allowed "
                        "values: int32, int64" % dtype.name)
    if ref.shape.ndims not in (None, 0):
        raise ValueError("Shape must be rank 0 but is rank %d for '{{node %s}} = CountUpTo'."
                         % (ref.shape.ndims, graph_mod.get_default_graph().get_name_scope()))
    return Spec([], dtype)


def _count_up_to(ref, *, limit):
    # Read and increment under the update lock, so concurrent runs each see a distinct count.
    from .training_ops import _UPDATE_LOCK
    with _UPDATE_LOCK:
        before = ref.value()
        if before >= limit:
            raise errors.OutOfRangeError(None, None, "Reached limit of %d" % limit)
        ref.assign(before + 1)
        return before.copy()


CountUpTo = defop("CountUpTo", shape=_count_up_to_shape, ref=_count_up_to, stateful=True,
                  ref_inputs=(0,), grad=NOT_DIFFERENTIABLE)


def count_up_to(ref, limit, name=None):
    """Increments the integer scalar ``ref`` until it reaches ``limit`` and outputs the value it
    had before; running it at the limit raises OutOfRangeError and leaves ``ref`` unchanged."""
    ref_tensor = _as_ref(ref)
    graph = _graph_for([ref_tensor])
    with graph.as_default():
        return CountUpTo(ref_tensor, name=name or "CountUpTo", limit=int(limit))


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    ref_tensor = _as_ref(ref)
    graph = _graph_for([ref_tensor])
    with graph.as_default(), graph.name_scope(name or "Assign") as scope:
        if not isinstance(value, graph_mod.Tensor):
            value = convert_to_tensor(value, dtype=ref_tensor.dtype.base_dtype, name="value")
        return Assign(ref_tensor, value, name=scope,
                      validate_shape=True if validate_shape is None else validate_shape,
                      use_locking=True if use_locking is None else use_locking)


def assign_add(ref, value, use_locking=None, name=None):
    return _update(AssignAdd, ref, value, use_locking, name)


def assign_sub(ref, value, use_locking=None, name=None):
    return _update(AssignSub, ref, value, use_locking, name)


def _update(op_def, ref, value, use_locking, name):
    ref_tensor = _as_ref(ref)
    graph = _graph_for([ref_tensor])
    with graph.as_default(), graph.name_scope(name or op_def.name) as scope:
        # TF names a converted Python value after the input it feeds: AssignAdd/value.
        if not isinstance(value, graph_mod.Tensor):
            value = convert_to_tensor(value, dtype=ref_tensor.dtype.base_dtype, name="value")
        return op_def(ref_tensor, value, name=scope, use_locking=bool(use_locking))


def _as_ref(ref):
    if isinstance(ref, Variable):
        return ref._variable
    if isinstance(ref, graph_mod.Tensor) and ref.dtype.is_ref:
        return ref
    # TF1 falls through to ``ref.assign(...)`` here, hence its AttributeError.
    raise AttributeError("'%s' object has no attribute 'assign': 'ref' must be a tf.Variable "
                         "(a mutable tensor), got %r." % (type(ref).__name__, ref))


def no_op(name=None):
    return NoOp(name=name or "NoOp")


def group(*inputs, **kwargs):
    """An op that runs all ``inputs`` (as control dependencies) and outputs nothing."""
    name = kwargs.pop("name", None)
    if kwargs:
        raise ValueError("Unknown keyword arguments: " + ", ".join(kwargs))
    flat = []

    def add(items):  # TF flattens arbitrarily nested lists of inputs
        for x in items:
            if isinstance(x, (list, tuple)):
                add(x)
            elif x is None:
                raise TypeError("Expected Operation, Variable, or Tensor in tf.group, got None")
            else:
                flat.append(x)
    add(inputs)
    graph = flat[0].graph if flat and hasattr(flat[0], "graph") else \
        graph_mod.get_default_graph()
    with graph.as_default(), graph.name_scope(name or "group_deps") as scope:
        with graph.control_dependencies(flat):
            return no_op(name=scope)


def tuple_(tensors, name=None, control_inputs=None):
    """``tf.tuple``: each output waits for all ``tensors`` (and ``control_inputs``)."""
    with graph_mod.name_scope(name, "tuple", tensors):
        gate = group(*[t for t in tensors if t is not None], *(control_inputs or []))
        return [None if t is None else with_dependencies([gate], t) for t in tensors]


def with_dependencies(dependencies, output_tensor, name=None):
    """``output_tensor`` passed through an Identity that runs after ``dependencies``."""
    from . import array
    with graph_mod.name_scope(name, "control_dependency",
                              list(dependencies) + [output_tensor]) as scope:
        with graph_mod.control_dependencies(dependencies):
            return array.identity(output_tensor, name=scope)


class Variable:
    """``tf.Variable`` (TF1's RefVariable)."""

    def __new__(cls, *args, **kwargs):
        # Eagerly (and inside graphflow.function traces) a variable holds its value at once:
        # the eager context names the class that does (graphflow/eager.py).
        graph = graph_mod.get_default_graph()
        if cls is Variable and graph.creates_eager_variables and \
                kwargs.get("variable_def") is None:
            cls = graph.eager_variable_class
        return object.__new__(cls)

    def __init__(self, initial_value=None, trainable=None, collections=None,
                 validate_shape=True, caching_device=None, name=None, variable_def=None,
                 dtype=None, expected_shape=None, import_scope=None, constraint=None,
                 use_resource=None, synchronization=None, aggregation=None, shape=None):
        from . import array
        if variable_def is not None:
            self._init_from_graph(variable_def)
            return
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        init_from_fn = callable(initial_value)
        if trainable is None:
            trainable = True
        if collections is None:
            collections = [GraphKeys.GLOBAL_VARIABLES]
        collections = list(collections)
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections.append(GraphKeys.TRAINABLE_VARIABLES)
        graph = graph_mod.get_default_graph()
        if not init_from_fn and isinstance(initial_value, graph_mod.Tensor):
            graph = initial_value.graph
        lifted = contextlib.nullcontext()
        if getattr(graph, "variable_graph", None) is not None:
            # Made while a loop body is traced: the variable belongs to the loop's graph,
            # under the name scope the body's ops have (absolute there, "" being the root).
            body_scope = graph.get_name_scope()
            graph = graph.variable_graph
            lifted = graph.name_scope(body_scope + "/" if body_scope else None)
        # Variables are created outside any control-dependency context (TF's init_scope).
        with graph.as_default(), graph.control_dependencies(None), lifted, \
                graph.name_scope(name or "Variable") as scope:
            if init_from_fn:
                with graph.name_scope("Initializer"):
                    value = convert_to_tensor(initial_value(), name="initial_value",
                                              dtype=dtype)
            else:
                value = _initial_value_tensor(initial_value, dtype)
            if shape is not None:
                var_shape = tensor_shape.as_shape(shape)
                if not var_shape.is_compatible_with(value.shape):
                    raise ValueError("The initial value's shape (%s) is not compatible with the "
                                     "explicitly supplied `shape` argument (%s)."
                                     % (value.shape, var_shape))
            elif validate_shape:
                var_shape = value.shape
                if not var_shape.is_fully_defined():
                    raise ValueError("initial_value must have a shape specified: %s" % value)
            else:
                var_shape = tensor_shape.unknown_shape()
            self._variable = VariableV2(name=scope, shape=var_shape,
                                        dtype=value.dtype.base_dtype)
            self._initial_value = value
            # A declared shape with unknown dims accepts values of any matching shape.
            self._initializer_op = Assign(
                self._variable, value, name="Assign", use_locking=True,
                validate_shape=validate_shape and var_shape.is_fully_defined()).op
            self._snapshot = array.identity(self._variable, name="read")
        self._trainable = trainable
        self._constraint = constraint
        self._save_slice_info = None
        self._caching_device = caching_device
        for key in collections:
            graph.add_to_collection(key, self)

    def _init_from_graph(self, variable_def):
        """Rebuilds a Variable object around ops that already exist (import_meta_graph)."""
        graph = graph_mod.get_default_graph()
        self._variable = graph.as_graph_element(variable_def["variable_name"])
        self._initializer_op = graph.as_graph_element(variable_def["initializer_name"])
        self._snapshot = graph.as_graph_element(variable_def["snapshot_name"])
        initial = variable_def.get("initial_value_name")
        self._initial_value = graph.as_graph_element(initial) if initial else None
        self._trainable = variable_def.get("trainable", True)
        self._constraint = None
        self._save_slice_info = None
        self._caching_device = None

    def to_proto(self, export_scope=None):
        return {"variable_name": self._variable.name,
                "initializer_name": self._initializer_op.name,
                "snapshot_name": self._snapshot.name,
                "initial_value_name": self._initial_value.name
                if self._initial_value is not None else None,
                "trainable": self._trainable}

    @staticmethod
    def from_proto(variable_def, import_scope=None):
        return Variable(variable_def=variable_def)

    # -- identity ---------------------------------------------------------------------------------
    name = property(lambda self: self._variable.name)
    op = property(lambda self: self._variable.op)
    dtype = property(lambda self: self._variable.dtype)
    graph = property(lambda self: self._variable.graph)
    device = property(lambda self: self._variable.device)
    shape = property(lambda self: self._variable.shape)
    initializer = property(lambda self: self._initializer_op)
    initial_value = property(lambda self: self._initial_value)
    trainable = property(lambda self: self._trainable)
    constraint = property(lambda self: self._constraint)

    def get_shape(self):
        return self._variable.shape

    def set_shape(self, shape):
        self._variable.set_shape(shape)
        self._snapshot.set_shape(shape)

    def _as_graph_element(self):
        return self._variable

    def _ref(self):
        return self._variable

    def value(self):
        return self._snapshot

    def read_value(self):
        from . import array
        return array.identity(self._variable, name="read")

    def initialized_value(self):
        from . import control_flow as control
        return control.cond(is_variable_initialized(self), self.read_value,
                            lambda: self.initial_value)

    # -- updates ----------------------------------------------------------------------------------
    def assign(self, value, use_locking=False, name=None, read_value=True):
        result = assign(self._variable, value, use_locking=use_locking, name=name)
        return result if read_value else result.op

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        result = assign_add(self._variable, delta, use_locking=use_locking, name=name)
        return result if read_value else result.op

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        result = assign_sub(self._variable, delta, use_locking=use_locking, name=name)
        return result if read_value else result.op

    def count_up_to(self, limit):
        return count_up_to(self._variable, limit)

    def load(self, value, session=None):
        session = session or graph_mod.get_default_session()
        if session is None:
            raise ValueError("Either session argument should be provided or default session "
                             "should be established")
        session.run(self._initializer_op, {self._initializer_op.inputs[1]: value})

    def eval(self, session=None):
        return self._variable.eval(session=session)

    def __repr__(self):
        return "<tf.Variable '%s' shape=%s dtype=%s>" % (self.name, self.shape, self.dtype.name)

    __hash__ = object.__hash__

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other


def _initial_value_tensor(initial_value, dtype):
    if isinstance(initial_value, graph_mod.Tensor):
        if dtype is not None and dtypes.as_dtype(dtype).base_dtype != \
                initial_value.dtype.base_dtype:
            raise ValueError("initial_value: Tensor conversion requested dtype %s for Tensor "
                             "with dtype %s: %r" % (dtypes.as_dtype(dtype).name,
                                                    initial_value.dtype.name, initial_value))
        return initial_value
    if isinstance(initial_value, Variable):
        return initial_value.initialized_value()
    return convert_to_tensor(initial_value, dtype=dtype, name="initial_value")


def _forward_operator(name):
    def method(self, *args, **kwargs):
        return getattr(self.value(), name)(*args, **kwargs)
    method.__name__ = name
    return method


for _op_name in [m for m in dir(graph_mod.Tensor) if m.startswith("__") and m[2:-2] in (
        "add radd sub rsub mul rmul truediv rtruediv div rdiv floordiv rfloordiv mod rmod pow "
        "rpow matmul rmatmul and rand or ror xor rxor lt le gt ge neg abs invert getitem"
        ).split()]:
    setattr(Variable, _op_name, _forward_operator(_op_name))
Variable.__array_priority__ = 100

register_tensor_conversion_function(
    Variable, lambda v, dtype=None, name=None, as_ref=False: v._ref() if as_ref else v.value())

VariableV1 = Variable
RefVariable = Variable


# -- the variable collections and initializers ---------------------------------------------------
def global_variables(scope=None):
    return graph_mod.get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


all_variables = global_variables


def local_variables(scope=None):
    return graph_mod.get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def trainable_variables(scope=None):
    return graph_mod.get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def model_variables(scope=None):
    return graph_mod.get_collection(GraphKeys.MODEL_VARIABLES, scope)


def moving_average_variables(scope=None):
    return graph_mod.get_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


def variables_initializer(var_list, name="init"):
    if var_list:
        return group(*[v.initializer for v in var_list], name=name)
    return no_op(name=name)


def global_variables_initializer():
    return variables_initializer(global_variables(), name="init")


initialize_all_variables = global_variables_initializer


def local_variables_initializer():
    return variables_initializer(local_variables(), name="init")


initialize_local_variables = local_variables_initializer


def is_variable_initialized(variable):
    return IsVariableInitialized(_as_ref(variable), name="IsVariableInitialized",
                                 dtype=_as_ref(variable).dtype.base_dtype)


def assert_variables_initialized(var_list=None):
    from . import math as math_ops
    var_list = var_list if var_list is not None else global_variables()
    if not var_list:
        return None
    from . import array
    return math_ops.reduce_all(array.stack([is_variable_initialized(v) for v in var_list]))


def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    """A string tensor of the names of the uninitialized variables among ``var_list``."""
    var_list = var_list if var_list is not None else global_variables() + local_variables()
    names = np.array([v.op.name.encode() for v in var_list], dtype=object)
    with graph_mod.name_scope(name):
        refs = [_as_ref(v) for v in var_list]
        # TF's output is the GatherV2 of a boolean_mask; graph code may fetch it by that name.
        return ReportUninitialized(*refs, names=names, name="boolean_mask/GatherV2") if refs else \
            convert_to_tensor(np.array([], dtype=object), dtype=dtypes.string)


ReportUninitialized = defop(
    "ReportUninitialized", shape=lambda *refs, names: Spec([None], dtypes.string),
    ref=lambda *refs, names: np.array([n for n, r in zip(names, refs)
                                       if not r.is_initialized()], dtype=object),
    stateful=True, ref_inputs=ALL_INPUTS, grad=NOT_DIFFERENTIABLE)
