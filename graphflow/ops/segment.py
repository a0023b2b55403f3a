"""Segment reductions beyond the sum (mean, max, min), their unsorted forms, unique,
setdiff1d and dynamic partition/stitch, with TF1's names and gradients."""
import numpy as np

from ..framework import dtypes, graph as graph_mod, tensor_shape
from . import array, math as math_ops
from .array import _INDEX_TYPES, _dims, _scoped_inputs, _shape_error
from .convert import constant_value, convert_to_tensor
from .registry import NOT_DIFFERENTIABLE, Spec, defop

__all__ = [
    "segment_mean", "segment_max", "segment_min", "unsorted_segment_max",
    "unsorted_segment_min", "unsorted_segment_mean", "unsorted_segment_sqrt_n", "unique",
    "unique_with_counts", "setdiff1d", "dynamic_partition", "dynamic_stitch",
]


# -- sorted segments ------------------------------------------------------------------------------
def _sorted_shape(op_type):
    def rule(data, segment_ids):
        if segment_ids.shape.ndims not in (None, 1):
            raise _shape_error(op_type, "Shape must be rank 1 but is rank %d"
                               % segment_ids.shape.ndims, data, segment_ids)
        dims = _dims(data)
        if dims is None:
            return Spec(tensor_shape.unknown_shape(), data.dtype.base_dtype)
        return Spec([None] + dims[1:], data.dtype.base_dtype)
    return rule


def _segment_reduce(ufunc, empty, data, ids, num_segments):
    """``ufunc`` reduced per segment; segments with no rows hold ``empty``."""
    out = np.full((num_segments,) + data.shape[1:], empty, dtype=data.dtype)
    keep = ids >= 0
    ufunc.at(out, ids[keep], data[keep])
    return out


def _sorted_kernel(ufunc, empty_value):
    def ref(data, segment_ids):
        ids = np.asarray(segment_ids).astype(np.int64)
        array.check_sorted_segment_ids(data, ids)
        n = int(ids[-1]) + 1 if ids.size else 0
        if ufunc is None:  # mean
            sums = _segment_reduce(np.add, 0, data, ids, n)
            counts = np.bincount(ids, minlength=n).reshape((n,) + (1,) * (data.ndim - 1))
            return (sums / np.maximum(counts, 1)).astype(data.dtype)
        out = _segment_reduce(ufunc, _extreme(ufunc, data.dtype), data, ids, n)
        present = np.bincount(ids, minlength=n) > 0
        out[~present] = empty_value  # TF fills empty sorted segments with 0
        return out
    return ref


def _extreme(ufunc, dtype):
    """The identity of max/min for ``dtype``: its lowest or highest value."""
    info = np.finfo(dtype) if np.dtype(dtype).kind == "f" else np.iinfo(dtype)
    return info.min if ufunc is np.maximum else info.max


def _segment_mean_grad(op, g):
    data, ids = op.inputs
    counts = array.gather(array.SegmentSum(array.ones_like(data), ids), ids)
    return [array.gather(g, ids) / counts, None]


def _min_or_max_grad(op, g, unsorted):
    """The gradient goes to the rows equal to their segment's result, split evenly on ties."""
    data, ids = op.inputs[0], op.inputs[1]
    if unsorted:
        gathered_outputs = array._gather_drop_negatives(op.outputs[0], ids)
    else:
        gathered_outputs = array.gather(op.outputs[0], ids)
    is_selected = math_ops.equal(data, gathered_outputs)
    selected = math_ops.cast(is_selected, g.dtype)
    if unsorted:
        num_selected = array.unsorted_segment_sum(selected, ids, op.inputs[2])
        gathered_grads = array._gather_drop_negatives(g / num_selected, ids)
    else:
        num_selected = array.segment_sum(selected, ids)
        gathered_grads = array.gather(g / num_selected, ids)
    zeros = array.zeros_like(gathered_grads)
    grads = [math_ops.where_v2(is_selected, gathered_grads, zeros), None]
    return grads + [None] if unsorted else grads


SegmentMean = defop("SegmentMean", shape=_sorted_shape("SegmentMean"),
                    ref=_sorted_kernel(None, 0), grad=lambda op, g: _segment_mean_grad(op, g))
SegmentMax = defop("SegmentMax", shape=_sorted_shape("SegmentMax"),
                   ref=_sorted_kernel(np.maximum, 0),
                   grad=lambda op, g: _min_or_max_grad(op, g, False))
SegmentMin = defop("SegmentMin", shape=_sorted_shape("SegmentMin"),
                   ref=_sorted_kernel(np.minimum, 0),
                   grad=lambda op, g: _min_or_max_grad(op, g, False))


def _sorted_fn(op_def):
    def fn(data, segment_ids, name=None):
        with _scoped_inputs(name, op_def.name, [(data, "data"),
                                                (segment_ids, "segment_ids", _INDEX_TYPES)]) \
                as (scope, tensors):
            return op_def(*tensors, name=scope)
    fn.__name__ = op_def.name
    return fn


segment_mean = _sorted_fn(SegmentMean)
segment_max = _sorted_fn(SegmentMax)
segment_min = _sorted_fn(SegmentMin)


# -- unsorted segments ----------------------------------------------------------------------------
def _unsorted_kernel(ufunc):
    def ref(data, segment_ids, num_segments):
        n = int(num_segments)
        ids = np.asarray(segment_ids).reshape(-1).astype(np.int64)
        if ids.size and ids.max() >= n:
            pos = int(np.argmax(ids >= n))
            raise ValueError("segment_ids[%d] = %d is out of range [0, %d)" % (pos, ids[pos], n))
        flat = data.reshape((ids.size,) + data.shape[np.ndim(segment_ids):])
        return _segment_reduce(ufunc, _extreme(ufunc, data.dtype), flat, ids, n)
    return ref


UnsortedSegmentMax = defop(
    "UnsortedSegmentMax", shape=array._segment_sum_shape, ref=_unsorted_kernel(np.maximum),
    grad=lambda op, g: _min_or_max_grad(op, g, True))
UnsortedSegmentMin = defop(
    "UnsortedSegmentMin", shape=array._segment_sum_shape, ref=_unsorted_kernel(np.minimum),
    grad=lambda op, g: _min_or_max_grad(op, g, True))


def _unsorted_fn(op_def):
    def fn(data, segment_ids, num_segments, name=None):
        with _scoped_inputs(name, op_def.name, [
                (data, "data"), (segment_ids, "segment_ids", _INDEX_TYPES),
                (num_segments, "num_segments", _INDEX_TYPES)]) as (scope, tensors):
            return op_def(*tensors, name=scope)
    fn.__name__ = op_def.name
    return fn


unsorted_segment_max = _unsorted_fn(UnsortedSegmentMax)
unsorted_segment_min = _unsorted_fn(UnsortedSegmentMin)


def _segment_counts(data, segment_ids, num_segments):
    """How many rows fall in each segment (at least 1), shaped to divide the segment sums."""
    segment_ids = convert_to_tensor(segment_ids)
    ones_shape = array.concat([array.shape(segment_ids),
                               array.ones([array.rank(data) - array.rank(segment_ids)],
                                          dtype=dtypes.int32)], 0)
    ones = array.ones(ones_shape, dtype=data.dtype)
    counts = array.unsorted_segment_sum(ones, segment_ids, num_segments)
    return math_ops.maximum(counts, 1)


def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    with graph_mod.name_scope(name, "UnsortedSegmentMean"):
        data = convert_to_tensor(data)
        counts = _segment_counts(data, segment_ids, num_segments)
        return array.unsorted_segment_sum(data, segment_ids, num_segments) / counts


def unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None):
    with graph_mod.name_scope(name, "UnsortedSegmentSqrtN"):
        data = convert_to_tensor(data)
        counts = math_ops.sqrt(_segment_counts(data, segment_ids, num_segments))
        return array.unsorted_segment_sum(data, segment_ids, num_segments) / counts


# -- unique and setdiff1d -------------------------------------------------------------------------
def _unique_shape(x, *, out_idx=dtypes.int32, counts=False):
    if x.shape.ndims not in (None, 1):
        raise _shape_error("Unique", "Shape must be rank 1 but is rank %d" % x.shape.ndims, x)
    specs = [Spec([None], x.dtype.base_dtype), Spec(x.shape, out_idx)]
    return specs + [Spec([None], out_idx)] if counts else specs


def _unique_ref(x, *, out_idx=dtypes.int32, counts=False):
    """Values in order of first appearance, the index of each input in them, and counts."""
    _, first, inverse, count = np.unique(x, return_index=True, return_inverse=True,
                                         return_counts=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    index_dtype = out_idx.numpy_dtype
    outputs = (x[first[order]], rank[inverse.reshape(-1)].astype(index_dtype))
    return outputs + (count[order].astype(index_dtype),) if counts else outputs


Unique = defop("Unique", shape=_unique_shape,
               ref=lambda x, *, out_idx=dtypes.int32: _unique_ref(x, out_idx=out_idx),
               grad=NOT_DIFFERENTIABLE)
UniqueWithCounts = defop(
    "UniqueWithCounts",
    shape=lambda x, *, out_idx=dtypes.int32: _unique_shape(x, out_idx=out_idx, counts=True),
    ref=lambda x, *, out_idx=dtypes.int32: _unique_ref(x, out_idx=out_idx, counts=True),
    grad=NOT_DIFFERENTIABLE)


def unique(x, out_idx=dtypes.int32, name=None):
    with _scoped_inputs(name, "Unique", [(x, "x")]) as (scope, (t,)):
        return Unique(t, name=scope, out_idx=dtypes.as_dtype(out_idx))


def unique_with_counts(x, out_idx=dtypes.int32, name=None):
    with _scoped_inputs(name, "UniqueWithCounts", [(x, "x")]) as (scope, (t,)):
        return UniqueWithCounts(t, name=scope, out_idx=dtypes.as_dtype(out_idx))


def _list_diff_ref(x, y, *, out_idx=dtypes.int32):
    keep = ~np.isin(x, y)
    return x[keep], np.flatnonzero(keep).astype(out_idx.numpy_dtype)


ListDiff = defop(
    "ListDiff",
    shape=lambda x, y, *, out_idx=dtypes.int32: [Spec([None], x.dtype.base_dtype),
                                                 Spec([None], out_idx)],
    ref=_list_diff_ref, grad=NOT_DIFFERENTIABLE)


def setdiff1d(x, y, index_dtype=dtypes.int32, name=None):
    with _scoped_inputs(name, "ListDiff", [(x, "x")]) as (scope, (xt,)):
        yt = convert_to_tensor(y, dtype=xt.dtype.base_dtype, name="y")
        return ListDiff(xt, yt, name=scope, out_idx=dtypes.as_dtype(index_dtype))


# -- dynamic partition and stitch -----------------------------------------------------------------
def _partition_shape(data, partitions, *, num_partitions):
    d, p = _dims(data), _dims(partitions)
    dtype = data.dtype.base_dtype
    if d is None or p is None:
        return [Spec(tensor_shape.unknown_shape(), dtype)] * num_partitions
    return [Spec([None] + d[len(p):], dtype)] * num_partitions


def _partition_ref(data, partitions, *, num_partitions):
    parts = np.asarray(partitions)
    if parts.size and (parts.min() < 0 or parts.max() >= num_partitions):
        bad = parts[(parts < 0) | (parts >= num_partitions)][0]
        raise ValueError("partitions contains %d, which is not in [0, %d)"
                         % (bad, num_partitions))
    return tuple(data[parts == i] for i in range(num_partitions))


def _partition_grad(op, *grads):
    data, partitions = op.inputs
    num = op.get_attr("num_partitions")
    original = array.reshape(array.range(array.size(partitions)), array.shape(partitions))
    indices = DynamicPartition(original, partitions, num_partitions=num)
    indices = [indices] if num == 1 else list(indices)
    grads = [g if g is not None else array.zeros_like(out) for g, out in zip(grads, op.outputs)]
    stitched = DynamicStitch(*(indices + grads))
    return [array.reshape(stitched, array.shape(data)), None]


DynamicPartition = defop("DynamicPartition", shape=_partition_shape, ref=_partition_ref,
                         grad=_partition_grad)


def _stitch_shape(*indices_and_data):
    half = len(indices_and_data) // 2
    indices, data = indices_and_data[:half], indices_and_data[half:]
    dims = _dims(data[0])
    index_dims = _dims(indices[0])
    size = None
    values = [constant_value(i) for i in indices]
    if all(v is not None for v in values):
        size = int(max((np.max(v) for v in values if np.size(v)), default=-1)) + 1
    if dims is None or index_dims is None:
        return Spec(tensor_shape.unknown_shape(), data[0].dtype.base_dtype)
    return Spec([size] + dims[len(index_dims):], data[0].dtype.base_dtype)


def _stitch_ref(*indices_and_data):
    half = len(indices_and_data) // 2
    indices, data = indices_and_data[:half], indices_and_data[half:]
    size = int(max((np.max(i) for i in indices if np.size(i)), default=-1)) + 1
    row_shape = data[0].shape[np.ndim(indices[0]):]
    out = np.zeros((size,) + row_shape, dtype=data[0].dtype)
    for index, values in zip(indices, data):
        out[np.asarray(index).reshape(-1)] = values.reshape((-1,) + row_shape)
    return out


def _stitch_grad(op, g):
    half = len(op.inputs) // 2
    indices = op.inputs[:half]
    return [None] * half + [array.gather(g, i) for i in indices]


DynamicStitch = defop("DynamicStitch", shape=_stitch_shape, ref=_stitch_ref, grad=_stitch_grad)


def dynamic_partition(data, partitions, num_partitions, name=None):
    with _scoped_inputs(name, "DynamicPartition", [(data, "data"),
                                                   (partitions, "partitions", (dtypes.int32,))]) \
            as (scope, (d, p)):
        out = DynamicPartition(d, p, name=scope, num_partitions=int(num_partitions))
        return [out] if num_partitions == 1 else list(out)


def dynamic_stitch(indices, data, name=None):
    with graph_mod.name_scope(name, "DynamicStitch", list(indices) + list(data)) as scope:
        index_tensors = [convert_to_tensor(i, dtype=dtypes.int32, name="indices")
                         for i in indices]
        first = next((d for d in data if isinstance(d, graph_mod.Tensor)), None)
        dtype = None if first is None else first.dtype.base_dtype
        data_tensors = [convert_to_tensor(d, dtype=dtype, name="data") for d in data]
        return DynamicStitch(*(index_tensors + data_tensors), name=scope)
