"""Common-subexpression elimination: movable nodes with the same op, attrs and inputs are one."""
import numpy as np

from ...framework import dtypes, tensor_shape
from ..ir import Value
from .common import is_movable, rebuild


def _attr_key(value):
    if isinstance(value, np.ndarray):
        if value.size > 4096 or value.dtype.kind == "O":
            return ("array", id(value))
        return ("array", value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, (list, tuple)):
        return (type(value).__name__,) + tuple(_attr_key(v) for v in value)
    if isinstance(value, dtypes.DType):
        return ("dtype", value.name)
    if isinstance(value, tensor_shape.TensorShape):
        return ("shape", value.as_tuple())
    if isinstance(value, (bool, int, float, str, bytes, type(None))):
        return (type(value).__name__, value)
    return ("object", id(value))


def common_subexpressions(program):
    """The first of each set of identical nodes stays; its ``origin`` gains the others' origins
    (so the graph view can show the merge) and their consumers read it instead."""
    seen, replace, drop = {}, {}, set()
    merged_into = {}  # id(kept node) -> the nodes merged into it, in program order
    changes = []

    def resolved(value):
        return replace.get((id(value.node), value.index), value)

    for node in program.nodes:
        if not node.specs or not is_movable(node):
            continue
        inputs = tuple((id(v.node), v.index) for v in map(resolved, node.inputs))
        key = (node.op_def.name, inputs,
               tuple(sorted((k, _attr_key(v)) for k, v in node.attrs.items())))
        first = seen.get(key)
        if first is None:
            seen[key] = node
            continue
        for index in range(len(node.specs)):
            replace[(id(node), index)] = Value(first, index)
        drop.add(id(node))
        merged_into.setdefault(id(first), []).append(node)
        changes.append("merged %s into %s" % (node.name, first.name))
    if not drop:
        return program
    merged = rebuild(program, replace, drop)
    # rebuild made a fresh copy of every kept node, in the same order: those are ours to edit.
    kept = [n for n in program.nodes if id(n) not in drop]
    for old, new in zip(kept, merged.nodes):
        for other in merged_into.get(id(old), ()):
            new.origin = new.origin + tuple(o for o in other.origin if o not in new.origin)
    merged.changes = tuple(changes)
    return merged
