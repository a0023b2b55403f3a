"""tf.Print / tf.print formatting, the assert family, check_numerics, py_func and make_template,
without TensorFlow (tests/compat/programs/util_*.py compare them with TensorFlow)."""
import numpy as np
import pytest

import graphflow as tf
from graphflow.ops import logging_ops


def test_summarize_like_tensorflow():
    assert logging_ops.summarize_v1(np.array([1, 2, 3]), 2) == "1 2..."
    assert logging_ops.summarize_v1(np.arange(1, 7).reshape(2, 3), 3) == "[1 2 3]..."
    assert logging_ops.summarize_v1(np.arange(24).reshape(2, 3, 4), 3) == "[[0 1 2...]]..."
    assert logging_ops.summarize_v1(np.float32(3.25), 0) == "..."
    assert logging_ops.summarize_v1(np.array([np.float32(1) / 3, 1e-7], np.float32), 3) == \
        "0.333333343 1e-07"
    assert logging_ops.summarize_v2(np.arange(10), 3) == "[0 1 2 ... 7 8 9]"
    assert logging_ops.summarize_v2(np.arange(1, 7).reshape(2, 3), 1) == "[[1 ... 3]\n [4 ... 6]]"
    assert logging_ops.summarize_v2(np.array([b"a"], dtype=object), 3) == '["a"]'


def test_print_is_an_identity_that_is_never_folded(capfd):
    value = tf.constant([1.0, 2.0])
    printed = tf.Print(value, [value], message="v=")
    doubled = printed * 2.0
    grad, = tf.gradients(tf.reduce_sum(printed * printed), value)
    with tf.Session() as sess:
        assert sess.run(doubled).tolist() == [2.0, 4.0]
        assert sess.run(doubled).tolist() == [2.0, 4.0]
        assert sess.run(grad).tolist() == [2.0, 4.0]
    assert capfd.readouterr().err.count("v=[1 2]") == 3


def test_print_v2_runs_as_a_control_dependency(tmp_path):
    path = tmp_path / "out.txt"
    x = tf.placeholder(tf.float32, [3])
    with tf.control_dependencies([tf.print("x:", x, output_stream="file://%s" % path)]):
        y = tf.identity(x)
    with tf.Session() as sess:
        sess.run(y, {x: [1, 2, 3]})
    assert path.read_text() == "x: [1 2 3]\n"


def test_assert_fails_at_run_time_and_statically():
    x = tf.placeholder(tf.float32, [None])
    check = tf.assert_positive(x, message="need positive")
    with tf.control_dependencies([check]):
        y = tf.identity(x)
    with tf.Session() as sess:
        assert sess.run(y, {x: [1.0]}).tolist() == [1.0]
        with pytest.raises(tf.errors.InvalidArgumentError, match="need positive"):
            sess.run(y, {x: [-1.0]})
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.assert_equal(tf.constant([1, 2]), tf.constant([1, 3]))
    with pytest.raises(ValueError, match="must have rank 3"):
        tf.assert_rank(tf.zeros([2, 2]), 3)
    assert tf.assert_rank(tf.zeros([2, 2]), 2).type == "NoOp"
    with pytest.raises(TypeError):
        tf.assert_type(tf.zeros([1]), tf.int32)


def test_assert_with_computed_input_waits_for_run_time():
    # TF's static check only sees constants and shape arithmetic, not x + 0.
    c = tf.constant([1, 2])
    op = tf.assert_less(c, c + 0)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="assertion failed"):
            sess.run(op)


def test_check_numerics_and_its_gradient():
    x = tf.placeholder(tf.float32, [2])
    checked = tf.check_numerics(x, "bad x")
    grad, = tf.gradients(tf.reduce_sum(checked * 3.0), x)
    with tf.Session() as sess:
        assert sess.run(grad, {x: [1.0, 2.0]}).tolist() == [3.0, 3.0]
        with pytest.raises(tf.errors.InvalidArgumentError, match="bad x : Tensor had NaN"):
            sess.run(checked, {x: [np.nan, 1.0]})


def test_py_func_values_shapes_gradients_and_errors():
    x = tf.placeholder(tf.float32, [None])
    y = tf.py_func(lambda a: a * 2, [x], tf.float32)
    pair = tf.py_func(lambda a: (a, np.int64(a.size)), [x], [tf.float32, tf.int64])
    wrong = tf.py_func(lambda a: a.astype(np.float64), [x], tf.float32)
    failing = tf.py_func(lambda a: int("x"), [x], tf.float32)
    assert y.shape.ndims is None and y.op.type == "PyFunc"
    assert tf.gradients(tf.reduce_sum(y), x) == [None]
    with tf.Session() as sess:
        assert sess.run(y, {x: [1.0, 2.0]}).tolist() == [2.0, 4.0]
        assert sess.run(pair, {x: [1.0]})[1] == 1
        with pytest.raises(tf.errors.InvalidArgumentError, match="is float64, but expects"):
            sess.run(wrong, {x: [1.0]})
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(failing, {x: [1.0]})


def test_py_func_runs_every_time_even_on_constants():
    calls = []
    value = tf.py_func(lambda: calls.append(1) or np.float32(1), [], tf.float32,
                       stateful=False)
    with tf.Session() as sess:
        sess.run(value)
        sess.run(value)
    assert len(calls) == 2


def test_make_template_shares_variables():
    def scale(x):
        w = tf.get_variable("w", [], initializer=tf.constant_initializer(3.0))
        return x * w
    template = tf.make_template("scale", scale)
    a, b = template(tf.constant(1.0)), template(tf.constant(2.0))
    assert [v.name for v in template.variables] == ["scale/w:0"]
    assert (a.name, b.name) == ("scale/mul:0", "scale_1/mul:0")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run([a, b]) == [3.0, 6.0]
