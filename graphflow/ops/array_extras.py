"""Array ops beyond the core set: linspace, meshgrid, roll, repeat, reverse_sequence,
batch_gather, tensor scatters, space/depth rearrangement, sort, argsort and searchsorted."""
import builtins

import numpy as np

from ..framework import dtypes, graph as graph_mod, tensor_shape
from . import array, math as math_ops
from .array import _INDEX_TYPES, _dims, _scalar_value, _scoped_inputs, _shape_error
from .convert import constant_value, convert_to_tensor
from .registry import NOT_DIFFERENTIABLE, Spec, defop

__all__ = [
    "linspace", "lin_space", "meshgrid", "roll", "repeat", "reverse_sequence", "batch_gather",
    "tensor_scatter_nd_update", "tensor_scatter_nd_add", "tensor_scatter_nd_sub",
    "tensor_scatter_update", "tensor_scatter_add", "tensor_scatter_sub", "space_to_depth",
    "depth_to_space", "sort", "argsort", "searchsorted",
]


# -- linspace and meshgrid ------------------------------------------------------------------------
def _linspace_shape(start, stop, num):
    return Spec([_scalar_value(num)], start.dtype.base_dtype)


def _linspace_ref(start, stop, num):
    n = int(num)
    if n <= 0:
        raise ValueError("Requires num > 0: %d" % n)
    return np.linspace(start, stop, n, dtype=start.dtype)


LinSpace = defop("LinSpace", shape=_linspace_shape, ref=_linspace_ref, grad=NOT_DIFFERENTIABLE)


def linspace(start, stop, num, name=None, axis=0):
    """``num`` evenly spaced values from ``start`` to ``stop`` inclusive (scalars)."""
    if axis != 0:
        raise ValueError("graphflow's linspace takes scalar start and stop (axis=0)")
    with graph_mod.name_scope(name, "LinSpace", [start, stop, num]) as scope:
        start_t = convert_to_tensor(start, name="start", preferred_dtype=dtypes.float32)
        stop_t = convert_to_tensor(stop, dtype=start_t.dtype.base_dtype, name="stop")
        num_t = convert_to_tensor(num, name="num", preferred_dtype=dtypes.int32)
        return LinSpace(start_t, stop_t, num_t, name=scope)


lin_space = linspace


def meshgrid(*args, **kwargs):
    """Coordinate grids: with ``indexing="xy"`` the first two outputs' axes are swapped."""
    indexing = kwargs.pop("indexing", "xy")
    name = kwargs.pop("name", "meshgrid")
    if kwargs:
        raise TypeError("'%s' is an invalid keyword argument for this function"
                        % next(iter(kwargs)))
    if indexing not in ("xy", "ij"):
        raise ValueError("indexing parameter must be either 'xy' or 'ij'")
    with graph_mod.name_scope(name, "meshgrid", args):
        count = len(args)
        shapes = [[1] * count for _ in builtins.range(count)]
        outputs = []
        for i, x in enumerate(args):
            shapes[i][i] = -1
            outputs.append(array.reshape(array.stack(x), shapes[i]))
        sizes = [array.size(x) for x in args]
        dtype = outputs[0].dtype.base_dtype
        if indexing == "xy" and count > 1:
            outputs[0] = array.reshape(outputs[0], [1, -1] + [1] * (count - 2))
            outputs[1] = array.reshape(outputs[1], [-1, 1] + [1] * (count - 2))
            sizes[0], sizes[1] = sizes[1], sizes[0]
        ones = array.ones(array.stack(sizes), dtype=dtype)
        return [x * ones for x in outputs]


# -- roll, repeat, reverse_sequence ---------------------------------------------------------------
def _roll_ref(input, shift, axis):
    return np.roll(input, np.asarray(shift).tolist(), np.asarray(axis).tolist())


Roll = defop("Roll", shape=lambda input, shift, axis: Spec(input.shape, input.dtype.base_dtype),
             ref=_roll_ref,
             grad=lambda op, g: [Roll(g, math_ops.negative(op.inputs[1]), op.inputs[2]),
                                 None, None])


def roll(input, shift, axis, name=None):  # noqa: A002
    with _scoped_inputs(name, "Roll", [(input, "input"), (shift, "shift", _INDEX_TYPES),
                                       (axis, "axis", _INDEX_TYPES)]) as (scope, tensors):
        return Roll(*tensors, name=scope)


def repeat(input, repeats, axis=None, name=None):  # noqa: A002
    """numpy's repeat: a scalar count tiles each element along a new inner axis that is then
    merged; per-element counts gather each index that many times."""
    with graph_mod.name_scope(name, "Repeat"):
        x = convert_to_tensor(input, name="input")
        if axis is None:
            x = array.reshape(x, [-1])
            axis = 0
        ndims = x.shape.ndims
        axis = axis % ndims
        counts = constant_value(convert_to_tensor(repeats))
        if counts is None:
            raise ValueError("graphflow's repeat needs repeats known at graph-construction time")
        counts = np.asarray(counts)
        if counts.ndim == 0 or counts.size == 1:
            count = int(counts.reshape(-1)[0])
            expanded = array.expand_dims(x, axis + 1)
            multiples = [1] * (ndims + 1)
            multiples[axis + 1] = count
            tiled = array.tile(expanded, multiples)
            dims = array.unstack(array.shape(x))
            merged = dims[:axis] + [dims[axis] * count] + dims[axis + 1:]
            return array.reshape(tiled, array.stack(merged))
        indices = np.repeat(np.arange(counts.size), counts).astype(np.int32)
        return array.gather(x, indices, axis=axis)


def _reverse_sequence_shape(input, seq_lengths, *, seq_dim, batch_dim=0):
    dims = _dims(input)
    if dims is not None:
        for which, value in (("seq_dim", seq_dim), ("batch_dim", batch_dim)):
            if not 0 <= value < len(dims):
                raise _shape_error("ReverseSequence", "%s must be < input rank (%d vs %d)"
                                   % (which, value, len(dims)), input, seq_lengths)
    if seq_lengths.shape.ndims not in (None, 1):
        raise _shape_error("ReverseSequence", "Shape must be rank 1 but is rank %d"
                           % seq_lengths.shape.ndims, input, seq_lengths)
    if dims is None:
        return Spec(input.shape, input.dtype.base_dtype)
    # The batch dimension has one entry per length, which may tell what the input does not.
    batch = input.shape[batch_dim]
    lengths = seq_lengths.shape[0] if seq_lengths.shape.ndims == 1 else batch
    if not batch.is_compatible_with(lengths):
        raise _shape_error("ReverseSequence", "Dimensions must be equal, but are %s and %s"
                           % (batch, lengths), input, seq_lengths)
    dims = list(input.shape.as_list())
    dims[batch_dim] = batch.merge_with(lengths).value
    return Spec(dims, input.dtype.base_dtype)


def _reverse_sequence_ref(input, seq_lengths, *, seq_dim, batch_dim=0):
    out = np.array(input, copy=True)
    lengths = np.asarray(seq_lengths)
    if lengths.size != input.shape[batch_dim]:
        raise ValueError("Length of seq_lengths != input.dims(%d), (%d vs. %d)"
                         % (batch_dim, lengths.size, input.shape[batch_dim]))
    for b, length in enumerate(lengths.tolist()):
        if length > input.shape[seq_dim]:
            raise ValueError("seq_lens(%d) > input.dims(%d)" % (b, seq_dim))
        source = [builtins.slice(None)] * input.ndim
        source[batch_dim] = b
        source[seq_dim] = builtins.slice(0, length)
        target = list(source)
        out[tuple(target)] = np.flip(input[tuple(source)],
                                     seq_dim - (1 if batch_dim < seq_dim else 0))
    return out


ReverseSequence = defop(
    "ReverseSequence", shape=_reverse_sequence_shape, ref=_reverse_sequence_ref,
    grad=lambda op, g: [ReverseSequence(g, op.inputs[1], seq_dim=op.get_attr("seq_dim"),
                                        batch_dim=op.get_attr("batch_dim")), None])


def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None, name=None,  # noqa: A002
                     seq_dim=None, batch_dim=None):
    seq_axis = math_ops._deprecated_lookup("seq_axis", seq_axis, "seq_dim", seq_dim)
    batch_axis = math_ops._deprecated_lookup("batch_axis", batch_axis, "batch_dim", batch_dim)
    with _scoped_inputs(name, "ReverseSequence", [
            (input, "input"), (seq_lengths, "seq_lengths", (dtypes.int64, dtypes.int32))]) \
            as (scope, tensors):
        return ReverseSequence(*tensors, name=scope, seq_dim=int(seq_axis),
                               batch_dim=int(batch_axis or 0))


def batch_gather(params, indices, name=None):
    """Gathers along the axis after the leading dims that params and indices share."""
    with graph_mod.name_scope(name, "BatchGather", [params, indices]):
        indices = convert_to_tensor(indices, name="indices")
        params = convert_to_tensor(params, name="params")
        if indices.shape.ndims is None:
            raise ValueError("batch_gather does not allow indices with unknown shape.")
        batch_dims = indices.shape.ndims - 1
        return array.gather(params, indices, axis=batch_dims, batch_dims=batch_dims)


# -- tensor scatters ------------------------------------------------------------------------------
def _scatter_shape(op_type):
    def rule(tensor, indices, updates):
        if updates.dtype.base_dtype != tensor.dtype.base_dtype:
            raise TypeError("Input 'updates' of '%s' Op has type %s that does not match type %s "
                            "of argument 'tensor'." % (op_type, updates.dtype.base_dtype.name,
                                                       tensor.dtype.base_dtype.name))
        return Spec(tensor.shape, tensor.dtype.base_dtype)
    return rule


def _scatter_kernel(ufunc):
    """Each index row combines its update into a copy of ``tensor`` in order: by ``ufunc``
    (np.add, np.subtract), or replacing for None (the last duplicate wins)."""
    def ref(tensor, indices, updates):
        out = np.array(tensor, copy=True)
        flat_index = array._flat_nd_indices(indices, tensor.shape, "shape")
        depth = flat_index.shape[1]
        flat_updates = updates.reshape((flat_index.shape[0],) + tensor.shape[depth:])
        # Empty index rows address the whole tensor: one slot of a leading axis of size 1.
        target, position = (out, tuple(flat_index.T)) if depth else \
            (out[None], (np.zeros(flat_index.shape[0], np.int64),))
        if ufunc is None:
            target[position] = flat_updates
        else:
            ufunc.at(target, position, flat_updates)
        return out
    return ref


def _scatter_grad(sign):
    def rule(op, g):
        _, indices, _ = op.inputs
        updates_grad = array.gather_nd(g, indices)
        if op.type == "TensorScatterUpdate":
            tensor_grad = TensorScatterUpdate(g, indices, array.zeros_like(op.inputs[2]))
        else:
            tensor_grad = g
        return [tensor_grad, None, updates_grad if sign > 0 else -updates_grad]
    return rule


TensorScatterUpdate = defop("TensorScatterUpdate", shape=_scatter_shape("TensorScatterUpdate"),
                            ref=_scatter_kernel(None), grad=_scatter_grad(1))
TensorScatterAdd = defop("TensorScatterAdd", shape=_scatter_shape("TensorScatterAdd"),
                         ref=_scatter_kernel(np.add), grad=_scatter_grad(1))
TensorScatterSub = defop("TensorScatterSub", shape=_scatter_shape("TensorScatterSub"),
                         ref=_scatter_kernel(np.subtract), grad=_scatter_grad(-1))


def _scatter_fn(op_def):
    def fn(tensor, indices, updates, name=None):
        with _scoped_inputs(name, op_def.name, [(tensor, "tensor"),
                                                (indices, "indices", _INDEX_TYPES)]) \
                as (scope, (t, i)):
            u = convert_to_tensor(updates, dtype=t.dtype.base_dtype, name="updates") \
                if not isinstance(updates, graph_mod.Tensor) else updates
            return op_def(t, i, u, name=scope)
    fn.__name__ = op_def.name
    return fn


tensor_scatter_nd_update = tensor_scatter_update = _scatter_fn(TensorScatterUpdate)
tensor_scatter_nd_add = tensor_scatter_add = _scatter_fn(TensorScatterAdd)
tensor_scatter_nd_sub = tensor_scatter_sub = _scatter_fn(TensorScatterSub)


# -- space_to_depth and depth_to_space (NHWC) -----------------------------------------------------
def _image_dims(op_type, input):
    """The four dimensions of an NHWC ``input``, or None where its rank is unknown."""
    dims = _dims(input)
    if dims is not None and len(dims) != 4:
        raise _shape_error(op_type, "Shape must be rank 4 but is rank %d" % len(dims), input)
    return dims


def _space_to_depth_shape(input, *, block_size, data_format="NHWC"):
    dims = _image_dims("SpaceToDepth", input)
    if dims is None:
        return Spec(tensor_shape.unknown_shape(4), input.dtype.base_dtype)
    n, h, w, c = dims
    for d in (h, w):
        if d is not None and d % block_size:
            raise _shape_error("SpaceToDepth", "Dimension size must be evenly divisible by %d "
                               "but is %d" % (block_size, d), input)
    return Spec([n, None if h is None else h // block_size,
                 None if w is None else w // block_size,
                 None if c is None else c * block_size * block_size], input.dtype.base_dtype)


def _depth_to_space_shape(input, *, block_size, data_format="NHWC"):
    dims = _image_dims("DepthToSpace", input)
    if dims is None:
        return Spec(tensor_shape.unknown_shape(4), input.dtype.base_dtype)
    n, h, w, c = dims
    square = block_size * block_size
    if c is not None and c % square:
        raise _shape_error("DepthToSpace", "Dimension size must be evenly divisible by %d but "
                           "is %d" % (square, c), input)
    return Spec([n, None if h is None else h * block_size, None if w is None else w * block_size,
                 None if c is None else c // square], input.dtype.base_dtype)


def _space_to_depth_ref(input, *, block_size, data_format="NHWC"):
    n, h, w, c = input.shape
    b = block_size
    blocks = input.reshape(n, h // b, b, w // b, b, c).transpose(0, 1, 3, 2, 4, 5)
    return np.ascontiguousarray(blocks.reshape(n, h // b, w // b, b * b * c))


def _depth_to_space_ref(input, *, block_size, data_format="NHWC"):
    n, h, w, c = input.shape
    b = block_size
    blocks = input.reshape(n, h, w, b, b, c // (b * b)).transpose(0, 1, 3, 2, 4, 5)
    return np.ascontiguousarray(blocks.reshape(n, h * b, w * b, c // (b * b)))


SpaceToDepth = defop(
    "SpaceToDepth", shape=_space_to_depth_shape, ref=_space_to_depth_ref,
    grad=lambda op, g: [DepthToSpace(g, block_size=op.get_attr("block_size"))])
DepthToSpace = defop(
    "DepthToSpace", shape=_depth_to_space_shape, ref=_depth_to_space_ref,
    grad=lambda op, g: [SpaceToDepth(g, block_size=op.get_attr("block_size"))])


def _check_block_format(block_size, data_format):
    if data_format != "NHWC":
        raise ValueError("graphflow's space_to_depth and depth_to_space take NHWC only")
    if block_size < 2:
        raise ValueError("Attr block_size has value %d must be at least 2" % block_size)


def space_to_depth(input, block_size, name=None, data_format="NHWC"):  # noqa: A002
    _check_block_format(block_size, data_format)
    with _scoped_inputs(name, "SpaceToDepth", [(input, "input")]) as (scope, (x,)):
        return SpaceToDepth(x, name=scope, block_size=int(block_size))


def depth_to_space(input, block_size, name=None, data_format="NHWC"):  # noqa: A002
    _check_block_format(block_size, data_format)
    with _scoped_inputs(name, "DepthToSpace", [(input, "input")]) as (scope, (x,)):
        return DepthToSpace(x, name=scope, block_size=int(block_size))


# -- sorting --------------------------------------------------------------------------------------
def _sort_along(values, axis, descending, want_indices):
    """top_k over the whole last axis (after moving ``axis`` there); ascending order negates
    the values, which keeps the lower index first among ties as TF's sort does."""
    values = convert_to_tensor(values, name="values")
    ndims = values.shape.ndims
    if ndims is None:
        raise ValueError("sort needs an input of known rank")
    axis = axis % ndims if ndims else 0
    perm = None
    if axis != ndims - 1:
        perm = list(builtins.range(ndims))
        perm[axis], perm[-1] = perm[-1], perm[axis]
        values = array.transpose(values, perm)
    last = values.shape[-1].value
    k = last if last is not None else array.shape(values)[-1]
    if descending:
        top, indices = array.top_k(values, k)
    else:
        top, indices = array.top_k(math_ops.negative(values), k)
        top = math_ops.negative(top)
    result = indices if want_indices else top
    return array.transpose(result, perm) if perm else result


def _check_direction(direction):
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError("direction should be one of ASCENDING, DESCENDING, got %r"
                         % (direction,))
    return direction == "DESCENDING"


def sort(values, axis=-1, direction="ASCENDING", name=None):
    descending = _check_direction(direction)
    with graph_mod.name_scope(name, "sort"):
        return _sort_along(values, axis, descending, False)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    descending = _check_direction(direction)
    with graph_mod.name_scope(name, "argsort"):
        return _sort_along(values, axis, descending, True)


def _bound_ref(side):
    def ref(sorted_inputs, values, *, out_type=dtypes.int32):
        rows = sorted_inputs.reshape(-1, sorted_inputs.shape[-1])
        queries = values.reshape(rows.shape[0], -1)
        out = np.stack([np.searchsorted(r, q, side=side) for r, q in zip(rows, queries)])
        return out.reshape(values.shape).astype(out_type.numpy_dtype)
    return ref


def _bound_shape(sorted_inputs, values, *, out_type=dtypes.int32):
    return Spec(values.shape, out_type)


LowerBound = defop("LowerBound", shape=_bound_shape, ref=_bound_ref("left"),
                   grad=NOT_DIFFERENTIABLE)
UpperBound = defop("UpperBound", shape=_bound_shape, ref=_bound_ref("right"),
                   grad=NOT_DIFFERENTIABLE)


def searchsorted(sorted_sequence, values, side="left", out_type=dtypes.int32, name=None):
    """Per innermost row, where each value would be inserted to keep the row sorted."""
    if side not in ("left", "right"):
        raise ValueError("Argument `side` must be either 'right' or 'left'. Received: `side` = "
                         "%r." % (side,))
    op_def = LowerBound if side == "left" else UpperBound
    with graph_mod.name_scope(name, "searchsorted", [sorted_sequence, values]) as scope:
        sorted_t = convert_to_tensor(sorted_sequence, name="sorted_inputs")
        values_t = convert_to_tensor(values, dtype=sorted_t.dtype.base_dtype, name="values")
        return op_def(sorted_t, values_t, name=scope, out_type=dtypes.as_dtype(out_type))
