"""The less common math and array ops (linalg, einsum, norms, segment reductions, unique, sort,
scatters, special functions): values against numpy and gradients against central differences."""
import math

import numpy as np
import pytest

import graphflow as tf
from gradcheck import check_gradients

rng = np.random.RandomState(0)


def run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default():
        yield


def test_special_functions_match_known_values():
    x = np.array([0.3, 1.7, 4.2, -0.6])
    # digamma(1) = -Euler-Mascheroni; digamma(x+1) = digamma(x) + 1/x.
    values = run([tf.digamma(tf.constant([1.0, 2.0], tf.float64)), tf.lgamma(x), tf.rint(x),
                  tf.atan2(x, x[::-1]), tf.truncatediv([7, -7], [2, 2]),
                  tf.truncatemod([7, -7], [2, 2]), tf.math.xlogy([0.0, 2.0], [0.0, 3.0])])
    np.testing.assert_allclose(values[0], [-0.5772156649015329, 0.4227843350984671], rtol=1e-12)
    np.testing.assert_allclose(values[1], [math.lgamma(v) for v in x], rtol=1e-12)
    np.testing.assert_array_equal(values[2], np.rint(x))
    np.testing.assert_allclose(values[3], np.arctan2(x, x[::-1]))
    np.testing.assert_array_equal(values[4], [3, -3])
    np.testing.assert_array_equal(values[5], [1, -1])
    np.testing.assert_allclose(values[6], [0.0, 2.0 * np.log(3.0)])


@pytest.mark.parametrize("fn,x", [
    (tf.asin, [-0.5, 0.2, 0.7]), (tf.acos, [-0.5, 0.2, 0.7]), (tf.atan, [-2.0, 0.3, 1.5]),
    (tf.sinh, [-1.0, 0.5]), (tf.cosh, [-1.0, 0.5]), (tf.asinh, [-1.0, 2.0]),
    (tf.acosh, [1.5, 3.0]), (tf.atanh, [-0.5, 0.3]), (tf.erfc, [-1.0, 0.4]),
    (tf.lgamma, [0.7, 2.5, -0.5]), (tf.digamma, [0.7, 2.5, -0.5]),
])
def test_unary_special_gradients(fn, x):
    check_gradients(fn, [np.array(x)], rtol=1e-4, atol=1e-6)


def test_binary_special_gradients():
    y, x = rng.uniform(0.5, 2.0, [3]), rng.uniform(-2.0, 2.0, [3])
    check_gradients(tf.atan2, [y, x])
    check_gradients(tf.math.xlogy, [x, y])


def test_linalg_values():
    m = rng.randn(4, 5)
    x = rng.randn(3, 4, 5)
    values = run({"eye": tf.eye(3), "eye_rect": tf.eye(2, 3, dtype=tf.int32),
                  "eye_batch": tf.eye(2, batch_shape=[2]), "trace": tf.trace(m),
                  "diag": tf.diag([1.0, 2.0]), "diag_part": tf.diag_part(m[:, :4]),
                  "matrix_diag": tf.matrix_diag(m), "diag_of": tf.matrix_diag_part(x),
                  "set_diag": tf.matrix_set_diag(m, np.zeros(4)),
                  "transpose": tf.matrix_transpose(x), "inverse": tf.matrix_inverse(m[:, :4]),
                  "det": tf.matrix_determinant(m[:, :4])})
    np.testing.assert_array_equal(values["eye"], np.eye(3))
    np.testing.assert_array_equal(values["eye_rect"], np.eye(2, 3))
    np.testing.assert_array_equal(values["eye_batch"], [np.eye(2)] * 2)
    np.testing.assert_allclose(values["trace"], np.trace(m))
    np.testing.assert_array_equal(values["diag"], np.diag([1.0, 2.0]))
    np.testing.assert_allclose(values["diag_part"], np.diag(m[:, :4]))
    np.testing.assert_allclose(values["matrix_diag"][1], np.diag(m[1]))
    np.testing.assert_allclose(values["diag_of"], np.diagonal(x, axis1=1, axis2=2))
    expected = m.copy()
    np.fill_diagonal(expected, 0)
    np.testing.assert_allclose(values["set_diag"], expected)
    np.testing.assert_allclose(values["transpose"], x.transpose(0, 2, 1))
    np.testing.assert_allclose(values["inverse"], np.linalg.inv(m[:, :4]))
    np.testing.assert_allclose(values["det"], np.linalg.det(m[:, :4]))


@pytest.mark.parametrize("build,shapes", [
    (lambda m: tf.matrix_diag_part(m), [(3, 4)]),
    (lambda d: tf.matrix_diag(d), [(2, 3)]),
    (lambda m, d: tf.matrix_set_diag(m, d), [(3, 3), (3,)]),
    (lambda m: tf.trace(m), [(3, 3)]),
    (lambda m: tf.matrix_inverse(m + 3 * np.eye(3)), [(3, 3)]),
    (lambda m: tf.matrix_determinant(m), [(2, 3, 3)]),
    (lambda m: tf.norm(m), [(3, 4)]),
    (lambda m: tf.norm(m, ord=1, axis=1, keepdims=True), [(3, 4)]),
    (lambda m: tf.norm(m, ord=3, axis=0), [(3, 4)]),
    (lambda m: tf.norm(m, ord=np.inf, axis=[0, 1]), [(3, 4)]),
])
def test_linalg_gradients(build, shapes):
    check_gradients(build, [rng.uniform(0.5, 1.5, s) * rng.choice([-1, 1], s) for s in shapes],
                    rtol=1e-4)


@pytest.mark.parametrize("equation,shapes", [
    ("ij,kj->ik", [(3, 4), (2, 4)]), ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("ij->j", [(3, 4)]), ("i,j->ij", [(3,), (4,)]), ("ii->", [(3, 3)]), ("ii->i", [(3, 3)]),
    ("ij,j", [(3, 4), (4,)]), ("...ij,jk->...ik", [(2, 3, 4), (4, 2)]), ("ijk->kji", [(2, 3, 4)]),
])
def test_einsum_values_and_gradients(equation, shapes):
    operands = [rng.randn(*s) for s in shapes]
    value = run(tf.einsum(equation, *[tf.constant(o) for o in operands]))
    np.testing.assert_allclose(value, np.einsum(equation, *operands), rtol=1e-12)
    check_gradients(lambda *xs: tf.einsum(equation, *xs), operands)


def test_einsum_static_shape_and_errors():
    p = tf.placeholder(tf.float32, [None, 4])
    assert tf.einsum("ij,jk->ik", p, tf.ones([4, 2])).shape.as_list() == [None, 2]
    with pytest.raises(ValueError):
        tf.einsum("ij,jk->ik", tf.ones([4, 5]), tf.ones([4, 5]))


def test_norm_values():
    x = rng.randn(2, 3, 4)
    values = run([tf.norm(x), tf.norm(x, ord=1, axis=-1), tf.norm(x, ord=np.inf, axis=1),
                  tf.norm(x[0], ord="fro", axis=[0, 1]), tf.norm(x[0], ord=1, axis=[0, 1])])
    np.testing.assert_allclose(values[0], np.linalg.norm(x.ravel()))
    np.testing.assert_allclose(values[1], np.abs(x).sum(-1))
    np.testing.assert_allclose(values[2], np.abs(x).max(1))
    np.testing.assert_allclose(values[3], np.linalg.norm(x[0], "fro"))
    np.testing.assert_allclose(values[4], np.linalg.norm(x[0], 1))
    with pytest.raises(ValueError):
        tf.norm(x, ord=-1)


def test_reductions_and_casts():
    x = rng.randn(3, 4)
    values = run([tf.count_nonzero([[0, 1], [2, 0]], axis=1), tf.math.reduce_std(x, 0),
                  tf.math.reduce_variance(x, -1, keepdims=True),
                  tf.saturate_cast([300.0, -5.0, 7.6], tf.uint8), tf.arg_max(x, 1),
                  tf.math.log_sigmoid([-50.0, 0.0, 3.0])])
    np.testing.assert_array_equal(values[0], [1, 1])
    assert values[0].dtype == np.int64
    np.testing.assert_allclose(values[1], x.std(0))
    np.testing.assert_allclose(values[2], x.var(-1, keepdims=True))
    np.testing.assert_array_equal(values[3], [255, 0, 7])
    np.testing.assert_array_equal(values[4], x.argmax(1))
    np.testing.assert_allclose(values[5], -np.logaddexp(0, -np.array([-50.0, 0.0, 3.0])),
                               rtol=1e-6)


def test_segments_values_and_gradients():
    rows = rng.randn(4, 2)
    ids = np.array([0, 0, 2, 2])
    values = run([tf.segment_mean(rows, ids), tf.segment_max(rows, ids),
                  tf.unsorted_segment_max(rows, [1, 0, 1, 1], 3),
                  tf.math.unsorted_segment_mean(rows, [1, 0, 1, 1], 3)])
    np.testing.assert_allclose(values[0], [rows[:2].mean(0), [0, 0], rows[2:].mean(0)])
    np.testing.assert_allclose(values[1], [rows[:2].max(0), [0, 0], rows[2:].max(0)])
    lowest = np.finfo(np.float64).min
    np.testing.assert_allclose(values[2], [rows[1], rows[[0, 2, 3]].max(0), [lowest] * 2])
    np.testing.assert_allclose(values[3], [rows[1], rows[[0, 2, 3]].mean(0), [0, 0]])
    check_gradients(lambda r: tf.segment_mean(r, ids), [rows])
    check_gradients(lambda r: tf.segment_max(r, ids), [rows])
    check_gradients(lambda r: tf.unsorted_segment_max(r, [1, 0, 1, 1], 2), [rows])
    check_gradients(lambda r: tf.unsorted_segment_mean(r, [1, 0, 1, 1], 3), [rows])


def test_unique_setdiff_partition_stitch():
    y, idx = tf.unique([4, 1, 4, 2, 1])
    counts = tf.unique_with_counts([4, 1, 4, 2, 1])[2]
    parts = tf.dynamic_partition(tf.constant([10.0, 20.0, 30.0, 40.0]), [1, 0, 1, 1], 2)
    stitched = tf.dynamic_stitch([[0, 2], [1]], [tf.constant([1.0, 3.0]), tf.constant([2.0])])
    values = run([y, idx, counts, tf.setdiff1d([1, 2, 3, 4], [2, 4]), parts, stitched])
    np.testing.assert_array_equal(values[0], [4, 1, 2])
    np.testing.assert_array_equal(values[1], [0, 1, 0, 2, 1])
    np.testing.assert_array_equal(values[2], [2, 2, 1])
    np.testing.assert_array_equal(values[3][0], [1, 3])
    np.testing.assert_array_equal(values[3][1], [0, 2])
    np.testing.assert_array_equal(values[4][0], [20.0])
    np.testing.assert_array_equal(values[4][1], [10.0, 30.0, 40.0])
    np.testing.assert_array_equal(values[5], [1.0, 2.0, 3.0])
    check_gradients(lambda d: tf.dynamic_partition(d, [1, 0, 1, 1], 2)[1] * 2.0,
                    [rng.randn(4, 2)])


def test_array_extras_values_and_gradients():
    m = rng.randn(4, 5)
    x = rng.randn(3, 4, 5)
    images = np.arange(32.0).reshape(2, 4, 4, 1)
    values = run({"linspace": tf.linspace(0.0, 1.0, 5), "roll": tf.roll(m, 2, 1),
                  "meshgrid": tf.meshgrid([1, 2, 3], [4, 5]), "repeat": tf.repeat([1, 2], 2),
                  "repeat_each": tf.repeat(m, [1, 0, 2, 1], axis=0),
                  "reverse_sequence": tf.reverse_sequence(x, [1, 2, 4], seq_axis=1,
                                                          batch_axis=0),
                  "batch_gather": tf.batch_gather(m, [[0], [1], [2], [3]]),
                  "scatter": tf.tensor_scatter_nd_update(m, [[0, 0], [1, 1]], [5.0, 6.0]),
                  "s2d": tf.space_to_depth(images, 2),
                  "round_trip": tf.depth_to_space(tf.space_to_depth(images, 2), 2),
                  "sort": tf.sort(m, axis=0), "argsort": tf.argsort(m, direction="DESCENDING"),
                  "searchsorted": tf.searchsorted([[1.0, 3.0, 5.0]], [[2.0, 5.0]], side="right")})
    np.testing.assert_allclose(values["linspace"], np.linspace(0, 1, 5))
    np.testing.assert_allclose(values["roll"], np.roll(m, 2, 1))
    np.testing.assert_array_equal(values["meshgrid"], np.meshgrid([1, 2, 3], [4, 5]))
    np.testing.assert_array_equal(values["repeat"], [1, 1, 2, 2])
    np.testing.assert_allclose(values["repeat_each"], np.repeat(m, [1, 0, 2, 1], axis=0))
    expected = x.copy()
    for b, length in enumerate([1, 2, 4]):
        expected[b, :length] = x[b, :length][::-1]
    np.testing.assert_allclose(values["reverse_sequence"], expected)
    np.testing.assert_allclose(values["batch_gather"], np.diag(m)[:, None])
    assert values["scatter"][0, 0] == 5.0 and values["scatter"][1, 1] == 6.0
    np.testing.assert_allclose(values["s2d"][0, 0, 0], [0.0, 1.0, 4.0, 5.0])
    np.testing.assert_allclose(values["round_trip"], images)
    np.testing.assert_allclose(values["sort"], np.sort(m, axis=0))
    np.testing.assert_array_equal(values["argsort"], np.argsort(-m, axis=-1, kind="stable"))
    np.testing.assert_array_equal(values["searchsorted"], [[1, 3]])
    check_gradients(lambda t: tf.roll(t, [1, -2], [0, 1]), [m])
    check_gradients(lambda t: tf.repeat(t, 3, axis=1), [m])
    check_gradients(lambda t: tf.reverse_sequence(t, [1, 2, 4], 1, 0), [x])
    check_gradients(lambda t: tf.sort(t), [m])
    check_gradients(lambda t, u: tf.tensor_scatter_nd_update(t, [[0, 0], [1, 1]], u),
                    [m, rng.randn(2)])
    check_gradients(lambda t: tf.space_to_depth(t, 2), [rng.randn(1, 4, 4, 2)])


def test_integer_ys_have_no_gradient():
    """TF backpropagates through floating-point tensors only: an integer y gives None."""
    x = tf.constant([1.0, 2.0])
    ints = tf.constant([1, 2])
    assert tf.gradients(tf.shape(x), x) == [None]
    assert tf.gradients(ints * 3, ints) == [None]
