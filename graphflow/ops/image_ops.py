"""Image op records: bilinear and nearest-neighbour resizing (with their gradients), contrast
adjustment and local response normalization.

Resizing follows TF's kernels exactly, including their float32 arithmetic: the scale is
``in / out`` (or ``(in - 1) / (out - 1)`` with ``align_corners`` and more than one output pixel),
and a source coordinate is ``i * scale`` (TF1's default) or ``(i + 0.5) * scale - 0.5`` with
``half_pixel_centers``. ResizeBilinear always returns float32, whatever the input type.
"""
import numpy as np

from ..framework import dtypes, tensor_shape
from . import array as array_ops
from .array import _shape_from_tensor
from .registry import NOT_DIFFERENTIABLE, Spec, defop


def _no_gradient(op, *grads):
    """TF registers no gradient for this op: asking for one is a LookupError there too."""
    raise LookupError("No gradient defined for operation '%s' (op type: %s)."
                      % (op.name, op.type))


# -- resize geometry ------------------------------------------------------------------------------
def _resize_scale(in_size, out_size, align_corners):
    if align_corners and out_size > 1:
        return np.float32(in_size - 1) / np.float32(out_size - 1)
    return np.float32(in_size) / np.float32(out_size)


def _bilinear_taps(in_size, out_size, align_corners, half_pixel_centers):
    """(lower, upper, lerp) per output index: the two source rows and the weight of the upper."""
    scale = _resize_scale(in_size, out_size, align_corners)
    index = np.arange(out_size, dtype=np.float32)
    if half_pixel_centers:
        source = (index + np.float32(0.5)) * scale - np.float32(0.5)
    else:
        source = index * scale
    source = source.astype(np.float32)
    floor = np.floor(source)
    lower = np.maximum(floor, 0).astype(np.int64)
    upper = np.minimum(np.ceil(source), in_size - 1).astype(np.int64)
    return lower, upper, (source - floor).astype(np.float32)


def _nearest_taps(in_size, out_size, align_corners, half_pixel_centers):
    scale = _resize_scale(in_size, out_size, align_corners)
    index = np.arange(out_size, dtype=np.float32)
    source = ((index + np.float32(0.5)) * scale if half_pixel_centers
              else index * scale).astype(np.float32)
    # roundf rounds halves away from zero; the coordinates are never negative here.
    chosen = np.floor(source + np.float32(0.5)) if align_corners else np.floor(source)
    return np.clip(chosen.astype(np.int64), 0, in_size - 1)


def _output_size(size):
    size = np.asarray(size).reshape(-1)
    if size.shape != (2,):
        raise ValueError("size must be a 1-D int32 Tensor of 2 elements: new_height, "
                         "new_width; got shape %s" % (size.shape,))
    height, width = int(size[0]), int(size[1])
    if height <= 0 or width <= 0:
        raise ValueError("output dimensions must be positive, got %d x %d" % (height, width))
    return height, width


def _check_resizable(images, op_name):
    if images.ndim != 4:
        raise ValueError("%s: input must be 4-dimensional, got shape %s" % (op_name,
                                                                            images.shape))
    if images.shape[1] == 0 or images.shape[2] == 0:
        raise ValueError("%s: input image must be of non-zero size" % op_name)


def _resize_shape(op_name, float_output):
    def shape(images, size, *, align_corners=False, half_pixel_centers=False):
        images_shape = images.shape.with_rank(4) if images.shape.ndims is not None else \
            tensor_shape.unknown_shape(4)
        if size.shape.ndims is not None and size.shape.ndims != 1:
            raise ValueError("Shape must be rank 1 but is rank %d for '%s' (size)"
                             % (size.shape.ndims, op_name))
        if size.dtype.base_dtype != dtypes.int32:
            raise TypeError("Input 'size' of '%s' Op has type %s that does not match expected "
                            "type of int32." % (op_name, size.dtype.base_dtype.name))
        if align_corners and half_pixel_centers:
            raise ValueError("%s: If half_pixel_centers is True, align_corners must be False."
                             % op_name)
        new_hw = _shape_from_tensor(size)
        new_hw = new_hw.as_list() if new_hw.ndims == 2 else [None, None]
        dims = images_shape.as_list()
        dtype = dtypes.float32 if float_output else images.dtype.base_dtype
        return Spec([dims[0], new_hw[0], new_hw[1], dims[3]], dtype)
    return shape


def _resize_bilinear_ref(images, size, *, align_corners=False, half_pixel_centers=False):
    _check_resizable(images, "ResizeBilinear")
    out_h, out_w = _output_size(size)
    top, bottom, y_lerp = _bilinear_taps(images.shape[1], out_h, align_corners,
                                         half_pixel_centers)
    left, right, x_lerp = _bilinear_taps(images.shape[2], out_w, align_corners,
                                         half_pixel_centers)
    x = images.astype(np.float32)
    y_lerp, x_lerp = y_lerp[None, :, None, None], x_lerp[None, None, :, None]
    top_rows, bottom_rows = x[:, top], x[:, bottom]
    # The same order of operations as TF's compute_lerp, so float32 results match bit for bit.
    upper = top_rows[:, :, left] + (top_rows[:, :, right] - top_rows[:, :, left]) * x_lerp
    lower = bottom_rows[:, :, left] + (bottom_rows[:, :, right] - bottom_rows[:, :, left]) * \
        x_lerp
    return (upper + (lower - upper) * y_lerp).astype(np.float32)


def _resize_bilinear_grad_ref(grads, original_image, *, align_corners=False,
                              half_pixel_centers=False):
    n, in_h, in_w, c = original_image.shape
    out_h, out_w = grads.shape[1:3]
    top, bottom, y_lerp = _bilinear_taps(in_h, out_h, align_corners, half_pixel_centers)
    left, right, x_lerp = _bilinear_taps(in_w, out_w, align_corners, half_pixel_centers)
    g = grads.astype(np.float32)
    # Rows first: (N, out_h, out_w, C) -> (N, in_h, out_w, C), then columns.
    rows = np.zeros((n, in_h, out_w, c), np.float32)
    np.add.at(rows, (slice(None), top), g * (1 - y_lerp)[None, :, None, None])
    np.add.at(rows, (slice(None), bottom), g * y_lerp[None, :, None, None])
    out = np.zeros((n, in_h, in_w, c), np.float32)
    np.add.at(out, (slice(None), slice(None), left), rows * (1 - x_lerp)[None, None, :, None])
    np.add.at(out, (slice(None), slice(None), right), rows * x_lerp[None, None, :, None])
    return out.astype(original_image.dtype)


def _resize_bilinear_grad_shape(grads, original_image, *, align_corners=False,
                                half_pixel_centers=False):
    return Spec(original_image.shape, original_image.dtype.base_dtype)


def _resize_attrs(op):
    return {"align_corners": op.get_attr("align_corners"),
            "half_pixel_centers": op.get_attr("half_pixel_centers")}


def _resize_bilinear_grad(op, g):
    return [ResizeBilinearGrad(g, op.inputs[0], **_resize_attrs(op)), None]


# TF declares ResizeBilinearGrad not differentiable: second derivatives through it are None.
ResizeBilinearGrad = defop("ResizeBilinearGrad", shape=_resize_bilinear_grad_shape,
                           ref=_resize_bilinear_grad_ref, grad=NOT_DIFFERENTIABLE)
ResizeBilinear = defop("ResizeBilinear", shape=_resize_shape("ResizeBilinear", True),
                       ref=_resize_bilinear_ref, grad=_resize_bilinear_grad)


def _resize_nearest_ref(images, size, *, align_corners=False, half_pixel_centers=False):
    _check_resizable(images, "ResizeNearestNeighbor")
    out_h, out_w = _output_size(size)
    rows = _nearest_taps(images.shape[1], out_h, align_corners, half_pixel_centers)
    cols = _nearest_taps(images.shape[2], out_w, align_corners, half_pixel_centers)
    return images[:, rows][:, :, cols]


def _resize_nearest_grad_ref(grads, size, *, align_corners=False, half_pixel_centers=False):
    in_h, in_w = _output_size(size)
    n, out_h, out_w, c = grads.shape
    rows = _nearest_taps(in_h, out_h, align_corners, half_pixel_centers)
    cols = _nearest_taps(in_w, out_w, align_corners, half_pixel_centers)
    by_rows = np.zeros((n, in_h, out_w, c), grads.dtype)
    np.add.at(by_rows, (slice(None), rows), grads)
    out = np.zeros((n, in_h, in_w, c), grads.dtype)
    np.add.at(out, (slice(None), slice(None), cols), by_rows)
    return out


def _resize_nearest_grad(op, g):
    image_hw = array_ops.shape(op.inputs[0])[1:3]
    return [ResizeNearestNeighborGrad(g, image_hw, **_resize_attrs(op)), None]


ResizeNearestNeighborGrad = defop(
    "ResizeNearestNeighborGrad", shape=_resize_shape("ResizeNearestNeighborGrad", False),
    ref=_resize_nearest_grad_ref,
    # Linear in grads: its adjoint is the forward resize back to the grads' size.
    grad=lambda op, g: [ResizeNearestNeighbor(g, array_ops.shape(op.inputs[0])[1:3],
                                              **_resize_attrs(op)), None])
ResizeNearestNeighbor = defop(
    "ResizeNearestNeighbor", shape=_resize_shape("ResizeNearestNeighbor", False),
    ref=_resize_nearest_ref, grad=_resize_nearest_grad)


# -- contrast -------------------------------------------------------------------------------------
def _adjust_contrast_shape(images, contrast_factor):
    if images.shape.ndims is not None and images.shape.ndims < 3:
        raise ValueError("Shape must be at least rank 3 but is rank %d for 'AdjustContrastv2'"
                         % images.shape.ndims)
    if contrast_factor.shape.ndims not in (None, 0):
        raise ValueError("Shape must be rank 0 but is rank %d for 'AdjustContrastv2' "
                         "(contrast_factor)" % contrast_factor.shape.ndims)
    return Spec(images.shape, images.dtype.base_dtype)


def _adjust_contrast_ref(images, contrast_factor):
    mean = images.mean(axis=(-3, -2), keepdims=True, dtype=np.float64).astype(images.dtype)
    return ((images - mean) * contrast_factor + mean).astype(images.dtype)


AdjustContrastv2 = defop("AdjustContrastv2", shape=_adjust_contrast_shape,
                         ref=_adjust_contrast_ref, grad=_no_gradient)


# -- local response normalization -----------------------------------------------------------------
def _window_sum(values, depth_radius):
    """Sum over channels d - r .. d + r (clipped at the edges) of the last axis."""
    channels = values.shape[-1]
    padded = np.concatenate([np.zeros(values.shape[:-1] + (1,), values.dtype),
                             np.cumsum(values, axis=-1)], axis=-1)
    index = np.arange(channels)
    high = np.minimum(index + depth_radius + 1, channels)
    low = np.maximum(index - depth_radius, 0)
    return padded[..., high] - padded[..., low]


def _lrn_norm(x, depth_radius, bias, alpha):
    wide = x.astype(np.float64)
    return bias + alpha * _window_sum(wide * wide, depth_radius)


def _lrn_shape(input, *, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5):  # noqa: A002
    if input.shape.ndims is not None and input.shape.ndims != 4:
        raise ValueError("Shape must be rank 4 but is rank %d for 'LRN'" % input.shape.ndims)
    if not input.dtype.base_dtype.is_floating:
        raise TypeError("Value passed to parameter 'input' has DataType %s not in list of "
                        "allowed values: float16, bfloat16, float32"
                        % input.dtype.base_dtype.name)
    return Spec(input.shape, input.dtype.base_dtype)


def _lrn_ref(input, *, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5):  # noqa: A002
    norm = _lrn_norm(input, depth_radius, bias, alpha)
    return (input / norm ** beta).astype(input.dtype)


def _lrn_grad_ref(input_grads, input_image, output_image, *, depth_radius=5, bias=1.0,
                  alpha=1.0, beta=0.5):
    # y_i = x_i * N_i^-beta with N_i = bias + alpha * sum_{|j-i|<=r} x_j^2, so
    # dx_j = g_j N_j^-beta - 2 alpha beta x_j sum_{|i-j|<=r} g_i y_i / N_i.
    norm = _lrn_norm(input_image, depth_radius, bias, alpha)
    g = input_grads.astype(np.float64)
    x = input_image.astype(np.float64)
    y = x * norm ** -beta
    spread = _window_sum(g * y / norm, depth_radius)
    return (g * norm ** -beta - 2 * alpha * beta * x * spread).astype(input_image.dtype)


def _lrn_grad_shape(input_grads, input_image, output_image, **attrs):
    return Spec(input_image.shape, input_image.dtype.base_dtype)


def _lrn_attrs(op):
    return {key: op.get_attr(key) for key in ("depth_radius", "bias", "alpha", "beta")}


LRNGrad = defop("LRNGrad", shape=_lrn_grad_shape, ref=_lrn_grad_ref, grad=_no_gradient)
LRN = defop("LRN", shape=_lrn_shape, ref=_lrn_ref,
            grad=lambda op, g: [LRNGrad(g, op.inputs[0], op.outputs[0], **_lrn_attrs(op))])
