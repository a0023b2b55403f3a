"""tf.nn convolution and pooling (conv1d, conv2d with strides, dilations and both paddings,
max_pool/avg_pool over odd sizes), bias_add, batch_normalization, fused_batch_norm, dropout's
shapes, embedding_lookup and in_top_k: values, gradients, shapes and names."""
from _compat import TENSORFLOW, report, report_error, report_stats, tolerance

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np

rng = np.random.RandomState(3)
image_values = rng.randn(2, 7, 5, 3).astype(np.float32)
images = tf.placeholder(tf.float32, [None, 7, 5, 3], name="images")
kernel = tf.Variable(rng.randn(3, 2, 3, 4).astype(np.float32), name="kernel")
bias = tf.Variable(rng.randn(4).astype(np.float32), name="bias")

convs = {
    "same": tf.nn.conv2d(images, kernel, [1, 1, 1, 1], "SAME"),
    "valid": tf.nn.conv2d(images, kernel, [1, 1, 1, 1], "VALID"),
    "stride2_same": tf.nn.conv2d(images, kernel, [1, 2, 2, 1], "SAME"),
    "stride_hw_valid": tf.nn.conv2d(images, kernel, strides=[1, 2, 3, 1], padding="VALID"),
    "dilated_same": tf.nn.conv2d(images, kernel, [1, 1, 1, 1], "SAME", dilations=[1, 2, 2, 1]),
    "dilated_valid": tf.nn.conv2d(images, kernel, [1, 1, 1, 1], "VALID", dilations=[1, 2, 1, 1]),
    "bias_relu": tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(images, kernel, [1, 1, 1, 1], "SAME"),
                                           bias)),
}
pools = {
    "max_valid": tf.nn.max_pool(images, [1, 2, 2, 1], [1, 2, 2, 1], "VALID"),
    "max_same": tf.nn.max_pool(images, [1, 2, 2, 1], [1, 2, 2, 1], "SAME"),
    "max_3x3_s2_same": tf.nn.max_pool(images, [1, 3, 3, 1], [1, 2, 2, 1], "SAME"),
    "max_overlap_valid": tf.nn.max_pool(images, ksize=[1, 3, 2, 1], strides=[1, 1, 1, 1],
                                        padding="VALID"),
    "avg_valid": tf.nn.avg_pool(images, [1, 2, 2, 1], [1, 2, 2, 1], "VALID"),
    "avg_same": tf.nn.avg_pool(images, [1, 2, 2, 1], [1, 2, 2, 1], "SAME"),
    "avg_3x3_s2_same": tf.nn.avg_pool(images, [1, 3, 3, 1], [1, 2, 2, 1], "SAME"),
    "avg_int_args": tf.nn.avg_pool(images, 3, 1, "SAME"),
}
report("conv_shapes", {k: str(v.shape) for k, v in convs.items()})
report("pool_shapes", {k: str(v.shape) for k, v in pools.items()})
report("conv_names", [convs["same"].name, convs["bias_relu"].name, pools["max_valid"].name,
                      pools["avg_valid"].name])
named = tf.nn.conv2d(images, kernel, [1, 1, 1, 1], "SAME", name="my_conv")
report("named_ops", [named.name, tf.nn.max_pool(images, [1, 2, 2, 1], [1, 2, 2, 1], "SAME",
                                                name="my_pool").name,
                     tf.nn.bias_add(named, bias, name="my_bias").name])
weights = {k: tf.constant(rng.randn(*[2] + v.shape.as_list()[1:]).astype(np.float32))
           for k, v in list(convs.items()) + list(pools.items())}
# TensorFlow's CPU kernels have no gradient for dilated Conv2D, so those compare values only.
conv_grads = {k: tf.gradients(tf.reduce_sum(v * weights[k]), [images, kernel])
              for k, v in convs.items() if not k.startswith("dilated")}
bias_grad = tf.gradients(tf.reduce_sum(convs["bias_relu"] * weights["bias_relu"]), bias)[0]
pool_grads = {k: tf.gradients(tf.reduce_sum(v * weights[k]), images)[0]
              for k, v in pools.items()}

# conv1d: NWC input, [width, in, out] filter.
signal_values = rng.randn(2, 9, 2).astype(np.float32)
signal = tf.placeholder(tf.float32, [None, 9, 2], name="signal")
filters1d = tf.constant(rng.randn(3, 2, 4).astype(np.float32))
conv1d = {
    "s1_same": tf.nn.conv1d(signal, filters1d, 1, "SAME"),
    "s2_valid": tf.nn.conv1d(signal, filters1d, stride=2, padding="VALID"),
    "s2_same": tf.nn.conv1d(signal, filters1d, 2, "SAME"),
    "dilated": tf.nn.conv1d(signal, filters1d, 1, "VALID", dilations=2),
}
report("conv1d_shapes", {k: str(v.shape) for k, v in conv1d.items()})
report("conv1d_name", conv1d["s1_same"].name)
report("conv1d_ops", [[op.name, op.type] for op in tf.get_default_graph().get_operations()
                      if op.name == "conv1d" or op.name.startswith("conv1d/")])
pool1d = [tf.nn.max_pool1d(signal, 2, 2, "VALID"), tf.nn.avg_pool1d(signal, 3, 2, "SAME")]
report("pool1d", [[t.name, str(t.shape)] for t in pool1d])
conv1d_grads = {k: tf.gradients(tf.reduce_sum(v * v), [signal, filters1d])
                for k, v in conv1d.items() if k != "dilated"}

# Batch normalization.
mean, variance = tf.nn.moments(images, [0, 1, 2])
report("moments_shapes", [str(mean.shape), str(variance.shape), mean.name, variance.name])
gamma = tf.constant([1.0, 2.0, 0.5])
beta = tf.constant([0.0, -1.0, 0.3])
normalized = tf.nn.batch_normalization(images, mean, variance, beta, gamma, 1e-3)
normalized_plain = tf.nn.batch_normalization(images, mean, variance, None, None, 1e-3)
report("batchnorm", [str(normalized.shape), normalized.name])
bn_grads = tf.gradients(tf.reduce_sum(normalized * weights["same"][..., :3]), [images])
fused_train = tf.nn.fused_batch_norm(images, gamma, beta, epsilon=1e-3)
moving_mean = tf.constant([0.1, -0.2, 0.0])
moving_var = tf.constant([1.5, 0.7, 1.0])
fused_infer = tf.nn.fused_batch_norm(images, gamma, beta, moving_mean, moving_var,
                                     epsilon=1e-3, is_training=False)
report("fused_shapes", [[str(t.shape) for t in fused_train], [str(t.shape) for t in fused_infer]])
fused_grads = tf.gradients(tf.reduce_sum(fused_train[0] * weights["same"][..., :3]),
                           [images, gamma, beta])
fused_infer_grads = tf.gradients(tf.reduce_sum(fused_infer[0] * weights["same"][..., :3]),
                                 [images, gamma, beta])

# Dropout: identity when nothing is dropped; the kept share and scaling otherwise.
ones = tf.ones([200, 50])
drop_keep1 = tf.nn.dropout(images, keep_prob=1.0)
drop_rate0 = tf.nn.dropout(images, rate=0.0)
drop_half = tf.nn.dropout(ones, rate=0.5)
drop_keep = tf.nn.dropout(ones, keep_prob=0.8)
drop_noise = tf.nn.dropout(ones, rate=0.3, noise_shape=[200, 1])
report("dropout_shapes", [str(t.shape) for t in (drop_keep1, drop_rate0, drop_half,
                                                  drop_noise)])
report_error("dropout_both", lambda: tf.nn.dropout(ones, keep_prob=0.5, rate=0.5))
report_error("dropout_rate_one", lambda: tf.nn.dropout(ones, rate=1.0))
report_error("dropout_keep_zero", lambda: tf.nn.dropout(ones, keep_prob=0.0))
report_error("dropout_negative", lambda: tf.nn.dropout(ones, rate=-0.1))
report("dropout_names", [drop_keep1.name, drop_rate0.name, drop_half.name, drop_keep.name,
                         tf.nn.dropout(ones, rate=0.2, name="my_dropout").name])
keep_prob = tf.placeholder(tf.float32, [], name="keep_prob")
drop_fed = tf.nn.dropout(images, keep_prob=keep_prob)
report("dropout_fed_shape", str(drop_fed.shape))

# Embeddings and in_top_k.
table = tf.Variable(np.arange(15, dtype=np.float32).reshape(5, 3) / 10, name="table")
ids = tf.constant([[0, 3], [4, 3]])
embedded = tf.nn.embedding_lookup(table, ids)
embedded_flat = tf.nn.embedding_lookup(table, [2, 2, 1])
report("embedding", [str(embedded.shape), str(embedded_flat.shape), embedded.dtype.name])
embedding_grad = tf.convert_to_tensor(tf.gradients(tf.reduce_sum(embedded * embedded),
                                                   table)[0])
scores = tf.constant([[0.1, 0.5, 0.4, 0.0], [0.3, 0.3, 0.2, 0.2], [0.9, 0.05, 0.02, 0.03]])
targets = tf.constant([2, 1, 0])
in_top = {k: tf.nn.in_top_k(scores, targets, k) for k in (1, 2, 3)}
report("in_top_k_dtype", [in_top[1].dtype.name, str(in_top[1].shape)])

# Misuse.
report_error("conv_channel_mismatch", lambda: tf.nn.conv2d(images, tf.ones([3, 3, 4, 2]),
                                                           [1, 1, 1, 1], "SAME"))
report_error("conv_bad_padding", lambda: tf.nn.conv2d(images, kernel, [1, 1, 1, 1], "FULL"))
report_error("conv_rank", lambda: tf.nn.conv2d(tf.ones([7, 5, 3]), kernel, [1, 1, 1, 1],
                                               "SAME"))
report_error("pool_too_big_valid", lambda: tf.nn.max_pool(images, [1, 8, 2, 1],
                                                          [1, 1, 1, 1], "VALID"))
report_error("bias_add_mismatch", lambda: tf.nn.bias_add(images, tf.ones([4])))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed = {images: image_values, signal: signal_values}
    report("convs", sess.run(convs, feed))
    report("conv_grads", sess.run(conv_grads, feed))
    report("bias_grad", sess.run(bias_grad, feed))
    report("pools", sess.run(pools, feed))
    report("pool_grads", sess.run(pool_grads, feed))
    report("conv1d_values", sess.run(conv1d, feed))
    report("conv1d_grads", sess.run(conv1d_grads, feed))
    report("pool1d_values", sess.run(pool1d, feed))
    report("bn_values", sess.run([mean, variance, normalized, normalized_plain], feed))
    report("bn_grads", sess.run(bn_grads, feed))
    report("fused_train", sess.run(fused_train, feed))
    # TensorFlow's optimizer rewrites inference-mode FusedBatchNorm into arithmetic, after
    # which its mean and variance outputs can no longer be fetched: only y compares.
    report("fused_infer", sess.run(fused_infer[0], feed))
    report("fused_grads", sess.run(fused_grads, feed))
    report("fused_infer_grads", sess.run(fused_infer_grads, feed))
    report("dropout_identity", sess.run([drop_keep1, drop_rate0], feed))
    report("dropout_fed_keep1", sess.run(drop_fed, {images: image_values, keep_prob: 1.0}))
    fed_half = sess.run(drop_fed, {images: image_values, keep_prob: 0.5})
    report("dropout_fed_half", sorted(set(np.round(fed_half[fed_half != 0]
                                                   / image_values[fed_half != 0], 4))))
    half, keep, noise = sess.run([drop_half, drop_keep, drop_noise])
    report("dropout_values", [sorted(set(np.unique(half).tolist())),
                              sorted(set(np.unique(keep).tolist()))])
    report_stats("dropout_half_kept", (half > 0).astype(np.int32))
    report_stats("dropout_keep_kept", (keep > 0).astype(np.int32))
    report("dropout_noise_rows_constant", bool(np.all(noise == noise[:, :1])))
    report("embedding_values", sess.run([embedded, embedded_flat, embedding_grad]))
    report("in_top_k", sess.run(in_top))
tolerance(rtol=1e-4, atol=1e-4)
