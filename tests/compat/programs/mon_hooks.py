"""MonitoredSession, SingularMonitoredSession and Scaffold with custom and standard hooks: the
order of hook calls, hook fetches and feeds, final ops, NaN detection, exhausted input ending
the session, run_step_fn, restoring with ChiefSessionCreator, and errors for misuse."""
import itertools
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


class RecordingHook(tf.train.SessionRunHook):
    def __init__(self, fetch):
        self.calls = []
        self.results = []
        self.fetch = fetch

    def begin(self):
        self.calls.append("begin")

    def after_create_session(self, session, coord):
        self.calls.append("after_create_session:%s" % type(coord).__name__)

    def before_run(self, run_context):
        self.calls.append("before_run")
        self.caller_fetches = run_context.original_args.fetches
        return tf.train.SessionRunArgs({"value": self.fetch})

    def after_run(self, run_context, run_values):
        self.calls.append("after_run")
        self.results.append(run_values.results["value"])
        if len(self.results) == 3:
            run_context.request_stop()

    def end(self, session):
        self.calls.append("end")


# -- MonitoredSession with a custom hook and a Scaffold init_fn ------------------------------
counter = tf.get_variable("counter", initializer=np.float32(1.0))
increment = tf.assign_add(counter, 2.0)
scale = tf.get_variable("scale", initializer=np.float32(0.5))
# Reads a variable the train op leaves alone: a read racing the update would be unordered.
hook = RecordingHook(scale * 2.0)
init_fn_calls = []
scaffold = tf.train.Scaffold(init_fn=lambda scaffold, sess: init_fn_calls.append(
    type(scaffold).__name__))
with tf.train.MonitoredSession(
        session_creator=tf.train.ChiefSessionCreator(scaffold=scaffold),
        hooks=[hook]) as sess:
    outputs = []
    while not sess.should_stop():
        outputs.append(sess.run(increment))
report("custom_outputs", np.array(outputs))
report("custom_results", np.array(hook.results))
report("custom_calls", hook.calls)
report("init_fn_calls", init_fn_calls)
report("scaffold_ops", [scaffold.init_op is not None, scaffold.ready_op is not None,
                        scaffold.local_init_op is not None, scaffold.summary_op is None,
                        type(scaffold.saver).__name__])
report("caller_fetches_seen", hook.caller_fetches is increment)

# -- hook feeds and final ops ----------------------------------------------------------------
tf.reset_default_graph()
p = tf.placeholder(tf.float32, [], name="p")
acc = tf.get_variable("acc", initializer=np.float32(0.0))
accumulate = tf.assign_add(acc, p)
feeds = itertools.cycle([1.5, 2.5, 4.0])
final = tf.train.FinalOpsHook([acc, acc * 10.0])
with tf.train.SingularMonitoredSession(
        hooks=[tf.train.FeedFnHook(lambda: {p: next(feeds)}), final]) as sess:
    report("feed_fn_runs", [sess.run(accumulate) for _ in range(3)])
    report("raw_session_type", type(sess.raw_session()).__name__)
    report("raw_run", sess.raw_session().run(acc))
    report_error("feed_conflict", lambda: sess.run(accumulate, feed_dict={p: 1.0}))
report("final_ops_values", final.final_ops_values)

# -- NaN loss ----------------------------------------------------------------------------------
tf.reset_default_graph()
q = tf.placeholder(tf.float32, [], name="q")
nan_loss = tf.sqrt(q)


def run_nan(fail):
    with tf.train.MonitoredSession(hooks=[tf.train.NanTensorHook(nan_loss, fail)]) as sess:
        values = [sess.run(nan_loss, feed_dict={q: 4.0})]
        values.append(sess.run(nan_loss, feed_dict={q: -1.0}))
        report("nan_no_fail_stop", sess.should_stop())
        report("nan_no_fail_values", np.array(values))


report_error("nan_fails", lambda: run_nan(True))
run_nan(False)
report("nan_error_is_runtime", issubclass(tf.train.NanLossDuringTrainingError, RuntimeError))
report("nan_error_text", str(tf.train.NanLossDuringTrainingError()))

# -- exhausted input ends the session cleanly; step functions --------------------------------
tf.reset_default_graph()
dataset = tf.data.Dataset.from_tensor_slices(np.arange(5, dtype=np.int64)).batch(2)
next_batch = tf.data.make_one_shot_iterator(dataset).get_next()
total = tf.get_variable("total", initializer=np.int64(0))
add_total = tf.assign_add(total, tf.reduce_sum(next_batch))
final_total = tf.train.FinalOpsHook(total)
batches = []
with tf.train.MonitoredSession(hooks=[final_total]) as sess:
    while not sess.should_stop():
        batches.append(sess.run(add_total))
report("batches", batches)
report("final_total", final_total.final_ops_values)
report("stopped_after_input", sess.should_stop())

step_values = []


def step_fn(step_context):
    value = step_context.run_with_hooks(add_total)
    step_values.append(value)
    if value >= 10:
        step_context.request_stop()
    return value


tf.reset_default_graph()
dataset = tf.data.Dataset.from_tensor_slices(np.arange(10, dtype=np.int64))
next_value = tf.data.make_one_shot_iterator(dataset).get_next()
total = tf.get_variable("total", initializer=np.int64(0))
add_total = tf.assign_add(total, next_value)
with tf.train.MonitoredSession() as sess:
    while not sess.should_stop():
        sess.run_step_fn(step_fn)
report("step_fn_values", step_values)
report_error("step_fn_bad_signature",
             lambda: tf.train.MonitoredSession().run_step_fn(lambda ctx: None))

# -- restoring through ChiefSessionCreator and a CheckpointSaverHook -------------------------
tf.reset_default_graph()
ckpt_dir = tempfile.mkdtemp()
v = tf.get_variable("v", initializer=np.array([1.0, 2.0], np.float32))
step = tf.train.get_or_create_global_step()
update = tf.group(tf.assign_add(v, [0.5, -0.5]), tf.assign_add(step, 1))
saver_hook = tf.train.CheckpointSaverHook(ckpt_dir, save_steps=3, checkpoint_basename="m.ckpt")
with tf.train.SingularMonitoredSession(hooks=[saver_hook]) as sess:
    for _ in range(4):
        sess.run(update)
report("saver_hook_files", sorted(f for f in os.listdir(ckpt_dir)
                                  if f.startswith(("m.ckpt", "checkpoint"))))
with tf.train.MonitoredSession(session_creator=tf.train.ChiefSessionCreator(
        checkpoint_dir=ckpt_dir)) as sess:
    report("restored", sess.run([v, step]))
with tf.train.SingularMonitoredSession(
        checkpoint_filename_with_path=os.path.join(ckpt_dir, "m.ckpt-3")) as sess:
    report("restored_from_file", sess.raw_session().run([v, step]))

# A Scaffold with its own init op and saver.
tf.reset_default_graph()
u = tf.get_variable("u", initializer=np.float32(3.0))
custom_init = tf.group(tf.assign(u, 7.0), name="custom_init")
own_scaffold = tf.train.Scaffold(init_op=custom_init, saver=tf.train.Saver([u]))
with tf.train.SingularMonitoredSession(scaffold=own_scaffold) as sess:
    report("custom_init_value", sess.run(u))
    report("scaffold_init_op", own_scaffold.init_op.name)
# An init op that leaves a variable uninitialized: the model is not ready.
w_uninit = tf.get_variable("w_uninit", initializer=np.float32(1.0))
report_error("not_ready", lambda: tf.train.SingularMonitoredSession(
    scaffold=tf.train.Scaffold(init_op=tf.no_op())))
tf.get_default_graph()._unsafe_unfinalize()

# -- misuse ----------------------------------------------------------------------------------
tf.reset_default_graph()
loss = tf.constant(1.0)
report_error("stop_hook_no_args", lambda: tf.train.StopAtStepHook())
report_error("stop_hook_both", lambda: tf.train.StopAtStepHook(num_steps=1, last_step=2))
report_error("saver_hook_no_interval", lambda: tf.train.CheckpointSaverHook("/tmp"))
report_error("saver_hook_both", lambda: tf.train.CheckpointSaverHook("/tmp", save_secs=1,
                                                                     save_steps=1))
report_error("logging_hook_no_interval", lambda: tf.train.LoggingTensorHook([loss]))
report_error("logging_hook_bad_iter", lambda: tf.train.LoggingTensorHook([loss],
                                                                         every_n_iter=0))
report_error("summary_hook_neither", lambda: tf.train.SummarySaverHook(save_steps=1))
report_error("step_counter_both", lambda: tf.train.StepCounterHook(every_n_steps=1,
                                                                   every_n_secs=1))
report_error("stop_hook_without_global_step",
             lambda: tf.train.MonitoredSession(hooks=[tf.train.StopAtStepHook(num_steps=1)]))
report_error("run_args_no_fetches", lambda: tf.train.SessionRunArgs())
report("run_args_defaults", tf.train.SessionRunArgs(loss)[1:])
timer = tf.train.SecondOrStepTimer(every_steps=3)
report("timer_first", timer.should_trigger_for_step(0))
timer.update_last_triggered_step(0)
report("timer_steps", [timer.should_trigger_for_step(s) for s in range(5)])
report("timer_elapsed_steps", timer.update_last_triggered_step(4)[1])
