"""The optimizers' update ops (``ApplyAdam`` and friends) with the arithmetic of TF1's CPU kernels.

Each takes the variable and its slots as references (``ref_inputs``), writes through the handles
(in place when no one else holds the stored array: see ``VariableHandle.assign_sub``) and outputs
the variable reference.
Expressions keep the kernels' operation order (``ms += (g^2 - ms) * (1 - rho)``, not
``rho*ms + ...``) so float32 results round as TF's do; ``rsqrt`` is ``1/sqrt``, which Eigen
approximates per CPU, so those ops may differ from TF in the last bit.
"""
import contextlib
import inspect
import threading

import numpy as np

from ..framework import graph as graph_mod
from .registry import NOT_DIFFERENTIABLE, Spec, check_same_dtype, defop
from .state import _shape_mismatch

# use_locking=True makes a read-modify-write atomic with respect to other locked updates, as
# TF's per-variable mutex does; one lock for all is coarser but has the same semantics.
_UPDATE_LOCK = threading.RLock()


def _shape_rule(op_type, inputs, n_refs):
    """Input names in kernel order; the ``n_refs`` slots and the gradient (``grad``, or
    ``delta`` for gradient descent) take the var's shape, the hyper-parameters are scalars,
    and every input has the var's dtype."""
    def rule(*tensors, use_locking=False, use_nesterov=False):
        check_same_dtype(op_type, *tensors, names=inputs)
        var = tensors[0]
        shape = var.shape
        for i, (name, t) in enumerate(zip(inputs, tensors)):
            if i < n_refs or name in ("grad", "delta"):
                if not shape.is_compatible_with(t.shape):
                    raise _shape_mismatch(op_type, var, t)
                shape = shape.merge_with(t.shape)
            elif t.shape.ndims not in (None, 0):
                raise ValueError("Shape must be rank 0 but is rank %d for '{{node %s}} = %s' "
                                 "(input '%s' with shape %s)." % (
                                     t.shape.ndims, _node_name(), op_type, name, t.shape))
        return Spec(shape, var.dtype)
    return rule


def _node_name():
    return graph_mod.get_default_graph().get_name_scope()


def _lock(use_locking):
    return _UPDATE_LOCK if use_locking else contextlib.nullcontext()


def _record(op_type, n_refs, kernel):
    """The kernel's positional parameters are the op's inputs, in TF's order."""
    params = inspect.signature(kernel).parameters.values()
    inputs = tuple(p.name for p in params if p.kind == p.POSITIONAL_OR_KEYWORD)
    return defop(op_type, shape=_shape_rule(op_type, inputs, n_refs), ref=kernel,
                 stateful=True, ref_inputs=tuple(range(n_refs)), grad=NOT_DIFFERENTIABLE)


def _rsqrt(x):
    return 1 / np.sqrt(x)


def _gradient_descent(var, alpha, delta, *, use_locking=False):
    with _lock(use_locking):
        return var.assign_sub(delta * alpha)


def _momentum(var, accum, lr, grad, momentum, *, use_locking=False, use_nesterov=False):
    with _lock(use_locking):
        a = accum.assign(accum.value() * momentum + grad).value()
        step = grad * lr + a * momentum * lr if use_nesterov else a * lr
        return var.assign_sub(step)


def _adagrad(var, accum, lr, grad, *, use_locking=False):
    with _lock(use_locking):
        a = accum.assign(accum.value() + np.square(grad)).value()
        return var.assign_sub(grad * lr * _rsqrt(a))


def _adadelta(var, accum, accum_update, lr, rho, epsilon, grad, *, use_locking=False):
    with _lock(use_locking):
        a = accum.value() * rho + np.square(grad) * (1 - rho)
        update = np.sqrt(accum_update.value() + epsilon) * _rsqrt(a + epsilon) * grad
        accum.assign(a)
        accum_update.assign(accum_update.value() * rho + np.square(update) * (1 - rho))
        return var.assign_sub(update * lr)


def _rmsprop(var, ms, mom, lr, rho, momentum, epsilon, grad, *, use_locking=False):
    with _lock(use_locking):
        new_ms = ms.assign(ms.value() + (np.square(grad) - ms.value()) * (1 - rho)).value()
        new_mom = mom.assign(mom.value() * momentum +
                             (grad * lr) / np.sqrt(new_ms + epsilon)).value()
        return var.assign_sub(new_mom)


def _centered_rmsprop(var, mg, ms, mom, lr, rho, momentum, epsilon, grad, *, use_locking=False):
    with _lock(use_locking):
        new_ms = ms.value() + (np.square(grad) - ms.value()) * (1 - rho)
        new_mg = mg.value() + (grad - mg.value()) * (1 - rho)
        # A negative variance estimate gives NaN, as TF's sqrt does.
        with np.errstate(invalid="ignore"):
            denom = np.sqrt((new_ms - np.square(new_mg)) + epsilon)
        new_mom = mom.value() * momentum + (grad * lr) / denom
        mg.assign(new_mg)
        ms.assign(new_ms)
        mom.assign(new_mom)
        return var.assign_sub(new_mom)


def _adam(var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad, *,
          use_locking=False, use_nesterov=False):
    with _lock(use_locking):
        alpha = lr * np.sqrt(1 - beta2_power) / (1 - beta1_power)
        new_m = m.assign(m.value() + (grad - m.value()) * (1 - beta1)).value()
        new_v = v.assign(v.value() + (np.square(grad) - v.value()) * (1 - beta2)).value()
        if use_nesterov:
            step = ((grad * (1 - beta1) + beta1 * new_m) * alpha) / (np.sqrt(new_v) + epsilon)
        else:
            step = (new_m * alpha) / (np.sqrt(new_v) + epsilon)
        return var.assign_sub(step)


ApplyGradientDescent = _record("ApplyGradientDescent", 1, _gradient_descent)
ApplyMomentum = _record("ApplyMomentum", 2, _momentum)
ApplyAdagrad = _record("ApplyAdagrad", 2, _adagrad)
ApplyAdadelta = _record("ApplyAdadelta", 3, _adadelta)
ApplyRMSProp = _record("ApplyRMSProp", 3, _rmsprop)
ApplyCenteredRMSProp = _record("ApplyCenteredRMSProp", 4, _centered_rmsprop)
ApplyAdam = _record("ApplyAdam", 3, _adam)
