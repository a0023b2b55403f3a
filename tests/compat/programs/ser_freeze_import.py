"""Freezing a trained model as TF1 scripts do: train a little, convert_variables_to_constants
with the output node names, write the frozen GraphDef (binary and text), read it back, import
it into a fresh graph and run it; extract_sub_graph and remove_training_nodes on the way."""
import os
import tempfile

import numpy as np

from _compat import TENSORFLOW, report, report_error

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf

directory = tempfile.mkdtemp()
data = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0], [0.3, -0.7, 1.1]], np.float32)
labels = np.array([[1.0], [0.0], [1.0]], np.float32)

graph = tf.Graph()
with graph.as_default():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    with tf.variable_scope("model"):
        w = tf.get_variable("w", initializer=tf.constant([[0.1], [-0.2], [0.3]]))
        b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
        logits = tf.add(tf.matmul(x, w), b, name="logits")
    prob = tf.sigmoid(logits, name="prob")
    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(5):
            sess.run(train, {x: data, y: labels})
        expected = sess.run(prob, {x: data})
        graph_def = graph.as_graph_def()
        frozen = tf.graph_util.convert_variables_to_constants(sess, graph_def, ["prob"])
        report_error("freeze_unknown_output", lambda: tf.graph_util.convert_variables_to_constants(
            sess, graph_def, ["no_such_node"]))
report("expected", expected)
report("frozen_nodes", sorted((n.name, n.op) for n in frozen.node))
report("frozen_inputs", {n.name: list(n.input) for n in frozen.node})

sub = tf.graph_util.extract_sub_graph(graph_def, ["model/logits"])
report("sub_nodes", sorted(n.name for n in sub.node))
report_error("extract_not_list", lambda: tf.graph_util.extract_sub_graph(graph_def, "prob"))
stripped = tf.graph_util.remove_training_nodes(frozen)
report("stripped_nodes", sorted((n.name, n.op) for n in stripped.node))
report("stripped_inputs", {n.name: list(n.input) for n in stripped.node})

binary_path = tf.train.write_graph(frozen, directory, "frozen.pb", as_text=False)
text_path = tf.train.write_graph(frozen, directory, "frozen.pbtxt")
report("written", sorted(os.listdir(directory)))
report("binary_path", os.path.basename(binary_path))
with open(text_path) as f:
    text = f.read()
report("text_mentions_prob", 'name: "prob"' in text)
report("text_mentions_sigmoid", 'op: "Sigmoid"' in text)

with tf.gfile.GFile(binary_path, "rb") as f:
    loaded = tf.GraphDef()
    loaded.ParseFromString(f.read())
report("loaded_count", len(loaded.node))

for label, definition in [("frozen", loaded), ("stripped", stripped)]:
    fresh = tf.Graph()
    with fresh.as_default():
        tf.import_graph_def(definition, name="")
        x_in = fresh.get_tensor_by_name("x:0")
        out = fresh.get_tensor_by_name("prob:0")
        report(label + "_shape", str(out.shape))
        with tf.Session() as sess:
            report(label + "_values", sess.run(out, {x_in: data}))

# input_map over a frozen graph: a new input pipeline in front of the model.
mapped = tf.Graph()
with mapped.as_default():
    features = tf.constant(data) * 0.5
    (prob_mapped,) = tf.import_graph_def(loaded, input_map={"x:0": features},
                                         return_elements=["prob:0"])
    with tf.Session() as sess:
        report("mapped_values", sess.run(prob_mapped))
    report_error("bad_return", lambda: tf.import_graph_def(loaded, return_elements=["prob:3"]))
