"""Eager vs graph: the same model code run both ways, step times side by side.

Each workload is one Python step function over eager variables. Eager mode calls it directly
(every op runs at once through the reference kernels); graph mode wraps the very same function
with graphflow.function, which traces it once into a graph and runs it through a Session with
the default backend, so the compiler's passes apply. The first graph call (trace, plan, compile)
is timed on its own.

    .venv/bin/python benchmarks/eager_vs_graph.py            # table + benchmarks/eager_vs_graph.png
    .venv/bin/python benchmarks/eager_vs_graph.py --steps 3  # quicker, noisier
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "examples"))

import graphflow as tf  # noqa: E402
from graphflow import eager  # noqa: E402


def step_seconds(step, args, steps):
    """Median wall time of ``steps`` calls, after one warm-up call (returned separately)."""
    start = time.perf_counter()
    _block(step(*args))
    first = time.perf_counter() - start
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        _block(step(*args))
        times.append(time.perf_counter() - start)
    return statistics.median(times), first


def _block(result):
    """Results are numpy-backed and computed when returned; touching one keeps it honest."""
    if isinstance(result, eager.EagerTensor):
        result.numpy()


# -- workloads: each returns (step function, its arguments) built in eager mode ----------------
def _train_step(logits_fn, variables, optimizer):
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits_fn(x))
        grads = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(grads, variables))
        return loss
    return step


def mlp(sizes, batch, seed=0):
    rng = np.random.RandomState(seed)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers.append((tf.Variable((rng.randn(n_in, n_out) * np.sqrt(2.0 / n_in))
                                   .astype(np.float32)),
                       tf.Variable(np.zeros(n_out, np.float32))))

    def logits(x):
        for i, (w, b) in enumerate(layers):
            x = tf.matmul(x, w) + b
            if i < len(layers) - 1:
                x = tf.nn.relu(x)
        return x

    variables = [v for layer in layers for v in layer]
    step = _train_step(logits, variables, tf.train.GradientDescentOptimizer(0.01))
    x = tf.constant(rng.rand(batch, sizes[0]).astype(np.float32))
    y = tf.constant(rng.randint(0, sizes[-1], batch).astype(np.int64))
    return step, (x, y)


def digits_cnn_model():
    """examples/digits_cnn.py's network as layer objects (so eager calls reuse variables)."""
    return [tf.layers.Conv2D(16, 3, padding="same", activation=tf.nn.relu),
            tf.layers.MaxPooling2D(2, 2),
            tf.layers.Conv2D(32, 3, padding="same", activation=tf.nn.relu),
            tf.layers.MaxPooling2D(2, 2),
            tf.layers.Flatten(),
            tf.layers.Dense(64, activation=tf.nn.relu),
            tf.layers.Dense(10)]


def digits_cnn(batch=64, seed=0):
    import digits_data
    train_x, train_y, _, _ = digits_data.load()
    tf.set_random_seed(seed)
    layers = digits_cnn_model()

    def logits(x):
        for layer in layers:
            x = layer(x)
        return x

    x, y = tf.constant(train_x[:batch]), tf.constant(train_y[:batch])
    logits(x)  # builds the layers' variables
    variables = [v for layer in layers for v in layer.trainable_variables]
    return _train_step(logits, variables, tf.train.AdamOptimizer(0.005)), (x, y)


def elementwise_chain(n=4 * 1024 * 1024, seed=0):
    x = tf.constant(np.random.RandomState(seed).randn(n).astype(np.float32))

    def chain(x):
        return tf.tanh(1.5 * x + 0.3) * tf.sigmoid(x) - 0.1 * x * x
    return chain, (x,)


WORKLOADS = [
    ("tiny MLP 2-16-16-2, batch 8", lambda: mlp([2, 16, 16, 2], 8)),
    ("MLP 784-512-512-10, batch 256", lambda: mlp([784, 512, 512, 10], 256)),
    ("digits CNN, batch 64", digits_cnn),
    ("elementwise chain, 4M float32", elementwise_chain),
]


def compare(build, steps):
    """(eager step s, graph step s, graph first call s) for one workload."""
    with eager.eager_mode():
        step, args = build()
        eager_step, _ = step_seconds(step, args, steps)
        graph_step, graph_first = step_seconds(tf.function(step), args, steps)
    return eager_step, graph_step, graph_first


def table(rows):
    lines = ["| workload | eager step | graph step | speed-up | graph first call |",
             "|---|---:|---:|---:|---:|"]
    for name, eager_s, graph_s, first_s in rows:
        lines.append("| %s | %.2f ms | %.2f ms | %.1fx | %.2f s |"
                     % (name, eager_s * 1e3, graph_s * 1e3, eager_s / graph_s, first_s))
    return "\n".join(lines)


def plot(rows, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("note: matplotlib is not installed (pip install matplotlib, or the examples "
              "extra); no chart written")
        return None
    names = [name for name, *_ in rows]
    positions = np.arange(len(rows))
    fig, ax = plt.subplots(figsize=(8, 4))
    eager_ms = [r[1] * 1e3 for r in rows]
    graph_ms = [r[2] * 1e3 for r in rows]
    ax.bar(positions - 0.2, eager_ms, 0.4, label="eager")
    ax.bar(positions + 0.2, graph_ms, 0.4, label="graph (graphflow.function)")
    for p, e, g in zip(positions, eager_ms, graph_ms):
        ax.annotate("%.1fx" % (e / g), (p + 0.2, g), ha="center", va="bottom", fontsize=9)
    ax.set_yscale("log")
    ax.set_ylabel("median step time (ms, log scale)")
    ax.set_xticks(positions)
    ax.set_xticklabels([n.replace(", ", "\n") for n in names], fontsize=8)
    ax.set_title("graphflow: eager vs graph, same model code")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=7, help="timed steps per mode")
    parser.add_argument("--plot", default=os.path.join(HERE, "eager_vs_graph.png"))
    args = parser.parse_args(argv)
    rows = []
    for name, build in WORKLOADS:
        rows.append((name,) + compare(build, args.steps))
        print("measured %s" % name, file=sys.stderr)
    print(table(rows))
    path = plot(rows, args.plot)
    if path:
        print("chart:", path)


if __name__ == "__main__":
    main()
