"""tf.lookup static hash tables: per-session contents, initialization rules, lookups."""
import numpy as np
import pytest

import graphflow as tf
from graphflow.ops import registry


def _string_table():
    init = tf.lookup.KeyValueTensorInitializer(tf.constant(["a", "b", "c"]),
                                               tf.constant([1, 2, 3], tf.int64))
    return tf.lookup.StaticHashTable(init, -1)


def test_lookup_after_tables_initializer_gives_values_and_defaults():
    with tf.Graph().as_default():
        table = _string_table()
        found = table.lookup(tf.constant([["a", "z"], ["c", "b"]]))
        assert found.shape.as_list() == [2, 2] and found.dtype == tf.int64
        assert found.name == "hash_table_Lookup/LookupTableFindV2:0"
        with tf.Session() as sess:
            sess.run(tf.tables_initializer())
            np.testing.assert_array_equal(sess.run(found), [[1, -1], [3, 2]])
            assert sess.run(table.size()) == 3


def test_int64_keys_with_float_values():
    with tf.Graph().as_default():
        init = tf.lookup.KeyValueTensorInitializer([3, 7], [0.5, 1.5], key_dtype=tf.int64,
                                                   value_dtype=tf.float32)
        table = tf.lookup.StaticHashTable(init, 0.0, name="floats")
        found = table.lookup(tf.constant([7, 4], tf.int64))
        with tf.Session() as sess:
            sess.run(table.initializer)
            np.testing.assert_array_equal(sess.run(found), np.array([1.5, 0.0], np.float32))


def test_each_session_keeps_its_own_table_contents():
    with tf.Graph().as_default():
        table = _string_table()
        found = table.lookup(tf.constant(["b"]))
        init = tf.tables_initializer()
        with tf.Session() as first:
            with pytest.raises(tf.errors.FailedPreconditionError, match="not initialized"):
                first.run(found)
            assert first.run(table.size()) == 0  # as TF1: size does not fail before init
            first.run(init)
            assert first.run(found).tolist() == [2]
        with tf.Session() as second:
            with pytest.raises(tf.errors.FailedPreconditionError):
                second.run(found)


def test_initializer_rejects_conflicting_keys_and_different_data():
    with tf.Graph().as_default():
        keys = tf.placeholder(tf.string, [None])
        values = tf.placeholder(tf.int64, [None])
        table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(keys, values), 0)
        with tf.Session() as sess:
            with pytest.raises(tf.errors.FailedPreconditionError, match="different value"):
                sess.run(table.initializer, {keys: ["x", "x"], values: [1, 2]})
            sess.run(table.initializer, {keys: ["x", "x"], values: [1, 1]})
            sess.run(table.initializer, {keys: ["x"], values: [1]})  # same data: allowed
            with pytest.raises(tf.errors.FailedPreconditionError, match="different data"):
                sess.run(table.initializer, {keys: ["y"], values: [1]})


def test_misuse_raises_type_errors_at_graph_construction():
    with tf.Graph().as_default():
        table = _string_table()
        with pytest.raises(TypeError, match="keys"):
            table.lookup(tf.constant([1, 2]))
        with pytest.raises(TypeError):
            tf.lookup.StaticHashTable(
                tf.lookup.KeyValueTensorInitializer([1], [2], tf.int64, tf.int64), 0.5)


def test_table_ops_are_stateful_and_two_lookups_stay_separate_ops():
    for name in ("HashTableV2", "LookupTableImportV2", "LookupTableFindV2",
                 "LookupTableSizeV2"):
        assert registry.get(name).stateful
    with tf.Graph().as_default():
        assert tf.tables_initializer().type == "NoOp"
        table = _string_table()
        keys = tf.constant(["a"])
        first, second = table.lookup(keys), table.lookup(keys)
        assert first.name != second.name
        with tf.Session() as sess:
            sess.run(tf.tables_initializer())
            assert sess.run([first, second]) == [[1], [1]]
