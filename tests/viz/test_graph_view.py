"""The graph as written: nodes, styles, nested scope clusters, collapsed scopes and edges,
checked on the DOT structure; SVG rendering where graphviz's dot binary is installed."""
import shutil

import pytest

import graphflow as tf
from graphflow import viz
from graphflow.viz import output

import dot_reader


def small_training_graph():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.variable_scope("layer"):
        w = tf.get_variable("w", [3, 2])
        y = tf.matmul(x, w)
    loss = tf.reduce_sum(y, name="loss")
    with tf.control_dependencies([loss]):
        done = tf.no_op(name="done")
    tf.gradients(loss, w)
    return loss, done


def drawn(target, **kwargs):
    return dot_reader.read(viz.to_dot(target, **kwargs).source)


def cluster_labels(d):
    return {c["attrs"].get("label") for c in d.clusters.values()}


def test_nodes_carry_name_type_and_shape_and_styles_by_kind():
    small_training_graph()
    tf.constant(1.0, name="one")
    d = drawn(tf.get_default_graph())
    placeholder = dot_reader.one(d, "Placeholder")
    assert dot_reader.label(d, placeholder) == "x\nPlaceholder\n(?, 3)"
    variable = dot_reader.one(d, "VariableV2")
    constant = dot_reader.one(d, "one\nConst")
    shapes = {d.nodes[n]["attrs"]["shape"] for n in (placeholder, variable, constant)}
    assert shapes == {"box", "box3d", "note"}
    # An op named like its type shows the type once.
    assert dot_reader.label(d, dot_reader.one(d, "MatMul")) == "MatMul\n(?, 2)"


def test_scopes_are_nested_clusters_and_a_variable_sits_with_its_ops():
    small_training_graph()
    d = drawn(tf.get_default_graph())
    assert dot_reader.cluster_path(d, dot_reader.one(d, "MatMul")) == ["layer"]
    assert dot_reader.cluster_path(d, dot_reader.one(d, "VariableV2")) == ["layer", "w"]
    assert dot_reader.cluster_path(d, dot_reader.one(d, "read\nIdentity")) == ["layer", "w"]
    assert dot_reader.cluster_path(d, dot_reader.one(d, "RandomUniform")) == [
        "layer", "w", "Initializer", "random_uniform"]
    assert dot_reader.cluster_path(d, dot_reader.one(d, "loss\nSum")) == []


def test_edges_carry_dtype_and_shape_and_control_edges_are_dashed():
    small_training_graph()
    d = drawn(tf.get_default_graph())
    x, matmul = dot_reader.one(d, "Placeholder"), dot_reader.one(d, "MatMul")
    loss, done = dot_reader.one(d, "loss\nSum"), dot_reader.one(d, "done\nNoOp")
    edges = {(s, t): a for s, t, a in d.edges}
    assert edges[(x, matmul)]["label"] == "float32 (?, 3)"
    assert edges[(loss, done)]["style"] == "dashed"
    assert all(a.get("style") != "dashed" for (s, t), a in edges.items() if (s, t) != (loss,
                                                                                       done))


def test_gradients_scope_collapses_into_one_node_counting_its_ops():
    loss, _ = small_training_graph()
    tf.gradients(loss, tf.trainable_variables())  # a second call builds gradients_1/
    graph = tf.get_default_graph()
    d = drawn(graph)
    for scope in ("gradients", "gradients_1"):
        count = sum(op.name.startswith(scope + "/") for op in graph.get_operations())
        node = dot_reader.one(d, "%s/\n(%d ops)" % (scope, count))
        assert d.nodes[node]["attrs"]["shape"] == "folder"
        assert any(t == node for _, t, _ in d.edges)  # the forward pass feeds it
    assert "MatMul_grad" not in cluster_labels(d) and not dot_reader.find(d, "Fill")
    expanded = drawn(graph, collapse=())
    assert "MatMul_grad" in cluster_labels(expanded) and not dot_reader.find(expanded, " ops)")


def test_a_named_scope_collapses_and_joined_edges_are_counted():
    small_training_graph()
    graph = tf.get_default_graph()
    d = drawn(graph, collapse=("layer", "gradients"))
    layer_ops = sum(op.name.startswith("layer/") for op in graph.get_operations())
    layer = dot_reader.one(d, "layer/\n(%d ops)" % layer_ops)
    assert not dot_reader.find(d, "MatMul") and not d.clusters
    gradients = dot_reader.one(d, "gradients/")
    # layer's MatMul output and its variable both feed the gradients: one edge, two tensors.
    joined = [a for s, t, a in d.edges if (s, t) == (layer, gradients)]
    assert joined == [{"label": "2 tensors"}]


def test_fetches_draw_only_the_subgraph_they_need():
    loss, done = small_training_graph()
    d = drawn(loss, collapse=())
    assert dot_reader.find(d, "loss\nSum") and not dot_reader.find(d, "done")
    assert not dot_reader.find(d, "RandomUniform") and "gradients" not in cluster_labels(d)


def test_large_graphs_collapse_deeper_scopes_to_fit():
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    net = x
    for block in range(6):
        with tf.variable_scope("block_%d" % block):
            net = tf.layers.dense(net, 4, activation=tf.nn.relu, name="dense")
    graph = tf.get_default_graph()
    full = drawn(graph, max_nodes=None)
    # Deepest scopes go first: each variable's internals become one node...
    variables_folded = drawn(graph, max_nodes=40)
    assert len(full.nodes) > 40 >= len(variables_folded.nodes)
    assert len(dot_reader.find(variables_folded, "kernel/\n(")) == 6
    assert len(dot_reader.find(variables_folded, "MatMul")) == 6
    # ...then each layer, which still sits in its block's cluster.
    layers_folded = drawn(graph, max_nodes=20)
    dense = dot_reader.find(layers_folded, "dense/\n(")
    assert len(layers_folded.nodes) <= 20 and len(dense) == 6
    assert {tuple(dot_reader.cluster_path(layers_folded, n)) for n in dense} == {
        ("block_%d" % b,) for b in range(6)}


def test_render_dot_and_svg_and_notebook_repr(tmp_path):
    loss, _ = small_training_graph()
    path = viz.render(loss, str(tmp_path / "g.dot"))
    assert open(path).read().startswith("digraph")
    drawing = viz.to_dot(loss)
    if shutil.which("dot") is None:
        with pytest.raises(RuntimeError, match="apt-get install graphviz"):
            viz.render(loss, str(tmp_path / "g.svg"))
        assert drawing._repr_svg_() is None
    else:
        svg = viz.render(drawing, str(tmp_path / "g.svg"))
        assert open(svg).read().lstrip().startswith(("<?xml", "<svg"))
        assert "<svg" in drawing._repr_svg_()
    with pytest.raises(ValueError, match="svg, png, pdf"):
        viz.render(loss, str(tmp_path / "g.jpeg"))


def test_missing_dot_binary_names_the_install_command(tmp_path, monkeypatch):
    loss, _ = small_training_graph()
    monkeypatch.setattr(output, "binary_available", lambda: False)
    with pytest.raises(RuntimeError, match="apt-get install graphviz"):
        viz.render(loss, str(tmp_path / "g.png"))
    drawing = viz.to_dot(loss)
    assert drawing._repr_svg_() is None
    assert drawing._repr_mimebundle_() == {"text/plain": drawing.source}
