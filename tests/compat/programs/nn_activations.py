"""tf.nn activations, softmax/log_softmax with an axis, cross-entropies and l2_loss: values,
gradients with respect to the inputs, static shapes, names and dtypes."""
from _compat import TENSORFLOW, report, report_error, tolerance

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np

rng = np.random.RandomState(1)
values = np.array([[-7.0, -1.5, -0.2, 0.0], [0.3, 1.0, 5.9, 6.0], [6.5, 2.0, -3.0, 0.7]],
                  np.float32)
x = tf.placeholder(tf.float32, [None, 4], name="x")
activations = {
    "relu": tf.nn.relu(x),
    "relu6": tf.nn.relu6(x),
    "elu": tf.nn.elu(x),
    "selu": tf.nn.selu(x),
    "leaky_relu": tf.nn.leaky_relu(x),
    "leaky_relu_alpha": tf.nn.leaky_relu(x, alpha=0.05),
    "softplus": tf.nn.softplus(x),
    "softsign": tf.nn.softsign(x),
    "sigmoid": tf.nn.sigmoid(x),
    "tanh": tf.nn.tanh(x),
    "math_sigmoid": tf.sigmoid(x),
    "softmax": tf.nn.softmax(x),
    "softmax_axis0": tf.nn.softmax(x, axis=0),
    "log_softmax": tf.nn.log_softmax(x),
    "log_softmax_axis0": tf.nn.log_softmax(x, axis=0),
    "crelu": tf.nn.crelu(x),
}
names = sorted(activations)
report("activation_shapes", {k: str(activations[k].shape) for k in names})
report("activation_dtypes", {k: activations[k].dtype.name for k in names})
report("activation_names", {k: activations[k].name for k in names
                            if k not in ("leaky_relu", "leaky_relu_alpha", "crelu")})
weights = tf.constant(rng.randn(3, 4).astype(np.float32))
grads = {k: tf.gradients(tf.reduce_sum(activations[k] * weights[:, :4]
                                       if k != "crelu" else activations[k]), x)[0]
         for k in names}
named_relu = tf.nn.relu(x, name="my_relu")
report("named_relu", named_relu.name)
x64 = tf.constant(values.astype(np.float64))
report("float64_dtypes", [tf.nn.relu(x64).dtype.name, tf.nn.softmax(x64).dtype.name,
                          tf.nn.elu(x64).dtype.name])

# Cross-entropies.
logits = tf.placeholder(tf.float32, [None, 3], name="logits")
logit_values = np.array([[2.0, -1.0, 0.5], [0.1, 0.0, 0.3], [-30.0, 40.0, 2.0],
                         [1.0, 1.0, 1.0]], np.float32)
onehot = np.array([[1, 0, 0], [0, 0, 1], [1, 0, 0], [0.2, 0.3, 0.5]], np.float32)
sparse = np.array([0, 2, 0, 1], np.int32)
labels_ph = tf.placeholder(tf.float32, [None, 3], name="labels")
xents = {
    "v2": tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels_ph, logits=logits),
    "v1": tf.nn.softmax_cross_entropy_with_logits(labels=labels_ph, logits=logits),
    "sparse": tf.nn.sparse_softmax_cross_entropy_with_logits(labels=sparse, logits=logits),
    "sparse64": tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=sparse.astype(np.int64), logits=logits),
    "sigmoid": tf.nn.sigmoid_cross_entropy_with_logits(labels=labels_ph, logits=logits),
    "weighted": tf.nn.weighted_cross_entropy_with_logits(labels=labels_ph, logits=logits,
                                                         pos_weight=2.5),
}
xnames = sorted(xents)
report("xent_shapes", {k: str(xents[k].shape) for k in xnames})
xent_grads_logits = {k: tf.gradients(tf.reduce_sum(xents[k]), logits)[0] for k in xnames}
xent_grads_labels = {k: tf.gradients(tf.reduce_sum(xents[k]), labels_ph)[0]
                     for k in ("v2", "v1", "sigmoid", "weighted")}
report("v1_labels_grad_is_none", xent_grads_labels["v1"] is None)

# Cross-entropy along axis 0 (classes in the first dimension).
logits_t = tf.constant(logit_values.T)
xent_axis0 = tf.nn.softmax_cross_entropy_with_logits_v2(labels=onehot.T, logits=logits_t,
                                                        axis=0)
xent_dim0 = tf.nn.softmax_cross_entropy_with_logits(labels=onehot.T, logits=logits_t, dim=0)
report("xent_axis0_shape", [str(xent_axis0.shape), str(xent_dim0.shape)])
xent_axis0_grad = tf.gradients(tf.reduce_sum(xent_axis0 * [1.0, 2.0, 3.0, 4.0]), logits_t)[0]

l2 = tf.nn.l2_loss(x)
report("l2_loss_shape_name", [str(l2.shape), l2.name])
l2_grad = tf.gradients(l2, x)[0]

# Misuse.
report_error("sparse_float_labels", lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(
    labels=np.array([0.0, 1.0], np.float32), logits=tf.zeros([2, 3])))
report_error("sparse_rank_mismatch", lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(
    labels=np.zeros([2, 1], np.int32), logits=tf.zeros([2, 3])))
report("xent_positional", str(tf.nn.softmax_cross_entropy_with_logits(onehot,
                                                                      logit_values).shape))
report_error("sigmoid_shape_mismatch", lambda: tf.nn.sigmoid_cross_entropy_with_logits(
    labels=tf.zeros([2, 3]), logits=tf.zeros([2, 4])))
report_error("softmax_axis_out_of_range", lambda: tf.nn.softmax(tf.zeros([2, 3]), axis=2))
report_error("xent_shape_mismatch", lambda: tf.nn.softmax_cross_entropy_with_logits_v2(
    labels=tf.zeros([2, 3]), logits=tf.zeros([2, 4])))

with tf.Session() as sess:
    feed = {x: values, logits: logit_values, labels_ph: onehot}
    report("activations", sess.run(activations, feed))
    report("activation_grads", sess.run(grads, feed))
    report("xents", sess.run(xents, feed))
    report("xent_grads_logits", sess.run(xent_grads_logits, feed))
    report("xent_grads_labels", sess.run({k: v for k, v in xent_grads_labels.items()
                                          if v is not None}, feed))
    report("xent_axis0", sess.run([xent_axis0, xent_dim0, xent_axis0_grad]))
    report("l2", sess.run([l2, l2_grad], feed))
    report("float64_values", sess.run([tf.nn.selu(x64), tf.nn.log_softmax(x64)]))
    report_error("sparse_label_out_of_range", lambda: sess.run(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 3], logits=tf.zeros([2, 3]))))
tolerance(rtol=1e-5, atol=1e-5)
