"""``tf.train.RMSPropOptimizer``: ms = decay*ms + (1-decay)*g^2;
mom = momentum*mom + lr*g/sqrt(ms + eps); var -= mom. ``centered`` also tracks the mean
gradient mg and divides by sqrt(ms - mg^2 + eps). The mean square starts at one, not zero."""
from .. import initializers
from ..ops import array as array_ops
from ..ops import math as math_ops
from ..ops import training_ops
from ..ops.convert import convert_to_tensor
from .optimizer import Optimizer


class RMSPropOptimizer(Optimizer):
    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10, use_locking=False,
                 centered=False, name="RMSProp"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._decay = decay
        self._momentum = momentum
        self._epsilon = epsilon
        self._centered = centered
        self._learning_rate_tensor = self._decay_tensor = None
        self._momentum_tensor = self._epsilon_tensor = None

    def _create_slots(self, var_list):
        for v in var_list:
            if v.get_shape().is_fully_defined():
                init_rms = initializers.ones_initializer(dtype=v.dtype.base_dtype)
                self._get_or_make_slot_with_initializer(v, init_rms, v.get_shape(),
                                                        v.dtype.base_dtype, "rms", self._name)
            else:
                self._get_or_make_slot(v, array_ops.ones_like(v.initial_value), "rms",
                                       self._name)
            if self._centered:
                self._zeros_slot(v, "mg", self._name)
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(
            self._call_if_callable(self._learning_rate), name="learning_rate")
        self._decay_tensor = convert_to_tensor(self._call_if_callable(self._decay),
                                               name="decay")
        self._momentum_tensor = convert_to_tensor(self._call_if_callable(self._momentum),
                                                  name="momentum")
        self._epsilon_tensor = convert_to_tensor(self._call_if_callable(self._epsilon),
                                                 name="epsilon")

    def _apply_dense(self, grad, var):
        rms = self.get_slot(var, "rms")
        mom = self.get_slot(var, "momentum")
        dtype = var.dtype.base_dtype
        hyper = [math_ops.cast(t, dtype) for t in (
            self._learning_rate_tensor, self._decay_tensor, self._momentum_tensor,
            self._epsilon_tensor)]
        if self._centered:
            mg = self.get_slot(var, "mg")
            return self._kernel(training_ops.ApplyCenteredRMSProp)(
                var._ref(), mg._ref(), rms._ref(), mom._ref(), *hyper, grad,
                use_locking=self._use_locking).op
        return self._kernel(training_ops.ApplyRMSProp)(
            var._ref(), rms._ref(), mom._ref(), *hyper, grad, use_locking=self._use_locking).op
