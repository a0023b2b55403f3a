"""tf.losses: every loss with weights, label smoothing and each Reduction mode, the LOSSES
collection, get_total_loss with regularization, and gradients of the reduced losses."""
from _compat import TENSORFLOW, report, report_error, tolerance

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np

rng = np.random.RandomState(7)
labels_values = np.array([[1.0, 0.0, 0.5], [2.0, -1.0, 0.0], [0.3, 0.7, 1.0],
                          [0.0, 0.0, 1.0]], np.float32)
pred_values = np.array([[0.8, 0.1, 0.4], [1.0, 0.5, 0.2], [0.3, 0.9, 0.6],
                        [0.2, 0.05, 0.95]], np.float32)
labels = tf.placeholder(tf.float32, [None, 3], name="labels")
predictions = tf.Variable(pred_values, name="predictions")
per_example = tf.constant([[1.0], [0.0], [2.0], [0.5]])
per_element = tf.constant(rng.rand(4, 3).astype(np.float32) * (rng.rand(4, 3) > 0.3))
probabilities = tf.clip_by_value(predictions, 0.01, 0.99)
binary = tf.constant([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0], [0.0, 1.0, 1.0]])
onehot = tf.constant(np.eye(3, dtype=np.float32)[[0, 2, 1, 2]])
sparse = tf.constant([0, 2, 1, 2])

R = tf.losses.Reduction
reductions = {"none": R.NONE, "sum": R.SUM, "mean": R.MEAN,
              "sum_over_batch_size": R.SUM_OVER_BATCH_SIZE,
              "sum_by_nonzero_weights": R.SUM_BY_NONZERO_WEIGHTS}
builders = {
    "mse": lambda **kw: tf.losses.mean_squared_error(labels, predictions, **kw),
    "absolute": lambda **kw: tf.losses.absolute_difference(labels, predictions, **kw),
    "huber": lambda **kw: tf.losses.huber_loss(labels, predictions, **kw),
    "huber_delta": lambda **kw: tf.losses.huber_loss(labels, predictions, delta=0.3, **kw),
    "log": lambda **kw: tf.losses.log_loss(binary, probabilities, **kw),
    "hinge": lambda **kw: tf.losses.hinge_loss(binary, predictions, **kw),
    "sigmoid": lambda **kw: tf.losses.sigmoid_cross_entropy(binary, predictions, **kw),
    "sigmoid_smooth": lambda **kw: tf.losses.sigmoid_cross_entropy(
        binary, predictions, label_smoothing=0.2, **kw),
    "cosine": lambda **kw: tf.losses.cosine_distance(
        tf.nn.l2_normalize(labels, 1), tf.nn.l2_normalize(predictions, 1), axis=1, **kw),
}
row_builders = {
    "softmax": lambda **kw: tf.losses.softmax_cross_entropy(onehot, predictions, **kw),
    "softmax_smooth": lambda **kw: tf.losses.softmax_cross_entropy(
        onehot, predictions, label_smoothing=0.1, **kw),
    "sparse": lambda **kw: tf.losses.sparse_softmax_cross_entropy(sparse, predictions, **kw),
}
losses = {}
for name, build in builders.items():
    losses[name] = build()
    if name != "cosine":  # its losses are [4, 1]: weights broadcast to that, not [4, 3]
        losses[name + "/elementwise_weights"] = build(weights=per_element)
    losses[name + "/example_weights"] = build(weights=per_example)
    for rname, reduction in reductions.items():
        losses[name + "/" + rname] = build(weights=per_element if name != "cosine"
                                           else per_example, reduction=reduction)
row_weights = tf.constant([1.0, 0.0, 3.0, 0.5])
for name, build in row_builders.items():
    losses[name] = build()
    losses[name + "/scalar_weight"] = build(weights=2.0)
    losses[name + "/row_weights"] = build(weights=row_weights)
    for rname, reduction in reductions.items():
        losses[name + "/" + rname] = build(weights=row_weights, reduction=reduction)
losses["mse/zero_weights"] = tf.losses.mean_squared_error(labels, predictions, weights=0.0)
losses["sparse/column_labels"] = tf.losses.sparse_softmax_cross_entropy(
    tf.reshape(sparse, [-1, 1]), predictions, weights=row_weights)
losses["sparse/column_weights"] = tf.losses.sparse_softmax_cross_entropy(
    sparse, predictions, weights=[[1.0], [2.0], [0.0], [1.0]])

keys = sorted(losses)
report("shapes", {k: str(losses[k].shape) for k in keys})
report("dtypes", {k: losses[k].dtype.name for k in keys})
report("names", [losses[k].name for k in ("mse", "huber", "softmax", "sparse", "cosine",
                                          "log/none", "hinge/sum", "mse/mean")])
collected = tf.get_collection(tf.GraphKeys.LOSSES)
report("collection", [len(collected), collected[0].name, collected[-1].name])
report("get_losses", len(tf.losses.get_losses()))
grads = {k: tf.gradients(losses[k] if losses[k].shape.ndims == 0
                         else tf.reduce_sum(losses[k]), predictions)[0]
         for k in keys}

# A separate graph for the collection helpers: scopes, add_loss, regularization.
graph = tf.Graph()
with graph.as_default():
    w = tf.Variable([[1.0, -2.0], [0.5, 3.0]], name="w")
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.variable_scope("tower"):
        reg = tf.get_variable("r", initializer=tf.constant([1.0, 2.0]),
                              regularizer=lambda t: 0.1 * tf.reduce_sum(t * t))
        tower_loss = tf.losses.mean_squared_error(x, tf.matmul(x, w), scope="tower_mse")
    free_loss = tf.losses.absolute_difference(x, tf.matmul(x, w), loss_collection=None)
    tf.losses.add_loss(tf.reduce_sum(w) * 0.01)
    total = tf.losses.get_total_loss()
    total_no_reg = tf.losses.get_total_loss(add_regularization_losses=False, name="plain")
    reg_total = tf.losses.get_regularization_loss()
    report("helper_names", [tower_loss.name, free_loss.name, total.name, total_no_reg.name,
                            reg_total.name])
    report("helper_counts", [len(tf.losses.get_losses()), len(tf.losses.get_losses("tower")),
                             len(tf.losses.get_regularization_losses()),
                             len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES))])
    total_grads = tf.gradients(total, [w, reg])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        report("helper_values", sess.run([tower_loss, free_loss, total, total_no_reg,
                                          reg_total]))
        report("helper_grads", sess.run(total_grads))

with tf.Graph().as_default():
    report_error("no_losses", lambda: tf.losses.get_total_loss())
    report_error("shape_mismatch", lambda: tf.losses.mean_squared_error(
        tf.zeros([3, 2]), tf.zeros([3, 4])))
    report_error("weights_not_broadcastable", lambda: tf.losses.mean_squared_error(
        tf.zeros([4, 3]), tf.zeros([4, 3]), weights=tf.ones([4, 2])))
    report_error("weights_wrong_rank", lambda: tf.losses.absolute_difference(
        tf.zeros([4, 3]), tf.zeros([4, 3]), weights=tf.ones([3])))
    report_error("cosine_without_axis", lambda: tf.losses.cosine_distance(
        tf.zeros([4, 3]), tf.zeros([4, 3])))
    report_error("bad_reduction", lambda: tf.losses.mean_squared_error(
        tf.zeros([3]), tf.zeros([3]), reduction="bogus"))
    report_error("sparse_float_labels", lambda: tf.losses.sparse_softmax_cross_entropy(
        tf.zeros([3]), tf.zeros([3, 4])))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed = {labels: labels_values}
    report("values", sess.run({k: losses[k] for k in keys}, feed))
    report("grads", sess.run(grads, feed))
tolerance(rtol=1e-5, atol=1e-5)
