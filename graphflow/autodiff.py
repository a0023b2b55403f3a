"""Reverse-mode differentiation that emits graph ops: ``tf.gradients``.

The backward pass is an ordinary subgraph (named under ``gradients/`` as TF1 names it), so the
compiler prunes, folds, fuses and compiles it like the forward pass, and gradients of gradients
work by differentiating those ops in turn. Each op's rule lives on its record (``OpDef.grad``).
"""
import collections

from .framework import dtypes, graph as graph_mod
from .ops.convert import convert_to_tensor
from .ops.registry import NOT_DIFFERENTIABLE

_CUSTOM_GRADIENTS = {}  # name -> fn(op, *grads), for tf.RegisterGradient + gradient_override_map


class RegisterGradient:
    """``@tf.RegisterGradient("Name")``: a gradient usable through ``gradient_override_map``."""

    def __init__(self, op_type):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, fn):
        if self._op_type in _CUSTOM_GRADIENTS:
            raise KeyError("Registering two gradient with name '%s'!" % self._op_type)
        _CUSTOM_GRADIENTS[self._op_type] = fn
        return fn


def _is_backpropagatable(tensor):
    dtype = tensor.dtype.base_dtype
    # variant: a TensorArray's elements, whose gradient is a list of their gradients
    return dtype.is_floating or dtype.is_complex or dtype == dtypes.variant


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _gradient_function(op):
    # The override map in force when the op was created decides, as in TF1.
    override = getattr(op, "_gradient_override", None)
    if override:
        try:
            return _CUSTOM_GRADIENTS[override]
        except KeyError:
            raise LookupError("No gradient registered under the name '%s' (used by "
                              "gradient_override_map for op %s)." % (override, op.name))
    return op.op_def.grad


def _reachable_forward(xs_ops):
    reached = set()
    stack = list(xs_ops)
    while stack:
        op = stack.pop()
        if op in reached:
            continue
        reached.add(op)
        for t in op.outputs:
            stack.extend(t.consumers())
    return reached


def _between_ops(ys_ops, reached):
    """Ops on some path from an x to a y: reached forward from xs and backward from ys."""
    between = set()
    stack = [op for op in ys_ops if op in reached]
    while stack:
        op = stack.pop()
        if op in between:
            continue
        between.add(op)
        for t in op.inputs:
            if t.op in reached:
                stack.append(t.op)
    return between


def _aggregate(grads):
    grads = [g for g in grads if g is not None]
    if not grads:
        return None
    if len(grads) == 1:
        return grads[0]
    if grads[0].dtype.base_dtype == dtypes.variant:
        from .ops.tensor_array import TensorListAddN
        return TensorListAddN(*grads)
    from .ops import math as math_ops
    return math_ops.add_n(grads)


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None,
              unconnected_gradients="none"):
    """Symbolic partial derivatives of ``sum(ys)`` with respect to each of ``xs``.

    Returns a list with one tensor per x (None where x does not affect ys, unless
    ``unconnected_gradients='zero'``). ``grad_ys`` weights each y (default ones);
    ``stop_gradients`` are treated as constants.
    """
    from .ops import array as array_ops
    ys = [convert_to_tensor(y) for y in _as_list(ys)]
    xs = [convert_to_tensor(x, as_ref=True) for x in _as_list(xs)]
    stop_tensors = set(convert_to_tensor(t) for t in _as_list(stop_gradients or []))
    if grad_ys is None:
        grad_ys = [None] * len(ys)
    grad_ys = _as_list(grad_ys)
    if len(grad_ys) != len(ys):
        raise ValueError("Passed %d grad_ys for %d ys" % (len(grad_ys), len(ys)))
    if unconnected_gradients not in ("none", "zero"):
        raise ValueError("Unknown value for unconnected_gradients: %r" % unconnected_gradients)

    graph = ys[0].graph
    with graph.as_default(), graph.name_scope(name):
        # Initial gradients: ones shaped like each y unless the caller gave them.
        grads = collections.defaultdict(list)  # tensor -> list of gradient contributions
        for i, (y, gy) in enumerate(zip(ys, grad_ys)):
            if gy is None:
                if not _is_backpropagatable(y):
                    # TF backpropagates through floating-point tensors only: an integer or
                    # boolean y contributes nothing, so its xs get None, not an error.
                    continue
                gy = array_ops.ones(array_ops.shape(y), dtype=y.dtype.base_dtype,
                                    name="grad_ys_%d" % i)
            else:
                gy = convert_to_tensor(gy, dtype=y.dtype.base_dtype, name="grad_ys_%d" % i)
            grads[y].append(gy)

        reached = _reachable_forward({x.op for x in xs})
        between = _between_ops({y.op for y in ys}, reached)
        # How many consumers inside `between` each op waits for before its gradient is final.
        pending = collections.Counter()
        for op in between:
            for t in op.inputs:
                if t.op in between:
                    pending[t.op] += 1
        ready = [op for op in {y.op for y in ys} if op in between and pending[op] == 0]
        ready.sort(key=lambda op: op._id, reverse=True)
        x_set = set(xs)
        done = set()

        while ready:
            op = ready.pop()
            if op in done:
                continue
            done.add(op)
            out_grads = []
            for t in op.outputs:
                g = grads.get(t)
                out_grads.append(_aggregate(g) if g else None)
                if g and len(g) > 1:
                    grads[t] = [out_grads[-1]]
            stopped = any(t in stop_tensors for t in op.outputs)
            is_x_only = all(t in x_set for t in op.outputs) and not op.inputs
            if any(g is not None for g in out_grads) and not stopped and not is_x_only:
                in_grads = _op_input_gradients(op, out_grads, array_ops)
                for t, g in zip(op.inputs, in_grads):
                    if g is None or not _is_backpropagatable(t):
                        continue
                    grads[t].append(convert_to_tensor(g))
            for t in op.inputs:
                if t.op in between:
                    pending[t.op] -= 1
                    if pending[t.op] == 0:
                        ready.append(t.op)
            ready.sort(key=lambda o: o._id)

        results = []
        for x in xs:
            g = _aggregate(grads.get(x, []))
            if g is None and unconnected_gradients == "zero":
                g = array_ops.zeros_like(x)
            results.append(g)
        return results


def _op_input_gradients(op, out_grads, array_ops):
    grad_fn = _gradient_function(op)
    if grad_fn is NOT_DIFFERENTIABLE:
        return [None] * len(op.inputs)
    if grad_fn is None:
        if not any(_is_backpropagatable(t) for t in op.inputs):
            return [None] * len(op.inputs)
        raise LookupError("No gradient defined for operation '%s' (op type: %s). Wrap the "
                          "input in tf.stop_gradient if it should be treated as a constant."
                          % (op.name, op.type))
    with op.graph.name_scope(op.name + "_grad"):
        # Outputs that received no gradient contribute zeros, as TF1 does for multi-output ops.
        # Built from the output itself (never folded to a constant), so on an untaken
        # tf.cond branch the zeros are dead too and Merge picks the live gradient.
        out_grads = [g if g is not None else array_ops.ZerosLike(t)
                     for g, t in zip(out_grads, op.outputs)]
        in_grads = grad_fn(op, *out_grads)
    in_grads = list(in_grads) if isinstance(in_grads, (list, tuple)) else [in_grads]
    if len(in_grads) != len(op.inputs):
        raise ValueError("Num gradients %d generated for op %s do not match num inputs %d"
                         % (len(in_grads), op.name, len(op.inputs)))
    for t, g in zip(op.inputs, in_grads):
        if g is not None and isinstance(g, graph_mod.Tensor) and \
                g.dtype.base_dtype != t.dtype.base_dtype and _is_backpropagatable(t):
            raise TypeError("Gradient of %s for input %s has dtype %s, expected %s (op %s's "
                            "gradient rule is wrong)." % (op.type, t.name, g.dtype.name,
                                                          t.dtype.base_dtype.name, op.name))
    return in_grads


def hessians(ys, xs, name="hessians", **kwargs):
    """Second derivatives of ``sum(ys)``: for each x of n elements an (x.shape + x.shape)
    tensor, built row by row as TF1 does (so x needs a fully defined shape)."""
    from .ops import array as array_ops
    xs = _as_list(xs)
    results = []
    with graph_mod.name_scope(name):
        for grad, x in zip(gradients(ys, xs, **kwargs), xs):
            if not x.shape.is_fully_defined():
                raise ValueError("tf.hessians needs a fully defined shape for %s" % x.name)
            flat_grad = array_ops.reshape(grad, [-1])
            rows = [gradients(array_ops.gather(flat_grad, i), x)[0]
                    for i in range(x.shape.num_elements())]
            results.append(array_ops.reshape(array_ops.stack(rows),
                                             x.shape.as_list() + x.shape.as_list()))
    return results
