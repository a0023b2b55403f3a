"""Hand-written Numba kernels the Numba backend uses instead of an op's numpy kernel where numpy
has no single fast call: convolution (im2col and col2im loops around BLAS products), max
pooling (one pass over the windows, forward and backward) and sums over leading axes (a bias
gradient: numpy reduces a (50176, 32) array along axis 0 row by row at a quarter of memory
speed).

Each kernel takes the op's inputs and attrs exactly as its reference kernel does, and returns
the same values (up to float rounding in the products); tests/compiler/test_numba_kernels.py
holds them to that. The geometry (padding, output sizes) comes from ops/conv_ops.py, so both
backends agree on TF's SAME/VALID/EXPLICIT arithmetic by construction.

The numpy kernels view patches through ``as_strided`` and let ``tensordot`` copy them into a
matrix in the order it likes; here ``_im2col`` writes the matrix in the order the BLAS product
reads it, skipping the padded border instead of materializing a padded input. It unfolds a
chunk of output rows at a time into one reused buffer of about ``CHUNK_BYTES``, so the patch
matrix is written and read while it is still in cache instead of making a round trip through
memory (a whole one is tens of MB); the products write into slices of the result.
"""
import math

import numba
import numpy as np

from ...ops import conv_ops
from ...ops import math as math_ops

# Well inside the last-level cache: larger chunks spill the patch matrix to memory between
# unfolding and the product. Smaller ones (down to the L2 size) were no faster, and each chunk
# is a BLAS call, whose threads must all be scheduled: on a loaded machine every call waited.
CHUNK_BYTES = 4 << 20
# Up to this many input channels the patch matrix is unfolded tap by tap (_im2col_by_tap), a
# column at a time: with one channel and stride 1 each column is runs of whole input rows, an
# unfolding as fast as a plain copy, where _im2col writes 5-element runs (5x5x1, a CNN's first
# layer: 0.55 ms against 4.5 ms). At 3 channels a tap's entries are 3 apart in the input and
# both layouts took the same time, unfolding and products together.
BY_TAP_MAX_CHANNELS = 1


@numba.njit(cache=True, nogil=True, parallel=True)
def _im2col(x, kh, kw, sh, sw, dh, dw, top, left, oh, ow, first_row, cols):
    """For the output rows r = n*OH + i from first_row on, as many as cols holds:
    cols[(r - first_row)*OW + j, (a*KW + b)*C + c] = x[n, i*sh + a*dh - top, j*sw + b*dw - left, c]
    (zero outside the input)."""
    _, height, width, channels = x.shape
    for r in numba.prange(cols.shape[0] // ow):
        n, i = (first_row + r) // oh, (first_row + r) % oh
        for j in range(ow):
            row = r * ow + j
            for a in range(kh):
                y = i * sh + a * dh - top
                for b in range(kw):
                    xx = j * sw + b * dw - left
                    base = (a * kw + b) * channels
                    if 0 <= y < height and 0 <= xx < width:
                        for c in range(channels):
                            cols[row, base + c] = x[n, y, xx, c]
                    else:
                        for c in range(channels):
                            cols[row, base + c] = 0


@numba.njit(cache=True, nogil=True, parallel=True)
def _im2col_by_tap(x, kh, kw, sh, sw, dh, dw, top, left, oh, ow, first_row, n_threads,
                   cols_t):
    """The transpose of _im2col's matrix: for the output rows r = n*OH + i from first_row on,
    cols_t[(a*KW + b)*C + c, (r - first_row)*OW + j] =
    x[n, i*sh + a*dh - top, j*sw + b*dw - left, c] (zero outside the input). A thread owns a
    tap and a share of the rows, so it writes one sequential stream; n_threads shares keep
    every thread busy even for one tap (passed in: calling numba.get_num_threads() here would
    keep the kernel out of the cache).

    Indices into the rows are unsigned because Numba wraps negative signed ones around, a
    branch per element that kept LLVM from vectorizing the copies (3x slower); the loops are
    plain ones because slice assignments cost more than copying a row (2x slower in all)."""
    _, height, width, channels = x.shape
    flat = x.reshape(-1)
    n_taps, n_cols = cols_t.shape
    n_rows = n_cols // ow
    n_shares = min(n_rows, n_threads)
    step = np.uint64(sw * channels)
    for p in numba.prange(n_taps * n_shares):
        tap, share = p // n_shares, p % n_shares
        a, b, c = tap // (kw * channels), tap // channels % kw, tap % channels
        column = cols_t[tap]
        j_first, j_end = _inside(b * dw - left, sw, width, ow)
        run_length = np.uint64(j_end - j_first)
        r_first = share * n_rows // n_shares
        n, i = (first_row + r_first) // oh, (first_row + r_first) % oh
        for r in range(r_first, (share + 1) * n_rows // n_shares):
            y = i * sh + a * dh - top
            start = np.uint64(r * ow)
            if 0 <= y < height:
                for j in range(np.uint64(j_first)):
                    column[start + j] = 0
                source = np.uint64(((n * height + y) * width + j_first * sw + b * dw - left) *
                                   channels + c)
                run = start + np.uint64(j_first)
                if step == 1:  # a contiguous copy
                    for k in range(run_length):
                        column[run + k] = flat[source + k]
                else:
                    for k in range(run_length):
                        column[run + k] = flat[source + k * step]
                for j in range(np.uint64(j_end), np.uint64(ow)):
                    column[start + j] = 0
            else:
                for j in range(np.uint64(ow)):
                    column[start + j] = 0
            i += 1
            if i == oh:
                n, i = n + 1, 0


@numba.njit(cache=True, nogil=True, parallel=True)
def _col2im(cols, kh, kw, sh, sw, dh, dw, top, left, oh, ow, first_row, out):
    """The adjoint of _im2col over the same rows: out[n, y, x, c] += every entry of cols that
    read x[n, y, x, c]. Each thread owns whole input rows (n, y) and gathers what falls on
    them, so a chunk that ends inside an image still runs in parallel without conflicts."""
    _, height, width, channels = out.shape
    end_row = first_row + cols.shape[0] // ow
    first_image = first_row // oh
    for p in numba.prange(((end_row - 1) // oh - first_image + 1) * height):
        n = first_image + p // height
        y = p % height
        for a in range(kh):
            t = y + top - a * dh
            if t < 0 or t % sh:
                continue
            r = n * oh + t // sh
            if t // sh >= oh or r < first_row or r >= end_row:
                continue
            row = (r - first_row) * ow
            for b in range(kw):
                base = (a * kw + b) * channels
                for j in range(ow):
                    xx = j * sw + b * dw - left
                    if 0 <= xx < width:
                        for c in range(channels):
                            out[n, y, xx, c] += cols[row + j, base + c]


@numba.njit(cache=True, nogil=True)
def _inside(offset, stride, width, ow):
    """The output columns j (first, end) whose input column j*stride + offset is inside
    0..width-1; first <= end <= ow."""
    first = min(ow, max(0, (-offset + stride - 1) // stride))
    return first, max(first, min(ow, (width - 1 - offset) // stride + 1))


def _conv_geometry(in_shape, f_shape, strides, padding, dilations, explicit_paddings):
    (oh, top, _), (ow, left, _) = conv_ops._conv_geometry(
        in_shape, f_shape, strides, padding, dilations, explicit_paddings)
    return oh, ow, top, left


def _chunks(n_images, f_shape, channels, geometry, itemsize):
    """(first, end) output rows of each chunk, and the patch matrix rows a chunk needs."""
    oh, ow = geometry[0], geometry[1]
    n_rows = n_images * oh if ow else 0
    row_bytes = max(1, ow * f_shape[0] * f_shape[1] * channels * itemsize)
    step = max(1, min(n_rows, CHUNK_BYTES // row_bytes))
    return [(r, min(r + step, n_rows)) for r in range(0, n_rows, step)], step * ow


def _unfolded(x, f_shape, strides, dilations, geometry):
    """Yields (first, end, cols): the patch matrix of output rows first..end-1, in a buffer
    reused from chunk to chunk; column-major (a transposed view) when unfolded by tap, which
    BLAS reads as fast."""
    oh, ow, top, left = geometry
    chunks, max_rows = _chunks(x.shape[0], f_shape, x.shape[3], geometry, x.itemsize)
    n_taps = f_shape[0] * f_shape[1] * x.shape[3]
    buffer = np.empty(max_rows * n_taps, x.dtype)
    for first, end in chunks:
        n_cols = (end - first) * ow
        args = (x, f_shape[0], f_shape[1], strides[1], strides[2], dilations[1], dilations[2],
                top, left, oh, ow, first)
        if x.shape[3] <= BY_TAP_MAX_CHANNELS:
            cols_t = buffer[:n_cols * n_taps].reshape(n_taps, n_cols)
            _im2col_by_tap(*args, numba.get_num_threads(), cols_t)
            yield first, end, cols_t.T
        else:
            cols = buffer[:n_cols * n_taps].reshape(n_cols, n_taps)
            _im2col(*args, cols)
            yield first, end, cols


def conv2d(input, filter, *, strides, padding, use_cudnn_on_gpu=True, explicit_paddings=(),
           data_format="NHWC", dilations=(1, 1, 1, 1)):
    geometry = _conv_geometry(input.shape, filter.shape, strides, padding, dilations,
                              explicit_paddings)
    oh, ow, top, left = geometry
    x = np.ascontiguousarray(input)
    w = np.ascontiguousarray(filter, x.dtype)
    out = np.empty((x.shape[0], oh, ow, w.shape[3]), x.dtype)
    rows, w = out.reshape(-1, w.shape[3]), w.reshape(-1, w.shape[3])
    for first, end, cols in _unfolded(x, filter.shape, strides, dilations, geometry):
        np.matmul(cols, w, out=rows[first * ow:end * ow])
    return out


def conv2d_backprop_filter(input, filter_sizes, out_backprop, *, strides, padding,
                           use_cudnn_on_gpu=True, explicit_paddings=(), data_format="NHWC",
                           dilations=(1, 1, 1, 1)):
    f_shape = conv_ops._size4(filter_sizes, "filter_sizes")
    geometry = _conv_geometry(input.shape, f_shape, strides, padding, dilations,
                              explicit_paddings)
    oh, ow, top, left = geometry
    conv_ops._check_out_backprop("Conv2DBackpropFilter", out_backprop, [(oh,), (ow,)])
    x = np.ascontiguousarray(input)
    grad = np.ascontiguousarray(out_backprop, x.dtype)
    grad = grad.reshape(-1, f_shape[3])
    total = np.zeros((f_shape[0] * f_shape[1] * f_shape[2], f_shape[3]), x.dtype)
    part = np.empty_like(total)
    for first, end, cols in _unfolded(x, f_shape, strides, dilations, geometry):
        total += np.matmul(cols.T, grad[first * ow:end * ow], out=part)
    return total.reshape(f_shape)


def conv2d_backprop_input(input_sizes, filter, out_backprop, *, strides, padding,
                          use_cudnn_on_gpu=True, explicit_paddings=(), data_format="NHWC",
                          dilations=(1, 1, 1, 1)):
    in_shape = conv_ops._size4(input_sizes, "input_sizes")
    geometry = _conv_geometry(in_shape, filter.shape, strides, padding, dilations,
                              explicit_paddings)
    oh, ow, top, left = geometry
    conv_ops._check_out_backprop("Conv2DBackpropInput", out_backprop, [(oh,), (ow,)])
    grad = np.ascontiguousarray(out_backprop).reshape(-1, filter.shape[3])
    w_t = np.ascontiguousarray(filter, grad.dtype).reshape(-1, filter.shape[3]).T
    out = np.zeros(in_shape, grad.dtype)
    chunks, max_rows = _chunks(in_shape[0], filter.shape, in_shape[3], geometry, grad.itemsize)
    buffer = np.empty((max_rows, w_t.shape[1]), grad.dtype)
    for first, end in chunks:
        cols = np.matmul(grad[first * ow:end * ow], w_t, out=buffer[:(end - first) * ow])
        _col2im(cols, filter.shape[0], filter.shape[1], strides[1], strides[2], dilations[1],
                dilations[2], top, left, oh, ow, first, out)
    return out


@numba.njit(cache=True, nogil=True, parallel=True)
def _max_pool(x, kh, kw, sh, sw, top, left, oh, ow, out):
    """Channels innermost, so the comparisons run as vector operations."""
    n_images, height, width, channels = x.shape
    for n in numba.prange(n_images):
        for i in range(oh):
            for j in range(ow):
                best = out[n, i, j]
                best[:] = -np.inf
                for a in range(kh):
                    y = i * sh + a - top
                    if y < 0 or y >= height:
                        continue
                    for b in range(kw):
                        xx = j * sw + b - left
                        if xx < 0 or xx >= width:
                            continue
                        row = x[n, y, xx]
                        for c in range(channels):
                            best[c] = max(best[c], row[c])


@numba.njit(cache=True, nogil=True, parallel=True)
def _max_pool_grad(x, grad, kh, kw, sh, sw, top, left, positive_only, out):
    """Each output's gradient goes to the first maximum of its window in row-major order
    (TF's tie rule, as the numpy kernel's argmax): a strictly greater value replaces the
    winner, so the first of equal values stays. A thread owns whole images, so windows that
    overlap add into the same element without conflicts, and it zeroes its image's gradient
    right before adding into it, while that is in cache.

    With ``positive_only`` a winner that is not positive receives nothing: ReluGrad(that
    gradient, x) when x is the ReLU's output that was pooled, computed from the values this
    loop reads anyway instead of in a second pass over three arrays of the input's size."""
    n_images, height, width, channels = x.shape
    _, oh, ow, _ = grad.shape
    for n in numba.prange(n_images):
        image = out[n].reshape(height * width * channels)
        image[:] = 0
        best = np.empty(channels, x.dtype)
        where = np.empty(channels, np.int64)  # the winner's flat index in image
        for i in range(oh):
            for j in range(ow):
                empty = True
                for a in range(kh):
                    y = i * sh + a - top
                    if y < 0 or y >= height:
                        continue
                    for b in range(kw):
                        xx = j * sw + b - left
                        if xx < 0 or xx >= width:
                            continue
                        row = x[n, y, xx]
                        base = (y * width + xx) * channels
                        if empty:
                            best[:] = row
                            for c in range(channels):
                                where[c] = base + c
                            empty = False
                        else:
                            for c in range(channels):  # selects, not branches: vectorized
                                greater = row[c] > best[c]
                                best[c] = row[c] if greater else best[c]
                                where[c] = base + c if greater else where[c]
                if not empty:
                    g = grad[n, i, j]
                    for c in range(channels):
                        if not positive_only or best[c] > 0:
                            image[where[c]] += g[c]


@numba.njit(cache=True, nogil=True, parallel=True)
def _max_pool_2x2(x, out):
    """_max_pool for 2x2 windows at stride 2 that start at the origin (VALID, or SAME on even
    sizes: the pooling of nearly every CNN), with the channel loop innermost and no window
    bookkeeping, so it runs as vector maxima at memory speed: 0.31 ms against 1.20 ms on one
    thread for a (64, 28, 28, 32) input. (The same for the gradient was slower than
    _max_pool_grad's scatter: its selects between four outputs compiled to branches.)"""
    n_images, oh, ow, channels = out.shape
    for n in numba.prange(n_images):
        for i in range(oh):
            top, bottom = x[n, 2 * i], x[n, 2 * i + 1]
            for j in range(ow):
                result = out[n, i, j]
                for c in range(channels):
                    result[c] = max(max(top[2 * j, c], top[2 * j + 1, c]),
                                    max(bottom[2 * j, c], bottom[2 * j + 1, c]))


def _windows_2x2(ksize, strides, top, left, in_shape, oh, ow):
    """Whether the pooling is _max_pool_2x2's: 2x2 windows at stride 2, all inside."""
    return (tuple(ksize[1:3]) == (2, 2) and tuple(strides[1:3]) == (2, 2) and top == 0 and
            left == 0 and 2 * oh <= in_shape[1] and 2 * ow <= in_shape[2])


def _pool_geometry(shape, ksize, strides, padding, explicit_paddings):
    (oh, top, _), (ow, left, _) = conv_ops._pool_geometry(shape, ksize, strides, padding,
                                                          explicit_paddings)
    return oh, ow, top, left


def max_pool(input, *, ksize, strides, padding, explicit_paddings=(), data_format="NHWC"):
    oh, ow, top, left = _pool_geometry(input.shape, ksize, strides, padding, explicit_paddings)
    out = np.empty((input.shape[0], oh, ow, input.shape[3]), input.dtype)
    if _windows_2x2(ksize, strides, top, left, input.shape, oh, ow):
        _max_pool_2x2(np.ascontiguousarray(input), out)
    else:
        _max_pool(np.ascontiguousarray(input), ksize[1], ksize[2], strides[1], strides[2],
                  top, left, oh, ow, out)
    return out


def max_pool_grad(orig_input, orig_output, grad, *, ksize, strides, padding,
                  explicit_paddings=(), data_format="NHWC", positive_only=False):
    _, _, top, left = _pool_geometry(orig_input.shape, ksize, strides, padding,
                                     explicit_paddings)
    out = np.empty(orig_input.shape, grad.dtype)
    _max_pool_grad(np.ascontiguousarray(orig_input), np.ascontiguousarray(grad), ksize[1],
                   ksize[2], strides[1], strides[2], top, left, positive_only, out)
    return out


def relu_grad_of_max_pool_grad(orig_input, orig_output, grad, **attrs):
    """ReluGrad(MaxPoolGrad(x, y, grad), x) in one pass (see _max_pool_grad): the backward
    pass of relu followed by max pooling. float32/float64 only, as the fused node that calls
    it checks."""
    return max_pool_grad(orig_input, orig_output, grad, positive_only=True, **attrs)


@numba.njit(cache=True, nogil=True)
def _column_sums(x, out):
    """out[j] = the sum over i of x[i, j], accumulated in float64: rows stream through once
    and the accumulators stay in cache, where numpy adds a row at a time into the result."""
    rows, cols = x.shape
    totals = np.zeros(cols, np.float64)
    for i in range(rows):
        row = x[i]
        for j in range(cols):
            totals[j] += row[j]
    for j in range(cols):
        out[j] = totals[j]


def _leading_reduction(reference, mean):
    """Sum or Mean over the leading axes of a float array (the shape of a bias gradient or of
    batch norm's moments) by ``_column_sums``; every other reduction keeps the numpy kernel."""
    def run(input, reduction_indices, *, keep_dims=False):
        if isinstance(input, np.ndarray) and input.dtype in (np.float32, np.float64) and \
                input.ndim >= 2 and input.size:
            axes = sorted(math_ops._kernel_axes(reduction_indices, input.ndim))
            count = len(axes)
            if 0 < count < input.ndim and axes == list(range(count)):
                rows = math.prod(input.shape[:count])
                out = np.empty(input.shape[count:], input.dtype)
                _column_sums(np.ascontiguousarray(input).reshape(rows, out.size),
                             out.reshape(-1))
                if mean:
                    out /= input.dtype.type(rows)
                return out.reshape((1,) * count + out.shape) if keep_dims else out
        return reference(input, reduction_indices, keep_dims=keep_dims)
    run.__name__ = reference.__name__
    return run


def _float_only(kernel, reference):
    """Numba compiles these loops for float32 and float64; other dtypes (half, integers) keep
    the numpy kernel."""
    def run(*args, **attrs):
        if all(getattr(a, "dtype", np.float32) in (np.float32, np.float64) for a in args
               if isinstance(a, np.ndarray) and a.dtype.kind == "f") and \
                any(isinstance(a, np.ndarray) and a.dtype.kind == "f" for a in args):
            return kernel(*args, **attrs)
        return reference(*args, **attrs)
    run.__name__ = kernel.__name__
    run.__doc__ = kernel.__doc__
    return run


# op name -> kernel with the reference kernel's signature
KERNELS = {
    "Conv2D": _float_only(conv2d, conv_ops._conv2d_ref),
    "Conv2DBackpropFilter": _float_only(conv2d_backprop_filter,
                                        conv_ops._conv2d_backprop_filter_ref),
    "Conv2DBackpropInput": _float_only(conv2d_backprop_input,
                                       conv_ops._conv2d_backprop_input_ref),
    "MaxPool": _float_only(max_pool, conv_ops._max_pool_ref),
    "MaxPoolGrad": _float_only(max_pool_grad, conv_ops._max_pool_grad_ref),
    "Sum": _leading_reduction(math_ops.Sum.ref, mean=False),
    "Mean": _leading_reduction(math_ops.Mean.ref, mean=True),
}
