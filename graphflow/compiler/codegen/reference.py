"""The reference backend: runs a Program's nodes with their numpy kernels.

It is also the interface every backend implements: ``compile(program, resources)`` returns an
executable whose ``run(feed_values)`` returns the fetched values. The session hands returned
arrays to the user as they are unless they are read-only or views, so a backend that keeps a
buffer across runs must return it read-only (or as a view); kernels raise ``errors.OpError``
subclasses for TF's run-time errors, and anything else becomes InvalidArgumentError naming the
node. Compilation does all the
Python-level work once (slot numbering, binding attrs and resources into callables); ``run``
only moves arrays between slots and calls kernels, so a cached plan does no graph work.
"""
import functools
import operator

import numpy as np

from ...framework import errors
from ...ops.control_flow import DEAD
from ..ir import FEED


def _float_errors_ignored():
    """A context manager with the effect of ``np.errstate(all="ignore")`` (TF computes inf and
    NaN without warnings), made once. numpy 2's errstate builds its error-handling object
    on every entry: 1.3 us, more than a small run's kernel; here the object is built once and
    only the context variable numpy reads is set and reset. Other numpy versions get
    np.errstate itself."""
    try:
        from numpy._core._ufunc_config import _extobj_contextvar, _make_extobj
        ignore_all = _make_extobj(all="ignore")
    except (ImportError, TypeError):
        return lambda: np.errstate(all="ignore")

    class IgnoreFloatErrors:
        __slots__ = ("_token",)

        def __enter__(self):
            self._token = _extobj_contextvar.set(ignore_all)

        def __exit__(self, *exc_info):
            _extobj_contextvar.reset(self._token)
    return IgnoreFloatErrors


float_errors_ignored = _float_errors_ignored()


class Resources:
    """What stateful kernels receive from the session, by the names in ``OpDef.needs``."""

    def __init__(self, providers):
        self._providers = providers  # need name -> fn(node) -> resource

    def provide(self, need, node):
        try:
            provider = self._providers[need]
        except KeyError:
            raise errors.InternalError(None, node.name, "no provider for resource %r needed by "
                                       "op %s (%s)" % (need, node.name, node.type))
        return provider(node)

    def renamed(self, prefix):
        """The same resources for a function's nodes, each asked for under ``prefix`` + its
        name, so a traced function's state never collides with the outer graph's."""
        return Resources({need: functools.partial(self._provide_renamed, need, prefix)
                          for need in self._providers})

    def _provide_renamed(self, need, prefix, node):
        return self.provide(need, node.replace(name=prefix + node.name))


class Step:
    __slots__ = ("fn", "ins", "outs", "deref", "node", "gather")

    def __init__(self, fn, ins, outs, deref, node):
        self.fn, self.ins, self.outs, self.deref, self.node = fn, ins, outs, deref, node
        # slots -> the input values as a tuple, in one C call where a comprehension costs more
        # than a small kernel
        if len(ins) > 1:
            self.gather = operator.itemgetter(*ins)
        elif ins:
            only = ins[0]
            self.gather = lambda slots: (slots[only],)
        else:
            self.gather = lambda slots: ()


def bind_kernel(node, resources):
    """The node's kernel as a function of its input arrays only."""
    op_def = node.op_def
    bound = [resources.provide(need, node) for need in op_def.needs]
    return functools.partial(op_def.ref, *bound, **node.attrs)


class ReferenceExecutable:
    """Runs the program's steps in order. A backend that compiles some nodes passes its own
    ``bind`` (node, resources) -> callable and keeps everything else: slots, control flow,
    error reporting."""

    def __init__(self, program, resources, bind=None):
        bind = bind or bind_kernel
        slot_of = {}
        self._num_slots = 0

        def new_slot(value_key):
            slot_of[value_key] = self._num_slots
            self._num_slots += 1

        self._feed_slots = []
        steps = []
        for node in program.nodes:
            for i in range(len(node.specs)):
                new_slot((id(node), i))
            if node.op_def is FEED:
                self._feed_slots.append(slot_of[(id(node), 0)])
                continue
            ins = tuple(slot_of[(id(v.node), v.index)] for v in node.inputs)
            outs = tuple(slot_of[(id(node), i)] for i in range(len(node.specs)))
            deref = tuple(i in node.deref for i in range(len(ins))) if node.deref else None
            steps.append(Step(bind(node, resources), ins, outs, deref, node))
        self._steps = steps
        self._fetch_slots = [slot_of[(id(v.node), v.index)] for v in program.fetches]
        self._fetch_deref = list(program.fetch_deref)
        # Only programs with tf.cond pay for dead-value tracking (see ops/control_flow.py).
        self._control_flow = any(node.op_def.makes_dead for node in program.nodes)
        index = {id(step.node): i for i, step in enumerate(steps)}
        self._control = [tuple(index[id(c)] for c in step.node.control if id(c) in index)
                         for step in steps] if self._control_flow else None
        self._fetch_names = [v.node.name for v in program.fetches]
        # no fetched reference to read and no untaken branch to report: slots are the results
        self._plain_fetches = not self._control_flow and not any(self._fetch_deref)
        # Fetches from this position on come back DEAD from an untaken tf.cond branch instead
        # of failing the run: a loop body's values kept for its gradient, which skips them.
        self.dead_fetches_from = len(self._fetch_slots)

    def run(self, feed_values):
        slots = [None] * self._num_slots
        for slot, value in zip(self._feed_slots, feed_values):
            slots[slot] = value
        control_flow = self._control_flow
        dead_steps = set() if control_flow else None
        step = None
        try:
            with float_errors_ignored():
                for position, step in enumerate(self._steps):
                    args = step.gather(slots)
                    if control_flow and not step.node.op_def.takes_dead and (
                            any(a is DEAD for a in args) or
                            any(c in dead_steps for c in self._control[position])):
                        # On an untaken tf.cond branch: skip, and the outputs are dead too.
                        dead_steps.add(position)
                        for slot in step.outs:
                            slots[slot] = DEAD
                        continue
                    if step.deref is not None:
                        args = [a.value() if d and a is not DEAD else a
                                for a, d in zip(args, step.deref)]
                    result = step.fn(*args)
                    outs = step.outs
                    if len(outs) == 1:
                        slots[outs[0]] = result
                    elif outs:
                        for slot, value in zip(outs, result):
                            slots[slot] = value
                step = None
            if self._plain_fetches:
                return [slots[s] for s in self._fetch_slots]
            dead_from = self.dead_fetches_from
            return [slots[s] if slots[s] is DEAD and position >= dead_from
                    else self._fetched(slots[s], d, name) for position, (s, d, name) in
                    enumerate(zip(self._fetch_slots, self._fetch_deref, self._fetch_names))]
        except errors.OpError as e:
            if step is None or e.op is not None:
                raise
            raise _with_node(e, step.node) from e
        except Exception as e:  # a kernel rejected its inputs at run time
            if step is None:
                raise
            raise errors.InvalidArgumentError(
                None, step.node.name, "%s: %s\n\t [[{{node %s}} (%s)]]" % (
                    type(e).__name__, e, step.node.name, step.node.type)) from e

    @staticmethod
    def _fetched(value, deref, name):
        if value is DEAD:
            raise errors.InvalidArgumentError(
                None, name, "Fetched tensor from %s has no value in this run: it lies on the "
                "branch of a tf.cond that was not taken. Fetch the tf.cond's result instead."
                % name)
        return value.value() if deref else value


def _with_node(error, node):
    """The same error, naming the node whose kernel raised it."""
    message = "%s\n\t [[{{node %s}} (%s)]]" % (error.message, node.name, node.type)
    if type(error) is errors.OpError:
        return errors.OpError(error.node_def, node.name, message, error.error_code)
    return type(error)(error.node_def, node.name, message)


def compile(program, resources):  # noqa: A001 - the backend interface's verb
    return ReferenceExecutable(program, resources)
