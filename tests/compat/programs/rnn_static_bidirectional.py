"""tf.nn.static_rnn, bidirectional_dynamic_rnn, static_bidirectional_rnn, cells called
directly, custom RNNCell subclasses, zero_state and reuse: names, shapes, values, gradients."""
from _compat import TENSORFLOW, report, report_error, tolerance

if TENSORFLOW:
    import os
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # rnn_cell needs tf_keras under TF 2.16+
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np

tolerance(rtol=1e-4, atol=1e-5)
rng = np.random.RandomState(1)
batch, steps, depth = 3, 4, 2
data = rng.randn(batch, steps, depth).astype(np.float32)
lengths = np.array([3, 4, 1], np.int32)
rnn_cell = tf.nn.rnn_cell


def set_weights(sess, variables):
    for i, v in enumerate(variables):
        shape = v.shape.as_list()
        sess.run(tf.assign(v, (0.5 * np.cos(np.arange(np.prod(shape)) * 0.7 + i))
                           .reshape(shape).astype(np.float32)))


def run(name, fetches, feed, extra=()):
    weights = tf.trainable_variables()
    report(name + "/variables", [(v.name, str(v.shape)) for v in tf.global_variables()])
    leaves = []

    def walk(s):
        if isinstance(s, (list, tuple)):
            for item in s:
                walk(item)
        else:
            leaves.append(s)
    walk(fetches)
    report(name + "/shapes", [str(t.shape) for t in leaves])
    loss = sum(tf.reduce_sum(t * t) for t in leaves)
    grads = tf.gradients(loss, list(extra) + weights)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        set_weights(sess, weights)
        report(name + "/values", sess.run(fetches, feed))
        report(name + "/grads", sess.run(grads, feed))


# static_rnn over a list of steps, with and without sequence_length
for with_lengths in (False, True):
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, steps, depth], name="x")
    step_inputs = tf.unstack(x, axis=1)
    kwargs = {"sequence_length": lengths} if with_lengths else {}
    outputs, state = tf.nn.static_rnn(rnn_cell.BasicLSTMCell(3), step_inputs,
                                      dtype=tf.float32, **kwargs)
    report("static%d/names" % with_lengths,
           [o.name for o in outputs] + [state.c.name, state.h.name] if not with_lengths
           else len(outputs))
    run("static%d" % with_lengths, [outputs, state], {x: data}, extra=[x])

# bidirectional_dynamic_rnn, batch major and time major
for time_major in (False, True):
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [steps, None, depth] if time_major else [None, steps, depth])
    fw = rnn_cell.LSTMCell(3, use_peepholes=True)
    bw = rnn_cell.GRUCell(2)
    (out_fw, out_bw), (state_fw, state_bw) = tf.nn.bidirectional_dynamic_rnn(
        fw, bw, x, sequence_length=lengths, dtype=tf.float32, time_major=time_major)
    feed = {x: np.transpose(data, (1, 0, 2)) if time_major else data}
    if not time_major:
        report("bidir/names", [out_fw.name])
    run("bidir%d" % time_major, [out_fw, out_bw, state_fw, state_bw], feed, extra=[x])

# bidirectional without lengths, reusing one cell object in each direction's own scope
tf.reset_default_graph()
x = tf.placeholder(tf.float32, [batch, steps, depth])
outputs, states = tf.nn.bidirectional_dynamic_rnn(rnn_cell.BasicRNNCell(2),
                                                  rnn_cell.BasicRNNCell(2), x,
                                                  dtype=tf.float32, scope="birnn")
concat = tf.concat(outputs, 2)
report("bidir_concat/shape", str(concat.shape))
run("bidir_plain", [concat, states], {x: data}, extra=[x])

# static_bidirectional_rnn
tf.reset_default_graph()
x = tf.placeholder(tf.float32, [batch, steps, depth])
outputs, state_fw, state_bw = tf.nn.static_bidirectional_rnn(
    rnn_cell.GRUCell(2), rnn_cell.GRUCell(3), tf.unstack(x, axis=1), dtype=tf.float32,
    sequence_length=lengths)
run("static_bidir", [outputs, state_fw, state_bw], {x: data}, extra=[x])

# a cell called directly, twice (the second call reuses its variables), and zero_state
tf.reset_default_graph()
cell = rnn_cell.GRUCell(3, name="my_gru")
x = tf.constant(data[:, 0])
zero = cell.zero_state(batch, tf.float32)
report("direct/zero", [zero.name, str(zero.shape)])
h1, _ = cell(x, zero)
h2, _ = cell(x * 2.0, h1)
report("direct/weights", [v.name for v in cell.trainable_variables])
lstm = rnn_cell.BasicLSTMCell(2)
lstm_zero = lstm.zero_state(tf.shape(x)[0], tf.float32)
report("direct/lstm_zero", [str(lstm_zero.c.shape), str(lstm_zero.h.shape)])
with tf.variable_scope("decoder"):
    out, new_state = lstm(x, lstm_zero)
run("direct", [h1, h2, out, new_state], {})

# a custom cell: tf.get_variable inside call; and a MultiRNNCell with state_is_tuple=False
tf.reset_default_graph()


class ScaledCell(rnn_cell.RNNCell):
    def __init__(self, units):
        super(ScaledCell, self).__init__()
        self._units = units

    @property
    def state_size(self):
        return self._units

    @property
    def output_size(self):
        return self._units

    def call(self, inputs, state):
        w = tf.get_variable("w", [inputs.shape[-1].value, self._units])
        u = tf.get_variable("u", [self._units, self._units])
        new = tf.tanh(tf.matmul(inputs, w) + tf.matmul(state, u))
        return new * 2.0, new


x = tf.placeholder(tf.float32, [batch, steps, depth])
multi = rnn_cell.MultiRNNCell([ScaledCell(2), rnn_cell.BasicRNNCell(3)],
                              state_is_tuple=False)
report("custom/sizes", [multi.state_size, multi.output_size])
outputs, state = tf.nn.dynamic_rnn(multi, x, dtype=tf.float32, sequence_length=lengths)
run("custom", [outputs, state], {x: data}, extra=[x])

# an initial state passed in; dtype inferred from it
tf.reset_default_graph()
x = tf.placeholder(tf.float32, [batch, steps, depth])
cell = rnn_cell.BasicLSTMCell(2)
initial = rnn_cell.LSTMStateTuple(tf.ones([batch, 2]) * 0.3, tf.ones([batch, 2]) * -0.2)
outputs, state = tf.nn.dynamic_rnn(cell, x, initial_state=initial)
run("initial", [outputs, state], {x: data}, extra=[x])

# misuse
tf.reset_default_graph()
x = tf.placeholder(tf.float32, [batch, steps, depth])
report_error("err/no_dtype", lambda: tf.nn.dynamic_rnn(rnn_cell.GRUCell(2), x))
report_error("err/not_a_cell", lambda: tf.nn.dynamic_rnn(lambda a, b: a, x,
                                                         dtype=tf.float32))
report_error("err/rank2", lambda: tf.nn.dynamic_rnn(rnn_cell.GRUCell(2), x[:, 0],
                                                    dtype=tf.float32))
report_error("err/unknown_depth", lambda: tf.nn.dynamic_rnn(
    rnn_cell.GRUCell(2), tf.placeholder(tf.float32, [batch, steps, None]), dtype=tf.float32))
report_error("err/static_not_list", lambda: tf.nn.static_rnn(rnn_cell.GRUCell(2), x,
                                                             dtype=tf.float32))
report_error("err/static_empty", lambda: tf.nn.static_rnn(rnn_cell.GRUCell(2), [],
                                                          dtype=tf.float32))
report_error("err/bad_lengths", lambda: tf.nn.dynamic_rnn(
    rnn_cell.GRUCell(2), x, sequence_length=[[1, 2, 3]], dtype=tf.float32))
report_error("err/multi_empty", lambda: rnn_cell.MultiRNNCell([]))
