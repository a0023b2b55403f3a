"""tf.image: resizing (bilinear and nearest, align_corners, TF1's half_pixel_centers=False
default, ResizeMethod, 3-D images, the skip when the size is unchanged) with gradients, flips,
transpose, rot90, crops and pads, per_image_standardization, colour and dtype conversion,
brightness and contrast, total_variation, image_gradients and random flips/crops (shapes only):
values, gradients, static shapes, dtypes and names."""
from _compat import TENSORFLOW, report, report_error, tolerance

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np

tolerance(rtol=1e-5, atol=1e-5)
rng = np.random.RandomState(7)
image_values = rng.rand(2, 4, 6, 3).astype(np.float32)
images = tf.placeholder(tf.float32, [None, 4, 6, 3], name="images")
single = tf.placeholder(tf.float32, [4, 6, 3], name="single")
pixels = tf.placeholder(tf.uint8, [4, 6, 3], name="pixels")
pixel_values = rng.randint(0, 256, size=(4, 6, 3)).astype(np.uint8)
feed = {images: image_values, single: image_values[0], pixels: pixel_values}

resized = {
    "bilinear_up": tf.image.resize_images(images, [8, 9]),
    "bilinear_down": tf.image.resize_images(images, [3, 4]),
    "bilinear_align": tf.image.resize_images(images, [7, 11], align_corners=True),
    "nearest_up": tf.image.resize_images(images, [8, 9],
                                         method=tf.image.ResizeMethod.NEAREST_NEIGHBOR),
    "nearest_down_align": tf.image.resize_images(images, [3, 5], method=1, align_corners=True),
    "single": tf.image.resize_images(single, [5, 5]),
    "uint8": tf.image.resize_images(pixels, [5, 7]),
    "resize_bilinear": tf.image.resize_bilinear(images, [5, 10]),
    "resize_bilinear_align": tf.image.resize_bilinear(images, [5, 10], align_corners=True),
    "resize_bilinear_half": tf.image.resize_bilinear(images, [5, 10], half_pixel_centers=True),
    "resize_nearest": tf.image.resize_nearest_neighbor(images, [7, 13]),
    "resize_nearest_align": tf.image.resize_nearest_neighbor(images, [7, 13],
                                                             align_corners=True),
    "resize_nearest_half": tf.image.resize_nearest_neighbor(images, [3, 4],
                                                            half_pixel_centers=True),
    "nearest_uint8": tf.image.resize_nearest_neighbor(tf.expand_dims(pixels, 0), [6, 4]),
    "one_pixel_align": tf.image.resize_bilinear(images, [1, 1], align_corners=True),
}
report("resize_methods", [tf.image.ResizeMethod.BILINEAR, tf.image.ResizeMethod.NEAREST_NEIGHBOR,
                          tf.image.ResizeMethod.BICUBIC, tf.image.ResizeMethod.AREA])
report("resize_static", {k: [v.name, str(v.shape), v.dtype.name] for k, v in resized.items()})
report("resize_values", tf.Session().run(resized, feed))
same = tf.image.resize_images(images, [4, 6])
report("resize_same_size_is_the_input", same.name)
size = tf.placeholder(tf.int32, [2], name="size")
dynamic = tf.image.resize_images(images, size)
report("resize_dynamic_shape", str(dynamic.shape))
weights = {k: tf.constant(rng.randn(2, *v.shape.as_list()[1:]).astype(np.float32))
           for k, v in resized.items() if v.shape.ndims == 4 and v.dtype == tf.float32}
resize_grads = {k: tf.gradients(tf.reduce_sum(resized[k] * w), images)[0]
                for k, w in weights.items()}
report("resize_grad_shapes", {k: str(g.shape) for k, g in resize_grads.items()})
report("resize_grads", tf.Session().run(resize_grads, feed))
report_error("resize_rank2", lambda: tf.image.resize_images(tf.zeros([4, 6]), [2, 2]))
report_error("resize_bad_size", lambda: tf.image.resize_images(images, [2, 2, 2]))

with tf.Session() as sess:
    report("resize_dynamic_value", sess.run(dynamic, {images: image_values, size: [3, 8]}))

# Flips, transposes, rotations.
geometric = {
    "flip_left_right": tf.image.flip_left_right(images),
    "flip_up_down": tf.image.flip_up_down(images),
    "flip_left_right_3d": tf.image.flip_left_right(single),
    "flip_up_down_3d": tf.image.flip_up_down(single),
    "transpose": tf.image.transpose_image(images),
    "transpose_3d": tf.image.transpose_image(single),
    "rot90": tf.image.rot90(images),
    "rot180": tf.image.rot90(images, 2),
    "rot270_3d": tf.image.rot90(single, k=3),
    "rot0": tf.image.rot90(single, 4),
}
report("geometric_static", {k: [v.name, str(v.shape)] for k, v in geometric.items()})
report("geometric_values", tf.Session().run(geometric, feed))
flip_grad = tf.gradients(tf.reduce_sum(geometric["flip_left_right"] *
                                       tf.constant(rng.randn(2, 4, 6, 3).astype(np.float32))),
                         images)[0]
rot_grad = tf.gradients(tf.reduce_sum(geometric["rot90"] * geometric["rot90"]), images)[0]
report("geometric_grads", tf.Session().run([flip_grad, rot_grad], feed))
report_error("flip_rank2", lambda: tf.image.flip_left_right(tf.zeros([4, 6])))

random_flips = [tf.image.random_flip_left_right(single, seed=1),
                tf.image.random_flip_up_down(images, seed=2)]
report("random_flip_static", [[t.name, str(t.shape)] for t in random_flips])
with tf.Session() as sess:
    outcomes = set()
    for _ in range(40):
        flipped = sess.run(random_flips[0], feed)
        if np.array_equal(flipped, image_values[0]):
            outcomes.add("same")
        elif np.array_equal(flipped, image_values[0][:, ::-1]):
            outcomes.add("flipped")
        else:
            outcomes.add("other")
    report("random_flip_outcomes", sorted(outcomes))
    batch_flip = sess.run(random_flips[1], feed)
    report("random_flip_batch_each_image_flipped_or_not",
           all(np.allclose(b, a) or np.allclose(b, a[::-1])
               for a, b in zip(image_values, batch_flip)))

# Crops and pads.
cropped = {
    "central_half": tf.image.central_crop(images, 0.5),
    "central_3d": tf.image.central_crop(single, 0.7),
    "central_full": tf.image.central_crop(single, 1.0),
    "crop_box": tf.image.crop_to_bounding_box(images, 1, 2, 2, 3),
    "crop_box_3d": tf.image.crop_to_bounding_box(single, 0, 1, 4, 5),
    "pad_box": tf.image.pad_to_bounding_box(images, 1, 2, 7, 9),
    "pad_box_3d": tf.image.pad_to_bounding_box(single, 0, 0, 5, 6),
    "crop_or_pad": tf.image.resize_image_with_crop_or_pad(images, 3, 8),
    "crop_or_pad_3d": tf.image.resize_image_with_crop_or_pad(single, 7, 3),
    "crop_or_pad_same": tf.image.resize_image_with_crop_or_pad(single, 4, 6),
}
report("crop_static", {k: str(v.shape) for k, v in cropped.items()})
report("crop_names", [cropped[k].name for k in ("central_half", "crop_box", "pad_box")])
report("crop_values", tf.Session().run(cropped, feed))
crop_grads = tf.gradients(tf.reduce_sum(cropped["crop_or_pad"] * cropped["crop_or_pad"]) +
                          tf.reduce_sum(cropped["central_half"]), images)[0]
report("crop_grads", tf.Session().run(crop_grads, feed))
report_error("crop_outside", lambda: tf.image.crop_to_bounding_box(images, 2, 2, 3, 3))
report_error("pad_too_small", lambda: tf.image.pad_to_bounding_box(images, 1, 1, 4, 6))
report_error("central_fraction_zero", lambda: tf.image.central_crop(images, 0.0))
report_error("crop_or_pad_zero_target",
             lambda: tf.image.resize_image_with_crop_or_pad(images, 0, 3))

# Standardization, colour and dtype conversions, brightness and contrast.
adjusted = {
    "standardized": tf.image.per_image_standardization(images),
    "standardized_3d": tf.image.per_image_standardization(single),
    "standardized_uint8": tf.image.per_image_standardization(pixels),
    "standardized_constant": tf.image.per_image_standardization(tf.ones([3, 3, 1])),
    "gray": tf.image.rgb_to_grayscale(images),
    "gray_uint8": tf.image.rgb_to_grayscale(pixels),
    "gray_to_rgb": tf.image.grayscale_to_rgb(tf.image.rgb_to_grayscale(single)),
    "uint8_to_float": tf.image.convert_image_dtype(pixels, tf.float32),
    "float_to_uint8": tf.image.convert_image_dtype(single, tf.uint8),
    "float_to_uint8_saturate": tf.image.convert_image_dtype(single * 1.5 - 0.2, tf.uint8,
                                                            saturate=True),
    "uint8_to_int32": tf.image.convert_image_dtype(pixels, tf.int32),
    "int32_to_uint8": tf.image.convert_image_dtype(
        tf.image.convert_image_dtype(pixels, tf.int32), tf.uint8),
    "float_to_float64": tf.image.convert_image_dtype(single, tf.float64),
    "uint8_to_float16": tf.image.convert_image_dtype(pixels, tf.float16),
    "brightness": tf.image.adjust_brightness(images, 0.2),
    "brightness_uint8": tf.image.adjust_brightness(pixels, 0.1),
    "contrast": tf.image.adjust_contrast(images, 1.7),
    "contrast_3d": tf.image.adjust_contrast(single, 0.4),
    "contrast_uint8": tf.image.adjust_contrast(pixels, 1.3),
    "total_variation": tf.image.total_variation(images),
    "total_variation_3d": tf.image.total_variation(single),
}
dy, dx = tf.image.image_gradients(images)
adjusted["image_dy"], adjusted["image_dx"] = dy, dx
report("adjust_static", {k: [v.name, str(v.shape), v.dtype.name] for k, v in adjusted.items()})
report("adjust_values", tf.Session().run(adjusted, feed))
adjust_grads = {k: tf.gradients(tf.reduce_sum(tf.sin(adjusted[k])), images)[0]
                for k in ("standardized", "gray", "brightness", "total_variation", "image_dy",
                          "image_dx")}
report("adjust_grads", tf.Session().run(adjust_grads, feed), rtol=1e-4, atol=1e-4)
report_error("convert_to_string", lambda: tf.image.convert_image_dtype(pixels, tf.string))
report_error("gray_to_rgb_three_channels", lambda: tf.image.grayscale_to_rgb(single))
report_error("image_gradients_3d", lambda: tf.image.image_gradients(single))
report_error("total_variation_2d", lambda: tf.image.total_variation(tf.zeros([3, 3])))

# Random crops: the shape is fixed, the content is one window of the input.
crop = tf.random_crop(images, [2, 3, 3, 3], seed=3)
crop_3d = tf.image.random_crop(single, [2, 5, 3], seed=4)
report("random_crop_static", [[crop.name, str(crop.shape)], [crop_3d.name, str(crop_3d.shape)]])
with tf.Session() as sess:
    window = sess.run(crop_3d, feed)
    windows = [image_values[0][i:i + 2, j:j + 5] for i in range(3) for j in range(2)]
    report("random_crop_is_a_window", any(np.array_equal(window, w) for w in windows))
