"""The op record: every op is declared once with ``defop`` and everything else reads it.

The numpy reference kernel's signature *is* the op's signature: positional parameters are the
inputs (``*values`` for a variadic input list), keyword-only parameters are the attrs with their
defaults, and parameters named in ``needs`` come first and receive run-time resources (a random
generator, a variable handle) from the executor. So ::

    defop("MatMul", shape=matmul_shape,
          ref=lambda a, b, *, transpose_a=False, transpose_b=False: ...)

declares inputs ``a, b`` and attrs ``transpose_a, transpose_b``. ``OpDef.__call__`` adds the op to
the default graph: it opens a name scope (so converted constants are named ``MatMul/b`` as TF
names them), runs shape inference and returns the output tensor(s).
"""
import collections
import inspect

import numpy as np

from ..framework import dtypes, graph as graph_mod, tensor_shape

Spec = collections.namedtuple("Spec", ["shape", "dtype"])
NOT_DIFFERENTIABLE = "not differentiable"


class _AllInputs:
    """``ref_inputs=ALL_INPUTS``: every input takes a variable reference."""

    def __contains__(self, index):
        return True

    def __iter__(self):
        return iter(())

    def __repr__(self):
        return "ALL_INPUTS"


ALL_INPUTS = _AllInputs()

REGISTRY = {}


class OpDef:
    """One op: static inference, reference semantics, gradient, and fusion expression.

    shape      (*input_tensors, **attrs) -> Spec or list of Spec; raises ValueError/TypeError
               on inputs that TF would reject at graph-construction time.
    ref        the numpy kernel (see module docstring); returns an array or a tuple of arrays.
    grad       (op, *output_grads) -> list with one tensor (or None) per input;
               NOT_DIFFERENTIABLE for ops whose gradient is None by definition.
    scalar     elementwise ops only: a Python/Numba expression over ``{0}``, ``{1}``... that
               fusion compiles; the op must then broadcast its inputs numpy-style.
    stateful   reads or writes state, or draws random numbers: never folded, merged or reordered.
    needs      names of run-time resources the kernel takes first: "rng", "variable".
    ref_inputs indices of inputs that take a variable reference rather than its value.
    static_value  (op) -> numpy value known at graph-construction time, or None
               (Shape, Size, Rank: known from static shapes even when inputs are not constant).
    takes_dead control-flow ops (Merge) that run even when an input lies on an untaken
               tf.cond branch; every other op is skipped there and its outputs are dead too.
    makes_dead control-flow ops (Switch) whose outputs may be dead.
    aliases_input  the output is the input itself (Identity), so a variable's handle passes
               through and the variable is read where the output is consumed, as TF1's
               Identity of a ref aliases the variable's buffer.
    """

    def __init__(self, name, shape, ref, grad=None, scalar=None, stateful=False, needs=(),
                 ref_inputs=(), static_value=None, takes_dead=False, makes_dead=False,
                 aliases_input=False,
                 doc=None):
        self.name = name
        self.shape = shape
        self.ref = ref
        self.grad = grad
        self.scalar = scalar
        self.stateful = stateful
        self.needs = tuple(needs)
        self.ref_inputs = ref_inputs if ref_inputs is ALL_INPUTS else tuple(ref_inputs)
        self.static_value = static_value
        self.takes_dead = takes_dead
        self.makes_dead = makes_dead
        self.aliases_input = aliases_input
        self.__doc__ = doc or getattr(ref, "__doc__", None)
        self.input_names, self.variadic, self.attr_defaults = _signature(ref, self.needs)

    @property
    def is_elementwise(self):
        return self.scalar is not None

    @property
    def is_pure(self):
        return not self.stateful

    def __repr__(self):
        return "<OpDef %s>" % self.name

    def __call__(self, *inputs, name=None, **attrs):
        """Adds this op to the default graph and returns its output(s) (or the Operation if it
        has none)."""
        op = self.create(inputs, attrs, name)
        outputs = op.outputs
        if not outputs:
            return op
        return outputs[0] if len(outputs) == 1 else tuple(outputs)

    def create(self, inputs, attrs, name=None):
        from .convert import convert_to_tensor  # ops/convert.py builds on this module
        unknown = set(attrs) - set(self.attr_defaults)
        if unknown:
            raise TypeError("%s got unexpected attr(s) %s" % (self.name, sorted(unknown)))
        if not self.variadic and len(inputs) != len(self.input_names):
            raise TypeError("%s takes %d inputs (%s), got %d" % (
                self.name, len(self.input_names), ", ".join(self.input_names), len(inputs)))
        full_attrs = dict(self.attr_defaults)
        full_attrs.update(attrs)
        graph = _graph_for(inputs)
        if graph.executes_eagerly:  # graphflow/eager.py: run the record now
            return graph.execute(self, inputs, full_attrs, name)
        with graph.as_default(), graph.name_scope(name or self.name) as scope:
            # Python values take the dtype of the op's first tensor input when they can, as
            # TF's op-def library infers a shared type attr ("x * 2" with float x).
            preferred = next((x.dtype.base_dtype for x in inputs
                              if isinstance(x, graph_mod.Tensor)), None)
            tensors = [convert_to_tensor(x, name=self._input_name(i), preferred_dtype=preferred)
                       for i, x in enumerate(inputs)]
            specs = self.shape(*tensors, **full_attrs)
            if isinstance(specs, Spec):
                specs = [specs]
            specs = [Spec(tensor_shape.as_shape(s.shape), dtypes.as_dtype(s.dtype))
                     for s in specs]
            return graph._create_op(self, scope, tensors, full_attrs, specs)

    def _input_name(self, index):
        if self.variadic:
            return "%s_%d" % (self.input_names[0], index) if index else self.input_names[0]
        return self.input_names[index]


def defop(name, shape, ref, **fields):
    """Declares an op; the single place an op type comes into existence."""
    if name in REGISTRY:
        raise ValueError("Op %r is declared twice" % name)
    op_def = OpDef(name, shape, ref, **fields)
    REGISTRY[name] = op_def
    return op_def


def get(name):
    return REGISTRY[name]


def _signature(fn, needs):
    params = list(inspect.signature(fn).parameters.values())
    if [p.name for p in params[:len(needs)]] != list(needs):
        raise TypeError("kernel %r must take the resources %s first" % (fn, needs))
    params = params[len(needs):]
    input_names, variadic, attrs = [], False, {}
    for p in params:
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            input_names.append(p.name)
        elif p.kind == p.VAR_POSITIONAL:
            input_names.append(p.name)
            variadic = True
        elif p.kind == p.KEYWORD_ONLY:
            attrs[p.name] = None if p.default is p.empty else p.default
    return tuple(input_names), variadic, attrs


def _graph_for(inputs):
    """TF1 builds an op in the graph of its tensor inputs, else in the default graph; while a
    function is traced (tf.while_loop's body) ops stay in it and capture outer tensors."""
    default = graph_mod.get_default_graph()
    if default.building_function:
        return default
    for x in inputs:
        element = x._as_graph_element() if hasattr(x, "_as_graph_element") else x
        if isinstance(element, graph_mod.Tensor):
            return element.graph
    return graph_mod.get_default_graph()


# -- shape rules shared by many records -------------------------------------------------------
def same_as_input(x, *rest, **attrs):
    return Spec(x.shape, x.dtype.base_dtype)


def check_same_dtype(op_name, *tensors, names=("x", "y")):
    first = tensors[0].dtype.base_dtype
    for i, t in enumerate(tensors[1:], 1):
        if t.dtype.base_dtype != first:
            raise TypeError("Input '%s' of '%s' Op has type %s that does not match type %s of "
                            "argument '%s'." % (names[min(i, len(names) - 1)], op_name,
                                                t.dtype.base_dtype.name, first.name, names[0]))
    return first


def broadcast_shape(shape_a, shape_b):
    """numpy broadcasting over static shapes with unknown dims; ValueError when incompatible."""
    a, b = tensor_shape.as_shape(shape_a), tensor_shape.as_shape(shape_b)
    if a.ndims is None or b.ndims is None:
        return tensor_shape.unknown_shape()
    da, db = a.as_list(), b.as_list()
    n = max(len(da), len(db))
    da = [1] * (n - len(da)) + da
    db = [1] * (n - len(db)) + db
    out = []
    for x, y in zip(da, db):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None or y is None:
            out.append(x if y is None else y)
        elif x == y:
            out.append(x)
        else:
            raise ValueError("Dimensions must be equal, but are %d and %d for shapes %s and %s."
                             % (x, y, a, b))
    return tensor_shape.TensorShape(out)


def binary_elementwise(op_name, out_dtype=None):
    """Shape rule of a broadcasting binary op with both inputs of one dtype."""
    def rule(x, y, **attrs):
        dtype = check_same_dtype(op_name, x, y)
        try:
            shape = broadcast_shape(x.shape, y.shape)
        except ValueError as e:
            raise ValueError("%s for '%s' (op: '%s') with input shapes: %s, %s." % (
                str(e).rstrip("."), op_name, op_name, x.shape, y.shape))
        return Spec(shape, out_dtype or dtype)
    return rule


def as_numpy(value, dtype):
    return np.asarray(value, dtype=dtypes.as_dtype(dtype).numpy_dtype)
