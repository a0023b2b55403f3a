"""SavedModels as TF1 serving scripts write and read them: simple_save, SavedModelBuilder with
tags and a signature_def_map, loader.load into a fresh graph and session, tensor names from the
signature, the directory layout, and the errors for unknown tags, a missing directory and an
export directory that is not empty."""
import os
import tempfile

import numpy as np

from _compat import TENSORFLOW, report, report_error

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf

root = tempfile.mkdtemp()
data = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]], np.float32)

graph = tf.Graph()
with graph.as_default():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2) / 10.0, name="w")
    b = tf.get_variable("b", initializer=tf.constant([0.5, -0.5]))
    scores = tf.nn.softmax(tf.matmul(x, w) + b, name="scores")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.assign_add(b, [0.25, 0.25]))
        expected = sess.run(scores, {x: data})
        simple_dir = os.path.join(root, "simple")
        tf.saved_model.simple_save(sess, simple_dir, inputs={"x": x}, outputs={"scores": scores})
        report_error("export_dir_not_empty",
                     lambda: tf.saved_model.simple_save(sess, simple_dir, {"x": x},
                                                        {"scores": scores}))

        built_dir = os.path.join(root, "built")
        builder = tf.saved_model.builder.SavedModelBuilder(built_dir)
        info_x = tf.saved_model.utils.build_tensor_info(x)
        info_scores = tf.saved_model.utils.build_tensor_info(scores)
        report("tensor_info_name", info_x.name)
        report("tensor_info_dtype", info_x.dtype == tf.float32.as_datatype_enum)
        report("tensor_info_dims", [d.size for d in info_x.tensor_shape.dim])
        signature = tf.saved_model.signature_def_utils.build_signature_def(
            inputs={"images": info_x}, outputs={"scores": info_scores},
            method_name=tf.saved_model.signature_constants.PREDICT_METHOD_NAME)
        predict = tf.saved_model.signature_def_utils.predict_signature_def(
            inputs={"x": x}, outputs={"scores": scores})
        report("predict_method", predict.method_name)
        report_error("predict_empty_inputs",
                     lambda: tf.saved_model.signature_def_utils.predict_signature_def({}, {"s": scores}))
        report_error("add_meta_graph_first",
                     lambda: builder.add_meta_graph([tf.saved_model.tag_constants.TRAINING]))
        builder.add_meta_graph_and_variables(
            sess, [tf.saved_model.tag_constants.SERVING],
            signature_def_map={"predict_images": signature,
                               tf.saved_model.signature_constants
                               .DEFAULT_SERVING_SIGNATURE_DEF_KEY: predict})
        report_error("variables_twice", lambda: builder.add_meta_graph_and_variables(
            sess, ["other"]))
        builder.add_meta_graph([tf.saved_model.tag_constants.SERVING,
                                tf.saved_model.tag_constants.GPU])
        builder.save()

report("expected", expected)
report("constants", [tf.saved_model.tag_constants.SERVING, tf.saved_model.tag_constants.TRAINING,
                     tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY])
for label, directory in [("simple", simple_dir), ("built", built_dir)]:
    report(label + "_files", sorted(os.listdir(directory)))
    report(label + "_variable_files", sorted(os.listdir(os.path.join(directory, "variables"))))
    report(label + "_is_saved_model", tf.saved_model.loader.maybe_saved_model_directory(directory))

fresh = tf.Graph()
with tf.Session(graph=fresh) as sess:
    meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING], simple_dir)
    signature = meta.signature_def[
        tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY]
    report("simple_signature_keys", sorted(meta.signature_def.keys()))
    report("simple_input_name", signature.inputs["x"].name)
    report("simple_output_name", signature.outputs["scores"].name)
    report("simple_method", signature.method_name)
    x_loaded = fresh.get_tensor_by_name(signature.inputs["x"].name)
    scores_loaded = fresh.get_tensor_by_name(signature.outputs["scores"].name)
    report("simple_loaded_shape", str(scores_loaded.shape))
    report("simple_loaded", sess.run(scores_loaded, {x_loaded: data}))
    report("simple_variables",
           sorted(v.name for v in fresh.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)))
    report("simple_b", sess.run(fresh.get_tensor_by_name("b:0")))

for tags in ([tf.saved_model.tag_constants.SERVING],
             [tf.saved_model.tag_constants.GPU, tf.saved_model.tag_constants.SERVING]):
    other = tf.Graph()
    with tf.Session(graph=other) as sess:
        meta = tf.saved_model.loader.load(sess, tags, built_dir)
        key = "+".join(sorted(tags))
        report("built_signatures_" + key, sorted(meta.signature_def.keys()))
        report("built_tags_" + key, sorted(meta.meta_info_def.tags))
        if meta.signature_def:
            signature = meta.signature_def["predict_images"]
            out = sess.run(signature.outputs["scores"].name,
                           {signature.inputs["images"].name: data})
            report("built_loaded_" + key, out)

with tf.Session(graph=tf.Graph()) as sess:
    report_error("unknown_tags", lambda: tf.saved_model.loader.load(sess, ["nope"], built_dir))
    report_error("missing_dir", lambda: tf.saved_model.loader.load(
        sess, ["serve"], os.path.join(root, "absent")))
