"""``tf.keras.layers``: Keras's layer classes over the tf.layers ones.

The maths lives in graphflow.layers; what this module adds is Keras's side of a layer: a name at
construction (``Dense(10).name == 'dense'``), string activations/initializers/regularizers,
``input_shape`` on the first layer of a Sequential, the graph's learning phase as the default
``training`` flag, weight penalties kept in ``layer.losses`` (which ``fit`` adds to the loss), and
the record of which tensors each call consumed, from which ``Model(inputs, outputs)`` recovers
the layer graph.
"""
import itertools
import re

from .. import layers as tf_layers
from ..framework import graph as graph_mod
from ..ops import array as array_ops
from ..ops import math as math_ops
from ..ops import variable_scope as vs
from ..ops.convert import convert_to_tensor
from . import activations, backend, initializers, regularizers

_CALL_ORDER = itertools.count()  # orders layer calls, so models list layers as they were built


class KerasLayer:
    """The Keras behaviour mixed in front of a tf.layers class (see the module docstring)."""

    _takes_training = False

    def _keras_init(self, kwargs, default_name):
        """Takes Keras's constructor-only arguments out of ``kwargs``; returns the rest for the
        tf.layers constructor."""
        input_shape = kwargs.pop("input_shape", None)
        input_dim = kwargs.pop("input_dim", None)
        batch_size = kwargs.pop("batch_size", None)
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        # Not ``activity_regularizer``: the tf.layers constructors reset that attribute, and their
        # call would put the penalty in a graph collection instead of ``layer.losses``.
        self._keras_activity_regularizer = regularizers.get(
            kwargs.pop("activity_regularizer", None))
        if input_shape is None and input_dim is not None:
            input_shape = (input_dim,)
        if batch_input_shape is None and input_shape is not None:
            batch_input_shape = (batch_size,) + tuple(input_shape)
        self._batch_input_shape = None if batch_input_shape is None else tuple(
            None if d is None else int(d) for d in batch_input_shape)
        if kwargs.get("name") is None:
            kwargs["name"] = tf_layers._unique_layer_name(default_name)
        self._nodes = []  # one (input tensors, outputs, initial-state tensors) per call
        return kwargs

    # -- calling -------------------------------------------------------------------------------
    def __call__(self, inputs, *args, **kwargs):
        if self._takes_training and kwargs.get("training") is None:
            kwargs["training"] = backend.learning_phase()
        if isinstance(inputs, (list, tuple)):
            inbound = [convert_to_tensor(t) for t in inputs]
            outputs = self._call_on_list(inbound, *args, **kwargs)
        else:
            inbound = [convert_to_tensor(inputs)]
            outputs = tf_layers.Layer.__call__(self, inbound[0], *args, **kwargs)
        if self._keras_activity_regularizer is not None:
            first = outputs[0] if isinstance(outputs, list) else outputs
            with graph_mod.name_scope(self.name + "/ActivityRegularizer"):
                penalty = self._keras_activity_regularizer(first)
                batch = math_ops.cast(array_ops.shape(first)[0], first.dtype)
                self.losses.append(penalty / batch)
        # Tensors passed as initial_state are inputs too: a model reaches the layers that made
        # them (an encoder's final state feeding a decoder).
        states = kwargs.get("initial_state")
        extra = [convert_to_tensor(t) for t in (
            states if isinstance(states, (list, tuple)) else [states])] \
            if states is not None else []
        history = (self, len(self._nodes), next(_CALL_ORDER))
        for tensor in (outputs if isinstance(outputs, list) else [outputs]):
            tensor._keras_history = history
        self._nodes.append((inbound, outputs, extra))
        return outputs

    def _call_on_list(self, tensors, *args, **kwargs):
        """tf.layers' first-call/next-call scoping, for layers that take a list of tensors."""
        if self._built_scope is None:
            with vs.variable_scope(self.name, reuse=self._reuse) as scope:
                self._built_scope = scope
                self.build([t.shape for t in tensors])
                return self.call(tensors, *args, **kwargs)
        with vs.variable_scope(self._built_scope, reuse=True, auxiliary_name_scope=False), \
                graph_mod.name_scope(self._built_scope.original_name_scope):
            return self.call(tensors, *args, **kwargs)

    def add_weight(self, name, shape, dtype=None, initializer=None, regularizer=None,
                   trainable=True, collections=None):
        """Initializers and regularizers may be given by name; Keras keeps a weight's penalty
        with its layer (``layer.losses``), not in the REGULARIZATION_LOSSES collection."""
        regularizer = regularizers.get(regularizer)
        var = tf_layers.Layer.add_weight(self, name, shape, dtype=dtype,
                                         initializer=initializers.get(initializer),
                                         trainable=trainable is not False,
                                         collections=collections)
        if regularizer is not None:
            with graph_mod.name_scope(name + "/Regularizer"):
                self.losses.append(regularizer(var))
        return var

    # -- what a model and summary() read --------------------------------------------------------
    @property
    def built(self):
        return self._built_scope is not None or bool(self._nodes)

    def _node_output(self, index=-1):
        if not self._nodes:
            raise AttributeError("Layer %s has never been called and thus has no defined "
                                 "output." % self.name)
        return self._nodes[index][1]

    @property
    def input(self):
        if not self._nodes:
            raise AttributeError("Layer %s is not connected, no input to return." % self.name)
        inbound = self._nodes[0][0]
        return inbound[0] if len(inbound) == 1 else inbound

    output = property(_node_output)

    @property
    def input_shape(self):
        if self._nodes:
            shapes = [backend.int_shape(t) for t in self._nodes[0][0]]
            return shapes[0] if len(shapes) == 1 else shapes
        if self._batch_input_shape is not None:
            return self._batch_input_shape
        raise AttributeError("The layer has never been called and thus has no defined input "
                             "shape.")

    @property
    def output_shape(self):
        output = self._node_output()
        if isinstance(output, list):
            return [backend.int_shape(t) for t in output]
        return backend.int_shape(output)

    def count_params(self):
        return int(sum(backend.count_params(w) for w in self.weights))

    def get_weights(self):
        return backend.batch_get_value(self.weights)

    def get_config(self):
        return {"name": self.name, "trainable": self.trainable}


def _keras_layer(tf_class, default_name):
    """Keras's subclass of a tf.layers class whose constructor needs nothing Keras-specific."""

    class Wrapped(KerasLayer, tf_class):
        def __init__(self, *args, **kwargs):
            tf_class.__init__(self, *args, **self._keras_init(kwargs, default_name))

    return Wrapped


class Dense(KerasLayer, tf_layers.Dense):
    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 **kwargs):
        kwargs = self._keras_init(kwargs, "dense")
        tf_layers.Dense.__init__(
            self, units, activation=None if activation is None else activations.get(activation),
            use_bias=use_bias, kernel_initializer=initializers.get(kernel_initializer),
            bias_initializer=initializers.get(bias_initializer),
            kernel_regularizer=regularizers.get(kernel_regularizer),
            bias_regularizer=regularizers.get(bias_regularizer), **kwargs)

    def get_config(self):
        config = super().get_config()
        config.update(units=self.units, activation=activations.serialize(
            self.activation or activations.linear), use_bias=self.use_bias)
        return config


class _Conv(KerasLayer):
    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, **kwargs):
        kwargs = self._keras_init(kwargs, self._default_keras_name)
        self._tf_class.__init__(
            self, filters, kernel_size, strides=strides, padding=padding,
            data_format=data_format or backend.image_data_format(), dilation_rate=dilation_rate,
            activation=None if activation is None else activations.get(activation),
            use_bias=use_bias, kernel_initializer=initializers.get(kernel_initializer),
            bias_initializer=initializers.get(bias_initializer),
            kernel_regularizer=regularizers.get(kernel_regularizer),
            bias_regularizer=regularizers.get(bias_regularizer), **kwargs)

    def get_config(self):
        config = super().get_config()
        config.update(filters=self.filters, kernel_size=self.kernel_size, strides=self.strides,
                      padding=self.padding.lower())
        return config


class Conv2D(_Conv, tf_layers.Conv2D):
    _default_keras_name, _tf_class = "conv2d", tf_layers.Conv2D


class Conv2DTranspose(_Conv, tf_layers.Conv2DTranspose):
    _default_keras_name, _tf_class = "conv2d_transpose", tf_layers.Conv2DTranspose


Convolution2D, Convolution2DTranspose = Conv2D, Conv2DTranspose


class _Pooling2D(KerasLayer):
    """Keras's pooling: ``strides`` default to the pool size."""

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        kwargs = self._keras_init(kwargs, self._default_keras_name)
        self._tf_class.__init__(self, pool_size, pool_size if strides is None else strides,
                                padding, data_format or backend.image_data_format(), **kwargs)


class MaxPooling2D(_Pooling2D, tf_layers.MaxPooling2D):
    _default_keras_name, _tf_class = "max_pooling2d", tf_layers.MaxPooling2D


class AveragePooling2D(_Pooling2D, tf_layers.AveragePooling2D):
    _default_keras_name, _tf_class = "average_pooling2d", tf_layers.AveragePooling2D


MaxPool2D, AvgPool2D = MaxPooling2D, AveragePooling2D


class Flatten(_keras_layer(tf_layers.Flatten, "flatten")):
    pass


class Dropout(_keras_layer(tf_layers.Dropout, "dropout")):
    """Drops units while the learning phase is on (during ``fit``), passes them through in
    ``evaluate`` / ``predict``."""

    _takes_training = True

    def get_config(self):
        config = super().get_config()
        config.update(rate=self.rate, noise_shape=self.noise_shape, seed=self.seed)
        return config


class BatchNormalization(KerasLayer, tf_layers.BatchNormalization):
    """Batch statistics while the learning phase is on, moving averages otherwise; ``fit`` runs
    the moving-average updates with every step."""

    _takes_training = True

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, **kwargs):
        kwargs = self._keras_init(kwargs, "batch_normalization")
        tf_layers.BatchNormalization.__init__(
            self, axis, momentum, epsilon, center, scale,
            initializers.get(beta_initializer), initializers.get(gamma_initializer),
            initializers.get(moving_mean_initializer),
            initializers.get(moving_variance_initializer),
            regularizers.get(beta_regularizer), regularizers.get(gamma_regularizer), **kwargs)


class Layer(KerasLayer, tf_layers.Layer):
    """Base class for user layers: override ``build(input_shape)`` and ``call(inputs)``."""

    def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
        default = _snake_case(type(self).__name__)
        kwargs = self._keras_init(dict(kwargs, name=name), default)
        tf_layers.Layer.__init__(self, trainable=trainable, dtype=dtype, **kwargs)


def _snake_case(name):
    """Keras's default layer names: LeakyReLU -> leaky_re_lu, GlobalMaxPooling1D ->
    global_max_pooling1d (a capital starts a word only before lower case or after it)."""
    words = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", words).lower()


class Activation(Layer):
    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)


class Reshape(Layer):
    """Reshapes every sample to ``target_shape`` (the batch axis stays; one entry may be -1)."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(int(d) for d in target_shape)

    def call(self, inputs):
        return array_ops.reshape(inputs, (-1,) + self.target_shape)


class _Merge(Layer):
    def build(self, input_shapes):
        if not isinstance(input_shapes, list) or len(input_shapes) < 2:
            raise ValueError("A merge layer should be called on a list of at least 2 inputs. "
                             "Got %s inputs." % (len(input_shapes) if isinstance(
                                 input_shapes, list) else 1))


class Add(_Merge):
    """The elementwise sum of its inputs (a residual connection: ``Add()([x, f(x)])``)."""

    def build(self, input_shapes):
        super().build(input_shapes)
        first = input_shapes[0]
        for shape in input_shapes[1:]:
            if not shape[1:].is_compatible_with(first[1:]):
                raise ValueError("Operands could not be broadcast together with shapes %s"
                                 % " ".join(str(tuple(s.as_list())) for s in input_shapes))

    def call(self, inputs):
        return math_ops.add_n(inputs)


class Concatenate(_Merge):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs):
        return array_ops.concat(inputs, self.axis)


class InputLayer(Layer):
    """The placeholder a model is fed through; ``Input()`` returns its tensor."""

    def __init__(self, input_shape=None, batch_size=None, dtype=None, input_tensor=None,
                 name=None, batch_input_shape=None):
        if name is None:
            # Keras numbers inputs from 1 (input_1, input_2...), other layers from 0.
            extras = graph_mod.get_default_graph()._extras
            extras["keras_inputs"] = extras.get("keras_inputs", 0) + 1
            name = "input_%d" % extras["keras_inputs"]
        super().__init__(name=name, dtype=dtype or backend.floatx())
        if input_tensor is None:
            if batch_input_shape is None:
                if input_shape is None:
                    raise ValueError("Please provide to Input either a `shape` or a "
                                     "`tensor` argument.")
                batch_input_shape = (batch_size,) + tuple(input_shape)
            input_tensor = array_ops.placeholder(self.dtype, list(batch_input_shape), name=name)
        self._batch_input_shape = backend.int_shape(input_tensor)
        input_tensor._keras_history = (self, 0, next(_CALL_ORDER))
        self._nodes.append(([], input_tensor, []))

    def __call__(self, inputs, *args, **kwargs):
        raise TypeError("An InputLayer is not called: use the tensor Input() returns.")


def Input(shape=None, batch_size=None, name=None, dtype=None, batch_shape=None,  # noqa: N802
          tensor=None):
    """A symbolic model input: a placeholder of shape ``(batch_size,) + shape``."""
    if shape is None and batch_shape is None and tensor is None:
        raise ValueError("Please provide to Input either a `shape` or a `tensor` argument. "
                         "Note that `shape` does not include the batch dimension.")
    layer = InputLayer(input_shape=shape, batch_size=batch_size, dtype=dtype, name=name,
                       batch_input_shape=batch_shape, input_tensor=tensor)
    return layer.output


# The sequence layers build on the classes above, so they are imported last.
from .sequence_layers import (  # noqa: E402,F401
    GRU, LSTM, AveragePooling1D, AvgPool1D, Bidirectional, Conv1D, Convolution1D, Embedding,
    GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAvgPool1D, GlobalAvgPool2D,
    GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPooling1D, GlobalMaxPooling2D, LeakyReLU,
    MaxPool1D, MaxPooling1D, RepeatVector, SimpleRNN, TimeDistributed)
