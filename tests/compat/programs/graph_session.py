"""Session behaviour scripts rely on: feeding placeholders partly and intermediate tensors,
feeding variables' reads, fetching operations, make_callable, InteractiveSession with eval() and
run(), the default session, Session(graph=...), closing, and that errors leave the session
usable."""
import numpy as np

from _compat import TENSORFLOW, report, report_error

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf

a = tf.placeholder(tf.float32, [None, 2], name="a")
b = tf.placeholder_with_default(tf.constant([1.0, 1.0]), [2], name="b")
c = tf.placeholder(tf.float32, [], name="c")
w = tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="w")
total = tf.Variable(0.0, name="total")
hidden = tf.matmul(a, w, name="hidden") + b
out = tf.reduce_sum(hidden * c, name="out")
side = tf.reduce_sum(hidden, name="side")
accumulate = tf.assign_add(total, out, name="accumulate")
const = tf.constant([[2.0, 0.0]], name="const")
from_const = const * 3.0
data = np.array([[1.0, -1.0], [0.5, 2.0]], np.float32)

with tf.Session() as sess:
    report("default_session", tf.get_default_session() is sess)
    sess.run(tf.global_variables_initializer())
    report("partial_fetch", sess.run(side, {a: data}))  # c is not needed for `side`
    report("default_overridden", sess.run(side, {a: data, b: [0.0, 10.0]}))
    report("feed_intermediate", sess.run(out, {hidden: np.ones((3, 2), np.float32), c: 2.0}))
    report("feed_constant", sess.run(from_const, {const: [[1.0, 1.0]]}))
    report("feed_variable_read", sess.run(hidden, {a: data, w.value(): np.eye(2)}))
    report("feed_variable", sess.run(hidden, {a: data, w: np.zeros((2, 2))}))
    report("variable_unchanged", sess.run(w))
    report("feed_by_name", sess.run("out:0", {"a:0": data, "c:0": 0.5}))
    report("fetch_op", sess.run(accumulate.op, {a: data, c: 1.0}))
    report("fetch_op_by_name", sess.run("accumulate", {a: data, c: 1.0}))
    report("total", sess.run(total))
    report("fetch_assign", sess.run([accumulate, total], {a: data, c: 0.0}))
    run_side = sess.make_callable(side, [a])
    report("make_callable", [run_side(data), run_side(data[:1])])
    run_both = sess.make_callable([side, out], [a, c])
    report("make_callable_list", run_both(data, 2.0))
    report_error("unfed_after_partial", lambda: sess.run(out, {a: data}))
    report_error("feed_wrong_shape", lambda: sess.run(side, {a: np.ones((2, 3))}))
    report_error("feed_wrong_default_shape", lambda: sess.run(side, {a: data, b: [1.0]}))
    report_error("feed_not_feedable_name", lambda: sess.run(side, {"nope:0": 1.0}))
    report_error("fetch_placeholder_unfed", lambda: sess.run(a))
    report("fetch_fed_placeholder", sess.run(a, {a: data}))
    report("usable_after_errors", sess.run(out, {a: data, c: 1.0}))
    report("tensor_eval", [out.eval({a: data, c: 1.0}), w.eval(), total.eval(session=sess)])
    accumulate.op.run({a: data, c: -1.0})
    report("op_run", total.eval())
report("no_default_after_with", tf.get_default_session() is None)
report_error("eval_without_session", lambda: out.eval({a: data, c: 1.0}))
report_error("run_closed", lambda: sess.run(w))

sess = tf.Session()
sess.run(w.initializer)
sess.close()
report_error("run_after_close", lambda: sess.run(w))
sess.close()  # closing twice is fine

other = tf.Graph()
with other.as_default():
    v = tf.Variable(3.0, name="v")
    doubled = v * 2.0
with tf.Session(graph=other) as other_sess:
    other_sess.run(tf.variables_initializer([v]))
    report("other_graph", [other_sess.run(doubled), other_sess.graph is other])
    report_error("fetch_default_graph_tensor", lambda: other_sess.run(w))
    with other_sess.as_default():
        report("as_default_eval", doubled.eval())

interactive = tf.InteractiveSession()
interactive.run(tf.global_variables_initializer())
report("interactive_default", tf.get_default_session() is interactive)
report("interactive_eval", [w.eval(), side.eval({a: data}),
                            (w * 2.0).eval(), tf.constant(3).eval()])
accumulate.op.run({a: data, c: 1.0})
report("interactive_op_run", total.eval())
interactive.close()
report("interactive_closed_default", tf.get_default_session() is None)

# independent sessions on one graph hold independent variable values
first, second = tf.Session(), tf.Session()
first.run(w.initializer)
second.run(w.initializer)
first.run(w.assign([[0.0, 0.0], [0.0, 0.0]]))
report("independent_sessions", [first.run(w), second.run(w)])
report_error("uninitialized_in_new_session", lambda: tf.Session().run(total))
first.close()
second.close()

tf.reset_default_graph()
fresh = tf.constant(1.0, name="fresh")
with tf.Session() as sess:
    report("after_reset", [sess.run(fresh), fresh.name, len(sess.graph.get_operations())])
