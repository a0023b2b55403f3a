"""Hand-written Numba kernels the Numba backend uses instead of an op's numpy kernel where numpy
has no single fast call: convolution (im2col and col2im loops around one BLAS product) and max
pooling (one pass over the windows, forward and backward).

Each kernel takes the op's inputs and attrs exactly as its reference kernel does, and returns
the same values (up to float rounding in the BLAS product); tests/compiler/test_numba_kernels.py
holds them to that. The geometry (padding, output sizes) comes from ops/conv_ops.py, so both
backends agree on TF's SAME/VALID/EXPLICIT arithmetic by construction.

The numpy kernels view patches through ``as_strided`` and let ``tensordot`` copy them into a
matrix in the order it likes; here ``_im2col`` writes the matrix once, in the order the BLAS
product reads it, skipping the padded border instead of materializing a padded input.
"""
import contextlib
import threading

import numba
import numpy as np

from ...ops import conv_ops


@numba.njit(cache=True, nogil=True, parallel=True)
def _im2col(x, kh, kw, sh, sw, dh, dw, top, left, oh, ow, cols):
    """cols[(n*OH + i)*OW + j, (a*KW + b)*C + c] = x[n, i*sh + a*dh - top, j*sw + b*dw - left, c]
    (zero outside the input)."""
    n_images, height, width, channels = x.shape
    for n in numba.prange(n_images):
        for i in range(oh):
            for j in range(ow):
                row = (n * oh + i) * ow + j
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
def _col2im(cols, kh, kw, sh, sw, dh, dw, top, left, oh, ow, out):
    """The adjoint of _im2col: out[n, y, x, c] += every patch entry that read it. Images are
    independent, so the loop over them runs in parallel without write conflicts."""
    n_images, height, width, channels = out.shape
    for n in numba.prange(n_images):
        for i in range(oh):
            for j in range(ow):
                row = (n * oh + i) * ow + j
                for a in range(kh):
                    y = i * sh + a * dh - top
                    if y < 0 or y >= height:
                        continue
                    for b in range(kw):
                        xx = j * sw + b * dw - left
                        if xx < 0 or xx >= width:
                            continue
                        base = (a * kw + b) * channels
                        for c in range(channels):
                            out[n, y, xx, c] += cols[row, base + c]


def _conv_geometry(in_shape, f_shape, strides, padding, dilations, explicit_paddings):
    (oh, top, _), (ow, left, _) = conv_ops._conv_geometry(
        in_shape, f_shape, strides, padding, dilations, explicit_paddings)
    return oh, ow, top, left


class _RecentColumns:
    """The patch matrices unfolded during the current run, in this thread: a training step's
    Conv2DBackpropFilter reads the very input its forward Conv2D just unfolded, so it reuses
    that matrix. The executor forgets them when a run starts and ends (``run_scope``): between
    runs a caller may refill a fed array in place."""

    SIZE = 4

    def __init__(self):
        self._local = threading.local()

    def _entries(self):
        return getattr(self._local, "entries", None)

    def get(self, x, key):
        for entry in self._entries() or ():
            if entry[0] is x and entry[1] == key:
                return entry[2]
        return None

    def put(self, x, key, cols):
        entries = self._entries()
        if entries is not None:  # outside a run (a kernel called directly): remember nothing
            self._local.entries = [(x, key, cols)] + entries[:self.SIZE - 1]

    @contextlib.contextmanager
    def run_scope(self):
        self._local.entries = []
        try:
            yield
        finally:
            self._local.entries = None


_recent_columns = _RecentColumns()
run_scope = _recent_columns.run_scope


def _columns(x, f_shape, strides, dilations, geometry):
    oh, ow, top, left = geometry
    kh, kw = f_shape[0], f_shape[1]
    key = (kh, kw, tuple(strides), tuple(dilations), geometry)
    cols = _recent_columns.get(x, key)
    if cols is not None:
        return cols
    cols = np.empty((x.shape[0] * oh * ow, kh * kw * x.shape[3]), x.dtype)
    _im2col(np.ascontiguousarray(x), kh, kw, strides[1], strides[2], dilations[1],
            dilations[2], top, left, oh, ow, cols)
    _recent_columns.put(x, key, cols)
    return cols


def conv2d(input, filter, *, strides, padding, use_cudnn_on_gpu=True, explicit_paddings=(),
           data_format="NHWC", dilations=(1, 1, 1, 1)):
    geometry = _conv_geometry(input.shape, filter.shape, strides, padding, dilations,
                              explicit_paddings)
    oh, ow = geometry[0], geometry[1]
    cols = _columns(input, filter.shape, strides, dilations, geometry)
    out = cols @ np.ascontiguousarray(filter).reshape(-1, filter.shape[3])
    return out.reshape(input.shape[0], oh, ow, filter.shape[3])


def conv2d_backprop_filter(input, filter_sizes, out_backprop, *, strides, padding,
                           use_cudnn_on_gpu=True, explicit_paddings=(), data_format="NHWC",
                           dilations=(1, 1, 1, 1)):
    f_shape = conv_ops._size4(filter_sizes, "filter_sizes")
    geometry = _conv_geometry(input.shape, f_shape, strides, padding, dilations,
                              explicit_paddings)
    conv_ops._check_out_backprop("Conv2DBackpropFilter", out_backprop,
                                 [(geometry[0],), (geometry[1],)])
    cols = _columns(input, f_shape, strides, dilations, geometry)
    grad = np.ascontiguousarray(out_backprop).reshape(-1, f_shape[3])
    return (cols.T @ grad).reshape(f_shape).astype(input.dtype, copy=False)


def conv2d_backprop_input(input_sizes, filter, out_backprop, *, strides, padding,
                          use_cudnn_on_gpu=True, explicit_paddings=(), data_format="NHWC",
                          dilations=(1, 1, 1, 1)):
    in_shape = conv_ops._size4(input_sizes, "input_sizes")
    geometry = _conv_geometry(in_shape, filter.shape, strides, padding, dilations,
                              explicit_paddings)
    oh, ow, top, left = geometry
    conv_ops._check_out_backprop("Conv2DBackpropInput", out_backprop, [(oh,), (ow,)])
    grad = np.ascontiguousarray(out_backprop).reshape(-1, filter.shape[3])
    cols = grad @ np.ascontiguousarray(filter).reshape(-1, filter.shape[3]).T
    out = np.zeros(in_shape, out_backprop.dtype)
    _col2im(cols, filter.shape[0], filter.shape[1], strides[1], strides[2], dilations[1],
            dilations[2], top, left, oh, ow, out)
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
def _max_pool_grad(x, grad, kh, kw, sh, sw, top, left, oh, ow, out):
    """Each output's gradient goes to the first maximum of its window in row-major order
    (TF's tie rule, as the numpy kernel's argmax): a strictly greater value replaces the
    winner, so the first of equal values stays."""
    n_images, height, width, channels = x.shape
    best = np.empty((n_images, channels), x.dtype)
    where = np.empty((n_images, channels), np.int64)
    for n in numba.prange(n_images):
        for i in range(oh):
            for j in range(ow):
                best[n, :] = -np.inf
                where[n, :] = -1
                for a in range(kh):
                    y = i * sh + a - top
                    if y < 0 or y >= height:
                        continue
                    for b in range(kw):
                        xx = j * sw + b - left
                        if xx < 0 or xx >= width:
                            continue
                        tap = y * width + xx
                        for c in range(channels):
                            v = x[n, y, xx, c]
                            if v > best[n, c] or where[n, c] < 0:
                                best[n, c] = v
                                where[n, c] = tap
                for c in range(channels):
                    tap = where[n, c]
                    if tap >= 0:
                        out[n, tap // width, tap % width, c] += grad[n, i, j, c]


def _pool_geometry(shape, ksize, strides, padding, explicit_paddings):
    (oh, top, _), (ow, left, _) = conv_ops._pool_geometry(shape, ksize, strides, padding,
                                                          explicit_paddings)
    return oh, ow, top, left


def max_pool(input, *, ksize, strides, padding, explicit_paddings=(), data_format="NHWC"):
    oh, ow, top, left = _pool_geometry(input.shape, ksize, strides, padding, explicit_paddings)
    out = np.empty((input.shape[0], oh, ow, input.shape[3]), input.dtype)
    _max_pool(np.ascontiguousarray(input), ksize[1], ksize[2], strides[1], strides[2], top,
              left, oh, ow, out)
    return out


def max_pool_grad(orig_input, orig_output, grad, *, ksize, strides, padding,
                  explicit_paddings=(), data_format="NHWC"):
    oh, ow, top, left = _pool_geometry(orig_input.shape, ksize, strides, padding,
                                       explicit_paddings)
    out = np.zeros(orig_input.shape, grad.dtype)
    _max_pool_grad(np.ascontiguousarray(orig_input), np.ascontiguousarray(grad), ksize[1],
                   ksize[2], strides[1], strides[2], top, left, oh, ow, out)
    return out


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
}
