"""tf.metrics over several batches: accuracy, mean, mean_squared_error, mean_absolute_error,
root_mean_squared_error, precision, recall, the confusion counts and auc (ROC and PR); local
variable names, value vs update_op, weights, and resetting with local_variables_initializer."""
from _compat import TENSORFLOW, report, report_error, tolerance

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np

rng = np.random.RandomState(5)
batches = []
for size in (6, 4, 8):
    labels = rng.randint(0, 2, size).astype(np.int64)
    scores = np.clip(labels * 0.3 + rng.rand(size) * 0.7, 0, 1).astype(np.float32)
    batches.append((labels, scores, rng.rand(size).astype(np.float32),
                    (rng.rand(size) > 0.3).astype(np.float32)))
labels = tf.placeholder(tf.int64, [None], name="labels")
scores = tf.placeholder(tf.float32, [None], name="scores")
values = tf.placeholder(tf.float32, [None], name="values")
weights = tf.placeholder(tf.float32, [None], name="weights")
predicted = tf.cast(scores > 0.5, tf.int64)
bool_labels = tf.cast(labels, tf.bool)
bool_predicted = scores > 0.5

metrics = {
    "accuracy": tf.metrics.accuracy(labels, predicted),
    "accuracy_weighted": tf.metrics.accuracy(labels, predicted, weights=weights),
    "mean": tf.metrics.mean(values),
    "mean_weighted": tf.metrics.mean(values, weights=weights),
    "mse": tf.metrics.mean_squared_error(tf.cast(labels, tf.float32), scores),
    "mse_weighted": tf.metrics.mean_squared_error(tf.cast(labels, tf.float32), scores,
                                                  weights=weights),
    "mae": tf.metrics.mean_absolute_error(tf.cast(labels, tf.float32), scores),
    "rmse": tf.metrics.root_mean_squared_error(tf.cast(labels, tf.float32), scores),
    "precision": tf.metrics.precision(bool_labels, bool_predicted),
    "precision_weighted": tf.metrics.precision(labels, predicted, weights=weights),
    "recall": tf.metrics.recall(bool_labels, bool_predicted),
    "true_positives": tf.metrics.true_positives(bool_labels, bool_predicted),
    "false_positives": tf.metrics.false_positives(bool_labels, bool_predicted),
    "false_negatives": tf.metrics.false_negatives(bool_labels, bool_predicted),
    "true_negatives": tf.metrics.true_negatives(bool_labels, bool_predicted),
    "auc": tf.metrics.auc(labels, scores),
    "auc_pr": tf.metrics.auc(labels, scores, curve="PR", num_thresholds=50),
    "auc_weighted": tf.metrics.auc(labels, scores, weights=weights),
    "named_accuracy": tf.metrics.accuracy(labels, predicted, name="my_accuracy"),
}
metrics["auc_careful"] = tf.metrics.auc(labels, scores, curve="PR", num_thresholds=30,
                                        summation_method="careful_interpolation")
metrics["auc_minoring"] = tf.metrics.auc(labels, scores, num_thresholds=20,
                                         summation_method="minoring")
metrics["auc_majoring"] = tf.metrics.auc(labels, scores, num_thresholds=20,
                                         summation_method="majoring")
metrics["auc_thresholds"] = tf.metrics.auc(labels, scores, thresholds=[0.25, 0.5, 0.75])
metrics["accuracy_column_labels"] = tf.metrics.accuracy(tf.reshape(labels, [-1, 1]), predicted)
metrics["mean_matrix"] = tf.metrics.mean(tf.reshape(values, [-1, 2]),
                                         weights=tf.reshape(weights, [-1, 2])[:, :1])
keys = sorted(metrics)
report("local_variables", [v.name for v in tf.local_variables()])
report("local_shapes", [str(v.shape) for v in tf.local_variables()])
report("metric_variables", len(tf.get_collection(tf.GraphKeys.METRIC_VARIABLES)))
report("global_variables", [v.name for v in tf.global_variables()])
report("value_shapes", {k: [str(t.shape) for t in metrics[k]] for k in keys})
report("value_names", {k: [t.name for t in metrics[k]] for k in keys
                       if k not in ("true_positives", "false_positives", "false_negatives",
                                    "true_negatives")})
report("value_dtypes", {k: [t.dtype.name for t in metrics[k]] for k in keys})

with tf.variable_scope("eval"):
    scoped_value, scoped_update = tf.metrics.mean(values, metrics_collections=["my_metrics"],
                                                  updates_collections=["my_updates"])
report("scoped", [[v.name for v in tf.local_variables() if v.name.startswith("eval")],
                  len(tf.get_collection("my_metrics")), len(tf.get_collection("my_updates"))])

report_error("auc_bad_curve", lambda: tf.metrics.auc(labels, scores, curve="XY"))
report_error("accuracy_shape_mismatch", lambda: tf.metrics.accuracy(
    tf.zeros([3], tf.int64), tf.zeros([4], tf.int64)))

with tf.Session() as sess:
    sess.run(tf.local_variables_initializer())
    report("before_updates", sess.run({k: metrics[k][0] for k in keys}))
    for i, (l, s, v, w) in enumerate(batches):
        feed = {labels: l, scores: s, values: v, weights: w}
        report("update_%d" % i, sess.run({k: metrics[k][1] for k in keys}, feed))
        report("value_%d" % i, sess.run({k: metrics[k][0] for k in keys}))
    sess.run(tf.local_variables_initializer())
    report("after_reset", sess.run({k: metrics[k][0] for k in keys}))
    l, s, v, w = batches[1]
    sess.run([metrics[k][1] for k in keys], {labels: l, scores: s, values: v, weights: w})
    report("one_batch", sess.run({k: metrics[k][0] for k in keys}))
    report("scoped_value", sess.run(scoped_update, {values: v}))
tolerance(rtol=1e-5, atol=1e-5)
