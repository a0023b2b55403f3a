"""``tf.lookup`` (TF1): static hash tables whose contents each Session keeps for itself.

``HashTableV2`` gives a handle to the session's table of that name (``Session.tables``), as
a variable op gives its session's value; ``LookupTableImportV2`` fills it (the op
``tf.tables_initializer()`` groups); ``LookupTableFindV2`` and ``LookupTableSizeV2`` read it.
All are stateful: a table's contents change between runs, so none may be folded or merged.
"""
import threading

import numpy as np

from .framework import dtypes, errors, graph as graph_mod, tensor_shape
from .framework.graph import GraphKeys
from .ops.convert import convert_to_tensor
from .ops.registry import NOT_DIFFERENTIABLE, Spec, defop
from .ops.state import group, no_op

__all__ = ["KeyValueTensorInitializer", "StaticHashTable", "tables_initializer"]


def _as_key(value):
    """Keys as hashable Python values: bytes for strings, ints/floats for numbers."""
    return value.item() if isinstance(value, np.generic) else value


class HashTableResource:
    """One session's contents of one table. Runs of one session may use it from several
    threads, so importing and finding hold the lock."""

    def __init__(self, name):
        self.name = name
        self._entries = None
        self._lock = threading.Lock()

    def import_values(self, keys, values):
        keys, values = np.asarray(keys), np.asarray(values)
        if keys.shape != values.shape:
            raise errors.InvalidArgumentError(
                None, None, "Expected shape %s for value, got %s"
                % (list(keys.shape), list(values.shape)))
        entries = {}
        for key, value in zip(keys.ravel().tolist(), values.ravel().tolist()):
            if key in entries and entries[key] != value:
                raise errors.FailedPreconditionError(
                    None, None, "HashTable has different value for same key. Key %s has %s "
                    "and trying to add value %s" % (_printable(key), entries[key], value))
            entries[key] = value
        with self._lock:
            # TF1 lets an initializer run again only with the data the table already holds.
            if self._entries is not None and self._entries != entries:
                raise errors.FailedPreconditionError(
                    None, None, "Table was already initialized with different data.")
            self._entries = entries

    def _initialized_entries(self):
        if self._entries is None:
            raise errors.FailedPreconditionError(None, None, "Table not initialized.")
        return self._entries

    def find(self, keys, default_value, value_dtype):
        keys = np.asarray(keys)
        with self._lock:
            entries = self._initialized_entries()
            default = np.asarray(default_value)[()]
            found = [entries.get(key, default) for key in keys.ravel().tolist()]
        return np.array(found, dtype=value_dtype.numpy_dtype).reshape(keys.shape)

    def size(self):
        # TF1 answers 0 for a table not yet initialized rather than failing, unlike find.
        with self._lock:
            return np.int64(0 if self._entries is None else len(self._entries))

    def __repr__(self):
        return "<HashTableResource %s>" % self.name


def _printable(key):
    return key.decode(errors="replace") if isinstance(key, bytes) else key


def _handle_shape(**attrs):
    return Spec(tensor_shape.TensorShape([]), dtypes.resource)


def _hash_table_ref(tables, *, shared_name, key_dtype, value_dtype):
    return tables.get(shared_name, HashTableResource)


def _import_shape(table, keys, values):
    return []


def _import_ref(table, keys, values):
    table.import_values(keys, values)


def _find_shape(table, keys, default_value, **attrs):
    return Spec(keys.shape, default_value.dtype)


def _find_ref(table, keys, default_value, *, value_dtype):
    return table.find(keys, default_value, value_dtype)


HashTableV2 = defop("HashTableV2", shape=_handle_shape, ref=_hash_table_ref, needs=("tables",),
                    stateful=True, grad=NOT_DIFFERENTIABLE)
LookupTableImportV2 = defop("LookupTableImportV2", shape=_import_shape, ref=_import_ref,
                            stateful=True, grad=NOT_DIFFERENTIABLE)
LookupTableFindV2 = defop("LookupTableFindV2", shape=_find_shape, ref=_find_ref,
                          stateful=True, grad=NOT_DIFFERENTIABLE)
LookupTableSizeV2 = defop(
    "LookupTableSizeV2", shape=lambda table: Spec(tensor_shape.TensorShape([]), dtypes.int64),
    ref=lambda table: table.size(), stateful=True, grad=NOT_DIFFERENTIABLE)


class KeyValueTensorInitializer:
    """``tf.lookup.KeyValueTensorInitializer(keys, values, key_dtype=None, value_dtype=None,
    name=None)``: fills a table from two tensors of equal shape."""

    def __init__(self, keys, values, key_dtype=None, value_dtype=None, name=None):
        with graph_mod.name_scope(name, "key_value_init", [keys, values]) as scope:
            self._keys = convert_to_tensor(keys, dtype=key_dtype, name="keys")
            self._values = convert_to_tensor(values, dtype=value_dtype, name="values")
        self._name = scope
        self.key_dtype = self._keys.dtype.base_dtype
        self.value_dtype = self._values.dtype.base_dtype

    def initialize(self, table):
        if table.key_dtype != self.key_dtype or table.value_dtype != self.value_dtype:
            raise TypeError("Signature mismatch. Keys must be dtype %s, got %s.Values must be "
                            "dtype %s, got %s." % (table.key_dtype, self.key_dtype,
                                                   table.value_dtype, self.value_dtype))
        with graph_mod.name_scope(self._name, values=[table.resource_handle, self._keys,
                                                      self._values]):
            init_op = LookupTableImportV2(table.resource_handle, self._keys, self._values)
        graph_mod.add_to_collection(GraphKeys.TABLE_INITIALIZERS, init_op)
        return init_op


class StaticHashTable:
    """``tf.lookup.StaticHashTable(initializer, default_value, name=None)``: an immutable
    key -> value map, filled once per session by its initializer."""

    def __init__(self, initializer, default_value, name=None):
        self._initializer = initializer
        self._key_dtype = initializer.key_dtype
        self._value_dtype = initializer.value_dtype
        self._default_value = convert_to_tensor(default_value, dtype=self._value_dtype)
        self._default_value.get_shape().merge_with(tensor_shape.TensorShape([]))
        self._name = name or "hash_table"
        handle = HashTableV2(name=self._name, shared_name="", key_dtype=self._key_dtype,
                             value_dtype=self._value_dtype)
        # A table without a shared_name is its op's own: named after it.
        handle.op._set_attr("shared_name", handle.op.name)
        self._resource_handle = handle
        self._init_op = initializer.initialize(self)

    @property
    def key_dtype(self):
        return self._key_dtype

    @property
    def value_dtype(self):
        return self._value_dtype

    @property
    def name(self):
        return self._name

    @property
    def default_value(self):
        return self._default_value

    @property
    def resource_handle(self):
        return self._resource_handle

    @property
    def initializer(self):
        return self._init_op

    def lookup(self, keys, name=None):
        keys = convert_to_tensor(keys)
        if keys.dtype.base_dtype != self._key_dtype:
            raise TypeError("Dtype of argument `keys` must be %s, received: %s"
                            % (self._key_dtype, keys.dtype))
        with graph_mod.name_scope(name, "%s_Lookup" % self._name,
                                  [self._resource_handle, keys]):
            return LookupTableFindV2(self._resource_handle, keys, self._default_value,
                                     value_dtype=self._value_dtype)

    def size(self, name=None):
        with graph_mod.name_scope(name, "%s_Size" % self._name, [self._resource_handle]):
            return LookupTableSizeV2(self._resource_handle)


def tables_initializer(name="init_all_tables"):
    """Groups every table initializer of the default graph (``TABLE_INITIALIZERS``)."""
    initializers = graph_mod.get_collection(GraphKeys.TABLE_INITIALIZERS)
    if initializers:
        return group(*initializers, name=name)
    return no_op(name=name)


initialize_all_tables = tables_initializer
