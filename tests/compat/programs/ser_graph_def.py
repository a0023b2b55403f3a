"""GraphDefs as TF1 programs use them: graph.as_graph_def() (node names, op types, inputs with
^control inputs, devices), a GraphDef serialized and parsed back, tf.import_graph_def with its
"import/" prefix, input_map replacing a placeholder, return_elements as tensors or operations,
and the errors for names that are not in the GraphDef."""
import numpy as np

from _compat import TENSORFLOW, report, report_error

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf

graph = tf.Graph()
with graph.as_default():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.constant(np.arange(6, dtype=np.float32).reshape(3, 2) / 10.0, name="w")
    h = tf.matmul(x, w, name="h")
    with tf.control_dependencies([h]):
        marker = tf.no_op(name="marker")
    with tf.name_scope("head"):
        y = tf.nn.relu(h - 0.2, name="y")
        total = tf.reduce_sum(y, name="total")

graph_def = graph.as_graph_def()
report("node_count", len(graph_def.node))
report("node_names", sorted(n.name for n in graph_def.node))
report("node_ops", sorted((n.name, n.op) for n in graph_def.node))
report("inputs", {n.name: list(n.input) for n in graph_def.node})
report("marker_inputs", [list(n.input) for n in graph_def.node if n.name == "marker"][0])
report("devices", sorted(set(n.device for n in graph_def.node)))
report("graph_def_type", type(graph_def).__name__)
report("node_type", type(graph_def.node[0]).__name__)

data = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]], np.float32)
with tf.Session(graph=graph) as sess:
    expected_y, expected_total = sess.run([y, total], {x: data})
report("expected_y", expected_y)

# A serialized GraphDef parses back into an equal node list.
serialized = graph_def.SerializeToString()
report("serialized_is_bytes", isinstance(serialized, bytes))
parsed = tf.GraphDef()
report("empty_graph_def_nodes", len(parsed.node))
parsed.ParseFromString(serialized)
report("parsed_names", [n.name for n in parsed.node])
report("parsed_inputs", [list(n.input) for n in parsed.node])

# Importing into a fresh graph: default "import/" prefix, return_elements by name.
fresh = tf.Graph()
with fresh.as_default():
    y_imported, total_op = tf.import_graph_def(parsed, return_elements=["head/y:0", "head/total"])
    report("imported_y", y_imported)
    report("imported_total_op", total_op)
    report("fresh_names", sorted(op.name for op in fresh.get_operations()))
    report("imported_shape", str(y_imported.shape))
    report("none_returned", tf.import_graph_def(parsed, name="again"))
    report("again_names", sorted(op.name for op in fresh.get_operations()
                                 if op.name.startswith("again")))
    second = tf.import_graph_def(parsed, return_elements=["head/total:0"])
    report("second_prefix", second[0].name)
    x_in = fresh.get_tensor_by_name("import/x:0")
    with tf.Session() as sess:
        report("imported_values", sess.run(y_imported, {x_in: data}))

# input_map feeds a tensor of the new graph where the placeholder was.
mapped = tf.Graph()
with mapped.as_default():
    source = tf.constant(data, name="source")
    doubled = source * 2.0
    (total_mapped,) = tf.import_graph_def(graph_def, input_map={"x:0": doubled},
                                          return_elements=["head/total:0"], name="net")
    (y_short_key,) = tf.import_graph_def(graph_def, input_map={"x": source},
                                         return_elements=["head/y:0"], name="")
    report("empty_prefix_name", y_short_key.name)
    report("mapped_names", sorted(op.name for op in mapped.get_operations()
                                  if op.name.startswith("net/")))
    grad = tf.gradients(total_mapped, source)[0]
    with tf.Session() as sess:
        report("mapped_total", sess.run(total_mapped))
        report("mapped_grad", sess.run(grad))
        report("short_key_y", sess.run(y_short_key))

    report_error("missing_return_tensor",
                 lambda: tf.import_graph_def(graph_def, return_elements=["nope:0"]))
    report_error("missing_return_op",
                 lambda: tf.import_graph_def(graph_def, return_elements=["nope"]))
    report_error("missing_input_map_key",
                 lambda: tf.import_graph_def(graph_def, input_map={"absent:0": source}))
    report_error("input_map_not_tensor",
                 lambda: tf.import_graph_def(graph_def, input_map={"x:0": data}))
    report_error("not_a_graph_def", lambda: tf.import_graph_def("x"))

# Device strings survive as_graph_def.
placed = tf.Graph()
with placed.as_default():
    with tf.device("/cpu:0"):
        tf.constant(1.0, name="c")
report("placed_devices", [n.device for n in placed.as_graph_def().node])
report("session_graph_def", len(tf.Session(graph=graph).graph_def.node))
