"""The tf.assert_* family, tf.Assert, tf.check_numerics and friends: what is decided while the
graph is built (NoOps, static errors), op names, and run-time failures with their messages."""
import numpy as np

from _compat import TENSORFLOW, report, report_error

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf


def first_line(fn):
    """Class and the first line of the message (TF appends node details and traces)."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the class and message are what is compared
        message = getattr(e, "message", None) or str(e)
        lines = [line for line in message.split("\n")
                 if line.startswith("assertion failed") or " : Tensor had " in line]
        return [type(e).__name__, lines[0] if lines else message.split("\n")[0]]
    return ["no error", None]


def static_message(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return [type(e).__name__, getattr(e, "message", None) or str(e)]
    return ["no error", None]


c = tf.constant([1, 2, 3], name="c")
cf = tf.constant([1.0, -2.0], name="cf")
x = tf.placeholder(tf.float32, [None], name="x")
y = tf.placeholder(tf.float32, [None], name="y")
m = tf.placeholder(tf.float32, [None, 3], name="m")
r = tf.placeholder(tf.float32, name="r")

# decided while building
report("equal_same_tensor", tf.assert_equal(c, c))
report("rank_static_ok", tf.assert_rank(m, 2))
report("rank_at_least_ok", tf.assert_rank_at_least(m, 1))
report("type_ok", tf.assert_type(m, tf.float32))
report("integer_ok", tf.assert_integer(c))
report("equal_static_fail", static_message(lambda: tf.assert_equal(c, tf.constant([1, 2, 4]))))
report("less_static_fail", static_message(lambda: tf.assert_less(c, c)))
report("positive_static_fail", static_message(lambda: tf.assert_positive(cf)))
report("non_positive_static_fail", static_message(lambda: tf.assert_non_positive(c)))
report("none_equal_static_fail", static_message(lambda: tf.assert_none_equal(c, c)))
report("rank_static_fail", static_message(lambda: tf.assert_rank(m, 3)))
report("rank_at_least_fail", static_message(lambda: tf.assert_rank_at_least(m, 3,
                                                                           message="need 3")))
report("type_fail", static_message(lambda: tf.assert_type(m, tf.int32)))
report("integer_fail", static_message(lambda: tf.assert_integer(cf)))
report_error("dtype_mismatch", lambda: tf.assert_equal(c, cf))
report_error("shape_mismatch", lambda: tf.assert_equal(c, tf.constant([1, 2])))
report("scalar_fail", static_message(lambda: tf.assert_scalar(c)))

# built for run time
eq = tf.assert_equal(x, y, message="mymsg")
less = tf.assert_less(x, y)
positive = tf.assert_positive(x)
non_negative = tf.assert_non_negative(x, summarize=2)
greater_eq = tf.assert_greater_equal(x, 0.0, data=[x, "custom"], name="ge_check")
none_eq = tf.assert_none_equal(c, tf.constant([4, 5, 6]))
rank_dynamic = tf.assert_rank(r, 2)
near = tf.assert_near(x, y)
assert_int = tf.Assert(tf.reduce_all(c > 0), [c, "ints only"])
assert_float = tf.Assert(x[0] > 0, [x], summarize=2, name="first_positive")
for key, op in [("eq", eq), ("less", less), ("positive", positive), ("ge", greater_eq),
                ("none_eq", none_eq), ("rank_dynamic", rank_dynamic), ("near", near),
                ("assert_int", assert_int), ("assert_float", assert_float)]:
    report("op_" + key, [op.name, op.type])

with tf.control_dependencies([tf.assert_positive(x, message="x must be positive")]):
    guarded = tf.identity(x * 2.0, name="guarded")
checked = tf.check_numerics(x * 1.0, "x is bad")
verified = tf.verify_tensor_all_finite(x, "not finite")
report("checked_names", [checked.name, verified.name, str(checked.shape)])
grad_checked, = tf.gradients(tf.reduce_sum(tf.check_numerics(x * x, "sq")), x)

with tf.Session() as sess:
    ok = {x: [1.0, 2.0, 3.0], y: [1.0, 2.0, 3.0]}
    report("eq_pass", sess.run(eq, ok))
    report("eq_fail", first_line(lambda: sess.run(eq, {x: [1.0, 2.0, 3.0],
                                                        y: [1.0, 2.0, 4.0]})))
    report("less_pass", sess.run(less, {x: [1.0, 2.0], y: [2.0, 3.0]}))
    report("less_fail", first_line(lambda: sess.run(less, {x: [1.0, 2.0], y: [2.0, 2.0]})))
    report("positive_fail", first_line(lambda: sess.run(positive, {x: [1.0, -2.5, 3.0]})))
    report("non_negative_fail", first_line(
        lambda: sess.run(non_negative, {x: [-1.0, -2.0, -3.0, -4.0]})))
    report("ge_fail", first_line(lambda: sess.run(greater_eq, {x: [-1.0, 5.0]})))
    report("none_eq_pass", sess.run(none_eq))
    report("rank_dynamic_pass", sess.run(rank_dynamic, {r: np.ones((2, 2))}))
    report("rank_dynamic_fail", first_line(lambda: sess.run(rank_dynamic, {r: np.ones(3)})))
    report("near_pass", sess.run(near, {x: [1.0, 2.0], y: [1.0, 2.0]}))
    report("near_fail", first_line(lambda: sess.run(near, {x: [1.0, 2.0], y: [1.0, 2.5]}))[0])
    report("assert_int_pass", sess.run(assert_int))
    report("assert_float_fail", first_line(lambda: sess.run(assert_float,
                                                            {x: [-1.0, 2.0, 3.0]})))
    report("guarded_pass", sess.run(guarded, {x: [1.0, 2.0]}))
    report("guarded_fail", first_line(lambda: sess.run(guarded, {x: [1.0, 0.0]})))
    report("checked_pass", sess.run(checked, {x: [1.0, 2.0]}))
    report("checked_nan", first_line(lambda: sess.run(checked, {x: [1.0, np.nan]})))
    report("checked_inf", first_line(lambda: sess.run(checked, {x: [np.inf, 1.0]})))
    report("verified_inf", first_line(lambda: sess.run(verified, {x: [-np.inf]})))
    report("verified_pass", sess.run(verified, {x: [4.0]}))
    report("grad_through_check", sess.run(grad_checked, {x: [1.0, 3.0]}))
    report("assert_repeated_names", [tf.assert_equal(x, y).name, tf.assert_equal(x, y).name])

# tf.add_check_numerics_ops over a whole small graph
graph = tf.Graph()
with graph.as_default():
    a = tf.placeholder(tf.float32, [2], name="a")
    b = tf.log(a, name="log_a")
    total = tf.reduce_sum(b, name="total")
    check_all = tf.add_check_numerics_ops()
    report("check_all_op", check_all.type)
    with tf.Session() as sess:
        report("check_all_pass", sess.run([total, check_all], {a: [1.0, 2.0]})[0])
        report("check_all_fail", first_line(lambda: sess.run([total, check_all],
                                                             {a: [1.0, -1.0]})))
