"""``tf.Session``: runs the part of a graph that fetches need, through cached plans.

A plan is built once per (fetch structure, fed tensors, feed shapes) and reused; a run with a
known signature converts its feeds, looks the plan up and calls it — no graph analysis. Plans are
immutable and everything one run mutates is local to it, so ``run`` is thread-safe.
"""
import collections.abc
import threading

import numpy as np

from ..compiler import ir, pipeline
from ..compiler.codegen import numba_cpu, reference
from ..framework import errors, graph as graph_mod
from .config import ConfigProto
from .fetch import FetchMapper, structure_key
from .state import RandomStreams, ResourceStore, VariableStore

_BACKENDS = {"reference": reference, "numba": numba_cpu}


def register_backend(name, module):
    """A backend is a module with ``compile(program, resources) -> executable``."""
    _BACKENDS[name] = module


def _fetch_result(value):
    """A fetched value as the user gets it: numpy scalars for 0-d results."""
    if isinstance(value, np.generic):
        return value
    if type(value) is not np.ndarray:
        value = np.asarray(value)
    return value[()] if value.ndim == 0 else value


class Plan:
    """A compiled program for one run signature.

    The executable's ``run`` returns arrays the caller may hand out, except read-only arrays
    and views (variable values, constants, reused buffers), which ``run`` here copies so a
    user mutating a result never changes a later one.
    """

    __slots__ = ("program", "executable", "pass_log", "_fed_fetches")

    def __init__(self, program, executable, pass_log, fed_fetches):
        self.program, self.executable, self.pass_log = program, executable, pass_log
        # Fetches of fed tensors come back as the fed array, 0-d included, as in TF.
        self._fed_fetches = fed_fetches

    def run(self, feed_values):
        values = self.executable.run(feed_values)
        owned = None  # ids of arrays the caller already holds: the feeds, earlier results
        results = []
        for value, fed in zip(values, self._fed_fetches):
            if type(value) is np.ndarray:
                if owned is None:
                    owned = {id(v) for v in feed_values}
                if id(value) in owned or not value.flags.writeable or value.base is not None:
                    value = value.copy()
                owned.add(id(value))
            results.append(value if fed else _fetch_result(value))
        return results


class _FeedSpec:
    """How one fed tensor's values are converted and checked."""

    __slots__ = ("tensor", "key", "np_dtype", "dims", "known_shape", "is_string", "is_float",
                 "_accepted")

    def __init__(self, tensor, key):
        self.tensor = tensor
        self.key = key
        dtype = tensor.dtype.base_dtype
        self.np_dtype = dtype.numpy_dtype
        self.is_string = dtype.name == "string"
        shape = tensor.shape
        self.dims = None if shape.ndims is None else tuple(shape.as_list())
        self.known_shape = self.dims if self.dims is not None and None not in self.dims else None
        self.is_float = dtype.is_floating
        self._accepted = self.known_shape  # the last shape that passed the check

    def convert(self, value):
        if type(value) is np.ndarray and value.dtype == self.np_dtype:
            array = value
        elif type(value) is float and self.is_float:
            array = np.asarray(value, self.np_dtype)
        else:
            array = self._convert_slow(value)
        if array.shape != self._accepted and self.dims is not None:
            self._check_shape(array.shape)
        return array

    def _check_shape(self, shape):
        dims = self.dims
        if len(shape) != len(dims) or any(d is not None and d != s for d, s in zip(dims, shape)):
            raise ValueError("Cannot feed value of shape %s for Tensor %s, which has shape %s"
                             % (shape, self.tensor.name, self.tensor.shape))
        self._accepted = shape

    def _convert_slow(self, value):
        if isinstance(value, graph_mod.Tensor) or hasattr(value, "_as_graph_element"):
            raise TypeError("The value of a feed cannot be a tf.Tensor object. Acceptable feed "
                            "values include Python scalars, strings, lists, numpy ndarrays, or "
                            "TensorHandles. For reference, the tensor object was %s which was "
                            "passed to the argument `feed_dict` with key %s." % (value, self.key))
        if isinstance(value, int) and not self.is_string and not self._int_fits(value):
            raise TypeError("Type of feed value %s with type %s is not compatible with Tensor "
                            "type %s. Try explicitly setting the type of the feed tensor to a "
                            "larger type (e.g. int64)." % (value, type(value),
                                                           self.np_dtype.type))
        try:
            if self.is_string:
                return _string_array(value)
            return np.asarray(value, dtype=self.np_dtype)
        except (TypeError, ValueError, OverflowError) as e:
            # numpy's error class is what TF raises too; the message adds which feed it was.
            raise type(e)("Cannot feed value %r for Tensor %s of dtype %s: %s"
                          % (value, self.tensor.name, self.tensor.dtype.base_dtype.name, e)) \
                from e

    def _int_fits(self, value):
        try:
            return self.np_dtype.type(value) == value
        except OverflowError:
            return False


def _string_element(item):
    if isinstance(item, (str, np.str_)):
        return item.encode()
    if isinstance(item, (bytes, np.bytes_)):
        return bytes(item)
    # TF's feed conversion fails in its C++ layer, which Python sees as an InternalError.
    raise errors.InternalError(None, None, "Unable to get element as bytes.")


def _string_array(value):
    """String feeds hold bytes, as TF's string tensors do; other elements are refused."""
    array = np.asarray(value, dtype=object)
    if array.ndim == 0:
        return np.array(_string_element(array[()]), dtype=object)
    flat = [_string_element(v) for v in array.ravel()]
    result = np.empty(array.shape, dtype=object)
    result.ravel()[:] = flat
    return result


class _RunSignature:
    """Everything about a (fetches, feed keys) pair that does not depend on values.

    ``feed_positions[i]`` is which of the caller's feed values goes to ``feed_specs[i]``: keys
    naming the same tensor ("a:0" and ``a``) collapse to one feed, the last one winning as in TF.
    """

    __slots__ = ("mapper", "fetch_tensors", "target_ops", "feed_specs", "feed_positions",
                 "fed_fetches", "plans")

    def __init__(self, mapper, feed_specs, feed_positions):
        self.mapper = mapper
        self.fetch_tensors = mapper.tensors
        self.target_ops = mapper.ops
        self.feed_specs = feed_specs
        self.feed_positions = feed_positions
        fed = {spec.tensor for spec in feed_specs}
        self.fed_fetches = [t in fed for t in mapper.tensors]
        self.plans = {}


def _flatten_feeds(feed_dict):
    """TF's ``nest.flatten_dict_items``: a tuple key feeds each of its tensors from the
    matching element of its value."""
    keys, values = [], []
    for key, value in feed_dict.items():
        if hasattr(key, "_feed_parts"):  # a SparseTensor takes a SparseTensorValue or triple
            key = tuple(key._feed_parts())
            value = tuple(value) if isinstance(value, (list, tuple)) else value
        if isinstance(key, (list, tuple)):
            if not isinstance(value, (list, tuple)) or len(value) != len(key):
                raise ValueError("Could not flatten dictionary. Key had %d elements, but value "
                                 "had %s elements. Key: %s, value: %s."
                                 % (len(key), len(value) if isinstance(value, (list, tuple))
                                    else 1, key, value))
            sub_keys, sub_values = _flatten_feeds(dict(zip(key, value)))
            keys.extend(sub_keys)
            values.extend(sub_values)
        else:
            keys.append(key)
            values.append(value)
    return keys, values


class BaseSession:
    def __init__(self, target="", graph=None, config=None):
        if graph is None:
            graph = graph_mod.get_default_graph()
        elif not isinstance(graph, graph_mod.Graph):
            raise TypeError('Argument `graph` must be a tf.Graph, but got "%s"'
                            % type(graph).__name__)
        self._graph = graph
        self._target = target
        self._config = config if config is not None else ConfigProto()
        self._closed = False
        self._lock = threading.RLock()
        self._signatures = {}
        self._signatures_version = graph._mutation_version
        self.variables = VariableStore()
        self.random = RandomStreams()
        self.iterators = ResourceStore()  # tf.data iterators, by name (graphflow/data/)
        self.tables = ResourceStore()  # tf.lookup tables, by name (graphflow/lookup.py)
        self._resources = reference.Resources({
            "rng": lambda node: self.random.generator(
                node.name, node.attrs.get("seed", 0), node.attrs.get("seed2", 0)),
            "variable": lambda node: self.variables.handle(
                node.name, node.attrs["dtype"].numpy_dtype,
                None if node.attrs["shape"] is None or node.attrs["shape"].ndims is None
                else tuple(node.attrs["shape"].as_list())),
            "compiled": lambda node: [self._compile_function(function)
                                      for function in node.attrs["functions"]],
            "recording_body": self._compile_recording_body,
            "iterators": lambda node: self.iterators,
            "tables": lambda node: self.tables,
        })
        try:
            self._backend = _BACKENDS[self._config.backend]
        except KeyError:
            raise ValueError("Unknown backend %r in ConfigProto(backend=...) or GRAPHFLOW_BACKEND;"
                             " known backends: %s" % (self._config.backend,
                                                      ", ".join(sorted(_BACKENDS)))) from None
        self._default_session_cm = None
        self._default_graph_cm = None

    graph = property(lambda self: self._graph)

    @property
    def sess_str(self):
        return self._target.encode() if isinstance(self._target, str) else self._target

    @property
    def graph_def(self):
        return self._graph.as_graph_def()

    # -- running -----------------------------------------------------------------------------
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        if feed_dict is not None and type(feed_dict) is not dict and \
                not isinstance(feed_dict, collections.abc.Mapping):
            raise TypeError("FlattenDictItems: 'dict' must be a dictionary or "
                            "collection.Mapping type object, instead of '%s'."
                            % type(feed_dict).__name__)
        if feed_dict:
            feed_keys = tuple(feed_dict)
            feed_items = list(feed_dict.values())
            for key in feed_keys:
                if isinstance(key, tuple) or hasattr(key, "_feed_parts"):
                    feed_keys, feed_items = _flatten_feeds(feed_dict)
                    feed_keys = tuple(feed_keys)
                    break
        else:
            feed_keys, feed_items = (), []
        signature = self._signature(fetches, feed_keys)
        feed_values = [spec.convert(feed_items[pos]) for spec, pos in
                       zip(signature.feed_specs, signature.feed_positions)]
        shapes = tuple([v.shape for v in feed_values])
        plan = signature.plans.get(shapes)
        if plan is None:
            plan = self._build_plan(signature, shapes)
        try:
            values = plan.run(feed_values)
        except errors.OpError as e:
            self._attach_operation(e)
            raise
        return signature.mapper.build_results(values)

    def _attach_operation(self, error):
        """Backends know nodes by name; TF's errors carry the Operation and its NodeDef."""
        if isinstance(error.op, str):
            op = self._graph._get_operation_or_none(error.op)
            if op is not None:
                error._op = op
                error._node_def = op.node_def

    def _signature(self, fetches, feed_keys):
        version = self._graph._mutation_version
        if version != self._signatures_version:
            # An edited graph (control inputs added, feeding or fetching forbidden) invalidates
            # every plan built from the old one.
            with self._lock:
                self._signatures = {}
                self._signatures_version = version
        try:
            key = (structure_key(fetches), feed_keys)
            signature = self._signatures.get(key)
        except TypeError:
            key, signature = None, None
        if signature is None:
            signature = self._make_signature(fetches, feed_keys)
            if key is not None:
                self._signatures[key] = signature
        return signature

    def _make_signature(self, fetches, feed_keys):
        if not self._graph._ops:
            raise RuntimeError("The Session graph is empty. Add operations to the graph before "
                               "calling run().")
        specs, positions, index_of = [], [], {}
        for pos, key in enumerate(feed_keys):
            tensor = self._feed_tensor(key)
            if tensor in index_of:
                positions[index_of[tensor]] = pos
                continue
            index_of[tensor] = len(specs)
            specs.append(_FeedSpec(tensor, key))
            positions.append(pos)
        mapper = FetchMapper(self._graph, fetches)
        return _RunSignature(mapper, specs, positions)

    def _feed_tensor(self, key):
        try:
            tensor = self._graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
        except Exception as e:  # noqa: BLE001 - TF reports every unusable key as a TypeError
            raise TypeError("Cannot interpret feed_dict key as Tensor: %s"
                            % (e.args[0] if e.args else e))
        if not self._graph.is_feedable(tensor):
            raise ValueError("Tensor %s may not be fed." % tensor.name)
        return tensor

    def _build_plan(self, signature, shapes):
        with self._lock:
            plan = signature.plans.get(shapes)
            if plan is not None:
                return plan
            feed_tensors = [s.tensor for s in signature.feed_specs]
            program = ir.lower(signature.fetch_tensors, signature.target_ops, feed_tensors,
                               shapes)
            program, log = pipeline.optimize(program, self._config.pass_enabled)
            executable = self._backend.compile(program, self._resources)
            plan = Plan(program, executable, log, signature.fed_fetches)
            signature.plans[shapes] = plan
            return plan

    def _compile_function(self, function, kept=()):
        """A runner for a traced function graph (tf.while_loop's cond/body): its inputs and
        captures are fed, its outputs fetched, then the tensors in ``kept`` (which may lie on
        an untaken tf.cond branch: DEAD then), with this session's variables and random
        streams (named under the function, so they never collide with the outer graph's;
        a body compiled with and without ``kept`` draws from the same streams)."""
        feeds = list(function.inputs) + [inner for _, inner in function.captures]
        program = ir.lower(list(function.outputs) + list(kept), [], feeds)
        program, _ = pipeline.optimize(program, self._config.pass_enabled)
        executable = self._backend.compile(program, self._resources.renamed(function.name))
        if kept:
            executable.dead_fetches_from = len(function.outputs)
        return executable.run

    def _compile_recording_body(self, node):
        """For a While node whose gradient reads its loop record: body that also returns the
        values to keep per iteration (None otherwise, and body runs as it is)."""
        from ..ops.control_flow import recording_function
        recorded = recording_function(node.attrs)
        if recorded is None:
            return None
        body_graph, kept = recorded
        return self._compile_function(body_graph, kept)

    def make_callable(self, fetches, feed_list=None, accept_options=False):
        feed_list = list(feed_list or [])

        def call(*args, **kwargs):
            if len(args) != len(feed_list):
                raise ValueError("Expected %d feed values, got %d" % (len(feed_list), len(args)))
            return self.run(fetches, dict(zip(feed_list, args)) if feed_list else None)
        return call

    def list_devices(self):
        return [_DeviceAttributes("/job:localhost/replica:0/task:0/device:CPU:0", "CPU")]

    # -- lifetime and defaults -----------------------------------------------------------------
    def close(self):
        with self._lock:
            self._closed = True
            self._signatures.clear()

    def as_default(self):
        return _SessionDefault(self)

    def __enter__(self):
        self._default_graph_cm = self._graph.as_default()
        self._default_graph_cm.__enter__()
        self._default_session_cm = self.as_default()
        return self._default_session_cm.__enter__()

    def __exit__(self, exc_type, exc_value, traceback):
        try:
            self._default_session_cm.__exit__(exc_type, exc_value, traceback)
            self._default_graph_cm.__exit__(exc_type, exc_value, traceback)
        finally:
            self._default_session_cm = self._default_graph_cm = None
            self.close()
        return False


class _DeviceAttributes:
    def __init__(self, name, device_type):
        self.name, self.device_type, self.memory_limit_bytes = name, device_type, 0


class _SessionDefault:
    def __init__(self, session):
        self._session = session

    def __enter__(self):
        graph_mod._default_session_stack.push(self._session)
        return self._session

    def __exit__(self, *exc):
        graph_mod._default_session_stack.pop(self._session)
        return False


class Session(BaseSession):
    """``tf.Session(target='', graph=None, config=None)``."""


class InteractiveSession(BaseSession):
    """A session that installs itself (and its graph) as the default on creation."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        self._graph_cm = self._graph.as_default()
        self._graph_cm.__enter__()
        graph_mod._default_session_stack.push(self)

    def close(self):
        super().close()
        graph_mod._default_session_stack.pop(self)
        if self._graph_cm is not None:
            self._graph_cm.__exit__(None, None, None)
            self._graph_cm = None
