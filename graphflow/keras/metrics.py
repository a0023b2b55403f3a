"""``tf.keras.metrics``: per-sample metric functions ``fn(y_true, y_pred)``; ``fit`` reports
their mean over the epoch's samples."""
from .. import nn
from ..framework import dtypes
from ..ops import array as array_ops
from ..ops import math as math_ops
from ..ops.convert import convert_to_tensor
from .losses import (binary_crossentropy, categorical_crossentropy, kld,  # noqa: F401
                     kullback_leibler_divergence, logcosh, mae, mape, mean_absolute_error,
                     mean_absolute_percentage_error, mean_squared_error,
                     mean_squared_logarithmic_error, mse, msle, poisson,
                     sparse_categorical_crossentropy, hinge, squared_hinge)


def binary_accuracy(y_true, y_pred, threshold=0.5):
    y_pred = convert_to_tensor(y_pred)
    y_true = math_ops.cast(convert_to_tensor(y_true), y_pred.dtype.base_dtype)
    predicted = math_ops.cast(math_ops.greater(y_pred, threshold), y_pred.dtype.base_dtype)
    return math_ops.reduce_mean(math_ops.cast(math_ops.equal(y_true, predicted),
                                              dtypes.float32), axis=-1)


def categorical_accuracy(y_true, y_pred):
    return math_ops.cast(math_ops.equal(math_ops.argmax(y_true, -1),
                                        math_ops.argmax(y_pred, -1)), dtypes.float32)


def sparse_categorical_accuracy(y_true, y_pred):
    y_pred = convert_to_tensor(y_pred)
    labels = math_ops.cast(array_ops.reshape(convert_to_tensor(y_true), [-1]), dtypes.int64)
    predicted = array_ops.reshape(math_ops.argmax(y_pred, -1), [-1])
    return math_ops.cast(math_ops.equal(labels, predicted), dtypes.float32)


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    targets = math_ops.cast(math_ops.argmax(y_true, -1), dtypes.int32)
    return math_ops.cast(nn.in_top_k(y_pred, targets, k), dtypes.float32)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    targets = math_ops.cast(array_ops.reshape(convert_to_tensor(y_true), [-1]), dtypes.int32)
    return math_ops.cast(nn.in_top_k(y_pred, targets, k), dtypes.float32)


_BY_NAME = {f.__name__: f for f in (
    binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
    top_k_categorical_accuracy, sparse_top_k_categorical_accuracy, mean_squared_error,
    mean_absolute_error, mean_absolute_percentage_error, mean_squared_logarithmic_error,
    binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy, hinge,
    squared_hinge, kullback_leibler_divergence, poisson, logcosh)}
_BY_NAME.update({"mse": mse, "mae": mae, "mape": mape, "msle": msle, "kld": kld})


def accuracy_for(loss_fn, output_shape):
    """The accuracy that ``'accuracy'`` means for a model, chosen as Keras chooses it: binary for
    a single output unit or a binary cross-entropy, sparse for a sparse cross-entropy, else
    categorical."""
    last = output_shape[-1] if output_shape else None
    if loss_fn is binary_crossentropy or last == 1:
        return binary_accuracy
    if loss_fn is sparse_categorical_crossentropy:
        return sparse_categorical_accuracy
    return categorical_accuracy


def resolve(identifier, loss_fn, output_shape):
    """(history name, per-sample function) for one entry of ``compile(metrics=[...])``.

    In graph mode Keras reports ``'accuracy'`` and ``'acc'`` both as ``acc``."""
    if identifier in ("accuracy", "acc"):
        return "acc", accuracy_for(loss_fn, output_shape)
    if isinstance(identifier, str):
        try:
            metric = _BY_NAME[identifier]
        except KeyError:
            raise ValueError("Unknown metric function: '%s'. Known: accuracy, acc, %s"
                             % (identifier, ", ".join(sorted(_BY_NAME)))) from None
        # An alias reports under the function's full name ('mae' -> mean_absolute_error).
        return metric.__name__, metric
    if callable(identifier):
        return getattr(identifier, "__name__", type(identifier).__name__), identifier
    raise ValueError("Could not interpret metric identifier: %r" % (identifier,))


def get(identifier):
    if isinstance(identifier, str):
        return _BY_NAME[identifier]
    return identifier
