import numpy as np
import pytest
from gradcheck import check_gradients

import graphflow as tf


def test_only_the_taken_branch_runs():
    x = tf.placeholder(tf.float32, [])
    v = tf.Variable(0.0)
    y = tf.cond(x > 0, lambda: tf.identity(v.assign_add(1.0)) * x + 100.0,
                lambda: x * 2.0)
    assert y.name == "cond/Merge:0"
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(y, {x: 3.0}) == 103.0 and sess.run(v) == 1.0
        assert sess.run(y, {x: -3.0}) == -6.0 and sess.run(v) == 1.0


def test_structures_nesting_and_case():
    x = tf.placeholder(tf.float32, [])
    pair = tf.cond(x > 0, lambda: (x, {"double": x * 2}), lambda: (-x, {"double": x * 4}))
    nested = tf.cond(x > 0, lambda: tf.cond(x > 10, lambda: x * 0, lambda: x + 1),
                     lambda: x - 1)
    picked = tf.case([(x > 5, lambda: tf.constant(5.0)), (x > 0, lambda: tf.constant(1.0))],
                     default=lambda: tf.constant(-1.0))
    with tf.Session() as sess:
        assert sess.run(pair, {x: 2.0}) == (2.0, {"double": 4.0})
        assert sess.run(pair, {x: -2.0}) == (2.0, {"double": -8.0})
        assert [sess.run(nested, {x: v}) for v in (20.0, 2.0, -2.0)] == [0.0, 3.0, -3.0]
        assert [sess.run(picked, {x: v}) for v in (7.0, 2.0, -2.0)] == [5.0, 1.0, -1.0]


@pytest.mark.parametrize("value", [1.5, -1.5])
def test_gradients_flow_through_the_taken_branch(value):
    check_gradients(lambda x: tf.cond(tf.reduce_sum(x) > 0, lambda: tf.square(x) * 3.0,
                                      lambda: tf.sin(x)), [np.array([value, value * 0.5])])


def test_branch_mismatch_and_untaken_fetch_errors():
    x = tf.placeholder(tf.float32, [])
    with pytest.raises(ValueError, match="same type"):
        tf.cond(x > 0, lambda: x, lambda: tf.cast(x, tf.int32))
    with pytest.raises(ValueError, match="same number"):
        tf.cond(x > 0, lambda: (x, x), lambda: x)
    inner = []
    y = tf.cond(x > 0, lambda: inner.append(x * 7.0) or inner[0], lambda: x)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="not taken"):
            sess.run(inner[0], {x: -1.0})
        assert sess.run(y, {x: 1.0}) == 7.0


def test_training_flag_with_cond_in_a_model():
    x = tf.placeholder(tf.float32, [None, 3])
    training = tf.placeholder_with_default(False, [])
    h = tf.cond(training, lambda: tf.nn.dropout(x, rate=0.5), lambda: x)
    loss = tf.reduce_sum(h)
    (g,) = tf.gradients(loss, x)
    with tf.Session() as sess:
        data = np.ones((2, 3), np.float32)
        assert sess.run(loss, {x: data}) == 6.0
        np.testing.assert_array_equal(sess.run(g, {x: data}), data)
        assert set(np.unique(sess.run(g, {x: data, training: True}))) <= {0.0, 2.0}


def test_while_loop_values_structures_and_limits():
    x0 = tf.placeholder(tf.float32, [None])
    k = tf.constant(2.0)  # captured from the outer graph
    i, x = tf.while_loop(lambda i, x: i < 5, lambda i, x: (i + 1, x * k), [tf.constant(0), x0])
    capped = tf.while_loop(lambda n: n < 100, lambda n: n * 3, tf.constant(1),
                           maximum_iterations=3)
    grown = tf.while_loop(
        lambda j, a: j < 3, lambda j, a: (j + 1, tf.concat([a, [tf.cast(j, tf.float32)]], 0)),
        [tf.constant(0), tf.zeros([0])],
        shape_invariants=[tf.TensorShape([]), tf.TensorShape([None])])
    single = tf.while_loop(lambda j: j < 7, lambda j: j + 2, [tf.constant(0)])
    assert grown[1].shape.as_list() == [None] and isinstance(single, tf.Tensor)
    with tf.Session() as sess:
        got_i, got_x = sess.run([i, x], {x0: [1.0, 2.0]})
        assert got_i == 5 and got_x.tolist() == [32.0, 64.0]
        assert sess.run(capped) == 27 and sess.run(single) == 8
        assert sess.run(grown)[1].tolist() == [0.0, 1.0, 2.0]


def test_while_body_updates_variables_and_draws_fresh_randoms():
    v = tf.Variable(0.0)
    tf.set_random_seed(1)
    steps = tf.while_loop(lambda j: j < 4,
                          lambda j: j + tf.cast(v.assign_add(1.0) > 0, tf.int32),
                          [tf.constant(0)])
    total = tf.while_loop(lambda j, s: j < 50, lambda j, s: (j + 1, s + tf.random_uniform([])),
                          [0, 0.0])[1]
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(steps) == 4 and sess.run(v) == 4.0
        first = sess.run(total)
        assert 15.0 < first < 35.0 and sess.run(total) != first


def test_while_loop_errors():
    with pytest.raises(ValueError, match="enters the loop with shape"):
        tf.while_loop(lambda a: a < 3, lambda a: tf.stack([a, a]), [tf.constant(0)])
    with pytest.raises(ValueError, match="same number"):
        tf.while_loop(lambda a, b: a < 3, lambda a, b: a + 1, [tf.constant(0), tf.constant(1)])


def test_while_results_take_the_structure_body_returns():
    as_list = tf.while_loop(lambda i, j: i < 3, lambda i, j: [i + 1, j * 2],
                            (tf.constant(0), tf.constant(1)))
    as_tuple = tf.while_loop(lambda i: i < 3, lambda i: (i + 1,), [tf.constant(0)],
                             return_same_structure=True)
    assert isinstance(as_list, list) and isinstance(as_tuple, tuple)


def _recurrence(a, h0):
    """h <- tanh(h * a + 1) three times, beside an integer counter and a captured tensor."""
    return tf.while_loop(lambda i, h: i < 3, lambda i, h: (i + 1, tf.tanh(h * a + 1.0)),
                         [tf.constant(0), h0])[1]


def test_while_gradients_match_central_differences():
    check_gradients(_recurrence, [np.array([0.3, -0.7]), np.array([0.1, 0.5])])
    check_gradients(lambda a: tf.while_loop(lambda i, v: i < 2, lambda i, v: (
        i + 1, tf.while_loop(lambda j, u: j < 2, lambda j, u: (j + 1, tf.sin(u) * a),
                             [0, v])[1] + v), [0, a])[1], [np.array([0.5, -1.5])])
    check_gradients(lambda a: tf.while_loop(
        lambda i, s: i < 2, lambda i, s: (i + 1, tf.concat([s, s[-1:] * a], 0)), [0, a[:1]],
        shape_invariants=[tf.TensorShape([]), tf.TensorShape([None])])[1],
        [np.array([0.5, -1.5])])


def test_while_gradient_respects_maximum_iterations_and_zero_iterations():
    a = tf.placeholder(tf.float32, [])
    n = tf.placeholder(tf.int32, [])
    power = tf.while_loop(lambda i, v: i < n, lambda i, v: [i + 1, v * a], [0, 1.0],
                          maximum_iterations=3)[1]
    grad = tf.gradients(power, a)[0]
    with tf.Session() as sess:
        assert sess.run(grad, {a: 2.0, n: 10}) == 12.0  # d(a^3)/da
        assert sess.run(grad, {a: 2.0, n: 2}) == 4.0
        assert sess.run(grad, {a: 2.0, n: 0}) == 0.0


def test_training_through_a_while_loop():
    w = tf.Variable(0.5)
    out = tf.while_loop(lambda i, h: i < 4, lambda i, h: (i + 1, h * w + 1.0), [0, 0.0])[1]
    loss = tf.square(out - 2.0)
    train = tf.train.GradientDescentOptimizer(0.05).minimize(loss)
    with tf.Session() as sess:
        sess.run(w.initializer)
        first = sess.run(loss)
        for _ in range(20):
            sess.run(train)
        assert sess.run(loss) < first * 0.05


def test_while_gradient_uses_the_numbers_the_forward_pass_drew():
    # s <- s * w * m with a fresh 0/1 draw m per iteration: ds/dw = n * s / w for the drawn m.
    w = tf.placeholder(tf.float64, [])
    total = tf.while_loop(
        lambda i, s: i < 6,
        lambda i, s: (i + 1, s * w * tf.floor(tf.random_uniform([4], dtype=tf.float64) + 0.7)),
        [0, tf.ones([4], tf.float64)])[1]
    grad = tf.gradients(tf.reduce_sum(total), w)[0]
    with tf.Session() as sess:
        for _ in range(5):
            got_total, got_grad = sess.run([total, grad], {w: 1.5})
            np.testing.assert_allclose(got_grad, np.sum(6 * got_total / 1.5))
        assert sess.run(total, {w: 1.5}).shape == (4,)  # no gradient fetched: no record kept


def _fresh_session_value(fetch, feed):
    """``fetch`` in a new session: with a graph seed, every session draws the same numbers."""
    with tf.Session() as sess:
        return sess.run(fetch, feed)


def test_while_gradient_through_a_cond_and_a_nested_random_loop():
    tf.set_random_seed(7)
    x = tf.placeholder(tf.float64, [3])

    def body(i, h):
        inner = tf.while_loop(lambda j, u: j < 2,
                              lambda j, u: (j + 1, u * tf.random_uniform([3], 1.0, 2.0,
                                                                         dtype=tf.float64)),
                              [0, h])[1]
        return i + 1, tf.cond(tf.equal(i % 2, 0), lambda: tf.sin(inner), lambda: inner * x)

    loss = tf.reduce_sum(tf.while_loop(lambda i, h: i < 3, body, [0, x])[1])
    grad = tf.gradients(loss, x)[0]
    value = np.array([0.3, -0.5, 0.8])
    got = _fresh_session_value(grad, {x: value})
    step = 1e-6
    numeric = [(_fresh_session_value(loss, {x: value + step * e}) -
                _fresh_session_value(loss, {x: value - step * e})) / (2 * step)
               for e in np.eye(3)]
    np.testing.assert_allclose(got, numeric, rtol=1e-6, atol=1e-8)
    with tf.Session() as sess:
        assert not np.allclose(sess.run(grad, {x: value}), sess.run(grad, {x: value}))


def test_while_loop_records_are_per_run_under_threads():
    import threading
    w = tf.placeholder(tf.float64, [])
    total = tf.while_loop(
        lambda i, s: i < 20,
        lambda i, s: (i + 1, s * w * tf.floor(tf.random_uniform([64], dtype=tf.float64) + 0.9)),
        [0, tf.ones([64], tf.float64)])[1]
    grad = tf.gradients(tf.reduce_sum(total), w)[0]
    failures = []
    with tf.Session() as sess:
        def work():
            for _ in range(20):
                got_total, got_grad = sess.run([total, grad], {w: 1.01})
                if not np.isclose(got_grad, np.sum(20 * got_total / 1.01)):
                    failures.append((got_total, got_grad))
        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not failures


def test_a_while_keeps_its_loop_record_only_where_a_gradient_reads_it():
    from graphflow.compiler import optimized_program
    x = tf.placeholder(tf.float32, [2])
    out = tf.while_loop(lambda i, h: i < 3, lambda i, h: (i + 1, tf.tanh(h) * x), [0, x])[1]
    grad = tf.gradients(out, x)[0]

    def records(fetch):
        program, _ = optimized_program(fetch, {x: None})
        return [node.attrs["record"] for node in program.nodes if node.type == "While"]
    assert records(out) == [False] and records(grad) == [True]
    assert out.graph.get_operation_by_name("while/While").get_attr("record") is True
