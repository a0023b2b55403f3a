"""``tf.train.write_graph``: a GraphDef to a file, as TF's text layout or graphflow's binary
form (which ``GraphDef.ParseFromString`` reads back; TensorFlow cannot)."""
import os

from ..framework import graph as graph_mod
from ..framework.graph_def import GraphDef, text_format
from . import checkpoint_format


def write_graph(graph_or_graph_def, logdir, name, as_text=True):
    """Writes the graph to ``logdir/name`` (creating ``logdir``) and returns that path."""
    if isinstance(graph_or_graph_def, graph_mod.Graph):
        graph_def = graph_or_graph_def.as_graph_def()
    elif isinstance(graph_or_graph_def, GraphDef):
        graph_def = graph_or_graph_def
    else:
        raise TypeError("write_graph expects a Graph or a GraphDef, got %s"
                        % type(graph_or_graph_def).__name__)
    os.makedirs(logdir, exist_ok=True)
    path = os.path.join(logdir, name)
    data = text_format(graph_def).encode() if as_text else graph_def.SerializeToString()
    checkpoint_format.atomic_write(path, [data])
    return path
