"""The program a Session runs: the pruned, ordered subgraph for one set of fetches and feeds.

``lower`` turns the user's Graph (which passes must never mutate: its names are the user's)
into a ``Program`` of ``Node`` s. Passes are functions ``Program -> Program``; backends compile a
Program into an executable. A node input is a ``Value`` = (producer node, output index).

A fed tensor becomes a ``Feed`` node, cutting its producer off. Variable references flow as
handles: a node input that carries a reference the op does not declare in ``ref_inputs`` is read
(dereferenced) when that node runs, which is TF1's ref-tensor semantics.
"""
import collections

from ..framework import errors, tensor_shape
from ..ops.registry import OpDef, Spec

Value = collections.namedtuple("Value", ["node", "index"])


def _feed_ref(*, index):
    raise errors.InternalError(None, None, "a Feed node is filled by the executor, never run")


FEED = OpDef("_Feed", shape=None, ref=_feed_ref, grad="not differentiable")


class Node:
    """One operation of a Program. ``origin`` names the user ops it stands for (several after
    fusion or CSE), for error messages and the graph view."""

    __slots__ = ("op_def", "attrs", "inputs", "control", "specs", "name", "deref", "origin")

    def __init__(self, op_def, attrs, inputs, control, specs, name, deref=(), origin=None):
        self.op_def = op_def
        self.attrs = attrs
        self.inputs = tuple(inputs)
        self.control = tuple(control)
        self.specs = tuple(specs)
        self.name = name
        self.deref = tuple(deref)
        self.origin = tuple(origin) if origin is not None else (name,)

    @property
    def type(self):
        return self.op_def.name

    def replace(self, **changes):
        fields = {k: getattr(self, k) for k in self.__slots__}
        fields.update(changes)
        return Node(**fields)

    def __repr__(self):
        return "<Node %s (%s)>" % (self.name, self.op_def.name)


class Program:
    """Nodes in a valid execution order, with the feed nodes, fetched values and target nodes.

    ``fetch_deref[i]`` says fetch ``i`` is a variable reference whose value is read at the end.
    ``changes``: short notes from the pass that produced this Program on what it changed (the
    pipeline copies them into its log); a pass sets them on the Program it returns.
    """

    __slots__ = ("nodes", "feeds", "fetches", "fetch_deref", "targets", "changes")

    def __init__(self, nodes, feeds, fetches, fetch_deref, targets, changes=()):
        self.nodes = list(nodes)
        self.feeds = list(feeds)
        self.fetches = list(fetches)
        self.fetch_deref = list(fetch_deref)
        self.targets = list(targets)
        self.changes = tuple(changes)

    def consumers(self):
        """node -> list of (consumer node, input position)."""
        users = {id(n): [] for n in self.nodes}
        for n in self.nodes:
            for pos, v in enumerate(n.inputs):
                users[id(v.node)].append((n, pos))
        return users

    def __repr__(self):
        return "<Program %d nodes, %d feeds, %d fetches>" % (
            len(self.nodes), len(self.feeds), len(self.fetches))


def _placeholder_message(op):
    tensor = op.outputs[0]
    shape = tensor.shape
    dtype = tensor.dtype.base_dtype
    dtype_name = {"float32": "float", "float64": "double", "float16": "half"}.get(
        dtype.name, dtype.name)
    # TF's text, which leaves the shape out when not even the rank is known.
    message = "You must feed a value for placeholder tensor '%s' with dtype %s" % (
        op.name, dtype_name)
    if shape.ndims is not None:
        message += " and shape [%s]" % ",".join(
            "?" if d is None else str(d) for d in shape.as_list())
    return ("%s\n\t [[{{node %s}}]]\nPass its value in the run call: "
            "sess.run(fetches, feed_dict={<the tensor %s>: value})."
            % (message, op.name, tensor.name))


def _cycle_message(dependency_graph):
    import networkx as nx
    cycle = [a for a, _ in nx.find_cycle(dependency_graph)]
    start = min(range(len(cycle)), key=lambda i: cycle[i]._id)
    cycle = cycle[start:] + cycle[:start]
    path = " -> ".join(op.name for op in cycle + cycle[:1])
    return cycle[0], ("Graph is invalid, contains a cycle with %d nodes, including: %s\n"
                      "The cycle %s was made by editing an op's inputs or control inputs after "
                      "it was created (e.g. op._add_control_input); remove that edge."
                      % (len(cycle), ", ".join(sorted(op.name for op in cycle)), path))


def _fed_placeholder(op, fed):
    return op.type == "Placeholder" and op.outputs[0] in fed


def lower(fetch_tensors, target_ops, feed_tensors, feed_shapes=None):
    """Prunes the graph to what the fetches and targets need, stopping at fed tensors.

    ``feed_shapes`` (one tuple per feed), when given, are the shapes this program will be fed:
    feed nodes take them as their static shapes, for passes to specialize on.

    Raises InvalidArgumentError for a needed placeholder that is not fed, and
    InvalidArgumentError naming the cycle when the needed ops are not a DAG.
    """
    # networkx costs a quarter second to import: paid at the first plan, not at `import graphflow`.
    import networkx as nx
    fed = {}
    feed_nodes = []
    for i, t in enumerate(feed_tensors):
        shape = t.shape if feed_shapes is None else tensor_shape.TensorShape(feed_shapes[i])
        node = Node(FEED, {"index": i}, (), (), [Spec(shape, t.dtype.base_dtype)], t.name)
        feed_nodes.append(node)
        fed[t] = node

    # Collect the needed ops: a fed tensor does not pull in its producer.
    needed = {}
    dependency_graph = nx.DiGraph()
    stack = [t.op for t in fetch_tensors if t not in fed] + list(target_ops)
    while stack:
        op = stack.pop()
        if op in needed:
            continue
        needed[op] = True
        dependency_graph.add_node(op)
        for t in op.inputs:
            if t not in fed:
                dependency_graph.add_edge(t.op, op)
                stack.append(t.op)
        for c in op.control_inputs:
            if _fed_placeholder(c, fed):
                # As in TF, a control edge from a fed placeholder is met by the feed itself
                # (tf.metrics.mean(placeholder) makes one).
                continue
            dependency_graph.add_edge(c, op)
            stack.append(c)

    unfed = sorted((op for op in needed if op.type == "Placeholder"), key=lambda op: op._id)
    if unfed:
        raise errors.InvalidArgumentError(None, unfed[0], _placeholder_message(unfed[0]))

    try:
        order = list(nx.lexicographical_topological_sort(dependency_graph, key=lambda op: op._id))
    except nx.NetworkXUnfeasible:
        op, message = _cycle_message(dependency_graph)
        raise errors.InvalidArgumentError(None, op, message) from None

    node_of = {}
    nodes = list(feed_nodes)
    # TF1's Identity of a variable (its `read`) aliases the variable's buffer: a consumer sees
    # the value at the time it runs, e.g. after an assign it waits for. So a record marked
    # `aliases_input` (Identity) forwards the handle and whoever consumes it reads then. `aliases` holds such handle-carrying
    # tensors whose dtype is not a reference.
    aliases = set()
    for op in order:
        inputs, deref = [], []
        forwards_handle = op.op_def.aliases_input
        for pos, t in enumerate(op.inputs):
            if t in fed:
                inputs.append(Value(fed[t], 0))
                continue
            inputs.append(Value(node_of[t.op], t.value_index))
            carries_handle = t.dtype.is_ref or t in aliases
            if not carries_handle:
                continue
            if forwards_handle:
                aliases.add(op.outputs[0])
            elif not (t.dtype.is_ref and pos in op.op_def.ref_inputs):
                deref.append(pos)
        specs = [Spec(o.shape, o.dtype) for o in op.outputs]
        controls = [node_of[c] for c in op.control_inputs if not _fed_placeholder(c, fed)]
        node = Node(op.op_def, op.attrs, inputs, controls, specs, op.name, deref)
        node_of[op] = node
        nodes.append(node)

    fetches, fetch_deref = [], []
    for t in fetch_tensors:
        if t in fed:
            fetches.append(Value(fed[t], 0))
            fetch_deref.append(False)
        else:
            fetches.append(Value(node_of[t.op], t.value_index))
            fetch_deref.append(t.dtype.is_ref or t in aliases)
    targets = [node_of[op] for op in target_ops]
    return Program(nodes, feed_nodes, fetches, fetch_deref, targets)
