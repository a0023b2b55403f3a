"""tf.nn.rnn_cell and tf.nn.dynamic_rnn / static_rnn / bidirectional_dynamic_rnn against numpy
recurrences, with finite-difference checks of their gradients (through tf.while_loop)."""
import numpy as np
import pytest

import graphflow as tf

rnn_cell = tf.nn.rnn_cell
RNG = np.random.RandomState(0)
DATA = RNG.randn(3, 4, 2)
LENGTHS = np.array([4, 2, 0], np.int32)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def np_basic_lstm(x, kernel, bias, forget_bias=1.0):
    c = h = np.zeros((x.shape[0], kernel.shape[1] // 4))
    outputs = []
    for t in range(x.shape[1]):
        i, j, f, o = np.split(np.concatenate([x[:, t], h], 1) @ kernel + bias, 4, axis=1)
        c = c * sigmoid(f + forget_bias) + sigmoid(i) * np.tanh(j)
        h = np.tanh(c) * sigmoid(o)
        outputs.append(h)
    return np.stack(outputs, 1), c, h


def np_gru(x, gate_kernel, gate_bias, cand_kernel, cand_bias, lengths=None):
    units = cand_kernel.shape[1]
    h = np.zeros((x.shape[0], units))
    outputs = []
    for t in range(x.shape[1]):
        r, u = np.split(sigmoid(np.concatenate([x[:, t], h], 1) @ gate_kernel + gate_bias), 2,
                        axis=1)
        cand = np.tanh(np.concatenate([x[:, t], r * h], 1) @ cand_kernel + cand_bias)
        new_h = u * h + (1 - u) * cand
        if lengths is not None:
            done = (t >= lengths)[:, None]
            outputs.append(np.where(done, 0.0, new_h))
            h = np.where(done, h, new_h)
        else:
            outputs.append(new_h)
            h = new_h
    return np.stack(outputs, 1), h


def set_known_values(sess, variables):
    values = []
    for i, v in enumerate(variables):
        shape = v.shape.as_list()
        value = 0.4 * np.sin(np.arange(np.prod(shape)) + i).reshape(shape)
        sess.run(tf.assign(v, value))
        values.append(value)
    return values


def test_basic_lstm_dynamic_rnn_matches_numpy_and_names():
    x = tf.placeholder(tf.float64, [None, 4, 2])
    outputs, state = tf.nn.dynamic_rnn(rnn_cell.BasicLSTMCell(3), x, dtype=tf.float64)
    assert [v.name for v in tf.global_variables()] == ["rnn/basic_lstm_cell/kernel:0",
                                                       "rnn/basic_lstm_cell/bias:0"]
    assert str(outputs.shape) == "(?, 4, 3)" and isinstance(state, rnn_cell.LSTMStateTuple)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        kernel, bias = set_known_values(sess, tf.trainable_variables())
        got_outputs, got_state = sess.run([outputs, state], {x: DATA})
    want_outputs, want_c, want_h = np_basic_lstm(DATA, kernel, bias)
    np.testing.assert_allclose(got_outputs, want_outputs, rtol=1e-10)
    np.testing.assert_allclose(got_state.c, want_c, rtol=1e-10)
    np.testing.assert_allclose(got_state.h, want_h, rtol=1e-10)


def test_gru_sequence_length_zeroes_outputs_and_copies_state():
    x = tf.placeholder(tf.float64, [3, 4, 2])
    outputs, state = tf.nn.dynamic_rnn(rnn_cell.GRUCell(3), x, sequence_length=LENGTHS,
                                       dtype=tf.float64)
    assert [v.name for v in tf.trainable_variables()] == [
        "rnn/gru_cell/gates/kernel:0", "rnn/gru_cell/gates/bias:0",
        "rnn/gru_cell/candidate/kernel:0", "rnn/gru_cell/candidate/bias:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = set_known_values(sess, tf.trainable_variables())
        got_outputs, got_state = sess.run([outputs, state], {x: DATA})
    want_outputs, want_state = np_gru(DATA, *values, lengths=LENGTHS)
    np.testing.assert_allclose(got_outputs, want_outputs, rtol=1e-10)
    np.testing.assert_allclose(got_state, want_state, rtol=1e-10)
    assert not got_state[2].any() and not got_outputs[1, 2:].any()


def _numeric_gradient(sess, loss, feed, set_value, value, delta=1e-6):
    """Central differences of ``loss`` in a variable, set through ``set_value``."""
    grad = np.zeros_like(value)
    for index in np.ndindex(value.shape):
        for sign in (1, -1):
            shifted = value.copy()
            shifted[index] += sign * delta
            set_value(shifted)
            grad[index] += sign * sess.run(loss, feed) / (2 * delta)
    set_value(value)
    return grad


@pytest.mark.parametrize("make_cell", [lambda: rnn_cell.BasicLSTMCell(2),
                                       lambda: rnn_cell.LSTMCell(2, use_peepholes=True,
                                                                 num_proj=2, cell_clip=0.5),
                                       lambda: rnn_cell.MultiRNNCell([rnn_cell.GRUCell(2),
                                                                      rnn_cell.BasicRNNCell(2)])])
def test_dynamic_rnn_gradients_match_finite_differences(make_cell):
    x = tf.placeholder(tf.float64, [3, 4, 2])
    outputs, state = tf.nn.dynamic_rnn(make_cell(), x, sequence_length=[4, 3, 1],
                                       dtype=tf.float64)
    leaves = _leaves(state)
    loss = tf.reduce_sum(tf.sin(outputs)) + sum(tf.reduce_sum(s * s) for s in leaves)
    kernel = tf.trainable_variables()[0]
    grad_x, grad_kernel = tf.gradients(loss, [x, kernel])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = set_known_values(sess, tf.trainable_variables())
        got_x, got_kernel = sess.run([grad_x, grad_kernel], {x: DATA})
        numeric_x = np.zeros_like(DATA)
        for index in np.ndindex(DATA.shape):
            up, down = DATA.copy(), DATA.copy()
            up[index] += 1e-6
            down[index] -= 1e-6
            numeric_x[index] = (sess.run(loss, {x: up}) - sess.run(loss, {x: down})) / 2e-6
        numeric_kernel = _numeric_gradient(sess, loss, {x: DATA},
                                           lambda v: sess.run(tf.assign(kernel, v)), values[0])
    np.testing.assert_allclose(got_x, numeric_x, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(got_kernel, numeric_kernel, rtol=1e-5, atol=1e-7)


def _leaves(structure):
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in _leaves(item)]
    return [structure]


def test_static_and_bidirectional_agree_with_dynamic():
    x = tf.placeholder(tf.float64, [3, 4, 2])
    cell = rnn_cell.GRUCell(3)
    dynamic, dynamic_state = tf.nn.dynamic_rnn(cell, x, sequence_length=LENGTHS,
                                               dtype=tf.float64)
    with tf.variable_scope("rnn", reuse=True):
        static, static_state = tf.nn.static_rnn(cell, tf.unstack(x, axis=1),
                                                sequence_length=LENGTHS, dtype=tf.float64,
                                                scope=tf.get_variable_scope())
    (fw, bw), (fw_state, bw_state) = tf.nn.bidirectional_dynamic_rnn(
        rnn_cell.GRUCell(3), rnn_cell.GRUCell(3), x, sequence_length=LENGTHS,
        dtype=tf.float64)
    names = [v.name for v in tf.trainable_variables()]
    assert len(names) == 12 and names[4].startswith("bidirectional_rnn/fw/gru_cell/") and \
        names[8].startswith("bidirectional_rnn/bw/gru_cell/")
    assert str(bw.shape) == "(3, 4, 3)"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = set_known_values(sess, tf.trainable_variables())
        got = sess.run([dynamic, dynamic_state, tf.stack(static, 1), static_state, fw, bw,
                        bw_state], {x: DATA})
    np.testing.assert_allclose(got[0], got[2], rtol=1e-12)
    np.testing.assert_allclose(got[1], got[3], rtol=1e-12)
    want_fw, _ = np_gru(DATA, *values[4:8], lengths=LENGTHS)
    np.testing.assert_allclose(got[4], want_fw, rtol=1e-10)
    reversed_data = DATA.copy()
    for b, n in enumerate(LENGTHS):
        reversed_data[b, :n] = DATA[b, :n][::-1]
    want_bw_reversed, want_bw_state = np_gru(reversed_data, *values[8:12], lengths=LENGTHS)
    want_bw = want_bw_reversed.copy()
    for b, n in enumerate(LENGTHS):
        want_bw[b, :n] = want_bw_reversed[b, :n][::-1]
    np.testing.assert_allclose(got[5], want_bw, rtol=1e-10)
    np.testing.assert_allclose(got[6], want_bw_state, rtol=1e-10)


def test_variables_made_in_a_while_body_belong_to_the_outer_graph():
    def body(i, h):
        w = tf.get_variable("w", [2, 2], initializer=tf.constant_initializer(0.5))
        return i + 1, tf.matmul(h, w)

    with tf.variable_scope("outer"):
        _, h = tf.while_loop(lambda i, h: i < 3, body, [0, tf.ones([1, 2])])
    assert [v.name for v in tf.global_variables()] == ["outer/w:0"]
    grad = tf.gradients(tf.reduce_sum(h), tf.global_variables())[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(h), [[1.0, 1.0]])
        np.testing.assert_allclose(sess.run(grad), np.full((2, 2), 3.0))


def test_cell_reuses_variables_and_validates_inputs():
    cell = rnn_cell.BasicRNNCell(2)
    x = tf.ones([3, 2])
    state = cell.zero_state(3, tf.float32)
    assert state.name == "BasicRNNCellZeroState/zeros:0" and str(state.shape) == "(3, 2)"
    out1, _ = cell(x, state)
    out2, _ = cell(x, out1)
    assert [v.name for v in cell.trainable_variables] == ["basic_rnn_cell/kernel:0",
                                                          "basic_rnn_cell/bias:0"]
    assert len(tf.global_variables()) == 2
    with pytest.raises(ValueError, match="dtype"):
        tf.nn.dynamic_rnn(rnn_cell.GRUCell(2), tf.ones([3, 4, 2]))
    with pytest.raises(TypeError, match="not an RNNCell"):
        tf.nn.dynamic_rnn(lambda a, b: a, tf.ones([3, 4, 2]), dtype=tf.float32)
    with pytest.raises(ValueError, match="Input size"):
        tf.nn.dynamic_rnn(rnn_cell.GRUCell(2), tf.placeholder(tf.float32, [3, 4, None]),
                          dtype=tf.float32)


def test_reverse_sequence_shape_takes_the_batch_from_the_lengths():
    x = tf.placeholder(tf.float32, [None, 4, 2])
    assert str(tf.reverse_sequence(x, [1, 2, 3], seq_axis=1, batch_axis=0).shape) == \
        "(3, 4, 2)"
    with pytest.raises(ValueError, match="Dimensions must be equal"):
        tf.reverse_sequence(tf.zeros([2, 4]), [1, 2, 3], seq_axis=1, batch_axis=0)


@pytest.mark.parametrize("wrap", [
    lambda cell: rnn_cell.DropoutWrapper(cell, output_keep_prob=0.5),
    lambda cell: rnn_cell.DropoutWrapper(cell, input_keep_prob=0.7, state_keep_prob=0.6,
                                         output_keep_prob=0.5, seed=5)])
def test_dynamic_rnn_dropout_gradients_use_the_forward_masks(wrap):
    """With a graph seed every new session draws the same masks, so a finite difference over
    fresh sessions differentiates the very function whose gradient the first one computes."""
    tf.set_random_seed(11)
    x = tf.placeholder(tf.float64, [3, 4, 2])
    cell = wrap(rnn_cell.GRUCell(3))
    outputs, state = tf.nn.dynamic_rnn(cell, x, sequence_length=[4, 3, 2], dtype=tf.float64)
    weights = np.linspace(-1.0, 1.0, 36).reshape(3, 4, 3)
    loss = tf.reduce_sum(outputs * weights) + tf.reduce_sum(tf.square(state))
    variables = tf.trainable_variables()
    grads = tf.gradients(loss, [x] + variables)
    assert [g.shape.as_list() for g in grads[1:]] == [v.shape.as_list() for v in variables]

    def fresh(fetch, value):
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return sess.run(fetch, {x: value})

    got_outputs, got_grad = fresh([outputs, grads[0]], DATA)
    assert 0 < np.mean(got_outputs[:, :2] == 0) < 1  # dropped and kept outputs alike
    for direction in RNG.randn(2, 3, 4, 2):
        step = 1e-6
        numeric = (fresh(loss, DATA + step * direction) -
                   fresh(loss, DATA - step * direction)) / (2 * step)
        np.testing.assert_allclose(np.sum(got_grad * direction), numeric, rtol=1e-6)
    with tf.Session() as sess:  # and training runs draw new masks each step
        sess.run(tf.global_variables_initializer())
        first, second = (sess.run(grads[0], {x: DATA}) for _ in range(2))
        assert not np.allclose(first, second)
