"""A CNN (conv-pool-conv-pool-dense) trained on scikit-learn's digits with tf.layers."""
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import digits_data  # noqa: E402
from training_progress import TrainingLog  # noqa: E402

import graphflow as tf  # noqa: E402

EPOCHS = int(os.environ.get("GRAPHFLOW_EPOCHS", "15"))
train_x, train_y, test_x, test_y = digits_data.load()

tf.set_random_seed(0)
x = tf.placeholder(tf.float32, [None, 8, 8, 1], name="images")
y = tf.placeholder(tf.int64, [None], name="labels")
net = tf.layers.conv2d(x, 16, 3, padding="same", activation=tf.nn.relu)
net = tf.layers.max_pooling2d(net, 2, 2)
net = tf.layers.conv2d(net, 32, 3, padding="same", activation=tf.nn.relu)
net = tf.layers.max_pooling2d(net, 2, 2)
net = tf.layers.flatten(net)
net = tf.layers.dense(net, 64, activation=tf.nn.relu)
logits = tf.layers.dense(net, 10)
loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), y), tf.float32))
train = tf.train.AdamOptimizer(0.005).minimize(loss)

rng = np.random.RandomState(0)
start = time.time()
saver = tf.train.Saver()
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    log = TrainingLog("digits_cnn", EPOCHS, graph=sess.graph)
    for epoch in range(EPOCHS):
        losses, accuracies = [], []
        for bx, by in digits_data.batches(train_x, train_y, 64, rng):
            _, batch_loss, batch_accuracy = sess.run([train, loss, accuracy], {x: bx, y: by})
            losses.append(batch_loss)
            accuracies.append(batch_accuracy)
        log.update(loss=np.mean(losses), accuracy=np.mean(accuracies))
    log.close()
    test_accuracy = sess.run(accuracy, {x: test_x, y: test_y})
    elapsed = time.time() - start
    if os.environ.get("GRAPHFLOW_OUTPUT"):
        out = os.environ["GRAPHFLOW_OUTPUT"]
        os.makedirs(out, exist_ok=True)
        print("checkpoint:", saver.save(sess, os.path.join(out, "digits_cnn")))
print("digits CNN: %d epochs in %.1f s, test accuracy %.4f" % (EPOCHS, elapsed, test_accuracy))

# The same network run eagerly and as a graph (graphflow.function), a few training steps each;
# benchmarks/eager_vs_graph.py measures more models, longer.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "benchmarks"))
import eager_vs_graph  # noqa: E402

eager_step, graph_step, graph_first = eager_vs_graph.compare(eager_vs_graph.digits_cnn, steps=3)
print("eager vs graph (digits CNN, batch 64): eager %.1f ms/step, graph %.1f ms/step, "
      "speed-up %.1fx (graph first call %.2f s)"
      % (eager_step * 1e3, graph_step * 1e3, eager_step / graph_step, graph_first))

if os.environ.get("GRAPHFLOW_VIZ"):
    from graphflow import viz
    directory = os.environ["GRAPHFLOW_VIZ"]
    os.makedirs(directory, exist_ok=True)
    for stem, target in (("digits_cnn_model", logits), ("digits_cnn_train_step", train)):
        path = os.path.join(directory, stem + ".dot")
        viz.render(target, path)
        try:
            path = viz.render(target, os.path.join(directory, stem + ".svg"))
        except RuntimeError as e:  # no graphviz binary: the DOT source is still there
            print(e)
        print("graph:", path)
