"""An MLP with dropout and L2 regularization trained on scikit-learn's digits."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import digits_data  # noqa: E402
from training_progress import TrainingLog  # noqa: E402

import graphflow as tf  # noqa: E402

train_x, train_y, test_x, test_y = digits_data.load()
train_x, test_x = train_x.reshape(-1, 64), test_x.reshape(-1, 64)

tf.set_random_seed(0)
x = tf.placeholder(tf.float32, [None, 64])
y = tf.placeholder(tf.int64, [None])
training = tf.placeholder_with_default(False, [])
l2 = tf.keras.regularizers.l2(1e-4)
net = tf.layers.dense(x, 128, activation=tf.nn.relu, kernel_regularizer=l2)
net = tf.layers.dropout(net, rate=0.3, training=training)
net = tf.layers.dense(net, 128, activation=tf.nn.relu, kernel_regularizer=l2)
net = tf.layers.dropout(net, rate=0.3, training=training)
logits = tf.layers.dense(net, 10, kernel_regularizer=l2)
loss = tf.losses.sparse_softmax_cross_entropy(y, logits) + tf.losses.get_regularization_loss()
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), y), tf.float32))
train = tf.train.AdamOptimizer(0.003).minimize(loss)

rng = np.random.RandomState(0)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    log = TrainingLog("digits_mlp", 40, graph=sess.graph)
    for epoch in range(40):
        losses, accuracies = [], []
        for bx, by in digits_data.batches(train_x, train_y, 64, rng):
            _, batch_loss, batch_accuracy = sess.run([train, loss, accuracy],
                                                     {x: bx, y: by, training: True})
            losses.append(batch_loss)
            accuracies.append(batch_accuracy)
        log.update(loss=np.mean(losses), accuracy=np.mean(accuracies))
    log.close()
    print("digits MLP (dropout + L2): test accuracy %.4f" % sess.run(accuracy, {x: test_x,
                                                                                 y: test_y}))
