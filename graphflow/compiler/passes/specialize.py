"""Shape specialization: a Session builds one plan per set of feed shapes, so inside a plan the
fed shapes are constants. This pass carries them through the ops' own shape rules and replaces
``Shape``/``Size``/``Rank`` of fully known shapes by constants.

That is what turns a gradient's ``Shape -> BroadcastGradientArgs -> Sum -> Reshape`` chain
(built for a batch dimension of ``None``) into constants that folding and simplification then
remove, and what leaves a MatMul read only by its bias add, so fusion can take it as an
epilogue's anchor.

Shape rules receive ``SpecTensor`` s: a shape and a dtype, no value and no graph. A rule that
needs more (a constant input's value) answers less precisely or raises; either way the node
keeps the shape the graph gave it, merged with whatever the rule could say. Shapes that depend
on values (``tf.where``, a fed ``reshape`` target) thus stay unknown.
"""
import numpy as np

from ...framework import tensor_shape
from ...ops import registry
from ...ops.convert import Const
from ..ir import FEED, Node, Program, Value

SHAPE_ONLY = frozenset(["Shape", "Size", "Rank"])


class SpecTensor:
    """What a shape rule may read of an input while a plan is specialized: its shape, dtype,
    and its value when a constant (``constant_value`` answers with ``known_value``)."""

    __slots__ = ("shape", "dtype", "name", "known_value")

    def __init__(self, shape, dtype, name, known_value=None):
        self.shape, self.dtype, self.name = shape, dtype, name
        self.known_value = known_value

    def get_shape(self):
        return self.shape


def specialize_shapes(program):
    new_of, changes = {}, []
    nodes = []

    def new_value(value):
        return Value(new_of[id(value.node)], value.index)

    for node in program.nodes:
        inputs = tuple(new_value(v) for v in node.inputs)
        specs = node.specs
        if node.op_def is not FEED and node.inputs and not all(
                spec.shape.is_fully_defined() for spec in node.specs):
            specs = _refined_specs(node, inputs)
        folded = _folded_shape(node, inputs)
        if folded is not None:
            new = Node(Const, {"value": folded, "dtype": node.specs[0].dtype}, (), (),
                       node.specs, "%s/specialized" % node.name, origin=node.origin)
            changes.append("%s -> constant %s" % (node.name, folded.tolist()))
        elif specs is not node.specs or inputs != node.inputs or any(
                new_of[id(c)] is not c for c in node.control):
            new = node.replace(inputs=inputs, specs=specs,
                               control=tuple(new_of[id(c)] for c in node.control))
        else:
            new = node
        new_of[id(node)] = new
        nodes.append(new)
    if not changes and all(new is old for new, old in zip(nodes, program.nodes)):
        return program
    return Program(nodes, [new_of[id(f)] for f in program.feeds],
                   [new_value(v) for v in program.fetches], program.fetch_deref,
                   [new_of[id(t)] for t in program.targets], changes=changes)


def _refined_specs(node, inputs):
    tensors = [SpecTensor(v.node.specs[v.index].shape, v.node.specs[v.index].dtype,
                          "%s:%d" % (v.node.name, v.index),
                          v.node.attrs["value"] if v.node.op_def is Const and not v.index
                          else None) for v in inputs]
    try:
        inferred = node.op_def.shape(*tensors, **node.attrs)
    except Exception:  # noqa: BLE001 - a rule that needs more than shapes: keep the graph's
        return node.specs
    if isinstance(inferred, registry.Spec):
        inferred = [inferred]
    if len(inferred) != len(node.specs):
        return node.specs
    specs, better = [], False
    for old, new in zip(node.specs, inferred):
        new_shape = tensor_shape.as_shape(new.shape)
        if old.shape.is_compatible_with(new_shape):
            merged = old.shape.merge_with(new_shape)
            better = better or _dims(merged) != _dims(old.shape)
            specs.append(registry.Spec(merged, old.dtype))
        else:
            specs.append(old)
    return tuple(specs) if better else node.specs


def _dims(shape):
    return None if shape.ndims is None else tuple(shape.as_list())


def _folded_shape(node, inputs):
    """The value of a Shape/Size/Rank whose input's shape is fully known, else None."""
    if node.op_def.name not in SHAPE_ONLY or node.control:
        return None
    shape = inputs[0].node.specs[inputs[0].index].shape
    if not shape.is_fully_defined():
        return None
    dims = shape.as_list()
    stand_in = np.lib.stride_tricks.as_strided(np.zeros(1), dims, [0] * len(dims))
    value = np.asarray(node.op_def.ref(stand_in, **node.attrs))
    value.flags.writeable = False
    return value
