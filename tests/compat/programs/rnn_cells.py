"""tf.nn.rnn_cell cells run by tf.nn.dynamic_rnn: variable names and shapes, outputs, final
states (zeroed / copied past sequence_length) and gradients, with known variable values."""
from _compat import TENSORFLOW, report, tolerance

if TENSORFLOW:
    import os
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # rnn_cell needs tf_keras under TF 2.16+
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np

tolerance(rtol=1e-4, atol=1e-5)
rng = np.random.RandomState(0)
batch, steps, depth = 3, 4, 2
data = rng.randn(batch, steps, depth).astype(np.float32)
lengths = np.array([4, 2, 0], np.int32)
rnn_cell = tf.nn.rnn_cell


def cases():
    yield "basic_rnn", lambda: rnn_cell.BasicRNNCell(3), {}
    yield "basic_lstm", lambda: rnn_cell.BasicLSTMCell(3), {}
    yield "basic_lstm_concat", lambda: rnn_cell.BasicLSTMCell(2, forget_bias=0.5,
                                                              state_is_tuple=False), {}
    yield "lstm_peep_proj", lambda: rnn_cell.LSTMCell(3, use_peepholes=True, num_proj=2,
                                                      cell_clip=0.8), {}
    yield "gru", lambda: rnn_cell.GRUCell(3), {}
    yield "multi", lambda: rnn_cell.MultiRNNCell([rnn_cell.GRUCell(3),
                                                  rnn_cell.BasicLSTMCell(2)]), {}
    yield "dropout_keep1", lambda: rnn_cell.DropoutWrapper(rnn_cell.BasicRNNCell(2)), {}
    yield "basic_lstm_len", lambda: rnn_cell.BasicLSTMCell(3), {"sequence_length": lengths}
    yield "gru_time_major", lambda: rnn_cell.GRUCell(2), {"time_major": True}
    yield "multi_len_scope", lambda: rnn_cell.MultiRNNCell(
        [rnn_cell.BasicRNNCell(2), rnn_cell.LSTMCell(2)]), {"sequence_length": lengths,
                                                           "scope": "encoder"}


def structure_names(structure):
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):
        return type(structure).__name__
    if isinstance(structure, (list, tuple)):
        return [structure_names(s) for s in structure]
    return "tensor"


for name, make_cell, kwargs in cases():
    tf.reset_default_graph()
    cell = make_cell()
    report(name + "/sizes", [cell.state_size, cell.output_size])
    time_major = kwargs.get("time_major", False)
    inputs = np.transpose(data, (1, 0, 2)) if time_major else data
    x = tf.placeholder(tf.float32, [None] + list(inputs.shape[1:]) if not time_major
                       else [steps, None, depth], name="x")
    outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, **kwargs)
    report(name + "/variables", [(v.name, str(v.shape)) for v in tf.global_variables()])
    report(name + "/trainable", [v.name for v in tf.trainable_variables()])
    report(name + "/output", [outputs.name if not kwargs.get("time_major") else "tm",
                              str(outputs.shape), outputs.dtype.name])
    report(name + "/state_structure", structure_names(state))
    states = state if isinstance(state, tuple) else (state,)
    flat = []
    for s in states:
        flat.extend(s if isinstance(s, tuple) else [s])
    report(name + "/state_shapes", [str(s.shape) for s in flat])
    weights = tf.trainable_variables()
    loss = tf.reduce_sum(outputs * outputs) + sum(tf.reduce_sum(s * 0.5) for s in flat)
    grads = tf.gradients(loss, [x] + weights)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i, v in enumerate(weights):
            shape = v.shape.as_list()
            sess.run(tf.assign(v, (0.4 * np.sin(np.arange(np.prod(shape)) + i)).reshape(shape)
                               .astype(np.float32)))
        got_outputs, got_state = sess.run([outputs, state], {x: inputs})
        report(name + "/outputs", got_outputs)
        report(name + "/state", got_state)
        report(name + "/grads", sess.run(grads, {x: inputs}))
