"""Elementwise math, comparisons, select, cast, matmul, reductions, scans and the Tensor operator
overloads.

Each op is one ``defop`` record; the public ``tf.*`` function is a thin wrapper that converts
Python values as TF1 does and names the op (and its converted constants) as TF1 does. Shape rules
raise TF's error classes and messages, including the ``{{node ...}}`` description. Elementwise
records carry ``scalar``, the expression fusion compiles; gradient rules build graph ops only.
"""
import builtins
import math

import numpy as np

from ..framework import dtypes, graph as graph_mod, tensor_shape
from ..framework.graph import Tensor
from .convert import constant_value, convert_to_tensor
from .registry import NOT_DIFFERENTIABLE, Spec, defop

__all__ = [
    "add", "subtract", "multiply", "divide", "truediv", "div", "realdiv", "floordiv", "floormod",
    "mod", "pow", "div_no_nan", "negative", "abs", "sign", "square", "sqrt", "rsqrt", "exp",
    "log", "log1p", "expm1", "sin", "cos", "tan", "tanh", "sigmoid", "erf", "floor", "ceil",
    "round", "reciprocal", "is_nan", "is_inf", "is_finite", "maximum", "minimum",
    "squared_difference", "equal", "not_equal", "less", "less_equal", "greater",
    "greater_equal", "logical_and", "logical_or", "logical_not", "logical_xor", "where",
    "where_v2", "clip_by_value", "cast", "to_float", "to_double", "to_int32", "to_int64",
    "add_n", "scalar_mul", "matmul", "tensordot", "reduce_sum", "reduce_mean",
    "reduce_max", "reduce_min", "reduce_prod", "reduce_logsumexp", "reduce_any", "reduce_all",
    "argmax", "argmin", "cumsum", "cumprod", "asin", "acos", "atan", "atan2", "sinh", "cosh",
    "asinh", "acosh", "atanh", "erfc", "lgamma", "digamma", "polygamma", "rint", "truncatediv",
    "truncatemod", "xlogy", "xdivy",
]


def _array_ops():
    from . import array
    return array


# -- TF's op-def type constraints, in the order TF's error messages list them ---------------------
def _types(text):
    return tuple(text.split())


_FLOAT = _types("bfloat16 float16 float32 float64")
_FLOAT_COMPLEX = _FLOAT + _types("complex64 complex128")
_SIGNED = _FLOAT + _types("int8 int16 int32 int64")
_SIGNED_COMPLEX = _SIGNED + _types("complex64 complex128")
_INTEGER = _types("int8 int16 int32 int64 uint8 uint16 uint32 uint64")
_NUMBER = _types("float32 float64 int32 uint8 int16 int8 complex64 int64 qint8 quint8 qint32 "
                 "bfloat16 qint16 quint16 uint16 complex128 float16 uint32 uint64")
_REAL = _types("float32 float64 int32 uint8 int16 int8 int64 bfloat16 uint16 float16 uint32 "
               "uint64")
_REAL_QUANTIZED = _REAL + _types("qint8 quint8 qint32 qint16 quint16")
_MUL = _types("bfloat16 float16 float32 float64 uint8 int8 uint16 int16 int32 uint32 uint64 "
              "int64 complex64 complex128")
_MIN_MAX = _types("bfloat16 float16 float32 float64 int8 uint8 int16 uint16 int32 uint32 int64 "
                  "uint64")
_INDEX = _types("int32 int64")

_ALLOWED = {
    "AddV2": _types("bfloat16 float16 float32 float64 uint8 uint16 uint32 uint64 int8 int16 "
                    "int32 int64 complex64 complex128"),
    "Add": _types("bfloat16 float16 float32 float64 uint8 int8 int16 int32 int64 complex64 "
                  "complex128 string"),
    "Sub": _types("bfloat16 float16 float32 float64 uint8 int8 uint16 int16 int32 int64 "
                  "complex64 complex128 uint32 uint64"),
    "Mul": _MUL, "RealDiv": _MUL, "FloorDiv": _MUL,
    "FloorMod": _INTEGER + _FLOAT,
    "Pow": _types("bfloat16 float32 float16 float64 int8 int16 int32 int64 complex64 complex128"),
    "DivNoNan": _types("float16 float32 bfloat16 float64 complex64 complex128"),
    "Maximum": _MIN_MAX, "Minimum": _MIN_MAX,
    "SquaredDifference": _FLOAT + _types("int32 int64 complex64 complex128"),
    "Less": _REAL, "LessEqual": _REAL, "Greater": _REAL, "GreaterEqual": _REAL,
    "BitwiseAnd": _INTEGER, "BitwiseOr": _INTEGER, "BitwiseXor": _INTEGER, "Invert": _INTEGER,
    "Neg": _SIGNED_COMPLEX, "Sign": _SIGNED_COMPLEX, "Reciprocal": _SIGNED_COMPLEX,
    "Round": _SIGNED_COMPLEX, "Abs": _SIGNED,
    "Square": _SIGNED + _types("uint8 uint16 uint32 uint64 complex64 complex128"),
    "Sqrt": _FLOAT_COMPLEX, "Rsqrt": _FLOAT_COMPLEX, "Exp": _FLOAT_COMPLEX,
    "Expm1": _FLOAT_COMPLEX, "Log": _FLOAT_COMPLEX, "Log1p": _FLOAT_COMPLEX,
    "Sin": _FLOAT_COMPLEX, "Cos": _FLOAT_COMPLEX, "Tan": _FLOAT_COMPLEX, "Tanh": _FLOAT_COMPLEX,
    "Sigmoid": _FLOAT_COMPLEX,
    "Erf": _FLOAT, "Erfc": _FLOAT, "Lgamma": _FLOAT, "Digamma": _FLOAT, "Rint": _FLOAT,
    "Asin": _SIGNED_COMPLEX, "Acos": _SIGNED_COMPLEX, "Atan": _SIGNED_COMPLEX,
    "Sinh": _FLOAT_COMPLEX, "Cosh": _FLOAT_COMPLEX, "Asinh": _FLOAT_COMPLEX,
    "Acosh": _FLOAT_COMPLEX, "Atanh": _FLOAT_COMPLEX, "Atan2": _FLOAT,
    "TruncateDiv": _MUL, "TruncateMod": _types("int32 int64 bfloat16 float16 float32 float64"),
    "Xlogy": _FLOAT_COMPLEX, "Xdivy": _FLOAT_COMPLEX,
    "Floor": _FLOAT, "Ceil": _FLOAT, "IsNan": _FLOAT, "IsInf": _FLOAT,
    "IsFinite": _FLOAT,
    "MatMul": _FLOAT + _types("int32 int64 uint8 uint16 uint32 uint64 complex64 complex128"),
    "BatchMatMulV2": _FLOAT + _types("int16 int32 int64 uint8 uint16 uint32 uint64 complex64 "
                                     "complex128"),
    "AddN": _NUMBER + ("variant",),
    "Sum": _NUMBER, "Mean": _NUMBER, "Prod": _NUMBER, "Cumsum": _NUMBER, "Cumprod": _NUMBER,
    "Max": _REAL_QUANTIZED, "Min": _REAL_QUANTIZED,
    "ArgMax": _REAL_QUANTIZED + ("bool",), "ArgMin": _REAL_QUANTIZED + ("bool",),
    "Where": _NUMBER + ("bool",),
    "Polygamma": _types("float32 float64"),
}


def _check_allowed(param, dtype, allowed):
    if allowed is not None and dtype.name not in allowed:
        raise TypeError("Value passed to parameter '%s' has DataType %s not in list of allowed "
                        "values: %s" % (param, dtype.name, ", ".join(allowed)))
    return dtype


def _same_dtype(op_type, tensors, names):
    """Inputs sharing one type attr ``T``: each must match the first, which must be allowed."""
    first = tensors[0].dtype.base_dtype
    for t, n in zip(tensors[1:], names[1:]):
        if t.dtype.base_dtype != first:
            raise TypeError("Input '%s' of '%s' Op has type %s that does not match type %s of "
                            "argument '%s'." % (n, op_type, t.dtype.base_dtype.name, first.name,
                                                names[0]))
    return _check_allowed(names[0], first, _ALLOWED.get(op_type))


def _expect_dtype(op_type, tensors, names, dtype):
    for t, n in zip(tensors, names):
        if t.dtype.base_dtype != dtype:
            raise TypeError("Input '%s' of '%s' Op has type %s that does not match expected type "
                            "of %s." % (n, op_type, t.dtype.base_dtype.name, dtype.name))


# -- TF's shape-error text ------------------------------------------------------------------------
_DT_NAMES = {"float16": "HALF", "float32": "FLOAT", "float64": "DOUBLE"}


def _shape_text(shape):
    shape = tensor_shape.as_shape(shape)
    if shape.ndims is None:
        return "?"
    return "[%s]" % ",".join("?" if d is None else str(d) for d in shape.as_list())


def _attr_text(value):
    if isinstance(value, dtypes.DType):
        return "DT_" + _DT_NAMES.get(value.name, value.name.upper())
    if isinstance(value, builtins.bool):
        return "true" if value else "false"
    return str(value)


def _shape_error(message, op_type, inputs, attrs, computed=None):
    """ValueError with TF's "for '{{node NAME}} = TYPE[ATTRS](INPUTS)' with input shapes" text.

    Shape rules run inside the op's own name scope (OpDef.create), so that scope is its name.
    """
    name = graph_mod.get_default_graph().get_name_scope()
    text = "%s for '{{node %s}} = %s[%s](%s)' with input shapes: %s" % (
        message, name, op_type,
        ", ".join("%s=%s" % (k, _attr_text(v)) for k, v in sorted(attrs.items())),
        ", ".join(t._as_node_def_input() for t in inputs),
        ", ".join(_shape_text(t.shape) for t in inputs))
    if computed:
        text += " and with computed input tensors: " + ", ".join(
            "input[%d] = <%s>" % (i, " ".join(str(v) for v in np.reshape(value, [-1])))
            for i, value in computed)
    return ValueError(text + ".")


class _DimensionMismatch(ValueError):
    pass


def _broadcast_dims(a, b):
    """numpy broadcasting of two static shapes (dims may be None); raises _DimensionMismatch."""
    a, b = tensor_shape.as_shape(a), tensor_shape.as_shape(b)
    if a.ndims is None or b.ndims is None:
        return tensor_shape.unknown_shape()
    da, db = a.as_list(), b.as_list()
    n = max(len(da), len(db))
    da, db = [1] * (n - len(da)) + da, [1] * (n - len(db)) + db
    out = []
    for x, y in zip(da, db):
        if x == 1 or x == y:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None or y is None:
            # An unknown dim against a known one > 1 must equal it (or be 1, which broadcasts).
            out.append(x if y is None else y)
        else:
            raise _DimensionMismatch("Dimensions must be equal, but are %d and %d" % (x, y))
    return tensor_shape.TensorShape(out)


def _merge_shapes(a, b):
    """TF's shape Merge (equal rank, compatible dims) with its messages."""
    a, b = tensor_shape.as_shape(a), tensor_shape.as_shape(b)
    if a.ndims is None:
        return b
    if b.ndims is None:
        return a
    if a.ndims != b.ndims:
        raise _DimensionMismatch("Shapes must be equal rank, but are %d and %d"
                                 % (a.ndims, b.ndims))
    out = []
    for i, (x, y) in enumerate(zip(a.as_list(), b.as_list())):
        if x is not None and y is not None and x != y:
            raise _DimensionMismatch(
                "Dimension %d in both shapes must be equal, but are %d and %d. Shapes are %s and "
                "%s." % (i, x, y, _shape_text(a), _shape_text(b)))
        out.append(x if x is not None else y)
    return tensor_shape.TensorShape(out)


# -- conversion as TF's op-def library does it ----------------------------------------------------
def _is_tensor_like(value):
    return isinstance(value, Tensor) or hasattr(value, "_as_graph_element")


def _convert_typed(op_type, values, names, soft=False):
    """Converts the inputs of an op whose inputs share one dtype, in order: the first input fixes
    the dtype (a Python value gets its default one) and each later Python value is converted to
    it. ``soft`` makes that dtype only a preference, as TF's add and truediv wrappers do, so the
    mismatch is reported by the op instead of by the conversion."""
    tensors = [convert_to_tensor(values[0], name=names[0])]
    dtype = tensors[0].dtype.base_dtype
    for value, name in zip(values[1:], names[1:]):
        if _is_tensor_like(value) or soft:
            tensors.append(convert_to_tensor(value, name=name, preferred_dtype=dtype))
            continue
        try:
            tensors.append(convert_to_tensor(value, dtype=dtype, name=name))
        except TypeError as e:
            raise TypeError("Expected %s passed to parameter '%s' of op '%s', got %r of type "
                            "'%s' instead. Error: %s" % (dtype.name, name, op_type, value,
                                                         type(value).__name__, e)) from None
    return tensors


def _convert_fixed(values, names, dtype):
    """Inputs of a fixed dtype (bool for logical ops): Python values are converted to it and
    tensors are left for the shape rule to check."""
    return [convert_to_tensor(v, name=n) if _is_tensor_like(v) else
            convert_to_tensor(v, dtype=dtype, name=n) for v, n in zip(values, names)]


def _deprecated_lookup(new_name, new_value, old_name, old_value):
    if new_value is not None and old_value is not None:
        raise ValueError("Cannot specify both '%s' and '%s'." % (old_name, new_name))
    return new_value if new_value is not None else old_value


# -- shape rules ----------------------------------------------------------------------------------
def _binary_rule(op_type, out_dtype=None):
    """Broadcasting binary op with both inputs of one allowed dtype."""
    def rule(x, y):
        dtype = _same_dtype(op_type, [x, y], ("x", "y"))
        try:
            shape = _broadcast_dims(x.shape, y.shape)
        except _DimensionMismatch as e:
            raise _shape_error(str(e), op_type, [x, y], {"T": dtype}) from None
        return Spec(shape, out_dtype or dtype)
    return rule


def _logical_rule(op_type):
    def rule(x, y):
        _expect_dtype(op_type, [x, y], ("x", "y"), dtypes.bool)
        try:
            return Spec(_broadcast_dims(x.shape, y.shape), dtypes.bool)
        except _DimensionMismatch as e:
            raise _shape_error(str(e), op_type, [x, y], {}) from None
    return rule


def _unary_rule(op_type, out_dtype=None):
    def rule(x):
        dtype = _check_allowed("x", x.dtype.base_dtype, _ALLOWED.get(op_type))
        return Spec(x.shape, out_dtype or dtype)
    return rule


# -- gradient helpers -----------------------------------------------------------------------------
def _broadcast_gradient_args_ref(s0, s1):
    """TF's BroadcastGradientArgs: the axes to sum each input's gradient over. Identical shapes
    reduce nothing; otherwise every axis where a (left-padded) shape is 1 is reduced."""
    s0, s1 = [int(d) for d in s0], [int(d) for d in s1]
    if s0 == s1:
        return np.zeros([0], np.int32), np.zeros([0], np.int32)
    n = max(len(s0), len(s1))
    a, b = [1] * (n - len(s0)) + s0, [1] * (n - len(s1)) + s1
    for x, y in zip(a, b):
        if x != y and x != 1 and y != 1:
            raise ValueError("Incompatible shapes: [%s] vs. [%s]"
                             % (",".join(map(str, s0)), ",".join(map(str, s1))))
    return (np.array([i for i in builtins.range(n) if a[i] == 1], np.int32),
            np.array([i for i in builtins.range(n) if b[i] == 1], np.int32))


BroadcastGradientArgs = defop(
    "BroadcastGradientArgs",
    shape=lambda s0, s1: [Spec([None], s0.dtype.base_dtype), Spec([None], s0.dtype.base_dtype)],
    ref=_broadcast_gradient_args_ref, grad=NOT_DIFFERENTIABLE)


def unbroadcast(grad, x):
    """Sums ``grad``, shaped like a broadcasting op's output, back to the shape of input ``x``:
    TF's BroadcastGradientArgs + Sum + Reshape, computed in Python when both shapes are static."""
    gs, xs = grad.shape, x.shape
    if gs.is_fully_defined() and xs.is_fully_defined():
        g_dims, x_dims = gs.as_list(), xs.as_list()
        if g_dims == x_dims:
            return grad
        lead = len(g_dims) - len(x_dims)
        axes = [i for i in builtins.range(len(g_dims))
                if i < lead or (x_dims[i - lead] == 1 and g_dims[i] != 1)]
        summed = reduce_sum(grad, axes) if axes else grad
        return _array_ops().reshape(summed, x_dims)
    array = _array_ops()
    x_shape = array.shape(x)
    axes, _ = BroadcastGradientArgs(x_shape, array.shape(grad))
    return array.reshape(reduce_sum(grad, axes), x_shape)


def _binary_grads(dx, dy):
    """A gradient rule from local gradients ``dx(op, g)`` and ``dy(op, g)`` (broadcast shape)."""
    def rule(op, g):
        x, y = op.inputs
        return [unbroadcast(dx(op, g), x) if dx else None,
                unbroadcast(dy(op, g), y) if dy else None]
    return rule


def _pow_grad(op, g):
    x, y = op.inputs
    z = op.outputs[0]
    array = _array_ops()
    gx = g * y * Pow(x, y - 1)
    # TF zeroes the exponent's gradient where x <= 0 (log undefined) instead of emitting NaN.
    mask = NotEqual(x, 0) if x.dtype.is_complex else Greater(x, 0)
    safe_x = Select(mask, x, array.ones_like(x))
    log_x = Select(mask, Log(safe_x), array.zeros_like(x))
    return [unbroadcast(gx, x), unbroadcast(g * z * log_x, y)]


def _max_min_grad(x_wins):
    """Ties send the whole gradient to x, as TF's GreaterEqual/LessEqual selector does."""
    def rule(op, g):
        x, y = op.inputs
        zeros = _array_ops().zeros_like(g)
        mask = x_wins(x, y)
        return [unbroadcast(SelectV2(mask, g, zeros), x),
                unbroadcast(SelectV2(mask, zeros, g), y)]
    return rule


def _squared_difference_grad(op, g):
    x, y = op.inputs
    gx = 2 * g * (x - y)
    return [unbroadcast(gx, x), unbroadcast(-gx, y)]


# -- binary elementwise records -------------------------------------------------------------------
def _integer_division_check(y):
    if y.dtype.kind in "iu" and np.any(y == 0):
        raise ValueError("Integer division by zero")


def _floordiv_ref(x, y):
    if x.dtype.kind in "iu":
        _integer_division_check(y)
        return np.floor_divide(x, y)
    # TF computes floor(x / y); numpy's floor_divide differs (floor_divide(1, 0.1) == 9).
    return np.floor(np.true_divide(x, y)).astype(np.result_type(x, y))


def _floormod_ref(x, y):
    _integer_division_check(y)
    return np.mod(x, y)


def _pow_ref(x, y):
    if x.dtype.kind in "iu" and np.any(y < 0):
        raise ValueError("Integers to negative integer powers are not allowed")
    return np.power(x, y)


def _div_no_nan_ref(x, y):
    safe = np.where(y == 0, np.ones_like(y), y)
    return np.where(y == 0, np.zeros_like(x), np.true_divide(x, safe)).astype(x.dtype)


def _equal_ref(fn):
    # Object (string) arrays compare to object arrays; TF's result is always bool.
    return lambda x, y: np.asarray(fn(x, y), dtype=np.bool_)


_add_grad = _binary_grads(lambda op, g: g, lambda op, g: g)

AddV2 = defop("AddV2", shape=_binary_rule("AddV2"), ref=lambda x, y: np.add(x, y),
              scalar="({0} + {1})", grad=_add_grad)
Add = defop("Add", shape=_binary_rule("Add"), ref=lambda x, y: np.add(x, y),
            grad=_add_grad, doc="Addition that also concatenates strings (TF's string '+').")
Sub = defop("Sub", shape=_binary_rule("Sub"), ref=lambda x, y: np.subtract(x, y),
            scalar="({0} - {1})", grad=_binary_grads(lambda op, g: g, lambda op, g: -g))
Mul = defop("Mul", shape=_binary_rule("Mul"), ref=lambda x, y: np.multiply(x, y),
            scalar="({0} * {1})",
            grad=_binary_grads(lambda op, g: g * op.inputs[1], lambda op, g: op.inputs[0] * g))
RealDiv = defop(
    "RealDiv", shape=_binary_rule("RealDiv"),
    ref=lambda x, y: np.true_divide(x, y).astype(np.result_type(x, y)), scalar="({0} / {1})",
    grad=_binary_grads(lambda op, g: g / op.inputs[1],
                       lambda op, g: g * ((-op.inputs[0] / op.inputs[1]) / op.inputs[1])))
DivNoNan = defop(
    "DivNoNan", shape=_binary_rule("DivNoNan"), ref=_div_no_nan_ref,
    scalar="(0.0 if {1} == 0 else {0} / {1})",
    grad=_binary_grads(lambda op, g: DivNoNan(g, op.inputs[1]),
                       lambda op, g: g * DivNoNan(DivNoNan(-op.inputs[0], op.inputs[1]),
                                                  op.inputs[1])))
FloorDiv = defop("FloorDiv", shape=_binary_rule("FloorDiv"), ref=_floordiv_ref,
                 scalar="math.floor({0} / {1})", grad=NOT_DIFFERENTIABLE,
                 doc="floor(x / y); the scalar form gives the float semantics (the integer "
                     "kernel is numpy's floor_divide, the same for integers).")
FloorMod = defop(
    "FloorMod", shape=_binary_rule("FloorMod"), ref=_floormod_ref,
    scalar="({0} - math.floor({0} / {1}) * {1})",
    grad=_binary_grads(lambda op, g: g,
                       lambda op, g: g * -FloorDiv(op.inputs[0], op.inputs[1])),
    doc="The remainder with the divisor's sign; the scalar form gives the float semantics.")
Pow = defop("Pow", shape=_binary_rule("Pow"), ref=_pow_ref, scalar="({0} ** {1})",
            grad=_pow_grad)
# NaN wins either way round, as in TF (Python's max() would keep whichever came first).
Maximum = defop("Maximum", shape=_binary_rule("Maximum"), ref=lambda x, y: np.maximum(x, y),
                scalar="({0} if ({0} >= {1} or {0} != {0}) else {1})",
                grad=_max_min_grad(lambda x, y: GreaterEqual(x, y)))
Minimum = defop("Minimum", shape=_binary_rule("Minimum"), ref=lambda x, y: np.minimum(x, y),
                scalar="({0} if ({0} <= {1} or {0} != {0}) else {1})",
                grad=_max_min_grad(lambda x, y: LessEqual(x, y)))
SquaredDifference = defop(
    "SquaredDifference", shape=_binary_rule("SquaredDifference"),
    ref=lambda x, y: np.square(np.subtract(x, y)), scalar="(({0} - {1}) * ({0} - {1}))",
    grad=_squared_difference_grad)

Equal = defop("Equal", shape=_binary_rule("Equal", dtypes.bool), ref=_equal_ref(np.equal),
              scalar="({0} == {1})", grad=NOT_DIFFERENTIABLE)
NotEqual = defop("NotEqual", shape=_binary_rule("NotEqual", dtypes.bool),
                 ref=_equal_ref(np.not_equal), scalar="({0} != {1})", grad=NOT_DIFFERENTIABLE)
Less = defop("Less", shape=_binary_rule("Less", dtypes.bool), ref=lambda x, y: np.less(x, y),
             scalar="({0} < {1})", grad=NOT_DIFFERENTIABLE)
LessEqual = defop("LessEqual", shape=_binary_rule("LessEqual", dtypes.bool),
                  ref=lambda x, y: np.less_equal(x, y), scalar="({0} <= {1})",
                  grad=NOT_DIFFERENTIABLE)
Greater = defop("Greater", shape=_binary_rule("Greater", dtypes.bool),
                ref=lambda x, y: np.greater(x, y), scalar="({0} > {1})",
                grad=NOT_DIFFERENTIABLE)
GreaterEqual = defop("GreaterEqual", shape=_binary_rule("GreaterEqual", dtypes.bool),
                     ref=lambda x, y: np.greater_equal(x, y), scalar="({0} >= {1})",
                     grad=NOT_DIFFERENTIABLE)
LogicalAnd = defop("LogicalAnd", shape=_logical_rule("LogicalAnd"),
                   ref=lambda x, y: np.logical_and(x, y), scalar="({0} and {1})",
                   grad=NOT_DIFFERENTIABLE)
LogicalOr = defop("LogicalOr", shape=_logical_rule("LogicalOr"),
                  ref=lambda x, y: np.logical_or(x, y), scalar="({0} or {1})",
                  grad=NOT_DIFFERENTIABLE)
BitwiseAnd = defop("BitwiseAnd", shape=_binary_rule("BitwiseAnd"),
                   ref=lambda x, y: np.bitwise_and(x, y), scalar="({0} & {1})",
                   grad=NOT_DIFFERENTIABLE)
BitwiseOr = defop("BitwiseOr", shape=_binary_rule("BitwiseOr"),
                  ref=lambda x, y: np.bitwise_or(x, y), scalar="({0} | {1})",
                  grad=NOT_DIFFERENTIABLE)
BitwiseXor = defop("BitwiseXor", shape=_binary_rule("BitwiseXor"),
                   ref=lambda x, y: np.bitwise_xor(x, y), scalar="({0} ^ {1})",
                   grad=NOT_DIFFERENTIABLE)


def _binary_fn(op_def, default_name):
    """The public function of a binary op: ``fn(x, y, name=None)``."""
    def fn(x, y, name=None):
        with graph_mod.name_scope(name, default_name, [x, y]) as scope:
            x, y = _convert_typed(op_def.name, [x, y], ("x", "y"))
            return op_def(x, y, name=scope)
    fn.__name__ = default_name
    return fn


def _logical_fn(op_def):
    def fn(x, y, name=None):
        with graph_mod.name_scope(name, op_def.name, [x, y]) as scope:
            x, y = _convert_fixed([x, y], ("x", "y"), dtypes.bool)
            return op_def(x, y, name=scope)
    fn.__name__ = op_def.name
    return fn


def add(x, y, name=None):
    """x + y. Strings concatenate (op Add); everything else is AddV2, as in TF."""
    with graph_mod.name_scope(name, "Add", [x, y]) as scope:
        x, y = _convert_typed("AddV2", [x, y], ("x", "y"), soft=True)
        return (Add if x.dtype.base_dtype == dtypes.string else AddV2)(x, y, name=scope)


subtract = _binary_fn(Sub, "Sub")
multiply = _binary_fn(Mul, "Mul")
realdiv = _binary_fn(RealDiv, "RealDiv")
div_no_nan = _binary_fn(DivNoNan, "div_no_nan")
floordiv = _binary_fn(FloorDiv, "floordiv")
floormod = _binary_fn(FloorMod, "FloorMod")
mod = floormod
pow = _binary_fn(Pow, "Pow")  # noqa: A001 - TF's public name
maximum = _binary_fn(Maximum, "Maximum")
minimum = _binary_fn(Minimum, "Minimum")
squared_difference = _binary_fn(SquaredDifference, "SquaredDifference")
equal = _binary_fn(Equal, "Equal")
not_equal = _binary_fn(NotEqual, "NotEqual")
less = _binary_fn(Less, "Less")
less_equal = _binary_fn(LessEqual, "LessEqual")
greater = _binary_fn(Greater, "Greater")
greater_equal = _binary_fn(GreaterEqual, "GreaterEqual")
logical_and = _logical_fn(LogicalAnd)
logical_or = _logical_fn(LogicalOr)


def logical_xor(x, y, name="LogicalXor"):
    """(x or y) and not (x and y); the inner ops sit in the caller's scope, as in TF."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=name)


# True division casts integers to a float wide enough to hold them; floats pass unchanged.
_TRUEDIV_FLOAT = {
    dtypes.uint8: dtypes.float32, dtypes.int8: dtypes.float32, dtypes.uint16: dtypes.float32,
    dtypes.int16: dtypes.float32, dtypes.uint32: dtypes.float64, dtypes.int32: dtypes.float64,
    dtypes.uint64: dtypes.float64, dtypes.int64: dtypes.float64, dtypes.float16: None,
    dtypes.float32: None, dtypes.float64: None, dtypes.complex64: None, dtypes.complex128: None,
}


def truediv(x, y, name=None):
    """x / y; integer inputs are cast to float first (int32/int64 -> float64) as in TF."""
    with graph_mod.name_scope(name, "truediv", [x, y]) as scope:
        x, y = _convert_typed("RealDiv", [x, y], ("x", "y"), soft=True)
        x_dtype, y_dtype = x.dtype.base_dtype, y.dtype.base_dtype
        if x_dtype != y_dtype:
            raise TypeError("`x` and `y` must have the same dtype, got %r != %r."
                            % (x_dtype, y_dtype))
        if x_dtype not in _TRUEDIV_FLOAT:
            raise TypeError("Invalid dtype %r in __truediv__. Expected one of {%s}."
                            % (x_dtype, ", ".join(repr(d) for d in _TRUEDIV_FLOAT)))
        float_dtype = _TRUEDIV_FLOAT[x_dtype]
        if float_dtype is not None:
            x, y = cast(x, float_dtype), cast(y, float_dtype)
        return RealDiv(x, y, name=scope)


def divide(x, y, name=None):
    """x / y. Without a name, TF converts x outside any scope and uses the ``/`` operator."""
    if name is not None:
        return truediv(x, y, name=name)
    if not _is_tensor_like(x):
        x = convert_to_tensor(x, dtype=y.dtype.base_dtype if _is_tensor_like(y) else None)
    return _OPERATORS["truediv"](x, y)


def div(x, y, name=None):
    """TF1's legacy division: floor division for integers, true division for floats."""
    with graph_mod.name_scope(name, "div", [x, y]) as scope:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="y")
        if x.dtype.is_floating or x.dtype.is_complex:
            return RealDiv(x, y, name=scope)
        return FloorDiv(x, y, name=scope)


# -- unary elementwise records: (op, numpy kernel, scalar, local derivative dy/dx(x, y)) ----------
def _sigmoid_ref(x):
    # exp of a non-positive argument only, so large |x| never overflows.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype)


def _erf_ref(x):
    return np.vectorize(math.erf, otypes=[x.dtype])(x) if x.size else x.copy()


def _reciprocal_ref(x):
    return np.true_divide(1, x).astype(x.dtype)


_UNARY = [
    ("Neg", np.negative, "(-{0})", lambda x, y: -1),
    ("Abs", np.abs, "abs({0})", lambda x, y: Sign(x)),
    ("Square", np.square, "({0} * {0})", lambda x, y: 2 * x),
    ("Sqrt", np.sqrt, "math.sqrt({0})", lambda x, y: 0.5 / y),
    ("Rsqrt", lambda x: np.true_divide(1, np.sqrt(x)).astype(x.dtype),
     "(1.0 / math.sqrt({0}))", lambda x, y: -0.5 * y * y * y),
    ("Exp", np.exp, "math.exp({0})", lambda x, y: y),
    ("Expm1", np.expm1, "math.expm1({0})", lambda x, y: Exp(x)),
    ("Log", np.log, "math.log({0})", lambda x, y: Reciprocal(x)),
    ("Log1p", np.log1p, "math.log1p({0})", lambda x, y: Reciprocal(1 + x)),
    ("Sin", np.sin, "math.sin({0})", lambda x, y: Cos(x)),
    ("Cos", np.cos, "math.cos({0})", lambda x, y: -Sin(x)),
    ("Tan", np.tan, "math.tan({0})", lambda x, y: Square(Reciprocal(Cos(x)))),
    ("Tanh", np.tanh, "math.tanh({0})", lambda x, y: 1 - y * y),
    ("Sigmoid", _sigmoid_ref, "(0.5 + 0.5 * math.tanh(0.5 * {0}))", lambda x, y: y * (1 - y)),
    ("Reciprocal", _reciprocal_ref, "(1.0 / {0})", lambda x, y: -y * y),
    ("Erf", _erf_ref, "math.erf({0})", lambda x, y: (2 / np.sqrt(np.pi)) * Exp(-Square(x))),
]
# TF: Sign's gradient is zeros; Floor, Ceil and Round have none.
_UNARY_STEP = [
    ("Sign", np.sign, "(1 if {0} > 0 else (-1 if {0} < 0 else {0}))",
     lambda op, g: [_array_ops().zeros_like(op.inputs[0])]),
    ("Floor", np.floor, "math.floor({0})", NOT_DIFFERENTIABLE),
    ("Ceil", np.ceil, "math.ceil({0})", NOT_DIFFERENTIABLE),
    # Half to even, as TF (and numpy) round; x - floor(x) is exact, so halves are found exactly.
    ("Round", np.round,
     "(math.floor({0}) + (0.0 if {0} - math.floor({0}) < 0.5 else (1.0 if {0} - math.floor({0})"
     " > 0.5 else (0.0 if math.floor(math.floor({0}) / 2.0) * 2.0 == math.floor({0}) else "
     "1.0))))", NOT_DIFFERENTIABLE),
]


def _unary_grad(local):
    return lambda op, g: [g * local(op.inputs[0], op.outputs[0])]


for _name, _ref, _scalar, _local in _UNARY:
    globals()[_name] = defop(_name, shape=_unary_rule(_name),
                             ref=(lambda fn: lambda x: fn(x))(_ref), scalar=_scalar,
                             grad=_unary_grad(_local))
for _name, _ref, _scalar, _grad in _UNARY_STEP:
    globals()[_name] = defop(_name, shape=_unary_rule(_name),
                             ref=(lambda fn: lambda x: fn(x))(_ref), scalar=_scalar, grad=_grad)

def _logical_not_shape(x):
    _expect_dtype("LogicalNot", [x], ("x",), dtypes.bool)
    return Spec(x.shape, dtypes.bool)


LogicalNot = defop("LogicalNot", shape=_logical_not_shape, ref=lambda x: np.logical_not(x),
                   scalar="(not {0})", grad=NOT_DIFFERENTIABLE)
Invert = defop("Invert", shape=_unary_rule("Invert"), ref=lambda x: np.invert(x),
               scalar="(~{0})", grad=NOT_DIFFERENTIABLE)
IsNan = defop("IsNan", shape=_unary_rule("IsNan", dtypes.bool), ref=lambda x: np.isnan(x),
              scalar="math.isnan({0})", grad=NOT_DIFFERENTIABLE)
IsInf = defop("IsInf", shape=_unary_rule("IsInf", dtypes.bool), ref=lambda x: np.isinf(x),
              scalar="math.isinf({0})", grad=NOT_DIFFERENTIABLE)
IsFinite = defop("IsFinite", shape=_unary_rule("IsFinite", dtypes.bool),
                 ref=lambda x: np.isfinite(x), scalar="math.isfinite({0})",
                 grad=NOT_DIFFERENTIABLE)


def _unary_fn(op_def, default_name=None):
    def fn(x, name=None):
        with graph_mod.name_scope(name, default_name or op_def.name, [x]) as scope:
            return op_def(convert_to_tensor(x, name="x"), name=scope)
    fn.__name__ = default_name or op_def.name
    return fn


negative = _unary_fn(Neg)  # noqa: F821 - defined by the table above
abs = _unary_fn(Abs)  # noqa: A001,F821
square = _unary_fn(Square)  # noqa: F821
sqrt = _unary_fn(Sqrt)  # noqa: F821
rsqrt = _unary_fn(Rsqrt)  # noqa: F821
exp = _unary_fn(Exp)  # noqa: F821
expm1 = _unary_fn(Expm1)  # noqa: F821
log = _unary_fn(Log)  # noqa: F821
log1p = _unary_fn(Log1p)  # noqa: F821
sin = _unary_fn(Sin)  # noqa: F821
cos = _unary_fn(Cos)  # noqa: F821
tan = _unary_fn(Tan)  # noqa: F821
tanh = _unary_fn(Tanh)  # noqa: F821
sigmoid = _unary_fn(Sigmoid)  # noqa: F821
reciprocal = _unary_fn(Reciprocal)  # noqa: F821
erf = _unary_fn(Erf)  # noqa: F821
floor = _unary_fn(Floor)  # noqa: F821
ceil = _unary_fn(Ceil)  # noqa: F821
logical_not = _unary_fn(LogicalNot)
is_nan = _unary_fn(IsNan)
is_inf = _unary_fn(IsInf)
is_finite = _unary_fn(IsFinite)


# -- inverse trigonometric, hyperbolic and special functions --------------------------------------
def _lifted_above_ten(z, term):
    """(shifted, total): x < 0.5 reflected to 1 - x, then raised by the recurrence
    f(x) = f(x + 1) + term(x) until it is at least 10, where the asymptotic series is accurate to
    double precision; total sums the recurrence's terms."""
    shifted = np.where(z < 0.5, 1.0 - z, z)
    total = np.zeros_like(shifted)
    while True:
        small = shifted < 10.0
        if not small.any():
            return shifted, total
        total += np.where(small, term(np.where(small, shifted, 1.0)), 0.0)
        shifted = np.where(small, shifted + 1.0, shifted)


def _digamma_ref(x):
    """psi(x) by _lifted_above_ten (psi(x) = psi(x + 1) - 1/x); negative x uses the reflection
    formula."""
    x = np.asarray(x)
    z = x.astype(np.float64)
    shifted, result = _lifted_above_ten(z, lambda s: -1.0 / s)
    inv2 = 1.0 / (shifted * shifted)
    result += (np.log(shifted) - 0.5 / shifted
               - inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (
                   1 / 240 - inv2 / 132)))))
    reflect = z < 0.5
    with np.errstate(divide="ignore", invalid="ignore"):
        result = np.where(reflect, result - np.pi / np.tan(np.pi * z), result)
        # Poles at zero and the negative integers, as TF gives them.
        result = np.where(reflect & (z == np.floor(z)), np.nan, result)
    return result.astype(x.dtype)


def _trigamma_ref(x):
    """psi'(x), the derivative of digamma, the same way (psi'(x) = psi'(x + 1) + 1/x^2)."""
    x = np.asarray(x)
    z = x.astype(np.float64)
    shifted, result = _lifted_above_ten(z, lambda s: 1.0 / s ** 2)
    inv = 1.0 / shifted
    inv2 = inv * inv
    result += inv + inv2 / 2 + inv * inv2 * (1 / 6 - inv2 * (1 / 30 - inv2 * (1 / 42 - inv2 / 30)))
    with np.errstate(divide="ignore", invalid="ignore"):
        result = np.where(z < 0.5, np.pi ** 2 / np.sin(np.pi * z) ** 2 - result, result)
    return result.astype(x.dtype)


def _vectorized(fn):
    return lambda x: np.vectorize(fn, otypes=[x.dtype])(x) if x.size else x.copy()


_UNARY_SPECIAL = [
    ("Asin", np.arcsin, "math.asin({0})", lambda x, y: Rsqrt(1 - Square(x))),  # noqa: F821
    ("Acos", np.arccos, "math.acos({0})", lambda x, y: -Rsqrt(1 - Square(x))),  # noqa: F821
    ("Atan", np.arctan, "math.atan({0})", lambda x, y: Reciprocal(1 + Square(x))),  # noqa: F821
    ("Sinh", np.sinh, "math.sinh({0})", lambda x, y: Cosh(x)),
    ("Cosh", np.cosh, "math.cosh({0})", lambda x, y: Sinh(x)),
    ("Asinh", np.arcsinh, "math.asinh({0})", lambda x, y: Reciprocal(Cosh(y))),
    ("Acosh", np.arccosh, "math.acosh({0})", lambda x, y: Reciprocal(Sinh(y))),
    ("Atanh", np.arctanh, "math.atanh({0})",
     lambda x, y: Reciprocal(1 - Square(x))),  # noqa: F821
    ("Erfc", _vectorized(math.erfc), "math.erfc({0})",
     lambda x, y: (-2 / np.sqrt(np.pi)) * Exp(-Square(x))),  # noqa: F821
    ("Lgamma", _vectorized(math.lgamma), "math.lgamma({0})", lambda x, y: Digamma(x)),
    # Python's math module has no digamma, so the op has no scalar form and is not fused.
    ("Digamma", _digamma_ref, None, lambda x, y: Polygamma(1.0 + 0 * x, x)),
]
for _name, _ref, _scalar, _local in _UNARY_SPECIAL:
    globals()[_name] = defop(_name, shape=_unary_rule(_name),
                             ref=(lambda fn: lambda x: fn(x))(_ref), scalar=_scalar,
                             grad=_unary_grad(_local))


def _polygamma_ref(a, x):
    order = np.broadcast_to(a, np.broadcast(a, x).shape)
    if np.any((order != 0) & (order != 1)):
        raise ValueError("polygamma is implemented for orders 0 and 1 only")
    return np.where(order == 0, _digamma_ref(x), _trigamma_ref(x)).astype(x.dtype)


Polygamma = defop("Polygamma", shape=_binary_rule("Polygamma"), ref=_polygamma_ref,
                  grad=NOT_DIFFERENTIABLE,
                  doc="Orders 0 and 1 (digamma and its derivative, which digamma's gradient "
                      "needs); higher orders raise.")
# Half to even, as Round; TF gives Rint no gradient.
Rint = defop("Rint", shape=_unary_rule("Rint"), ref=lambda x: np.rint(x),
             scalar=Round.scalar, grad=lambda op, g: [None])  # noqa: F821


def _atan2_grad(op, g):
    y, x = op.inputs
    scale = g * Reciprocal(Square(x) + Square(y))  # noqa: F821
    return [unbroadcast(x * scale, y), unbroadcast(-y * scale, x)]


def _truncate_div_ref(x, y):
    if x.dtype.kind in "iu":
        _integer_division_check(y)
        quotient = np.floor_divide(np.abs(x), np.abs(y))
        return np.where((x < 0) != (y < 0), -quotient, quotient).astype(np.result_type(x, y))
    return np.trunc(np.true_divide(x, y)).astype(np.result_type(x, y))


def _truncate_mod_ref(x, y):
    _integer_division_check(y)
    return np.fmod(x, y)


def _xlogy_ref(x, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0, np.zeros_like(x), x * np.log(y)).astype(x.dtype)


def _xdivy_ref(x, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0, np.zeros_like(x), np.true_divide(x, y)).astype(x.dtype)


def _xlogy_grad(op, g):
    x, y = op.inputs
    not_zero_x = Cast(NotEqual(x, 0), DstT=x.dtype.base_dtype)
    return [unbroadcast(g * Xlogy(not_zero_x, y), x), unbroadcast(g * Xdivy(x, y), y)]


def _xdivy_grad(op, g):
    x, y = op.inputs
    not_zero_x = Cast(NotEqual(x, 0), DstT=x.dtype.base_dtype)
    return [unbroadcast(g * Xdivy(not_zero_x, y), x),
            unbroadcast(g * Xdivy(-x, Square(y)), y)]  # noqa: F821


Atan2 = defop("Atan2", shape=_binary_rule("Atan2"),
              ref=lambda y, x: np.arctan2(y, x).astype(np.result_type(y, x)),
              scalar="math.atan2({0}, {1})", grad=_atan2_grad)
TruncateDiv = defop("TruncateDiv", shape=_binary_rule("TruncateDiv"), ref=_truncate_div_ref,
                    scalar="math.trunc({0} / {1})", grad=NOT_DIFFERENTIABLE)
TruncateMod = defop("TruncateMod", shape=_binary_rule("TruncateMod"), ref=_truncate_mod_ref,
                    scalar="({0} - math.trunc({0} / {1}) * {1})",
                    grad=NOT_DIFFERENTIABLE)
Xlogy = defop("Xlogy", shape=_binary_rule("Xlogy"), ref=_xlogy_ref,
              scalar="(0.0 if {0} == 0 else {0} * math.log({1}))", grad=_xlogy_grad)
Xdivy = defop("Xdivy", shape=_binary_rule("Xdivy"), ref=_xdivy_ref,
              scalar="(0.0 if {0} == 0 else {0} / {1})", grad=_xdivy_grad)

asin = _unary_fn(Asin)  # noqa: F821
acos = _unary_fn(Acos)  # noqa: F821
atan = _unary_fn(Atan)  # noqa: F821
sinh = _unary_fn(Sinh)  # noqa: F821
cosh = _unary_fn(Cosh)  # noqa: F821
asinh = _unary_fn(Asinh)  # noqa: F821
acosh = _unary_fn(Acosh)  # noqa: F821
atanh = _unary_fn(Atanh)  # noqa: F821
erfc = _unary_fn(Erfc)  # noqa: F821
lgamma = _unary_fn(Lgamma)  # noqa: F821
digamma = _unary_fn(Digamma)  # noqa: F821
rint = _unary_fn(Rint)


def atan2(y, x, name=None):
    with graph_mod.name_scope(name, "Atan2", [y, x]) as scope:
        y, x = _convert_typed("Atan2", [y, x], ("y", "x"))
        return Atan2(y, x, name=scope)


truncatediv = _binary_fn(TruncateDiv, "TruncateDiv")
truncatemod = _binary_fn(TruncateMod, "TruncateMod")
xlogy = _binary_fn(Xlogy, "Xlogy")
xdivy = _binary_fn(Xdivy, "Xdivy")


def polygamma(a, x, name=None):
    with graph_mod.name_scope(name, "Polygamma", [a, x]) as scope:
        a, x = _convert_typed("Polygamma", [a, x], ("a", "x"))
        return Polygamma(a, x, name=scope)


def sign(x, name=None):
    """TF converts x before the op's scope, so a Python x becomes ``Const``."""
    return Sign(convert_to_tensor(x), name=name or "Sign")  # noqa: F821


def round(x, name=None):  # noqa: A001 - TF's public name
    """Rounds half to even; integers are returned unchanged (no op), as in TF."""
    x = convert_to_tensor(x, name="x")
    if x.dtype.is_integer:
        return x
    return Round(x, name=name or "Round")  # noqa: F821


# -- select, where, clip, cast, add_n -------------------------------------------------------------
def _select_shape(condition, t, e):
    _expect_dtype("Select", [condition], ("condition",), dtypes.bool)
    dtype = _same_dtype("Select", [t, e], ("t", "e"))
    cond = condition.shape
    try:
        data = _merge_shapes(t.shape, e.shape)
        if cond.ndims is None or data.ndims is None or cond.ndims == 0:
            return Spec(data, dtype)
        if cond.ndims != 1 or data.ndims == 0:
            return Spec(_merge_shapes(data, cond), dtype)
        # TF1's Select: a vector condition picks whole rows of t and e.
        _merge_shapes(cond, [data.as_list()[0]])
        return Spec(data, dtype)
    except _DimensionMismatch as err:
        raise _shape_error(str(err), "Select", [condition, t, e], {"T": dtype}) from None


def _select_ref(condition, t, e):
    if condition.ndim == 1 and t.ndim > 1:
        condition = condition.reshape((-1,) + (1,) * (t.ndim - 1))
    return np.where(condition, t, e)


def _select_grad(op, g):
    zeros = _array_ops().zeros_like(g)
    condition = op.inputs[0]
    return [None, Select(condition, g, zeros), Select(condition, zeros, g)]


def _select_v2_shape(condition, t, e):
    _expect_dtype("SelectV2", [condition], ("condition",), dtypes.bool)
    dtype = _same_dtype("SelectV2", [t, e], ("t", "e"))
    try:
        shape = _broadcast_dims(condition.shape, _broadcast_dims(t.shape, e.shape))
    except _DimensionMismatch as err:
        raise _shape_error(str(err), "SelectV2", [condition, t, e], {"T": dtype}) from None
    return Spec(shape, dtype)


def _select_v2_grad(op, g):
    condition, t, e = op.inputs
    zeros = _array_ops().zeros_like(g)
    return [None, unbroadcast(SelectV2(condition, g, zeros), t),
            unbroadcast(SelectV2(condition, zeros, g), e)]


# Select broadcasts a vector condition over rows, which is not numpy broadcasting, so it carries
# no scalar form; SelectV2 broadcasts numpy-style and does.
Select = defop("Select", shape=_select_shape, ref=_select_ref, grad=_select_grad)
SelectV2 = defop("SelectV2", shape=_select_v2_shape,
                 ref=lambda condition, t, e: np.where(condition, t, e),
                 scalar="({1} if {0} else {2})", grad=_select_v2_grad)
def _where_shape(input):
    _check_allowed("input", input.dtype.base_dtype, _ALLOWED["Where"])
    return Spec([None, input.shape.ndims], dtypes.int64)


Where = defop("Where", shape=_where_shape, ref=lambda input: np.argwhere(input).astype(np.int64),
              grad=NOT_DIFFERENTIABLE)


def _where_fn(select_op, fn_name, doc):
    def fn(condition, x=None, y=None, name=None):
        if x is None and y is None:
            with graph_mod.name_scope(name, "Where", [condition]) as scope:
                condition = convert_to_tensor(condition, preferred_dtype=dtypes.bool,
                                              name="condition")
                return Where(condition, name=scope)
        if x is None or y is None:
            raise ValueError("x and y must both be non-None or both be None.")
        with graph_mod.name_scope(name, select_op.name, [condition, x, y]) as scope:
            (condition,) = _convert_fixed([condition], ("condition",), dtypes.bool)
            t, e = _convert_typed(select_op.name, [x, y], ("t", "e"))
            return select_op(condition, t, e, name=scope)
    fn.__name__, fn.__doc__ = fn_name, doc
    return fn


where = _where_fn(Select, "where", "TF1's where: Select (a vector condition picks whole rows), "
                  "or the int64 indices of the true elements when x and y are None.")
where_v2 = _where_fn(SelectV2, "where_v2", "Select with numpy broadcasting of all three inputs, "
                     "or the int64 indices of the true elements when x and y are None.")


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    with graph_mod.name_scope(name, "clip_by_value", [t, clip_value_min, clip_value_max]) \
            as scope:
        values = convert_to_tensor(t, name="t")
        t_min = minimum(values, clip_value_max)
        # Clipping must not broadcast t to a bigger shape.
        values.shape.assert_is_compatible_with(t_min.shape)
        t_max = maximum(t_min, clip_value_min, name=scope)
        values.shape.assert_is_compatible_with(t_max.shape)
        return t_max


_FLOATING = {dtypes.float16, dtypes.float32, dtypes.float64, dtypes.complex64,
             dtypes.complex128}


def _cast_grad(op, g):
    """Float-to-float casts pass the gradient back in the source dtype; casts to or from
    integers and bools are not differentiable."""
    src = op.inputs[0].dtype.base_dtype
    if src in _FLOATING and g.dtype.base_dtype in _FLOATING:
        return [cast(g, src)]
    return [None]


def _cast_ref(x, *, DstT, Truncate=False):
    if DstT == dtypes.bool:
        return np.asarray(x != 0)
    return np.asarray(x).astype(DstT.numpy_dtype)


Cast = defop("Cast", shape=lambda x, *, DstT, Truncate=False: Spec(x.shape, DstT),
             ref=_cast_ref, grad=_cast_grad, scalar="{0}",
             doc="dtype conversion; the scalar form is the identity (codegen casts on store).")


def cast(x, dtype, name=None):
    """A tensor already of ``dtype`` is returned as is, without opening a name scope."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    if isinstance(x, Tensor) and x.dtype.base_dtype == dtype:
        return x
    with graph_mod.name_scope(name, "Cast", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        if x.dtype.base_dtype == dtype:
            return x
        return Cast(x, name=scope, DstT=dtype)


def to_float(x, name="ToFloat"):
    return cast(x, dtypes.float32, name=name)


def to_double(x, name="ToDouble"):
    return cast(x, dtypes.float64, name=name)


def to_int32(x, name="ToInt32"):
    return cast(x, dtypes.int32, name=name)


def to_int64(x, name="ToInt64"):
    return cast(x, dtypes.int64, name=name)


def _add_n_shape(*inputs):
    kinds = [t.dtype.base_dtype for t in inputs]
    if any(k != kinds[0] for k in kinds):
        raise TypeError("Tensors in list passed to 'inputs' of 'AddN' Op have types [%s] that "
                        "don't all match." % ", ".join(k.name for k in kinds))
    _check_allowed("inputs", kinds[0], _ALLOWED["AddN"])
    shape = tensor_shape.unknown_shape()
    try:
        for t in inputs:
            shape = _merge_shapes(shape, t.shape)
    except _DimensionMismatch as e:
        raise _shape_error("%s\n\tFrom merging shape 0 with other shapes." % e, "AddN",
                           list(inputs), {"N": len(inputs), "T": kinds[0]}) from None
    return Spec(shape, kinds[0])


def _add_n_ref(*inputs):
    total = np.array(inputs[0], copy=True)
    for x in inputs[1:]:
        total += x
    return total


AddN = defop("AddN", shape=_add_n_shape, ref=_add_n_ref,
             grad=lambda op, g: [g] * len(op.inputs))


def add_n(inputs, name=None):
    """Sums a list of same-shaped tensors; one input is returned as is (or named by Identity)."""
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("Inputs must be an iterable of at least one Tensor/IndexedSlices with "
                         "the same dtype and shape.")
    inputs = [convert_to_tensor(x) for x in inputs]
    if len(inputs) == 1:
        return _array_ops().identity(inputs[0], name=name) if name else inputs[0]
    return AddN(*inputs, name=name or "AddN")


def scalar_mul(scalar, x, name=None):
    x = convert_to_tensor(x)
    scalar = convert_to_tensor(scalar, dtype=x.dtype.base_dtype, name="scalar")
    if scalar.shape.ndims != 0:
        raise ValueError("The input scalar must be a 0-D value. Received shape %s."
                         % scalar.shape)
    return Mul(scalar, x, name=name or "Mul")


def _broadcast_to_shape(input, shape):
    target = _array_ops()._shape_from_tensor(shape)
    try:
        _broadcast_dims(input.shape, target)
    except _DimensionMismatch as e:
        raise _shape_error(str(e), "BroadcastTo", [input, shape],
                           {"T": input.dtype.base_dtype}) from None
    return Spec(target, input.dtype.base_dtype)


BroadcastTo = defop(
    "BroadcastTo", shape=_broadcast_to_shape,
    ref=lambda input, shape: np.broadcast_to(input, tuple(int(d) for d in shape)).copy(),
    grad=lambda op, g: [unbroadcast(g, op.inputs[0]), None])


def _broadcast_to(input, shape, name=None):  # noqa: A002
    """For gradient rules; the public tf.broadcast_to (array.py) wraps the same record."""
    with graph_mod.name_scope(name, "BroadcastTo", [input]) as scope:
        input = convert_to_tensor(input, name="input")
        shape = convert_to_tensor(shape, preferred_dtype=dtypes.int32, name="shape")
        return BroadcastTo(input, shape, name=scope)


# -- matmul ---------------------------------------------------------------------------------------
def _matmul_rule(op_type, names, flags):
    """MatMul (rank 2, transpose_a/b) and BatchMatMulV2 (rank >= 2, batch dims broadcast,
    adj_x/adj_y) shape rules with TF's messages."""
    def rule(a, b, **attrs):
        dtype = _same_dtype(op_type, [a, b], names)
        node_attrs = dict(attrs, T=dtype)
        ta, tb = attrs[flags[0]], attrs[flags[1]]
        if a.shape.ndims is None or b.shape.ndims is None:
            return Spec(tensor_shape.unknown_shape(), dtype)
        for t in (a, b):
            if op_type == "MatMul" and t.shape.ndims != 2:
                raise _shape_error("Shape must be rank 2 but is rank %d" % t.shape.ndims,
                                   op_type, [a, b], node_attrs)
            if t.shape.ndims < 2:
                raise _shape_error("Shape must be at least rank 2 but is rank %d"
                                   % t.shape.ndims, op_type, [a, b], node_attrs)
        da, db = a.shape.as_list(), b.shape.as_list()
        m, ka = (da[-1], da[-2]) if ta else (da[-2], da[-1])
        kb, n = (db[-1], db[-2]) if tb else (db[-2], db[-1])
        try:
            if ka is not None and kb is not None and ka != kb:
                raise _DimensionMismatch("Dimensions must be equal, but are %d and %d"
                                         % (ka, kb))
            batch = _broadcast_dims(da[:-2], db[:-2]).as_list()
        except _DimensionMismatch as e:
            raise _shape_error(str(e), op_type, [a, b], node_attrs) from None
        return Spec(batch + [m, n], dtype)
    return rule


def _matmul_ref(a, b, ta, tb):
    return np.matmul(np.swapaxes(a, -1, -2) if ta else a, np.swapaxes(b, -1, -2) if tb else b)


def _matmul_grad(op, g):
    a, b = op.inputs
    ta, tb = op.get_attr("transpose_a"), op.get_attr("transpose_b")
    if not ta and not tb:
        return [MatMul(g, b, transpose_b=True), MatMul(a, g, transpose_a=True)]
    if not ta and tb:
        return [MatMul(g, b), MatMul(g, a, transpose_a=True)]
    if ta and not tb:
        return [MatMul(b, g, transpose_b=True), MatMul(a, g)]
    return [MatMul(b, g, transpose_a=True, transpose_b=True),
            MatMul(g, a, transpose_a=True, transpose_b=True)]


def _batch_matmul_grad(op, g):
    x, y = op.inputs
    adj_x, adj_y = op.get_attr("adj_x"), op.get_attr("adj_y")
    if not adj_x and not adj_y:
        gx, gy = BatchMatMulV2(g, y, adj_y=True), BatchMatMulV2(x, g, adj_x=True)
    elif not adj_x:
        gx, gy = BatchMatMulV2(g, y), BatchMatMulV2(g, x, adj_x=True)
    elif not adj_y:
        gx, gy = BatchMatMulV2(y, g, adj_y=True), BatchMatMulV2(x, g)
    else:
        gx = BatchMatMulV2(y, g, adj_x=True, adj_y=True)
        gy = BatchMatMulV2(g, x, adj_x=True, adj_y=True)
    # Batch dims that were broadcast are summed back; the matrix dims already match.
    return [unbroadcast(gx, x), unbroadcast(gy, y)]


MatMul = defop("MatMul", shape=_matmul_rule("MatMul", ("a", "b"),
                                            ("transpose_a", "transpose_b")),
               ref=lambda a, b, *, transpose_a=False, transpose_b=False:
                   _matmul_ref(a, b, transpose_a, transpose_b),
               grad=_matmul_grad)
BatchMatMulV2 = defop("BatchMatMulV2", shape=_matmul_rule("BatchMatMulV2", ("x", "y"),
                                                          ("adj_x", "adj_y")),
                      ref=lambda x, y, *, adj_x=False, adj_y=False:
                          _matmul_ref(np.conj(x) if adj_x else x, np.conj(y) if adj_y else y,
                                      adj_x, adj_y),
                      grad=_batch_matmul_grad)


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, name=None):
    """a @ b. Rank-2 operands give MatMul; higher or unknown ranks give BatchMatMulV2 with
    broadcast batch dims. The sparsity hints change nothing here (dense kernels only)."""
    with graph_mod.name_scope(name, "MatMul", [a, b]) as scope:
        if transpose_a and adjoint_a:
            raise ValueError("Only one of `transpose_a` and `adjoint_a` can be True. Received "
                             "`transpose_a`=%s, `adjoint_a`=%s." % (transpose_a, adjoint_a))
        if transpose_b and adjoint_b:
            raise ValueError("Only one of `transpose_b` and `adjoint_b` can be True. Received "
                             "`transpose_b`=%s, `adjoint_b`=%s." % (transpose_b, adjoint_b))
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, preferred_dtype=a.dtype.base_dtype, name="b")
        ranks = (a.shape.ndims, b.shape.ndims)
        if any(r is None or r > 2 for r in ranks):
            if a.dtype.is_complex and transpose_a:
                a = _conj(a)
            if b.dtype.is_complex and transpose_b:
                b = _conj(b)
            return BatchMatMulV2(a, b, name=scope, adj_x=builtins.bool(transpose_a or adjoint_a),
                                 adj_y=builtins.bool(transpose_b or adjoint_b))
        if a.dtype.is_complex and adjoint_a:
            a = _conj(a)
        if b.dtype.is_complex and adjoint_b:
            b = _conj(b)
        return MatMul(a, b, name=scope, transpose_a=builtins.bool(transpose_a or adjoint_a),
                      transpose_b=builtins.bool(transpose_b or adjoint_b))


Conj = defop("Conj", shape=lambda input: Spec(input.shape, input.dtype.base_dtype),
             ref=lambda input: np.conj(input), grad=lambda op, g: [Conj(g)])


def _conj(x):
    return Conj(x) if x.dtype.is_complex else x


def _tensordot_axes(a, b, axes):
    if isinstance(axes, (int, np.integer)):
        if axes < 0:
            raise ValueError("`axes` must be at least 0. Received: %d." % axes)
        if axes > a.shape.ndims:
            raise ValueError("`axes` must not be larger than the number of dimensions of tensor "
                             "%s.  Received %d, vs tensor dimensions %d."
                             % (a, axes, a.shape.ndims))
        return (list(builtins.range(a.shape.ndims - axes, a.shape.ndims)),
                list(builtins.range(axes)))
    if isinstance(axes, (list, tuple)):
        if len(axes) != 2:
            raise ValueError("`axes` must be an integer or have length 2. Received %s."
                             % (axes,))
        a_axes, b_axes = axes
        if isinstance(a_axes, (int, np.integer)) and isinstance(b_axes, (int, np.integer)):
            a_axes, b_axes = [a_axes], [b_axes]
        a_axes, b_axes = list(a_axes), list(b_axes)
        if len(a_axes) != len(b_axes):
            raise ValueError("Different number of contraction axes `a` and `b`, %d != %d."
                             % (len(a_axes), len(b_axes)))
        return a_axes, b_axes
    raise TypeError("tensordot needs `axes` as a Python int or a pair of axis lists; got %r"
                    % (axes,))


def _tensordot_reshape(a, axes, flipped):
    """Moves the contracted axes of ``a`` last (first when ``flipped``) and flattens it to a
    matrix; returns it with the free dims (a Python list when static, else a tensor)."""
    array = _array_ops()
    rank = a.shape.ndims
    axes = [int(i) % rank if rank else int(i) for i in axes]
    free = [i for i in builtins.range(rank) if i not in axes]
    perm = axes + free if flipped else free + axes
    if a.shape.is_fully_defined():
        dims = a.shape.as_list()
        prod_free = int(np.prod([dims[i] for i in free]))
        prod_axes = int(np.prod([dims[i] for i in axes]))
        new_shape = [prod_axes, prod_free] if flipped else [prod_free, prod_axes]
        a_trans = array.transpose(a, perm) if perm != list(builtins.range(rank)) else a
        if a_trans.shape.as_list() != new_shape:
            a_trans = array.reshape(a_trans, new_shape)
        return a_trans, [dims[i] for i in free]
    shape_a = array.shape(a)
    free_dims = array.gather(shape_a, free)
    prod_free = reduce_prod(free_dims)
    prod_axes = reduce_prod(array.gather(shape_a, axes))
    new_shape = array.stack([prod_axes, prod_free] if flipped else [prod_free, prod_axes])
    return array.reshape(array.transpose(a, perm), new_shape), free_dims


def tensordot(a, b, axes, name=None):
    """Contracts ``a`` and ``b`` over ``axes`` with one MatMul, as TF does (operands of known
    rank; the axes as a Python int or a pair of lists)."""
    with graph_mod.name_scope(name, "Tensordot", [a, b]) as scope:
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, name="b")
        if a.shape.ndims is None or b.shape.ndims is None:
            raise ValueError("tensordot needs operands of known rank; got %s and %s. Set their "
                             "shapes (tensor.set_shape) first." % (a, b))
        a_axes, b_axes = _tensordot_axes(a, b, axes)
        a_matrix, a_free = _tensordot_reshape(a, a_axes, False)
        b_matrix, b_free = _tensordot_reshape(b, b_axes, True)
        product = matmul(a_matrix, b_matrix)
        if isinstance(a_free, list) and isinstance(b_free, list):
            if product.shape.is_fully_defined() and product.shape.as_list() == a_free + b_free:
                return product
            return _array_ops().reshape(product, a_free + b_free, name=scope)
        array = _array_ops()
        dims = array.concat([cast(a_free, dtypes.int32), cast(b_free, dtypes.int32)], 0)
        result = array.reshape(product, dims, name=scope)
        # The free dims known statically survive, as TF sets them on the result.
        result.set_shape([a.shape[i].value for i in builtins.range(a.shape.ndims)
                          if i not in [int(x) % a.shape.ndims for x in a_axes]] +
                         [b.shape[i].value for i in builtins.range(b.shape.ndims)
                          if i not in [int(x) % b.shape.ndims for x in b_axes]])
        return result


# -- reductions -----------------------------------------------------------------------------------
def _kernel_axes(axis, ndim):
    """Validated, non-negative reduction axes for a kernel (TF rejects duplicates at run time)."""
    axes = np.asarray(axis).ravel().tolist()
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError("Invalid reduction dimension (%d for input with %d dimension(s)"
                             % (a, ndim))
    axes = [a % ndim for a in axes]
    if len(set(axes)) != len(axes):
        raise ValueError("Invalid reduction arguments: Axes contains duplicate dimension: %d"
                         % next(a for a in axes if axes.count(a) > 1))
    return tuple(axes)


def _reduce_kernel(fn):
    def ref(input, reduction_indices, *, keep_dims=False):
        axes = _kernel_axes(reduction_indices, input.ndim)
        return np.asarray(fn(input, axes, keep_dims), dtype=input.dtype)
    return ref


def _mean_kernel(x, axes, keepdims):
    count = int(np.prod([x.shape[a] for a in axes]))
    if x.dtype.kind in "iu":
        # Integer mean: exact wide sum, then division truncating toward zero as C++ does.
        total = np.sum(x, axis=axes, keepdims=keepdims,
                       dtype=np.uint64 if x.dtype.kind == "u" else np.int64)
        return np.sign(total) * (np.abs(total) // builtins.max(count, 1))
    return np.sum(x, axis=axes, keepdims=keepdims, dtype=x.dtype) / x.dtype.type(count)


def _extremum_kernel(fn, float_start, int_start):
    """max/min whose empty reductions give TF's identities (-inf or the lowest integer...)."""
    def kernel(x, axes, keepdims):
        start = float_start if x.dtype.kind in "fc" else int_start(np.iinfo(x.dtype))
        return fn(x, axis=axes, keepdims=keepdims, initial=start)
    return kernel


def _reduce_shape(op_type, bool_input=False):
    def rule(input, reduction_indices, *, keep_dims=False):
        if bool_input:
            _expect_dtype(op_type, [input], ("input",), dtypes.bool)
            dtype = dtypes.bool
        else:
            dtype = _check_allowed("input", input.dtype.base_dtype, _ALLOWED[op_type])
        index_dtype = _check_allowed("reduction_indices", reduction_indices.dtype.base_dtype,
                                     _INDEX)
        attrs = {"T": dtype, "Tidx": index_dtype, "keep_dims": keep_dims}
        if bool_input:
            del attrs["T"]
        inputs = [input, reduction_indices]
        if (reduction_indices.shape.ndims or 0) > 1:
            raise _shape_error("Shape must be at most rank 1 but is rank %d"
                               % reduction_indices.shape.ndims, op_type, inputs, attrs)
        axes = constant_value(reduction_indices)
        ndims = input.shape.ndims
        if axes is None or ndims is None:
            if keep_dims and ndims is not None:
                return Spec(tensor_shape.unknown_shape(ndims), dtype)
            return Spec(tensor_shape.unknown_shape(), dtype)
        for a in np.reshape(axes, [-1]):
            if not -ndims <= a < ndims:
                raise _shape_error("Invalid reduction dimension %d for input with %d "
                                   "dimensions." % (a, ndims), op_type, inputs, attrs,
                                   computed=[(1, axes)])
        reduced = {int(a) % ndims for a in np.reshape(axes, [-1])}
        dims = input.shape.as_list()
        if keep_dims:
            return Spec([1 if i in reduced else d for i, d in enumerate(dims)], dtype)
        return Spec([d for i, d in enumerate(dims) if i not in reduced], dtype)
    return rule


def _kept_shape(x, axis):
    """The shape of ``x`` with the reduced axes set to 1: a Python list when static."""
    axes = constant_value(axis)
    if x.shape.is_fully_defined() and axes is not None:
        dims = x.shape.as_list()
        for a in np.reshape(axes, [-1]):
            dims[int(a) % len(dims)] = 1
        return dims
    return ReducedShape(_array_ops().shape(x), axis)


def _reduced_shape_ref(input_shape, axes):
    n = builtins.max(len(input_shape), 1)
    reduced = {int(a) % n for a in np.reshape(axes, [-1])}
    return np.array([1 if i in reduced else d for i, d in enumerate(input_shape)],
                    dtype=input_shape.dtype)


ReducedShape = defop(
    "ReducedShape", shape=lambda input_shape, axes: Spec(input_shape.shape,
                                                         input_shape.dtype.base_dtype),
    ref=_reduced_shape_ref, grad=NOT_DIFFERENTIABLE,
    doc="TF's math_ops.reduced_shape as one op: the input shape with reduced axes set to 1.")


def _reduction_permutation_ref(input_shape, axes):
    rank = len(input_shape)
    reduced = sorted({int(a) % rank for a in np.reshape(axes, [-1])}) if rank else []
    other = [i for i in builtins.range(rank) if i not in reduced]
    reduced_num = int(np.prod([input_shape[i] for i in reduced]))
    other_num = int(np.prod([input_shape[i] for i in other]))
    return (np.array(reduced + other, np.int32), np.array([reduced_num, other_num], np.int32))


ReductionPermutation = defop(
    "ReductionPermutation",
    shape=lambda input_shape, axes: [Spec(input_shape.shape, dtypes.int32),
                                      Spec([2], dtypes.int32)],
    ref=_reduction_permutation_ref, grad=NOT_DIFFERENTIABLE,
    doc="Prod's gradient helper (TF builds it from ListDiff/Gather): the permutation putting the "
        "reduced axes first, and the [reduced, other] element counts.")


def _sum_grad(op, g):
    x, axis = op.inputs
    array = _array_ops()
    x_shape = x.shape.as_list() if x.shape.is_fully_defined() else array.shape(x)
    return [_broadcast_to(array.reshape(g, _kept_shape(x, axis)), x_shape), None]


def _mean_grad(op, g):
    x, y = op.inputs[0], op.outputs[0]
    sum_grad = _sum_grad(op, g)[0]
    if x.shape.is_fully_defined() and y.shape.is_fully_defined():
        factor = x.shape.num_elements() // builtins.max(y.shape.num_elements(), 1)
        return [sum_grad / convert_to_tensor(factor, dtype=sum_grad.dtype.base_dtype), None]
    array = _array_ops()
    factor = FloorDiv(array.size(x), Maximum(array.size(y), 1))
    return [sum_grad / cast(factor, sum_grad.dtype.base_dtype), None]


def _min_max_grad(op, g):
    """Ties share the gradient equally, as TF does."""
    x, axis = op.inputs
    array = _array_ops()
    kept = _kept_shape(x, axis)
    y = array.reshape(op.outputs[0], kept)
    g = array.reshape(g, kept)
    indicators = cast(Equal(y, x), g.dtype.base_dtype)
    num_selected = array.reshape(reduce_sum(indicators, axis), kept)
    return [indicators / num_selected * g, None]


def _prod_grad(op, g):
    """Products of everything left and right of each element (exclusive cumprods over the
    reduced axes packed into one), so zeros in the input are handled exactly, as in TF."""
    x, axis = op.inputs
    array = _array_ops()
    x_shape = array.shape(x)
    g = _broadcast_to(array.reshape(g, _kept_shape(x, axis)), x_shape)
    perm, packed = ReductionPermutation(x_shape, axis)
    permuted = array.transpose(x, perm)
    matrix = array.reshape(permuted, packed)
    left = cumprod(matrix, 0, exclusive=True)
    right = cumprod(matrix, 0, exclusive=True, reverse=True)
    others = array.reshape(left * right, array.shape(permuted))
    inverse = array.InvertPermutation(perm)
    return [array.reshape(g * array.transpose(others, inverse), x_shape), None]


def _reduce_record(op_type, kernel, grad, bool_input=False):
    return defop(op_type, shape=_reduce_shape(op_type, bool_input), ref=_reduce_kernel(kernel),
                 grad=grad)


Sum = _reduce_record("Sum", lambda x, axes, kd: np.sum(x, axis=axes, keepdims=kd,
                                                       dtype=x.dtype), _sum_grad)
Mean = _reduce_record("Mean", _mean_kernel, _mean_grad)
Max = _reduce_record("Max", _extremum_kernel(np.max, -np.inf, lambda info: info.min),
                     _min_max_grad)
Min = _reduce_record("Min", _extremum_kernel(np.min, np.inf, lambda info: info.max),
                     _min_max_grad)
Prod = _reduce_record("Prod", lambda x, axes, kd: np.prod(x, axis=axes, keepdims=kd,
                                                          dtype=x.dtype), _prod_grad)
Any = _reduce_record("Any", lambda x, axes, kd: np.any(x, axis=axes, keepdims=kd),
                     NOT_DIFFERENTIABLE, bool_input=True)
All = _reduce_record("All", lambda x, axes, kd: np.all(x, axis=axes, keepdims=kd),
                     NOT_DIFFERENTIABLE, bool_input=True)


def _reduction_dims(x):
    """TF's axes for ``axis=None``: a constant range when the rank is known and non-zero, else
    Range(0, Rank(x)); created outside the op's name scope, as TF does."""
    if x.shape.ndims:
        return convert_to_tensor(np.arange(x.shape.ndims, dtype=np.int32))
    array = _array_ops()
    return array.range(0, array.rank(x))


def _reduce(op_def, input_tensor, axis, keepdims, name):
    if not _is_tensor_like(input_tensor) and axis is None:
        input_tensor = convert_to_tensor(input_tensor)
    dims = _reduction_dims(convert_to_tensor(input_tensor)) if axis is None else axis
    with graph_mod.name_scope(name, op_def.name, [input_tensor]) as scope:
        x = convert_to_tensor(input_tensor, name="input")
        dims = convert_to_tensor(dims, name="reduction_indices", preferred_dtype=dtypes.int32)
        out = op_def(x, dims, name=scope, keep_dims=keepdims)
    if axis is None and not keepdims and not out.shape.is_fully_defined():
        out.set_shape([])  # a full reduction is a scalar even when the input rank is unknown
    return out


def _reduction(op_def, fn_name):
    def fn(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
           keep_dims=None):
        axis = _deprecated_lookup("axis", axis, "reduction_indices", reduction_indices)
        keepdims = _deprecated_lookup("keepdims", keepdims, "keep_dims", keep_dims)
        return _reduce(op_def, input_tensor, axis, builtins.bool(keepdims), name)
    fn.__name__ = fn_name
    return fn


reduce_sum = _reduction(Sum, "reduce_sum")
reduce_mean = _reduction(Mean, "reduce_mean")
reduce_max = _reduction(Max, "reduce_max")
reduce_min = _reduction(Min, "reduce_min")
reduce_prod = _reduction(Prod, "reduce_prod")
reduce_any = _reduction(Any, "reduce_any")
reduce_all = _reduction(All, "reduce_all")


def reduce_logsumexp(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
                     keep_dims=None):
    """log(sum(exp(x))) computed around the (finite) maximum so it neither overflows nor
    underflows; the same ops TF builds."""
    axis = _deprecated_lookup("axis", axis, "reduction_indices", reduction_indices)
    keepdims = builtins.bool(_deprecated_lookup("keepdims", keepdims, "keep_dims", keep_dims))
    with graph_mod.name_scope(name, "ReduceLogSumExp", [input_tensor]) as scope:
        raw_max = reduce_max(input_tensor, axis=axis, keepdims=True)
        my_max = _array_ops().stop_gradient(where_v2(is_finite(raw_max), raw_max, 0))
        result = log(reduce_sum(exp(subtract(input_tensor, my_max)), axis=axis,
                                keepdims=keepdims))
        if not keepdims:
            # TF uses the raw Shape op here, not tf.shape's constant for static shapes.
            my_max = _array_ops().reshape(my_max, _array_ops().Shape(result))
        result = add(result, my_max, name=scope)
    if axis is None and not keepdims and not result.shape.is_fully_defined():
        result.set_shape([])
    return result


# -- arg reductions and scans ---------------------------------------------------------------------
def _arg_shape(op_type, output_types, index_types):
    def rule(input, dimension, *, output_type=dtypes.int64):
        dtype = _check_allowed("input", input.dtype.base_dtype, _ALLOWED[op_type])
        index_dtype = _check_allowed("dimension", dimension.dtype.base_dtype, index_types)
        _check_allowed("output_type", output_type, output_types)
        ax = constant_value(dimension)
        ndims = input.shape.ndims
        if ndims is None:
            return Spec(tensor_shape.unknown_shape(), output_type)
        if ndims == 0:
            return Spec([], output_type)  # TF builds it; the kernel rejects every axis
        if ax is None:
            return Spec(tensor_shape.unknown_shape(builtins.max(ndims - 1, 0)), output_type)
        ax = int(ax)
        if not -ndims <= ax < ndims:
            raise _shape_error(
                "Dimension (%d) must be in the range [%d, %d), where %d is the number of "
                "dimensions in the input." % (ax, -ndims, ndims, ndims), op_type,
                [input, dimension], {"T": dtype, "Tidx": index_dtype, "output_type": output_type},
                computed=[(1, ax)])
        dims = input.shape.as_list()
        del dims[ax % ndims]
        return Spec(dims, output_type)
    return rule


def _arg_kernel(fn, nan_fill):
    def ref(input, dimension, *, output_type=dtypes.int64):
        ax = int(dimension)
        if not -input.ndim <= ax < input.ndim:
            raise ValueError("Expected dimension in the range [%d, %d), but got %d"
                             % (-input.ndim, input.ndim, ax))
        ax %= input.ndim
        if input.shape[ax] == 0:
            raise ValueError("Reduction axis %d is empty in shape [%s]"
                             % (ax, ",".join(str(d) for d in input.shape)))
        if input.dtype.kind == "f":
            # TF's comparisons never pick a NaN; numpy's arg reductions return the first NaN.
            input = np.where(np.isnan(input), nan_fill, input)
        return np.asarray(fn(input, axis=ax), dtype=output_type.numpy_dtype)
    return ref


ArgMax = defop("ArgMax", shape=_arg_shape("ArgMax", _types("int16 uint16 int32 int64"),
                                          _types("int16 int32 int64")),
               ref=_arg_kernel(np.argmax, -np.inf), grad=NOT_DIFFERENTIABLE)
ArgMin = defop("ArgMin", shape=_arg_shape("ArgMin", _INDEX, _INDEX),
               ref=_arg_kernel(np.argmin, np.inf), grad=NOT_DIFFERENTIABLE)


def _arg_fn(op_def, fn_name):
    def fn(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):  # noqa: A002
        axis = _deprecated_lookup("axis", axis, "dimension", dimension)
        with graph_mod.name_scope(name, op_def.name, [input]) as scope:
            x = convert_to_tensor(input, name="input")
            dim = convert_to_tensor(0 if axis is None else axis, name="dimension",
                                    preferred_dtype=dtypes.int32)
            return op_def(x, dim, name=scope, output_type=dtypes.as_dtype(output_type))
    fn.__name__ = fn_name
    return fn


argmax = _arg_fn(ArgMax, "argmax")
argmin = _arg_fn(ArgMin, "argmin")


def _scan_shape(op_type):
    def rule(x, axis, *, exclusive=False, reverse=False):
        dtype = _check_allowed("x", x.dtype.base_dtype, _ALLOWED[op_type])
        index_dtype = _check_allowed("axis", axis.dtype.base_dtype, _INDEX)
        if axis.shape.ndims not in (None, 0):
            raise _shape_error("Shape must be rank 0 but is rank %d" % axis.shape.ndims,
                               op_type, [x, axis], {"T": dtype, "Tidx": index_dtype,
                                                    "exclusive": exclusive, "reverse": reverse})
        return Spec(x.shape, dtype)
    return rule


def _scan_kernel(fn, identity):
    def ref(x, axis, *, exclusive=False, reverse=False):
        ax = int(axis)
        if not -x.ndim <= ax < x.ndim:
            raise ValueError("ScanOp: Expected scan axis in the range [%d, %d), but got %d"
                             % (-x.ndim, x.ndim, ax))
        if reverse:
            x = np.flip(x, ax)
        if exclusive:
            # Shift right by one along the axis, filling with the identity, then scan.
            pad = [(0, 0)] * x.ndim
            pad[ax] = (1, 0)
            x = np.delete(np.pad(x, pad, constant_values=identity), -1, axis=ax)
        out = fn(x, axis=ax, dtype=x.dtype)
        return np.flip(out, ax) if reverse else out
    return ref


def _cumprod_grad(op, g):
    x, axis = op.inputs
    exclusive, reverse = op.get_attr("exclusive"), op.get_attr("reverse")
    prod = Cumprod(x, axis, exclusive=exclusive, reverse=reverse)
    out = Cumsum(prod * g, axis, exclusive=exclusive, reverse=not reverse)
    return [DivNoNan(out, x), None]


Cumsum = defop("Cumsum", shape=_scan_shape("Cumsum"), ref=_scan_kernel(np.cumsum, 0),
               grad=lambda op, g: [Cumsum(g, op.inputs[1], exclusive=op.get_attr("exclusive"),
                                          reverse=not op.get_attr("reverse")), None])
Cumprod = defop("Cumprod", shape=_scan_shape("Cumprod"), ref=_scan_kernel(np.cumprod, 1),
                grad=_cumprod_grad)


def _scan_fn(op_def):
    def fn(x, axis=0, exclusive=False, reverse=False, name=None):
        with graph_mod.name_scope(name, op_def.name, [x]) as scope:
            x = convert_to_tensor(x, name="x")
            axis = convert_to_tensor(axis, name="axis", preferred_dtype=dtypes.int32)
            return op_def(x, axis, name=scope, exclusive=builtins.bool(exclusive),
                          reverse=builtins.bool(reverse))
    fn.__name__ = op_def.name.lower()
    return fn


cumsum = _scan_fn(Cumsum)
cumprod = _scan_fn(Cumprod)


# -- operator overloads: TF1's names for the ops Python operators make ----------------------------
def _operator(fn, scope_name):
    """``x op y`` opens scope ``scope_name`` and calls ``fn(x, y, name=scope)``; the reflected
    form first converts the Python left operand to the tensor's dtype (named ``x``)."""
    def method(x, y, _reflected=False):
        with graph_mod.name_scope(None, scope_name, [x, y]) as scope:
            if _reflected:
                x = convert_to_tensor(x, dtype=y.dtype.base_dtype, name="x")
            return fn(x, y, name=scope)
    return method


def _bitwise_or_logical(logical_fn, bitwise_op):
    """&, | and ^ are logical on bools and bitwise on integers (created inside the scope)."""
    def fn(x, y, name=None):
        x = convert_to_tensor(x, name="x")
        if x.dtype.base_dtype == dtypes.bool:
            return logical_fn(x, y, name=name)
        (y,) = _convert_typed(bitwise_op.name, [x, y], ("x", "y"))[1:]
        return bitwise_op(x, y)
    return fn


def _invert(x):
    x = convert_to_tensor(x)
    if x.dtype.base_dtype == dtypes.bool:
        return logical_not(x)
    return Invert(x, name="Invert")


_OPERATORS = {
    "add": _operator(add, "add"),
    "sub": _operator(subtract, "sub"),
    "mul": _operator(multiply, "mul"),
    "truediv": _operator(truediv, "truediv"),
    "floordiv": _operator(floordiv, "floordiv"),
    "mod": _operator(floormod, "mod"),
    "pow": _operator(pow, "pow"),
    "matmul": _operator(matmul, "matmul"),
    "and": _operator(_bitwise_or_logical(logical_and, BitwiseAnd), "and"),
    "or": _operator(_bitwise_or_logical(logical_or, BitwiseOr), "or"),
    "xor": _operator(_bitwise_or_logical(logical_xor, BitwiseXor), "xor"),
    "lt": lambda x, y: less(x, y),
    "le": lambda x, y: less_equal(x, y),
    "gt": lambda x, y: greater(x, y),
    "ge": lambda x, y: greater_equal(x, y),
    "neg": lambda x: negative(x),
    "abs": lambda x: abs(x),
    "invert": _invert,
}
Tensor.OVERLOADABLE_OPERATORS.update(_OPERATORS)


# -- composite reductions and casts ---------------------------------------------------------------
def count_nonzero(input_tensor=None, axis=None, keepdims=None, dtype=dtypes.int64, name=None,
                  reduction_indices=None, keep_dims=None, input=None):  # noqa: A002
    """How many elements are not zero (not False, not empty), counted in int64 then cast."""
    input_tensor = _deprecated_lookup("input", input, "input_tensor", input_tensor)
    axis = _deprecated_lookup("axis", axis, "reduction_indices", reduction_indices)
    keepdims = builtins.bool(_deprecated_lookup("keepdims", keepdims, "keep_dims", keep_dims))
    with graph_mod.name_scope(name, "count_nonzero", [input_tensor]):
        input_tensor = convert_to_tensor(input_tensor, name="input_tensor")
        zero = _array_ops().zeros([], dtype=input_tensor.dtype.base_dtype)
        return cast(reduce_sum(cast(not_equal(input_tensor, zero), dtypes.int64), axis=axis,
                               keepdims=keepdims), dtype=dtype)


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """The mean squared deviation from the mean (the population variance)."""
    with graph_mod.name_scope(name, "reduce_variance"):
        input_tensor = convert_to_tensor(input_tensor, name="input_tensor")
        means = reduce_mean(input_tensor, axis=axis, keepdims=True)
        if not (input_tensor.dtype.is_floating or input_tensor.dtype.is_complex):
            raise TypeError("Input must be either real or complex. Received integer type %s."
                            % input_tensor.dtype.name)
        squared_deviations = square(abs(input_tensor - means))
        return reduce_mean(squared_deviations, axis=axis, keepdims=keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    with graph_mod.name_scope(name, "reduce_std"):
        input_tensor = convert_to_tensor(input_tensor, name="input_tensor")
        return sqrt(reduce_variance(input_tensor, axis=axis, keepdims=keepdims))


def saturate_cast(value, dtype, name=None):
    """Clamps to the target dtype's range before casting, so values never wrap around."""
    dtype = dtypes.as_dtype(dtype)
    with graph_mod.name_scope(name, "saturate_cast", [value]) as scope:
        value = convert_to_tensor(value, name="value")
        source = value.dtype.base_dtype
        if source.is_integer or source.is_floating:
            low, high = _dtype_range(source)
            target_low, target_high = _dtype_range(dtype)
            if low < target_low:
                value = maximum(value, convert_to_tensor(target_low, dtype=source))
            if high > target_high:
                value = minimum(value, convert_to_tensor(target_high, dtype=source))
        return cast(value, dtype, name=scope)


def _dtype_range(dtype):
    np_dtype = dtypes.as_dtype(dtype).numpy_dtype
    if np.dtype(np_dtype).kind == "f":
        info = np.finfo(np_dtype)
        return float(info.min), float(info.max)
    if np.dtype(np_dtype).kind == "b":
        return 0, 1
    info = np.iinfo(np_dtype)
    return int(info.min), int(info.max)


def arg_max(input, dimension, output_type=dtypes.int64, name=None):  # noqa: A002
    return argmax(input, axis=dimension, output_type=output_type, name=name)


def arg_min(input, dimension, output_type=dtypes.int64, name=None):  # noqa: A002
    return argmin(input, axis=dimension, output_type=output_type, name=name)


floor_div = floordiv


def log_sigmoid(x, name=None):
    """log(sigmoid(x)) as -softplus(-x), which neither overflows nor loses precision."""
    from . import nn_ops  # nn_ops builds on this module
    with graph_mod.name_scope(name, "LogSigmoid", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        return negative(nn_ops.Softplus(negative(x)), name=scope)


__all__ += ["count_nonzero", "reduce_variance", "reduce_std", "saturate_cast", "arg_max",
            "arg_min", "floor_div", "log_sigmoid"]
