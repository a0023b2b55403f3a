"""tf.keras models: training on digits, the graph-mode plumbing (one Session.run per batch, no
graph growth between fits, learning phase, regularization in the loss), summary's counts
(checked against tf_keras's output for the same models), weights round trips and Keras's
error messages."""
import math
import os
import sys

import numpy as np
import pytest

import graphflow as tf

keras = tf.keras
L = keras.layers

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "examples"))
import digits_data  # noqa: E402


@pytest.fixture(autouse=True)
def fresh_keras_state():
    keras.backend.clear_session()
    np.random.seed(0)
    tf.set_random_seed(0)
    yield
    keras.backend.clear_session()


def mlp(hidden=32, **dense_kwargs):
    return keras.Sequential([
        L.Dense(hidden, activation="relu", input_shape=(64,), **dense_kwargs),
        L.Dense(10, activation="softmax")])


def test_fit_reaches_95_percent_on_digits():
    train_x, train_y, test_x, test_y = digits_data.load()
    model = keras.Sequential([L.Dense(64, activation=tf.nn.relu, input_shape=(64,)),
                              L.Dense(10, activation="softmax")])
    model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(train_x.reshape(-1, 64), train_y, batch_size=128, epochs=10,
                        verbose=0)
    loss, accuracy = model.evaluate(test_x.reshape(-1, 64), test_y, verbose=0)
    assert accuracy >= 0.95
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    predicted = model.predict(test_x.reshape(-1, 64)).argmax(1)
    assert np.mean(predicted == test_y) == pytest.approx(accuracy)


def test_history_keys_and_params_follow_graph_mode_keras():
    x, y = np.random.rand(100, 64).astype("float32"), np.random.randint(0, 10, 100)
    model = mlp()
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=32, epochs=2, validation_split=0.2, verbose=0)
    assert list(history.history) == ["loss", "acc", "val_loss", "val_acc"]
    assert history.epoch == [0, 1] and model.history is history
    assert history.params["samples"] == 80 and history.params["do_validation"]
    assert model.metrics_names == ["loss", "acc"]
    # The validation values are evaluate() on the last 20% of the data, unshuffled.
    val_loss, val_acc = model.evaluate(x[80:], y[80:], verbose=0)
    assert history.history["val_loss"][-1] == pytest.approx(val_loss, rel=1e-5)
    assert history.history["val_acc"][-1] == pytest.approx(val_acc)


def test_one_session_run_per_batch_and_no_new_ops_after_the_first_fit():
    x, y = np.random.rand(100, 64).astype("float32"), np.random.randint(0, 10, 100)
    model = mlp()
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["acc"])
    model.fit(x, y, batch_size=32, epochs=1, verbose=0)
    session = keras.backend.get_session()
    graph = tf.get_default_graph()
    ops_before = len(graph.get_operations())
    calls = []
    real_run = session.run
    session.run = lambda *args, **kwargs: calls.append(1) or real_run(*args, **kwargs)
    try:
        model.fit(x, y, batch_size=32, epochs=3, verbose=0)
    finally:
        del session.run
    assert len(calls) == 3 * math.ceil(100 / 32)
    assert len(graph.get_operations()) == ops_before


def test_dropout_runs_only_in_fit_and_batch_norm_updates_its_moving_averages():
    x = np.random.rand(64, 64).astype("float32") * 3 + 1
    y = np.random.randint(0, 10, 64)
    model = keras.Sequential([L.Dense(32, input_shape=(64,)), L.BatchNormalization(),
                              L.Dropout(0.5), L.Dense(10, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy")
    np.testing.assert_array_equal(model.predict(x), model.predict(x))  # no dropout
    moving_mean = model.layers[1].moving_mean
    session = keras.backend.get_session()
    assert np.all(session.run(moving_mean) == 0)
    # In training mode Dropout zeroes units: two train-mode losses on the same batch differ.
    training = model._ensure_training_graph()
    feed = training.feed([x], y, np.ones(64, np.float32), train=True)
    assert feed[keras.backend.learning_phase()] is True
    train_losses = {float(session.run(training.total_loss, feed)) for _ in range(3)}
    assert len(train_losses) > 1
    model.fit(x, y, epochs=2, batch_size=64, verbose=0)
    assert np.all(session.run(moving_mean) != 0)
    assert model.layers[1].momentum == 0.99 and model.layers[1].epsilon == 1e-3


def test_the_loss_adds_every_layer_penalty():
    x, y = np.random.rand(40, 64).astype("float32"), np.random.randint(0, 10, 40)
    model = keras.Sequential([
        L.Dense(16, activation="relu", input_shape=(64,),
                kernel_regularizer=keras.regularizers.l2(0.01)),
        L.Dense(10, activation="softmax", kernel_regularizer="l1", bias_regularizer="l2")])
    model.compile("sgd", "sparse_categorical_crossentropy")
    assert len(model.losses) == 3
    assert not tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    w1, b1, w2, b2 = model.get_weights()
    hidden = np.maximum(x @ w1 + b1, 0)
    logits = hidden @ w2 + b2
    logits -= logits.max(1, keepdims=True)
    log_probs = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    cross_entropy = -log_probs[np.arange(40), y].mean()
    penalty = 0.01 * (w1 ** 2).sum() + 0.01 * np.abs(w2).sum() + 0.01 * (b2 ** 2).sum()
    assert model.evaluate(x, y, verbose=0) == pytest.approx(cross_entropy + penalty, rel=1e-5)


def test_initial_loss_of_an_untrained_softmax_is_ln_classes():
    x, y = np.random.rand(50, 64).astype("float32"), np.random.randint(0, 10, 50)
    model = keras.Sequential([L.Dense(10, activation="softmax", input_shape=(64,),
                                      kernel_initializer="zeros")])
    model.compile("sgd", "categorical_crossentropy")
    assert model.evaluate(x, keras.utils.to_categorical(y, 10), verbose=0) == pytest.approx(
        math.log(10), rel=1e-6)


def test_sample_and_class_weights_scale_the_loss():
    x, y = np.random.rand(20, 64).astype("float32"), np.random.randint(0, 10, 20)
    model = mlp()
    model.compile("sgd", "sparse_categorical_crossentropy")
    plain = model.test_on_batch(x, y)
    doubled = model.test_on_batch(x, y, sample_weight=np.full(20, 2.0))
    assert doubled == pytest.approx(2 * plain, rel=1e-5)


def test_mse_binary_and_functional_residual_model_train():
    inputs = keras.Input(shape=(4,))
    hidden = L.Dense(8, activation="tanh")(inputs)
    residual = L.Add()([hidden, L.Dense(8)(hidden)])
    output = L.Dense(1, activation="sigmoid")(residual)
    model = keras.Model(inputs, output)
    assert [layer.name for layer in model.layers] == ["input_1", "dense", "dense_1", "add",
                                                      "dense_2"]
    x = np.random.randn(200, 4).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("float32")
    model.compile(keras.optimizers.Adam(0.05), "binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=50, epochs=15, verbose=0)
    assert history.history["acc"][-1] > 0.9  # 'accuracy' is binary accuracy here
    regression = keras.Sequential([L.Dense(1, input_shape=(3,))])
    regression.compile(keras.optimizers.SGD(0.1), "mse", metrics=["mae"])
    xr = np.random.randn(100, 3).astype("float32")
    yr = xr @ np.array([1.0, -2.0, 0.5], np.float32) + 0.3
    history = regression.fit(xr, yr, batch_size=20, epochs=30, verbose=0)
    assert history.history["loss"][-1] < 1e-3 and "mean_absolute_error" in history.history


def test_summary_counts_match_tf_keras():
    lines = []
    mlp().summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert " dense (Dense)               (None, 32)                2080      " in text
    assert " dense_1 (Dense)             (None, 10)                330       " in text
    assert "Total params: 2410 (9.41 KB)" in text
    assert "Non-trainable params: 0 (0.00 Byte)" in text

    inputs = keras.Input(shape=(8, 8, 1))
    h = L.Conv2D(8, 3, padding="same", activation="relu")(inputs)
    h = L.BatchNormalization()(h)
    h = L.Add()([h, L.Conv2D(8, 3, padding="same")(h)])
    h = L.MaxPooling2D()(L.Activation("relu")(h))
    h = L.AveragePooling2D(2)(L.Conv2DTranspose(4, 3, strides=2, padding="same")(h))
    h = L.Flatten()(L.Reshape((4, 16))(L.Flatten()(h)))
    model = keras.Model(inputs, L.Dense(10, activation="softmax")(h))
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    # tf_keras prints these numbers for the same model.
    for row in ("input_1 (InputLayer)        [(None, 8, 8, 1)]            0         []",
                "conv2d_transpose (Conv2DTr  (None, 8, 8, 4)              292",
                "batch_normalization (Batch  (None, 8, 8, 8)              32",
                "reshape (Reshape)           (None, 4, 16)                0",
                "Total params: 1638 (6.40 KB)", "Trainable params: 1622 (6.34 KB)",
                "Non-trainable params: 16 (64.00 Byte)"):
        assert row in text, row
    assert model.count_params() == 1638


def test_save_and_load_weights_round_trip_into_a_fresh_model(tmp_path):
    x, y = np.random.rand(30, 64).astype("float32"), np.random.randint(0, 10, 30)
    first = mlp()
    first.compile("adam", "sparse_categorical_crossentropy")
    first.fit(x, y, epochs=2, verbose=0)
    prefix = first.save_weights(str(tmp_path / "weights"))
    assert os.path.exists(prefix + ".index") and os.path.exists(str(tmp_path / "checkpoint"))
    second = mlp()  # other layer names (dense_2, dense_3), other initial values
    assert not np.allclose(second.predict(x), first.predict(x))
    second.load_weights(str(tmp_path / "weights"))
    np.testing.assert_array_equal(second.predict(x), first.predict(x))
    for a, b in zip(first.get_weights(), second.get_weights()):
        np.testing.assert_array_equal(a, b)
    third = mlp()
    third.load_weights(str(tmp_path))  # a directory: its latest checkpoint
    np.testing.assert_array_equal(third.predict(x), first.predict(x))
    other = mlp(hidden=16)
    with pytest.raises(tf.errors.InvalidArgumentError, match="shape"):
        other.load_weights(str(tmp_path / "weights"))


def test_set_weights_checks_shapes():
    model = mlp()
    weights = model.get_weights()
    model.set_weights([w * 0 + 1 for w in weights])
    assert all(np.all(w == 1) for w in model.get_weights())
    with pytest.raises(ValueError, match=r"\(64, 32\) not compatible with provided weight "
                                         r"shape \(63, 32\)"):
        model.set_weights([np.ones((63, 32))] + weights[1:])


def test_wrong_input_shape_names_the_layer_and_the_shape():
    model = mlp()
    model.compile("sgd", "sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match=r"^Error when checking input: expected dense_input to "
                                         r"have shape \(64,\) but got array with shape \(63,\)$"):
        model.predict(np.zeros((3, 63)))
    with pytest.raises(ValueError, match="expected dense_input to have 2 dimensions"):
        model.fit(np.zeros((3, 8, 8)), np.zeros(3))
    categorical = mlp()
    categorical.compile("sgd", "categorical_crossentropy")
    with pytest.raises(ValueError, match=r"Error when checking target: expected dense_3 to have "
                                         r"shape \(10,\) but got array with shape \(1,\)"):
        categorical.fit(np.zeros((3, 64)), np.zeros(3))


def test_fit_before_compile_raises():
    model = keras.Sequential([L.Dense(3)])
    with pytest.raises(RuntimeError, match=r"^You must compile your model before "
                                           r"training/testing. Use `model.compile\(optimizer, "
                                           r"loss\)`.$"):
        model.fit(np.zeros((4, 2)), np.zeros((4, 3)))
    with pytest.raises(RuntimeError, match="compile"):
        model.evaluate(np.zeros((4, 2)), np.zeros((4, 3)))


def test_sequential_without_input_shape_builds_from_the_first_data():
    model = keras.Sequential()
    model.add(L.Dense(5, activation="relu"))
    model.add(L.Dense(2))
    with pytest.raises(ValueError, match="not yet been built"):
        model.summary()
    assert model.predict(np.ones((3, 7))).shape == (3, 2)
    assert model.input_shape == (None, 7) and model.output_shape == (None, 2)
    assert model.layers[0].count_params() == 7 * 5 + 5


def test_keras_names_and_defaults_match_tf_keras():
    assert keras.optimizers.get("adam").get_config() == {
        "name": "Adam", "learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}
    assert keras.optimizers.get("sgd").get_config()["learning_rate"] == 0.01
    assert keras.optimizers.get("RMSprop").get_config()["rho"] == 0.9
    assert keras.optimizers.Adam(lr=0.5).learning_rate == 0.5
    assert keras.initializers.get("RandomNormal").get_config()["stddev"] == 0.05
    assert keras.initializers.get("random_uniform").get_config()["minval"] == -0.05
    assert keras.activations.get("relu") is keras.activations.relu
    assert keras.backend.learning_phase().name == "keras_learning_phase:0"
    with pytest.raises(ValueError, match="Unknown loss function: 'crossentropy'"):
        keras.Sequential([L.Dense(1, input_shape=(2,))]).compile("sgd", "crossentropy")
    # Names are given at construction, numbered per graph (one Dense exists already).
    assert [L.Dense(1).name, L.Dense(1).name, L.Conv2D(1, 1).name] == ["dense_1", "dense_2",
                                                                      "conv2d"]
    from graphflow.keras.layers import Dense  # noqa: F401
    from graphflow.keras.preprocessing.image import ImageDataGenerator  # noqa: F401
    for name in ("layers", "models", "optimizers", "losses", "callbacks", "initializers",
                 "activations", "backend", "regularizers", "preprocessing"):
        assert hasattr(keras, name)
    assert keras.models.Sequential is keras.Sequential


def test_rmsprop_keras_starts_its_mean_square_at_zero():
    model = keras.Sequential([L.Dense(1, input_shape=(1,), kernel_initializer="ones",
                                      use_bias=False)])
    model.compile(keras.optimizers.RMSprop(0.01), "mse")
    model.train_on_batch(np.ones((1, 1)), np.zeros((1, 1)))
    # ms = 0.1 g^2, so the first step is lr * g / sqrt(0.1 g^2 + eps) = 0.01 / sqrt(0.1).
    assert model.get_weights()[0][0, 0] == pytest.approx(1 - 0.01 / math.sqrt(0.1), rel=1e-5)


def test_fit_runs_in_the_active_default_session():
    x, y = np.random.rand(20, 64).astype("float32"), np.random.randint(0, 10, 20)
    model = mlp()
    model.compile("sgd", "sparse_categorical_crossentropy")
    with tf.Session() as session:
        model.fit(x, y, epochs=1, verbose=0)
        inside = session.run(model.weights[0])
        assert keras.backend.get_session() is session
    # Outside the block Keras runs the model in a session of its own, initialized on first use.
    assert keras.backend.get_session() is not session
    assert model.get_weights()[0].shape == inside.shape


def test_a_user_layer_takes_initializers_and_regularizers_by_name():
    class Scale(L.Layer):
        def build(self, input_shape):
            self.scale = self.add_weight("scale", [int(input_shape[-1])], initializer="ones",
                                         regularizer="l2")

        def call(self, inputs):
            return inputs * self.scale

    model = keras.Sequential([L.Dense(4, input_shape=(3,), kernel_initializer="zeros"),
                              Scale(), L.Dense(1)])
    assert [layer.name for layer in model.layers] == ["dense", "scale", "dense_1"]
    assert model.layers[1].count_params() == 4 and len(model.losses) == 1
    np.testing.assert_array_equal(model.layers[1].get_weights()[0], np.ones(4))
    model.compile("sgd", "mse")
    # Zero hidden activations: the loss is the output bias's error plus the 0.01 * 4 penalty.
    assert model.evaluate(np.ones((5, 3)), np.full(5, 2.0), verbose=0) == pytest.approx(
        4.0 + 0.04, rel=1e-6)


def test_set_session_chooses_the_session_models_run_in():
    model = mlp()
    session = tf.Session()
    keras.backend.set_session(session)
    assert keras.backend.get_session() is session
    weights = model.get_weights()
    np.testing.assert_array_equal(session.run(model.weights[0]), weights[0])
    keras.backend.clear_session()
    assert session._closed
