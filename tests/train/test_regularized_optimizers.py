"""FTRL, the proximal optimizers and AdagradDA: one update against the closed forms TF1's
kernels evaluate (float64 here, so the expressions are checked, not the rounding), slot names,
and the argument checks. The compat program train_optimizers.py compares several steps with
TensorFlow itself."""
import numpy as np
import pytest

import graphflow as tf
from graphflow.ops import training_ops

RNG = np.random.RandomState(1)
VAR = RNG.randn(8)
GRAD = RNG.randn(8)
ACCUM = np.abs(RNG.randn(8)) + 0.1
LINEAR = RNG.randn(8) * 0.1
LR, L1, L2, SHRINK = 0.3, 0.05, 0.02, 0.1


def run_update(make, *initial):
    variables = [tf.Variable(v, name="v%d" % i) for i, v in enumerate(initial)]
    out = make(*[v._ref() for v in variables])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(out)
        return sess.run(variables)


def ftrl_expected(shrunk_grad, power):
    new_accum = ACCUM + GRAD ** 2
    sigma = (new_accum ** -power - ACCUM ** -power) / LR
    linear = LINEAR + shrunk_grad - sigma * VAR
    quadratic = new_accum ** -power / LR + 2 * L2
    var = np.where(np.abs(linear) > L1, (np.sign(linear) * L1 - linear) / quadratic, 0.0)
    return [var, new_accum, linear]


@pytest.mark.parametrize("power", [-0.5, -0.7, 0.0])
def test_ftrl_update(power):
    got = run_update(lambda v, a, lin: training_ops.ApplyFtrl(v, a, lin, GRAD, LR, L1, L2, power),
                     VAR, ACCUM, LINEAR)
    for g, want in zip(got, ftrl_expected(GRAD, power)):
        np.testing.assert_allclose(g, want, rtol=1e-12)


def test_ftrl_v2_shrinks_through_the_linear_term_only():
    got = run_update(lambda v, a, lin: training_ops.ApplyFtrlV2(v, a, lin, GRAD, LR, L1, L2,
                                                                SHRINK, -0.5),
                     VAR, ACCUM, LINEAR)
    for g, want in zip(got, ftrl_expected(GRAD + 2 * SHRINK * VAR, -0.5)):
        np.testing.assert_allclose(g, want, rtol=1e-12)


def soft_threshold(x, threshold):
    return np.sign(x) * np.maximum(np.abs(x) - threshold, 0)


@pytest.mark.parametrize("l1", [0.0, L1, 20.0])
def test_proximal_gradient_descent_update(l1):
    (var,) = run_update(lambda v: training_ops.ApplyProximalGradientDescent(v, LR, l1, L2, GRAD),
                        VAR)
    np.testing.assert_allclose(var, soft_threshold(VAR - LR * GRAD, LR * l1) / (1 + LR * L2),
                               rtol=1e-12)
    if l1 == 20.0:
        assert not var.any()  # a strong L1 penalty zeroes every weight


@pytest.mark.parametrize("l1", [0.0, L1])
def test_proximal_adagrad_update(l1):
    var, accum = run_update(lambda v, a: training_ops.ApplyProximalAdagrad(v, a, LR, l1, L2,
                                                                            GRAD), VAR, ACCUM)
    new_accum = ACCUM + GRAD ** 2
    step = LR / np.sqrt(new_accum)
    np.testing.assert_allclose(accum, new_accum, rtol=1e-12)
    np.testing.assert_allclose(var, soft_threshold(VAR - step * GRAD, step * l1) / (1 + L2 * step),
                               rtol=1e-12)


@pytest.mark.parametrize("l1", [0.0, L1])
def test_adagrad_da_update(l1):
    steps = 3
    var, g_acc, gg_acc = run_update(
        lambda v, g, gg: training_ops.ApplyAdagradDA(v, g, gg, GRAD, LR, l1, L2,
                                                     tf.constant(steps, tf.int64)),
        VAR, LINEAR, ACCUM)
    np.testing.assert_allclose(g_acc, LINEAR + GRAD, rtol=1e-12)
    np.testing.assert_allclose(gg_acc, ACCUM + GRAD ** 2, rtol=1e-12)
    shrunk = -soft_threshold(LINEAR + GRAD, l1 * steps)
    np.testing.assert_allclose(var, LR * shrunk / (L2 * steps * LR + np.sqrt(gg_acc)),
                               rtol=1e-12)


def test_adagrad_da_global_step_must_be_int64():
    v = tf.Variable(VAR)
    with pytest.raises(TypeError, match="global_step"):
        training_ops.ApplyAdagradDA(v._ref(), v._ref(), v._ref(), GRAD, LR, L1, L2,
                                    tf.constant(1, tf.int32))


def test_adagrad_da_reads_the_global_step_plus_one():
    # From zero accumulators the first step gives var = -lr * g / (l2 * 1 * lr + sqrt(g0 + g^2)).
    w = tf.Variable([0.5, -1.0], dtype=tf.float64, name="w")
    step = tf.train.get_or_create_global_step()
    opt = tf.train.AdagradDAOptimizer(0.2, step, initial_gradient_squared_accumulator_value=0.1,
                                      l2_regularization_strength=0.3)
    train = opt.minimize(tf.reduce_sum(w * w), global_step=step)
    assert opt.get_slot_names() == ["gradient_accumulator", "gradient_squared_accumulator"]
    assert [opt.get_slot(w, n).op.name for n in opt.get_slot_names()] == [
        "w/AdagradDA", "w/AdagradDA_1"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        grad = np.array([1.0, -2.0])
        want = -0.2 * grad / (0.3 * 1 * 0.2 + np.sqrt(0.1 + grad ** 2))
        # The Python-float hyper-parameters are float32 tensors cast to float64, as in TF.
        np.testing.assert_allclose(sess.run(w), want, rtol=1e-7)
        assert sess.run(step) == 1


def test_ftrl_slots_start_at_the_initial_accumulator():
    w = tf.Variable(np.zeros((2, 3), np.float32), name="w")
    opt = tf.train.FtrlOptimizer(0.1, initial_accumulator_value=0.25, accum_name="acc",
                                 linear_name="lin")
    opt.minimize(tf.reduce_sum(w))
    assert opt.get_slot(w, "accum").op.name == "w/acc"
    assert opt.get_slot(w, "linear").op.name == "w/lin"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(opt.get_slot(w, "accum")), np.full((2, 3), 0.25))


@pytest.mark.parametrize("make", [
    lambda: tf.train.FtrlOptimizer(0.1, learning_rate_power=0.5),
    lambda: tf.train.FtrlOptimizer(0.1, initial_accumulator_value=-1.0),
    lambda: tf.train.FtrlOptimizer(0.1, l1_regularization_strength=-1.0),
    lambda: tf.train.FtrlOptimizer(0.1, l2_shrinkage_regularization_strength=-1.0),
    lambda: tf.train.ProximalAdagradOptimizer(0.1, initial_accumulator_value=0.0),
    lambda: tf.train.AdagradDAOptimizer(0.1, None,
                                        initial_gradient_squared_accumulator_value=0.0),
])
def test_invalid_hyperparameters_raise_value_error(make):
    with pytest.raises(ValueError):
        make()


@pytest.mark.parametrize("make", [lambda: tf.train.MomentumOptimizer(0.1, 0.9),
                                  lambda: tf.train.RMSPropOptimizer(0.1),
                                  lambda: tf.train.FtrlOptimizer(0.1)])
def test_embedding_updates_touch_only_the_looked_up_rows(make):
    # TF applies an embedding's IndexedSlices gradient with its sparse kernels: rows no id
    # looked up keep their values and slots (a dense update would decay momentum, or zero FTRL
    # weights, everywhere).
    initial = np.arange(8, dtype=np.float32).reshape(4, 2) / 10.0
    table = tf.Variable(initial, name="table")
    ids = tf.placeholder(tf.int32, [None])
    opt = make()
    train = opt.minimize(tf.reduce_sum(tf.square(tf.nn.embedding_lookup(table, ids))))
    assert any(op.type.startswith("SparseApply") for op in tf.get_default_graph().get_operations())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        slots_before = sess.run([opt.get_slot(table, n) for n in opt.get_slot_names()])
        sess.run(train, {ids: [0, 0]})
        after_first = sess.run(table)
        sess.run(train, {ids: [2]})
        values = sess.run(table)
        slots = sess.run([opt.get_slot(table, n) for n in opt.get_slot_names()])
    np.testing.assert_array_equal(values[[1, 3]], initial[[1, 3]])
    np.testing.assert_array_equal(values[0], after_first[0])  # row 0 untouched by step two
    assert not np.array_equal(values[2], initial[2])
    for slot, before in zip(slots, slots_before):
        np.testing.assert_array_equal(slot[[1, 3]], before[[1, 3]])


def test_dense_gradients_and_adam_keep_dense_updates():
    table = tf.Variable(np.ones((3, 2), np.float32), name="table")
    loss = tf.reduce_sum(tf.nn.embedding_lookup(table, [1]))
    tf.train.AdamOptimizer(0.1).minimize(loss)  # TF's sparse Adam decays every row too
    tf.train.MomentumOptimizer(0.1, 0.9).minimize(tf.reduce_sum(table * table))
    types = {op.type for op in tf.get_default_graph().get_operations()}
    assert "ApplyAdam" in types and "ApplyMomentum" in types
    assert not any(t.startswith("SparseApply") for t in types)
