"""CountUpTo / Variable.count_up_to: outputs the value before the increment and stops at the
limit with OutOfRangeError, leaving the variable as it was."""
import numpy as np
import pytest

import graphflow as tf


def test_counts_up_to_the_limit():
    counter = tf.Variable(0, name="counter")
    up = counter.count_up_to(2)
    assert up.op.type == "CountUpTo" and up.op.name == "CountUpTo"
    assert up.dtype == tf.int32 and up.shape.as_list() == []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert [sess.run(up), sess.run(up)] == [0, 1]
        with pytest.raises(tf.errors.OutOfRangeError, match="Reached limit of 2"):
            sess.run(up)
        assert sess.run(counter) == 2


def test_int64_and_the_function_form():
    counter = tf.Variable(np.int64(5), name="counter")
    up = tf.count_up_to(counter, 7, name="tick")
    assert up.op.name == "tick" and up.dtype == tf.int64
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(up) == 5


def test_only_integer_scalars_count():
    with pytest.raises(TypeError, match="int32, int64"):
        tf.Variable(1.0).count_up_to(3)
    with pytest.raises(ValueError, match="rank 0"):
        tf.Variable([1, 2]).count_up_to(3)
