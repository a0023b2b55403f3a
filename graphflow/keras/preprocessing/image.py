"""``tf.keras.preprocessing.image.ImageDataGenerator``: random augmentation and normalization of
NHWC image batches, as a generator that ``model.fit`` consumes.

A batch is transformed at once in numpy: every sample draws its own rotation, shifts, shear and
zoom, these compose into one affine map per sample from output pixel to input position, and all
samples are resampled together (bilinear, with Keras's fill modes). Flips, brightness and channel
shifts follow, then standardization (rescale, sample-wise, then feature-wise statistics learnt by
``fit``, then ZCA whitening), in Keras's order.
"""
import warnings

import numpy as np

_FILL_MODES = ("constant", "nearest", "reflect", "wrap")


def _range_pair(value, name):
    if np.isscalar(value):
        return (1.0 - value, 1.0 + value)
    if len(value) == 2:
        return (float(value[0]), float(value[1]))
    raise ValueError("`%s` should be a float or a tuple or list of two floats. Received: %r"
                     % (name, value))


def _source_index(coords, size, fill_mode):
    """Integer source positions for ``fill_mode``, plus a mask of those inside the image."""
    inside = (coords >= 0) & (coords <= size - 1)
    if fill_mode == "nearest" or fill_mode == "constant":
        return np.clip(coords, 0, size - 1), inside
    if fill_mode == "wrap":
        return np.mod(coords, size), inside
    # reflect about the pixel edges: d c b a | a b c d | d c b a
    period = 2 * size
    folded = np.mod(coords, period)
    return np.where(folded >= size, period - 1 - folded, folded), inside


def _resample(x, rows, cols, fill_mode, cval):
    """``x[b, rows[b, i, j], cols[b, i, j], :]`` with bilinear interpolation."""
    batch, height, width = x.shape[:3]
    r0, c0 = np.floor(rows).astype(np.int64), np.floor(cols).astype(np.int64)
    fr, fc = (rows - r0)[..., None], (cols - c0)[..., None]
    sample = np.arange(batch)[:, None, None]
    out = 0.0
    for dr, wr in ((0, 1.0 - fr), (1, fr)):
        r, r_inside = _source_index(r0 + dr, height, fill_mode)
        for dc, wc in ((0, 1.0 - fc), (1, fc)):
            c, c_inside = _source_index(c0 + dc, width, fill_mode)
            corner = x[sample, r, c]
            if fill_mode == "constant":
                corner = np.where((r_inside & c_inside)[..., None], corner, cval)
            out = out + wr * wc * corner
    return out.astype(x.dtype, copy=False)


class ImageDataGenerator:
    def __init__(self, featurewise_center=False, samplewise_center=False,
                 featurewise_std_normalization=False, samplewise_std_normalization=False,
                 zca_whitening=False, zca_epsilon=1e-6, rotation_range=0, width_shift_range=0.0,
                 height_shift_range=0.0, brightness_range=None, shear_range=0.0, zoom_range=0.0,
                 channel_shift_range=0.0, fill_mode="nearest", cval=0.0, horizontal_flip=False,
                 vertical_flip=False, rescale=None, preprocessing_function=None,
                 data_format=None, validation_split=0.0, dtype="float32"):
        if data_format not in (None, "channels_last"):
            raise ValueError("Only data_format='channels_last' (NHWC) is supported, got %r"
                             % (data_format,))
        if fill_mode not in _FILL_MODES:
            raise ValueError("fill_mode should be one of %s, got %r" % (_FILL_MODES, fill_mode))
        if not 0.0 <= validation_split < 1.0:
            raise ValueError("`validation_split` must be strictly between 0 and 1. Received: %s"
                             % validation_split)
        if brightness_range is not None and len(brightness_range) != 2:
            raise ValueError("`brightness_range should be tuple or list of two floats. "
                             "Received: %r" % (brightness_range,))
        self.featurewise_center, self.samplewise_center = featurewise_center, samplewise_center
        self.featurewise_std_normalization = featurewise_std_normalization
        self.samplewise_std_normalization = samplewise_std_normalization
        self.zca_whitening, self.zca_epsilon = zca_whitening, zca_epsilon
        self.rotation_range = float(rotation_range)
        self.width_shift_range, self.height_shift_range = width_shift_range, height_shift_range
        self.brightness_range, self.shear_range = brightness_range, float(shear_range)
        self.zoom_range = _range_pair(zoom_range, "zoom_range")
        self.channel_shift_range = float(channel_shift_range)
        self.fill_mode, self.cval = fill_mode, float(cval)
        self.horizontal_flip, self.vertical_flip = horizontal_flip, vertical_flip
        self.rescale, self.preprocessing_function = rescale, preprocessing_function
        self.validation_split, self.dtype = validation_split, np.dtype(dtype)
        self.mean = self.std = self.principal_components = None

    # -- statistics --------------------------------------------------------------------------
    def fit(self, x, augment=False, rounds=1, seed=None):
        """Learns the per-channel mean and std (and ZCA matrix) the feature-wise options use."""
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError("Input to `.fit()` should have rank 4. Got array with shape: %s"
                             % (x.shape,))
        if augment:
            rng = np.random.RandomState(seed)
            x = np.concatenate([self.random_transform_batch(x, rng) for _ in range(rounds)])
        if self.featurewise_center:
            self.mean = x.mean(axis=(0, 1, 2)).reshape(1, 1, -1)
            x = x - self.mean
        if self.featurewise_std_normalization:
            self.std = x.std(axis=(0, 1, 2)).reshape(1, 1, -1)
            x = x / (self.std + 1e-6)
        if self.zca_whitening:
            flat = x.reshape(len(x), -1)
            sigma = flat.T @ flat / len(flat)
            u, s, _ = np.linalg.svd(sigma)
            self.principal_components = (u * (1.0 / np.sqrt(s + self.zca_epsilon))) @ u.T

    def standardize(self, x):
        """Applies the normalization options to a batch (or one image); returns a new array."""
        x = np.array(x, dtype=self.dtype)
        single = x.ndim == 3
        if single:
            x = x[None]
        if self.preprocessing_function is not None:
            x = np.stack([self.preprocessing_function(image) for image in x]).astype(self.dtype)
        if self.rescale:
            x *= self.rescale
        if self.samplewise_center:
            x -= x.mean(axis=(1, 2, 3), keepdims=True)
        if self.samplewise_std_normalization:
            x /= x.std(axis=(1, 2, 3), keepdims=True) + 1e-6
        for option, stat, fit_name in ((self.featurewise_center, self.mean, "featurewise_center"),
                                       (self.featurewise_std_normalization, self.std,
                                        "featurewise_std_normalization"),
                                       (self.zca_whitening, self.principal_components,
                                        "zca_whitening")):
            if option and stat is None:
                warnings.warn("This ImageDataGenerator specifies `%s`, but it hasn't been fit on "
                              "any training data. Fit it first by calling `.fit(numpy_data)`."
                              % fit_name)
        if self.featurewise_center and self.mean is not None:
            x -= self.mean
        if self.featurewise_std_normalization and self.std is not None:
            x /= self.std + 1e-6
        if self.zca_whitening and self.principal_components is not None:
            x = (x.reshape(len(x), -1) @ self.principal_components).reshape(x.shape)
        return x[0] if single else x

    # -- random transforms -------------------------------------------------------------------
    def _shift(self, setting, size, count, rng):
        if isinstance(setting, (list, tuple, np.ndarray)):
            return rng.choice(np.asarray(setting, dtype=np.float64), count)
        if not setting:
            return np.zeros(count)
        if isinstance(setting, (int, np.integer)) and setting >= 1:
            return rng.randint(-setting, setting + 1, count).astype(np.float64)
        shift = rng.uniform(-setting, setting, count)
        return shift * size if setting < 1 else shift

    def get_random_transform_batch(self, shape, rng):
        """Per-sample transform parameters (arrays of length ``shape[0]``) for NHWC ``shape``."""
        count, height, width = shape[:3]
        zx = zy = np.ones(count)
        if self.zoom_range != (1.0, 1.0):
            zx = rng.uniform(self.zoom_range[0], self.zoom_range[1], count)
            zy = rng.uniform(self.zoom_range[0], self.zoom_range[1], count)
        params = {
            "theta": rng.uniform(-self.rotation_range, self.rotation_range, count)
            if self.rotation_range else np.zeros(count),
            "tx": self._shift(self.height_shift_range, height, count, rng),
            "ty": self._shift(self.width_shift_range, width, count, rng),
            "shear": rng.uniform(-self.shear_range, self.shear_range, count)
            if self.shear_range else np.zeros(count),
            "zx": zx, "zy": zy,
            "flip_horizontal": (rng.rand(count) < 0.5) if self.horizontal_flip else
            np.zeros(count, bool),
            "flip_vertical": (rng.rand(count) < 0.5) if self.vertical_flip else
            np.zeros(count, bool),
            "channel_shift_intensity": rng.uniform(-self.channel_shift_range,
                                                   self.channel_shift_range, count)
            if self.channel_shift_range else None,
            "brightness": rng.uniform(self.brightness_range[0], self.brightness_range[1], count)
            if self.brightness_range is not None else None,
        }
        return params

    def apply_transform_batch(self, x, params):
        x = np.asarray(x, dtype=self.dtype)
        count, height, width = x.shape[:3]
        theta, shear = np.deg2rad(params["theta"]), np.deg2rad(params["shear"])
        if np.any(theta) or np.any(shear) or np.any(params["tx"]) or np.any(params["ty"]) or \
                np.any(params["zx"] != 1) or np.any(params["zy"] != 1):
            # Input position = center + R(theta) S(shear) Z(zoom) (output - center) + shift.
            cos, sin = np.cos(theta), np.sin(theta)
            rotation = np.stack([np.stack([cos, -sin], -1), np.stack([sin, cos], -1)], -2)
            shearing = np.stack([np.stack([np.ones(count), -np.sin(shear)], -1),
                                 np.stack([np.zeros(count), np.cos(shear)], -1)], -2)
            zoom = np.zeros((count, 2, 2))
            zoom[:, 0, 0], zoom[:, 1, 1] = params["zx"], params["zy"]
            linear = rotation @ shearing @ zoom
            center = np.array([height / 2.0 - 0.5, width / 2.0 - 0.5])
            grid = np.stack(np.meshgrid(np.arange(height), np.arange(width), indexing="ij"),
                            -1).reshape(-1, 2) - center
            source = grid @ linear.transpose(0, 2, 1) + center
            shift = np.stack([params["tx"], params["ty"]], -1)
            shift = (rotation @ shift[..., None])[..., 0]  # the shift acts before the rotation
            source = source + shift[:, None, :]
            x = _resample(x, source[..., 0].reshape(count, height, width),
                          source[..., 1].reshape(count, height, width), self.fill_mode,
                          self.cval)
        if params.get("channel_shift_intensity") is not None:
            low = x.min(axis=(1, 2, 3), keepdims=True)
            high = x.max(axis=(1, 2, 3), keepdims=True)
            x = np.clip(x + params["channel_shift_intensity"][:, None, None, None], low, high)
        flip = params["flip_horizontal"]
        if np.any(flip):
            x = np.where(flip[:, None, None, None], x[:, :, ::-1], x)
        flip = params["flip_vertical"]
        if np.any(flip):
            x = np.where(flip[:, None, None, None], x[:, ::-1], x)
        if params.get("brightness") is not None:
            x = x * params["brightness"][:, None, None, None]
        return x.astype(self.dtype, copy=False)

    def random_transform_batch(self, x, rng=None):
        rng = rng if rng is not None else np.random
        return self.apply_transform_batch(x, self.get_random_transform_batch(x.shape, rng))

    def random_transform(self, x, seed=None):
        """One HWC image, randomly transformed."""
        rng = np.random.RandomState(seed) if seed is not None else np.random
        return self.random_transform_batch(np.asarray(x)[None], rng)[0]

    # -- iteration ---------------------------------------------------------------------------
    def flow(self, x, y=None, batch_size=32, shuffle=True, sample_weight=None, seed=None,
             subset=None):
        """An endless iterator of augmented, standardized batches ``(x, y)`` (``x`` alone when
        ``y`` is None; ``(x, y, sample_weight)`` with weights); ``len()`` is batches per epoch.
        """
        return NumpyArrayIterator(x, y, self, batch_size=batch_size, shuffle=shuffle,
                                  sample_weight=sample_weight, seed=seed, subset=subset)


class NumpyArrayIterator:
    """Batches of an array through an ImageDataGenerator; a new order every epoch."""

    def __init__(self, x, y, image_data_generator, batch_size=32, shuffle=False,
                 sample_weight=None, seed=None, subset=None):
        x = np.asarray(x)
        if x.ndim != 4:
            raise ValueError("Input data in `NumpyArrayIterator` should have rank 4. You passed "
                             "an array with shape %s" % (x.shape,))
        if y is not None and len(x) != len(y):
            raise ValueError("`x` (images tensor) and `y` (labels) should have the same length. "
                             "Found: x.shape = %s, y.shape = %s" % (x.shape, np.shape(y)))
        y = None if y is None else np.asarray(y)
        sample_weight = None if sample_weight is None else np.asarray(sample_weight)
        if subset is not None:
            if subset not in ("training", "validation"):
                raise ValueError("Invalid subset name: %s; expected 'training' or 'validation'"
                                 % subset)
            split = int(len(x) * (1 - image_data_generator.validation_split))
            part = slice(None, split) if subset == "training" else slice(split, None)
            x = x[part]
            y = None if y is None else y[part]
            sample_weight = None if sample_weight is None else sample_weight[part]
        self.x, self.y, self.sample_weight = x, y, sample_weight
        self.image_data_generator = image_data_generator
        self.batch_size, self.shuffle, self.n = int(batch_size), shuffle, len(x)
        self.rng = np.random.RandomState(seed)
        self.batch_index, self.epoch = 0, 0
        self._order = self._new_order()

    def _new_order(self):
        return self.rng.permutation(self.n) if self.shuffle else np.arange(self.n)

    def __len__(self):
        return (self.n + self.batch_size - 1) // self.batch_size

    def on_epoch_end(self):
        self.epoch += 1
        self._order = self._new_order()

    def __getitem__(self, index):
        if index >= len(self):
            raise ValueError("Asked to retrieve element %d, but the Sequence has length %d"
                             % (index, len(self)))
        return self._batch(self._order[index * self.batch_size:(index + 1) * self.batch_size])

    def __iter__(self):
        return self

    def __next__(self):
        if self.batch_index >= len(self):
            self.batch_index = 0
            self.on_epoch_end()
        index = self.batch_index
        self.batch_index += 1
        return self[index]

    next = __next__

    def _batch(self, index):
        generator = self.image_data_generator
        images = generator.random_transform_batch(self.x[index].astype(generator.dtype),
                                                  self.rng)
        images = generator.standardize(images)
        if self.y is None:
            return images
        if self.sample_weight is None:
            return images, self.y[index]
        return images, self.y[index], self.sample_weight[index]
