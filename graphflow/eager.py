"""Eager execution: the same op records, run at once.

While eager execution is on, the default graph is the *eager context* (``context``), a Graph
whose ops are never stored: ``OpDef.create`` hands each op to ``EagerContext.execute``, which
runs the record's shape rule on the inputs, its numpy ``ref`` kernel on their values and returns
``EagerTensor`` s holding the results. Variables hold numpy values behind the same
``VariableHandle`` the session's kernels use, so the state ops (Assign, ApplyAdam...) run
unchanged. ``GradientTape`` records (op record, inputs, outputs, attrs) and replays the records'
gradient rules backwards, eagerly, so graph mode and eager mode differentiate with one rule set.

    import graphflow as tf
    tf.enable_eager_execution()          # at program start, as in TF1
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(x * x)
    tape.gradient(y, x).numpy()          # array([2., 4.], dtype=float32)

Scopes: ``eager_mode()`` runs a block eagerly (also in a graph-mode program), ``graph_mode()``
builds a graph inside an eager program. ``graphflow.function`` (function.py) traces eager code
into a graph and runs it through a Session.
"""
import contextlib
import itertools
import threading

import numpy as np

from . import autodiff
from .framework import dtypes, errors, graph as graph_mod, tensor_shape
from .ops import registry
from .ops import state as state_ops
from .runtime.state import RandomStreams, VariableHandle

_CPU = "/job:localhost/replica:0/task:0/device:CPU:0"


# -- eager tensors ------------------------------------------------------------------------------
class EagerTensor(graph_mod.Tensor):
    """A value computed eagerly: a numpy array with a dtype (``.numpy()``, ``np.asarray``).

    A reference-typed EagerTensor (a variable's ``_variable``) holds the variable's handle and
    reads its current value.  Like TF's EagerTensor it knows no op, graph or name; it does not
    keep the ops that produced it alive (a GradientTape keeps what it recorded).
    """

    def __init__(self, value, dtype, name=None, variable=None):  # noqa: D107 - no super(): no op
        self._value = value
        self._dtype = dtype
        self._shape = None
        self._name = name
        self._variable = variable  # the EagerVariable whose handle this is (reference tensors)

    # -- what a tensor knows --------------------------------------------------------------------
    dtype = property(lambda self: self._dtype)
    graph = property(lambda self: context)
    device = property(lambda self: _CPU)

    @property
    def shape(self):
        if self._shape is None:
            self._shape = tensor_shape.TensorShape(np.shape(self._array()))
        return self._shape

    @property
    def ndim(self):
        return self.shape.ndims

    @property
    def name(self):
        if self._name is None:
            raise AttributeError("Tensor.name is meaningless when eager execution is enabled.")
        return self._name

    @property
    def op(self):
        return _ValueOp(self)

    value_index = _value_index = 0

    def _as_node_def_input(self):  # how shape-error messages name an input
        return "eager_value"

    def get_shape(self):
        return self.shape

    def set_shape(self, shape):
        if not self.shape.is_compatible_with(shape):
            raise ValueError("Tensor's shape %s is not compatible with supplied shape %s"
                             % (self.shape, tensor_shape.as_shape(shape)))

    def consumers(self):
        raise AttributeError("Tensor.consumers() is meaningless when eager execution is enabled.")

    def _array(self):
        value = self._value
        return value.value() if type(value) is not np.ndarray and \
            isinstance(value, VariableHandle) else value

    # -- numpy interop ----------------------------------------------------------------------------
    def numpy(self):
        """A copy of the value (a numpy scalar for a 0-d tensor), as TF's ``.numpy()``."""
        value = self._array()
        if isinstance(value, np.ndarray) and value.ndim == 0:
            return value[()]
        return np.array(value, copy=True)

    def __array__(self, dtype=None, copy=None):
        value = np.asarray(self._array())
        if dtype is not None and value.dtype != dtype:
            return value.astype(dtype)
        return np.array(value, copy=True) if copy else value

    def eval(self, feed_dict=None, session=None):
        raise NotImplementedError("eval is not supported when eager execution is enabled, is "
                                  ".numpy() what you're looking for?")

    # -- Python scalars and containers ------------------------------------------------------------
    def _scalar(self, kind):
        value = self._array()
        if np.ndim(value) != 0 and np.size(value) != 1:
            raise TypeError("only size-1 tensors can be converted to Python %s scalars, got one "
                            "of shape %s" % (kind, self.shape))
        return np.asarray(value).reshape(())[()]

    def __bool__(self):
        return bool(self._scalar("bool"))

    def __float__(self):
        return float(self._scalar("float"))

    def __int__(self):
        return int(self._scalar("int"))

    def __index__(self):
        if not self._dtype.base_dtype.is_integer:
            raise TypeError("Only integer tensors can be used as an index, got %s"
                            % self._dtype.base_dtype.name)
        return int(self._scalar("int"))

    def __len__(self):
        if self.shape.ndims == 0:
            raise TypeError("Scalar tensor has no `len()`")
        return self.shape.as_list()[0]

    def __iter__(self):
        if self.shape.ndims == 0:
            raise TypeError("Cannot iterate over a scalar tensor.")
        for i in range(len(self)):
            yield self[i]

    def __format__(self, format_spec):
        value = self._array()
        return format(value[()] if np.ndim(value) == 0 else value, format_spec)

    # -- printing ---------------------------------------------------------------------------------
    def __repr__(self):
        value = np.asarray(self._array())
        text = str(value[()]) if value.ndim == 0 else repr(value)
        return "<tf.Tensor: shape=%s, dtype=%s, numpy=%s>" % (
            _shape_text(self.shape), self._dtype.name, text)

    def __str__(self):
        return "tf.Tensor(%s, shape=%s, dtype=%s)" % (
            np.asarray(self._array()), _shape_text(self.shape), self._dtype.name)


def _shape_text(shape):
    return str(tuple(shape.as_list()))


class _ValueOp:
    """What ``eager_tensor.op`` gives the TF1 code that reaches for it (optimizers hand update
    ops to ``tf.group``): a name-less stand-in in the eager context, holding only the value."""

    __slots__ = ("_tensor",)
    name = ""
    type = "EagerValue"
    inputs = ()
    control_inputs = ()

    def __init__(self, tensor):
        self._tensor = tensor

    graph = property(lambda self: context)
    outputs = property(lambda self: [self._tensor])

    def run(self, feed_dict=None, session=None):
        """Eagerly everything ran already."""


class EagerOperation:
    """One executed op as a GradientTape records it: the fields gradient rules read."""

    __slots__ = ("op_def", "name", "inputs", "outputs", "_attrs")
    control_inputs = ()

    def __init__(self, op_def, name, inputs, attrs, outputs):
        self.op_def, self.name, self.inputs, self._attrs = op_def, name, tuple(inputs), attrs
        self.outputs = outputs

    type = property(lambda self: self.op_def.name)
    graph = property(lambda self: context)
    attrs = property(lambda self: dict(self._attrs))
    device = property(lambda self: _CPU)

    def get_attr(self, name):
        if name == "T" and name not in self._attrs and self.inputs:
            return self.inputs[0].dtype.base_dtype
        if name not in self._attrs:
            raise ValueError("Operation '%s' has no attr named '%s'." % (self.name, name))
        return self._attrs[name]

    def values(self):
        return tuple(self.outputs)

    def run(self, feed_dict=None, session=None):
        """Eagerly the op ran when it was created."""

    def __repr__(self):
        return "<eager Operation %s>" % self.type


# -- the eager context ---------------------------------------------------------------------------
class _ThreadState(threading.local):
    def __init__(self):
        super().__init__()
        self.tapes = []  # GradientTapes recording now, innermost last


_thread = _ThreadState()


class EagerContext(graph_mod.Graph):
    """The default graph while executing eagerly. Ops created "in" it run at once; nothing is
    stored, names are not made unique (as in TF's eager mode) and control dependencies are
    moot, because every op has run before the next one is built."""

    executes_eagerly = True
    creates_eager_variables = True

    def __init__(self):
        super().__init__()
        self._op_seed_counter = 0
        self._random = RandomStreams()
        self._random_keys = 0
        self._unseeded = np.random.Generator(np.random.Philox())
        self._variable_handles = 0

    @property
    def building_function(self):
        # Ops stay here whatever their inputs: a graph tensor passed in is an error, not a
        # reason to build in its graph.
        return True

    # -- seeds: set_random_seed restarts the sequence, as TF's eager context does ----------------
    @property
    def seed(self):
        return self._seed

    @seed.setter
    def seed(self, value):
        self._seed = value
        self._op_seed_counter = 0
        self._random = RandomStreams()
        self._random_keys = 0

    @property
    def _last_id(self):
        # Random ops without an op seed take the next number of this counter (graph mode
        # uses the op count): seeded programs replay, successive calls differ.
        self._op_seed_counter += 1
        return self._op_seed_counter

    def _generator(self, seed, seed2):
        if not seed and not seed2:
            return self._unseeded
        self._random_keys += 1
        if self._random_keys > 4096:  # counter-derived seeds are endless; keep the cache small
            self._random = RandomStreams()
            self._random_keys = 0
        return self._random.generator((seed, seed2), seed, seed2)

    # -- naming and dependencies -------------------------------------------------------------------
    def unique_name(self, name, mark_as_used=True):
        return self._name_stack + "/" + name if self._name_stack else name

    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        yield

    def _create_op(self, op_def, name, inputs, attrs, output_specs):
        raise RuntimeError("internal error: op %s reached the eager context's graph-building "
                           "path" % op_def.name)

    # -- running ops -------------------------------------------------------------------------------
    def execute(self, op_def, inputs, attrs, name):
        """Runs one op record now; returns an EagerOperation (its outputs are EagerTensors)."""
        if graph_mod.get_default_graph() is not self:
            raise _eager_value_in_graph(op_def.name, inputs)
        if op_def.makes_dead or op_def.takes_dead or "compiled" in op_def.needs:
            raise TypeError(
                "%s is graph control flow machinery, which has no eager form: tf.cond and "
                "tf.while_loop run their branches directly when executing eagerly; wrap code "
                "that builds %s by hand in graphflow.function." % (op_def.name, op_def.name))
        if op_def is _PLACEHOLDER:
            raise RuntimeError("tf.placeholder() is not compatible with eager execution.")
        tensors = self._convert_inputs(op_def, inputs)
        try:
            specs = op_def.shape(*tensors, **attrs)
        except ValueError as e:  # eagerly the values are at hand: TF's run-time error class
            raise errors.InvalidArgumentError(None, name or op_def.name, str(e)) from e
        if isinstance(specs, registry.Spec):
            specs = [specs]
        ref_inputs = op_def.ref_inputs
        args = []
        for i, t in enumerate(tensors):
            if t._dtype._is_ref and i not in ref_inputs:
                if op_def.aliases_input:  # reading a variable: a snapshot of its value
                    args.append(t._value.value())
                    continue
                t = tensors[i] = read_variable(t)
            args.append(t._value)
        resources = [self._resource(need, attrs) for need in op_def.needs]
        try:
            with np.errstate(all="ignore"):
                result = op_def.ref(*resources, *args, **attrs)
        except errors.OpError:
            raise
        except Exception as e:  # a kernel rejecting its inputs: TF's run-time error class
            raise errors.InvalidArgumentError(None, name or op_def.name, "%s: %s (in eager op %s)"
                                              % (type(e).__name__, e, op_def.name)) from e
        if len(specs) == 1:
            result = (result,)
        elif not specs:
            result = ()
        outputs = [self._output(value, spec, op_def) for value, spec in zip(result, specs)]
        op = EagerOperation(op_def, name or op_def.name, tensors, attrs, outputs)
        if _thread.tapes and op_def.grad is not registry.NOT_DIFFERENTIABLE:
            for tape in _thread.tapes:
                tape._record(op)
        return op

    def _convert_inputs(self, op_def, inputs):
        from .ops.convert import convert_to_tensor
        preferred = next((x._dtype.base_dtype for x in inputs if isinstance(x, EagerTensor)),
                         None)
        tensors = []
        for i, x in enumerate(inputs):
            if not isinstance(x, EagerTensor):
                if isinstance(x, graph_mod.Tensor):
                    raise _graph_tensor_used_eagerly(x, op_def.name)
                x = convert_to_tensor(x, preferred_dtype=preferred)
                if not isinstance(x, EagerTensor):
                    raise _graph_tensor_used_eagerly(x, op_def.name)
            tensors.append(x)
        return tensors

    def _resource(self, need, attrs):
        if need == "rng":
            return self._generator(attrs.get("seed") or 0, attrs.get("seed2") or 0)
        if need == "variable":
            self._variable_handles += 1
            shape = attrs["shape"]
            return VariableHandle("eager_variable_%d" % self._variable_handles,
                                  attrs["dtype"].numpy_dtype,
                                  None if shape.ndims is None else tuple(shape.as_list()), {})
        raise NotImplementedError("ops needing %r do not run eagerly" % need)

    @staticmethod
    def _output(value, spec, op_def):
        dtype = dtypes.as_dtype(spec.dtype)
        if isinstance(value, VariableHandle):
            if "variable" in op_def.needs:
                return EagerTensor(value, dtype)
            # An update op's output reference: eagerly, the value right after the update.
            value, dtype = value.value(), dtype.base_dtype
        if type(value) is not np.ndarray:
            value = np.asarray(value)
        np_dtype = dtype.numpy_dtype
        if value.dtype != np_dtype and np_dtype is not object:
            value = value.astype(np_dtype)
        return EagerTensor(value, dtype)


_PLACEHOLDER = registry.get("Placeholder")
_IDENTITY = registry.get("Identity")
context = EagerContext()


def read_variable(ref_tensor):
    """An eager read of a variable's reference tensor (Identity, so tapes see the read)."""
    return context.execute(_IDENTITY, [ref_tensor], {}, "read").outputs[0]


def _eager_value_in_graph(op_name, inputs):
    culprit = next((x for x in inputs if isinstance(x, EagerTensor) or (
        hasattr(x, "_as_graph_element") and isinstance(x._as_graph_element(), EagerTensor))),
        None)
    return eager_tensor_in_graph_error(culprit, op_name)


def eager_tensor_in_graph_error(tensor, op_name):
    what = "An eager value (%r)" % (tensor,)
    if isinstance(tensor, EagerTensor) and tensor._variable is not None:
        what = "The eager variable %s" % tensor._variable.name
    where = "graph op '%s'" % op_name if op_name else "a graph"
    return TypeError(
        "%s was passed to %s while building a graph (not executing eagerly). Eager values "
        "are not graph nodes: pass the value with `.numpy()` (as a constant or a feed), or run "
        "the code through graphflow.function, which captures eager values and variables."
        % (what, where))


EagerContext.eager_tensor_in_graph_error = staticmethod(eager_tensor_in_graph_error)


def _graph_tensor_used_eagerly(tensor, op_name):
    return TypeError(
        "Graph tensor %s was used by op '%s' while executing eagerly. A graph tensor has no "
        "value until a Session runs it: build and run it in graph mode "
        "(graphflow.eager.graph_mode() or its Graph's as_default()), or compute it eagerly "
        "from eager values." % (getattr(tensor, "name", tensor), op_name))


# -- switching modes ------------------------------------------------------------------------------
_graph_mode_default = []  # the global default graph that enable_eager_execution replaced


def executing_eagerly():
    """True while ops run at once: after enable_eager_execution() (outside any
    ``Graph.as_default()``) or inside ``eager_mode()``; False by default, as in TF1."""
    return graph_mod.get_default_graph().executes_eagerly


def enable_eager_execution(config=None, device_policy=None, execution_mode=None):
    """Turns eager execution on for the whole program. As in TF1 it must come first: after
    graph ops exist it raises ValueError."""
    stack = graph_mod._DefaultGraphStack
    current = stack.global_default
    if current is context:
        return
    if graph_mod._default_graph_stack.stack or (current is not None and current._ops):
        raise ValueError("tf.enable_eager_execution must be called at program startup.")
    _graph_mode_default[:] = [current if current is not None else graph_mod.Graph()]
    stack.global_default = context


enable_v2_behavior = enable_eager_execution


def disable_eager_execution():
    """Back to graph mode (TF1's default): a fresh default graph."""
    stack = graph_mod._DefaultGraphStack
    if stack.global_default is context:
        stack.global_default = graph_mod.Graph()
    _graph_mode_default[:] = []


@contextlib.contextmanager
def eager_mode():
    """Runs the block eagerly, whatever the program's mode (tests, mixing in a TF1 program)."""
    with context.as_default():
        yield


@contextlib.contextmanager
def graph_mode(graph=None):
    """Builds ops into ``graph`` (default: the program's graph-mode default graph) inside an
    eager program; returns that graph."""
    if graph is None:
        if graph_mod._DefaultGraphStack.global_default is not context:
            graph = graph_mod._DefaultGraphStack.global_default or graph_mod.get_default_graph()
        else:
            if not _graph_mode_default:
                _graph_mode_default.append(graph_mod.Graph())
            graph = _graph_mode_default[0]
    with graph.as_default():
        yield graph


# -- variables -----------------------------------------------------------------------------------
class _VariableOp:
    """``eager_variable.op``: its name (for update scopes and slot names) and a graph that is
    the same in eager code and in every graphflow.function trace (optimizer slot keys)."""

    __slots__ = ("name",)
    type = "VarHandleOp"
    graph = property(lambda self: context)
    inputs = ()

    def __init__(self, name):
        self.name = name


_variable_ids = itertools.count()


class EagerVariable(state_ops.Variable):
    """``tf.Variable`` while executing eagerly: holds its value at once (no initializer to run)
    behind a VariableHandle, so the state and training ops update it as in a session.

    Inside a graphflow.function trace it stands for a variable of the traced graph that the
    function's session keeps in step with this value (see function.py).
    """

    def __init__(self, initial_value=None, trainable=None, collections=None,
                 validate_shape=True, caching_device=None, name=None, variable_def=None,
                 dtype=None, expected_shape=None, import_scope=None, constraint=None,
                 use_resource=None, synchronization=None, aggregation=None, shape=None):
        from .ops.convert import convert_to_tensor
        if variable_def is not None:
            raise ValueError("variable_def cannot be used to create a variable while executing "
                             "eagerly.")
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        with eager_mode(), context.name_scope(name or "Variable") as scope:
            if callable(initial_value):
                with context.name_scope("Initializer"):
                    initial_value = initial_value()
            if isinstance(initial_value, state_ops.Variable):
                initial_value = initial_value.initialized_value()
            if isinstance(initial_value, graph_mod.Tensor) and \
                    not isinstance(initial_value, EagerTensor):
                raise ValueError(
                    "The initial value of variable %s is the graph tensor %s, which has no "
                    "value eagerly. Create the variable outside graphflow.function, or give "
                    "it a callable or a numpy value." % (scope.rstrip("/"), initial_value.name))
            value = convert_to_tensor(initial_value, dtype=dtype)
        op_name = scope.rstrip("/")
        base = value.dtype.base_dtype
        if shape is not None:
            var_shape = tensor_shape.as_shape(shape)
            if not var_shape.is_compatible_with(value.shape):
                raise ValueError("The initial value's shape (%s) is not compatible with the "
                                 "explicitly supplied `shape` argument (%s)."
                                 % (value.shape, var_shape))
        else:
            var_shape = value.shape if validate_shape else tensor_shape.unknown_shape()
        self._handle = VariableHandle(op_name + ":0", base.numpy_dtype,
                                      None if var_shape.ndims is None
                                      else tuple(var_shape.as_list()), {})
        self._handle.assign(value._array(), validate_shape=False)
        self._variable = EagerTensor(self._handle, base._as_ref, op_name + ":0", variable=self)
        self._declared_shape = var_shape
        self._op = _VariableOp(op_name)
        self._unique_id = ("eager variable", next(_variable_ids))
        self._initial_value = value
        self._initializer_op = None
        self._snapshot = None
        self._trainable = True if trainable is None else trainable
        self._constraint = constraint
        self._save_slice_info = None
        self._caching_device = caching_device

    # -- identity ---------------------------------------------------------------------------------
    name = property(lambda self: self._variable.name)
    op = property(lambda self: self._op)
    dtype = property(lambda self: self._variable.dtype.base_dtype)
    device = property(lambda self: _CPU)
    shape = property(lambda self: tensor_shape.TensorShape(self._handle.value().shape))

    @property
    def graph(self):
        trace = _tracing_graph()
        return trace if trace is not None else context

    def get_shape(self):
        return self.shape

    def set_shape(self, shape):
        raise ValueError("The shape of an eager variable follows its value; assign a value of "
                         "the new shape (validate_shape=False) instead.")

    # -- values -----------------------------------------------------------------------------------
    def value(self):
        default = graph_mod.get_default_graph()
        if default.executes_eagerly:
            return read_variable(self._variable)
        return self._graph_variable(default).value()

    def _ref(self):
        default = graph_mod.get_default_graph()
        if default.executes_eagerly:
            return self._variable
        return self._graph_variable(default)._ref()

    def _as_graph_element(self):
        return self._variable

    def _graph_variable(self, default):
        trace = _tracing_graph(default)
        if trace is None:
            raise eager_tensor_in_graph_error(self._variable, None)
        return trace.capture_variable(self)

    def read_value(self):
        from .ops import array
        return array.identity(self._ref(), name="read")

    def initialized_value(self):
        return self.value()

    def numpy(self):
        return self._variable.numpy()

    def __array__(self, dtype=None, copy=None):
        return self._variable.__array__(dtype, copy)

    def eval(self, session=None):
        return self.numpy()

    def load(self, value, session=None):
        self.assign(value)

    def to_proto(self, export_scope=None):
        raise ValueError("An eager variable has no graph to describe: save it with "
                         "tf.train.Saver in graph mode, or save its .numpy() value.")

    def __repr__(self):
        value = np.asarray(self._handle.value())
        text = str(value[()]) if value.ndim == 0 else repr(value)
        return "<tf.Variable '%s' shape=%s dtype=%s, numpy=%s>" % (
            self.name, _shape_text(self.shape), self.dtype.name, text)

    def __bool__(self):
        return bool(self._variable)

    def __float__(self):
        return float(self._variable)

    def __int__(self):
        return int(self._variable)


def _tracing_graph(default=None):
    """The graphflow.function trace being built (also from inside its tf.while_loop bodies)."""
    graph = default if default is not None else graph_mod.get_default_graph()
    while graph is not None:
        if getattr(graph, "captures_eager_values", False):
            return graph
        graph = getattr(graph, "outer", None)
    return None


EagerContext.eager_variable_class = EagerVariable


# -- GradientTape --------------------------------------------------------------------------------
_NON_PERSISTENT_REUSE = ("A non-persistent GradientTape can only be used to compute one set of "
                         "gradients (or jacobians)")


class GradientTape:
    """``tf.GradientTape``: records eager ops on watched values and differentiates them.

    Trainable variables are watched when read (``watch_accessed_variables``); other tensors
    with ``watch``. ``gradient`` walks the records backwards through each op record's gradient
    rule, the same rules ``tf.gradients`` uses, run eagerly. Gradient ops run while the tape
    pauses itself, so an outer tape records them (second order). Inside a graph (a
    graphflow.function trace) ``gradient`` is ``tf.gradients``.
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = persistent
        self._watch_accessed_variables = watch_accessed_variables
        self._tracked = {}  # id(tensor) -> tensor, kept alive so ids stay unique
        self._records = []
        self._watched_variables = {}
        self._recording = False
        self._used = False
        self._eager = None

    def __enter__(self):
        self._eager = executing_eagerly()
        self._push()
        return self

    def __exit__(self, *exc):
        self._pop()
        return False

    def _push(self):
        if self._eager and self not in _thread.tapes:
            _thread.tapes.append(self)
        self._recording = True

    def _pop(self):
        if self in _thread.tapes:
            _thread.tapes.remove(self)
        self._recording = False

    @contextlib.contextmanager
    def stop_recording(self):
        """Ops in this block are not recorded on this tape."""
        if not self._recording:
            raise ValueError("Tape.stop_recording() can only be called while the tape is "
                             "recording (inside its `with` block).")
        self._pop()
        try:
            yield
        finally:
            self._push()

    def reset(self):
        """Forgets everything recorded so far (the tape keeps recording)."""
        self._tracked.clear()
        self._records = []
        self._watched_variables.clear()

    # -- what is watched ----------------------------------------------------------------------
    def watch(self, tensor):
        for t in _flatten(tensor):
            if isinstance(t, state_ops.Variable):
                if isinstance(t, EagerVariable):
                    self._watch_variable(t)
                continue
            if isinstance(t, EagerTensor):
                if t._variable is not None:
                    self._watch_variable(t._variable)
                else:
                    self._tracked[id(t)] = t
            elif not isinstance(t, graph_mod.Tensor):
                raise ValueError("Passed in object of type %s, not tf.Tensor or tf.Variable"
                                 % type(t).__name__)

    def _watch_variable(self, variable):
        self._watched_variables[id(variable)] = variable
        self._tracked[id(variable._variable)] = variable._variable

    def watched_variables(self):
        return tuple(self._watched_variables.values())

    def _record(self, op):
        tracked = self._tracked
        inputs = op.inputs
        if self._watch_accessed_variables and op.op_def is _IDENTITY and \
                inputs[0]._variable is not None and inputs[0]._variable.trainable:
            self._watch_variable(inputs[0]._variable)
        if not any(id(t) in tracked for t in inputs):
            return
        self._records.append(op)
        for t in op.outputs:
            if t._dtype.is_floating or t._dtype.is_complex:
                tracked[id(t)] = t

    # -- differentiating ------------------------------------------------------------------------
    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients="none"):
        """d(sum of targets)/d(source) for each source, shaped like ``sources``."""
        if self._used and not self._persistent:
            raise RuntimeError(_NON_PERSISTENT_REUSE)
        unconnected = getattr(unconnected_gradients, "value", unconnected_gradients)
        if unconnected not in ("none", "zero"):
            raise ValueError("Unknown value for unconnected_gradients: %r"
                             % (unconnected_gradients,))
        targets = _flatten(target)
        flat_sources = _flatten(sources)
        if output_gradients is not None:
            output_gradients = _flatten(output_gradients)
            if len(output_gradients) != len(targets):
                raise ValueError("Passed %d output_gradients for %d targets"
                                 % (len(output_gradients), len(targets)))
        if not self._eager:
            result = autodiff.gradients(targets, flat_sources, grad_ys=output_gradients,
                                        unconnected_gradients=unconnected)
        else:
            was_recording = self._recording
            self._pop()
            try:
                with eager_mode():
                    result = self._backprop(targets, flat_sources, output_gradients, unconnected)
            finally:
                if was_recording:
                    self._push()
        if not self._persistent:
            self._used = True
            self.reset()
        return _pack_like(sources, result)

    def _backprop(self, targets, sources, output_gradients, unconnected):
        from .ops import array as array_ops
        grads = {}
        for i, y in enumerate(targets):
            if isinstance(y, state_ops.Variable):
                y = y.value()
            if not isinstance(y, EagerTensor):
                raise _graph_tensor_used_eagerly(y, "GradientTape.gradient")
            if id(y) not in self._tracked:
                continue
            if output_gradients is not None and output_gradients[i] is not None:
                from .ops.convert import convert_to_tensor
                g = convert_to_tensor(output_gradients[i], dtype=y.dtype.base_dtype)
            else:
                if not autodiff._is_backpropagatable(y):
                    raise TypeError("Gradients of %s are not supported: only floating-point "
                                    "tensors can be differentiated." % y.dtype.base_dtype.name)
                g = array_ops.ones_like(y)
            grads.setdefault(id(y), []).append(g)
        for op in reversed(self._records):
            out_grads = []
            for t in op.outputs:
                contributions = grads.get(id(t))
                if contributions and len(contributions) > 1:
                    contributions[:] = [autodiff._aggregate(contributions)]
                out_grads.append(contributions[0] if contributions else None)
            if all(g is None for g in out_grads):
                continue
            in_grads = autodiff._op_input_gradients(op, out_grads, array_ops)
            for t, g in zip(op.inputs, in_grads):
                if g is None or id(t) not in self._tracked or \
                        not autodiff._is_backpropagatable(t):
                    continue
                grads.setdefault(id(t), []).append(g)
        results = []
        for x in sources:
            key = _source_key(x)
            g = autodiff._aggregate(grads.get(key, [])) if key is not None else None
            if g is None and unconnected == "zero":
                g = array_ops.zeros_like(x.value() if isinstance(x, state_ops.Variable) else x)
            results.append(g)
        return results


def _source_key(x):
    if isinstance(x, EagerVariable):
        return id(x._variable)
    if isinstance(x, EagerTensor):
        return id(x)
    if isinstance(x, (state_ops.Variable, graph_mod.Tensor)):
        raise _graph_tensor_used_eagerly(getattr(x, "name", x), "GradientTape.gradient")
    raise ValueError("GradientTape.gradient sources must be tensors or variables, got %r" % (x,))


def _flatten(value):
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in _flatten(item)]
    if isinstance(value, dict):
        return [leaf for key in sorted(value) for leaf in _flatten(value[key])]
    return [value]


def _pack_like(structure, flat):
    flat = iter(flat)

    def pack(s):
        if isinstance(s, (list, tuple)):
            items = [pack(x) for x in s]
            return type(s)(items) if not hasattr(s, "_fields") else type(s)(*items)
        if isinstance(s, dict):
            return {key: pack(s[key]) for key in sorted(s)}
        return next(flat)
    return pack(structure)


# -- optimizers: the eager halves of compute_gradients / apply_gradients -------------------------
def compute_gradients(loss, var_list=None, grad_loss=None):
    """``Optimizer.compute_gradients`` while executing eagerly: ``loss`` must be a callable,
    run under a GradientTape (TF1's rule)."""
    if not callable(loss):
        raise RuntimeError("`loss` passed to Optimizer.compute_gradients should be a function "
                           "when eager execution is enabled.")
    with GradientTape(watch_accessed_variables=var_list is None) as tape:
        if var_list is not None:
            tape.watch(var_list)
        value = loss()
    if var_list is None:
        var_list = list(tape.watched_variables())
    else:
        var_list = _flatten(var_list)
    if not var_list:
        raise ValueError("No variables to optimize.")
    grads = tape.gradient(value, var_list,
                          output_gradients=None if grad_loss is None else [grad_loss])
    return list(zip(grads, var_list))
