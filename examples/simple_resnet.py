"""The course's simple ResNet for a traffic-sign classifier: conv 7x7 stride 2 -> batch norm ->
[residual module -> max pool] x 3 -> dense. Trained for a few steps on scikit-learn's digits,
upsampled to 32x32x3 images, to show that it builds, trains and its loss falls."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import digits_data  # noqa: E402
from training_progress import TrainingLog  # noqa: E402

import graphflow as tf  # noqa: E402

STEPS = int(os.environ.get("GRAPHFLOW_STEPS", "30"))


def residual_module(x, filters, training, name):
    with tf.variable_scope(name):
        shortcut = x
        if x.shape[-1].value != filters:
            shortcut = tf.layers.conv2d(x, filters, 1, padding="same", name="projection")
        h = tf.layers.conv2d(x, filters, 3, padding="same", name="conv_a")
        h = tf.nn.relu(tf.layers.batch_normalization(h, training=training, name="bn_a"))
        h = tf.layers.conv2d(h, filters, 3, padding="same", name="conv_b")
        h = tf.layers.batch_normalization(h, training=training, name="bn_b")
        return tf.nn.relu(h + shortcut)


def build(num_classes=10):
    images = tf.placeholder(tf.float32, [None, 32, 32, 3], name="images")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    training = tf.placeholder_with_default(False, [], name="training")
    net = tf.layers.conv2d(images, 16, 7, strides=2, padding="same", name="stem")
    net = tf.nn.relu(tf.layers.batch_normalization(net, training=training, name="stem_bn"))
    for i, filters in enumerate([16, 32, 64]):
        net = residual_module(net, filters, training, "residual_%d" % i)
        net = tf.layers.max_pooling2d(net, 2, 2, name="pool_%d" % i)
    logits = tf.layers.dense(tf.layers.flatten(net), num_classes, name="logits")
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train = tf.train.AdamOptimizer(0.01).minimize(loss)
    return images, labels, training, loss, train


if __name__ == "__main__":
    tf.set_random_seed(0)
    train_x, train_y, _, _ = digits_data.load()
    big = np.repeat(np.kron(train_x[..., 0], np.ones((4, 4), np.float32))[..., None], 3, -1)
    images, labels, training, loss, train = build()
    rng = np.random.RandomState(0)
    batch = rng.choice(len(train_y), 64, replace=False)
    feed = {images: big[batch], labels: train_y[batch]}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, feed)
        log = TrainingLog("simple_resnet", STEPS, unit="step", graph=sess.graph)
        for step in range(STEPS):
            _, step_loss = sess.run([train, loss], {**feed, training: True})
            log.update(loss=step_loss)
        log.close()
        last = sess.run(loss, {**feed, training: True})
    print("simple ResNet: %d trainable variables, loss %.3f -> %.3f after %d steps"
          % (len(tf.trainable_variables()), first, last, STEPS))
