"""Fusion: connected pure elementwise nodes become one generated kernel.

A fused node carries a ``FusedBody``: its members in order, each reading the fused node's inputs
(``params``) or earlier members, and which members are its outputs. Its reference kernel runs the
members' own numpy kernels one after another, so every backend can run a fused program and a
compiled backend can check itself against that; the Numba backend instead generates one loop
from the members' scalar expressions (codegen/numba_cpu.py).

Epilogues: a MatMul or Conv2D whose only consumer is a fused group (not fetched, no control
edges) becomes the group's anchor, so the bias add and activation run over the product's buffer
in place instead of in separate passes over memory (``FusedMatMul``, ``FusedConv2D``). A
MaxPoolGrad anchors the same way (``FusedMaxPoolGrad``): the ReluGrad that follows it in a CNN's
backward pass is a backend's chance to skip a pass over three image-sized arrays.
"""
import collections

from ...framework import dtypes
from ...ops import registry
from ..ir import FEED, Node, Program, Value
from .common import is_pure_compute

# Fusion stops at this many distinct inputs: each is one more array argument and index stream.
MAX_PARAMS = 16
# Member dtypes a generated loop handles with Python scalar semantics that match numpy's.
FUSIBLE_DTYPES = frozenset([dtypes.float32, dtypes.float64, dtypes.bool])
# Records whose scalar expression is only an alias or changes dtype: they stay numpy calls.
NOT_FUSED = frozenset(["Identity", "Cast", "ZerosLike", "OnesLike"])
# Alone, an op with one of these in its expression still gains from the compiled, vectorized
# float32 loop; other single ops are one numpy ufunc call already, except those whose numpy
# kernel makes temporaries (np.where, clip, then a cast).
WORTH_ALONE = ("math.exp", "math.tanh", "math.log", "math.expm1", "math.log1p", "math.erf",
               "math.sin", "math.cos", "math.tan")
WORTH_ALONE_OPS = frozenset(["ReluGrad", "Relu6", "Elu", "Selu", "Softsign", "SelectV2"])
ANCHORS = frozenset(["MatMul", "Conv2D", "MaxPoolGrad"])
# Reductions that take a group's only output as their prologue (sum of squares, a mean loss).
REDUCTIONS = frozenset(["Sum", "Mean"])

# A member's argument: ("param", k) is the fused node's input k, ("member", j) is member j's
# output, ("anchor",) is the anchor op's result.
Member = collections.namedtuple("Member", ["op_def", "attrs", "args", "name", "dtype"])


class FusedBody:
    """What a fused node computes. Immutable and hashable by identity; ``key`` is a structural
    description used to name and cache the generated kernel."""

    __slots__ = ("members", "outputs", "anchor", "num_anchor_inputs", "reduction")

    def __init__(self, members, outputs, anchor=None, num_anchor_inputs=0, reduction=None):
        self.members = tuple(members)
        self.outputs = tuple(outputs)
        self.anchor = anchor  # (op_def, attrs) or None
        self.num_anchor_inputs = num_anchor_inputs
        # (op_def, axes array, attrs): the one output is reduced, as Sum(output, axes) would
        self.reduction = reduction

    def run_reference(self, inputs, anchor_value=None):
        """The members' numpy kernels in order: the semantics the generated code must match.
        With an anchor, ``inputs`` start with the anchor's inputs unless its result is given."""
        if self.anchor is not None and anchor_value is None:
            op_def, attrs = self.anchor
            anchor_value = op_def.ref(*inputs[:self.num_anchor_inputs], **attrs)
            inputs = inputs[self.num_anchor_inputs:]
        values = []
        for member in self.members:
            args = [inputs[a[1]] if a[0] == "param" else values[a[1]] if a[0] == "member"
                    else anchor_value for a in member.args]
            values.append(member.op_def.ref(*args, **member.attrs))
        results = tuple(values[j] for j in self.outputs)
        if self.reduction is not None:
            op_def, axes, attrs = self.reduction
            return op_def.ref(results[0], axes, **attrs)
        return results[0] if len(results) == 1 else results

    def __repr__(self):
        return "<FusedBody %s>" % " -> ".join(m.op_def.name for m in self.members)


def _fused_ref(*inputs, body):
    return body.run_reference(inputs)


def _not_built_from_graph(*inputs, **attrs):
    raise TypeError("fused ops are made by the compiler's fusion pass, not by user code")


FUSED_OPS = {
    name: registry.OpDef(name, shape=_not_built_from_graph, ref=_fused_ref,
                         grad=registry.NOT_DIFFERENTIABLE,
                         doc="Elementwise ops fused by the compiler (see passes/fuse.py).")
    for name in ("FusedElementwise", "FusedMatMul", "FusedConv2D", "FusedMaxPoolGrad",
                 "FusedReduction")}


def is_fusible(node):
    op_def = node.op_def
    if (op_def.scalar is None or op_def.name in NOT_FUSED or not is_pure_compute(node)
            or len(node.specs) != 1):
        return False
    if op_def.name == "BiasAdd" and node.attrs.get("data_format", "NHWC") == "NCHW":
        return False  # the bias then broadcasts over axis 1, not numpy-style
    if node.specs[0].dtype.base_dtype not in FUSIBLE_DTYPES:
        return False
    return all(v.node.specs[v.index].dtype.base_dtype in FUSIBLE_DTYPES for v in node.inputs)


def _worth_a_kernel(members):
    return (len(members) > 1 or members[0].op_def.name in WORTH_ALONE_OPS or
            any(f in members[0].op_def.scalar for f in WORTH_ALONE))


def fuse(program):
    """Groups fusible nodes and replaces each group worth it by one fused node.

    Nodes are visited in order; a fusible node joins the groups of its fusible producers,
    merging them, unless that would make a cycle: a path that leaves the merged group and comes
    back (through a non-fusible node, say a MatMul reading one member and feeding another)."""
    groups = _Groups()
    reach = {}             # id(node) -> group ids the node depends on, its own included
    for node in program.nodes:
        depends = frozenset().union(*(reach[id(v.node)] for v in node.inputs),
                                    *(reach[id(c)] for c in node.control))
        if is_fusible(node):
            group = groups.make(node)
            for v in node.inputs:
                producer = groups.of(v.node)
                if producer is not None and _can_merge(groups, producer, groups.of(node),
                                                       reach):
                    group = groups.merge(producer, groups.of(node))
            reach[id(node)] = depends | {group}
        else:
            reach[id(node)] = depends
    found = groups.all()
    if not found:
        return program
    return _rebuild_with_groups(program, found)


class _Groups:
    """Disjoint groups of nodes (union-find over group ids, members kept in visit order)."""

    def __init__(self):
        self._parent = []
        self._members = {}
        self._group_of = {}
        self._position = {}  # id(node) -> visit order

    def make(self, node):
        group = len(self._parent)
        self._parent.append(group)
        self._members[group] = [node]
        self._group_of[id(node)] = group
        self._position[id(node)] = group
        return group

    def find(self, group):
        while self._parent[group] != group:
            self._parent[group] = self._parent[self._parent[group]]
            group = self._parent[group]
        return group

    def of(self, node):
        group = self._group_of.get(id(node))
        return None if group is None else self.find(group)

    def members(self, group):
        return self._members[self.find(group)]

    def merge(self, a, b):
        a, b = self.find(a), self.find(b)
        if a == b:
            return a
        self._parent[b] = a
        # The later group's nodes come after the earlier one's in program order already.
        self._members[a] = sorted(self._members[a] + self._members.pop(b), key=self._order)
        return a

    def _order(self, node):
        return self._position[id(node)]

    def all(self):
        return [members for group, members in self._members.items()
                if self.find(group) == group]


def _can_merge(groups, a, b, reach):
    """Whether groups ``a`` and ``b`` may become one: no input from outside the union may
    depend on it (that would be a cycle), and the union stays within MAX_PARAMS inputs."""
    if groups.find(a) == groups.find(b):
        return True
    merged = {groups.find(a), groups.find(b)}
    params = set()
    for member in groups.members(a) + groups.members(b):
        for w in member.inputs:
            if groups.of(w.node) in merged:
                continue
            if any(groups.find(g) in merged for g in reach[id(w.node)]):
                return False
            params.add((id(w.node), w.index))
    return len(params) <= MAX_PARAMS


def _rebuild_with_groups(program, groups):
    users = program.consumers()
    fetched = collections.Counter((id(v.node), v.index) for v in program.fetches)
    control_users = {id(c) for n in program.nodes for c in n.control}
    targets = {id(t) for t in program.targets}

    placed = {}            # id(last member) -> (members, outputs, anchor, reduction)
    absorbed = set()       # ids of nodes that no longer appear on their own
    for members in groups:
        ids = {id(m) for m in members}
        anchor = _epilogue_anchor(members, ids, users, fetched, control_users, targets)
        outputs = [m for m in members
                   if fetched[(id(m), 0)] or id(m) in control_users or id(m) in targets or
                   any(id(u) not in ids for u, _ in users[id(m)])]
        reduction = None
        if anchor is None:
            reduction = _reduction_epilogue(outputs, users, fetched, control_users, targets)
        if anchor is None and reduction is None and not _worth_a_kernel(members):
            continue
        placed[id(members[-1])] = (members, outputs, anchor, reduction)
        absorbed |= ids | {id(n) for n in (anchor, reduction) if n is not None}
    if not placed:
        return program

    replacement = {}       # (id(old node), index) -> Value in the new program
    old_to_new = {}

    def swap(value):
        return replacement.get((id(value.node), value.index),
                               Value(old_to_new.get(id(value.node), value.node), value.index))

    # First the fused nodes (they read only values from outside their group), then the rest.
    fused_nodes = []
    for node in program.nodes:
        if id(node) not in placed:
            continue
        members, outputs, anchor, reduction = placed[id(node)]
        fused = _make_fused(members, outputs, anchor, reduction)
        fused_nodes.append((fused, members, anchor))
        if reduction is not None:
            replacement[(id(reduction), 0)] = Value(fused, 0)
        else:
            for index, member in enumerate(outputs):
                replacement[(id(member), 0)] = Value(fused, index)
        for member in members + [n for n in (anchor, reduction) if n is not None]:
            old_to_new[id(member)] = fused
    new_nodes = []
    for node in program.nodes:
        if id(node) in absorbed and id(node) not in placed:
            continue
        if id(node) in placed:
            new = old_to_new[id(node)]
            new.inputs = tuple(swap(v) for v in new.inputs)
        else:
            new = node.replace(inputs=tuple(swap(v) for v in node.inputs),
                               control=tuple(old_to_new.get(id(c), c) for c in node.control))
            old_to_new[id(node)] = new
        new_nodes.append(new)
    # A consumer of a group's intermediate may sit before the group's last member: reorder.
    new_nodes = _topological(new_nodes)
    changes = ["fused %s into %s" % (" + ".join(m.name for m in members), fused.type)
               for fused, members, _ in fused_nodes]
    return Program(new_nodes, [old_to_new[id(f)] for f in program.feeds],
                   [swap(v) for v in program.fetches], program.fetch_deref,
                   list(dict.fromkeys(old_to_new.get(id(t), t) for t in program.targets)),
                   changes=changes)


def _topological(nodes):
    """The nodes in an order where inputs and control inputs come first, keeping the given
    order wherever it is already valid."""
    ordered, done = [], set()
    for root in nodes:
        stack = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if id(node) in done:
                continue
            if expanded:
                done.add(id(node))
                ordered.append(node)
                continue
            stack.append((node, True))
            for dep in reversed([v.node for v in node.inputs] + list(node.control)):
                if id(dep) not in done:
                    stack.append((dep, False))
    return ordered


def _epilogue_anchor(members, ids, users, fetched, control_users, targets):
    """The MatMul/Conv2D/MaxPoolGrad feeding the group whose result nobody else sees, if any."""
    for member in members:
        for v in member.inputs:
            producer = v.node
            if (producer.op_def.name in ANCHORS and is_pure_compute(producer) and
                    not fetched[(id(producer), 0)] and id(producer) not in control_users and
                    id(producer) not in targets and
                    producer.specs[0].dtype.base_dtype in (dtypes.float32, dtypes.float64) and
                    all(id(u) in ids for u, _ in users[id(producer)])):
                return producer
    return None


def _reduction_epilogue(outputs, users, fetched, control_users, targets):
    """The Sum/Mean over constant axes that alone reads the group's only output, if any."""
    if len(outputs) != 1:
        return None
    member = outputs[0]
    consumers = users[id(member)]
    if (len(consumers) != 1 or consumers[0][1] != 0 or fetched[(id(member), 0)] or
            id(member) in control_users or id(member) in targets):
        return None
    reduction = consumers[0][0]
    if (reduction.op_def.name not in REDUCTIONS or not is_pure_compute(reduction) or
            reduction.deref or reduction.inputs[1].node.op_def.name != "Const" or
            reduction.inputs[1].node.control or
            reduction.specs[0].dtype.base_dtype not in (dtypes.float32, dtypes.float64) or
            member.specs[0].dtype.base_dtype != reduction.specs[0].dtype.base_dtype):
        return None
    return reduction


def _make_fused(members, outputs, anchor, reduction=None):
    """The fused node, its inputs still naming the old program's values (rebuild swaps them)."""
    index_of = {id(m): j for j, m in enumerate(members)}
    params, param_index, deref = [], {}, set()
    if anchor is not None:
        params.extend(anchor.inputs)
        deref.update(anchor.deref)

    def arg(value):
        if anchor is not None and value.node is anchor:
            return ("anchor",)
        if id(value.node) in index_of:
            return ("member", index_of[id(value.node)])
        key = (id(value.node), value.index)
        if key not in param_index:
            param_index[key] = len(params) - (len(anchor.inputs) if anchor is not None else 0)
            params.append(value)
        return ("param", param_index[key])

    body_members = []
    for m in members:
        args = tuple(arg(v) for v in m.inputs)
        # A variable read by a member is read by the fused node, which runs where the last
        # member ran: consumers and control dependents of every member wait for it.
        offset = len(anchor.inputs) if anchor is not None else 0
        deref.update(offset + a[1] for pos, a in enumerate(args)
                     if a[0] == "param" and pos in m.deref)
        body_members.append(Member(m.op_def, dict(m.attrs), args, m.name,
                                   m.specs[0].dtype.base_dtype))
    body = FusedBody(body_members, [index_of[id(m)] for m in outputs],
                     (anchor.op_def, dict(anchor.attrs)) if anchor is not None else None,
                     len(anchor.inputs) if anchor is not None else 0,
                     (reduction.op_def, reduction.inputs[1].node.attrs["value"],
                      dict(reduction.attrs)) if reduction is not None else None)
    if anchor is not None:
        kind = "Fused" + anchor.op_def.name
    else:
        kind = "FusedReduction" if reduction is not None else "FusedElementwise"
    origin = tuple(o for m in ([anchor] if anchor is not None else []) + members +
                   ([reduction] if reduction is not None else []) for o in m.origin)
    last = reduction if reduction is not None else members[-1]
    specs = [reduction.specs[0]] if reduction is not None else [m.specs[0] for m in outputs]
    return Node(FUSED_OPS[kind], {"body": body}, params, (), specs, last.name,
                deref=sorted(deref), origin=origin)
