"""Eager execution runs the same op records as graph mode: same numbers, TF's printing and
numpy interop, seeded randomness, variables, and the mode switches and their errors."""
import numpy as np
import pytest

import graphflow as tf
from graphflow import eager


@pytest.fixture
def eagerly():
    with eager.eager_mode():
        yield
    assert not tf.executing_eagerly()


def in_graph_mode(fn, *inputs):
    with tf.Graph().as_default():
        out = fn(*[tf.constant(x) for x in inputs])
        with tf.Session() as sess:
            return sess.run(out)


def in_eager_mode(fn, *inputs):
    with eager.eager_mode():
        out = fn(*[tf.constant(x) for x in inputs])
        assert isinstance(out, eager.EagerTensor)
        return out.numpy()


rng = np.random.RandomState(0)
A = rng.randn(3, 4).astype(np.float32)
B = rng.randn(4, 5).astype(np.float32)
IMAGES = rng.randn(2, 6, 6, 3).astype(np.float32)
FILTERS = rng.randn(3, 3, 3, 4).astype(np.float32)

PROGRAMS = {
    "arithmetic": (lambda a: (a * 2.0 + 1.0) / (tf.abs(a) + 1.0) - a ** 2, [A]),
    "matmul_bias_relu": (lambda a, b: tf.nn.relu(tf.matmul(a, b) + 0.5), [A, B]),
    "transcendentals": (lambda a: tf.tanh(a) * tf.sigmoid(a) + tf.exp(-tf.square(a)), [A]),
    "reductions": (lambda a: tf.reduce_sum(a, axis=1) + tf.reduce_max(a, 1)
                   - tf.reduce_mean(a, 1, keepdims=False), [A]),
    "softmax_xent": (lambda a: tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=tf.nn.softmax(a * 0.5), logits=a), [A]),
    "shapes": (lambda a: tf.transpose(tf.reshape(tf.concat([a, a], 0), [4, -1]))[1:3], [A]),
    "gather_argmax": (lambda a: tf.cast(tf.argmax(a, 1), tf.float32)
                      + tf.gather(a, [2, 0, 1])[:, 0], [A]),
    "conv_pool": (lambda x, f: tf.nn.max_pool(tf.nn.conv2d(x, f, [1, 1, 1, 1], "SAME"),
                                              [1, 2, 2, 1], [1, 2, 2, 1], "VALID"),
                  [IMAGES, FILTERS]),
    "compare_where": (lambda a: tf.where(a > 0.0, a, tf.zeros_like(a)), [A]),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_eager_results_equal_graph_results(name):
    fn, inputs = PROGRAMS[name]
    np.testing.assert_allclose(in_eager_mode(fn, *inputs), in_graph_mode(fn, *inputs),
                               rtol=1e-6, atol=1e-6)


def test_eager_matches_numpy(eagerly):
    x = tf.constant(A)
    np.testing.assert_allclose(tf.matmul(x, B).numpy(), A @ B, rtol=1e-5)
    np.testing.assert_allclose(np.asarray(tf.reduce_sum(x, 0)), A.sum(0), rtol=1e-5)
    assert tf.constant([1, 2]).dtype == tf.int32 and (x + 1).dtype == tf.float32
    np.testing.assert_allclose(np.exp(x), np.exp(A), rtol=1e-6)  # numpy calls __array__


def test_printing_follows_tensorflow(eagerly):
    x = tf.constant([1.0, 2.0])
    assert repr(x) == ("<tf.Tensor: shape=(2,), dtype=float32, numpy=array([1., 2.], "
                       "dtype=float32)>")
    assert str(x) == "tf.Tensor([1. 2.], shape=(2,), dtype=float32)"
    assert repr(tf.constant(3.0)) == "<tf.Tensor: shape=(), dtype=float32, numpy=3.0>"
    v = tf.Variable(2.0, name="v")
    assert repr(v) == "<tf.Variable 'v:0' shape=() dtype=float32, numpy=2.0>"


def test_python_scalars_and_containers(eagerly):
    assert float(tf.constant(2.5)) == 2.5 and int(tf.constant(7)) == 7
    assert bool(tf.constant(True)) and not bool(tf.constant(0.0))
    assert [10, 20, 30][tf.constant(1)] == 20
    with pytest.raises(TypeError):
        [1, 2][tf.constant(1.0)]
    matrix = tf.constant([[1, 2], [3, 4]])
    assert len(matrix) == 2 and [row.numpy().tolist() for row in matrix] == [[1, 2], [3, 4]]
    assert matrix.shape == tf.TensorShape([2, 2]) and matrix.numpy().dtype == np.int32
    value = tf.constant([1.0]).numpy()
    value[0] = 5.0  # .numpy() is a copy: the tensor is immutable
    with pytest.raises(AttributeError, match="meaningless"):
        matrix.name


def test_variables_hold_values_and_assign(eagerly):
    v = tf.Variable([1.0, 2.0], name="weights")
    assert v.name == "weights:0" and v.initializer is None
    np.testing.assert_allclose(v.numpy(), [1, 2])
    v.assign([3.0, 4.0])
    v.assign_add([1.0, 1.0])
    np.testing.assert_allclose((v * 2).numpy(), [8, 10])
    v.assign_sub(tf.constant([4.0, 5.0]))
    np.testing.assert_allclose(v.numpy(), [0, 0])
    with tf.variable_scope("scope"):
        w = tf.get_variable("w", [2, 3], initializer=tf.ones_initializer())
    np.testing.assert_allclose(w.numpy(), np.ones((2, 3)))
    with pytest.raises(tf.errors.InvalidArgumentError):
        v.assign_add([1.0, 2.0, 3.0])


def test_seeded_random_ops_replay_and_match_graph_mode(eagerly):
    tf.set_random_seed(7)
    first = [tf.random_uniform([3]).numpy(), tf.random_normal([2]).numpy()]
    tf.set_random_seed(7)
    again = [tf.random_uniform([3]).numpy(), tf.random_normal([2]).numpy()]
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], tf.random_uniform([3]).numpy())
    # Graph seed and op seed both given: the same stream as a session's first run.
    tf.set_random_seed(3)
    eager_draw = tf.random_uniform([4], seed=11).numpy()
    with eager.graph_mode(tf.Graph()):
        tf.set_random_seed(3)
        draw = tf.random_uniform([4], seed=11)
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(draw), eager_draw)


def test_mode_switches_and_scopes():
    assert not tf.executing_eagerly()  # TF1's default
    with eager.eager_mode():
        assert tf.executing_eagerly()
        with eager.graph_mode() as graph:
            assert not tf.executing_eagerly()
            c = tf.constant(1.0)
            assert c.graph is graph
        with tf.Graph().as_default():
            assert not tf.executing_eagerly()
        assert tf.executing_eagerly()
    assert not tf.executing_eagerly()


def test_enable_eager_execution_at_startup_and_not_after_graph_ops():
    tf.reset_default_graph()
    try:
        tf.enable_eager_execution()
        assert tf.executing_eagerly()
        assert float(tf.constant(2.0) * 3.0) == 6.0
        with eager.graph_mode():
            assert not tf.executing_eagerly()
    finally:
        tf.disable_eager_execution()
    assert not tf.executing_eagerly()
    tf.constant(1.0)  # a graph op exists now
    with pytest.raises(ValueError, match="must be called at program startup"):
        tf.enable_eager_execution()
    assert not tf.executing_eagerly()


def test_graph_tensor_used_eagerly_is_a_clear_error():
    graph_tensor = tf.constant(1.0, name="from_the_graph")
    with eager.eager_mode():
        with pytest.raises(TypeError, match="from_the_graph:0.*executing eagerly"):
            tf.constant(2.0) * graph_tensor
        with pytest.raises(RuntimeError, match="placeholder"):
            tf.placeholder(tf.float32, [2])


def test_eager_tensor_in_a_graph_op_is_a_clear_error():
    with eager.eager_mode():
        value = tf.constant([1.0, 2.0])
        variable = tf.Variable(1.0, name="eager_w")
    with pytest.raises(TypeError, match=r"eager value.*\.numpy\(\).*graphflow.function"):
        tf.exp(value)
    with pytest.raises(TypeError, match=r"eager value.*graph op 'add'"):
        tf.constant([0.0, 1.0]) + value
    with pytest.raises(TypeError, match="eager variable eager_w:0"):
        tf.constant(1.0) * variable
    np.testing.assert_allclose(tf.Session().run(tf.exp(value.numpy())), np.exp([1, 2]),
                               rtol=1e-6)


def test_cond_and_while_loop_run_their_branches_eagerly(eagerly):
    x = tf.constant(3.0)
    assert float(tf.cond(x > 2, lambda: x * 2, lambda: x - 1)) == 6.0
    assert float(tf.cond(x > 5, lambda: x * 2, lambda: x - 1)) == 2.0
    i, total = tf.while_loop(lambda i, s: i < 5, lambda i, s: (i + 1, s + i),
                             [tf.constant(0), tf.constant(0)])
    assert (int(i), int(total)) == (5, 10)
    assert int(tf.while_loop(lambda i: i < 100, lambda i: i * 2, tf.constant(1),
                             maximum_iterations=3)) == 8
