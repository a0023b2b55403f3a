import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import graphflow as tf


def build_model():
    w = tf.Variable(np.arange(6, dtype=np.float32).reshape(2, 3), name="w")
    b = tf.Variable(np.zeros(3, np.float32), name="b")
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - 1.0), name="loss")
    step = tf.train.get_or_create_global_step()
    train = tf.train.AdamOptimizer(0.1).minimize(loss, global_step=step)
    tf.add_to_collection("train_op", train)
    return x, w, b, loss, train, step


DATA = np.array([[1.0, 2.0], [0.5, -1.0]], np.float32)


def test_save_restore_round_trip_with_slots_and_files(tmp_path):
    x, w, b, loss, train, step = build_model()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train, {x: DATA})
        prefix = saver.save(sess, str(tmp_path / "model"), global_step=step)
        expected = sess.run(tf.global_variables())
    assert prefix == str(tmp_path / "model-1")
    for suffix in (".index", ".data-00000-of-00001", ".meta"):
        assert os.path.exists(prefix + suffix)
    assert tf.train.latest_checkpoint(str(tmp_path)) == prefix
    names = dict(tf.train.list_variables(str(tmp_path)))
    assert {"w", "b", "global_step", "w/Adam", "w/Adam_1", "beta1_power"} <= set(names)
    np.testing.assert_array_equal(tf.train.load_variable(prefix, "b"), expected[1])
    with tf.Session() as fresh:  # no initialization needed before restore
        saver.restore(fresh, prefix)
        for got, want in zip(fresh.run(tf.global_variables()), expected):
            np.testing.assert_array_equal(got, want)


def test_resumed_training_is_bit_for_bit(tmp_path):
    x, w, b, loss, train, step = build_model()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train, {x: DATA})
        saver.save(sess, str(tmp_path / "m"))
        for _ in range(3):
            sess.run(train, {x: DATA})
        straight = sess.run([w, b])
    with tf.Session() as sess:
        saver.restore(sess, str(tmp_path / "m"))
        for _ in range(3):
            sess.run(train, {x: DATA})
        resumed = sess.run([w, b])
    for s, r in zip(straight, resumed):
        np.testing.assert_array_equal(s, r)


def test_max_to_keep_and_state_file(tmp_path):
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver(max_to_keep=2)
    with tf.Session() as sess:
        sess.run(v.initializer)
        for step in range(4):
            saver.save(sess, str(tmp_path / "ck"), global_step=step)
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.all_model_checkpoint_paths == [str(tmp_path / "ck-2"), str(tmp_path / "ck-3")]
    assert not os.path.exists(str(tmp_path / "ck-0.index"))
    assert tf.train.checkpoint_exists(str(tmp_path / "ck-3"))
    text = (tmp_path / "checkpoint").read_text()
    assert text.startswith('model_checkpoint_path: "%s"' % (tmp_path / "ck-3"))


def test_corruption_missing_keys_shapes_and_bad_prefix(tmp_path):
    v = tf.Variable(np.ones(4, np.float32), name="v")
    saver = tf.train.Saver([v])
    with tf.Session() as sess:
        sess.run(v.initializer)
        prefix = saver.save(sess, str(tmp_path / "c"))
        data = tmp_path / "c.data-00000-of-00001"
        raw = bytearray(data.read_bytes())
        raw[3] ^= 0xFF
        data.write_bytes(bytes(raw))
        with pytest.raises(tf.errors.DataLossError, match="tensor v .*c.data"):
            saver.restore(sess, prefix)
        data.write_bytes(bytes(raw[:5]))
        with pytest.raises(tf.errors.DataLossError, match="truncated"):
            saver.restore(sess, prefix)
        with pytest.raises(ValueError, match="not a valid checkpoint"):
            saver.restore(sess, str(tmp_path / "nothing"))
        assert sess.run(v).tolist() == [1.0] * 4  # the failed restores changed nothing
    other = tf.Variable(np.ones(4, np.float32), name="other")
    wide = tf.Variable(np.ones((2, 2), np.float32), name="v2")
    with tf.Session() as sess:
        sess.run(v.initializer)
        good = tf.train.Saver([v]).save(sess, str(tmp_path / "good"))
        with pytest.raises(tf.errors.NotFoundError, match="other.*holds.*v"):
            tf.train.Saver([other]).restore(sess, good)
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[2, 2\].*\[4\]"):
            tf.train.Saver({"v": wide}).restore(sess, good)
        tf.train.Saver({"v": wide}, reshape=True).restore(sess, good)
        assert sess.run(wide).tolist() == [[1.0, 1.0], [1.0, 1.0]]


def test_read_only_directory_keeps_the_previous_checkpoint(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root ignores directory permissions")
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(v.initializer)
        first = saver.save(sess, str(tmp_path / "ro"), global_step=1)
        os.chmod(tmp_path, 0o500)
        try:
            with pytest.raises(tf.errors.PermissionDeniedError, match="unchanged"):
                saver.save(sess, str(tmp_path / "ro"), global_step=2)
        finally:
            os.chmod(tmp_path, 0o700)
    assert tf.train.latest_checkpoint(str(tmp_path)) == first


def test_read_only_filesystem_error_says_so(tmp_path, monkeypatch):
    """Root ignores directory permissions, so the read-only case is simulated at mkstemp."""
    from graphflow.train import checkpoint_format
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(v.initializer)
        first = saver.save(sess, str(tmp_path / "ro"), global_step=1)

        def read_only(*args, **kwargs):
            raise OSError(30, "Read-only file system")
        monkeypatch.setattr(checkpoint_format.tempfile, "mkstemp", read_only)
        with pytest.raises(tf.errors.PermissionDeniedError, match="read-only.*unchanged"):
            saver.save(sess, str(tmp_path / "ro"), global_step=2)
    assert tf.train.latest_checkpoint(str(tmp_path)) == first


def test_write_failure_leaves_previous_checkpoint(tmp_path, monkeypatch):
    from graphflow.train import checkpoint_format
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(v.initializer)
        first = saver.save(sess, str(tmp_path / "full"), global_step=1)
        real_replace = os.replace

        def disk_full(src, dst):
            if dst.endswith(".index"):
                raise OSError(28, "No space left on device")
            return real_replace(src, dst)
        monkeypatch.setattr(checkpoint_format.os, "replace", disk_full)
        with pytest.raises(tf.errors.ResourceExhaustedError, match="No space left"):
            saver.save(sess, str(tmp_path / "full"), global_step=2)
    assert tf.train.latest_checkpoint(str(tmp_path)) == first
    assert not [p for p in os.listdir(tmp_path) if ".tmp" in p]


def test_meta_graph_rebuilds_the_model_in_a_fresh_process(tmp_path):
    x, w, b, loss, train, step = build_model()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        prefix = saver.save(sess, str(tmp_path / "meta"))
        expected_loss = sess.run(loss, {x: DATA})
    script = textwrap.dedent("""
        import sys, numpy as np
        import graphflow as tf
        saver = tf.train.import_meta_graph(sys.argv[1] + ".meta")
        graph = tf.get_default_graph()
        x, loss = graph.get_tensor_by_name("x:0"), graph.get_tensor_by_name("loss:0")
        train = tf.get_collection("train_op")[0]
        data = np.array([[1.0, 2.0], [0.5, -1.0]], np.float32)
        with tf.Session() as sess:
            saver.restore(sess, sys.argv[1])
            before = sess.run(loss, {x: data})
            for _ in range(20):
                sess.run(train, {x: data})
            print(before, sess.run(loss, {x: data}), sess.run("global_step:0"))
    """)
    out = subprocess.run([sys.executable, "-c", script, prefix], capture_output=True,
                         text=True, check=True).stdout.split()
    assert float(out[0]) == pytest.approx(expected_loss)
    assert float(out[1]) < float(out[0]) and out[2] == "20"


KILL_SCRIPT = """
import sys, numpy as np
import graphflow as tf
v = tf.Variable(np.zeros(20000, np.float32), name="v")
bump = tf.assign_add(v, tf.ones([20000]))
saver = tf.train.Saver(max_to_keep=3)
with tf.Session() as sess:
    sess.run(v.initializer)
    step = 0
    while True:
        sess.run(bump)
        step += 1
        saver.save(sess, sys.argv[1] + "/k", global_step=step)
        print(step, flush=True)
"""


def test_sigkill_during_save_loop_leaves_a_loadable_latest_checkpoint(tmp_path):
    rng = np.random.RandomState(0)
    for trial in range(10):
        directory = tmp_path / str(trial)
        directory.mkdir()
        proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(directory)],
                                stdout=subprocess.PIPE, text=True)
        proc.stdout.readline()  # at least one save completed
        import time
        time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        latest = tf.train.latest_checkpoint(str(directory))
        assert latest is not None
        value = tf.train.load_variable(latest, "v")
        step = int(latest.rsplit("-", 1)[1])
        np.testing.assert_array_equal(value, np.full(20000, step, np.float32))


def test_checkpoint_reader_maps_names_to_shapes_and_dtypes(tmp_path):
    x, w, b, loss, train, step = build_model()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        prefix = tf.train.Saver().save(sess, str(tmp_path / "model"))
    reader = tf.train.NewCheckpointReader(prefix)
    dtypes = reader.get_variable_to_dtype_map()
    assert dtypes["w"] == tf.float32 and dtypes["global_step"] == tf.int64
    assert isinstance(dtypes["w"], tf.DType)
    assert reader.get_variable_to_shape_map()["w"] == [2, 3]


def test_graphs_with_traced_functions_save_and_explain_why_they_cannot_be_imported(tmp_path):
    """Saver.save writes a meta graph beside each checkpoint: a tf.while_loop's or a tf.data
    iterator's traced functions must not stop the checkpoint from being written."""
    counter = tf.while_loop(lambda i: i < 3, lambda i: i + 1, [tf.constant(0)])
    batch = tf.data.Dataset.range(4).map(lambda v: v * 2).batch(2) \
        .make_initializable_iterator()
    variable = tf.Variable(1.5, name="kept")
    with tf.Session() as sess:
        sess.run([variable.initializer, batch.initializer])
        path = tf.train.Saver().save(sess, str(tmp_path / "model"))
        assert sess.run(counter) == 3
    tf.reset_default_graph()
    with pytest.raises(ValueError, match="Saver.restore"):
        tf.train.import_meta_graph(path + ".meta")
    restored = tf.Variable(0.0, name="kept")
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, path)
        assert sess.run(restored) == 1.5
