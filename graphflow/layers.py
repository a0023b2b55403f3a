"""``tf.layers``: TF1's layer functions and classes, built on variable scopes.

A layer named ``dense`` (uniquified per graph: ``dense_1``...) owns variables ``dense/kernel`` and
``dense/bias`` and builds its ops under ``dense/``; regularizer penalties go to
REGULARIZATION_LOSSES, batch-norm moving-average updates to UPDATE_OPS.
"""
from . import initializers
from .framework import graph as graph_mod, tensor_shape
from .framework.graph import GraphKeys, Tensor
from .ops import array as array_ops
from .ops import math as math_ops
from .ops import variable_scope as vs
from .ops.convert import convert_to_tensor

def _unique_layer_name(base):
    counts = vs.variable_owner_graph()._extras.setdefault("layer_names", {})
    scope = vs.get_variable_scope().name
    key = scope + "/" + base if scope else base
    n = counts.get(key, 0)
    counts[key] = n + 1
    return base if n == 0 else "%s_%d" % (base, n)


def _is_true(flag):
    """True/False for Python flags; None for tensors (decided at run time)."""
    if isinstance(flag, Tensor) or hasattr(flag, "_as_graph_element"):
        return None
    return bool(flag)


class Layer:
    _default_name = "layer"

    def __init__(self, trainable=True, name=None, dtype=None, _reuse=None, **kwargs):
        self.trainable = trainable
        self.name = name
        self._reuse = _reuse
        self._built_scope = None
        self.dtype = dtype
        self.updates = []
        self.losses = []
        self._trainable_weights, self._non_trainable_weights = [], []

    @property
    def weights(self):
        return self._trainable_weights + self._non_trainable_weights

    trainable_weights = property(lambda self: list(self._trainable_weights))
    trainable_variables = trainable_weights
    non_trainable_weights = property(lambda self: list(self._non_trainable_weights))
    variables = weights

    def add_weight(self, name, shape, dtype=None, initializer=None, regularizer=None,
                   trainable=True, collections=None):
        trainable = trainable and self.trainable
        var = vs.get_variable(name, shape=shape, dtype=dtype or self.dtype or "float32",
                              initializer=initializer, regularizer=regularizer,
                              trainable=trainable, collections=collections)
        (self._trainable_weights if trainable else self._non_trainable_weights).append(var)
        return var

    def __call__(self, inputs, *args, **kwargs):
        if self._built_scope is None:
            self.name = self.name or _unique_layer_name(self._default_name)
            with vs.variable_scope(self.name, reuse=self._reuse) as scope:
                self._built_scope = scope
                inputs = convert_to_tensor(inputs)
                self.build(inputs.shape)
                return self.call(inputs, *args, **kwargs)
        with vs.variable_scope(self._built_scope, reuse=True, auxiliary_name_scope=False), \
                graph_mod.name_scope(self._built_scope.original_name_scope):
            # A second call reuses the variables under a fresh op scope, as TF1 does.
            return self.call(convert_to_tensor(inputs), *args, **kwargs)

    apply = __call__

    def build(self, input_shape):
        pass

    def call(self, inputs, **kwargs):
        return inputs


def _activation(fn, x):
    return x if fn is None else fn(x)


class Dense(Layer):
    _default_name = "dense"

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=None, kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 trainable=True, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self.units, self.activation, self.use_bias = int(units), activation, use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer or initializers.Zeros()
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.activity_regularizer = activity_regularizer

    def build(self, input_shape):
        last = tensor_shape.dimension_value(input_shape[-1])
        if last is None:
            raise ValueError("The last dimension of the inputs to `Dense` should be defined. "
                             "Found `None`.")
        self.kernel = self.add_weight("kernel", [last, self.units],
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer)
        self.bias = self.add_weight("bias", [self.units], initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer) if self.use_bias else None

    def call(self, inputs):
        from . import nn
        if inputs.shape.ndims is not None and inputs.shape.ndims > 2:
            flat = array_ops.reshape(inputs, [-1, inputs.shape[-1].value])
            out = math_ops.matmul(flat, self.kernel)
            out = array_ops.reshape(out, array_ops.concat(
                [array_ops.shape(inputs)[:-1], [self.units]], 0))
            # The dynamic reshape loses what is known statically; TF's tensordot keeps it.
            out.set_shape(inputs.shape[:-1].concatenate([self.units]))
        else:
            out = math_ops.matmul(inputs, self.kernel)
        if self.bias is not None:
            out = nn.bias_add(out, self.bias)
        out = _activation(self.activation, out)
        if self.activity_regularizer is not None:
            graph_mod.add_to_collection(GraphKeys.REGULARIZATION_LOSSES,
                                        self.activity_regularizer(out))
        return out


class Flatten(Layer):
    _default_name = "flatten"

    def call(self, inputs):
        dims = inputs.shape.as_list()[1:] if inputs.shape.ndims is not None else None
        if dims is not None and None not in dims:
            size = 1
            for d in dims:
                size *= d
            return array_ops.reshape(inputs, [-1, size])
        return array_ops.reshape(inputs, array_ops.stack([array_ops.shape(inputs)[0], -1]))


class Dropout(Layer):
    _default_name = "dropout"

    def __init__(self, rate=0.5, noise_shape=None, seed=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed

    def call(self, inputs, training=False):
        from . import nn
        static = _is_true(training)
        if static is False:
            return array_ops.identity(inputs)
        dropped = nn.dropout(inputs, rate=self.rate, noise_shape=self.noise_shape,
                             seed=self.seed)
        if static:
            return dropped
        return math_ops.where(convert_to_tensor(training), dropped, inputs)


class BatchNormalization(Layer):
    """Normalizes over every axis but ``axis``; in training uses the batch's moments and
    queues moving-average updates in UPDATE_OPS (decay = momentum), else the moving ones."""

    _default_name = "batch_normalization"

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer=None, gamma_initializer=None,
                 moving_mean_initializer=None, moving_variance_initializer=None,
                 beta_regularizer=None, gamma_regularizer=None, trainable=True, name=None,
                 fused=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self.axis, self.momentum, self.epsilon = axis, momentum, epsilon
        self.center, self.scale, self.fused = center, scale, fused
        self.beta_initializer = beta_initializer or initializers.Zeros()
        self.gamma_initializer = gamma_initializer or initializers.Ones()
        self.moving_mean_initializer = moving_mean_initializer or initializers.Zeros()
        self.moving_variance_initializer = moving_variance_initializer or initializers.Ones()
        self.beta_regularizer, self.gamma_regularizer = beta_regularizer, gamma_regularizer

    def build(self, input_shape):
        ndims = input_shape.ndims
        axis = self.axis if isinstance(self.axis, int) else self.axis[0]
        self._axis = axis % ndims
        size = [tensor_shape.dimension_value(input_shape[self._axis])]
        self._reduce_axes = [i for i in range(ndims) if i != self._axis]
        # TF1 takes the fused kernel for 4-D inputs, whose moving variance is unbiased.
        self._unbiased = self.fused is not False and ndims == 4 and self._axis in (1, 3)
        self.gamma = self.add_weight("gamma", size, initializer=self.gamma_initializer,
                                     regularizer=self.gamma_regularizer) if self.scale else None
        self.beta = self.add_weight("beta", size, initializer=self.beta_initializer,
                                    regularizer=self.beta_regularizer) if self.center else None
        self.moving_mean = self.add_weight("moving_mean", size, trainable=False,
                                           initializer=self.moving_mean_initializer)
        self.moving_variance = self.add_weight("moving_variance", size, trainable=False,
                                               initializer=self.moving_variance_initializer)

    def _broadcast(self, t, ndims):
        shape = [1] * ndims
        shape[self._axis] = -1
        return array_ops.reshape(t, shape)

    def call(self, inputs, training=False):
        from . import nn
        from .ops import control_flow
        ndims = inputs.shape.ndims
        static = _is_true(training)

        def normalize(mean, variance):
            inv = math_ops.rsqrt(variance + self.epsilon)
            if self.gamma is not None:
                inv = inv * self.gamma
            shift = -mean * inv
            if self.beta is not None:
                shift = shift + self.beta
            return inputs * self._broadcast(inv, ndims) + self._broadcast(shift, ndims)

        def with_batch_moments():
            mean, variance = nn.moments(inputs, self._reduce_axes)
            return normalize(mean, variance), mean, variance

        def with_moving_averages():
            mean, variance = self.moving_mean.value(), self.moving_variance.value()
            return normalize(mean, variance), mean, variance

        if static is None:
            # A training flag known only at run time picks the branch there, as TF1 does.
            out, mean, variance = control_flow.cond(convert_to_tensor(training),
                                                    with_batch_moments, with_moving_averages)
        else:
            out, mean, variance = (with_batch_moments if static else with_moving_averages)()
        if static is not False:
            self._add_updates(inputs, mean, variance, training if static is None else None)
        return out

    def _add_updates(self, inputs, mean, variance, training):
        from .ops import state as state_ops
        if self._unbiased:
            n = math_ops.cast(array_ops.size(inputs) // array_ops.shape(inputs)[self._axis],
                              variance.dtype)
            variance = variance * n / math_ops.maximum(n - 1.0, 1.0)
        decay = 1.0 - self.momentum
        if training is not None:
            decay = math_ops.where(convert_to_tensor(training), decay, 0.0)
        with graph_mod.name_scope("AssignMovingAvg"):
            update_mean = state_ops.assign_sub(
                self.moving_mean, (self.moving_mean.value() - mean) * decay)
        with graph_mod.name_scope("AssignMovingAvg_1"):
            update_var = state_ops.assign_sub(
                self.moving_variance, (self.moving_variance.value() - variance) * decay)
        for update in (update_mean, update_var):
            self.updates.append(update)
            graph_mod.add_to_collection(GraphKeys.UPDATE_OPS, update)


class _Conv(Layer):
    _default_name = "conv2d"

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format="channels_last", dilation_rate=(1, 1), activation=None,
                 use_bias=True, kernel_initializer=None, bias_initializer=None,
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 trainable=True, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        if data_format != "channels_last":
            raise ValueError("Only data_format='channels_last' (NHWC) is supported")
        self.filters = int(filters)
        self.kernel_size = _pair(kernel_size)
        self.strides, self.dilation_rate = _pair(strides), _pair(dilation_rate)
        self.padding, self.activation, self.use_bias = padding.upper(), activation, use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer or initializers.Zeros()
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer

    def _kernel_shape(self, channels):
        return list(self.kernel_size) + [channels, self.filters]

    def build(self, input_shape):
        channels = tensor_shape.dimension_value(input_shape[-1])
        if channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found "
                             "`None`.")
        self.kernel = self.add_weight("kernel", self._kernel_shape(channels),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer)
        self.bias = self.add_weight("bias", [self.filters], initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer) if self.use_bias else None

    def call(self, inputs):
        from . import nn
        out = self._convolve(inputs)
        if self.bias is not None:
            out = nn.bias_add(out, self.bias)
        return _activation(self.activation, out)


class Conv2D(_Conv):
    def _convolve(self, inputs):
        from . import nn
        return nn.conv2d(inputs, self.kernel, strides=[1, *self.strides, 1],
                         padding=self.padding, dilations=[1, *self.dilation_rate, 1])


class Conv1D(_Conv):
    """Width-only convolution of [batch, width, channels] inputs (kernel [k, in, out])."""

    _default_name = "conv1d"

    def __init__(self, filters, kernel_size, strides=1, padding="valid",
                 data_format="channels_last", dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer=None, bias_initializer=None, kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer,
                         trainable=trainable, name=name, **kwargs)
        self.kernel_size = _single(kernel_size, "kernel_size")
        self.strides = _single(strides, "strides")
        self.dilation_rate = _single(dilation_rate, "dilation_rate")

    def _convolve(self, inputs):
        from . import nn
        return nn.conv1d(inputs, self.kernel, stride=self.strides[0], padding=self.padding,
                         dilations=self.dilation_rate[0])


class Conv2DTranspose(_Conv):
    _default_name = "conv2d_transpose"

    def _kernel_shape(self, channels):
        return list(self.kernel_size) + [self.filters, channels]

    def _convolve(self, inputs):
        from . import nn
        shape = array_ops.shape(inputs)
        out_h = _deconv_length(inputs.shape[1].value, self.strides[0], self.kernel_size[0],
                               self.padding)
        out_w = _deconv_length(inputs.shape[2].value, self.strides[1], self.kernel_size[1],
                               self.padding)
        output_shape = array_ops.stack([shape[0], out_h, out_w, self.filters])
        return nn.conv2d_transpose(inputs, self.kernel, output_shape,
                                   strides=[1, *self.strides, 1], padding=self.padding)


class SeparableConv2D(_Conv):
    """A depthwise convolution (``depthwise_kernel`` [kh, kw, in, depth_multiplier]) followed
    by a 1x1 convolution (``pointwise_kernel`` [1, 1, in * depth_multiplier, filters])."""

    _default_name = "separable_conv2d"

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format="channels_last", dilation_rate=(1, 1), depth_multiplier=1,
                 activation=None, use_bias=True, depthwise_initializer=None,
                 pointwise_initializer=None, bias_initializer=None, depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None,
                 trainable=True, name=None, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, bias_initializer=bias_initializer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer, trainable=trainable,
                         name=name, **kwargs)
        self.depth_multiplier = int(depth_multiplier)
        self.depthwise_initializer, self.pointwise_initializer = (depthwise_initializer,
                                                                  pointwise_initializer)
        self.depthwise_regularizer, self.pointwise_regularizer = (depthwise_regularizer,
                                                                  pointwise_regularizer)

    def build(self, input_shape):
        channels = tensor_shape.dimension_value(input_shape[-1])
        if channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found "
                             "`None`.")
        self.depthwise_kernel = self.add_weight(
            "depthwise_kernel", list(self.kernel_size) + [channels, self.depth_multiplier],
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer)
        self.pointwise_kernel = self.add_weight(
            "pointwise_kernel", [1, 1, channels * self.depth_multiplier, self.filters],
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer)
        self.bias = self.add_weight("bias", [self.filters], initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer) if self.use_bias else None

    def _convolve(self, inputs):
        from . import nn
        return nn.separable_conv2d(inputs, self.depthwise_kernel, self.pointwise_kernel,
                                   strides=[1, *self.strides, 1], padding=self.padding,
                                   rate=list(self.dilation_rate))

def _deconv_length(size, stride, kernel, padding):
    if padding == "VALID":
        return size * stride + max(kernel - stride, 0)
    return size * stride


class _Pooling2D(Layer):
    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last",
                 name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.pool_size, self.strides = _pair(pool_size), _pair(strides)
        self.padding = padding.upper()

    def call(self, inputs):
        return self._pool(inputs, ksize=[1, *self.pool_size, 1],
                          strides=[1, *self.strides, 1], padding=self.padding)


def _max_pool(inputs, **kwargs):
    from . import nn
    return nn.max_pool(inputs, **kwargs)


def _avg_pool(inputs, **kwargs):
    from . import nn
    return nn.avg_pool(inputs, **kwargs)


class MaxPooling2D(_Pooling2D):
    _default_name = "max_pooling2d"
    _pool = staticmethod(_max_pool)


class AveragePooling2D(_Pooling2D):
    _default_name = "average_pooling2d"
    _pool = staticmethod(_avg_pool)


class _Pooling1D(Layer):
    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last",
                 name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if data_format != "channels_last":
            raise ValueError("Only data_format='channels_last' (NWC) is supported")
        self.pool_size = _single(pool_size, "pool_size")
        self.strides = _single(strides, "strides")
        self.padding = padding.upper()

    def call(self, inputs):
        # The 2-D pool over a height of 1, its ops directly in the layer's scope (as TF's
        # layer builds them: <layer>/ExpandDims, <layer>/MaxPool, <layer>/Squeeze).
        pooled = self._pool(array_ops.expand_dims(inputs, 1), ksize=[1, 1, self.pool_size[0], 1],
                            strides=[1, 1, self.strides[0], 1], padding=self.padding)
        return array_ops.squeeze(pooled, [1])


class MaxPooling1D(_Pooling1D):
    _default_name = "max_pooling1d"
    _pool = staticmethod(_max_pool)


class AveragePooling1D(_Pooling1D):
    _default_name = "average_pooling1d"
    _pool = staticmethod(_avg_pool)


def _single(value, name):
    values = (int(value),) if isinstance(value, int) else tuple(int(v) for v in value)
    if len(values) != 1:
        raise ValueError("The `%s` argument must be a tuple of 1 integers. Received: %s"
                         % (name, value))
    return values


def _pair(value):
    return (int(value), int(value)) if isinstance(value, int) else tuple(int(v) for v in value)


# -- the functional interface --------------------------------------------------------------------
def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=None, kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
          trainable=True, name=None, reuse=None):
    return Dense(units, activation, use_bias, kernel_initializer, bias_initializer,
                 kernel_regularizer, bias_regularizer, activity_regularizer,
                 trainable=trainable, name=name, _reuse=reuse)(inputs)


def flatten(inputs, name=None, data_format="channels_last"):
    return Flatten(name=name)(inputs)


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    return Dropout(rate, noise_shape, seed, name=name)(inputs, training=training)


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                        beta_initializer=None, gamma_initializer=None,
                        moving_mean_initializer=None, moving_variance_initializer=None,
                        beta_regularizer=None, gamma_regularizer=None, training=False,
                        trainable=True, name=None, reuse=None, fused=None, **kwargs):
    return BatchNormalization(axis, momentum, epsilon, center, scale, beta_initializer,
                              gamma_initializer, moving_mean_initializer,
                              moving_variance_initializer, beta_regularizer, gamma_regularizer,
                              trainable=trainable, name=name, fused=fused,
                              _reuse=reuse)(inputs, training=training)


def conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
           data_format="channels_last", dilation_rate=(1, 1), activation=None, use_bias=True,
           kernel_initializer=None, bias_initializer=None, kernel_regularizer=None,
           bias_regularizer=None, activity_regularizer=None, trainable=True, name=None,
           reuse=None, **kwargs):
    return Conv2D(filters, kernel_size, strides, padding, data_format, dilation_rate,
                  activation, use_bias, kernel_initializer, bias_initializer,
                  kernel_regularizer, bias_regularizer, activity_regularizer,
                  trainable=trainable, name=name, _reuse=reuse)(inputs)


def conv1d(inputs, filters, kernel_size, strides=1, padding="valid",
           data_format="channels_last", dilation_rate=1, activation=None, use_bias=True,
           kernel_initializer=None, bias_initializer=None, kernel_regularizer=None,
           bias_regularizer=None, activity_regularizer=None, trainable=True, name=None,
           reuse=None, **kwargs):
    return Conv1D(filters, kernel_size, strides, padding, data_format, dilation_rate,
                  activation, use_bias, kernel_initializer, bias_initializer,
                  kernel_regularizer, bias_regularizer, activity_regularizer,
                  trainable=trainable, name=name, _reuse=reuse)(inputs)


def max_pooling1d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                  name=None):
    return MaxPooling1D(pool_size, strides, padding, data_format, name=name)(inputs)


def average_pooling1d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                      name=None):
    return AveragePooling1D(pool_size, strides, padding, data_format, name=name)(inputs)


def conv2d_transpose(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
                     data_format="channels_last", activation=None, use_bias=True,
                     kernel_initializer=None, bias_initializer=None, kernel_regularizer=None,
                     bias_regularizer=None, activity_regularizer=None, trainable=True,
                     name=None, reuse=None, **kwargs):
    return Conv2DTranspose(filters, kernel_size, strides, padding, data_format, (1, 1),
                           activation, use_bias, kernel_initializer, bias_initializer,
                           kernel_regularizer, bias_regularizer, activity_regularizer,
                           trainable=trainable, name=name, _reuse=reuse)(inputs)


def max_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                  name=None):
    return MaxPooling2D(pool_size, strides, padding, data_format, name=name)(inputs)


def average_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                      name=None):
    return AveragePooling2D(pool_size, strides, padding, data_format, name=name)(inputs)


def separable_conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
                     data_format="channels_last", dilation_rate=(1, 1), depth_multiplier=1,
                     activation=None, use_bias=True, depthwise_initializer=None,
                     pointwise_initializer=None, bias_initializer=None,
                     depthwise_regularizer=None, pointwise_regularizer=None,
                     bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                     pointwise_constraint=None, bias_constraint=None, trainable=True, name=None,
                     reuse=None):
    return SeparableConv2D(filters, kernel_size, strides, padding, data_format, dilation_rate,
                           depth_multiplier, activation, use_bias, depthwise_initializer,
                           pointwise_initializer, bias_initializer, depthwise_regularizer,
                           pointwise_regularizer, bias_regularizer, activity_regularizer,
                           trainable=trainable, name=name, _reuse=reuse)(inputs)
