"""The Numba backend's hand-written kernels (numba_kernels.py) against the ops' numpy kernels,
over the geometries TF allows: SAME/VALID/EXPLICIT padding, strides, dilations."""
import numpy as np
import pytest

from graphflow.compiler.codegen import numba_cpu, numba_kernels, numba_step
from graphflow.ops import conv_ops, nn_ops, registry

GEOMETRIES = [
    dict(strides=[1, 1, 1, 1], padding="SAME"),
    dict(strides=[1, 2, 2, 1], padding="SAME"),
    dict(strides=[1, 2, 1, 1], padding="VALID"),
    dict(strides=[1, 1, 1, 1], padding="VALID", dilations=[1, 2, 2, 1]),
    dict(strides=[1, 3, 2, 1], padding="EXPLICIT",
         explicit_paddings=[0, 0, 1, 2, 2, 0, 0, 0]),
]


@pytest.mark.parametrize("geometry", GEOMETRIES, ids=lambda g: "%s-%s" % (
    g["padding"], "".join(map(str, g["strides"]))))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("channels", [numba_kernels.BY_TAP_MAX_CHANNELS,
                                      numba_kernels.BY_TAP_MAX_CHANNELS + 2],
                         ids=["by-tap", "patches"])
def test_convolutions_match_the_numpy_kernels(geometry, dtype, channels):
    check_convolutions(geometry, dtype, channels, batch=2)


@pytest.mark.parametrize("chunk_rows", [1, 3, 100], ids=lambda r: "%d-rows" % r)
@pytest.mark.parametrize("batch", [1, 3])
@pytest.mark.parametrize("geometry", GEOMETRIES[1:], ids=lambda g: "%s-%s" % (
    g["padding"], "".join(map(str, g["strides"]))))
@pytest.mark.parametrize("channels", [numba_kernels.BY_TAP_MAX_CHANNELS,
                                      numba_kernels.BY_TAP_MAX_CHANNELS + 2],
                         ids=["by-tap", "patches"])
def test_chunks_ending_inside_and_between_images(monkeypatch, geometry, batch, chunk_rows,
                                                 channels):
    """The patch matrix is unfolded a chunk of output rows at a time: one row, chunks that end
    inside an image and do not divide the batch, all rows in one chunk."""
    ow = numba_kernels._conv_geometry((batch, 7, 8, channels), (3, 2, channels, 4),
                                      geometry["strides"], geometry["padding"],
                                      geometry.get("dilations", [1, 1, 1, 1]),
                                      geometry.get("explicit_paddings", ()))[1]
    monkeypatch.setattr(numba_kernels, "CHUNK_BYTES", chunk_rows * ow * 3 * 2 * channels * 8)
    check_convolutions(geometry, np.float64, channels, batch)


@pytest.mark.parametrize("channels", [numba_kernels.BY_TAP_MAX_CHANNELS,
                                      numba_kernels.BY_TAP_MAX_CHANNELS + 2],
                         ids=["by-tap", "patches"])
def test_taps_that_only_read_padding(channels):
    """A dilated filter as wide as the padded input: one output column, and taps whose every
    input column is padding, left or right."""
    check_convolutions(dict(strides=[1, 1, 1, 1], padding="EXPLICIT", dilations=[1, 1, 9, 1],
                            explicit_paddings=[0, 0, 1, 1, 2, 0, 0, 0]), np.float64, channels,
                       batch=2)


def check_convolutions(geometry, dtype, channels, batch):
    rng = np.random.RandomState(0)
    x = rng.randn(batch, 7, 8, channels).astype(dtype)
    w = rng.randn(3, 2, channels, 4).astype(dtype)
    tolerance = 1e-5 if dtype == np.float32 else 1e-12
    forward = numba_kernels.KERNELS["Conv2D"](x, w, **geometry)
    expected = conv_ops._conv2d_ref(x, w, **geometry)
    assert forward.shape == expected.shape and forward.dtype == expected.dtype
    np.testing.assert_allclose(forward, expected, rtol=tolerance, atol=tolerance)
    g = rng.randn(*expected.shape).astype(dtype)
    for name, args, reference in [
            ("Conv2DBackpropFilter", (x, np.array(w.shape), g),
             conv_ops._conv2d_backprop_filter_ref),
            ("Conv2DBackpropInput", (np.array(x.shape), w, g),
             conv_ops._conv2d_backprop_input_ref)]:
        ours, theirs = numba_kernels.KERNELS[name](*args, **geometry), reference(*args, **geometry)
        assert ours.shape == theirs.shape and ours.dtype == theirs.dtype, name
        np.testing.assert_allclose(ours, theirs, rtol=tolerance, atol=tolerance, err_msg=name)


@pytest.mark.parametrize("padding,strides,ksize", [("SAME", 2, 2), ("VALID", 2, 3),
                                                   ("SAME", 1, 3), ("VALID", 3, 2)])
def test_max_pooling_matches_including_ties(padding, strides, ksize):
    rng = np.random.RandomState(1)
    x = rng.randint(0, 3, size=(2, 7, 6, 3)).astype(np.float32)  # many ties
    attrs = dict(ksize=[1, ksize, ksize, 1], strides=[1, strides, strides, 1], padding=padding)
    out = numba_kernels.KERNELS["MaxPool"](x, **attrs)
    np.testing.assert_array_equal(out, conv_ops._max_pool_ref(x, **attrs))
    g = rng.randn(*out.shape).astype(np.float32)
    np.testing.assert_allclose(numba_kernels.KERNELS["MaxPoolGrad"](x, out, g, **attrs),
                               conv_ops._max_pool_grad_ref(x, out, g, **attrs), rtol=1e-6,
                               atol=1e-6)  # overlapping windows sum in another order


@pytest.mark.parametrize("op", ["Sum", "Mean"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape,axes", [
    ((50, 4, 3), [0]), ((50, 4, 3), [0, 1]), ((50, 4, 3), [-3, 1]), ((7, 1), [0]),
    ((0, 3), [0]), ((4, 5), [1]), ((4, 5, 2), [0, 2]), ((4, 5), [0, 1])])
@pytest.mark.parametrize("keep_dims", [False, True])
def test_reductions_over_leading_axes_match_the_numpy_kernels(op, dtype, shape, axes,
                                                              keep_dims):
    """Leading axes take the column-sum loop; trailing, interleaved, full and empty reductions
    keep numpy's kernel. Either way the results agree with the numpy kernel."""
    x = np.random.RandomState(3).randn(*shape).astype(dtype)
    ours = numba_kernels.KERNELS[op](x, np.array(axes, np.int32), keep_dims=keep_dims)
    theirs = registry.REGISTRY[op].ref(x, np.array(axes, np.int32), keep_dims=keep_dims)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_a_leading_sum_accumulates_in_float64():
    """2**24 and then eight ones: a float32 running sum rounds each 2**24 + 1 back to 2**24,
    the float64 accumulator counts them all."""
    x = np.ones((9, 1), np.float32)
    x[0] = 1 << 24
    total = numba_kernels.KERNELS["Sum"](x, np.array([0]))
    assert total.dtype == np.float32 and total[0] == np.float32((1 << 24) + 8)


@pytest.mark.parametrize("padding,shape", [("SAME", (2, 8, 6, 3)), ("VALID", (2, 7, 5, 3)),
                                           ("VALID", (1, 2, 2, 1))])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_two_by_two_pooling_matches(padding, shape, dtype):
    """2x2 windows at stride 2 inside the input take _max_pool_2x2 (odd sizes under VALID
    leave the last row or column out); the gradient is the general kernel's either way."""
    x = np.random.RandomState(4).randint(0, 3, size=shape).astype(dtype)
    attrs = dict(ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding=padding)
    out = numba_kernels.KERNELS["MaxPool"](x, **attrs)
    assert numba_kernels._windows_2x2(attrs["ksize"], attrs["strides"], 0, 0, shape,
                                      out.shape[1], out.shape[2])
    np.testing.assert_array_equal(out, conv_ops._max_pool_ref(x, **attrs))
    g = np.random.RandomState(5).randn(*out.shape).astype(dtype)
    np.testing.assert_array_equal(numba_kernels.KERNELS["MaxPoolGrad"](x, out, g, **attrs),
                                  conv_ops._max_pool_grad_ref(x, out, g, **attrs))


def test_other_dtypes_keep_the_numpy_kernel():
    x = np.arange(2 * 4 * 4 * 1, dtype=np.float16).reshape(2, 4, 4, 1)
    attrs = dict(ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")
    out = numba_kernels.KERNELS["MaxPool"](x, **attrs)
    assert out.dtype == np.float16
    np.testing.assert_array_equal(out, conv_ops._max_pool_ref(x, **attrs))


def test_every_op_has_an_answer_for_how_the_numba_backend_runs_it():
    """Elementwise ops are generated, the hand-written kernels cover convolution and max
    pooling, and every other op names its numpy kernel explicitly (BLAS products, numpy's
    vectorized reductions): a record without a kernel fails here, not in a user's run."""
    sources = {name: numba_cpu.kernel_source(op_def)
               for name, op_def in registry.REGISTRY.items()}
    assert {sources[n] for n in numba_kernels.KERNELS} == {"numba"}
    assert sources["Tanh"] == "generated" and sources["MatMul"] == "numpy"
    for name, op_def in registry.REGISTRY.items():
        assert callable(op_def.ref), name
        if sources[name] == "generated":
            assert isinstance(op_def.scalar, str), name


@pytest.mark.parametrize("channels", [numba_kernels.BY_TAP_MAX_CHANNELS,
                                      numba_kernels.BY_TAP_MAX_CHANNELS + 2],
                         ids=["by-tap", "patches"])
def test_an_empty_batch(channels):
    check_convolutions(GEOMETRIES[0], np.float32, channels, batch=0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(6, 5), (2, 3, 4), (1, 1)])
def test_softmax_cross_entropy_matches_the_numpy_kernel(dtype, shape):
    rng = np.random.RandomState(2)
    logits = (rng.randn(*shape) * 30).astype(dtype)  # large logits: the max shift matters
    logits.flat[0] = np.inf if logits.size > 2 else logits.flat[0]
    labels = rng.dirichlet(np.ones(shape[-1]), shape[:-1]).astype(dtype)
    loss, backprop = numba_step.KERNELS["SoftmaxCrossEntropyWithLogits"](logits, labels)
    with np.errstate(all="ignore"):  # the inf logit makes its row NaN, in both kernels
        expected = nn_ops._xent_ref(logits, labels)
    for ours, theirs in zip((loss, backprop), expected):
        assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)
    # transposed (non-contiguous) logits and other dtypes take the same or the numpy path
    loss_t, _ = numba_step.KERNELS["SoftmaxCrossEntropyWithLogits"](
        np.ascontiguousarray(logits.T).T, labels)
    np.testing.assert_array_equal(loss_t, loss)
    with np.errstate(all="ignore"):
        half = numba_step.KERNELS["SoftmaxCrossEntropyWithLogits"](
            logits.astype(np.float16), labels.astype(np.float16))
    assert half[0].dtype == np.float16
