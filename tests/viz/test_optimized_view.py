"""The optimized view: what is drawn is derived from the program ``optimized_program`` returns
(its node count, fused kernels and what they absorbed, folded constants, CSE merges), so these
tests follow the compiler as its passes change."""
import pytest

import graphflow as tf
from graphflow import compiler, viz
from graphflow.viz import program_view

import dot_reader


def fused_affine_tanh():
    x = tf.placeholder(tf.float32, [None, 8], name="x")
    a = tf.Variable(tf.ones([8]), name="a")
    b = tf.Variable(tf.zeros([8]), name="b")
    return x, tf.tanh(a * x + b, name="y")


def drawn_nodes(drawing):
    return dot_reader.read(drawing.source)


def test_each_program_node_is_drawn_once_and_fused_kernels_list_what_they_absorbed():
    x, y = fused_affine_tanh()
    program, _ = compiler.optimized_program(y, {x: None})
    d = drawn_nodes(viz.optimized_dot(y, {x: None}, collapse=()))
    assert len(d.nodes) == len(program.nodes)
    fused = [n for n in program.nodes if n.type.startswith("Fused")]
    assert fused, "tanh(a*x+b) should fuse into one kernel: %s" % program.nodes
    for node in fused:
        box = dot_reader.one(d, "<B>%s</B>" % node.type)
        label = dot_reader.label(d, box)
        assert "absorbs %d ops" % len(node.origin) in label
        assert all(name in label for name in node.origin)
        assert d.nodes[box]["attrs"]["shape"] == "box"
    # The fetched value is outlined; the feed is drawn as a placeholder.
    fetched = [n for n in d.nodes if d.nodes[n]["attrs"].get("penwidth") == "2.5"]
    assert len(fetched) == 1
    assert dot_reader.label(d, dot_reader.one(d, "x:0")).startswith("x:0\nfed")


def test_folded_constants_and_cse_merges_are_marked():
    x = tf.placeholder(tf.float32, [4], name="x")
    two = tf.constant(2.0, name="two") * tf.constant(3.0, name="three")
    left = tf.exp(x, name="left")
    right = tf.exp(x, name="right")
    out = tf.add(left * two, right, name="out")
    program, _ = compiler.optimized_program(out, {x: None})
    d = drawn_nodes(viz.optimized_dot(out, {x: None}, collapse=()))
    folded = [n for n in program.nodes if program_view.node_kind(n) == program_view.FOLDED]
    merged = [n for n in program.nodes if program_view.node_kind(n) == program_view.MERGED]
    fused = [n for n in program.nodes if program_view.node_kind(n) == program_view.FUSED]
    assert folded, program.nodes
    for node in folded:
        label = dot_reader.label(d, dot_reader.one(d, "folded constant\n"))
        assert all(name in label for name in node.origin)
    # CSE keeps one of the two Exp ops: merged into a plain node or, once fused, into a kernel
    # that lists both names.
    labels = [dot_reader.label(d, n) for n in d.nodes]
    assert any("left" in text and "right" in text for text in labels), labels
    for node in merged:
        box = dot_reader.one(d, "merged: ")
        assert d.nodes[box]["attrs"]["peripheries"] == "2"
    assert merged or fused


def test_title_counts_and_pass_log():
    x, y = fused_affine_tanh()
    program, log = compiler.optimized_program(y, {x: None})
    title = drawn_nodes(viz.optimized_dot(y)).graph_attrs["label"]
    assert "%d nodes" % len(program.nodes) in title
    for record in log:
        assert "%s: %d -> %d nodes" % (record.name, record.nodes_before,
                                       record.nodes_after) in title


def test_before_after_holds_both_programs_side_by_side():
    x, y = fused_affine_tanh()
    loss = tf.reduce_sum(y)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    before, _ = program_view.optimized_program(train, optimize=False)
    after, _ = compiler.optimized_program(train, {x: None})
    d = drawn_nodes(viz.before_after(train, collapse=()))
    sides = {name: cluster for name, cluster in d.clusters.items() if cluster["parent"] is None}
    assert set(sides) == {"cluster_before", "cluster_after"}

    def inside(side):
        def within(cluster):
            while cluster is not None:
                if cluster == side:
                    return True
                cluster = d.clusters[cluster]["parent"]
            return False
        return [n for n in d.nodes if within(d.nodes[n]["cluster"])]
    assert len(inside("cluster_before")) == len(before.nodes)
    assert len(inside("cluster_after")) == len(after.nodes) < len(before.nodes)
    assert sides["cluster_before"]["attrs"]["label"].startswith(
        "before: %d nodes" % len(before.nodes))


def test_unfed_placeholders_are_fed_for_the_view_and_gradients_collapse():
    x, y = fused_affine_tanh()
    train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(y))
    d = drawn_nodes(viz.optimized_dot(train))
    node = dot_reader.one(d, "gradients/\n(")
    assert " nodes" in dot_reader.label(d, node)


@pytest.mark.parametrize("collapse", [(), ("gradients",)])
def test_optimized_view_renders(tmp_path, collapse):
    if not viz.output.binary_available():
        pytest.skip("graphviz's dot binary is not installed")
    x, y = fused_affine_tanh()
    path = viz.render(viz.optimized_dot(y, collapse=collapse), str(tmp_path / "o.svg"))
    assert "FusedElementwise" in open(path).read()
