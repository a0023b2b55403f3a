"""Whole-step compilation (codegen/numba_step.py): a hot, small plan runs as one Numba function
and gives what the node-by-node executors give; programs it cannot compile keep running."""
import numpy as np
import pytest

import graphflow as tf
from graphflow.compiler.codegen import numba_step
from graphflow.runtime.fetch import structure_key


@pytest.fixture(autouse=True)
def compile_at_once(monkeypatch):
    monkeypatch.setattr(numba_step, "WHOLE_STEP_AFTER", 1)
    monkeypatch.setattr(numba_step, "MIN_COMPUTE_NODES", 1)


def whole_steps(sess, fetches=None):
    """The compiled whole steps of the session's plans (of those for ``fetches`` if given)."""
    return [plan.executable._whole_step for key, signature in sess._signatures.items()
            if fetches is None or key[0] == structure_key(fetches)
            for plan in signature.plans.values()]


def mlp(optimizer, sizes=(3, 8, 8, 2), batch=5, seed=0):
    rng = np.random.RandomState(seed)
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, sizes[0]])
        y = tf.placeholder(tf.float32, [None, sizes[-1]])
        h = x
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            w = tf.Variable(rng.randn(n_in, n_out).astype(np.float32) * 0.5)
            b = tf.Variable(rng.randn(n_out).astype(np.float32) * 0.1)
            h = tf.matmul(h, w) + b
            if i < len(sizes) - 2:
                h = tf.nn.tanh(h) if i % 2 else tf.nn.relu(h)
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=h))
        train = optimizer().minimize(loss)
        init = tf.global_variables_initializer()
    feeds = {x: rng.rand(batch, sizes[0]).astype(np.float32),
             y: np.eye(sizes[-1], dtype=np.float32)[rng.randint(0, sizes[-1], batch)]}
    return graph, init, loss, train, feeds


OPTIMIZERS = {
    "sgd": lambda: tf.train.GradientDescentOptimizer(0.3),
    "momentum": lambda: tf.train.MomentumOptimizer(0.1, 0.9),
    "nesterov": lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
    "adam": lambda: tf.train.AdamOptimizer(0.05),
}


def train_both(optimizer, steps=6, **kwargs):
    graph, init, loss, train, feeds = mlp(optimizer, **kwargs)
    sessions = [tf.Session(graph=graph, config=tf.ConfigProto(backend=backend))
                for backend in ("numba", "reference")]
    histories = []
    for sess in sessions:
        sess.run(init)
        histories.append([sess.run([loss, train], feeds)[0] for _ in range(steps)])
    variables = graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)
    return sessions, histories, [[s.run(v) for v in variables] for s in sessions]


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_training_steps_match_the_reference_executor(name):
    sessions, (compiled, reference), (values, expected) = train_both(OPTIMIZERS[name])
    assert any(step is not None for step in whole_steps(sessions[0])), numba_step.last_reason
    np.testing.assert_allclose(compiled, reference, rtol=2e-5)
    assert compiled[-1] < compiled[0]
    for got, want in zip(values, expected):
        np.testing.assert_allclose(got, want, rtol=2e-5, atol=1e-6)


def test_plain_sgd_updates_are_exact():
    _, (compiled, reference), (values, expected) = train_both(OPTIMIZERS["sgd"], steps=3,
                                                              sizes=(4, 2), batch=3)
    np.testing.assert_array_equal(values[0], expected[0])


def test_fetching_a_variable_with_its_update_reads_the_new_value():
    graph, init, loss, train, feeds = mlp(OPTIMIZERS["sgd"])
    with graph.as_default():
        w = graph.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)[0]
    results = []
    for backend in ("numba", "reference"):
        sess = tf.Session(graph=graph, config=tf.ConfigProto(backend=backend))
        sess.run(init)
        for _ in range(3):
            out = sess.run({"loss": loss, "step": train, "w": w}, feeds)
        results.append(out)
    assert results[0]["step"] is None
    np.testing.assert_allclose(results[0]["w"], results[1]["w"], rtol=1e-6)
    np.testing.assert_allclose(results[0]["loss"], results[1]["loss"], rtol=1e-6)


def test_fetched_results_and_stored_variables_are_independent_arrays():
    graph = tf.Graph()
    with graph.as_default():
        v = tf.Variable(np.ones(3, np.float32))
        x = tf.placeholder(tf.float32, [3])
        step = tf.assign(v, v * 2 + x)
        doubled = x * 2
    sess = tf.Session(graph=graph)
    sess.run(v.initializer)
    first = sess.run([doubled, step], {x: np.zeros(3, np.float32)})
    assert any(whole_steps(sess)), numba_step.last_reason
    first[0][:] = 99  # the user owns fetched arrays
    first[1][:] = 99
    np.testing.assert_array_equal(sess.run(v), [2, 2, 2])
    np.testing.assert_array_equal(sess.run(doubled, {x: np.ones(3, np.float32)}), [2, 2, 2])


def test_reductions_over_a_block_of_axes():
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [3, 4, 5])
        outs = [tf.reduce_max(x, [1, 2]), tf.reduce_min(x, 0, keepdims=True),
                tf.reduce_mean(x, [0, 1]), tf.reduce_sum(x), tf.reduce_max(x, -1)]
    data = np.random.RandomState(1).randn(3, 4, 5).astype(np.float32)
    data[0, 1, 2] = np.nan
    sess = tf.Session(graph=graph)
    got = sess.run(outs, {x: data})
    assert any(whole_steps(sess)), numba_step.last_reason
    want = [data.max((1, 2)), data.min(0, keepdims=True), data.mean((0, 1)), data.sum(),
            data.max(-1)]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-5)


def test_scalars_fed_and_fetched():
    graph = tf.Graph()
    with graph.as_default():
        a, b = tf.placeholder(tf.float32, []), tf.placeholder(tf.float32, [])
        c = a * b + 1.0
    sess = tf.Session(graph=graph)
    for _ in range(3):
        value = sess.run(c, {a: 2.0, b: 3.0})
    assert any(whole_steps(sess)), numba_step.last_reason
    assert value == 7.0 and isinstance(value, np.float32)


def test_a_program_of_one_op_keeps_running_it_alone(monkeypatch):
    monkeypatch.setattr(numba_step, "MIN_COMPUTE_NODES", 4)
    graph = tf.Graph()
    with graph.as_default():
        a, b = tf.placeholder(tf.float32, []), tf.placeholder(tf.float32, [])
        c = a + b
    sess = tf.Session(graph=graph)
    assert sess.run(c, {a: 1.0, b: 2.0}) == 3.0
    assert whole_steps(sess) == [None]
    assert "as fast one by one" in numba_step.last_reason


def test_non_contiguous_feeds():
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        y = tf.reduce_sum(tf.matmul(x, tf.constant(np.eye(3, dtype=np.float32) * 2)), 0)
    data = np.arange(24, dtype=np.float32).reshape(4, 6)[:, ::2]
    sess = tf.Session(graph=graph)
    np.testing.assert_allclose(sess.run(y, {x: data}), (data * 2).sum(0))
    assert any(whole_steps(sess)), numba_step.last_reason


def test_uninitialized_variable_still_raises_the_tf_error_and_the_session_recovers():
    graph, init, loss, train, feeds = mlp(OPTIMIZERS["sgd"])
    sess = tf.Session(graph=graph)
    with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized"):
        sess.run(train, feeds)
    sess.run(init)
    before = sess.run(loss, feeds)
    for _ in range(3):
        sess.run(train, feeds)
    assert sess.run(loss, feeds) < before


def test_dropout_draws_what_the_node_by_node_run_draws():
    results = []
    for backend in ("numba", "reference"):
        graph = tf.Graph()
        with graph.as_default():
            tf.set_random_seed(3)
            x = tf.placeholder(tf.float32, [4, 5])
            y = tf.reduce_sum(tf.nn.dropout(tf.nn.relu(x), rate=0.5), 1)
        sess = tf.Session(graph=graph, config=tf.ConfigProto(backend=backend))
        data = np.arange(20, dtype=np.float32).reshape(4, 5) - 5
        results.append([sess.run(y, {x: data}) for _ in range(4)])
        if backend == "numba":
            assert any(whole_steps(sess)), numba_step.last_reason
    np.testing.assert_allclose(results[0], results[1], rtol=1e-6)
    assert not np.allclose(results[0][0], results[0][1])  # a fresh mask each run


@pytest.mark.parametrize("build, reason", [
    (lambda x: x * tf.cast(tf.random_uniform([2, 3], maxval=tf.Variable(5), dtype=tf.int32),
                           tf.float32), "computed inputs"),
    (lambda x: tf.matmul(tf.tile(x, [64, 200]), tf.ones([600, 600])), "large"),
    (lambda x: tf.strings.as_string(x) if hasattr(tf, "strings") else tf.cast(x, tf.string),
     "dtype"),
])
def test_programs_it_cannot_compile_run_node_by_node(build, reason):
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [2, 3])
        y = build(x)
        init = tf.global_variables_initializer()
    sess = tf.Session(graph=graph)
    sess.run(init)
    data = np.ones((2, 3), np.float32)
    sess.run(y, {x: data})
    assert whole_steps(sess, y) == [None]
    assert reason in numba_step.last_reason


def test_a_read_after_an_update_in_the_same_run_is_not_compiled():
    graph = tf.Graph()
    with graph.as_default():
        v = tf.Variable(np.ones(2, np.float32))
        update = tf.assign(v, v + 1.0)
        with tf.control_dependencies([update]):
            after = tf.identity(v.read_value() * 1.0)
    sess = tf.Session(graph=graph)
    sess.run(v.initializer)
    np.testing.assert_array_equal(sess.run(after), [2, 2])
    np.testing.assert_array_equal(sess.run(after), [3, 3])
    assert whole_steps(sess, after) == [None]
    assert "read after its update" in numba_step.last_reason


def test_generated_source_reads_as_one_function():
    graph, init, loss, train, feeds = mlp(OPTIMIZERS["sgd"])
    sess = tf.Session(graph=graph)
    sess.run(init)
    sess.run(train, feeds)
    plan = sess._signatures[(train, tuple(feeds))].plans[(feeds_shape := tuple(
        np.shape(v) for v in feeds.values()))]
    assert plan.executable._whole_step is not None and feeds_shape
    source = numba_step._Generator(plan.program, sess._resources).generate()
    assert source.count("def step(") == 1
    assert source.count("matmul(") >= 8 and source.count("apply_gradient_descent(") == 6


@pytest.mark.parametrize("shape", [(300, 70), (600, 450)], ids=["one-thread", "threads"])
def test_node_by_node_gradient_descent_updates_in_place_and_exactly(monkeypatch, shape):
    monkeypatch.setattr(numba_step, "WHOLE_STEP_AFTER", -1)
    graph = tf.Graph()
    with graph.as_default():
        w = tf.Variable(np.random.RandomState(0).randn(*shape).astype(np.float32))
        x = tf.placeholder(tf.float32, shape)
        train = tf.train.GradientDescentOptimizer(0.01).minimize(tf.reduce_sum(w * x))
    data = np.random.RandomState(1).randn(*shape).astype(np.float32)
    values = []
    for backend in ("numba", "reference"):
        sess = tf.Session(graph=graph, config=tf.ConfigProto(backend=backend))
        sess.run(w.initializer)
        sess.run(train, {x: data})
        stored = id(sess.variables.values[w.op.name])  # the id only: holding it would share it
        sess.run(train, {x: data})
        if backend == "numba":
            # the new value was allocated while the old one was alive: the same id is in place
            assert id(sess.variables.values[w.op.name]) == stored
        held = sess.run(w)  # a copy: the store's array stays unshared
        sess.run(train, {x: data})
        values.append(sess.run(w))
        np.testing.assert_allclose(held, values[-1] + np.float32(0.01) * data, rtol=1e-5,
                                   atol=1e-6)
    np.testing.assert_array_equal(values[0], values[1])


def test_a_variable_assigned_another_shape_makes_the_step_run_node_by_node():
    graph = tf.Graph()
    with graph.as_default():
        v = tf.Variable(np.ones(2, np.float32))
        doubled = v * 2.0 + 1.0
        grow = tf.assign(v, np.ones(3, np.float32), validate_shape=False)
    sess = tf.Session(graph=graph)
    sess.run(v.initializer)
    np.testing.assert_array_equal(sess.run(doubled), [3, 3])
    assert any(whole_steps(sess, doubled)), numba_step.last_reason
    sess.run(grow)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"lhs shape= \[3\] rhs shape= \[2\]"):
        sess.run(v.initializer)  # validated against the value held now, as in TF
    np.testing.assert_array_equal(sess.run(doubled), [3, 3, 3])  # never the old shape's loop


def test_non_finite_constants():
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [3])
        y = tf.maximum(x, tf.constant([np.inf, -np.inf, np.nan], tf.float32)) * 2.0
    sess = tf.Session(graph=graph)
    got = sess.run(y, {x: np.zeros(3, np.float32)})
    assert any(whole_steps(sess)), numba_step.last_reason
    np.testing.assert_array_equal(got, [np.inf, 0, np.nan])


def test_updates_write_the_variables_buffers_in_place_and_holders_keep_their_values():
    graph, init, loss, train, feeds = mlp(OPTIMIZERS["momentum"])
    variables = graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)
    sess = tf.Session(graph=graph)
    sess.run(init)
    sess.run(train, feeds)
    assert any(whole_steps(sess)), numba_step.last_reason
    store = sess.variables.values
    buffers = [id(store[v.op.name].base) for v in variables]
    sess.run(train, feeds)
    assert [id(store[v.op.name].base) for v in variables] == buffers  # no new arrays
    held = store[variables[0].op.name]  # as a run in progress elsewhere would hold it
    before = held.copy()
    sess.run(train, feeds)
    np.testing.assert_array_equal(held, before)
    assert not np.array_equal(sess.run(variables[0]), before)
    assert not held.flags.writeable and not store[variables[0].op.name].flags.writeable


def test_assignments_and_restores_between_compiled_steps_are_seen():
    graph, init, loss, train, feeds = mlp(OPTIMIZERS["adam"])
    with graph.as_default():
        variables = graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)
        w = graph.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)[0]
        saver = tf.train.Saver()
    import tempfile
    directory = tempfile.mkdtemp()
    histories = []
    for backend in ("numba", "reference"):
        sess = tf.Session(graph=graph, config=tf.ConfigProto(backend=backend))
        sess.run(init)
        history = [sess.run([loss, train], feeds)[0] for _ in range(3)]
        path = saver.save(sess, directory + "/" + backend)
        w.load(np.full(w.shape.as_list(), 0.25, np.float32), sess)
        history += [sess.run([loss, train], feeds)[0] for _ in range(3)]
        saver.restore(sess, path)
        history += [sess.run([loss, train], feeds)[0] for _ in range(3)]
        histories.append(history + [sess.run(v) for v in variables])
    for got, expected in zip(*histories):
        np.testing.assert_allclose(got, expected, rtol=2e-5, atol=1e-6)


def test_a_read_fetched_with_the_update_keeps_the_value_it_read():
    graph = tf.Graph()
    with graph.as_default():
        w = tf.Variable(np.arange(6, dtype=np.float32).reshape(2, 3))
        flat = tf.reshape(w, [-1])  # scheduled before the update: it reads the old value
        x = tf.placeholder(tf.float32, [4, 2])
        train = tf.train.GradientDescentOptimizer(0.5).minimize(
            tf.reduce_sum(tf.tanh(tf.matmul(x, w))))
    data = np.random.RandomState(0).rand(4, 2).astype(np.float32)
    results = []
    for backend in ("numba", "reference"):
        sess = tf.Session(graph=graph, config=tf.ConfigProto(backend=backend))
        sess.run(w.initializer)
        fetches = [flat, train]
        for _ in range(3):
            before = sess.run(w)
            got = sess.run(fetches, {x: data})[0]
            np.testing.assert_array_equal(got, before.ravel())
        if backend == "numba":
            assert any(whole_steps(sess, fetches)), numba_step.last_reason
        results.append([got, sess.run(w)])
    assert not np.array_equal(results[0][0], results[0][1].ravel())
    for got, expected in zip(*results):
        np.testing.assert_allclose(got, expected, rtol=1e-6)
