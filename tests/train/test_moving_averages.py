"""tf.train.ExponentialMovingAverage: shadow names like slots, the update arithmetic with a
fixed decay, with num_updates, for tensors (zero start, optional debiasing), and the name
helpers a Saver uses. Names and values were checked against TF 2.21's tf.compat.v1."""
import numpy as np
import pytest

import graphflow as tf


def test_shadow_variables_follow_their_variables():
    w = tf.Variable([1.0, 2.0], name="w")
    ema = tf.train.ExponentialMovingAverage(0.75)
    assert ema.average_name(w) == "w/ExponentialMovingAverage"  # before apply, too
    update = ema.apply([w])
    assert update.name == "ExponentialMovingAverage" and update.type == "NoOp"
    shadow = ema.average(w)
    assert shadow.op.name == "w/ExponentialMovingAverage" and not shadow.trainable
    assert tf.moving_average_variables() == [w]
    assert ema.average(tf.Variable(0.0, name="other")) is None
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(shadow), [1.0, 2.0])  # starts at the value
        sess.run(tf.assign(w, [5.0, -2.0]))
        sess.run(update)
        np.testing.assert_allclose(sess.run(shadow), [2.0, 1.0])  # 0.75*old + 0.25*new


def test_num_updates_caps_the_decay():
    w = tf.Variable(0.0, name="w")
    count = tf.Variable(0, name="count", trainable=False)
    ema = tf.train.ExponentialMovingAverage(0.99, num_updates=count)
    update = ema.apply([w])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.assign(w, 10.0))
        sess.run(update)  # decay = min(0.99, 1/10)
        np.testing.assert_allclose(sess.run(ema.average(w)), 9.0, rtol=1e-6)


@pytest.mark.parametrize("zero_debias", [False, True])
def test_tensor_averages_start_at_zero(zero_debias):
    x = tf.placeholder(tf.float32, [2], name="x")
    ema = tf.train.ExponentialMovingAverage(0.5, zero_debias=zero_debias)
    update = ema.apply([x])
    shadow = ema.average(x)
    assert shadow.op.name == "x/ExponentialMovingAverage"
    extra = sorted(v.op.name for v in tf.global_variables() if v is not shadow)
    assert extra == (["x/ExponentialMovingAverage/biased",
                      "x/ExponentialMovingAverage/local_step"] if zero_debias else [])
    assert tf.moving_average_variables() == []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(update, {x: [4.0, 8.0]})
        sess.run(update, {x: [4.0, 8.0]})
        # Debiased: the average of a constant is that constant from the first step.
        want = [4.0, 8.0] if zero_debias else [3.0, 6.0]
        np.testing.assert_allclose(sess.run(shadow), want, rtol=1e-6)


def test_variables_to_restore_maps_shadow_names():
    w = tf.Variable(1.0, name="w")
    step = tf.Variable(0, trainable=False, name="step")
    ema = tf.train.ExponentialMovingAverage(0.9)
    ema.apply([w])
    mapping = ema.variables_to_restore()
    assert sorted(mapping) == ["step", "w/ExponentialMovingAverage"]
    assert mapping["w/ExponentialMovingAverage"] is w and mapping["step"] is step


def test_only_floating_values_are_averaged():
    with pytest.raises(TypeError, match="half, float, or double"):
        tf.train.ExponentialMovingAverage(0.9).apply([tf.Variable(1, name="i")])
