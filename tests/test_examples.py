"""Every example runs as a user would run it (a fresh interpreter, its own working directory) and
reaches its stated result. An example without an entry in CHECKS fails here, so a new example
is tested from the day it lands. Modules that examples import (shared data loaders) are not
examples themselves. They run at full size: each is seconds, and their stated results
(accuracies, losses) are what is checked.
"""
import os
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

from graphflow.viz.sources import runnable_scripts

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"


def numbers(line):
    return [float(v) for v in re.findall(r"-?\d+\.?\d*(?:e[-+]?\d+)?", line)]


def line_starting(out, prefix):
    lines = [line for line in out.splitlines() if line.startswith(prefix)]
    assert lines, "no line starting with %r in:\n%s" % (prefix, out)
    return lines[0]


def check_hello_graph(out):
    assert "model/MatMul:0" in out  # the name scope reached the graph
    rows, columns, before = numbers(line_starting(out, "fetched:"))
    assert (rows, columns) == (8, 1)
    after = numbers(line_starting(out, "loss after 50 steps:"))[-1]
    assert after < 0.6 * before


def check_slides_program(out):
    first, second = out.strip().splitlines()
    assert first == "17.0 [2. 1.]"
    loss, x0, x1 = numbers(second)
    assert loss < 1e-11 and x0 == pytest.approx(1.0, abs=1e-5) and x1 == pytest.approx(
        5.0, abs=1e-5)


def check_linear_regression(out):
    loss, w, b = numbers(out)
    assert loss < 0.005 and w == pytest.approx(3.0, abs=0.05) and b == pytest.approx(-2.0,
                                                                                    abs=0.05)


def check_xor(out):
    values = numbers(out)
    assert values[0] < 0.05
    np.testing.assert_allclose(values[1:], [0, 1, 1, 0], atol=0.1)


def check_resume_training(out):
    assert "latest checkpoint: model-25" in out
    assert out.strip().endswith("max weight difference 0")


def check_digits_cnn(out):
    assert numbers(line_starting(out, "digits CNN:"))[-1] >= 0.97
    _, eager_ms, graph_ms, speed_up, _ = numbers(line_starting(out, "eager vs graph"))
    # printed with one decimal: 0.2x stands for anything from 0.15 to 0.25
    assert speed_up == pytest.approx(eager_ms / graph_ms, rel=0.1, abs=0.05)


def check_digits_mlp(out):
    assert numbers(line_starting(out, "digits MLP"))[-1] >= 0.95


def check_simple_resnet(out):
    first, last = re.search(r"loss ([\d.]+) -> ([\d.]+)", out).groups()
    assert float(last) < 0.5 * float(first)


def check_softmax_regression(out):
    assert numbers(line_starting(out, "softmax regression:"))[-1] >= 0.93


def check_eager_then_graph(out):
    eager_ms, graph_ms = (numbers(line_starting(out, prefix))[1]
                          for prefix in ("eager:", "graph (graphflow.function):"))
    assert eager_ms > 0 and graph_ms > 0
    loss_gap, weight_gap = numbers(line_starting(out, "results agree:"))
    assert loss_gap < 1e-5 and weight_gap < 1e-5
    assert numbers(line_starting(out, "test accuracy after"))[-1] >= 0.85


def check_keras_digits_mlp(out):
    assert "Total params: 26122" in out  # summary(): 64*128+128 + 128*128+128 + 128*10+10
    run, planned = numbers(line_starting(out, "epochs run:"))[:2]
    assert run < planned and "early stopping" in out  # EarlyStopping ended it
    assert numbers(line_starting(out, "keras digits MLP"))[-1] >= 0.95


def check_keras_sanity_checks(out):
    initial = numbers(line_starting(out, "initial loss"))[0]
    assert initial == pytest.approx(2.3026, abs=0.01)
    first, last, accuracy = numbers(line_starting(out, "overfit 50 samples").split(":", 1)[1])
    assert first == pytest.approx(2.3026, abs=0.02) and last < 0.01 and accuracy == 1.0
    losses = [numbers(line)[-1] for line in out.splitlines() if line.startswith("L2 ")]
    assert len(losses) == 3 and losses[0] < losses[1] < losses[2]


def check_keras_random_search(out):
    trials = [numbers(line.split(":", 1)[1]) for line in out.splitlines()
              if line.startswith("trial ")]
    assert len(trials) >= 3
    assert all(1e-4 <= lr <= 1e-1 and 0 <= dropout <= 0.6 for lr, dropout, _ in trials)
    best = numbers(line_starting(out, "best of").split(":", 1)[1])
    assert best[2] == max(accuracy for _, _, accuracy in trials) and best[2] >= 0.9


CHECKS = {
    "softmax_regression": check_softmax_regression,
    "eager_then_graph": check_eager_then_graph,
    "hello_graph": check_hello_graph,
    "slides_program": check_slides_program,
    "linear_regression": check_linear_regression,
    "xor": check_xor,
    "resume_training": check_resume_training,
    "digits_cnn": check_digits_cnn,
    "digits_mlp": check_digits_mlp,
    "simple_resnet": check_simple_resnet,
    "keras_digits_mlp": check_keras_digits_mlp,
    "keras_sanity_checks": check_keras_sanity_checks,
    "keras_random_search": check_keras_random_search,
}


def examples():
    return runnable_scripts(EXAMPLES)


def run(script, workdir, backend=None):
    env = dict(os.environ)
    if backend:
        env["GRAPHFLOW_BACKEND"] = backend
    for name in ("GRAPHFLOW_OUTPUT", "GRAPHFLOW_VIZ"):  # nothing written into the checkout
        env.pop(name, None)
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            timeout=600, cwd=str(workdir), env=env)
    assert result.returncode == 0, "%s exited %d:\n%s" % (script.name, result.returncode,
                                                         result.stderr[-4000:])
    return result.stdout


# Every example both ways: compiled by the Numba backend (the default) and on the numpy
# reference executor, each reaching the stated result.
@pytest.mark.parametrize("backend", ["numba", "reference"])
@pytest.mark.parametrize("script", examples(), ids=lambda p: p.stem)
def test_example_runs_and_reaches_its_result(script, backend, tmp_path):
    assert script.stem in CHECKS, ("examples/%s.py has no check in tests/test_examples.py: add "
                                   "the line of output that shows it worked" % script.stem)
    CHECKS[script.stem](run(script, tmp_path, backend))


def test_examples_are_found():
    found = {p.stem for p in examples()}
    assert "hello_graph" in found and "digits_data" not in found, found
