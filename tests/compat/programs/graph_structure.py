"""The graph as user code inspects it: separate graphs with as_default(), lookups by name, an
operation's inputs, outputs, type, attributes and consumers, collections, reset_default_graph,
finalize, and which graph a session runs."""
import numpy as np

from _compat import TENSORFLOW, report, report_error

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf

default = tf.get_default_graph()
g1 = tf.Graph()
with g1.as_default() as entered:
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]], name="a")
    b = tf.placeholder(tf.float32, [2, None], name="b")
    c = tf.matmul(a, b, transpose_b=True, name="c")
    s = tf.reduce_sum(c, axis=1, keepdims=True, name="s")
    cast = tf.cast(s, tf.int32, name="cast")
    v = tf.Variable(np.ones(2, np.float32), name="v")
    inner_default = tf.get_default_graph()
    report("inside", [entered is g1, inner_default is g1, a.graph is g1, v.graph is g1])
g2 = tf.Graph()
with g2.as_default():
    a2 = tf.constant(5.0, name="a")
report("outside", [tf.get_default_graph() is default, a2.name, len(default.get_operations()),
                   len(g2.get_operations())])
report("isolated_collections", [[x.name for x in g1.get_collection("variables")],
                                [x.name for x in g2.get_collection("variables")]])

report("by_name", [g1.get_tensor_by_name("c:0") is c, g1.get_operation_by_name("s") is s.op,
                   g1.as_graph_element("a:0") is a, g1.as_graph_element("a") is a.op,
                   g1.as_graph_element(a) is a])
report("operation", [c.op.name, c.op.type, [t.name for t in c.op.inputs],
                     [t.name for t in c.op.outputs], c.value_index, len(c.op.outputs)])
report("op_attrs", [c.op.get_attr("transpose_a"), c.op.get_attr("transpose_b"),
                    s.op.get_attr("keep_dims"), cast.op.get_attr("DstT").name,
                    c.op.get_attr("T").name,
                    b.op.get_attr("dtype").name])
report("node_def", [c.op.node_def.name, c.op.node_def.op, list(c.op.node_def.input)])
report("consumers", [[op.name for op in a.consumers()], [op.name for op in c.consumers()]])
report("tensor_props", [str(b.shape), b.get_shape().as_list(), b.dtype.name, b.op.type,
                        str(s.shape), str(cast.shape), cast.dtype.name, s.shape.ndims])
report("op_types", sorted({op.type for op in g1.get_operations()}))
report("op_names", [op.name for op in g1.get_operations()])
report("unique_name", [g1.unique_name("c"), g1.unique_name("c", mark_as_used=False),
                       g1.unique_name("fresh")])

with g1.as_default():
    tf.add_to_collection("my_things", a)
    tf.add_to_collection("my_things", s)
    tf.add_to_collections(["first", "second"], c)
    ref = tf.get_collection_ref("mutable")
    ref.append(v)
    copy = tf.get_collection("my_things")
    copy.append(c)  # a copy: the collection stays as it was
    report("collections", [[t.name for t in tf.get_collection("my_things")],
                           [t.name for t in tf.get_collection("second")],
                           [t.name for t in tf.get_collection("mutable")],
                           tf.get_collection("nothing"),
                           sorted(k for k in g1.get_all_collection_keys())])
    report("collection_scope_filter", [t.name for t in tf.get_collection("my_things", "s")])
    g1.clear_collection("first")
    report("cleared", tf.get_collection("first"))

with g1.as_default():
    with tf.Session() as sess:
        sess.run(v.initializer)
        report("run_in_graph", sess.run(s, {b: [[1.0, 1.0], [0.0, 2.0]]}))
with tf.Session(graph=g2) as sess2:
    report("session_graph", [sess2.graph is g2, sess2.run(a2)])
    report_error("fetch_from_other_graph", lambda: sess2.run(a))
report_error("mixing_graphs", lambda: tf.add(a, a2))
report_error("missing_tensor", lambda: g1.get_tensor_by_name("nope:0"))
report_error("missing_op", lambda: g1.get_operation_by_name("nope"))
report_error("tensor_name_for_op", lambda: g1.get_operation_by_name("a:0"))
report_error("op_name_for_tensor", lambda: g1.get_tensor_by_name("a"))
report_error("bad_output_index", lambda: g1.get_tensor_by_name("a:1"))

g1.finalize()
report("finalized", g1.finalized)
with g1.as_default():
    report_error("op_in_finalized", lambda: tf.constant(1.0))

x = tf.constant(1.0, name="x")
before = tf.get_default_graph()
tf.reset_default_graph()
after = tf.get_default_graph()
y = tf.constant(1.0, name="x")
report("reset", [before is after, len(after.get_operations()), y.name, x.graph is before])

# version and seed of a graph
g3 = tf.Graph()
with g3.as_default():
    tf.set_random_seed(7)
    report("graph_seed", [g3.seed, tf.get_default_graph().seed])
    first = tf.constant(1.0)
    n1 = g3.version
    second = tf.constant(2.0)
    report("version_grows", g3.version > n1)

with tf.Graph().as_default() as g4:
    p = tf.placeholder(tf.float32, [3], name="p")
    q = tf.square(p, name="q")
    with tf.Session() as sess:
        report("session_default_graph", [sess.graph is g4,
                                         sess.run("q:0", {"p:0": [1.0, 2.0, 3.0]})])
