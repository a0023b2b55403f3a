"""``tf.keras.layers`` for sequences: Embedding, the recurrent layers (SimpleRNN, LSTM, GRU),
their wrappers (Bidirectional, TimeDistributed), 1-D convolution and pooling, global pooling and
LeakyReLU.

The recurrent layers follow TF1-mode Keras (``tf.compat.v1.keras``, what a graph-mode program
gets): weights ``<layer>/<cell>/kernel``, ``recurrent_kernel`` and ``bias`` with the gates side
by side in Keras's order (LSTM: input, forget, cell, output; GRU: update, reset, candidate),
``hard_sigmoid`` as the default recurrent activation and GRU's ``reset_after=False``. The time
loop is graphflow's ``dynamic_rnn`` (a while loop, so gradients flow through it) over a cell that
only does the step's arithmetic with weights the layer created beforehand.
"""
from .. import layers as tf_layers
from .. import nn
from .. import rnn as rnn_mod
from ..framework import tensor_shape
from ..ops import array as array_ops
from ..ops import math as math_ops
from ..ops import variable_scope as vs
from . import activations, backend, initializers, regularizers
from .layers import KerasLayer, Layer


# -- Embedding ---------------------------------------------------------------------------------
class Embedding(KerasLayer, tf_layers.Layer):
    """Looks integer ids up in a ``[input_dim, output_dim]`` table (``embeddings``)."""

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, activity_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, input_length=None, **kwargs):
        if input_length is not None and "input_shape" not in kwargs \
                and "batch_input_shape" not in kwargs:
            kwargs["input_shape"] = tuple(input_length) if isinstance(
                input_length, (list, tuple)) else (input_length,)
        kwargs["activity_regularizer"] = activity_regularizer
        kwargs = self._keras_init(kwargs, "embedding")
        tf_layers.Layer.__init__(self, **kwargs)
        if mask_zero:
            raise ValueError("graphflow's Embedding does not produce masks (mask_zero=True): "
                             "pad with a value the model can learn to ignore, or pass "
                             "sequence lengths to tf.nn.dynamic_rnn.")
        self.input_dim, self.output_dim = int(input_dim), int(output_dim)
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = embeddings_regularizer
        self.input_length = input_length
        self.mask_zero = mask_zero

    def build(self, input_shape):
        self.embeddings = self.add_weight("embeddings", [self.input_dim, self.output_dim],
                                          initializer=self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer)

    def call(self, inputs):
        if not inputs.dtype.is_integer:
            inputs = math_ops.cast(inputs, "int32")
        return array_ops.gather(self.embeddings, inputs)

    def get_config(self):
        config = super().get_config()
        config.update(input_dim=self.input_dim, output_dim=self.output_dim,
                      input_length=self.input_length, mask_zero=self.mask_zero)
        return config


# -- recurrent layers --------------------------------------------------------------------------
class _StepCell:
    """What ``dynamic_rnn`` needs of a cell, around a recurrent layer's step function."""

    def __init__(self, layer):
        self.layer = layer

    @property
    def state_size(self):
        return tuple(self.layer.units for _ in range(self.layer._state_count))

    @property
    def output_size(self):
        return self.layer.units

    def zero_state(self, batch_size, dtype):
        return tuple(array_ops.zeros(array_ops.stack([batch_size, self.layer.units]), dtype)
                     for _ in range(self.layer._state_count))

    def __call__(self, inputs, state):
        output, new_state = self.layer._step(inputs, tuple(state))
        return output, tuple(new_state)


class _ForgetBiasOnes:
    """LSTM's ``unit_forget_bias``: the bias from ``initializer`` with the forget-gate block set
    to ones, so that a fresh LSTM keeps its memory."""

    def __init__(self, initializer, units):
        self.initializer, self.units = initializer, units

    def __call__(self, shape, dtype=None, partition_info=None):
        units = self.units
        parts = [self.initializer([units], dtype=dtype), array_ops.ones([units], dtype=dtype),
                 self.initializer([2 * units], dtype=dtype)]
        return array_ops.concat(parts, 0)


def _dropout_mask(like, rate, training):
    """One mask per sequence, as Keras draws it: scaled keep-mask while training, ones else."""
    ones = array_ops.ones_like(like)
    dropped = nn.dropout(ones, rate=rate)
    training_flag = math_ops.cast(training, like.dtype)
    return training_flag * dropped + (1.0 - training_flag) * ones


class _Recurrent(KerasLayer, tf_layers.Layer):
    """The loop shared by SimpleRNN, LSTM and GRU; subclasses give the weights and the step."""

    _takes_training = True
    _state_count = 1
    _gate_count = 1

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, time_major=False, **kwargs):
        if stateful:
            raise ValueError("graphflow's recurrent layers are not stateful: feed the state "
                             "with initial_state instead.")
        kwargs = self._keras_init(kwargs, self._default_keras_name)
        tf_layers.Layer.__init__(self, **kwargs)
        if int(units) <= 0:
            raise ValueError("Received an invalid value for argument `units`, expected a "
                             "positive integer, got %s." % units)
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = kernel_regularizer
        self.recurrent_regularizer = recurrent_regularizer
        self.bias_regularizer = bias_regularizer
        self.dropout = min(1.0, max(0.0, float(dropout)))
        self.recurrent_dropout = min(1.0, max(0.0, float(recurrent_dropout)))
        self.return_sequences, self.return_state = return_sequences, return_state
        self.go_backwards, self.time_major = go_backwards, time_major
        self.stateful, self.unroll = stateful, unroll
        self.cell = self  # layer.cell.kernel and friends, as Keras users read them
        self._masks = None

    @property
    def state_size(self):
        return self.units if self._state_count == 1 else [self.units] * self._state_count

    def _bias_initializer(self):
        return self.bias_initializer

    def _bias_shape(self):
        return [self._gate_count * self.units]

    def build(self, input_shape):
        input_shape = tensor_shape.as_shape(input_shape)
        depth = tensor_shape.dimension_value(input_shape[-1])
        if depth is None:
            raise ValueError("The last dimension of the inputs to a recurrent layer should be "
                             "defined. Found `None`.")
        width = self._gate_count * self.units
        with vs.variable_scope(self._cell_name):
            self.kernel = self.add_weight("kernel", [depth, width],
                                          initializer=self.kernel_initializer,
                                          regularizer=self.kernel_regularizer)
            self.recurrent_kernel = self.add_weight("recurrent_kernel", [self.units, width],
                                                    initializer=self.recurrent_initializer,
                                                    regularizer=self.recurrent_regularizer)
            self.bias = self.add_weight("bias", self._bias_shape(),
                                        initializer=self._bias_initializer(),
                                        regularizer=self.bias_regularizer) \
                if self.use_bias else None

    def call(self, inputs, initial_state=None, training=None, mask=None):
        if inputs.shape.ndims != 3:
            raise ValueError("Input 0 of layer %s is incompatible with the layer: expected "
                             "ndim=3, found ndim=%s. Full shape received: %s"
                             % (self.name, inputs.shape.ndims, inputs.shape))
        if initial_state is not None:
            initial_state = tuple(initial_state) if isinstance(initial_state, (list, tuple)) \
                else (initial_state,)
            if len(initial_state) != self._state_count:
                raise ValueError("An initial_state was passed that is not compatible with "
                                 "`cell.state_size`. Received `state_spec`=%d states; however "
                                 "`cell.state_size` is %s" % (len(initial_state),
                                                              self.state_size))
        time_axis = 0 if self.time_major else 1
        if self.go_backwards:
            inputs = array_ops.reverse(inputs, [time_axis])
        self._masks = self._make_masks(inputs, time_axis, training)
        cell = _StepCell(self)
        outputs, states = rnn_mod.dynamic_rnn(cell, inputs, initial_state=initial_state,
                                              dtype=inputs.dtype, time_major=self.time_major)
        self._masks = None
        states = list(states)
        if self.return_sequences:
            output = outputs
        else:
            output = outputs[-1] if self.time_major else outputs[:, -1]
        return [output] + states if self.return_state else output

    def _make_masks(self, inputs, time_axis, training):
        input_mask = recurrent_mask = None
        if training is None:
            training = backend.learning_phase()
        if isinstance(training, (bool, int)) and not training:
            return None, None
        first_step = inputs[0] if time_axis == 0 else inputs[:, 0]
        if 0.0 < self.dropout < 1.0:
            input_mask = [_dropout_mask(first_step, self.dropout, training)
                          for _ in range(self._gate_count)]
        if 0.0 < self.recurrent_dropout < 1.0:
            state_like = array_ops.zeros(array_ops.stack([array_ops.shape(first_step)[0],
                                                          self.units]), inputs.dtype)
            recurrent_mask = [_dropout_mask(state_like, self.recurrent_dropout, training)
                              for _ in range(self._gate_count)]
        return input_mask, recurrent_mask

    def _gate_inputs(self, inputs, h):
        """Per-gate ``(x_gate, h_gate)`` after the dropout masks (the same masks every step)."""
        input_mask, recurrent_mask = self._masks or (None, None)
        xs = [inputs * m for m in input_mask] if input_mask else [inputs] * self._gate_count
        hs = [h * m for m in recurrent_mask] if recurrent_mask else [h] * self._gate_count
        return xs, hs

    def _block(self, weights, index):
        return weights[:, index * self.units:(index + 1) * self.units]

    def _bias_block(self, index):
        return self.bias[index * self.units:(index + 1) * self.units]

    def get_config(self):
        config = super().get_config()
        config.update(units=self.units, activation=activations.serialize(self.activation),
                      use_bias=self.use_bias, return_sequences=self.return_sequences,
                      return_state=self.return_state, go_backwards=self.go_backwards,
                      dropout=self.dropout, recurrent_dropout=self.recurrent_dropout)
        return config


class SimpleRNN(_Recurrent):
    """``h_t = activation(x_t W + h_{t-1} U + b)``."""

    _default_keras_name, _cell_name = "simple_rnn", "simple_rnn_cell"

    def _step(self, inputs, states):
        (h,) = states
        xs, hs = self._gate_inputs(inputs, h)
        z = math_ops.matmul(xs[0], self.kernel)
        if self.bias is not None:
            z = nn.bias_add(z, self.bias)
        out = self.activation(z + math_ops.matmul(hs[0], self.recurrent_kernel))
        return out, (out,)


class LSTM(_Recurrent):
    """Keras's LSTM: gates input, forget, cell candidate, output in that column order."""

    _default_keras_name, _cell_name = "lstm", "lstm_cell"
    _state_count, _gate_count = 2, 4

    def __init__(self, units, activation="tanh", recurrent_activation="hard_sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, **kwargs):
        kwargs.pop("implementation", None)  # how Keras batches the matmuls: same results
        super().__init__(units, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = unit_forget_bias

    def _bias_initializer(self):
        if self.unit_forget_bias:
            return _ForgetBiasOnes(self.bias_initializer, self.units)
        return self.bias_initializer

    def _step(self, inputs, states):
        h, c = states
        xs, hs = self._gate_inputs(inputs, h)
        z = []
        for gate in range(4):
            value = math_ops.matmul(xs[gate], self._block(self.kernel, gate)) + \
                math_ops.matmul(hs[gate], self._block(self.recurrent_kernel, gate))
            if self.bias is not None:
                value = value + self._bias_block(gate)
            z.append(value)
        i = self.recurrent_activation(z[0])
        f = self.recurrent_activation(z[1])
        c = f * c + i * self.activation(z[2])
        o = self.recurrent_activation(z[3])
        h = o * self.activation(c)
        return h, (h, c)

    @property
    def state_size(self):
        return [self.units, self.units]


class GRU(_Recurrent):
    """Keras's GRU: gates update, reset, candidate. With ``reset_after`` (TF2's cuDNN layout)
    the reset gate scales the candidate's recurrent term after its matmul, and the bias holds an
    input row and a recurrent row."""

    _default_keras_name, _cell_name = "gru", "gru_cell"
    _gate_count = 3

    def __init__(self, units, activation="tanh", recurrent_activation="hard_sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 reset_after=False, **kwargs):
        kwargs.pop("implementation", None)
        super().__init__(units, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = reset_after

    def _bias_shape(self):
        width = 3 * self.units
        return [2, width] if self.reset_after else [width]

    def _step(self, inputs, states):
        (h,) = states
        xs, hs = self._gate_inputs(inputs, h)
        input_bias = recurrent_bias = None
        if self.bias is not None:
            if self.reset_after:
                input_bias, recurrent_bias = self.bias[0], self.bias[1]
            else:
                input_bias = self.bias
        x_parts = []
        for gate in range(3):
            value = math_ops.matmul(xs[gate], self._block(self.kernel, gate))
            if input_bias is not None:
                value = value + input_bias[gate * self.units:(gate + 1) * self.units]
            x_parts.append(value)

        def recurrent(gate, state):
            value = math_ops.matmul(state, self._block(self.recurrent_kernel, gate))
            if recurrent_bias is not None:
                value = value + recurrent_bias[gate * self.units:(gate + 1) * self.units]
            return value

        z = self.recurrent_activation(x_parts[0] + recurrent(0, hs[0]))
        r = self.recurrent_activation(x_parts[1] + recurrent(1, hs[1]))
        if self.reset_after:
            candidate = self.activation(x_parts[2] + r * recurrent(2, hs[2]))
        else:
            candidate = self.activation(x_parts[2] + recurrent(2, r * hs[2]))
        h = z * h + (1.0 - z) * candidate
        return h, (h,)


# -- wrappers ----------------------------------------------------------------------------------
class _Wrapper(KerasLayer, tf_layers.Layer):
    """A layer around other layers: its weights are theirs."""

    def _inner_layers(self):
        raise TypeError("a wrapper lists the layers it wraps")

    def _gather(self, attribute):
        seen, out = set(), []
        for layer in self._inner_layers():
            for var in getattr(layer, attribute):
                if id(var) not in seen:
                    seen.add(id(var))
                    out.append(var)
        return out

    @property
    def weights(self):
        return self._gather("weights")

    variables = weights

    @property
    def trainable_weights(self):
        return self._gather("trainable_weights")

    trainable_variables = trainable_weights

    @property
    def non_trainable_weights(self):
        return self._gather("non_trainable_weights")

    @property
    def losses(self):
        return self._gather("losses") + self._own_losses

    @losses.setter
    def losses(self, value):
        self._own_losses = value

    @property
    def updates(self):
        return self._gather("updates")

    @updates.setter
    def updates(self, value):
        pass


class TimeDistributed(_Wrapper):
    """Applies ``layer`` to every time step (axis 1): the steps are folded into the batch."""

    _takes_training = True

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, KerasLayer):
            raise ValueError("Please initialize `TimeDistributed` layer with a "
                             "`tf.keras.layers.Layer` instance. Received: %s" % (layer,))
        kwargs = self._keras_init(kwargs, "time_distributed")
        tf_layers.Layer.__init__(self, **kwargs)
        self.layer = layer

    def _inner_layers(self):
        return [self.layer]

    def build(self, input_shape):
        input_shape = tensor_shape.as_shape(input_shape)
        if input_shape.ndims is None or input_shape.ndims < 3:
            raise ValueError("`TimeDistributed` Layer should be passed an `input_shape ` with "
                             "at least 3 dimensions, received: %s" % input_shape)
        # The wrapped layer's weights live directly in this layer's scope
        # (time_distributed/kernel), as TF1-mode Keras names them.
        step_shape = tensor_shape.TensorShape([None]).concatenate(input_shape[2:])
        self.layer.build(step_shape)
        self.layer._built_scope = vs.get_variable_scope()

    def call(self, inputs, training=None):
        steps = array_ops.shape(inputs)[1]
        folded = array_ops.reshape(inputs, array_ops.concat(
            [[-1], array_ops.shape(inputs)[2:]], 0))
        folded.set_shape(tensor_shape.TensorShape([None]).concatenate(inputs.shape[2:]))
        if self.layer._takes_training:
            out = self.layer.call(folded, training=training)
        else:
            out = self.layer.call(folded)
        unfolded = array_ops.reshape(out, array_ops.concat(
            [[-1], [steps], array_ops.shape(out)[1:]], 0))
        unfolded.set_shape(inputs.shape[:2].concatenate(out.shape[1:]))
        return unfolded


class Bidirectional(_Wrapper):
    """Runs a recurrent layer forwards and a copy of it backwards and merges their outputs
    (``merge_mode``: 'concat', 'sum', 'mul', 'ave' or None for the pair)."""

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, _Recurrent):
            raise ValueError("Please initialize `Bidirectional` layer with a `Layer` instance. "
                             "Received: %s" % (layer,))
        if merge_mode not in ("sum", "mul", "ave", "concat", None):
            raise ValueError("Invalid merge mode. Merge mode should be one of "
                             '{"sum", "mul", "ave", "concat", None}')
        kwargs = self._keras_init(kwargs, "bidirectional")
        tf_layers.Layer.__init__(self, **kwargs)
        if backward_layer is None:
            backward_layer = _copy_recurrent(layer, "backward_" + layer.name,
                                             not layer.go_backwards)
        else:
            backward_layer.name = "backward_" + backward_layer.name
        layer.name = "forward_" + layer.name
        self.forward_layer, self.backward_layer = layer, backward_layer
        self.merge_mode = merge_mode
        self.return_sequences, self.return_state = layer.return_sequences, layer.return_state

    def _inner_layers(self):
        return [self.forward_layer, self.backward_layer]

    def call(self, inputs, initial_state=None, training=None):
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        forward = self.forward_layer(inputs, initial_state=forward_state, training=training)
        backward = self.backward_layer(inputs, initial_state=backward_state, training=training)
        states = []
        if self.return_state:
            forward, states = forward[0], list(forward[1:]) + list(backward[1:])
            backward = backward[0]
        if self.return_sequences:
            time_axis = 0 if self.backward_layer.time_major else 1
            backward = array_ops.reverse(backward, [time_axis])
        if self.merge_mode == "concat":
            output = array_ops.concat([forward, backward], -1)
        elif self.merge_mode == "sum":
            output = forward + backward
        elif self.merge_mode == "ave":
            output = (forward + backward) / 2
        elif self.merge_mode == "mul":
            output = forward * backward
        else:
            output = [forward, backward]
        output = output if isinstance(output, list) else [output]
        if self.return_state:
            return output + states
        return output[0] if len(output) == 1 else output


def _copy_recurrent(layer, name, go_backwards):
    """A fresh layer of the same class and settings (weights of its own)."""
    copy = object.__new__(type(layer))
    copy.__dict__.update({k: v for k, v in layer.__dict__.items()})
    tf_layers.Layer.__init__(copy, trainable=layer.trainable, name=name, dtype=layer.dtype)
    copy._nodes = []
    copy._keras_activity_regularizer = layer._keras_activity_regularizer
    copy.go_backwards = go_backwards
    copy.cell = copy
    return copy


# -- convolution and pooling over one axis -----------------------------------------------------
class Conv1D(KerasLayer, tf_layers.Conv1D):
    def __init__(self, filters, kernel_size, strides=1, padding="valid",
                 data_format="channels_last", dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, **kwargs):
        if padding == "causal":
            raise ValueError("graphflow's Conv1D supports padding 'valid' and 'same'; pad the "
                             "start of the sequence with tf.pad for a causal convolution.")
        kwargs = self._keras_init(kwargs, "conv1d")
        tf_layers.Conv1D.__init__(
            self, filters, kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate,
            activation=None if activation is None else activations.get(activation),
            use_bias=use_bias, kernel_initializer=initializers.get(kernel_initializer),
            bias_initializer=initializers.get(bias_initializer),
            kernel_regularizer=regularizers.get(kernel_regularizer),
            bias_regularizer=regularizers.get(bias_regularizer), **kwargs)


Convolution1D = Conv1D


class _Pooling1D(KerasLayer):
    """Keras's 1-D pooling: ``pool_size`` 2 and strides equal to it by default."""

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format="channels_last",
                 **kwargs):
        kwargs = self._keras_init(kwargs, self._default_keras_name)
        self._tf_class.__init__(self, pool_size, pool_size if strides is None else strides,
                                padding, data_format, **kwargs)


class MaxPooling1D(_Pooling1D, tf_layers.MaxPooling1D):
    _default_keras_name, _tf_class = "max_pooling1d", tf_layers.MaxPooling1D


class AveragePooling1D(_Pooling1D, tf_layers.AveragePooling1D):
    _default_keras_name, _tf_class = "average_pooling1d", tf_layers.AveragePooling1D


MaxPool1D, AvgPool1D = MaxPooling1D, AveragePooling1D


class _GlobalPooling(Layer):
    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        if data_format not in (None, "channels_last"):
            raise ValueError("Only data_format='channels_last' is supported")
        self.keepdims = keepdims

    def call(self, inputs):
        return self._reduce(inputs, axis=self._axes, keepdims=self.keepdims)


class GlobalAveragePooling1D(_GlobalPooling):
    _axes, _reduce = [1], staticmethod(math_ops.reduce_mean)


class GlobalMaxPooling1D(_GlobalPooling):
    _axes, _reduce = [1], staticmethod(math_ops.reduce_max)


class GlobalAveragePooling2D(_GlobalPooling):
    _axes, _reduce = [1, 2], staticmethod(math_ops.reduce_mean)


class GlobalMaxPooling2D(_GlobalPooling):
    _axes, _reduce = [1, 2], staticmethod(math_ops.reduce_max)


GlobalAvgPool1D, GlobalMaxPool1D = GlobalAveragePooling1D, GlobalMaxPooling1D
GlobalAvgPool2D, GlobalMaxPool2D = GlobalAveragePooling2D, GlobalMaxPooling2D


class LeakyReLU(Layer):
    """``x`` above zero, ``alpha * x`` below (Keras's default alpha is 0.3)."""

    def __init__(self, alpha=0.3, **kwargs):
        super().__init__(**kwargs)
        self.alpha = float(alpha)

    def call(self, inputs):
        return nn.leaky_relu(inputs, alpha=self.alpha)


class RepeatVector(Layer):
    """Repeats a ``[batch, features]`` input ``n`` times: ``[batch, n, features]``."""

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = int(n)

    def call(self, inputs):
        return array_ops.tile(array_ops.expand_dims(inputs, 1), [1, self.n, 1])

