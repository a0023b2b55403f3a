"""tf.data transformations whose parameters are tensors read at initialization, functions that
capture tensors and variables, shuffling (compared as sorted contents and distributions),
random ops inside map, interleave / flat_map, generators, and run-time errors."""
from _compat import TENSORFLOW, report, report_error, report_stats

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np


def drain(sess, fetch, feed_dict=None, limit=200):
    values = []
    for _ in range(limit):
        try:
            values.append(sess.run(fetch, feed_dict))
        except tf.errors.OutOfRangeError:
            break
    return values


tf.set_random_seed(7)
scale = tf.placeholder(tf.float32, [], name="scale")
count = tf.placeholder(tf.int64, [], name="count")
size = tf.placeholder(tf.int64, [], name="size")
offset = tf.constant(100.0, name="offset")
scaled = tf.data.Dataset.range(5).map(lambda v: tf.cast(v, tf.float32) * scale + offset) \
    .repeat(count).batch(size, drop_remainder=True)
report("scaled_shapes", scaled.output_shapes)
scaled_iterator = scaled.make_initializable_iterator()
scaled_next = scaled_iterator.get_next()

variable = tf.Variable(np.array([1.0, 2.0, 3.0], np.float32), name="v")
from_variable = tf.data.Dataset.from_tensor_slices(variable)
from_variable_iterator = tf.compat.v1.data.make_initializable_iterator(from_variable)
from_variable_next = from_variable_iterator.get_next()
bump = tf.assign_add(variable, [10.0, 10.0, 10.0])

shuffled = tf.data.Dataset.range(20).shuffle(8, reshuffle_each_iteration=True).repeat(3)
shuffled_next = tf.compat.v1.data.make_one_shot_iterator(shuffled).get_next()
unseeded = tf.data.Dataset.range(6).shuffle(100).batch(6)
unseeded_iterator = unseeded.make_initializable_iterator()
unseeded_next = unseeded_iterator.get_next()

noisy = tf.data.Dataset.range(2000).map(
    lambda v: (tf.random_normal([]), tf.random_uniform([], 0, 10, dtype=tf.int32))).batch(2000)
noisy_next = noisy.make_one_shot_iterator().get_next()

interleaved = tf.data.Dataset.range(1, 4).interleave(
    lambda n: tf.data.Dataset.from_tensors(n).repeat(n), cycle_length=2, block_length=1)
interleaved_next = interleaved.make_one_shot_iterator().get_next()
flat = tf.data.Dataset.from_tensor_slices(np.arange(6).reshape(3, 2)).flat_map(
    tf.data.Dataset.from_tensor_slices)
flat_next = flat.make_one_shot_iterator().get_next()
report("flat_shapes", flat.output_shapes)

take_all = tf.data.Dataset.range(3).take(-1).skip(1).make_one_shot_iterator().get_next()
empty_repeat = tf.data.Dataset.range(0).repeat().make_one_shot_iterator().get_next()


def records():
    yield {"ids": [1, 2, 3], "weight": 0.5}
    yield {"ids": [4], "weight": 1.5}


generated = tf.data.Dataset.from_generator(
    records, {"ids": tf.int64, "weight": tf.float32}, {"ids": [None], "weight": []})
report("generated_types", generated.output_types)
generated_next = generated.padded_batch(2, padded_shapes={"ids": [4], "weight": []}) \
    .make_one_shot_iterator().get_next()
report("generated_padded_shapes", {k: v.shape for k, v in generated_next.items()})


def bad_records():
    yield np.array([1.0, 2.0], np.float32)
    yield np.array([1.0, 2.0, 3.0], np.float32)


bad_shape_next = tf.data.Dataset.from_generator(bad_records, tf.float32, [2]) \
    .make_one_shot_iterator().get_next()


def bad_types():
    yield "not a number"


bad_type_next = tf.data.Dataset.from_generator(bad_types, tf.float32) \
    .make_one_shot_iterator().get_next()

with tf.Session() as sess:
    sess.run(variable.initializer)
    sess.run(scaled_iterator.initializer, {scale: 2.0, count: 2, size: 4})
    report("scaled_batches", drain(sess, scaled_next))
    sess.run(scaled_iterator.initializer, {scale: -1.0, count: 1, size: 2})
    report("scaled_again", drain(sess, scaled_next))

    sess.run(from_variable_iterator.initializer)
    report("variable_slices", drain(sess, from_variable_next))
    sess.run(bump)
    sess.run(from_variable_iterator.initializer)
    report("variable_after_reinit", drain(sess, from_variable_next))

    epochs = drain(sess, shuffled_next)
    report("shuffled_count", len(epochs))
    report("shuffled_epochs_sorted", [sorted(epochs[i * 20:(i + 1) * 20]) for i in range(3)])
    orders = []
    for _ in range(2):
        sess.run(unseeded_iterator.initializer)
        orders.append(sess.run(unseeded_next))
    report("unseeded_sorted", [sorted(order) for order in orders])

    normal, uniform_int = sess.run(noisy_next)
    report_stats("map_random_normal", normal)
    report_stats("map_random_int", uniform_int)

    report("interleaved", drain(sess, interleaved_next))
    report("flat_map", drain(sess, flat_next))
    report("take_all_skip", drain(sess, take_all))
    report("empty_repeat", drain(sess, empty_repeat))
    report("generated_padded", drain(sess, generated_next))
    report("bad_shape_first", sess.run(bad_shape_next))
    report_error("bad_shape", lambda: sess.run(bad_shape_next))
    report_error("bad_type", lambda: sess.run(bad_type_next))
