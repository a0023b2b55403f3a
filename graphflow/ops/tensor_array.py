"""``tf.TensorArray``: a list of tensors that flows through the graph as one value.

TF1 keeps a TensorArray's elements in a mutable resource and threads a "flow" scalar through
the ops to order them. Here the elements themselves are the value: each write returns a new
``TensorListValue`` (a ``variant`` tensor), so a TensorArray passes through ``tf.while_loop``
like any loop variable and its gradient is an ordinary reverse pass over those values.

Gradient lists are sparse: an element never written stands for zeros, so reading an element
twice, or not at all, needs no bookkeeping; the gradient kernels fill the zeros in with the
forward value's shape.
"""
import numpy as np

from ..framework import dtypes, errors, graph as graph_mod, tensor_shape
from .convert import constant_value, convert_to_tensor
from .registry import NOT_DIFFERENTIABLE, Spec, defop


class TensorListValue:
    """The run-time value of a TensorArray: a tuple of arrays, None where not yet written."""

    __slots__ = ("items", "dynamic")

    def __init__(self, items, dynamic):
        self.items = tuple(items)
        self.dynamic = dynamic

    def __repr__(self):
        return "TensorListValue(%d items, %d written)" % (
            len(self.items), sum(item is not None for item in self.items))


def as_list_value(value):
    """A TensorListValue; anything else (the zeros autodiff makes for an unused output) is the
    empty gradient list."""
    return value if isinstance(value, TensorListValue) else TensorListValue((), True)


def add_list_values(*values):
    """Sums gradient lists element by element; missing elements are zeros."""
    values = [as_list_value(v) for v in values]
    length = max(len(v.items) for v in values)
    summed = [None] * length
    for value in values:
        for i, item in enumerate(value.items):
            if item is not None:
                summed[i] = item if summed[i] is None else summed[i] + item
    return TensorListValue(summed, True)


def _invalid(message):
    return errors.InvalidArgumentError(None, None, message)


def _checked_index(value, index, for_write):
    index = int(index)
    size = len(value.items)
    if index < 0 or (index >= size and not (for_write and value.dynamic)):
        if for_write:
            raise _invalid("Tried to write to index %d but array is not resizeable and size "
                           "is: %d" % (index, size))
        raise _invalid("Tried to read from index %d but array size is: %d" % (index, size))
    return index


def _list_shape(*inputs, **attrs):
    return Spec([], dtypes.variant)


def _element_spec(element_shape, dtype, stacked=False):
    """An element's static shape, or (``stacked``) that of elements stacked along a new first
    dimension of unknown length."""
    shape = tensor_shape.as_shape(element_shape)
    if shape.ndims is None:
        return Spec(None, dtype)
    return Spec(([None] if stacked else []) + shape.as_list(), dtype)


# -- the forward ops ------------------------------------------------------------------------
def _new_list(size, *, dtype=dtypes.float32, element_shape=None, dynamic_size=False,
              clear_after_read=True):
    size = int(size)
    if size < 0:
        raise _invalid("Size should be >= 0, got %d" % size)
    return TensorListValue([None] * size, bool(dynamic_size))


TensorArrayV3 = defop("TensorArrayV3", shape=_list_shape, ref=_new_list, grad=NOT_DIFFERENTIABLE)


def _write(handle, index, value):
    index = _checked_index(handle, index, for_write=True)
    items = list(handle.items)
    if index >= len(items):
        items.extend([None] * (index + 1 - len(items)))
    if items[index] is not None:
        raise _invalid("Could not write to TensorArray index %d because it has already been "
                       "written to." % index)
    items[index] = np.asarray(value)
    return TensorListValue(items, handle.dynamic)


def _write_grad(op, grad):
    _, index, value = op.inputs
    return [TensorListDropGrad(grad, index), None, TensorListReadGrad(grad, index, value)]


TensorArrayWriteV3 = defop("TensorArrayWriteV3", shape=_list_shape, ref=_write,
                           grad=_write_grad)


def _read(handle, index, *, dtype=dtypes.float32, element_shape=None):
    index = _checked_index(handle, index, for_write=False)
    item = handle.items[index]
    shape = tensor_shape.as_shape(element_shape)
    if item is None and shape.is_fully_defined():
        # TF reads an element never written as zeros when its shape is known
        return np.zeros(shape.as_list(), dtypes.as_dtype(dtype).as_numpy_dtype)
    if item is None:
        raise _invalid("Could not read from TensorArray index %d because it has not yet been "
                       "written to." % index)
    return item


TensorArrayReadV3 = defop(
    "TensorArrayReadV3",
    shape=lambda handle, index, *, dtype, element_shape: _element_spec(element_shape, dtype),
    ref=_read,
    grad=lambda op, grad: [TensorListOneHotGrad(op.inputs[0], op.inputs[1], grad), None])


def _stack(handle, *, dtype=dtypes.float32, element_shape=None):
    return _gather(handle, np.arange(len(handle.items)), dtype=dtype,
                   element_shape=element_shape)


def _gather(handle, indices, *, dtype=dtypes.float32, element_shape=None):
    items = [_read(handle, i, dtype=dtype, element_shape=element_shape)
             for i in np.asarray(indices).ravel()]
    if not items:
        shape = tensor_shape.as_shape(element_shape)
        if not shape.is_fully_defined():
            raise _invalid("TensorArray has size zero, but element shape %s is not fully "
                           "defined. Currently only static shapes are supported when packing "
                           "zero-size TensorArrays." % shape)
        return np.zeros([0] + shape.as_list(), dtypes.as_dtype(dtype).as_numpy_dtype)
    shapes = {np.shape(item) for item in items}
    if len(shapes) > 1:
        raise _invalid("TensorArray has inconsistent shapes: %s" % sorted(shapes))
    return np.stack(items)


TensorArrayStack = defop(
    "TensorArrayGatherV3Stack",
    shape=lambda handle, *, dtype, element_shape: _element_spec(element_shape, dtype, True),
    ref=_stack, grad=lambda op, grad: [TensorListFromTensorGrad(grad)])

TensorArrayGatherV3 = defop(
    "TensorArrayGatherV3",
    shape=lambda handle, indices, *, dtype, element_shape: _element_spec(
        element_shape, dtype, True),
    ref=_gather,
    grad=lambda op, grad: [TensorListScatterGrad(op.inputs[0], op.inputs[1], grad), None])


def _scatter(handle, indices, value):
    indices = np.asarray(indices).ravel()
    value = np.asarray(value)
    if value.shape[:1] != (len(indices),):
        raise _invalid("Expected len(indices) == values.shape[0], but saw: %d vs. %s"
                       % (len(indices), value.shape[:1]))
    for i, row in zip(indices, value):
        handle = _write(handle, i, row)
    return handle


def _scatter_grad(op, grad):
    _, indices, value = op.inputs
    return [TensorListDropGrad(grad, indices), None,
            TensorListGatherGrad(grad, indices, value)]


TensorArrayScatterV3 = defop("TensorArrayScatterV3", shape=_list_shape, ref=_scatter,
                             grad=_scatter_grad)


def _unstack(handle, value):
    value = np.asarray(value)
    if value.ndim == 0:
        raise _invalid("TensorArray unstack needs a value of rank 1 or more, got a scalar")
    if not handle.dynamic and value.shape[0] > len(handle.items):
        raise _invalid("Tried to write to index %d but array is not resizeable and size is: %d"
                       % (len(handle.items), len(handle.items)))
    return _scatter(handle, np.arange(value.shape[0]), value)


TensorArrayUnstack = defop(
    "TensorArrayScatterV3Unstack", shape=_list_shape, ref=_unstack,
    grad=lambda op, grad: [TensorListDropGrad(grad, TensorListRange(op.inputs[1])),
                           TensorListStackGrad(grad, op.inputs[1])])


def _concat(handle, *, dtype=dtypes.float32, element_shape_except0=None):
    items = [_read(handle, i) for i in range(len(handle.items))]
    lengths = np.array([np.shape(item)[0] for item in items], np.int64)
    if not items:
        shape = tensor_shape.as_shape(element_shape_except0)
        dims = shape.as_list() if shape.is_fully_defined() else []
        return np.zeros([0] + dims, dtypes.as_dtype(dtype).as_numpy_dtype), lengths
    return np.concatenate(items), lengths


def _concat_shape(handle, *, dtype, element_shape_except0):
    rest = tensor_shape.as_shape(element_shape_except0)
    value = Spec(None if rest.ndims is None else [None] + rest.as_list(), dtype)
    return [value, Spec([None], dtypes.int64)]


TensorArrayConcatV3 = defop(
    "TensorArrayConcatV3", shape=_concat_shape, ref=_concat,
    grad=lambda op, grad, _lengths_grad: [TensorListSplitGrad(grad, op.inputs[0])])


def _split(handle, value, lengths):
    value = np.asarray(value)
    lengths = np.asarray(lengths).ravel()
    if lengths.sum() != value.shape[0]:
        raise _invalid("Expected sum of lengths to be equal to values.shape[0], but sum of "
                       "lengths is %d and value's shape is: %s" % (lengths.sum(), value.shape))
    if not handle.dynamic and len(lengths) > len(handle.items):
        raise _invalid("Tried to write to index %d but array is not resizeable and size is: %d"
                       % (len(lengths), len(handle.items)))
    starts = np.concatenate([[0], np.cumsum(lengths)])
    for i in range(len(lengths)):
        handle = _write(handle, i, value[starts[i]:starts[i + 1]])
    return handle


TensorArraySplitV3 = defop(
    "TensorArraySplitV3", shape=_list_shape, ref=_split,
    grad=lambda op, grad: [None, TensorListConcatGrad(grad, op.inputs[1], op.inputs[2]), None])

TensorArraySizeV3 = defop(
    "TensorArraySizeV3", shape=lambda handle: Spec([], dtypes.int32),
    ref=lambda handle: np.int32(len(handle.items)), grad=NOT_DIFFERENTIABLE)


# -- gradient kernels: lenient about elements never written (zeros) --------------------------
def _item_or_zeros(grad_list, index, like):
    items = as_list_value(grad_list).items
    index = int(index)
    if index < len(items) and items[index] is not None:
        return np.asarray(items[index], np.asarray(like).dtype)
    return np.zeros_like(like)


def _drop(grad_list, indices):
    items = list(as_list_value(grad_list).items)
    for i in np.asarray(indices).ravel():
        if int(i) < len(items):
            items[int(i)] = None
    return TensorListValue(items, True)


def _one_hot(handle, index, grad):
    items = [None] * max(len(as_list_value(handle).items), int(index) + 1)
    items[int(index)] = np.asarray(grad)
    return TensorListValue(items, True)


def _scatter_rows(handle, indices, grad):
    """The rows of ``grad`` placed at ``indices`` (summed where an index repeats)."""
    indices = [int(i) for i in np.asarray(indices).ravel()]
    items = [None] * max([len(as_list_value(handle).items)] + [i + 1 for i in indices])
    for i, row in zip(indices, np.asarray(grad)):
        items[i] = row if items[i] is None else items[i] + row
    return TensorListValue(items, True)


def _stack_like(grad_list, value):
    value = np.asarray(value)
    return np.stack([_item_or_zeros(grad_list, i, value[i]) for i in range(value.shape[0])]) \
        if value.shape[0] else np.zeros_like(value)


def _concat_like(grad_list, value, lengths):
    value = np.asarray(value)
    starts = np.concatenate([[0], np.cumsum(np.asarray(lengths).ravel())])
    pieces = [_item_or_zeros(grad_list, i, value[starts[i]:starts[i + 1]])
              for i in range(len(starts) - 1)]
    return np.concatenate(pieces) if pieces else np.zeros_like(value)


def _split_like(grad, handle):
    starts = np.concatenate([[0], np.cumsum([np.shape(item)[0] for item in handle.items])])
    grad = np.asarray(grad)
    return TensorListValue([grad[starts[i]:starts[i + 1]] for i in range(len(starts) - 1)],
                           True)


def _from_tensor(grad):
    return TensorListValue(list(np.asarray(grad)), True)


def _input_spec(position):
    return lambda *inputs: Spec(inputs[position].shape, inputs[position].dtype.base_dtype)


TensorListDropGrad = defop("TensorListDropGrad", shape=_list_shape, ref=_drop,
                           grad=NOT_DIFFERENTIABLE)
TensorListReadGrad = defop("TensorListReadGrad", shape=_input_spec(2), ref=_item_or_zeros,
                           grad=NOT_DIFFERENTIABLE)
TensorListGatherGrad = defop(
    "TensorListGatherGrad", shape=_input_spec(2), grad=NOT_DIFFERENTIABLE,
    ref=lambda grad_list, indices, value: np.stack(
        [_item_or_zeros(grad_list, i, row) for i, row in
         zip(np.asarray(indices).ravel(), np.asarray(value))]) if len(value) else
    np.zeros_like(value))
TensorListOneHotGrad = defop("TensorListOneHotGrad", shape=_list_shape, ref=_one_hot,
                             grad=NOT_DIFFERENTIABLE)
TensorListScatterGrad = defop("TensorListScatterGrad", shape=_list_shape, ref=_scatter_rows,
                              grad=NOT_DIFFERENTIABLE)
TensorListStackGrad = defop("TensorListStackGrad", shape=_input_spec(1), ref=_stack_like,
                            grad=NOT_DIFFERENTIABLE)
TensorListConcatGrad = defop("TensorListConcatGrad", shape=_input_spec(1), ref=_concat_like,
                             grad=NOT_DIFFERENTIABLE)
TensorListSplitGrad = defop("TensorListSplitGrad", shape=_list_shape, ref=_split_like,
                            grad=NOT_DIFFERENTIABLE)
TensorListFromTensorGrad = defop("TensorListFromTensorGrad", shape=_list_shape,
                                 ref=_from_tensor, grad=NOT_DIFFERENTIABLE)
TensorListRange = defop(
    "TensorListRange", shape=lambda value: Spec([None], dtypes.int32), grad=NOT_DIFFERENTIABLE,
    ref=lambda value: np.arange(np.shape(value)[0], dtype=np.int32))
# autodiff sums the gradients of a list consumed twice with this, not AddN
TensorListAddN = defop("TensorListAddN", shape=lambda *lists: Spec([], dtypes.variant),
                       ref=add_list_values, grad=NOT_DIFFERENTIABLE)


# -- the Python object ----------------------------------------------------------------------
class TensorArray:
    """TF1's ``tf.TensorArray``. Every method that changes the array returns a new
    TensorArray (use it, as TF1 requires); all TensorArrays derived from one share what is
    learnt about the element shape, so a write inside a loop body gives the loop's result, and
    its ``stack()``, their static shape."""

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None,
                 tensor_array_name=None, handle=None, flow=None, infer_shape=True,
                 element_shape=None, colocate_with_first_write_call=True, name=None):
        self._dtype = dtypes.as_dtype(dtype).base_dtype
        self._dynamic_size = bool(dynamic_size)
        self._infer_shape = infer_shape
        self._shape_cell = [tensor_shape.as_shape(element_shape)]
        self._size = size
        if flow is not None or handle is not None:
            self._flow = convert_to_tensor(flow if flow is not None else handle)
            return
        if size is None:
            raise ValueError("Size must be provided if handle is not provided")
        with graph_mod.name_scope(name, "TensorArray", [size]) as scope:
            self._flow = TensorArrayV3(
                convert_to_tensor(size, dtype=dtypes.int32), name=tensor_array_name or scope,
                dtype=self._dtype, element_shape=self._shape_cell[0],
                dynamic_size=self._dynamic_size,
                clear_after_read=True if clear_after_read is None else bool(clear_after_read))

    def _with_flow(self, flow):
        new = TensorArray.__new__(TensorArray)
        new._dtype, new._dynamic_size = self._dtype, self._dynamic_size
        new._infer_shape, new._shape_cell = self._infer_shape, self._shape_cell
        new._flow, new._size = flow, self._size
        return new

    dtype = property(lambda self: self._dtype)
    flow = property(lambda self: self._flow)
    handle = property(lambda self: self._flow)
    dynamic_size = property(lambda self: self._dynamic_size)
    element_shape = property(lambda self: self._shape_cell[0])

    def _merge_element_shape(self, shape):
        shape = tensor_shape.as_shape(shape)
        if not self._infer_shape:
            return
        if not self._shape_cell[0].is_compatible_with(shape):
            raise ValueError("Inconsistent shapes: saw %s but expected %s "
                             % (shape, self._shape_cell[0]))
        self._shape_cell[0] = self._shape_cell[0].merge_with(shape)

    def _value(self, value, name="value"):
        value = convert_to_tensor(value, preferred_dtype=self._dtype, name=name)
        if value.dtype.base_dtype != self._dtype:
            raise errors.InvalidArgumentError(
                None, None, "TensorArray dtype is %s but Op is trying to write dtype %s "
                % (self._dtype.name, value.dtype.base_dtype.name))
        return value

    def write(self, index, value, name=None):
        with graph_mod.name_scope(name, "TensorArrayWrite", [self._flow, index, value]):
            value = self._value(value)
            self._merge_element_shape(value.shape)
            return self._with_flow(TensorArrayWriteV3(
                self._flow, convert_to_tensor(index, dtype=dtypes.int32), value,
                name="TensorArrayWriteV3"))

    def read(self, index, name=None):
        return TensorArrayReadV3(self._flow, convert_to_tensor(index, dtype=dtypes.int32),
                                 name=name or "TensorArrayReadV3", dtype=self._dtype,
                                 element_shape=self.element_shape)

    def _static_size(self):
        """The length a fixed-size array was made with, where known when the graph is built."""
        if self._dynamic_size or self._size is None:
            return None
        known = constant_value(convert_to_tensor(self._size, dtype=dtypes.int32))
        return None if known is None else int(known)

    def stack(self, name=None):
        with graph_mod.name_scope(name, "TensorArrayStack", [self._flow]):
            value = TensorArrayStack(self._flow, name="TensorArrayGatherV3", dtype=self._dtype,
                                     element_shape=self.element_shape)
            if self.element_shape.ndims is not None:
                value.set_shape([self._static_size()] + self.element_shape.as_list())
            return value

    def gather(self, indices, name=None):
        return TensorArrayGatherV3(self._flow, convert_to_tensor(indices, dtype=dtypes.int32),
                                   name=name or "TensorArrayGatherV3", dtype=self._dtype,
                                   element_shape=self.element_shape)

    def concat(self, name=None):
        shape = self.element_shape
        rest = shape[1:] if shape.ndims else tensor_shape.unknown_shape()
        value, _ = TensorArrayConcatV3(self._flow, name=name or "TensorArrayConcatV3",
                                       dtype=self._dtype, element_shape_except0=rest)
        size = self._static_size() if self._infer_shape else None
        if shape.ndims and size is not None and shape[0].value is not None:
            value.set_shape([size * shape[0].value] + shape.as_list()[1:])
        return value

    def unstack(self, value, name=None):
        with graph_mod.name_scope(name, "TensorArrayUnstack", [self._flow, value]):
            value = self._value(value)
            if value.shape.ndims is not None:
                self._merge_element_shape(value.shape[1:])
            return self._with_flow(TensorArrayUnstack(self._flow, value,
                                                      name="TensorArrayScatter"))

    def scatter(self, indices, value, name=None):
        with graph_mod.name_scope(name, "TensorArrayScatter", [self._flow, indices, value]):
            value = self._value(value)
            if value.shape.ndims is not None:
                self._merge_element_shape(value.shape[1:])
            return self._with_flow(TensorArrayScatterV3(
                self._flow, convert_to_tensor(indices, dtype=dtypes.int32), value,
                name="TensorArrayScatterV3"))

    def split(self, value, lengths, name=None):
        with graph_mod.name_scope(name, "TensorArraySplit", [self._flow, value, lengths]):
            value = self._value(value)
            lengths = convert_to_tensor(lengths, dtype=dtypes.int64)
            known = constant_value(lengths)
            if known is not None and value.shape.ndims is not None and \
                    np.size(known) and np.max(known) == np.min(known):
                self._merge_element_shape(
                    tensor_shape.TensorShape([int(np.ravel(known)[0])]).concatenate(
                        value.shape[1:]))
            return self._with_flow(TensorArraySplitV3(self._flow, value, lengths,
                                                      name="TensorArraySplitV3"))

    def size(self, name=None):
        if not self._dynamic_size and self._size is not None:
            return convert_to_tensor(self._size, dtype=dtypes.int32)  # fixed: as TF1 answers
        return TensorArraySizeV3(self._flow, name=name or "TensorArraySizeV3")

    def identity(self):
        from .array import identity
        return self._with_flow(identity(self._flow))

    def close(self, name=None):
        from .state import no_op
        return no_op(name=name)
