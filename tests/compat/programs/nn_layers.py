"""tf.layers: dense, conv1d, conv2d (strides, dilation_rate), 1-D and 2-D pooling, batch
normalization and its moving averages over training steps, dropout, flatten; variable names,
reuse through variable_scope, layer objects, values and gradients."""
from _compat import TENSORFLOW, report, report_error, tolerance

if TENSORFLOW:
    import os
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # tf.layers needs tf_keras under TF 2.16+
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np

rng = np.random.RandomState(11)


def const(shape, scale=0.3):
    return tf.constant_initializer(rng.randn(*shape).astype(np.float32) * scale)


x_values = rng.randn(3, 5).astype(np.float32)
x = tf.placeholder(tf.float32, [None, 5], name="x")
d1 = tf.layers.dense(x, 4, activation=tf.nn.relu, kernel_initializer=const([5, 4]),
                     bias_initializer=tf.constant_initializer(0.1))
d2 = tf.layers.dense(d1, 3, use_bias=False, kernel_initializer=const([4, 3]), name="logits")
d3 = tf.layers.dense(d1, 2, activation=tf.nn.tanh, kernel_initializer=const([4, 2]))
with tf.variable_scope("shared"):
    s1 = tf.layers.dense(x, 2, kernel_initializer=const([5, 2]), name="fc")
with tf.variable_scope("shared", reuse=True):
    s2 = tf.layers.dense(x * 2.0, 2, name="fc")
s3 = tf.layers.dense(x, 2, kernel_initializer=const([5, 2]), name="auto",
                     reuse=tf.AUTO_REUSE)
s4 = tf.layers.dense(x, 2, name="auto", reuse=tf.AUTO_REUSE)
layer = tf.layers.Dense(3, kernel_initializer=const([5, 3]), name="object_dense")
o1, o2 = layer(x), layer(x + 1.0)
report("dense_outputs", [[t.name, str(t.shape)] for t in (d1, d2, d3, s1, s2, s3, s4, o1, o2)])
report("layer_object", [[v.name for v in layer.variables], [v.name for v in layer.trainable_weights],
                        layer.name, str(layer.kernel.shape)])
dense3d = tf.layers.dense(tf.reshape(x[:, :4], [-1, 2, 2]), 3, kernel_initializer=const([2, 3]))
report("dense_3d", [dense3d.name, str(dense3d.shape)])

# Convolutions and pooling.
images_values = rng.randn(2, 8, 7, 3).astype(np.float32)
images = tf.placeholder(tf.float32, [None, 8, 7, 3], name="images")
c1 = tf.layers.conv2d(images, 4, 3, kernel_initializer=const([3, 3, 3, 4]))
c2 = tf.layers.conv2d(images, 2, (3, 2), strides=(2, 1), padding="same",
                      activation=tf.nn.relu, kernel_initializer=const([3, 2, 3, 2]),
                      data_format="channels_last", name="strided")
c3 = tf.layers.conv2d(images, 2, 3, dilation_rate=2, padding="same", use_bias=False,
                      kernel_initializer=const([3, 3, 3, 2]))
p1 = tf.layers.max_pooling2d(c1, 2, 2)
p2 = tf.layers.max_pooling2d(c1, (3, 2), (2, 1), padding="same")
p3 = tf.layers.average_pooling2d(c2, 2, 2, padding="same")
f1 = tf.layers.flatten(p1)
signal_values = rng.randn(2, 10, 3).astype(np.float32)
signal = tf.placeholder(tf.float32, [None, 10, 3], name="signal")
k1 = tf.layers.conv1d(signal, 4, 3, kernel_initializer=const([3, 3, 4]))
k2 = tf.layers.conv1d(signal, 2, 2, strides=2, padding="same", activation=tf.nn.relu,
                      kernel_initializer=const([2, 3, 2]), name="strided1d")
k3 = tf.layers.conv1d(signal, 2, 3, dilation_rate=2, kernel_initializer=const([3, 3, 2]))
q1 = tf.layers.max_pooling1d(k1, 2, 2)
q2 = tf.layers.average_pooling1d(k1, 3, 2, padding="same")
f2 = tf.layers.flatten(q2)
conv_outputs = [c1, c2, c3, p1, p2, p3, f1, k1, k2, k3, q1, q2, f2]
# TensorFlow runs a dilated conv2d layer through space_to_batch, so c3's name is its own.
report("conv_outputs", [[t.name if t is not c3 else None, str(t.shape)]
                        for t in conv_outputs])

# Batch normalization: training steps update the moving averages through UPDATE_OPS.
features_values = rng.randn(6, 4).astype(np.float32) * 2 + 1
features = tf.placeholder(tf.float32, [None, 4], name="features")
is_training = tf.placeholder(tf.bool, [], name="is_training")
bn1 = tf.layers.batch_normalization(features, training=True, momentum=0.9, epsilon=1e-2)
bn2 = tf.layers.batch_normalization(features, training=is_training, center=False, scale=False)
bn3 = tf.layers.batch_normalization(features, training=False, name="frozen")
bn4 = tf.layers.batch_normalization(c1, training=True, momentum=0.5)
bn_outputs = [bn1, bn2, bn3, bn4]
report("bn_outputs", [str(t.shape) for t in bn_outputs])
update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
report("update_op_count", len(update_ops))

# Dropout: training=False is the identity; training=True keeps 1/(1 - rate)-scaled values.
dr1 = tf.layers.dropout(x, rate=0.4)
dr2 = tf.layers.dropout(x, rate=0.4, training=True)
dr3 = tf.layers.dropout(x, rate=0.4, training=is_training)
report("dropout_shapes", [str(t.shape) for t in (dr1, dr2, dr3)])

report("global_variables", [v.name for v in tf.global_variables()])
report("trainable_variables", [v.name for v in tf.trainable_variables()])
report("variable_shapes", [str(v.shape) for v in tf.global_variables()])

loss = (tf.reduce_sum(d2 * d2) + tf.reduce_sum(d3) + tf.reduce_sum(s2) + tf.reduce_sum(o2) +
        tf.reduce_sum(c2 * c2) + tf.reduce_sum(c3) + tf.reduce_sum(p2) + tf.reduce_sum(p3) +
        tf.reduce_sum(f1) + tf.reduce_sum(k2 * k2) + tf.reduce_sum(k3) + tf.reduce_sum(q1) +
        tf.reduce_sum(f2) + tf.reduce_sum(bn1 * bn1 * tf.constant([1.0, 2.0, 3.0, 4.0])) +
        tf.reduce_sum(bn4 * tf.range(4, dtype=tf.float32)))
trainable = tf.trainable_variables()
grads = tf.gradients(loss, trainable + [x, images, signal, features])
report("grad_shapes", [None if g is None else str(g.shape) for g in grads])
connected = [g for g in grads if g is not None]
with tf.control_dependencies(update_ops):
    train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)

report_error("dense_unknown_last_dim", lambda: tf.layers.dense(
    tf.placeholder(tf.float32, [None, None]), 3))
report_error("reuse_missing", lambda: tf.layers.dense(x, 2, name="never_made", reuse=True))
report_error("dense_again_same_name", lambda: tf.layers.dense(x, 2, name="logits"))

feed = {x: x_values, images: images_values, signal: signal_values,
        features: features_values, is_training: True}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    report("dense_values", sess.run([d1, d2, d3, s1, s2, s3, s4, o1, o2, dense3d], feed))
    report("conv_values", sess.run(conv_outputs, feed))
    report("bn_values", sess.run(bn_outputs, feed))
    report("bn_inference", sess.run([bn2, bn3], dict(feed, **{"is_training:0": False})))
    report("dropout_values", [sess.run(dr1, feed), sess.run(dr3, {x: x_values,
                                                                  is_training: False})])
    dropped = sess.run(dr2, feed)
    report("dropout_scaled", bool(np.allclose(dropped[dropped != 0] / x_values[dropped != 0],
                                              1 / 0.6)))
    report("grads", sess.run(connected, feed))
    for step in range(3):
        sess.run(train, feed)
    moving = [v for v in tf.global_variables() if "moving" in v.name]
    report("moving_names", [v.name for v in moving])
    report("moving_after_training", sess.run(moving))
    report("trained", sess.run(trainable))
    report("bn_after_training", sess.run([bn2, bn3], dict(feed, **{"is_training:0": False})))
tolerance(rtol=1e-4, atol=1e-4)
