"""``tf.keras.losses``: per-sample losses ``fn(y_true, y_pred)`` (mean over the last axis), and
their Keras names (``loss='categorical_crossentropy'``).

Given probabilities, the cross-entropies look through a final Softmax/Sigmoid op to its logits,
as TF1's Keras backend does, so a softmax output layer trains with the stable fused kernel; other
probabilities are clipped to [epsilon, 1 - epsilon] before the log.
"""
from .. import nn
from ..framework import dtypes
from ..ops import array as array_ops
from ..ops import math as math_ops
from ..ops.convert import convert_to_tensor
from . import backend


def _pair(y_true, y_pred):
    y_pred = convert_to_tensor(y_pred)
    return math_ops.cast(convert_to_tensor(y_true), y_pred.dtype.base_dtype), y_pred


def _logits_behind(y_pred, op_type):
    """The input of ``y_pred``'s op when that op is ``op_type`` (Softmax/Sigmoid), else None."""
    op = getattr(y_pred, "op", None)
    return op.inputs[0] if op is not None and op.type == op_type else None


def mean_squared_error(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    return math_ops.reduce_mean(math_ops.squared_difference(y_pred, y_true), axis=-1)


def mean_absolute_error(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    return math_ops.reduce_mean(math_ops.abs(y_pred - y_true), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    scale = math_ops.maximum(math_ops.abs(y_true), backend.epsilon())
    return 100.0 * math_ops.reduce_mean(math_ops.abs((y_true - y_pred) / scale), axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    first = math_ops.log(math_ops.maximum(y_pred, backend.epsilon()) + 1.0)
    second = math_ops.log(math_ops.maximum(y_true, backend.epsilon()) + 1.0)
    return math_ops.reduce_mean(math_ops.squared_difference(first, second), axis=-1)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0):
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        classes = math_ops.cast(array_ops.shape(y_true)[-1], y_pred.dtype)
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / classes
    logits = y_pred if from_logits else _logits_behind(y_pred, "Softmax")
    if logits is not None:
        return nn.softmax_cross_entropy_with_logits_v2(
            labels=array_ops.stop_gradient(y_true), logits=logits)
    probs = y_pred / math_ops.reduce_sum(y_pred, axis=-1, keepdims=True)
    probs = math_ops.clip_by_value(probs, backend.epsilon(), 1.0 - backend.epsilon())
    return -math_ops.reduce_sum(y_true * math_ops.log(probs), axis=-1)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    y_pred = convert_to_tensor(y_pred)
    labels = math_ops.cast(array_ops.reshape(convert_to_tensor(y_true), [-1]), dtypes.int64)
    logits = y_pred if from_logits else _logits_behind(y_pred, "Softmax")
    if logits is None:
        # softmax(log p) = p for normalized p, so clipped log-probabilities serve as logits.
        logits = math_ops.log(math_ops.clip_by_value(y_pred, backend.epsilon(),
                                                     1.0 - backend.epsilon()))
    if logits.shape.ndims is not None and logits.shape.ndims != 2:
        classes = logits.shape[-1].value
        logits = array_ops.reshape(logits, [-1, classes])
    return nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0):
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    logits = y_pred if from_logits else _logits_behind(y_pred, "Sigmoid")
    if logits is None:
        probs = math_ops.clip_by_value(y_pred, backend.epsilon(), 1.0 - backend.epsilon())
        logits = math_ops.log(probs / (1.0 - probs))
    return math_ops.reduce_mean(
        nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=logits), axis=-1)


def hinge(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    # Keras maps {0, 1} labels to {-1, 1}; labels already in {-1, 1} pass unchanged.
    signed = math_ops.where(math_ops.equal(y_true, 0.0), -array_ops.ones_like(y_true), y_true)
    return math_ops.reduce_mean(math_ops.maximum(1.0 - signed * y_pred, 0.0), axis=-1)


def squared_hinge(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    signed = math_ops.where(math_ops.equal(y_true, 0.0), -array_ops.ones_like(y_true), y_true)
    return math_ops.reduce_mean(math_ops.square(math_ops.maximum(1.0 - signed * y_pred, 0.0)),
                                axis=-1)


def kullback_leibler_divergence(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = math_ops.clip_by_value(y_true, backend.epsilon(), 1.0)
    y_pred = math_ops.clip_by_value(y_pred, backend.epsilon(), 1.0)
    return math_ops.reduce_sum(y_true * math_ops.log(y_true / y_pred), axis=-1)


def poisson(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    return math_ops.reduce_mean(y_pred - y_true * math_ops.log(y_pred + backend.epsilon()),
                                axis=-1)


def logcosh(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    x = y_pred - y_true
    # log(cosh(x)) = x + softplus(-2x) - log(2), without overflow for large |x|.
    return math_ops.reduce_mean(x + nn.softplus(-2.0 * x) - 0.6931471805599453, axis=-1)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence

_BY_NAME = {
    "mean_squared_error": mean_squared_error, "mse": mse, "MSE": mse,
    "mean_absolute_error": mean_absolute_error, "mae": mae, "MAE": mae,
    "mean_absolute_percentage_error": mape, "mape": mape, "MAPE": mape,
    "mean_squared_logarithmic_error": msle, "msle": msle, "MSLE": msle,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
    "binary_crossentropy": binary_crossentropy, "hinge": hinge, "squared_hinge": squared_hinge,
    "kullback_leibler_divergence": kld, "kld": kld, "KLD": kld, "poisson": poisson,
    "logcosh": logcosh,
}


def get(identifier):
    """A Keras loss name or a callable ``fn(y_true, y_pred)`` -> the per-sample loss function."""
    if isinstance(identifier, str):
        try:
            return _BY_NAME[identifier]
        except KeyError:
            raise ValueError("Unknown loss function: '%s'. Known: %s"
                             % (identifier, ", ".join(sorted(_BY_NAME)))) from None
    if callable(identifier):
        return identifier
    raise ValueError("Could not interpret loss function identifier: %r" % (identifier,))


def serialize(loss):
    return getattr(loss, "__name__", repr(loss))
