"""tf.train.Optimizer's API as TF1 has it: slot and op names (checked against TF 2.21's
tf.compat.v1), collections, errors, global-step ordering, constraints and subclass hooks."""
import numpy as np
import pytest

import graphflow as tf

OPTIMIZERS = {
    "GradientDescent": lambda: tf.train.GradientDescentOptimizer(0.1),
    "Momentum": lambda: tf.train.MomentumOptimizer(0.1, 0.9),
    "Adagrad": lambda: tf.train.AdagradOptimizer(0.1),
    "Adadelta": lambda: tf.train.AdadeltaOptimizer(),
    "RMSProp": lambda: tf.train.RMSPropOptimizer(0.1),
    "RMSPropCentered": lambda: tf.train.RMSPropOptimizer(0.1, centered=True),
    "Adam": lambda: tf.train.AdamOptimizer(),
    "Ftrl": lambda: tf.train.FtrlOptimizer(0.1),
    "ProximalGradientDescent": lambda: tf.train.ProximalGradientDescentOptimizer(0.1),
    "ProximalAdagrad": lambda: tf.train.ProximalAdagradOptimizer(0.1),
}
# What TF1 creates for W (2x2) and b (2,), in creation order, and the slot names.
TF1_SLOTS = {
    "GradientDescent": ([], []),
    "Momentum": (["W/Momentum", "b/Momentum"], ["momentum"]),
    "Adagrad": (["W/Adagrad", "b/Adagrad"], ["accumulator"]),
    "Adadelta": (["W/Adadelta", "W/Adadelta_1", "b/Adadelta", "b/Adadelta_1"],
                 ["accum", "accum_update"]),
    "RMSProp": (["W/RMSProp", "W/RMSProp_1", "b/RMSProp", "b/RMSProp_1"], ["momentum", "rms"]),
    "RMSPropCentered": (["W/RMSProp", "W/RMSProp_1", "W/RMSProp_2", "b/RMSProp", "b/RMSProp_1",
                         "b/RMSProp_2"], ["mg", "momentum", "rms"]),
    "Adam": (["beta1_power", "beta2_power", "W/Adam", "W/Adam_1", "b/Adam", "b/Adam_1"],
             ["m", "v"]),
    "Ftrl": (["W/Ftrl", "W/Ftrl_1", "b/Ftrl", "b/Ftrl_1"], ["accum", "linear"]),
    "ProximalGradientDescent": ([], []),
    "ProximalAdagrad": (["W/ProximalAdagrad", "b/ProximalAdagrad"], ["accumulator"]),
}


def model():
    w = tf.Variable(np.ones((2, 2), np.float32), name="W")
    b = tf.Variable([0.0, 0.0], name="b")
    return w, b, tf.reduce_sum(tf.matmul(tf.ones((3, 2)), w) + b)


def names(variables):
    return [v.op.name for v in variables]


@pytest.mark.parametrize("kind", sorted(OPTIMIZERS))
@pytest.mark.parametrize("scope", [None, "variable_scope", "name_scope"])
def test_slot_and_op_names_follow_tf1(kind, scope):
    w, b, loss = model()
    opt = OPTIMIZERS[kind]()
    if scope == "variable_scope":
        with tf.variable_scope("vs"):
            train = opt.minimize(loss)
    elif scope == "name_scope":
        with tf.name_scope("ns"):
            train = opt.minimize(loss)
    else:
        train = opt.minimize(loss)
    slots, slot_names = TF1_SLOTS[kind]
    # Slots take the variable scope but not the name scope; Adam's beta powers, being plain
    # tf.Variables, take both.
    prefix = {"variable_scope": "vs/", "name_scope": "ns/", None: ""}[scope]
    expected = [("vs/" if scope == "variable_scope" else "") + n if "/" in n else prefix + n
                for n in slots]
    assert names(tf.global_variables()) == ["W", "b"] + expected
    assert names(opt.variables()) == sorted(expected)
    assert names(tf.trainable_variables()) == ["W", "b"]
    assert opt.get_slot_names() == slot_names
    op_name = kind.replace("Centered", "")
    assert train.name == {"variable_scope": "vs/", "name_scope": "ns/", None: ""}[scope] + op_name
    assert tf.get_collection(tf.GraphKeys.TRAIN_OP) == [train]
    update = tf.get_default_graph().get_operation_by_name(
        train.name + "/update_W/Apply" + ("CenteredRMSProp" if kind == "RMSPropCentered"
                                          else op_name))
    assert update.outputs[0].dtype == w.dtype  # the variable's reference, as TF outputs
    for slot_name in slot_names:
        slot = opt.get_slot(w, slot_name)
        assert slot.get_shape().as_list() == [2, 2] and not slot.trainable


def test_adam_graph_matches_tf1_op_for_op():
    w = tf.Variable(np.ones((2, 2), np.float32), name="W")
    loss = tf.reduce_sum(w * w)
    step = tf.train.get_or_create_global_step()
    graph = tf.get_default_graph()
    before = len(graph.get_operations())
    tf.train.AdamOptimizer().minimize(loss, global_step=step)
    def input_name(t):
        # Initializer and gradient op names belong to other modules; their roles are checked.
        if "/Initializer/" in t.name:
            return "<initializer of %s>" % t.name.split("/Initializer/")[0]
        return "<gradient>" if t.name.startswith("gradients/") else t.name
    ops = [(op.name, op.type, [input_name(t) for t in op.inputs],
            [c.name for c in op.control_inputs])
           for op in graph.get_operations()[before:] if not op.name.startswith("gradients")
           and "/Initializer/" not in op.name]
    assert ops == [
        ("beta1_power/initial_value", "Const", [], []),
        ("beta1_power", "VariableV2", [], []),
        ("beta1_power/Assign", "Assign", ["beta1_power:0", "beta1_power/initial_value:0"], []),
        ("beta1_power/read", "Identity", ["beta1_power:0"], []),
        ("beta2_power/initial_value", "Const", [], []),
        ("beta2_power", "VariableV2", [], []),
        ("beta2_power/Assign", "Assign", ["beta2_power:0", "beta2_power/initial_value:0"], []),
        ("beta2_power/read", "Identity", ["beta2_power:0"], []),
        ("W/Adam", "VariableV2", [], []),
        ("W/Adam/Assign", "Assign", ["W/Adam:0", "<initializer of W/Adam>"], []),
        ("W/Adam/read", "Identity", ["W/Adam:0"], []),
        ("W/Adam_1", "VariableV2", [], []),
        ("W/Adam_1/Assign", "Assign", ["W/Adam_1:0", "<initializer of W/Adam_1>"], []),
        ("W/Adam_1/read", "Identity", ["W/Adam_1:0"], []),
        ("Adam/learning_rate", "Const", [], []),
        ("Adam/beta1", "Const", [], []),
        ("Adam/beta2", "Const", [], []),
        ("Adam/epsilon", "Const", [], []),
        ("Adam/update_W/ApplyAdam", "ApplyAdam",
         ["W:0", "W/Adam:0", "W/Adam_1:0", "beta1_power/read:0", "beta2_power/read:0",
          "Adam/learning_rate:0", "Adam/beta1:0", "Adam/beta2:0", "Adam/epsilon:0",
          "<gradient>"], []),
        ("Adam/mul", "Mul", ["beta1_power/read:0", "Adam/beta1:0"], ["Adam/update_W/ApplyAdam"]),
        ("Adam/Assign", "Assign", ["beta1_power:0", "Adam/mul:0"], []),
        ("Adam/mul_1", "Mul", ["beta2_power/read:0", "Adam/beta2:0"],
         ["Adam/update_W/ApplyAdam"]),
        ("Adam/Assign_1", "Assign", ["beta2_power:0", "Adam/mul_1:0"], []),
        ("Adam/update", "NoOp", [], ["Adam/update_W/ApplyAdam", "Adam/Assign", "Adam/Assign_1"]),
        ("Adam/value", "Const", [], ["Adam/update"]),
        ("Adam", "AssignAdd", ["global_step:0", "Adam/value:0"], []),
    ]


def test_integer_learning_rate_is_cast_per_variable():
    w = tf.Variable([1.0, 2.0], name="W")
    tf.train.GradientDescentOptimizer(1).minimize(tf.reduce_sum(w * w))
    graph = tf.get_default_graph()
    assert graph.get_tensor_by_name("GradientDescent/learning_rate:0").dtype == tf.int32
    cast = graph.get_operation_by_name("GradientDescent/update_W/Cast")
    assert cast.type == "Cast" and cast.outputs[0].dtype == tf.float32


def test_float64_variables_with_adam_keep_float32_beta_powers():
    w = tf.Variable(np.ones(2), name="W")
    opt = tf.train.AdamOptimizer()
    opt.minimize(tf.reduce_sum(w * w))
    assert [(v.op.name, v.dtype.base_dtype) for v in opt.variables()] == [
        ("W/Adam", tf.float64), ("W/Adam_1", tf.float64), ("beta1_power", tf.float32),
        ("beta2_power", tf.float32)]


def test_one_optimizer_minimizing_twice_shares_slots_and_beta_powers():
    x = tf.Variable(1.0, name="x")
    y = tf.Variable(2.0, name="y")
    adam = tf.train.AdamOptimizer()
    first, second = adam.minimize(x * y), adam.minimize(x * x * y)
    assert (first.name, second.name) == ("Adam", "Adam_1")
    assert names(tf.global_variables()) == ["x", "y", "beta1_power", "beta2_power", "x/Adam",
                                            "x/Adam_1", "y/Adam", "y/Adam_1"]
    assert tf.get_collection(tf.GraphKeys.TRAIN_OP) == [first, second]


def test_global_step_increments_after_the_updates():
    step = tf.train.get_or_create_global_step()
    used = tf.Variable(1.0, name="used")
    unused = tf.Variable(1.0, name="unused")
    opt = tf.train.GradientDescentOptimizer(0.5)
    grads = opt.compute_gradients(used * used, var_list=[used, unused])
    assert grads[1] == (None, unused)
    train = opt.apply_gradients(grads, global_step=step)
    assert train.type == "AssignAdd" and train.name == "GradientDescent"
    # As in TF the increment's constant, not the AssignAdd, carries the control edge.
    assert train.inputs[1].op.name == "GradientDescent/value"
    update, = train.inputs[1].op.control_inputs
    assert update.name == "GradientDescent/update"
    assert [c.name for c in update.control_inputs] == [
        "GradientDescent/update_used/ApplyGradientDescent"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        sess.run(train)
        assert sess.run([used, unused, step]) == [0.0, 1.0, 2]
        assert tf.train.global_step(sess, step) == 2


def test_apply_gradients_names_and_converts_gradients():
    z = tf.Variable([1.0], name="z")
    x = tf.Variable(1.0, name="x")
    opt = tf.train.GradientDescentOptimizer(0.5)
    named = opt.apply_gradients([([1.0], z)], name="custom")
    numpy_grad = opt.apply_gradients([(np.float32(2.0), x)])
    assert (named.name, numpy_grad.name) == ("custom", "GradientDescent")
    # A generator works too: apply_gradients iterates it once.
    opt.apply_gradients((g, v) for g, v in [(tf.constant(1.0), x)])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([named, numpy_grad])
        assert sess.run([z, x]) == [pytest.approx([0.5]), 0.0]


def test_errors_match_tf1():
    x = tf.Variable(1.0, name="x")
    y = tf.Variable(2.0, name="y")
    opt = tf.train.GradientDescentOptimizer(0.1)
    with pytest.raises(ValueError, match=r"^No gradients provided for any variable: "
                       r"\[\"<tf.Variable 'x:0' shape=\(\) dtype=float32_ref>\", "):
        opt.apply_gradients([(None, x), (None, y)])
    with pytest.raises(ValueError, match="^No variables provided.$"):
        opt.apply_gradients([])
    with pytest.raises(ValueError, match=r"^No gradients provided for any variable, check your "
                       r"graph for ops that do not support gradients, between variables "
                       r"\[\"<tf.Variable 'x:0' .*\"\] and loss Tensor\(\"mul:0\""):
        opt.minimize(tf.constant(1.0) * 2.0, var_list=[x])
    with pytest.raises(ValueError, match=r"^Invalid type tf.int32 for Const_1:0, expected: "
                       r"\[tf.float32, tf.float64, tf.float16"):
        opt.compute_gradients(tf.constant(1), var_list=[x])
    with pytest.raises(ValueError, match="^gate_gradients must be one of: Optimizer.GATE_NONE, "
                       "Optimizer.GATE_OP, Optimizer.GATE_GRAPH.  Not 7$"):
        opt.compute_gradients(x * y, gate_gradients=7)
    with pytest.raises(ValueError, match="^Must specify the optimizer name$"):
        tf.train.Optimizer(False, "")
    with pytest.raises(ValueError, match="^initial_accumulator_value must be positive: 0.0$"):
        tf.train.AdagradOptimizer(0.1, initial_accumulator_value=0.0)
    with pytest.raises(TypeError, match="^Gradient must be convertible to a Tensor"):
        opt.apply_gradients([(object(), x)])
    with pytest.raises(TypeError, match="^Input 'delta' of 'ApplyGradientDescent' Op has type "
                       "string that does not match type float32 of argument 'var'."):
        opt.apply_gradients([("not a number", x)])
    tf.reset_default_graph()
    with pytest.raises(ValueError, match="^No variables to optimize.$"):
        opt.minimize(tf.constant(1.0))


@pytest.mark.parametrize("gate", [tf.train.Optimizer.GATE_NONE, tf.train.Optimizer.GATE_OP,
                                  tf.train.Optimizer.GATE_GRAPH])
def test_gate_gradients_modes_give_the_same_step(gate):
    assert (tf.train.Optimizer.GATE_NONE, tf.train.Optimizer.GATE_OP,
            tf.train.Optimizer.GATE_GRAPH) == (0, 1, 2)
    w = tf.Variable([1.0, 2.0], name="w")
    train = tf.train.GradientDescentOptimizer(0.25).minimize(tf.reduce_sum(w * w),
                                                            gate_gradients=gate)
    with tf.Session() as sess:
        sess.run(w.initializer)
        sess.run(train)
        np.testing.assert_allclose(sess.run(w), [0.5, 1.0])


def test_grad_loss_weights_the_loss():
    w = tf.Variable([1.0, 2.0], name="w")
    opt = tf.train.GradientDescentOptimizer(1.0)
    train = opt.minimize(w * w, grad_loss=tf.constant([0.5, 0.25]))
    with tf.Session() as sess:
        sess.run(w.initializer)
        sess.run(train)
        np.testing.assert_allclose(sess.run(w), [0.0, 1.0])


def test_variable_constraint_runs_after_the_update():
    w = tf.Variable([0.5, 0.9], name="w", constraint=lambda v: tf.clip_by_value(v, 0.0, 1.0))
    train = tf.train.GradientDescentOptimizer(1.0).minimize(-tf.reduce_sum(w))
    with tf.Session() as sess:
        sess.run(w.initializer)
        sess.run(train)
        np.testing.assert_allclose(sess.run(w), [1.0, 1.0])


def test_default_var_list_is_the_trainable_variables():
    w = tf.Variable(1.0, name="w")
    frozen = tf.Variable(1.0, name="frozen", trainable=False)
    grads = tf.train.AdamOptimizer().compute_gradients(w * frozen)
    assert [v for _, v in grads] == [w]
    with pytest.raises(NotImplementedError, match="unsupported type"):
        tf.train.AdamOptimizer().compute_gradients(w * 2.0, var_list=["w"])


def test_subclass_written_against_tf1_hooks():
    """A user optimizer in TF1's style: slots via _zeros_slot, non-slot state via
    _create_non_slot_variable, updates via plain assign ops in _apply_dense and _finish."""

    class SignSGD(tf.train.Optimizer):
        def __init__(self, lr, name="SignSGD"):
            super().__init__(False, name)
            self._lr = lr

        def _create_slots(self, var_list):
            for v in var_list:
                self._zeros_slot(v, "last_sign", self._name)
            self._create_non_slot_variable(0.0, "updates", var_list[0])

        def _prepare(self):
            self._lr_t = tf.convert_to_tensor(self._call_if_callable(self._lr), name="lr")

        def _apply_dense(self, grad, var):
            sign = tf.sign(grad)
            remember = tf.assign(self.get_slot(var, "last_sign"), sign)
            with tf.control_dependencies([remember]):
                return tf.assign_sub(var, self._lr_t * sign).op

        def _finish(self, update_ops, name_scope):
            counter = self._get_non_slot_variable("updates")
            with tf.control_dependencies(update_ops):
                count = tf.assign_add(counter, 1.0)
            return tf.group(*update_ops + [count], name=name_scope)

    w = tf.Variable([3.0, -2.0], name="w")
    opt = SignSGD(lambda: 0.5)
    train = opt.minimize(tf.reduce_sum(w * w))
    assert opt.get_slot(w, "last_sign").op.name == "w/SignSGD"
    assert names(opt.variables()) == ["updates", "w/SignSGD"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(2):
            sess.run(train)
        np.testing.assert_allclose(sess.run(w), [2.0, -1.0])
        np.testing.assert_allclose(sess.run(opt.get_slot(w, "last_sign")), [1.0, -1.0])
        assert sess.run(opt._get_non_slot_variable("updates")) == 2.0
