"""Drawing graphs with graphviz.

- ``to_dot(graph_or_fetches)``: the graph as written. Ops are nodes labelled with type and output
  shape (placeholders, variables and constants styled apart), edges carry dtype and shape,
  control edges are dashed, name scopes are nested clusters, and the ``gradients`` scope (and any
  scope named in ``collapse``) is folded into one node so that large graphs stay readable.
- ``optimized_dot(fetches)``: the graph as the Session runs it for those fetches: fused kernels
  as one box listing the ops they absorbed, folded constants and CSE merges marked;
  ``before_after(fetches)`` puts the program before and after the passes side by side.
- ``render(target, path)`` writes DOT source (.dot, always possible) or SVG/PNG/PDF (needs
  graphviz's ``dot`` binary; a missing one is reported with the command that installs it).

Drawings are ``graphviz.Digraph`` objects: ``.source`` is the DOT text, and notebooks show them
as SVG. ``python -m graphflow.viz --help`` draws from the command line.
"""
from . import output
from .graph_view import MAX_NODES, to_dot
from .output import write
from .program_view import before_after, optimized_dot


def render(target, path, format=None, collapse=("gradients",),  # noqa: A002 - graphviz's
           max_nodes=MAX_NODES):
    """Writes a drawing of ``target`` (a Graph, fetches, or a drawing made by this module) to
    ``path``; the format is ``format`` or the path's extension (svg, png, pdf, dot, gv).
    Returns the path written."""
    if not hasattr(target, "source") or not hasattr(target, "pipe"):
        target = to_dot(target, collapse=collapse, max_nodes=max_nodes)
    return write(target, path, format)


__all__ = ["to_dot", "optimized_dot", "before_after", "render", "write", "output"]
