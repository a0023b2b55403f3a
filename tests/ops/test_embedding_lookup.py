"""tf.nn.embedding_lookup: rows of one table or of shards ("mod" and "div"), max_norm
clipping, names, and the (dense) gradient that reaches the table."""
import numpy as np
import pytest

import graphflow as tf

TABLE = np.arange(14, dtype=np.float32).reshape(7, 2)


def run(*fetches):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(list(fetches))


def test_rows_names_and_gradient():
    table = tf.Variable(TABLE, name="emb")
    ids = tf.constant([[1, 4], [1, 0]])
    rows = tf.nn.embedding_lookup(table, ids)
    assert rows.name == "embedding_lookup/Identity:0" and rows.shape.as_list() == [2, 2, 2]
    assert tf.get_default_graph().get_operation_by_name("embedding_lookup").type == "GatherV2"
    grad = tf.gradients(tf.reduce_sum(rows * rows), table)[0]
    values, grad_value = run(rows, grad)
    np.testing.assert_array_equal(values, TABLE[[[1, 4], [1, 0]]])
    want = np.zeros_like(TABLE)
    for i in [1, 4, 1, 0]:
        want[i] += 2 * TABLE[i]  # repeated ids add up
    np.testing.assert_array_equal(grad_value, want)


@pytest.mark.parametrize("strategy", ["mod", "div"])
def test_sharded_tables(strategy):
    ids = np.array([0, 1, 2, 3, 4, 5, 6])
    if strategy == "mod":  # id i lives in shard i % 3 at row i // 3
        shards = [TABLE[0::3], TABLE[1::3], TABLE[2::3]]
    else:  # consecutive ids per shard, the first ones one row longer
        shards = [TABLE[0:3], TABLE[3:5], TABLE[5:7]]
    variables = [tf.Variable(s, name="shard%d" % i) for i, s in enumerate(shards)]
    rows = tf.nn.embedding_lookup(variables, ids[::-1], partition_strategy=strategy)
    grads = tf.gradients(tf.reduce_sum(rows * tf.constant([1.0, 2.0])), variables)
    values, *grad_values = run(rows, *grads)
    np.testing.assert_array_equal(values, TABLE[ids[::-1]])
    for g, s in zip(grad_values, shards):
        np.testing.assert_array_equal(g, np.tile([1.0, 2.0], (len(s), 1)))


def test_max_norm_clips_each_row():
    rows = tf.nn.embedding_lookup([tf.constant(TABLE)], [[0, 3]], max_norm=5.0, name="lk")
    assert rows.name == "lk/Identity:0"
    (values,) = run(rows)
    norms = np.linalg.norm(TABLE[[0, 3]], axis=1)
    want = TABLE[[0, 3]] * np.minimum(1.0, 5.0 / np.maximum(norms, 1e-30))[:, None]
    np.testing.assert_allclose(values[0], want, rtol=1e-6)


def test_bad_arguments():
    with pytest.raises(ValueError):
        tf.nn.embedding_lookup([], [0])
    with pytest.raises(ValueError):
        tf.nn.embedding_lookup([tf.constant(TABLE)] * 2, [0], partition_strategy="rows")
