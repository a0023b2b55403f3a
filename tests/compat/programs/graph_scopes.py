"""Variable scopes and name scopes as layer-building code uses them: reuse=True, AUTO_REUSE,
reuse_variables(), nesting, re-entering a scope object, default_name uniquification, scope-wide
initializers, regularizers and dtypes, custom getters, and the names ops and variables get."""
import numpy as np

from _compat import TENSORFLOW, report, report_error

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf

x = tf.placeholder(tf.float32, [None, 3], name="x")


def dense(inputs, units, scope=None, reuse=None):
    with tf.variable_scope(scope, default_name="dense", reuse=reuse):
        w = tf.get_variable("w", [inputs.shape[-1], units],
                            initializer=tf.constant_initializer(0.5))
        b = tf.get_variable("b", [units], initializer=tf.zeros_initializer())
        return tf.nn.relu(tf.matmul(inputs, w) + b)


# default_name scopes are made unique, both for variables and for ops
h1 = dense(x, 4)
h2 = dense(h1, 2)
with tf.variable_scope("net"):
    h3 = dense(x, 2)
    h4 = dense(x, 2)
report("default_name_ops", [h1.name, h2.name, h3.name, h4.name])
report("default_name_vars", [v.name for v in tf.global_variables()])

# explicit reuse: same variables, op name scope uniquified
y1 = dense(x, 3, scope="shared")
y2 = dense(x, 3, scope="shared", reuse=True)
report("reuse_true", [y1.name, y2.name, len(tf.global_variables())])
with tf.variable_scope("shared") as shared_scope:
    pass
with tf.variable_scope(shared_scope, reuse=True):
    again = tf.get_variable("w")
report("scope_object", [shared_scope.name, shared_scope.original_name_scope, again.name])

# AUTO_REUSE creates the first time, reuses after
with tf.variable_scope("auto", reuse=tf.AUTO_REUSE):
    a1 = tf.get_variable("v", [2], initializer=tf.ones_initializer())
    c1 = tf.identity(a1, name="read")
with tf.variable_scope("auto", reuse=tf.AUTO_REUSE):
    a2 = tf.get_variable("v", [2])
    c2 = tf.identity(a2, name="read")
report("auto_reuse", [a1 is a2, a1.name, c1.name, c2.name])

# reuse_variables() inside a scope, inherited by sub-scopes
with tf.variable_scope("tower") as tower:
    t1 = tf.get_variable("k", [1], initializer=tf.constant_initializer(2.0))
    with tf.variable_scope("inner"):
        t2 = tf.get_variable("k", [1], initializer=tf.constant_initializer(3.0))
    tower.reuse_variables()
    t3 = tf.get_variable("k")
    with tf.variable_scope("inner"):
        t4 = tf.get_variable("k")
        report("inherited_reuse", tf.get_variable_scope().reuse)
report("reuse_variables", [t1 is t3, t2 is t4, t2.name, tower.reuse])

# re-entering a captured scope from inside another one
with tf.variable_scope("other"):
    with tf.variable_scope(tower, reuse=True) as back:
        t5 = tf.get_variable("k")
        op_in_back = tf.constant(1.0, name="c")
        report("reentered", [back.name, t5 is t1, op_in_back.name,
                             tf.get_variable_scope().name])
    with tf.variable_scope("tower"):
        nested_new = tf.get_variable("k", [1])
report("nested_same_name", [nested_new.name])

# name_scope does not affect get_variable, but does affect tf.Variable and ops
with tf.name_scope("ns"):
    gv = tf.get_variable("gv", [1])
    plain = tf.Variable(1.0, name="plain")
    op = tf.add(gv, 1.0, name="op")
    with tf.variable_scope("vs"):
        inner_gv = tf.get_variable("gv", [1])
        inner_op = tf.multiply(inner_gv, 2.0, name="op")
report("name_vs_variable_scope", [gv.name, plain.name, op.name, inner_gv.name, inner_op.name])

# names of ops made unique inside scopes opened more than once
with tf.name_scope("block"):
    n1 = tf.constant(1.0, name="c")
    n2 = tf.constant(1.0, name="c")
with tf.name_scope("block"):
    n3 = tf.constant(1.0, name="c")
with tf.name_scope("block_1"):
    n4 = tf.constant(1.0, name="c")
with tf.name_scope(None):
    n5 = tf.constant(1.0, name="root")
with tf.name_scope("abs/"):
    n6 = tf.constant(1.0, name="c")
report("unique_op_names", [n1.name, n2.name, n3.name, n4.name, n5.name, n6.name])
with tf.variable_scope("vsc") as vsc:
    report("scope_strings", [vsc.name, vsc.original_name_scope,
                             tf.get_default_graph().get_name_scope()])
with tf.name_scope("returns") as returned:
    report("name_scope_value", returned)

def doubling_getter(getter, name, *args, **kwargs):
    variable = getter(name, *args, **kwargs)
    return variable * 2.0


def renaming_getter(getter, name, *args, **kwargs):
    return getter(name + "_renamed", *args, **kwargs)


with tf.variable_scope("custom", custom_getter=doubling_getter):
    got = tf.get_variable("g", [2], initializer=tf.constant_initializer(3.0))
    with tf.variable_scope("twice", custom_getter=renaming_getter):
        got2 = tf.get_variable("h", [1], initializer=tf.constant_initializer(1.0))
report("custom_getter", [got.name, got2.name,
                         sorted(v.name for v in tf.global_variables()
                                if v.name.startswith("custom"))])

# (TensorFlow 2 calls a scope's regularizer once more at the root name scope when the
# variable is made, and again each time the collection is read; TF1 called it once.)
# scope-wide initializer, dtype and regularizer
with tf.variable_scope("init", initializer=tf.constant_initializer(1.5),
                       regularizer=lambda w: tf.reduce_sum(tf.square(w)) * 0.1):
    r1 = tf.get_variable("r1", [2, 2])
    r2 = tf.get_variable("r2", [3], initializer=tf.constant_initializer(-1.0))
    r3 = tf.get_variable("r3", [2], regularizer=tf.no_regularizer)
    with tf.variable_scope("sub"):
        r4 = tf.get_variable("r4", [1])
with tf.variable_scope("doubles", dtype=tf.float64):
    d1 = tf.get_variable("d", [2], initializer=tf.constant_initializer(0.25))
reg_losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
report("regularization_names", [t.name for t in reg_losses])
report("regularization_total_name", tf.losses.get_regularization_loss().name)
report("scope_dtype", [d1.dtype.base_dtype.name, d1.name])


report("trainable_in_scope", [v.name for v in tf.trainable_variables("init")])
report("global_in_scope", [v.name for v in tf.global_variables(scope="tower")])
report("collection_scope_regex", [v.name for v in tf.get_collection(
    tf.GraphKeys.GLOBAL_VARIABLES, scope="dense(_1)?/")])
report("scope_collection_methods", [[v.name for v in tower.trainable_variables()],
                                    [v.name for v in tower.global_variables()]])

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed = {x: np.arange(6, dtype=np.float32).reshape(2, 3)}
    report("values", sess.run([h1, h2, h3, y1, y2], feed))
    report("scoped_init", sess.run([r1, r2, r3, r4, d1]))
    report("regularization", sess.run(reg_losses))
    report("regularization_total", sess.run(tf.losses.get_regularization_loss()))
    report("custom_values", sess.run([got, got2]))
    grads = tf.gradients(tf.reduce_sum(y2), [v for v in tf.trainable_variables("shared")])
    report("shared_grads", sess.run(grads, feed))

report_error("reuse_missing", lambda: dense(x, 3, scope="missing", reuse=True))
report_error("create_twice", lambda: dense(x, 3, scope="shared"))
report_error("reuse_shape_mismatch", lambda: dense(x, 5, scope="shared", reuse=True))


def reuse_other_dtype():
    with tf.variable_scope("auto", reuse=True):
        tf.get_variable("v", [2], dtype=tf.int32)


report_error("reuse_dtype_mismatch", reuse_other_dtype)
report_error("bad_reuse_value", lambda: tf.variable_scope("z", reuse="yes").__enter__())
report_error("no_name", lambda: tf.variable_scope(None).__enter__())
