"""Redraws the gallery: for every example in examples/, its training step as written
(``<example>.svg``) and as the Session runs it after the optimization passes
(``<example>_optimized.svg``), plus README.md indexing them.

    .venv/bin/python viz/make_gallery.py [EXAMPLE ...]

Each example runs as a script until its training step has run a few times (the rule is in
graphflow/viz/sources.py), so the whole gallery takes about a minute. An example that never
trains is drawn whole, without an optimized view. Needs graphviz's ``dot`` binary.
"""
import contextlib
import os
import pathlib
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from graphflow import viz  # noqa: E402
from graphflow.compiler import optimized_program  # noqa: E402
from graphflow.viz import graph_view, program_view  # noqa: E402
from graphflow.viz.sources import graph_elements, run_script, runnable_scripts  # noqa: E402

GALLERY = REPO / "viz"
EXAMPLES = REPO / "examples"


def examples():
    """The runnable examples (not the data loaders and helpers they import)."""
    return runnable_scripts(EXAMPLES)


def draw(script):
    """Renders one example; returns its README row."""
    started = time.time()
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        traced = run_script(script)
    if traced.step is None and not traced.graph.get_operations():
        print("%-20s builds no graph in the default graph: skipped" % script.stem)
        return None
    target = traced.step if traced.step is not None else traced.graph
    raw = viz.render(target, str(GALLERY / (script.stem + ".svg")))
    row = {"name": script.stem, "raw": os.path.basename(raw), "optimized": None}
    if traced.step is not None:
        with traced.graph.as_default():
            program, _ = optimized_program(traced.step, traced.feed_dict, graph=traced.graph)
            drawing = viz.optimized_dot(traced.step, traced.feed_dict, graph=traced.graph)
        row["optimized"] = os.path.basename(viz.write(
            drawing, str(GALLERY / (script.stem + "_optimized.svg"))))
        _, before_ops = graph_view.ops_for(graph_elements(traced.step))
        row["counts"] = "%d ops -> %s" % (len(before_ops), program_view.summary(program))
    print("%-20s %5.1f s  %s" % (script.stem, time.time() - started, row.get("counts", "")))
    return row


def write_index(rows):
    lines = ["# Gallery", "",
             "Every example's training step as written (gradients collapsed into one node; in "
             "large graphs the deepest name scopes too) and as the Session runs it: fused "
             "kernels as orange boxes listing the ops they absorbed, folded constants as green "
             "notes, CSE merges double-bordered. Regenerate with "
             "`.venv/bin/python viz/make_gallery.py`; draw your own with "
             "`python -m graphflow.viz script.py -o graph.svg [--optimized]`.", "",
             "| example | as written | as run | ops -> nodes |", "|---|---|---|---|"]
    for row in rows:
        optimized = "[optimized](%s)" % row["optimized"] if row["optimized"] else "(no training)"
        lines.append("| %s | [graph](%s) | %s | %s |" % (row["name"], row["raw"], optimized,
                                                       row.get("counts", "")))
    (GALLERY / "README.md").write_text("\n".join(lines) + "\n")


def main(names):
    os.environ["GRAPHFLOW_PROGRESS"] = "0"
    for name in ("GRAPHFLOW_OUTPUT", "GRAPHFLOW_VIZ"):  # the examples write nothing here
        os.environ.pop(name, None)
    chosen = [p for p in examples() if not names or p.stem in names]
    rows = []
    workdir = os.getcwd()
    with tempfile.TemporaryDirectory() as scratch:
        os.chdir(scratch)  # whatever an example writes lands in a throw-away folder
        try:
            rows = [row for row in map(draw, chosen) if row is not None]
        finally:
            os.chdir(workdir)
    if not names:
        write_index(rows)


if __name__ == "__main__":
    main(sys.argv[1:])
