"""The user's graph as written: one node per op, labelled with its name, type and output
shape; edges labelled with dtype and shape; control edges dashed."""
from ..framework import graph as graph_mod
from . import output
from .canvas import Canvas

PLACEHOLDER_STYLE = {"shape": "box", "style": "filled", "fillcolor": "#ffe08a"}
VARIABLE_STYLE = {"shape": "box3d", "style": "filled", "fillcolor": "#b7e4a8"}
CONSTANT_STYLE = {"shape": "note", "style": "filled", "fillcolor": "#e6e6e6"}
OP_STYLE = {"shape": "ellipse", "style": "filled", "fillcolor": "#cfe2ff"}
NO_OUTPUT_STYLE = {"shape": "octagon", "style": "filled", "fillcolor": "#eadcf8"}

STYLE_BY_TYPE = {
    "Placeholder": PLACEHOLDER_STYLE, "PlaceholderWithDefault": PLACEHOLDER_STYLE,
    "_Feed": PLACEHOLDER_STYLE,
    "VariableV2": VARIABLE_STYLE, "Variable": VARIABLE_STYLE, "VarHandleOp": VARIABLE_STYLE,
    "Const": CONSTANT_STYLE,
}


def style_for(op_type, has_outputs=True):
    if op_type in STYLE_BY_TYPE:
        return STYLE_BY_TYPE[op_type]
    return OP_STYLE if has_outputs else NO_OUTPUT_STYLE


def edge_label(dtype, shape):
    return "%s %s" % (dtype.base_dtype.name, shape)


def node_label(name, op_type, shape=None):
    """``short name / type / shape``; the name line is left out when it only repeats the
    type (``MatMul`` of type MatMul), which keeps big graphs lighter."""
    short = name.rsplit("/", 1)[-1]
    lines = [op_type] if short == op_type else [short, op_type]
    if shape is not None:
        lines.append(str(shape))
    return "\\n".join(lines)


def ops_for(target):
    """(graph, ops): all ops of a Graph, or the ops a fetch (or list of fetches) needs."""
    if isinstance(target, graph_mod.Graph):
        return target, target.get_operations()
    fetches = target if isinstance(target, (list, tuple)) else [target]
    ops = [graph_mod._as_operation(f) for f in fetches]
    if not ops:
        raise ValueError("Nothing to draw: no fetches given")
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


def draw_ops(canvas, ops):
    for op in ops:
        shape = op.outputs[0].shape if op.outputs else None
        canvas.add_node(op, op.name, node_label(op.name, op.type, shape),
                        style_for(op.type, bool(op.outputs)))
    for op in ops:
        for t in op.inputs:
            canvas.add_edge(t.op, op, edge_label(t.dtype, t.shape), value=t)
        for c in op.control_inputs:
            canvas.add_edge(c, op, control=True)


# Beyond this many nodes graphviz takes minutes and the drawing stops being readable, so deeper
# name scopes are collapsed (see Canvas); pass max_nodes=None to draw every op.
MAX_NODES = 250


def to_dot(target, collapse=("gradients",), name="graph", max_nodes=MAX_NODES):
    """A drawing (a ``graphviz.Digraph``) of ``target``: a Graph, or a fetch or list of fetches
    whose subgraph to draw. Scopes in ``collapse`` (and their ``_N`` twins) become one node
    each; pass ``collapse=()`` to expand everything."""
    graph, ops = ops_for(target)
    drawing = output.new_drawing(name)
    canvas = Canvas(collapse, max_nodes=max_nodes)
    draw_ops(canvas, ops)
    canvas.draw(drawing, make_subgraph=_subgraph_factory())
    return drawing


def _subgraph_factory():
    graphviz = output.import_graphviz()
    return lambda name, attrs: graphviz.Digraph(name=name, graph_attr=attrs)
