"""The slides' sanity checks before a long training run, on digits with a Keras MLP:

1. the untrained loss is -ln(1/classes) (2.303 for 10 classes) with regularization off;
2. a small subset (50 samples) is overfit to near-zero loss without regularization;
3. stronger L2 raises the training loss the model settles at.
"""
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import digits_data  # noqa: E402

import graphflow as tf  # noqa: E402

EPOCHS = int(os.environ.get("KERAS_SANITY_EPOCHS", "150"))
keras = tf.keras

train_x, train_y, _, _ = digits_data.load()
train_x = train_x.reshape(-1, 64)
subset_x, subset_y = train_x[:50], train_y[:50]


def mlp(l2=0.0):
    regularizer = keras.regularizers.l2(l2) if l2 else None
    # Small initial weights make the untrained softmax close to uniform.
    init = keras.initializers.RandomNormal(stddev=0.01)
    model = keras.Sequential([
        keras.layers.Dense(64, activation="relu", input_shape=(64,), kernel_initializer=init,
                           kernel_regularizer=regularizer),
        keras.layers.Dense(10, activation="softmax", kernel_initializer=init,
                           kernel_regularizer=regularizer)])
    model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def fresh_start():
    keras.backend.clear_session()
    np.random.seed(0)
    tf.set_random_seed(0)


fresh_start()
model = mlp()
initial = model.evaluate(train_x, train_y, verbose=0)[0]
print("initial loss %.4f (expected -ln(1/10) = %.4f)" % (initial, -math.log(1 / 10)))

history = model.fit(subset_x, subset_y, batch_size=50, epochs=EPOCHS, verbose=0)
loss, accuracy = model.evaluate(subset_x, subset_y, verbose=0)
print("overfit 50 samples, no regularization: loss %.4f -> %.4f, train accuracy %.2f"
      % (history.history["loss"][0], loss, accuracy))

for l2 in (0.0, 1e-3, 1e-2):
    fresh_start()
    model = mlp(l2)
    history = model.fit(subset_x, subset_y, batch_size=50, epochs=EPOCHS, verbose=0)
    print("L2 %g: final training loss %.4f" % (l2, history.history["loss"][-1]))
