"""``tf.data.Dataset``: a description of an input pipeline, built in Python while the graph is.

A dataset holds no data of its own at run time. It knows its element structure (dtypes and
static shapes), the graph tensors it reads (``from_tensor_slices(placeholder)``, a tensor batch
size, what a ``map`` function captures) and the functions it runs, traced once into function
graphs. An iterator's initializer op (graphflow/data/iterator_ops.py) takes those tensors as
inputs and the traced functions as compiled runners, and starts ``Dataset._elements``: a Python
generator of elements, each a flat tuple of numpy arrays, that ``get_next`` draws from.
"""
import itertools

import numpy as np

from ..framework import dtypes, errors, graph as graph_mod, random_seed, tensor_shape
from ..framework.graph import Tensor
from ..function import TensorSpec  # tf.TensorSpec: the leaves of element_spec
from ..ops.convert import constant_value, convert_to_tensor
from . import structure as nest

AUTOTUNE = -1
_INFINITE = -1
_function_ids = itertools.count(1)


def _spec_of(tensor):
    return TensorSpec(tensor.shape, tensor.dtype.base_dtype)


def _most_specific_compatible(a, b):
    """The shape both datasets' elements fit (concatenate, repeat of a varying dataset)."""
    if a.ndims is None or b.ndims is None or a.ndims != b.ndims:
        return tensor_shape.unknown_shape()
    return tensor_shape.TensorShape([x if x == y else None
                                     for x, y in zip(a.as_list(), b.as_list())])


def _normalize_element(value, scope):
    """A user's element (from_tensors / from_tensor_slices) as a structure of tensors, named as
    TF names them (``tensors/component_0``...)."""
    with graph_mod.name_scope(scope):
        flat = nest.flatten(value)
        tensors = [_as_component(leaf, "component_%d" % i) for i, leaf in enumerate(flat)]
        return nest.pack(value, tensors)


def _as_component(leaf, name):
    if isinstance(leaf, Tensor):
        return leaf
    if hasattr(leaf, "_as_graph_element") or hasattr(leaf, "initialized_value"):
        return convert_to_tensor(leaf)  # a Variable: its value when the iterator starts
    return convert_to_tensor(leaf, name=name)


def _count_param(value, name, dtype=dtypes.int64):
    """A scalar parameter (batch size, count, buffer size): a Python int stays one; a tensor is
    read when the iterator is initialized."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    tensor = convert_to_tensor(value, dtype=dtype, name=name)
    if tensor.shape.ndims not in (None, 0):
        raise ValueError("%s must be a scalar, got a tensor of shape %s" % (name, tensor.shape))
    known = constant_value(tensor)
    return int(known) if known is not None else tensor


def _dereferenced(value):
    """A variable handle's value at this moment; any other value as it is."""
    return value.value() if hasattr(value, "value") and callable(value.value) else value


class _RunContext:
    """What one initialization of an iterator gives its pipeline: the captured tensors'
    values, runners for the traced functions, and state that lasts until the next
    initialization (shuffle generators, caches)."""

    def __init__(self, pipeline, values, runners):
        self._values = values
        self._tensor_index = pipeline.tensor_index
        self._runners = dict(zip(pipeline.function_ids, runners))
        self.state = {}

    def value(self, param):
        """A count parameter's or a captured tensor's value (variables are read now)."""
        if isinstance(param, Tensor):
            return _dereferenced(self._values[self._tensor_index[id(param)]])
        return param

    def raw_value(self, tensor):
        return self._values[self._tensor_index[id(tensor)]]

    def runner(self, function):
        return self._runners[id(function)]


class Pipeline:
    """A dataset and everything an iterator op needs to start it: the graph tensors the whole
    pipeline reads (the op's inputs, in this order) and its traced functions (the op's
    ``functions`` attr, compiled by the session)."""

    def __init__(self, dataset):
        self.dataset = dataset
        self.tensors, self.functions = [], []
        seen = set()
        for node in dataset._pipeline_nodes():
            for tensor in node._captured_tensors():
                if id(tensor) not in seen:
                    seen.add(id(tensor))
                    self.tensors.append(tensor)
            for function in node._functions():
                if id(function) not in seen:
                    seen.add(id(function))
                    self.functions.append(function)
        self.tensor_index = {id(t): i for i, t in enumerate(self.tensors)}
        self.function_ids = [id(f.graph) for f in self.functions]

    @property
    def function_graphs(self):
        return tuple(f.graph for f in self.functions)

    def elements(self, values, runners):
        context = _RunContext(self, list(values), runners)
        return self.dataset._elements(context)

    def __repr__(self):
        return "<Pipeline %s>" % type(self.dataset).__name__


class StructuredFunction:
    """A user function over elements (``map``, ``filter``), traced once into a function graph
    whose inputs are the flat components; captured outer tensors become pipeline inputs."""

    def __init__(self, fn, input_structure, kind, graph):
        from ..ops.array import Placeholder
        from ..ops.control_flow import FuncGraph
        fn_name = getattr(fn, "__name__", "fn").replace("<", "").replace(">", "")
        name = "Dataset_%s_%s_%d" % (kind, fn_name, next(_function_ids))
        function_graph = FuncGraph(name, graph)
        with function_graph.as_default():
            specs = nest.flatten(input_structure)
            inputs = [Placeholder(name="args_%d" % i, dtype=spec.dtype, shape=spec.shape)
                      for i, spec in enumerate(specs)]
            arguments = nest.pack(input_structure, inputs)
            # TF unpacks a plain tuple into positional arguments; a dict or namedtuple is one.
            result = fn(*arguments) if type(arguments) is tuple else fn(arguments)
            if isinstance(result, list):
                result = tuple(result)  # as TF does, with a warning
            flat = [self._as_inner(function_graph, leaf) for leaf in nest.flatten(result)]
        function_graph.inputs = inputs
        function_graph.outputs = flat
        self.graph = function_graph
        self.output_structure = nest.pack(result, [_spec_of(t) for t in flat])

    @staticmethod
    def _as_inner(function_graph, leaf):
        from ..ops import array as array_ops
        if isinstance(leaf, DatasetV1):
            raise TypeError("a function given to a tf.data transformation returned a Dataset; "
                            "use flat_map to build one dataset from each element")
        tensor = convert_to_tensor(leaf)
        if tensor.graph is not function_graph:
            tensor = array_ops.identity(tensor)
        return tensor

    def captured_tensors(self):
        return [outer for outer, _ in self.graph.captures]

    def __call__(self, context, flat_values):
        captures = [context.raw_value(outer) for outer, _ in self.graph.captures]
        return context.runner(self.graph)(list(flat_values) + captures)


def _check_shape(value, spec, what):
    if spec.shape.ndims is not None and not spec.shape.is_compatible_with(
            tensor_shape.TensorShape(np.shape(value))):
        raise errors.InvalidArgumentError(
            None, None, "%s has shape %s, which is not compatible with its declared shape %s"
            % (what, list(np.shape(value)), spec.shape))


class StructuredElements:
    """The TF1 structure properties of something whose elements follow ``_structure`` (a
    nest of ``TensorSpec``): datasets and iterators."""

    @property
    def element_spec(self):
        return self._structure

    @property
    def output_types(self):
        return nest.map_structure(lambda spec: spec.dtype, self._structure)

    @property
    def output_shapes(self):
        return nest.map_structure(lambda spec: spec.shape, self._structure)

    @property
    def output_classes(self):
        return nest.map_structure(lambda spec: Tensor, self._structure)


class DatasetV1(StructuredElements):
    """Base class of every dataset; subclasses give ``_structure`` and ``_elements``."""

    _structure = None

    # -- what the pipeline is made of --------------------------------------------------------
    def _inputs(self):
        """The datasets this one reads."""
        return []

    def _captured_tensors(self):
        return []

    def _functions(self):
        return []

    def _pipeline_nodes(self):
        yield self
        for child in self._inputs():
            yield from child._pipeline_nodes()

    def _elements(self, context):
        raise TypeError("%s does not produce elements" % type(self).__name__)

    # -- structure ----------------------------------------------------------------------------
    def _flat_specs(self):
        return nest.flatten(self._structure)

    def __iter__(self):
        from .. import eager
        if not eager.executing_eagerly():
            raise RuntimeError("`tf.data.Dataset` only supports Python-style iteration in "
                               "eager mode or within tf.function.")
        return self._eager_elements()

    def _eager_elements(self):
        """Eagerly, a dataset is iterated in Python: its captured tensors already hold values
        and its traced functions run through a session of their own."""
        from .. import eager
        from ..runtime.session import Session
        pipeline = Pipeline(self)
        values = [np.asarray(t) for t in pipeline.tensors]
        runners = [Session(graph=graph)._compile_function(graph)
                   for graph in pipeline.function_graphs]
        specs = self._flat_specs()
        for element in pipeline.elements(values, runners):
            nest_values = [eager.EagerTensor(np.asarray(v, spec.dtype.numpy_dtype), spec.dtype)
                           for v, spec in zip(element, specs)]
            yield nest.pack(self._structure, nest_values)

    def __repr__(self):
        return "<%s element_spec=%r>" % (type(self).__name__, self._structure)

    # -- sources --------------------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors, name=None):
        return TensorSliceDataset(tensors)

    @staticmethod
    def from_tensors(tensors, name=None):
        return TensorDataset(tensors)

    @staticmethod
    def range(*args, output_type=dtypes.int64, name=None):
        return RangeDataset(*args, output_type=output_type)

    @staticmethod
    def zip(datasets, name=None):
        return ZipDataset(datasets)

    @staticmethod
    def from_generator(generator, output_types=None, output_shapes=None, args=None,
                       output_signature=None, name=None):
        return GeneratorDataset(generator, output_types, output_shapes, args, output_signature)

    # -- transformations -----------------------------------------------------------------------
    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        return MapDataset(self, map_func)

    def filter(self, predicate, name=None):
        return FilterDataset(self, predicate)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        return BatchDataset(self, batch_size, drop_remainder)

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None,
                     drop_remainder=False, name=None):
        return PaddedBatchDataset(self, batch_size, padded_shapes, padding_values,
                                  drop_remainder)

    def unbatch(self, name=None):
        return UnbatchDataset(self)

    def repeat(self, count=None, name=None):
        return RepeatDataset(self, count)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None, name=None):
        return ShuffleDataset(self, buffer_size, seed, reshuffle_each_iteration)

    def prefetch(self, buffer_size, name=None):
        _count_param(buffer_size, "buffer_size")
        return self  # elements are made on demand; nothing runs ahead to overlap with

    def take(self, count, name=None):
        return TakeDataset(self, count)

    def skip(self, count, name=None):
        return SkipDataset(self, count)

    def cache(self, filename="", name=None):
        return CacheDataset(self)

    def concatenate(self, dataset, name=None):
        return ConcatenateDataset(self, dataset)

    def enumerate(self, start=0, name=None):
        counter = RangeDataset(start, np.iinfo(np.int64).max)
        return ZipDataset((counter, self))

    def flat_map(self, map_func, name=None):
        return FlatMapDataset(self, map_func)

    def interleave(self, map_func, cycle_length=None, block_length=None,
                   num_parallel_calls=None, deterministic=None, name=None):
        return FlatMapDataset(self, map_func, cycle_length, block_length)

    def apply(self, transformation_func):
        dataset = transformation_func(self)
        if not isinstance(dataset, DatasetV1):
            raise TypeError("`transformation_func` must return a Dataset. Got %r." % (dataset,))
        return dataset

    def with_options(self, options, name=None):
        return self

    # -- iterators (TF1) -----------------------------------------------------------------------
    def make_one_shot_iterator(self):
        from .iterator_ops import make_one_shot_iterator
        return make_one_shot_iterator(self)

    def make_initializable_iterator(self, shared_name=None):
        from .iterator_ops import make_initializable_iterator
        return make_initializable_iterator(self, shared_name)


Dataset = DatasetV1


class TensorSliceDataset(DatasetV1):
    def __init__(self, tensors):
        components = _normalize_element(tensors, "normalize_element")
        self._components = nest.flatten(components)
        if not self._components:
            raise ValueError("Invalid `element`. `element` should not be empty.")
        batch_dim = tensor_shape.Dimension(None)
        for tensor in self._components:
            shape = tensor.shape
            if shape.ndims == 0:
                raise ValueError("Unbatching a tensor is only supported for rank >= 1")
            if shape.ndims is not None:
                first = tensor_shape.Dimension(shape.as_list()[0])
                if not batch_dim.is_compatible_with(first):
                    raise ValueError("Dimensions %s and %s are not compatible"
                                     % (batch_dim.value, first.value))
                batch_dim = batch_dim.merge_with(first)
        self._structure = nest.pack(components, [
            TensorSpec(t.shape[1:] if t.shape.ndims is not None else None, t.dtype.base_dtype)
            for t in self._components])

    def _captured_tensors(self):
        return self._components

    def _elements(self, context):
        values = [np.asarray(context.value(t)) for t in self._components]
        lengths = {len(v) for v in values}
        if len(lengths) > 1:
            raise errors.InvalidArgumentError(
                None, None, "All components of from_tensor_slices must have the same size in "
                "dimension 0, got sizes %s" % [len(v) for v in values])
        for i in range(lengths.pop()):
            yield tuple(v[i] for v in values)


class TensorDataset(DatasetV1):
    def __init__(self, tensors):
        components = _normalize_element(tensors, "normalize_element")
        self._components = nest.flatten(components)
        self._structure = nest.map_structure(_spec_of, components)

    def _captured_tensors(self):
        return self._components

    def _elements(self, context):
        yield tuple(np.asarray(context.value(t)) for t in self._components)


class RangeDataset(DatasetV1):
    def __init__(self, *args, output_type=dtypes.int64):
        if not 1 <= len(args) <= 3:
            raise ValueError("Invalid arguments to RangeDataset: %r" % (args,))
        start, stop, step = (0, args[0], 1) if len(args) == 1 else (tuple(args) + (1,))[:3]
        self._params = [_count_param(v, name) for v, name in
                        zip((start, stop, step), ("start", "stop", "step"))]
        self._dtype = dtypes.as_dtype(output_type)
        self._structure = TensorSpec([], self._dtype)

    def _captured_tensors(self):
        return [p for p in self._params if isinstance(p, Tensor)]

    def _elements(self, context):
        start, stop, step = (int(context.value(p)) for p in self._params)
        if step == 0:
            raise errors.InvalidArgumentError(None, None, "step must be a non-zero integer.")
        numpy_type = self._dtype.numpy_dtype
        value = start
        while (step > 0 and value < stop) or (step < 0 and value > stop):
            yield (np.asarray(value, numpy_type),)
            value += step


class ZipDataset(DatasetV1):
    def __init__(self, datasets):
        if isinstance(datasets, list):
            datasets = tuple(datasets)
        self._datasets = datasets
        self._children = nest.flatten(datasets)
        for child in self._children:
            if not isinstance(child, DatasetV1):
                raise TypeError("Invalid `datasets`. `datasets` is expected to be a (nested) "
                                "structure of `tf.data.Dataset` objects. Encountered object "
                                "with type %s." % type(child).__name__)
        self._structure = nest.pack(datasets, [child._structure for child in self._children])

    def _inputs(self):
        return self._children

    def _elements(self, context):
        for parts in zip(*[child._elements(context) for child in self._children]):
            yield tuple(value for part in parts for value in part)


class ConcatenateDataset(DatasetV1):
    def __init__(self, first, second):
        if not nest.same_nesting(first._structure, second._structure):
            raise TypeError("Incompatible dataset elements:\n  %r vs.   %r"
                            % (first._structure, second._structure))
        for a, b in zip(first._flat_specs(), second._flat_specs()):
            if a.dtype != b.dtype:
                raise TypeError("Incompatible dataset elements:\n  %r vs.   %r"
                                % (first.output_types, second.output_types))
        self._first, self._second = first, second
        self._structure = nest.pack(first._structure, [
            TensorSpec(_most_specific_compatible(a.shape, b.shape), a.dtype)
            for a, b in zip(first._flat_specs(), second._flat_specs())])

    def _inputs(self):
        return [self._first, self._second]

    def _elements(self, context):
        yield from self._first._elements(context)
        yield from self._second._elements(context)


class GeneratorDataset(DatasetV1):
    def __init__(self, generator, output_types, output_shapes, args, output_signature):
        if not callable(generator):
            raise TypeError("`generator` must be a Python callable.")
        if output_signature is not None:
            output_types = nest.map_structure(lambda s: s.dtype, output_signature)
            output_shapes = nest.map_structure(lambda s: s.shape, output_signature)
        if output_types is None:
            raise TypeError("The `output_types` argument can not be None.")
        if isinstance(output_types, list):
            output_types = tuple(output_types)
        types = nest.as_dtype_structure(output_types)
        shapes = nest.as_shape_structure(output_shapes, types)
        self._generator = generator
        self._args = [] if args is None else [
            convert_to_tensor(a, name="generator_arg_%d" % i) for i, a in enumerate(args)]
        self._structure = nest.pack(types, [
            TensorSpec(s, t) for s, t in zip(nest.flatten(shapes), nest.flatten(types))])

    def _captured_tensors(self):
        return self._args

    def _elements(self, context):
        args = [_python_argument(context.value(a)) for a in self._args]
        specs = self._flat_specs()
        for element in self._generator(*args):
            if isinstance(element, list) and nest.is_nested(self._structure):
                element = tuple(element)
            try:
                values = nest.flatten_up_to(self._structure, element)
            except (TypeError, ValueError) as e:
                raise errors.InvalidArgumentError(
                    None, None, "TypeError: `generator` yielded an element that did not match "
                    "the expected structure. The expected structure was %r, but the yielded "
                    "element was %r. (%s)" % (self.output_types, element, e)) from None
            arrays = []
            for value, spec in zip(values, specs):
                array = _converted(value, spec.dtype)
                _check_shape(array, spec, "`generator` yielded an element that")
                arrays.append(array)
            yield tuple(arrays)


def _python_argument(value):
    """Generator arguments arrive as numpy values, as TF passes them (strings as bytes)."""
    array = np.asarray(value)
    return array[()] if array.ndim == 0 else array


def _converted(value, dtype):
    numpy_dtype = dtype.numpy_dtype
    try:
        if dtype == dtypes.string:
            array = np.asarray(value, dtype=object)
            return np.vectorize(lambda s: s.encode() if isinstance(s, str) else s,
                                otypes=[object])(array) if array.size else array
        array = np.asarray(value)
        if array.dtype.kind in "OSU" or (array.dtype.kind == "f" and dtype.is_integer):
            raise TypeError("cannot convert %r to %s" % (value, dtype.name))
        return array.astype(numpy_dtype, copy=False)
    except (TypeError, ValueError) as e:
        raise errors.InvalidArgumentError(
            None, None, "TypeError: `generator` yielded an element that could not be converted "
            "to the expected type. The expected type was %s, but the yielded element was %r. "
            "(%s)" % (dtype.name, value, e)) from None


class _UnaryDataset(DatasetV1):
    def __init__(self, input_dataset):
        if not isinstance(input_dataset, DatasetV1):
            raise TypeError("expected a Dataset, got %r" % (input_dataset,))
        self._input = input_dataset

    def _inputs(self):
        return [self._input]


class _FunctionDataset(_UnaryDataset):
    """A dataset that runs the function it traced, ``self._function``, on its input."""

    def _captured_tensors(self):
        return self._function.captured_tensors()

    def _functions(self):
        return [self._function]


class MapDataset(_FunctionDataset):
    def __init__(self, input_dataset, map_func):
        super().__init__(input_dataset)
        self._function = StructuredFunction(map_func, input_dataset._structure, "map",
                                            graph_mod.get_default_graph())
        self._structure = self._function.output_structure

    def _elements(self, context):
        for element in self._input._elements(context):
            yield tuple(self._function(context, element))


class FilterDataset(_FunctionDataset):
    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset)
        self._function = StructuredFunction(predicate, input_dataset._structure, "filter",
                                            graph_mod.get_default_graph())
        spec = self._function.output_structure
        if not isinstance(spec, TensorSpec) or spec.dtype != dtypes.bool or \
                spec.shape.ndims not in (None, 0):
            raise ValueError("Invalid `predicate`. `predicate` must return a `tf.bool` scalar "
                             "tensor, but its return type is %r." % (spec,))
        self._structure = input_dataset._structure

    def _elements(self, context):
        for element in self._input._elements(context):
            if bool(np.asarray(self._function(context, element)[0])):
                yield element


class FlatMapDataset(_FunctionDataset):
    """``flat_map`` / ``interleave``: ``map_func`` builds a dataset from each element. The
    inner dataset is built while tracing, from the element's placeholders; at run time the
    traced function computes the tensors it reads, and it is started with those."""

    def __init__(self, input_dataset, map_func, cycle_length=None, block_length=None):
        super().__init__(input_dataset)
        holder = {}

        def build(*args):
            inner = map_func(*args)
            if not isinstance(inner, DatasetV1):
                raise TypeError("`map_func` must return a `Dataset` object. Got %s"
                                % type(inner).__name__)
            holder["dataset"] = inner
            holder["pipeline"] = Pipeline(inner)
            return tuple(holder["pipeline"].tensors)

        self._function = StructuredFunction(
            lambda *args: build(*args), input_dataset._structure, "flat_map",
            graph_mod.get_default_graph())
        self._inner = holder["pipeline"]
        if self._inner.functions:
            raise ValueError("graphflow's flat_map/interleave cannot run a dataset whose own "
                             "transformations trace functions (map, filter) inside map_func; "
                             "apply them to the flat_map's result instead")
        self._cycle_length = 1 if cycle_length in (None, AUTOTUNE) else \
            int(_count_param(cycle_length, "cycle_length"))
        self._block_length = 1 if block_length is None else \
            int(_count_param(block_length, "block_length"))
        self._structure = self._inner.dataset._structure

    def _elements(self, context):
        sources = (self._inner.elements(self._function(context, element), [])
                   for element in self._input._elements(context))
        if self._cycle_length <= 1:
            for inner in sources:
                yield from inner
            return
        # interleave: take block_length elements from each of cycle_length open inputs in turn
        open_inputs = list(itertools.islice(sources, self._cycle_length))
        while open_inputs:
            still_open = []
            for inner in open_inputs:
                block = list(itertools.islice(inner, self._block_length))
                yield from block
                if len(block) == self._block_length:
                    still_open.append(inner)
                else:
                    replacement = next(sources, None)
                    if replacement is not None:
                        still_open.append(replacement)
            open_inputs = still_open


class BatchDataset(_UnaryDataset):
    def __init__(self, input_dataset, batch_size, drop_remainder):
        super().__init__(input_dataset)
        self._batch_size = _count_param(batch_size, "batch_size")
        self._drop_remainder = drop_remainder
        known = isinstance(self._batch_size, int) and drop_remainder is True
        batch_dim = self._batch_size if known else None
        self._structure = nest.map_structure(
            lambda spec: TensorSpec(tensor_shape.TensorShape([batch_dim]).concatenate(
                spec.shape), spec.dtype), input_dataset._structure)

    def _captured_tensors(self):
        return [self._batch_size] if isinstance(self._batch_size, Tensor) else []

    def _elements(self, context):
        batch_size = int(context.value(self._batch_size))
        if batch_size <= 0:
            raise errors.InvalidArgumentError(None, None, "Batch size must be greater than zero.")
        source = self._input._elements(context)
        while True:
            rows = list(itertools.islice(source, batch_size))
            if not rows or (len(rows) < batch_size and self._drop_remainder):
                return
            yield self._stack(rows)

    @staticmethod
    def _stack(rows):
        batch = []
        for index in range(len(rows[0])):
            column = [np.asarray(row[index]) for row in rows]
            first = column[0].shape
            for i, value in enumerate(column[1:], 1):
                if value.shape != first:
                    raise errors.InvalidArgumentError(
                        None, None, "Cannot batch tensors with different shapes in component "
                        "%d. First element had shape %s and element %d had shape %s."
                        % (index, list(first), i, list(value.shape)))
            batch.append(np.stack(column))
        return tuple(batch)


class PaddedBatchDataset(_UnaryDataset):
    def __init__(self, input_dataset, batch_size, padded_shapes, padding_values,
                 drop_remainder):
        super().__init__(input_dataset)
        self._batch_size = _count_param(batch_size, "batch_size")
        self._drop_remainder = drop_remainder
        specs = input_dataset._flat_specs()
        if padded_shapes is None:
            padded_shapes = nest.map_structure(lambda spec: spec.shape,
                                               input_dataset._structure)
        shapes = [tensor_shape.as_shape([None if d in (-1, None) else d for d in s]
                                        if isinstance(s, (list, tuple)) else s)
                  for s in nest.flatten_up_to(input_dataset._structure, padded_shapes)]
        for shape, spec in zip(shapes, specs):
            if shape.ndims is None:
                raise ValueError("Padded shape %s must be a 1-D tensor of tf.int64 values" %
                                 shape)
            if spec.shape.ndims is not None and not \
                    spec.shape.is_compatible_with(tensor_shape.TensorShape([None] * shape.ndims)):
                raise ValueError("The padded shape %s is not compatible with the shape %s of "
                                 "the corresponding input component." % (shape, spec.shape))
            if spec.shape.ndims is not None:
                for padded, actual in zip(shape.as_list(), spec.shape.as_list()):
                    if padded is not None and actual is not None and actual > padded:
                        raise ValueError("The padded shape %s is not compatible with the shape "
                                         "%s of the corresponding input component."
                                         % (shape, spec.shape))
        self._padded_shapes = shapes
        if padding_values is None:
            values = [b"" if spec.dtype == dtypes.string else 0 for spec in specs]
        else:
            values = nest.flatten_up_to(input_dataset._structure, padding_values)
        self._padding_values = [np.asarray(_static_value(v), spec.dtype.numpy_dtype)
                                for v, spec in zip(values, specs)]
        known = isinstance(self._batch_size, int) and drop_remainder is True
        batch_dim = self._batch_size if known else None
        self._structure = nest.pack(input_dataset._structure, [
            TensorSpec(tensor_shape.TensorShape([batch_dim]).concatenate(shape), spec.dtype)
            for shape, spec in zip(shapes, specs)])

    def _captured_tensors(self):
        return [self._batch_size] if isinstance(self._batch_size, Tensor) else []

    def _elements(self, context):
        batch_size = int(context.value(self._batch_size))
        source = self._input._elements(context)
        while True:
            rows = list(itertools.islice(source, batch_size))
            if not rows or (len(rows) < batch_size and self._drop_remainder):
                return
            yield tuple(self._pad(index, [np.asarray(row[index]) for row in rows])
                        for index in range(len(rows[0])))

    def _pad(self, index, column):
        padded_shape = self._padded_shapes[index].as_list()
        longest = np.max([value.shape for value in column], axis=0) if column[0].ndim else ()
        target = [int(longest[d]) if size is None else size
                  for d, size in enumerate(padded_shape)]
        batch = np.empty([len(column)] + target, dtype=self._padding_values[index].dtype)
        batch[...] = self._padding_values[index]
        for i, value in enumerate(column):
            if any(s > t for s, t in zip(value.shape, target)):
                raise errors.InvalidArgumentError(
                    None, None, "Attempted to pad to a smaller size than the input element.")
            batch[(i,) + tuple(slice(0, s) for s in value.shape)] = value
        return batch


def _static_value(value):
    if isinstance(value, Tensor):
        known = constant_value(value)
        if known is None:
            raise ValueError("padding_values must be known while the graph is built")
        return known
    return value


class UnbatchDataset(_UnaryDataset):
    def __init__(self, input_dataset):
        super().__init__(input_dataset)
        for spec in input_dataset._flat_specs():
            if spec.shape.ndims == 0:
                raise ValueError("Cannot unbatch an input with scalar components.")
        self._structure = nest.map_structure(
            lambda spec: TensorSpec(spec.shape[1:] if spec.shape.ndims is not None else None,
                                    spec.dtype), input_dataset._structure)

    def _elements(self, context):
        for element in self._input._elements(context):
            arrays = [np.asarray(v) for v in element]
            for i in range(len(arrays[0])):
                yield tuple(a[i] for a in arrays)


class _CountDataset(_UnaryDataset):
    """A dataset that passes its input's elements through, governed by one ``count``."""

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = _count_param(count, "count")
        self._structure = input_dataset._structure

    def _captured_tensors(self):
        return [self._count] if isinstance(self._count, Tensor) else []


class RepeatDataset(_CountDataset):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset, _INFINITE if count is None else count)

    def _elements(self, context):
        count = int(context.value(self._count))
        epoch = 0
        while count < 0 or epoch < count:
            produced = False
            for element in self._input._elements(context):
                produced = True
                yield element
            if not produced:
                return  # repeating an empty dataset forever would never produce anything
            epoch += 1


class TakeDataset(_CountDataset):
    def _elements(self, context):
        count = int(context.value(self._count))
        source = self._input._elements(context)
        yield from (source if count < 0 else itertools.islice(source, count))


class SkipDataset(_CountDataset):
    def _elements(self, context):
        count = int(context.value(self._count))
        source = self._input._elements(context)
        if count < 0:
            return  # skip(-1) skips everything
        yield from itertools.islice(source, count, None)


class ShuffleDataset(_UnaryDataset):
    """TF's buffer shuffle: fill a buffer of ``buffer_size`` elements, hand out a random one
    and put the next input element in its place; drain the buffer at the end."""

    def __init__(self, input_dataset, buffer_size, seed, reshuffle_each_iteration):
        super().__init__(input_dataset)
        self._buffer_size = _count_param(buffer_size, "buffer_size")
        self._seed, self._seed2 = random_seed.get_seed(seed)
        self._reshuffle = True if reshuffle_each_iteration is None else \
            bool(reshuffle_each_iteration)
        self._structure = input_dataset._structure

    def _captured_tensors(self):
        return [self._buffer_size] if isinstance(self._buffer_size, Tensor) else []

    def _generator(self, context):
        """One generator per initialization; without reshuffling, every epoch restarts it from
        the same seed (drawn once per initialization when the program set none)."""
        key = id(self)
        if self._reshuffle:
            if key not in context.state:
                context.state[key] = self._new_generator(self._seeds())
            return context.state[key]
        if key not in context.state:
            context.state[key] = self._seeds()
        return self._new_generator(context.state[key])

    def _seeds(self):
        if self._seed is None:
            return [int(s) for s in np.random.SeedSequence().generate_state(2)]
        return [int(self._seed), int(self._seed2)]

    @staticmethod
    def _new_generator(seeds):
        return np.random.Generator(np.random.Philox(np.random.SeedSequence(seeds)))

    def _elements(self, context):
        buffer_size = int(context.value(self._buffer_size))
        if buffer_size <= 0 and buffer_size != AUTOTUNE:
            raise errors.InvalidArgumentError(None, None,
                                              "buffer_size must be greater than zero.")
        rng = self._generator(context)
        source = self._input._elements(context)
        buffer = list(itertools.islice(source, max(buffer_size, 1)))
        for element in source:
            index = int(rng.integers(len(buffer)))
            yield buffer[index]
            buffer[index] = element
        while buffer:
            index = int(rng.integers(len(buffer)))
            buffer[index], buffer[-1] = buffer[-1], buffer[index]
            yield buffer.pop()


class CacheDataset(_UnaryDataset):
    """Keeps the first complete pass and replays it on later passes (``repeat`` after
    ``cache``), until the iterator is initialized again."""

    def __init__(self, input_dataset):
        super().__init__(input_dataset)
        self._structure = input_dataset._structure

    def _elements(self, context):
        key = id(self)
        cached = context.state.get(key)
        if cached is not None:
            yield from cached
            return
        recorded = []
        for element in self._input._elements(context):
            recorded.append(element)
            yield element
        context.state[key] = recorded


class TextLineDataset(DatasetV1):
    """The lines of text files, without their line endings, as string scalars."""

    def __init__(self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None,
                 name=None):
        self._filenames = convert_to_tensor(filenames, dtype=dtypes.string, name="filenames")
        self._structure = TensorSpec([], dtypes.string)

    def _captured_tensors(self):
        return [self._filenames]

    def _elements(self, context):
        names = np.asarray(context.value(self._filenames), dtype=object).ravel()
        for name in names:
            path = name.decode() if isinstance(name, bytes) else str(name)
            try:
                handle = open(path, "rb")
            except FileNotFoundError:
                raise errors.NotFoundError(None, None, "%s; No such file or directory" % path) \
                    from None
            with handle:
                for line in handle:
                    yield (np.array(line.rstrip(b"\n").rstrip(b"\r"), dtype=object),)
