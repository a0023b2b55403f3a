"""Checkpoints as training scripts use them: Saver over a list or a renaming dict, the keys an
optimizer's slots get, restoring into a fresh graph built the same way, import_meta_graph then
restore then get_tensor_by_name, NewCheckpointReader, get_checkpoint_state, and the errors for
missing keys, wrong shapes and empty savers."""
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
other_directory = tempfile.mkdtemp()
data = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]], np.float32)
labels = np.array([[1.0], [0.0]], np.float32)


def build_model():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    with tf.variable_scope("model"):
        w = tf.get_variable("w", initializer=tf.constant([[0.1], [-0.2], [0.3]]))
        b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
        logits = tf.add(tf.matmul(x, w), b, name="logits")
    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits),
                          name="loss")
    step = tf.train.get_or_create_global_step()
    train = tf.train.AdamOptimizer(0.1).minimize(loss, global_step=step, name="train")
    tf.add_to_collection("train_op", train)
    return x, y, w, b, logits, loss, step, train


graph = tf.Graph()
with graph.as_default():
    x, y, w, b, logits, loss, step, train = build_model()
    saver = tf.train.Saver(max_to_keep=3, keep_checkpoint_every_n_hours=2.0)
    weights_only = tf.train.Saver([w, b])
    renamed = tf.train.Saver({"weights": w, "bias": b})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(4):
            sess.run(train, {x: data, y: labels})
            path = saver.save(sess, os.path.join(directory, "model.ckpt"), global_step=step)
        report("saved_path", os.path.basename(path))
        report("kept", [os.path.basename(p) for p in saver.last_checkpoints])
        # every save rewrites its directory's state file unless told another file name
        only_path = weights_only.save(sess, os.path.join(other_directory, "weights"),
                                      write_meta_graph=False)
        renamed_path = renamed.save(sess, os.path.join(directory, "renamed"), global_step=100,
                                    latest_filename="renamed_state")
        trained = sess.run({"w": w, "b": b, "loss": loss, "step": step},
                           {x: data, y: labels})
        report("trained", trained, rtol=1e-4, atol=1e-5)

listed = tf.train.list_variables(path)
report("checkpoint_keys", [name for name, _ in listed])
report("checkpoint_shapes", [shape for _, shape in listed])
report("weights_only_keys", tf.train.list_variables(only_path))
report("renamed_keys", tf.train.list_variables(renamed_path))
reader = tf.train.NewCheckpointReader(path)
report("reader", [sorted(reader.get_variable_to_shape_map().items()),
                  sorted((k, v.name) for k, v in reader.get_variable_to_dtype_map().items()),
                  reader.has_tensor("model/w"), reader.has_tensor("model/w:0"),
                  reader.has_tensor("nope")])
report("reader_values", [reader.get_tensor("global_step"), reader.get_tensor("model/w")],
       rtol=1e-4, atol=1e-5)
report_error("reader_missing", lambda: reader.get_tensor("nope"))
report("load_variable", tf.train.load_variable(directory, "model/b"), rtol=1e-4, atol=1e-5)
state = tf.train.get_checkpoint_state(directory)
report("state", [os.path.basename(state.model_checkpoint_path),
                 [os.path.basename(p) for p in state.all_model_checkpoint_paths]])
renamed_state = tf.train.get_checkpoint_state(directory, latest_filename="renamed_state")
report("renamed_state", os.path.basename(renamed_state.model_checkpoint_path))
report("latest", [os.path.basename(tf.train.latest_checkpoint(directory)),
                  tf.train.latest_checkpoint(tempfile.mkdtemp()),
                  tf.train.get_checkpoint_state(tempfile.mkdtemp())])
report("files", sorted(f for f in os.listdir(directory) if f.startswith("model.ckpt")))
report("other_files", sorted(os.listdir(other_directory)))
report("other_state", os.path.basename(tf.train.latest_checkpoint(other_directory)))

# a fresh graph built by the same code restores everything
with tf.Graph().as_default():
    x, y, w, b, logits, loss, step, train = build_model()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        saver.restore(sess, tf.train.latest_checkpoint(directory))
        report("restored", sess.run({"w": w, "b": b, "step": step, "loss": loss},
                                    {x: data, y: labels}), rtol=1e-4, atol=1e-5)
        # training continues from the restored Adam slots
        sess.run(train, {x: data, y: labels})
        report("continued", sess.run([w, step]), rtol=1e-4, atol=1e-5)

# a subset restores into a graph with extra variables; the rest must be initialized
with tf.Graph().as_default():
    x, y, w, b, logits, loss, step, train = build_model()
    extra = tf.Variable(7.0, name="extra")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        tf.train.Saver([w, b]).restore(sess, only_path)
        report("subset_restored", sess.run([w, b, extra, step]), rtol=1e-4, atol=1e-5)
        tf.train.Saver({"weights": w}).restore(sess, renamed_path)
        report("restored_by_new_name", sess.run(w), rtol=1e-4, atol=1e-5)
        report_error("missing_key", lambda: tf.train.Saver([extra]).restore(sess, path))
        report_error("restore_none", lambda: tf.train.Saver([w]).restore(sess, None))

# import_meta_graph rebuilds the graph; names find the tensors and collections
with tf.Graph().as_default() as imported:
    loader = tf.train.import_meta_graph(path + ".meta")
    with tf.Session() as sess:
        loader.restore(sess, path)
        logits_t = imported.get_tensor_by_name("model/logits:0")
        x_t = imported.get_tensor_by_name("x:0")
        report("imported_logits", sess.run(logits_t, {x_t: data}), rtol=1e-4, atol=1e-5)
        report("imported_names", [logits_t.name, str(logits_t.shape), str(x_t.shape),
                                  [v.name for v in tf.trainable_variables()],
                                  [v.name for v in tf.global_variables()][:3]])
        train_op = tf.get_collection("train_op")[0]
        sess.run(train_op, {x_t: data, imported.get_tensor_by_name("y:0"): labels})
        report("imported_step", sess.run(tf.train.get_global_step()))

# mismatched shapes and empty savers
with tf.Graph().as_default():
    with tf.variable_scope("model"):
        wrong = tf.get_variable("w", [2, 2])
    with tf.Session() as sess:
        report_error("shape_mismatch", lambda: tf.train.Saver([wrong]).restore(sess, path))
    report_error("no_variables", lambda: tf.train.Saver([]))
with tf.Graph().as_default():
    report_error("no_variables_in_graph", lambda: tf.train.Saver())
