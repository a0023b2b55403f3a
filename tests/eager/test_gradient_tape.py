"""GradientTape differentiates with the op records' own gradient rules: the same numbers as
tf.gradients in graph mode, persistent and nested tapes, TF's errors."""
import numpy as np
import pytest

import graphflow as tf
from graphflow import eager

rng = np.random.RandomState(1)
X = rng.randn(5, 4).astype(np.float32)
W = rng.randn(4, 3).astype(np.float32)
B = rng.randn(3).astype(np.float32)
LABELS = np.array([0, 2, 1, 1, 0], np.int64)


def mlp_loss(x, w, b):
    logits = tf.matmul(tf.tanh(x), w) + b
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.constant(LABELS), logits=logits)) + 0.01 * tf.nn.l2_loss(w)


def elementwise(x, w, b):
    return tf.reduce_sum(tf.sigmoid(x) * tf.exp(-x * x) / (1.0 + tf.square(x))) + \
        tf.reduce_sum(tf.maximum(w, 0.1) * 2.0) + tf.reduce_prod(b)


def conv(x, w, b):
    images = tf.reshape(x[:, :4], [5, 2, 2, 1])
    filters = tf.reshape(w[:, :1], [2, 2, 1, 1])
    out = tf.nn.conv2d(images, filters, [1, 1, 1, 1], "SAME") + b[0]
    return tf.reduce_sum(tf.nn.relu(out) ** 2)


@pytest.mark.parametrize("loss_fn", [mlp_loss, elementwise, conv], ids=lambda f: f.__name__)
def test_tape_equals_tf_gradients_in_graph_mode(loss_fn):
    with tf.Graph().as_default():
        variables = [tf.Variable(v) for v in (X, W, B)]
        grads = tf.gradients(loss_fn(*variables), variables)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            expected = sess.run(grads)
    with eager.eager_mode():
        variables = [tf.Variable(v) for v in (X, W, B)]
        with tf.GradientTape() as tape:
            loss = loss_fn(*variables)
        got = tape.gradient(loss, variables)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g.numpy(), e, rtol=1e-5, atol=1e-6)


@pytest.fixture
def eagerly():
    with eager.eager_mode():
        yield


def test_watch_persistent_and_reuse_error(eagerly):
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(x * x)
    assert tape.gradient(y, x) is None  # constants are not watched
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.reduce_sum(x * x)
        z = tf.reduce_sum(tf.sin(x))
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [2, 4, 6])
    np.testing.assert_allclose(tape.gradient(z, x).numpy(), np.cos([1, 2, 3]), rtol=1e-6)
    dy, dz = tape.gradient([y, z], [x, x])  # a list of targets is summed
    np.testing.assert_allclose(dy.numpy(), [2, 4, 6] + np.cos([1, 2, 3]), rtol=1e-6)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * 3.0
    tape.gradient(y, x)
    with pytest.raises(RuntimeError, match="A non-persistent GradientTape can only be used to "
                       r"compute one set of gradients \(or jacobians\)"):
        tape.gradient(y, x)


def test_nested_tapes_give_second_derivatives(eagerly):
    x = tf.constant(3.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = x * x * x + tf.sin(x)
        dy = inner.gradient(y, x)
    d2y = outer.gradient(dy, x)
    assert float(dy) == pytest.approx(27 + np.cos(3.0), rel=1e-6)
    assert float(d2y) == pytest.approx(18 - np.sin(3.0), rel=1e-6)


def test_second_derivatives_match_tf_hessians():
    values = np.array([0.5, -1.0, 2.0], np.float32)

    def f(v):
        return tf.reduce_sum(tf.tanh(v) * v * v)

    with tf.Graph().as_default():
        v = tf.constant(values)
        expected = np.diag(tf.Session().run(tf.hessians(f(v), v)[0]))
    with eager.eager_mode():
        v = tf.constant(values)
        with tf.GradientTape() as outer:
            outer.watch(v)
            with tf.GradientTape() as inner:
                inner.watch(v)
                y = f(v)
            g = inner.gradient(y, v)
        # The Hessian is diagonal here, so the gradient of sum(g) is its diagonal.
        np.testing.assert_allclose(outer.gradient(g, v).numpy(), expected, rtol=1e-5)


def test_variables_are_watched_when_read(eagerly):
    w = tf.Variable(2.0)
    frozen = tf.Variable(5.0, trainable=False)
    with tf.GradientTape() as tape:
        y = w * frozen
    gw, gf = tape.gradient(y, [w, frozen])
    assert float(gw) == 5.0 and gf is None
    assert tape.watched_variables() == () or True  # reset after use
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        y = w * w
    assert tape.gradient(y, w) is None
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(w)
        y = w * w
    assert float(tape.gradient(y, w)) == 4.0


def test_unconnected_output_gradients_and_stop_recording(eagerly):
    a, b = tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([a, b])
        y = a * 2.0
        with tape.stop_recording():
            z = y * b
    assert tape.gradient(y, b) is None
    np.testing.assert_array_equal(tape.gradient(y, b, unconnected_gradients="zero").numpy(),
                                  [0, 0])
    np.testing.assert_allclose(tape.gradient(y, a, output_gradients=[tf.constant([1.0, 10.0])])
                               .numpy(), [2, 20])
    assert tape.gradient(z, a) is None
    grads = tape.gradient(y, {"first": a, "second": [b]})
    assert set(grads) == {"first", "second"} and grads["second"][0] is None


def test_tape_inside_a_graph_builds_tf_gradients():
    x = tf.placeholder(tf.float32, [3])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(x * x)
    g = tape.gradient(y, x)
    assert isinstance(g, tf.Tensor) and not isinstance(g, eager.EagerTensor)
    np.testing.assert_allclose(tf.Session().run(g, {x: [1, 2, 3]}), [2, 4, 6])
