"""Constant folding: a movable node whose inputs are all constants is evaluated once, at plan
build, with its reference kernel, and becomes a Const."""
import numpy as np

from ...framework import dtypes
from ...ops.convert import Const
from ..ir import Node
from .common import is_movable, rebuild

MAX_FOLDED_ELEMENTS = 1 << 20  # larger results stay computed at run time (memory, build time)


def _constant(node):
    """The value of a Const node that is safe to depend on (no control inputs), else None."""
    if node.op_def is Const and not node.control:
        return node.attrs["value"]
    return None


def constant_folding(program):
    replace, drop, changes = {}, set(), []
    folded_nodes = {}
    for node in program.nodes:
        if node.op_def is Const or not node.specs or not is_movable(node):
            continue
        if any(spec.dtype.base_dtype == dtypes.variant for spec in node.specs):
            continue  # a TensorArray's list value is no array a Const can hold
        values = [folded_nodes.get((id(v.node), v.index), _constant(v.node)
                                   if v.index == 0 else None) for v in node.inputs]
        if not node.inputs or any(v is None for v in values):
            continue
        try:
            with np.errstate(all="ignore"):  # the run-time semantics: inf/nan, no warnings
                result = node.op_def.ref(*values, **node.attrs)
        except Exception:  # noqa: BLE001 - an op that fails now fails at run time, as usual
            continue
        results = result if isinstance(result, tuple) else (result,)
        if len(results) != len(node.specs) or any(
                np.size(r) > MAX_FOLDED_ELEMENTS for r in results):
            continue
        for index, (value, spec) in enumerate(zip(results, node.specs)):
            array = np.array(value, dtype=spec.dtype.base_dtype.numpy_dtype
                             if spec.dtype.base_dtype != dtypes.string else object)
            array.flags.writeable = False
            const = Node(Const, {"value": array, "dtype": spec.dtype.base_dtype}, (), (),
                         [spec], "%s/folded_%d" % (node.name, index), origin=node.origin)
            folded_nodes[(id(node), index)] = array
            replace[(id(node), index)] = (const, 0)
        drop.add(id(node))
        changes.append("folded %s" % node.name)
    if not changes:
        return program
    folded = _with_constants(program, replace, drop)
    folded.changes = tuple(changes)
    return folded


def _with_constants(program, replace, drop):
    from ..ir import Value
    consts = {key: Value(node, index) for key, (node, index) in replace.items()}
    rebuilt = rebuild(program, consts, drop)
    # The new Const nodes go first: they have no inputs.
    new_consts = [value.node for value in consts.values()]
    rebuilt.nodes = list(rebuilt.feeds) + new_consts + [
        n for n in rebuilt.nodes if n not in rebuilt.feeds]
    return rebuilt
