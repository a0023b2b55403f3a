"""Optimizers update eager variables at once, and N eager steps land where N session runs of
the same model land."""
import numpy as np
import pytest

import graphflow as tf
from graphflow import eager

rng = np.random.RandomState(2)
X = rng.randn(16, 4).astype(np.float32)
Y = rng.randint(0, 3, 16).astype(np.int64)
W0 = rng.randn(4, 3).astype(np.float32) * 0.5
B0 = np.zeros(3, np.float32)
STEPS = 6

OPTIMIZERS = {
    "sgd": lambda: tf.train.GradientDescentOptimizer(0.3),
    "momentum": lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
    "adam": lambda: tf.train.AdamOptimizer(0.05),
    "rmsprop": lambda: tf.train.RMSPropOptimizer(0.01, momentum=0.5),
    "adagrad": lambda: tf.train.AdagradOptimizer(0.2),
}


def loss_of(w, b):
    logits = tf.matmul(tf.constant(X), w) + b
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.constant(Y), logits=logits))


def graph_run(make_optimizer):
    with tf.Graph().as_default():
        w, b = tf.Variable(W0), tf.Variable(B0)
        loss = loss_of(w, b)
        train = make_optimizer().minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = [sess.run([train, loss])[1] for _ in range(STEPS)]
            return losses, sess.run([w, b])


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_apply_gradients_eagerly_equals_graph_mode(name):
    expected_losses, expected = graph_run(OPTIMIZERS[name])
    with eager.eager_mode():
        w, b = tf.Variable(W0), tf.Variable(B0)
        optimizer = OPTIMIZERS[name]()
        losses = []
        for _ in range(STEPS):
            with tf.GradientTape() as tape:
                loss = loss_of(w, b)
            grads = tape.gradient(loss, [w, b])
            assert optimizer.apply_gradients(zip(grads, [w, b])) is None
            losses.append(float(loss))
        np.testing.assert_allclose(losses, expected_losses, rtol=1e-5)
        np.testing.assert_allclose(w.numpy(), expected[0], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(b.numpy(), expected[1], rtol=1e-5, atol=1e-6)


def test_minimize_with_a_callable_loss_and_global_step():
    _, expected = graph_run(OPTIMIZERS["adam"])
    with eager.eager_mode():
        w, b = tf.Variable(W0), tf.Variable(B0)
        step = tf.Variable(0, dtype=tf.int64, trainable=False)
        optimizer = tf.train.AdamOptimizer(0.05)
        for _ in range(STEPS):
            optimizer.minimize(lambda: loss_of(w, b), global_step=step)
        assert int(step) == STEPS
        np.testing.assert_allclose(w.numpy(), expected[0], rtol=1e-5, atol=1e-6)
        with pytest.raises(RuntimeError, match="should be a function when eager execution"):
            optimizer.minimize(loss_of(w, b))
        grads_and_vars = optimizer.compute_gradients(lambda: loss_of(w, b), var_list=[b])
        assert [v for _, v in grads_and_vars] == [b]
