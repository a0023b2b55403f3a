"""``tf.nn.rnn_cell``: TF1's recurrent cells.

A cell maps ``(inputs, state)`` to ``(output, new_state)`` for one time step. Like TF1's cells
(which are tf.layers layers), a cell fixes its variable scope on its first call: a scope named
after the class (``basic_lstm_cell``, made unique like any ``default_name`` scope) under the
variable scope current at that call, so a cell run by ``tf.nn.dynamic_rnn`` owns
``rnn/basic_lstm_cell/kernel``. Later calls reuse those variables. Kernels keep TF's layouts:
``[input_depth + state_depth, gates * units]`` applied to ``concat([inputs, state], 1)``, LSTM
gates in the order i, j, f, o, GRU gates r, u in one kernel and the candidate in another.
"""
import abc
import collections
import numbers
import re
import zlib

from . import initializers
from .framework import dtypes, graph as graph_mod, tensor_shape
from .framework.graph import Tensor
from .ops import array as array_ops
from .ops import math as math_ops
from .ops import variable_scope as vs
from .ops.control_flow import _flatten, _pack
from .ops.convert import convert_to_tensor

__all__ = ["RNNCell", "LayerRNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell",
           "MultiRNNCell", "DropoutWrapper", "ResidualWrapper", "DeviceWrapper",
           "LSTMStateTuple"]

_WEIGHTS_VARIABLE_NAME = "kernel"
_BIAS_VARIABLE_NAME = "bias"


class LSTMStateTuple(collections.namedtuple("LSTMStateTuple", ("c", "h"))):
    """An LSTM's state: the cell state ``c`` and the output ``h``."""

    __slots__ = ()

    @property
    def dtype(self):
        c, h = self
        if c.dtype != h.dtype:
            raise TypeError("Inconsistent internal state: %s vs %s" % (str(c.dtype),
                                                                       str(h.dtype)))
        return c.dtype


def _snake_case(name):
    """A class name as TF names a layer after it: BasicLSTMCell -> basic_lstm_cell."""
    words = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    snake = re.sub("([a-z])([A-Z])", r"\1_\2", words).lower()
    return snake if snake[0] != "_" else "private" + snake


def _is_sequence(value):
    return isinstance(value, (list, tuple, dict))


def state_shape(batch_size, size, static=False):
    """``[batch_size] + size`` as a shape tensor, or (``static``) as a list with None where the
    batch size is only known at run time."""
    size = tensor_shape.as_shape(size).as_list() if not isinstance(size, numbers.Integral) \
        else [int(size)]
    if static:
        batch = tensor_shape.dimension_value(batch_size) if not isinstance(
            batch_size, Tensor) else None
        return [batch] + size
    if isinstance(batch_size, Tensor):
        return array_ops.concat([array_ops.reshape(batch_size, [1]),
                                 convert_to_tensor(size, dtype=batch_size.dtype)], 0)
    return [int(batch_size)] + size


def zero_state_tensors(state_size, batch_size, dtype):
    """Zeros shaped ``[batch_size] + size`` for each size in the (nested) ``state_size``."""
    def zeros(size):
        tensor = array_ops.zeros(state_shape(batch_size, size), dtype=dtype)
        tensor.set_shape(state_shape(batch_size, size, static=True))
        return tensor
    return _pack(state_size, [zeros(s) for s in _flatten(state_size)])


def assert_like_rnncell(cell_name, cell):
    """TF's duck-typing test: what ``dynamic_rnn`` needs of a cell."""
    conditions = [hasattr(cell, "output_size"), hasattr(cell, "state_size"),
                  hasattr(cell, "get_initial_state") or hasattr(cell, "zero_state"),
                  callable(cell)]
    if not all(conditions):
        raise TypeError("The argument %r (%s) is not an RNNCell: it needs output_size, "
                        "state_size, zero_state and __call__." % (cell_name, cell))


class RNNCell(abc.ABC):
    """The base of TF1's cells: subclasses give ``state_size``, ``output_size`` and
    ``call(inputs, state) -> (output, new_state)``, and create variables in ``build`` (with
    ``add_variable``) or in ``call`` (with ``tf.get_variable``)."""

    def __init__(self, trainable=True, name=None, dtype=None, _reuse=None, **kwargs):
        self.trainable = trainable
        self._name = name
        self._base_name = name or _snake_case(type(self).__name__)
        self._reuse = _reuse
        self._dtype = dtypes.as_dtype(dtype) if dtype is not None else None
        self._scope = None
        self._rnncell_scope = None
        self.built = False
        self._trainable_weights, self._non_trainable_weights = [], []

    @property
    def name(self):
        return self._scope.name if self._scope is not None else self._base_name

    @property
    def dtype(self):
        return self._dtype

    @property
    @abc.abstractmethod
    def state_size(self):
        """An int, a TensorShape or a nested tuple of them: the size of the state."""

    @property
    @abc.abstractmethod
    def output_size(self):
        """An int or TensorShape: the size of the output."""

    @property
    def trainable_weights(self):
        return list(self._trainable_weights) if self.trainable else []

    @property
    def non_trainable_weights(self):
        return list(self._non_trainable_weights) + (
            [] if self.trainable else list(self._trainable_weights))

    @property
    def weights(self):
        return self.trainable_weights + self.non_trainable_weights

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    def _record_variable(self, getter, name, *args, **kwargs):
        variable = getter(name, *args, **kwargs)
        trainable = kwargs.get("trainable")
        known = self._trainable_weights + self._non_trainable_weights
        if not any(variable is v for v in known):
            in_trainables = any(variable is v for v in graph_mod.get_collection(
                graph_mod.GraphKeys.TRAINABLE_VARIABLES))
            if trainable is None:
                trainable = in_trainables
            (self._trainable_weights if trainable else self._non_trainable_weights).append(
                variable)
        return variable

    def add_variable(self, name, shape, dtype=None, initializer=None, regularizer=None,
                     trainable=True, constraint=None, partitioner=None, **kwargs):
        return vs.get_variable(name, shape=shape, dtype=dtype or self._dtype or dtypes.float32,
                               initializer=initializer, regularizer=regularizer,
                               trainable=trainable and self.trainable, constraint=constraint)

    add_weight = add_variable

    def __call__(self, inputs, state, scope=None):
        """Runs one step in the cell's variable scope (see the module docstring). ``scope``
        (first call only, as in TF1) names the scope instead."""
        if scope is not None:
            with vs.variable_scope(scope, custom_getter=self._record_variable) as entered:
                return self._layer_call(inputs, state, entered)
        if self._rnncell_scope is None:
            self._rnncell_scope = vs.get_variable_scope()
        # Re-entered without a name scope of its own: the cell's ops go under its layer scope
        # (``rnn_1/basic_rnn_cell/``), as TF1 names them.
        with vs.variable_scope(self._rnncell_scope, custom_getter=self._record_variable,
                               auxiliary_name_scope=False):
            return self._layer_call(inputs, state, None)

    def _layer_call(self, inputs, state, scope):
        if self._scope is None:
            if self._reuse:
                with vs.variable_scope(scope if scope is not None else self._base_name) as s:
                    self._scope = s
            else:
                with vs.variable_scope(scope, default_name=self._base_name) as s:
                    self._scope = s
        with vs.variable_scope(self._scope, reuse=True if self.built else self._reuse,
                               auxiliary_name_scope=False) as entered, \
                graph_mod.name_scope(entered.original_name_scope):
            if not self.built:
                first = _flatten(inputs)[0]
                if self._dtype is None and hasattr(first, "dtype"):
                    self._dtype = convert_to_tensor(first).dtype.base_dtype
                self.build(_input_shapes(inputs))
                self.built = True
            return self.call(inputs, state)

    def build(self, inputs_shape):
        """Creates the cell's variables; the base cell has none."""

    def call(self, inputs, state):
        raise TypeError("%s must define call(inputs, state)" % type(self).__name__)

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        if inputs is not None:
            inputs = convert_to_tensor(inputs)
            batch_size = tensor_shape.dimension_value(inputs.shape[0])
            if batch_size is None:
                batch_size = array_ops.shape(inputs)[0]
            dtype = dtype or inputs.dtype
        return self.zero_state(batch_size, dtype)

    def zero_state(self, batch_size, dtype):
        """Zeros in the structure of ``state_size``, each ``[batch_size, size]``."""
        with graph_mod.name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            return zero_state_tensors(self.state_size, batch_size, dtype)


def _input_shapes(inputs):
    shapes = [convert_to_tensor(x).shape for x in _flatten(inputs)]
    return _pack(inputs, shapes)


class LayerRNNCell(RNNCell):
    """A cell whose variables are made in ``build`` (TF1's base of the built-in cells)."""


class _UnitsCell(LayerRNNCell):
    """A cell whose state and output are both ``num_units`` wide (BasicRNN, GRU)."""

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units


def _input_depth(inputs_shape, cell):
    shape = tensor_shape.as_shape(inputs_shape)
    depth = None if shape.ndims is None else tensor_shape.dimension_value(shape[-1])
    if depth is None:
        raise ValueError("Expected inputs.shape[-1] to be known, saw shape: %s" % shape)
    return depth


def _zeros_like_dtype(dtype):
    return initializers.zeros_initializer(dtype=dtype) if dtype is not None else \
        initializers.zeros_initializer()


def _bias_add(value, bias):
    from . import nn  # nn re-exports this module: import it when a cell runs
    return nn.bias_add(value, bias)


class BasicRNNCell(_UnitsCell):
    """``output = new_state = activation(W [inputs, state] + b)``."""

    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None,
                 **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        self._num_units = int(num_units)
        self._activation = activation or math_ops.tanh

    def build(self, inputs_shape):
        depth = _input_depth(inputs_shape, self)
        self._kernel = self.add_variable(_WEIGHTS_VARIABLE_NAME,
                                         shape=[depth + self._num_units, self._num_units])
        self._bias = self.add_variable(_BIAS_VARIABLE_NAME, shape=[self._num_units],
                                       initializer=_zeros_like_dtype(self._dtype))

    def call(self, inputs, state):
        gate_inputs = math_ops.matmul(array_ops.concat([inputs, state], 1), self._kernel)
        output = self._activation(_bias_add(gate_inputs, self._bias))
        return output, output


class GRUCell(_UnitsCell):
    """Gated recurrent unit (Cho et al. 2014), TF1's variant: the reset gate scales the state
    before the candidate's matmul."""

    def __init__(self, num_units, activation=None, reuse=None, kernel_initializer=None,
                 bias_initializer=None, name=None, dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        self._num_units = int(num_units)
        self._activation = activation or math_ops.tanh
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    def build(self, inputs_shape):
        depth = _input_depth(inputs_shape, self)
        units = self._num_units
        self._gate_kernel = self.add_variable(
            "gates/" + _WEIGHTS_VARIABLE_NAME, shape=[depth + units, 2 * units],
            initializer=self._kernel_initializer)
        self._gate_bias = self.add_variable(
            "gates/" + _BIAS_VARIABLE_NAME, shape=[2 * units],
            initializer=self._bias_initializer if self._bias_initializer is not None else
            initializers.constant_initializer(1.0))
        self._candidate_kernel = self.add_variable(
            "candidate/" + _WEIGHTS_VARIABLE_NAME, shape=[depth + units, units],
            initializer=self._kernel_initializer)
        self._candidate_bias = self.add_variable(
            "candidate/" + _BIAS_VARIABLE_NAME, shape=[units],
            initializer=self._bias_initializer if self._bias_initializer is not None else
            _zeros_like_dtype(self._dtype))

    def call(self, inputs, state):
        gate_inputs = _bias_add(math_ops.matmul(array_ops.concat([inputs, state], 1),
                                                self._gate_kernel), self._gate_bias)
        reset, update = array_ops.split(math_ops.sigmoid(gate_inputs), 2, axis=1)
        candidate = _bias_add(math_ops.matmul(array_ops.concat([inputs, reset * state], 1),
                                              self._candidate_kernel), self._candidate_bias)
        new_h = update * state + (1 - update) * self._activation(candidate)
        return new_h, new_h


class BasicLSTMCell(LayerRNNCell):
    """LSTM without peepholes or projection; ``forget_bias`` is added to the forget gate."""

    def __init__(self, num_units, forget_bias=1.0, state_is_tuple=True, activation=None,
                 reuse=None, name=None, dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        self._num_units = int(num_units)
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation or math_ops.tanh

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_units) if self._state_is_tuple \
            else 2 * self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        depth = _input_depth(inputs_shape, self)
        self._kernel = self.add_variable(_WEIGHTS_VARIABLE_NAME,
                                         shape=[depth + self._num_units, 4 * self._num_units])
        self._bias = self.add_variable(_BIAS_VARIABLE_NAME, shape=[4 * self._num_units],
                                       initializer=_zeros_like_dtype(self._dtype))

    def call(self, inputs, state):
        if self._state_is_tuple:
            c, h = state
        else:
            c, h = array_ops.split(state, 2, axis=1)
        gate_inputs = _bias_add(math_ops.matmul(array_ops.concat([inputs, h], 1), self._kernel),
                                self._bias)
        i, j, f, o = array_ops.split(gate_inputs, 4, axis=1)
        forget_bias = convert_to_tensor(self._forget_bias, dtype=f.dtype.base_dtype)
        # tf.add / tf.multiply rather than operators: TF's ops here are named Add and Mul.
        add, multiply, sigmoid = math_ops.add, math_ops.multiply, math_ops.sigmoid
        new_c = add(multiply(c, sigmoid(add(f, forget_bias))),
                    multiply(sigmoid(i), self._activation(j)))
        new_h = multiply(self._activation(new_c), sigmoid(o))
        new_state = LSTMStateTuple(new_c, new_h) if self._state_is_tuple else \
            array_ops.concat([new_c, new_h], 1)
        return new_h, new_state


class LSTMCell(LayerRNNCell):
    """LSTM with optional peepholes (``w_f_diag``, ``w_i_diag``, ``w_o_diag``), cell clipping
    and an output projection (``projection/kernel``)."""

    def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None,
                 num_proj=None, proj_clip=None, num_unit_shards=None, num_proj_shards=None,
                 forget_bias=1.0, state_is_tuple=True, activation=None, reuse=None, name=None,
                 dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        self._num_units = int(num_units)
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation or math_ops.tanh

    @property
    def _output_depth(self):
        return self._num_proj if self._num_proj is not None else self._num_units

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._output_depth) if self._state_is_tuple \
            else self._num_units + self._output_depth

    @property
    def output_size(self):
        return self._output_depth

    def build(self, inputs_shape):
        depth = _input_depth(inputs_shape, self)
        units = self._num_units
        self._kernel = self.add_variable(_WEIGHTS_VARIABLE_NAME,
                                         shape=[depth + self._output_depth, 4 * units],
                                         initializer=self._initializer)
        self._bias = self.add_variable(_BIAS_VARIABLE_NAME, shape=[4 * units],
                                       initializer=_zeros_like_dtype(self._dtype))
        if self._use_peepholes:
            self._w_f_diag = self.add_variable("w_f_diag", shape=[units],
                                               initializer=self._initializer)
            self._w_i_diag = self.add_variable("w_i_diag", shape=[units],
                                               initializer=self._initializer)
            self._w_o_diag = self.add_variable("w_o_diag", shape=[units],
                                               initializer=self._initializer)
        if self._num_proj is not None:
            self._proj_kernel = self.add_variable("projection/" + _WEIGHTS_VARIABLE_NAME,
                                                  shape=[units, self._num_proj],
                                                  initializer=self._initializer)

    def call(self, inputs, state):
        sigmoid = math_ops.sigmoid
        if self._state_is_tuple:
            c_prev, m_prev = state
        else:
            c_prev = array_ops.slice(state, [0, 0], [-1, self._num_units])
            m_prev = array_ops.slice(state, [0, self._num_units], [-1, self._output_depth])
        if inputs.shape.with_rank(2)[1].value is None:
            raise ValueError("Could not infer input size from inputs.get_shape()[-1]")
        lstm_matrix = _bias_add(math_ops.matmul(array_ops.concat([inputs, m_prev], 1),
                                                self._kernel), self._bias)
        i, j, f, o = array_ops.split(lstm_matrix, 4, axis=1)
        if self._use_peepholes:
            c = sigmoid(f + self._forget_bias + self._w_f_diag * c_prev) * c_prev + \
                sigmoid(i + self._w_i_diag * c_prev) * self._activation(j)
        else:
            c = sigmoid(f + self._forget_bias) * c_prev + sigmoid(i) * self._activation(j)
        if self._cell_clip is not None:
            c = math_ops.clip_by_value(c, -self._cell_clip, self._cell_clip)
        if self._use_peepholes:
            m = sigmoid(o + self._w_o_diag * c) * self._activation(c)
        else:
            m = sigmoid(o) * self._activation(c)
        if self._num_proj is not None:
            m = math_ops.matmul(m, self._proj_kernel)
            if self._proj_clip is not None:
                m = math_ops.clip_by_value(m, -self._proj_clip, self._proj_clip)
        new_state = LSTMStateTuple(c, m) if self._state_is_tuple else \
            array_ops.concat([c, m], 1)
        return m, new_state


class MultiRNNCell(RNNCell):
    """Cells stacked: each one's output is the next one's input; cell ``i`` runs in the
    variable scope ``cell_i`` and the state is the tuple of the cells' states."""

    def __init__(self, cells, state_is_tuple=True):
        super().__init__()
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        if not _is_sequence(cells):
            raise TypeError("cells must be a list or tuple, but saw: %s." % (cells,))
        if len(set(id(cell) for cell in cells)) < len(cells):
            import warnings
            warnings.warn("At least two cells provided to MultiRNNCell are the same object "
                          "and will share weights.")
        self._cells = list(cells)
        self._state_is_tuple = state_is_tuple
        if not state_is_tuple and any(_is_sequence(c.state_size) for c in self._cells):
            raise ValueError("Some cells return tuples of states, but the flag "
                             "state_is_tuple is not set.  State sizes are: %s"
                             % str([c.state_size for c in self._cells]))

    @property
    def state_size(self):
        if self._state_is_tuple:
            return tuple(cell.state_size for cell in self._cells)
        return sum(cell.state_size for cell in self._cells)

    @property
    def output_size(self):
        return self._cells[-1].output_size

    def zero_state(self, batch_size, dtype):
        with graph_mod.name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            if self._state_is_tuple:
                return tuple(cell.zero_state(batch_size, dtype) for cell in self._cells)
            return zero_state_tensors(self.state_size, batch_size, dtype)

    @property
    def trainable_weights(self):
        if not self.trainable:
            return []
        return [w for cell in self._cells for w in cell.trainable_weights]

    @property
    def non_trainable_weights(self):
        weights = [w for cell in self._cells for w in cell.non_trainable_weights]
        if not self.trainable:
            weights = [w for cell in self._cells for w in cell.trainable_weights] + weights
        return weights

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    def call(self, inputs, state):
        position = 0
        current = inputs
        new_states = []
        for i, cell in enumerate(self._cells):
            with vs.variable_scope("cell_%d" % i):
                if self._state_is_tuple:
                    if not _is_sequence(state):
                        raise ValueError("Expected state to be a tuple of length %d, but "
                                         "received: %s" % (len(self.state_size), state))
                    cell_state = state[i]
                else:
                    cell_state = array_ops.slice(state, [0, position], [-1, cell.state_size])
                    position += cell.state_size
                current, new_state = cell(current, cell_state)
                new_states.append(new_state)
        new_states = tuple(new_states) if self._state_is_tuple else \
            array_ops.concat(new_states, 1)
        return current, new_states


class _WrapperCell(RNNCell):
    """A cell around another one; it adds no variable scope of its own, as in TF1."""

    def __init__(self, cell):
        super().__init__()
        assert_like_rnncell("cell", cell)
        self._cell = cell

    @property
    def wrapped_cell(self):
        return self._cell

    @property
    def state_size(self):
        return self._cell.state_size

    @property
    def output_size(self):
        return self._cell.output_size

    @property
    def trainable_weights(self):
        return self._cell.trainable_weights

    @property
    def non_trainable_weights(self):
        return self._cell.non_trainable_weights

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    def zero_state(self, batch_size, dtype):
        with graph_mod.name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            return self._cell.zero_state(batch_size, dtype)

    def __call__(self, inputs, state, scope=None):
        return self._wrapped_call(inputs, state, scope)

    def _wrapped_call(self, inputs, state, scope):
        return self._cell(inputs, state, scope=scope)


def _keep_probability(value, what):
    if isinstance(value, numbers.Real) and not (0.0 < float(value) <= 1.0):
        raise ValueError("Parameter %s must be between 0 and 1: %f" % (what, value))
    return value


def _drops(keep_prob):
    """TF skips the dropout op when the probability is the Python float 1 (not a tensor)."""
    return not isinstance(keep_prob, numbers.Real) or float(keep_prob) < 1.0


class DropoutWrapper(_WrapperCell):
    """Dropout on the cell's inputs, outputs and state (each kept with its probability)."""

    def __init__(self, cell, input_keep_prob=1.0, output_keep_prob=1.0, state_keep_prob=1.0,
                 variational_recurrent=False, input_size=None, dtype=None, seed=None,
                 dropout_state_filter_visitor=None):
        super().__init__(cell)
        if variational_recurrent:
            raise ValueError("graphflow's DropoutWrapper draws a new mask each step; "
                             "variational_recurrent=True (one mask per sequence) is not "
                             "available")
        self._input_keep_prob = _keep_probability(input_keep_prob, "input_keep_prob")
        self._output_keep_prob = _keep_probability(output_keep_prob, "output_keep_prob")
        self._state_keep_prob = _keep_probability(state_keep_prob, "state_keep_prob")
        self._seed = seed
        self._state_filter = dropout_state_filter_visitor or (
            lambda s: not isinstance(s, LSTMStateTuple) or LSTMStateTuple(c=False, h=True))

    def _dropout(self, values, keep_prob, salt, keep_filter=None):
        from . import nn
        leaves = _flatten(values)
        keep = [True] * len(leaves) if keep_filter is None else keep_filter
        dropped = []
        for i, (value, kept) in enumerate(zip(leaves, keep)):
            if not kept:
                dropped.append(value)
                continue
            # A stable seed per (seed, what is dropped, leaf), as TF derives its seeds.
            seed = None if self._seed is None else zlib.crc32(
                ("%s_%s_%d" % (self._seed, salt, i)).encode()) % (2 ** 31 - 1)
            dropped.append(nn.dropout(value, keep_prob=keep_prob, seed=seed))
        return _pack(values, dropped)

    def _state_mask(self, state):
        masks = []

        def visit(s):
            decision = self._state_filter(s)
            if isinstance(decision, bool):
                masks.extend([decision] * len(_flatten(s)))
            elif _is_sequence(s) and not isinstance(s, LSTMStateTuple) and decision is True:
                for item in s:
                    visit(item)
            else:
                masks.extend(_flatten(decision))
        if _is_sequence(state) and not isinstance(state, LSTMStateTuple):
            for item in state:
                visit(item)
        else:
            visit(state)
        return masks

    def _wrapped_call(self, inputs, state, scope):
        if _drops(self._input_keep_prob):
            inputs = self._dropout(inputs, self._input_keep_prob, "input")
        output, new_state = self._cell(inputs, state, scope=scope)
        if _drops(self._state_keep_prob):
            new_state = self._dropout(new_state, self._state_keep_prob, "state",
                                      self._state_mask(new_state))
        if _drops(self._output_keep_prob):
            output = self._dropout(output, self._output_keep_prob, "output")
        return output, new_state


class ResidualWrapper(_WrapperCell):
    """Adds the cell's input to its output (``residual_fn`` to combine them otherwise)."""

    def __init__(self, cell, residual_fn=None):
        super().__init__(cell)
        self._residual_fn = residual_fn

    def _wrapped_call(self, inputs, state, scope):
        output, new_state = self._cell(inputs, state, scope=scope)
        if self._residual_fn is not None:
            return self._residual_fn(inputs, output), new_state
        leaves = [i + o for i, o in zip(_flatten(inputs), _flatten(output))]
        return _pack(output, leaves), new_state


class DeviceWrapper(_WrapperCell):
    """Runs the cell under a device scope (graphflow places ops itself: kept for API)."""

    def __init__(self, cell, device):
        super().__init__(cell)
        self._device = device

    def _wrapped_call(self, inputs, state, scope):
        with graph_mod.device(self._device):
            return self._cell(inputs, state, scope=scope)
