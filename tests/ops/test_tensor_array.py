import numpy as np
import pytest
from gradcheck import check_gradients

import graphflow as tf

X = np.arange(12, dtype=np.float64).reshape(4, 3) / 10.0


def test_write_read_stack_and_static_shapes():
    x = tf.placeholder(tf.float32, [4, 3])
    ta = tf.TensorArray(tf.float32, size=2).write(0, x[0]).write(1, x[1] * 2.0)
    stacked = ta.stack()
    assert str(stacked.shape) == "(2, 3)" and str(ta.read(0).shape) == "(3,)"
    assert str(ta.element_shape) == "(3,)"
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(stacked, {x: X}), [X[0], X[1] * 2], rtol=1e-6)
        assert sess.run(ta.size()) == 2


def test_scatter_gather_split_concat():
    x = tf.placeholder(tf.float64, [4, 3])
    scattered = tf.TensorArray(tf.float64, size=4).scatter([3, 1, 0, 2], x)
    pieces = tf.TensorArray(tf.float64, size=2).split(tf.reshape(x, [12]), [5, 7])
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(scattered.gather([0, 3]), {x: X}), X[[2, 0]])
        np.testing.assert_allclose(sess.run(pieces.concat(), {x: X}), X.ravel())


def test_dynamic_size_in_a_while_loop_and_its_gradient():
    def loop(x):
        def body(i, acc, out):
            acc = acc * x[i]
            return i + 1, acc, out.write(i, tf.square(acc))
        _, _, out = tf.while_loop(
            lambda i, acc, out: i < tf.shape(x)[0], body,
            [tf.constant(0), tf.ones([3], tf.float64),
             tf.TensorArray(tf.float64, size=0, dynamic_size=True)])
        return out.stack()
    check_gradients(loop, [X + 0.5])
    check_gradients(lambda x: tf.TensorArray(tf.float64, size=4).unstack(x).gather([1, 1, 3]),
                    [X])


def test_misuse_errors():
    x = tf.placeholder(tf.float32, [4, 3])
    with pytest.raises(ValueError, match="Inconsistent shapes"):
        tf.TensorArray(tf.float32, size=2).write(0, x[0]).write(1, x)
    with pytest.raises(ValueError):
        tf.TensorArray(tf.float32)
    unknown = tf.TensorArray(tf.float32, size=2, infer_shape=False).write(0, 1.0).read(1)
    known = tf.TensorArray(tf.float32, size=2).write(0, 1.0).read(1)
    too_far = tf.TensorArray(tf.float32, size=1).write(3, 1.0).stack()
    with tf.Session() as sess:
        assert sess.run(known) == 0.0  # an unwritten element of known shape reads as zeros
        with pytest.raises(tf.errors.InvalidArgumentError, match="not yet been written"):
            sess.run(unknown)
        with pytest.raises(tf.errors.InvalidArgumentError, match="not resizeable"):
            sess.run(too_far)
