"""tf.train.ExponentialMovingAverage as training scripts use it: shadow names and values, the
update op run after each training step, num_updates tied to the global step, averages of
tensors with and without zero-debiasing, average_name and variables_to_restore for a Saver."""
from _compat import TENSORFLOW, report, report_error, tolerance

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np

tolerance(rtol=1e-5, atol=1e-6)
X = np.array([[0.5, -0.2], [0.1, 0.3], [-1.2, 0.4]], np.float32)
Y = np.array([[1.0], [-0.5], [0.2]], np.float32)

# Shadows of trainable variables, updated after every training step.
with tf.Graph().as_default():
    w = tf.Variable([[0.3], [-0.4]], name="w")
    b = tf.Variable([0.1], name="b")
    loss = tf.reduce_mean(tf.square(tf.matmul(X, w) + b - Y))
    step = tf.train.get_or_create_global_step()
    train = tf.train.GradientDescentOptimizer(0.2).minimize(loss, global_step=step)
    ema = tf.train.ExponentialMovingAverage(0.9, num_updates=step)
    report("ema/name", ema.name)
    report("ema/average_name_before", [ema.average_name(w), ema.average_name(b)])
    with tf.control_dependencies([train]):
        train_with_ema = ema.apply([w, b])
    report("ema/op", [train_with_ema.name, train_with_ema.type])
    report("ema/average", [ema.average(w).name, ema.average(b).name,
                           ema.average(step) is None])
    report("ema/average_name", [ema.average_name(w), ema.average_name(b)])
    report("ema/collections", [
        [v.name for v in tf.moving_average_variables()],
        sorted(v.name for v in tf.global_variables()),
        sorted(v.name for v in tf.trainable_variables())])
    restore = ema.variables_to_restore()
    report("ema/variables_to_restore", sorted((k, v.name) for k, v in restore.items()))
    report("ema/variables_to_restore_list",
           sorted((k, v.name) for k, v in ema.variables_to_restore([w]).items()))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        report("ema/initial", sess.run([ema.average(w), ema.average(b)]))
        history = []
        for _ in range(5):
            sess.run(train_with_ema)
            history.append(sess.run([w, ema.average(w), b, ema.average(b)]))
        report("ema/history", history)
        report("ema/step", sess.run(step))
        # Evaluating with the averages swapped in, as eval scripts do.
        backup = sess.run([w, b])
        sess.run([tf.assign(w, ema.average(w)), tf.assign(b, ema.average(b))])
        report("ema/eval_loss", sess.run(loss))
        sess.run([tf.assign(w, backup[0]), tf.assign(b, backup[1])])
        report("ema/restored_loss", sess.run(loss))

# A fixed decay, a second apply on the same object, several EMA objects, a name scope.
with tf.Graph().as_default():
    v = tf.Variable([1.0, 2.0], name="v")
    u = tf.Variable(5.0, dtype=tf.float64, name="u")
    fast = tf.train.ExponentialMovingAverage(0.5, name="fast")
    slow = tf.train.ExponentialMovingAverage(tf.constant(0.99), name="slow")
    with tf.name_scope("averaging"):
        fast_op = fast.apply([v])
        fast_u = fast.apply([u])
    slow_op = slow.apply([v, u])
    report("multi/names", [fast_op.name, fast_u.name, slow_op.name, fast.average(v).name,
                           fast.average(u).name, slow.average(v).name,
                           slow.average(u).dtype.base_dtype.name])
    bump = tf.assign_add(v, [1.0, -1.0])
    bump_u = tf.assign_add(u, 2.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run([bump, bump_u])
            sess.run([fast_op, fast_u, slow_op])
        report("multi/values", sess.run([v, fast.average(v), slow.average(v), u,
                                         fast.average(u), slow.average(u)]))
    report_error("multi/int_var", lambda: fast.apply([tf.Variable(1, name="i")]))

# Averages of tensors: start at zero, optionally debiased.
with tf.Graph().as_default():
    x = tf.placeholder(tf.float32, [3], name="x")
    loss = tf.reduce_sum(x * x, name="loss")
    plain = tf.train.ExponentialMovingAverage(0.8, name="plain")
    debiased = tf.train.ExponentialMovingAverage(0.8, zero_debias=True, name="debiased")
    plain_op = plain.apply([loss, x])
    debiased_op = debiased.apply([loss, x])
    report("tensor/names", [plain.average(loss).name, plain.average(x).name,
                            debiased.average(loss).name, plain.average_name(loss)])
    report("tensor/globals", sorted(v.name for v in tf.global_variables()))
    report("tensor/moving_average_variables", [v.name for v in tf.moving_average_variables()])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = []
        for values in ([1.0, 2.0, 3.0], [0.5, 0.0, -1.0], [2.0, 2.0, 2.0]):
            sess.run([plain_op, debiased_op], {x: values})
            out.append(sess.run([plain.average(loss), plain.average(x),
                                 debiased.average(loss), debiased.average(x)]))
        report("tensor/values", out)

# Saving the shadows and restoring them into the model variables.
with tf.Graph().as_default():
    import os
    import tempfile
    w = tf.Variable([1.0, -1.0], name="w")
    ema = tf.train.ExponentialMovingAverage(0.5)
    update = ema.apply([w])
    change = tf.assign(w, [3.0, 3.0])
    saver = tf.train.Saver()
    path = os.path.join(tempfile.mkdtemp(), "model.ckpt")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(change)
        sess.run(update)
        saver.save(sess, path)
with tf.Graph().as_default():
    w = tf.Variable([0.0, 0.0], name="w")
    ema = tf.train.ExponentialMovingAverage(0.5)
    mapping = ema.variables_to_restore()
    report("restore/mapping", sorted((k, v.name) for k, v in mapping.items()))
    with tf.Session() as sess:
        tf.train.Saver(mapping).restore(sess, path)
        report("restore/value", sess.run(w))
