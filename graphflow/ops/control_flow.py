"""``tf.cond`` and ``tf.case``, built from TF1's Switch and Merge.

``Switch(data, pred)`` forwards ``data`` to output 1 when pred is true, else to output 0; the
other output is DEAD. The executor skips any op with a dead input or dead control input, and
marks its outputs dead, so only the taken branch runs. ``Merge`` takes whichever input is alive.
Ops built inside a branch go through a ``CondContext``: every tensor from outside the branch is
routed through a Switch, and input-less ops wait on the branch's pivot, so they die with it.
"""
import numpy as np

from ..framework import dtypes, errors, graph as graph_mod, tensor_shape
from .convert import convert_to_tensor
from .registry import ALL_INPUTS, NOT_DIFFERENTIABLE, Spec, defop


class _Dead:
    """The value of a tensor on a tf.cond branch that was not taken."""

    def __repr__(self):
        return "DEAD"


DEAD = _Dead()


def _switch_shape(data, pred):
    if pred.shape.ndims not in (None, 0):
        raise ValueError("Shape must be rank 0 but is rank %d for the predicate of Switch (%s)"
                         % (pred.shape.ndims, pred.name))
    return [Spec(data.shape, data.dtype), Spec(data.shape, data.dtype)]


def _switch_ref(data, pred):
    return (DEAD, data) if pred else (data, DEAD)


def _merge_shape(*inputs):
    shape = inputs[0].shape
    for t in inputs[1:]:
        if t.dtype.base_dtype != inputs[0].dtype.base_dtype:
            raise TypeError("The branches of a tf.cond must return the same dtypes: %s vs %s"
                            % (inputs[0].dtype.base_dtype.name, t.dtype.base_dtype.name))
        shape = shape.most_specific_compatible_shape(t.shape)
    return [Spec(shape, inputs[0].dtype.base_dtype), Spec([], dtypes.int32)]


def _merge_ref(*inputs):
    for i, value in enumerate(inputs):
        if value is not DEAD:
            return value, i
    return DEAD, DEAD


def _merge_grad(op, grad, _index_grad):
    # Route the gradient back into whichever branch produced the value.
    false_grad, true_grad = Switch(grad, op._cond_pred)
    return [false_grad, true_grad]


Switch = defop("Switch", shape=_switch_shape, ref=_switch_ref, ref_inputs=(0,), makes_dead=True,
               grad=lambda op, g_false, g_true: [Merge(g_false, g_true)[0], None])
Merge = defop("Merge", shape=_merge_shape, ref=_merge_ref, takes_dead=True,
              grad=_merge_grad)


class CondContext:
    """The branch of a tf.cond under construction (see the module docstring)."""

    def __init__(self, pred, pivot, branch, outer):
        self.pred, self.pivot, self.branch, self.outer = pred, pivot, branch, outer
        self.ops = {pivot.op}
        self._switched = {}

    def add_op(self, op):
        self.ops.add(op)

    def process_inputs(self, graph, inputs, control):
        inputs = [t if t.op in self.ops else self._switch(graph, t) for t in inputs]
        if not inputs and not any(c in self.ops for c in control):
            control = list(control) + [self.pivot.op]
        return inputs, control

    def _switch(self, graph, tensor):
        if tensor not in self._switched:
            saved = graph._control_flow_context
            graph._control_flow_context = self.outer
            try:
                outputs = Switch(tensor, self.pred, name="Switch")
            finally:
                graph._control_flow_context = saved
            self._switched[tensor] = outputs[self.branch]
        return self._switched[tensor]


def _flatten(structure):
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in _flatten(item)]
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in _flatten(structure[key])]
    return [structure]


def _pack(structure, leaves):
    leaves = iter(leaves)

    def build(s):
        if isinstance(s, (list, tuple)):
            items = [build(item) for item in s]
            return type(s)(*items) if hasattr(s, "_fields") else type(s)(items)
        if isinstance(s, dict):
            return {key: build(s[key]) for key in sorted(s)}
        return next(leaves)
    return build(structure)


def _build_branch(graph, fn, context):
    from . import array as array_ops
    saved = graph._control_flow_context
    graph._control_flow_context = context
    try:
        structure = fn()
        if structure is None:
            raise ValueError("true_fn and false_fn must return a value (tensors, or nested "
                             "lists/tuples/dicts of tensors)")
        leaves = []
        for leaf in _flatten(structure):
            if isinstance(leaf, graph_mod.Operation):
                # An op becomes "a value that exists once the op ran", as TF1's cond does.
                with graph_mod.control_dependencies([leaf]):
                    leaves.append(array_ops.identity(context.pivot))
                continue
            tensor = convert_to_tensor(leaf)
            # Route tensors from outside the branch through its Switch, as TF1 does.
            leaves.append(tensor if tensor.op in context.ops else array_ops.identity(tensor))
        return structure, leaves
    finally:
        graph._control_flow_context = saved


def _executing_eagerly():
    from .. import eager  # eager builds on the op modules, this one included
    return eager.executing_eagerly()


def _eager_while_loop(cond, body, loop_vars, maximum_iterations):
    """tf.while_loop on values: Python's loop, with TF's structure rules for body's result."""
    single = not isinstance(loop_vars, (list, tuple))
    values = loop_vars
    iterations = 0
    while (maximum_iterations is None or iterations < int(maximum_iterations)) and bool(
            cond(values) if single else cond(*values)):
        values = body(values) if single else body(*values)
        if not single:
            values = type(loop_vars)(values if isinstance(values, (list, tuple)) else [values])
        iterations += 1
    return values


def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """Runs ``true_fn``'s ops when ``pred`` is true, else ``false_fn``'s; returns the taken
    branch's values. Both branches are built (lazily run), and must return the same
    structure of tensors with the same dtypes."""
    from . import array as array_ops
    true_fn = true_fn or fn1
    false_fn = false_fn or fn2
    if not callable(true_fn) or not callable(false_fn):
        raise TypeError("true_fn and false_fn must be callable")
    if _executing_eagerly():  # the predicate is a value: run the taken branch only, as TF does
        return true_fn() if bool(pred) else false_fn()
    with graph_mod.name_scope(name, "cond", [pred]):
        pred = convert_to_tensor(pred, dtype=dtypes.bool, name="pred")
        graph = pred.graph
        p_false, p_true = Switch(pred, pred, name="Switch")
        pivot_true = array_ops.identity(p_true, name="switch_t")
        pivot_false = array_ops.identity(p_false, name="switch_f")
        pred_id = array_ops.identity(pred, name="pred_id")
        outer = graph._control_flow_context
        true_structure, true_leaves = _build_branch(
            graph, true_fn, CondContext(pred_id, pivot_true, 1, outer))
        _, false_leaves = _build_branch(
            graph, false_fn, CondContext(pred_id, pivot_false, 0, outer))
        if len(true_leaves) != len(false_leaves):
            raise ValueError("true_fn and false_fn must return the same number of results: %d "
                             "vs %d" % (len(true_leaves), len(false_leaves)))
        merged = []
        for t, f in zip(true_leaves, false_leaves):
            if t.dtype.base_dtype != f.dtype.base_dtype:
                raise ValueError("Outputs of true_fn and false_fn must have the same type: %s, "
                                 "%s" % (t.dtype.base_dtype.name, f.dtype.base_dtype.name))
            value = Merge(f, t, name="Merge")[0]
            value.op._cond_pred = pred_id
            merged.append(value)
        if not isinstance(true_structure, (list, tuple, dict)):
            return merged[0]
        if strict is False and isinstance(true_structure, (list, tuple)) and \
                len(true_structure) == 1 and not hasattr(true_structure, "_fields"):
            return merged[0]
        return _pack(true_structure, merged)


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The first pair whose predicate holds runs (a chain of tf.cond); ``default`` otherwise.
    With ``exclusive=True``, more than one true predicate is an error at run time."""
    from . import math as math_ops
    pairs = list(pred_fn_pairs.items()) if isinstance(pred_fn_pairs, dict) else \
        list(pred_fn_pairs)
    if not pairs and default is None:
        raise ValueError("case needs at least one (predicate, fn) pair or a default")
    with graph_mod.name_scope(name, "case", [p for p, _ in pairs]):
        result = default
        if result is None:
            result = pairs[-1][1]
            pairs = pairs[:-1]
        for predicate, fn in reversed(pairs):
            result = (lambda p, f, rest: lambda: cond(p, f, rest))(predicate, fn, result)
        if exclusive and len(pairs) > 1:
            count = math_ops.add_n([math_ops.cast(p, dtypes.int32) for p, _ in pairs])
            check = _assert_at_most_one(count)
            with graph_mod.control_dependencies([check]):
                return result()
        return result()


AssertAtMostOne = defop(
    "AssertAtMostOne", shape=lambda count: [],
    ref=lambda count: _raise_if(count > 1, "Input error: exclusive=True: more than 1 "
                                           "conditions (%d) evaluated as True" % count),
    stateful=True, grad=NOT_DIFFERENTIABLE)


def _raise_if(condition, message):
    if condition:
        raise errors.InvalidArgumentError(None, None, message)


def _assert_at_most_one(count):
    return AssertAtMostOne(count, name="Assert")




# -- tf.while_loop: cond and body traced into function graphs, run by one While op ------------------
class FuncGraph(graph_mod.Graph):
    """A graph traced from a Python function. Outer tensors it uses become its own
    placeholders (``captures``), fed at run time with the outer values (or variable handles)."""

    def __init__(self, name, outer):
        super().__init__()
        self.name = name
        self.outer = outer
        self.seed = outer.seed
        # Ops traced here are named as TF1 names a loop body's ops: under the loop's scope.
        self._name_stack = outer.get_name_scope()
        self.inputs, self.outputs = [], []
        self.captures = []  # (outer tensor, inner placeholder)
        self._captured = {}
        self.gradient_function = None  # a _BodyGradient, built by the loop's first gradient

    @property
    def building_function(self):
        return True

    def _capture(self, inputs):
        return [self._captured_placeholder(t) if t.graph is not self else t for t in inputs]

    def _captured_placeholder(self, tensor):
        if tensor.graph is not self.outer and isinstance(tensor.graph, FuncGraph):
            tensor = tensor.graph.outer_value(tensor)
        if tensor not in self._captured:
            from .array import Placeholder
            with self.as_default(), self.name_scope(None), self.control_dependencies(None):
                inner = Placeholder(name="capture", dtype=tensor.dtype, shape=tensor.shape)
            self._captured[tensor] = inner
            self.captures.append((tensor, inner))
        return self._captured[tensor]

    @property
    def variable_graph(self):
        """Where variables created while tracing go: TF1 builds a loop body in the graph that
        holds the loop, so a variable made in the body (an RNN cell's kernel) is an ordinary
        variable of that graph, which the body then reads as a captured tensor."""
        return getattr(self.outer, "variable_graph", self.outer)

    def outer_value(self, tensor):
        for outer, inner in self.captures:
            if inner is tensor:
                return outer
        raise ValueError("%s is internal to the loop function %s and cannot be used outside "
                         "it" % (tensor.name, self.name))


def _trace(name, fn, arg_specs, outer):
    from .array import Placeholder
    graph = FuncGraph(name, outer)
    with graph.as_default():
        graph.inputs = [Placeholder(name="loop_var", dtype=dtype, shape=shape)
                        for shape, dtype in arg_specs]
        result = fn(*graph.inputs)
    return graph, result


class LoopRecord:
    """What one run of a While op keeps for its gradient, as TF1 keeps forward values on
    stacks: per iteration, the values of the body tensors that body's gradient reads (random
    draws included), in the order of ``_BodyGradient.saved``. It is the While op's last output,
    so it belongs to the run that made it: concurrent runs never see each other's."""

    __slots__ = ("iterations",)

    def __init__(self, iterations):
        self.iterations = iterations

    def __repr__(self):
        return "<LoopRecord of %d iterations>" % len(self.iterations)


def _while_shape(*inputs, functions, n_vars, invariants, maximum_iterations, record=True):
    return [Spec(shape, t.dtype.base_dtype) for shape, t in zip(invariants, inputs[:n_vars])] + \
        [Spec([], dtypes.variant)]  # the LoopRecord


def _while_ref(compiled, recording_body, *inputs, functions, n_vars, invariants,
               maximum_iterations, record=True):
    """``recording_body`` (None unless a gradient in this plan reads the record, see
    ``recording_function``) is body that also returns the values its gradient reads."""
    run_cond, run_body = compiled
    cond_graph, body_graph = functions
    values = list(inputs[:n_vars])
    cond_captures = list(inputs[n_vars:n_vars + len(cond_graph.captures)])
    body_captures = list(inputs[n_vars + len(cond_graph.captures):])
    kept = None if recording_body is None else []
    iterations = 0
    while maximum_iterations < 0 or iterations < maximum_iterations:
        if not bool(run_cond(values + cond_captures)[0]):
            break
        if kept is None:
            values = run_body(values + body_captures)
        else:
            results = recording_body(values + body_captures)
            values = results[:n_vars]
            kept.append(tuple(results[n_vars:]))
        for value, shape, name in zip(values, invariants, body_graph.input_names):
            if not shape.is_compatible_with(np.shape(value)):
                raise errors.InvalidArgumentError(
                    None, None, "Loop variable %s has shape %s after %d iterations, which does "
                    "not fit its shape invariant %s" % (name, np.shape(value), iterations + 1,
                                                       shape))
        iterations += 1
    return tuple(values) + (None if kept is None else LoopRecord(kept),)


def recording_function(attrs):
    """(body graph, the body tensors to keep per iteration) for a While node whose record a
    gradient reads, else None: the session compiles that body with those extra fetches."""
    if not attrs.get("record", True):
        return None
    body_graph = attrs["functions"][1]
    backward = body_graph.gradient_function
    if backward is None:  # nothing differentiates this loop, so nothing reads its record
        return None
    return body_graph, backward.saved


class _BodyGradient:
    """Body's vector-Jacobian product as a function the session compiles like body itself:
    (the saved body tensors, body captures, gradients of body's differentiable outputs) ->
    (gradients of those loop vars, gradients of the differentiable captures). Its ops live in
    body's graph and are named after it, so it reads the same variables.

    ``saved`` are the body tensors (loop vars included, captures not) that the gradient reads:
    the forward While keeps their values per iteration (``LoopRecord``) and they are fed here,
    so the backward pass sees exactly what the forward pass computed and drew, never a
    recomputation (which would draw new random numbers or repeat assignments)."""

    def __init__(self, body_graph):
        from .. import autodiff
        from . import array as array_ops
        from .array import Placeholder
        self.name = body_graph.name
        self.captures = []
        capture_inputs = [inner for _, inner in body_graph.captures]
        self.var_mask = [_differentiable(t) for t in body_graph.inputs]
        self.capture_mask = [_differentiable(t) for t in capture_inputs]
        var_outputs = [t for t, d in zip(body_graph.outputs, self.var_mask) if d]
        xs = [t for t, d in zip(body_graph.inputs, self.var_mask) if d] + \
            [t for t, d in zip(capture_inputs, self.capture_mask) if d]
        forward_ops = set(body_graph.get_operations())
        with body_graph.as_default(), body_graph.name_scope("while_grad"), \
                body_graph.control_dependencies(None):
            upstream = [Placeholder(name="grad_in", dtype=t.dtype.base_dtype, shape=None)
                        for t in var_outputs]
            grads = autodiff.gradients(var_outputs, xs, grad_ys=upstream) if xs else []
            self.outputs = [g if g is not None else array_ops.zeros_like(x)
                            for g, x in zip(grads, xs)]
        self.saved = _forward_tensors_read(self.outputs, forward_ops, set(capture_inputs))
        self.inputs = self.saved + capture_inputs + upstream


def _forward_tensors_read(outputs, forward_ops, captures):
    """The tensors of ``forward_ops`` that the ops computing ``outputs`` read (leaving out
    ``captures``, which are fed as they are), in graph order."""
    found, seen_ops = set(), set()
    stack = list(outputs)
    while stack:
        tensor = stack.pop()
        if tensor.op in forward_ops:
            if tensor not in captures:
                found.add(tensor)
            continue
        if tensor.op in seen_ops:
            continue
        seen_ops.add(tensor.op)
        stack.extend(tensor.op.inputs)
    return sorted(found, key=lambda t: (t.op._id, t.value_index))


def _differentiable(tensor):
    dtype = tensor.dtype.base_dtype
    return dtype.is_floating or dtype.is_complex or dtype == dtypes.variant


def _while_grad(op, *grads):
    body_graph = op.get_attr("functions")[1]
    n_vars = op.get_attr("n_vars")
    backward = body_graph.gradient_function
    if backward is None:
        backward = body_graph.gradient_function = _BodyGradient(body_graph)
    upstream = [g for g, d in zip(grads[:n_vars], backward.var_mask) if d]
    n_cond = len(op.get_attr("functions")[0].captures)
    loop_vars = op.inputs[:n_vars]
    body_captures = op.inputs[n_vars + n_cond:]
    results = WhileGrad(op.outputs[n_vars], *loop_vars, *body_captures, *upstream,
                        name="WhileGrad", functions=(backward,), n_vars=n_vars,
                        n_body_captures=len(body_captures))
    results = iter(results if isinstance(results, tuple) else [results])
    var_grads = [next(results) if d else None for d in backward.var_mask]
    capture_grads = [next(results) if d else None for d in backward.capture_mask]
    return var_grads + [None] * n_cond + capture_grads


def _while_grad_shape(record, *inputs, functions, n_vars, n_body_captures):
    backward = functions[0]
    loop_vars = inputs[:n_vars]
    body_captures = inputs[n_vars:n_vars + n_body_captures]
    return [Spec(t.shape, t.dtype.base_dtype)
            for t, d in zip(loop_vars, backward.var_mask) if d] + \
        [Spec(t.shape, t.dtype.base_dtype)
         for t, d in zip(body_captures, backward.capture_mask) if d]


def _while_grad_ref(compiled, record, *inputs, functions, n_vars, n_body_captures):
    """Feeds the output gradients back through body's vector-Jacobian product from the last
    iteration to the first, each with the values its forward iteration kept in ``record``,
    summing what each iteration contributes to the captured tensors."""
    run_backward, = compiled
    backward = functions[0]
    if record is None:
        raise errors.InternalError(None, None, "the While op this gradient belongs to kept no "
                                   "record of its iterations")
    initial_values = inputs[:n_vars]
    body_captures = list(inputs[n_vars:n_vars + n_body_captures])
    var_grads = list(inputs[n_vars + n_body_captures:])
    n_var_grads = len(var_grads)
    capture_grads = [_zero_gradient(_dereferenced(c))
                     for c, d in zip(body_captures, backward.capture_mask) if d]
    for saved in reversed(record.iterations):
        outputs = run_backward(list(saved) + body_captures + var_grads)
        var_grads = list(outputs[:n_var_grads])
        capture_grads = [_add_gradients(total, g) for total, g in
                         zip(capture_grads, outputs[n_var_grads:])]
    results = [_as_dtype_of(g, _dereferenced(v))
               for g, v in zip(var_grads, [v for v, d in zip(initial_values,
                                                             backward.var_mask) if d])]
    results += capture_grads
    return tuple(results) if len(results) != 1 else results[0]


def _zero_gradient(value):
    from .tensor_array import TensorListValue
    if isinstance(value, TensorListValue):
        return TensorListValue((), True)  # a gradient list with no elements: all zeros
    return np.zeros_like(value)


def _add_gradients(total, grad):
    from .tensor_array import TensorListValue, add_list_values
    if isinstance(total, TensorListValue) or isinstance(grad, TensorListValue):
        return add_list_values(total, grad)
    return total + np.asarray(grad)


def _as_dtype_of(grad, value):
    from .tensor_array import TensorListValue, as_list_value
    if isinstance(value, TensorListValue):
        return as_list_value(grad)
    return np.asarray(grad).astype(np.asarray(value).dtype, copy=False)


def _dereferenced(value):
    """A variable handle's current value; any other value as it is."""
    return value.value() if hasattr(value, "value") and callable(value.value) else value


# Inputs pass as While passes them (handles stay handles), so the gradient reads captured
# variables as body did.
WhileGrad = defop("WhileGrad", shape=_while_grad_shape, ref=_while_grad_ref,
                  needs=("compiled",), stateful=True, ref_inputs=ALL_INPUTS,
                  grad=NOT_DIFFERENTIABLE)


# Every input may be a variable reference the body assigns to: pass handles, not values.
# ``record`` is cleared by the compiler (passes/loop_records.py) where no gradient reads it.
While = defop("While", shape=_while_shape, ref=_while_ref,
              needs=("compiled", "recording_body"), stateful=True, ref_inputs=ALL_INPUTS,
              grad=_while_grad)


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, name=None, maximum_iterations=None,
               return_same_structure=False):
    """Repeats ``body`` while ``cond`` holds, as TF1's tf.while_loop: ``cond(*vars)`` gives a
    scalar bool, ``body(*vars)`` the next vars (same structure, dtypes and shape invariants)."""
    from .convert import constant_value
    if not callable(cond) or not callable(body):
        raise TypeError("cond and body must be callable")
    if _executing_eagerly():
        return _eager_while_loop(cond, body, loop_vars, maximum_iterations)
    single = not isinstance(loop_vars, (list, tuple))
    structure = [loop_vars] if single else loop_vars
    with graph_mod.name_scope(name, "while", _flatten(structure)) as scope:
        leaves = _flatten(structure)
        flat = [_loop_tensor(v) for v in leaves]
        graph = flat[0].graph if flat else graph_mod.get_default_graph()
        if shape_invariants is None:
            invariants = [t.shape for t in flat]
        else:
            invariants = [tensor_shape.as_shape(s) for s in _flatten(
                [shape_invariants] if single else shape_invariants)]
        for t, inv in zip(flat, invariants):
            if not inv.is_compatible_with(t.shape):
                raise ValueError("The shape invariant specified for %s is not compatible with "
                                 "the initial shape of the loop variable. It enters the loop "
                                 "with shape %s, but the specified shape invariant is %s."
                                 % (t.name, t.shape, inv))
        specs = [(inv, t.dtype.base_dtype) for inv, t in zip(invariants, flat)]

        def unflat(fn):
            return lambda *args: fn(*_args(_pack(structure, _like_leaves(leaves, args)),
                                           single))

        cond_graph, cond_out = _trace(scope + "cond", unflat(cond), specs, graph)
        body_graph, body_out = _trace(scope + "body", unflat(body), specs, graph)
        cond_graph.outputs = [_as_inner(cond_graph, cond_out, dtypes.bool)]
        body_flat = _flatten([body_out] if single else body_out)
        if len(body_flat) != len(flat):
            raise ValueError("The two structures don't have the same number of elements: body "
                             "returned %d values for %d loop variables" % (len(body_flat),
                                                                           len(flat)))
        body_graph.outputs = [_as_inner(body_graph, _unwrapped(v), t.dtype.base_dtype)
                              for v, t in zip(body_flat, flat)]
        body_graph.input_names = [t.name for t in flat]
        for t, out, inv in zip(flat, body_graph.outputs, invariants):
            if not inv.is_compatible_with(out.shape):
                raise ValueError(
                    "Input tensor '%s' enters the loop with shape %s, but has shape %s after one "
                    "iteration. To allow the shape to vary across iterations, use the "
                    "`shape_invariants` argument of tf.while_loop to specify a less-specific "
                    "shape." % (t.name, inv, out.shape))
        limit = -1
        if maximum_iterations is not None:
            limit = constant_value(convert_to_tensor(maximum_iterations))
            if limit is None:
                raise ValueError("maximum_iterations must be known when the loop is built "
                                 "(a Python int or a constant tensor)")
            limit = int(limit)
        captured = [outer for outer, _ in cond_graph.captures] + \
            [outer for outer, _ in body_graph.captures]
        outputs = While(*flat, *captured, name="While", functions=(cond_graph, body_graph),
                        n_vars=len(flat), invariants=tuple(invariants),
                        maximum_iterations=limit)
        outputs = list(outputs[:len(flat)])  # the last output is the LoopRecord
        if not back_prop:  # TF1 records nothing to differentiate the loop by
            from .array import stop_gradient
            outputs = [stop_gradient(t) if _differentiable(t) else t for t in outputs]
        outputs = _like_leaves(leaves, outputs)
        if single or (len(outputs) == 1 and not return_same_structure):
            return outputs[0]
        # TF1 packs the results like body's return value, so a tuple of loop_vars whose body
        # returns a list comes back as a list (and the other way round).
        if type(body_out) in (list, tuple) and type(structure) in (list, tuple) and \
                len(body_out) == len(structure):
            structure = type(body_out)(structure)
        return _pack(structure, outputs)


def _unwrapped(leaf):
    """A TensorArray travels through the loop as its list value."""
    from .tensor_array import TensorArray
    return leaf.flow if isinstance(leaf, TensorArray) else leaf


def _loop_tensor(leaf):
    return convert_to_tensor(_unwrapped(leaf))


def _like_leaves(leaves, tensors):
    """The loop's tensors as the caller gave the loop variables: TensorArrays where TensorArrays
    went in (sharing what they learn of their element shape)."""
    from .tensor_array import TensorArray
    return [leaf._with_flow(t) if isinstance(leaf, TensorArray) else t
            for leaf, t in zip(leaves, tensors)]


def _args(packed, single):
    return [packed[0]] if single else list(packed)


def _as_inner(graph, value, dtype):
    from . import array as array_ops
    with graph.as_default():
        tensor = convert_to_tensor(value, dtype=dtype)
        if tensor.graph is not graph:
            tensor = array_ops.identity(tensor)
        return tensor
