"""The graph as a Session runs it: the optimized Program for a set of fetches.

Read from ``graphflow.compiler.optimized_program``'s nodes and their ``origin`` (the user ops each
stands for):
- a fused kernel (type ``Fused*``) is one box listing the ops it absorbed;
- a folded constant (a Const named ``.../folded_N``) is marked with the ops folded into it;
- a CSE merge (any other node standing for several user ops) is double-bordered and names the
  ops merged into it;
- fed tensors are drawn as placeholders, fetched values with a bold border.
"""
import html

from .. import compiler
from ..framework import graph as graph_mod, tensor_shape
from ..runtime.config import ConfigProto
from . import output
from .canvas import Canvas
from .graph_view import MAX_NODES, _subgraph_factory, edge_label, node_label, ops_for, style_for

FUSED_STYLE = {"shape": "box", "style": "filled,rounded", "fillcolor": "#fde2b8",
               "color": "#c77700", "penwidth": "1.5"}
FOLDED_STYLE = {"shape": "note", "style": "filled,dashed", "fillcolor": "#e8f5e0",
                "color": "#4a8f2a"}
MERGED_STYLE = {"fillcolor": "#d9d2f3", "peripheries": "2", "color": "#5b3fb0"}
FETCHED_BORDER = {"penwidth": "2.5", "color": "#000000"}
# Longer lists of absorbed ops end in "... and N more": a fused backward pass may absorb
# dozens, and the box would outgrow the graph.
MAX_LISTED = 12

# A constant merged by CSE may stand for one copy per layer: its label names a few.
MAX_MERGED = 3

FUSED = "fused kernel"
FOLDED = "folded constant"
MERGED = "CSE merge"


def node_kind(node):
    if node.type.startswith("Fused"):
        return FUSED
    if node.type == "Const" and "/folded_" in node.name:
        return FOLDED
    if len(node.origin) > 1:
        return MERGED
    return None


def _shape(spec):
    return tensor_shape.as_shape(spec.shape)


def _op_type(graph, name):
    try:
        return graph.get_operation_by_name(name).type
    except (KeyError, ValueError):
        return None


def _listed(names, graph, with_types, limit=MAX_LISTED):
    shown = list(names[:limit])
    rows = []
    for name in shown:
        op_type = _op_type(graph, name) if with_types else None
        rows.append("%s  (%s)" % (name, op_type) if op_type else name)
    if len(names) > len(shown):
        rows.append("... and %d more" % (len(names) - len(shown)))
    return rows


def _fused_label(node, graph):
    """An HTML-like label: the kernel type and shape, then one row per absorbed op."""
    shape = _shape(node.specs[0]) if node.specs else ""
    rows = ['<TR><TD ALIGN="LEFT"><B>%s</B> %s</TD></TR>'
            % (html.escape(node.type), html.escape(str(shape)))]
    rows.append('<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="8">absorbs %d ops:</FONT></TD></TR>'
                % len(node.origin))
    rows += ['<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="8">%s</FONT></TD></TR>' % html.escape(row)
             for row in _listed(node.origin, graph, with_types=True)]
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0">%s</TABLE>>' % "".join(rows)


def _label_and_style(node, graph):
    kind = node_kind(node)
    shape = _shape(node.specs[0]) if node.specs else None
    if kind == FUSED:
        return _fused_label(node, graph), FUSED_STYLE
    if kind == FOLDED:
        lines = ["folded constant", str(shape), "from: " + ", ".join(
            _listed(node.origin, graph, with_types=False))]
        return "\\n".join(lines), FOLDED_STYLE
    label = node_label(node.name, "fed" if node.type == "_Feed" else node.type, shape)
    if kind == MERGED:
        merged = [name for name in node.origin if name != node.name]
        names = _listed(merged, graph, False, MAX_MERGED)
        return (label + "\\nmerged: " + "\\n".join(names),
                dict(style_for(node.type, bool(node.specs)), **MERGED_STYLE))
    return label, style_for(node.type, bool(node.specs))


def _draw_program(canvas, program, graph):
    fetched = {id(v.node) for v in program.fetches} | {id(n) for n in program.targets}
    for node in program.nodes:
        label, style = _label_and_style(node, graph)
        if id(node) in fetched:
            style = dict(style, **FETCHED_BORDER)
        # A fused kernel is placed by its last member (its name); the members may come from
        # several scopes, which its label lists.
        canvas.add_node(id(node), node.name.split(":")[0], label, style, kind=node_kind(node))
    for node in program.nodes:
        for value in node.inputs:
            spec = value.node.specs[value.index]
            canvas.add_edge(id(value.node), id(node), edge_label(spec.dtype, _shape(spec)),
                            value=(id(value.node), value.index))
        for control in node.control:
            canvas.add_edge(id(control), id(node), control=True)


def summary(program):
    kinds = [node_kind(n) for n in program.nodes]
    parts = ["%d nodes" % len(program.nodes)]
    parts += ["%d %s%s" % (kinds.count(k), k, "" if kinds.count(k) == 1 else "s")
              for k in (FUSED, FOLDED, MERGED) if kinds.count(k)]
    return ", ".join(parts)


def _pass_log_text(pass_log):
    lines = ["%d. %s: %d -> %d nodes" % (r.iteration, r.name, r.nodes_before, r.nodes_after)
             for r in pass_log]
    return "\\l".join(lines) + "\\l" if lines else "no pass changed the program\\l"


def _needed_feeds(fetches, feed_dict, graph):
    """The feed_dict to plan with: the given one, else every placeholder the fetches need
    without a default (the view needs their shapes, not values)."""
    if feed_dict:
        return feed_dict
    from ..runtime.fetch import FetchMapper
    mapper = FetchMapper(graph, fetches)
    targets = list(mapper.tensors) + list(mapper.ops)
    ops = ops_for(targets)[1] if targets else []
    return {op.outputs[0]: None for op in ops if op.type == "Placeholder"}


def optimized_program(fetches, feed_dict=None, graph=None, config=None, optimize=True):
    """(program, pass_log) for the view; unfed placeholders are treated as fed."""
    graph = graph if graph is not None else graph_mod.get_default_graph()
    feeds = _needed_feeds(fetches, feed_dict, graph)
    if not optimize:
        config = ConfigProto()
        config.graph_options.rewrite_options.disable_meta_optimizer = True
    return compiler.optimized_program(fetches, feeds, graph=graph, config=config)


def optimized_dot(fetches, feed_dict=None, graph=None, config=None, collapse=("gradients",),
                  name="optimized", max_nodes=MAX_NODES):
    """The optimized view: the Program a Session runs for ``fetches`` (with ``feed_dict``'s
    keys fed; placeholders the fetches need are fed when it is None), drawn with fused
    kernels, folded constants and CSE merges marked. The title counts them and lists what each
    pass did."""
    graph = graph if graph is not None else graph_mod.get_default_graph()
    program, pass_log = optimized_program(fetches, feed_dict, graph, config)
    drawing = output.new_drawing(name, labelloc="t", labeljust="l", label=(
        "optimized for %s: %s\\l%s" % (_fetch_names(program), summary(program),
                                       _pass_log_text(pass_log))))
    canvas = Canvas(collapse, unit="nodes", max_nodes=max_nodes)
    _draw_program(canvas, program, graph)
    canvas.draw(drawing, make_subgraph=_subgraph_factory())
    return drawing


def before_after(fetches, feed_dict=None, graph=None, config=None, collapse=("gradients",),
                 name="before_after", max_nodes=MAX_NODES):
    """One drawing holding two views of ``fetches``: the pruned program before any pass
    (left) and after the passes ``config`` enables (right), with the pass log."""
    graph = graph if graph is not None else graph_mod.get_default_graph()
    before, _ = optimized_program(fetches, feed_dict, graph, optimize=False)
    after, pass_log = optimized_program(fetches, feed_dict, graph, config)
    drawing = output.new_drawing(name, labelloc="t", labeljust="l",
                                 label="passes:\\l" + _pass_log_text(pass_log))
    make_subgraph = _subgraph_factory()
    for prefix, title, program in (("b", "before", before), ("a", "after", after)):
        side = make_subgraph("cluster_%s" % title, {
            "label": "%s: %s" % (title, summary(program)), "style": "rounded",
            "color": "#666666", "fontsize": "12"})
        canvas = Canvas(collapse, id_prefix=prefix, unit="nodes", max_nodes=max_nodes)
        _draw_program(canvas, program, graph)
        canvas.draw(side, cluster_prefix=prefix + "_", make_subgraph=make_subgraph)
        drawing.subgraph(side)
    return drawing


def _fetch_names(program):
    names = [v.node.name if v.node.type == "_Feed" else "%s:%d" % (v.node.name, v.index)
             for v in program.fetches] + [n.name for n in program.targets]
    shown = ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")
    return shown or "(nothing)"

