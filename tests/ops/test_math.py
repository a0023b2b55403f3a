"""tf.* math against TF1: kernels vs numpy, static shapes vs run-time shapes, names, dtype and
shape errors, and gradients (central differences plus TF's tie and edge-case rules).

Expected names, messages and edge values were taken from tensorflow.compat.v1 (TF 2.21).
"""
import math

import numpy as np
import pytest

import graphflow as tf
from gradcheck import check_gradients
from graphflow.ops import math as math_ops
from graphflow.ops.registry import REGISTRY


def run(build, *feeds):
    """Builds ``build(*placeholders)`` in a fresh graph, runs it and checks that the static
    shape and dtype agree with the value."""
    graph = tf.Graph()
    with graph.as_default():
        phs = [tf.placeholder(tf.as_dtype(np.asarray(v).dtype), np.shape(v)) for v in feeds]
        out = build(*phs)
        with tf.Session(graph=graph) as sess:
            value = sess.run(out, dict(zip(phs, feeds)))
    value = np.asarray(value)
    assert out.shape.is_compatible_with(value.shape), (out.shape, value.shape)
    assert out.dtype.as_numpy_dtype == value.dtype, (out.dtype, value.dtype)
    return value


RNG = np.random.RandomState(0)
SHAPES = [(), (0,), (3,), (2, 3)]


def sample(shape, dtype, low=-2.0, high=2.0):
    if np.dtype(dtype).kind == "b":
        return RNG.rand(*shape) > 0.5
    if np.dtype(dtype).kind in "iu":
        return RNG.randint(int(low) - 1, int(high) + 2, size=shape).astype(dtype)
    return RNG.uniform(low, high, size=shape).astype(dtype)


# -- unary kernels --------------------------------------------------------------------------------
UNARY = [  # tf function, numpy reference, input range, dtypes
    (tf.negative, np.negative, (-2, 2), ["float32", "float64", "int32", "int64"]),
    (tf.abs, np.abs, (-2, 2), ["float32", "float64", "int32"]),
    (tf.sign, np.sign, (-2, 2), ["float32", "int32"]),
    (tf.square, np.square, (-2, 2), ["float32", "float64", "int32"]),
    (tf.sqrt, np.sqrt, (0.1, 3), ["float32", "float64"]),
    (tf.rsqrt, lambda x: 1 / np.sqrt(x), (0.1, 3), ["float32", "float64"]),
    (tf.exp, np.exp, (-2, 2), ["float32", "float64"]),
    (tf.log, np.log, (0.1, 3), ["float32", "float64"]),
    (tf.log1p, np.log1p, (-0.5, 3), ["float32", "float64"]),
    (tf.expm1, np.expm1, (-2, 2), ["float32", "float64"]),
    (tf.sin, np.sin, (-3, 3), ["float32", "float64"]),
    (tf.cos, np.cos, (-3, 3), ["float32", "float64"]),
    (tf.tanh, np.tanh, (-3, 3), ["float32", "float64"]),
    (tf.tan, np.tan, (-1.2, 1.2), ["float32", "float64"]),
    (tf.erf, np.vectorize(math.erf, otypes=[np.float64]), (-3, 3), ["float32", "float64"]),
    (tf.sigmoid, lambda x: 1 / (1 + np.exp(-x)), (-5, 5), ["float32", "float64"]),
    (tf.floor, np.floor, (-3, 3), ["float32", "float64"]),
    (tf.ceil, np.ceil, (-3, 3), ["float32", "float64"]),
    (tf.round, np.round, (-3, 3), ["float32", "float64"]),
    (tf.reciprocal, lambda x: 1 / x, (0.5, 3), ["float32", "float64"]),
]


@pytest.mark.parametrize("fn,ref,domain,types", UNARY, ids=[u[0].__name__ for u in UNARY])
def test_unary_kernels(fn, ref, domain, types):
    for dtype in types:
        for shape in SHAPES:
            x = sample(shape, dtype, *domain)
            got = run(fn, x)
            assert got.dtype == np.dtype(dtype)
            np.testing.assert_allclose(got, ref(x).astype(dtype), rtol=1e-6, atol=1e-6)


def test_sigmoid_saturates_without_overflow():
    got = run(tf.sigmoid, np.array([-100.0, 0.0, 100.0], np.float32))
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, [0.0, 0.5, 1.0], atol=1e-30)


def test_round_half_to_even():
    x = np.array([[-2.5, -1.5, -0.5], [0.5, 1.5, 2.5]], np.float32)
    np.testing.assert_array_equal(run(tf.round, x), [[-2, -2, 0], [0, 2, 2]])


# -- binary kernels with broadcasting -------------------------------------------------------------
BINARY = [
    (tf.add, np.add, ["float32", "float64", "int32", "int64"]),
    (tf.subtract, np.subtract, ["float32", "int32"]),
    (tf.multiply, np.multiply, ["float32", "float64", "int32"]),
    (tf.maximum, np.maximum, ["float32", "int32"]),
    (tf.minimum, np.minimum, ["float64", "int64"]),
    (tf.squared_difference, lambda x, y: (x - y) ** 2, ["float32", "int32"]),
    (tf.equal, np.equal, ["float32", "int32", "bool"]),
    (tf.not_equal, np.not_equal, ["float32", "bool"]),
    (tf.less, np.less, ["float32", "int32"]),
    (tf.less_equal, np.less_equal, ["float32", "int64"]),
    (tf.greater, np.greater, ["float64", "int32"]),
    (tf.greater_equal, np.greater_equal, ["float32", "int32"]),
    (tf.logical_and, np.logical_and, ["bool"]),
    (tf.logical_or, np.logical_or, ["bool"]),
    (tf.logical_xor, np.logical_xor, ["bool"]),
]
PAIRS = [((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((), (4,)), ((0, 3), (3,)),
         ((2, 1, 3), (4, 1))]


@pytest.mark.parametrize("fn,ref,types", BINARY, ids=[b[0].__name__ for b in BINARY])
def test_binary_kernels_broadcast(fn, ref, types):
    for dtype in types:
        for sx, sy in PAIRS:
            x, y = sample(sx, dtype), sample(sy, dtype)
            got = run(fn, x, y)
            expected = ref(x, y)
            assert got.shape == expected.shape
            np.testing.assert_allclose(got, expected.astype(got.dtype), rtol=1e-6)


def test_division_family_values():
    a = np.array([[-2.5, -1.5, -0.5], [0.5, 1.5, 2.5]], np.float32)
    ia = np.array([[-7, -3, 0], [3, 7, 8]], np.int32)
    cases = [  # (tf result, TF1 value, TF1 dtype)
        (lambda x: x // 2, ia, [[-4, -2, 0], [1, 3, 4]], np.int32),
        (lambda x: x // -2, ia, [[3, 1, 0], [-2, -4, -4]], np.int32),
        (lambda x: x % 3, ia, [[2, 0, 0], [0, 1, 2]], np.int32),
        (lambda x: x % -3, ia, [[-1, 0, 0], [0, -2, -1]], np.int32),
        (lambda x: x % 2.0, a, [[1.5, 0.5, 1.5], [0.5, 1.5, 0.5]], np.float32),
        (lambda x: x % -2.0, a, [[-0.5, -1.5, -0.5], [-1.5, -0.5, -1.5]], np.float32),
        (lambda x: x // 2.0, a, [[-2, -1, -1], [0, 0, 1]], np.float32),
        (lambda x: x / 2, ia, [[-3.5, -1.5, 0], [1.5, 3.5, 4]], np.float64),
        (lambda x: tf.div(x, 2), ia, [[-4, -2, 0], [1, 3, 4]], np.int32),
        (lambda x: tf.div(x, 2.0), a, a / 2, np.float32),
        (lambda x: tf.divide(x, 4.0), a, a / 4, np.float32),
        (lambda x: tf.truediv(tf.cast(x, tf.int8), tf.constant(2, tf.int8)), ia, ia / 2,
         np.float32),
        (lambda x: tf.pow(x, 2), ia, ia ** 2, np.int32),
        (lambda x: x ** 3.0, a, a ** 3, np.float32),
        (lambda x: tf.realdiv(x, x + 10), a, a / (a + 10), np.float32),
    ]
    for build, x, expected, dtype in cases:
        got = run(build, x)
        assert got.dtype == dtype
        np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_where_select_and_indices():
    a = np.array([[-2.5, -1.5, -0.5], [0.5, 1.5, 2.5]], np.float32)
    rows = run(lambda c, x: tf.where(c, x, -x), np.array([True, False]), a)
    np.testing.assert_array_equal(rows, [[-2.5, -1.5, -0.5], [-0.5, -1.5, -2.5]])
    scalar = run(lambda c, x: tf.where(c, x, -x), np.array(True), a)
    np.testing.assert_array_equal(scalar, a)
    cond = a > 0
    np.testing.assert_array_equal(run(lambda c, x: tf.where(c, x, 0 * x), cond, a),
                                  np.where(cond, a, 0))
    idx = run(tf.where, np.array([[True, False], [False, True]]))
    assert idx.dtype == np.int64
    np.testing.assert_array_equal(idx, [[0, 0], [1, 1]])
    assert run(tf.where, np.zeros((0, 3), bool)).shape == (0, 2)


def test_clip_cast_add_n_scalar_mul():
    x = np.array([-1.0, 0.2, 3.0], np.float32)
    np.testing.assert_allclose(run(lambda t: tf.clip_by_value(t, 0.0, 1.0), x), [0.0, 0.2, 1.0],
                               rtol=1e-6)
    np.testing.assert_array_equal(run(lambda t: tf.cast(t, tf.int32),
                                      np.array([-1.7, 1.7, 2.5], np.float32)), [-1, 1, 2])
    np.testing.assert_array_equal(run(lambda t: tf.cast(t, tf.bool), x), [True, True, True])
    assert run(tf.to_double, np.array([1], np.int32)).dtype == np.float64
    assert run(tf.to_int64, x).dtype == np.int64
    np.testing.assert_allclose(run(lambda a, b: tf.add_n([a, b, a]), x, 2 * x), 4 * x)
    np.testing.assert_allclose(run(lambda a: tf.scalar_mul(2.0, a), x), 2 * x)


# -- matmul ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("sa,sb,ta,tb", [
    ((2, 3), (3, 4), False, False), ((3, 2), (3, 4), True, False),
    ((2, 3), (4, 3), False, True), ((3, 2), (4, 3), True, True),
    ((5, 2, 3), (5, 3, 4), False, False), ((2, 1, 2, 3), (3, 3, 4), False, False),
    ((4, 3, 2), (3, 4), True, False), ((0, 3), (3, 2), False, False)])
def test_matmul_kernel(sa, sb, ta, tb):
    a, b = sample(sa, "float64"), sample(sb, "float64")
    at = np.swapaxes(a, -1, -2) if ta else a
    bt = np.swapaxes(b, -1, -2) if tb else b
    got = run(lambda x, y: tf.matmul(x, y, transpose_a=ta, transpose_b=tb), a, b)
    np.testing.assert_allclose(got, np.matmul(at, bt), rtol=1e-12)
    adj = run(lambda x, y: tf.matmul(x, y, adjoint_a=ta, adjoint_b=tb), a, b)
    np.testing.assert_allclose(adj, got)


def test_matmul_op_types():
    with tf.Graph().as_default():
        assert tf.matmul(tf.zeros([2, 3]), tf.zeros([3, 2])).op.type == "MatMul"
        batched = tf.matmul(tf.zeros([4, 1, 2, 3]), tf.zeros([5, 3, 5]))
        assert batched.op.type == "BatchMatMulV2"
        assert batched.shape.as_list() == [4, 5, 2, 5]


# -- reductions and scans -------------------------------------------------------------------------
REDUCTIONS = [(tf.reduce_sum, np.sum), (tf.reduce_mean, np.mean), (tf.reduce_max, np.max),
              (tf.reduce_min, np.min), (tf.reduce_prod, np.prod)]


@pytest.mark.parametrize("fn,ref", REDUCTIONS, ids=[r[0].__name__ for r in REDUCTIONS])
@pytest.mark.parametrize("axis", [None, 0, 1, -1, [0, 2], (-1, 0)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions(fn, ref, axis, keepdims):
    for dtype in ["float32", "int32"]:
        x = sample((2, 3, 4), dtype)
        np_axis = tuple(axis) if isinstance(axis, (list, tuple)) else axis
        got = run(lambda t: fn(t, axis=axis, keepdims=keepdims), x)
        expected = ref(x, axis=np_axis, keepdims=keepdims)
        assert got.dtype == np.dtype(dtype)  # numpy would sum int32 into int64; TF does not
        np.testing.assert_allclose(got, expected.astype(dtype), rtol=1e-5)


def test_reduction_variants():
    x = sample((2, 3), "float32")
    np.testing.assert_allclose(run(lambda t: tf.reduce_sum(t, reduction_indices=[1]), x),
                               x.sum(1), rtol=1e-6)
    assert run(lambda t: tf.reduce_mean(t, 0, keep_dims=True), x).shape == (1, 3)
    np.testing.assert_allclose(run(lambda t: tf.reduce_sum(t, tf.constant(1)), x), x.sum(1),
                               rtol=1e-6)
    b = np.array([[True, False, True], [True, True, True]])
    np.testing.assert_array_equal(run(lambda t: tf.reduce_any(t, 1), b), [True, True])
    np.testing.assert_array_equal(run(lambda t: tf.reduce_all(t, 1), b), [False, True])
    ia = np.array([[-7, -3, 0], [3, 7, 8]], np.int32)
    np.testing.assert_array_equal(run(lambda t: tf.reduce_mean(t, 1), ia), [-3, 6])
    assert run(tf.reduce_sum, ia).dtype == np.int32
    empty = np.zeros((0, 3), np.float32)
    np.testing.assert_array_equal(run(lambda t: tf.reduce_sum(t, 0), empty), [0, 0, 0])
    np.testing.assert_array_equal(run(lambda t: tf.reduce_max(t, 0), empty), [-np.inf] * 3)
    np.testing.assert_array_equal(run(lambda t: tf.reduce_prod(t, 0), empty), [1, 1, 1])


def test_reduce_logsumexp_is_stable():
    x = np.array([[1000.0, 1000.0], [-np.inf, -np.inf]], np.float32)
    np.testing.assert_allclose(run(lambda t: tf.reduce_logsumexp(t, 1), x),
                               [1000.6931762695312, -np.inf])
    y = sample((2, 3), "float64")
    got = run(lambda t: tf.reduce_logsumexp(t, 0, keepdims=True), y)
    np.testing.assert_allclose(got, np.log(np.exp(y).sum(0, keepdims=True)), rtol=1e-12)


def test_argmax_argmin_and_scans():
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]], np.float32)
    got = run(lambda t: tf.argmax(t, 1), x)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, [1, 0])  # the first of tied maxima
    got = run(lambda t: tf.argmin(t, dimension=0, output_type=tf.int32), x)
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got, [0, 1, 1])
    np.testing.assert_array_equal(run(tf.argmax, x), [1, 0, 0])
    a = np.array([[-2.5, -1.5, -0.5], [0.5, 1.5, 2.5]], np.float32)
    np.testing.assert_allclose(run(lambda t: tf.cumsum(t, 1, exclusive=True, reverse=True), a),
                               [[-2.0, -0.5, 0.0], [4.0, 2.5, 0.0]])
    np.testing.assert_allclose(run(lambda t: tf.cumprod(t, 1, exclusive=True), a),
                               [[1.0, -2.5, 3.75], [1.0, 0.5, 0.75]])
    np.testing.assert_allclose(run(lambda t: tf.cumprod(t, 0, exclusive=True, reverse=True),
                                   a), [[0.5, 1.5, 2.5], [1.0, 1.0, 1.0]])
    np.testing.assert_allclose(run(lambda t: tf.cumsum(t, -1), a), np.cumsum(a, -1))


# -- names, dtypes and errors against TF1 ---------------------------------------------------------
# One graph, built in this order, gives exactly these names in TF1 (counters included).
NAMED = [
    (lambda x, y, i, b: x + y, "add:0"), (lambda x, y, i, b: 1.0 + x, "add_1:0"),
    (lambda x, y, i, b: x - 2, "sub:0"), (lambda x, y, i, b: 2 - x, "sub_1:0"),
    (lambda x, y, i, b: x * 2, "mul:0"), (lambda x, y, i, b: 2 * x, "mul_1:0"),
    (lambda x, y, i, b: x / y, "truediv:0"), (lambda x, y, i, b: 1 / x, "truediv_1:0"),
    (lambda x, y, i, b: i / 2, "truediv_2:0"), (lambda x, y, i, b: x // y, "floordiv:0"),
    (lambda x, y, i, b: x % 2, "mod:0"), (lambda x, y, i, b: x ** 2, "pow:0"),
    (lambda x, y, i, b: 2 ** x, "pow_1:0"), (lambda x, y, i, b: x @ tf.transpose(x),
                                             "matmul:0"),
    (lambda x, y, i, b: b & b, "and:0"), (lambda x, y, i, b: b | b, "or:0"),
    (lambda x, y, i, b: b ^ b, "xor:0"), (lambda x, y, i, b: x < 1, "Less:0"),
    (lambda x, y, i, b: x <= y, "LessEqual:0"), (lambda x, y, i, b: x > y, "Greater:0"),
    (lambda x, y, i, b: x >= 1, "GreaterEqual:0"), (lambda x, y, i, b: -x, "Neg:0"),
    (lambda x, y, i, b: abs(x), "Abs:0"), (lambda x, y, i, b: ~b, "LogicalNot:0"),
    (lambda x, y, i, b: tf.add(x, y), "Add_2:0"), (lambda x, y, i, b: tf.divide(x, y),
                                                  "truediv_3:0"),
    (lambda x, y, i, b: tf.div(i, i), "div:0"), (lambda x, y, i, b: tf.mod(i, i),
                                                  "FloorMod:0"),
    (lambda x, y, i, b: tf.round(i), "i:0"), (lambda x, y, i, b: tf.round(x), "Round:0"),
    (lambda x, y, i, b: tf.logical_xor(b, b), "LogicalXor:0"),
    (lambda x, y, i, b: tf.where(b, x, x), "Select:0"), (lambda x, y, i, b: tf.where(b),
                                                         "Where:0"),
    (lambda x, y, i, b: tf.clip_by_value(x, 0., 1.), "clip_by_value:0"),
    (lambda x, y, i, b: tf.cast(x, tf.float32), "x:0"),
    (lambda x, y, i, b: tf.cast(b, tf.float32), "Cast:0"),
    (lambda x, y, i, b: tf.to_float(i), "ToFloat:0"),
    (lambda x, y, i, b: tf.add_n([x, x, x]), "AddN:0"),
    (lambda x, y, i, b: tf.add_n([x]), "x:0"),
    (lambda x, y, i, b: tf.scalar_mul(2.0, x), "Mul_2:0"),
    (lambda x, y, i, b: tf.matmul(x, x, transpose_b=True), "MatMul_1:0"),
    (lambda x, y, i, b: tf.reduce_sum(x), "Sum:0"),
    (lambda x, y, i, b: tf.reduce_mean(x, axis=-1, keepdims=True), "Mean:0"),
    (lambda x, y, i, b: tf.reduce_logsumexp(x, 1), "ReduceLogSumExp:0"),
    (lambda x, y, i, b: tf.argmax(x, 1), "ArgMax:0"),
    (lambda x, y, i, b: tf.cumsum(x, 1), "Cumsum:0"),
    (lambda x, y, i, b: tf.add(x, y, name="myadd"), "myadd:0"),
]


def test_names_match_tf1():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2, 3], name="x")
        y = tf.placeholder(tf.float32, [3], name="y")
        i = tf.placeholder(tf.int32, [2, 3], name="i")
        b = tf.placeholder(tf.bool, [2, 3], name="b")
        got = [build(x, y, i, b).name for build, _ in NAMED]
    assert got == [name for _, name in NAMED]


def test_converted_constant_names():
    cases = [  # build, op names TF1 creates (after the placeholder)
        (lambda f: 2 * f, ["mul/x", "mul"]),
        (lambda f: tf.reduce_sum(f, 1), ["Sum/reduction_indices", "Sum"]),
        (lambda f: tf.reduce_sum(f), ["Const", "Sum"]),
        (lambda f: tf.argmax(f, 1, name="am"), ["am/dimension", "am"]),
        (lambda f: tf.scalar_mul(2, f), ["scalar", "Mul"]),
        (lambda f: tf.clip_by_value(f, 0., 1.), ["clip_by_value/Minimum/y",
                                                 "clip_by_value/Minimum", "clip_by_value/y",
                                                 "clip_by_value"]),
    ]
    for build, names in cases:
        with tf.Graph().as_default() as g:
            build(tf.placeholder(tf.float32, [2, 3], name="f"))
            assert [op.name for op in g.get_operations()][1:] == names


def _error(build):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2, 3], name="x")
        i = tf.placeholder(tf.int32, [2, 3], name="i")
        b = tf.placeholder(tf.bool, [2, 3], name="b")
        d = tf.placeholder(tf.float64, [3], name="d")
        with pytest.raises((TypeError, ValueError)) as info:
            build(x, i, b, d)
    return info


ERRORS = [  # build, TF1's error class, TF1's message up to the node description
    (lambda x, i, b, d: x + d, TypeError,
     "Input 'y' of 'AddV2' Op has type float64 that does not match type float32 of argument "
     "'x'."),
    (lambda x, i, b, d: tf.maximum(x, d), TypeError,
     "Input 'y' of 'Maximum' Op has type float64 that does not match type float32 of argument "
     "'x'."),
    (lambda x, i, b, d: tf.matmul(x, i), TypeError,
     "Input 'b' of 'MatMul' Op has type int32 that does not match type float32 of argument "
     "'a'."),
    (lambda x, i, b, d: i + 1.5, TypeError,
     "Input 'y' of 'AddV2' Op has type float32 that does not match type int32 of argument "
     "'x'."),
    (lambda x, i, b, d: i * 2.0, TypeError,
     "Expected int32 passed to parameter 'y' of op 'Mul', got 2.0 of type 'float' instead. "
     "Error: Expected int32, but got 2.0 of type 'float'."),
    (lambda x, i, b, d: tf.multiply(2, x), TypeError,
     "Input 'y' of 'Mul' Op has type float32 that does not match type int32 of argument 'x'."),
    (lambda x, i, b, d: tf.truediv(x, d), TypeError,
     "`x` and `y` must have the same dtype, got tf.float32 != tf.float64."),
    (lambda x, i, b, d: tf.truediv(b, True), TypeError,
     "Invalid dtype tf.bool in __truediv__. Expected one of {tf.uint8, tf.int8, tf.uint16, "
     "tf.int16, tf.uint32, tf.int32, tf.uint64, tf.int64, "),
    (lambda x, i, b, d: tf.sqrt(i), TypeError,
     "Value passed to parameter 'x' has DataType int32 not in list of allowed values: "
     "bfloat16, float16, float32, float64, complex64, complex128"),
    (lambda x, i, b, d: tf.floor(i), TypeError,
     "Value passed to parameter 'x' has DataType int32 not in list of allowed values: "
     "bfloat16, float16, float32, float64"),
    (lambda x, i, b, d: b + b, TypeError,
     "Value passed to parameter 'x' has DataType bool not in list of allowed values: "
     "bfloat16, float16, float32, float64, uint8, uint16, uint32, uint64, int8, int16, int32, "
     "int64, complex64, complex128"),
    (lambda x, i, b, d: tf.logical_and(x, x), TypeError,
     "Input 'x' of 'LogicalAnd' Op has type float32 that does not match expected type of "
     "bool."),
    (lambda x, i, b, d: tf.where(x, x, x), TypeError,
     "Input 'condition' of 'Select' Op has type float32 that does not match expected type of "
     "bool."),
    (lambda x, i, b, d: tf.add_n([x, tf.zeros([2, 3], tf.float64)]), TypeError,
     "Tensors in list passed to 'inputs' of 'AddN' Op have types [float32, float64] that "
     "don't all match."),
    (lambda x, i, b, d: x + tf.zeros([4]), ValueError,
     "Dimensions must be equal, but are 3 and 4"),
    (lambda x, i, b, d: tf.matmul(x, x), ValueError,
     "Dimensions must be equal, but are 3 and 2"),
    (lambda x, i, b, d: tf.matmul(x[0], x), ValueError, "Shape must be rank 2 but is rank 1"),
    (lambda x, i, b, d: tf.matmul(tf.zeros([2, 2, 3]), tf.zeros([3, 3, 4])), ValueError,
     "Dimensions must be equal, but are 2 and 3"),
    (lambda x, i, b, d: tf.reduce_sum(x, 2), ValueError,
     "Invalid reduction dimension 2 for input with 2 dimensions."),
    (lambda x, i, b, d: tf.where(b, x, tf.zeros([3, 3])), ValueError,
     "Dimension 0 in both shapes must be equal, but are 2 and 3. Shapes are [2,3] and [3,3]."),
    (lambda x, i, b, d: tf.where(b, x), ValueError,
     "x and y must both be non-None or both be None."),
    (lambda x, i, b, d: tf.add_n([]), ValueError,
     "Inputs must be an iterable of at least one Tensor/IndexedSlices with the same dtype and "
     "shape."),
    (lambda x, i, b, d: tf.scalar_mul(tf.constant([1., 2.]), x), ValueError,
     "The input scalar must be a 0-D value. Received shape (2,)."),
    (lambda x, i, b, d: tf.clip_by_value(d, tf.zeros([2, 3], tf.float64), 1.), ValueError,
     "Shapes (3,) and (2, 3) are incompatible"),
]


@pytest.mark.parametrize("build,cls,message", ERRORS, ids=[e[2][:40] for e in ERRORS])
def test_errors_match_tf1(build, cls, message):
    info = _error(build)
    assert info.type is cls
    assert str(info.value).startswith(message), str(info.value)


def test_shape_error_names_node_and_shapes():
    info = _error(lambda x, i, b, d: tf.add(x, tf.zeros([4]), name="bad"))
    assert "{{node bad}}" in str(info.value)
    assert "with input shapes: [2,3], [4]." in str(info.value)


def test_static_shapes_with_unknown_dims():
    with tf.Graph().as_default():
        u = tf.placeholder(tf.float32)
        x = tf.placeholder(tf.float32, [None, 3])
        assert tf.reduce_sum(u, 0).shape.ndims is None
        assert tf.reduce_sum(x, tf.placeholder(tf.int32), keepdims=True).shape.as_list() == \
            [None, None]
        assert (x + tf.zeros([1, 3])).shape.as_list() == [None, 3]
        assert tf.matmul(x, tf.zeros([3, 5])).shape.as_list() == [None, 5]
        assert tf.where(x > 0).shape.as_list() == [None, 2]


# -- gradients ------------------------------------------------------------------------------------
def _pos(*shape):
    return RNG.uniform(0.5, 2.0, size=shape)


def _any(*shape):
    return RNG.uniform(-2.0, 2.0, size=shape)


GRADS = [
    ("add_bcast", lambda x, y: x + y, [_any(2, 3), _any(3)]),
    ("sub_bcast", lambda x, y: x - y, [_any(2, 1), _any(1, 3)]),
    ("mul_scalar", lambda x, y: x * y, [_any(2, 3), _any()]),
    ("div", lambda x, y: x / y, [_any(2, 3), _pos(2, 3)]),
    ("pow", lambda x, y: tf.pow(x, y), [_pos(2, 3), _any(3)]),
    ("mod", lambda x, y: tf.floormod(x, y), [np.array([5.5, -5.3]), np.array([2.0, 1.7])]),
    ("maximum", lambda x, y: tf.maximum(x, y), [_any(2, 3), _any(3)]),
    ("minimum", lambda x, y: tf.minimum(x, y), [_any(2, 3), _any(2, 1)]),
    ("sqd", lambda x, y: tf.squared_difference(x, y), [_any(2, 3), _any(3)]),
    ("unary_chain", lambda x: tf.exp(tf.sin(x)) + tf.cos(x) * tf.tanh(x) - tf.sigmoid(x),
     [_any(2, 3)]),
    ("unary_pos", lambda x: tf.log(x) + tf.sqrt(x) + tf.rsqrt(x) + tf.reciprocal(x) +
     tf.log1p(x) + tf.expm1(x) + tf.square(x) + tf.abs(-x) + tf.negative(x), [_pos(3)]),
    ("select", lambda x, y: tf.where(tf.constant([True, False]), x, y), [_any(2, 3), _any(2, 3)]),
    ("clip", lambda x: tf.clip_by_value(x, -1.0, 1.0), [np.array([-1.5, -0.5, 0.3, 1.7])]),
    ("add_n", lambda x, y: tf.add_n([x, y, x]), [_any(2, 3), _any(2, 3)]),
    ("matmul", lambda a, b: tf.matmul(a, b), [_any(2, 3), _any(3, 4)]),
    ("matmul_t", lambda a, b: tf.matmul(a, b, transpose_a=True, transpose_b=True),
     [_any(3, 2), _any(4, 3)]),
    ("bmm_bcast", lambda a, b: tf.matmul(a, b), [_any(2, 2, 3), _any(3, 4)]),
    ("bmm_t", lambda a, b: tf.matmul(a, b, transpose_b=True), [_any(2, 1, 2, 3), _any(3, 4, 3)]),
    ("sum", lambda x: tf.reduce_sum(x, [0, 2]), [_any(2, 3, 4)]),
    ("sum_kd_neg", lambda x: tf.reduce_sum(x, -1, keepdims=True), [_any(2, 3)]),
    ("mean", lambda x: tf.reduce_mean(x, 1), [_any(2, 3)]),
    ("mean_all", lambda x: tf.reduce_mean(x), [_any(2, 3)]),
    ("max", lambda x: tf.reduce_max(x, 1), [_any(2, 3)]),
    ("min_kd", lambda x: tf.reduce_min(x, 0, keepdims=True), [_any(2, 3)]),
    ("prod", lambda x: tf.reduce_prod(x, 1), [_any(2, 3)]),
    ("prod_neg", lambda x: tf.reduce_prod(x, [-1, 0]), [_any(2, 3)]),
    ("logsumexp", lambda x: tf.reduce_logsumexp(x, 1), [_any(2, 3)]),
    ("cumsum", lambda x: tf.cumsum(x, 1, exclusive=True, reverse=True), [_any(2, 3)]),
    ("cumprod", lambda x: tf.cumprod(x, 0, exclusive=True), [_pos(3, 2)]),
]


@pytest.mark.parametrize("build,inputs", [g[1:] for g in GRADS], ids=[g[0] for g in GRADS])
def test_gradients_central_differences(build, inputs):
    check_gradients(build, inputs)


def _grads(build, *values):
    graph = tf.Graph()
    with graph.as_default():
        xs = [tf.constant(np.array(v, np.float64)) for v in values]
        grads = tf.gradients(build(*xs), xs)
        with tf.Session(graph=graph) as sess:
            return sess.run([g for g in grads if g is not None]), grads


TIES = [  # TF1's gradients at ties and edges, input by input
    (tf.maximum, ([1., 2., 3.], [1., 1., 4.]), [[1, 1, 0], [0, 0, 1]]),
    (tf.minimum, ([1., 2., 3.], [1., 1., 4.]), [[1, 0, 1], [0, 1, 0]]),
    (lambda x: tf.reduce_max(x, 1), ([[1., 3., 3.], [2., 2., 2.]],),
     [[[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]]]),
    (lambda x: tf.reduce_min(x, -1, keepdims=True), ([[1., 3., 1.], [2., 0., 2.]],),
     [[[0.5, 0, 0.5], [0, 1, 0]]]),
    (lambda x: tf.clip_by_value(x, 0., 1.), ([-1., 0., 0.5, 1., 2.],), [[0, 1, 1, 1, 0]]),
    (tf.abs, ([-1., 0., 2.],), [[-1, 0, 1]]),
    (tf.pow, ([0., -2., 2.], [2., 2., 3.]), [[0, -4, 12], [0, 0, 8 * np.log(2)]]),
    (lambda x: tf.reduce_prod(x, 1), ([[0., 2., 3.], [0., 0., 3.], [1., 2., 3.]],),
     [[[6, 0, 0], [0, 0, 0], [6, 3, 2]]]),
    (lambda x: tf.cumprod(x, exclusive=True, reverse=True), ([1., 2., 3.],), [[0, 3, 3]]),
    (tf.sign, ([1.5],), [[0]]),
    (lambda x: 3 * tf.cast(tf.cast(x, tf.float32), tf.float64), ([1.5, -2.0],), [[3, 3]]),
]


@pytest.mark.parametrize("build,values,expected", TIES, ids=range(len(TIES)))
def test_gradient_ties_and_edges_match_tf1(build, values, expected):
    got, _ = _grads(build, *values)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("build", [
    tf.floor, tf.ceil, tf.round, lambda x: tf.floordiv(x, 2.0),
    lambda x: tf.cast(x > 0, tf.float64), lambda x: tf.cast(tf.argmax(x), tf.float64)])
def test_gradients_none_where_tf1_has_none(build):
    _, grads = _grads(build, [1.5, 2.5])
    assert grads == [None]


# == further TF1 parity: edge values, dynamic shapes, converted-constant names, scalar forms ======
def run_fetches(fetches, feed=None):
    """Runs fetches of the (per-test, fresh) default graph."""
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def op_names():
    return [op.name for op in tf.get_default_graph().get_operations()]


def _f32(v):
    return tf.constant(np.array(v, np.float32))


@pytest.mark.parametrize("fn,ref", [
    (lambda x, y: x & y, np.logical_and), (lambda x, y: x | y, np.logical_or),
    (lambda x, y: x ^ y, np.logical_xor)], ids=["and", "or", "xor"])
def test_bool_operators_broadcast(fn, ref):
    x, y = sample((2, 3), bool), sample((3,), bool)
    np.testing.assert_array_equal(run(fn, x, y), ref(x, y))


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint8], ids=lambda d: np.dtype(d).name)
def test_bitwise_operators_on_integers(dtype):
    x, y = np.array([5, 3, 12], dtype), np.array([3, 6, 10], dtype)
    a, b = tf.constant(x), tf.constant(y)
    out = run_fetches([a & b, a | b, a ^ b, ~a, 7 & b])
    for got, want in zip(out, [x & y, x | y, x ^ y, ~x, 7 & y]):
        np.testing.assert_array_equal(got, want)
        assert got.dtype == dtype


TF_VALUES = [  # (id, build, TF's value, TF's dtype) where TF's numbers are not numpy's
    ("floordiv_float_is_floor_of_quotient",
     lambda: tf.floordiv(_f32([1.0, -7.5]), _f32([0.1, 2.0])), [10.0, -4.0], np.float32),
    ("floormod_float", lambda: tf.floormod(_f32([-4.0, 4.0, -3.5, 1.0]),
                                           _f32([2.0, -2.0, 2.0, 0.1])),
     [0.0, 0.0, 0.5, 0.09999999], np.float32),
    ("sign_nan", lambda: tf.sign(_f32([np.nan, -0.0, 0.0, -2.0])), [np.nan, 0, 0, -1],
     np.float32),
    ("sigmoid_saturates", lambda: tf.sigmoid(_f32([-1000.0, 1000.0, -20.0])),
     [0.0, 1.0, 2.0611537e-09], np.float32),
    ("maximum_propagates_nan", lambda: tf.maximum(_f32([1.0, np.nan]), _f32([np.nan, 2.0])),
     [np.nan, np.nan], np.float32),
    ("pow_int", lambda: tf.pow(tf.constant([2, -3, 0]), tf.constant([3, 3, 0])), [8, -27, 1],
     np.int32),
    ("pow_float_edges", lambda: tf.pow(_f32([0.0, 0.0, -8.0]), _f32([0.0, -1.0, 1.0 / 3])),
     [1.0, np.inf, np.nan], np.float32),
    ("div_no_nan", lambda: tf.div_no_nan(_f32([1.0, 2.0]), _f32([0.0, 4.0])), [0.0, 0.5],
     np.float32),
    ("abs_int8_min", lambda: tf.abs(tf.constant(np.array([-128], np.int8))), [-128], np.int8),
    ("cast_float_to_bool", lambda: tf.cast(_f32([0.5, 0.0, -0.0, np.nan]), tf.bool),
     [True, False, False, True], np.bool_),
    ("argmax_skips_nan", lambda: tf.argmax(_f32([1.0, np.nan, 2.0])), 2, np.int64),
    ("argmin_skips_nan", lambda: tf.argmin(_f32([1.0, np.nan, 0.5])), 2, np.int64),
    ("mean_int_truncates", lambda: tf.reduce_mean(tf.constant([-1, -2, -2])), -1, np.int32),
    ("mean_uint8_no_overflow",
     lambda: tf.reduce_mean(tf.constant(np.array([250, 250], np.uint8))), 250, np.uint8),
    ("mean_int32_no_overflow",
     lambda: tf.reduce_mean(tf.constant(np.array([2 ** 30] * 3, np.int32))), 2 ** 30, np.int32),
    ("sum_uint8_wraps", lambda: tf.reduce_sum(tf.constant(np.array([250, 250], np.uint8))), 244,
     np.uint8),
    ("sum_float16_in_float16",
     lambda: tf.reduce_sum(tf.constant(np.full([3], 30000, np.float16))), np.inf, np.float16),
    ("mean_empty_is_nan", lambda: tf.reduce_mean(tf.zeros([0, 2]), 0), [np.nan, np.nan],
     np.float32),
    ("max_empty_int_is_lowest", lambda: tf.reduce_max(tf.zeros([0, 2], tf.int32), 0),
     [-2 ** 31, -2 ** 31], np.int32),
    ("min_empty_is_inf", lambda: tf.reduce_min(tf.zeros([0, 2]), 0), [np.inf, np.inf],
     np.float32),
    ("logsumexp_empty", lambda: tf.reduce_logsumexp(tf.zeros([0, 2]), 0), [-np.inf, -np.inf],
     np.float32),
    ("logsumexp_infinite_rows",
     lambda: tf.reduce_logsumexp(_f32([[-np.inf, -np.inf], [1000., 1000.], [np.inf, 1.]]), 1),
     [-np.inf, 1000.6932, np.inf], np.float32),
    ("cumprod_exclusive_reverse", lambda: tf.cumprod(_f32([[1., 2., 3.], [4., 5., 6.]]), 1,
                                                     exclusive=True, reverse=True),
     [[6., 3., 1.], [30., 6., 1.]], np.float32),
    ("where_indices_of_nonzero", lambda: tf.where(_f32([0.0, 1.0, np.nan, -0.0])), [[1], [2]],
     np.int64),
    ("select_scalar_condition",
     lambda: tf.where(tf.constant(False), tf.constant([1, 2]), tf.constant([3, 4])), [3, 4],
     np.int32),
    ("where_v2_broadcasts", lambda: tf.where_v2(tf.constant([True, False]), _f32([[1.0], [2.0]]),
                                                0.0), [[1.0, 0.0], [2.0, 0.0]], np.float32),
    ("clip_int", lambda: tf.clip_by_value(tf.constant([-3, 2, 9]), 0, 5), [0, 2, 5], np.int32),
    ("equal_strings", lambda: tf.equal(tf.constant(["a", "b"]), tf.constant(["a", "c"])),
     [True, False], np.bool_),
]


@pytest.mark.parametrize("build,expected,dtype", [c[1:] for c in TF_VALUES],
                         ids=[c[0] for c in TF_VALUES])
def test_values_follow_tf(build, expected, dtype):
    out = np.asarray(run_fetches(build()))
    assert out.dtype == dtype
    np.testing.assert_allclose(out.astype(np.float64), np.asarray(expected, np.float64),
                               rtol=1e-6, equal_nan=True)


def test_strings_concatenate_with_add():
    out = run_fetches(tf.constant(["a", "b"]) + tf.constant(["c", "d"]))
    assert list(out) == [b"ac", b"bd"]
    assert tf.get_default_graph().get_operation_by_name("add").type == "Add"


LSE = ("reduce_logsumexp", lambda x, axis, keepdims: np.log(np.sum(np.exp(x), axis=axis,
                                                                   keepdims=keepdims)))


@pytest.mark.parametrize("name,ref", [(r[0].__name__, r[1]) for r in REDUCTIONS] + [LSE])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions_with_dynamic_shapes_and_empty_axes(name, ref, keepdims):
    reduce = getattr(tf, name)
    x = sample((2, 3, 4), "float64")
    static = tf.constant(x)
    dynamic = tf.placeholder(tf.float64, [None, 3, None])
    cases = []
    for axis in [None, -1, [0, 2], [], (1,)]:
        np_axis = tuple(axis) if isinstance(axis, (list, tuple)) else axis
        expected = ref(x, axis=np_axis, keepdims=keepdims)
        cases += [(reduce(t, axis=axis, keepdims=keepdims), expected) for t in (static, dynamic)]
    got = run_fetches([y for y, _ in cases], {dynamic: x})
    for (y, expected), value in zip(cases, got):
        np.testing.assert_allclose(value, expected, rtol=1e-12)
        assert y.shape.is_compatible_with(value.shape), (y, value.shape)
    assert all(y.shape.is_fully_defined() for y, _ in cases[0::2])


@pytest.mark.parametrize("fn,ref", [(tf.reduce_sum, np.sum), (tf.reduce_prod, np.prod),
                                    (tf.reduce_max, np.max), (tf.reduce_min, np.min)])
@pytest.mark.parametrize("dtype", ["int64", "uint8", "float16"])
def test_reductions_keep_narrow_and_wide_dtypes(fn, ref, dtype):
    x = sample((3, 4), dtype, 1, 3)
    got = run(lambda t: fn(t, 1), x)
    assert got.dtype == np.dtype(dtype)
    np.testing.assert_allclose(got, ref(x, axis=1).astype(dtype), rtol=1e-3)


def test_axis_forms_and_unknown_ranks():
    x = np.array([[True, False], [True, True]])
    axis = tf.placeholder(tf.int32, [])
    u = tf.placeholder(tf.float32)
    m = tf.placeholder(tf.float32, [2, 3])
    assert tf.reduce_sum(u).shape.as_list() == []  # a full reduction is a scalar
    assert tf.reduce_sum(u, keepdims=True).shape.ndims is None
    assert tf.reduce_mean(m, axis).shape.ndims is None
    assert tf.argmax(tf.placeholder(tf.float32, [2, 3, 4]), axis).shape.as_list() == [None, None]
    out = run_fetches([tf.reduce_all(tf.constant(x), axis, keepdims=True),
                       tf.reduce_any(tf.constant(np.zeros([0], bool))),
                       tf.reduce_sum(tf.constant(np.ones([2, 2])), tf.constant(np.int64(-1))),
                       tf.reduce_sum(u)], {axis: 0, u: np.ones([2, 2, 2])})
    assert out[0].tolist() == [[True, False]] and not out[1]
    np.testing.assert_array_equal(out[2], [2.0, 2.0])
    assert out[3] == 8.0


@pytest.mark.parametrize("a_shape,b_shape,kw", [
    ((5, 2, 3), (3, 4), {}), ((2, 3), (5, 3, 4), {}),
    ((5, 3, 2), (5, 4, 3), {"adjoint_a": True, "transpose_b": True}),
    ((2, 0), (0, 4), {}), ((1, 2, 3), (4, 3, 2), {"transpose_a": True, "transpose_b": True})])
@pytest.mark.parametrize("dtype", ["float64", "int32"])
def test_matmul_with_unknown_dims(a_shape, b_shape, kw, dtype):
    a, b = sample(a_shape, dtype), sample(b_shape, dtype)
    ta = kw.get("transpose_a") or kw.get("adjoint_a")
    tb = kw.get("transpose_b") or kw.get("adjoint_b")
    expected = np.matmul(np.swapaxes(a, -1, -2) if ta else a, np.swapaxes(b, -1, -2) if tb else b)
    pa = tf.placeholder(tf.as_dtype(dtype), [None] * len(a_shape))
    y = tf.matmul(pa, tf.constant(b), **kw)
    got = run_fetches(y, {pa: a})
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert got.dtype == np.dtype(dtype) and y.shape.is_compatible_with(expected.shape)


@pytest.mark.parametrize("a_shape,b_shape,axes", [
    ((2, 3, 4), (4, 3, 5), [[1, 2], [1, 0]]), ((2, 3, 4), (4, 5), 1), ((2, 3), (3, 4), 0),
    ((3, 4), (4, 3), [[0, 1], [1, 0]]), ((2, 3), (3, 2), [1, 0])])
def test_tensordot_matches_numpy(a_shape, b_shape, axes):
    a, b = sample(a_shape, "float64"), sample(b_shape, "float64")
    pa = tf.placeholder(tf.float64, [None] * len(a_shape))
    static = tf.tensordot(tf.constant(a), tf.constant(b), axes)
    dynamic = tf.tensordot(pa, tf.constant(b), axes)
    expected = np.tensordot(a, b, axes)
    got_static, got_dynamic = run_fetches([static, dynamic], {pa: a})
    np.testing.assert_allclose(got_static, expected, rtol=1e-12)
    np.testing.assert_allclose(got_dynamic, expected, rtol=1e-12)
    assert static.shape.as_list() == list(expected.shape)


@pytest.mark.parametrize("fn,ref", [(tf.cumsum, np.cumsum), (tf.cumprod, np.cumprod)],
                         ids=["cumsum", "cumprod"])
@pytest.mark.parametrize("axis", [0, -1])
@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
def test_scans_match_numpy(fn, ref, axis, exclusive, reverse):
    x = sample((3, 4), "float64", 0.5, 2.0)
    expected = ref(np.flip(x, axis) if reverse else x, axis=axis)
    if exclusive:
        identity = np.zeros_like if ref is np.cumsum else np.ones_like
        expected = np.concatenate([identity(np.take(expected, [0], axis=axis)),
                                   np.delete(expected, -1, axis=axis)], axis=axis)
    if reverse:
        expected = np.flip(expected, axis)
    got = run(lambda t: fn(t, axis, exclusive=exclusive, reverse=reverse), x)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert run(lambda t: fn(t, 1, exclusive=exclusive), np.zeros((2, 0))).shape == (2, 0)


def test_add_n_select_and_broadcast_to_merge_partial_shapes():
    p = tf.placeholder(tf.float32, [None, 3])
    q = tf.placeholder(tf.float32, [2, None])
    c = tf.placeholder(tf.bool, [None])
    total, sel = tf.add_n([p, q, p]), tf.where(c, p, q)
    assert total.shape.as_list() == [2, 3] and sel.shape.as_list() == [2, 3]
    b = tf.broadcast_to(_f32([1.0, 2.0, 3.0]), [2, 3])
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    out = run_fetches([total, sel, b], {p: x, q: -x, c: [True, False]})
    np.testing.assert_array_equal(out[0], x)
    np.testing.assert_array_equal(out[1], [x[0], -x[1]])
    np.testing.assert_array_equal(out[2], [[1, 2, 3], [1, 2, 3]])


# -- the scalar (fusion) forms agree with the kernels ---------------------------------------------
SCALAR_INPUTS = {
    "float": [-2.5, -1.0, -0.5, 0.0, 0.5, 1.5, 2.5, 3.0, 0.49999999999999994, -3.7],
    "positive": [0.25, 0.5, 1.0, 1.5, 2.5, 3.0],
    "int": [-7, -3, -1, 1, 2, 5],
    "bool": [True, False],
    "unit": [-0.9, -0.5, -0.25, 0.0, 0.3, 0.75],
    "above_one": [1.0, 1.25, 2.0, 3.5, 10.0],
}
SCALAR_DOMAIN = {"Sqrt": "positive", "Rsqrt": "positive", "Log": "positive",
                 "Log1p": "positive", "Reciprocal": "positive", "Pow": "positive",
                 "RealDiv": "positive", "FloorDiv": "positive", "FloorMod": "positive",
                 "LogicalAnd": "bool", "LogicalOr": "bool", "LogicalNot": "bool",
                 "BitwiseAnd": "int", "BitwiseOr": "int", "BitwiseXor": "int", "Invert": "int",
                 "Asin": "unit", "Acos": "unit", "Atanh": "unit", "Acosh": "above_one",
                 "Lgamma": "positive", "TruncateDiv": "int", "TruncateMod": "int",
                 "Xlogy": "positive", "Xdivy": "positive"}
MATH_SCALAR_OPS = sorted(name for name, op in REGISTRY.items()
                         if op.scalar is not None and op.ref.__module__ == math_ops.__name__
                         and name != "Cast")


@pytest.mark.parametrize("name", MATH_SCALAR_OPS)
def test_scalar_form_agrees_with_the_kernel(name):
    op = REGISTRY[name]
    domain = SCALAR_INPUTS[SCALAR_DOMAIN.get(name, "float")]
    dtype = {bool: np.bool_, int: np.int64, float: np.float64}[type(domain[0])]
    if name == "SelectV2":
        cases = [(c, a, b) for c in (True, False) for a in domain[:3] for b in domain[-3:]]
    elif len(op.input_names) == 1:
        cases = [(a,) for a in domain]
    else:
        cases = [(a, b) for a in domain for b in domain[::-1]]
    if name in ("Maximum", "Minimum"):
        cases += [(np.nan, 1.0), (1.0, np.nan)]  # NaN wins either way round, as in TF
    for args in cases:
        arrays = [np.array(a, dtype=np.bool_ if isinstance(a, bool) else dtype) for a in args]
        expected = op.ref(*arrays)
        names = ["a%d" % i for i in range(len(args))]
        scalar = eval(op.scalar.format(*names),  # noqa: S307 - the record's own expression
                      {"math": math, "abs": abs, "min": min, "max": max},
                      dict(zip(names, args)))
        np.testing.assert_allclose(float(scalar), float(expected), rtol=1e-12, atol=1e-12,
                                   equal_nan=True, err_msg="%s%s" % (name, args))


# -- names of ops and converted constants ---------------------------------------------------------
OP_NAMES = [  # (id, build, op names in creation order, output tensor name)
    ("mul_python_right", lambda: _f32([1.0]) * 2.0, ["Const", "mul/y", "mul"], "mul:0"),
    ("mul_python_left", lambda: 2.0 * _f32([1.0]), ["Const", "mul/x", "mul"], "mul:0"),
    ("add_python_lists", lambda: tf.add([1.0], [2.0]), ["Add/x", "Add/y", "Add"], "Add:0"),
    ("nested_uniquing", lambda: (lambda a: a * 2 + a * 3)(_f32([1.0])),
     ["Const", "mul/y", "mul", "mul_1/y", "mul_1", "add"], "add:0"),
    ("int_truediv_casts", lambda: tf.constant([3]) / 2,
     ["Const", "truediv/y", "truediv/Cast", "truediv/Cast_1", "truediv"], "truediv:0"),
    ("divide_converts_outside", lambda: tf.divide(1.0, _f32(2.0)),
     ["Const", "Const_1", "truediv"], "truediv:0"),
    ("divide_named", lambda: tf.divide(tf.constant(1), 2, name="dv"),
     ["Const", "dv/y", "dv/Cast", "dv/Cast_1", "dv"], "dv:0"),
    ("rfloordiv", lambda: 7 // tf.constant([2]), ["Const", "floordiv/x", "floordiv"],
     "floordiv:0"),
    ("rpow", lambda: 2 ** tf.constant(3), ["Const", "pow/x", "pow"], "pow:0"),
    ("pow_python", lambda: tf.pow(2, 3), ["Pow/x", "Pow/y", "Pow"], "Pow:0"),
    ("compare_python", lambda: _f32([1.0]) <= 2.0, ["Const", "LessEqual/y", "LessEqual"],
     "LessEqual:0"),
    ("bool_xor", lambda: tf.constant([True]) ^ tf.constant([False]),
     ["Const", "Const_1", "xor/LogicalOr", "xor/LogicalAnd", "xor/LogicalNot", "xor"], "xor:0"),
    ("int_and", lambda: tf.constant([1]) & tf.constant([3]),
     ["Const", "Const_1", "and/BitwiseAnd"], "and/BitwiseAnd:0"),
    ("int_rand", lambda: 3 & tf.constant([1]), ["Const", "and/x", "and/BitwiseAnd"],
     "and/BitwiseAnd:0"),
    ("int_invert", lambda: ~tf.constant([1]), ["Const", "Invert"], "Invert:0"),
    ("logical_xor", lambda: tf.logical_xor(tf.constant([True]), tf.constant([False])),
     ["Const", "Const_1", "LogicalOr", "LogicalAnd", "LogicalNot", "LogicalXor"],
     "LogicalXor:0"),
    ("logical_not_python", lambda: tf.logical_not([True], name="ln"), ["ln/x", "ln"], "ln:0"),
    ("matmul_python", lambda: tf.matmul([[1.0, 2.0]], [[3.0], [4.0]]),
     ["MatMul/a", "MatMul/b", "MatMul"], "MatMul:0"),
    ("select_python", lambda: tf.where([True, False], [1.0, 2.0], [3.0, 4.0]),
     ["Select/condition", "Select/t", "Select/e", "Select"], "Select:0"),
    ("where_python", lambda: tf.where([True, False]), ["Where/condition", "Where"], "Where:0"),
    ("cast_same_dtype_takes_no_name", lambda: tf.cast(_f32(1.0), tf.float32) + tf.cast(
        tf.constant(1), tf.float32), ["Const", "Const_1", "Cast", "add"], "add:0"),
    ("add_n_single_named", lambda: tf.add_n([_f32([1.0])], name="x1"), ["Const", "x1"], "x1:0"),
    ("reduce_python", lambda: tf.reduce_max([[1.0, 2.0]], 1, name="rr"),
     ["rr/input", "rr/reduction_indices", "rr"], "rr:0"),
    ("logsumexp", lambda: tf.reduce_logsumexp(_f32([[1.0, 2.0]]), 1),
     ["Const", "ReduceLogSumExp/Max/reduction_indices", "ReduceLogSumExp/Max",
      "ReduceLogSumExp/IsFinite", "ReduceLogSumExp/SelectV2/e", "ReduceLogSumExp/SelectV2",
      "ReduceLogSumExp/StopGradient", "ReduceLogSumExp/Sub", "ReduceLogSumExp/Exp",
      "ReduceLogSumExp/Sum/reduction_indices", "ReduceLogSumExp/Sum", "ReduceLogSumExp/Log",
      "ReduceLogSumExp/Shape", "ReduceLogSumExp/Reshape", "ReduceLogSumExp"],
     "ReduceLogSumExp:0"),
    ("argmax_python", lambda: tf.argmax([1.0, 3.0]),
     ["ArgMax/input", "ArgMax/dimension", "ArgMax"], "ArgMax:0"),
    ("cumsum_python", lambda: tf.cumsum([1.0, 3.0], name="cs"), ["cs/x", "cs/axis", "cs"],
     "cs:0"),
    ("sign_converts_outside", lambda: tf.sign([1.0], name="q"), ["Const", "q"], "q:0"),
    ("batch_matmul_is_named_matmul", lambda: tf.matmul(tf.ones([2, 2, 2]), tf.ones([2, 2])),
     ["ones", "ones_1", "MatMul"], "MatMul:0"),
    ("tensordot", lambda: tf.tensordot(tf.ones([2, 3, 4]), tf.ones([4, 3, 5]), [[1, 2], [1, 0]]),
     ["ones", "ones_1", "Tensordot/Reshape/shape", "Tensordot/Reshape",
      "Tensordot/transpose/perm", "Tensordot/transpose", "Tensordot/Reshape_1/shape",
      "Tensordot/Reshape_1", "Tensordot/MatMul"], "Tensordot/MatMul:0"),
    ("broadcast_to", lambda: tf.broadcast_to(_f32([1.0, 2.0]), [3, 2]),
     ["Const", "BroadcastTo/shape", "BroadcastTo"], "BroadcastTo:0"),
]


@pytest.mark.parametrize("build,ops,output", [c[1:] for c in OP_NAMES],
                         ids=[c[0] for c in OP_NAMES])
def test_op_and_constant_names_follow_tf(build, ops, output):
    out = build()
    assert op_names() == ops
    assert out.name == output


def test_scoped_operator_and_variable_operands():
    v = tf.Variable([1.0, 2.0], name="v")
    with tf.name_scope("s"):
        y = 3.0 * v
    assert y.name == "s/mul:0" and y.op.inputs[0].name == "s/mul/x:0"
    assert y.op.inputs[1].name == "v/read:0"
    assert tf.cast(v, tf.float32).name == "v/read:0"


# -- more build-time errors (full messages, node descriptions included) ---------------------------
BUILD_ERRORS = [  # (id, build, error class, message fragment)
    ("python_left_fixes_dtype", lambda: tf.multiply(2.0, tf.constant([1.0], tf.float64)),
     TypeError, "Input 'y' of 'Mul' Op has type float64 that does not match type float32 of "
                "argument 'x'."),
    ("python_float_to_int", lambda: tf.constant([1]) - 2.5, TypeError,
     "Expected int32 passed to parameter 'y' of op 'Sub', got 2.5 of type 'float' instead."),
    ("broadcast_node", lambda: tf.add(_f32([[1.0, 2.0, 3.0]]), _f32([1.0, 2.0])), ValueError,
     "Dimensions must be equal, but are 3 and 2 for '{{node Add}} = AddV2[T=DT_FLOAT](Const, "
     "Const_1)' with input shapes: [1,3], [2]."),
    ("bitwise_float", lambda: _f32([1.0]) & _f32([1.0]), TypeError,
     "Value passed to parameter 'x' has DataType float32 not in list of allowed values: int8, "
     "int16, int32, int64, uint8, uint16, uint32, uint64"),
    ("invert_float", lambda: ~_f32([1.0]), TypeError,
     "Value passed to parameter 'x' has DataType float32 not in list of allowed values: int8"),
    ("matmul_rank1_node", lambda: tf.matmul(tf.ones([3]), tf.ones([3, 4])), ValueError,
     "Shape must be rank 2 but is rank 1 for '{{node MatMul}} = MatMul[T=DT_FLOAT, "
     "transpose_a=false, transpose_b=false](ones, ones_1)' with input shapes: [3], [3,4]."),
    ("batch_matmul_batch", lambda: tf.matmul(tf.ones([5, 2, 3]), tf.ones([4, 3, 2])),
     ValueError, "Dimensions must be equal, but are 5 and 4 for '{{node MatMul}} = "
                 "BatchMatMulV2"),
    ("batch_matmul_rank1", lambda: tf.matmul(tf.ones([2, 2, 3]), tf.ones([3])), ValueError,
     "Shape must be at least rank 2 but is rank 1"),
    ("matmul_transpose_and_adjoint",
     lambda: tf.matmul(tf.ones([3, 2]), tf.ones([3, 4]), transpose_a=True, adjoint_a=True),
     ValueError, "Only one of `transpose_a` and `adjoint_a` can be True. Received "
                 "`transpose_a`=True, `adjoint_a`=True."),
    ("matmul_bool", lambda: tf.matmul(tf.ones([2, 2], tf.bool), tf.ones([2, 2], tf.bool)),
     TypeError, "Value passed to parameter 'a' has DataType bool not in list of allowed values"),
    ("reduce_bad_axis_node", lambda: tf.reduce_sum(tf.ones([2, 3, 4]), 3), ValueError,
     "Invalid reduction dimension 3 for input with 3 dimensions. for '{{node Sum}} = "
     "Sum[T=DT_FLOAT, Tidx=DT_INT32, keep_dims=false](ones, Sum/reduction_indices)' with input "
     "shapes: [2,3,4], [] and with computed input tensors: input[1] = <3>."),
    ("reduce_both_axes", lambda: tf.reduce_sum(tf.ones([2]), axis=0, reduction_indices=0),
     ValueError, "Cannot specify both 'reduction_indices' and 'axis'."),
    ("reduce_both_keepdims",
     lambda: tf.reduce_max(tf.ones([2]), 0, keepdims=True, keep_dims=True), ValueError,
     "Cannot specify both 'keep_dims' and 'keepdims'."),
    ("reduce_float_axis", lambda: tf.reduce_sum(tf.ones([2]), _f32(0.0)), TypeError,
     "Value passed to parameter 'reduction_indices' has DataType float32 not in list of "
     "allowed values: int32, int64"),
    ("reduce_rank2_axis", lambda: tf.reduce_sum(tf.ones([2, 2]), [[1]]), ValueError,
     "Shape must be at most rank 1 but is rank 2 for '{{node Sum}}"),
    ("reduce_any_float", lambda: tf.reduce_any(_f32([1.0])), TypeError,
     "Input 'input' of 'Any' Op has type float32 that does not match expected type of bool."),
    ("reduce_max_bool", lambda: tf.reduce_max(tf.constant([True])), TypeError,
     "Value passed to parameter 'input' has DataType bool not in list of allowed values"),
    ("logsumexp_int", lambda: tf.reduce_logsumexp(tf.constant([1, 2])), TypeError,
     "Value passed to parameter 'x' has DataType int32 not in list of allowed values: "
     "bfloat16, float16, float32, float64"),
    ("argmax_bad_dim", lambda: tf.argmax(tf.ones([2, 3, 4]), 3), ValueError,
     "Dimension (3) must be in the range [-3, 3), where 3 is the number of dimensions in the "
     "input. for '{{node ArgMax}}"),
    ("argmax_both", lambda: tf.argmax(tf.ones([2]), 0, dimension=0), ValueError,
     "Cannot specify both 'dimension' and 'axis'."),
    ("argmax_output_type", lambda: tf.argmax(tf.ones([2]), output_type=tf.float32), TypeError,
     "Value passed to parameter 'output_type' has DataType float32 not in list of allowed "
     "values: int16, uint16, int32, int64"),
    ("cumsum_bool", lambda: tf.cumsum(tf.constant([True])), TypeError,
     "Value passed to parameter 'x' has DataType bool not in list of allowed values"),
    ("add_n_shapes", lambda: tf.add_n([tf.ones([2, 3]), tf.ones([2, 2])]), ValueError,
     "Dimension 1 in both shapes must be equal, but are 3 and 2. Shapes are [2,3] and [2,2]."
     "\n\tFrom merging shape 0 with other shapes. for '{{node AddN}} = AddN[N=2, T=DT_FLOAT]"
     "(ones, ones_1)' with input shapes: [2,3], [2,2]."),
    ("add_n_rank", lambda: tf.add_n([tf.ones([2, 3]), tf.ones([3])]), ValueError,
     "Shapes must be equal rank, but are 2 and 1"),
    ("select_row_condition", lambda: tf.where(tf.constant([True, False, True]), tf.ones([2, 3]),
                                              tf.ones([2, 3])), ValueError,
     "Dimension 0 in both shapes must be equal, but are 3 and 2. Shapes are [3] and [2]."),
    ("select_rank", lambda: tf.where(tf.ones([2, 3], tf.bool), tf.ones([2, 3, 4]),
                                     tf.ones([2, 3, 4])), ValueError,
     "Shapes must be equal rank, but are 3 and 2 for '{{node Select}}"),
    ("clip_dtype", lambda: tf.clip_by_value(_f32([1.0]), tf.constant(0.0, tf.float64), 2.0),
     TypeError, "Input 'y' of 'Maximum' Op has type float64 that does not match type float32 "
                "of argument 'x'."),
    ("tensordot_axes", lambda: tf.tensordot(tf.ones([2, 3]), tf.ones([3, 2]), [[0, 1], [0]]),
     ValueError, "Different number of contraction axes `a` and `b`, 2 != 1."),
]


@pytest.mark.parametrize("build,error,message", [c[1:] for c in BUILD_ERRORS],
                         ids=[c[0] for c in BUILD_ERRORS])
def test_build_errors_follow_tf(build, error, message):
    with pytest.raises(error) as info:
        build()
    assert info.type is error
    assert message in str(info.value)


RUN_ERRORS = [  # TF raises these while running; the messages are TF's kernel messages
    ("integer_division_by_zero", lambda: tf.floordiv(tf.constant([1]), tf.constant([0])),
     "Integer division by zero"),
    ("negative_integer_power", lambda: tf.pow(tf.constant([2]), tf.constant([-1])),
     "Integers to negative integer powers are not allowed"),
    ("duplicate_reduction_axes", lambda: tf.reduce_sum(tf.ones([2, 2]), [1, -1]),
     "Axes contains duplicate dimension: 1"),
    ("argmax_empty_axis", lambda: tf.argmax(tf.ones([0, 3]), 0),
     "Reduction axis 0 is empty in shape [0,3]"),
    ("scan_axis", lambda: tf.cumsum(tf.ones([2]), 1),
     "ScanOp: Expected scan axis in the range [-1, 1), but got 1"),
]


@pytest.mark.parametrize("build,message", [c[1:] for c in RUN_ERRORS],
                         ids=[c[0] for c in RUN_ERRORS])
def test_run_time_errors_are_invalid_argument(build, message):
    t = build()
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        run_fetches(t)
    assert message in str(info.value)


# -- more gradients -------------------------------------------------------------------------------
MORE_GRADS = {
    "prod_axis_with_zeros": (lambda x: tf.reduce_prod(x, 1),
                             [np.array([[0.0, 2.0, 3.0], [0.0, 0.0, 4.0], [1.5, 2.0, 3.0]])]),
    "prod_all_with_zero": (lambda x: tf.reduce_prod(x), [np.array([[0.0, 2.0], [3.0, 4.0]])]),
    "prod_multi_axis_keepdims": (lambda x: tf.reduce_prod(x, [0, 2], keepdims=True),
                                 [_pos(2, 3, 2)]),
    "cumprod_reverse": (lambda x: tf.cumprod(x, 1, exclusive=True, reverse=True), [_pos(2, 3)]),
    "cumsum_axis0": (lambda x: tf.cumsum(x, 0), [_any(3, 2)]),
    "select_rows": (lambda c, x, y: tf.where(c > 0, x, y), [_any(3), _any(3, 2), _any(3, 2)]),
    "select_v2_broadcast": (lambda x, y: tf.where_v2(x > 0, x, y), [_any(2, 3), _any(3)]),
    "div_no_nan": (lambda x, y: tf.div_no_nan(x, y), [_any(2, 3), _pos(3)]),
    "batch_matmul_adjoint": (lambda x, y: tf.matmul(x, y, adjoint_a=True, transpose_b=True),
                             [_any(2, 4, 3), _any(2, 5, 4)]),
    "tensordot": (lambda x, y: tf.tensordot(x, y, [[1, 2], [1, 0]]),
                  [_any(2, 3, 4), _any(4, 3, 2)]),
    "broadcast_to": (lambda x: tf.broadcast_to(x, [2, 3, 2]), [_any(3, 1)]),
    "mean_keepdims_negative": (lambda x: tf.reduce_mean(x, [-1, 0], keepdims=True),
                               [_any(2, 3, 4)]),
    "logsumexp_large": (lambda x: tf.reduce_logsumexp(x * 1000.0, 0), [_any(3, 2)]),
    "scalar_mul": (lambda x: tf.scalar_mul(3.0, x), [_any(2)]),
    "tan_erf_expm1": (lambda x: tf.tan(x) + tf.erf(x) + tf.expm1(x), [_any(4) / 2]),
}


@pytest.mark.parametrize("name", sorted(MORE_GRADS))
def test_more_gradients_central_differences(name):
    build, inputs = MORE_GRADS[name]
    check_gradients(build, inputs)


@pytest.mark.parametrize("build,values,expected", [
    (lambda x: tf.reduce_logsumexp(x, 1), ([[-np.inf, 0.0, 0.0], [1.0, 2.0, 3.0]],),
     [[[0.0, 0.5, 0.5], [0.09003057317038045, 0.2447284710547976, 0.6652409557748218]]]),
    (lambda x: tf.cumprod(x), ([2.0, 0.0, 3.0],), [[1.0, 0.0, 0.0]]),
    (tf.div_no_nan, ([1.0, 2.0], [0.0, 4.0]), [[0.0, 0.25], [0.0, -0.125]]),
], ids=["logsumexp_neg_inf_gets_zero", "cumprod_uses_div_no_nan", "div_no_nan"])
def test_more_gradient_edges_match_tf1(build, values, expected):
    got, _ = _grads(build, *values)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-12)


@pytest.mark.parametrize("build", [
    lambda x, y: tf.reduce_sum(x * y + x / (y + 3.0), 0),
    lambda x, y: tf.reduce_mean(tf.maximum(x, y) ** 2, 1, keepdims=True),
    lambda x, y: tf.reduce_prod(x - y, 0) + tf.reduce_max(x, 0),
    lambda x, y: tf.reduce_logsumexp(tf.where_v2(x > y, x, y), 1),
    lambda x, y: tf.reduce_min(tf.squared_difference(x, y), 1),
    lambda x, y: tf.matmul(tf.expand_dims(x, 0), tf.expand_dims(y, -1)),
], ids=["sum_mul_div", "mean_max_pow", "prod_max", "logsumexp_select", "min_sqdiff",
        "batch_matmul"])
def test_dynamic_shapes_give_the_static_gradients(build):
    """The rules' run-time shape paths (BroadcastGradientArgs, ReducedShape, the dynamic Mean
    factor, Prod's permutation) agree with their static paths."""
    x, y = _any(4, 3), _any(1, 3)
    results = []
    for shape_x, shape_y in (([4, 3], [1, 3]), ([None, None], [None, 3])):
        px = tf.placeholder(tf.float64, shape_x)
        py = tf.placeholder(tf.float64, shape_y)
        results.append(run_fetches(tf.gradients(build(px, py), [px, py]), {px: x, py: y}))
    for static, dynamic in zip(*results):
        np.testing.assert_allclose(dynamic, static, rtol=1e-12)


def test_reductions_over_a_fed_axis_differentiate():
    x = tf.placeholder(tf.float64, [2, 3])
    axis = tf.placeholder(tf.int32, [])
    (g,) = tf.gradients([tf.reduce_sum(x * x, axis), tf.reduce_prod(x, axis),
                         tf.reduce_mean(x, axis)], x)
    value = _any(2, 3)
    got = run_fetches(g, {x: value, axis: 1})
    expected = 2 * value + np.prod(value, 1, keepdims=True) / value + 1 / 3
    np.testing.assert_allclose(got, expected, rtol=1e-12)
