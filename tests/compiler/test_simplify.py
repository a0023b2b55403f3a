"""The algebraic simplification rules on tiny graphs: what each rewrites, what it must leave
alone, and that the simplified program computes the same numbers with the reference backend."""
import functools

import numpy as np
import pytest

import graphflow as tf
from graphflow.compiler import ir, pipeline
from graphflow.compiler.codegen import reference
from graphflow.compiler.passes.dce import dead_code
from graphflow.compiler.passes.simplify import RULES, Rule, algebraic_simplify
from graphflow.ops import math as math_ops

NO_RESOURCES = reference.Resources({})


def run(program, feed_values):
    return reference.compile(program, NO_RESOURCES).run(list(feed_values))


def simplified(fetches, feeds=(), feed_values=(), exact=True):
    """Lowers, simplifies (then drops what it left unused) and checks that both programs
    compute the same fetches; returns (original, simplified) programs."""
    program = ir.lower(list(fetches), [], list(feeds))
    result = dead_code(algebraic_simplify(program))
    before, after = run(program, feed_values), run(result, feed_values)
    for a, b in zip(before, after):
        assert np.asarray(a).dtype == np.asarray(b).dtype and np.shape(a) == np.shape(b)
        if exact:
            np.testing.assert_array_equal(a, b)
        else:
            np.testing.assert_allclose(a, b, rtol=1e-6)
    return program, result


def types(program):
    return sorted(n.type for n in program.nodes)


def data(*shape, dtype=np.float32, seed=0):
    return np.random.RandomState(seed).uniform(-3, 3, shape).astype(dtype)


def test_every_rule_says_whether_it_is_exact():
    for rule in RULES:
        assert isinstance(rule, Rule) and rule.ops and rule.exact
        assert "->" in rule.pattern


@pytest.mark.parametrize("build", [lambda x: x * 1.0, lambda x: 1.0 * x,
                                   lambda x: x * tf.ones([3]), lambda x: x / 1.0,
                                   lambda x: x + 0.0, lambda x: tf.zeros([1, 3]) + x,
                                   lambda x: x - 0.0, lambda x: tf.add(x, 0.0)])
def test_multiplying_by_one_and_adding_zero_give_x(build):
    x = tf.placeholder(tf.float32, [2, 3])
    _, after = simplified([build(x)], [x], [data(2, 3)])
    assert types(after) == ["_Feed"]
    assert after.fetches[0].node is after.feeds[0]


def test_integer_identities_too():
    x = tf.placeholder(tf.int32, [4])
    _, after = simplified([x * 1 + 0 - 0], [x], [np.arange(4, dtype=np.int32)])
    assert types(after) == ["_Feed"]


def test_a_constant_that_broadcasts_x_to_a_bigger_shape_stays():
    x = tf.placeholder(tf.float32, [3])
    unknown = tf.placeholder(tf.float32, [None])
    bigger = x * tf.ones([2, 3])
    maybe_bigger = unknown + tf.zeros([3])   # a run-time length of 1 would broadcast to 3
    _, after = simplified([bigger, maybe_bigger], [x, unknown], [data(3), data(1)])
    assert types(after).count("Mul") == 1 and types(after).count("AddV2") == 1


def test_size_one_constants_keep_unknown_dimensions():
    x = tf.placeholder(tf.float32, [None, None])
    _, after = simplified([x * tf.ones([1, 1])], [x], [data(2, 5)])
    assert types(after) == ["_Feed"]


def test_zero_minus_x_one_over_x_and_other_constants_stay():
    x = tf.placeholder(tf.float32, [3])
    fetches = [0.0 - x, 1.0 / x, x * 2.0, x + 1.0, x * tf.constant([1.0, 1.0, 2.0])]
    _, after = simplified(fetches, [x], [data(3)])
    assert types(after).count("_Feed") == 1 and len(after.nodes) == 1 + 2 * len(fetches)


def test_x_times_zero_is_not_rewritten():
    x = tf.placeholder(tf.float32, [3])
    _, after = simplified([x * 0.0], [x], [np.array([np.inf, np.nan, 1.0], np.float32)])
    assert "Mul" in types(after)


def test_integer_x_minus_x_is_zeros_of_its_shape():
    x = tf.placeholder(tf.int32, [2, 3])
    unknown = tf.placeholder(tf.int64, [None])
    fetches = [x - x, unknown - unknown]
    feeds = [np.arange(6, dtype=np.int32).reshape(2, 3), np.arange(5, dtype=np.int64)]
    _, after = simplified(fetches, [x, unknown], feeds)
    assert "Sub" not in types(after)
    known_zeros, unknown_zeros = (v.node for v in after.fetches)
    assert known_zeros.type == "Const" and known_zeros.attrs["value"].shape == (2, 3)
    assert unknown_zeros.type == "ZerosLike"
    assert run(after, feeds)[1].dtype == np.int64


def test_float_x_minus_x_stays_because_inf_minus_inf_is_nan():
    x = tf.placeholder(tf.float32, [2])
    before, after = simplified([x - x], [x], [np.array([np.inf, 1.0], np.float32)])
    assert "Sub" in types(after)
    assert np.isnan(run(after, [np.array([np.inf, 1.0], np.float32)])[0][0])


def test_double_negation():
    x = tf.placeholder(tf.float32, [3])
    _, after = simplified([-(-x), -(-(-x))], [x], [data(3)])
    assert after.fetches[0].node is after.feeds[0]
    assert types(after) == ["Neg", "_Feed"]


def test_transpose_of_transpose_composes_the_permutations():
    x = tf.placeholder(tf.float32, [2, 3, 4])
    composed = tf.transpose(tf.transpose(x, [1, 2, 0]), [0, 2, 1])
    round_trip = tf.transpose(tf.transpose(x, [1, 2, 0]), [2, 0, 1])
    negative_axes = tf.transpose(tf.transpose(x, [0, 2, 1]), [0, -1, -2])
    _, after = simplified([composed, round_trip, negative_axes], [x], [data(2, 3, 4)])
    (transpose,) = [n for n in after.nodes if n.type == "Transpose"]
    assert transpose is after.fetches[0].node
    assert list(transpose.inputs[1].node.attrs["value"]) == [1, 0, 2]
    assert after.fetches[1].node is after.fetches[2].node is after.feeds[0]


def test_transpose_with_a_fed_permutation_stays():
    x = tf.placeholder(tf.float32, [2, 3])
    perm = tf.placeholder(tf.int32, [2])
    y = tf.transpose(tf.transpose(x, perm), [1, 0])
    _, after = simplified([y], [x, perm], [data(2, 3), np.array([1, 0], np.int32)])
    assert types(after).count("Transpose") == 2


def test_reshape_of_reshape_is_one_reshape_and_reshape_to_its_own_shape_goes():
    x = tf.placeholder(tf.float32, [2, 6])
    twice = tf.reshape(tf.reshape(x, [3, 4]), [4, -1])
    same = tf.reshape(x, [2, 6])
    _, after = simplified([twice, same], [x], [data(2, 6)])
    (reshape,) = [n for n in after.nodes if n.type == "Reshape"]
    assert reshape.inputs[0].node is after.feeds[0]
    assert after.fetches[1].node is after.feeds[0]


def test_reshape_of_a_shape_known_only_at_run_time_stays():
    x = tf.placeholder(tf.float32, [None, 6])
    known = tf.placeholder(tf.float32, [2, 6])
    target = tf.placeholder(tf.int32)  # the reshape's rank is unknown too
    fetches = [tf.reshape(x, [-1, 6]), tf.reshape(known, target)]
    feeds = [data(2, 6), data(2, 6), np.array([2, 6], np.int32)]
    _, after = simplified(fetches, [x, known, target], feeds)
    assert types(after).count("Reshape") == 2


def test_cast_to_the_same_dtype_goes_and_other_casts_stay():
    x = tf.placeholder(tf.float32, [3])
    same = math_ops.Cast(x, DstT=tf.float32)  # tf.cast itself skips these; graph imports do not
    other = math_ops.Cast(x, DstT=tf.int32)
    _, after = simplified([same, other], [x], [data(3)])
    assert after.fetches[0].node is after.feeds[0]
    assert types(after) == ["Cast", "_Feed"]


def test_identity_chains_stop_gradient_and_unfed_defaults_go():
    x = tf.placeholder(tf.float32, [3])
    default = tf.placeholder_with_default(tf.constant([1.0, 2.0, 3.0]), [3])
    fetches = [tf.identity(tf.identity(tf.identity(x))), tf.stop_gradient(x) * 2.0,
               tf.identity(default)]
    _, after = simplified(fetches, [x], [data(3)])
    assert types(after) == ["Const", "Const", "Mul", "_Feed"]
    mul = after.fetches[1].node
    assert mul.inputs[0].node is after.feeds[0]


def test_an_identity_with_control_inputs_or_of_a_variable_stays():
    v = tf.Variable(1.0)
    read = tf.identity(v)  # aliases the variable: read where it is consumed
    assign = v.assign(5.0)
    with tf.control_dependencies([assign]):
        ordered = tf.identity(read)
    program = ir.lower([ordered, read], [], [])
    after = algebraic_simplify(program)
    assert after is program
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(ordered) == 5.0


def test_an_identity_that_waits_for_an_assign_keeps_the_assign_running():
    v = tf.Variable(0.0)
    x = tf.placeholder(tf.float32, [])
    with tf.control_dependencies([v.assign(7.0)]):
        y = tf.identity(x)
    program = ir.lower([y], [], [x])
    assert algebraic_simplify(program) is program
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(y, {x: 1.0}) == 1.0 and sess.run(v) == 7.0


def test_variable_values_seen_through_identities_are_read_after_an_assign():
    v = tf.Variable(1.0)
    with tf.control_dependencies([v.assign(3.0)]):
        y = tf.identity(tf.identity(v.value()) * 1.0)
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(y) == 3.0
        plan = next(iter(next(iter(sess._signatures.values())).plans.values()))
        assert not any(r.name == "algebraic_simplify" for r in plan.pass_log)


def test_x_times_reciprocal_is_a_division_for_floats_only():
    x, y = tf.placeholder(tf.float32, [2, 3]), tf.placeholder(tf.float32, [3])
    i, j = tf.placeholder(tf.int32, [3]), tf.placeholder(tf.int32, [3])
    fetches = [x * tf.reciprocal(y), tf.reciprocal(y) * x, i * tf.reciprocal(j)]
    feeds = [data(2, 3), data(3, seed=1), np.array([4, 5, 6], np.int32),
             np.array([1, 2, 3], np.int32)]
    _, after = simplified(fetches, [x, y, i, j], feeds, exact=False)
    assert types(after).count("RealDiv") == 2
    assert after.fetches[2].node.type == "Mul"


def test_adding_a_negation_is_a_subtraction():
    x, y = tf.placeholder(tf.float32, [2, 3]), tf.placeholder(tf.float32, [3])
    _, after = simplified([x + -y, -y + x, tf.add(x, -y)], [x, y], [data(2, 3), data(3)])
    assert [v.node.type for v in after.fetches] == ["Sub"] * 3
    assert all(v.node.inputs[0].node is after.feeds[0] for v in after.fetches)
    assert "Neg" not in types(after)


def test_never_rewrites_state_randomness_or_nodes_with_control_inputs():
    x = tf.placeholder(tf.float32, [3])
    v = tf.Variable(tf.ones([3]))
    noise = tf.random_uniform([3]) * 1.0   # the Mul goes, the draw stays
    with tf.control_dependencies([v.initializer]):
        waits = x * 1.0
    fetches = [noise, waits, v.assign_add(tf.ones([3])) * 1.0]
    program = ir.lower(fetches, [], [x])
    after = algebraic_simplify(program)
    assert after.fetches[0].node.type == "RandomUniform"
    # The 1.0 waits for the initializer (the Mul reaches it through its input): it stays.
    waits = after.fetches[1].node
    assert waits.type == "Mul" and waits.inputs[1].node.control
    assert after.fetches[2].node.type == "Mul"  # its input is the assign's reference


def test_fetched_values_and_origins_follow_the_replacement():
    x = tf.placeholder(tf.float32, [3], name="x")
    y = tf.negative(x, name="n1")
    z = tf.negative(y, name="n2") * tf.constant(1.0, name="one")
    program = ir.lower([z, y], [], [x])
    after = algebraic_simplify(program)
    assert after.fetches[0].node is after.feeds[0]
    assert set(after.feeds[0].origin) >= {"x:0", "n1", "n2", "mul"}
    assert after.changes == ("Neg(Neg(x)) -> x at n2", "Mul(x, 1) -> x at mul")
    assert run(after, [data(3)])[0].tolist() == data(3).tolist()
    assert run(after, [data(3)])[1].tolist() == (-data(3)).tolist()


def test_the_input_program_is_never_changed():
    x = tf.placeholder(tf.float32, [3])
    y = tf.transpose(tf.transpose(tf.identity(x) * 1.0))
    program = ir.lower([y], [], [x])
    snapshot = [(n, n.inputs, n.origin) for n in program.nodes], list(program.fetches)
    assert algebraic_simplify(program) is not program
    assert ([(n, n.inputs, n.origin) for n in program.nodes], list(program.fetches)) == snapshot


def test_a_replaced_node_that_a_control_edge_needs_stays_in_the_program():
    x = tf.placeholder(tf.float32, [3])
    scaled = x * 1.0
    with tf.control_dependencies([scaled]):
        after_it = tf.identity(tf.constant(2.0))
    program = ir.lower([scaled, after_it], [], [x])
    once = algebraic_simplify(program)
    assert "Mul" in types(once) and once.fetches[0].node is once.feeds[0]
    assert algebraic_simplify(once) is once   # an unused node is not rewritten again


def test_inside_a_cond_both_branches_give_the_same_numbers():
    x = tf.placeholder(tf.float32, [3])
    flag = tf.placeholder(tf.bool, [])
    y = tf.cond(flag, lambda: tf.identity(x) * 1.0 + 0.0, lambda: -(-x) - x * tf.reciprocal(x))
    for value in (True, False):
        _, after = simplified([y], [x, flag], [data(3), np.array(value)], exact=False)
    assert "Neg" not in types(after) and "Reciprocal" not in types(after)


def _session_result(config, build):
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [2, 3])
        y = build(x)
    with tf.Session(graph=graph, config=config) as sess:
        value = sess.run(y, {x: data(2, 3)})
        plan = next(iter(next(iter(sess._signatures.values())).plans.values()))
        return value, plan


def test_session_runs_the_same_with_simplification_on_and_off():
    def build(x):
        return tf.tanh(x * 1.0 + 0.0)
    on_value, on_plan = _session_result(tf.ConfigProto(), build)
    off_value, off_plan = _session_result(
        tf.ConfigProto(optimizer_passes={"simplify": False}), build)
    np.testing.assert_array_equal(on_value, off_value)
    simplify_changes = [c for r in on_plan.pass_log if r.name == "algebraic_simplify"
                        for c in r.changes]
    assert simplify_changes == ["Mul(x, 1) -> x at mul", "Add(x, 0) -> x at add"]
    assert not any(r.name == "algebraic_simplify" for r in off_plan.pass_log)


def test_tf_arithmetic_optimization_off_switches_simplification_off():
    config = tf.ConfigProto()
    config.graph_options.rewrite_options.arithmetic_optimization = 2  # RewriterConfig.OFF
    _, plan = _session_result(config, lambda x: x * 1.0)
    assert not any(r.name == "algebraic_simplify" for r in plan.pass_log)


def _add_negation(node):
    x, y = node.inputs
    return {"x": x, "y": y}


def _sub_to_add(node, x, y):
    negation = ir.Node(math_ops.Neg, {}, (y,), (), [y.node.specs[y.index]], node.name + "/neg")
    return ir.Value(ir.Node(math_ops.AddV2, {}, (x, ir.Value(negation, 0)), (), node.specs,
                            node.name + "/add"), 0)


def test_the_pipeline_stops_at_its_iteration_cap_when_rules_undo_each_other(monkeypatch):
    ping_pong = [rule for rule in RULES if rule.pattern.startswith("Add(x, Neg(y))")] + [
        Rule("Sub(x, y) -> Add(x, Neg(y))", ("Sub",), _add_negation, _sub_to_add, "exact")]
    passes = [("simplify", functools.partial(algebraic_simplify, rules=ping_pong))]
    monkeypatch.setattr(pipeline, "PASSES", passes)
    monkeypatch.setattr(pipeline, "FINAL_PASSES", [], raising=False)
    x, y = tf.placeholder(tf.float32, [3]), tf.placeholder(tf.float32, [3])
    program = ir.lower([x - y], [], [x, y])
    optimized, log = pipeline.optimize(program)
    assert len(log) == pipeline.MAX_ITERATIONS
    assert [r.iteration for r in log] == list(range(pipeline.MAX_ITERATIONS))
    assert all(r.name == "algebraic_simplify" and len(r.changes) == 1 for r in log)
    feeds = [data(3), data(3, seed=1)]
    np.testing.assert_array_equal(run(optimized, feeds)[0], run(program, feeds)[0])

