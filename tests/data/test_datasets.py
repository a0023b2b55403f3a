"""tf.data in graph mode: structure, iteration semantics, per-session state, errors."""
import numpy as np
import pytest

import graphflow as tf

FEATURES = np.arange(12, dtype=np.float32).reshape(6, 2)
LABELS = np.array([0, 1, 0, 1, 1, 0], np.int64)


def drain(sess, fetch, feed_dict=None, limit=1000):
    values = []
    for _ in range(limit):
        try:
            values.append(sess.run(fetch, feed_dict))
        except tf.errors.OutOfRangeError:
            return values
    raise AssertionError("the dataset did not end within %d elements" % limit)


def test_structure_types_and_static_shapes():
    pairs = tf.data.Dataset.from_tensor_slices((FEATURES, LABELS))
    assert pairs.output_types == (tf.float32, tf.int64)
    assert [s.as_list() for s in pairs.output_shapes] == [[2], []]
    assert [s.as_list() for s in pairs.batch(4).output_shapes] == [[None, 2], [None]]
    assert [s.as_list() for s in pairs.batch(4, True).output_shapes] == [[4, 2], [4]]
    as_dict = tf.data.Dataset.from_tensor_slices({"y": LABELS, "x": FEATURES})
    assert as_dict.output_types == {"x": tf.float32, "y": tf.int64}
    # a list is one tensor, not a structure
    assert tf.data.Dataset.from_tensor_slices([[1, 2], [3, 4]]).output_shapes.as_list() == [2]
    assert tf.data.Dataset.range(3).output_types == tf.int64
    mapped = pairs.map(lambda x, y: [tf.reduce_sum(x), y])  # a list result becomes a tuple
    assert mapped.output_types == (tf.float32, tf.int64)
    assert tf.data.get_output_shapes(mapped)[0].as_list() == []


def test_one_shot_iterator_ends_with_out_of_range_and_stays_ended():
    x, y = tf.data.Dataset.from_tensor_slices((FEATURES, LABELS)).batch(4) \
        .make_one_shot_iterator().get_next()
    assert x.name == "IteratorGetNext:0" and str(x.shape) == "(?, 2)"
    with tf.Session() as sess:
        first = sess.run([x, y])
        np.testing.assert_array_equal(first[0], FEATURES[:4])
        np.testing.assert_array_equal(sess.run(y), LABELS[4:])
        for _ in range(2):
            with pytest.raises(tf.errors.OutOfRangeError):
                sess.run(x)


def test_get_next_is_stateful_each_op_draws_its_own_element():
    iterator = tf.data.Dataset.range(10).make_one_shot_iterator()
    a, b = iterator.get_next(), iterator.get_next()
    assert a.op is not b.op and b.name == "IteratorGetNext_1:0"
    doubled = a * 2  # never folded or merged with another draw
    with tf.Session() as sess:
        together = sess.run([a, b])
        assert sorted(together) == [0, 1]
        assert sess.run(doubled) == 4 and sess.run(doubled) == 6


def test_initializable_iterator_reads_placeholders_at_initialization_and_restarts():
    x_in = tf.placeholder(tf.float32, [None, 2])
    size = tf.placeholder(tf.int64, [])
    factor = tf.placeholder(tf.float32, [])
    dataset = tf.data.Dataset.from_tensor_slices(x_in).map(lambda x: x * factor).batch(size)
    assert dataset.output_shapes.as_list() == [None, 2]
    iterator = dataset.make_initializable_iterator()
    batch = iterator.get_next()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError):
            sess.run(batch)
        sess.run(iterator.initializer, {x_in: FEATURES, size: 4, factor: 2.0})
        values = drain(sess, batch)  # the placeholders need no feed after initialization
        np.testing.assert_array_equal(np.concatenate(values), FEATURES * 2)
        assert [len(v) for v in values] == [4, 2]
        sess.run(iterator.initializer, {x_in: FEATURES[:2], size: 1, factor: -1.0})
        assert [v.tolist() for v in drain(sess, batch)] == [[[-0.0, -1.0]], [[-2.0, -3.0]]]


def test_each_session_keeps_its_own_position():
    value = tf.data.Dataset.range(5).make_one_shot_iterator().get_next()
    with tf.Session() as first, tf.Session() as second:
        assert [first.run(value), first.run(value), second.run(value)] == [0, 1, 0]


@pytest.mark.parametrize("backend", ["numba", "reference"])
def test_training_loop_over_epochs(backend):
    x_in, y_in = tf.placeholder(tf.float32, [None, 2]), tf.placeholder(tf.float32, [None])
    iterator = tf.data.Dataset.from_tensor_slices((x_in, y_in)).batch(4) \
        .make_initializable_iterator()
    bx, by = iterator.get_next()
    w = tf.Variable(np.zeros((2, 1), np.float32))
    loss = tf.reduce_mean(tf.square(tf.squeeze(tf.matmul(bx, w), 1) - by))
    train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    targets = FEATURES @ np.array([0.5, -0.25], np.float32)
    steps = 0
    with tf.Session(config=tf.ConfigProto(backend=backend)) as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(iterator.initializer, {x_in: FEATURES, y_in: targets})
            while True:
                try:
                    sess.run(train)
                    steps += 1
                except tf.errors.OutOfRangeError:
                    break
        assert steps == 6
        w_value = sess.run(w)
    expected = np.zeros((2, 1), np.float32)
    for _ in range(3):
        for start in (0, 4):
            xb, yb = FEATURES[start:start + 4], targets[start:start + 4]
            grad = 2 * xb.T @ (xb @ expected - yb[:, None]) / len(xb)
            expected -= 0.01 * grad
    np.testing.assert_allclose(w_value, expected, rtol=1e-4)


def test_transformations():
    def values(dataset):
        with tf.Session() as sess:
            return drain(sess, dataset.make_one_shot_iterator().get_next())
    r = tf.data.Dataset.range
    filtered = r(10).filter(lambda v: tf.equal(v % 3, 0)).map(lambda v: v * 10)
    assert values(filtered) == [0, 30, 60, 90]
    assert values(r(10).skip(2).take(3)) == [2, 3, 4]
    assert values(r(3).take(-1).skip(-1)) == []
    assert values(r(2).concatenate(r(5, 7))) == [0, 1, 5, 6]
    assert values(r(3).cache().repeat(2)) == [0, 1, 2, 0, 1, 2]
    assert values(r(0).repeat()) == []
    assert values(r(1, 4).interleave(lambda n: tf.data.Dataset.from_tensors(n).repeat(n),
                                     cycle_length=2)) == [1, 2, 2, 3, 3, 3]
    assert values(tf.data.Dataset.from_tensor_slices(np.arange(4).reshape(2, 2))
                  .flat_map(tf.data.Dataset.from_tensor_slices)) == [0, 1, 2, 3]
    zipped = values(tf.data.Dataset.zip((r(3), r(10, 12))))
    assert [tuple(int(v) for v in pair) for pair in zipped] == [(0, 10), (1, 11)]
    padded = values(r(1, 4).map(lambda n: tf.range(n)).padded_batch(2, padded_shapes=[None]))
    assert [p.tolist() for p in padded] == [[[0, 0], [0, 1]], [[0, 1, 2]]]
    unbatched = values(r(5).batch(2).apply(tf.data.experimental.unbatch()))
    assert unbatched == [0, 1, 2, 3, 4]


def test_shuffle_keeps_contents_and_reshuffles_each_epoch():
    tf.set_random_seed(3)
    value = tf.data.Dataset.range(50).shuffle(50).repeat(2).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        seen = drain(sess, value)
    first, second = seen[:50], seen[50:]
    assert sorted(first) == sorted(second) == list(range(50))
    assert first != second and first != list(range(50))


def test_from_generator_checks_what_it_yields():
    def generator():
        yield [1.0, 2.0], 1
        yield [3.0], 2
    dataset = tf.data.Dataset.from_generator(generator, (tf.float32, tf.int32),
                                             ([None], []))
    x, n = dataset.make_one_shot_iterator().get_next()
    assert x.dtype == tf.float32 and str(x.shape) == "(?,)"
    with tf.Session() as sess:
        assert sess.run(x).tolist() == [1.0, 2.0] and sess.run(n) == 2
    strict = tf.data.Dataset.from_generator(lambda: iter([[1.0, 2.0]]), tf.float32, [3])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(strict.make_one_shot_iterator().get_next())


def test_reinitializable_and_feedable_iterators():
    train = tf.data.Dataset.range(3)
    valid = tf.data.Dataset.range(10, 12)
    iterator = tf.data.Iterator.from_structure(train.output_types, train.output_shapes)
    value = iterator.get_next()
    train_init, valid_init = iterator.make_initializer(train), iterator.make_initializer(valid)
    with pytest.raises(TypeError):
        iterator.make_initializer(tf.data.Dataset.from_tensors(1.0))
    with pytest.raises(ValueError):
        iterator.initializer  # noqa: B018 - the property raises
    handle = tf.placeholder(tf.string, [])
    feedable = tf.data.Iterator.from_string_handle(handle, train.output_types)
    one_shot = train.repeat().make_one_shot_iterator()
    with tf.Session() as sess:
        sess.run(train_init)
        assert drain(sess, value) == [0, 1, 2]
        sess.run(valid_init)
        assert drain(sess, value) == [10, 11]
        train_handle = sess.run(one_shot.string_handle())
        assert [sess.run(feedable.get_next(), {handle: train_handle}) for _ in range(4)] == \
            [0, 1, 2, 0]


def test_misuse_errors():
    with pytest.raises(ValueError):
        tf.data.Dataset.from_tensor_slices(3.0)
    with pytest.raises(ValueError):
        tf.data.Dataset.from_tensor_slices((np.zeros(3), np.zeros(4)))
    with pytest.raises(ValueError):
        tf.data.Dataset.range(3).filter(lambda v: v)
    with pytest.raises(ValueError):
        tf.data.Dataset.from_tensor_slices(tf.placeholder(tf.float32, [None])) \
            .make_one_shot_iterator()
    ragged = tf.data.Dataset.range(1, 3).map(lambda n: tf.range(n)).batch(2) \
        .make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(ragged)


def test_eager_iteration_runs_the_traced_functions():
    from graphflow.eager import eager_mode
    with eager_mode():
        dataset = tf.data.Dataset.from_tensor_slices((FEATURES, LABELS)) \
            .map(lambda x, y: (x * 2.0, y)).batch(4)
        batches = [(x.numpy(), y.numpy()) for x, y in dataset]
    np.testing.assert_array_equal(np.concatenate([x for x, _ in batches]), FEATURES * 2)
    assert [len(y) for _, y in batches] == [4, 2]
    with pytest.raises(RuntimeError):
        iter(tf.data.Dataset.range(3))
