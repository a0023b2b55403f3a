"""A tiny sequence classifier (dynamic_rnn + dense + softmax cross-entropy) trained a few
steps with GradientDescent and Adam: losses, accuracy and the trained variables."""
from _compat import TENSORFLOW, report, tolerance

if TENSORFLOW:
    import os
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # rnn_cell needs tf_keras under TF 2.16+
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np

tolerance(rtol=2e-4, atol=2e-5)
rng = np.random.RandomState(3)
batch, steps, depth, classes = 8, 5, 3, 2
data = rng.randn(batch, steps, depth).astype(np.float32)
lengths = rng.randint(1, steps + 1, size=batch).astype(np.int32)
labels = (data[:, :, 0].sum(1) > 0).astype(np.int64)


def build(make_cell, optimizer):
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, steps, depth], name="x")
    y = tf.placeholder(tf.int64, [None], name="y")
    seq_len = tf.placeholder(tf.int32, [None], name="seq_len")
    cell = make_cell()
    outputs, state = tf.nn.dynamic_rnn(cell, x, sequence_length=seq_len, dtype=tf.float32)
    last = state[-1] if isinstance(state, tuple) and not hasattr(state, "h") else state
    last = last.h if hasattr(last, "h") else last
    logits = tf.layers.dense(last, classes, kernel_initializer=tf.constant_initializer(0.3))
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y,
                                                                         logits=logits))
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), y), tf.float32))
    train = optimizer.minimize(loss)
    return x, y, seq_len, loss, accuracy, train


for name, make_cell, make_optimizer in [
        ("lstm_sgd", lambda: tf.nn.rnn_cell.BasicLSTMCell(4),
         lambda: tf.train.GradientDescentOptimizer(0.5)),
        ("gru_adam", lambda: tf.nn.rnn_cell.GRUCell(4),
         lambda: tf.train.AdamOptimizer(0.05)),
        ("stack_momentum", lambda: tf.nn.rnn_cell.MultiRNNCell(
            [tf.nn.rnn_cell.LSTMCell(3, use_peepholes=True), tf.nn.rnn_cell.BasicRNNCell(3)]),
         lambda: tf.train.MomentumOptimizer(0.1, 0.9))]:
    x, y, seq_len, loss, accuracy, train = build(make_cell, make_optimizer())
    report(name + "/variables", [v.name for v in tf.global_variables()])
    feed = {x: data, y: labels, seq_len: lengths}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i, v in enumerate(tf.trainable_variables()):
            shape = v.shape.as_list()
            sess.run(tf.assign(v, (0.3 * np.sin(np.arange(np.prod(shape)) * 1.3 + i))
                               .reshape(shape).astype(np.float32)))
        losses = []
        for _ in range(6):
            losses.append(sess.run([loss, train], feed)[0])
        report(name + "/losses", np.array(losses))
        report(name + "/final", sess.run([loss, accuracy], feed))
        report(name + "/trained", sess.run(tf.trainable_variables()))
