"""``tf.train.MomentumOptimizer``: accum = momentum * accum + grad; var -= lr * accum (or the
Nesterov step ``lr * grad + lr * momentum * accum``)."""
from ..ops import math as math_ops
from ..ops import training_ops
from ..ops.convert import convert_to_tensor
from .optimizer import Optimizer


class MomentumOptimizer(Optimizer):
    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum",
                 use_nesterov=False):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._momentum = momentum
        self._use_nesterov = use_nesterov

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(
            self._call_if_callable(self._learning_rate), name="learning_rate")
        self._momentum_tensor = convert_to_tensor(self._call_if_callable(self._momentum),
                                                  name="momentum")

    def _apply_dense(self, grad, var):
        mom = self.get_slot(var, "momentum")
        dtype = var.dtype.base_dtype
        return self._kernel(training_ops.ApplyMomentum)(
            var._ref(), mom._ref(), math_ops.cast(self._learning_rate_tensor, dtype), grad,
            math_ops.cast(self._momentum_tensor, dtype), use_locking=self._use_locking,
            use_nesterov=self._use_nesterov).op
