"""tf.map_fn, tf.scan, tf.foldl and tf.foldr: values, gradients (to the elements and to captured
variables), static shapes and names, nested structures with ``dtype``, ``initializer`` and
``reverse``, unknown lengths, back_prop=False, and the common misuses."""
import numpy as np

from _compat import TENSORFLOW, report, report_error, tolerance

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf

tolerance(rtol=1e-4, atol=1e-5)
rng = np.random.RandomState(7)
x_value = rng.uniform(-1, 1, (5, 3)).astype(np.float32)
x = tf.placeholder(tf.float32, [5, 3], name="x")
x_any = tf.placeholder(tf.float32, [None, 3], name="x_any")
w = tf.Variable(rng.uniform(-0.5, 0.5, (3, 2)).astype(np.float32), name="w")
b = tf.Variable(np.array([0.1, -0.2], np.float32), name="b")

# map_fn: a row-wise layer over captured variables
rows = tf.map_fn(lambda r: tf.tanh(tf.squeeze(tf.matmul(r[None], w), 0) + b), x)
rows_any = tf.map_fn(lambda r: tf.reduce_sum(r * r), x_any)
report("map_names", [rows.name, rows_any.name])
report("map_shapes", [str(rows.shape), str(rows_any.shape)])
map_grads = tf.gradients(tf.reduce_sum(rows * rows), [x, w, b])
any_grad = tf.gradients(tf.reduce_sum(rows_any), x_any)[0]
report("map_grad_shapes", [str(g.shape) for g in map_grads] + [str(any_grad.shape)])

# nested elems and outputs with dtype
pair = tf.map_fn(lambda e: (e[0] * 2.0, tf.cast(tf.reduce_sum(e[1]), tf.int32)),
                 (x, tf.cast(x > 0, tf.int32)), dtype=(tf.float32, tf.int32))
report("pair_shapes", [str(t.shape) for t in pair] + [t.dtype.name for t in pair])
as_dict = tf.map_fn(lambda e: {"p": e["p"] + e["q"], "q": e["p"] * e["q"]},
                    {"p": x, "q": x * 3.0})
report("dict_shapes", {k: str(v.shape) for k, v in as_dict.items()})
to_int = tf.map_fn(lambda r: tf.argmax(r, output_type=tf.int32), x, dtype=tf.int32)
report("to_int", [str(to_int.shape), to_int.dtype.name])
image_like = tf.map_fn(lambda m: tf.matmul(m, m, transpose_b=True),
                       tf.reshape(x[:4], [2, 2, 3]))
report("matrix_map_shape", str(image_like.shape))
no_back = tf.map_fn(lambda r: r * 2.0, x, back_prop=False)
report("no_back_prop_grad", tf.gradients(tf.reduce_sum(no_back), x)[0] is None)

# scan: running sums, with an initializer, reversed, nested
cumsum = tf.scan(lambda a, r: a + r, x)
decay = tf.scan(lambda a, r: 0.9 * a + r * w[:, 0], x, initializer=tf.zeros([3]),
                reverse=True)
fib = tf.scan(lambda a, _: (a[1], a[0] + a[1]), tf.range(6),
              initializer=(tf.constant(0), tf.constant(1)))
rnn = tf.scan(lambda h, r: tf.tanh(tf.matmul(h, w, transpose_b=True)[:, :2] * 0.0 +
                                   h * b + r[:, :2]),
              tf.reshape(x, [5, 1, 3]), initializer=tf.zeros([1, 2]))
report("scan_names", [cumsum.name, decay.name])
report("scan_shapes", [str(cumsum.shape), str(decay.shape), str(fib[0].shape),
                       str(rnn.shape)])
scan_grads = tf.gradients(tf.reduce_sum(cumsum * cumsum) + tf.reduce_sum(tf.sin(decay)) +
                          tf.reduce_sum(rnn), [x, w, b])
scan_any = tf.scan(lambda a, r: a * r, x_any)
scan_any_grad = tf.gradients(tf.reduce_sum(scan_any), x_any)[0]
report("scan_any_shape", [str(scan_any.shape), str(scan_any_grad.shape)])

# foldl / foldr
total = tf.foldl(lambda a, r: a + r, x)
product = tf.foldl(lambda a, r: a * (1.0 + r), x, initializer=tf.ones([3]))
horner = tf.foldr(lambda a, r: a * 0.5 + r, x)
stats = tf.foldl(lambda a, r: (a[0] + tf.reduce_sum(r), tf.maximum(a[1], tf.reduce_max(r))),
                 x, initializer=(tf.constant(0.0), tf.constant(-10.0)))
count = tf.foldr(lambda a, r: a + 1, tf.range(4), initializer=tf.constant(10))
report("fold_shapes", [str(t.shape) for t in (total, product, horner, stats[0], count)])
fold_grads = tf.gradients(tf.reduce_sum(product) + tf.reduce_sum(horner * horner) +
                          stats[0] * stats[1], x)

# errors
report_error("map_scalar_elems", lambda: tf.map_fn(lambda e: e, tf.constant(1.0)))
report_error("map_structure_mismatch",
             lambda: tf.map_fn(lambda e: (e, e), x))
report_error("map_dict_keys_mismatch",
             lambda: tf.map_fn(lambda e: {"a": e["p"]}, {"p": x}))
report_error("map_list_for_tuple",
             lambda: tf.map_fn(lambda r: [r, r], x, dtype=(tf.float32, tf.float32)))
report_error("scan_structure_mismatch",
             lambda: tf.scan(lambda a, r: (a, r), x, initializer=tf.zeros([3])))
report_error("fold_shape_change",
             lambda: tf.foldl(lambda a, r: tf.concat([a, r], 0), x))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed = {x: x_value, x_any: x_value[:3]}
    report("map", sess.run([rows, rows_any] + map_grads + [any_grad], feed))
    report("map_nested", sess.run([pair, as_dict, to_int, image_like, no_back], feed))
    report("scan", sess.run([cumsum, decay, fib, rnn, scan_any, scan_any_grad], feed))
    report("scan_grads", sess.run(scan_grads, feed))
    report("fold", sess.run([total, product, horner, stats, count], feed))
    report("fold_grads", sess.run(fold_grads, feed))
    report("map_empty", sess.run(rows_any, {x_any: np.zeros((0, 3), np.float32)}))
