"""``graphflow.function``: one Python model function, run eagerly or as a compiled graph.

Called while executing eagerly, a Function traces its Python function once per input
signature (shapes and dtypes of tensor arguments, values of Python arguments) into a Graph with
one placeholder per tensor argument, and runs that graph through a Session, so the compiler's
passes and backends apply; it returns eager tensors. Called while building a graph it simply
calls the Python function, which adds its ops to the current graph.

Eager variables the function uses are captured: the traced graph gets a variable of its own
for each, and the function's session keeps the two in step (an eager value that changed since
the last call is loaded before the run; values the graph updated are written back after it),
so updates made inside the function are visible eagerly afterwards and vice versa. Variables
the function creates while tracing (optimizer slots, layers) are created eagerly, outside the
graph, as TF2's tf.function lifts them. Every stateful op the trace creates runs on each call,
returned or not (an optimizer's update step need not be returned).
"""
import functools

import numpy as np

from . import eager
from .framework import dtypes, graph as graph_mod, tensor_shape
from .ops import state as state_ops


class TensorSpec:
    """The shape (may hold None) and dtype a tensor argument must have: ``input_signature``."""

    def __init__(self, shape, dtype=dtypes.float32, name=None):
        self.shape = tensor_shape.as_shape(shape)
        self.dtype = dtypes.as_dtype(dtype).base_dtype
        self.name = name

    def is_compatible_with(self, value):
        return self.dtype == dtypes.as_dtype(value.dtype).base_dtype and \
            self.shape.is_compatible_with(tensor_shape.TensorShape(np.shape(value)))

    def __repr__(self):
        return "TensorSpec(shape=%s, dtype=%s, name=%r)" % (self.shape, self.dtype.name,
                                                            self.name)

    def __eq__(self, other):
        return isinstance(other, TensorSpec) and (self.shape.as_list() if self.shape.ndims
                                                  is not None else None,
                                                  self.dtype, self.name) == \
            (other.shape.as_list() if other.shape.ndims is not None else None, other.dtype,
             other.name)

    def __hash__(self):
        return hash((str(self.shape), self.dtype.name, self.name))


def function(func=None, input_signature=None, autograph=True, experimental_compile=None,
             jit_compile=None, reduce_retracing=False, name=None):
    """``@graphflow.function`` / ``graphflow.function(fn, input_signature=None)``.

    autograph, jit_compile and reduce_retracing are accepted for TF's signature; Python
    control flow runs at trace time (no AutoGraph conversion).
    """
    if func is None:
        return functools.partial(function, input_signature=input_signature, name=name)
    return Function(func, input_signature=input_signature, name=name)


class Function:
    """A Python function with its traces: one ConcreteFunction per input signature."""

    def __init__(self, python_function, input_signature=None, name=None):
        self.python_function = python_function
        self.input_signature = None if input_signature is None else tuple(input_signature)
        self._name = name or getattr(python_function, "__name__", "function")
        self._concrete = {}
        self._trace_count = 0
        functools.update_wrapper(self, python_function)

    def __get__(self, instance, owner):
        if instance is None:
            return self
        # One Function per instance, so self's attributes (its variables) key its traces.
        bound = instance.__dict__.get("_graphflow_functions", {}).get(id(self))
        if bound is None:
            bound = Function(functools.partial(self.python_function, instance),
                             self.input_signature, self._name)
            instance.__dict__.setdefault("_graphflow_functions", {})[id(self)] = bound
        return bound

    def __call__(self, *args, **kwargs):
        if not eager.executing_eagerly():
            return self.python_function(*args, **kwargs)
        return self.get_concrete_function(*args, **kwargs)._call(args, kwargs)

    def get_concrete_function(self, *args, **kwargs):
        """The trace for these arguments (traced now if it does not exist yet)."""
        key = self._signature_key(args, kwargs)
        concrete = self._concrete.get(key)
        if concrete is None:
            concrete = ConcreteFunction(self, args, kwargs, "%s_%d" % (self._name,
                                                                       self._trace_count))
            self._trace_count += 1
            self._concrete[key] = concrete
        return concrete

    def experimental_get_tracing_count(self):
        """How many times the Python function has been traced."""
        return self._trace_count

    def _signature_key(self, args, kwargs):
        if self.input_signature is not None:
            if kwargs or len(args) != len(self.input_signature):
                raise TypeError("%s takes %d positional arguments as its input_signature says, "
                                "got %d%s" % (self._name, len(self.input_signature), len(args),
                                              " and keyword arguments" if kwargs else ""))
            for i, (spec, value) in enumerate(zip(self.input_signature, args)):
                if not isinstance(value, (eager.EagerTensor, np.ndarray, int, float, list)) \
                        or not spec.is_compatible_with(_as_array(value, spec.dtype)):
                    raise TypeError("Argument %d of %s (%r) does not match its input_signature "
                                    "entry %s." % (i, self._name, value, spec))
            return ("input_signature",)
        return (_value_key(args), _value_key(kwargs))

    def __repr__(self):
        return "<graphflow.function %s (%d traces)>" % (self._name, self._trace_count)


def _as_array(value, dtype):
    if isinstance(value, eager.EagerTensor):
        return value._array()
    return np.asarray(value, dtype=None if isinstance(value, np.ndarray) else dtype.numpy_dtype)


def _value_key(value):
    """What decides a retrace: tensors by shape and dtype, variables by identity, Python values
    by value (unhashable objects by identity)."""
    if isinstance(value, eager.EagerTensor):
        if value._variable is not None:
            return ("variable", id(value._variable))
        return ("tensor", tuple(value.shape.as_list()), value.dtype.name)
    if isinstance(value, np.ndarray):
        return ("tensor", tuple(value.shape), dtypes.as_dtype(value.dtype).name)
    if isinstance(value, state_ops.Variable):
        return ("variable", id(value))
    if isinstance(value, graph_mod.Tensor):
        raise TypeError("Graph tensor %s was passed to a graphflow.function called eagerly: "
                        "pass eager tensors or numpy arrays, or call the function while "
                        "building that graph." % value.name)
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_value_key(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((k, _value_key(value[k])) for k in sorted(value)))
    try:
        hash(value)
    except TypeError:
        return ("object", id(value))
    return ("python", type(value).__name__, value)


class TraceGraph(graph_mod.Graph):
    """The graph a Function traces into: ops stay in it, eager tensors become constants and
    eager variables become variables of this graph (``capture_variable``)."""

    captures_eager_values = True
    state_owner = eager.context  # optimizer state lives in eager variables (see optimizer.py)
    eager_variable_class = eager.EagerVariable

    def __init__(self, name):
        super().__init__()
        self.name = name
        self.seed = eager.context.seed
        self.captured_variables = []  # (EagerVariable, graph Variable, its value placeholder)
        self._variable_of = {}
        self._constant_of = {}
        self._lifting = True

    @property
    def building_function(self):
        return True  # ops stay here and capture what they use from outside

    @property
    def creates_eager_variables(self):
        return self._lifting

    def _capture(self, inputs):
        return [self._capture_eager(t) if isinstance(t, eager.EagerTensor) else t
                for t in inputs]

    def _capture_eager(self, tensor):
        if tensor._variable is not None:
            return self.capture_variable(tensor._variable)._ref()
        entry = self._constant_of.get(id(tensor))
        if entry is None:
            from .ops.convert import constant
            with self._outside_user_code():
                entry = (tensor, constant(tensor._array(), dtype=tensor.dtype.base_dtype,
                                          name="captured_value"))
            self._constant_of[id(tensor)] = entry
        return entry[1]

    def capture_variable(self, variable):
        """The variable of this graph that stands for the eager ``variable``."""
        graph_variable = self._variable_of.get(id(variable))
        if graph_variable is None:
            from .ops import array
            with self._outside_user_code():
                value = array.placeholder(variable.dtype, variable._declared_shape,
                                          name=variable.op.name + "/captured_value")
                graph_variable = state_ops.Variable(value, name=variable.op.name,
                                                    trainable=False, collections=[],
                                                    validate_shape=variable._declared_shape
                                                    .is_fully_defined())
            self._variable_of[id(variable)] = graph_variable
            self.captured_variables.append((variable, graph_variable, value))
        return graph_variable

    def _outside_user_code(self):
        """Captures are built at the root: no name scope, control dependency or tf.cond
        branch of the op being traced applies to them."""
        graph = self

        class Scope:
            def __enter__(self):
                self._saved = (graph._lifting, graph._control_flow_context)
                graph._lifting, graph._control_flow_context = False, None
                self._stack = [graph.as_default(), graph.control_dependencies(None),
                               graph.name_scope(None)]
                for cm in self._stack:
                    cm.__enter__()

            def __exit__(self, *exc):
                for cm in reversed(self._stack):
                    cm.__exit__(*exc)
                graph._lifting, graph._control_flow_context = self._saved
                return False
        return Scope()


class ConcreteFunction:
    """One trace: its graph, placeholders, outputs, and the session that runs it."""

    def __init__(self, function, args, kwargs, name):
        from .ops import array
        from .runtime.session import Session
        self.graph = graph = TraceGraph(name)
        self._placeholders = []
        signature = function.input_signature
        self._from_signature = signature is not None
        counter = [0]

        def placeholder_for(value, spec=None):
            if spec is None:
                if isinstance(value, eager.EagerTensor):
                    dtype, shape = value.dtype.base_dtype, value.shape
                else:
                    dtype = dtypes.as_dtype(value.dtype)
                    shape = tensor_shape.TensorShape(value.shape)
            else:
                dtype, shape = spec.dtype, spec.shape
            name = (spec.name if spec is not None and spec.name else "arg%d" % counter[0])
            counter[0] += 1
            ph = array.placeholder(dtype, shape, name=name)
            self._placeholders.append(ph)
            return ph

        def symbolic(value):
            if isinstance(value, eager.EagerTensor) and value._variable is None or \
                    isinstance(value, np.ndarray):
                return placeholder_for(value)
            if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
                return type(value)(symbolic(v) for v in value)
            if isinstance(value, dict):  # in eager._flatten's order: sorted keys
                return {k: symbolic(value[k]) for k in sorted(value)}
            return value

        with eager.graph_mode(graph):
            if signature is not None:
                graph_args = [placeholder_for(None, spec) for spec in signature]
                graph_kwargs = {}
            else:
                graph_args, graph_kwargs = symbolic(list(args)), symbolic(kwargs)
            outputs = function.python_function(*graph_args, **graph_kwargs)
            self._structure = outputs
            leaves = eager._flatten(outputs)
            self._fetch_positions = []
            fetches, targets = [], []
            for i, leaf in enumerate(leaves):
                if isinstance(leaf, state_ops.Variable):
                    leaf = leaf.value()
                if isinstance(leaf, graph_mod.Tensor) and not isinstance(leaf,
                                                                          eager.EagerTensor):
                    self._fetch_positions.append((i, len(fetches)))
                    fetches.append(leaf)
                elif isinstance(leaf, graph_mod.Operation):
                    targets.append(leaf)
            self._leaves = leaves
            written = self._written_variables()
            # Stateful ops run on every call, returned or not (TF2's automatic control
            # dependencies); the written variables are read back after them.
            plumbing = {gv.initializer for _, gv, _ in graph.captured_variables}
            stateful = [op for op in graph.get_operations() if op.op_def.stateful
                        and op.type not in _STATE_PLUMBING and op not in plumbing]
            with graph.control_dependencies(stateful):
                self._write_back = [(v, array.identity(gv._ref(), name="write_back"))
                                    for v, gv in written]
        self._num_outputs = len(fetches)
        self._fetches = fetches + [read for _, read in self._write_back] + targets + stateful
        self._initializers = {id(v): (gv.initializer, ph)
                              for v, gv, ph in graph.captured_variables}
        self._synced = {}  # id(eager variable) -> the value array the session holds
        self._session = Session(graph=graph)
        graph.finalize()

    def _written_variables(self):
        written = []
        for variable, graph_variable, _ in self.graph.captured_variables:
            ref = graph_variable._ref()
            for op in ref.consumers():
                positions = [i for i, t in enumerate(op.inputs) if t is ref]
                if op.op_def.stateful and op is not graph_variable.initializer and \
                        any(i in op.op_def.ref_inputs for i in positions) and \
                        op.type != "IsVariableInitialized":
                    written.append((variable, graph_variable))
                    break
        return written

    @property
    def inputs(self):
        return list(self._placeholders)

    @property
    def outputs(self):
        return list(self._fetches[:self._num_outputs])

    def __call__(self, *args, **kwargs):
        return self._call(args, kwargs)

    def _call(self, args, kwargs):
        if self._from_signature:
            values = [_feed_value(v) for v in args]
        else:
            values = [_feed_value(v) for v in eager._flatten([list(args), kwargs])
                      if isinstance(v, np.ndarray) or
                      (isinstance(v, eager.EagerTensor) and v._variable is None)]
        feeds = dict(zip(self._placeholders, values))
        self._load_changed_variables()
        results = self._session.run(self._fetches, feeds)
        for (variable, _), value in zip(self._write_back,
                                        results[self._num_outputs:
                                                self._num_outputs + len(self._write_back)]):
            variable._handle.assign(value, validate_shape=False)
            self._synced[id(variable)] = variable._handle.value()
        leaves = list(self._leaves)
        for leaf_index, fetch_index in self._fetch_positions:
            tensor = self._fetches[fetch_index]
            leaves[leaf_index] = eager.EagerTensor(np.asarray(results[fetch_index]),
                                                   tensor.dtype.base_dtype)
        for i, leaf in enumerate(leaves):
            if isinstance(leaf, graph_mod.Operation):
                leaves[i] = None
        return eager._pack_like(self._structure, leaves)

    def _load_changed_variables(self):
        """Eager values the session has not seen yet (first call, or changed eagerly since)."""
        targets, feeds = [], {}
        for variable, _, _ in self.graph.captured_variables:
            current = variable._handle.value()
            if self._synced.get(id(variable)) is not current:
                initializer, placeholder = self._initializers[id(variable)]
                targets.append(initializer)
                feeds[placeholder] = current
                self._synced[id(variable)] = current
        if targets:
            self._session.run(targets, feeds)


_STATE_PLUMBING = ("VariableV2", "IsVariableInitialized")


def _feed_value(value):
    if isinstance(value, eager.EagerTensor):
        return value._array()
    return value
