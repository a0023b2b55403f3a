"""The ``tf.nn`` namespace (TF1 signatures)."""
from .framework import dtypes, graph as graph_mod
from .ops import array as array_ops
from .ops import math as math_ops
from .ops import nn_ops, random as random_ops
from .ops.array import top_k  # noqa: F401
from .ops.convert import convert_to_tensor
from .ops.math import sigmoid, tanh  # noqa: F401


def _unary(op_def, default_name):
    def fn(features, name=None):
        return op_def(convert_to_tensor(features, name="features"), name=name or default_name)
    fn.__name__ = default_name.lower()
    return fn


relu = _unary(nn_ops.Relu, "Relu")
relu6 = _unary(nn_ops.Relu6, "Relu6")
elu = _unary(nn_ops.Elu, "Elu")
selu = _unary(nn_ops.Selu, "Selu")
softplus = _unary(nn_ops.Softplus, "Softplus")
softsign = _unary(nn_ops.Softsign, "Softsign")


def leaky_relu(features, alpha=0.2, name=None):
    with graph_mod.name_scope(name, "LeakyRelu", [features]) as scope:
        features = convert_to_tensor(features, name="features")
        return math_ops.maximum(alpha * features, features, name=scope)


def crelu(features, name=None, axis=-1):
    """Concatenates the positive and the negative part, so the width along ``axis`` doubles."""
    with graph_mod.name_scope(name, "CRelu", [features]) as scope:
        features = convert_to_tensor(features, name="features")
        both = array_ops.concat([features, math_ops.negative(features)], axis, name="concat")
        return nn_ops.Relu(both, name=scope)


def _axis_op(op_def, default_name):
    def fn(logits, axis=None, name=None, dim=None):
        axis = dim if axis is None else axis
        axis = -1 if axis is None else axis
        logits = convert_to_tensor(logits, name="logits")
        ndims = logits.shape.ndims
        if ndims is None or isinstance(axis, graph_mod.Tensor) or axis in (-1, ndims - 1):
            return op_def(logits, name=name or default_name, axis=axis)
        if not -ndims <= axis < ndims:
            from .framework import errors
            raise errors.InvalidArgumentError(
                None, None, "`dim` must be in the range [%d, %d) where %d is the number of "
                "dimensions in the input. Received: dim=%d" % (-ndims, ndims, ndims, axis))
        # TF1 moves the axis last, normalizes there and moves it back, so the result is a
        # Transpose (named ``name``) and the ops in between get TF's default names.
        perm = list(range(ndims))
        perm[axis % ndims], perm[-1] = perm[-1], perm[axis % ndims]
        moved = op_def(array_ops.transpose(logits, perm), axis=-1, name=default_name)
        return array_ops.transpose(moved, perm, name=name or "transpose")
    fn.__name__ = default_name.lower()
    return fn


softmax = _axis_op(nn_ops.Softmax, "Softmax")
log_softmax = _axis_op(nn_ops.LogSoftmax, "LogSoftmax")


def bias_add(value, bias, data_format=None, name=None):
    with graph_mod.name_scope(name, "BiasAdd", [value, bias]) as scope:
        value = convert_to_tensor(value, name="input")
        bias = convert_to_tensor(bias, dtype=value.dtype.base_dtype, name="bias")
        return nn_ops.BiasAdd(value, bias, name=scope, data_format=data_format or "NHWC")


def l2_loss(t, name=None):
    return nn_ops.L2Loss(convert_to_tensor(t), name=name or "L2Loss")


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    axis = dim if axis is None else axis
    with graph_mod.name_scope(name, "l2_normalize", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        square_sum = math_ops.reduce_sum(math_ops.square(x), axis, keepdims=True)
        inv_norm = math_ops.rsqrt(math_ops.maximum(square_sum, epsilon))
        return math_ops.multiply(x, inv_norm, name=scope)


def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    keep = bool(keepdims if keepdims is not None else keep_dims)
    with graph_mod.name_scope(name, "moments", [x, axes]):
        x = convert_to_tensor(x)
        mean = math_ops.reduce_mean(x, axes, keepdims=True, name="mean")
        variance = math_ops.reduce_mean(
            math_ops.squared_difference(x, array_ops.stop_gradient(mean)), axes, keepdims=True,
            name="variance")
        if not keep:
            mean = array_ops.squeeze(mean, axes)
            variance = array_ops.squeeze(variance, axes)
        return mean, variance


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """Zeroes each element with probability ``rate`` (= 1 - keep_prob), scaling the rest by
    1 / (1 - rate) so the expected sum is unchanged. A Python rate of 0 returns ``x`` itself
    (having opened, and so used up, the name scope, as TensorFlow does)."""
    if (keep_prob is None) == (rate is None):
        raise ValueError("Specify exactly one of keep_prob and rate")
    complement = keep_prob is not None and not isinstance(keep_prob, (int, float))
    if keep_prob is not None:
        rate = keep_prob if complement else 1 - keep_prob
    with graph_mod.name_scope(name, "dropout", [x]):
        if isinstance(rate, (int, float)) and not isinstance(rate, bool):
            if not 0 <= rate < 1:
                raise ValueError("`rate` must be a scalar tensor or a float in the range "
                                 "[0, 1). Received: rate=%s" % rate)
            if rate == 0:
                return x
        x = convert_to_tensor(x, name="x")
        dtype = x.dtype.base_dtype
        if complement:
            rate = 1 - convert_to_tensor(rate, dtype=dtype, name="keep_prob")
        rate = convert_to_tensor(rate, dtype=dtype, name="rate")
        scaled = x * (1.0 / (1.0 - rate))
        shape = array_ops.shape(x) if noise_shape is None else noise_shape
        uniform = random_ops.random_uniform(shape, seed=seed, dtype=dtype)
        keep = math_ops.greater_equal(uniform, rate)
        return math_ops.where_v2(keep, scaled, array_ops.zeros([], dtype))


def _labels_logits(labels, logits):
    logits = convert_to_tensor(logits, name="logits")
    labels = convert_to_tensor(labels, dtype=logits.dtype.base_dtype, name="labels")
    return labels, logits


def softmax_cross_entropy_with_logits_v2(labels=None, logits=None, axis=-1, name=None,
                                         dim=None):
    if labels is None or logits is None:
        raise ValueError("Both labels= and logits= must be provided (as keyword arguments).")
    with graph_mod.name_scope(name, "softmax_cross_entropy_with_logits", [logits, labels]) \
            as scope:
        labels, logits = _labels_logits(labels, logits)
        axis = dim if dim is not None else axis
        if axis not in (-1, None) and logits.shape.ndims is not None and \
                axis % logits.shape.ndims != logits.shape.ndims - 1:
            perm = list(range(logits.shape.ndims))
            perm[axis], perm[-1] = perm[-1], perm[axis]
            logits, labels = array_ops.transpose(logits, perm), array_ops.transpose(labels, perm)
        loss, _ = nn_ops.SoftmaxCrossEntropyWithLogits(logits, labels, name=scope)
        return loss


def softmax_cross_entropy_with_logits(labels=None, logits=None, dim=-1, name=None, axis=None):
    """TF1's v1 form: no gradient flows into ``labels``. Like tf.compat.v1 today, labels and
    logits may come positionally (TF 1.x's leading _sentinel argument is gone)."""
    if labels is None or logits is None:
        raise ValueError("Both labels= and logits= must be provided (as keyword arguments).")
    labels = array_ops.stop_gradient(convert_to_tensor(labels), name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits,
                                                axis=dim if axis is None else axis, name=name)


def sparse_softmax_cross_entropy_with_logits(labels=None, logits=None, name=None):
    if labels is None or logits is None:
        raise ValueError("Both labels= and logits= must be provided (as keyword arguments).")
    with graph_mod.name_scope(name, "SparseSoftmaxCrossEntropyWithLogits",
                              [labels, logits]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, name="labels")
        if labels.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
            raise TypeError("labels must be int32 or int64 class indices, got %s"
                            % labels.dtype.name)
        if logits.shape.ndims is not None and labels.shape.ndims is not None and \
                labels.shape.ndims != logits.shape.ndims - 1:
            raise ValueError("Rank mismatch: Rank of labels (received %d) should equal rank of "
                             "logits minus 1 (received %d)."
                             % (labels.shape.ndims, logits.shape.ndims))
        loss, _ = nn_ops.SparseSoftmaxCrossEntropyWithLogits(logits, labels, name=scope)
        return loss


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """max(x, 0) - x * z + log(1 + exp(-|x|)): stable for large |x|. The max and the -|x| are
    selects on x >= 0 rather than Maximum and Abs, so at x = 0 the gradient is the true
    sigmoid(0) - z (Abs's gradient there is 0, which would give 1 - z)."""
    if labels is None or logits is None:
        raise ValueError("Both labels= and logits= must be provided (as keyword arguments).")
    with graph_mod.name_scope(name, "logistic_loss", [logits, labels]) as scope:
        labels, logits = _labels_logits(labels, logits)
        if not logits.shape.is_compatible_with(labels.shape):
            raise ValueError("logits and labels must have the same shape (%s vs %s)"
                             % (logits.shape, labels.shape))
        zeros = array_ops.zeros_like(logits)
        non_negative = math_ops.greater_equal(logits, zeros)
        relu_logits = math_ops.where(non_negative, logits, zeros)
        neg_abs = math_ops.where(non_negative, -logits, logits)
        return math_ops.add(relu_logits - logits * labels, math_ops.log1p(math_ops.exp(neg_abs)),
                            name=scope)


def weighted_cross_entropy_with_logits(labels=None, logits=None, pos_weight=None, name=None,
                                       targets=None):
    labels = targets if labels is None else labels
    with graph_mod.name_scope(name, "logistic_loss", [logits, labels]) as scope:
        labels, logits = _labels_logits(labels, logits)
        log_weight = 1.0 + (pos_weight - 1.0) * labels
        return math_ops.add(
            (1.0 - labels) * logits,
            log_weight * (math_ops.log1p(math_ops.exp(-math_ops.abs(logits))) +
                          nn_ops.Relu(-logits)), name=scope)


def in_top_k(predictions, targets, k, name=None):
    return nn_ops.InTopKV2(convert_to_tensor(predictions), convert_to_tensor(targets),
                           convert_to_tensor(k, dtype=convert_to_tensor(targets).dtype,
                                             name="k"), name=name or "in_top_k")


# -- convolution and pooling (records in ops/conv_ops.py) -----------------------------------------
from .ops import conv_ops  # noqa: E402 - kept with the wrappers that use it


def _nhwc_only(data_format):
    if data_format not in (None, "NHWC"):
        raise ValueError("graphflow implements only data_format='NHWC', got %r (transpose the "
                         "input to NHWC)" % (data_format,))


def _get_sequence(value, name):
    """TF's _get_sequence for NHWC: an int, 1 or 2 spatial values, or all 4 dimensions."""
    if value is None:
        return [1, 1, 1, 1]
    values = [value] if isinstance(value, int) else [int(v) for v in value]
    if len(values) == 1:
        return [1, values[0], values[0], 1]
    if len(values) == 2:
        return [1] + values + [1]
    if len(values) == 4:
        return values
    raise ValueError("%s should be of length 1, 2 or 4. Received: %s=%s of length %d"
                     % (name, name, value, len(values)))


def _convert_padding(padding):
    """A padding string, or TF's explicit [[0, 0], [top, bottom], [left, right], [0, 0]]."""
    if isinstance(padding, str):
        return padding, []
    pads = [[int(p) for p in pair] for pair in padding]
    if len(pads) != 4 or any(len(pair) != 2 for pair in pads):
        raise ValueError("When padding is explicit, it must be a list of 4 pairs of ints "
                         "(NHWC), got %s" % (padding,))
    if pads[0] != [0, 0] or pads[3] != [0, 0]:
        raise ValueError("Padding is only supported for the spatial dimensions, got %s"
                         % (padding,))
    return "EXPLICIT", [p for pair in pads for p in pair]


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True,  # noqa: A002
           data_format="NHWC", dilations=[1, 1, 1, 1], name=None, filters=None):  # noqa: B006
    if (filter is None) == (filters is None):
        raise ValueError("Cannot specify both 'filters' and 'filter'" if filter is not None
                         else "Specify the filter with 'filter' or 'filters'")
    filter = filters if filter is None else filter  # noqa: A001 - TF's argument name
    _nhwc_only(data_format)
    padding, explicit_paddings = _convert_padding(padding)
    with graph_mod.name_scope(name, "Conv2D", [input, filter]) as scope:
        input = convert_to_tensor(input, name="input")  # noqa: A001
        filter = convert_to_tensor(filter, dtype=input.dtype.base_dtype, name="filter")
        return conv_ops.Conv2D(input, filter, name=scope, strides=_get_sequence(strides, "strides"),
                               padding=padding, use_cudnn_on_gpu=use_cudnn_on_gpu,
                               explicit_paddings=explicit_paddings, data_format="NHWC",
                               dilations=_get_sequence(dilations, "dilations"))


def depthwise_conv2d(input, filter, strides, padding, rate=None, name=None,  # noqa: A002
                     data_format=None, dilations=None):
    """Dilation (``rate``) runs as the native op's dilations attr rather than TF1's
    space-to-batch rewrite; the values are the same."""
    _nhwc_only(data_format)
    rate = dilations if rate is None else rate
    dilation = _get_sequence(rate, "rate")
    strides = _get_sequence(strides, "strides")
    if dilation != [1, 1, 1, 1] and strides != [1, 1, 1, 1]:
        raise ValueError("strides > 1 not supported in conjunction with dilation_rate > 1")
    padding, explicit_paddings = _convert_padding(padding)
    with graph_mod.name_scope(name, "depthwise", [input, filter]) as scope:
        input = convert_to_tensor(input, name="input")  # noqa: A001
        filter = convert_to_tensor(filter, dtype=input.dtype.base_dtype, name="filter")
        return conv_ops.DepthwiseConv2dNative(input, filter, name=scope, strides=strides,
                                              padding=padding, data_format="NHWC",
                                              explicit_paddings=explicit_paddings,
                                              dilations=dilation)


def depthwise_conv2d_native(input, filter, strides, padding, data_format="NHWC",  # noqa: A002
                            dilations=[1, 1, 1, 1], name=None):  # noqa: B006
    _nhwc_only(data_format)
    padding, explicit_paddings = _convert_padding(padding)
    with graph_mod.name_scope(name, "DepthwiseConv2dNative", [input, filter]) as scope:
        input = convert_to_tensor(input, name="input")  # noqa: A001
        filter = convert_to_tensor(filter, dtype=input.dtype.base_dtype, name="filter")
        return conv_ops.DepthwiseConv2dNative(input, filter, name=scope, strides=list(strides),
                                              padding=padding, data_format="NHWC",
                                              explicit_paddings=explicit_paddings,
                                              dilations=list(dilations))


def conv2d_transpose(value=None, filter=None, output_shape=None, strides=None,  # noqa: A002
                     padding="SAME", data_format="NHWC", name=None, input=None, filters=None,
                     dilations=None):
    """The gradient of conv2d with respect to its input: ``value`` plays out_backprop and
    ``output_shape`` the forward input's shape, so any output size whose forward conv gives
    ``value``'s size works (not only multiples of the stride)."""
    value = input if value is None else value
    filter = filters if filter is None else filter  # noqa: A001
    _nhwc_only(data_format)
    with graph_mod.name_scope(name, "conv2d_transpose", [value, filter, output_shape]) as scope:
        value = convert_to_tensor(value, name="value")
        filter = convert_to_tensor(filter, dtype=value.dtype.base_dtype, name="filter")
        if not isinstance(output_shape, graph_mod.Tensor):
            output_shape = convert_to_tensor(output_shape, dtype=dtypes.int32,
                                             name="input_sizes")
        if output_shape.shape.ndims == 1 and output_shape.shape[0].value not in (None, 4):
            raise ValueError("output_shape must have shape (4,), got %s" % output_shape.shape)
        padding, explicit_paddings = _convert_padding(padding)
        return conv_ops.Conv2DBackpropInput(
            output_shape, filter, value, name=scope, strides=_get_sequence(strides, "strides"),
            padding=padding, explicit_paddings=explicit_paddings, data_format="NHWC",
            dilations=_get_sequence(dilations, "dilations"))


def _pool(op_def, default_name, value, ksize, strides, padding, data_format, name):
    _nhwc_only(data_format)
    padding, explicit_paddings = _convert_padding(padding)
    with graph_mod.name_scope(name, default_name, [value]) as scope:
        value = convert_to_tensor(value, name="input")
        return op_def(value, name=scope, ksize=_get_sequence(ksize, "ksize"),
                      strides=_get_sequence(strides, "strides"), padding=padding,
                      explicit_paddings=explicit_paddings, data_format="NHWC")


def max_pool(value, ksize, strides, padding, data_format="NHWC", name=None,
             input=None):  # noqa: A002
    """Gradient goes to the first maximum of each window (row-major), as TF routes ties."""
    value = input if value is None else value
    return _pool(conv_ops.MaxPool, "MaxPool", value, ksize, strides, padding, data_format, name)


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    return _pool(conv_ops.MaxPool, "MaxPool2d", input, ksize, strides, padding, data_format,
                 name)


def avg_pool(value, ksize, strides, padding, data_format="NHWC", name=None,
             input=None):  # noqa: A002
    """SAME padding averages over the window's elements inside the input only, as TF does."""
    value = input if value is None else value
    return _pool(conv_ops.AvgPool, "AvgPool", value, ksize, strides, padding, data_format, name)


avg_pool2d = avg_pool


def separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding,  # noqa: A002
                     rate=None, name=None, data_format=None, dilations=None):
    """A depthwise convolution (``<scope>/depthwise``) followed by a 1x1 Conv2D that takes the
    scope's own name, as TF names them; ``rate`` dilates the depthwise step only."""
    _nhwc_only(data_format)
    rate = dilations if rate is None else rate
    with graph_mod.name_scope(name, "separable_conv2d",
                              [input, depthwise_filter, pointwise_filter]) as scope:
        input = convert_to_tensor(input, name="input")  # noqa: A001
        depthwise_filter = convert_to_tensor(depthwise_filter, dtype=input.dtype.base_dtype,
                                             name="depthwise_filter")
        pointwise_filter = convert_to_tensor(pointwise_filter, dtype=input.dtype.base_dtype,
                                             name="pointwise_filter")
        pointwise_shape = pointwise_filter.shape
        if pointwise_shape.ndims is not None:
            if pointwise_shape.ndims != 4:
                raise ValueError("Shape must be rank 4 but is rank %d for pointwise_filter"
                                 % pointwise_shape.ndims)
            if pointwise_shape[0].value not in (None, 1) or \
                    pointwise_shape[1].value not in (None, 1):
                raise ValueError("Dimensions must be equal, but are %s and 1 for "
                                 "pointwise_filter" % pointwise_shape[0].value)
        depthwise = depthwise_conv2d(input, depthwise_filter, strides, padding, rate=rate,
                                     name="depthwise")
        return conv_ops.Conv2D(depthwise, pointwise_filter, name=scope, strides=[1, 1, 1, 1],
                               padding="VALID", data_format="NHWC")


def atrous_conv2d(value, filters, rate, padding, name=None):
    """Convolution with holes: Conv2D with dilations ``rate`` (TF1 reaches the same values
    through SpaceToBatchND / BatchToSpaceND)."""
    if int(rate) < 1:
        raise ValueError("rate %s should be a positive integer" % (rate,))
    with graph_mod.name_scope(name, "convolution", [value, filters]) as scope:
        value = convert_to_tensor(value, name="value")
        filters = convert_to_tensor(filters, dtype=value.dtype.base_dtype, name="filters")
        return conv_ops.Conv2D(value, filters, name=scope, strides=[1, 1, 1, 1],
                               padding=padding, data_format="NHWC",
                               dilations=[1, int(rate), int(rate), 1])


def local_response_normalization(input, depth_radius=5, bias=1, alpha=1, beta=0.5,  # noqa: A002
                                 name=None):
    """input / (bias + alpha * sum of squares over channels d - r .. d + r) ** beta."""
    from .ops import image_ops
    with graph_mod.name_scope(name, "LRN", [input]) as scope:
        input = convert_to_tensor(input, name="input")  # noqa: A001
        return image_ops.LRN(input, name=scope, depth_radius=int(depth_radius),
                             bias=float(bias), alpha=float(alpha), beta=float(beta))


lrn = local_response_normalization


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """(x - mean) / sqrt(variance + eps) * scale + offset, built as TF1 builds it."""
    with graph_mod.name_scope(name, "batchnorm", [x, mean, variance, scale, offset]):
        # The same expression, in the same order, as TF1, so Python scalars stay Python
        # arithmetic and the ops get TF's names (batchnorm/Rsqrt, batchnorm/mul...).
        x = convert_to_tensor(x)
        inv = math_ops.rsqrt(variance + variance_epsilon)
        if scale is not None:
            inv = inv * scale
        scaled = x * math_ops.cast(inv, x.dtype)
        shift = offset - mean * inv if offset is not None else -mean * inv
        return scaled + math_ops.cast(shift, x.dtype)


def fused_batch_norm(x, scale, offset, mean=None, variance=None, epsilon=0.001,
                     data_format="NHWC", is_training=True, name=None, exponential_avg_factor=1.0):
    """Returns (y, batch_mean, batch_variance); in training the reported variance is the
    unbiased one (for moving averages), as TF1's kernel reports it."""
    x = convert_to_tensor(x, name="input")
    channels = x.shape[-1].value if x.shape.ndims else None
    if (mean is None or variance is None) and not is_training:
        raise ValueError("fused_batch_norm needs mean and variance when is_training=False")
    mean = array_ops.zeros([channels or 0]) if mean is None else mean
    variance = array_ops.ones([channels or 0]) if variance is None else variance
    return nn_ops.FusedBatchNormV3(x, scale, offset, mean, variance, name=name or
                                   "FusedBatchNormV3", epsilon=epsilon,
                                   is_training=is_training, data_format=data_format)


# -- one-dimensional convolution and pooling: the 2-D ops over a height of 1 ----------------------
def _conv1d_sequence(value, name):
    """A width-only stride or dilation (an int, or 1 or 3 values for N, W, C) as NHWC's 4."""
    if value is None:
        return [1, 1, 1, 1]
    values = [value] if isinstance(value, int) else [int(v) for v in value]
    if len(values) == 1:
        return [1, 1, values[0], 1]
    if len(values) == 3:
        return [1, 1, values[1], 1]
    raise ValueError("%s should be of length 1 or 3. Received: %s=%s of length %d"
                     % (name, name, value, len(values)))


def conv1d(value=None, filters=None, stride=None, padding=None, use_cudnn_on_gpu=None,
           data_format=None, name=None, input=None, dilations=None):  # noqa: A002
    """NWC input and a [width, in_channels, out_channels] filter, run as Conv2D on a height-1
    image: the Conv2D op takes the scope's name and the result is ``<scope>/Squeeze``."""
    value = input if value is None else value
    if data_format not in (None, "NWC", "NHWC"):
        raise ValueError("graphflow implements only data_format='NWC' for conv1d, got %r"
                         % (data_format,))
    with graph_mod.name_scope(name, "conv1d", [value, filters]) as scope:
        value = convert_to_tensor(value, name="value")
        filters = convert_to_tensor(filters, dtype=value.dtype.base_dtype, name="filters")
        if value.shape.ndims not in (None, 3):
            raise ValueError("conv1d expects a rank-3 input [batch, width, channels], got shape "
                             "%s" % value.shape)
        image = array_ops.expand_dims(value, 1)
        kernel = array_ops.expand_dims(filters, 0)
        padding, explicit_paddings = _convert_padding(padding)
        out = conv_ops.Conv2D(image, kernel, name=scope,
                              strides=_conv1d_sequence(stride, "stride"), padding=padding,
                              use_cudnn_on_gpu=True if use_cudnn_on_gpu is None
                              else use_cudnn_on_gpu,
                              explicit_paddings=explicit_paddings, data_format="NHWC",
                              dilations=_conv1d_sequence(dilations, "dilations"))
        return array_ops.squeeze(out, [1])


def _pool1d(op_def, default_name, input, ksize, strides, padding, data_format, name):  # noqa: A002
    if data_format not in (None, "NWC", "NHWC"):
        raise ValueError("graphflow implements only data_format='NWC' for 1-D pooling, got %r"
                         % (data_format,))
    with graph_mod.name_scope(name, default_name, [input]) as scope:
        input = convert_to_tensor(input, name="input")  # noqa: A001
        padding, explicit_paddings = _convert_padding(padding)
        pooled = op_def(array_ops.expand_dims(input, 1), name=scope,
                        ksize=_conv1d_sequence(ksize, "ksize"),
                        strides=_conv1d_sequence(strides, "strides"), padding=padding,
                        explicit_paddings=explicit_paddings, data_format="NHWC")
        return array_ops.squeeze(pooled, [1])


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    return _pool1d(conv_ops.MaxPool, "MaxPool1d", input, ksize, strides, padding, data_format,
                   name)


def avg_pool1d(value, ksize, strides, padding, data_format="NWC", name=None):
    return _pool1d(conv_ops.AvgPool, "AvgPool1D", value, ksize, strides, padding, data_format,
                   name)


def xw_plus_b(x, weights, biases, name=None):
    """matmul(x, weights) + biases, as one BiasAdd named by the scope."""
    with graph_mod.name_scope(name, "xw_plus_b", [x, weights, biases]) as scope:
        x = convert_to_tensor(x, name="x")
        weights = convert_to_tensor(weights, name="weights")
        biases = convert_to_tensor(biases, name="biases")
        return bias_add(math_ops.matmul(x, weights), biases, name=scope)


def relu_layer(x, weights, biases, name=None):
    with graph_mod.name_scope(name, "relu_layer", [x, weights, biases]) as scope:
        x = convert_to_tensor(x, name="x")
        weights = convert_to_tensor(weights, name="weights")
        biases = convert_to_tensor(biases, name="biases")
        return nn_ops.Relu(bias_add(math_ops.matmul(x, weights), biases), name=scope)


def embedding_lookup(params, ids, partition_strategy="mod", name=None, validate_indices=True,
                     max_norm=None):
    """Rows of ``params`` (a table, or a list of shards) at ``ids``; with ``max_norm`` each row
    is clipped to that L2 norm. The gradient reaches the table as a dense scatter-sum where TF
    keeps IndexedSlices: the values are the same."""
    from .ops import clip
    shards = list(params) if isinstance(params, (list, tuple)) else [params]
    if not shards:
        raise ValueError("Need at least one param")
    if partition_strategy not in ("mod", "div"):
        raise ValueError("Unrecognized partition strategy: " + partition_strategy)
    with graph_mod.name_scope(name, "embedding_lookup", shards + [ids]) as scope:
        ids = convert_to_tensor(ids, name="ids")
        if len(shards) == 1:
            table, row_ids = shards[0], ids
        else:
            table, row_ids = _sharded_rows(shards, ids, partition_strategy)
        result = array_ops.gather(table, row_ids, name=scope)
        if max_norm is not None:
            ids_rank, rows_rank = ids.shape.ndims, result.shape.ndims
            if ids_rank is not None and rows_rank is not None:
                axes = list(range(ids_rank, rows_rank))
            else:
                axes = array_ops.range(array_ops.rank(ids), array_ops.rank(result))
            result = clip.clip_by_norm(result, max_norm, axes=axes)
        return array_ops.identity(result)


def _sharded_rows(shards, ids, partition_strategy):
    """The shards stacked into one table and each id's row in it. "div" shards hold
    consecutive ids, so an id is its own row; "mod" puts id i in shard i % n at row i // n."""
    table = array_ops.concat([convert_to_tensor(s) for s in shards], 0)
    if partition_strategy == "div":
        return table, ids
    count = len(shards)
    sizes = [array_ops.shape(s, out_type=ids.dtype)[0] for s in shards]
    offsets = array_ops.stack([math_ops.add_n(sizes[:i]) if i else
                               array_ops.zeros([], ids.dtype) for i in range(count)])
    shard_of_id = math_ops.floormod(ids, count)
    return table, array_ops.gather(offsets, shard_of_id) + math_ops.floordiv(ids, count)
from .ops.array_extras import depth_to_space, space_to_depth  # noqa: E402,F401


# tf.nn.rnn_cell and the recurrent drivers build on the names above and load on first use
# (PEP 562): most programs never touch them, and `import graphflow` stays fast.
_RNN_NAMES = ("bidirectional_dynamic_rnn", "dynamic_rnn", "static_bidirectional_rnn",
              "static_rnn")


def __getattr__(name):
    if name == "rnn_cell":
        from . import rnn_cell
        return rnn_cell
    if name in _RNN_NAMES:
        from . import rnn
        return getattr(rnn, name)
    raise AttributeError("module 'graphflow.nn' has no attribute %r" % name)
