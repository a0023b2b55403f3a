"""``tf.losses``: weighted losses with TF1's default reduction (SUM_BY_NONZERO_WEIGHTS),
added to the LOSSES collection, plus the regularization-loss helpers."""
from . import nn
from .framework import graph as graph_mod
from .framework.graph import GraphKeys
from .ops import array as array_ops
from .ops import math as math_ops
from .ops.convert import convert_to_tensor


class Reduction:
    NONE = "none"
    SUM = "weighted_sum"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    MEAN = "weighted_mean"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls):
        return (cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE,
                cls.SUM_BY_NONZERO_WEIGHTS)


def _check_broadcastable(weights, values):
    """TF's static rule for loss weights: a scalar, or the losses' rank with every dimension 1 or
    equal to the losses' (weights never broadcast up a rank)."""
    w_shape, v_shape = weights.shape, values.shape
    if w_shape.ndims == 0 or w_shape.ndims is None or v_shape.ndims is None:
        return
    problem = None
    if w_shape.ndims != v_shape.ndims:
        problem = "values.rank=%d. weights.rank=%d" % (v_shape.ndims, w_shape.ndims)
    else:
        for axis, (w, v) in enumerate(zip(w_shape.as_list(), v_shape.as_list())):
            if w is not None and v is not None and w not in (1, v):
                problem = "Mismatch at dim %d" % axis
                break
    if problem:
        raise ValueError("weights can not be broadcast to values. %s. values.shape=%s, "
                         "weights.shape=%s." % (problem, v_shape, w_shape))


def compute_weighted_loss(losses, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    if reduction not in Reduction.all():
        raise ValueError("Invalid Reduction Key %s." % reduction)
    with graph_mod.name_scope(scope, "weighted_loss", [losses, weights]):
        losses = convert_to_tensor(losses)
        weights = math_ops.cast(convert_to_tensor(weights), losses.dtype)
        _check_broadcastable(weights, losses)
        weighted = math_ops.multiply(losses, weights)
        # As in TF1, NONE returns the product and SUM the Sum; only the divided reductions end
        # in a tensor named "value".
        if reduction == Reduction.NONE:
            loss = weighted
        else:
            loss = math_ops.reduce_sum(weighted)
            if reduction == Reduction.MEAN:
                denominator = math_ops.reduce_sum(array_ops.ones_like(losses) * weights)
            elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
                denominator = math_ops.cast(array_ops.size(losses), losses.dtype)
            elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
                denominator = math_ops.reduce_sum(math_ops.cast(math_ops.not_equal(
                    array_ops.ones_like(losses) * weights, 0.0), losses.dtype))
            if reduction != Reduction.SUM:
                loss = math_ops.div_no_nan(loss, denominator, name="value")
        if loss_collection:
            graph_mod.add_to_collection(loss_collection, loss)
        return loss


def _losses(name, labels, predictions):
    predictions = convert_to_tensor(predictions, name="predictions")
    labels = math_ops.cast(convert_to_tensor(labels, name="labels"), predictions.dtype)
    if not predictions.shape.is_compatible_with(labels.shape):
        raise ValueError("Shapes %s and %s are incompatible (labels and predictions of %s)"
                         % (labels.shape, predictions.shape, name))
    return labels, predictions


def mean_squared_error(labels, predictions, weights=1.0, scope=None,
                       loss_collection=GraphKeys.LOSSES,
                       reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    with graph_mod.name_scope(scope, "mean_squared_error", [predictions, labels]) as s:
        labels, predictions = _losses("mean_squared_error", labels, predictions)
        return compute_weighted_loss(math_ops.squared_difference(predictions, labels), weights,
                                     s, loss_collection, reduction)


def absolute_difference(labels, predictions, weights=1.0, scope=None,
                        loss_collection=GraphKeys.LOSSES,
                        reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    with graph_mod.name_scope(scope, "absolute_difference", [predictions, labels]) as s:
        labels, predictions = _losses("absolute_difference", labels, predictions)
        return compute_weighted_loss(math_ops.abs(predictions - labels), weights, s,
                                     loss_collection, reduction)


def huber_loss(labels, predictions, weights=1.0, delta=1.0, scope=None,
               loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    with graph_mod.name_scope(scope, "huber_loss", [predictions, labels]) as s:
        labels, predictions = _losses("huber_loss", labels, predictions)
        error = math_ops.abs(predictions - labels)
        quadratic = math_ops.minimum(error, delta)
        linear = error - quadratic
        losses = 0.5 * quadratic * quadratic + delta * linear
        return compute_weighted_loss(losses, weights, s, loss_collection, reduction)


def log_loss(labels, predictions, weights=1.0, epsilon=1e-7, scope=None,
             loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    with graph_mod.name_scope(scope, "log_loss", [predictions, labels]) as s:
        labels, predictions = _losses("log_loss", labels, predictions)
        losses = -labels * math_ops.log(predictions + epsilon) - \
            (1.0 - labels) * math_ops.log(1.0 - predictions + epsilon)
        return compute_weighted_loss(losses, weights, s, loss_collection, reduction)


def hinge_loss(labels, logits, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
               reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    with graph_mod.name_scope(scope, "hinge_loss", [logits, labels]) as s:
        labels, logits = _losses("hinge_loss", labels, logits)
        signed = 2.0 * labels - 1.0
        return compute_weighted_loss(nn.relu(1.0 - signed * logits), weights, s,
                                     loss_collection, reduction)


def softmax_cross_entropy(onehot_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    with graph_mod.name_scope(scope, "softmax_cross_entropy_loss",
                              [logits, onehot_labels]) as s:
        onehot_labels, logits = _losses("softmax_cross_entropy", onehot_labels, logits)
        if label_smoothing > 0:
            num_classes = math_ops.cast(array_ops.shape(onehot_labels)[-1], logits.dtype)
            onehot_labels = onehot_labels * (1.0 - label_smoothing) + \
                label_smoothing / num_classes
        losses = nn.softmax_cross_entropy_with_logits_v2(
            labels=array_ops.stop_gradient(onehot_labels), logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, s, loss_collection, reduction)


def _squeeze_trailing_one(t, rank_wanted):
    """Drops a last dimension of 1 when ``t`` has one rank more than wanted ([N, 1] labels
    or weights for [N] losses), as TF1's tf.losses do."""
    if t.shape.ndims is not None and rank_wanted is not None and \
            t.shape.ndims == rank_wanted + 1 and t.shape[-1].value in (1, None):
        return array_ops.squeeze(t, [-1])
    return t


def sparse_softmax_cross_entropy(labels, logits, weights=1.0, scope=None,
                                 loss_collection=GraphKeys.LOSSES,
                                 reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    with graph_mod.name_scope(scope, "sparse_softmax_cross_entropy_loss",
                              [logits, labels, weights]) as s:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, name="labels")
        loss_rank = None if logits.shape.ndims is None else logits.shape.ndims - 1
        labels = _squeeze_trailing_one(labels, loss_rank)
        weights = convert_to_tensor(weights, dtype=logits.dtype.base_dtype, name="weights")
        weights = _squeeze_trailing_one(weights, labels.shape.ndims)
        losses = nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits,
                                                             name="xentropy")
        return compute_weighted_loss(losses, weights, s, loss_collection, reduction)


def sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0, label_smoothing=0,
                          scope=None, loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    with graph_mod.name_scope(scope, "sigmoid_cross_entropy_loss",
                              [logits, multi_class_labels]) as s:
        labels, logits = _losses("sigmoid_cross_entropy", multi_class_labels, logits)
        if label_smoothing > 0:
            labels = labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits,
                                                      name="xentropy")
        return compute_weighted_loss(losses, weights, s, loss_collection, reduction)


def cosine_distance(labels, predictions, axis=None, weights=1.0, scope=None,
                    loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
                    dim=None):
    """1 - sum(labels * predictions) along ``axis`` (kept, as size 1): the cosine distance of
    inputs that are already unit-normalized."""
    if axis is not None and dim is not None:
        raise ValueError("Cannot specify both 'axis' and 'dim'")
    axis = dim if axis is None else axis
    if axis is None:
        raise ValueError("You must specify 'axis'.")
    with graph_mod.name_scope(scope, "cosine_distance_loss", [predictions, labels, weights]) as s:
        labels, predictions = _losses("cosine_distance", labels, predictions)
        products = math_ops.multiply(predictions, labels)
        losses = 1 - math_ops.reduce_sum(products, axis=(axis,), keepdims=True)
        return compute_weighted_loss(losses, weights, s, loss_collection, reduction)


def add_loss(loss, loss_collection=GraphKeys.LOSSES):
    if loss_collection:
        graph_mod.add_to_collection(loss_collection, loss)


def get_losses(scope=None, loss_collection=GraphKeys.LOSSES):
    return graph_mod.get_collection(loss_collection, scope)


def get_regularization_losses(scope=None):
    return graph_mod.get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope=None, name="total_regularization_loss"):
    losses = get_regularization_losses(scope)
    if losses:
        return math_ops.add_n(losses, name=name)
    return convert_to_tensor(0.0, name=name)


def get_total_loss(add_regularization_losses=True, name="total_loss", scope=None):
    losses = get_losses(scope)
    if add_regularization_losses:
        losses = losses + get_regularization_losses(scope)
    if not losses:
        raise ValueError("No losses found in the LOSSES collection: build a loss with "
                         "tf.losses.* first.")
    return math_ops.add_n(losses, name=name)
