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

from ..framework import dtypes, graph as graph_mod
from .registry import NOT_DIFFERENTIABLE, Spec, check_same_dtype, defop
from .state import _shape_mismatch

# use_locking=True makes a read-modify-write atomic with respect to other locked updates, as
# TF's per-variable mutex does; one lock for all is coarser but has the same semantics.
_UPDATE_LOCK = threading.RLock()


def _shape_rule(op_type, inputs, n_refs):
    """Input names in kernel order; the ``n_refs`` slots and the gradient (``grad``, or
    ``delta`` for gradient descent) take the var's shape, the hyper-parameters are scalars,
    and every input has the var's dtype but AdagradDA's ``global_step``, an int64 scalar."""
    def rule(*tensors, use_locking=False, use_nesterov=False, multiply_linear_by_lr=False):
        typed = dict(zip(inputs, tensors))
        step = typed.pop("global_step", None)
        check_same_dtype(op_type, *typed.values(), names=list(typed))
        if step is not None and step.dtype.base_dtype != dtypes.int64:
            raise TypeError("Input 'global_step' of '%s' Op has type %s that does not match "
                            "expected type of int64." % (op_type, step.dtype.base_dtype.name))
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


def _ftrl_power(accum, lr_power):
    # The kernel takes the square root itself for the default power, as TF's does.
    return np.sqrt(accum) if lr_power == -0.5 else np.power(accum, -lr_power)


def _ftrl_step(var, accum, linear, grad, shrunk_grad, lr, l1, l2, lr_power):
    """FTRL-proximal: the linear term gathers the (shrunk) gradient less the change in the
    per-coordinate step size times the weight; the weight is the closed-form minimizer, zero
    wherever |linear| is within the L1 strength."""
    old_accum = accum.value()
    new_accum = old_accum + np.square(grad)
    current = var.value()
    sigma = (_ftrl_power(new_accum, lr_power) - _ftrl_power(old_accum, lr_power)) / lr
    new_linear = linear.value() + (shrunk_grad - sigma * current)
    quadratic = _ftrl_power(new_accum, lr_power) / lr + 2 * l2
    pre_shrink = (np.sign(new_linear) * l1 - new_linear) / quadratic
    new_var = np.where(np.abs(new_linear) > l1, pre_shrink, np.zeros_like(pre_shrink))
    linear.assign(new_linear)
    accum.assign(new_accum)
    return var.assign(new_var)


def _ftrl(var, accum, linear, grad, lr, l1, l2, lr_power, *, use_locking=False,
          multiply_linear_by_lr=False):
    with _lock(use_locking):
        return _ftrl_step(var, accum, linear, grad, grad, lr, l1, l2, lr_power)


def _ftrl_v2(var, accum, linear, grad, lr, l1, l2, l2_shrinkage, lr_power, *,
             use_locking=False, multiply_linear_by_lr=False):
    with _lock(use_locking):
        # The shrinkage enters the linear term only; the accumulator sees the raw gradient.
        shrunk_grad = grad + 2 * l2_shrinkage * var.value()
        return _ftrl_step(var, accum, linear, grad, shrunk_grad, lr, l1, l2, lr_power)


def _proximal_shrink(prox_var, step, l1, l2):
    """The proximal map of step*(l1*|w| + l2/2*w^2): soft-threshold by step*l1, then scale."""
    if l1 > 0:
        return (np.sign(prox_var) * np.maximum(np.abs(prox_var) - step * l1, 0) /
                (1 + l2 * step))
    return prox_var / (1 + l2 * step)


def _proximal_gradient_descent(var, alpha, l1, l2, delta, *, use_locking=False):
    with _lock(use_locking):
        prox_var = var.value() - delta * alpha
        return var.assign(_proximal_shrink(prox_var, alpha, l1, l2))


def _proximal_adagrad(var, accum, lr, l1, l2, grad, *, use_locking=False):
    with _lock(use_locking):
        a = accum.assign(accum.value() + np.square(grad)).value()
        step = lr * _rsqrt(a)
        prox_var = var.value() - grad * step
        return var.assign(_proximal_shrink(prox_var, step, l1, l2))


def _adagrad_da(var, gradient_accumulator, gradient_squared_accumulator, grad, lr, l1, l2,
                global_step, *, use_locking=False):
    """Dual averaging: the weight is computed afresh from the sums of gradients and squared
    gradients, with the regularization scaled by the step count."""
    with _lock(use_locking):
        g_acc = gradient_accumulator.assign(gradient_accumulator.value() + grad).value()
        gg_acc = gradient_squared_accumulator.assign(
            gradient_squared_accumulator.value() + np.square(grad)).value()
        steps = np.asarray(global_step).astype(g_acc.dtype)
        denominator = l2 * steps * lr + np.sqrt(gg_acc)
        if l1 > 0:
            numerator = -lr * np.sign(g_acc) * np.maximum(np.abs(g_acc) - steps * l1, 0)
        else:
            numerator = -lr * g_acc
        return var.assign(numerator / denominator)



class _RowsHandle:
    """The rows ``rows`` of a variable, seen as a variable of their own: what a dense kernel
    updates when only the looked-up rows of an embedding are to change."""

    def __init__(self, handle, rows):
        self._handle, self._rows = handle, rows

    def value(self):
        return self._handle.value()[self._rows]

    def assign(self, value):
        whole = self._handle.value().copy()
        whole[self._rows] = value
        self._handle.assign(whole)
        return self

    def assign_sub(self, delta):
        return self.assign(self.value() - delta)


def _record_on_rows(op_type, n_refs, dense_kernel):
    """``op_type`` (TF's SparseApply* counterpart of a dense update): the same inputs plus
    ``indices``, the rows an embedding lookup touched. The dense kernel runs on those rows of
    the variable, its slots and the (scatter-summed, so duplicates already add up) gradient;
    every other row, slots included, stays as it was, as TF's sparse kernels leave it."""
    dense_signature = inspect.signature(dense_kernel)
    params = list(dense_signature.parameters.values())
    positional = [p for p in params if p.kind == p.POSITIONAL_OR_KEYWORD]
    keyword = [p for p in params if p.kind == p.KEYWORD_ONLY]
    inputs = tuple(p.name for p in positional) + ("indices",)

    def kernel(*args, **attrs):
        *dense_args, indices = args
        rows = np.unique(np.asarray(indices).ravel())
        refs = [_RowsHandle(h, rows) for h in dense_args[:n_refs]]
        rest = [np.asarray(a)[rows] if name in ("grad", "delta") else a
                for name, a in zip(inputs[n_refs:], dense_args[n_refs:])]
        dense_kernel(*refs, *rest, **attrs)  # it takes the lock use_locking asks for
        return dense_args[0]

    kernel.__signature__ = dense_signature.replace(parameters=positional + [
        inspect.Parameter("indices", inspect.Parameter.POSITIONAL_OR_KEYWORD)] + keyword)
    dense_rule = _shape_rule(op_type, inputs[:-1], n_refs)

    def shape(*tensors, **attrs):
        if not tensors[-1].dtype.base_dtype.is_integer:
            raise TypeError("Input 'indices' of '%s' Op has type %s that is not an integer type."
                            % (op_type, tensors[-1].dtype.base_dtype.name))
        return dense_rule(*tensors[:-1], **attrs)
    return defop(op_type, shape=shape, ref=kernel, stateful=True,
                 ref_inputs=tuple(range(n_refs)), grad=NOT_DIFFERENTIABLE)


ApplyGradientDescent = _record("ApplyGradientDescent", 1, _gradient_descent)
ApplyMomentum = _record("ApplyMomentum", 2, _momentum)
ApplyAdagrad = _record("ApplyAdagrad", 2, _adagrad)
ApplyAdadelta = _record("ApplyAdadelta", 3, _adadelta)
ApplyRMSProp = _record("ApplyRMSProp", 3, _rmsprop)
ApplyCenteredRMSProp = _record("ApplyCenteredRMSProp", 4, _centered_rmsprop)
ApplyAdam = _record("ApplyAdam", 3, _adam)
ApplyFtrl = _record("ApplyFtrl", 3, _ftrl)
ApplyFtrlV2 = _record("ApplyFtrlV2", 3, _ftrl_v2)
ApplyProximalGradientDescent = _record("ApplyProximalGradientDescent", 1,
                                       _proximal_gradient_descent)
ApplyProximalAdagrad = _record("ApplyProximalAdagrad", 2, _proximal_adagrad)
ApplyAdagradDA = _record("ApplyAdagradDA", 3, _adagrad_da)

# The updates restricted to an embedding's looked-up rows (see Optimizer._update_op).
ROW_UPDATES = {
    dense: _record_on_rows("Sparse" + dense.name, len(dense.ref_inputs), dense.ref)
    for dense in (ApplyMomentum, ApplyAdagrad, ApplyAdadelta, ApplyRMSProp,
                  ApplyCenteredRMSProp, ApplyFtrl, ApplyFtrlV2, ApplyProximalGradientDescent,
                  ApplyProximalAdagrad, ApplyAdagradDA)}
