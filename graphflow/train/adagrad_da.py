"""``tf.train.AdagradDAOptimizer``: Adagrad dual averaging. Slots ``gradient_accumulator``
(sum of gradients, from zero) and ``gradient_squared_accumulator`` (from
``initial_gradient_squared_accumulator_value``); the weight is recomputed from them each step,
with the regularization scaled by ``global_step + 1``, read when the update runs. The global
step is only read here: pass it to ``minimize`` too for it to advance."""
from ..ops import array as array_ops
from ..ops import math as math_ops
from ..ops import training_ops
from ..ops.convert import convert_to_tensor
from .optimizer import Optimizer


class AdagradDAOptimizer(Optimizer):
    def __init__(self, learning_rate, global_step, initial_gradient_squared_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="AdagradDA"):
        if initial_gradient_squared_accumulator_value <= 0.0:
            raise ValueError("initial_gradient_squared_accumulator_value must be positive: %s"
                             % initial_gradient_squared_accumulator_value)
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_gradient_squared_accumulator_value = (
            initial_gradient_squared_accumulator_value)
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength
        self._global_step = global_step
        self._learning_rate_tensor = None
        self._global_step_on_worker = None

    def _create_slots(self, var_list):
        for v in var_list:
            dtype = v.dtype.base_dtype
            shape = v.get_shape().as_list() if v.get_shape().is_fully_defined() else \
                array_ops.shape(v.initial_value)
            self._get_or_make_slot(v, array_ops.fill(shape, math_ops.cast(0.0, dtype)),
                                   "gradient_accumulator", self._name)
            squared = array_ops.fill(shape, math_ops.cast(
                self._initial_gradient_squared_accumulator_value, dtype))
            self._get_or_make_slot(v, squared, "gradient_squared_accumulator", self._name)

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(
            self._call_if_callable(self._learning_rate), name="learning_rate")
        # The step being taken: the global step counts those already done.
        self._global_step_on_worker = array_ops.identity(self._global_step) + 1

    def _apply_dense(self, grad, var):
        g_acc = self.get_slot(var, "gradient_accumulator")
        gg_acc = self.get_slot(var, "gradient_squared_accumulator")
        dtype = var.dtype.base_dtype
        return self._kernel(training_ops.ApplyAdagradDA)(
            var._ref(), g_acc._ref(), gg_acc._ref(), grad,
            math_ops.cast(self._learning_rate_tensor, dtype),
            math_ops.cast(self._l1_regularization_strength, dtype),
            math_ops.cast(self._l2_regularization_strength, dtype),
            array_ops.identity(self._global_step_on_worker), use_locking=self._use_locking).op
