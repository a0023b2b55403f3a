"""MonitoredTrainingSession: a small regression trained with hooks, checkpointed every two
steps, then resumed from its checkpoint directory; values, steps, checkpoint files and
should_stop behaviour."""
import os
import tempfile

from _compat import TENSORFLOW, report, report_error, tolerance

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np

tolerance(rtol=1e-5, atol=1e-6)
ckpt_dir = tempfile.mkdtemp()
data_x = np.array([[1.0, 2.0], [0.5, -1.0], [-1.5, 0.3], [2.0, 1.0]], np.float32)
data_y = np.array([[1.0], [-0.5], [0.2], [2.5]], np.float32)

x = tf.placeholder(tf.float32, [None, 2], name="x")
y = tf.placeholder(tf.float32, [None, 1], name="y")
w = tf.get_variable("w", initializer=np.array([[0.1], [-0.2]], np.float32))
b = tf.get_variable("b", initializer=np.array([0.05], np.float32))
global_step = tf.train.get_or_create_global_step()
loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y), name="loss")
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=global_step)
report("global_step_var", global_step)

logged = []


def formatter(values):
    logged.append(values["loss"])
    return "loss=%s" % values["loss"]


def checkpoint_files():
    return sorted(f for f in os.listdir(ckpt_dir) if not f.startswith("events.out"))


feed = {x: data_x, y: data_y}
losses = []
hooks = [tf.train.StopAtStepHook(last_step=5),
         tf.train.LoggingTensorHook({"loss": loss}, every_n_iter=2, formatter=formatter)]
with tf.train.MonitoredTrainingSession(checkpoint_dir=ckpt_dir, hooks=hooks,
                                       save_checkpoint_steps=2,
                                       log_step_count_steps=2) as sess:
    report("finalized_inside", tf.get_default_graph().finalized)
    report_error("new_op_inside", lambda: tf.constant(1.0))
    while not sess.should_stop():
        _, loss_value = sess.run([train_op, loss], feed_dict=feed)
        losses.append(loss_value)
    report("should_stop_after_loop", sess.should_stop())
    report_error("run_after_stop", lambda: sess.run(loss, feed_dict=feed))
report("finalized_after", tf.get_default_graph().finalized)
report("should_stop_closed", sess.should_stop())
report("first_losses", np.array(losses))
report("logged_losses", np.array(logged))
report("files_after_first", checkpoint_files())
report("event_files_first", len([f for f in os.listdir(ckpt_dir) if f.startswith("events.out")]))
report("latest_first", os.path.basename(tf.train.latest_checkpoint(ckpt_dir)))
report("w_in_checkpoint", tf.train.load_variable(ckpt_dir, "w"))
report("step_in_checkpoint", tf.train.load_variable(ckpt_dir, "global_step"))
state = tf.train.get_checkpoint_state(ckpt_dir)
report("state_paths", [os.path.basename(p) for p in state.all_model_checkpoint_paths])

# Resumes from the directory: three more steps, a checkpoint at step 7 and a final one at 8.
resumed_losses = []
hooks = [tf.train.StopAtStepHook(num_steps=3)]
with tf.train.MonitoredTrainingSession(checkpoint_dir=ckpt_dir, hooks=hooks,
                                       save_checkpoint_steps=2,
                                       save_summaries_steps=None) as sess:
    while not sess.should_stop():
        resumed_losses.append(sess.run([train_op, loss], feed_dict=feed)[1])
report("resumed_losses", np.array(resumed_losses))
report("files_after_second", checkpoint_files())
report("latest_second", os.path.basename(tf.train.latest_checkpoint(ckpt_dir)))
report("final_values", [tf.train.load_variable(ckpt_dir, "w"),
                        tf.train.load_variable(ckpt_dir, "b"),
                        tf.train.load_variable(ckpt_dir, "global_step")])

# No checkpoint_dir: plain initialization every time, no files, and a StopAtStepHook counts
# from the initialized step.
with tf.train.MonitoredTrainingSession(hooks=[tf.train.StopAtStepHook(num_steps=2)]) as sess:
    report("fresh_w", sess.run(w))
    count = 0
    while not sess.should_stop():
        sess.run(train_op, feed_dict=feed)
        count += 1
report("fresh_runs", count)

# A second directory with seconds-based saving (the default 600 s): only the first and the
# final checkpoints appear.
ckpt_dir = tempfile.mkdtemp()
with tf.train.MonitoredTrainingSession(checkpoint_dir=ckpt_dir,
                                       hooks=[tf.train.StopAtStepHook(last_step=4)]) as sess:
    while not sess.should_stop():
        sess.run(train_op, feed_dict=feed)
report("default_secs_files", checkpoint_files())
report("default_secs_latest", os.path.basename(tf.train.latest_checkpoint(ckpt_dir)))
