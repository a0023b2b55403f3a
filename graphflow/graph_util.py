"""``tf.graph_util``: GraphDef surgery for freezing a trained model.

``convert_variables_to_constants`` keeps what the outputs need and turns each variable into a
Const holding its current value; importing the result into a fresh graph computes the same
outputs with no checkpoint and no initializer.
"""
import numpy as np

from .framework import dtypes
from .framework.graph_def import GraphDef, NodeDef

_VARIABLE_OPS = ("Variable", "VariableV2")


def _check_graph_def(graph_def):
    if not isinstance(graph_def, GraphDef):
        raise TypeError("graph_def must be a graph_pb2.GraphDef proto.")


def _node_name(text):
    """The op name an input string refers to: "^a", "a:1" and "a" all name "a"."""
    text = text[1:] if text.startswith("^") else text
    return text.split(":")[0]


def _copy_node(node):
    copied = NodeDef()
    copied.CopyFrom(node)
    return copied


def extract_sub_graph(graph_def, dest_nodes):
    """The nodes ``dest_nodes`` (op names) depend on, through data and control inputs, in
    GraphDef order."""
    _check_graph_def(graph_def)
    if isinstance(dest_nodes, str):
        raise TypeError("dest_nodes must be a list.")
    by_name = {node.name: node for node in graph_def.node}
    for name in dest_nodes:
        assert name in by_name, "%s is not in graph" % name
    keep, pending = set(), list(dest_nodes)
    while pending:
        name = pending.pop()
        if name in keep:
            continue
        keep.add(name)
        pending.extend(_node_name(i) for i in by_name[name].input)
    result = GraphDef()
    result.node.extend(_copy_node(n) for n in graph_def.node if n.name in keep)
    result.versions.producer = graph_def.versions.producer
    return result


def convert_variables_to_constants(sess, input_graph_def, output_node_names,
                                   variable_names_whitelist=None,
                                   variable_names_blacklist=None):
    """Freezes ``input_graph_def``: the subgraph ``output_node_names`` needs, with every
    variable in it (optionally only those in the whitelist / not in the blacklist) replaced by a
    Const of the value it holds in ``sess``."""
    if isinstance(output_node_names, str):
        raise TypeError("output_node_names must be a list of node names, got a string")
    subgraph = extract_sub_graph(input_graph_def, output_node_names)
    to_freeze = [node.name for node in subgraph.node if node.op in _VARIABLE_OPS
                 and (variable_names_whitelist is None or node.name in variable_names_whitelist)
                 and (variable_names_blacklist is None
                      or node.name not in variable_names_blacklist)]
    values = dict(zip(to_freeze, sess.run([name + ":0" for name in to_freeze]))) \
        if to_freeze else {}
    result = GraphDef()
    result.versions.producer = subgraph.versions.producer
    for node in subgraph.node:
        if node.name in values:
            dtype = dtypes.as_dtype(node.attr["dtype"]).base_dtype
            value = np.array(values[node.name], dtype=dtype.numpy_dtype)
            value.flags.writeable = False
            result.node.append(NodeDef(name=node.name, op="Const", device=node.device,
                                       attr={"dtype": dtype, "value": value}))
        else:
            result.node.append(node)
    return result


def remove_training_nodes(input_graph, protected_nodes=None):
    """Drops what only training needs: CheckNumerics nodes, and Identity nodes (except those
    in ``protected_nodes`` or with control inputs) by wiring their consumers to their input."""
    _check_graph_def(input_graph)
    protected = set(protected_nodes or [])
    by_name = {node.name: node for node in input_graph.node}
    control_targets = {_node_name(i) for node in input_graph.node for i in node.input
                       if i.startswith("^")}

    def removable(node):
        if node.name in protected or node.name in control_targets:
            return False
        if any(i.startswith("^") for i in node.input):
            return False
        return node.op in ("Identity", "CheckNumerics") and len(node.input) == 1

    def forwarded(text):
        """Follows removed nodes back to the tensor they pass through."""
        while True:
            node = by_name.get(_node_name(text))
            if node is None or text.startswith("^") or not removable(node):
                return text
            text = node.input[0]

    result = GraphDef()
    result.versions.producer = input_graph.versions.producer
    for node in input_graph.node:
        if removable(node):
            continue
        copied = _copy_node(node)
        copied.input = [forwarded(i) for i in node.input]
        result.node.append(copied)
    return result


def tensor_shape_from_node_def_name(graph, input_name):
    """The static shape of the tensor named ``input_name`` ("op" means "op:0")."""
    name = input_name if ":" in input_name else input_name + ":0"
    return graph.get_tensor_by_name(name).shape


def must_run_on_cpu(node, pin_variables_on_cpu=False):
    """graphflow places nothing itself: only string-typed nodes (and variables, when asked)
    must stay on the CPU, as in TF1."""
    op = node.op if isinstance(node, NodeDef) else node.type
    attrs = node.attr if isinstance(node, NodeDef) else node.attrs
    if pin_variables_on_cpu and op in _VARIABLE_OPS:
        return True
    return attrs.get("dtype") == dtypes.string or attrs.get("T") == dtypes.string
