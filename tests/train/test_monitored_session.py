"""MonitoredSession, MonitoredTrainingSession, Scaffold and the standard hooks."""
import os

import numpy as np
import pytest

import graphflow as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def _counting_model():
    step = tf.train.get_or_create_global_step()
    v = tf.get_variable("v", initializer=np.float32(0.0))
    train = tf.group(tf.assign_add(v, 1.0), tf.assign_add(step, 1))
    return step, v, train


def test_training_session_checkpoints_and_resumes(tmp_path):
    step, v, train = _counting_model()
    ckpt = str(tmp_path)
    with tf.train.MonitoredTrainingSession(
            checkpoint_dir=ckpt, save_checkpoint_steps=2,
            hooks=[tf.train.StopAtStepHook(last_step=3)]) as sess:
        assert tf.get_default_graph().finalized
        runs = 0
        while not sess.should_stop():
            sess.run(train)
            runs += 1
        with pytest.raises(RuntimeError, match="should_stop"):
            sess.run(train)
    assert runs == 3 and not tf.get_default_graph().finalized
    names = set(os.listdir(ckpt))
    for saved in (0, 2, 3):  # at creation, every two steps, and the final one on close
        assert "model.ckpt-%d.index" % saved in names
    assert "model.ckpt-1.index" not in names and "graph.pbtxt" in names
    assert tf.train.latest_checkpoint(ckpt).endswith("model.ckpt-3")

    with tf.train.MonitoredTrainingSession(
            checkpoint_dir=ckpt, hooks=[tf.train.StopAtStepHook(num_steps=2)]) as sess:
        assert sess.run(train) is None
        assert not sess.should_stop()
        sess.run(train)
        assert sess.should_stop()
    assert tf.train.load_variable(ckpt, "global_step") == 5
    assert tf.train.load_variable(ckpt, "v") == 5.0


def test_hooks_see_their_fetches_and_feeds():
    p = tf.placeholder(tf.float32, [])
    total = tf.get_variable("total", initializer=np.float32(0.0))
    add = tf.assign_add(total, p)
    doubled = p * 2.0
    seen = []

    class Hook(tf.train.SessionRunHook):
        def before_run(self, run_context):
            return tf.train.SessionRunArgs({"p2": doubled}, feed_dict={p: 3.0})

        def after_run(self, run_context, run_values):
            seen.append(run_values.results["p2"])

    final = tf.train.FinalOpsHook(total)
    with tf.train.SingularMonitoredSession(hooks=[Hook(), final]) as sess:
        assert sess.run(add) == 3.0
        with pytest.raises(RuntimeError, match="fed by a SessionRunHook and user"):
            sess.run(add, feed_dict={p: 1.0})
        assert sess.raw_session().run(total) == 3.0  # no hooks
    assert seen == [6.0]
    assert final.final_ops_values == 3.0


def test_out_of_range_ends_the_with_block_and_runs_end_hooks():
    dataset = tf.data.Dataset.from_tensor_slices(np.arange(3, dtype=np.int64))
    value = tf.data.make_one_shot_iterator(dataset).get_next()
    final = tf.train.FinalOpsHook(tf.constant(7))
    values = []
    with tf.train.MonitoredSession(hooks=[final]) as sess:
        while not sess.should_stop():
            values.append(sess.run(value))
    assert values == [0, 1, 2]
    assert sess.should_stop()
    assert final.final_ops_values == 7


def test_nan_hook_raises_or_stops():
    q = tf.placeholder(tf.float32, [])
    loss = tf.sqrt(q)
    with pytest.raises(tf.train.NanLossDuringTrainingError):
        with tf.train.MonitoredSession(hooks=[tf.train.NanTensorHook(loss)]) as sess:
            sess.run(loss, feed_dict={q: -1.0})
    with tf.train.MonitoredSession(hooks=[tf.train.NanTensorHook(loss, False)]) as sess:
        sess.run(loss, feed_dict={q: -1.0})
        assert sess.should_stop()


def test_logging_hook_formatter_every_n_iter_and_at_end():
    counter = tf.get_variable("c", initializer=np.float32(0.0))
    bump = tf.assign_add(counter, 1.0)
    logged = []
    hook = tf.train.LoggingTensorHook({"c": counter.name}, every_n_iter=2, at_end=True,
                                      formatter=lambda values: logged.append(values["c"]))
    with tf.train.SingularMonitoredSession(hooks=[hook]) as sess:
        for _ in range(3):
            sess.run(bump)
    assert len(logged) == 3 and logged[-1] == 3.0  # iterations 0 and 2, then at the end


def test_scaffold_defaults_come_from_collections_and_step_fn_stops():
    _, v, train = _counting_model()
    scaffold = tf.train.Scaffold().finalize()
    assert tf.get_collection(tf.GraphKeys.SAVERS) == [scaffold.saver]
    assert tf.get_collection(tf.GraphKeys.INIT_OP) == [scaffold.init_op]
    tf.get_default_graph()._unsafe_unfinalize()

    def step_fn(step_context):
        if step_context.run_with_hooks(train) is None and step_context.session.run(v) >= 2:
            step_context.request_stop()

    with tf.train.MonitoredSession() as sess:
        while not sess.should_stop():
            sess.run_step_fn(step_fn)
        assert False, "request_stop leaves the with block"


def test_hook_argument_checks():
    with pytest.raises(ValueError):
        tf.train.StopAtStepHook()
    with pytest.raises(ValueError):
        tf.train.CheckpointSaverHook("/tmp")
    with pytest.raises(ValueError):
        tf.train.SummarySaverHook(save_steps=1)
    with pytest.raises(RuntimeError, match="Global step should be created"):
        tf.train.MonitoredSession(hooks=[tf.train.StopAtStepHook(num_steps=1)])


def test_model_not_ready_without_initialization():
    tf.get_variable("w", initializer=np.float32(1.0))
    with pytest.raises(RuntimeError, match="Variables not initialized: w"):
        tf.train.SingularMonitoredSession(scaffold=tf.train.Scaffold(init_op=tf.no_op()))
