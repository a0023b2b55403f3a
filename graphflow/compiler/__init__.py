"""The compiler: lowering a graph to a Program, the optimization passes, and the backends.

``optimized_program`` shows what a Session will run for a set of fetches, for the graph view
and for anyone asking "what did the optimizer do to my graph?".
"""


def optimized_program(fetches, feed_dict=None, graph=None, config=None):
    """(program, pass_log): the Program a Session runs for ``fetches`` (any fetch structure
    ``Session.run`` takes) with the tensors in ``feed_dict`` (its keys; values are ignored) fed,
    after the passes that ``config`` (a ConfigProto) enables."""
    from ..framework import graph as graph_mod
    from ..runtime.config import ConfigProto
    from ..runtime.fetch import FetchMapper
    from . import ir, pipeline
    graph = graph if graph is not None else graph_mod.get_default_graph()
    config = config if config is not None else ConfigProto()
    mapper = FetchMapper(graph, fetches)
    feeds = [graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
             for key in (feed_dict or {})]
    program = ir.lower(mapper.tensors, mapper.ops, feeds)
    return pipeline.optimize(program, config.pass_enabled)
