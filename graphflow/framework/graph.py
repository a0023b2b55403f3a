"""The graph IR users build: ``Graph`` holds ``Operation`` s whose outputs are ``Tensor`` s.

An Operation is an instance of an op record (``graphflow.ops.registry.OpDef``) with attrs and
input tensors; everything about what the op means (shapes, kernels, gradient) is read from that
record. Naming follows TF1 exactly: ``unique_name`` gives ``add``, ``add_1``; name scopes nest as
``outer/inner/``.
"""
import contextlib
import re
import threading

from . import dtypes as dtypes_mod
from . import tensor_shape
from .graph_def import NodeDef, graph_to_graph_def

_VALID_OP_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$")
_VALID_SCOPE_NAME = re.compile(r"^[A-Za-z0-9_.\\/>-]*$")


class GraphKeys:
    GLOBAL_VARIABLES = "variables"
    VARIABLES = GLOBAL_VARIABLES
    LOCAL_VARIABLES = "local_variables"
    METRIC_VARIABLES = "metric_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    ASSET_FILEPATHS = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    CONCATENATED_VARIABLES = "concatenated_variables"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    SAVEABLE_OBJECTS = "saveable_objects"
    RESOURCES = "resources"
    LOCAL_RESOURCES = "local_resources"
    TRAINABLE_RESOURCE_VARIABLES = "trainable_resource_variables"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    READY_FOR_LOCAL_INIT_OP = "ready_for_local_init_op"
    SUMMARY_OP = "summary_op"
    GLOBAL_STEP = "global_step"
    EVAL_STEP = "eval_step"
    TRAIN_OP = "train_op"
    COND_CONTEXT = "cond_context"
    WHILE_CONTEXT = "while_context"


class Tensor:
    """The ``value_index``-th output of an Operation: a symbolic value with static dtype/shape."""

    # numpy arrays on the left of an operator defer to the Tensor's reflected method.
    __array_priority__ = 100
    OVERLOADABLE_OPERATORS = {}  # operator name -> function(a, b); filled by graphflow.ops.math

    def __init__(self, op, value_index, dtype, shape):
        self._op = op
        self._value_index = value_index
        self._dtype = dtypes_mod.as_dtype(dtype)
        self._shape = tensor_shape.as_shape(shape)
        self._consumers = []

    op = property(lambda self: self._op)
    value_index = property(lambda self: self._value_index)
    dtype = property(lambda self: self._dtype)
    graph = property(lambda self: self._op.graph)
    device = property(lambda self: self._op.device)
    shape = property(lambda self: self._shape)

    @property
    def name(self):
        return "%s:%d" % (self._op.name, self._value_index)

    def get_shape(self):
        return self._shape

    def set_shape(self, shape):
        shape = tensor_shape.as_shape(shape)
        problem = tensor_shape.merge_error(self._shape, shape)
        if problem is not None:
            raise ValueError(problem)
        merged = self._shape.merge_with(shape)
        if merged != self._shape:
            self._shape = merged
            # Sessions check feeds against static shapes captured in their plans.
            self.graph._mutated()

    def consumers(self):
        return list(self._consumers)

    def eval(self, feed_dict=None, session=None):
        return _run_using_default_session(self, feed_dict, self.graph, session, "tensor")

    def _as_node_def_input(self):
        return self._op.name if self._value_index == 0 else self.name

    def __repr__(self):
        return "<tf.Tensor '%s' shape=%s dtype=%s>" % (self.name, self._shape, self._dtype.name)

    def __str__(self):
        # TF1 leaves the shape out entirely when even the rank is unknown.
        if self._shape.ndims is None:
            return 'Tensor("%s", dtype=%s)' % (self.name, self._dtype.name)
        return 'Tensor("%s", shape=%s, dtype=%s)' % (self.name, self._shape, self._dtype.name)

    # TF1 semantics: == is identity, so tensors can be dict keys and set members.
    __hash__ = object.__hash__

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    def __bool__(self):
        raise TypeError("Using a `tf.Tensor` as a Python `bool` is not allowed. Use `if t is not "
                        "None:` instead of `if t:` to test if a tensor is defined, and use "
                        "TensorFlow ops such as tf.cond to execute subgraphs conditioned on the "
                        "value of a tensor.")

    def __iter__(self):
        raise TypeError("Tensor objects are only iterable when eager execution is enabled. To "
                        "iterate over this tensor use tf.map_fn or tf.unstack.")

    def __len__(self):
        raise TypeError("len is not well defined for a symbolic Tensor (%s). Please call "
                        "`x.shape` rather than `len(x)` for shape information." % self.name)

    def __array__(self, dtype=None, copy=None):
        raise NotImplementedError("Cannot convert a symbolic Tensor (%s) to a numpy array. Run "
                                  "it in a Session (sess.run(t) or t.eval()) to get its value."
                                  % self.name)


def _overload(op_name, reflected=False):
    def method(self, *args):
        fn = Tensor.OVERLOADABLE_OPERATORS[op_name]
        if reflected:
            return fn(args[0], self, _reflected=True)
        return fn(self, *args)
    method.__name__ = "__%s%s__" % ("r" if reflected else "", op_name)
    return method


for _name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or",
              "xor"):
    setattr(Tensor, "__%s__" % _name, _overload(_name))
    setattr(Tensor, "__r%s__" % _name, _overload(_name, reflected=True))
for _name in ("lt", "le", "gt", "ge", "neg", "abs", "invert", "getitem"):
    setattr(Tensor, "__%s__" % _name, _overload(_name))
Tensor.__div__ = Tensor.__truediv__
Tensor.__rdiv__ = Tensor.__rtruediv__


class Operation:
    """A node: an op record applied to input tensors with attrs; produces ``outputs``."""

    def __init__(self, graph, op_def, name, inputs, attrs, output_specs, control_inputs):
        self._graph = graph
        self._op_def = op_def
        self._name = name
        self._inputs = list(inputs)
        self._attrs = dict(attrs)
        self._control_inputs = list(control_inputs)
        self._outputs = [Tensor(self, i, spec.dtype, spec.shape)
                         for i, spec in enumerate(output_specs)]
        self._id = None
        self._device = ""
        self._control_outputs = []

    name = property(lambda self: self._name)
    type = property(lambda self: self._op_def.name)
    op_def = property(lambda self: self._op_def)
    graph = property(lambda self: self._graph)
    inputs = property(lambda self: tuple(self._inputs))
    outputs = property(lambda self: list(self._outputs))
    control_inputs = property(lambda self: list(self._control_inputs))
    device = property(lambda self: self._device)
    attrs = property(lambda self: dict(self._attrs))

    @property
    def _control_outputs_list(self):
        return self._control_outputs

    def values(self):
        return tuple(self._outputs)

    def get_attr(self, name):
        # Op records do not store TF's type attr "T"; it is the (base) dtype of the inputs,
        # which TF1 gradient code commonly reads.
        if name == "T" and name not in self._attrs and self._inputs:
            return self._inputs[0].dtype.base_dtype
        if name not in self._attrs:
            raise ValueError("Operation '%s' has no attr named '%s'." % (self._name, name))
        return self._attrs[name]

    def _set_attr(self, name, value):
        self._attrs[name] = value
        self._graph._mutated()

    def _add_control_input(self, op):
        self._add_control_inputs([op])

    def _add_control_inputs(self, ops):
        for op in ops:
            op = _as_operation(op)
            if op not in self._control_inputs:
                self._control_inputs.append(op)
                op._control_outputs.append(self)
        self._graph._mutated()

    def run(self, feed_dict=None, session=None):
        _run_using_default_session(self, feed_dict, self.graph, session, "operation")

    @property
    def node_def(self):
        return NodeDef.from_operation(self)

    def __repr__(self):
        return "<tf.Operation '%s' type=%s>" % (self._name, self.type)

    def __str__(self):
        return str(self.node_def)


def _as_operation(x):
    if isinstance(x, Operation):
        return x
    if isinstance(x, Tensor):
        return x.op
    if hasattr(x, "_as_graph_element"):
        return _as_operation(x._as_graph_element())
    if hasattr(x, "op") and isinstance(x.op, Operation):
        return x.op
    raise TypeError("Can not convert a %s into an Operation." % type(x).__name__)


class Graph:
    """A TF1 graph: operations, the naming state, collections and the variable-scope store."""

    # The eager context (graphflow/eager.py) is a Graph that runs ops instead of storing them;
    # it, and graphflow.function's traces, make tf.Variable(...) an eager variable.
    executes_eagerly = False
    creates_eager_variables = False

    def __init__(self):
        self._lock = threading.RLock()
        self._ops_by_name = {}
        self._ops = []
        self._names_in_use = {}
        self._name_stack = ""
        self._control_dependencies_stack = []  # _ControlDependencies frames, outermost first
        self._collections = {}
        self._finalized = False
        self._mutation_version = 0
        self._device_stack = []  # canonical device strings, None (reset) or device functions
        self._unfeedable = set()
        self._unfetchable = set()
        self._seed = None
        self._gradient_override_map = {}
        # The tf.cond branch being built, which rewrites the inputs of ops created inside it.
        self._control_flow_context = None
        self._attr_scope = {}
        # Scratch space for higher layers (variable scopes, global step...) keyed by owner.
        self._extras = {}

    # -- basic properties -------------------------------------------------------------------
    @property
    def seed(self):
        return self._seed

    @seed.setter
    def seed(self, value):
        self._seed = value

    @property
    def finalized(self):
        return self._finalized

    @property
    def version(self):
        return len(self._ops)

    @property
    def _last_id(self):
        return len(self._ops)

    @property
    def building_function(self):
        return False

    def _capture(self, inputs):
        """A function graph replaces outer tensors by its own placeholders; a graph doesn't."""
        return inputs

    def finalize(self):
        self._finalized = True

    def _unsafe_unfinalize(self):
        self._finalized = False

    def _mutated(self):
        self._mutation_version += 1

    def _check_not_finalized(self):
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")

    # -- default-graph context ----------------------------------------------------------------
    @contextlib.contextmanager
    def as_default(self):
        _default_graph_stack.push(self)
        try:
            yield self
        finally:
            _default_graph_stack.pop(self)

    # -- naming --------------------------------------------------------------------------------
    def unique_name(self, name, mark_as_used=True):
        if self._name_stack:
            name = self._name_stack + "/" + name
        name_key = name.lower()
        i = self._names_in_use.get(name_key, 0)
        if mark_as_used:
            self._names_in_use[name_key] = i + 1
        if i > 0:
            base_name_key = name_key
            while name_key in self._names_in_use:
                name_key = "%s_%d" % (base_name_key, i)
                i += 1
            if mark_as_used:
                self._names_in_use[name_key] = 1
            name = "%s_%d" % (name, i - 1)
        return name

    def get_name_scope(self):
        return self._name_stack

    @contextlib.contextmanager
    def name_scope(self, name):
        """TF1's ``Graph.name_scope``: a new unique scope, ``"a/"`` re-enters a scope exactly,
        and ``None``/``""`` resets to the root."""
        if name:
            if not isinstance(name, str):
                raise TypeError("name for name_scope must be a string, got %r" % (name,))
            # Inside a scope the first character may be one an op name cannot start with.
            if self._name_stack:
                if not _VALID_SCOPE_NAME.match(name):
                    raise ValueError("'%s' is not a valid scope name. A scope name has to match "
                                     "the following pattern: %s"
                                     % (name, _VALID_SCOPE_NAME.pattern))
            elif not _VALID_OP_NAME.match(name):
                raise ValueError("'%s' is not a valid root scope name. A root scope name has to "
                                 "match the following pattern: %s"
                                 % (name, _VALID_OP_NAME.pattern))
        old_stack = self._name_stack
        if not name:
            new_stack, returned = "", ""
        elif name[-1] == "/":
            new_stack, returned = name[:-1], name
        else:
            new_stack = self.unique_name(name)
            returned = new_stack + "/"
        self._name_stack = new_stack
        try:
            yield returned
        finally:
            self._name_stack = old_stack

    # -- devices and other accepted-but-irrelevant placement hints ----------------------------
    @contextlib.contextmanager
    def device(self, device_name_or_function):
        """Placement hints are recorded (canonicalized and merged as TF does) so TF1 code and
        graph views see them; execution placement is the backend's choice."""
        if device_name_or_function is None or callable(device_name_or_function):
            entry = device_name_or_function
        else:
            entry = canonical_device(device_name_or_function)
        self._device_stack.append(entry)
        try:
            yield
        finally:
            self._device_stack.pop()

    def _device_for(self, op):
        device = ""
        for entry in self._device_stack:
            if entry is None:
                device = ""
            elif callable(entry):
                chosen = entry(op)
                if chosen is not None:
                    device = merge_devices(device, canonical_device(
                        chosen.to_string() if hasattr(chosen, "to_string") else chosen))
            else:
                device = merge_devices(device, entry)
        return device

    @contextlib.contextmanager
    def colocate_with(self, op, ignore_existing=False):
        yield

    @contextlib.contextmanager
    def gradient_override_map(self, op_type_map):
        saved = dict(self._gradient_override_map)
        self._gradient_override_map.update(op_type_map)
        try:
            yield
        finally:
            self._gradient_override_map = saved

    # -- control dependencies ------------------------------------------------------------------
    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        """Ops created inside run after ``control_inputs``; ``None`` clears the outer ones."""
        if control_inputs is None:
            # As in TF1, None also leaves any tf.cond branch being built (init_scope-like).
            saved = self._control_dependencies_stack, self._control_flow_context
            self._control_dependencies_stack, self._control_flow_context = [], None
            try:
                yield
            finally:
                self._control_dependencies_stack, self._control_flow_context = saved
            return
        current = {op for frame in self._control_dependencies_stack
                   for op in frame.control_inputs}
        ops = []
        for c in control_inputs:
            element = self.as_graph_element(c, allow_tensor=True, allow_operation=True)
            op = element.op if isinstance(element, Tensor) else element
            if op not in current:
                ops.append(op)
                current.add(op)
        self._control_dependencies_stack.append(_ControlDependencies(ops))
        try:
            yield
        finally:
            self._control_dependencies_stack.pop()

    def _current_control_inputs(self, input_ops):
        """TF's rule: a frame adds its ops unless an input was itself created inside that frame
        (it already waits for them), and never an op that is already a data input."""
        result = []
        for frame in self._control_dependencies_stack:
            if any(op in frame.seen for op in input_ops):
                continue
            for op in frame.control_inputs:
                if op not in input_ops and op not in result:
                    result.append(op)
        return result

    def _current_control_dependencies(self):
        return [op for frame in self._control_dependencies_stack for op in frame.control_inputs]

    # -- creating and finding operations -------------------------------------------------------
    def _create_op(self, op_def, name, inputs, attrs, output_specs):
        """Adds an Operation. ``name`` is final if it ends in '/', else made unique."""
        with self._lock:
            self._check_not_finalized()
            inputs = self._capture(inputs)
            for t in inputs:
                if t.graph is not self:
                    if t.graph.executes_eagerly:
                        raise t.graph.eager_tensor_in_graph_error(t, name.rstrip("/"))
                    first = next((x for x in inputs if x.graph is self), None)
                    raise ValueError("%s must be from the same graph as %s (graphs are %r and "
                                     "%r)." % (t, first if first is not None else
                                               "the op being created (%s)" % name.rstrip("/"),
                                               t.graph, self))
            name = name[:-1] if name.endswith("/") else self.unique_name(name)
            if not _VALID_OP_NAME.match(name):
                raise ValueError("`%s` is not a valid node name. Accepted names conform to Regex "
                                 "/%s/" % (name, _VALID_OP_NAME))
            if name in self._ops_by_name:
                raise ValueError("Duplicate node name in graph: '%s'" % name)
            control = self._current_control_inputs({t.op for t in inputs})
            context = self._control_flow_context
            if context is not None:
                inputs, control = context.process_inputs(self, inputs, control)
            op = Operation(self, op_def, name, inputs, attrs, output_specs, control)
            if context is not None:
                context.add_op(op)
            op._id = len(self._ops)
            op._gradient_override = self._gradient_override_map.get(op_def.name)
            op._device = self._device_for(op)
            self._ops.append(op)
            self._ops_by_name[name] = op
            for t in inputs:
                t._consumers.append(op)
            for c in control:
                c._control_outputs.append(op)
            for frame in self._control_dependencies_stack:
                frame.seen.add(op)
            return op

    def get_operations(self):
        return list(self._ops)

    def as_graph_def(self, from_version=None, add_shapes=False):
        """A GraphDef of this graph's nodes (see graphflow/framework/graph_def.py)."""
        with self._lock:
            return graph_to_graph_def(self, from_version, add_shapes)

    def get_operation_by_name(self, name):
        if not isinstance(name, str):
            raise TypeError("Operation names are strings (or similar), not %s."
                            % type(name).__name__)
        return self.as_graph_element(name, allow_tensor=False, allow_operation=True)

    def get_tensor_by_name(self, name):
        if not isinstance(name, str):
            raise TypeError("Tensor names are strings (or similar), not %s." % type(name).__name__)
        return self.as_graph_element(name, allow_tensor=True, allow_operation=False)

    def _get_operation_or_none(self, name):
        return self._ops_by_name.get(name)

    def as_graph_element(self, obj, allow_tensor=True, allow_operation=True):
        if allow_tensor and allow_operation:
            types_str = "Tensor or Operation"
        elif allow_tensor:
            types_str = "Tensor"
        else:
            types_str = "Operation"
        if hasattr(obj, "_as_graph_element") and not isinstance(obj, (Tensor, Operation)):
            obj = obj._as_graph_element()
        if isinstance(obj, str):
            if ":" in obj and allow_tensor:
                try:
                    op_name, index = obj.split(":")
                    index = int(index)
                except ValueError:
                    raise ValueError("The name %r looks a like a Tensor name, but is not a valid "
                                     "one. Tensor names must be of the form "
                                     "\"<op_name>:<output_index>\"." % obj)
                op = self._ops_by_name.get(op_name)
                if op is None:
                    raise KeyError("The name %r refers to a Tensor which does not exist. The "
                                   "operation, %r, does not exist in the graph."
                                   % (obj, op_name))
                if index >= len(op._outputs):
                    raise KeyError("The name %r refers to a Tensor which does not exist. The "
                                   "operation, %r, exists but only has %d outputs."
                                   % (obj, op_name, len(op._outputs)))
                return op._outputs[index]
            if ":" in obj and not allow_tensor:
                raise ValueError("Name %r appears to refer to a Tensor, not a %s."
                                 % (obj, types_str))
            if not allow_operation:
                if obj in self._ops_by_name:
                    raise ValueError("The name %r refers to an Operation, not a %s. Tensor names "
                                     "must be of the form \"<op_name>:<output_index>\"."
                                     % (obj, types_str))
                raise ValueError("The name %r looks like an (invalid) Operation name, not a %s."
                                 % (obj, types_str))
            if obj not in self._ops_by_name:
                raise KeyError("The name %r refers to an Operation not in the graph." % obj)
            return self._ops_by_name[obj]
        if isinstance(obj, Tensor) and allow_tensor:
            if obj.graph is not self:
                raise ValueError("Tensor %s is not an element of this graph." % obj)
            return obj
        if isinstance(obj, Operation) and allow_operation:
            if obj.graph is not self:
                raise ValueError("Operation %s is not an element of this graph." % obj)
            return obj
        raise TypeError("Can not convert a %s into a %s." % (type(obj).__name__, types_str))

    # -- what a Session may feed and fetch ---------------------------------------------------------
    def prevent_feeding(self, tensor):
        self._unfeedable.add(tensor)
        self._mutated()

    def is_feedable(self, tensor):
        return tensor not in self._unfeedable

    def prevent_fetching(self, op):
        self._unfetchable.add(op)
        self._mutated()

    def is_fetchable(self, tensor_or_op):
        op = tensor_or_op.op if isinstance(tensor_or_op, Tensor) else tensor_or_op
        return op not in self._unfetchable

    # -- collections ----------------------------------------------------------------------------
    def add_to_collection(self, name, value):
        self._check_not_finalized()
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names, value):
        names = (names,) if isinstance(names, str) else set(names)
        for name in names:
            self.add_to_collection(name, value)

    def get_collection_ref(self, name):
        return self._collections.setdefault(name, [])

    def get_collection(self, name, scope=None):
        items = self._collections.get(name, [])
        if scope is None:
            return list(items)
        regex = re.compile(scope)
        return [item for item in items
                if hasattr(item, "name") and regex.match(item.name)]

    def get_all_collection_keys(self):
        return [k for k in self._collections if isinstance(k, str)]

    def clear_collection(self, name):
        self._check_not_finalized()
        self._collections.pop(name, None)

    def __repr__(self):
        return "<graphflow.Graph with %d ops>" % len(self._ops)


class _ControlDependencies:
    """One ``control_dependencies`` frame: its ops, and the ops created while it was open."""

    __slots__ = ("control_inputs", "seen")

    def __init__(self, control_inputs):
        self.control_inputs = control_inputs
        self.seen = set()


# -- device strings ---------------------------------------------------------------------------
_DEVICE_FIELDS = ("job", "replica", "task")


def _parse_device(spec):
    fields = {}
    for part in spec.split("/"):
        if not part:
            continue
        pieces = part.split(":")
        key = pieces[0].lower()
        if key in _DEVICE_FIELDS and len(pieces) == 2:
            fields[key] = pieces[1]
        elif key == "device" and len(pieces) == 3:
            fields["type"], fields["index"] = pieces[1].upper(), pieces[2]
        elif key == "device" and len(pieces) == 2:
            fields["type"] = pieces[1].upper()
        elif len(pieces) in (1, 2) and key.isalpha() and key not in _DEVICE_FIELDS:
            fields["type"] = pieces[0].upper()
            if len(pieces) == 2:
                fields["index"] = pieces[1]
        else:
            raise ValueError("Unknown attribute: '%s' in '%s'" % (part, spec))
    return fields


def _format_device(fields):
    out = "".join("/%s:%s" % (k, fields[k]) for k in _DEVICE_FIELDS if k in fields)
    if "type" in fields:
        out += "/device:%s:%s" % (fields["type"], fields.get("index", "*"))
    return out


def canonical_device(spec):
    """``"/cpu:0"`` -> ``"/device:CPU:0"``, as TF canonicalizes device strings."""
    return _format_device(_parse_device(spec or ""))


def merge_devices(outer, inner):
    """An inner ``tf.device`` overrides only the fields it names."""
    fields = _parse_device(outer)
    inner_fields = _parse_device(inner)
    if "type" in inner_fields:
        fields.pop("index", None)
    fields.update(inner_fields)
    return _format_device(fields)


# -- the thread-local default graph and session stacks --------------------------------------
class _DefaultStack(threading.local):
    def __init__(self):
        super().__init__()
        self.stack = []

    def push(self, item):
        self.stack.append(item)

    def pop(self, item):
        if self.stack and self.stack[-1] is item:
            self.stack.pop()
        elif item in self.stack:
            self.stack.remove(item)

    def top(self):
        return self.stack[-1] if self.stack else None


class _DefaultGraphStack(_DefaultStack):
    global_default = None

    def get(self):
        top = self.top()
        if top is not None:
            return top
        if _DefaultGraphStack.global_default is None:
            _DefaultGraphStack.global_default = Graph()
        return _DefaultGraphStack.global_default


_default_graph_stack = _DefaultGraphStack()
_default_session_stack = _DefaultStack()


def get_default_graph():
    return _default_graph_stack.get()


def reset_default_graph():
    if _default_graph_stack.stack:
        raise AssertionError("Do not use tf.reset_default_graph() to clear nested graphs. If you "
                             "need a cleared graph, exit the nesting and create a new graph.")
    _DefaultGraphStack.global_default = Graph()


def get_default_session():
    return _default_session_stack.top()


def _run_using_default_session(fetch, feed_dict, graph, session, kind):
    """``Tensor.eval`` (kind "tensor") and ``Operation.run`` (kind "operation"), with TF's
    messages for each."""
    if kind == "tensor":
        verb, method, what = "evaluate tensor", "eval", "the tensor's graph"
    else:
        verb, method, what = "execute operation", "run", "the operation's graph"
    if session is None:
        session = get_default_session()
        if session is None:
            raise ValueError("Cannot %s using `%s()`: No default session is registered. Use "
                             "`with sess.as_default()%s` or pass an explicit session to "
                             "`%s(session=sess)`" % (verb, method, ":" if kind != "tensor"
                                                     else "", method))
        if session.graph is not graph:
            raise ValueError("Cannot use the default session to %s: %s is different from the "
                             "session's graph. Pass an explicit session to %s." % (
                                 verb, what, "`eval(session=sess)`" if kind == "tensor"
                                 else "run(session=sess)"))
    elif session.graph is not graph:
        raise ValueError("Cannot use the given session to %s: %s is different from the "
                         "session's graph." % (verb, what))
    return session.run(fetch, feed_dict)


# -- module-level conveniences mirroring tf.* --------------------------------------------------
def name_scope(name, default_name=None, values=None):
    """``tf.name_scope(name, default_name=None, values=None)`` (the v1 signature)."""
    if values is not None and not isinstance(values, (list, tuple)):
        # TF1 allows name_scope("a", "b", [x]); a non-list third argument is a user error.
        raise TypeError("values must be a list or tuple of tensors, got %r" % (values,))
    graph = _graph_from_values(values)
    return _entered_name_scope(graph, name if name is not None else default_name)


@contextlib.contextmanager
def _entered_name_scope(graph, name):
    with graph.as_default(), graph.name_scope(name) as scope:
        yield scope


def _graph_from_values(values):
    default = get_default_graph()
    if default.building_function:
        return default  # a traced function captures outer tensors instead of leaving
    for v in values or ():
        if hasattr(v, "_as_graph_element") and not isinstance(v, (Tensor, Operation)):
            v = v._as_graph_element()
        # An eager value in a graph op is an error the op reports, not a switch to eager.
        if isinstance(v, (Tensor, Operation)) and not v.graph.executes_eagerly:
            return v.graph
    return get_default_graph()


def control_dependencies(control_inputs):
    return get_default_graph().control_dependencies(control_inputs)


def device(device_name_or_function):
    return get_default_graph().device(device_name_or_function)


def colocate_with(op, ignore_existing=False):
    return get_default_graph().colocate_with(op, ignore_existing)


def add_to_collection(name, value):
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value):
    get_default_graph().add_to_collections(names, value)


def get_collection(key, scope=None):
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key):
    return get_default_graph().get_collection_ref(key)
