"""``tf.variable_scope`` and ``tf.get_variable``: variables named by scope, shared by reuse.

Variable names depend only on variable scopes; ops also get a name scope, which is made unique,
so re-entering ``variable_scope("foo")`` builds ops under ``foo_1/`` while its variables stay
``foo/w``. Each graph keeps two stores in ``graph._extras``: the variables created by
``get_variable`` (shared by every thread) and, per thread, the current scope with the counts that
make ``default_name`` scopes unique. The entry/exit rules follow TF1's ``variable_scope`` step by
step, since programs depend on their details (which name scope a re-entered scope opens, when
the counts of sub-scopes reset, which reuse a scope inherits).
"""
import enum
import functools
import inspect
import os
import threading
import traceback

from ..framework import dtypes, graph as graph_mod, tensor_shape
from ..framework.graph import GraphKeys
from .convert import convert_to_tensor
from .state import Variable

__all__ = ["variable_scope", "variable_op_scope", "get_variable", "get_local_variable",
           "get_variable_scope", "VariableScope", "AUTO_REUSE", "no_regularizer"]


class _ReuseMode(enum.Enum):
    """``reuse=tf.AUTO_REUSE``: get a variable if it exists, else create it."""
    AUTO_REUSE = 1


AUTO_REUSE = _ReuseMode.AUTO_REUSE


def no_regularizer(_):
    """Use in ``get_variable(..., regularizer=tf.no_regularizer)`` to skip a scope's one."""
    return None


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class _VariableStore:
    """name -> Variable for every variable ``get_variable`` created in one graph."""

    def __init__(self):
        self.vars = {}
        self.origins = {}  # name -> where user code created it, for the "already exists" error
        self.lock = threading.Lock()

    def get_variable(self, name, shape=None, dtype=dtypes.float32, initializer=None,
                     regularizer=None, reuse=None, trainable=None, collections=None,
                     caching_device=None, partitioner=None, validate_shape=True,
                     use_resource=None, custom_getter=None, constraint=None,
                     synchronization=None, aggregation=None):
        if custom_getter is not None and not callable(custom_getter):
            raise ValueError("Passed a custom_getter which is not callable: %s" % custom_getter)
        dtype = dtypes.as_dtype(dtype).base_dtype if dtype is not None else dtype

        def true_getter(name, shape=None, dtype=dtypes.float32, initializer=None,
                        regularizer=None, reuse=None, trainable=None, collections=None,
                        caching_device=None, partitioner=None, validate_shape=True,
                        use_resource=None, constraint=None, synchronization=None,
                        aggregation=None):
            is_scalar = isinstance(shape, (list, tuple)) and not shape
            if partitioner is not None and not is_scalar:
                raise ValueError("Variable %s: graphflow does not partition variables (got "
                                 "partitioner=%r). Create it with partitioner=None; a single "
                                 "variable of the full shape behaves the same in one process."
                                 % (name, partitioner))
            return self._get_single_variable(
                name, shape=shape, dtype=dtype, initializer=initializer,
                regularizer=regularizer, reuse=reuse, trainable=trainable,
                collections=collections, caching_device=caching_device,
                validate_shape=validate_shape, constraint=constraint)

        if custom_getter is None:
            return true_getter(name, shape=shape, dtype=dtype, initializer=initializer,
                               regularizer=regularizer, reuse=reuse, trainable=trainable,
                               collections=collections, caching_device=caching_device,
                               partitioner=partitioner, validate_shape=validate_shape,
                               use_resource=use_resource, constraint=constraint,
                               synchronization=synchronization, aggregation=aggregation)
        kwargs = dict(getter=true_getter, name=name, shape=shape, dtype=dtype,
                      initializer=initializer, regularizer=regularizer, reuse=reuse,
                      trainable=trainable, collections=collections,
                      caching_device=caching_device, partitioner=partitioner,
                      validate_shape=validate_shape, use_resource=use_resource,
                      synchronization=synchronization, aggregation=aggregation)
        # A custom getter written before ``constraint`` existed does not receive it.
        if _accepts(custom_getter, "constraint"):
            kwargs["constraint"] = constraint
        return custom_getter(**kwargs)

    def _get_single_variable(self, name, shape=None, dtype=dtypes.float32, initializer=None,
                             regularizer=None, reuse=None, trainable=None, collections=None,
                             caching_device=None, validate_shape=True, constraint=None):
        initializing_from_value = initializer is not None and not callable(initializer)
        if shape is not None and initializing_from_value:
            raise ValueError("If initializer is a constant, do not specify shape.")
        dtype = dtypes.as_dtype(dtype)
        if shape is not None:
            shape = tensor_shape.as_shape(shape)
        with self.lock:
            found = self.vars.get(name)
        if found is not None:
            if reuse is False:
                raise ValueError("Variable %s already exists, disallowed. Did you mean to set "
                                 "reuse=True or reuse=tf.AUTO_REUSE in VarScope? Originally "
                                 "defined at:\n\n%s" % (name, self.origins.get(name, "")))
            if shape is not None and not shape.is_compatible_with(found.get_shape()):
                raise ValueError("Trying to share variable %s, but specified shape %s and found "
                                 "shape %s." % (name, shape, found.get_shape()))
            if not dtype.is_compatible_with(found.dtype):
                raise ValueError("Trying to share variable %s, but specified dtype %s and found "
                                 "dtype %s." % (name, dtype.name, found.dtype.name))
            return found
        if reuse is True:
            raise ValueError("Variable %s does not exist, or was not created with "
                             "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in "
                             "VarScope?" % name)
        if initializer is None:
            if shape is None:
                raise ValueError("Variable %s did not get an initializer, so its `shape` "
                                 "argument must be specified." % name)
            initializer = _default_initializer(name, dtype)
        if initializing_from_value:
            init_val, variable_dtype = initializer, None
        else:
            if inspect.isclass(initializer):
                initializer = initializer()
            if shape is not None and shape.is_fully_defined():
                kwargs = {"dtype": dtype}
                if _accepts(initializer, "partition_info", named_only=True):
                    kwargs["partition_info"] = None
                init_val = functools.partial(initializer, shape.as_list(), **kwargs)
                variable_dtype = dtype.base_dtype
            elif _needs_no_arguments(initializer):
                init_val, variable_dtype = initializer, None
            else:
                raise ValueError("The initializer passed is not valid. It should be a callable "
                                 "with no arguments and the shape should not be provided or an "
                                 "instance of `tf.keras.initializers.*' and `shape` should be "
                                 "fully defined.")
        variable = Variable(initial_value=init_val, name=name, trainable=trainable,
                            collections=collections, caching_device=caching_device,
                            dtype=variable_dtype, validate_shape=validate_shape,
                            constraint=constraint, shape=shape)
        with self.lock:
            self.vars[name] = variable
            self.origins[name] = _user_traceback()
        if regularizer:
            graph = variable.graph
            # Created outside any control-dependency context, as the variable itself.
            with graph.control_dependencies(None), graph.name_scope(name + "/Regularizer/"):
                loss = regularizer(variable)
            if loss is not None:
                graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
        return variable


def _default_initializer(name, dtype):
    from .. import initializers
    if dtype.is_floating:
        return initializers.GlorotUniform()
    if dtype.is_integer or dtype.is_unsigned or dtype.is_bool or dtype == dtypes.string:
        return initializers.Zeros()
    raise ValueError("An initializer for variable %s of %s is required" % (name, dtype))


def _parameters(fn):
    try:
        return list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return []


def _accepts(fn, arg, named_only=False):
    params = _parameters(fn)
    if any(p.name == arg and p.kind != p.VAR_KEYWORD for p in params):
        return True
    return not named_only and any(p.kind == p.VAR_KEYWORD for p in params)


def _needs_no_arguments(fn):
    return all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
               for p in _parameters(fn))


def _user_traceback():
    """The innermost frames outside graphflow, innermost first, as TF's message lists them."""
    frames = [f for f in reversed(traceback.extract_stack())
              if not os.path.abspath(f.filename).startswith(_PACKAGE_DIR + os.sep)]
    return "".join(traceback.format_list(frames[:5]))


class VariableScope:
    """The settings variables created in a scope inherit: name, reuse, initializer, dtype..."""

    def __init__(self, reuse, name="", initializer=None, regularizer=None, caching_device=None,
                 partitioner=None, custom_getter=None, name_scope="", dtype=dtypes.float32,
                 use_resource=None, constraint=None):
        self._name = name
        self._initializer = initializer
        self._regularizer = regularizer
        self._reuse = reuse
        self._caching_device = caching_device
        self._partitioner = partitioner
        self._custom_getter = custom_getter
        self._name_scope = name_scope
        self._dtype = dtype
        self._use_resource = use_resource
        self._constraint = constraint

    name = property(lambda self: self._name)
    original_name_scope = property(lambda self: self._name_scope)
    reuse = property(lambda self: self._reuse)
    initializer = property(lambda self: self._initializer)
    dtype = property(lambda self: self._dtype)
    use_resource = property(lambda self: self._use_resource)
    regularizer = property(lambda self: self._regularizer)
    caching_device = property(lambda self: self._caching_device)
    partitioner = property(lambda self: self._partitioner)
    custom_getter = property(lambda self: self._custom_getter)
    constraint = property(lambda self: self._constraint)

    def reuse_variables(self):
        """Later ``get_variable`` calls in this scope (and scopes opened inside it) reuse."""
        self._reuse = True

    def set_initializer(self, initializer):
        self._initializer = initializer

    def set_dtype(self, dtype):
        self._dtype = dtype

    def set_use_resource(self, use_resource):
        self._use_resource = use_resource

    def set_regularizer(self, regularizer):
        self._regularizer = regularizer

    def set_caching_device(self, caching_device):
        self._caching_device = caching_device

    def set_partitioner(self, partitioner):
        self._partitioner = partitioner

    def set_custom_getter(self, custom_getter):
        self._custom_getter = custom_getter

    def get_collection(self, name):
        scope = self._name + "/" if self._name else ""
        return graph_mod.get_collection(name, scope)

    def trainable_variables(self):
        return self.get_collection(GraphKeys.TRAINABLE_VARIABLES)

    def global_variables(self):
        return self.get_collection(GraphKeys.GLOBAL_VARIABLES)

    def local_variables(self):
        return self.get_collection(GraphKeys.LOCAL_VARIABLES)

    def get_variable(self, var_store, name, shape=None, dtype=None, initializer=None,
                     regularizer=None, reuse=None, trainable=None, collections=None,
                     caching_device=None, partitioner=None, validate_shape=True,
                     use_resource=None, custom_getter=None, constraint=None,
                     synchronization=None, aggregation=None):
        if regularizer is None:
            regularizer = self._regularizer
        if caching_device is None:
            caching_device = self._caching_device
        if partitioner is None:
            partitioner = self._partitioner
        if custom_getter is None:
            custom_getter = self._custom_getter
        if reuse is None:
            reuse = self._reuse
        if use_resource is None:
            use_resource = self._use_resource
        full_name = self.name + "/" + name if self.name else name
        # Variable names depend only on variable scopes, not on the enclosing name scope.
        with graph_mod.get_default_graph().name_scope(None):
            if dtype is not None and initializer is not None and not callable(initializer):
                init_dtype = convert_to_tensor(initializer).dtype.base_dtype
                if init_dtype != dtypes.as_dtype(dtype).base_dtype:
                    raise ValueError("Initializer type '%s' and explicit dtype '%s' don't match."
                                     % (init_dtype, dtypes.as_dtype(dtype)))
            if initializer is None:
                initializer = self._initializer
            if constraint is None:
                constraint = self._constraint
            if dtype is None:
                dtype = self._dtype
            return var_store.get_variable(
                full_name, shape=shape, dtype=dtype, initializer=initializer,
                regularizer=regularizer, reuse=reuse, trainable=trainable,
                collections=collections, caching_device=caching_device,
                partitioner=partitioner, validate_shape=validate_shape,
                use_resource=use_resource, custom_getter=custom_getter, constraint=constraint,
                synchronization=synchronization, aggregation=aggregation)


class _VariableScopeStore(threading.local):
    """Per graph and thread: the current scope, and how often each scope name was opened."""

    def __init__(self):
        super().__init__()
        self.current_scope = VariableScope(False)
        self.variable_scopes_count = {}

    def open_variable_scope(self, scope_name):
        self.variable_scopes_count[scope_name] = \
            self.variable_scopes_count.get(scope_name, 0) + 1

    def close_variable_subscopes(self, scope_name):
        prefix = scope_name + "/"
        for k in self.variable_scopes_count:
            if k.startswith(prefix):
                self.variable_scopes_count[k] = 0

    def variable_scope_count(self, scope_name):
        return self.variable_scopes_count.get(scope_name, 0)


def _graph_extra(graph, key, factory):
    extras = graph._extras
    value = extras.get(key)
    if value is None:
        with graph._lock:
            value = extras.setdefault(key, factory())
    return value


def variable_owner_graph():
    """The graph whose variables and variable scopes are current: the default graph, or while a
    tf.while_loop body is traced, the graph holding the loop (as in TF1, where a body is built
    into that graph, so ``get_variable`` there sees and makes the same variables)."""
    graph = graph_mod.get_default_graph()
    return getattr(graph, "variable_graph", None) or graph


def _get_default_variable_store():
    return _graph_extra(variable_owner_graph(), "variable_store", _VariableStore)


def get_variable_scope_store():
    return _graph_extra(variable_owner_graph(), "variable_scope_store", _VariableScopeStore)


def get_variable_scope():
    """The current VariableScope of the default graph (the root scope has name "")."""
    return get_variable_scope_store().current_scope


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                 trainable=None, collections=None, caching_device=None, partitioner=None,
                 validate_shape=True, use_resource=None, custom_getter=None, constraint=None,
                 synchronization=None, aggregation=None):
    """Gets the variable ``<scope>/name`` or creates it (reuse rules: see ``variable_scope``).

    A new variable's initializer may be an initializer object or class, a callable
    ``fn(shape, dtype=..., partition_info=...)`` or, without ``shape``, a zero-argument callable,
    a tensor or a numpy/Python value. Floats default to glorot_uniform, integers, bools and
    strings to zeros. Its initializer ops are named ``<scope>/name/Initializer/...``.
    """
    return get_variable_scope().get_variable(
        _get_default_variable_store(), name, shape=shape, dtype=dtype,
        initializer=initializer, regularizer=regularizer, trainable=trainable,
        collections=collections, caching_device=caching_device, partitioner=partitioner,
        validate_shape=validate_shape, use_resource=use_resource,
        custom_getter=custom_getter, constraint=constraint, synchronization=synchronization,
        aggregation=aggregation)


def get_local_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                       trainable=False, collections=None, caching_device=None,
                       partitioner=None, validate_shape=True, use_resource=None,
                       custom_getter=None, constraint=None, synchronization=None,
                       aggregation=None):
    """``get_variable`` into LOCAL_VARIABLES, never trainable."""
    collections = list(collections or []) + [GraphKeys.LOCAL_VARIABLES]
    return get_variable(
        name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
        trainable=False, collections=collections, caching_device=caching_device,
        partitioner=partitioner, validate_shape=validate_shape, use_resource=use_resource,
        custom_getter=custom_getter, constraint=constraint, synchronization=synchronization,
        aggregation=aggregation)


def _maybe_wrap_custom_getter(custom_getter, old_getter):
    """An inner scope's getter runs first and gets the outer one (wrapping the real getter)."""
    if old_getter is None:
        return custom_getter

    def wrapped_custom_getter(getter, *args, **kwargs):
        return custom_getter(functools.partial(old_getter, getter), *args, **kwargs)
    return wrapped_custom_getter


class _pure_variable_scope:  # noqa: N801 - TF's name
    """Enters a variable scope without touching name scopes."""

    def __init__(self, name_or_scope, reuse=None, initializer=None, regularizer=None,
                 caching_device=None, partitioner=None, custom_getter=None,
                 old_name_scope=None, dtype=dtypes.float32, use_resource=None, constraint=None):
        self._name_or_scope = name_or_scope
        self._reuse = reuse
        self._settings = dict(initializer=initializer, regularizer=regularizer,
                              caching_device=caching_device, partitioner=partitioner,
                              dtype=dtype, use_resource=use_resource)
        self._custom_getter = custom_getter
        self._old_name_scope = old_name_scope
        self._constraint = constraint
        self._var_scope_store = get_variable_scope_store()
        self._last_variable_scope_object = None

    def _apply_settings(self, scope, old_getter):
        for key, value in self._settings.items():
            if value is not None:
                getattr(scope, "set_" + key)(value)
        if self._custom_getter is not None:
            scope.set_custom_getter(_maybe_wrap_custom_getter(self._custom_getter, old_getter))

    def __enter__(self):
        store = self._var_scope_store
        self._old = store.current_scope
        if isinstance(self._name_or_scope, VariableScope):
            template = self._name_or_scope
            self._new_name = template.name
            # A scope object does not inherit its parent's reuse, only its own (or reuse=True).
            scope = VariableScope(
                template.reuse if not self._reuse else self._reuse, name=self._new_name,
                initializer=template.initializer, regularizer=template.regularizer,
                caching_device=template.caching_device, partitioner=template.partitioner,
                dtype=template.dtype, custom_getter=template.custom_getter,
                name_scope=template.original_name_scope, use_resource=template.use_resource,
                constraint=self._constraint)
            self._apply_settings(scope, template.custom_getter)
            store.open_variable_scope(self._new_name)
            self._old_subscopes = dict(store.variable_scopes_count)
        else:
            old = self._old
            self._new_name = (old.name + "/" + self._name_or_scope if old.name
                              else self._name_or_scope)
            self._reuse = self._reuse or old.reuse  # reuse is inherited by sub-scopes
            name_scope = (self._name_or_scope if self._old_name_scope is None
                          else self._old_name_scope)
            scope = VariableScope(
                self._reuse, name=self._new_name, initializer=old.initializer,
                regularizer=old.regularizer, caching_device=old.caching_device,
                partitioner=old.partitioner, dtype=old.dtype, use_resource=old.use_resource,
                custom_getter=old.custom_getter, name_scope=name_scope,
                constraint=self._constraint)
            self._apply_settings(scope, old.custom_getter)
            store.open_variable_scope(self._new_name)
        store.current_scope = scope
        self._last_variable_scope_object = scope
        return scope

    def __exit__(self, *exc):
        store = self._var_scope_store
        if store.current_scope is not self._last_variable_scope_object:
            raise RuntimeError("Improper nesting of variable_scope.")
        if isinstance(self._name_or_scope, VariableScope):
            store.variable_scopes_count = self._old_subscopes
        else:
            # Leaving a scope resets the counts of its sub-scopes: re-entering it later makes
            # default_name scopes from scratch again.
            store.close_variable_subscopes(self._new_name)
        store.current_scope = self._old


def _get_unique_variable_scope(prefix):
    store = get_variable_scope_store()
    current = get_variable_scope()
    name = current.name + "/" + prefix if current.name else prefix
    if store.variable_scope_count(name) == 0:
        return prefix
    idx = 1
    while store.variable_scope_count(name + ("_%d" % idx)) > 0:
        idx += 1
    return prefix + ("_%d" % idx)


class variable_scope:  # noqa: N801 - TF's name
    """A context manager for defining ops that create variables (layers).

    ``name_or_scope`` (a string or a VariableScope) names the scope; with None, ``default_name``
    is made unique among its siblings. The scope also opens a name scope for ops (unique, so
    re-entering gives ``foo_1/``) unless ``auxiliary_name_scope=False``. ``reuse``: True shares
    existing variables, tf.AUTO_REUSE shares or creates, None (or False) inherits the parent's.
    ``initializer``, ``regularizer``, ``dtype``, ``custom_getter``... become the defaults of
    ``get_variable`` inside.
    """

    def __init__(self, name_or_scope, default_name=None, values=None, initializer=None,
                 regularizer=None, caching_device=None, partitioner=None, custom_getter=None,
                 reuse=None, dtype=None, use_resource=None, constraint=None,
                 auxiliary_name_scope=True):
        if default_name is None and name_or_scope is None:
            raise TypeError("If default_name is None then name_or_scope is required")
        if reuse is False:
            reuse = None  # False means "inherit": it cannot turn a parent's reuse off
        if not (reuse is True or reuse is None or reuse is AUTO_REUSE):
            raise ValueError("The reuse parameter must be True or False or None.")
        if not isinstance(auxiliary_name_scope, bool):
            raise TypeError("The auxiliary_name_scope must be `True` or `False`, while get {}"
                            .format(auxiliary_name_scope))
        self._name_or_scope = name_or_scope
        self._default_name = default_name
        self._settings = dict(initializer=initializer, regularizer=regularizer,
                              caching_device=caching_device, partitioner=partitioner,
                              custom_getter=custom_getter, dtype=dtype,
                              use_resource=use_resource, constraint=constraint)
        self._reuse = reuse
        self._graph = graph_mod._graph_from_values(values or [])
        self._auxiliary_name_scope = auxiliary_name_scope
        self._exits = []

    def __enter__(self):
        self._exits = []
        graph_cm = self._graph.as_default()
        graph_cm.__enter__()
        self._exits.append(graph_cm)
        try:
            return self._enter_scope()
        except BaseException:
            self._unwind(None, None, None)
            raise

    def _enter_name_scope(self, name):
        cm = self._graph.name_scope(name)
        entered = cm.__enter__()
        self._exits.append(cm)
        return entered

    def _enter_pure_scope(self, name_or_scope, **kwargs):
        pure = _pure_variable_scope(name_or_scope, **kwargs)
        entered = pure.__enter__()
        self._exits.append(pure)
        return entered

    def _enter_scope(self):
        if self._auxiliary_name_scope:
            reentered_name_scope = None
        else:
            # Ops stay in the current name scope.
            current = self._graph.get_name_scope()
            reentered_name_scope = current + "/" if current else ""
        name_or_scope = self._name_or_scope
        if name_or_scope is not None:
            if not isinstance(name_or_scope, (VariableScope, str)):
                raise TypeError("VariableScope: name_or_scope must be a string or "
                                "VariableScope.")
            if isinstance(name_or_scope, str):
                name_scope = name_or_scope
            else:
                name_scope = name_or_scope.name.split("/")[-1]
            if name_scope or reentered_name_scope is not None:
                entered = self._enter_name_scope(
                    reentered_name_scope if reentered_name_scope is not None else name_scope)
                old_name_scope = entered if isinstance(name_or_scope, str) \
                    else name_or_scope.original_name_scope
                return self._enter_pure_scope(name_or_scope, reuse=self._reuse,
                                              old_name_scope=old_name_scope, **self._settings)
            return self._enter_pure_scope(name_or_scope, reuse=self._reuse, **self._settings)
        if self._reuse:
            raise ValueError("reuse=True cannot be used without a name_or_scope")
        entered = self._enter_name_scope(
            reentered_name_scope if reentered_name_scope is not None else self._default_name)
        unique_default_name = _get_unique_variable_scope(self._default_name)
        return self._enter_pure_scope(unique_default_name, old_name_scope=entered,
                                      **self._settings)

    def _unwind(self, *exc):
        while self._exits:
            self._exits.pop().__exit__(*exc)

    def __exit__(self, *exc):
        self._unwind(*exc)


def variable_op_scope(values, name_or_scope, default_name=None, initializer=None,
                      regularizer=None, caching_device=None, partitioner=None,
                      custom_getter=None, reuse=None, dtype=None, use_resource=None,
                      constraint=None):
    """Deprecated TF1 spelling of ``variable_scope(name_or_scope, default_name, values)``."""
    return variable_scope(name_or_scope, default_name=default_name, values=values,
                          initializer=initializer, regularizer=regularizer,
                          caching_device=caching_device, partitioner=partitioner,
                          custom_getter=custom_getter, reuse=reuse, dtype=dtype,
                          use_resource=use_resource, constraint=constraint)
