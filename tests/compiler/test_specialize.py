"""Shape specialization: a plan's feed shapes reach the ops' shape rules, Shape/Size/Rank of
known shapes become constants, and what depends on values stays dynamic."""
import numpy as np

import graphflow as tf
from graphflow.compiler import ir, pipeline
from graphflow.compiler.codegen import reference
from graphflow.compiler.passes.specialize import specialize_shapes


def mlp_train_step():
    tf.reset_default_graph()
    rng = np.random.RandomState(0)
    x = tf.placeholder(tf.float32, [None, 6])
    y = tf.placeholder(tf.float32, [None, 3])
    h = tf.nn.relu(tf.matmul(x, tf.Variable(rng.randn(6, 5).astype(np.float32))) +
                   tf.Variable(np.zeros(5, np.float32)))
    logits = tf.matmul(h, tf.Variable(rng.randn(5, 3).astype(np.float32))) + \
        tf.Variable(np.zeros(3, np.float32))
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    return x, y, loss, train


def test_fed_shapes_reach_every_shape_rule_and_shape_ops_fold():
    x, y, loss, train = mlp_train_step()
    program = ir.lower([loss], [train], [x, y], [(4, 6), (4, 3)])
    specialized = specialize_shapes(program)
    types = [n.type for n in specialized.nodes]
    assert "Shape" not in types and "Size" not in types
    assert "Shape" in [n.type for n in program.nodes]
    matmuls = [n for n in specialized.nodes if n.type == "MatMul"]
    assert all(n.specs[0].shape.is_fully_defined() for n in matmuls)
    assert any("-> constant [4" in c for c in specialized.changes)
    # the original program is untouched
    assert not [n for n in program.nodes if n.type == "MatMul"][0].specs[0].shape \
        .is_fully_defined()


def test_a_whole_training_step_shrinks_and_trains_the_same():
    x, y, loss, train = mlp_train_step()
    rng = np.random.RandomState(1)
    xs, ys = rng.randn(4, 6).astype(np.float32), np.eye(3, dtype=np.float32)[[0, 1, 2, 0]]
    plain = ir.lower([loss], [train], [x, y])
    optimized, _ = pipeline.optimize(ir.lower([loss], [train], [x, y], [xs.shape, ys.shape]))
    assert len(optimized.nodes) < len(plain.nodes) * 0.6
    losses = []
    for program in (plain, optimized):
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            executable = reference.compile(program, sess._resources)
            losses.append([float(executable.run([xs, ys])[0]) for _ in range(5)])
    np.testing.assert_allclose(losses[0], losses[1], rtol=1e-6)


def test_value_dependent_shapes_stay_unknown_and_correct():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None])
    kept = tf.boolean_mask(x, x > 0)
    n = tf.shape(kept)[0]
    with tf.Session() as sess:
        assert sess.run(n, {x: [1.0, -1.0, 2.0]}) == 2
        assert sess.run(n, {x: [1.0, 1.0, 2.0]}) == 3   # same feed shape, another value


def test_plans_for_other_feed_shapes_are_specialized_separately():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 2])
    total = tf.reduce_sum(x) / tf.cast(tf.size(x), tf.float32)
    with tf.Session() as sess:
        assert sess.run(total, {x: np.ones((3, 2))}) == 1.0
        assert sess.run(total, {x: np.full((5, 2), 2.0)}) == 2.0
