"""``tf.metrics``: streaming metrics as (value, update_op) over local variables.

Each metric opens a variable scope (``accuracy``, ``precision``...; uniquified like a name scope)
and keeps its running sums in float32 local variables created with ``tf.Variable`` semantics, so
calling a metric twice with the same name makes ``name_1/...`` rather than a reuse error. The
value reads the sums; the update op adds one batch and gives the metric including it.
"""
from .framework import dtypes, graph as graph_mod
from .framework.graph import GraphKeys
from .ops import array as array_ops
from .ops import math as math_ops
from .ops import state as state_ops
from .ops import variable_scope as vs
from .ops.convert import convert_to_tensor


def _metric_variable(shape, name):
    return state_ops.Variable(lambda: array_ops.zeros(shape, dtypes.float32), trainable=False,
                              collections=[GraphKeys.LOCAL_VARIABLES,
                                           GraphKeys.METRIC_VARIABLES], name=name)


def _collected(value, update_op, metrics_collections, updates_collections):
    """``(value, update_op)``, each added to the collections named for it."""
    for keys, item in ((metrics_collections, value), (updates_collections, update_op)):
        for key in keys or []:
            graph_mod.add_to_collection(key, item)
    return value, update_op


def _squeeze_last_if(t, condition):
    return array_ops.squeeze(t, [-1]) if condition else t


def _remove_squeezable_dimensions(predictions, labels=None, weights=None):
    """[N, 1] against [N]: drops the extra trailing 1 of labels or predictions, and fits the
    weights' rank to the predictions' by one squeeze or expand_dims (static ranks)."""
    predictions = convert_to_tensor(predictions, name="predictions")
    if labels is not None:
        labels = convert_to_tensor(labels, name="labels")
        p_rank, l_rank = predictions.shape.ndims, labels.shape.ndims
        if p_rank is not None and l_rank is not None:
            predictions = _squeeze_last_if(predictions, p_rank == l_rank + 1 and
                                           predictions.shape[-1].value in (1, None))
            labels = _squeeze_last_if(labels, l_rank == p_rank + 1 and
                                      labels.shape[-1].value in (1, None))
        if not predictions.shape.is_compatible_with(labels.shape):
            raise ValueError("Shapes %s and %s are incompatible" % (predictions.shape,
                                                                    labels.shape))
    if weights is None:
        return predictions, labels, None
    weights = convert_to_tensor(weights, name="weights")
    w_rank, p_rank = weights.shape.ndims, predictions.shape.ndims
    if w_rank not in (0, None) and p_rank is not None:
        if w_rank - p_rank == 1:
            weights = array_ops.squeeze(weights, [-1])
        elif p_rank - w_rank == 1:
            weights = array_ops.expand_dims(weights, -1)
    return predictions, labels, weights


def _broadcast_weights(weights, values):
    """Float32 weights of ``values``' shape (scalars and size-1 dimensions stretched)."""
    weights = math_ops.cast(weights, dtypes.float32)
    if weights.shape.is_fully_defined() and values.shape.is_fully_defined() and \
            weights.shape == values.shape:
        return weights
    return math_ops.multiply(weights, array_ops.ones_like(values))


def mean(values, weights=None, metrics_collections=None, updates_collections=None, name=None):
    with vs.variable_scope(name, "mean", [values, weights]):
        values = math_ops.cast(convert_to_tensor(values, name="values"), dtypes.float32)
        total = _metric_variable([], "total")
        count = _metric_variable([], "count")
        if weights is None:
            num_values = math_ops.cast(array_ops.size(values), dtypes.float32)
        else:
            values, _, weights = _remove_squeezable_dimensions(values, None, weights)
            weights = _broadcast_weights(weights, values)
            values = math_ops.multiply(values, weights)
            num_values = math_ops.reduce_sum(weights)
        update_total = state_ops.assign_add(total, math_ops.reduce_sum(values))
        with graph_mod.control_dependencies([values]):
            update_count = state_ops.assign_add(count, num_values)
        value = math_ops.div_no_nan(total, math_ops.maximum(count, 0), name="value")
        update_op = math_ops.div_no_nan(update_total, math_ops.maximum(update_count, 0),
                                        name="update_op")
        return _collected(value, update_op, metrics_collections, updates_collections)


def accuracy(labels, predictions, weights=None, metrics_collections=None,
             updates_collections=None, name=None):
    """The (weighted) fraction of ``predictions`` equal to ``labels``, accumulated over runs."""
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    if labels.dtype.base_dtype != predictions.dtype.base_dtype:
        predictions = math_ops.cast(predictions, labels.dtype.base_dtype)
    is_correct = math_ops.cast(math_ops.equal(predictions, labels), dtypes.float32)
    return mean(is_correct, weights, metrics_collections, updates_collections,
                name or "accuracy")


def _error_metric(error_fn, default_name, labels, predictions, weights, metrics_collections,
                  updates_collections, name):
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    if labels.dtype.base_dtype != predictions.dtype.base_dtype:
        labels = math_ops.cast(labels, predictions.dtype.base_dtype)
    return mean(error_fn(labels, predictions), weights, metrics_collections,
                updates_collections, name or default_name)


def mean_squared_error(labels, predictions, weights=None, metrics_collections=None,
                       updates_collections=None, name=None):
    return _error_metric(math_ops.squared_difference, "mean_squared_error", labels, predictions,
                         weights, metrics_collections, updates_collections, name)


def mean_absolute_error(labels, predictions, weights=None, metrics_collections=None,
                        updates_collections=None, name=None):
    return _error_metric(lambda l, p: math_ops.abs(p - l), "mean_absolute_error", labels,
                         predictions, weights, metrics_collections, updates_collections, name)


def root_mean_squared_error(labels, predictions, weights=None, metrics_collections=None,
                            updates_collections=None, name=None):
    mse, update_mse = _error_metric(math_ops.squared_difference, "root_mean_squared_error",
                                    labels, predictions, weights, None, None, name)
    rmse, update_op = math_ops.sqrt(mse), math_ops.sqrt(update_mse)
    return _collected(rmse, update_op, metrics_collections, updates_collections)


# -- confusion counts -----------------------------------------------------------------------------
def _as_bool(t, what):
    t = convert_to_tensor(t, name=what)
    return t if t.dtype.base_dtype == dtypes.bool else math_ops.cast(t, dtypes.bool)


def _count_condition(condition, weights, metrics_collections, updates_collections):
    """A running (weighted) count of the true elements of ``condition``."""
    count = _metric_variable([], "count")
    values = math_ops.cast(condition, dtypes.float32)
    if weights is not None:
        weights = math_ops.cast(convert_to_tensor(weights, name="weights"), dtypes.float32)
        if weights.shape.ndims not in (None, 0) and values.shape.ndims is not None and \
                weights.shape.ndims != values.shape.ndims:
            raise ValueError("weights must be a scalar or have the rank of the values (%d), "
                             "got shape %s" % (values.shape.ndims, weights.shape))
        values = math_ops.multiply(values, weights)
    value = array_ops.identity(count)
    update_op = state_ops.assign_add(count, math_ops.reduce_sum(values))
    return _collected(value, update_op, metrics_collections, updates_collections)


def _confusion_count(labels_wanted, predictions_wanted, default_name):
    def metric(labels, predictions, weights=None, metrics_collections=None,
               updates_collections=None, name=None):
        with vs.variable_scope(name, default_name, [predictions, labels, weights]):
            predictions, labels, weights = _remove_squeezable_dimensions(
                _as_bool(predictions, "predictions"), _as_bool(labels, "labels"), weights)
            condition = math_ops.logical_and(
                math_ops.equal(labels, labels_wanted),
                math_ops.equal(predictions, predictions_wanted))
            return _count_condition(condition, weights, metrics_collections,
                                    updates_collections)
    metric.__name__ = default_name
    return metric


true_positives = _confusion_count(True, True, "true_positives")
false_positives = _confusion_count(False, True, "false_positives")
false_negatives = _confusion_count(True, False, "false_negatives")
true_negatives = _confusion_count(False, False, "true_negatives")


def _ratio_metric(default_name, other_count):
    """precision (tp / (tp + fp)) or recall (tp / (tp + fn)); 0 while the denominator is 0."""
    def metric(labels, predictions, weights=None, metrics_collections=None,
               updates_collections=None, name=None):
        with vs.variable_scope(name, default_name, [predictions, labels, weights]):
            predictions, labels, weights = _remove_squeezable_dimensions(
                _as_bool(predictions, "predictions"), _as_bool(labels, "labels"), weights)
            tp, tp_update = true_positives(labels, predictions, weights)
            other, other_update = other_count(labels, predictions, weights)

            def ratio(hits, misses, op_name):
                return math_ops.where(math_ops.greater(hits + misses, 0),
                                      math_ops.divide(hits, hits + misses), 0, name=op_name)
            value = ratio(tp, other, "value")
            update_op = ratio(tp_update, other_update, "update_op")
            return _collected(value, update_op, metrics_collections, updates_collections)
    metric.__name__ = default_name
    return metric


precision = _ratio_metric("precision", false_positives)
recall = _ratio_metric("recall", false_negatives)


# -- area under the curve -------------------------------------------------------------------------
_AUC_CURVES = ("ROC", "PR")
_AUC_SUMMATIONS = ("trapezoidal", "careful_interpolation", "minoring", "majoring")


def _confusion_at_thresholds(labels, predictions, thresholds, weights):
    """Running tp, fn, tn, fp per threshold (a prediction counts as positive when it is strictly
    above the threshold): {key: (variable, update_op)}."""
    count = len(thresholds)
    predictions, labels, weights = _remove_squeezable_dimensions(
        math_ops.cast(predictions, dtypes.float32), _as_bool(labels, "labels"), weights)
    flat_predictions = array_ops.reshape(predictions, [1, -1])
    flat_labels = array_ops.reshape(labels, [1, -1])
    column = array_ops.reshape(convert_to_tensor(thresholds, dtype=dtypes.float32), [-1, 1])
    predicted_positive = math_ops.greater(flat_predictions, column)  # [thresholds, examples]
    actual_positive = math_ops.logical_and(flat_labels, array_ops.ones_like(predicted_positive))
    if weights is not None:
        weights = array_ops.reshape(_broadcast_weights(weights, predictions), [1, -1])
    results = {}
    for key, label_wanted, prediction_wanted in (("tp", True, True), ("fn", True, False),
                                                 ("tn", False, False), ("fp", False, True)):
        variable = _metric_variable([count], {"tp": "true_positives", "fn": "false_negatives",
                                              "tn": "true_negatives",
                                              "fp": "false_positives"}[key])
        hits = math_ops.cast(math_ops.logical_and(
            math_ops.equal(actual_positive, label_wanted),
            math_ops.equal(predicted_positive, prediction_wanted)), dtypes.float32)
        if weights is not None:
            hits = hits * weights
        results[key] = (variable, state_ops.assign_add(variable,
                                                       math_ops.reduce_sum(hits, 1)))
    return results


def _pr_auc_interpolated(tp, fp, fn, count):
    """The PR curve's area with precision interpolated between thresholds as the counts move
    linearly (Davis & Goadrich), rather than the trapezoid rule on (recall, precision)."""
    d_tp = tp[:count - 1] - tp[1:]
    positives = tp + fp
    slope = math_ops.div_no_nan(d_tp, math_ops.maximum(positives[:count - 1] - positives[1:],
                                                       0), name="prec_slope")
    intercept = tp[1:] - math_ops.multiply(slope, positives[1:])
    ratio = math_ops.where(
        math_ops.logical_and(positives[:count - 1] > 0, positives[1:] > 0),
        math_ops.div_no_nan(positives[:count - 1], math_ops.maximum(positives[1:], 0),
                            name="recall_relative_ratio"),
        array_ops.ones_like(positives[1:]))
    return math_ops.reduce_sum(math_ops.div_no_nan(
        slope * (d_tp + intercept * math_ops.log(ratio)),
        math_ops.maximum(tp[1:] + fn[1:], 0), name="pr_auc_increment"),
        name="interpolate_pr_auc")


def auc(labels, predictions, weights=None, num_thresholds=200, metrics_collections=None,
        updates_collections=None, curve="ROC", name=None, summation_method="trapezoidal",
        thresholds=None):
    """The area under the ROC or PR curve, from counts at ``num_thresholds`` thresholds spread
    evenly over [0, 1] (the end ones just outside it), so an approximation of the exact area."""
    if curve not in _AUC_CURVES:
        raise ValueError("curve must be either ROC or PR, %s unknown" % curve)
    if summation_method not in _AUC_SUMMATIONS:
        raise ValueError("Invalid summation_method: %s" % summation_method)
    with vs.variable_scope(name, "auc", [labels, predictions, weights]):
        tiny = 1e-7
        if thresholds is not None:
            thresholds = [-tiny] + sorted(float(t) for t in thresholds) + [1.0 + tiny]
            num_thresholds = len(thresholds)
        else:
            if num_thresholds < 2:
                raise ValueError("num_thresholds must be > 1.")
            thresholds = [-tiny] + [(i + 1) / (num_thresholds - 1)
                                    for i in range(num_thresholds - 2)] + [1.0 + tiny]
        counts = _confusion_at_thresholds(labels, predictions, thresholds, weights)
        epsilon = 1e-6

        def area(tp, fn, tn, fp, op_name):
            if curve == "PR" and summation_method == "careful_interpolation":
                return _pr_auc_interpolated(tp, fp, fn, num_thresholds)
            recall_ = math_ops.divide(tp + epsilon, tp + fn + epsilon)
            if curve == "ROC":
                x, y = math_ops.divide(fp, fp + tn + epsilon), recall_
            else:
                x, y = recall_, math_ops.divide(tp + epsilon, tp + fp + epsilon)
            widths = x[:num_thresholds - 1] - x[1:]
            left, right = y[:num_thresholds - 1], y[1:]
            if summation_method == "minoring":
                heights = math_ops.minimum(left, right)
            elif summation_method == "majoring":
                heights = math_ops.maximum(left, right)
            else:
                heights = (left + right) / 2.0
            return math_ops.reduce_sum(math_ops.multiply(widths, heights), name=op_name)

        variables = {k: v for k, (v, _) in counts.items()}
        updates = {k: u for k, (_, u) in counts.items()}
        value = area(variables["tp"], variables["fn"], variables["tn"], variables["fp"],
                     "value")
        update_op = area(updates["tp"], updates["fn"], updates["tn"], updates["fp"],
                         "update_op")
        return _collected(value, update_op, metrics_collections, updates_collections)
