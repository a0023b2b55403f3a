"""``tf.train.AdadeltaOptimizer``: accum = rho*accum + (1-rho)*g^2;
update = sqrt(accum_update + eps) / sqrt(accum + eps) * g; var -= lr * update;
accum_update = rho*accum_update + (1-rho)*update^2."""
from ..ops import math as math_ops
from ..ops import training_ops
from ..ops.convert import convert_to_tensor
from .optimizer import Optimizer


class AdadeltaOptimizer(Optimizer):
    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-8, use_locking=False,
                 name="Adadelta"):
        super().__init__(use_locking, name)
        self._lr = learning_rate
        self._rho = rho
        self._epsilon = epsilon
        self._lr_t = self._rho_t = self._epsilon_t = None

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "accum", self._name)
            self._zeros_slot(v, "accum_update", self._name)

    def _prepare(self):
        self._lr_t = convert_to_tensor(self._call_if_callable(self._lr), name="lr")
        self._rho_t = convert_to_tensor(self._call_if_callable(self._rho), name="rho")
        self._epsilon_t = convert_to_tensor(self._call_if_callable(self._epsilon),
                                            name="epsilon")

    def _apply_dense(self, grad, var):
        accum = self.get_slot(var, "accum")
        accum_update = self.get_slot(var, "accum_update")
        dtype = var.dtype.base_dtype
        return self._kernel(training_ops.ApplyAdadelta)(
            var._ref(), accum._ref(), accum_update._ref(), math_ops.cast(self._lr_t, dtype),
            math_ops.cast(self._rho_t, dtype), math_ops.cast(self._epsilon_t, dtype), grad,
            use_locking=self._use_locking).op
