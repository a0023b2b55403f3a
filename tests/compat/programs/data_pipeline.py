"""tf.data as TF1 programs use it: sources, transformations, static structure (types, shapes),
one-shot and initializable iterators, end-of-data errors, re-initialization, feedable
switching between datasets, and per-session iterator state."""
from _compat import TENSORFLOW, report, report_error, tolerance

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np


def drain(sess, fetch, feed_dict=None, limit=100):
    """Every value ``fetch`` gives until the end of the data."""
    values = []
    for _ in range(limit):
        try:
            values.append(sess.run(fetch, feed_dict))
        except tf.errors.OutOfRangeError:
            break
    return values


features = np.arange(12, dtype=np.float32).reshape(6, 2)
labels = np.array([0, 1, 0, 1, 1, 0], np.int64)

# -- static structure ------------------------------------------------------------------------------
pairs = tf.data.Dataset.from_tensor_slices((features, labels))
report("pairs_types", pairs.output_types)
report("pairs_shapes", pairs.output_shapes)
batched = pairs.batch(4)
report("batched_shapes", batched.output_shapes)
report("batched_drop_shapes", pairs.batch(4, drop_remainder=True).output_shapes)
report("range_types", tf.data.Dataset.range(5).output_types)
report("from_tensors_shapes", tf.data.Dataset.from_tensors(features).output_shapes)
as_dict = tf.data.Dataset.from_tensor_slices({"x": features, "y": labels})
report("dict_types", as_dict.output_types)
report("dict_shapes", as_dict.output_shapes)
report("list_is_one_tensor", tf.data.Dataset.from_tensor_slices([[1, 2], [3, 4]]).output_shapes)
report("python_float_dtype", tf.data.Dataset.from_tensor_slices([1.5, 2.5]).output_types)
mapped = pairs.map(lambda x, y: (tf.reduce_sum(x) * 2.0, tf.cast(y, tf.int32)))
report("mapped_types", mapped.output_types)
report("mapped_shapes", mapped.output_shapes)
report("map_list_result_types",
       tf.data.Dataset.range(3).map(lambda x: [x, x * 2]).output_types)
zipped = tf.data.Dataset.zip((tf.data.Dataset.range(3), pairs))
report("zip_types", zipped.output_types)
report("zip_shapes", zipped.output_shapes)
padded = tf.data.Dataset.range(1, 5).map(lambda n: tf.range(n)).padded_batch(
    2, padded_shapes=[None])
report("padded_shapes", padded.output_shapes)
report("unbatch_shapes", batched.apply(tf.data.experimental.unbatch()).output_shapes)
report("element_spec_shape", pairs.element_spec[0].shape)
report("get_output_types", tf.data.get_output_types(batched))

# -- one-shot iterators ---------------------------------------------------------------------------
one_shot = pairs.shuffle(10, seed=3).repeat(2).batch(4).make_one_shot_iterator()
x_batch, y_batch = one_shot.get_next()
report("get_next_tensors", [x_batch, y_batch])
second_get_next = one_shot.get_next()
report("second_get_next_name", second_get_next[0].name)
report_error("one_shot_has_no_initializer", lambda: one_shot.initializer)
report_error("one_shot_placeholder",
             lambda: tf.data.Dataset.from_tensor_slices(
                 tf.placeholder(tf.float32, [None])).make_one_shot_iterator())
ranged = tf.data.Dataset.range(10).filter(lambda v: tf.equal(v % 3, 0)).map(
    lambda v: v * 10).make_one_shot_iterator().get_next()
skipped = tf.data.Dataset.range(10).skip(2).take(3).make_one_shot_iterator().get_next()
concatenated = tf.data.Dataset.range(2).concatenate(tf.data.Dataset.range(5, 7)) \
    .make_one_shot_iterator().get_next()
cached = tf.data.Dataset.range(3).map(lambda v: v + 1).cache().repeat(2) \
    .make_one_shot_iterator().get_next()
zipped_next = zipped.batch(2).make_one_shot_iterator().get_next()
padded_next = padded.make_one_shot_iterator().get_next()
strings = tf.data.Dataset.from_tensor_slices(["a", "bc", "def"]).map(
    lambda s: (s, tf.size(tf.reshape(s, [1])))).make_one_shot_iterator().get_next()
from_tensors = tf.data.Dataset.from_tensors((features, 3)).repeat(2) \
    .make_one_shot_iterator().get_next()
enumerated = tf.data.Dataset.from_tensor_slices(np.array([5.0, 6.0], np.float32)) \
    .apply(tf.data.experimental.enumerate_dataset()).make_one_shot_iterator().get_next()
report("enumerated_types", [t.dtype for t in enumerated])


def gen():
    for i in range(4):
        yield np.full([i % 2 + 1], i, np.float32), i


generated = tf.data.Dataset.from_generator(
    gen, (tf.float32, tf.int32), (tf.TensorShape([None]), tf.TensorShape([])))
report("generator_shapes", generated.output_shapes)
generated_next = generated.make_one_shot_iterator().get_next()

with tf.Session() as sess:
    shuffled = []
    for step in range(3):
        xs, ys = sess.run([x_batch, y_batch])
        report("one_shot_batch_shape_%d" % step, [xs.shape, ys.shape])
        shuffled.extend(zip(xs[:, 0].tolist(), ys.tolist()))
    report("shuffled_repeat_sorted", sorted(shuffled))
    report_error("one_shot_exhausted", lambda: sess.run(x_batch))
    report_error("one_shot_stays_exhausted", lambda: sess.run(y_batch))
    report("filter_map", drain(sess, ranged))
    report("skip_take", drain(sess, skipped))
    report("concatenate", drain(sess, concatenated))
    report("cache_repeat", drain(sess, cached))
    report("zip_batches", drain(sess, zipped_next))
    report("padded_batches", drain(sess, padded_next))
    report("strings", drain(sess, strings))
    report("from_tensors_repeat", drain(sess, from_tensors))
    report("enumerated", drain(sess, enumerated))
    report("generator", drain(sess, generated_next))

# -- initializable iterators: placeholders read at initialization ---------------------------------
x_in = tf.placeholder(tf.float32, [None, 2], name="x_in")
y_in = tf.placeholder(tf.int64, [None], name="y_in")
batch_size = tf.placeholder(tf.int64, [], name="batch_size")
fed = tf.data.Dataset.from_tensor_slices((x_in, y_in)).map(
    lambda x, y: (x / 2.0, y)).batch(batch_size)
report("fed_shapes", fed.output_shapes)
iterator = fed.make_initializable_iterator()
next_x, next_y = iterator.get_next()
report("initializer", iterator.initializer)
total = tf.reduce_sum(next_x)
with tf.Session() as sess:
    report_error("not_initialized", lambda: sess.run(next_x))
    sess.run(iterator.initializer, {x_in: features, y_in: labels, batch_size: 4})
    report("fed_epoch_1", drain(sess, [next_x, next_y]))
    report_error("fed_end", lambda: sess.run(next_x))
    sess.run(iterator.initializer, {x_in: features[:3], y_in: labels[:3], batch_size: 2})
    report("fed_epoch_2", drain(sess, total))

# -- a training loop over epochs ------------------------------------------------------------------
x_train = tf.placeholder(tf.float32, [None, 2])
y_train = tf.placeholder(tf.float32, [None])
train_data = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(2)
train_iterator = train_data.make_initializable_iterator()
bx, by = train_iterator.get_next()
w = tf.Variable(np.array([[0.1], [-0.2]], np.float32), name="w")
b = tf.Variable(0.0, name="b")
prediction = tf.squeeze(tf.matmul(bx, w), 1) + b
loss = tf.reduce_mean(tf.square(prediction - by))
grads = tf.gradients(loss, [w, b])
train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
targets = (features @ np.array([0.5, -0.25], np.float32) + 1.0).astype(np.float32)
losses = []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for epoch in range(3):
        sess.run(train_iterator.initializer, {x_train: features, y_train: targets})
        steps = 0
        while True:
            try:
                _, value = sess.run([train, loss])
                losses.append(value)
                steps += 1
            except tf.errors.OutOfRangeError:
                break
        report("steps_epoch_%d" % epoch, steps)
    report("train_losses", losses)
    report("trained", sess.run([w, b]))
    sess.run(train_iterator.initializer, {x_train: features, y_train: targets})
    report("grads", sess.run(grads))

# -- reinitializable and feedable iterators ------------------------------------------------------
train_set = tf.data.Dataset.range(4).map(lambda v: tf.cast(v, tf.float32))
valid_set = tf.data.Dataset.range(10, 12).map(lambda v: tf.cast(v, tf.float32) * 2.0)
structure_iterator = tf.data.Iterator.from_structure(train_set.output_types,
                                                     train_set.output_shapes)
structure_next = structure_iterator.get_next()
train_init = structure_iterator.make_initializer(train_set)
valid_init = structure_iterator.make_initializer(valid_set)
report("make_initializer_op", train_init)
report_error("make_initializer_wrong_type",
             lambda: structure_iterator.make_initializer(tf.data.Dataset.range(3)))
handle = tf.placeholder(tf.string, [])
feedable = tf.data.Iterator.from_string_handle(handle, train_set.output_types,
                                               train_set.output_shapes)
feedable_next = feedable.get_next()
train_one_shot = train_set.repeat().make_one_shot_iterator()
valid_initializable = valid_set.make_initializable_iterator()
with tf.Session() as sess:
    sess.run(train_init)
    report("reinit_train", drain(sess, structure_next))
    sess.run(valid_init)
    report("reinit_valid", drain(sess, structure_next))
    train_handle, valid_handle = sess.run([train_one_shot.string_handle(),
                                           valid_initializable.string_handle()])
    sess.run(valid_initializable.initializer)
    feedable_values = [sess.run(feedable_next, {handle: train_handle}) for _ in range(3)]
    feedable_values += drain(sess, feedable_next, {handle: valid_handle})
    feedable_values += [sess.run(feedable_next, {handle: train_handle})]
    report("feedable", feedable_values)

# -- each session keeps its own position ---------------------------------------------------------
counter = tf.data.Dataset.range(5).make_one_shot_iterator().get_next()
first, second = tf.Session(), tf.Session()
report("two_sessions", [first.run(counter), first.run(counter), second.run(counter),
                        first.run(counter)])
first.close()
second.close()

# -- misuse ---------------------------------------------------------------------------------------
report_error("slices_of_scalar", lambda: tf.data.Dataset.from_tensor_slices(3.0))
report_error("slices_mismatched",
             lambda: tf.data.Dataset.from_tensor_slices((np.zeros(3), np.zeros(4))))
report_error("filter_non_bool", lambda: tf.data.Dataset.range(3).filter(lambda v: v))
ragged = tf.data.Dataset.range(1, 4).map(lambda n: tf.range(n)).batch(3) \
    .make_one_shot_iterator().get_next()
with tf.Session() as sess:
    report_error("batch_ragged", lambda: sess.run(ragged))
tolerance(rtol=1e-5, atol=1e-6)
