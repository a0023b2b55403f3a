"""``tf.train.ProximalGradientDescentOptimizer``: a gradient step, then the proximal map of
L1 (soft thresholding by lr*l1) and L2 (division by 1 + lr*l2)."""
from ..ops import math as math_ops
from ..ops import training_ops
from ..ops.convert import convert_to_tensor
from .optimizer import Optimizer


class _ProximalOptimizer(Optimizer):
    """The learning rate and the L1 and L2 strengths that both proximal optimizers read."""

    def __init__(self, learning_rate, l1_regularization_strength, l2_regularization_strength,
                 use_locking, name):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength
        self._learning_rate_tensor = None
        self._l1_regularization_strength_tensor = None
        self._l2_regularization_strength_tensor = None

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(
            self._call_if_callable(self._learning_rate), name="learning_rate")
        self._l1_regularization_strength_tensor = convert_to_tensor(
            self._l1_regularization_strength, name="l1_regularization_strength")
        self._l2_regularization_strength_tensor = convert_to_tensor(
            self._l2_regularization_strength, name="l2_regularization_strength")

    def _proximal_hyperparameters(self, dtype):
        """The learning rate, L1 and L2 strengths as ``dtype`` tensors, for the update op."""
        return (math_ops.cast(self._learning_rate_tensor, dtype),
                math_ops.cast(self._l1_regularization_strength_tensor, dtype),
                math_ops.cast(self._l2_regularization_strength_tensor, dtype))


class ProximalGradientDescentOptimizer(_ProximalOptimizer):
    def __init__(self, learning_rate, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, use_locking=False,
                 name="ProximalGradientDescent"):
        super().__init__(learning_rate, l1_regularization_strength, l2_regularization_strength,
                         use_locking, name)

    def _apply_dense(self, grad, var):
        lr, l1, l2 = self._proximal_hyperparameters(var.dtype.base_dtype)
        return self._kernel(training_ops.ApplyProximalGradientDescent)(
            var._ref(), lr, l1, l2, grad, use_locking=self._use_locking).op
