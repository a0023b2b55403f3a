"""tf.cond, tf.case and tf.while_loop as TF1 programs use them: nested conds, branches that
assign variables, structured results, gradients through cond, loops with shape invariants and
maximum_iterations, loops that read outer tensors, and the errors for malformed branches."""
import collections

import numpy as np

from _compat import TENSORFLOW, report, report_error

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf

x = tf.placeholder(tf.float32, [None, 2], name="x")
flag = tf.placeholder(tf.bool, [], name="flag")
k = tf.placeholder(tf.int32, [], name="k")
w = tf.Variable([[1.0, -1.0], [2.0, 0.5]], name="w")
counter = tf.Variable(0, name="counter")
data = np.array([[1.0, 2.0], [-3.0, 0.5]], np.float32)

# values, shapes and gradients through a cond
h = tf.matmul(x, w)
out = tf.cond(flag, lambda: tf.nn.relu(h) * 2.0, lambda: tf.square(h))
loss = tf.reduce_sum(out)
grad_w, grad_x = tf.gradients(loss, [w, x])
report("cond_shapes", [str(out.shape), out.dtype.name, str(grad_w.shape), str(grad_x.shape)])

# nested conds, cond results as a tuple / dict / namedtuple, a cond over a placeholder int
Pair = collections.namedtuple("Pair", "low high")


def nested():
    return tf.cond(k > 0,
                   lambda: tf.cond(k > 5, lambda: tf.constant(2), lambda: tf.constant(1)),
                   lambda: tf.constant(0))


level = nested()
as_tuple = tf.cond(flag, lambda: (tf.constant(1.0), tf.constant([1, 2])),
                   lambda: (tf.constant(-1.0), tf.constant([3, 4])))
as_dict = tf.cond(flag, lambda: {"a": x * 2.0, "b": tf.reduce_sum(x)},
                  lambda: {"a": x, "b": tf.reduce_max(x)})
as_named = tf.cond(flag, lambda: Pair(tf.constant(0), tf.constant(10)),
                   lambda: Pair(tf.constant(5), tf.constant(6)))
single_list = tf.cond(flag, lambda: [tf.constant(1.0)], lambda: [tf.constant(2.0)])
single_list_strict = tf.cond(flag, lambda: [tf.constant(1.0)], lambda: [tf.constant(2.0)],
                             strict=True)
python_pred = tf.cond(tf.constant(True), lambda: tf.constant(3), lambda: tf.constant(4))
report("structures", [type(as_tuple).__name__, sorted(as_dict), type(as_named).__name__,
                      isinstance(single_list, list), type(single_list_strict).__name__])
report("shape_merge", [str(tf.cond(flag, lambda: tf.zeros([2, 3]), lambda: tf.ones([2, 4]))
                           .shape),
                       str(tf.cond(flag, lambda: tf.zeros([2, 3]), lambda: tf.ones([2, 3]))
                           .shape),
                       str(tf.cond(flag, lambda: tf.zeros([2]), lambda: tf.ones([2, 1]))
                           .shape)])

# side effects: only the taken branch's assignment runs
def bump_by(n):
    def fn():
        with tf.control_dependencies([tf.assign_add(counter, n)]):
            return tf.identity(counter)
    return fn


effect = tf.cond(flag, bump_by(1), bump_by(10))

# an assignment created outside the cond runs whichever branch is taken (TF1 semantics)
outer_assign = tf.assign_add(counter, 100)
outside_effect = tf.cond(flag, lambda: outer_assign, lambda: tf.constant(-1))

# tf.case: first true predicate wins; default otherwise; exclusive checks at run time
chosen = tf.case([(tf.equal(k, 1), lambda: tf.constant(10)),
                  (tf.equal(k, 2), lambda: tf.constant(20)),
                  (k > 0, lambda: tf.constant(30))], default=lambda: tf.constant(-1))
exclusive = tf.case({tf.equal(k, 1): lambda: tf.constant(1.0),
                     k > 0: lambda: tf.constant(2.0)},
                    default=lambda: tf.constant(0.0), exclusive=True)

# while_loop: counting, carrying several tensors, reading outer tensors, maximum_iterations,
# a loop variable whose shape grows (shape_invariants), and a nested structure
i0 = tf.constant(0)
total = tf.while_loop(lambda i, acc: i < k, lambda i, acc: (i + 1, acc + tf.cast(i, tf.float32)),
                      (i0, tf.constant(0.0)))
power = tf.while_loop(lambda i, m: i < 3, lambda i, m: (i + 1, tf.matmul(m, w)),
                      [tf.constant(0), tf.constant(np.eye(2, dtype=np.float32))])
capped = tf.while_loop(lambda i: i < 1000, lambda i: i + 2, [tf.constant(0)],
                       maximum_iterations=7)
single = tf.while_loop(lambda v: tf.reduce_sum(v) < 100.0, lambda v: v * 2.0, [tf.ones([3])])
grown = tf.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, tf.concat([s, [i]], 0)),
                      [tf.constant(0), tf.constant([7])],
                      shape_invariants=[tf.TensorShape([]), tf.TensorShape([None])])
batch_loop = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s + x),
                           [tf.constant(0), tf.zeros_like(x)],
                           shape_invariants=[i0.get_shape(), tf.TensorShape([None, 2])])
structured = tf.while_loop(lambda p: p["i"] < 5,
                           lambda p: [{"i": p["i"] + 1, "prod": p["prod"] * 2}],
                           [{"i": tf.constant(0), "prod": tf.constant(1)}])
body_list = tf.while_loop(lambda i, j: i < 3, lambda i, j: [i + 1, j * 3],
                          (tf.constant(0), tf.constant(1)))
body_tuple = tf.while_loop(lambda i: i < 3, lambda i: (i + 1,), [tf.constant(0)],
                           return_same_structure=True)
report("loop_shapes", [str(total[1].shape), str(power[1].shape), str(capped.shape),
                       str(single.shape), str(grown[1].shape), str(batch_loop[1].shape),
                       type(total).__name__, type(power).__name__, isinstance(capped, tf.Tensor),
                       type(structured).__name__, sorted(structured[0]), type(body_list).__name__,
                       type(body_tuple).__name__])

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for taken in (True, False):
        report("cond_%s" % taken, sess.run([out, grad_w, grad_x], {x: data, flag: taken}))
        report("structures_%s" % taken, sess.run([as_tuple, as_dict, as_named, single_list,
                                                   single_list_strict], {x: data, flag: taken}))
    report("nested", [sess.run(level, {k: n}) for n in (-1, 3, 9)])
    report("python_pred", sess.run(python_pred))
    report("effect_true", sess.run([effect], {flag: True}))
    report("effect_false", sess.run(effect, {flag: False}))
    report("counter", sess.run(counter))
    report("outside_effect_false", sess.run(outside_effect, {flag: False}))
    report("counter_after_outside", sess.run(counter))
    report("case", [sess.run(chosen, {k: n}) for n in (1, 2, 3, 0)])
    report("case_exclusive", sess.run(exclusive, {k: 2}))
    report_error("case_exclusive_two_true", lambda: sess.run(exclusive, {k: 1}))
    report("loops", sess.run([total, power, capped, single, grown], {k: 5}))
    report("loop_batch", sess.run(batch_loop, {x: data}))
    report("loop_structured", sess.run([structured, body_list, body_tuple]))
    report("loop_zero_iterations", sess.run(total, {k: 0}))
    report("still_usable", sess.run(level, {k: 1}))

report_error("branch_dtype_mismatch", lambda: tf.cond(flag, lambda: tf.constant(1),
                                                      lambda: tf.constant(1.0)))
report_error("branch_count_mismatch", lambda: tf.cond(
    flag, lambda: (tf.constant(1), tf.constant(2)), lambda: tf.constant(1)))
report_error("branch_not_callable", lambda: tf.cond(flag, tf.constant(1), lambda: 2))
report_error("pred_not_scalar", lambda: tf.cond(tf.constant([True, False]), lambda: 1.0,
                                                lambda: 2.0))
report_error("loop_shape_changes", lambda: tf.while_loop(
    lambda s: tf.size(s) < 5, lambda s: tf.concat([s, s], 0), [tf.constant([1])]))
report_error("loop_body_count", lambda: tf.while_loop(
    lambda i, j: i < 3, lambda i, j: i + 1, [tf.constant(0), tf.constant(1)]))
