"""``python -m graphflow.viz``: from a saved meta graph and from an example script."""
import os
import pathlib
import subprocess
import sys

import graphflow as tf

import dot_reader

REPO = pathlib.Path(__file__).resolve().parents[2]


def run_cli(*args, cwd):
    env = dict(os.environ, GRAPHFLOW_PROGRESS="0")
    return subprocess.run([sys.executable, "-m", "graphflow.viz", *map(str, args)],
                          capture_output=True, text=True, timeout=300, cwd=str(cwd), env=env)


def saved_model(directory):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.variable_scope("layer"):
        w = tf.get_variable("w", [3, 1])
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w)), name="loss")
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    tf.add_to_collection("train_op", train)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return tf.train.Saver().save(sess, str(directory / "model")) + ".meta"


def test_meta_graph_drawn_with_collapsed_scopes_and_optimized(tmp_path):
    meta = saved_model(tmp_path)
    result = run_cli(meta, "-o", tmp_path / "g.dot", "--collapse", "layer", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    d = dot_reader.read((tmp_path / "g.dot").read_text())
    assert dot_reader.find(d, "layer/\n(") and dot_reader.find(d, "gradients/\n(")
    assert not dot_reader.find(d, "VariableV2") and dot_reader.find(d, "MatMul")

    result = run_cli(meta, "-o", tmp_path / "o.dot", "--optimized", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    title = dot_reader.read((tmp_path / "o.dot").read_text()).graph_attrs["label"]
    assert title.startswith("optimized for GradientDescent")

    result = run_cli(meta, "-o", tmp_path / "e.dot", "--expand-gradients", "--optimized",
                     "loss:0", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "optimized for loss:0" in (tmp_path / "e.dot").read_text()


def test_example_script_is_drawn_and_its_training_step_optimized(tmp_path):
    script = REPO / "examples" / "linear_regression.py"
    result = run_cli(script, "-o", tmp_path / "lr.dot", "--optimized", "--before-after",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    d = dot_reader.read((tmp_path / "lr.dot").read_text())
    assert {"cluster_before", "cluster_after"} <= set(d.clusters)
    assert dot_reader.find(d, "GradientDescent")
    if tf.viz.output.binary_available():
        result = run_cli(script, cwd=tmp_path)  # default output: linear_regression.svg
        assert result.returncode == 0, result.stderr
        assert (tmp_path / "linear_regression.svg").read_text().lstrip().startswith("<")


def test_errors_are_reported_not_raised(tmp_path):
    meta = saved_model(tmp_path)
    result = run_cli(meta, "-o", tmp_path / "g.jpeg", cwd=tmp_path)
    assert result.returncode == 1 and "svg, png, pdf" in result.stderr
    result = run_cli(meta, "-o", tmp_path / "g.dot", "--optimized", "nope", cwd=tmp_path)
    assert result.returncode == 1 and "no op or tensor named 'nope'" in result.stderr
    result = run_cli(tmp_path / "missing.meta", cwd=tmp_path)
    assert result.returncode == 2 and "does not exist" in result.stderr
