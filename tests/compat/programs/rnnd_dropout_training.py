"""Dropout inside loops: a GRU wrapped in DropoutWrapper under dynamic_rnn, and tf.nn.dropout
or random masks inside tf.map_fn / tf.scan, differentiated. Random numbers differ between
frameworks, so runs with dropout report properties that hold for any draw (the gradient uses
the forward pass's masks, training lowers the loss); runs with keep_prob fed as 1 compare
values and gradients exactly."""
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
rng = np.random.RandomState(5)
batch, steps, depth, units = 6, 5, 3, 4
data = rng.randn(batch, steps, depth).astype(np.float32)
targets = rng.randn(batch, units).astype(np.float32)
lengths = np.array([5, 4, 5, 2, 3, 5], np.int32)

# -- a GRU with dropout on inputs, state and outputs --------------------------------------------
x = tf.placeholder(tf.float32, [None, steps, depth], name="x")
keep = tf.placeholder_with_default(1.0, [], name="keep")
cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(units), input_keep_prob=keep,
                                     output_keep_prob=keep, state_keep_prob=keep)
outputs, state = tf.nn.dynamic_rnn(cell, x, sequence_length=lengths, dtype=tf.float32)
loss = tf.reduce_mean(tf.square(tf.reduce_mean(outputs, 1) - targets)) + \
    0.1 * tf.reduce_mean(tf.square(state))
variables = tf.trainable_variables()
grads = tf.gradients(loss, [x] + variables)
train = tf.train.AdamOptimizer(0.05).minimize(loss)
report("gru/variables", [v.name for v in variables])
report("gru/shapes", [str(t.shape) for t in [outputs, state] + grads])
report("gru/grad_dtypes", [g.dtype.name for g in grads])

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i, v in enumerate(variables):
        shape = v.shape.as_list()
        sess.run(tf.assign(v, (0.4 * np.sin(np.arange(np.prod(shape)) * 0.7 + i))
                           .reshape(shape).astype(np.float32)))
    feed = {x: data}
    report("gru/keep1/loss_and_grads", sess.run([loss] + grads, feed))
    dropped_feed = {x: data, keep: 0.5}
    got_outputs, got_grads = sess.run([outputs, grads], dropped_feed)
    live = got_outputs[np.arange(steps)[None, :] < lengths[:, None]]
    report("gru/keep05/some_outputs_dropped", bool(0.2 < np.mean(live == 0) < 0.8))
    report("gru/keep05/grads_finite", [bool(np.all(np.isfinite(g))) for g in got_grads])
    report("gru/keep05/grad_shapes", [[int(d) for d in g.shape] for g in got_grads])
    report("gru/keep05/no_grad_past_lengths",
           bool(np.all(got_grads[0][np.arange(steps)[None, :] >= lengths[:, None]] == 0)))
    first = sess.run(loss, feed)
    for _ in range(25):
        sess.run(train, dropped_feed)
    report("gru/keep05/training_lowers_the_loss", bool(sess.run(loss, feed) < 0.9 * first))

# -- tf.map_fn with tf.nn.dropout: the gradient sees the drawn mask ------------------------------
rows = np.arange(1.0, 13.0, dtype=np.float32).reshape(4, 3) / 10.0
w = tf.constant([0.5, -1.0, 2.0])
dropped = tf.map_fn(lambda row: tf.nn.dropout(row * w, keep_prob=0.5), tf.constant(rows))
map_grad = tf.gradients(tf.reduce_sum(tf.square(dropped)), w)[0]
report("map/shapes", [str(dropped.shape), str(map_grad.shape)])

# -- tf.scan emitting each step's random mask: a <- a * v * m + row ------------------------------
v = tf.constant([0.5, -1.0, 2.0])


def step(carried, row):
    mask = tf.floor(tf.random_uniform([3]) + 0.5)
    return carried[0] * v * mask + row, mask


states, masks = tf.scan(step, tf.constant(rows), initializer=(tf.zeros([3]), tf.zeros([3])))
scan_grad = tf.gradients(tf.reduce_sum(states[-1]), v)[0]
report("scan/shapes", [str(states.shape), str(masks.shape), str(scan_grad.shape)])
with tf.Session() as sess:
    map_ok, scan_ok = [], []
    for _ in range(4):
        got_dropped, got_map_grad, got_masks, got_scan_grad = sess.run(
            [dropped, map_grad, masks, scan_grad])
        kept = got_dropped != 0
        expected = np.sum(2 * (rows * kept * 2.0) ** 2 * np.array([0.5, -1.0, 2.0]), 0)
        map_ok.append(bool(np.allclose(got_map_grad, expected, rtol=1e-4)))
        a, da = np.zeros(3), np.zeros(3)
        for row, mask in zip(rows, got_masks):
            a, da = a * np.array([0.5, -1.0, 2.0]) * mask + row, \
                (da * np.array([0.5, -1.0, 2.0]) + a) * mask
        scan_ok.append(bool(np.allclose(got_scan_grad, da, rtol=1e-4, atol=1e-6)))
    report("map/grad_uses_the_drawn_mask", map_ok)
    report("scan/grad_uses_the_drawn_masks", scan_ok)
