"""``tf.train.ProximalAdagradOptimizer``: Adagrad's per-coordinate step lr/sqrt(accum), then
the proximal map of L1 and L2 with that step."""
from ..ops import array as array_ops
from ..ops import math as math_ops
from ..ops import training_ops
from ..ops.convert import convert_to_tensor
from .optimizer import Optimizer


class ProximalAdagradOptimizer(Optimizer):
    def __init__(self, learning_rate, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="ProximalAdagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError("initial_accumulator_value must be positive: %s"
                             % initial_accumulator_value)
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength
        self._learning_rate_tensor = None
        self._l1_regularization_strength_tensor = None
        self._l2_regularization_strength_tensor = None

    def _create_slots(self, var_list):
        for v in var_list:
            dtype = v.dtype.base_dtype
            if v.get_shape().is_fully_defined():
                initial = array_ops.fill(v.get_shape().as_list(),
                                         math_ops.cast(self._initial_accumulator_value, dtype))
            else:
                initial = array_ops.fill(array_ops.shape(v.initial_value),
                                         math_ops.cast(self._initial_accumulator_value, dtype))
            self._get_or_make_slot(v, initial, "accumulator", self._name)

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(
            self._call_if_callable(self._learning_rate), name="learning_rate")
        self._l1_regularization_strength_tensor = convert_to_tensor(
            self._l1_regularization_strength, name="l1_regularization_strength")
        self._l2_regularization_strength_tensor = convert_to_tensor(
            self._l2_regularization_strength, name="l2_regularization_strength")

    def _apply_dense(self, grad, var):
        acc = self.get_slot(var, "accumulator")
        dtype = var.dtype.base_dtype
        return self._kernel(training_ops.ApplyProximalAdagrad)(
            var._ref(), acc._ref(), math_ops.cast(self._learning_rate_tensor, dtype),
            math_ops.cast(self._l1_regularization_strength_tensor, dtype),
            math_ops.cast(self._l2_regularization_strength_tensor, dtype), grad,
            use_locking=self._use_locking).op
