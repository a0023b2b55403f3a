"""tf.keras callbacks: EarlyStopping on scripted loss sequences (expected epochs from tf_keras
runs of the same scripts), restore_best_weights, ModelCheckpoint and the progress line."""
import io
import os
import re

import numpy as np
import pytest

import graphflow as tf

keras = tf.keras
L = keras.layers

SCRIPT = [1.0, 0.9, 0.95, 0.92, 0.91, 0.5, 0.4, 0.3, 0.3, 0.3]


@pytest.fixture(autouse=True)
def fresh_keras_state():
    keras.backend.clear_session()
    np.random.seed(0)
    tf.set_random_seed(0)
    yield
    keras.backend.clear_session()


class Scripted(keras.callbacks.Callback):
    """Replaces the epoch's val_loss by the next scripted value (it runs before the others)."""

    def __init__(self, values):
        super().__init__()
        self.values = values

    def on_epoch_end(self, epoch, logs=None):
        logs["val_loss"] = self.values[epoch]


def small_model():
    model = keras.Sequential([L.Dense(2, input_shape=(3,))])
    model.compile(keras.optimizers.SGD(0.1), "mse")
    return model


# (EarlyStopping arguments, epochs run, stopped_epoch, best, wait) as tf_keras 2.21 reports them.
CASES = [
    (dict(patience=2), [0, 1, 2, 3], 3, 0.9, 2),
    (dict(patience=2, min_delta=0.05), [0, 1, 2, 3], 3, 0.9, 2),
    (dict(patience=0), [0, 1, 2], 2, 0.9, 1),
    (dict(patience=3, mode="max"), [0, 1, 2, 3], 3, 1.0, 3),
    (dict(patience=2, baseline=0.85), [0, 1, 2], 2, 0.9, 3),
    (dict(patience=4, min_delta=0.2), [0, 1, 2, 3, 4], 4, 1.0, 4),
    (dict(patience=6, min_delta=0.2), list(range(10)), 0, 0.5, 4),
    (dict(patience=2, start_from_epoch=3), list(range(10)), 9, 0.3, 2),
]


@pytest.mark.parametrize("kwargs,epochs,stopped,best,wait", CASES)
def test_early_stopping_stops_at_the_right_epoch(kwargs, epochs, stopped, best, wait, capsys):
    model = small_model()
    stop = keras.callbacks.EarlyStopping(verbose=1, **kwargs)
    history = model.fit(np.zeros((4, 3)), np.zeros((4, 2)), epochs=10, verbose=0,
                        callbacks=[Scripted(SCRIPT), stop])
    assert history.epoch == epochs
    assert (stop.stopped_epoch, stop.best, stop.wait) == (stopped, best, wait)
    assert history.history["val_loss"] == SCRIPT[:len(epochs)]
    out = capsys.readouterr().out
    assert ("Epoch %d: early stopping" % (stopped + 1) in out) == (stopped > 0)


def test_early_stopping_watches_accuracy_upwards_in_auto_mode():
    assert keras.callbacks.EarlyStopping(monitor="val_acc").mode == "max"
    assert keras.callbacks.EarlyStopping(monitor="val_accuracy").mode == "max"
    assert keras.callbacks.EarlyStopping(monitor="loss").mode == "min"


def test_restore_best_weights_puts_back_the_best_epoch():
    model = small_model()
    snapshots = []
    record = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: snapshots.append(model.get_weights()))
    stop = keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)
    x = np.random.rand(8, 3).astype("float32")
    model.fit(x, np.ones((8, 2)), epochs=10, verbose=0,
              callbacks=[Scripted(SCRIPT), record, stop])
    assert stop.best_epoch == 1 and len(snapshots) == 4
    for restored, best in zip(model.get_weights(), snapshots[1]):
        np.testing.assert_array_equal(restored, best)
    assert not np.array_equal(snapshots[1][0], snapshots[3][0])


def test_model_checkpoint_saves_every_epoch_or_only_improvements(tmp_path, capsys):
    model = small_model()
    every = keras.callbacks.ModelCheckpoint(str(tmp_path / "all" / "w.{epoch:02d}"))
    best = keras.callbacks.ModelCheckpoint(
        str(tmp_path / "best" / "w.{epoch:02d}-{val_loss:.2f}"), save_best_only=True, verbose=1)
    os.makedirs(tmp_path / "best")
    model.fit(np.zeros((4, 3)), np.zeros((4, 2)), epochs=4, verbose=0,
              callbacks=[Scripted(SCRIPT), every, best])
    assert sorted(p for p in os.listdir(tmp_path / "all") if p.endswith(".index")) == [
        "w.%02d.index" % e for e in (1, 2, 3, 4)]
    assert sorted(p for p in os.listdir(tmp_path / "best") if p.endswith(".index")) == [
        "w.01-1.00.index", "w.02-0.90.index"]
    out = capsys.readouterr().out
    assert "val_loss improved from inf to 1.00000" in out
    assert "Epoch 00003: val_loss did not improve from 0.90000" in out
    fresh = small_model()
    fresh.load_weights(str(tmp_path / "best"))  # the directory's latest: epoch 2
    weights_at_2 = tf.train.load_variable(str(tmp_path / "best" / "w.02-0.90"),
                                          "layer_with_weights-0/kernel")
    np.testing.assert_array_equal(fresh.get_weights()[0], weights_at_2)


def test_progress_line_shows_samples_eta_loss_and_metrics():
    stream = io.StringIO()
    bar = keras.utils.Progbar(160, verbose=1, stream=stream, dynamic=True, interval=0,
                              unit_name="sample")
    bar.update(32, [("loss", 2.5), ("acc", 0.25)])
    bar.update(64, [("loss", 1.5), ("acc", 0.75)])
    middle = stream.getvalue().split("\r")[-1].rstrip()
    assert middle.startswith(" 64/160 [===========>..................] - ETA: ")
    assert middle.endswith(" - loss: 2.0000 - acc: 0.5000")  # running means over samples
    bar.update(160, [("loss", 1.0), ("acc", 1.0), ("val_loss", 0.5)], finalize=True)
    final = stream.getvalue().split("\r")[-1]
    assert final.startswith("160/160 [==============================] - 0s ")
    assert re.search(r" \d+(us|ms)/sample - loss: 1.4000 - acc: 0.8000 - val_loss: 0.5000\n$",
                     final), final
    assert keras.utils.format_value(2e-5) == "2.0000e-05"


def test_fit_prints_keras_epoch_lines(capsys):
    model = keras.Sequential([L.Dense(3, activation="softmax", input_shape=(2,))])
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(np.zeros((10, 2)), np.zeros(10), batch_size=4, epochs=2, validation_split=0.2)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Train on 8 samples, validate on 2 samples"
    assert lines[1] == "Epoch 1/2" and lines[3] == "Epoch 2/2"
    assert lines[2].startswith("8/8 [==============================] - ")
    # Mean of the batch losses: ln(3) = 1.0986 at the start, a little lower after one step.
    assert re.search(r"\d+(us|ms)/sample - loss: 1\.09\d\d - acc: 1\.0000 - val_loss: 1\.0\d{3} - "
                     r"val_acc: 1\.0000$", lines[2]), lines[2]
    model.fit(np.zeros((10, 2)), np.zeros(10), epochs=1, verbose=2)
    assert capsys.readouterr().out.splitlines()[2].startswith("10/10 - 0s - loss: ")


def test_callback_hooks_run_in_order_and_stop_training_ends_the_epoch():
    events = []

    class Recorder(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            events.append("train_begin")

        def on_epoch_begin(self, epoch, logs=None):
            events.append("epoch_begin %d" % epoch)

        def on_batch_end(self, batch, logs=None):
            events.append("batch %d size %d" % (batch, logs["size"]))
            if batch == 1:
                self.model.stop_training = True

        def on_train_end(self, logs=None):
            events.append("train_end")

    model = small_model()
    model.fit(np.zeros((10, 3)), np.zeros((10, 2)), batch_size=4, epochs=3, verbose=0,
              callbacks=[Recorder()])
    assert events == ["train_begin", "epoch_begin 0", "batch 0 size 4", "batch 1 size 4",
                      "train_end"]
