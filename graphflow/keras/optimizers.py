"""``tf.keras.optimizers``: Keras's optimizer names and defaults over tf.train's optimizers.

Defaults follow tf_keras's (legacy, graph-mode) optimizers: 'sgd' lr 0.01; 'adam', 'rmsprop',
'adagrad', 'adadelta' lr 0.001 with epsilon 1e-7; RMSprop's mean square starts at zero (TF1's
RMSPropOptimizer starts it at one) and, without momentum, its epsilon sits outside the square
root. ``compile`` also takes any ``tf.train`` optimizer as is.
"""
from ..ops import math as math_ops
from ..ops import state as state_ops
from ..ops import training_ops
from ..train.adadelta import AdadeltaOptimizer
from ..train.adagrad import AdagradOptimizer
from ..train.adam import AdamOptimizer
from ..train.momentum import MomentumOptimizer
from ..train.optimizer import Optimizer
from ..train.rmsprop import RMSPropOptimizer


def _learning_rate(learning_rate, kwargs):
    """Keras 2 spells it ``learning_rate``; older course code passes ``lr``."""
    lr = kwargs.pop("lr", None)
    if kwargs:
        raise TypeError("Unexpected keyword argument(s) %s" % sorted(kwargs))
    return learning_rate if lr is None else lr


class _KerasNames:
    """``optimizer.learning_rate`` / ``optimizer.lr`` and ``get_config()`` as Keras has them."""

    _config_keys = ()

    @property
    def learning_rate(self):
        return self._keras_lr

    lr = learning_rate

    def get_config(self):
        config = {"name": self._name, "learning_rate": self._keras_lr}
        config.update((key, getattr(self, "_keras_" + key)) for key in self._config_keys)
        return config


class SGD(_KerasNames, MomentumOptimizer):
    _config_keys = ("momentum", "nesterov")

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name="SGD", **kwargs):
        learning_rate = _learning_rate(learning_rate, kwargs)
        if not 0.0 <= momentum <= 1.0:
            raise ValueError("`momentum` must be between [0, 1]. Received: momentum=%s"
                             % momentum)
        MomentumOptimizer.__init__(self, learning_rate, momentum, name=name,
                                   use_nesterov=nesterov)
        self._keras_lr, self._keras_momentum, self._keras_nesterov = learning_rate, momentum, \
            nesterov

    def _create_slots(self, var_list):
        if self._keras_momentum:
            MomentumOptimizer._create_slots(self, var_list)

    def _apply_dense(self, grad, var):
        if self._keras_momentum:
            return MomentumOptimizer._apply_dense(self, grad, var)
        # Plain SGD needs no accumulator: the gradient-descent kernel, no slot variables.
        return training_ops.ApplyGradientDescent(
            var._ref(), math_ops.cast(self._learning_rate_tensor, var.dtype.base_dtype), grad,
            use_locking=self._use_locking).op


class Adam(_KerasNames, AdamOptimizer):
    _config_keys = ("beta_1", "beta_2", "epsilon")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 name="Adam", **kwargs):
        learning_rate = _learning_rate(learning_rate, kwargs)
        AdamOptimizer.__init__(self, learning_rate, beta_1, beta_2, epsilon, name=name)
        self._keras_lr, self._keras_beta_1, self._keras_beta_2 = learning_rate, beta_1, beta_2
        self._keras_epsilon = epsilon


class RMSprop(_KerasNames, RMSPropOptimizer):
    _config_keys = ("rho", "momentum", "epsilon", "centered")

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False,
                 name="RMSprop", **kwargs):
        learning_rate = _learning_rate(learning_rate, kwargs)
        RMSPropOptimizer.__init__(self, learning_rate, decay=rho, momentum=momentum,
                                  epsilon=epsilon, centered=centered, name=name)
        self._keras_lr, self._keras_rho, self._keras_momentum = learning_rate, rho, momentum
        self._keras_epsilon, self._keras_centered = epsilon, centered

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "rms", self._name)  # Keras's mean square starts at zero
            if self._centered:
                self._zeros_slot(v, "mg", self._name)
            if self._keras_momentum:
                self._zeros_slot(v, "momentum", self._name)

    def _apply_dense(self, grad, var):
        if self._keras_momentum:
            return RMSPropOptimizer._apply_dense(self, grad, var)
        # Without momentum Keras adds epsilon outside the square root (the fused TF1 kernel adds
        # it inside), which matters for weights whose gradients are tiny.
        dtype = var.dtype.base_dtype
        lr, rho, epsilon = (math_ops.cast(t, dtype) for t in (
            self._learning_rate_tensor, self._decay_tensor, self._epsilon_tensor))
        rms = self.get_slot(var, "rms")
        denominator = state_ops.assign(rms, rho * rms + (1.0 - rho) * math_ops.square(grad),
                                       use_locking=self._use_locking)
        if self._centered:
            mg = self.get_slot(var, "mg")
            mean_grad = state_ops.assign(mg, rho * mg + (1.0 - rho) * grad,
                                         use_locking=self._use_locking)
            denominator = denominator - math_ops.square(mean_grad)
        step = lr * grad / (math_ops.sqrt(denominator) + epsilon)
        return state_ops.assign_sub(var, step, use_locking=self._use_locking).op


class Adagrad(_KerasNames, AdagradOptimizer):
    _config_keys = ("initial_accumulator_value",)

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, name="Adagrad",
                 **kwargs):
        learning_rate = _learning_rate(learning_rate, kwargs)
        AdagradOptimizer.__init__(self, learning_rate, initial_accumulator_value, name=name)
        self._keras_lr = learning_rate
        self._keras_initial_accumulator_value = initial_accumulator_value


class Adadelta(_KerasNames, AdadeltaOptimizer):
    _config_keys = ("rho", "epsilon")

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, name="Adadelta", **kwargs):
        learning_rate = _learning_rate(learning_rate, kwargs)
        AdadeltaOptimizer.__init__(self, learning_rate, rho, epsilon, name=name)
        self._keras_lr, self._keras_rho, self._keras_epsilon = learning_rate, rho, epsilon


_BY_NAME = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop, "adagrad": Adagrad,
            "adadelta": Adadelta}


def get(identifier):
    """'adam' (any case) -> Adam() with Keras's defaults; an optimizer object -> itself."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        try:
            return _BY_NAME[identifier.lower()]()
        except KeyError:
            raise ValueError("Unknown optimizer: '%s'. Known: %s"
                             % (identifier, ", ".join(sorted(_BY_NAME)))) from None
    if isinstance(identifier, dict):
        config = dict(identifier.get("config", {}))
        return _BY_NAME[identifier["class_name"].lower()](**config)
    raise ValueError("Could not interpret optimizer identifier: %r" % (identifier,))
