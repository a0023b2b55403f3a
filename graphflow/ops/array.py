"""Placeholders and array manipulation ops, with TF1's names, static shapes and errors.

The public functions follow TF1's Python wrappers call for call, so the graph they build has
TF's op and tensor names (``Reshape/shape``, ``strided_slice/stack_1``...). Inputs are converted
inside the op's own name scope as TF's op-def library does (see ``_scoped_inputs``).
"""
import builtins
import contextlib
import numbers

import numpy as np

from ..framework import dtypes, errors, graph as graph_mod, tensor_shape
from ..framework.graph import Tensor
from .convert import (constant, constant_value, convert_to_tensor,
                      register_tensor_conversion_function)
from .registry import NOT_DIFFERENTIABLE, Spec, defop, same_as_input

__all__ = [
    "placeholder", "placeholder_with_default", "identity", "stop_gradient", "stack", "unstack",
    "shape", "shape_n", "size", "rank", "fill", "zeros", "ones", "zeros_like", "ones_like",
    "reshape", "transpose", "invert_permutation", "expand_dims", "squeeze", "concat", "split",
    "tile", "range", "one_hot", "gather", "gather_nd", "scatter_nd", "unsorted_segment_sum",
    "segment_sum", "slice", "strided_slice", "pad", "reverse", "reverse_v2", "broadcast_to",
    "boolean_mask", "sequence_mask", "matrix_band_part", "top_k", "newaxis",
]

newaxis = None
_INDEX_TYPES = (dtypes.int32, dtypes.int64)


def _math():
    from . import math as math_ops  # ops/math.py imports this module
    return math_ops


# -- helpers shared by the records ----------------------------------------------------------------
def _fmt_shape(shape):
    """A static shape as TF prints it in shape-function errors: ``[?,3]``, ``?``."""
    shape = tensor_shape.as_shape(shape)
    if shape.ndims is None:
        return "?"
    return "[%s]" % ",".join("?" if d is None else str(d) for d in shape.as_list())


def _shape_error(op_type, message, *inputs):
    """TF's graph-construction error: the shape function's message, then the node and the
    static shapes of its inputs. Shape rules run inside the op's own name scope (OpDef.create),
    so that scope is the node's name."""
    node = graph_mod.get_default_graph().get_name_scope() or op_type
    return ValueError("%s for '{{node %s}} = %s(%s)' with input shapes: %s." % (
        message, node, op_type, ", ".join(t._as_node_def_input() for t in inputs),
        ", ".join(_fmt_shape(t.shape) for t in inputs)))


def _dims(tensor):
    shape = tensor.shape
    return None if shape.ndims is None else shape.as_list()


def _merge_dims(a, b):
    """Merges two static shapes (lists with None); TF's wording when they disagree."""
    if a is None:
        return b
    if b is None:
        return a
    if len(a) != len(b):
        raise ValueError("Shapes must be equal rank, but are %d and %d" % (len(a), len(b)))
    out = []
    for i, (x, y) in enumerate(zip(a, b)):
        if x is not None and y is not None and x != y:
            raise ValueError("Dimension %d in both shapes must be equal, but are %d and %d. "
                             "Shapes are %s and %s." % (i, x, y, _fmt_shape(a), _fmt_shape(b)))
        out.append(x if x is not None else y)
    return out


def _convert_input(value, arg, op_type, allowed=None, dtype=None, ref_arg=None):
    """One op input as TF's op-def library converts it.

    ``allowed``: the dtypes the input accepts, the first preferred for Python values (int32 for
    shapes and indices). ``dtype``: the type this input shares with the earlier input ``ref_arg``.
    """
    if dtype is not None:
        if isinstance(value, Tensor) and value.dtype.base_dtype != dtype:
            raise TypeError("Input '%s' of '%s' Op has type %s that does not match type %s of "
                            "argument '%s'." % (arg, op_type, value.dtype.base_dtype.name,
                                                dtype.name, ref_arg))
        return convert_to_tensor(value, dtype=dtype, name=arg)
    tensor = convert_to_tensor(value, name=arg,
                               preferred_dtype=allowed[0] if allowed else None)
    if allowed and len(allowed) == 1 and tensor.dtype.base_dtype != allowed[0]:
        raise TypeError("Input '%s' of '%s' Op has type %s that does not match expected type of "
                        "%s." % (arg, op_type, tensor.dtype.base_dtype.name, allowed[0].name))
    if allowed and tensor.dtype.base_dtype not in allowed:
        raise TypeError("Value passed to parameter '%s' has DataType %s not in list of allowed "
                        "values: %s" % (arg, tensor.dtype.base_dtype.name,
                                        ", ".join(d.name for d in allowed)))
    return tensor


@contextlib.contextmanager
def _scoped_inputs(name, op_type, specs):
    """Opens the op's name scope and converts its inputs inside it, so a Python shape becomes
    ``Reshape/shape``; yields (scope, tensors). ``specs``: (value, arg[, allowed]) tuples."""
    with graph_mod.name_scope(name, op_type, [s[0] for s in specs]) as scope:
        yield scope, [_convert_input(s[0], s[1], op_type, s[2] if len(s) > 2 else None)
                      for s in specs]


def _convert_list(values, arg):
    """A list input whose elements share one dtype: Python values take the dtype of the first
    tensor in the list, as TF's op-def library converts them (``values_1``...)."""
    first = next((v for v in values if isinstance(v, Tensor)), None)
    dtype = None if first is None else first.dtype.base_dtype
    return [v if isinstance(v, Tensor) else convert_to_tensor(v, dtype=dtype,
                                                              name="%s_%d" % (arg, i))
            for i, v in enumerate(values)]


def _as_tuple(x):
    return x if isinstance(x, tuple) else (x,)


def _contains_tensor(value):
    if isinstance(value, (list, tuple)):
        return any(_contains_tensor(v) for v in value)
    return isinstance(value, Tensor) or hasattr(value, "_as_graph_element")


def _scalar_value(tensor):
    """The Python int a scalar tensor is known to hold at build time, else None."""
    value = constant_value(tensor)
    if value is None or np.ndim(value) != 0:
        return None
    return int(value)


def _shape_from_tensor(t):
    """The static shape a shape-valued int tensor describes, partially known where TF's
    ``MakeShapeFromShapeTensor`` knows it: constants, ``tf.shape(x)`` (x's static shape),
    stacks of scalars (``[-1, n]``), concatenations and casts of those."""
    value = constant_value(t)
    if value is not None:
        if np.ndim(value) == 0:
            return tensor_shape.unknown_shape() if int(value) == -1 else \
                tensor_shape.TensorShape([])
        return tensor_shape.TensorShape([int(d) if d >= 0 else None
                                         for d in np.reshape(value, [-1])])
    op = t.op
    if op.type == "Shape":
        return op.inputs[0].shape
    if op.type == "ShapeN":
        return op.inputs[t.value_index].shape
    if op.type == "Cast":
        return _shape_from_tensor(op.inputs[0])
    if op.type == "Pack" and op.get_attr("axis") == 0 and \
            all(x.shape.ndims == 0 for x in op.inputs):
        dims = [_scalar_value(x) for x in op.inputs]
        return tensor_shape.TensorShape([None if d is None or d < 0 else d for d in dims])
    if op.type == "StridedSlice" and not (op.get_attr("ellipsis_mask") or
                                          op.get_attr("new_axis_mask") or
                                          op.get_attr("shrink_axis_mask")):
        # A slice of a shape (``tf.shape(x)[1:3]``) describes those dims of x.
        source = _shape_from_tensor(op.inputs[0])
        bounds = [constant_value(x) for x in op.inputs[1:]]
        if source.ndims is not None and all(b is not None and np.size(b) == 1 for b in bounds):
            begin, end, stride = (int(np.reshape(b, [-1])[0]) for b in bounds)
            begin = None if op.get_attr("begin_mask") & 1 else begin
            end = None if op.get_attr("end_mask") & 1 else end
            return tensor_shape.TensorShape(source.as_list()[begin:end:stride])
    if op.type == "ConcatV2" and _scalar_value(op.inputs[-1]) in (0, -1):
        parts = [_shape_from_tensor(x) for x in op.inputs[:-1]]
        if all(p.ndims is not None for p in parts):
            return tensor_shape.TensorShape([d for p in parts for d in p.as_list()])
    if t.shape.ndims == 1 and t.shape[0].value is not None:
        return tensor_shape.unknown_shape(t.shape[0].value)
    return tensor_shape.unknown_shape()


# -- placeholders, identity -----------------------------------------------------------------------
def _placeholder_kernel(*, dtype, shape):
    raise errors.InvalidArgumentError(None, None, "You must feed a value for a placeholder "
                                      "tensor of dtype %s and shape %s" % (dtype.name, shape))


Placeholder = defop("Placeholder", shape=lambda *, dtype, shape: Spec(shape, dtype),
                    ref=_placeholder_kernel, grad=NOT_DIFFERENTIABLE)
PlaceholderWithDefault = defop(
    "PlaceholderWithDefault",
    shape=lambda input, *, shape: Spec(shape, input.dtype.base_dtype),
    ref=lambda input, *, shape: input, grad=lambda op, g: [g])
Identity = defop("Identity", shape=same_as_input, ref=lambda input: input,
                 grad=lambda op, g: [g], scalar="{0}", aliases_input=True)
# The forward value passes through; the backward pass sees a constant.
StopGradient = defop("StopGradient", shape=same_as_input, ref=lambda input: input,
                     grad=NOT_DIFFERENTIABLE, scalar="{0}")


def placeholder(dtype, shape=None, name=None):
    shape = tensor_shape.unknown_shape() if shape is None else tensor_shape.as_shape(shape)
    return Placeholder(name=name or "Placeholder", dtype=dtypes.as_dtype(dtype).base_dtype,
                       shape=shape)


def placeholder_with_default(input, shape, name=None):  # noqa: A002 - TF's argument name
    with graph_mod.name_scope(name, "PlaceholderWithDefault", [input]) as scope:
        value = convert_to_tensor(input, name="input")
        shape = tensor_shape.as_shape(shape)
        if not shape.is_compatible_with(value.shape):
            raise ValueError("Shapes %s and %s are incompatible" % (value.shape, shape))
        return PlaceholderWithDefault(value, name=scope, shape=shape)


def identity(input, name=None):  # noqa: A002
    with _scoped_inputs(name, "Identity", [(input, "input")]) as (scope, (x,)):
        return Identity(x, name=scope)


def stop_gradient(input, name=None):  # noqa: A002
    with _scoped_inputs(name, "StopGradient", [(input, "input")]) as (scope, (x,)):
        return StopGradient(x, name=scope)


# -- stack / unstack and list auto-packing --------------------------------------------------------
def _pack_shape(*values, axis=0):
    dtype = values[0].dtype.base_dtype
    if any(v.dtype.base_dtype != dtype for v in values):
        raise TypeError("Tensors in list passed to 'values' of 'Pack' Op have types [%s] that "
                        "don't all match." % ", ".join(v.dtype.base_dtype.name for v in values))
    dims = None
    for v in values:
        try:
            dims = _merge_dims(dims, _dims(v))
        except ValueError as e:
            raise _shape_error("Pack", "%s From merging shape 0 with other shapes." % e,
                               *values)
    if dims is None:
        return Spec(tensor_shape.unknown_shape(), dtype)
    rank = len(dims) + 1
    if not -rank <= axis < rank:
        raise ValueError("axis = %d not in [%d, %d)" % (axis, -rank, rank))
    dims.insert(axis % rank, len(values))
    return Spec(dims, dtype)


def _unpack_shape(value, *, num, axis=0):
    dims = _dims(value)
    dtype = value.dtype.base_dtype
    if dims is None:
        return [Spec(tensor_shape.unknown_shape(), dtype)] * num
    if not -len(dims) <= axis < len(dims):
        raise _shape_error("Unpack", "axis = %d not in [%d, %d)" % (axis, -len(dims),
                                                                      len(dims)), value)
    size_along = dims.pop(axis % len(dims))
    if size_along is not None and size_along != num:
        raise _shape_error("Unpack", "Dimension must be %d but is %d" % (num, size_along), value)
    return [Spec(dims, dtype)] * num


Pack = defop("Pack", shape=_pack_shape,
             ref=lambda *values, axis=0: np.stack(values, axis=axis),
             grad=lambda op, g: list(_as_tuple(Unpack(g, num=len(op.inputs),
                                                      axis=op.get_attr("axis")))))
Unpack = defop("Unpack", shape=_unpack_shape,
               ref=lambda value, *, num, axis=0: tuple(np.moveaxis(value, axis, 0)),
               grad=lambda op, *grads: [Pack(*grads, axis=op.get_attr("axis"))])


def stack(values, axis=0, name="stack"):
    if axis == 0:
        try:
            # A list of Python values, or of tensors, converts in one piece as TF1 does.
            return convert_to_tensor(values, name=name)
        except (TypeError, ValueError):
            pass
    first_shape = convert_to_tensor(values[0], name=name).shape
    if first_shape.ndims is not None:
        rank = first_shape.ndims + 1
        if not -rank <= axis < rank:
            raise ValueError("axis = %d not in [%d, %d)" % (axis, -rank, rank))
    with graph_mod.name_scope(name, "Pack", list(values)) as scope:
        tensors = _convert_list(values, "values")
        return Pack(*tensors, name=scope, axis=axis)


def unstack(value, num=None, axis=0, name="unstack"):
    if num is None:
        value = convert_to_tensor(value)
        ndims = value.shape.ndims
        if ndims is not None:
            if not -ndims <= axis < ndims:
                raise ValueError("axis = %d not in [%d, %d)" % (axis, -ndims, ndims))
            num = value.shape[axis].value
        if num is None:
            raise ValueError("Cannot infer num from shape %s" % value.shape)
    with _scoped_inputs(name, "Unpack", [(value, "value")]) as (scope, (x,)):
        result = Unpack(x, name=scope, num=num, axis=axis)
        return [] if isinstance(result, graph_mod.Operation) else list(_as_tuple(result))


def _autopack_dtype(value):
    for v in value:
        if isinstance(v, Tensor):
            return v.dtype.base_dtype
        if isinstance(v, (list, tuple)):
            found = _autopack_dtype(v)
            if found is not None:
                return found
    return None


def _autopack_helper(value, dtype, name):
    must_pack = False
    converted = []
    with graph_mod.name_scope(name) as scope:
        for i, elem in enumerate(value):
            if isinstance(elem, Tensor):
                if elem.dtype.base_dtype != dtype:
                    raise TypeError("Cannot convert a list containing a tensor of dtype %s to %s "
                                    "(Tensor is: %r)" % (elem.dtype, dtype, elem))
                converted.append(elem)
                must_pack = True
            elif isinstance(elem, (list, tuple)):
                packed = _autopack_helper(elem, dtype, str(i))
                must_pack = must_pack or isinstance(packed, Tensor)
                converted.append(packed)
            else:
                converted.append(elem)
        if not must_pack:
            return converted
        tensors = [e if isinstance(e, Tensor) else constant(e, dtype=dtype, name=str(i))
                   for i, e in enumerate(converted)]
        return Pack(*tensors, name=scope, axis=0)


def _cast_tensors(value, dtype):
    if isinstance(value, (list, tuple)):
        return [_cast_tensors(v, dtype) for v in value]
    if isinstance(value, Tensor) and value.dtype.base_dtype != dtype:
        return _math().cast(value, dtype)
    return value


def _graph_elements(value):
    """Nested lists with variables (and other tensor-likes) replaced by their tensors."""
    if isinstance(value, (list, tuple)):
        return [_graph_elements(v) for v in value]
    if hasattr(value, "_as_graph_element") and not isinstance(value, Tensor):
        return value._as_graph_element()
    return value


def _autopack(value, dtype=None, name=None, as_ref=False):
    """A (nested) list holding tensors converts by stacking, as TF1 does for
    ``tf.reshape(x, [-1, n])`` with a tensor ``n``."""
    if as_ref or not _contains_tensor(value):
        return NotImplemented
    value = _graph_elements(value)
    inferred = _autopack_dtype(value)
    if inferred is None:
        return NotImplemented
    if dtype is None:
        dtype = inferred
    else:
        dtype = dtypes.as_dtype(dtype).base_dtype
        if dtype != inferred:
            value = _cast_tensors(value, dtype)
    return _autopack_helper(value, dtype, name or "packed")


register_tensor_conversion_function((list, tuple), _autopack, priority=99)


# -- shapes as values -----------------------------------------------------------------------------
def _static_shape_value(op):
    shape = op.inputs[0].shape
    if shape.is_fully_defined():
        return np.array(shape.as_list(), dtype=op.get_attr("out_type").numpy_dtype)
    return None


def _static_shape_n_value(op):
    out_type = op.get_attr("out_type").numpy_dtype
    values = [np.array(x.shape.as_list(), dtype=out_type) if x.shape.is_fully_defined() else None
              for x in op.inputs]
    if all(v is None for v in values):
        return None
    return values if len(values) > 1 else values[0]


def _static_size_value(op):
    n = op.inputs[0].shape.num_elements()
    return None if n is None else np.array(n, dtype=op.get_attr("out_type").numpy_dtype)


def _static_rank_value(op):
    ndims = op.inputs[0].shape.ndims
    return None if ndims is None else np.array(ndims, dtype=np.int32)


Shape = defop("Shape",
              shape=lambda input, *, out_type=dtypes.int32: Spec([input.shape.ndims], out_type),
              ref=lambda input, *, out_type=dtypes.int32:
                  np.array(np.shape(input), dtype=out_type.numpy_dtype),
              grad=NOT_DIFFERENTIABLE, static_value=_static_shape_value)
ShapeN = defop("ShapeN",
               shape=lambda *input, out_type=dtypes.int32: [Spec([x.shape.ndims], out_type)
                                                            for x in input],
               ref=lambda *input, out_type=dtypes.int32: tuple(
                   np.array(np.shape(x), dtype=out_type.numpy_dtype) for x in input),
               grad=NOT_DIFFERENTIABLE, static_value=_static_shape_n_value)
Size = defop("Size", shape=lambda input, *, out_type=dtypes.int32: Spec([], out_type),
             ref=lambda input, *, out_type=dtypes.int32:
                 np.array(np.size(input), dtype=out_type.numpy_dtype),
             grad=NOT_DIFFERENTIABLE, static_value=_static_size_value)
Rank = defop("Rank", shape=lambda input: Spec([], dtypes.int32),
             ref=lambda input: np.array(np.ndim(input), dtype=np.int32),
             grad=NOT_DIFFERENTIABLE, static_value=_static_rank_value)


def shape(input, name=None, out_type=dtypes.int32):  # noqa: A002
    out_type = dtypes.as_dtype(out_type)
    with graph_mod.name_scope(name, "Shape", [input]) as scope:
        x = convert_to_tensor(input)
        # A fully known shape is a constant, as TF1 builds it (optimize=True).
        if x.shape.is_fully_defined():
            return constant(x.shape.as_list(), dtype=out_type, name=scope)
        return Shape(x, name=scope, out_type=out_type)


def shape_n(input, out_type=dtypes.int32, name=None):  # noqa: A002
    with graph_mod.name_scope(name, "ShapeN", list(input)) as scope:
        tensors = [convert_to_tensor(x, name="input_%d" % i) for i, x in enumerate(input)]
        return list(_as_tuple(ShapeN(*tensors, name=scope, out_type=dtypes.as_dtype(out_type))))


def size(input, name=None, out_type=dtypes.int32):  # noqa: A002
    out_type = dtypes.as_dtype(out_type)
    with graph_mod.name_scope(name, "Size", [input]) as scope:
        x = convert_to_tensor(input)
        if x.shape.is_fully_defined():
            return constant(x.shape.num_elements(), dtype=out_type, name=scope)
        if x.shape.ndims is not None and 0 in x.shape.as_list():
            return constant(0, dtype=out_type, name=scope)
        return Size(x, name=scope, out_type=out_type)


def rank(input, name=None):  # noqa: A002
    with graph_mod.name_scope(name, "Rank", [input]) as scope:
        x = convert_to_tensor(input)
        if x.shape.ndims is not None:
            return constant(x.shape.ndims, dtype=dtypes.int32, name=scope)
        return Rank(x, name=scope)


# -- creation -------------------------------------------------------------------------------------
def _fill_shape(dims, value):
    if dims.shape.ndims is not None and dims.shape.ndims != 1:
        raise _shape_error("Fill", "Shape must be rank 1 but is rank %d" % dims.shape.ndims,
                           dims, value)
    if value.shape.ndims is not None and value.shape.ndims != 0:
        raise _shape_error("Fill", "Shape must be rank 0 but is rank %d" % value.shape.ndims,
                           dims, value)
    return Spec(_shape_from_tensor(dims), value.dtype.base_dtype)


def _fill_ref(dims, value):
    if np.any(np.asarray(dims) < 0):
        raise ValueError("dims must be non-negative, got %s" % list(dims))
    return np.full(tuple(int(d) for d in dims), value, dtype=np.asarray(value).dtype)


Fill = defop("Fill", shape=_fill_shape, ref=_fill_ref,
             grad=lambda op, g: [None, _math().reduce_sum(g)])
ZerosLike = defop("ZerosLike", shape=same_as_input, ref=lambda x: np.zeros_like(x),
                  grad=NOT_DIFFERENTIABLE, scalar="0")
OnesLike = defop("OnesLike", shape=same_as_input, ref=lambda x: np.ones_like(x),
                 grad=NOT_DIFFERENTIABLE, scalar="1")


def fill(dims, value, name=None):
    with _scoped_inputs(name, "Fill", [(dims, "dims", _INDEX_TYPES), (value, "value")]) \
            as (scope, (dims_t, value_t)):
        return Fill(dims_t, value_t, name=scope)


def _filled(shape, dtype, name, default_name):
    """TF1's zeros/ones: a Const when the shape is known and small, else a Fill (so a large
    tensor is not serialized into the graph)."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    if dtype == dtypes.bool:
        value = default_name == "ones"
    elif dtype == dtypes.string:
        value = ""
    else:
        value = 0 if default_name == "zeros" else 1
    with graph_mod.name_scope(name, default_name, [shape]) as scope:
        if not isinstance(shape, Tensor):
            if _contains_tensor(shape):
                shape = convert_to_tensor(shape, dtype=dtypes.int32)
            else:
                dims = tensor_shape.as_shape(shape)
                if not dims.is_fully_defined():
                    raise ValueError("Cannot convert a partially known TensorShape %s to a "
                                     "Tensor." % dims)
                dims = dims.as_list()
                if int(np.prod(dims)) < 1000:
                    return constant(value, dtype=dtype, shape=dims, name=scope)
                big = builtins.any(d >= 2 ** 31 for d in dims)
                shape = constant(dims, dtype=dtypes.int64 if big else dtypes.int32,
                                 name="shape_as_tensor")
        if shape.shape.ndims == 0:
            shape = reshape(shape, [-1])
        return Fill(shape, constant(value, dtype=dtype), name=scope)


def zeros(shape, dtype=dtypes.float32, name=None):
    return _filled(shape, dtype, name, "zeros")


def ones(shape, dtype=dtypes.float32, name=None):
    return _filled(shape, dtype, name, "ones")


def zeros_like(tensor, dtype=None, name=None, optimize=True):
    with graph_mod.name_scope(name, "zeros_like", [tensor]) as scope:
        tensor = convert_to_tensor(tensor, name="tensor")
        if optimize and tensor.shape.is_fully_defined():
            return zeros(tensor.shape.as_list(), dtype=dtype or tensor.dtype.base_dtype,
                         name=scope)
        if dtype is not None and dtypes.as_dtype(dtype) != tensor.dtype.base_dtype:
            return zeros(_shape_internal(tensor, optimize), dtype=dtype, name=scope)
        return ZerosLike(tensor, name=scope)


def ones_like(tensor, dtype=None, name=None, optimize=True):
    with graph_mod.name_scope(name, "ones_like", [tensor]) as scope:
        tensor = convert_to_tensor(tensor, name="tensor")
        result = ones(_shape_internal(tensor, optimize), dtype=dtype or tensor.dtype.base_dtype,
                      name=scope)
        result.set_shape(tensor.shape)
        return result


def _shape_internal(tensor, optimize):
    if optimize:
        return shape(tensor)
    with graph_mod.name_scope(None, "Shape", [tensor]) as scope:
        return Shape(tensor, name=scope, out_type=dtypes.int32)


# -- reshaping ------------------------------------------------------------------------------------
def _reshape_shape(tensor, shape):
    dtype = tensor.dtype.base_dtype
    if shape.shape.ndims not in (None, 1):
        raise _shape_error("Reshape", "Shape must be rank 1 but is rank %d" % shape.shape.ndims,
                           tensor, shape)
    value = constant_value(shape)
    if value is not None:
        bad = [int(d) for d in np.reshape(value, [-1]) if d < -1]
        if bad:
            raise _shape_error("Reshape", "Dimension %d must be >= -1" % bad[0], tensor, shape)
    out = _shape_from_tensor(shape)
    if out.ndims is None or tensor.shape.ndims is None:
        return Spec(out, dtype)
    out = out.as_list()
    # TF's SetOutputShapeForReshape: with at most one unknown dim on each side, the known
    # element counts fix the missing one (or prove the reshape impossible).
    unknown_out = [i for i, d in enumerate(out) if d is None]
    unknown_in = [i for i, d in enumerate(tensor.shape.as_list()) if d is None]
    if len(unknown_out) > 1 or len(unknown_in) > 1:
        return Spec(out, dtype)
    known_out = int(np.prod([d for d in out if d is not None]))
    known_in = int(np.prod([d for d in tensor.shape.as_list() if d is not None]))
    if not unknown_in and not unknown_out:
        if known_in != known_out:
            raise _shape_error("Reshape", "Cannot reshape a tensor with %d elements to shape %s "
                               "(%d elements)" % (known_in, _fmt_shape(out), known_out),
                               tensor, shape)
    elif not unknown_in and known_out > 0:
        if known_in % known_out:
            raise _shape_error("Reshape", "Dimension size must be evenly divisible by %d but is "
                               "%d" % (known_out, known_in), tensor, shape)
        out[unknown_out[0]] = known_in // known_out
    elif unknown_in and not unknown_out and known_in > 0 and known_out % known_in:
        raise _shape_error("Reshape", "Dimension size must be evenly divisible by %d but is %d"
                           % (known_in, known_out), tensor, shape)
    return Spec(out, dtype)


def _reshape_ref(tensor, shape):
    target = [int(d) for d in np.reshape(shape, [-1])]
    try:
        return np.reshape(tensor, target)
    except ValueError:
        raise ValueError("Input to reshape is a tensor with %d values, but the requested shape "
                         "has %d" % (np.size(tensor), int(np.prod([d for d in target if d >= 0]))))


Reshape = defop("Reshape", shape=_reshape_shape, ref=_reshape_ref,
                grad=lambda op, g: [reshape(g, shape(op.inputs[0])), None])


def reshape(tensor, shape, name=None):  # noqa: F811 - TF's argument name
    with _scoped_inputs(name, "Reshape", [(tensor, "tensor"), (shape, "shape", _INDEX_TYPES)]) \
            as (scope, (x, shape_t)):
        return Reshape(x, shape_t, name=scope)


def _transpose_shape(x, perm):
    dtype = x.dtype.base_dtype
    p = constant_value(perm)
    ndims = x.shape.ndims
    if ndims is None and perm.shape.ndims == 1:
        ndims = perm.shape[0].value
    if p is None or x.shape.ndims is None:
        return Spec(tensor_shape.unknown_shape(ndims), dtype)
    dims = x.shape.as_list()
    p = [int(i) for i in np.reshape(p, [-1])]
    if len(p) != len(dims):
        raise _shape_error("Transpose", "Dimension must be %d but is %d" % (len(dims), len(p)),
                           x, perm)
    for i in p:
        if not -len(dims) <= i < len(dims):
            raise _shape_error("Transpose", "perm dim %d is out of range of input rank %d"
                               % (i, len(dims)), x, perm)
    return Spec([dims[i] for i in p], dtype)


def _transpose_ref(x, perm):
    p = [int(i) for i in perm]
    if sorted(i % max(x.ndim, 1) for i in p) != list(builtins.range(x.ndim)):
        raise ValueError("%s is not a permutation of the %d dimensions of the input"
                         % (p, x.ndim))
    return np.transpose(x, p)


def _invert_permutation_ref(x):
    if sorted(x.tolist()) != list(builtins.range(x.size)):
        raise ValueError("%s is not a permutation of 0..%d" % (x.tolist(), x.size - 1))
    return np.argsort(x).astype(x.dtype)


Transpose = defop("Transpose", shape=_transpose_shape, ref=_transpose_ref,
                  grad=lambda op, g: [transpose(g, invert_permutation(op.inputs[1])), None])
InvertPermutation = defop("InvertPermutation", shape=same_as_input, ref=_invert_permutation_ref,
                          grad=NOT_DIFFERENTIABLE)


def invert_permutation(x, name=None):
    with _scoped_inputs(name, "InvertPermutation", [(x, "x", _INDEX_TYPES)]) as (scope, (t,)):
        return InvertPermutation(t, name=scope)


def transpose(a, perm=None, name="transpose", conjugate=False):
    with graph_mod.name_scope(name, "transpose", [a]) as scope:
        if not isinstance(a, Tensor):
            a = convert_to_tensor(a, name="a")
        if perm is None:
            if a.shape.ndims is not None:
                perm = np.arange(a.shape.ndims - 1, -1, -1, dtype=np.int32)
            else:
                # TF1 builds the reversed range from the run-time rank.
                perm = _raw_range(Rank(a, name="Rank") - 1, -1, -1)
        with _scoped_inputs(scope, "Transpose", [(a, "x"), (perm, "perm", _INDEX_TYPES)]) \
                as (_, (x, perm_t)):
            return Transpose(x, perm_t, name=scope)


def _expand_dims_shape(input, axis):
    dtype = input.dtype.base_dtype
    value = constant_value(axis)
    if value is not None and np.size(value) != 1:
        raise _shape_error("ExpandDims", "'dim' must be a tensor with a single value",
                           input, axis)
    if value is None or input.shape.ndims is None:
        return Spec(tensor_shape.unknown_shape(), dtype)
    ax = int(np.reshape(value, [-1])[0])
    dims = input.shape.as_list()
    if not -len(dims) - 1 <= ax <= len(dims):
        raise _shape_error("ExpandDims", "dim %d not in the interval [%d, %d]."
                           % (ax, -len(dims) - 1, len(dims)), input, axis)
    dims.insert(ax % (len(dims) + 1), 1)
    return Spec(dims, dtype)


def _expand_dims_ref(input, axis):
    return np.expand_dims(input, int(np.reshape(axis, [-1])[0]))


ExpandDims = defop("ExpandDims", shape=_expand_dims_shape, ref=_expand_dims_ref,
                   grad=lambda op, g: [reshape(g, shape(op.inputs[0])), None])


def expand_dims(input, axis=None, name=None, dim=None):  # noqa: A002
    if axis is not None and dim is not None:
        raise ValueError("Cannot specify both 'axis' and 'dim'")
    axis = dim if axis is None else axis
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    with _scoped_inputs(name, "ExpandDims", [(input, "input"), (axis, "dim", _INDEX_TYPES)]) \
            as (scope, (x, axis_t)):
        return ExpandDims(x, axis_t, name=scope)


def _squeeze_shape(input, *, squeeze_dims=()):
    dtype = input.dtype.base_dtype
    if input.shape.ndims is None:
        return Spec(tensor_shape.unknown_shape(), dtype)
    dims = input.shape.as_list()
    axes = set()
    for i, a in enumerate(squeeze_dims):
        if not -len(dims) <= a < len(dims):
            raise _shape_error("Squeeze", "squeeze_dims[%d] not in [%d,%d)."
                               % (i, -len(dims), len(dims)), input)
        axes.add(a % len(dims))
    for a in sorted(axes):
        if dims[a] not in (1, None):
            raise _shape_error("Squeeze", "Can not squeeze dim[%d], expected a dimension of 1, "
                               "got %d" % (a, dims[a]), input)
    if axes:
        return Spec([d for i, d in enumerate(dims) if i not in axes], dtype)
    if None in dims:
        # An unknown dimension may or may not be 1: even the rank is unknown.
        return Spec(tensor_shape.unknown_shape(), dtype)
    return Spec([d for d in dims if d != 1], dtype)


def _squeeze_ref(input, *, squeeze_dims=()):
    axes = tuple(a % input.ndim for a in squeeze_dims) if squeeze_dims else None
    if axes is not None:
        for a in axes:
            if input.shape[a] != 1:
                raise ValueError("Can not squeeze dim[%d], expected a dimension of 1, got %d"
                                 % (a, input.shape[a]))
    return np.squeeze(input, axis=axes)


Squeeze = defop("Squeeze", shape=_squeeze_shape, ref=_squeeze_ref,
                grad=lambda op, g: [reshape(g, shape(op.inputs[0]))])


def squeeze(input, axis=None, name=None, squeeze_dims=None):  # noqa: A002
    if axis is not None and squeeze_dims is not None:
        raise ValueError("Cannot specify both 'axis' and 'squeeze_dims'")
    axis = squeeze_dims if axis is None else axis
    if np.isscalar(axis):
        axis = [axis]
    axis = [] if axis is None else [int(a) for a in axis]
    with _scoped_inputs(name, "Squeeze", [(input, "input")]) as (scope, (x,)):
        return Squeeze(x, name=scope, squeeze_dims=axis)


# -- concat / split -------------------------------------------------------------------------------
def _concat_shape(*values_and_axis):
    values, axis_t = values_and_axis[:-1], values_and_axis[-1]
    dtype = values[0].dtype.base_dtype
    if any(v.dtype.base_dtype != dtype for v in values):
        raise TypeError("Tensors in list passed to 'values' of 'ConcatV2' Op have types [%s] "
                        "that don't all match." % ", ".join(v.dtype.base_dtype.name
                                                            for v in values))
    known = [_dims(v) for v in values if v.shape.ndims is not None]
    for d in known[1:]:
        if len(d) != len(known[0]):
            raise _shape_error("ConcatV2", "Shape must be rank %d but is rank %d"
                               % (len(known[0]), len(d)), *values_and_axis)
    axis = _scalar_value(axis_t)
    if not known:
        return Spec(tensor_shape.unknown_shape(), dtype)
    ndims = len(known[0])
    if axis is None:
        return Spec(tensor_shape.unknown_shape(ndims), dtype)
    if axis >= ndims:
        raise _shape_error("ConcatV2", "Shape must be at least rank %d but is rank %d"
                           % (axis + 1, ndims), *values_and_axis)
    if axis < -ndims:
        raise _shape_error("ConcatV2", "Expected concatenating dimensions in the range [%d, %d), "
                           "but got %d" % (-ndims, ndims, axis), *values_and_axis)
    axis %= ndims
    rest = None
    total = 0
    for d in known:
        others = d[:axis] + d[axis + 1:]
        try:
            rest = _merge_dims(rest, others)
        except ValueError as e:
            raise _shape_error("ConcatV2", str(e), *values_and_axis)
        total = None if total is None or d[axis] is None else total + d[axis]
    if len(known) < len(values):
        total = None
    return Spec(rest[:axis] + [total] + rest[axis:], dtype)


def _concat_ref(*values_and_axis):
    values, axis = values_and_axis[:-1], int(values_and_axis[-1])
    return np.concatenate(values, axis=axis)


def _concat_grad(op, g):
    values, axis = op.inputs[:-1], op.inputs[-1]
    # Each input's extent along the (normalized) axis, then one SplitV of the gradient.
    axis_nonneg = _math().floormod(axis, rank(values[0]))
    sizes = stack([Gather(shape(v), axis_nonneg, 0) for v in values])
    pieces = SplitV(g, sizes, axis_nonneg, num_split=len(values))
    return list(_as_tuple(pieces)) + [None]


ConcatV2 = defop("ConcatV2", shape=_concat_shape, ref=_concat_ref, grad=_concat_grad)


def concat(values, axis, name="concat"):
    if not isinstance(values, (list, tuple)):
        values = [values]
    if len(values) == 1:
        with graph_mod.name_scope(name):
            axis_t = convert_to_tensor(axis, name="concat_dim", dtype=dtypes.int32)
            if axis_t.shape.ndims not in (None, 0):
                raise ValueError("Shape %s must have rank 0" % axis_t.shape)
            return identity(values[0], name=name)
    with graph_mod.name_scope(name, "ConcatV2", list(values)) as scope:
        tensors = _convert_list(values, "values")
        axis_t = _convert_input(axis, "axis", "ConcatV2", _INDEX_TYPES)
        return ConcatV2(*tensors, axis_t, name=scope)


def _split_shape(split_dim, value, *, num_split):
    dtype = value.dtype.base_dtype
    axis = _scalar_value(split_dim)
    dims = _dims(value)
    if dims is None or axis is None:
        return [Spec(tensor_shape.unknown_shape(None if dims is None else len(dims)),
                     dtype)] * num_split
    if not -len(dims) <= axis < len(dims):
        raise _shape_error("Split", "Dimension must be in range [%d, %d), but got %d"
                           % (-len(dims), len(dims), axis), split_dim, value)
    axis %= len(dims)
    if dims[axis] is not None:
        if dims[axis] % num_split:
            raise _shape_error("Split", "Dimension size must be evenly divisible by %d but is %d"
                               % (num_split, dims[axis]), split_dim, value)
        dims[axis] //= num_split
    return [Spec(dims, dtype)] * num_split


def _split_ref(split_dim, value, *, num_split):
    axis = int(split_dim) % value.ndim
    if value.shape[axis] % num_split:
        raise ValueError("Number of ways to split should evenly divide the split dimension, but "
                         "got split_dim %d (size = %d) and num_split %d"
                         % (axis, value.shape[axis], num_split))
    return tuple(np.split(value, num_split, axis=axis))


Split = defop("Split", shape=_split_shape, ref=_split_ref,
              grad=lambda op, *grads: [None, concat(list(grads), op.inputs[0])])


def _split_v_sizes(sizes, total):
    """size_splits with its one -1 resolved against ``total`` (None if unknown)."""
    if list(sizes).count(-1) > 1:
        raise ValueError("size_splits can only have one -1")
    known = sum(s for s in sizes if s != -1)
    if total is None:
        return [None if s == -1 else s for s in sizes]
    if -1 in sizes:
        if known > total:
            raise ValueError("can't split axis of size %d into pieces of size [%s]"
                             % (total, ",".join(str(s) for s in sizes)))
        return [total - known if s == -1 else s for s in sizes]
    if known != total:
        raise ValueError("can't split axis of size %d into pieces of size [%s]"
                         % (total, ",".join(str(s) for s in sizes)))
    return list(sizes)


def _split_v_shape(value, size_splits, axis, *, num_split):
    dtype = value.dtype.base_dtype
    sizes, ax, dims = constant_value(size_splits), _scalar_value(axis), _dims(value)
    if dims is None or ax is None:
        ndims = None if dims is None else len(dims)
        return [Spec(tensor_shape.unknown_shape(ndims), dtype)] * num_split
    if not -len(dims) <= ax < len(dims):
        raise _shape_error("SplitV", "Dimension must be in range [%d, %d), but got %d"
                           % (-len(dims), len(dims), ax), value, size_splits, axis)
    ax %= len(dims)
    if sizes is None:
        resolved = [None] * num_split
    else:
        sizes = [int(s) for s in np.reshape(sizes, [-1])]
        if len(sizes) != num_split:
            raise _shape_error("SplitV", "Length of size_splits should be equal to num_split",
                               value, size_splits, axis)
        try:
            resolved = _split_v_sizes(sizes, dims[ax])
        except ValueError as e:
            raise _shape_error("SplitV", str(e), value, size_splits, axis)
    return [Spec(dims[:ax] + [s] + dims[ax + 1:], dtype) for s in resolved]


def _split_v_ref(value, size_splits, axis, *, num_split):
    ax = int(axis) % value.ndim
    sizes = _split_v_sizes([int(s) for s in size_splits], value.shape[ax])
    return tuple(np.split(value, np.cumsum(sizes)[:-1], axis=ax))


SplitV = defop("SplitV", shape=_split_v_shape, ref=_split_v_ref,
               grad=lambda op, *grads: [concat(list(grads), op.inputs[2]), None, None])


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    if isinstance(num_or_size_splits, (numbers.Integral, tensor_shape.Dimension)):
        num_split = int(tensor_shape.dimension_value(num_or_size_splits))
        with _scoped_inputs(name, "Split", [(axis, "split_dim", (dtypes.int32,)),
                                           (value, "value")]) as (scope, (axis_t, x)):
            return list(_as_tuple(Split(axis_t, x, name=scope, num_split=num_split)))
    size_splits = convert_to_tensor(num_or_size_splits)
    if size_splits.shape.ndims == 0:
        raise ValueError("Rank-0 tensors are not supported as the num_or_size_splits argument "
                         "to split. Argument provided: %s" % (num_or_size_splits,))
    if num is None:
        if size_splits.shape.ndims is not None:
            num = size_splits.shape[0].value
        if num is None:
            raise ValueError("Cannot infer num from shape %s" % (num_or_size_splits,))
    with _scoped_inputs(name, "SplitV", [(value, "value"),
                                         (size_splits, "size_splits", _INDEX_TYPES),
                                         (axis, "split_dim", (dtypes.int32,))]) \
            as (scope, (x, sizes_t, axis_t)):
        return list(_as_tuple(SplitV(x, sizes_t, axis_t, name=scope, num_split=num)))


# -- tile, range, one_hot -------------------------------------------------------------------------
def _tile_shape(input, multiples):
    dtype = input.dtype.base_dtype
    dims = _dims(input)
    m = _shape_from_tensor(multiples)
    if dims is not None and m.ndims is not None and len(dims) != m.ndims:
        raise _shape_error("Tile", "Shape must be rank %d but is rank %d"
                           % (len(dims), m.ndims), input, multiples)
    if dims is None:
        return Spec(tensor_shape.unknown_shape(m.ndims), dtype)
    if m.ndims is None:
        return Spec(tensor_shape.unknown_shape(len(dims)), dtype)
    return Spec([None if d is None or k is None else d * k
                 for d, k in zip(dims, m.as_list())], dtype)


def _tile_ref(input, multiples):
    if np.ndim(input) != len(multiples):
        raise ValueError("Expected multiples argument to be a vector of length %d but got "
                         "length %d" % (np.ndim(input), len(multiples)))
    return np.tile(input, tuple(int(m) for m in multiples))


def _tile_grad(op, g):
    x, multiples = op.inputs
    # g viewed as (m0, d0, m1, d1, ...) summed over the multiple axes.
    split_shape = reshape(transpose(stack([multiples, shape(x, out_type=multiples.dtype)])),
                          [-1])
    axes = range(0, size(split_shape), 2)
    dx = _math().reduce_sum(reshape(g, split_shape), axes)
    dx.set_shape(x.shape)
    return [dx, None]


Tile = defop("Tile", shape=_tile_shape, ref=_tile_ref, grad=_tile_grad)


def tile(input, multiples, name=None):  # noqa: A002
    with _scoped_inputs(name, "Tile", [(input, "input"), (multiples, "multiples", _INDEX_TYPES)]) \
            as (scope, (x, m)):
        return Tile(x, m, name=scope)


def _range_check(start, limit, delta):
    if delta == 0:
        raise ValueError("Requires delta != 0")
    if delta > 0 and start > limit:
        raise ValueError("Requires start <= limit when delta > 0: %s/%s" % (start, limit))
    if delta < 0 and start < limit:
        raise ValueError("Requires start >= limit when delta < 0: %s/%s" % (start, limit))


def _range_size(start, limit, delta, is_int):
    if is_int:
        return (abs(int(limit) - int(start)) + abs(int(delta)) - 1) // abs(int(delta))
    return int(np.ceil(abs((float(limit) - float(start)) / float(delta))))


def _range_shape(start, limit, delta):
    dtype = start.dtype.base_dtype
    for t in (start, limit, delta):
        if t.shape.ndims not in (None, 0):
            raise _shape_error("Range", "Shape must be rank 0 but is rank %d" % t.shape.ndims,
                               start, limit, delta)
    s, l, d = (constant_value(t) for t in (start, limit, delta))
    if s is None or l is None or d is None:
        return Spec([None], dtype)
    try:
        _range_check(s, l, d)
    except ValueError as e:
        raise _shape_error("Range", str(e), start, limit, delta)
    return Spec([_range_size(s, l, d, dtype.is_integer)], dtype)


def _range_ref(start, limit, delta):
    _range_check(start, limit, delta)
    dtype = np.asarray(start).dtype
    n = _range_size(start, limit, delta, np.issubdtype(dtype, np.integer))
    return (np.asarray(start) + np.arange(n) * np.asarray(delta)).astype(dtype)


Range = defop("Range", shape=_range_shape, ref=_range_ref, grad=NOT_DIFFERENTIABLE)
def _raw_range(start, limit, delta):
    """The bare Range op (TF's gen_math_ops._range), as TF's own wrappers use it: no dtype
    inference or casts, so its bounds must already agree."""
    with _scoped_inputs(None, "Range", [(start, "start", _INDEX_TYPES), (limit, "limit"),
                                        (delta, "delta")]) as (scope, bounds):
        return Range(*bounds, name=scope)


_RANGE_DTYPES = [dtypes.int32, dtypes.int64, dtypes.float16, dtypes.float32, dtypes.float64]


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001
    if limit is None:
        start, limit = 0, start
    with graph_mod.name_scope(name, "Range", [start, limit, delta]) as scope:
        bounds = [v if isinstance(v, Tensor) else convert_to_tensor(v, dtype=dtype, name=n)
                  for v, n in zip((start, limit, delta), ("start", "limit", "delta"))]
        if dtype is None:
            for b in bounds:
                if b.dtype.base_dtype not in _RANGE_DTYPES:
                    raise TypeError("range does not support dtype %s" % b.dtype.name)
            dtype = max((b.dtype.base_dtype for b in bounds), key=_RANGE_DTYPES.index)
        # Mixed bounds are cast to the widest type, as TF1 does (range(0, 1.0) is float32).
        bounds = [b if b.dtype.base_dtype == dtype else _math().cast(b, dtype) for b in bounds]
        return Range(*bounds, name=scope)


def _one_hot_shape(indices, depth, on_value, off_value, *, axis=-1):
    dtype = on_value.dtype.base_dtype
    if axis < -1:
        raise _shape_error("OneHot", "axis must be >= -1", indices, depth, on_value, off_value)
    d = _scalar_value(depth)
    if d is not None and d < 0:
        raise _shape_error("OneHot", "depth must be non-negative, got: %d" % d,
                           indices, depth, on_value, off_value)
    dims = _dims(indices)
    if dims is None:
        return Spec(tensor_shape.unknown_shape(), dtype)
    if axis > len(dims):
        raise _shape_error("OneHot", "Expected axis to be -1 or between [0, %d).  But received: "
                           "%d" % (len(dims) + 1, axis), indices, depth, on_value, off_value)
    dims.insert(len(dims) if axis == -1 else axis, d)
    return Spec(dims, dtype)


def _one_hot_ref(indices, depth, on_value, off_value, *, axis=-1):
    if int(depth) < 0:
        raise ValueError("depth must be non-negative, got: %d" % int(depth))
    hot = np.asarray(indices)[..., None] == np.arange(int(depth))
    out = np.where(hot, on_value, off_value).astype(np.asarray(on_value).dtype)
    return out if axis == -1 else np.moveaxis(out, -1, axis)


OneHot = defop("OneHot", shape=_one_hot_shape, ref=_one_hot_ref, grad=NOT_DIFFERENTIABLE)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    with graph_mod.name_scope(name, "one_hot", [indices, depth, on_value, off_value]) as scope:
        dtype = None if dtype is None else dtypes.as_dtype(dtype).base_dtype
        on = None if on_value is None else convert_to_tensor(on_value, preferred_dtype=dtype)
        off = None if off_value is None else convert_to_tensor(off_value, preferred_dtype=dtype)
        if on is not None or off is not None:
            for t, what in ((on, "on_value"), (off, "off_value")):
                if t is not None and dtype is not None and t.dtype.base_dtype != dtype:
                    raise TypeError("dtype %s of %s does not match dtype parameter %s"
                                    % (t.dtype.base_dtype, what, dtype))
            dtype = (on if on is not None else off).dtype.base_dtype
        elif dtype is None:
            dtype = dtypes.float32
        if on is None:
            on = convert_to_tensor(1, dtype=dtype, name="on_value")
        if off is None:
            off = convert_to_tensor(0, dtype=dtype, name="off_value")
        if on.dtype.base_dtype != off.dtype.base_dtype:
            raise TypeError("dtype %s of on_value does not match dtype %s of off_value"
                            % (on.dtype.base_dtype, off.dtype.base_dtype))
        with _scoped_inputs(scope, "OneHot", [
                (indices, "indices", (dtypes.uint8, dtypes.int32, dtypes.int64)),
                (depth, "depth", (dtypes.int32,))]) as (_, (indices_t, depth_t)):
            return OneHot(indices_t, depth_t, on, off, name=scope,
                          axis=-1 if axis is None else int(axis))


# -- gather / scatter / segments ------------------------------------------------------------------
def _check_indices(indices, limit, what="indices"):
    """Run-time bounds check with TF's wording: ``indices[1,0] = 5 is not in [0, 3)``."""
    indices = np.asarray(indices)
    if indices.ndim == 0:
        if not 0 <= indices < limit:
            raise ValueError("%s = %d is not in [0, %d)" % (what, int(indices), limit))
        return
    bad = np.argwhere((indices < 0) | (indices >= limit))
    if bad.size:
        pos = tuple(bad[0])
        raise ValueError("%s[%s] = %d is not in [0, %d)" % (
            what, ",".join(str(int(p)) for p in pos), int(indices[pos]), limit))


def _gather_shape(params, indices, axis, *, batch_dims=0):
    dtype = params.dtype.base_dtype
    p, i = _dims(params), _dims(indices)
    if p is not None and not p:
        raise _shape_error("GatherV2", "Shape must be at least rank 1 but is rank 0",
                           params, indices, axis)
    ax = _scalar_value(axis)
    if p is None or i is None:
        return Spec(tensor_shape.unknown_shape(), dtype)
    bd = batch_dims + len(i) if batch_dims < 0 else batch_dims
    if bd > len(i):
        raise _shape_error("GatherV2", "batch_dims (%d) must be less than or equal to "
                           "rank(indices) (%d)" % (batch_dims, len(i)), params, indices, axis)
    if ax is None:
        return Spec(tensor_shape.unknown_shape(len(p) + len(i) - 1 - bd), dtype)
    if ax >= len(p) or ax < -len(p):
        raise _shape_error("GatherV2", "Shape must be at least rank %d but is rank %d"
                           % ((ax if ax >= 0 else -ax - 1) + 1, len(p)), params, indices, axis)
    ax %= len(p)
    if bd > ax:
        raise _shape_error("GatherV2", "batch_dims (%d) must be less than or equal to axis (%d)"
                           % (bd, ax), params, indices, axis)
    try:
        batch = _merge_dims(p[:bd], i[:bd])
    except ValueError as e:
        raise _shape_error("GatherV2", str(e), params, indices, axis)
    return Spec(batch + p[bd:ax] + i[bd:] + p[ax + 1:], dtype)


def _gather_ref(params, indices, axis, *, batch_dims=0):
    indices = np.asarray(indices)
    ax = int(axis) % params.ndim
    bd = batch_dims + indices.ndim if batch_dims < 0 else batch_dims
    _check_indices(indices, params.shape[ax])
    if bd == 0:
        return np.take(params, indices, axis=ax)
    batch_shape = params.shape[:bd]
    out = np.empty(batch_shape + params.shape[bd:ax] + indices.shape[bd:] +
                   params.shape[ax + 1:], dtype=params.dtype)
    for b in np.ndindex(*batch_shape):
        out[b] = np.take(params[b], indices[b], axis=ax - bd)
    return out


def _batch_indices(params_shape, indices, batch_dims):
    """Indices offset by their batch position, so a batched gather reads one flat axis
    (TF's _GetBatchIndices)."""
    m = _math()
    dtype = indices.dtype.base_dtype
    shape_cast = m.cast(params_shape, dtype)
    accum = ones((), dtype=dtype)
    out = indices
    for dim in builtins.range(batch_dims, 0, -1):
        dim_value = shape_cast[dim - 1]
        accum = accum * shape_cast[dim]
        dim_indices = range(zeros((), dtype=dtype), dim_value, ones((), dtype=dtype)) * accum
        dim_shape = concat([tile([1], [dim - 1]), [dim_value],
                            tile([1], [rank(indices) - dim])], axis=0)
        out = out + reshape(dim_indices, m.cast(dim_shape, dtype))
    return out


def _batch_gather_grad(params_shape, values, indices, batch_dims, gather_dim_size):
    indices_size = expand_dims(size(indices), 0)
    if batch_dims:
        values_shape = shape(values)
        outer_shape = values_shape[:batch_dims]
        inner_shape = values_shape[batch_dims:][1:]
        batch_size = _math().reduce_prod(outer_shape, [0])
        gather_dim_size = gather_dim_size * batch_size
        indices = _batch_indices(params_shape, indices, batch_dims)
        flat_values_shape = concat([[-1], inner_shape], 0)
        values = reshape(values, flat_values_shape)
    indices = reshape(indices, indices_size)
    params_grad = unsorted_segment_sum(values, indices, gather_dim_size)
    if batch_dims:
        params_grad = reshape(params_grad, concat([outer_shape, flat_values_shape], 0))
    return params_grad


def _gather_grad(op, g):
    """TF's _GatherV2Grad, densified: the scattered sum that TF keeps as IndexedSlices."""
    params, indices, axis = op.inputs
    params_shape = shape(params)
    batch_dims = op.get_attr("batch_dims")
    if batch_dims < 0:
        batch_dims += indices.shape.ndims
    if _scalar_value(axis) == 0:
        indices_size = expand_dims(size(indices), 0)
        values = reshape(g, concat([indices_size, params_shape[1:]], 0))
        rows = reshape(indices, indices_size)
        dense = unsorted_segment_sum(values, rows, params_shape[0])
        # Where TF's IndexedSlices would go, optimizers whose sparse kernels touch only these
        # rows find them here (train/optimizer.py, looked_up_rows).
        dense.op.gathered_rows = rows
        return [dense, None, None]
    # Move the gathered axis next to the batch dims, scatter there, and move it back.
    outer_shape = params_shape[:axis]
    inner_shape = params_shape[axis:][1:]
    values_shape = concat([outer_shape, [-1], inner_shape], 0)
    values_dims = size(values_shape)
    axis_dims = size(outer_shape)
    outer_batches = range(batch_dims)
    batch_axis = range(batch_dims, axis_dims)
    inner_axes = range(axis_dims + 1, values_dims)
    values = reshape(g, values_shape)
    values = transpose(values, concat([outer_batches, [axis_dims], batch_axis, inner_axes], 0))
    dense = _batch_gather_grad(params_shape, values, indices, batch_dims, params_shape[axis])
    dense = transpose(dense, concat([outer_batches, batch_axis + 1, [batch_dims], inner_axes], 0))
    return [dense, None, None]


Gather = defop("GatherV2", shape=_gather_shape, ref=_gather_ref, grad=_gather_grad)


def gather(params, indices, validate_indices=None, name=None, axis=None, batch_dims=0):
    if axis is None:
        axis = batch_dims
    with _scoped_inputs(name, "GatherV2", [(params, "params"), (indices, "indices", _INDEX_TYPES),
                                           (axis, "axis", _INDEX_TYPES)]) \
            as (scope, (params_t, indices_t, axis_t)):
        return Gather(params_t, indices_t, axis_t, name=scope, batch_dims=int(batch_dims))


def _gather_nd_shape(params, indices):
    dtype = params.dtype.base_dtype
    p, i = _dims(params), _dims(indices)
    if i is not None and not i:
        raise _shape_error("GatherNd", "Shape must be at least rank 1 but is rank 0",
                           params, indices)
    if p is None or i is None or i[-1] is None:
        return Spec(tensor_shape.unknown_shape(), dtype)
    if i[-1] > len(p):
        raise _shape_error("GatherNd", "index innermost dimension length must be <= params "
                           "rank; saw: %d vs. %d" % (i[-1], len(p)), params, indices)
    return Spec(i[:-1] + p[i[-1]:], dtype)


def _flat_nd_indices(indices, shape, what):
    """Rows of N-d indices, each checked against ``shape`` with TF's wording."""
    indices = np.asarray(indices)
    k = indices.shape[-1]
    flat = indices.reshape(-1, k)
    limits = np.asarray(shape[:k])
    bad = np.nonzero(np.any((flat < 0) | (flat >= limits), axis=1))[0]
    if bad.size:
        raise ValueError("indices[%d] = [%s] does not index into %s [%s]" % (
            bad[0], ", ".join(str(int(v)) for v in flat[bad[0]]), what,
            ",".join(str(int(d)) for d in shape)))
    return flat


def _gather_nd_ref(params, indices):
    flat = _flat_nd_indices(indices, params.shape, "param shape")
    k = flat.shape[1]
    rows = np.broadcast_to(params, (len(flat),) + params.shape) if k == 0 else \
        params[tuple(flat.T)]
    return np.array(rows).reshape(np.shape(indices)[:-1] + params.shape[k:])


GatherNd = defop("GatherNd", shape=_gather_nd_shape, ref=_gather_nd_ref,
                 grad=lambda op, g: [scatter_nd(op.inputs[1], g,
                                                shape(op.inputs[0], out_type=op.inputs[1].dtype)),
                                     None])


def gather_nd(params, indices, name=None, batch_dims=0):
    if batch_dims:
        return _batch_gather_nd(params, indices, int(batch_dims), name)
    with _scoped_inputs(name, "GatherNd", [(params, "params"),
                                           (indices, "indices", _INDEX_TYPES)]) \
            as (scope, (params_t, indices_t)):
        return GatherNd(params_t, indices_t, name=scope)


def _batch_gather_nd(params, indices, batch_dims, name):
    """gather_nd with leading batch dims: each index row is prefixed with its batch
    coordinates, then one plain GatherNd reads params."""
    with graph_mod.name_scope(name, "BatchGatherND", [params, indices]):
        params = convert_to_tensor(params, name="params")
        indices = convert_to_tensor(indices, name="indices")
        ndims = indices.shape.ndims
        if ndims is None:
            raise ValueError("gather_nd with batch_dims needs indices of known rank")
        index_shape = shape(indices, out_type=indices.dtype)
        coords = []
        for j in builtins.range(batch_dims):
            extent = range(0, index_shape[j], dtype=indices.dtype.base_dtype)
            view = [1] * (ndims - 1)
            view[j] = -1
            coords.append(broadcast_to(reshape(extent, view + [1]),
                                       concat([index_shape[:-1], [1]], 0)))
        return gather_nd(params, concat(coords + [indices], -1))


def _scatter_nd_shape(indices, updates, shape):
    return Spec(_shape_from_tensor(shape), updates.dtype.base_dtype)


def _scatter_nd_ref(indices, updates, shape):
    shape = tuple(int(d) for d in shape)
    flat = _flat_nd_indices(indices, shape, "shape")
    k = flat.shape[1]
    out = np.zeros(shape, dtype=updates.dtype)
    rows = np.reshape(updates, (len(flat),) + shape[k:])
    if k == 0:
        out += rows.sum(axis=0)
    else:
        np.add.at(out, tuple(flat.T), rows)
    return out


ScatterNd = defop("ScatterNd", shape=_scatter_nd_shape, ref=_scatter_nd_ref,
                  grad=lambda op, g: [None, gather_nd(g, op.inputs[0]), None])


def scatter_nd(indices, updates, shape, name=None):  # noqa: F811 - TF's argument name
    with _scoped_inputs(name, "ScatterNd", [(indices, "indices", _INDEX_TYPES),
                                            (updates, "updates")]) \
            as (scope, (indices_t, updates_t)):
        shape_t = _convert_input(shape, "shape", "ScatterNd",
                                 dtype=indices_t.dtype.base_dtype, ref_arg="indices")
        return ScatterNd(indices_t, updates_t, shape_t, name=scope)


def _segment_sum_shape(data, segment_ids, num_segments):
    dtype = data.dtype.base_dtype
    d, s = _dims(data), _dims(segment_ids)
    n = _scalar_value(num_segments)
    if d is None or s is None:
        return Spec(tensor_shape.unknown_shape(), dtype)
    try:
        _merge_dims(d[:len(s)], s)
    except ValueError as e:
        raise _shape_error("UnsortedSegmentSum", "%s segment_ids.shape must be a prefix of "
                           "data.shape" % e, data, segment_ids, num_segments)
    return Spec([n] + d[len(s):], dtype)


def _segment_sum_ref(data, segment_ids, num_segments):
    n = int(num_segments)
    ids = np.asarray(segment_ids).reshape(-1)
    if ids.size and ids.max() >= n:
        pos = int(np.argmax(ids >= n))
        raise ValueError("segment_ids[%d] = %d is out of range [0, %d)" % (pos, ids[pos], n))
    flat = data.reshape((ids.size,) + data.shape[np.ndim(segment_ids):])
    out = np.zeros((n,) + flat.shape[1:], dtype=data.dtype)
    keep = ids >= 0  # negative ids drop their rows, as TF documents
    np.add.at(out, ids[keep], flat[keep])
    return out


def _gather_drop_negatives(params, ids):
    """Rows of ``params`` at ``ids``, zero where an id is negative (TF's
    _GatherDropNegatives), the gradient of a segment sum that dropped those rows."""
    m = _math()
    gathered = gather(params, m.maximum(ids, zeros_like(ids)))
    keep = m.greater_equal(ids, 0)
    keep_shape = concat([shape(keep), ones([rank(gathered) - rank(keep)], dtype=dtypes.int32)],
                        axis=0)
    keep = broadcast_to(reshape(keep, keep_shape), shape(gathered))
    return m.where(keep, gathered, zeros_like(gathered))


UnsortedSegmentSum = defop(
    "UnsortedSegmentSum", shape=_segment_sum_shape, ref=_segment_sum_ref,
    grad=lambda op, g: [_gather_drop_negatives(g, op.inputs[1]), None, None])


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    with _scoped_inputs(name, "UnsortedSegmentSum", [
            (data, "data"), (segment_ids, "segment_ids", _INDEX_TYPES),
            (num_segments, "num_segments", _INDEX_TYPES)]) as (scope, tensors):
        return UnsortedSegmentSum(*tensors, name=scope)


def _sorted_segment_sum_shape(data, segment_ids):
    dtype = data.dtype.base_dtype
    if segment_ids.shape.ndims not in (None, 1):
        raise _shape_error("SegmentSum", "Shape must be rank 1 but is rank %d"
                           % segment_ids.shape.ndims, data, segment_ids)
    d = _dims(data)
    if d is None:
        return Spec(tensor_shape.unknown_shape(), dtype)
    return Spec([None] + d[1:], dtype)


def check_sorted_segment_ids(data, ids):
    """The run-time checks of TF's sorted segment reductions."""
    if ids.size != data.shape[0]:
        raise ValueError("segment_ids should be the same size as dimension 0 of input.")
    if ids.size and ids.min() < 0:
        raise ValueError("segment ids must be >= 0")
    if ids.size > 1 and np.any(np.diff(ids) < 0):
        raise ValueError("segment ids are not increasing")


def _sorted_segment_sum_ref(data, segment_ids):
    ids = np.asarray(segment_ids)
    check_sorted_segment_ids(data, ids)
    out = np.zeros((int(ids[-1]) + 1 if ids.size else 0,) + data.shape[1:], dtype=data.dtype)
    np.add.at(out, ids, data)
    return out


SegmentSum = defop("SegmentSum", shape=_sorted_segment_sum_shape, ref=_sorted_segment_sum_ref,
                   grad=lambda op, g: [gather(g, op.inputs[1]), None])


def segment_sum(data, segment_ids, name=None):
    with _scoped_inputs(name, "SegmentSum", [(data, "data"),
                                             (segment_ids, "segment_ids", _INDEX_TYPES)]) \
            as (scope, tensors):
        return SegmentSum(*tensors, name=scope)


# -- slicing --------------------------------------------------------------------------------------
def _slice_shape(input, begin, size):
    dtype = input.dtype.base_dtype
    dims = _dims(input)
    b, s = constant_value(begin), constant_value(size)
    for t, what in ((begin, "begin"), (size, "size")):
        if t.shape.ndims not in (None, 1):
            raise _shape_error("Slice", "Shape must be rank 1 but is rank %d" % t.shape.ndims,
                               input, begin, size)
        n = t.shape[0].value if t.shape.ndims == 1 else None
        if dims is not None and n is not None and n != len(dims):
            raise _shape_error("Slice", "Shape must be rank %d but is rank %d"
                               % (n, len(dims)), input, begin, size)
    if s is None:
        out = _shape_from_tensor(size)
        if out.ndims is None:
            return Spec(tensor_shape.unknown_shape(None if dims is None else len(dims)), dtype)
        return Spec(out, dtype)
    s = [int(v) for v in s]
    out = []
    for i, si in enumerate(s):
        if si < -1:
            raise _shape_error("Slice", "Out of bounds slicing on dimension %d of length %s: "
                               "sizes vector cannot be < -1, but was %d"
                               % (i, "?" if dims is None or dims[i] is None else dims[i], si),
                               input, begin, size)
        if si >= 0:
            out.append(si)
        elif b is None or dims is None or dims[i] is None:
            out.append(None)
        else:
            out.append(dims[i] - int(b[i]))
    return Spec(out, dtype)


def _slice_ref(input, begin, size):
    index = []
    for i, (d, b, s) in enumerate(zip(input.shape, begin, size)):
        b, s = int(b), int(s)
        if not 0 <= b <= d:
            raise ValueError("Expected begin[%d] in [0, %d], but got %d" % (i, d, b))
        s = d - b if s == -1 else s
        if not 0 <= s <= d - b:
            raise ValueError("Expected size[%d] in [0, %d], but got %d" % (i, d - b, s))
        index.append(builtins.slice(b, b + s))
    return np.array(input[tuple(index)])


def _slice_grad(op, g):
    x, begin = op.inputs[0], op.inputs[1]
    index_dtype = begin.dtype.base_dtype
    pad_shape = stack([rank(x), 1])
    before = reshape(begin, pad_shape)
    after = reshape(shape(x, out_type=index_dtype) - shape(op.outputs[0], out_type=index_dtype)
                    - begin, pad_shape)
    return [pad(g, concat([before, after], 1)), None, None]


Slice = defop("Slice", shape=_slice_shape, ref=_slice_ref, grad=_slice_grad)


def slice(input_, begin, size, name=None):  # noqa: A001
    with _scoped_inputs(name, "Slice", [(input_, "input"), (begin, "begin", _INDEX_TYPES)]) \
            as (scope, (x, begin_t)):
        size_t = _convert_input(size, "size", "Slice", dtype=begin_t.dtype.base_dtype,
                                ref_arg="begin")
        return Slice(x, begin_t, size_t, name=scope)


_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


def _strided_slice_plan(dims, begin, end, strides, begin_mask=0, end_mask=0, ellipsis_mask=0,
                        new_axis_mask=0, shrink_axis_mask=0):
    """TF's ValidateStridedSliceOp over what is known: ``dims`` may hold None, ``begin`` and
    ``end`` are None when not constant. Returns (dense, final_dims): one (begin, end, stride,
    shrink, size) per input dim, with TF's canonical (clamped, non-negative) bounds."""
    n = len(strides)
    if ellipsis_mask & (ellipsis_mask - 1):
        raise ValueError("Multiple ellipses in slice spec not allowed")
    add_after, seen = 0, False
    for i in builtins.range(n):
        if seen and new_axis_mask >> i & 1:
            add_after += 1
        if ellipsis_mask >> i & 1:
            seen = True
    if not seen:
        ellipsis_mask |= 1 << n  # an implicit trailing ellipsis covers the unnamed dims
        n += 1
    ndims = len(dims)
    # Sparse spec -> one entry per input dim; `gather` maps output dims to them.
    specs, gather = [], []
    for i in builtins.range(n):
        if ellipsis_mask >> i & 1:
            stop = min(ndims - (n - i) + 1 + add_after, ndims)
            while len(specs) < stop:
                gather.append(len(specs))
                specs.append((0, 0, 1, True, True, False))
        elif new_axis_mask >> i & 1:
            gather.append("new")
        else:
            if len(specs) == ndims:
                raise ValueError("Index out of range using input dim %d; input has only %d dims"
                                 % (len(specs), ndims))
            shrink = bool(shrink_axis_mask >> i & 1)
            gather.append("shrink" if shrink else len(specs))
            specs.append((None if begin is None else int(begin[i]),
                          None if end is None else int(end[i]), int(strides[i]),
                          bool(begin_mask >> i & 1), bool(end_mask >> i & 1), shrink))
    dense = []
    for i, ((b, e, s, b_masked, e_masked, shrink), d) in enumerate(zip(specs, dims)):
        if s == 0:
            raise ValueError("strides[%d] must be non-zero" % i)
        if d is None:
            dense.append((None, None, s, shrink, 1 if shrink else None))
            continue
        if shrink and s <= 0:
            raise ValueError("only stride 1 allowed on non-range indexing.")
        lo, hi = (0, d) if s > 0 else (-1, d - 1)
        if b is not None and e is not None:
            if shrink:
                b = b + d if b < 0 else b
                if not 0 <= b < d:
                    raise ValueError("slice index %d of dimension %d out of bounds." % (b, i))
                e = b + 1
            else:
                b = (lo if s > 0 else hi) if b_masked else min(max(b + d if b < 0 else b, lo), hi)
                e = (hi if s > 0 else lo) if e_masked else min(max(e + d if e < 0 else e, lo), hi)
            interval = e - b
        elif shrink:
            interval = 1
        elif b_masked and e_masked:
            interval = -d if s < 0 else d
        else:
            dense.append((None, None, s, shrink, None))
            continue
        if interval == 0 or (interval < 0) != (s < 0):
            extent = 0
        else:
            extent = abs(interval) // abs(s) + (1 if abs(interval) % abs(s) else 0)
        dense.append((b, e, s, shrink, extent))
    final = [1 if g == "new" else dense[g][4] for g in gather if g != "shrink"]
    return dense, final


def _strided_slice_index(dense):
    index = []
    for b, e, s, shrink, extent in dense:
        if shrink:
            index.append(b)
        elif extent == 0:
            index.append(builtins.slice(0, 0))
        else:
            index.append(builtins.slice(b, None if e < 0 else e, s))
    return tuple(index)


def _strided_slice_shape(input, begin, end, strides, **masks):
    dtype = input.dtype.base_dtype
    lengths = [t.shape[0].value if t.shape.ndims == 1 else None for t in (begin, end, strides)]
    known_lengths = {n for n in lengths if n is not None}
    if len(known_lengths) > 1:
        raise _shape_error("StridedSlice", "Expected begin, end, and strides to be 1D equal size "
                           "tensors, but got shapes %s, %s, and %s instead."
                           % tuple(_fmt_shape(t.shape) for t in (begin, end, strides)),
                           input, begin, end, strides)
    strides_v = constant_value(strides)
    if input.shape.ndims is None or strides_v is None:
        return Spec(tensor_shape.unknown_shape(), dtype)
    begin_v, end_v = constant_value(begin), constant_value(end)
    try:
        _, final = _strided_slice_plan(input.shape.as_list(), begin_v, end_v, list(strides_v),
                                       **masks)
    except ValueError as e:
        raise _shape_error("StridedSlice", str(e), input, begin, end, strides)
    return Spec(final, dtype)


def _strided_slice_ref(input, begin, end, strides, *, begin_mask=0, end_mask=0,
                       ellipsis_mask=0, new_axis_mask=0, shrink_axis_mask=0):
    dense, final = _strided_slice_plan(list(input.shape), begin, end, strides, begin_mask,
                                       end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask)
    return np.array(input[_strided_slice_index(dense)]).reshape(final)


def _strided_slice_grad_ref(shape, begin, end, strides, dy, *, begin_mask=0, end_mask=0,
                            ellipsis_mask=0, new_axis_mask=0, shrink_axis_mask=0):
    shape = tuple(int(d) for d in shape)
    dense, _ = _strided_slice_plan(list(shape), begin, end, strides, begin_mask, end_mask,
                                   ellipsis_mask, new_axis_mask, shrink_axis_mask)
    index = _strided_slice_index(dense)
    out = np.zeros(shape, dtype=dy.dtype)
    out[index] = np.reshape(dy, out[index].shape)
    return out


def _strided_slice_grad(op, g):
    x, begin, end, strides = op.inputs
    x_shape = shape(x, out_type=begin.dtype.base_dtype)
    return [StridedSliceGrad(x_shape, begin, end, strides, g, **op.attrs), None, None, None]


StridedSlice = defop("StridedSlice", shape=_strided_slice_shape, ref=_strided_slice_ref,
                     grad=_strided_slice_grad)
StridedSliceGrad = defop(
    "StridedSliceGrad",
    shape=lambda shape, begin, end, strides, dy, **masks: Spec(_shape_from_tensor(shape),
                                                               dy.dtype.base_dtype),
    ref=_strided_slice_grad_ref,
    grad=lambda op, g: [None, None, None, None,
                        StridedSlice(g, *op.inputs[1:4], **op.attrs)])


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None):
    # `var` only matters to sliced assignment (Variable.__getitem__(...).assign), built
    # by the variable itself; the slice read is the same.
    if strides is None:
        strides = ones_like(begin)
    with _scoped_inputs(name, "StridedSlice", [(input_, "input"), (begin, "begin", _INDEX_TYPES)]) \
            as (scope, (x, begin_t)):
        index_dtype = begin_t.dtype.base_dtype
        end_t = _convert_input(end, "end", "StridedSlice", dtype=index_dtype, ref_arg="begin")
        strides_t = _convert_input(strides, "strides", "StridedSlice", dtype=index_dtype,
                                   ref_arg="begin")
        return StridedSlice(x, begin_t, end_t, strides_t, name=scope, begin_mask=begin_mask,
                            end_mask=end_mask, ellipsis_mask=ellipsis_mask,
                            new_axis_mask=new_axis_mask, shrink_axis_mask=shrink_axis_mask)


_SLICE_TYPE_ERROR = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and "
                     "scalar tf.int32/tf.int64 tensors are valid indices")
_SLICE_INDEX_TYPES = (dtypes.int16, dtypes.int32, dtypes.int64)


def _check_index(idx):
    if isinstance(idx, (numbers.Integral, tensor_shape.Dimension)):
        return
    dtype = getattr(idx, "dtype", None)
    try:
        dtype = None if dtype is None else dtypes.as_dtype(dtype).base_dtype
    except TypeError:
        dtype = None
    ndims = idx.shape.ndims if isinstance(idx, Tensor) else np.ndim(idx)
    if dtype not in _SLICE_INDEX_TYPES or ndims == 1:
        raise TypeError(_SLICE_TYPE_ERROR + ", got %r" % (idx,))


def _index_value(x):
    return x.value if isinstance(x, tensor_shape.Dimension) else x


def _getitem(tensor, slice_spec):
    """``tensor[spec]`` as TF1's _slice_helper builds it: one StridedSlice named
    ``strided_slice`` whose masks encode ints (shrink), slices, ``...`` and ``tf.newaxis``."""
    tensor = convert_to_tensor(tensor)
    if isinstance(slice_spec, bool) or \
            (isinstance(slice_spec, Tensor) and slice_spec.dtype.base_dtype == dtypes.bool) or \
            (isinstance(slice_spec, np.ndarray) and slice_spec.dtype == bool):
        return boolean_mask(tensor=tensor, mask=slice_spec)
    if not isinstance(slice_spec, (list, tuple)):
        slice_spec = [slice_spec]
    begin, end, strides = [], [], []
    masks = dict.fromkeys(_MASKS, 0)
    for index, s in enumerate(slice_spec):
        bit = 1 << index
        if isinstance(s, builtins.slice):
            # A tensor bound makes the implicit bounds tensors of its dtype (int64 wins).
            dtype = None
            for t in (s.start, s.stop, s.step):
                kind = t.dtype.base_dtype if isinstance(t, Tensor) else None
                if kind == dtypes.int64:
                    dtype = kind
                elif kind == dtypes.int32 and dtype != dtypes.int64:
                    dtype = kind
                elif kind == dtypes.int16 and dtype is None:
                    dtype = kind
            for value, default, target, mask in ((s.start, 0, begin, "begin_mask"),
                                                 (s.stop, 0, end, "end_mask"),
                                                 (s.step, 1, strides, None)):
                value = _index_value(value)
                if value is not None:
                    _check_index(value)
                    target.append(value)
                    continue
                target.append(default if dtype is None else constant(default, dtype=dtype))
                if mask:
                    masks[mask] |= bit
        elif s is Ellipsis:
            begin.append(0), end.append(0), strides.append(1)
            masks["ellipsis_mask"] |= bit
        elif s is None:
            begin.append(0), end.append(0), strides.append(1)
            masks["new_axis_mask"] |= bit
        else:
            _check_index(s)
            s = _index_value(s)
            begin.append(s)
            end.append(s + 1)
            if isinstance(s, Tensor) and s.dtype.base_dtype in (dtypes.int16, dtypes.int64):
                strides.append(constant(1, dtype=s.dtype.base_dtype))
            else:
                strides.append(1)
            masks["shrink_axis_mask"] |= bit
    with graph_mod.name_scope(None, "strided_slice", [tensor]) as scope:
        if begin:
            packed = [stack(begin), stack(end), stack(strides)]
            kinds = {p.dtype.base_dtype for p in packed}
            if dtypes.int64 in kinds and len(kinds) > 1:
                packed = [p if p.dtype.base_dtype == dtypes.int64 else
                          _math().Cast(p, name="Cast", DstT=dtypes.int64) for p in packed]
        else:
            empty = constant([], dtype=dtypes.int32)
            packed = [empty, empty, empty]
        return strided_slice(tensor, *packed, name=scope, **masks)


Tensor.OVERLOADABLE_OPERATORS["getitem"] = _getitem


# -- padding, reversing, broadcasting -------------------------------------------------------------
def _pad_shape(input, paddings, *constant_values, mode=None):
    op_type = "PadV2" if constant_values else ("MirrorPad" if mode else "Pad")
    dtype = input.dtype.base_dtype
    inputs = (input, paddings) + constant_values
    p_dims = _dims(paddings)
    if p_dims is not None:
        if len(p_dims) != 2:
            raise _shape_error(op_type, "Shape must be rank 2 but is rank %d" % len(p_dims),
                               *inputs)
        if p_dims[1] not in (None, 2):
            raise _shape_error(op_type, "Dimension 1 in both shapes must be equal, but are %d "
                               "and 2. Shapes are [%s] and [2]." % (p_dims[1], p_dims[1]),
                               *inputs)
    for t in constant_values:
        if t.shape.ndims not in (None, 0):
            raise _shape_error(op_type, "Shape must be rank 0 but is rank %d" % t.shape.ndims,
                               *inputs)
    dims = _dims(input)
    n = p_dims[0] if p_dims is not None else None
    if dims is not None and n is not None and n != len(dims):
        raise _shape_error(op_type, "The first dimension of paddings must be the rank of "
                           "inputs%s %s" % (_fmt_shape(p_dims), _fmt_shape(dims)), *inputs)
    if dims is None and n is not None:
        dims = [None] * n
    p = constant_value(paddings)
    if dims is None:
        return Spec(tensor_shape.unknown_shape(), dtype)
    if p is None:
        return Spec([None] * len(dims), dtype)
    p = np.reshape(p, [-1, 2])
    if np.any(p < 0):
        raise _shape_error(op_type, "Paddings must be non-negative", *inputs)
    return Spec([None if d is None else d + int(a) + int(b) for d, (a, b) in zip(dims, p)],
                dtype)


def _check_paddings(input, paddings):
    p = np.reshape(np.asarray(paddings), [-1, 2])
    if p.shape[0] != np.ndim(input):
        raise ValueError("The first dimension of paddings must be the rank of inputs%s %s"
                         % (list(p.shape), list(np.shape(input))))
    if np.any(p < 0):
        bad = p[np.any(p < 0, axis=1)][0]
        raise ValueError("Paddings must be non-negative: %d %d" % (bad[0], bad[1]))
    return [(int(a), int(b)) for a, b in p]


def _pad_ref(input, paddings, *constant_values, mode=None):
    p = _check_paddings(input, paddings)
    if mode is None:
        fill_value = constant_values[0] if constant_values else 0
        return np.pad(input, p, mode="constant", constant_values=fill_value)
    offset = 1 if mode == "REFLECT" else 0
    for d, (a, b) in zip(input.shape, p):
        if max(a, b) > d - offset:
            raise ValueError("paddings must be %s the dimension size: %d, %d %s %d" % (
                "less than" if offset else "no greater than", a, b,
                "not less than" if offset else "greater than", d))
    return np.pad(input, p, mode=mode.lower())


def _mirror_pad_grad_ref(input, paddings, *, mode):
    """Folds the mirrored borders of a padded gradient back onto the positions they copy."""
    p = _check_paddings(input, paddings)
    offset = 1 if mode == "REFLECT" else 0
    out = np.asarray(input)
    for axis, (a, b) in enumerate(p):
        n = out.shape[axis] - a - b
        core = np.take(out, np.arange(a, a + n), axis=axis).copy()
        target = np.moveaxis(core, axis, 0)
        left = np.moveaxis(np.take(out, np.arange(a), axis=axis), axis, 0)
        right = np.moveaxis(np.take(out, np.arange(a + n, a + n + b), axis=axis), axis, 0)
        np.add.at(target, a - np.arange(a) - 1 + offset, left)
        np.add.at(target, n - 1 - offset - np.arange(b), right)
        out = core
    return np.array(out)


def _mirror_pad_grad_shape(input, paddings, *, mode):
    dims = _dims(input)
    p = constant_value(paddings)
    if dims is None or p is None:
        ndims = None if dims is None else len(dims)
        return Spec(tensor_shape.unknown_shape(ndims), input.dtype.base_dtype)
    p = np.reshape(p, [-1, 2])
    return Spec([None if d is None else d - int(a) - int(b) for d, (a, b) in zip(dims, p)],
                input.dtype.base_dtype)


def _pad_grad(op, g):
    x, paddings = op.inputs[0], op.inputs[1]
    before = Slice(paddings, [0, 0], stack([rank(x), 1]))
    begin = reshape(before, [-1])
    dx = Slice(g, begin, shape(x, out_type=begin.dtype.base_dtype))
    return [dx] + [None] * (len(op.inputs) - 1)


Pad = defop("Pad", shape=_pad_shape, ref=lambda input, paddings: _pad_ref(input, paddings),
            grad=_pad_grad)
PadV2 = defop("PadV2", shape=_pad_shape,
              ref=lambda input, paddings, constant_values:
                  _pad_ref(input, paddings, constant_values),
              grad=_pad_grad)
MirrorPad = defop("MirrorPad", shape=lambda input, paddings, *, mode: _pad_shape(
                      input, paddings, mode=mode),
                  ref=lambda input, paddings, *, mode: _pad_ref(input, paddings, mode=mode),
                  grad=lambda op, g: [MirrorPadGrad(g, op.inputs[1], mode=op.get_attr("mode")),
                                      None])
MirrorPadGrad = defop("MirrorPadGrad", shape=_mirror_pad_grad_shape, ref=_mirror_pad_grad_ref,
                      grad=lambda op, g: [MirrorPad(g, op.inputs[1], mode=op.get_attr("mode")),
                                          None])


def _paddings_constant(paddings):
    if isinstance(paddings, Tensor):
        value = constant_value(paddings)
        return None if value is None else value.tolist()
    if isinstance(paddings, (list, tuple)):
        return [_paddings_constant(p) for p in paddings]
    return paddings


def pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0):
    mode = mode.upper()
    if mode == "CONSTANT":
        if not isinstance(constant_values, Tensor) and np.ndim(constant_values) == 0 and \
                constant_values == 0:
            with _scoped_inputs(name, "Pad", [(tensor, "input"),
                                              (paddings, "paddings", _INDEX_TYPES)]) \
                    as (scope, (x, p)):
                result = Pad(x, p, name=scope)
        else:
            with _scoped_inputs(name, "PadV2", [(tensor, "input"),
                                                (paddings, "paddings", _INDEX_TYPES)]) \
                    as (scope, (x, p)):
                value = _convert_input(constant_values, "constant_values", "PadV2",
                                       dtype=x.dtype.base_dtype, ref_arg="input")
                result = PadV2(x, p, value, name=scope)
    elif mode in ("REFLECT", "SYMMETRIC"):
        with _scoped_inputs(name, "MirrorPad", [(tensor, "input"),
                                                (paddings, "paddings", _INDEX_TYPES)]) \
                as (scope, (x, p)):
            result = MirrorPad(x, p, name=scope, mode=mode)
    else:
        raise ValueError("Unknown padding mode: %s" % mode)
    # Paddings known only in part (a list holding tensors) still fix some output dims.
    known = _paddings_constant(paddings)
    input_dims = _dims(result.op.inputs[0])
    if input_dims is not None and known is not None and not result.shape.is_fully_defined():
        try:
            result.set_shape([None if d is None or p is None or None in list(p) else d + sum(p)
                              for p, d in zip(known, input_dims)])
        except (TypeError, ValueError):
            pass
    return result


def _reverse_shape(tensor, axis):
    if axis.shape.ndims not in (None, 1):
        raise _shape_error("ReverseV2", "Shape must be rank 1 but is rank %d" % axis.shape.ndims,
                           tensor, axis)
    dims = _dims(tensor)
    a = constant_value(axis)
    if dims is not None and a is not None:
        seen = set()
        for i, v in enumerate(np.reshape(a, [-1])):
            v = int(v)
            if not -len(dims) <= v < len(dims):
                raise _shape_error("ReverseV2", "'axis'[%d] = %d is out of valid range [%d, %d)"
                                   % (i, v, -len(dims), len(dims)), tensor, axis)
            if v % len(dims) in seen:
                raise _shape_error("ReverseV2", "axis %d specified more than once" % v,
                                   tensor, axis)
            seen.add(v % len(dims))
    return Spec(tensor.shape, tensor.dtype.base_dtype)


ReverseV2 = defop("ReverseV2", shape=_reverse_shape,
                  ref=lambda tensor, axis: np.flip(tensor, tuple(int(a) for a in axis))
                  if np.size(axis) else np.array(tensor),
                  grad=lambda op, g: [ReverseV2(g, op.inputs[1]), None])


def reverse(tensor, axis, name=None):
    with _scoped_inputs(name, "ReverseV2", [(tensor, "tensor"), (axis, "axis", _INDEX_TYPES)]) \
            as (scope, (x, axis_t)):
        return ReverseV2(x, axis_t, name=scope)


reverse_v2 = reverse


def broadcast_to(input, shape, name=None):  # noqa: A002, F811
    with _scoped_inputs(name, "BroadcastTo", [(input, "input"), (shape, "shape", _INDEX_TYPES)]) \
            as (scope, (x, shape_t)):
        # The record (in ops/math.py, where reductions' gradients use it) takes any target;
        # TF rejects statically incompatible shapes while building, so check them here.
        target, dims = _shape_from_tensor(shape_t), _dims(x)
        if target.ndims is not None and dims is not None:
            out = target.as_list()
            if len(dims) > len(out):
                raise _shape_error("BroadcastTo", "Rank of input (%d) must be no greater than "
                                   "rank of output shape (%d)" % (len(dims), len(out)),
                                   x, shape_t)
            for d, o in zip(reversed(dims), reversed(out)):
                if d is not None and o is not None and d != 1 and d != o:
                    raise _shape_error("BroadcastTo", "Dimensions must be equal, but are %d and "
                                       "%d" % (d, o), x, shape_t)
        return _math().BroadcastTo(x, shape_t, name=scope)


# -- masks ----------------------------------------------------------------------------------------
def boolean_mask(tensor, mask, name="boolean_mask", axis=None):
    with graph_mod.name_scope(name, "boolean_mask", [tensor, mask]):
        tensor = convert_to_tensor(tensor, name="tensor")
        mask = convert_to_tensor(mask, name="mask")
        ndims_mask = mask.shape.ndims
        if ndims_mask == 0:
            raise ValueError("mask cannot be scalar.")
        if ndims_mask is None:
            raise ValueError("Number of mask dimensions must be specified, even if some "
                             "dimensions are None.  E.g. shape=[None] is ok, but shape=None is "
                             "not.")
        axis = 0 if axis is None else axis
        axis_value = axis if not isinstance(axis, Tensor) else _scalar_value(axis)
        tensor_dims = _dims(tensor)
        if axis_value is not None and tensor_dims is not None:
            masked = tensor_dims[axis_value:axis_value + ndims_mask]
            if not tensor_shape.TensorShape(masked).is_compatible_with(mask.shape):
                raise ValueError("Shapes %s and %s are incompatible"
                                 % (tensor_shape.TensorShape(masked), mask.shape))
        with _scoped_inputs(None, "Prod", [(shape(tensor)[axis:axis + ndims_mask], "input"),
                                           ([0], "reduction_indices", _INDEX_TYPES)]) \
                as (prod_scope, (extent, prod_axis)):
            leading_size = _math().Prod(extent, prod_axis, name=prod_scope, keep_dims=False)
        tensor = reshape(tensor, concat([shape(tensor)[:axis], [leading_size],
                                         shape(tensor)[axis + ndims_mask:]], 0))
        if axis_value is not None and tensor_dims is not None:
            first = tensor_shape.TensorShape(
                tensor_dims[axis_value:axis_value + ndims_mask]).num_elements()
            tensor.set_shape(tensor_dims[:axis_value] + [first] +
                             tensor_dims[axis_value + ndims_mask:])
        mask = reshape(mask, [-1])
        indices = squeeze(_math().where(mask), axis=[1])
        return gather(tensor, indices, axis=axis)


def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool, name=None):
    m = _math()
    with graph_mod.name_scope(name, "SequenceMask", [lengths, maxlen]):
        lengths = convert_to_tensor(lengths)
        if maxlen is None:
            all_dims = constant(np.arange(lengths.shape.ndims), dtype=dtypes.int32) \
                if lengths.shape.ndims is not None else _raw_range(0, rank(lengths), 1)
            maxlen = m.Max(lengths, all_dims, name="Max", keep_dims=False)
            maxlen = m.maximum(constant(0, dtype=maxlen.dtype.base_dtype), maxlen)
        else:
            maxlen = convert_to_tensor(maxlen)
        if maxlen.shape.ndims is not None and maxlen.shape.ndims != 0:
            raise ValueError("maxlen must be scalar for sequence_mask")
        index_dtype = maxlen.dtype.base_dtype
        row_vector = Range(constant(0, dtype=index_dtype), maxlen,
                           constant(1, dtype=index_dtype), name="Range")
        # TF casts with the raw op, so a Cast node appears even when the types agree.
        matrix = m.Cast(expand_dims(lengths, -1), name="Cast", DstT=index_dtype)
        result = row_vector < matrix
        if dtype is None or dtypes.as_dtype(dtype).base_dtype == dtypes.bool:
            return result
        return m.Cast(result, name="Cast", DstT=dtypes.as_dtype(dtype).base_dtype)


def _band_part_shape(input, num_lower, num_upper):
    if input.shape.ndims is not None and input.shape.ndims < 2:
        raise _shape_error("MatrixBandPart", "Shape must be at least rank 2 but is rank %d"
                           % input.shape.ndims, input, num_lower, num_upper)
    return Spec(input.shape, input.dtype.base_dtype)


def _band_part_ref(input, num_lower, num_upper):
    rows, cols = input.shape[-2:]
    lower, upper = int(num_lower), int(num_upper)
    if lower > rows:
        raise ValueError("num_lower must be negative or less or equal to number of rows (%d) "
                         "got: %d" % (rows, lower))
    if upper > cols:
        raise ValueError("num_upper must be negative or less or equal to number of columns "
                         "(%d) got: %d" % (cols, upper))
    i = np.arange(rows)[:, None]
    j = np.arange(cols)[None, :]
    keep = ((lower < 0) | (i - j <= lower)) & ((upper < 0) | (j - i <= upper))
    return np.where(keep, input, np.zeros((), dtype=input.dtype))


MatrixBandPart = defop(
    "MatrixBandPart", shape=_band_part_shape, ref=_band_part_ref,
    grad=lambda op, g: [MatrixBandPart(g, op.inputs[1], op.inputs[2]), None, None])


def matrix_band_part(input, num_lower, num_upper, name=None):  # noqa: A002
    index_types = (dtypes.int64, dtypes.int32)
    with _scoped_inputs(name, "MatrixBandPart", [(input, "input"),
                                                 (num_lower, "num_lower", index_types)]) \
            as (scope, (x, lower)):
        upper = _convert_input(num_upper, "num_upper", "MatrixBandPart",
                               dtype=lower.dtype.base_dtype, ref_arg="num_lower")
        return MatrixBandPart(x, lower, upper, name=scope)


# -- top_k ----------------------------------------------------------------------------------------
def _top_k_shape(input, k, *, sorted=True):
    dtype = input.dtype.base_dtype
    kv = _scalar_value(k)
    if kv is not None and kv < 0:
        raise _shape_error("TopKV2", "Need k >= 0, got %d" % kv, input, k)
    dims = _dims(input)
    if dims is None:
        return [Spec(tensor_shape.unknown_shape(), dtype),
                Spec(tensor_shape.unknown_shape(), dtypes.int32)]
    if not dims:
        raise _shape_error("TopKV2", "Shape must be at least rank 1 but is rank 0", input, k)
    if kv is not None and dims[-1] is not None and dims[-1] < kv:
        raise _shape_error("TopKV2", "input must have last dimension >= k = %d but is %d"
                           % (kv, dims[-1]), input, k)
    dims[-1] = kv
    return [Spec(dims, dtype), Spec(dims, dtypes.int32)]


def _top_k_ref(input, k, *, sorted=True):
    k = int(k)
    if k < 0:
        raise ValueError("Need k >= 0, got %d" % k)
    if input.shape[-1] < k:
        raise ValueError("input must have at least k columns. Had %d, needed %d"
                         % (input.shape[-1], k))
    # Descending and, for ties, lower index first (TF's order): a stable ascending sort of the
    # reversed row, read backwards. Works for unsigned types, which cannot be negated.
    n = input.shape[-1]
    order = n - 1 - np.argsort(input[..., ::-1], axis=-1, kind="stable")[..., ::-1]
    indices = order[..., :k].astype(np.int32)
    return np.take_along_axis(input, indices, axis=-1), indices


def _top_k_grad(op, g_values, g_indices):
    """Scatters the values' gradient back to the positions top_k read them from."""
    m = _math()
    in_shape = shape(op.inputs[0])
    ind_shape = shape(op.outputs[1])
    ind_lastdim = gather(ind_shape, size(ind_shape) - 1)
    ind_2d = reshape(op.outputs[1], stack([-1, ind_lastdim]))
    in_lastdim = gather(in_shape, size(in_shape) - 1)
    outerdim = shape(ind_2d)[0]
    # Row r's indices address the flat input at r * last_dim (delta kept > 0 for empty rows).
    offsets = range(0, outerdim * in_lastdim, m.maximum(in_lastdim, 1))
    flat = reshape(ind_2d + expand_dims(offsets, -1), [-1])
    scattered = scatter_nd(expand_dims(flat, -1), reshape(g_values, [-1]),
                           [m.reduce_prod(in_shape)])
    return [reshape(scattered, in_shape), None]


TopKV2 = defop("TopKV2", shape=_top_k_shape, ref=_top_k_ref, grad=_top_k_grad)


def top_k(input, k=1, sorted=True, name=None):  # noqa: A002
    with _scoped_inputs(name, "TopKV2", [(input, "input"), (k, "k", (dtypes.int32,))]) \
            as (scope, (x, k_t)):
        return TopKV2(x, k_t, name=scope, sorted=sorted)
