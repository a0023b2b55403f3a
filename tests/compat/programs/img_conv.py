"""tf.nn.separable_conv2d (strides, rate, both paddings), tf.nn.atrous_conv2d, tf.nn.lrn /
local_response_normalization and tf.layers.separable_conv2d / SeparableConv2D: values,
gradients, static shapes, op and variable names."""
import os

from _compat import TENSORFLOW, report, report_error, tolerance

if TENSORFLOW:
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # tf.layers needs tf_keras under TF 2.16+
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np

tolerance(rtol=1e-4, atol=1e-5)
rng = np.random.RandomState(11)
image_values = rng.randn(2, 7, 6, 3).astype(np.float32)
images = tf.placeholder(tf.float32, [None, 7, 6, 3], name="images")
depthwise = tf.Variable(rng.randn(3, 3, 3, 2).astype(np.float32), name="depthwise")
pointwise = tf.Variable(rng.randn(1, 1, 6, 4).astype(np.float32), name="pointwise")
atrous_filter = tf.Variable(rng.randn(3, 2, 3, 5).astype(np.float32), name="atrous_filter")
feed = {images: image_values}

outputs = {
    "separable_same": tf.nn.separable_conv2d(images, depthwise, pointwise, [1, 1, 1, 1],
                                             "SAME"),
    "separable_valid_stride": tf.nn.separable_conv2d(images, depthwise, pointwise,
                                                     [1, 2, 2, 1], "VALID"),
    "separable_rate": tf.nn.separable_conv2d(images, depthwise, pointwise, [1, 1, 1, 1],
                                             "SAME", rate=[2, 2]),
    "separable_named": tf.nn.separable_conv2d(images, depthwise, pointwise, [1, 1, 1, 1],
                                              "VALID", name="sep"),
    "atrous_same": tf.nn.atrous_conv2d(images, atrous_filter, 2, "SAME"),
    "atrous_valid": tf.nn.atrous_conv2d(images, atrous_filter, 2, "VALID"),
    "atrous_rate1": tf.nn.atrous_conv2d(images, atrous_filter, 1, "SAME"),
    "lrn": tf.nn.lrn(images),
    "lrn_params": tf.nn.local_response_normalization(images, depth_radius=1, bias=2.0,
                                                     alpha=0.5, beta=0.75),
    "lrn_wide": tf.nn.lrn(images, 2, 1.0, 1e-2, 0.6, name="norm1"),
}
report("static", {k: str(v.shape) for k, v in outputs.items()})
report("names", {k: v.name for k, v in outputs.items()
                 if k.startswith("separable") or k.startswith("lrn")})
report("separable_ops", [[op.name, op.type] for op in tf.get_default_graph().get_operations()
                         if op.type in ("DepthwiseConv2dNative", "Conv2D", "LRN")
                         and not op.name.startswith("convolution")])
weights = {k: tf.constant(rng.randn(2, *v.shape.as_list()[1:]).astype(np.float32))
           for k, v in outputs.items()}
grads = {k: tf.gradients(tf.reduce_sum(v * weights[k]),
                         [images] + ([depthwise, pointwise] if k.startswith("separable")
                                     else [atrous_filter] if k.startswith("atrous") else []))
         for k, v in outputs.items()}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    report("values", sess.run(outputs, feed))
    report("grads", sess.run(grads, feed))
report_error("separable_big_pointwise", lambda: tf.nn.separable_conv2d(
    images, depthwise, tf.zeros([2, 2, 6, 4]), [1, 1, 1, 1], "SAME"))
report_error("lrn_rank3", lambda: tf.nn.lrn(tf.zeros([3, 4, 5])))

# The layer: variables, names, shapes, and a training step.
init = tf.constant_initializer
layer_out = tf.layers.separable_conv2d(
    images, 4, 3, padding="same", depth_multiplier=2, activation=tf.nn.relu,
    depthwise_initializer=init(rng.randn(3, 3, 3, 2).astype(np.float32)),
    pointwise_initializer=init(rng.randn(1, 1, 6, 4).astype(np.float32)))
layer = tf.layers.SeparableConv2D(5, (2, 3), strides=2, name="sep_layer",
                                  depthwise_initializer=init(0.3),
                                  pointwise_initializer=init(-0.2),
                                  bias_initializer=init(0.1))
class_out = layer(images)
report("layer_static", [[layer_out.name, str(layer_out.shape)],
                        [class_out.name, str(class_out.shape)]])
report("layer_variables", [[v.name, str(v.shape)] for v in tf.trainable_variables()
                           if "sep" in v.name])
report("layer_ops", [op.name for op in tf.get_default_graph().get_operations()
                     if op.name.startswith("sep_layer/") and "Initializer" not in op.name
                     and op.type != "Const"])
loss = tf.reduce_mean(tf.square(layer_out)) + tf.reduce_mean(tf.square(class_out - 1.0))
step = tf.train.GradientDescentOptimizer(0.05).minimize(loss)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    losses = [sess.run([loss, step], feed)[0] for _ in range(3)]
    report("layer_losses", np.array(losses))
    report("layer_trained", sess.run([v for v in tf.trainable_variables()
                                      if v.name.startswith("sep_layer")]))
