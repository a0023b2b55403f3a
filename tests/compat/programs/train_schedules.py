"""Learning-rate schedules of tf.train evaluated along a global step, their tensor names and
dtypes, an optimizer driven by one, and the errors of common misuse."""
from _compat import TENSORFLOW, report, report_error, tolerance

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np

tolerance(rtol=1e-5, atol=1e-7)
STEPS = [0, 1, 2, 5, 9, 10, 11, 25, 40, 99, 100, 150]

with tf.Graph().as_default():
    step = tf.placeholder(tf.int64, [], name="step")
    schedules = {
        "exponential": tf.train.exponential_decay(0.1, step, 10, 0.5),
        "exponential_staircase": tf.train.exponential_decay(0.1, step, 10, 0.5, staircase=True,
                                                            name="stairs"),
        "piecewise": tf.train.piecewise_constant(step, [10, 40], [1.0, 0.5, 0.1]),
        "piecewise_int32": tf.train.piecewise_constant(tf.cast(step, tf.int32), [5, 25],
                                                       [0.3, 0.2, 0.1], name="pc"),
        "piecewise_int_values": tf.train.piecewise_constant(step, [10], [7, 3]),
        "polynomial": tf.train.polynomial_decay(0.1, step, 100, 0.001),
        "polynomial_power": tf.train.polynomial_decay(0.1, step, 100, 0.01, power=2.0),
        "polynomial_cycle": tf.train.polynomial_decay(0.1, step, 40, 0.01, power=0.5,
                                                      cycle=True),
        "inverse_time": tf.train.inverse_time_decay(0.1, step, 10, 0.5),
        "inverse_time_staircase": tf.train.inverse_time_decay(0.1, step, 10, 0.5,
                                                              staircase=True),
        "natural_exp": tf.train.natural_exp_decay(0.1, step, 10, 0.5),
        "natural_exp_staircase": tf.train.natural_exp_decay(0.1, step, 10, 0.5,
                                                            staircase=True),
        "cosine": tf.train.cosine_decay(0.1, step, 100),
        "cosine_alpha": tf.train.cosine_decay(0.1, step, 40, alpha=0.1),
        "cosine_restarts": tf.train.cosine_decay_restarts(0.1, step, 10),
        "cosine_restarts_mul": tf.train.cosine_decay_restarts(0.1, step, 10, t_mul=1.5,
                                                              m_mul=0.8, alpha=0.05),
        "linear_cosine": tf.train.linear_cosine_decay(0.1, step, 100),
        "linear_cosine_args": tf.train.linear_cosine_decay(0.1, step, 40, num_periods=2.0,
                                                           alpha=0.1, beta=0.01),
        "tensor_rate": tf.train.exponential_decay(tf.constant(0.2, tf.float64), step, 10, 0.9),
    }
    names = sorted(schedules)
    report("names", [[k, schedules[k].name, schedules[k].dtype.name, str(schedules[k].shape)]
                     for k in names])
    with tf.Session() as sess:
        for k in names:
            report("values/" + k, np.array([sess.run(schedules[k], {step: s}) for s in STEPS]))

# An optimizer whose rate decays with the global step that minimize increments.
with tf.Graph().as_default():
    w = tf.Variable([1.0, -2.0], name="w")
    loss = tf.reduce_sum(tf.square(w))
    global_step = tf.train.get_or_create_global_step()
    rate = tf.train.exponential_decay(0.4, global_step, 3, 0.5, staircase=True)
    train = tf.train.MomentumOptimizer(rate, 0.5).minimize(loss, global_step=global_step)
    rate2 = tf.train.piecewise_constant(global_step, [2, 4], [0.1, 0.05, 0.01])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        seen = []
        for _ in range(7):
            seen.append(sess.run([rate, rate2]))
            sess.run(train)
        report("driven/rates", np.array(seen))
        report("driven/w", sess.run(w))
        report("driven/step", sess.run(global_step))

with tf.Graph().as_default():
    step = tf.Variable(0, trainable=False, name="step")
    report_error("err/exp_no_step", lambda: tf.train.exponential_decay(0.1, None, 10, 0.5))
    report_error("err/poly_no_step", lambda: tf.train.polynomial_decay(0.1, None, 10))
    report_error("err/cosine_no_step", lambda: tf.train.cosine_decay(0.1, None, 10))
    report_error("err/piecewise_lengths",
                 lambda: tf.train.piecewise_constant(step, [1, 2], [0.1, 0.2]))
    report_error("err/piecewise_mixed", lambda: tf.train.piecewise_constant(
        step, [1], [tf.constant(1.0), tf.constant(2.0, tf.float64)]))
    report_error("err/inverse_no_step", lambda: tf.train.inverse_time_decay(0.1, None, 10, 0.5))
