"""Float32 transcendental functions on 4M elements: numpy vs a Numba loop over math.* vs a Numba
loop over graphflow.compiler.codegen.fastmath. Single-threaded loops; the median of several
repeats, since the machine is shared.

    .venv/bin/python benchmarks/fastmath.py [--size N] [--repeats R]
"""
import argparse
import math
import statistics
import time

import numba
import numpy as np

from graphflow.compiler.codegen import fastmath as fm

try:
    from scipy import special as _special
except ImportError:  # numpy has no erf; the numpy column is left empty without scipy
    _special = None


def _numpy_sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _numpy_softplus(x):
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def _numpy_chain(x):
    return np.tanh(1.5 * x + 0.3) * _numpy_sigmoid(x) - 0.1 * x * x


# name, numpy function, loop body over math.*, loop body over fastmath, input range. Loop bodies
# are expressions of v, compiled inline in the loop as the code generator emits them.
CASES = [
    ("exp", np.exp, "math.exp(v)", "fm.exp_f32(v)", (-80.0, 80.0)),
    ("expm1", np.expm1, "math.expm1(v)", "fm.expm1_f32(v)", (-10.0, 10.0)),
    ("log", np.log, "math.log(v)", "fm.log_f32(v)", (1e-3, 1e3)),
    ("log1p", np.log1p, "math.log1p(v)", "fm.log1p_f32(v)", (-0.9, 100.0)),
    ("tanh", np.tanh, "math.tanh(v)", "fm.tanh_f32(v)", (-10.0, 10.0)),
    ("sigmoid", _numpy_sigmoid, "(0.5 + 0.5 * math.tanh(0.5 * v))", "fm.sigmoid_f32(v)",
     (-20.0, 20.0)),
    ("softplus", _numpy_softplus, "(max(v, 0.0) + math.log1p(math.exp(-abs(v))))",
     "fm.softplus_f32(v)", (-20.0, 20.0)),
    ("erf", _special.erf if _special else None, "math.erf(v)", "fm.erf_f32(v)", (-5.0, 5.0)),
    ("sin", np.sin, "math.sin(v)", "fm.sin_f32(v)", (-100.0, 100.0)),
    ("cos", np.cos, "math.cos(v)", "fm.cos_f32(v)", (-100.0, 100.0)),
    ("tanh(1.5x+.3)*sigmoid(x)-.1x^2", _numpy_chain,
     "math.tanh(1.5 * v + 0.3) * (0.5 + 0.5 * math.tanh(0.5 * v)) - 0.1 * v * v",
     "fm.tanh_f32(c15 * v + c03) * fm.sigmoid_f32(v) - c01 * v * v", (-8.0, 8.0)),
]


def _elementwise_loop(body):
    namespace = {"math": math, "fm": fm, "c15": np.float32(1.5), "c03": np.float32(0.3),
                 "c01": np.float32(0.1)}
    exec("def loop(x, out):\n"
         "    for i in range(x.shape[0]):\n"
         "        v = x[i]\n"
         "        out[i] = %s\n" % body, namespace)
    return numba.njit(error_model="numpy")(namespace["loop"])


def _median_seconds(run, repeats):
    run()  # compile / warm the caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=4 * 1024 * 1024)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    numba.set_num_threads(1)
    rng = np.random.default_rng(0)
    print("%d float32 elements, median of %d runs, milliseconds" % (args.size, args.repeats))
    print("%-32s %10s %12s %12s %10s" % ("function", "numpy", "numba math", "fastmath",
                                         "numpy/fast"))
    for name, numpy_fn, math_fn, fast_fn, (low, high) in CASES:
        x = rng.uniform(low, high, args.size).astype(np.float32)
        out = np.empty_like(x)
        math_loop, fast_loop = _elementwise_loop(math_fn), _elementwise_loop(fast_fn)
        numpy_s = _median_seconds(lambda: numpy_fn(x), args.repeats) if numpy_fn else math.nan
        math_s = _median_seconds(lambda: math_loop(x, out), args.repeats)
        fast_s = _median_seconds(lambda: fast_loop(x, out), args.repeats)
        print("%-32s %10.2f %12.2f %12.2f %10.1f" % (name, numpy_s * 1e3, math_s * 1e3,
                                                      fast_s * 1e3, numpy_s / fast_s))


if __name__ == "__main__":
    main()
