"""The optimizer API around the update: compute_gradients / apply_gradients with edited
gradients, None gradients, var_list, gate_gradients, global steps, learning rates as tensors,
placeholders and callables, gradient clipping, embeddings, dropout switched off, the assign
family and the errors of common misuse."""
from _compat import TENSORFLOW, report, report_error, tolerance

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np

tolerance(rtol=1e-4, atol=1e-5)
X = np.array([[0.5, -0.2, 1.0], [0.1, 0.3, -0.7], [-1.2, 0.4, 0.2], [0.3, 0.9, -0.1]],
             np.float32)
Y = np.array([[1.0], [-0.5], [0.2], [0.7]], np.float32)
W0 = np.array([[0.3], [-0.4], [0.25]], np.float32)


def model():
    w = tf.Variable(W0, name="w")
    b = tf.Variable(np.array([0.1], np.float32), name="b")
    unused = tf.Variable([1.0, 2.0], name="unused")
    loss = tf.reduce_mean(tf.square(tf.matmul(X, w) + b - Y))
    return w, b, unused, loss


# compute_gradients: pairs, None for a variable the loss does not reach, edited gradients.
with tf.Graph().as_default():
    w, b, unused, loss = model()
    opt = tf.train.GradientDescentOptimizer(0.1)
    grads_and_vars = opt.compute_gradients(loss)
    report("cg/vars", [v.name for _, v in grads_and_vars])
    report("cg/none", [g is None for g, _ in grads_and_vars])
    report("cg/shapes", [str(g.shape) for g, _ in grads_and_vars if g is not None])
    report("cg/dtypes", [g.dtype.name for g, _ in grads_and_vars if g is not None])
    clipped = [(tf.clip_by_value(g, -0.05, 0.05), v) for g, v in grads_and_vars
               if g is not None]
    scaled = [(g * 2.0 if v is b else g, v) for g, v in clipped]
    step = tf.train.get_or_create_global_step()
    report("gs/name", [step.name, step.dtype.base_dtype.name, str(step.shape)])
    report("gs/same", [tf.train.get_global_step() is step,
                       tf.train.get_or_create_global_step() is step])
    train = opt.apply_gradients(scaled, global_step=step, name="apply_clipped")
    report("apply/op", [train.name, train.type])
    report("apply/collection", [op.name for op in tf.get_collection(tf.GraphKeys.TRAIN_OP)])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        report("cg/values", sess.run([g for g, _ in grads_and_vars if g is not None]))
        for _ in range(5):
            sess.run(train)
        report("apply/vars", sess.run([w, b, unused]))
        report("apply/global_step", sess.run(step))
        report("apply/global_step_fn", tf.train.global_step(sess, step))

# minimize with var_list, gate_gradients, global_step, learning rates as tensors.
with tf.Graph().as_default():
    w, b, unused, loss = model()
    step = tf.Variable(0, trainable=False, name="step")
    lr = tf.placeholder(tf.float32, [], name="lr")
    only_w = tf.train.GradientDescentOptimizer(lr).minimize(loss, var_list=[w],
                                                            global_step=step)
    graph_gate = tf.train.MomentumOptimizer(tf.constant(0.05), 0.9).minimize(
        loss, gate_gradients=tf.train.Optimizer.GATE_GRAPH)
    no_gate = tf.train.AdamOptimizer(lambda: 0.01).minimize(
        loss, gate_gradients=tf.train.Optimizer.GATE_NONE, var_list=[b])
    report("minimize/names", [only_w.name, only_w.type, graph_gate.name, no_gate.name])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for rate in [0.1, 0.05, 0.2]:
            sess.run(only_w, {lr: rate})
        report("minimize/var_list", sess.run([w, b, step]))
        for _ in range(3):
            sess.run(graph_gate)
        report("minimize/gate_graph", sess.run([w, b]))
        for _ in range(3):
            sess.run(no_gate)
        report("minimize/gate_none", sess.run([w, b]))
        report_error("err/no_placeholder", lambda: sess.run(only_w))

# Learning rate from a variable the program changes between steps; Adam with a tensor rate.
with tf.Graph().as_default():
    w, b, unused, loss = model()
    rate = tf.Variable(0.1, trainable=False, name="rate")
    train = tf.train.AdamOptimizer(rate).minimize(loss, var_list=[w, b])
    halve = tf.assign(rate, rate * 0.5)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = []
        for i in range(4):
            sess.run(train)
            if i == 1:
                sess.run(halve)
            out.append(sess.run(loss))
        report("var_rate/losses", np.array(out))
        report("var_rate/rate", sess.run(rate))

# Clipping by global norm before applying.
with tf.Graph().as_default():
    w, b, unused, loss = model()
    opt = tf.train.MomentumOptimizer(0.5, 0.5)
    grads, variables = zip(*opt.compute_gradients(loss, var_list=[w, b]))
    clipped, norm = tf.clip_by_global_norm(grads, 0.3)
    report("clip/names", [t.name for t in clipped] + [norm.name])
    report("clip/shapes", [str(t.shape) for t in clipped] + [str(norm.shape)])
    gnorm = tf.global_norm(grads)
    by_norm = tf.clip_by_norm(grads[0], 0.1)
    train = opt.apply_gradients(zip(clipped, variables))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        report("clip/first", sess.run([clipped, norm, gnorm, by_norm]))
        for _ in range(4):
            sess.run(train)
        report("clip/vars", sess.run([w, b]))
        report("clip/slots", sess.run([opt.get_slot(w, "momentum"),
                                        opt.get_slot(b, "momentum")]))
    tiny, tiny_norm = tf.clip_by_global_norm([tf.constant([0.1, 0.2]), None], 5.0)
    with tf.Session() as sess:
        report("clip/none_kept", [tiny[1] is None, sess.run([tiny[0], tiny_norm])])

# Embedding training: gradients through a gather.
with tf.Graph().as_default():
    table0 = np.arange(12, dtype=np.float32).reshape(6, 2) / 10.0
    table = tf.Variable(table0, name="embedding")
    ids = tf.placeholder(tf.int32, [None], name="ids")
    vectors = tf.nn.embedding_lookup(table, ids)
    report("emb/shape", str(vectors.shape))
    target = tf.constant([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    loss = tf.reduce_sum(tf.square(vectors - target))
    grad = tf.gradients(loss, table)[0]
    opt = tf.train.AdagradOptimizer(0.5)
    train = opt.minimize(loss)
    sgd = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        feed = {ids: [1, 4, 1]}
        report("emb/grad", sess.run(tf.convert_to_tensor(grad), feed))
        for _ in range(3):
            sess.run(train, feed)
        report("emb/adagrad", sess.run([table, opt.get_slot(table, "accumulator")]))
        sess.run(sgd, {ids: [0, 5, 2]})
        report("emb/sgd", sess.run(table))

# Embeddings under every optimizer: TF's sparse updates leave the rows no id looked up (and
# their slots) alone; repeated ids add up; two lookups of one table add their rows.
EMBEDDING_OPTIMIZERS = [
    ("sgd", lambda: tf.train.GradientDescentOptimizer(0.1)),
    ("momentum", lambda: tf.train.MomentumOptimizer(0.1, 0.9)),
    ("nesterov", lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True)),
    ("adagrad", lambda: tf.train.AdagradOptimizer(0.3)),
    ("adadelta", lambda: tf.train.AdadeltaOptimizer(1.0)),
    ("rmsprop", lambda: tf.train.RMSPropOptimizer(0.05, momentum=0.5)),
    ("rmsprop_centered", lambda: tf.train.RMSPropOptimizer(0.05, centered=True)),
    ("adam", lambda: tf.train.AdamOptimizer(0.1)),
    ("ftrl", lambda: tf.train.FtrlOptimizer(0.2, l1_regularization_strength=0.01)),
    ("proximal_sgd", lambda: tf.train.ProximalGradientDescentOptimizer(
        0.1, l2_regularization_strength=0.5)),
    ("proximal_adagrad", lambda: tf.train.ProximalAdagradOptimizer(
        0.1, l2_regularization_strength=0.5)),
]
for label, make in EMBEDDING_OPTIMIZERS:
    with tf.Graph().as_default():
        table = tf.Variable(np.arange(16, dtype=np.float32).reshape(8, 2) / 10.0, name="table")
        ids = tf.placeholder(tf.int32, [None], name="ids")
        other = tf.placeholder(tf.int32, [None], name="other")
        first = tf.nn.embedding_lookup(table, ids)
        second = tf.nn.embedding_lookup(table, other)
        loss = (tf.reduce_sum(tf.square(first - 1.0)) +
                tf.reduce_sum(second * tf.constant([0.5, -0.5])))
        opt = make()
        train = opt.minimize(loss)
        slots = [opt.get_slot(table, n) for n in sorted(opt.get_slot_names())]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for batch, batch2 in [([0, 1, 1], [5]), ([2], [0, 0]), ([1, 3], [3]),
                                  ([6], [6, 2])]:
                sess.run(train, {ids: batch, other: batch2})
            report("emb_opt/" + label, sess.run([table] + slots))

# Dropout switched off with keep_prob 1.0 (fed) trains deterministically.
with tf.Graph().as_default():
    w, b, unused, loss0 = model()
    keep = tf.placeholder_with_default(1.0, [], name="keep")
    hidden = tf.nn.dropout(tf.matmul(X, w), keep_prob=keep)
    rate = tf.placeholder_with_default(0.0, [], name="rate")
    hidden2 = tf.nn.dropout(hidden, rate=rate)
    loss = tf.reduce_mean(tf.square(hidden2 + b - Y))
    train = tf.train.RMSPropOptimizer(0.01, momentum=0.9).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(4):
            sess.run(train)
        report("dropout_off/vars", sess.run([w, b]))
        for _ in range(2):
            sess.run(train, {keep: 1.0, rate: 0.0})
        report("dropout_off/vars_fed", sess.run([w, b]))

# The assign family, with and without locking, and count_up_to.
with tf.Graph().as_default():
    v = tf.Variable([1.0, 2.0, 3.0], name="v")
    a1 = tf.assign(v, [4.0, 5.0, 6.0], use_locking=True)
    a2 = tf.assign_add(v, [1.0, 1.0, 1.0], use_locking=True, name="bump")
    a3 = tf.assign_sub(v, [0.5, 0.5, 0.5], use_locking=False)
    a4 = v.assign([7.0, 8.0, 9.0], use_locking=True)
    a5 = v.assign_add([1.0, 0.0, -1.0])
    a6 = v.assign_sub(tf.constant([2.0, 2.0, 2.0]), use_locking=True, read_value=False)
    report("assign/names", [a1.name, a2.name, a3.name, a4.name, a5.name, a6.name, a6.type])
    report("assign/types", [t.op.type for t in (a1, a2, a3, a4, a5)])
    report("assign/shapes", [str(t.shape) for t in (a1, a2, a3)])
    counter = tf.Variable(0, name="counter")
    up = counter.count_up_to(3)
    up2 = tf.count_up_to(counter, 5)
    report("count/op", [up.name, up.op.type, up.dtype.name, str(up.shape), up2.name])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        report("assign/values", [sess.run(a1), sess.run(a2), sess.run(a3), sess.run(a4),
                                 sess.run(a5)])
        sess.run(a6)
        report("assign/after", sess.run(v))
        report("count/values", [sess.run(up) for _ in range(3)] + [sess.run(counter)])
        report_error("count/limit", lambda: sess.run(up))
        report("count/after_limit", sess.run(counter))
        report("count/second", [sess.run(up2), sess.run(up2)])
        report_error("count/second_limit", lambda: sess.run(up2))
    report_error("assign/shape_mismatch", lambda: tf.assign(v, [1.0, 2.0]))
    report_error("assign/dtype_mismatch", lambda: tf.assign_add(v, tf.constant([1, 2, 3])))
    report_error("count/float", lambda: tf.Variable(1.0).count_up_to(3))

# Misuse of the optimizer API.
with tf.Graph().as_default():
    w, b, unused, loss = model()
    opt = tf.train.GradientDescentOptimizer(0.1)
    report_error("err/no_gradients", lambda: opt.minimize(tf.reduce_sum(unused * 0.0) +
                                                          tf.constant(1.0), var_list=[w]))
    report_error("err/apply_all_none", lambda: opt.apply_gradients([(None, w), (None, b)]))
    report_error("err/apply_empty", lambda: opt.apply_gradients([]))
    report_error("err/bad_gate", lambda: opt.minimize(loss, gate_gradients=7))
    report_error("err/int_loss", lambda: opt.minimize(tf.constant(3)))
    report_error("err/no_vars", lambda: opt.minimize(loss, var_list=[]))
    report_error("err/adagrad_init", lambda: tf.train.AdagradOptimizer(
        0.1, initial_accumulator_value=0.0))
    report_error("err/ftrl_power", lambda: tf.train.FtrlOptimizer(0.1, learning_rate_power=0.5))
    report_error("err/grad_not_tensor", lambda: opt.apply_gradients([("abc", w)]))
    int_var = tf.Variable(3, name="int_var")
    report_error("err/int_var", lambda: opt.minimize(tf.cast(int_var, tf.float32) * 2.0,
                                                     var_list=[int_var]))
    report_error("err/global_step_exists", lambda: (tf.train.create_global_step(),
                                                    tf.train.create_global_step()))
