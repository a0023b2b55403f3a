"""tf.image resizing, LRN, separable/atrous convolution and the sparse ops: reference values
against hand-computed numpy, and symbolic gradients against central differences."""
import numpy as np
import pytest

import graphflow as tf
from graphflow.ops import image_ops, sparse_ops
from tests.ops.gradcheck import check_gradients


def run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


# -- resizing -------------------------------------------------------------------------------------
def test_bilinear_legacy_coordinates_and_align_corners():
    image = np.arange(3, dtype=np.float32).reshape(1, 1, 3, 1)
    legacy = image_ops._resize_bilinear_ref(image, [1, 6])
    # source x = i * 3/6: 0, .5, 1, 1.5, 2, 2.5 (clamped to the last pixel)
    np.testing.assert_allclose(legacy.ravel(), [0, 0.5, 1, 1.5, 2, 2])
    aligned = image_ops._resize_bilinear_ref(image, [1, 5], align_corners=True)
    np.testing.assert_allclose(aligned.ravel(), [0, 0.5, 1, 1.5, 2])
    half = image_ops._resize_bilinear_ref(image, [1, 6], half_pixel_centers=True)
    np.testing.assert_allclose(half.ravel(), [0, 0.25, 0.75, 1.25, 1.75, 2])


def test_nearest_picks_floor_or_rounded_sources():
    image = np.arange(4, dtype=np.int32).reshape(1, 1, 4, 1)
    np.testing.assert_array_equal(image_ops._resize_nearest_ref(image, [1, 3]).ravel(), [0, 1, 2])
    np.testing.assert_array_equal(
        image_ops._resize_nearest_ref(image, [1, 3], align_corners=True).ravel(), [0, 2, 3])
    assert image_ops._resize_nearest_ref(image, [1, 3]).dtype == np.int32


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("size", [(5, 7), (2, 3)])
def test_resize_gradients(align_corners, size):
    image = np.random.RandomState(0).rand(2, 3, 4, 2)
    check_gradients(lambda x: tf.image.resize_bilinear(x, size, align_corners=align_corners),
                    [image], delta=1e-2, rtol=1e-3, atol=1e-4)
    check_gradients(lambda x: tf.image.resize_nearest_neighbor(
        x, size, align_corners=align_corners), [image], delta=1e-3, rtol=1e-5, atol=1e-6)


def test_resize_images_shapes_names_and_skip():
    images = tf.placeholder(tf.float32, [None, 4, 6, 3])
    same = tf.image.resize_images(images, [4, 6])
    assert same is images
    single = tf.image.resize_images(tf.zeros([4, 6, 3]), [2, 3],
                                    method=tf.image.ResizeMethod.NEAREST_NEIGHBOR)
    assert str(single.shape) == "(2, 3, 3)" and single.name.endswith("Squeeze:0")
    grad = tf.gradients(tf.image.resize_nearest_neighbor(images, [8, 9]), images)[0]
    assert str(grad.shape) == "(?, 4, 6, 3)"  # the size comes from tf.shape(x)[1:3]


def test_crop_pad_and_standardize():
    values = np.random.RandomState(1).rand(4, 6, 3).astype(np.float32)
    image = tf.constant(values)
    crop_or_pad = tf.image.resize_image_with_crop_or_pad(image, 3, 8)
    central = tf.image.central_crop(image, 0.5)
    standardized = tf.image.per_image_standardization(image)
    got = run([crop_or_pad, central, standardized])
    expected = np.zeros((3, 8, 3), np.float32)
    expected[:, 1:7] = values[0:3]
    np.testing.assert_allclose(got[0], expected)
    np.testing.assert_allclose(got[1], values[1:3, 1:5])
    np.testing.assert_allclose(got[2], (values - values.mean()) / values.std(), rtol=1e-4,
                               atol=1e-5)
    with pytest.raises(ValueError):
        tf.image.crop_to_bounding_box(image, 2, 0, 3, 6)


def test_rot90_and_convert_image_dtype():
    values = np.arange(6, dtype=np.float32).reshape(2, 3, 1)
    rotated = run(tf.image.rot90(tf.constant(values)))
    np.testing.assert_array_equal(rotated[..., 0], np.rot90(values[..., 0]))
    as_uint8 = run(tf.image.convert_image_dtype(tf.constant([0.0, 0.5, 1.0]), tf.uint8))
    np.testing.assert_array_equal(as_uint8, [0, 127, 255])


# -- local response normalization and convolutions ------------------------------------------------
def test_lrn_values_and_gradient():
    x = np.random.RandomState(2).randn(1, 2, 2, 5)
    radius, bias, alpha, beta = 1, 2.0, 0.5, 0.75
    squares = np.pad(x ** 2, [(0, 0)] * 3 + [(radius, radius)])
    window = sum(squares[..., i:i + 5] for i in range(2 * radius + 1))
    np.testing.assert_allclose(image_ops._lrn_ref(x, depth_radius=radius, bias=bias,
                                                  alpha=alpha, beta=beta),
                               x / (bias + alpha * window) ** beta)
    check_gradients(lambda t: tf.nn.lrn(t, radius, bias, alpha, beta), [x])


def test_separable_and_atrous_gradients():
    rng = np.random.RandomState(3)
    check_gradients(lambda x, d, p: tf.nn.separable_conv2d(x, d, p, [1, 2, 2, 1], "SAME"),
                    [rng.randn(1, 5, 4, 2), rng.randn(3, 3, 2, 2), rng.randn(1, 1, 4, 3)],
                    rtol=1e-4)
    check_gradients(lambda x, f: tf.nn.atrous_conv2d(x, f, 2, "SAME"),
                    [rng.randn(1, 6, 5, 2), rng.randn(2, 2, 2, 3)], rtol=1e-4)


def test_separable_conv2d_layer_variables():
    out = tf.layers.separable_conv2d(tf.zeros([1, 5, 5, 3]), 4, 3, depth_multiplier=2)
    assert [v.name for v in tf.trainable_variables()] == [
        "separable_conv2d/depthwise_kernel:0", "separable_conv2d/pointwise_kernel:0",
        "separable_conv2d/bias:0"]
    assert str(out.shape) == "(1, 3, 3, 4)"


# -- sparse ---------------------------------------------------------------------------------------
INDICES = [[0, 1], [1, 0], [1, 3], [2, 2]]


def test_sparse_to_dense_matmul_reduce_and_add_values():
    sp = tf.SparseTensor(INDICES, [1.0, 2.0, 3.0, 4.0], [3, 4])
    dense = np.zeros((3, 4), np.float32)
    dense[tuple(np.array(INDICES).T)] = [1, 2, 3, 4]
    b = np.arange(8, dtype=np.float32).reshape(4, 2)
    got = run([tf.sparse.to_dense(sp), tf.sparse_tensor_dense_matmul(sp, b),
               tf.sparse.sparse_dense_matmul(sp, b.T[:, :3], adjoint_a=True, adjoint_b=True),
               tf.sparse.reduce_sum(sp, axis=0), tf.sparse.add(sp, tf.ones([3, 4]))])
    np.testing.assert_allclose(got[0], dense)
    np.testing.assert_allclose(got[1], dense @ b)
    np.testing.assert_allclose(got[2], dense.T @ b[:3])
    np.testing.assert_allclose(got[3], dense.sum(0))
    np.testing.assert_allclose(got[4], dense + 1)


def test_sparse_gradients():
    rng = np.random.RandomState(4)

    def build(values, b):
        sp = tf.SparseTensor(INDICES, values, [3, 4])
        return tf.concat([tf.reshape(tf.sparse_tensor_dense_matmul(sp, b), [-1]),
                          tf.reshape(tf.sparse_tensor_dense_matmul(sp, tf.transpose(b)[:, :3],
                                                                   adjoint_a=True,
                                                                   adjoint_b=True), [-1]),
                          tf.reshape(tf.sparse.to_dense(sp, default_value=0.5), [-1]),
                          tf.sparse.reduce_sum(sp, axis=1),
                          tf.reshape(tf.sparse.add(sp, b[:3, :1] * tf.ones([3, 4], tf.float64)), [-1])], 0)
    check_gradients(build, [rng.randn(4), rng.randn(4, 2)])


def test_sparse_tensor_fetch_feed_and_eval():
    sp = tf.SparseTensor(INDICES, [1.0, 2.0, 3.0, 4.0], [3, 4])
    assert str(sp.shape) == "(3, 4)" and sp.indices.dtype == tf.int64
    ph = tf.sparse_placeholder(tf.float32, name="sp")
    assert ph.values.name == "sp/values:0" and ph.dense_shape.name == "sp/shape:0"
    with tf.Session() as sess:
        value = sess.run(sp)
        assert isinstance(value, tf.SparseTensorValue)
        np.testing.assert_array_equal(value.indices, INDICES)
        assert isinstance(sp.eval(session=sess), tf.SparseTensorValue)
        fed = sess.run(tf.sparse.to_dense(ph), {ph: ([[1, 1]], [5.0], [2, 2])})
        np.testing.assert_array_equal(fed, [[0, 0], [0, 5]])
        again = sess.run(tf.sparse.to_dense(ph), {ph: value})
        np.testing.assert_array_equal(again[1], [2, 0, 0, 3])
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(tf.sparse.to_dense(ph), {ph: ([[1, 0], [0, 0]], [1.0, 2.0], [2, 2])})


def test_sparse_reference_rejects_out_of_bounds():
    with pytest.raises(ValueError):
        sparse_ops._sparse_to_dense_ref(np.array([[0, 4]]), np.array([2, 2]),
                                        np.array([1.0]), np.array(0.0))


def test_shape_of_a_strided_slice_of_a_shape_and_tensordot_static_dims():
    x = tf.placeholder(tf.float32, [None, 4, 6, 3])
    assert str(tf.zeros(tf.shape(x)[1:3]).shape) == "(4, 6)"
    assert str(tf.tensordot(x, [1.0, 2.0, 3.0], [-1, -1]).shape) == "(?, 4, 6)"
