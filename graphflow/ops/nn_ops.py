"""Neural-network op records: activations, softmax, cross-entropies, bias_add, l2_loss.

Cross-entropies are computed from log-softmax (max-shifted), so logits of 1e4 give a finite loss
and gradient.
"""
import numpy as np

from ..framework import dtypes, errors
from . import array as array_ops
from . import math as math_ops
from .registry import (NOT_DIFFERENTIABLE, Spec, binary_elementwise, check_same_dtype, defop,
                       same_as_input)


def _float_like(x, **attrs):
    return Spec(x.shape, x.dtype.base_dtype)


# -- activations ----------------------------------------------------------------------------------
ReluGrad = defop("ReluGrad", shape=binary_elementwise("ReluGrad"),
                 ref=lambda gradients, features: np.where(features > 0, gradients,
                                                          0).astype(gradients.dtype),
                 scalar="({0} if {1} > 0 else 0.0)",
                 grad=lambda op, g: [ReluGrad(g, op.inputs[1]),
                                     array_ops.zeros_like(op.inputs[1])])
Relu = defop("Relu", shape=same_as_input, ref=lambda features: np.maximum(features, 0),
             scalar="max({0}, 0.0)", grad=lambda op, g: [ReluGrad(g, op.outputs[0])])
Relu6 = defop("Relu6", shape=same_as_input, ref=lambda features: np.clip(features, 0, 6),
              scalar="min(max({0}, 0.0), 6.0)",
              grad=lambda op, g: [g * math_ops.cast(math_ops.logical_and(
                  op.inputs[0] > 0, op.inputs[0] < 6), g.dtype)])
Elu = defop("Elu", shape=same_as_input,
            ref=lambda features: np.where(features > 0, features,
                                          np.expm1(np.minimum(features, 0))).astype(
                features.dtype),
            scalar="({0} if {0} > 0 else math.expm1({0}))",
            grad=lambda op, g: [math_ops.where(op.inputs[0] > 0, g,
                                               g * (op.outputs[0] + 1.0))])
_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
Selu = defop("Selu", shape=same_as_input,
             ref=lambda features: (_SELU_SCALE * np.where(
                 features > 0, features, _SELU_ALPHA * np.expm1(np.minimum(features, 0))
             )).astype(features.dtype),
             scalar="(%r * ({0} if {0} > 0 else %r * math.expm1({0})))" % (_SELU_SCALE,
                                                                           _SELU_ALPHA),
             # Decided on the output, as TF's SeluGrad does: at 0 the slope is the scale.
             grad=lambda op, g: [math_ops.where(op.outputs[0] < 0,
                                                g * (op.outputs[0] + _SELU_SCALE * _SELU_ALPHA),
                                                g * _SELU_SCALE)])
Softplus = defop("Softplus", shape=same_as_input,
                 ref=lambda features: (np.maximum(features, 0) +
                                       np.log1p(np.exp(-np.abs(features)))).astype(
                     features.dtype),
                 scalar="(max({0}, 0.0) + math.log1p(math.exp(-abs({0}))))",
                 grad=lambda op, g: [g * math_ops.sigmoid(op.inputs[0])])
Softsign = defop("Softsign", shape=same_as_input,
                 ref=lambda features: features / (1 + np.abs(features)),
                 scalar="({0} / (1.0 + abs({0})))",
                 grad=lambda op, g: [g / math_ops.square(1.0 + math_ops.abs(op.inputs[0]))])


# -- softmax family -------------------------------------------------------------------------------
def _log_softmax_ref(logits, axis=-1):
    shifted = logits - np.max(logits, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


Softmax = defop("Softmax", shape=_float_like,
                ref=lambda logits, *, axis=-1: np.exp(_log_softmax_ref(logits, axis)),
                grad=lambda op, g: [(g - math_ops.reduce_sum(
                    g * op.outputs[0], op.get_attr("axis"), keepdims=True)) * op.outputs[0]])
LogSoftmax = defop("LogSoftmax", shape=_float_like,
                   ref=lambda logits, *, axis=-1: _log_softmax_ref(logits, axis),
                   grad=lambda op, g: [g - math_ops.exp(op.outputs[0]) * math_ops.reduce_sum(
                       g, op.get_attr("axis"), keepdims=True)])


def _xent_shape(features, labels):
    dims = features.shape.merge_with(labels.shape)
    loss = dims[:-1] if dims.ndims is not None else dims
    return [Spec(loss, features.dtype.base_dtype), Spec(dims, features.dtype.base_dtype)]


def _xent_ref(features, labels):
    log_p = _log_softmax_ref(features)
    loss = -np.sum(labels * log_p, axis=-1)
    return loss.astype(features.dtype), (np.exp(log_p) - labels).astype(features.dtype)


def _xent_grad(op, g_loss, g_backprop):
    logits = op.inputs[0]
    g = array_ops.expand_dims(g_loss, -1)
    return [g * op.outputs[1], -g * LogSoftmax(logits)]


SoftmaxCrossEntropyWithLogits = defop("SoftmaxCrossEntropyWithLogits", shape=_xent_shape,
                                      ref=_xent_ref, grad=_xent_grad)


def _sparse_xent_shape(features, labels):
    return [Spec(labels.shape, features.dtype.base_dtype),
            Spec(features.shape, features.dtype.base_dtype)]


def _sparse_xent_ref(features, labels):
    n_classes = features.shape[-1]
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        bad = labels[(labels < 0) | (labels >= n_classes)].reshape(-1)[0]
        raise errors.InvalidArgumentError(
            None, None, "Received a label value of %d which is outside the valid range of "
            "[0, %d). Labels must be class indices in [0, num_classes)." % (bad, n_classes))
    log_p = _log_softmax_ref(features)
    picked = np.take_along_axis(log_p, labels[..., None].astype(np.int64), axis=-1)[..., 0]
    backprop = np.exp(log_p)
    np.put_along_axis(backprop, labels[..., None].astype(np.int64),
                      np.take_along_axis(backprop, labels[..., None].astype(np.int64), -1) - 1,
                      axis=-1)
    return (-picked).astype(features.dtype), backprop.astype(features.dtype)


SparseSoftmaxCrossEntropyWithLogits = defop(
    "SparseSoftmaxCrossEntropyWithLogits", shape=_sparse_xent_shape, ref=_sparse_xent_ref,
    grad=lambda op, g_loss, g_backprop: [array_ops.expand_dims(g_loss, -1) * op.outputs[1],
                                         None])


# -- bias, norms ----------------------------------------------------------------------------------
def _bias_add_shape(value, bias, *, data_format="NHWC"):
    if bias.shape.ndims not in (None, 1):
        raise ValueError("Shape must be rank 1 but is rank %d for 'BiasAdd' (bias %s)"
                         % (bias.shape.ndims, bias.name))
    if data_format == "NCHW" and value.shape.ndims is not None and value.shape.ndims > 2:
        # The bias runs along axis 1, so it is not a numpy broadcast.
        channels = value.shape.as_list()[1]
        length = bias.shape.as_list()[0] if bias.shape.ndims else None
        if channels is not None and length is not None and channels != length:
            raise ValueError("Dimensions must be equal, but are %d and %d for 'BiasAdd' with "
                             "input shapes: %s, %s (data_format NCHW: the bias runs along axis "
                             "1)." % (channels, length, value.shape, bias.shape))
        return Spec(value.shape, check_same_dtype("BiasAdd", value, bias))
    return binary_elementwise("BiasAdd")(value, bias)


def _bias_add_ref(value, bias, *, data_format="NHWC"):
    if data_format == "NCHW" and value.ndim > 2:
        return value + bias.reshape((-1,) + (1,) * (value.ndim - 2))
    return value + bias


BiasAddGrad = defop(
    "BiasAddGrad",
    shape=lambda out_backprop, *, data_format="NHWC": Spec(
        [out_backprop.shape[-1 if data_format != "NCHW" else 1].value],
        out_backprop.dtype.base_dtype),
    ref=lambda out_backprop, *, data_format="NHWC": np.sum(
        out_backprop, axis=tuple(i for i in range(out_backprop.ndim)
                                 if i != (out_backprop.ndim - 1 if data_format != "NCHW"
                                          else 1))).astype(out_backprop.dtype),
    grad=NOT_DIFFERENTIABLE)
BiasAdd = defop("BiasAdd", shape=_bias_add_shape, ref=_bias_add_ref, scalar="({0} + {1})",
                grad=lambda op, g: [g, BiasAddGrad(g, data_format=op.get_attr("data_format"))])
L2Loss = defop("L2Loss", shape=lambda t: Spec([], t.dtype.base_dtype),
               ref=lambda t: np.asarray(np.sum(np.square(t)) / 2, dtype=t.dtype),
               grad=lambda op, g: [op.inputs[0] * g])


def _in_top_k_ref(predictions, targets, k):
    target_scores = np.take_along_axis(predictions, targets[:, None].astype(np.int64), 1)[:, 0]
    # Ties at the boundary count as in the top k, as TF defines it.
    better = np.sum(predictions > target_scores[:, None], axis=1)
    return (better < int(k)) & np.isfinite(target_scores)


InTopKV2 = defop("InTopKV2",
                 shape=lambda predictions, targets, k: Spec(targets.shape, dtypes.bool),
                 ref=_in_top_k_ref, grad=NOT_DIFFERENTIABLE)


# -- fused batch norm: normalizes with the batch's biased variance, reports the unbiased one --
_BN_AXES = (0, 1, 2)  # NHWC: statistics over batch and space, per channel


def _fused_bn_shape(x, scale, offset, mean, variance, *, epsilon=0.001, is_training=True,
                    data_format="NHWC"):
    if data_format != "NHWC":
        raise ValueError("fused_batch_norm supports data_format='NHWC' only, got %r"
                         % data_format)
    if x.shape.ndims not in (None, 4):
        raise ValueError("Shape must be rank 4 but is rank %d for 'FusedBatchNormV3' (x %s)"
                         % (x.shape.ndims, x.name))
    channels = [x.shape[-1].value if x.shape.ndims else None]
    return [Spec(x.shape, x.dtype.base_dtype), Spec(channels, dtypes.float32),
            Spec(channels, dtypes.float32)]


def _fused_bn_ref(x, scale, offset, mean, variance, *, epsilon=0.001, is_training=True,
                  data_format="NHWC"):
    if is_training:
        mean = x.mean(axis=_BN_AXES)
        variance = x.var(axis=_BN_AXES)
        n = x.size // x.shape[-1]
        reported = variance * n / max(n - 1, 1)
    else:
        reported = variance
    y = (x - mean) / np.sqrt(variance + epsilon) * scale + offset
    return (y.astype(x.dtype), np.asarray(mean, np.float32),
            np.asarray(reported, np.float32))


def _fused_bn_grad(op, dy, _dmean, _dvar):
    x, scale, _, mean, variance = op.inputs
    epsilon = op.get_attr("epsilon")
    axes = list(_BN_AXES)
    if op.get_attr("is_training"):
        mean = math_ops.reduce_mean(x, axes)
        variance = math_ops.reduce_mean(math_ops.square(x - mean), axes)
    inv = math_ops.rsqrt(variance + epsilon)
    x_hat = (x - mean) * inv
    d_offset = math_ops.reduce_sum(dy, axes)
    d_scale = math_ops.reduce_sum(dy * x_hat, axes)
    if op.get_attr("is_training"):
        n = math_ops.cast(array_ops.size(x) // array_ops.shape(x)[-1], x.dtype)
        dx = scale * inv / n * (n * dy - d_offset - x_hat * d_scale)
    else:
        dx = dy * scale * inv
    return [dx, d_scale, d_offset, None, None]


FusedBatchNormV3 = defop("FusedBatchNormV3", shape=_fused_bn_shape, ref=_fused_bn_ref,
                         grad=_fused_bn_grad)
