"""The ``tf.image`` namespace (TF1 signatures and defaults), built from graph ops.

Resizing runs the ResizeBilinear / ResizeNearestNeighbor records (ops/image_ops.py) with TF1's
defaults: ``align_corners=False`` and ``half_pixel_centers=False``. Everything else composes
array and math ops the way TF's Python code does, so shapes, dtypes and gradients follow.
Static misuse (a crop outside the image, a rank-2 image) raises ValueError while the graph is
built, as TF's checks do when the sizes are known.
"""
from .framework import dtypes, graph as graph_mod
from .ops import array as array_ops
from .ops import control_flow
from .ops import image_ops
from .ops import math as math_ops
from .ops import random as random_ops
from .ops.convert import constant_value, convert_to_tensor


class ResizeMethod:
    """TF1's resize methods are plain ints (tf.compat.v1.image.ResizeMethod)."""
    BILINEAR = 0
    NEAREST_NEIGHBOR = 1
    BICUBIC = 2
    AREA = 3


_RESIZE_METHOD_NAMES = {"bilinear": ResizeMethod.BILINEAR, "nearest": ResizeMethod.NEAREST_NEIGHBOR,
                        "bicubic": ResizeMethod.BICUBIC, "area": ResizeMethod.AREA}


def _is_tensor(x):
    return isinstance(x, graph_mod.Tensor)


def _static_int(x):
    """A Python int for an int or a tensor whose value is known now, else None."""
    if _is_tensor(x):
        value = constant_value(x)
        return None if value is None else int(value)
    return int(x)


def _check_at_least_3d(image):
    shape = image.shape
    if shape.ndims is not None and shape.ndims < 3:
        raise ValueError("'image' (shape %s) must be at least three-dimensional." % shape)


def _as_batch(image, what="image"):
    """(4-D image, whether it was already a batch)."""
    ndims = image.shape.ndims
    if ndims == 3:
        return array_ops.expand_dims(image, 0), False
    if ndims != 4:
        raise ValueError("'%s' (shape %s) must have either 3 or 4 dimensions."
                         % (what, image.shape))
    return image, True


def _unbatch(image, was_batch):
    return image if was_batch else array_ops.squeeze(image, axis=[0])


def _dims_of_batch(image):
    """[batch, height, width, depth]: static ints where known, scalar tensors otherwise."""
    static = image.shape.as_list()
    dynamic = array_ops.unstack(array_ops.shape(image), 4)
    return [s if s is not None else d for s, d in zip(static, dynamic)]


# -- resizing -------------------------------------------------------------------------------------
def _resize(images, size, name, resizer):
    """TF1's _resize_images_common: 3-D images gain and lose a batch axis, and a resize to the
    size the image already has statically returns the image itself."""
    with graph_mod.name_scope(name, "resize", [images, size]):
        images = convert_to_tensor(images, name="images")
        if images.shape.ndims is None:
            raise ValueError("'images' contains no shape.")
        batch, was_batch = _as_batch(images, "images")
        _, height, width, _ = batch.shape.as_list()
        try:
            size = convert_to_tensor(size, dtypes.int32, name="size")
        except (TypeError, ValueError):
            raise ValueError("'size' must be a 1-D int32 Tensor")
        if not size.shape.is_compatible_with([2]):
            raise ValueError("'size' must be a 1-D Tensor of 2 elements: new_height, new_width")
        new_size = constant_value(size)
        new_height, new_width = (None, None) if new_size is None else (int(new_size[0]),
                                                                       int(new_size[1]))
        if None not in (new_height, new_width, height, width) and \
                (height, width) == (new_height, new_width):
            return images
        resized = resizer(batch, size)
        resized.set_shape([None, new_height, new_width, None])
        return _unbatch(resized, was_batch)


def resize_images(images, size, method=ResizeMethod.BILINEAR, align_corners=False,
                  preserve_aspect_ratio=False, name=None):
    if preserve_aspect_ratio:
        size = _aspect_preserving_size(images, size)
    method = _RESIZE_METHOD_NAMES.get(method, method) if isinstance(method, str) else method
    if method == ResizeMethod.BILINEAR:
        def resizer(batch, new_size):
            return image_ops.ResizeBilinear(batch, new_size, align_corners=align_corners)
    elif method == ResizeMethod.NEAREST_NEIGHBOR:
        def resizer(batch, new_size):
            return image_ops.ResizeNearestNeighbor(batch, new_size, align_corners=align_corners)
    else:
        raise ValueError("Resize method %r: graphflow implements BILINEAR and NEAREST_NEIGHBOR"
                         % (method,))
    return _resize(images, size, name, resizer)


resize = resize_images


def _aspect_preserving_size(images, size):
    """The largest size within ``size`` that keeps the image's aspect ratio (static sizes)."""
    images = convert_to_tensor(images, name="images")
    height, width = images.shape.as_list()[-3:-1]
    target = constant_value(convert_to_tensor(size, dtypes.int32))
    if None in (height, width) or target is None:
        raise ValueError("preserve_aspect_ratio needs the image and target sizes statically")
    scale = min(float(target[0]) / height, float(target[1]) / width)
    return [int(round(height * scale)), int(round(width * scale))]


def _resize_op(op_def, default_name):
    def fn(images, size, align_corners=False, name=None, half_pixel_centers=False):
        with graph_mod.name_scope(name, default_name, [images, size]) as scope:
            images = convert_to_tensor(images, name="images")
            size = convert_to_tensor(size, dtypes.int32, name="size")
            return op_def(images, size, name=scope, align_corners=align_corners,
                          half_pixel_centers=half_pixel_centers)
    fn.__name__ = default_name
    return fn


resize_bilinear = _resize_op(image_ops.ResizeBilinear, "ResizeBilinear")
resize_nearest_neighbor = _resize_op(image_ops.ResizeNearestNeighbor, "ResizeNearestNeighbor")


# -- flips and rotations --------------------------------------------------------------------------
def _flip(image, axis, scope_name):
    """Reverses ``axis`` of a 3-D image (one more for a batch); a rank known only at run time
    picks between the two, as TF's smart_cond does."""
    with graph_mod.name_scope(None, scope_name, [image]):
        image = convert_to_tensor(image, name="image")
        _check_at_least_3d(image)
        ndims = image.shape.ndims
        if ndims == 3:
            return array_ops.reverse(image, [axis])
        if ndims == 4:
            return array_ops.reverse(image, [axis + 1])
        if ndims is None:
            return control_flow.cond(math_ops.equal(array_ops.rank(image), 3),
                                     lambda: array_ops.reverse(image, [axis]),
                                     lambda: array_ops.reverse(image, [axis + 1]))
        raise ValueError("'image' (shape %s)must have either 3 or 4 dimensions." % image.shape)


def flip_left_right(image):
    return _flip(image, 1, "flip_left_right")


def flip_up_down(image):
    return _flip(image, 0, "flip_up_down")


def _random_flip(image, axis, seed, scope_name):
    with graph_mod.name_scope(None, scope_name, [image]) as scope:
        image = convert_to_tensor(image, name="image")
        _check_at_least_3d(image)
        ndims = image.shape.ndims
        if ndims == 3:
            mirror = math_ops.less(random_ops.random_uniform([], 0, 1.0, seed=seed), 0.5)
            result = control_flow.cond(mirror, lambda: array_ops.reverse(image, [axis]),
                                       lambda: image, name=scope)
            result.set_shape(image.shape)
            return result
        if ndims == 4:
            batch_size = array_ops.shape(image)[0]
            draws = random_ops.random_uniform(array_ops.reshape(batch_size, [1]), 0, 1.0,
                                              seed=seed)
            flips = math_ops.cast(math_ops.round(array_ops.reshape(draws, [batch_size, 1, 1, 1])),
                                  image.dtype)
            flipped = array_ops.reverse(image, [axis + 1])
            return flips * flipped + (1 - flips) * image
        raise ValueError("'image' (shape %s) must have either 3 or 4 dimensions." % image.shape)


def random_flip_left_right(image, seed=None):
    return _random_flip(image, 1, seed, "random_flip_left_right")


def random_flip_up_down(image, seed=None):
    return _random_flip(image, 0, seed, "random_flip_up_down")


def transpose_image(image, name=None):
    with graph_mod.name_scope(name, "transpose", [image]):
        image = convert_to_tensor(image, name="image")
        _check_at_least_3d(image)
        ndims = image.shape.ndims
        if ndims == 3:
            return array_ops.transpose(image, [1, 0, 2], name=name)
        if ndims == 4:
            return array_ops.transpose(image, [0, 2, 1, 3], name=name)
        raise ValueError("'image' (shape %s) must have either 3 or 4 dimensions." % image.shape)


transpose = transpose_image


def rot90(image, k=1, name=None):
    """Counter-clockwise quarter turns; ``k`` may be a tensor, so (as in TF) the branches are a
    tf.case and the rotated height and width are unknown statically."""
    with graph_mod.name_scope(name, "rot90", [image, k]) as scope:
        image = convert_to_tensor(image, name="image")
        _check_at_least_3d(image)
        k = convert_to_tensor(k, dtype=dtypes.int32, name="k")
        if k.shape.ndims not in (None, 0):
            raise ValueError("Shape %s must have rank 0" % k.shape)
        k = math_ops.mod(k, 4)
        ndims = image.shape.ndims
        if ndims not in (3, 4):
            raise ValueError("'image' (shape %s) must have either 3 or 4 dimensions."
                             % image.shape)
        lead = ndims - 3  # 1 for a batch
        h, w = lead, lead + 1
        perm = list(range(lead)) + [w, h, lead + 2]
        branches = [
            (math_ops.equal(k, 1),
             lambda: array_ops.transpose(array_ops.reverse(image, [w]), perm)),
            (math_ops.equal(k, 2), lambda: array_ops.reverse(image, [h, w])),
            (math_ops.equal(k, 3),
             lambda: array_ops.reverse(array_ops.transpose(image, perm), [w])),
        ]
        result = control_flow.case(branches, default=lambda: image, exclusive=True,
                                   name=scope)
        dims = image.shape.as_list()
        result.set_shape(dims[:lead] + [None, None, dims[-1]])
        return result


# -- crops and pads -------------------------------------------------------------------------------
def _check(condition, message):
    """A statically decided check raises now; one that needs run-time values is left to the
    ops (Slice and Pad reject out-of-range sizes when they run)."""
    if not _is_tensor(condition) and not condition:
        raise ValueError(message)


def _known(*values):
    return all(v is not None and not _is_tensor(v) for v in values)


def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    with graph_mod.name_scope(None, "crop_to_bounding_box", [image]):
        image = convert_to_tensor(image, name="image")
        batch_image, was_batch = _as_batch(image)
        batch, height, width, _ = _dims_of_batch(batch_image)
        offsets = [_static_int(v) if not _is_tensor(v) else v
                   for v in (offset_height, offset_width, target_height, target_width)]
        offset_height, offset_width, target_height, target_width = offsets
        if _known(offset_width):
            _check(offset_width >= 0, "offset_width must be >= 0.")
        if _known(offset_height):
            _check(offset_height >= 0, "offset_height must be >= 0.")
        if _known(target_width):
            _check(target_width > 0, "target_width must be > 0.")
        if _known(target_height):
            _check(target_height > 0, "target_height must be > 0.")
        if _known(width, target_width, offset_width):
            _check(width >= target_width + offset_width, "width must be >= target + offset.")
        if _known(height, target_height, offset_height):
            _check(height >= target_height + offset_height,
                   "height must be >= target + offset.")
        shape = array_ops.shape(batch_image)
        cropped = array_ops.slice(
            batch_image, array_ops.stack([0, offset_height, offset_width, 0]),
            array_ops.stack([shape[0], target_height, target_width, shape[3]]))
        static = batch_image.shape.as_list()
        cropped.set_shape([static[0], None if _is_tensor(target_height) else target_height,
                           None if _is_tensor(target_width) else target_width, static[3]])
        return _unbatch(cropped, was_batch)


def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    with graph_mod.name_scope(None, "pad_to_bounding_box", [image]):
        image = convert_to_tensor(image, name="image")
        batch_image, was_batch = _as_batch(image)
        batch, height, width, depth = _dims_of_batch(batch_image)
        after_width = target_width - offset_width - width
        after_height = target_height - offset_height - height
        if _known(offset_height):
            _check(offset_height >= 0, "offset_height must be >= 0")
        if _known(offset_width):
            _check(offset_width >= 0, "offset_width must be >= 0")
        if _known(after_width):
            _check(after_width >= 0, "width must be <= target - offset")
        if _known(after_height):
            _check(after_height >= 0, "height must be <= target - offset")
        paddings = array_ops.reshape(array_ops.stack(
            [0, 0, offset_height, after_height, offset_width, after_width, 0, 0]), [4, 2])
        padded = array_ops.pad(batch_image, paddings)
        static = batch_image.shape.as_list()
        padded.set_shape([static[0], None if _is_tensor(target_height) else target_height,
                          None if _is_tensor(target_width) else target_width, static[3]])
        return _unbatch(padded, was_batch)


def resize_image_with_crop_or_pad(image, target_height, target_width):
    """Centers the crop or the padding; an odd difference puts the extra row or column at the
    bottom or right."""
    with graph_mod.name_scope(None, "resize_image_with_crop_or_pad", [image]):
        image = convert_to_tensor(image, name="image")
        batch_image, was_batch = _as_batch(image)
        if _known(target_width):
            _check(target_width > 0, "target_width must be > 0.")
        if _known(target_height):
            _check(target_height > 0, "target_height must be > 0.")
        _, height, width, _ = _dims_of_batch(batch_image)

        def max_(x, y):
            return math_ops.maximum(x, y) if _is_tensor(x) or _is_tensor(y) else max(x, y)

        def min_(x, y):
            return math_ops.minimum(x, y) if _is_tensor(x) or _is_tensor(y) else min(x, y)

        width_diff = target_width - width
        height_diff = target_height - height
        cropped = crop_to_bounding_box(batch_image, max_(-height_diff // 2, 0),
                                       max_(-width_diff // 2, 0), min_(target_height, height),
                                       min_(target_width, width))
        resized = pad_to_bounding_box(cropped, max_(height_diff // 2, 0),
                                      max_(width_diff // 2, 0), target_height, target_width)
        return _unbatch(resized, was_batch)


resize_with_crop_or_pad = resize_image_with_crop_or_pad


def central_crop(image, central_fraction):
    with graph_mod.name_scope(None, "central_crop", [image]):
        image = convert_to_tensor(image, name="image")
        fraction = constant_value(central_fraction) if _is_tensor(central_fraction) \
            else central_fraction
        if fraction is not None:
            fraction = float(fraction)
            if fraction <= 0.0 or fraction > 1.0:
                raise ValueError("central_fraction must be within (0, 1]")
            if fraction == 1.0:
                return image
        _check_at_least_3d(image)
        rank = image.shape.ndims
        if rank not in (3, 4):
            raise ValueError("`image` should either be a Tensor with rank = 3 or rank = 4. Had "
                             "rank = %s." % rank)
        lead = rank - 3
        starts, sizes, static_sizes = [], [], []
        for axis in (lead, lead + 1):
            size = image.shape[axis].value
            if size is not None and fraction is not None:
                start = int((float(size) - float(size) * fraction) / 2)
                starts.append(start)
                sizes.append(size - start * 2)
                static_sizes.append(size - start * 2)
            else:
                size_t = array_ops.shape(image)[axis]
                size_f = math_ops.cast(size_t, dtypes.float64)
                start = math_ops.cast((size_f - size_f * math_ops.cast(
                    central_fraction, dtypes.float64)) / 2, dtypes.int32)
                starts.append(start)
                sizes.append(size_t - start * 2)
                static_sizes.append(None)
        begin = [0] * lead + starts + [0]
        size = [-1] * lead + sizes + [-1]
        cropped = array_ops.slice(image, array_ops.stack(begin), array_ops.stack(size))
        dims = image.shape.as_list()
        cropped.set_shape(dims[:lead] + static_sizes + [dims[-1]])
        return cropped


# -- dtype and colour -----------------------------------------------------------------------------
def convert_image_dtype(image, dtype, saturate=False, name=None):
    """Integers span [0, MAX] of their type and floats [0, 1]: conversions rescale between
    them (float to int scales by MAX + 0.5 and truncates, so 1.0 maps to MAX)."""
    image = convert_to_tensor(image, name="image")
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_floating or dtype.is_integer):
        raise AttributeError("dtype must be either floating point or integer")
    source = image.dtype.base_dtype
    if not (source.is_floating or source.is_integer):
        raise AttributeError("image dtype must be either floating point or integer")
    if dtype == source:
        return array_ops.identity(image, name=name)

    def cast(x, **kwargs):
        return (math_ops.saturate_cast if saturate else math_ops.cast)(x, dtype, **kwargs)

    with graph_mod.name_scope(name, "convert_image", [image]) as scope:
        if source.is_integer and dtype.is_integer:
            scale_in, scale_out = source.max, dtype.max
            if scale_in > scale_out:
                # Divide first: in.max lands just under out.max + 1, inside the output range.
                scaled = math_ops.floordiv(image, (scale_in + 1) // (scale_out + 1))
                return cast(scaled, name=scope)
            return math_ops.multiply(cast(image), (scale_out + 1) // (scale_in + 1), name=scope)
        if source.is_floating and dtype.is_floating:
            return math_ops.cast(image, dtype, name=scope)
        if source.is_integer:
            return math_ops.multiply(math_ops.cast(image, dtype), 1.0 / source.max, name=scope)
        return cast(math_ops.multiply(image, dtype.max + 0.5), name=scope)


def rgb_to_grayscale(images, name=None):
    """ITU-R 601 luma weights, computed in float32 and converted back to the input dtype."""
    with graph_mod.name_scope(name, "rgb_to_grayscale", [images]) as scope:
        images = convert_to_tensor(images, name="images")
        orig_dtype = images.dtype.base_dtype
        flt_image = convert_image_dtype(images, dtypes.float32)
        gray = math_ops.tensordot(flt_image, [0.2989, 0.5870, 0.1140], [-1, -1])
        gray = array_ops.expand_dims(gray, -1)
        return convert_image_dtype(gray, orig_dtype, name=scope)


def grayscale_to_rgb(images, name=None):
    with graph_mod.name_scope(name, "grayscale_to_rgb", [images]) as scope:
        images = convert_to_tensor(images, name="images")
        shape = images.shape
        if shape.ndims is not None:
            if shape.ndims < 2:
                raise ValueError("'image' (shape %s) must be at least two-dimensional." % shape)
            if shape[-1].value not in (None, 1):
                raise ValueError("Last dimension of a grayscale image should be size 1.")
        rank_1 = array_ops.expand_dims(array_ops.rank(images) - 1, 0)
        multiples = array_ops.concat([array_ops.ones(rank_1, dtype=dtypes.int32),
                                      array_ops.expand_dims(3, 0)], 0)
        rgb = array_ops.tile(images, multiples, name=scope)
        if shape.ndims is not None:
            rgb.set_shape(shape[:-1].concatenate([3]))
        return rgb


def per_image_standardization(image):
    """(x - mean) / max(stddev, 1 / sqrt(num_pixels)) over each image's pixels and channels,
    in float32."""
    with graph_mod.name_scope(None, "per_image_standardization", [image]) as scope:
        image = convert_to_tensor(image, name="image")
        _check_at_least_3d(image)
        image = math_ops.cast(image, dtypes.float32)
        num_pixels = math_ops.reduce_prod(array_ops.shape(image)[-3:])
        mean = math_ops.reduce_mean(image, axis=[-1, -2, -3], keepdims=True)
        stddev = math_ops.reduce_std(image, axis=[-1, -2, -3], keepdims=True)
        min_stddev = math_ops.rsqrt(math_ops.cast(num_pixels, dtypes.float32))
        adjusted_stddev = math_ops.maximum(stddev, min_stddev)
        image = image - mean
        return math_ops.divide(image, adjusted_stddev, name=scope)


def _in_float(images):
    """float16 and float32 images are adjusted as they are, others in float32 (TF's rule)."""
    if images.dtype.base_dtype in (dtypes.float16, dtypes.float32):
        return images
    return convert_image_dtype(images, dtypes.float32)


def adjust_brightness(image, delta):
    with graph_mod.name_scope(None, "adjust_brightness", [image, delta]) as scope:
        image = convert_to_tensor(image, name="image")
        orig_dtype = image.dtype.base_dtype
        flt_image = _in_float(image)
        adjusted = math_ops.add(flt_image, math_ops.cast(delta, flt_image.dtype), name=scope)
        return convert_image_dtype(adjusted, orig_dtype, saturate=True)


def adjust_contrast(images, contrast_factor):
    """Per image and channel: (x - mean) * contrast_factor + mean."""
    with graph_mod.name_scope(None, "adjust_contrast", [images, contrast_factor]) as scope:
        images = convert_to_tensor(images, name="images")
        orig_dtype = images.dtype.base_dtype
        flt_images = _in_float(images)
        factor = convert_to_tensor(contrast_factor, dtype=dtypes.float32,
                                   name="contrast_factor")
        adjusted = image_ops.AdjustContrastv2(flt_images, factor, name=scope)
        return convert_image_dtype(adjusted, orig_dtype, saturate=True)


def random_brightness(image, max_delta, seed=None):
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    delta = random_ops.random_uniform([], -max_delta, max_delta, seed=seed)
    return adjust_brightness(image, delta)


def random_contrast(image, lower, upper, seed=None):
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")
    factor = random_ops.random_uniform([], lower, upper, seed=seed)
    return adjust_contrast(image, factor)


def random_crop(value, size, seed=None, name=None):
    """A ``size`` slice of ``value`` at a uniformly drawn offset (tf.random_crop)."""
    with graph_mod.name_scope(name, "random_crop", [value, size]) as scope:
        value = convert_to_tensor(value, name="value")
        size = convert_to_tensor(size, dtype=dtypes.int32, name="size")
        # A crop larger than the value fails when it runs (the Slice rejects it), as TF's
        # run-time assertion does.
        shape = array_ops.shape(value)
        limit = shape - size + 1
        offset = math_ops.floormod(random_ops.random_uniform(
            array_ops.shape(shape), dtype=dtypes.int32, maxval=dtypes.int32.max, seed=seed),
            limit)
        return array_ops.slice(value, offset, size, name=scope)


# -- image statistics -----------------------------------------------------------------------------
def total_variation(images, name=None):
    """Sum of absolute differences between neighbouring pixels, per image for a batch."""
    with graph_mod.name_scope(name, "total_variation"):
        images = convert_to_tensor(images, name="images")
        ndims = images.shape.ndims
        if ndims == 3:
            vertical = images[1:, :, :] - images[:-1, :, :]
            horizontal = images[:, 1:, :] - images[:, :-1, :]
            axis = None
        elif ndims == 4:
            vertical = images[:, 1:, :, :] - images[:, :-1, :, :]
            horizontal = images[:, :, 1:, :] - images[:, :, :-1, :]
            axis = [1, 2, 3]
        else:
            raise ValueError("'images' must be either 3 or 4-dimensional.")
        return (math_ops.reduce_sum(math_ops.abs(vertical), axis=axis) +
                math_ops.reduce_sum(math_ops.abs(horizontal), axis=axis))


def image_gradients(image):
    """(dy, dx): forward differences, zero in the last row (dy) and column (dx)."""
    image = convert_to_tensor(image, name="image")
    if image.shape.ndims != 4:
        raise ValueError("image_gradients expects a 4D tensor [batch_size, h, w, d], not %s."
                         % image.shape)
    image_shape = array_ops.shape(image)
    batch_size, height, width, depth = array_ops.unstack(image_shape)
    dy = image[:, 1:, :, :] - image[:, :-1, :, :]
    dx = image[:, :, 1:, :] - image[:, :, :-1, :]
    dy = array_ops.concat([dy, array_ops.zeros(array_ops.stack([batch_size, 1, width, depth]),
                                               image.dtype)], 1)
    dx = array_ops.concat([dx, array_ops.zeros(array_ops.stack([batch_size, height, 1, depth]),
                                               image.dtype)], 2)
    return array_ops.reshape(dy, image_shape), array_ops.reshape(dx, image_shape)


__all__ = [name for name in dir() if not name.startswith("_") and name not in (
    "dtypes", "graph_mod", "array_ops", "control_flow", "image_ops", "math_ops",
    "random_ops", "constant_value", "convert_to_tensor")]
