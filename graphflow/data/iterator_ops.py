"""TF1's dataset iterators: graph ops over an iterator that each Session keeps for itself.

``IteratorV2`` / ``OneShotIterator`` produce a handle to the session's iterator of that name
(``Session.iterators``), as a variable op gives its session's value; ``MakeIterator`` starts it
on a dataset with the values its pipeline reads at that moment; every ``IteratorGetNext`` op
draws one element per run. All are stateful: never folded, merged or run twice in one run.
"""
import threading

import numpy as np

from ..framework import dtypes, errors, tensor_shape
from ..ops.registry import ALL_INPUTS, NOT_DIFFERENTIABLE, Spec, defop
from . import structure as nest
from .dataset_ops import DatasetV1, Pipeline, StructuredElements, TensorSpec


class IteratorResource:
    """One session's position in one iterator: the generator of the dataset it was last
    started on. Runs of one session may call it from several threads."""

    def __init__(self, name):
        self.name = name
        self._elements = None
        self._lock = threading.Lock()

    def start(self, elements):
        with self._lock:
            self._elements = elements

    def start_once(self, make_elements):
        """For a one-shot iterator: started on first use, never again (even once exhausted)."""
        with self._lock:
            if self._elements is None:
                self._elements = make_elements()

    def next(self, output_types):
        with self._lock:
            if self._elements is None:
                raise errors.FailedPreconditionError(
                    None, None, "GetNext() failed because the iterator has not been "
                    "initialized. Ensure that you have run the initializer operation for this "
                    "iterator before getting the next element.")
            try:
                element = next(self._elements)
            except StopIteration:
                raise errors.OutOfRangeError(None, None, "End of sequence") from None
        values = tuple(np.asarray(value, dtype.numpy_dtype)
                       for value, dtype in zip(element, output_types))
        return values if len(values) != 1 else values[0]

    def __repr__(self):
        return "<IteratorResource %s>" % self.name


def _handle_shape(*inputs, **attrs):
    return Spec(tensor_shape.TensorShape([]), dtypes.resource)


def _iterator_ref(iterators, *, shared_name, output_types, output_shapes):
    return iterators.get(shared_name, IteratorResource)


def _one_shot_ref(iterators, compiled, *captured, pipeline, functions, shared_name,
                  output_types, output_shapes):
    resource = iterators.get(shared_name, IteratorResource)
    resource.start_once(lambda: pipeline.elements(captured, compiled))
    return resource


def _make_iterator_ref(compiled, handle, *captured, pipeline, functions):
    handle.start(pipeline.elements(captured, compiled))


def _get_next_shape(handle, *, output_types, output_shapes):
    return [Spec(shape, dtype) for dtype, shape in zip(output_types, output_shapes)]


def _get_next_ref(handle, *, output_types, output_shapes):
    return handle.next(output_types)


def _to_string_handle_ref(handle):
    return np.array(handle.name.encode(), dtype=object)


def _from_string_handle_ref(iterators, string_handle, *, output_types, output_shapes):
    name = np.asarray(string_handle, dtype=object)[()]
    name = name.decode() if isinstance(name, bytes) else str(name)
    resource = iterators.lookup(name)
    if resource is None:
        raise errors.InvalidArgumentError(
            None, None, "Could not find an iterator with string handle %r in this session: "
            "run the string_handle() tensor of an iterator in the same session" % name)
    return resource


IteratorV2 = defop("IteratorV2", shape=_handle_shape, ref=_iterator_ref, needs=("iterators",),
                   stateful=True, grad=NOT_DIFFERENTIABLE)
# Captured pipeline inputs pass as handles when they are variables: read at start.
OneShotIterator = defop("OneShotIterator", shape=_handle_shape, ref=_one_shot_ref,
                        needs=("iterators", "compiled"), stateful=True, ref_inputs=ALL_INPUTS,
                        grad=NOT_DIFFERENTIABLE)
MakeIterator = defop("MakeIterator", shape=lambda handle, *captured, **attrs: [],
                     ref=_make_iterator_ref, needs=("compiled",), stateful=True,
                     ref_inputs=ALL_INPUTS, grad=NOT_DIFFERENTIABLE)
IteratorGetNext = defop("IteratorGetNext", shape=_get_next_shape, ref=_get_next_ref,
                        stateful=True, grad=NOT_DIFFERENTIABLE)
IteratorToStringHandle = defop(
    "IteratorToStringHandle", shape=lambda handle: Spec(tensor_shape.TensorShape([]),
                                                        dtypes.string),
    ref=_to_string_handle_ref, stateful=True, grad=NOT_DIFFERENTIABLE)
IteratorFromStringHandleV2 = defop(
    "IteratorFromStringHandleV2", shape=_handle_shape, ref=_from_string_handle_ref,
    needs=("iterators",), stateful=True, grad=NOT_DIFFERENTIABLE)


def _named_after_op(op):
    """An iterator without a shared_name is its op's own: named after it."""
    if not op.get_attr("shared_name"):
        op._set_attr("shared_name", op.name)
    return op


def _flat_attrs(structure):
    specs = nest.flatten(structure)
    return dict(output_types=tuple(s.dtype for s in specs),
                output_shapes=tuple(s.shape for s in specs))


class Iterator(StructuredElements):
    """``tf.data.Iterator`` (TF1): a handle to a session-held position in a dataset."""

    def __init__(self, iterator_resource, initializer, structure):
        self._iterator_resource = iterator_resource
        self._initializer = initializer
        self._structure = structure
        self._string_handle = IteratorToStringHandle(iterator_resource)

    @staticmethod
    def from_structure(output_types, output_shapes=None, shared_name=None,
                       output_classes=None):
        structure = _structure_from(output_types, output_shapes)
        handle = IteratorV2(name="IteratorV2", shared_name=shared_name or "",
                            **_flat_attrs(structure))
        _named_after_op(handle.op)
        return Iterator(handle, None, structure)

    @staticmethod
    def from_string_handle(string_handle, output_types, output_shapes=None,
                           output_classes=None):
        structure = _structure_from(output_types, output_shapes)
        handle = IteratorFromStringHandleV2(string_handle, **_flat_attrs(structure))
        return Iterator(handle, None, structure)

    @property
    def initializer(self):
        if self._initializer is None:
            raise ValueError("The iterator does not have an initializer. This means it was "
                             "likely created using `tf.data.Dataset.make_one_shot_iterator()`. "
                             "For an initializable iterator, use "
                             "`tf.data.Dataset.make_initializable_iterator()` instead.")
        return self._initializer

    def make_initializer(self, dataset, name=None):
        if not isinstance(dataset, DatasetV1):
            raise TypeError("make_initializer() expects a tf.data.Dataset, got %r" % (dataset,))
        if not nest.same_nesting(self._structure, dataset._structure):
            raise TypeError("Expected output types %r but got dataset with output types %r."
                            % (self.output_types, dataset.output_types))
        for mine, theirs in zip(nest.flatten(self._structure), dataset._flat_specs()):
            if mine.dtype != theirs.dtype:
                raise TypeError("Expected output types %r but got dataset with output types %r."
                                % (self.output_types, dataset.output_types))
            if not mine.shape.is_compatible_with(theirs.shape):
                raise TypeError("Expected output shapes compatible with %r but got dataset with "
                                "output shapes %r." % (self.output_shapes,
                                                       dataset.output_shapes))
        return _make_iterator(self._iterator_resource, dataset, name or "make_initializer")

    def get_next(self, name=None):
        flat = IteratorGetNext(self._iterator_resource, name=name or "IteratorGetNext",
                               **_flat_attrs(self._structure))
        flat = list(flat) if isinstance(flat, tuple) else [flat]
        return nest.pack(self._structure, flat)

    def get_next_as_optional(self):
        raise TypeError("graphflow's tf.data has no tf.experimental.Optional; catch "
                        "tf.errors.OutOfRangeError from get_next() instead")

    def string_handle(self, name=None):
        if name is None:
            return self._string_handle
        return IteratorToStringHandle(self._iterator_resource, name=name)


def _structure_from(output_types, output_shapes):
    if isinstance(output_types, list):
        output_types = tuple(output_types)
    types = nest.as_dtype_structure(output_types)
    shapes = nest.as_shape_structure(output_shapes, types)
    return nest.pack(types, [TensorSpec(s, t) for s, t in
                             zip(nest.flatten(shapes), nest.flatten(types))])


def _make_iterator(handle, dataset, name):
    pipeline = Pipeline(dataset)
    return MakeIterator(handle, *pipeline.tensors, name=name, pipeline=pipeline,
                        functions=pipeline.function_graphs)


def _placeholder_read_by(tensors):
    """The first placeholder any of ``tensors`` depends on, or None."""
    seen, stack = set(), [t.op for t in tensors]
    while stack:
        op = stack.pop()
        if id(op) in seen:
            continue
        seen.add(id(op))
        if op.type == "Placeholder":
            return op
        stack.extend(t.op for t in op.inputs)
        stack.extend(op.control_inputs)
    return None


def make_one_shot_iterator(dataset):
    """``tf.compat.v1.data.make_one_shot_iterator(dataset)``: starts itself at its first use;
    the dataset may not read placeholders (it has no initializer to feed them to)."""
    if not isinstance(dataset, DatasetV1):
        raise TypeError("make_one_shot_iterator() expects a tf.data.Dataset, got %r"
                        % (dataset,))
    pipeline = Pipeline(dataset)
    placeholder = _placeholder_read_by(pipeline.tensors)
    if placeholder is not None:
        raise ValueError("Cannot capture a placeholder (name:%s, type:Placeholder) by value."
                         % placeholder.name)
    handle = OneShotIterator(*pipeline.tensors, name="OneShotIterator", pipeline=pipeline,
                             functions=pipeline.function_graphs, shared_name="",
                             **_flat_attrs(dataset._structure))
    _named_after_op(handle.op)
    return Iterator(handle, None, dataset._structure)


def make_initializable_iterator(dataset, shared_name=None):
    """``tf.compat.v1.data.make_initializable_iterator(dataset, shared_name=None)``."""
    if not isinstance(dataset, DatasetV1):
        raise TypeError("make_initializable_iterator() expects a tf.data.Dataset, got %r"
                        % (dataset,))
    handle = IteratorV2(name="IteratorV2", shared_name=shared_name or "",
                        **_flat_attrs(dataset._structure))
    _named_after_op(handle.op)
    initializer = _make_iterator(handle, dataset, "MakeIterator")
    return Iterator(handle, initializer, dataset._structure)


def _structure_of(dataset_or_iterator):
    if isinstance(dataset_or_iterator, (DatasetV1, Iterator)):
        return dataset_or_iterator
    raise TypeError("expected a tf.data.Dataset or Iterator, got %r" % (dataset_or_iterator,))


def get_output_types(dataset_or_iterator):
    return _structure_of(dataset_or_iterator).output_types


def get_output_shapes(dataset_or_iterator):
    return _structure_of(dataset_or_iterator).output_shapes


def get_output_classes(dataset_or_iterator):
    return _structure_of(dataset_or_iterator).output_classes
