"""Softmax regression (one linear layer, cross-entropy) on scikit-learn's 8x8 digits."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import digits_data  # noqa: E402

import graphflow as tf  # noqa: E402

train_x, train_y, test_x, test_y = digits_data.load()
train_x, test_x = train_x.reshape(-1, 64), test_x.reshape(-1, 64)

x = tf.placeholder(tf.float32, [None, 64], name="pixels")
y = tf.placeholder(tf.int64, [None], name="labels")
w = tf.Variable(tf.zeros([64, 10]), name="weights")
b = tf.Variable(tf.zeros([10]), name="biases")
logits = tf.matmul(x, w) + b
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), y), tf.float32))
train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)

rng = np.random.RandomState(0)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for epoch in range(30):
        for bx, by in digits_data.batches(train_x, train_y, 32, rng):
            sess.run(train, {x: bx, y: by})
    final_loss, test_accuracy = sess.run([loss, accuracy], {x: test_x, y: test_y})
print("softmax regression: test loss %.4f, test accuracy %.4f" % (final_loss, test_accuracy))
