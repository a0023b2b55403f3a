"""``tf.train.FtrlOptimizer``: FTRL-proximal (McMahan et al., 2013) with L1, L2 and L2-shrinkage.

Slots ``accum`` (squared-gradient sums, starting at ``initial_accumulator_value``) and
``linear``. Without shrinkage the update is ApplyFtrl, with it ApplyFtrlV2. ``beta`` enters as
an extra L2 strength of ``beta / (2 * learning_rate)``."""
from .. import initializers
from ..ops import array as array_ops
from ..ops import math as math_ops
from ..ops import training_ops
from ..ops.convert import convert_to_tensor
from .optimizer import Optimizer


class FtrlOptimizer(Optimizer):
    def __init__(self, learning_rate, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="Ftrl", accum_name=None, linear_name=None,
                 l2_shrinkage_regularization_strength=0.0, beta=None):
        super().__init__(use_locking, name)
        if initial_accumulator_value < 0.0:
            raise ValueError("initial_accumulator_value %f needs to be positive or zero"
                             % initial_accumulator_value)
        if learning_rate_power > 0.0:
            raise ValueError("learning_rate_power %f needs to be negative or zero"
                             % learning_rate_power)
        for label, strength in (("l1_regularization_strength", l1_regularization_strength),
                                ("l2_regularization_strength", l2_regularization_strength),
                                ("l2_shrinkage_regularization_strength",
                                 l2_shrinkage_regularization_strength)):
            if strength < 0.0:
                raise ValueError("%s %f needs to be positive or zero" % (label, strength))
        self._learning_rate = learning_rate
        self._learning_rate_power = learning_rate_power
        self._initial_accumulator_value = initial_accumulator_value
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength
        self._l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self._beta = 0.0 if beta is None else beta
        self._accum_name = accum_name
        self._linear_name = linear_name
        self._learning_rate_tensor = self._learning_rate_power_tensor = None
        self._l1_regularization_strength_tensor = None
        self._adjusted_l2_regularization_strength_tensor = None
        self._l2_shrinkage_regularization_strength_tensor = None

    def _create_slots(self, var_list):
        for v in var_list:
            dtype = v.dtype.base_dtype
            if v.get_shape().is_fully_defined():
                self._get_or_make_slot_with_initializer(
                    v, initializers.constant_initializer(self._initial_accumulator_value,
                                                         dtype=dtype),
                    v.get_shape(), dtype, "accum", self._accum_name or self._name)
            else:
                # A shape known only at run time comes from the initial value.
                accum = array_ops.fill(array_ops.shape(v.initial_value),
                                       math_ops.cast(self._initial_accumulator_value, dtype))
                self._get_or_make_slot(v, accum, "accum", self._accum_name or self._name)
            self._zeros_slot(v, "linear", self._linear_name or self._name)

    def _prepare(self):
        learning_rate = self._call_if_callable(self._learning_rate)
        self._learning_rate_tensor = convert_to_tensor(learning_rate, name="learning_rate")
        self._l1_regularization_strength_tensor = convert_to_tensor(
            self._l1_regularization_strength, name="l1_regularization_strength")
        adjusted_l2 = self._l2_regularization_strength
        if self._beta:
            adjusted_l2 = adjusted_l2 + self._beta / (
                2.0 * math_ops.maximum(self._learning_rate_tensor, 1e-36))
        self._adjusted_l2_regularization_strength_tensor = convert_to_tensor(
            adjusted_l2, name="adjusted_l2_regularization_strength")
        self._l2_shrinkage_regularization_strength_tensor = convert_to_tensor(
            self._l2_shrinkage_regularization_strength,
            name="l2_shrinkage_regularization_strength")
        self._learning_rate_power_tensor = convert_to_tensor(self._learning_rate_power,
                                                             name="learning_rate_power")

    def _apply_dense(self, grad, var):
        accum = self.get_slot(var, "accum")
        linear = self.get_slot(var, "linear")
        dtype = var.dtype.base_dtype
        lr, l1, l2 = (math_ops.cast(t, dtype) for t in (
            self._learning_rate_tensor, self._l1_regularization_strength_tensor,
            self._adjusted_l2_regularization_strength_tensor))
        lr_power = math_ops.cast(self._learning_rate_power_tensor, dtype)
        if self._l2_shrinkage_regularization_strength <= 0.0:
            return self._kernel(training_ops.ApplyFtrl)(
                var._ref(), accum._ref(), linear._ref(), grad, lr, l1, l2, lr_power,
                use_locking=self._use_locking).op
        shrinkage = math_ops.cast(self._l2_shrinkage_regularization_strength_tensor, dtype)
        return self._kernel(training_ops.ApplyFtrlV2)(
            var._ref(), accum._ref(), linear._ref(), grad, lr, l1, l2, shrinkage, lr_power,
            use_locking=self._use_locking).op
