"""Random search of hyper-parameters, as the slides recommend over a grid: the learning rate
drawn on a log scale (10^U(-4, -1)), the dropout rate on a linear scale (U(0, 0.6)); each trial
trains a fresh Keras MLP for a few epochs and is scored on a held-out validation split."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import digits_data  # noqa: E402

import graphflow as tf  # noqa: E402

TRIALS = int(os.environ.get("KERAS_SEARCH_TRIALS", "6"))
EPOCHS = int(os.environ.get("KERAS_SEARCH_EPOCHS", "4"))
keras = tf.keras

train_x, train_y, test_x, test_y = digits_data.load()
train_x, test_x = train_x.reshape(-1, 64), test_x.reshape(-1, 64)
split = int(0.8 * len(train_x))
fit_x, fit_y, val_x, val_y = train_x[:split], train_y[:split], train_x[split:], train_y[split:]

search = np.random.RandomState(0)
results = []
for trial in range(TRIALS):
    learning_rate = 10 ** search.uniform(-4, -1)
    dropout = search.uniform(0.0, 0.6)
    keras.backend.clear_session()  # each trial builds its model in a fresh graph
    np.random.seed(trial)
    tf.set_random_seed(trial)
    model = keras.Sequential([
        keras.layers.Dense(128, activation="relu", input_shape=(64,)),
        keras.layers.Dropout(dropout),
        keras.layers.Dense(10, activation="softmax")])
    model.compile(keras.optimizers.Adam(learning_rate), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(fit_x, fit_y, batch_size=64, epochs=EPOCHS,
                        validation_data=(val_x, val_y), verbose=0)
    val_accuracy = history.history["val_acc"][-1]
    test_accuracy = model.evaluate(test_x, test_y, verbose=0)[1]
    results.append((val_accuracy, learning_rate, dropout, test_accuracy))
    print("trial %d: learning rate %.2e, dropout %.2f -> validation accuracy %.4f"
          % (trial + 1, learning_rate, dropout, val_accuracy))

val_accuracy, learning_rate, dropout, test_accuracy = max(results)
print("best of %d trials: learning rate %.2e, dropout %.2f, validation accuracy %.4f, "
      "test accuracy %.4f" % (TRIALS, learning_rate, dropout, val_accuracy, test_accuracy))
