"""Each graph pass on small graphs, the rules that keep them safe, and the same numbers with
the passes on and off."""
import numpy as np
import pytest

import graphflow as tf
from graphflow.compiler import ir, pipeline
from graphflow.compiler.passes.cse import common_subexpressions
from graphflow.compiler.passes.dce import dead_code
from graphflow.compiler.passes.fold import constant_folding


def lowered(fetches, feeds=()):
    return ir.lower(list(fetches), [], list(feeds))


def types(program):
    return sorted(n.type for n in program.nodes)


def test_folding_evaluates_constant_subgraphs_once():
    x = tf.placeholder(tf.float32, [2])
    c = tf.constant(2.0) * tf.constant(3.0) + 1.0
    y = x * c
    program = constant_folding(lowered([y], [x]))
    assert types(dead_code(program)) == ["Const", "Mul", "_Feed"]
    const = [n for n in program.nodes if n.type == "Const" and "folded" in n.name][-1]
    assert float(const.attrs["value"]) == 7.0 and not const.attrs["value"].flags.writeable


def test_folding_never_touches_random_stateful_or_control_dependent_nodes():
    v = tf.Variable(1.0)
    r = tf.random_uniform([2]) * 2.0
    read = v.value() * 2.0
    with tf.control_dependencies([v.initializer]):
        ordered = tf.constant(1.0) + 1.0
    program = lowered([r, read, ordered])
    folded = constant_folding(program)
    assert "RandomUniform" in types(folded) and "VariableV2" in types(folded)
    # `ordered`'s Const waits on the initializer, so neither it nor its consumer is folded.
    assert any(n.name.endswith("add") for n in folded.nodes)


def test_cse_merges_identical_pure_nodes_but_not_random_ones():
    x = tf.placeholder(tf.float32, [3])
    a, b = tf.exp(x) + 1.0, tf.exp(x) + 1.0
    r1, r2 = tf.random_normal([3]), tf.random_normal([3])
    program = common_subexpressions(lowered([a, b, r1, r2], [x]))
    assert types(program).count("Exp") == 1 and types(program).count("AddV2") == 3
    assert program.fetches[0].node is program.fetches[1].node
    assert types(program).count("RandomStandardNormal") == 2
    assert {"merged Exp_1 into Exp", "merged add_1 into add"} <= set(program.changes)


def test_cse_keeps_the_merged_nodes_origins_on_the_kept_node():
    x = tf.placeholder(tf.float32, [3])
    a, b, c = tf.exp(x, name="a"), tf.exp(x, name="b"), tf.exp(x, name="c")
    program = lowered([a + b + c], [x])
    merged = common_subexpressions(program)
    (kept,) = [n for n in merged.nodes if n.type == "Exp"]
    assert kept.origin == ("a", "b", "c")
    # The input program is untouched.
    assert [n.origin for n in program.nodes if n.type == "Exp"] == [("a",), ("b",), ("c",)]


def test_dead_code_keeps_what_fetches_targets_and_control_edges_need():
    x = tf.placeholder(tf.float32, [])
    v = tf.Variable(0.0)
    bump = v.assign_add(1.0)
    with tf.control_dependencies([bump]):
        y = x * 2.0
    program = dead_code(lowered([y], [x]))
    assert "AssignAdd" in types(program)


def test_pipeline_logs_changes_and_config_switches_passes_off():
    x = tf.placeholder(tf.float32, [])
    y = x + tf.constant(1.0) * 2.0 + tf.constant(1.0) * 2.0
    optimized, log = pipeline.optimize(lowered([y], [x]))
    assert {r.name for r in log} >= {"constant_folding", "common_subexpressions", "dead_code"}
    changes = {r.name: r.changes for r in log if r.iteration == 0}
    assert changes["constant_folding"] == ["folded mul", "folded mul_1"]
    assert "merged mul_1/folded_0 into mul/folded_0" in changes["common_subexpressions"]
    assert all(c.startswith("removed ") for c in changes["dead_code"])
    config = tf.ConfigProto(optimizer_passes={"constant_folding": False, "simplify": False,
                                              "cse": False, "dead_code": False, "fusion": False})
    with tf.Session(config=config) as off, tf.Session() as on:
        assert off.run(y, {x: 1.0}) == on.run(y, {x: 1.0}) == 5.0
        plan_on = next(iter(next(iter(on._signatures.values())).plans.values()))
        plan_off = next(iter(next(iter(off._signatures.values())).plans.values()))
        assert len(plan_on.program.nodes) < len(plan_off.program.nodes)
        assert plan_on.pass_log and not plan_off.pass_log


def _train_three_steps(passes_on, backend):
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(0)
        x = tf.placeholder(tf.float32, [None, 3])
        w = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2) / 10)
        scale = tf.constant(2.0) * tf.constant(0.5)
        h = tf.tanh(tf.matmul(x, w) * scale) + tf.tanh(tf.matmul(x, w) * scale)
        y = tf.cond(tf.reduce_sum(x) > 0, lambda: h * tf.constant(3.0), lambda: h - 1.0)
        loss = tf.reduce_mean(tf.square(y))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        init = tf.global_variables_initializer()
    off = {"constant_folding": False, "simplify": False, "cse": False, "dead_code": False,
           "fusion": False}
    config = tf.ConfigProto(optimizer_passes={} if passes_on else off, backend=backend)
    data = np.array([[1.0, 2.0, 3.0], [-4.0, 0.5, 0.25]], np.float32)
    with tf.Session(graph=graph, config=config) as sess:
        sess.run(init)
        losses = [sess.run([train, loss], {x: d})[1] for d in (data, -data, data)]
        return losses, sess.run(w)


# The numpy executor runs fused nodes member by member (the same numbers); the Numba backend's
# generated loops (float32 tanh from fastmath, FMA contraction) round differently.
@pytest.mark.parametrize("backend,rtol", [("reference", 1e-6), ("numba", 2e-5)])
def test_same_numbers_with_and_without_passes(backend, rtol):
    (losses_on, w_on), (losses_off, w_off) = (_train_three_steps(True, backend),
                                              _train_three_steps(False, backend))
    np.testing.assert_allclose(losses_on, losses_off, rtol=rtol)
    np.testing.assert_allclose(w_on, w_off, rtol=rtol)
    assert not np.allclose(w_on, np.arange(6).reshape(3, 2) / 10)  # it did train


def test_cse_moves_a_control_edge_from_a_merged_node_to_the_kept_one():
    x = tf.placeholder(tf.float32, [3])
    first, second = tf.square(x), tf.square(x)
    with tf.control_dependencies([second]):
        waits = tf.identity(x) + 1.0
    merged = common_subexpressions(lowered([first, waits], [x]))
    (kept,) = [n for n in merged.nodes if n.type == "Square"]
    (add,) = [n for n in merged.nodes if n.type == "Identity"]
    assert add.control == (kept,)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run([first, waits], {x: [1.0, 2.0, 3.0]})[1],
                                   [2.0, 3.0, 4.0])


def test_a_control_edge_on_a_fed_placeholder_is_met_by_the_feed():
    x = tf.placeholder(tf.float32, [None], name="x")
    with tf.control_dependencies([x]):
        doubled = tf.identity(x) * 2.0
    program = lowered([doubled], [x])
    assert "Placeholder" not in types(program)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(doubled, {x: [1.0, 2.0]}), [2.0, 4.0])
