"""``tf.make_template``: wraps a function so that every call shares the variables its first
call created (through ``tf.get_variable``) in one variable scope."""
import functools

from ..framework import graph as graph_mod
from ..framework.graph import GraphKeys
from . import variable_scope as vs


class Template:
    """A function whose first call creates its variables in a fresh variable scope (named
    after ``name``, made unique) and whose later calls reuse them."""

    def __init__(self, name, func, create_scope_now=False, unique_name=None,
                 custom_getter=None):
        self._name = name
        self._func = func
        self._unique_name = unique_name
        self._custom_getter = custom_getter
        self._variables_created = False
        self._variable_scope = None
        if create_scope_now:
            with vs.variable_scope(self._unique_name, self._name,
                                   custom_getter=self._custom_getter) as scope:
                self._variable_scope = scope

    def _call_func(self, args, kwargs):
        graph = graph_mod.get_default_graph()
        trainable_before = len(graph.get_collection(GraphKeys.TRAINABLE_VARIABLES))
        result = self._func(*args, **kwargs)
        if self._variables_created:
            trainable = graph.get_collection(GraphKeys.TRAINABLE_VARIABLES)
            if len(trainable) != trainable_before:
                raise ValueError("Trainable variable created when calling a template after the "
                                 "first time, perhaps you used tf.Variable when you meant "
                                 "tf.get_variable: %s" % (trainable[trainable_before:],))
        else:
            self._variables_created = True
        return result

    def __call__(self, *args, **kwargs):
        if self._variable_scope is not None:
            # Reuse only once the first call has created the variables.
            with vs.variable_scope(self._variable_scope, reuse=self._variables_created or None):
                return self._call_func(args, kwargs)
        with vs.variable_scope(self._unique_name, self._name,
                               custom_getter=self._custom_getter) as scope:
            self._variable_scope = scope
            return self._call_func(args, kwargs)

    @property
    def name(self):
        return self._name

    @property
    def func(self):
        return self._func

    @property
    def variable_scope(self):
        return self._variable_scope

    @property
    def variable_scope_name(self):
        if self._variable_scope is None:
            return None
        name = self._variable_scope.name
        return name + "/" if name and not name.endswith("/") else name

    def _scoped(self, key):
        if self._variable_scope is None:
            return []
        return graph_mod.get_default_graph().get_collection(key, self.variable_scope_name)

    @property
    def variables(self):
        return self.global_variables + self.local_variables

    @property
    def trainable_variables(self):
        return self._scoped(GraphKeys.TRAINABLE_VARIABLES)

    @property
    def non_trainable_variables(self):
        trainable = set(id(v) for v in self.trainable_variables)
        return [v for v in self.global_variables if id(v) not in trainable]

    @property
    def global_variables(self):
        return self._scoped(GraphKeys.GLOBAL_VARIABLES)

    @property
    def local_variables(self):
        return self._scoped(GraphKeys.LOCAL_VARIABLES)

    @property
    def trainable_weights(self):
        return self.trainable_variables

    @property
    def non_trainable_weights(self):
        return self.non_trainable_variables

    @property
    def weights(self):
        return self.variables


def make_template(name_, func_, create_scope_now_=False, unique_name_=None,
                  custom_getter_=None, **kwargs):
    """``func_`` (with ``kwargs`` bound) as a Template sharing its variables across calls."""
    if kwargs:
        func_ = functools.partial(func_, **kwargs)
    return Template(name_, func_, create_scope_now=create_scope_now_, unique_name=unique_name_,
                    custom_getter=custom_getter_)
