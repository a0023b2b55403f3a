"""The course's Keras MLP on scikit-learn's digits: Dense layers with L2 weight decay and
dropout, Adam, and EarlyStopping on the validation loss (keeping the best epoch's weights)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import digits_data  # noqa: E402

import graphflow as tf  # noqa: E402

EPOCHS = int(os.environ.get("KERAS_DIGITS_EPOCHS", "40"))

train_x, train_y, test_x, test_y = digits_data.load()
train_x, test_x = train_x.reshape(-1, 64), test_x.reshape(-1, 64)
train_y, test_y = tf.keras.utils.to_categorical(train_y, 10), tf.keras.utils.to_categorical(
    test_y, 10)

np.random.seed(0)  # fit's shuffling and the validation split
tf.set_random_seed(0)  # weight initialization and dropout masks
model = tf.keras.Sequential([
    tf.keras.layers.Dense(128, activation=tf.nn.relu, input_shape=(64,),
                          kernel_regularizer=tf.keras.regularizers.l2(1e-4)),
    tf.keras.layers.Dropout(0.3),
    tf.keras.layers.Dense(128, activation="relu",
                          kernel_regularizer=tf.keras.regularizers.l2(1e-4)),
    tf.keras.layers.Dropout(0.3),
    tf.keras.layers.Dense(10, activation="softmax"),
])
model.compile(optimizer=tf.keras.optimizers.Adam(0.003), loss="categorical_crossentropy",
              metrics=["accuracy"])
model.summary()
stop = tf.keras.callbacks.EarlyStopping(monitor="val_loss", min_delta=1e-4, patience=5,
                                        restore_best_weights=True, verbose=1)
history = model.fit(train_x, train_y, batch_size=64, epochs=EPOCHS, validation_split=0.15,
                    shuffle=True, callbacks=[stop], verbose=2)
loss, accuracy = model.evaluate(test_x, test_y, verbose=0)
print("epochs run: %d of %d (best epoch %d)" % (len(history.epoch), EPOCHS, stop.best_epoch + 1))
print("keras digits MLP (L2 + dropout + EarlyStopping): test loss %.4f, test accuracy %.4f"
      % (loss, accuracy))
