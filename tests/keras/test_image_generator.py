"""ImageDataGenerator: exact geometry of shifts, rotations and fill modes, flips, feature-wise
statistics, iteration over epochs, and fit() on its batches."""
import numpy as np
import pytest

import graphflow as tf
from graphflow.keras.preprocessing.image import ImageDataGenerator

keras = tf.keras


def params(count, **given):
    base = {"theta": np.zeros(count), "tx": np.zeros(count), "ty": np.zeros(count),
            "shear": np.zeros(count), "zx": np.ones(count), "zy": np.ones(count),
            "flip_horizontal": np.zeros(count, bool), "flip_vertical": np.zeros(count, bool)}
    base.update({k: np.asarray(v) for k, v in given.items()})
    return base


def ramp_row(width=4):
    return np.arange(width, dtype=np.float32).reshape(1, 1, width, 1).repeat(3, axis=1)


@pytest.mark.parametrize("fill_mode,expected", [
    ("nearest", [2, 3, 3, 3]), ("reflect", [2, 3, 3, 2]), ("wrap", [2, 3, 0, 1]),
    ("constant", [2, 3, -1, -1])])
def test_integer_shift_with_each_fill_mode(fill_mode, expected):
    generator = ImageDataGenerator(fill_mode=fill_mode, cval=-1)
    out = generator.apply_transform_batch(ramp_row(), params(1, ty=[2.0]))
    np.testing.assert_allclose(out[0, 1, :, 0], expected, atol=1e-6)


def test_rotation_by_90_degrees_is_rot90_and_half_pixel_shift_interpolates():
    x = np.random.RandomState(0).rand(2, 5, 5, 3).astype(np.float32)
    out = ImageDataGenerator().apply_transform_batch(x, params(2, theta=[90.0, -90.0]))
    np.testing.assert_allclose(out[0], np.rot90(x[0], -1), atol=1e-5)
    np.testing.assert_allclose(out[1], np.rot90(x[1], 1), atol=1e-5)
    half = ImageDataGenerator().apply_transform_batch(ramp_row(), params(1, ty=[0.5]))
    np.testing.assert_allclose(half[0, 0, :, 0], [0.5, 1.5, 2.5, 3.0], atol=1e-6)


def test_each_sample_draws_its_own_transform_and_constant_images_stay_constant():
    generator = ImageDataGenerator(rotation_range=30, width_shift_range=0.2,
                                   height_shift_range=0.2, shear_range=10, zoom_range=0.2)
    x = np.repeat(np.random.RandomState(1).rand(1, 8, 8, 1).astype(np.float32), 16, axis=0)
    out = generator.random_transform_batch(x, np.random.RandomState(0))
    assert len({out[i].tobytes() for i in range(16)}) == 16
    flat = np.full((4, 8, 8, 2), 0.25, np.float32)
    np.testing.assert_allclose(generator.random_transform_batch(flat, np.random.RandomState(0)),
                               flat, atol=1e-6)


def test_flips_mirror_about_half_the_samples():
    x = np.random.RandomState(0).rand(64, 4, 4, 1).astype(np.float32)
    out = ImageDataGenerator(horizontal_flip=True).random_transform_batch(
        x, np.random.RandomState(0))
    mirrored = [np.array_equal(o, s[:, ::-1]) for o, s in zip(out, x)]
    unchanged = [np.array_equal(o, s) for o, s in zip(out, x)]
    assert all(m or u for m, u in zip(mirrored, unchanged))
    assert 16 < sum(mirrored) < 48
    out = ImageDataGenerator(vertical_flip=True).random_transform_batch(
        x, np.random.RandomState(0))
    assert all(np.array_equal(o, s[::-1]) or np.array_equal(o, s) for o, s in zip(out, x))


def test_featurewise_center_and_std_normalization_use_the_fitted_statistics():
    rng = np.random.RandomState(0)
    x = (rng.rand(200, 6, 6, 3) * [1.0, 5.0, 10.0] + [0.0, 3.0, -7.0]).astype(np.float32)
    generator = ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True)
    with pytest.warns(UserWarning, match="hasn't been fit"):
        generator.standardize(x[:2])
    generator.fit(x)
    np.testing.assert_allclose(generator.mean.ravel(), x.mean(axis=(0, 1, 2)), rtol=1e-5)
    out = generator.standardize(x)
    np.testing.assert_allclose(out.mean(axis=(0, 1, 2)), 0, atol=1e-4)
    np.testing.assert_allclose(out.std(axis=(0, 1, 2)), 1, atol=1e-4)
    samplewise = ImageDataGenerator(samplewise_center=True, samplewise_std_normalization=True,
                                    rescale=1 / 255.0).standardize(x)
    np.testing.assert_allclose(samplewise.mean(axis=(1, 2, 3)), 0, atol=1e-5)
    np.testing.assert_allclose(samplewise.std(axis=(1, 2, 3)), 1, atol=1e-3)


def test_zca_whitening_decorrelates_pixels():
    rng = np.random.RandomState(0)
    mixing = rng.rand(4, 4)
    x = (rng.randn(500, 4) @ mixing).reshape(500, 2, 2, 1).astype(np.float32)
    generator = ImageDataGenerator(featurewise_center=True, zca_whitening=True)
    generator.fit(x)
    flat = generator.standardize(x).reshape(500, -1)
    np.testing.assert_allclose(flat.T @ flat / 500, np.eye(4), atol=1e-2)


def test_flow_visits_every_sample_once_per_epoch_in_a_new_order():
    x = np.arange(10, dtype=np.float32).reshape(10, 1, 1, 1)
    y = np.arange(10)
    iterator = ImageDataGenerator().flow(x, y, batch_size=4, seed=0)
    assert len(iterator) == 3
    epochs = []
    for _ in range(2):
        batches = [next(iterator) for _ in range(len(iterator))]
        assert [len(b[1]) for b in batches] == [4, 4, 2]
        labels = np.concatenate([b[1] for b in batches])
        images = np.concatenate([b[0] for b in batches]).ravel()
        np.testing.assert_array_equal(images, labels)  # images travel with their labels
        assert sorted(labels) == list(range(10))
        epochs.append(labels)
    assert not np.array_equal(*epochs)
    with pytest.raises(ValueError, match="should have rank 4"):
        ImageDataGenerator().flow(np.zeros((3, 4, 4)))
    training = ImageDataGenerator(validation_split=0.3).flow(x, y, subset="validation")
    assert training.n == 3


def test_fit_trains_on_augmented_batches():
    keras.backend.clear_session()
    np.random.seed(0)
    tf.set_random_seed(0)
    rng = np.random.RandomState(0)
    # Bright top half or bright bottom half: a vertical shift of a pixel keeps the class.
    x = rng.rand(256, 8, 8, 1).astype(np.float32) * 0.3
    y = rng.randint(0, 2, 256)
    x[y == 0, :4] += 0.7
    x[y == 1, 4:] += 0.7
    generator = ImageDataGenerator(height_shift_range=1, horizontal_flip=True,
                                   featurewise_center=True)
    generator.fit(x)
    model = keras.Sequential([keras.layers.Conv2D(4, 3, activation="relu",
                                                  input_shape=(8, 8, 1)),
                              keras.layers.Flatten(),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(generator.flow(x, y, batch_size=32, seed=0), epochs=4, verbose=0)
    assert history.params["steps"] == 8
    assert history.history["acc"][-1] > 0.9
    loss, accuracy = model.evaluate(generator.standardize(x), y, verbose=0)
    assert accuracy > 0.9
    keras.backend.clear_session()
