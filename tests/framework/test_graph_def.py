"""GraphDef, import_graph_def, graph_util freezing and SavedModel round trips (no TensorFlow)."""
import os

import numpy as np
import pytest

import graphflow as tf


def _model():
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        w = tf.Variable([[1.0], [2.0]], name="w")
        y = tf.identity(tf.matmul(x, w) + 1.0, name="y")
    return graph, x, w, y


def test_as_graph_def_lists_nodes_with_control_inputs():
    graph = tf.Graph()
    with graph.as_default():
        a = tf.constant(1.0, name="a")
        with tf.control_dependencies([a]):
            tf.no_op(name="n")
    nodes = {n.name: n for n in graph.as_graph_def().node}
    assert nodes["n"].input == ["^a"] and nodes["a"].op == "Const"


def test_serialize_round_trip_and_bad_bytes():
    graph, *_ = _model()
    graph_def = graph.as_graph_def()
    parsed = tf.GraphDef.FromString(graph_def.SerializeToString())
    assert parsed == graph_def
    with pytest.raises(Exception):
        tf.GraphDef().ParseFromString(b"\x08\x01garbage")


def test_import_with_input_map_and_gradients():
    graph, *_ = _model()
    frozen_source = graph.as_graph_def()
    fresh = tf.Graph()
    with fresh.as_default():
        source = tf.constant([[1.0, 1.0]])
        (y,) = tf.import_graph_def(frozen_source, input_map={"x": source},
                                   return_elements=["y:0"])
        assert y.name == "import/y:0"
        grad = tf.gradients(y, source)[0]
        with tf.Session() as sess:
            sess.run(fresh.get_operation_by_name("import/w/Assign"))
            assert sess.run(y).tolist() == [[4.0]]
            assert sess.run(grad).tolist() == [[1.0, 2.0]]
        with pytest.raises(ValueError):
            tf.import_graph_def(frozen_source, return_elements=["missing:0"])
        with pytest.raises(ValueError):
            tf.import_graph_def(frozen_source, input_map={"missing:0": source})


def test_import_accepts_nodes_out_of_order():
    graph, *_ = _model()
    graph_def = graph.as_graph_def()
    graph_def.node[:] = list(reversed(graph_def.node))
    with tf.Graph().as_default():
        (y,) = tf.import_graph_def(graph_def, return_elements=["y:0"], name="r")
        assert str(y.shape) == "(?, 1)"


def test_freeze_then_import_gives_same_outputs(tmp_path):
    graph, x, w, y = _model()
    data = np.array([[0.5, -1.0], [2.0, 3.0]], np.float32)
    with tf.Session(graph=graph) as sess:
        sess.run(w.initializer)
        sess.run(w.assign([[3.0], [-1.0]]))
        expected = sess.run(y, {x: data})
        frozen = tf.graph_util.convert_variables_to_constants(sess, graph.as_graph_def(), ["y"])
    assert {n.name: n.op for n in frozen.node}["w"] == "Const"
    assert not any(n.op == "Assign" for n in frozen.node)
    path = tf.train.write_graph(frozen, str(tmp_path), "f.pb", as_text=False)
    text = open(tf.train.write_graph(frozen, str(tmp_path), "f.pbtxt")).read()
    assert 'op: "VariableV2"' not in text and 'name: "w"' in text
    loaded = tf.GraphDef()
    loaded.ParseFromString(open(path, "rb").read())
    stripped = tf.graph_util.remove_training_nodes(loaded, protected_nodes=["y"])
    assert "w/read" not in [n.name for n in stripped.node]
    fresh = tf.Graph()
    with fresh.as_default():
        tf.import_graph_def(stripped, name="")
        with tf.Session() as sess:
            got = sess.run("y:0", {"x:0": data})
    np.testing.assert_allclose(got, expected)
    with pytest.raises(AssertionError):
        tf.graph_util.extract_sub_graph(loaded, ["nope"])


def test_saved_model_round_trip(tmp_path):
    graph, x, w, y = _model()
    export_dir = str(tmp_path / "model")
    with tf.Session(graph=graph) as sess:
        sess.run(w.initializer)
        sess.run(w.assign([[0.5], [0.25]]))
        tf.saved_model.simple_save(sess, export_dir, {"x": x}, {"y": y})
        with pytest.raises(AssertionError):
            tf.saved_model.simple_save(sess, export_dir, {"x": x}, {"y": y})
    assert sorted(os.listdir(os.path.join(export_dir, "variables"))) == [
        "variables.data-00000-of-00001", "variables.index"]
    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING],
                                          export_dir)
        signature = meta.signature_def["serving_default"]
        out = sess.run(signature.outputs["y"].name,
                       {signature.inputs["x"].name: [[2.0, 4.0]]})
        assert out.tolist() == [[3.0]]
        with pytest.raises(RuntimeError):
            tf.saved_model.loader.load(sess, ["train"], export_dir)


def test_a_graph_def_with_ops_of_a_namespace_not_yet_loaded_imports(tmp_path):
    """String ops live in tf.strings, which `import graphflow` loads on first use: importing a
    serialized graph that holds them loads it."""
    import subprocess
    import sys
    path = tmp_path / "graph.bin"
    write = ("import graphflow as tf\n"
             "s = tf.placeholder(tf.string, [None], name='s')\n"
             "tf.strings.length(s, name='len')\n"
             "open(%r, 'wb').write(tf.get_default_graph().as_graph_def().SerializeToString())\n"
             % str(path))
    read = ("import sys, graphflow as tf\n"
            "g = tf.GraphDef()\n"
            "g.ParseFromString(open(%r, 'rb').read())\n"
            "assert 'graphflow.strings' not in sys.modules\n"
            "out, = tf.import_graph_def(g, return_elements=['len:0'], name='')\n"
            "print(tf.Session().run(out, {'s:0': [b'ab', b'xyz']}).tolist())\n" % str(path))
    subprocess.run([sys.executable, "-c", write], check=True)
    result = subprocess.run([sys.executable, "-c", read], check=True, capture_output=True,
                            text=True)
    assert result.stdout.strip() == "[2, 3]"
