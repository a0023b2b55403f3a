"""The compiler's workloads (issue 5) side by side in one run: graphflow with the Numba
backend (the default), graphflow's numpy reference executor, hand-written numpy (and a hand
Numba loop where the target names one) in this process, and TensorFlow 1 graph mode and PyTorch
eager in a subprocess of the oracle interpreter (GRAPHFLOW_TF_PYTHON, else ../graphflow-oracle),
because their thread pools slow numpy down when they share a small machine's process.

    .venv/bin/python benchmarks/compiler.py   # make oracle (and oracle-torch) for those columns
Prints median times and the ratios, then cold-start and import times measured in fresh
processes.
"""
import json
import math
import tempfile
import textwrap
import os
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def median_seconds(fn, repeat=7, min_time=0.2):
    fn()
    number, elapsed = 1, 0.0
    while elapsed < min_time / repeat:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        elapsed = time.perf_counter() - start
        number *= 2
    number //= 2
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return statistics.median(times)


def _loops_for(fn, min_time):
    """How many calls of ``fn`` take at least ``min_time`` seconds."""
    fn()
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        if time.perf_counter() - start >= min_time:
            return number
        number *= 2


def median_ratio(fn, baseline, repeat=9, min_time=0.2):
    """The median over ``repeat`` rounds of time(fn) / time(baseline), the two timed back to
    back in each round, so a slow spell of a shared machine slows both sides of a ratio."""
    counts = [_loops_for(f, min_time / repeat) for f in (fn, baseline)]
    ratios = []
    for _ in range(repeat):
        times = []
        for f, number in zip((fn, baseline), counts):
            start = time.perf_counter()
            for _ in range(number):
                f()
            times.append((time.perf_counter() - start) / number)
        ratios.append(times[0] / times[1])
    return statistics.median(ratios)


def session(tf, graph):
    backend = getattr(tf, "_benchmark_backend", None)
    if backend is None:
        return tf.Session(graph=graph)
    return tf.Session(graph=graph, config=tf.ConfigProto(backend=backend))


def add_scalars(tf):
    graph = tf.Graph()
    with graph.as_default():
        a, b = tf.placeholder(tf.float32, []), tf.placeholder(tf.float32, [])
        c = a + b
    sess = session(tf, graph)
    return lambda: sess.run(c, {a: 1.0, b: 2.0})


def mlp_step(tf, sizes, batch):
    rng = np.random.RandomState(0)
    x_data = rng.rand(batch, sizes[0]).astype(np.float32)
    y_data = np.eye(sizes[-1], dtype=np.float32)[rng.randint(0, sizes[-1], batch)]
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, sizes[0]])
        y = tf.placeholder(tf.float32, [None, sizes[-1]])
        h = x
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            w = tf.Variable(rng.randn(n_in, n_out).astype(np.float32) * 0.05)
            b = tf.Variable(np.zeros(n_out, np.float32))
            h = tf.matmul(h, w) + b
            if i < len(sizes) - 2:
                h = tf.nn.relu(h)
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=h))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        init = tf.global_variables_initializer()
    sess = session(tf, graph)
    sess.run(init)
    return lambda: sess.run(train, {x: x_data, y: y_data})


def numpy_mlp_step(sizes, batch):
    rng = np.random.RandomState(0)
    x = rng.rand(batch, sizes[0]).astype(np.float32)
    y = np.eye(sizes[-1], dtype=np.float32)[rng.randint(0, sizes[-1], batch)]
    ws = [rng.randn(a, b).astype(np.float32) * 0.05 for a, b in zip(sizes[:-1], sizes[1:])]
    bs = [np.zeros(b, np.float32) for b in sizes[1:]]

    def step():
        acts = [x]
        for i, (w, b) in enumerate(zip(ws, bs)):
            z = acts[-1] @ w + b
            acts.append(np.maximum(z, 0) if i < len(ws) - 1 else z)
        logits = acts[-1]
        p = np.exp(logits - logits.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        g = (p - y) / batch
        for i in reversed(range(len(ws))):
            gw, gb = acts[i].T @ g, g.sum(0)
            if i:
                g = (g @ ws[i].T) * (acts[i] > 0)
            ws[i] -= 0.1 * gw
            bs[i] -= 0.1 * gb
    return step


def matmuls_only(sizes, batch):
    """The step's matrix products alone: forward, weight gradients, input gradients."""
    rng = np.random.RandomState(0)
    acts = [rng.rand(batch, n).astype(np.float32) for n in sizes]
    ws = [rng.randn(a, b).astype(np.float32) for a, b in zip(sizes[:-1], sizes[1:])]

    def run():
        for i, w in enumerate(ws):
            acts[i] @ w
            acts[i].T @ acts[i + 1]
            if i:
                acts[i + 1] @ w.T
    return run


def elementwise(tf, n, transcendental=True):
    x_data = np.random.RandomState(0).rand(n).astype(np.float32)
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [n])
        if transcendental:
            y = tf.tanh(1.5 * x + 0.3) * tf.sigmoid(x) - 0.1 * x * x
        else:
            y = (1.5 * x + 0.3) * x - 0.1 * x * x
    sess = session(tf, graph)
    return lambda: sess.run(y, {x: x_data})


def numpy_elementwise(n):
    x = np.random.RandomState(0).rand(n).astype(np.float32)
    return lambda: np.tanh(1.5 * x + 0.3) * (1 / (1 + np.exp(-x))) - 0.1 * x * x


def numba_polynomial(n):
    """The hand-written reference the polynomial target names: a prange loop into a fresh
    output (a fetched result must be a fresh array, so the output is allocated per call)."""
    import numba

    @numba.njit(parallel=True, fastmath=True)
    def loop(x, out):
        for i in numba.prange(x.size):
            v = x[i]
            out[i] = (np.float32(1.5) * v + np.float32(0.3)) * v - np.float32(0.1) * v * v
    x = np.random.RandomState(0).rand(n).astype(np.float32)

    def run():
        out = np.empty_like(x)
        loop(x, out)
        return out
    return run


def cnn_step(tf, batch=64):
    """28x28x1: conv5x5x32-pool-conv5x5x64-pool-fc1024-fc10, SGD."""
    rng = np.random.RandomState(0)
    x_data = rng.rand(batch, 28, 28, 1).astype(np.float32)
    y_data = np.eye(10, dtype=np.float32)[rng.randint(0, 10, batch)]
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 28, 28, 1])
        y = tf.placeholder(tf.float32, [None, 10])

        def weight(shape):
            return tf.Variable(rng.randn(*shape).astype(np.float32) * 0.05)
        h = x
        for shape in ([5, 5, 1, 32], [5, 5, 32, 64]):
            h = tf.nn.relu(tf.nn.conv2d(h, weight(shape), [1, 1, 1, 1], "SAME") +
                           tf.Variable(np.zeros(shape[-1], np.float32)))
            h = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
        h = tf.reshape(h, [-1, 7 * 7 * 64])
        h = tf.nn.relu(tf.matmul(h, weight([7 * 7 * 64, 1024])) +
                       tf.Variable(np.zeros(1024, np.float32)))
        logits = tf.matmul(h, weight([1024, 10])) + tf.Variable(np.zeros(10, np.float32))
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
        train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
        init = tf.global_variables_initializer()
    sess = session(tf, graph)
    sess.run(init)
    return lambda: sess.run(train, {x: x_data, y: y_data})


def cnn_matmuls_only(batch=64):
    """The CNN step's products in the shapes im2col gives them: forward, and the two
    gradient products per layer."""
    rng = np.random.RandomState(0)
    layers = [(batch * 28 * 28, 25 * 1, 32), (batch * 14 * 14, 25 * 32, 64),
              (batch, 7 * 7 * 64, 1024), (batch, 1024, 10)]
    arrays = [(rng.rand(m, k).astype(np.float32), rng.rand(k, n).astype(np.float32),
               rng.rand(m, n).astype(np.float32)) for m, k, n in layers]

    def run():
        for i, (a, w, g) in enumerate(arrays):
            a @ w
            a.T @ g
            if i:
                g @ w.T
    return run


WORKLOADS = [
    ("Session.run a+b, fed scalars", lambda t: add_scalars(t), lambda: (lambda: 1.0 + 2.0)),
    ("MLP 2-16-16-2 b8 SGD step", lambda t: mlp_step(t, [2, 16, 16, 2], 8),
     lambda: numpy_mlp_step([2, 16, 16, 2], 8)),
    ("MLP 784-512-512-10 b256 SGD step", lambda t: mlp_step(t, [784, 512, 512, 10], 256),
     lambda: numpy_mlp_step([784, 512, 512, 10], 256)),
    ("tanh/sigmoid chain, 4M float32", lambda t: elementwise(t, 1 << 22),
     lambda: numpy_elementwise(1 << 22)),
    ("tanh/sigmoid chain, 16M float32", lambda t: elementwise(t, 1 << 24),
     lambda: numpy_elementwise(1 << 24)),
    ("(1.5x+0.3)x-0.1x^2, 4M float32", lambda t: elementwise(t, 1 << 22, False),
     lambda: numba_polynomial(1 << 22)),
    ("CNN 28x28 conv32-conv64-fc1024 b64 step", lambda t: cnn_step(t), None),
]


# -- PyTorch eager: the same workloads written the way a PyTorch user writes them ------------------
def torch_add_scalars(torch):
    return lambda: (torch.tensor(1.0) + torch.tensor(2.0)).numpy()


def torch_mlp_step(torch, sizes, batch):
    rng = np.random.RandomState(0)
    x = torch.from_numpy(rng.rand(batch, sizes[0]).astype(np.float32))
    y = torch.from_numpy(np.eye(sizes[-1], dtype=np.float32)[rng.randint(0, sizes[-1], batch)])
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        params.append(torch.tensor(rng.randn(n_in, n_out).astype(np.float32) * 0.05,
                                   requires_grad=True))
        params.append(torch.zeros(n_out, requires_grad=True))
    optimizer = torch.optim.SGD(params, lr=0.1)

    def step():
        h = x
        for i in range(0, len(params), 2):
            h = h @ params[i] + params[i + 1]
            if i < len(params) - 2:
                h = torch.relu(h)
        loss = torch.nn.functional.cross_entropy(h, y)  # soft labels, mean over the batch
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return step


def torch_elementwise(torch, n, transcendental=True):
    x = torch.from_numpy(np.random.RandomState(0).rand(n).astype(np.float32))
    if transcendental:
        return lambda: (torch.tanh(1.5 * x + 0.3) * torch.sigmoid(x) - 0.1 * x * x).numpy()
    return lambda: ((1.5 * x + 0.3) * x - 0.1 * x * x).numpy()


def torch_cnn_step(torch, batch=64):
    """The CNN of cnn_step in PyTorch's NCHW layout."""
    functional = torch.nn.functional
    rng = np.random.RandomState(0)
    x = torch.from_numpy(rng.rand(batch, 1, 28, 28).astype(np.float32))
    y = torch.from_numpy(np.eye(10, dtype=np.float32)[rng.randint(0, 10, batch)])

    def weight(*shape):
        return torch.tensor(rng.randn(*shape).astype(np.float32) * 0.05, requires_grad=True)
    params = [weight(32, 1, 5, 5), torch.zeros(32, requires_grad=True),
              weight(64, 32, 5, 5), torch.zeros(64, requires_grad=True),
              weight(7 * 7 * 64, 1024), torch.zeros(1024, requires_grad=True),
              weight(1024, 10), torch.zeros(10, requires_grad=True)]
    optimizer = torch.optim.SGD(params, lr=0.01)

    def step():
        h = functional.max_pool2d(torch.relu(functional.conv2d(x, params[0], params[1],
                                                               padding=2)), 2)
        h = functional.max_pool2d(torch.relu(functional.conv2d(h, params[2], params[3],
                                                               padding=2)), 2)
        h = torch.relu(h.reshape(batch, -1) @ params[4] + params[5])
        loss = functional.cross_entropy(h @ params[6] + params[7], y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return step


TORCH_WORKLOADS = [
    torch_add_scalars,
    lambda t: torch_mlp_step(t, [2, 16, 16, 2], 8),
    lambda t: torch_mlp_step(t, [784, 512, 512, 10], 256),
    lambda t: torch_elementwise(t, 1 << 22),
    lambda t: torch_elementwise(t, 1 << 24),
    lambda t: torch_elementwise(t, 1 << 22, False),
    torch_cnn_step,
]


def oracle_times(flag):
    """(times of every workload, version) measured by the oracle interpreter with ``flag``
    (--tensorflow or --torch), or (None, why not)."""
    oracle = os.environ.get("GRAPHFLOW_TF_PYTHON") or os.path.join(
        HERE, "..", "..", "graphflow-oracle", "bin", "python")
    if not os.path.exists(oracle):
        return None, "absent (make oracle)"
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3",
               PYTHONPATH=os.path.join(HERE, "..") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([oracle, __file__, flag], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        if "ModuleNotFoundError" in done.stderr:
            return None, "absent (make oracle%s)" % ("-torch" if flag == "--torch" else "")
        raise RuntimeError(done.stderr)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["times"], result["version"]


def measure_torch():
    import torch
    times = [median_seconds(build(torch)) for build in TORCH_WORKLOADS]
    print(json.dumps({"times": times, "version": torch.__version__}))


def measure_tensorflow():
    import tensorflow.compat.v1 as tf1
    tf1.disable_v2_behavior()
    times = [median_seconds(build(tf1)) for _, build, _ in WORKLOADS]
    print(json.dumps({"times": times, "version": tf1.__version__}))


COLD_START = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, %(benchmarks)r)
    start = time.perf_counter()
    import graphflow as gf
    imported = time.perf_counter()
    import compiler
    step = compiler.mlp_step(gf, [784, 512, 512, 10], 256)   # builds, initializes
    built = time.perf_counter()
    step()
    first = time.perf_counter()
    print(imported - start, first - built)
""")


def fresh_process_times(cache_dir):
    """(import seconds, first train-step seconds) in a new interpreter with the given
    kernel cache directory."""
    env = dict(os.environ, GRAPHFLOW_CACHE_DIR=cache_dir)
    out = subprocess.run([sys.executable, "-c", COLD_START % {"benchmarks": HERE}],
                         capture_output=True, text=True, env=env, check=True).stdout
    imported, first = map(float, out.split())
    return imported, first


def main():
    import graphflow as gf
    rows = []
    for name, build, numpy_build in WORKLOADS:
        gf._benchmark_backend = "numba"
        compiled = median_seconds(build(gf))
        gf._benchmark_backend = "reference"
        reference = median_seconds(build(gf), repeat=3)
        rows.append([name, compiled, reference,
                     median_seconds(numpy_build()) if numpy_build else None, None])
    del gf._benchmark_backend
    big = median_seconds(matmuls_only([784, 512, 512, 10], 256))
    cnn = median_seconds(cnn_matmuls_only())
    tf_times, tf_version = oracle_times("--tensorflow")
    torch_times, torch_version = oracle_times("--torch")
    for row, t, pt in zip(rows, tf_times or [None] * len(rows),
                          torch_times or [None] * len(rows)):
        row[4] = t
        row.append(pt)
    print("machine: %d cores, numpy %s, TensorFlow %s, PyTorch %s" % (
        os.cpu_count(), np.__version__, tf_version, torch_version))
    print("%-40s %11s %11s %11s %11s %11s %9s %9s %9s" % (
        "workload", "graphflow", "reference", "hand", "TF1", "PyTorch", "gf/hand", "gf/TF1",
        "gf/torch"))

    def us(t):
        return "%.1fus" % (t * 1e6) if t else "-"

    def ratio(ours, theirs, digits=3):
        return "%.*fx" % (digits, ours / theirs) if theirs else "-"
    for name, ours, reference, hand, theirs, pytorch in rows:
        print("%-40s %11s %11s %11s %11s %11s %9s %9s %9s" % (
            name, us(ours), us(reference), us(hand), us(theirs), us(pytorch),
            ratio(ours, hand, 2), ratio(ours, theirs), ratio(ours, pytorch)))
    mlp, conv = rows[2], rows[-1]

    def others(row, products):
        return "".join(", %s %.2fx" % (who, t / products)
                       for who, t in (("TF1", row[4]), ("PyTorch", row[5])) if t)
    print("MLP 784-512-512-10 step / its matrix products alone in numpy: graphflow %.2fx%s"
          % (mlp[1] / big, others(mlp, big)))
    print("CNN step / its im2col-shaped matrix products alone in numpy: graphflow %.2fx%s"
          % (conv[1] / cnn, others(conv, cnn)))
    print("the same two ratios timed alternately, round by round (median of 9 rounds): "
          "MLP %.2fx, CNN %.2fx" % (
              median_ratio(mlp_step(gf, [784, 512, 512, 10], 256),
                           matmuls_only([784, 512, 512, 10], 256)),
              median_ratio(cnn_step(gf), cnn_matmuls_only(), min_time=2.0)))
    with tempfile.TemporaryDirectory() as cache_dir:
        cold_import, cold = fresh_process_times(cache_dir)
        warm_import, warm = fresh_process_times(cache_dir)
    print("first Session.run of the big MLP train step in a fresh process: %.2fs with an empty "
          "kernel cache, %.2fs with it warm; import graphflow %.2fs"
          % (cold, warm, min(cold_import, warm_import)))


if __name__ == "__main__":
    if "--tensorflow" in sys.argv:
        measure_tensorflow()
    elif "--torch" in sys.argv:
        measure_torch()
    else:
        main()
