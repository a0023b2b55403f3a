"""Draws a graph with graphviz: ops as nodes (type and output shape), name scopes as nested
clusters, edges labelled with shape and dtype, control edges dashed, and chosen scopes (by
default ``gradients``) collapsed into one node so large graphs stay readable.

``to_dot(graph_or_fetches)`` always works (DOT source); ``render(..., path)`` writes SVG/PNG/PDF
when graphviz's ``dot`` binary is installed and says how to install it when it is not.
"""
import shutil

import graphviz

from .framework import graph as graph_mod

_STYLES = {
    "Placeholder": {"shape": "box", "style": "filled", "fillcolor": "#ffe08a"},
    "PlaceholderWithDefault": {"shape": "box", "style": "filled", "fillcolor": "#ffe08a"},
    "VariableV2": {"shape": "box3d", "style": "filled", "fillcolor": "#b7e4a8"},
    "Const": {"shape": "note", "style": "filled", "fillcolor": "#e6e6e6"},
}
_DEFAULT_STYLE = {"shape": "ellipse", "style": "filled", "fillcolor": "#cfe2ff"}
_COLLAPSED_STYLE = {"shape": "folder", "style": "filled", "fillcolor": "#f4c7c3"}


def _ops_for(target):
    """All ops of a graph, or the ops that a list of fetches needs."""
    if isinstance(target, graph_mod.Graph):
        return target, target.get_operations()
    fetches = target if isinstance(target, (list, tuple)) else [target]
    elements = [f._as_graph_element() if hasattr(f, "_as_graph_element") else f
                for f in fetches]
    ops = [e.op if isinstance(e, graph_mod.Tensor) else e for e in elements]
    graph = ops[0].graph
    needed, stack = set(), list(ops)
    while stack:
        op = stack.pop()
        if op in needed:
            continue
        needed.add(op)
        stack.extend(t.op for t in op.inputs)
        stack.extend(op.control_inputs)
    return graph, [op for op in graph.get_operations() if op in needed]


def _collapsed_scope(name, collapse):
    for scope in collapse:
        if name == scope or name.startswith(scope + "/"):
            return scope
    return None


def _shape_label(tensor):
    return "%s %s" % (tensor.dtype.base_dtype.name, tensor.shape)


def to_dot(target, collapse=("gradients",), name="graph"):
    """A ``graphviz.Digraph`` of ``target`` (a Graph, or fetches whose subgraph to draw)."""
    graph, ops = _ops_for(target)
    dot = graphviz.Digraph(name=name, graph_attr={"rankdir": "BT", "fontsize": "10"},
                           node_attr={"fontsize": "10"}, edge_attr={"fontsize": "8"})
    node_of = {}
    clusters = {}  # scope path -> Digraph

    def container(scope_path):
        if not scope_path:
            return dot
        if scope_path not in clusters:
            clusters[scope_path] = graphviz.Digraph(
                name="cluster_" + scope_path.replace("/", "__"),
                graph_attr={"label": scope_path.rsplit("/", 1)[-1], "style": "rounded",
                            "color": "#999999"})
        return clusters[scope_path]

    # An op whose name is also a scope (a variable and its read/Assign ops) sits in that scope.
    scopes = {op.name.rsplit("/", 1)[0] for op in ops if "/" in op.name}

    def home(op_name):
        if op_name in scopes:
            return op_name
        return op_name.rsplit("/", 1)[0] if "/" in op_name else ""

    collapsed_counts = {}
    for op in ops:
        scope = _collapsed_scope(op.name, collapse)
        if scope is not None:
            node_of[op] = "collapsed::" + scope
            collapsed_counts[scope] = collapsed_counts.get(scope, 0) + 1
            continue
        node_of[op] = op.name
        outputs = op.outputs
        shape = ("\n" + str(outputs[0].shape)) if outputs else ""
        label = "%s\n%s%s" % (op.name.rsplit("/", 1)[-1], op.type, shape)
        style = _STYLES.get(op.type, _DEFAULT_STYLE)
        container(home(op.name)).node(op.name, label=label, **style)
    for scope, count in collapsed_counts.items():
        container(scope.rsplit("/", 1)[0] if "/" in scope else "").node(
            "collapsed::" + scope, label="%s\n(%d ops)" % (scope, count), **_COLLAPSED_STYLE)

    # Nest clusters by scope path, deepest first.
    for path in sorted(clusters, key=lambda p: -p.count("/")):
        parent = path.rsplit("/", 1)[0] if "/" in path else ""
        container(parent).subgraph(clusters[path])

    seen = set()
    for op in ops:
        for t in op.inputs:
            if t.op not in node_of:
                continue
            edge = (node_of[t.op], node_of[op])
            if edge[0] == edge[1] or edge in seen:
                continue
            seen.add(edge)
            dot.edge(edge[0], edge[1], label=_shape_label(t))
        for c in op.control_inputs:
            if c in node_of and node_of[c] != node_of[op]:
                dot.edge(node_of[c], node_of[op], style="dashed", color="#888888")
    return dot


def render(target, path, format=None, collapse=("gradients",)):  # noqa: A002
    """Writes the drawing to ``path`` (format from its extension: svg, png, pdf, or dot).
    Returns the path written."""
    dot = to_dot(target, collapse=collapse)
    format = format or path.rsplit(".", 1)[-1].lower()
    if format in ("dot", "gv"):
        with open(path, "w") as f:
            f.write(dot.source)
        return path
    if shutil.which("dot") is None:
        raise RuntimeError("graphviz's 'dot' program is not installed, so %s cannot be "
                           "rendered as %s. Install it (e.g. `sudo apt-get install graphviz`) "
                           "or write DOT source with a .dot path." % (path, format))
    stem = path[:-(len(format) + 1)] if path.endswith("." + format) else path
    return dot.render(filename=stem, format=format, cleanup=True)
