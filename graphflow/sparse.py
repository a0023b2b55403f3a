"""``tf.SparseTensor``, ``tf.SparseTensorValue``, ``tf.sparse_placeholder`` and the ``tf.sparse``
namespace (to_dense, sparse_dense_matmul, reduce_sum, add).

A SparseTensor is three graph tensors: ``indices`` [N, rank] int64, ``values`` [N] and
``dense_shape`` [rank] int64. Fetching one from a session gives a SparseTensorValue with the
three arrays, and feeding one takes a SparseTensorValue or an (indices, values, shape) triple.
"""
import collections

import numpy as np

from .framework import dtypes, graph as graph_mod, tensor_shape
from .ops import array as array_ops
from .ops import math as math_ops
from .ops import sparse_ops
from .ops.array import _shape_from_tensor
from .ops.convert import convert_to_tensor

SparseTensorValue = collections.namedtuple("SparseTensorValue",
                                           ["indices", "values", "dense_shape"])


class SparseTensor:
    """indices, values and dense_shape tensors that together describe one sparse tensor."""

    def __init__(self, indices, values, dense_shape):
        with graph_mod.name_scope(None, "SparseTensor", [indices, values, dense_shape]):
            self._indices = convert_to_tensor(indices, dtype=dtypes.int64, name="indices")
            self._values = convert_to_tensor(values, name="values")
            self._dense_shape = convert_to_tensor(dense_shape, dtype=dtypes.int64,
                                                  name="dense_shape")
        indices_shape = self._indices.shape.with_rank(2)
        values_shape = self._values.shape.with_rank(1)
        dense_shape_shape = self._dense_shape.shape.with_rank(1)
        indices_shape[0].merge_with(values_shape[0])
        indices_shape[1].merge_with(dense_shape_shape[0])

    @classmethod
    def from_value(cls, value):
        if isinstance(value, SparseTensor):
            return value
        return cls(value.indices, value.values, value.dense_shape)

    indices = property(lambda self: self._indices)
    values = property(lambda self: self._values)
    dense_shape = property(lambda self: self._dense_shape)
    dtype = property(lambda self: self._values.dtype)
    op = property(lambda self: self._values.op)
    graph = property(lambda self: self._indices.graph)

    @property
    def shape(self):
        """The static dense shape, as far as the dense_shape tensor is known now."""
        return _shape_from_tensor(self._dense_shape)

    def get_shape(self):
        return self.shape

    def eval(self, feed_dict=None, session=None):
        session = session or graph_mod.get_default_session()
        if session is None:
            raise ValueError("Cannot evaluate tensor using `eval()`: No default session is "
                             "registered. Use `with sess.as_default()` or pass an explicit "
                             "session to `eval(session=sess)`")
        return session.run(self, feed_dict)

    def consumers(self):
        return sorted({c for t in (self._indices, self._values, self._dense_shape)
                       for c in t.consumers()}, key=lambda op: op.name)

    # Session.run fetches the three parts and builds a SparseTensorValue from them, and a feed
    # keyed by a SparseTensor feeds each part (graphflow/runtime/fetch.py and session.py).
    def _fetch_parts(self):
        return [self._indices, self._values, self._dense_shape], SparseTensorValue

    def _feed_parts(self):
        return [self._indices, self._values, self._dense_shape]

    def __repr__(self):
        return "SparseTensor(indices=%s, values=%s, dense_shape=%s)" % (
            self._indices, self._values, self._dense_shape)


def sparse_placeholder(dtype, shape=None, name=None):
    """Placeholders for the three parts; a fully given ``shape`` becomes a dense_shape that
    can still be fed (TF's PlaceholderWithDefault)."""
    def part_name(part):
        return None if name is None else "%s/%s" % (name, part)

    if shape is None:
        dense_shape = array_ops.placeholder(dtypes.int64, shape=[None],
                                            name=part_name("shape"))
        rank = None
    else:
        shape = tensor_shape.as_shape(shape)
        rank = shape.ndims
        if shape.is_fully_defined():
            dense_shape = array_ops.placeholder_with_default(
                np.array(shape.as_list(), np.int64), shape=[rank])
        else:
            dense_shape = array_ops.placeholder(dtypes.int64, shape=[rank],
                                                name=part_name("shape"))
    values = array_ops.placeholder(dtype, shape=[None], name=part_name("values"))
    indices = array_ops.placeholder(dtypes.int64, shape=[None, rank], name=part_name("indices"))
    return SparseTensor(indices, values, dense_shape)


def _as_sparse(sp_input):
    if isinstance(sp_input, SparseTensorValue):
        return SparseTensor.from_value(sp_input)
    if not isinstance(sp_input, SparseTensor):
        raise TypeError("Input must be a SparseTensor.")
    return sp_input


def sparse_to_dense(sparse_indices, output_shape, sparse_values, default_value=0,
                    validate_indices=True, name=None):
    sparse_values = convert_to_tensor(sparse_values, name="sparse_values")
    default = convert_to_tensor(default_value, dtype=sparse_values.dtype.base_dtype,
                                name="default_value")
    return sparse_ops.SparseToDense(sparse_indices, output_shape, sparse_values, default,
                                    name=name or "SparseToDense",
                                    validate_indices=validate_indices)


def to_dense(sp_input, default_value=None, validate_indices=True, name=None):
    sp_input = _as_sparse(sp_input)
    if default_value is None:
        default_value = np.zeros([], sp_input.dtype.base_dtype.as_numpy_dtype)
    return sparse_to_dense(sp_input.indices, sp_input.dense_shape, sp_input.values,
                           default_value=default_value, validate_indices=validate_indices,
                           name=name)


def sparse_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None):
    """sp_a @ b with a sparse rank-2 ``sp_a`` and a dense matrix ``b``."""
    sp_a = _as_sparse(sp_a)
    with graph_mod.name_scope(name, "SparseTensorDenseMatMul", [sp_a.indices, sp_a.values, b]):
        b = convert_to_tensor(b, name="b")
        return sparse_ops.SparseTensorDenseMatMul(sp_a.indices, sp_a.values, sp_a.dense_shape,
                                                  b, adjoint_a=adjoint_a, adjoint_b=adjoint_b)


def reduce_sum(sp_input, axis=None, keepdims=None, reduction_axes=None, keep_dims=None,
               name=None):
    """The sum of a SparseTensor's values over ``axis`` (all axes by default), dense."""
    sp_input = _as_sparse(sp_input)
    axis = reduction_axes if axis is None else axis
    keepdims = keep_dims if keepdims is None else keepdims
    if axis is None:
        rank = sp_input.shape.ndims
        axes = (list(range(rank)) if rank is not None
                else math_ops.range(array_ops.size(sp_input.dense_shape)))
    else:
        axes = axis
    axes = convert_to_tensor(axes, dtype=dtypes.int32, name="reduction_axes")
    return sparse_ops.SparseReduceSum(sp_input.indices, sp_input.values, sp_input.dense_shape,
                                      axes, name=name or "SparseReduceSum",
                                      keep_dims=bool(keepdims))


def add(a, b, threshold=None, thresh=None, name=None):
    """A SparseTensor plus a dense tensor (either order) gives a dense tensor."""
    a_sparse = isinstance(a, (SparseTensor, SparseTensorValue))
    b_sparse = isinstance(b, (SparseTensor, SparseTensorValue))
    if a_sparse == b_sparse:
        raise TypeError("graphflow's tf.sparse.add adds a SparseTensor and a dense Tensor; got "
                        "%s and %s" % (type(a).__name__, type(b).__name__))
    sparse, dense = (a, b) if a_sparse else (b, a)
    sparse = _as_sparse(sparse)
    dense = convert_to_tensor(dense, dtype=sparse.dtype.base_dtype, name="b")
    return sparse_ops.SparseTensorDenseAdd(sparse.indices, sparse.values, sparse.dense_shape,
                                           dense, name=name or "SparseTensorDenseAdd")


SparseTensor.__module__ = __name__
sparse_tensor_to_dense = to_dense
sparse_tensor_dense_matmul = sparse_dense_matmul
sparse_reduce_sum = reduce_sum
sparse_add = add
placeholder = sparse_placeholder
