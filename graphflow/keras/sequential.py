"""``tf.keras.Sequential``: a stack of layers, each fed the previous one's output."""
from ..framework import graph as graph_mod
from . import layers as layers_mod
from .training import Model


class Sequential(Model):
    """Layers in order. The model is built (its input placeholder ``<first layer>_input``
    created and every layer called) as soon as the input shape is known: from the first
    layer's ``input_shape``, an ``Input``/``InputLayer`` first entry, ``build(input_shape)``,
    or the first data passed to fit/evaluate/predict."""

    _default_name = "sequential"

    def __init__(self, layers=None, name=None):
        super().__init__(name=name)
        self._stack = []
        self._input_layer = None
        for layer in layers or []:
            self.add(layer)

    @property
    def layers(self):
        return list(self._stack)

    def add(self, layer):
        if hasattr(layer, "_keras_history") and isinstance(layer._keras_history[0],
                                                          layers_mod.InputLayer):
            layer = layer._keras_history[0]  # Sequential([Input(shape), ...])
        if isinstance(layer, layers_mod.InputLayer):
            if self._stack or self._input_layer is not None:
                raise ValueError("An InputLayer can only be the first entry of a Sequential.")
            self._input_layer = layer
            return
        if not isinstance(layer, layers_mod.KerasLayer):
            raise TypeError("The added layer must be an instance of class Layer. Found: %r"
                            % (layer,))
        if any(existing.name == layer.name for existing in self._stack):
            raise ValueError("All layers added to a Sequential model should have unique names. "
                             "Name '%s' is already the name of a layer in this model."
                             % layer.name)
        self._stack.append(layer)
        if self.built:
            with self._graph.as_default():
                self._connect([layer], self.outputs[0])
        elif self._input_layer is not None or layer._batch_input_shape is not None:
            self.build()
        self._training_graph = None

    def pop(self):
        if not self._stack:
            raise TypeError("There are no layers in the model.")
        if self.built:
            raise ValueError("graphflow cannot remove a layer from a built Sequential: its ops "
                             "are in the graph. Build a new Sequential without it.")
        self._stack.pop()

    def build(self, input_shape=None):
        if self.built:
            return
        with self._graph.as_default():
            if self._input_layer is None:
                if input_shape is None:
                    if not self._stack or self._stack[0]._batch_input_shape is None:
                        raise ValueError("You must provide an `input_shape` argument.")
                    input_shape = self._stack[0]._batch_input_shape
                first = self._stack[0]
                self._input_layer = layers_mod.InputLayer(
                    batch_input_shape=tuple(input_shape), name=first.name + "_input",
                    dtype=first.dtype)
            if not self._stack:
                return
            output = self._connect(self._stack, self._input_layer.output)
            self._init_graph_network(self._input_layer.output, output)

    def _connect(self, layers, tensor):
        with graph_mod.name_scope(None):
            for layer in layers:
                tensor = layer(tensor)
        if self.built:
            self.outputs = [tensor]
        return tensor

    def _build_from_data(self, arrays):
        if not self.built:
            if len(arrays) != 1:
                raise ValueError("A Sequential model takes one input array, got %d."
                                 % len(arrays))
            self.build((None,) + arrays[0].shape[1:])

    @property
    def built(self):
        return self._graph_network
