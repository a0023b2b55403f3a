"""Every TF1 optimizer for a few steps on a small model from constant initial values: slot
names and values, non-slot variables, the update op's name and the variables afterwards."""
from _compat import TENSORFLOW, report, tolerance

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


def optimizers():
    return [
        ("sgd", lambda: tf.train.GradientDescentOptimizer(0.1)),
        ("momentum", lambda: tf.train.MomentumOptimizer(0.05, 0.9)),
        ("nesterov", lambda: tf.train.MomentumOptimizer(0.05, 0.8, use_nesterov=True)),
        ("adam", lambda: tf.train.AdamOptimizer(0.05, beta1=0.8, beta2=0.99, epsilon=1e-3)),
        ("adam_default", lambda: tf.train.AdamOptimizer()),
        ("adagrad", lambda: tf.train.AdagradOptimizer(0.2, initial_accumulator_value=0.5)),
        ("adadelta", lambda: tf.train.AdadeltaOptimizer(1.0, rho=0.9, epsilon=1e-6)),
        ("rmsprop", lambda: tf.train.RMSPropOptimizer(0.01)),
        ("rmsprop_momentum", lambda: tf.train.RMSPropOptimizer(0.01, decay=0.8, momentum=0.7)),
        ("rmsprop_centered", lambda: tf.train.RMSPropOptimizer(0.01, momentum=0.5,
                                                               centered=True, epsilon=1e-4)),
        ("ftrl", lambda: tf.train.FtrlOptimizer(0.3)),
        ("ftrl_l1l2", lambda: tf.train.FtrlOptimizer(
            0.3, learning_rate_power=-0.6, initial_accumulator_value=0.2,
            l1_regularization_strength=0.01, l2_regularization_strength=0.02)),
        ("ftrl_shrinkage", lambda: tf.train.FtrlOptimizer(
            0.3, l2_regularization_strength=0.01, l2_shrinkage_regularization_strength=0.05)),
        ("proximal_sgd", lambda: tf.train.ProximalGradientDescentOptimizer(
            0.1, l1_regularization_strength=0.01, l2_regularization_strength=0.05)),
        ("proximal_sgd_plain", lambda: tf.train.ProximalGradientDescentOptimizer(0.1)),
        ("proximal_adagrad", lambda: tf.train.ProximalAdagradOptimizer(
            0.2, initial_accumulator_value=0.3, l1_regularization_strength=0.01,
            l2_regularization_strength=0.05)),
        ("proximal_adagrad_plain", lambda: tf.train.ProximalAdagradOptimizer(0.2)),
        ("adagrad_da", lambda: tf.train.AdagradDAOptimizer(
            0.2, tf.train.get_or_create_global_step(), initial_gradient_squared_accumulator_value=0.2,
            l1_regularization_strength=0.01, l2_regularization_strength=0.02)),
    ]


for label, make in optimizers():
    with tf.Graph().as_default():
        w = tf.Variable(W0, name="w")
        b = tf.Variable(np.array([0.1], np.float32), name="b")
        pred = tf.matmul(X, w) + b
        loss = tf.reduce_mean(tf.square(pred - Y))
        opt = make()
        # AdagradDA reads the global step, so that optimizer also increments it.
        step = tf.train.get_global_step()
        train = opt.minimize(loss, global_step=step)
        report(label + "/op", [train.name, train.type])
        report(label + "/get_name", opt.get_name())
        report(label + "/slot_names", sorted(opt.get_slot_names()))
        slots = [opt.get_slot(v, n) for n in sorted(opt.get_slot_names()) for v in (w, b)]
        report(label + "/slot_vars", [s.name for s in slots])
        report(label + "/slot_trainable", [s in tf.trainable_variables() for s in slots])
        report(label + "/globals", sorted(v.name for v in tf.global_variables()))
        report(label + "/opt_variables", [v.name for v in opt.variables()])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            report(label + "/initial_slots", sess.run(slots))
            losses = []
            for _ in range(6):
                _, value = sess.run([train, loss])
                losses.append(value)
            report(label + "/losses", np.array(losses))
            report(label + "/vars", sess.run([w, b]))
            report(label + "/slots", sess.run(slots))
            report(label + "/all_opt_vars", sess.run(opt.variables()))

# Adam's accumulators: names, dtype, values after steps, and float64 variables.
with tf.Graph().as_default():
    w = tf.Variable(W0.astype(np.float64), name="w64")
    v2 = tf.Variable([1.0, 2.0], dtype=tf.float64, name="v2")
    loss = tf.reduce_sum(tf.matmul(X.astype(np.float64), w) ** 2) + tf.reduce_sum(v2 ** 3)
    opt = tf.train.AdamOptimizer(0.1, beta1=0.7, beta2=0.95, name="MyAdam")
    train = opt.minimize(loss)
    b1, b2 = opt._get_beta_accumulators()
    report("adam64/accumulators", [b1.name, b2.name, b1.dtype.base_dtype.name])
    report("adam64/slots", [opt.get_slot(w, "m").name, opt.get_slot(v2, "v").name,
                            opt.get_slot(w, "m").dtype.base_dtype.name])
    report("adam64/missing_slot", opt.get_slot(w, "nope") is None)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        report("adam64/powers_before", sess.run([b1, b2]))
        for _ in range(4):
            sess.run(train)
        report("adam64/powers_after", sess.run([b1, b2]))
        report("adam64/vars", sess.run([w, v2]))

# Two optimizers on the same variables: slot names are uniquified.
with tf.Graph().as_default():
    w = tf.Variable(W0, name="w")
    loss = tf.reduce_sum(tf.matmul(X, w))
    first = tf.train.AdamOptimizer(0.1)
    second = tf.train.AdamOptimizer(0.1)
    t1 = first.minimize(loss)
    t2 = second.minimize(loss)
    mom = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss, name="step_mom")
    report("twice/names", [t1.name, t2.name, mom.name, first.get_slot(w, "m").name,
                           second.get_slot(w, "m").name])
    report("twice/globals", sorted(v.name for v in tf.global_variables()))
    with tf.variable_scope("outer"):
        with tf.name_scope("ns"):
            u = tf.Variable([1.0, 2.0], name="u")
            t3 = tf.train.RMSPropOptimizer(0.1).minimize(tf.reduce_sum(u * u))
    report("scoped/names", [u.name, t3.name] + sorted(v.name for v in tf.global_variables()
                                                      if "u/" in v.name))
