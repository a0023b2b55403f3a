import numpy as np
import pytest
from gradcheck import check_gradients

import graphflow as tf

X = np.arange(12, dtype=np.float64).reshape(4, 3) / 10.0


def test_map_fn_values_shape_and_name():
    x = tf.placeholder(tf.float32, [4, 3])
    y = tf.map_fn(lambda r: tf.reduce_sum(r * r), x)
    assert y.name == "map/TensorArrayStack/TensorArrayGatherV3:0" and str(y.shape) == "(4,)"
    pair = tf.map_fn(lambda e: (e[0] * 2.0, tf.cast(e[1], tf.int32)), (x, x),
                     dtype=(tf.float32, tf.int32))
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(y, {x: X}), (X * X).sum(1), rtol=1e-6)
        doubled, as_int = sess.run(pair, {x: X})
        np.testing.assert_allclose(doubled, X * 2, rtol=1e-6)
        assert as_int.dtype == np.int32


def test_map_fn_structure_errors():
    x = tf.placeholder(tf.float32, [4, 3])
    with pytest.raises(ValueError):
        tf.map_fn(lambda r: (r, r), x)
    with pytest.raises(TypeError):
        tf.map_fn(lambda r: [r, r], x, dtype=(tf.float32, tf.float32))
    with pytest.raises(ValueError, match="not scalars"):
        tf.map_fn(lambda r: r, tf.constant(1.0))


@pytest.mark.parametrize("reverse", [False, True])
def test_scan_matches_a_python_loop(reverse):
    x = tf.placeholder(tf.float64, [4, 3])
    s = tf.scan(lambda a, r: 0.5 * a + r, x, initializer=tf.zeros([3], tf.float64),
                reverse=reverse)
    expected, a = np.zeros_like(X), np.zeros(3)
    for i in (reversed(range(4)) if reverse else range(4)):
        a = 0.5 * a + X[i]
        expected[i] = a
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(s, {x: X}), expected)
    assert str(s.shape) == "(4, 3)"


def test_folds():
    x = tf.placeholder(tf.float64, [4, 3])
    left = tf.foldl(lambda a, r: a * 2.0 + r, x)
    right = tf.foldr(lambda a, r: a * 2.0 + r, x)
    with tf.Session() as sess:
        got_left, got_right = sess.run([left, right], {x: X})
    np.testing.assert_allclose(got_left, ((X[0] * 2 + X[1]) * 2 + X[2]) * 2 + X[3])
    np.testing.assert_allclose(got_right, ((X[3] * 2 + X[2]) * 2 + X[1]) * 2 + X[0])


def test_gradients_through_map_scan_and_fold():
    check_gradients(lambda x: tf.map_fn(lambda r: tf.sin(r) * r, x), [X])
    check_gradients(lambda x: tf.scan(lambda a, r: a * r + tf.sin(r), x), [X])
    check_gradients(lambda x: tf.foldl(lambda a, r: a * r, x,
                                       initializer=tf.ones([3], tf.float64)), [X])


def test_back_prop_false_stops_gradients():
    x = tf.placeholder(tf.float32, [4, 3])
    assert tf.gradients(tf.reduce_sum(tf.map_fn(lambda r: r * 2.0, x, back_prop=False)),
                        x)[0] is None


def test_gradients_through_map_fn_and_scan_with_dropout_use_the_drawn_masks():
    x = tf.constant(np.arange(1.0, 13.0).reshape(4, 3) / 10.0)
    w = tf.placeholder(tf.float64, [3])
    dropped = tf.map_fn(lambda row: tf.nn.dropout(row * w, keep_prob=0.5), x)
    map_grad = tf.gradients(tf.reduce_sum(tf.square(dropped)), w)[0]

    # a <- a * w * m + x_t, emitting each step's draw m beside a
    def step(carried, row):
        mask = tf.floor(tf.random_uniform([3], dtype=tf.float64) + 0.5)
        return carried[0] * w * mask + row, mask
    states, masks = tf.scan(step, x, initializer=(tf.zeros([3], tf.float64),
                                                  tf.zeros([3], tf.float64)))
    scan_grad = tf.gradients(tf.reduce_sum(states[-1]), w)[0]
    w_value = np.array([0.5, -1.0, 2.0])
    x_value = np.arange(1.0, 13.0).reshape(4, 3) / 10.0
    with tf.Session() as sess:
        for _ in range(3):
            got_dropped, got_map_grad, got_masks, got_scan_grad = sess.run(
                [dropped, map_grad, masks, scan_grad], {w: w_value})
            keep = got_dropped != 0
            np.testing.assert_allclose(got_dropped[keep], (x_value * w_value * 2.0)[keep])
            # d/dw sum((x w m / 0.5)^2) = sum over rows of 2 (x m / 0.5)^2 w
            np.testing.assert_allclose(got_map_grad,
                                       np.sum(2 * (x_value * keep * 2.0) ** 2 * w_value, 0))
            a, da = np.zeros(3), np.zeros(3)
            for row, mask in zip(x_value, got_masks):
                a, da = a * w_value * mask + row, (da * w_value + a) * mask
            np.testing.assert_allclose(got_scan_grad, da)
