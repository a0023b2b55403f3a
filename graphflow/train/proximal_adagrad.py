"""``tf.train.ProximalAdagradOptimizer``: Adagrad's per-coordinate step lr/sqrt(accum), then
the proximal map of L1 and L2 with that step."""
from ..ops import array as array_ops
from ..ops import math as math_ops
from ..ops import training_ops
from .adagrad import check_initial_accumulator_value
from .proximal_gradient_descent import _ProximalOptimizer


class ProximalAdagradOptimizer(_ProximalOptimizer):
    def __init__(self, learning_rate, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="ProximalAdagrad"):
        check_initial_accumulator_value(initial_accumulator_value)
        super().__init__(learning_rate, l1_regularization_strength, l2_regularization_strength,
                         use_locking, name)
        self._initial_accumulator_value = initial_accumulator_value

    def _create_slots(self, var_list):
        for v in var_list:
            dtype = v.dtype.base_dtype
            # A shape known only at run time comes from the initial value.
            shape = v.get_shape().as_list() if v.get_shape().is_fully_defined() else \
                array_ops.shape(v.initial_value)
            initial = array_ops.fill(shape, math_ops.cast(self._initial_accumulator_value, dtype))
            self._get_or_make_slot(v, initial, "accumulator", self._name)

    def _apply_dense(self, grad, var):
        acc = self.get_slot(var, "accumulator")
        lr, l1, l2 = self._proximal_hyperparameters(var.dtype.base_dtype)
        return self._kernel(training_ops.ApplyProximalAdagrad)(
            var._ref(), acc._ref(), lr, l1, l2, grad, use_locking=self._use_locking).op
