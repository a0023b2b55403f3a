"""``tf.train.Optimizer``: TF1's base class, with its protected hooks for subclasses.

``minimize`` = ``compute_gradients`` (symbolic, via tf.gradients) + ``apply_gradients``, which
creates the slots, then one update op per variable under ``<Name>/update_<var>/`` and groups them
into the op named ``<Name>`` (or, with a global step, an AssignAdd of that name that runs after
them). Subclasses define ``_create_slots``, ``_prepare``, ``_apply_dense`` and ``_finish`` and
build slots with ``_zeros_slot`` / ``_get_or_make_slot*`` exactly as TF1 subclasses do, so user
optimizers written against TF1 run unchanged.
"""
from .. import autodiff
from ..framework import dtypes, graph as graph_mod
from ..framework.graph import GraphKeys, Tensor
from ..ops import state as state_ops
from ..ops import training_ops
from ..ops.array import concat
from ..ops.convert import convert_to_tensor
from . import slot_creator


_FLOAT_TYPES = [dtypes.float32, dtypes.float64, dtypes.float16] + (
    [dtypes.bfloat16] if hasattr(dtypes, "bfloat16") else [])


def _var_key(var):
    """Slots are keyed by the variable's graph and op name, as TF keys them; eager variables
    (whose names need not be unique) by identity, as TF keys them eagerly."""
    unique_id = getattr(var, "_unique_id", None)
    return unique_id if unique_id is not None else (var.op.graph, var.op.name)


def _check_gradient(g):
    try:
        g = convert_to_tensor(g)
    except (TypeError, ValueError):
        raise TypeError("Gradient must be convertible to a Tensor or IndexedSlices, or None: %s"
                        % (g,)) from None
    return g


class Optimizer:
    GATE_NONE = 0
    GATE_OP = 1
    GATE_GRAPH = 2

    def __init__(self, use_locking, name):
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._slots = {}  # slot name -> {_var_key(var): slot variable}
        self._non_slot_dict = {}  # (name, graph) -> variable
        self._rows_being_updated = None  # set by _update_op, read by _kernel

    def get_name(self):
        return self._name

    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=GATE_OP,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None,
                 grad_loss=None):
        grads_and_vars = self.compute_gradients(
            loss, var_list=var_list, gate_gradients=gate_gradients,
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops, grad_loss=grad_loss)
        vars_with_grad = [v for g, v in grads_and_vars if g is not None]
        if not vars_with_grad:
            raise ValueError(
                "No gradients provided for any variable, check your graph for ops that do not "
                "support gradients, between variables %s and loss %s."
                % ([str(v) for _, v in grads_and_vars], loss))
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(self, loss, var_list=None, gate_gradients=GATE_OP,
                          aggregation_method=None, colocate_gradients_with_ops=False,
                          grad_loss=None):
        if graph_mod.get_default_graph().executes_eagerly:  # a GradientTape, graphflow/eager.py
            from .. import eager
            return eager.compute_gradients(loss, var_list, grad_loss)
        if callable(loss):
            loss = loss()
        if gate_gradients not in (Optimizer.GATE_NONE, Optimizer.GATE_OP,
                                  Optimizer.GATE_GRAPH):
            raise ValueError("gate_gradients must be one of: Optimizer.GATE_NONE, "
                             "Optimizer.GATE_OP, Optimizer.GATE_GRAPH.  Not %s"
                             % gate_gradients)
        self._assert_valid_dtypes([loss])
        if grad_loss is not None:
            self._assert_valid_dtypes([grad_loss])
        if var_list is None:
            var_list = (graph_mod.get_collection(GraphKeys.TRAINABLE_VARIABLES) +
                        graph_mod.get_collection(GraphKeys.TRAINABLE_RESOURCE_VARIABLES))
        else:
            var_list = _flatten(var_list)
        for v in var_list:
            _check_optimizable(v)
        if not var_list:
            raise ValueError("No variables to optimize.")
        targets = [v if isinstance(v, Tensor) else v._ref() for v in var_list]
        grads = autodiff.gradients(
            loss, targets, grad_ys=grad_loss, gate_gradients=gate_gradients == self.GATE_OP,
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops)
        if gate_gradients == Optimizer.GATE_GRAPH:
            grads = state_ops.tuple_(grads)
        grads_and_vars = list(zip(grads, var_list))
        self._assert_valid_dtypes([v for g, v in grads_and_vars if g is not None])
        return grads_and_vars

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        grads_and_vars = tuple(grads_and_vars)  # a generator must survive two passes
        if not grads_and_vars:
            raise ValueError("No variables provided.")
        converted = []
        for g, v in grads_and_vars:
            if g is not None:
                g = _check_gradient(g)
            _check_optimizable(v)
            converted.append((g, v))
        var_list = [v for g, v in converted if g is not None]
        if not var_list:
            raise ValueError("No gradients provided for any variable: %s."
                             % ([str(v) for _, v in converted],))
        graph = var_list[0].graph
        # Slots are created outside any control-dependency context, as TF's init_scope does.
        with graph.as_default(), graph.control_dependencies(None):
            self._create_slots(var_list)
        update_ops = []
        with graph.as_default(), graph_mod.name_scope(name, self._name) as scope:
            self._prepare()
            for grad, var in converted:
                if grad is None:
                    continue
                with graph_mod.name_scope("update_" + var.op.name):
                    update_ops.append(self._update_op(grad, var))
            if global_step is None:
                apply_updates = self._finish(update_ops, scope)
            else:
                with graph_mod.control_dependencies([self._finish(update_ops, "update")]):
                    apply_updates = state_ops.assign_add(global_step, 1, name=scope)
            if graph.executes_eagerly:  # the updates ran as they were built
                return None
            if isinstance(apply_updates, Tensor):
                apply_updates = apply_updates.op
            train_ops = graph.get_collection_ref(GraphKeys.TRAIN_OP)
            if apply_updates not in train_ops:
                train_ops.append(apply_updates)
            return apply_updates

    def _update_op(self, grad, var):
        if isinstance(var, Tensor):
            raise NotImplementedError("Trying to update a Tensor ", var)
        # An embedding's gradient is an IndexedSlices in TF, and most optimizers' sparse kernels
        # then leave the rows no id looked up (and their slots) alone; a dense update would
        # decay their momentum or apply regularization to them.
        self._rows_being_updated = looked_up_rows(grad)
        try:
            update_op = self._apply_dense(grad, var)
        finally:
            self._rows_being_updated = None
        if var.constraint is None:
            return update_op
        with graph_mod.control_dependencies([update_op]):
            # TF hands the variable itself, whose read aliases the updated buffer; here reads
            # are snapshots, so the constraint gets a read taken after the update.
            return var.assign(var.constraint(var.read_value()))

    def _kernel(self, dense_update):
        """The update op to build: ``dense_update`` (an Apply* record), or its rows-only form
        while an embedding's gradient is applied."""
        rows = getattr(self, "_rows_being_updated", None)
        row_update = training_ops.ROW_UPDATES.get(dense_update)
        if rows is None or row_update is None:
            return dense_update
        return lambda *inputs, **attrs: row_update(*inputs, rows, **attrs)

    # -- slots ----------------------------------------------------------------------------------
    def get_slot(self, var, name):
        named_slots = self._slots.get(name)
        if not named_slots:
            return None
        return named_slots.get(_var_key(var))

    def get_slot_names(self):
        return sorted(self._slots)

    def variables(self):
        """Slot and non-slot variables of the current default graph, sorted by name."""
        graph = graph_mod.get_default_graph()
        found = [v for v in self._non_slot_variables() if v.graph is graph]
        for slots in self._slots.values():
            found.extend(v for v in slots.values() if v.graph is graph)
        return sorted(found, key=lambda v: v.name)

    def _slot_dict(self, slot_name):
        return self._slots.setdefault(slot_name, {})

    def _get_or_make_slot(self, var, val, slot_name, op_name):
        named_slots = self._slot_dict(slot_name)
        if _var_key(var) not in named_slots:
            named_slots[_var_key(var)] = slot_creator.create_slot(var, val, op_name)
        return named_slots[_var_key(var)]

    def _get_or_make_slot_with_initializer(self, var, initializer, shape, dtype, slot_name,
                                           op_name):
        named_slots = self._slot_dict(slot_name)
        if _var_key(var) not in named_slots:
            named_slots[_var_key(var)] = slot_creator.create_slot_with_initializer(
                var, initializer, shape, dtype, op_name)
        return named_slots[_var_key(var)]

    def _zeros_slot(self, var, slot_name, op_name):
        named_slots = self._slot_dict(slot_name)
        if _var_key(var) not in named_slots:
            named_slots[_var_key(var)] = slot_creator.create_zeros_slot(var, op_name)
        return named_slots[_var_key(var)]

    def _create_non_slot_variable(self, initial_value, name, colocate_with):
        """One variable per (name, graph), named in the caller's name and variable scopes."""
        graph = colocate_with.graph
        key = (name, _state_owner(graph))
        v = self._non_slot_dict.get(key)
        if v is None:
            with graph.as_default():
                v = state_ops.Variable(initial_value, name=name, trainable=False)
            self._non_slot_dict[key] = v
        return v

    def _get_non_slot_variable(self, name, graph=None):
        return self._non_slot_dict.get((name, _state_owner(graph or
                                                          graph_mod.get_default_graph())))

    def _non_slot_variables(self):
        return self._non_slot_dict.values()

    # -- what subclasses define ---------------------------------------------------------------
    def _create_slots(self, var_list):
        pass

    def _prepare(self):
        pass

    def _apply_dense(self, grad, var):
        raise NotImplementedError()

    def _resource_apply_dense(self, grad, handle):
        raise NotImplementedError()

    def _apply_sparse(self, grad, var):
        raise NotImplementedError()

    def _finish(self, update_ops, name_scope):
        return state_ops.group(*update_ops, name=name_scope)

    def _valid_dtypes(self):
        return set(_FLOAT_TYPES)

    def _assert_valid_dtypes(self, tensors):
        valid = self._valid_dtypes()
        for t in tensors:
            dtype = t.dtype.base_dtype
            if dtype not in valid:
                raise ValueError("Invalid type %r for %s, expected: [%s]." % (
                    dtype, t.name, ", ".join(repr(d) for d in _FLOAT_TYPES if d in valid)))

    def _call_if_callable(self, param):
        return param() if callable(param) else param


def _state_owner(graph):
    """The graph whose variables hold an optimizer's state: a graphflow.function trace keeps
    its state in eager variables, shared with eager steps."""
    return getattr(graph, "state_owner", graph)


def _flatten(values):
    if isinstance(values, (list, tuple)):
        return [x for v in values for x in _flatten(v)]
    if isinstance(values, dict):
        return [x for k in sorted(values) for x in _flatten(values[k])]
    return [values]


def _check_optimizable(v):
    if not isinstance(v, (state_ops.Variable, Tensor)):
        raise NotImplementedError("Trying to optimize unsupported type ", v)


def looked_up_rows(grad):
    """The row ids behind a gradient that is a gather's scatter-sum (an embedding lookup's),
    or a sum of such, seen through identities; None for any other gradient."""
    op = grad.op
    while op.type == "Identity":
        op = op.inputs[0].op
    rows = getattr(op, "gathered_rows", None)
    if rows is not None:
        return rows
    if op.type == "AddN":
        parts = [looked_up_rows(t) for t in op.inputs]
        if all(p is not None for p in parts):
            return concat(parts, 0)
    return None
