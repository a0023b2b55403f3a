"""``tf.train.ExponentialMovingAverage`` and ``assign_moving_average``.

A shadow variable per averaged value, named ``<var>/<ema name>`` like an optimizer slot (and
uniquified the same way), starts at the variable's value; each run of the op ``apply`` returns
moves it by ``(shadow - value) * (1 - decay)``. Averages of plain tensors start at zero and,
with ``zero_debias``, are divided by ``1 - decay^t`` using two more variables, ``biased`` and
``local_step``, under ``<shadow>/``.
"""
from .. import initializers
from ..framework import dtypes, graph as graph_mod
from ..framework.graph import GraphKeys
from ..ops import math as math_ops
from ..ops import state as state_ops
from ..ops import variable_scope
from ..ops.convert import convert_to_tensor
from . import slot_creator

_AVERAGED_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64) + (
    (dtypes.bfloat16,) if hasattr(dtypes, "bfloat16") else ())


def assign_moving_average(variable, value, decay, zero_debias=True, name=None):
    """``variable -= (variable - value) * (1 - decay)``; returns the updated value."""
    with graph_mod.name_scope(name, "AssignMovingAvg", [variable, value, decay]) as scope:
        one_minus_decay = convert_to_tensor(1.0 - decay, name="decay")
        if one_minus_decay.dtype.base_dtype != variable.dtype.base_dtype:
            one_minus_decay = math_ops.cast(one_minus_decay, variable.dtype.base_dtype)
        if zero_debias:
            return _zero_debias(variable, value, one_minus_decay)
        return state_ops.assign_sub(variable, (variable - value) * one_minus_decay, name=scope)


def _unique_in_scope(name):
    """``name``, or ``name_<n>`` when the enclosing variable scope already holds a variable of
    that name (a second debiased average of the same shadow), unless the scope reuses."""
    scope = variable_scope.get_variable_scope()
    if scope.reuse:
        return name
    taken = {v.op.name for v in graph_mod.get_collection(GraphKeys.GLOBAL_VARIABLES)}
    full_name = (scope.name + "/" if scope.name else "") + name
    if full_name not in taken:
        return name
    index = 1
    while "%s_%d" % (full_name, index) in taken:
        index += 1
    return "%s_%d" % (name, index)


def _zero_debias(unbiased_var, value, one_minus_decay):
    dtype = unbiased_var.dtype.base_dtype
    with variable_scope.variable_scope(unbiased_var.op.name,
                                       values=[unbiased_var, value, one_minus_decay]):
        with graph_mod.control_dependencies(None):
            biased_var = variable_scope.get_variable(
                _unique_in_scope("biased"), initializer=initializers.zeros_initializer(),
                shape=unbiased_var.get_shape(), dtype=dtype, trainable=False)
            local_step = variable_scope.get_variable(
                _unique_in_scope("local_step"), shape=[], dtype=dtype,
                initializer=initializers.zeros_initializer(), trainable=False)
    update_biased = state_ops.assign_sub(biased_var, (biased_var - value) * one_minus_decay)
    update_local_step = local_step.assign_add(1)
    bias_factor = 1 - math_ops.pow(1.0 - one_minus_decay, update_local_step)
    return state_ops.assign(unbiased_var, update_biased / bias_factor,
                            name=graph_mod.get_default_graph().get_name_scope() + "/")


class ExponentialMovingAverage:
    """Shadow variables that follow variables (or tensors) with an exponential decay; with
    ``num_updates`` the decay is ``min(decay, (1 + num_updates) / (10 + num_updates))``."""

    def __init__(self, decay, num_updates=None, zero_debias=False,
                 name="ExponentialMovingAverage"):
        self._decay = decay
        self._num_updates = num_updates
        self._zero_debias = zero_debias
        self._name = name
        self._averages = {}  # id(averaged) -> (averaged, shadow): tensors need not hash

    @property
    def name(self):
        return self._name

    def apply(self, var_list=None):
        if var_list is None:
            var_list = state_ops.trainable_variables()
        var_list = list(var_list)
        debiased = set()
        for var in var_list:
            if var.dtype.base_dtype not in _AVERAGED_DTYPES:
                raise TypeError("The variables must be half, float, or double: %s" % var.name)
            if id(var) in self._averages:
                continue
            graph = var.graph
            # Shadows are created outside any control-dependency context, as TF's init_scope.
            with graph.as_default(), graph.control_dependencies(None):
                if isinstance(var, state_ops.Variable):
                    shadow = slot_creator.create_slot(var, var.initialized_value(), self._name)
                    graph.add_to_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, var)
                else:
                    shadow = slot_creator.create_zeros_slot(var, self._name)
                    if self._zero_debias:
                        debiased.add(id(shadow))
            self._averages[id(var)] = (var, shadow)
        with graph_mod.name_scope(self._name) as scope:
            decay = convert_to_tensor(self._decay, dtype=dtypes.float32, name="decay")
            if self._num_updates is not None:
                num_updates = math_ops.cast(self._num_updates, dtypes.float32,
                                            name="num_updates")
                decay = math_ops.minimum(decay, (1.0 + num_updates) / (10.0 + num_updates))
            updates = []
            for var in var_list:
                shadow = self._averages[id(var)][1]
                updates.append(assign_moving_average(shadow, var, decay,
                                                     zero_debias=id(shadow) in debiased))
            return state_ops.group(*updates, name=scope)

    def average(self, var):
        """The shadow variable of ``var``, or None when ``var`` is not averaged."""
        entry = self._averages.get(id(var))
        return entry[1] if entry is not None else None

    def average_name(self, var):
        """The name of ``var``'s shadow variable: the one created, or the one ``apply`` would
        create now (what a Saver restoring averages maps from)."""
        shadow = self.average(var)
        if shadow is not None:
            return shadow.op.name
        return graph_mod.get_default_graph().unique_name(var.op.name + "/" + self._name,
                                                         mark_as_used=False)

    def variables_to_restore(self, moving_avg_variables=None):
        """{checkpoint name: variable}: averaged variables restore from their shadows' names,
        every other global variable from its own."""
        if moving_avg_variables is None:
            moving_avg_variables = (state_ops.trainable_variables() +
                                    state_ops.moving_average_variables())
        unique = {id(v): v for v in moving_avg_variables}
        name_map = {self.average_name(v): v for v in unique.values()}
        averaged_names = {v.name for v in unique.values()}
        for v in state_ops.global_variables():
            if v.name not in averaged_names and v.op.name not in name_map:
                name_map[v.op.name] = v
        return name_map
