"""A model written eagerly, debugged a few steps at a time, then switched to graph mode by
wrapping the same step function with graphflow.function: same numbers, faster steps."""
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import digits_data  # noqa: E402

import graphflow as tf  # noqa: E402

tf.enable_eager_execution()  # first thing, as TF1 requires

STEPS = 40
train_x, train_y, test_x, test_y = digits_data.load()
train_x, test_x = train_x.reshape(-1, 64), test_x.reshape(-1, 64)
rng = np.random.RandomState(0)
initial = [(rng.randn(64, 32) * 0.2).astype(np.float32), np.zeros(32, np.float32),
           (rng.randn(32, 10) * 0.2).astype(np.float32), np.zeros(10, np.float32)]
variables = [tf.Variable(value) for value in initial]


def logits_of(images):
    w1, b1, w2, b2 = variables
    return tf.matmul(tf.nn.relu(tf.matmul(images, w1) + b1), w2) + b2


def make_train_step():
    optimizer = tf.train.MomentumOptimizer(0.1, 0.9)

    def train_step(images, labels):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
                labels=labels, logits=logits_of(images)))
        grads = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(grads, variables))
        return loss
    return train_step


def train(step, label):
    # Both runs start from the same weights and a fresh optimizer (zero momentum).
    for variable, value in zip(variables, initial):
        variable.assign(value)
    batch_rng = np.random.RandomState(1)
    losses, first_call = [], None
    start = time.perf_counter()
    for i in range(STEPS):
        index = batch_rng.randint(0, len(train_y), 64)
        loss = step(tf.constant(train_x[index]), tf.constant(train_y[index]))
        losses.append(float(loss))  # eager values: print, inspect, plot as you go
        if i == 0:
            first_call = time.perf_counter() - start
    per_step = (time.perf_counter() - start - first_call) / (STEPS - 1)
    print("%s: %d steps, %.2f ms/step after a first call of %.3f s, loss %.3f -> %.3f"
          % (label, STEPS, per_step * 1e3, first_call, losses[0], losses[-1]))
    return losses, [v.numpy() for v in variables]


eager_losses, eager_weights = train(make_train_step(), "eager")
graph_losses, graph_weights = train(tf.function(make_train_step()),
                                    "graph (graphflow.function)")
difference = max(float(np.abs(a - b).max()) for a, b in zip(eager_weights, graph_weights))
print("results agree: max loss difference %.2e, max weight difference %.2e"
      % (max(abs(a - b) for a, b in zip(eager_losses, graph_losses)), difference))
accuracy = np.mean(np.argmax(logits_of(tf.constant(test_x)).numpy(), 1) == test_y)
print("test accuracy after %d steps: %.4f" % (STEPS, accuracy))
