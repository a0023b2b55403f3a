"""``python -m graphflow.viz SOURCE -o out.svg``: draws a graph from the command line.

SOURCE is a ``.meta`` file (the meta graph ``tf.train.Saver`` writes beside a checkpoint) or a
Python file. A Python file is run as a script until it has built its graph and run its training
step a few times (see graphflow/viz/sources.py for the exact rule), then the default graph it
built is drawn; ``--optimized`` with no names draws that training step as the Session runs it.
"""
import argparse
import os
import sys

from ..framework import graph as graph_mod
from . import MAX_NODES, before_after, optimized_dot, output, to_dot
from .sources import load_meta_graph, run_script

DEFAULT_COLLAPSE = ("gradients",)


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m graphflow.viz",
        description="Draw a graphflow graph with graphviz: the graph as written, or with "
                    "--optimized as the Session runs it (fused kernels, folded constants and "
                    "CSE merges marked).")
    parser.add_argument("source", help="a .meta file written by tf.train.Saver, or a Python "
                        "file that builds a graph (it is run until its training step has run "
                        "a few times; the default graph it built is drawn)")
    parser.add_argument("-o", "--output", help="where to write: .svg, .png, .pdf (need "
                        "graphviz's dot binary) or .dot/.gv (DOT source); default: "
                        "SOURCE's name with .svg")
    parser.add_argument("--collapse", action="append", default=[], metavar="SCOPE",
                        help="draw this name scope as one node (repeatable; 'gradients' is "
                        "collapsed unless --expand-gradients)")
    parser.add_argument("--expand-gradients", action="store_true",
                        help="draw the ops inside the gradients scope instead of one node")
    parser.add_argument("--max-nodes", type=int, default=MAX_NODES, metavar="N",
                        help="collapse deeper name scopes until at most N nodes are drawn "
                        "(default %(default)s; 0 draws every node)")
    parser.add_argument("--optimized", nargs="*", metavar="FETCH",
                        help="draw the optimized program for these fetches (op or tensor "
                        "names); with no names, a script's training step or a meta graph's "
                        "train_op collection")
    parser.add_argument("--before-after", action="store_true",
                        help="with --optimized: draw the program before and after the passes "
                        "side by side")
    return parser


def _load(source):
    """(graph, default fetches, feed_dict) for a .meta file or a Python script."""
    if source.endswith(".meta"):
        graph = load_meta_graph(source)
        return graph, graph.get_collection("train_op") or None, None
    if source.endswith(".py"):
        traced = run_script(source)
        return traced.graph, traced.step, traced.feed_dict
    raise ValueError("%s is neither a .meta file nor a Python file" % source)


def _fetches_named(graph, names):
    fetches = []
    for name in names:
        try:
            fetches.append(graph.as_graph_element(name, allow_tensor=True,
                                                  allow_operation=True))
        except (KeyError, ValueError) as e:
            raise ValueError("no op or tensor named %r in the graph (%s)" % (name, e)) from None
    return fetches


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    if not os.path.exists(args.source):
        parser.error("%s does not exist" % args.source)
    target_path = args.output or os.path.splitext(os.path.basename(args.source))[0] + ".svg"
    collapse = list(args.collapse) + ([] if args.expand_gradients else list(DEFAULT_COLLAPSE))
    max_nodes = args.max_nodes or None
    try:
        output.format_of(target_path)
        graph, default_fetches, feed_dict = _load(args.source)
        if args.optimized is None:
            if args.before_after:
                parser.error("--before-after needs --optimized")
            drawing = to_dot(graph, collapse=collapse, max_nodes=max_nodes)
        else:
            if args.optimized:
                fetches, feed_dict = _fetches_named(graph, args.optimized), None
            elif default_fetches is not None:
                fetches = default_fetches
            else:
                raise ValueError("%s has no training step to optimize: name the fetches, "
                                 "e.g. --optimized loss" % args.source)
            draw = before_after if args.before_after else optimized_dot
            with graph.as_default():
                drawing = draw(fetches, feed_dict=feed_dict, graph=graph, collapse=collapse,
                               max_nodes=max_nodes)
        written = output.write(drawing, target_path)
    except (ValueError, RuntimeError, ImportError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 1
    print(written)
    return 0


if __name__ == "__main__":
    graph_mod.reset_default_graph()
    sys.exit(main())
