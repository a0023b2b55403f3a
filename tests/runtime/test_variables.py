"""tf.Variable (TF1 ref variables), initializers, groups and constants, checked against
tensorflow.compat.v1; every error case also checks that the session keeps working."""
import numpy as np
import pytest

import graphflow as tf


def op_names():
    return [op.name for op in tf.get_default_graph().get_operations()]


def test_variable_ops_names_and_properties():
    v = tf.Variable(np.array([2, 1]), dtype=tf.float32, name="x")
    assert op_names() == ["x/initial_value", "x", "x/Assign", "x/read"]
    assert repr(v) == "<tf.Variable 'x:0' shape=(2,) dtype=float32_ref>"
    assert (v.name, v.op.name, v.op.type) == ("x:0", "x", "VariableV2")
    assert v.dtype == tf.float32._as_ref and v.dtype.base_dtype == tf.float32
    assert v.shape.as_list() == [2] and v.get_shape() == v.shape
    assert (v.initializer.name, v.initializer.type) == ("x/Assign", "Assign")
    assert v.value().name == "x/read:0" and v.initial_value.name == "x/initial_value:0"
    assert v.initial_value.dtype == tf.float32 and v.trainable
    assert v.graph is tf.get_default_graph() and v.read_value().name == "read:0"
    assert (v == v) is True and {v: 1}[v] == 1 and bool(v)  # TF1 variables are truthy
    assert (v + 1.0).name == "add:0"
    w = tf.Variable(3)
    assert w.name == "Variable:0" and w.dtype.base_dtype == tf.int32
    assert tf.Variable(1, dtype=tf.float32).dtype == tf.float32._as_ref
    cb = tf.Variable(lambda: tf.constant(2.0), name="cb")
    assert cb.initial_value.name == "cb/Initializer/Const:0"
    with tf.name_scope("sc"):
        s = tf.Variable(1.0, name="v2")
    assert (s.name, s.initializer.name, s.value().name) == ("sc/v2:0", "sc/v2/Assign",
                                                            "sc/v2/read:0")


def test_variable_construction_errors():
    with pytest.raises(ValueError, match="initial_value must be specified"):
        tf.Variable(None)
    with pytest.raises(TypeError, match=r"Expected int32, but got 1\.5 of type 'float'\."):
        tf.Variable(1.5, dtype=tf.int32)
    with pytest.raises(ValueError, match="initial_value: Tensor conversion requested dtype int32 "
                                         "for Tensor with dtype float32"):
        tf.Variable(tf.constant(1.0), dtype=tf.int32)
    with pytest.raises(ValueError, match="initial_value must have a shape specified"):
        tf.Variable(tf.placeholder(tf.float32, [None]))
    flexible = tf.Variable([1.0, 2.0], shape=[None])
    assert flexible.shape.as_list() == [None]
    loose = tf.Variable(tf.placeholder_with_default([1.0], [None]), validate_shape=False)
    assert loose.shape.ndims is None


def test_collections_trainable_local_and_initializers():
    v = tf.Variable(1.0, name="v")
    frozen = tf.Variable(2.0, trainable=False, name="frozen")
    local = tf.Variable(0, collections=[tf.GraphKeys.LOCAL_VARIABLES], name="loc")
    # trainable=True (the default) puts even a local variable in TRAINABLE_VARIABLES, as in TF.
    assert tf.global_variables() == [v, frozen] and tf.trainable_variables() == [v, local]
    assert tf.local_variables() == [local] and not frozen.trainable
    assert tf.global_variables(scope="fro") == [frozen]
    init = tf.global_variables_initializer()
    assert (init.name, init.type) == ("init", "NoOp")
    assert [c.name for c in init.control_inputs] == ["v/Assign", "frozen/Assign"]
    some = tf.variables_initializer([v])
    assert some.name == "init_1" and [c.name for c in some.control_inputs] == ["v/Assign"]
    empty = tf.variables_initializer([])
    assert (empty.name, empty.type) == ("init_2", "NoOp")
    local_init = tf.local_variables_initializer()
    assert local_init.name == "init_3"
    with tf.Session() as sess:
        sess.run(init)
        assert sess.run([v, frozen]) == [1.0, 2.0]
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value loc"):
            sess.run(local)
        sess.run(local_init)
        assert sess.run(local) == 0 and sess.run(empty) is None


def test_assign_ops_names_and_values():
    v = tf.Variable([1.0, 2.0], name="v")
    a1 = v.assign([5.0, 6.0])
    a2 = v.assign_add([1.0, 1.0])
    a3 = v.assign_sub([1.0, 1.0])
    a4 = tf.assign(v, [0.0, 0.0])
    a5 = tf.assign_add(v, [1, 1.0])  # a Python int list converts to the variable's dtype
    assert [t.name for t in (a1, a2, a3, a4, a5)] == [
        "Assign:0", "AssignAdd:0", "AssignSub:0", "Assign_1:0", "AssignAdd_1:0"]
    assert a2.op.inputs[1].name == "AssignAdd/value:0" and a1.dtype == tf.float32._as_ref
    assert v.assign(1.0 * v.value(), read_value=False).type == "Assign"
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(a1).tolist() == [5.0, 6.0] and sess.run(v).tolist() == [5.0, 6.0]
        assert sess.run(a2).tolist() == [6.0, 7.0]
        assert sess.run(a3).tolist() == [5.0, 6.0]
        assert sess.run(a4).tolist() == [0.0, 0.0] and sess.run(a5).tolist() == [1.0, 1.0]
        grown = tf.assign(v, [1.0, 2.0, 3.0], validate_shape=False)
        assert sess.run(grown).tolist() == [1.0, 2.0, 3.0]
        assert sess.run(v).tolist() == [1.0, 2.0, 3.0]
        # As in TF, the initializer validates against the value the variable now holds.
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"lhs shape= \[3\] rhs shape= \[2\]"):
            sess.run(v.initializer)
        assert sess.run(v).tolist() == [1.0, 2.0, 3.0]


def test_assign_errors_at_build_time():
    v = tf.Variable([1.0, 2.0], name="v")
    m = tf.Variable([[1.0, 2.0]], name="m")
    with pytest.raises(ValueError, match=r"Shapes must be equal rank, but are 1 and 2 for "
                                         r"'\{\{node Assign\}\} = Assign' with input shapes: "
                                         r"\[2\], \[1,2\]\."):
        v.assign([[1.0, 2.0]])
    with pytest.raises(ValueError, match=r"Dimension 1 in both shapes must be equal, but are 2 "
                                         r"and 3\. Shapes are \[1,2\] and \[1,3\]\. for "
                                         r"'\{\{node Assign_1\}\} = Assign'"):
        m.assign([[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match=r"Dimension 0 in both shapes must be equal, but are 2 "
                                         r"and 3.* '\{\{node AssignAdd\}\} = AssignAdd'"):
        v.assign_add([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="Input 'value' of 'AssignAdd' Op has type int32 that "
                                        "does not match type float32 of argument 'ref'."):
        v.assign_add(tf.constant([1, 2]))
    with pytest.raises(TypeError, match="Input 'value' of 'Assign' Op has type int32"):
        v.assign(tf.constant([1, 2]))
    with pytest.raises(AttributeError, match="has no attribute 'assign'"):
        tf.assign(tf.constant(1.0), 2.0)
    assert v.assign(tf.placeholder(tf.float32, [None])).shape.as_list() == [2]


def test_assign_errors_at_run_time_name_the_op_and_leave_the_session_usable():
    v = tf.Variable([1.0, 2.0], name="v")
    fed = tf.placeholder(tf.float32, [None])
    assign = v.assign(fed)
    add = v.assign_add(fed)
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"(?s)Assign requires shapes of both tensors to match\. lhs "
                                 r"shape= \[2\] rhs shape= \[3\].*node Assign"):
            sess.run(assign, {fed: [1.0, 2.0, 3.0]})
        assert sess.run(v).tolist() == [1.0, 2.0]
        # TF's AssignAdd does not broadcast, even a single element.
        for bad in ([1.0, 2.0, 3.0], [1.0]):
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match=r"(?s)Parameters and update must be the same size.*"
                                     r"node AssignAdd"):
                sess.run(add, {fed: bad})
        assert sess.run(v).tolist() == [1.0, 2.0]
        assert sess.run(add, {fed: [1.0, 1.0]}).tolist() == [2.0, 3.0]


def test_uninitialized_variables_are_reported_and_checked():
    v = tf.Variable([1.0], name="x")
    w = tf.Variable(3, name="w")
    with tf.name_scope("sc"):
        s = tf.Variable(1.0, name="v2")
    local = tf.Variable(0, collections=[tf.GraphKeys.LOCAL_VARIABLES], name="loc")
    is_init = tf.is_variable_initialized(v)
    report = tf.report_uninitialized_variables()
    assert (is_init.name, is_init.op.type, is_init.dtype) == (
        "IsVariableInitialized:0", "IsVariableInitialized", tf.bool)
    assert report.name == "report_uninitialized_variables/boolean_mask/GatherV2:0"
    assert report.dtype == tf.string and report.shape.as_list() == [None]
    partial = tf.report_uninitialized_variables([v, w])
    with tf.Session() as sess:
        assert sess.run(report).tolist() == [b"x", b"w", b"sc/v2", b"loc"]
        assert sess.run(is_init) == False  # noqa: E712 - a numpy bool
        for fetch in (v, v + 1.0):
            with pytest.raises(tf.errors.FailedPreconditionError,
                               match="Attempting to use uninitialized value x"):
                sess.run(fetch)
        sess.run(tf.global_variables_initializer())
        assert sess.run(report).tolist() == [b"loc"] and sess.run(partial).tolist() == []
        assert sess.run(is_init) == True and isinstance(sess.run(is_init), np.bool_)  # noqa
        assert sess.run(s) == 1.0


def test_variables_are_per_session_and_persist_across_runs():
    v = tf.Variable(1.0)
    bump = v.assign_add(5.0)
    a, b = tf.Session(), tf.Session()
    try:
        a.run(v.initializer)
        b.run(v.initializer)
        a.run(bump)
        a.run(bump)
        assert a.run(v) == 11.0 and b.run(v) == 1.0
        with pytest.raises(tf.errors.FailedPreconditionError):
            tf.Session().run(v)
    finally:
        a.close()
        b.close()


def test_load_eval_and_feeding_a_variable():
    v = tf.Variable([1.0, 2.0], name="v")
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert v.eval().tolist() == [1.0, 2.0]
        v.load([4.0, 4.0])
        assert sess.run(v).tolist() == [4.0, 4.0]
        assert sess.run(v * 1.0, {v: [5.0, 6.0]}).tolist() == [5.0, 6.0]
        assert sess.run(v).tolist() == [4.0, 4.0]  # a feed does not write the variable
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(3,\) for Tensor "
                                             r"v/initial_value:0, which has shape \(2,\)"):
            v.load([1.0, 2.0, 3.0])


def test_group_no_op_and_tuple():
    v = tf.Variable(0.0)
    a = v.assign_add(1.0)
    b = v.assign_add(10.0)
    g = tf.group(a, b)
    assert (g.name, g.type) == ("group_deps", "NoOp")
    assert [c.name for c in g.control_inputs] == ["AssignAdd", "AssignAdd_1"]
    assert tf.group(a, name="mine").name == "mine" and tf.group().name == "group_deps_1"
    assert (tf.no_op().name, tf.no_op(name="nn").name) == ("NoOp", "nn")
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(g) is None and sess.run(v) == 11.0
        assert sess.run(tf.no_op()) is None


@pytest.mark.parametrize("value,kwargs,expected,dtype", [
    (7, {"shape": [2, 3]}, [[7] * 3] * 2, np.int32),
    ([1, 2, 3, 4], {"shape": [2, 2]}, [[1, 2], [3, 4]], np.int32),
    ([1, 2], {"shape": [2, 2]}, [[1, 2], [2, 2]], np.int32),  # padded with the last element
    ([], {"shape": [2]}, [0.0, 0.0], np.float32),
    (np.array([1, 2]), {"shape": [2, 2]}, [[1, 2], [2, 2]], np.int64),
    (np.float32(5), {"shape": [2]}, [5.0, 5.0], np.float32),
    ([5], {"shape": []}, 5, np.int32),
    (7.0, {"dtype": tf.float64, "shape": [2]}, [7.0, 7.0], np.float64),
    (True, {"dtype": tf.float32}, 1.0, np.float32),
    ([True, 1], {}, [1, 1], np.int32),
    (np.array([1.7, -1.7]), {"dtype": tf.int32}, [1, -1], np.int32),
    (np.array([300]), {"dtype": tf.uint8}, [44], np.uint8),
    (-1, {"dtype": tf.uint8}, 255, np.uint8),
    (2 ** 31, {}, 2 ** 31, np.int64),
    (np.float64(1.5), {"dtype": tf.int32}, 1, np.int32),
])
def test_constant_values(value, kwargs, expected, dtype):
    with tf.Session() as sess:
        got = sess.run(tf.constant(value, **kwargs))
    assert np.asarray(got).dtype == dtype and np.asarray(got).tolist() == expected


def test_constant_strings_and_scalars():
    with tf.Session() as sess:
        assert sess.run(tf.constant(["ab", "c"])).tolist() == [b"ab", b"c"]
        assert sess.run(tf.constant("ab")) == b"ab" and isinstance(sess.run(tf.constant("a")),
                                                                  bytes)
        assert isinstance(sess.run(tf.constant(True)), np.bool_)
        assert isinstance(sess.run(tf.constant(1.5, tf.float64)), np.float64)


@pytest.mark.parametrize("value,kwargs,error,message", [
    ([1, 2, 3], {"shape": [2]}, ValueError,
     r"Too many elements provided\. Takes at most 2, but got 3\."),
    ([1, 2], {"shape": [2, 2], "verify_shape": True}, TypeError,
     r"Expected Tensor's shape: \(2, 2\), but got \(2,\)\."),
    (1.5, {"dtype": tf.int32}, TypeError, r"Expected int32, but got 1\.5 of type 'float'\."),
    ([1, 2.5], {"dtype": tf.int32}, TypeError, r"Expected int32, but got 2\.5 of type 'float'"),
    ([np.float64(1.5)], {"dtype": tf.int32}, TypeError,
     r"Expected int32, but got 1\.5 of type 'float64'\."),
    (1, {"dtype": tf.bool}, TypeError, r"Expected bool, but got 1 of type 'int'\."),
    ("a", {"dtype": tf.int32}, TypeError, r"Expected int32, but got a of type 'str'\."),
    (1, {"dtype": tf.string}, TypeError, r"Expected string, but got 1 of type 'int'\."),
    ([1, "a"], {}, TypeError, r"Failed to convert elements of \[1, 'a'\] to Tensor\."),
    ([1, None], {}, TypeError, r"Failed to convert elements of \[1, None\] to Tensor\."),
    (object(), {}, TypeError, "Failed to convert elements of <object object"),
    ([[1, 2], [3]], {}, ValueError, "inhomogeneous"),
])
def test_constant_errors(value, kwargs, error, message):
    with pytest.raises(error, match=message):
        tf.constant(value, **kwargs)


def test_convert_to_tensor_rules():
    c = tf.constant(1.0)
    assert tf.convert_to_tensor(c) is c and tf.convert_to_tensor(c, dtype=tf.float32) is c
    assert tf.convert_to_tensor(3.0, name="foo").name == "foo:0"
    assert tf.convert_to_tensor(3, preferred_dtype=tf.float32).dtype == tf.float32
    assert tf.convert_to_tensor(3.5, preferred_dtype=tf.int32).dtype == tf.float32
    assert tf.convert_to_tensor(np.array([2, 1]), dtype=tf.float32).dtype == tf.float32
    v = tf.Variable(1.0)
    assert tf.convert_to_tensor(v) is v.value()
    with pytest.raises(ValueError, match="Tensor conversion requested dtype int32 for Tensor "
                                         "with dtype float32"):
        tf.convert_to_tensor(c, dtype=tf.int32)
    with pytest.raises(ValueError, match="None values not supported."):
        tf.convert_to_tensor(None)
    with pytest.raises(TypeError, match="can't convert Operation 'NoOp' to Tensor"):
        tf.convert_to_tensor(tf.no_op())


def test_an_update_writes_in_place_only_when_nobody_holds_the_stored_array():
    import sys  # noqa: F401 - the store's rule is CPython reference counting
    tf.reset_default_graph()
    v = tf.Variable(np.arange(4, dtype=np.float32), name="v")
    step = tf.train.GradientDescentOptimizer(0.5).apply_gradients(
        [(tf.ones([4]), v)])
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(step)  # the first update copies: the initial value is the graph's constant
        store = sess.variables.values
        before = store["v"]
        before_id = id(before)
        del before
        sess.run(step)
        assert id(store["v"]) == before_id  # written into the same buffer
        held = store["v"]            # a holder (as a run's read or a user would be)
        snapshot = held.copy()
        sess.run(step)
        np.testing.assert_array_equal(held, snapshot)   # the holder's array never changes
        assert store["v"] is not held
        np.testing.assert_array_equal(sess.run(v), snapshot - 0.5)
        np.testing.assert_array_equal(sess.run(v.initial_value), np.arange(4))
        assert not store["v"].flags.writeable


def test_fetched_variable_values_do_not_change_when_training_goes_on():
    tf.reset_default_graph()
    v = tf.Variable(np.ones(3, np.float32))
    step = tf.assign_sub(v, tf.ones([3]))
    train = tf.train.AdamOptimizer(0.1).minimize(tf.reduce_sum(tf.square(v)))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(v)
        sess.run([train])
        sess.run(step)
        np.testing.assert_array_equal(first, [1.0, 1.0, 1.0])
