"""Gradients through tf.while_loop: a recurrent cell over a captured weight matrix, an input
sequence read by index, maximum_iterations, an integer counter beside float state, a loop whose
state grows, nested loops, zero iterations, a while_loop inside a tf.cond, and a few steps of
gradient descent through a loop."""
import numpy as np

from _compat import TENSORFLOW, report, tolerance

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf

tolerance(rtol=1e-4, atol=1e-5)
rng = np.random.RandomState(3)
seq = rng.uniform(-1, 1, (4, 2, 3)).astype(np.float32)  # time, batch, features

xs = tf.placeholder(tf.float32, [None, 2, 3], name="xs")
steps = tf.placeholder(tf.int32, [], name="steps")
w_in = tf.Variable(rng.uniform(-0.5, 0.5, (3, 4)).astype(np.float32), name="w_in")
w_rec = tf.Variable(rng.uniform(-0.5, 0.5, (4, 4)).astype(np.float32), name="w_rec")
bias = tf.Variable(np.full(4, 0.1, np.float32), name="bias")
h0 = tf.placeholder(tf.float32, [2, 4], name="h0")


def rnn_body(t, h):
    x_t = tf.gather(xs, t)
    return t + 1, tf.tanh(tf.matmul(x_t, w_in) + tf.matmul(h, w_rec) + bias)


_, h_final = tf.while_loop(lambda t, h: t < tf.shape(xs)[0], rnn_body, [tf.constant(0), h0])
rnn_loss = tf.reduce_sum(tf.square(h_final))
rnn_grads = tf.gradients(rnn_loss, [w_in, w_rec, bias, h0, xs])
rnn_grads[-1] = tf.convert_to_tensor(rnn_grads[-1])  # TensorFlow's is IndexedSlices (a gather)
# (TensorFlow loses the static shape of the gradient for xs, read with tf.gather inside the loop)
report("rnn_grad_shapes", [str(g.shape) for g in rnn_grads[:4]])

# maximum_iterations and a placeholder bound
a = tf.placeholder(tf.float32, [3], name="a")
capped = tf.while_loop(lambda i, v: i < steps, lambda i, v: [i + 1, v * a + 1.0],
                       [tf.constant(0), tf.ones([3])], maximum_iterations=3)[1]
capped_grad = tf.gradients(tf.reduce_sum(capped), a)[0]

# growing state (shape invariant) and a nested loop
grown = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, tf.concat([s, s[-1:] * a], 0)),
                      [tf.constant(0), a[:1]],
                      shape_invariants=[tf.TensorShape([]), tf.TensorShape([None])])[1]
grown_grad = tf.gradients(tf.reduce_sum(grown * grown), a)[0]


def inner_loop(v):
    return tf.while_loop(lambda j, u: j < 2, lambda j, u: (j + 1, tf.sin(u) * a), [0, v])[1]


nested = tf.while_loop(lambda i, v: i < 2, lambda i, v: (i + 1, inner_loop(v) + v),
                       [tf.constant(0), a])[1]
nested_grad = tf.gradients(tf.reduce_sum(nested), a)[0]

# zero iterations: the gradient passes straight through
zero = tf.while_loop(lambda i, v: i < 0, lambda i, v: (i + 1, v * 5.0), [0, a])[1]
zero_grad = tf.gradients(tf.reduce_sum(zero * 3.0), a)[0]

# a loop inside a cond branch
flag = tf.placeholder(tf.bool, [], name="flag")
branchy = tf.cond(flag, lambda: tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * a),
                                              [0, a])[1],
                  lambda: a * 2.0)
branchy_grad = tf.gradients(tf.reduce_sum(branchy), a)[0]

# training through the loop
target = tf.constant(rng.uniform(-0.5, 0.5, (2, 4)).astype(np.float32))
train_loss = tf.reduce_mean(tf.square(h_final - target))
train = tf.train.GradientDescentOptimizer(0.5).minimize(train_loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed = {xs: seq, h0: np.zeros((2, 4), np.float32)}
    report("rnn", sess.run([h_final] + rnn_grads, feed))
    report("rnn_two_steps", sess.run(rnn_grads[:4], {xs: seq[:2], h0: np.ones((2, 4)) * 0.5}))
    av = np.array([0.5, -1.5, 2.0], np.float32)
    report("capped", [sess.run([capped, capped_grad], {a: av, steps: n}) for n in (2, 10)])
    report("grown", sess.run([grown, grown_grad], {a: av}))
    report("nested", sess.run([nested, nested_grad], {a: av}))
    report("zero", sess.run(zero_grad, {a: av}))
    report("branchy", [sess.run([branchy, branchy_grad], {a: av, flag: f})
                       for f in (True, False)])
    losses = []
    for _ in range(5):
        losses.append(sess.run([train_loss, train], feed)[0])
    report("train_losses", losses)
    report("trained_weights", sess.run([w_in, w_rec, bias]))
