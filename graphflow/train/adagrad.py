"""``tf.train.AdagradOptimizer``: accum += grad^2; var -= lr * grad / sqrt(accum)."""
from .. import initializers
from ..ops import array as array_ops
from ..ops import math as math_ops
from ..ops import training_ops
from ..ops.convert import convert_to_tensor
from .optimizer import Optimizer


def check_initial_accumulator_value(value):
    if value <= 0.0:
        raise ValueError("initial_accumulator_value must be positive: %s" % value)


class AdagradOptimizer(Optimizer):
    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False,
                 name="Adagrad"):
        check_initial_accumulator_value(initial_accumulator_value)
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value
        self._learning_rate_tensor = None

    def _create_slots(self, var_list):
        for v in var_list:
            dtype = v.dtype.base_dtype
            if v.get_shape().is_fully_defined():
                init = initializers.constant_initializer(self._initial_accumulator_value,
                                                         dtype=dtype)
            else:
                init = self._init_constant_op(v, dtype)
            self._get_or_make_slot_with_initializer(v, init, v.get_shape(), dtype,
                                                    "accumulator", self._name)

    def _init_constant_op(self, v, dtype):
        def init():
            # A shape known only at run time comes from the initial value.
            return array_ops.fill(array_ops.shape(v.initial_value),
                                  math_ops.cast(self._initial_accumulator_value, dtype))
        return init

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(
            self._call_if_callable(self._learning_rate), name="learning_rate")

    def _apply_dense(self, grad, var):
        acc = self.get_slot(var, "accumulator")
        return self._kernel(training_ops.ApplyAdagrad)(
            var._ref(), acc._ref(),
            math_ops.cast(self._learning_rate_tensor, var.dtype.base_dtype), grad,
            use_locking=self._use_locking).op
