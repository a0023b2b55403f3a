"""Where a graph to draw comes from outside Python code: a saved meta graph, or a script.

A script is run as ``__main__`` (``runpy``) in a fresh default graph, with ``Session.run``
watched: the run stops once the same fetches that update variables (a training step) have been
run ``repeats`` times, because by then a TF1 program has built its graph; a script that never
trains stops after ``max_runs`` calls of one fetch set, or runs to its end. The default graph at
that point is the graph drawn, and the most-run training fetches (with their feed_dict) are
its training step.
"""
import collections
import os
import re
import runpy
import sys

from ..framework import graph as graph_mod
from ..runtime import session as session_mod
from .graph_view import ops_for

Traced = collections.namedtuple("Traced", ["graph", "step", "feed_dict", "runs"])


class _StopScript(BaseException):
    """Raised inside the script to end it; a BaseException so that the script's own
    ``except Exception`` blocks let it through."""


def runnable_scripts(directory):
    """The scripts in ``directory`` that are programs: those no other script there imports
    (data loaders, shared helpers), sorted by name."""
    scripts = sorted(directory.glob("*.py"))
    sources = {p.stem: p.read_text() for p in scripts}
    imported = {stem for stem in sources for other, text in sources.items() if other != stem
                and re.search(r"^\s*(?:import|from)\s+%s\b" % stem, text, re.M)}
    return [p for p in scripts if p.stem not in imported]


def load_meta_graph(path):
    """A new Graph holding the graph of a ``.meta`` file written by ``tf.train.Saver``."""
    from ..train import meta_graph
    graph = graph_mod.Graph()
    with graph.as_default():
        meta_graph.import_meta_graph(os.fspath(path))
    return graph


def _fetch_key(fetches):
    """A hashable description of a fetch structure, by graph element names."""
    if isinstance(fetches, (graph_mod.Tensor, graph_mod.Operation)):
        return fetches.name
    if isinstance(fetches, dict):
        return tuple(sorted((repr(k), _fetch_key(v)) for k, v in fetches.items()))
    if isinstance(fetches, (list, tuple)):
        return tuple(_fetch_key(f) for f in fetches)
    if hasattr(fetches, "_as_graph_element"):
        return _fetch_key(fetches._as_graph_element())
    return repr(fetches)


_UPDATING_PREFIXES = ("Assign", "Apply", "ResourceApply", "Scatter")


def graph_elements(fetches):
    """The Tensors and Operations in a fetch structure (strings and others left out)."""
    if isinstance(fetches, dict):
        return [x for v in fetches.values() for x in graph_elements(v)]
    if isinstance(fetches, (list, tuple)):
        return [x for v in fetches for x in graph_elements(v)]
    if hasattr(fetches, "_as_graph_element"):
        fetches = fetches._as_graph_element()
    return [fetches] if isinstance(fetches, (graph_mod.Tensor, graph_mod.Operation)) else []


def _updates_variables(fetches):
    elements = graph_elements(fetches)
    return bool(elements) and any(op.type.startswith(_UPDATING_PREFIXES)
                                  for op in ops_for(elements)[1])


def run_script(path, repeats=3, max_runs=20, argv=()):
    """Runs the Python file ``path`` and returns ``Traced(graph, step, feed_dict, runs)``:
    the default graph it built, its training step's fetches and feed_dict (None when it
    never trained), and how many ``Session.run`` calls it made."""
    path = os.path.abspath(os.fspath(path))
    counts = collections.Counter()
    updating = {}
    last_call = {}
    stop = {}

    original_run = session_mod.BaseSession.run

    def watched_run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        key = _fetch_key(fetches)
        counts[key] += 1
        last_call[key] = (fetches, dict(feed_dict) if feed_dict else None)
        if key not in updating:
            updating[key] = _updates_variables(fetches)
        if (updating[key] and counts[key] >= repeats) or counts[key] >= max_runs:
            stop["key"] = key
            raise _StopScript()
        return original_run(self, fetches, feed_dict, options, run_metadata)

    graph_mod.reset_default_graph()
    saved_argv, saved_path = sys.argv, list(sys.path)
    sys.argv = [path] + list(argv)
    sys.path.insert(0, os.path.dirname(path))
    session_mod.BaseSession.run = watched_run
    try:
        runpy.run_path(path, run_name="__main__")
    except _StopScript:
        pass
    finally:
        session_mod.BaseSession.run = original_run
        sys.argv = saved_argv
        sys.path[:] = saved_path
    graph = graph_mod.get_default_graph()
    training = [k for k in counts if updating.get(k)]
    step_key = max(training, key=lambda k: counts[k]) if training else None
    step, feed_dict = last_call[step_key] if step_key is not None else (None, None)
    if step is not None and not _belongs_to(step, graph):
        step, feed_dict = None, None  # built in a graph the script later replaced
    return Traced(graph, step, feed_dict, sum(counts.values()))


def _belongs_to(fetches, graph):
    elements = graph_elements(fetches)
    return bool(elements) and all(e.graph is graph for e in elements)
