"""Sparse op records over (indices [N, rank] int64, values [N], dense_shape [rank] int64) triples,
as a SparseTensor holds them: SparseToDense, SparseTensorDenseMatMul, SparseReduceSum and
SparseTensorDenseAdd, each with TF's gradient with respect to the values and the dense operand.
"""
import numpy as np

from ..framework import dtypes, tensor_shape
from . import array as array_ops
from . import math as math_ops
from .array import _shape_from_tensor
from .convert import constant_value
from .registry import Spec, defop


def _index_tuple(indices, rank):
    indices = np.asarray(indices, dtype=np.int64).reshape(-1, rank) if rank else \
        np.zeros((np.size(indices), 0), np.int64)
    return tuple(indices.T)


def _check_in_bounds(indices, shape):
    indices = np.asarray(indices, dtype=np.int64).reshape(-1, len(shape))
    bad = (indices < 0) | (indices >= np.asarray(shape, dtype=np.int64))
    if bad.any():
        row = int(np.nonzero(bad.any(axis=1))[0][0])
        raise ValueError("indices[%d] = %s is out of bounds: need 0 <= index < %s"
                         % (row, indices[row].tolist(), list(shape)))
    return indices


# -- SparseToDense --------------------------------------------------------------------------------
def _sparse_to_dense_shape(sparse_indices, output_shape, sparse_values, default_value, *,
                           validate_indices=True):
    if sparse_values.dtype.base_dtype != default_value.dtype.base_dtype:
        raise TypeError("Input 'default_value' of 'SparseToDense' Op has type %s that does not "
                        "match type %s of argument 'sparse_values'."
                        % (default_value.dtype.base_dtype.name,
                           sparse_values.dtype.base_dtype.name))
    return Spec(_shape_from_tensor(output_shape), sparse_values.dtype.base_dtype)


def _sparse_to_dense_ref(sparse_indices, output_shape, sparse_values, default_value, *,
                         validate_indices=True):
    shape = [int(d) for d in np.reshape(output_shape, [-1])]
    indices = _check_in_bounds(np.reshape(sparse_indices, [-1, len(shape)]) if shape
                               else np.zeros((0, 0)), shape)
    if validate_indices and len(indices) > 1:
        flat = np.ravel_multi_index(tuple(indices.T), shape) if shape else np.zeros(0)
        if np.any(np.diff(flat) <= 0):
            row = int(np.nonzero(np.diff(flat) <= 0)[0][0]) + 1
            raise ValueError("indices[%d] = %s is out of order. Many sparse ops require sorted "
                             "indices. Use `tf.sparse.reorder` to create a correctly ordered "
                             "copy." % (row, indices[row].tolist()))
    out = np.full(shape, default_value, dtype=sparse_values.dtype)
    values = np.broadcast_to(sparse_values, (len(indices),))
    out[tuple(indices.T)] = values
    return out


def _sparse_to_dense_grad(op, g):
    indices, _, values, _ = op.inputs
    if indices.shape.ndims == 1:
        indices = array_ops.expand_dims(indices, 1)
    values_grad = array_ops.gather_nd(g, indices)
    default_grad = math_ops.reduce_sum(g) - math_ops.reduce_sum(values_grad)
    return [None, None, array_ops.reshape(values_grad, array_ops.shape(values)), default_grad]


SparseToDense = defop("SparseToDense", shape=_sparse_to_dense_shape, ref=_sparse_to_dense_ref,
                      grad=_sparse_to_dense_grad)


# -- SparseTensorDenseMatMul ----------------------------------------------------------------------
def _sparse_matmul_shape(a_indices, a_values, a_shape, b, *, adjoint_a=False, adjoint_b=False):
    if a_values.dtype.base_dtype != b.dtype.base_dtype:
        raise TypeError("Input 'b' of 'SparseTensorDenseMatMul' Op has type %s that does not "
                        "match type %s of argument 'a_values'."
                        % (b.dtype.base_dtype.name, a_values.dtype.base_dtype.name))
    a_dims = _shape_from_tensor(a_shape)
    a_dims = a_dims.as_list() if a_dims.ndims == 2 else [None, None]
    b_dims = b.shape.with_rank(2).as_list() if b.shape.ndims is not None else [None, None]
    rows, inner = (a_dims[1], a_dims[0]) if adjoint_a else (a_dims[0], a_dims[1])
    b_inner, cols = (b_dims[1], b_dims[0]) if adjoint_b else (b_dims[0], b_dims[1])
    if inner is not None and b_inner is not None and inner != b_inner:
        raise ValueError("Dimensions must be equal, but are %d and %d for "
                         "'SparseTensorDenseMatMul'" % (inner, b_inner))
    return Spec([rows, cols], a_values.dtype.base_dtype)


def _sparse_matmul_ref(a_indices, a_values, a_shape, b, *, adjoint_a=False, adjoint_b=False):
    shape = [int(d) for d in np.reshape(a_shape, [-1])]
    indices = _check_in_bounds(a_indices, shape)
    rows, cols = indices[:, 0], indices[:, 1]
    if adjoint_a:
        rows, cols = cols, rows
        shape = shape[::-1]
    dense_b = b.T if adjoint_b else b
    if dense_b.shape[0] != shape[1]:
        raise ValueError("Cannot multiply A and B because inner dimension does not match: "
                         "%d vs. %d" % (shape[1], dense_b.shape[0]))
    out = np.zeros((shape[0], dense_b.shape[1]), dtype=b.dtype)
    np.add.at(out, rows, a_values[:, None] * dense_b[cols])
    return out


def _sparse_matmul_grad(op, g):
    indices, values, shape, b = op.inputs
    adjoint_a, adjoint_b = op.get_attr("adjoint_a"), op.get_attr("adjoint_b")
    # d b: A^T g (or its transpose when b enters adjointed).
    b_grad = SparseTensorDenseMatMul(indices, values, shape, g, adjoint_a=not adjoint_a)
    if adjoint_b:
        b_grad = array_ops.transpose(b_grad)
    # d values[n] for the entry (i, j): sum_k g[i, k] * B[j, k] (rows and columns swapped under
    # adjoint_a).
    rows = array_ops.gather(indices, 1 if adjoint_a else 0, axis=1)
    cols = array_ops.gather(indices, 0 if adjoint_a else 1, axis=1)
    dense_b = array_ops.transpose(b) if adjoint_b else b
    values_grad = math_ops.reduce_sum(array_ops.gather(g, rows) * array_ops.gather(dense_b, cols),
                                      axis=1)
    return [None, values_grad, None, b_grad]


SparseTensorDenseMatMul = defop("SparseTensorDenseMatMul", shape=_sparse_matmul_shape,
                                ref=_sparse_matmul_ref, grad=_sparse_matmul_grad)


# -- SparseReduceSum ------------------------------------------------------------------------------
def _sparse_reduce_shape(input_indices, input_values, input_shape, reduction_axes, *,
                         keep_dims=False):
    dims = _shape_from_tensor(input_shape)
    axes = constant_value(reduction_axes)
    dtype = input_values.dtype.base_dtype
    if dims.ndims is None or axes is None or None in dims.as_list():
        return Spec(tensor_shape.unknown_shape(), dtype)
    dims = dims.as_list()
    rank = len(dims)
    reduced = {int(a) % rank for a in np.reshape(axes, [-1])} if rank else set()
    if keep_dims:
        return Spec([1 if i in reduced else d for i, d in enumerate(dims)], dtype)
    return Spec([d for i, d in enumerate(dims) if i not in reduced], dtype)


def _sparse_reduce_ref(input_indices, input_values, input_shape, reduction_axes, *,
                       keep_dims=False):
    shape = [int(d) for d in np.reshape(input_shape, [-1])]
    dense = np.zeros(shape, dtype=input_values.dtype)
    np.add.at(dense, tuple(_check_in_bounds(input_indices, shape).T), input_values)
    rank = len(shape)
    axes = np.reshape(reduction_axes, [-1])
    for a in axes:
        if not -rank <= int(a) < rank:
            raise ValueError("Invalid reduction dimension %d, for input with %d dimensions."
                             % (int(a), rank))
    axes = tuple(sorted({int(a) % rank for a in axes}))
    return np.asarray(dense.sum(axis=axes, keepdims=keep_dims), dtype=input_values.dtype)


def _sparse_reduce_grad(op, g):
    indices, _, shape, axes = op.inputs
    kept = math_ops.ReducedShape(shape, math_ops.cast(axes, dtypes.int64))
    spread = array_ops.reshape(g, kept) * array_ops.ones(shape, g.dtype)
    return [None, array_ops.gather_nd(spread, indices), None, None]


SparseReduceSum = defop("SparseReduceSum", shape=_sparse_reduce_shape, ref=_sparse_reduce_ref,
                        grad=_sparse_reduce_grad)


# -- SparseTensorDenseAdd -------------------------------------------------------------------------
def _sparse_dense_add_shape(a_indices, a_values, a_shape, b):
    if a_values.dtype.base_dtype != b.dtype.base_dtype:
        raise TypeError("Input 'b' of 'SparseTensorDenseAdd' Op has type %s that does not match "
                        "type %s of argument 'a_values'." % (b.dtype.base_dtype.name,
                                                             a_values.dtype.base_dtype.name))
    return Spec(b.shape, b.dtype.base_dtype)


def _sparse_dense_add_ref(a_indices, a_values, a_shape, b):
    shape = [int(d) for d in np.reshape(a_shape, [-1])]
    if list(b.shape) != shape:
        raise ValueError("Dimensions of the sparse and dense operands must match, got %s and %s"
                         % (shape, list(b.shape)))
    out = np.array(b, copy=True)
    np.add.at(out, tuple(_check_in_bounds(a_indices, shape).T), a_values)
    return out


SparseTensorDenseAdd = defop(
    "SparseTensorDenseAdd", shape=_sparse_dense_add_shape, ref=_sparse_dense_add_ref,
    grad=lambda op, g: [None, array_ops.gather_nd(g, op.inputs[0]), None, g])

