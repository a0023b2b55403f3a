"""Fusion: which nodes become one kernel, and that fused programs compute what the unfused ones
do, on the reference backend (bit for bit: it runs the members' own kernels) and on the Numba
backend (to float rounding: its loops are generated from the scalar expressions)."""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import graphflow as tf
from graphflow.compiler import ir, optimized_program
from graphflow.compiler.codegen import numba_cpu, numba_kernels, reference
from graphflow.compiler.passes.fuse import fuse
from graphflow.ops import nn_ops, registry

NO_FUSION = tf.ConfigProto(optimizer_passes={"fusion": False})


def run_both(fetches, feeds, backend="numba"):
    """(with fusion on the given backend, reference without fusion)."""
    graph = tf.get_default_graph()
    with tf.Session(graph=graph, config=tf.ConfigProto(backend=backend)) as fused, \
            tf.Session(graph=graph, config=NO_FUSION) as plain:
        return fused.run(fetches, feeds), plain.run(fetches, feeds)


def fused_types(fetches, feed_dict=None):
    program, _ = optimized_program(fetches, feed_dict)
    return [n.type for n in program.nodes if n.type.startswith("Fused")]


def chain(x):
    return tf.tanh(1.5 * x + 0.3) * tf.sigmoid(x) - 0.1 * x * x


def test_the_elementwise_chain_is_one_kernel_and_matches_numpy():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None])
    y = chain(x)
    assert fused_types(y, {x: None}) == ["FusedElementwise"]
    xs = np.linspace(-20, 20, 10001).astype(np.float32)
    fused, plain = run_both(y, {x: xs})
    expected = np.tanh(1.5 * xs.astype(np.float64) + 0.3) / (1 + np.exp(-xs)) - 0.1 * xs ** 2
    np.testing.assert_allclose(plain, expected, rtol=2e-6, atol=2e-6)
    np.testing.assert_allclose(fused, expected, rtol=2e-6, atol=2e-6)
    ref_fused, _ = run_both(y, {x: xs}, backend="reference")
    np.testing.assert_array_equal(ref_fused, plain)


def test_a_large_input_runs_the_parallel_loop():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None])
    y = chain(x)
    xs = np.random.RandomState(0).randn(numba_cpu.PARALLEL_THRESHOLD + 7).astype(np.float32)
    fused, plain = run_both(y, {x: xs})
    np.testing.assert_allclose(fused, plain, rtol=1e-5, atol=1e-6)


def test_an_intermediate_used_outside_the_group_is_a_second_output():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float64, [3, 4])
    inner = tf.exp(x) + 1.0
    outer = tf.log(inner) * 2.0
    other = tf.reduce_sum(inner)  # not fusible: reads the intermediate
    program, _ = optimized_program([outer, other], {x: None})
    fused = [n for n in program.nodes if n.type == "FusedElementwise"]
    assert len(fused) == 1 and len(fused[0].specs) == 2
    xs = np.random.RandomState(1).randn(3, 4)
    (a, b), (c, d) = run_both([outer, other], {x: xs})
    np.testing.assert_allclose(a, c, rtol=1e-12)
    np.testing.assert_allclose(b, d, rtol=1e-12)


def test_fusion_never_makes_a_cycle_through_an_unfused_node():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [4, 4])
    a = tf.exp(x)
    m = tf.matmul(a, tf.ones([4, 4]))  # reads the group and feeds it again
    y = tf.tanh(a + m)
    # exp(x) alone, then the sum and tanh over the product's buffer: never one group
    assert fused_types(y, {x: None}) == ["FusedElementwise", "FusedMatMul"]
    xs = np.random.RandomState(2).rand(4, 4).astype(np.float32)
    fused, plain = run_both(y, {x: xs})
    np.testing.assert_allclose(fused, plain, rtol=1e-6)


def test_matmul_bias_relu_is_one_epilogue_kernel_unless_the_product_is_fetched():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 5])
    w = tf.constant(np.random.RandomState(3).randn(5, 3).astype(np.float32))
    product = tf.matmul(x, w)
    y = tf.nn.relu(tf.nn.bias_add(product, tf.constant([0.5, -0.5, 0.0])))
    assert fused_types(y, {x: None}) == ["FusedMatMul"]
    assert fused_types([y, product], {x: None}) == ["FusedElementwise"]
    xs = np.random.RandomState(4).randn(7, 5).astype(np.float32)
    fused, plain = run_both(y, {x: xs})
    np.testing.assert_allclose(fused, plain, rtol=1e-6)
    (f1, f2), (p1, p2) = run_both([y, product], {x: xs})
    np.testing.assert_allclose(f1, p1, rtol=1e-6)
    np.testing.assert_array_equal(f2, p2)


def test_conv_bias_relu_epilogue_matches():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 6, 6, 2])
    kernel = tf.constant(np.random.RandomState(5).randn(3, 3, 2, 4).astype(np.float32))
    y = tf.nn.relu(tf.nn.conv2d(x, kernel, [1, 1, 1, 1], "SAME") + tf.ones([4]))
    assert fused_types(y, {x: None}) == ["FusedConv2D"]
    xs = np.random.RandomState(6).randn(2, 6, 6, 2).astype(np.float32)
    fused, plain = run_both(y, {x: xs})
    np.testing.assert_allclose(fused, plain, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("padding,size,stride", [("VALID", 2, 2), ("SAME", 3, 2),
                                                 ("SAME", 3, 1)])
@pytest.mark.parametrize("dtype", [tf.float32, tf.float64])
def test_relu_then_max_pool_backward_is_one_kernel(monkeypatch, padding, size, stride, dtype):
    """ReluGrad(MaxPoolGrad(r, pool, g), r) for r = relu(...) becomes FusedMaxPoolGrad, which
    the Numba backend runs as one pass; overlapping windows (stride 1) and ties (many zeros
    from the relu) included."""
    one_pass = numba_kernels.relu_grad_of_max_pool_grad
    calls = []
    monkeypatch.setattr(numba_kernels, "relu_grad_of_max_pool_grad",
                        lambda *args, **attrs: calls.append(1) or one_pass(*args, **attrs))
    tf.reset_default_graph()
    x = tf.placeholder(dtype, [None, 7, 7, 3])
    r = tf.nn.relu(x)
    pooled = tf.nn.max_pool(r, [1, size, size, 1], [1, stride, stride, 1], padding)
    weights = tf.constant(np.random.RandomState(8).randn(
        *pooled.shape.as_list()[1:]).astype(dtype.as_numpy_dtype))
    grad, = tf.gradients(tf.reduce_sum(pooled * weights), x)
    assert "FusedMaxPoolGrad" in fused_types(grad, {x: None})
    xs = np.random.RandomState(9).randn(2, 7, 7, 3).astype(dtype.as_numpy_dtype)
    xs[0, :2] = 0.0  # ties among zeros
    fused, plain = run_both(grad, {x: xs})
    np.testing.assert_allclose(fused, plain, rtol=1e-6, atol=1e-6)
    assert calls == [1]
    ref_fused, _ = run_both(grad, {x: xs}, backend="reference")
    # overlapping windows add in another order in the numpy kernel
    np.testing.assert_allclose(ref_fused, plain, rtol=1e-6, atol=1e-6)


def test_a_pool_gradient_whose_relu_reads_other_features_takes_the_generic_epilogue():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [2, 4, 4, 1])
    pooled = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    g = tf.placeholder(tf.float32, [2, 2, 2, 1])
    other = tf.placeholder(tf.float32, [2, 4, 4, 1])
    y = nn_ops.ReluGrad(tf.gradients(pooled, x, grad_ys=g)[0], other)
    assert "FusedMaxPoolGrad" in fused_types(y, {x: None, g: None, other: None})
    rng = np.random.RandomState(10)
    feeds = {x: rng.randn(2, 4, 4, 1), g: rng.randn(2, 2, 2, 1), other: rng.randn(2, 4, 4, 1)}
    fused, plain = run_both(y, feeds)
    np.testing.assert_allclose(fused, plain, rtol=1e-6)


@pytest.mark.parametrize("shape_a,shape_b", [
    ((4, 5), (5,)),          # a row (bias)
    ((4, 5), (4, 1)),        # a column
    ((4, 5), ()),            # a scalar
    ((2, 3, 4), (3, 1)),     # a column over the middle axes
    ((1, 3, 1), (2, 1, 4)),  # both broadcast: materialized
    ((0, 3), (3,)),          # empty
])
def test_broadcasting_layouts(shape_a, shape_b):
    tf.reset_default_graph()
    a = tf.placeholder(tf.float64, shape_a)
    b = tf.placeholder(tf.float64, shape_b)
    y = tf.sqrt(tf.abs(a * b)) - a
    rng = np.random.RandomState(7)
    feeds = {a: rng.randn(*shape_a), b: rng.randn(*shape_b)}
    fused, plain = run_both(y, feeds)
    assert fused.shape == plain.shape
    np.testing.assert_allclose(fused, plain, rtol=1e-14)


def test_nchw_bias_add_is_not_fused_as_a_numpy_broadcast():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [2, 3, 4, 4])
    y = tf.nn.relu(tf.nn.bias_add(x, tf.constant([1.0, 2.0, 3.0]), data_format="NCHW"))
    program, _ = optimized_program(y, {x: None})
    assert "BiasAdd" in [n.type for n in program.nodes]
    xs = np.random.RandomState(8).randn(2, 3, 4, 4).astype(np.float32)
    fused, plain = run_both(y, {x: xs})
    np.testing.assert_array_equal(fused, plain)


def test_control_dependencies_on_a_fused_member_still_order_the_run():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [3])
    v = tf.Variable(tf.zeros([3]))
    y = tf.tanh(x) * 2.0
    with tf.control_dependencies([y]):
        update = tf.assign(v, x)
    with tf.Session(config=tf.ConfigProto(backend="numba")) as sess:
        sess.run(v.initializer)
        sess.run(update, {x: [1.0, 2.0, 3.0]})
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0, 3.0])


def test_the_fusion_switch_and_the_pass_log():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None])
    y = chain(x)
    _, log = optimized_program(y, {x: None})
    assert any(r.name == "fuse" and any("FusedElementwise" in c for c in r.changes) for r in log)
    assert fused_types(y, {x: None}) and not [
        n for n in optimized_program(y, {x: None}, config=NO_FUSION)[0].nodes
        if n.type.startswith("Fused")]


def test_fused_nodes_keep_the_user_ops_they_stand_for():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None], name="x")
    y = tf.exp(x, name="e") + tf.sin(x, name="s")
    program, _ = optimized_program(y, {x: None})
    fused = [n for n in program.nodes if n.type == "FusedElementwise"]
    assert len(fused) == 1 and set(fused[0].origin) == {"e", "s", y.op.name}


def _elementwise_records():
    records = []
    for name, op_def in sorted(registry.REGISTRY.items()):
        if op_def.scalar is None or name in ("Identity", "Cast", "ZerosLike", "OnesLike"):
            continue
        records.append(name)
    return records


def _sample(name, dtype, shape, rng):
    if name in ("LogicalAnd", "LogicalOr", "LogicalNot"):
        return rng.rand(*shape) > 0.5
    values = rng.uniform(-3, 3, size=shape)
    if name in ("Log", "Sqrt", "Rsqrt", "Pow", "Log1p", "Reciprocal", "FloorDiv", "FloorMod",
                "RealDiv", "DivNoNan", "Div"):
        values = rng.uniform(0.1, 3, size=shape)
    return values.astype(dtype)


@pytest.mark.parametrize("name", _elementwise_records())
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_every_elementwise_record_generates_a_kernel_that_matches_its_numpy_kernel(name, dtype):
    """Each scalar expression, compiled, against the op's own numpy kernel."""
    op_def = registry.REGISTRY[name]
    rng = np.random.RandomState(abs(hash(name)) % 1000)
    arity = len(op_def.input_names)
    if name == "SelectV2":
        values = [rng.rand(6, 5) > 0.5, _sample(name, dtype, (6, 5), rng),
                  _sample(name, dtype, (5,), rng)]
    else:
        values = [_sample(name, dtype, (6, 5) if i == 0 else (5,), rng) for i in range(arity)]
    if any(v.dtype.kind == "f" for v in values) is False and name not in (
            "LogicalAnd", "LogicalOr", "LogicalNot"):
        pytest.skip("no float inputs")
    if name in ("BitwiseAnd", "BitwiseOr", "BitwiseXor", "Invert"):
        pytest.skip("integer ops are not fused")
    tf.reset_default_graph()
    placeholders = [tf.placeholder(tf.as_dtype(v.dtype), v.shape) for v in values]
    try:
        out = op_def(*placeholders)
    except (TypeError, ValueError) as e:
        pytest.skip("%s does not take %s: %s" % (name, np.dtype(dtype).name, e))
    # A second member makes a group of two, so even ops not worth a kernel alone are fused.
    if out.dtype.base_dtype == tf.bool:
        y = tf.logical_not(out)
    else:
        y = -out
    program = fuse(ir.lower([y], [], placeholders))
    if not any(n.type == "FusedElementwise" for n in program.nodes):
        pytest.skip("%s is not fusible with these dtypes" % name)
    resources = reference.Resources({})
    fused = numba_cpu.compile(program, resources).run(values)[0]
    plain = reference.compile(ir.lower([y], [], placeholders), resources).run(values)[0]
    assert fused.dtype == plain.dtype and fused.shape == plain.shape
    if plain.dtype == np.bool_:
        np.testing.assert_array_equal(fused, plain)
    else:
        tolerance = 2e-6 if dtype == np.float32 else 1e-13
        np.testing.assert_allclose(fused, plain, rtol=tolerance, atol=tolerance)


def test_kernels_are_cached_on_disk_and_reused_by_a_second_process(tmp_path):
    script = textwrap.dedent("""
        import numpy as np, graphflow as tf
        x = tf.placeholder(tf.float32, [None])
        y = tf.tanh(x * 3.25) + tf.exp(-x) * 0.125
        with tf.Session(config=tf.ConfigProto(backend="numba")) as sess:
            print(float(sess.run(y, {x: np.ones(4, np.float32)})[0]))
            plan = next(iter(next(iter(sess._signatures.values())).plans.values()))
            step = [s for s in plan.executable._steps if s.node.type == "FusedElementwise"][0]
            kernel = next(iter(step.fn._variants.values())).kernel
            print("hits", sum(kernel.stats.cache_hits.values()))
    """)
    env = dict(os.environ, GRAPHFLOW_CACHE_DIR=str(tmp_path))

    def run():
        return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                              text=True, check=True).stdout.split()

    first, second = run(), run()
    assert first[0] == second[0]
    assert first[-1] == "0" and second[-1] != "0"
    assert [p.name for p in tmp_path.glob("graphflow_fused_*.py")]


def test_two_processes_compiling_the_same_kernel_at_once_both_succeed(tmp_path):
    script = textwrap.dedent("""
        import numpy as np, graphflow as tf
        x = tf.placeholder(tf.float64, [None])
        y = tf.sin(x * 1.75) * tf.cos(x) + 0.5
        with tf.Session(config=tf.ConfigProto(backend="numba")) as sess:
            print(float(sess.run(y, {x: np.ones(4)})[0]))
    """)
    env = dict(os.environ, GRAPHFLOW_CACHE_DIR=str(tmp_path))
    processes = [subprocess.Popen([sys.executable, "-c", script], env=env,
                                  stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate()[0] for p in processes]
    assert [p.returncode for p in processes] == [0, 0]
    assert outputs[0] == outputs[1] == "%r\n" % float(np.sin(1.75) * np.cos(1.0) + 0.5)
    assert len(list(tmp_path.glob("graphflow_fused_*.py"))) == 1


@pytest.mark.parametrize("build,same_bits", [
    (lambda x: tf.reduce_sum(tf.square(x - 0.5), axis=1), True),       # sum of squares per row
    (lambda x: tf.reduce_mean(tf.tanh(x) * 2.0), True),                 # a mean over everything
    (lambda x: tf.reduce_sum(tf.exp(x * 0.1), axis=[1], keepdims=True), True),
    # a leading axis: the fused node runs the numpy kernels, the unfused Sum the Numba
    # backend's column sums (float64 accumulators)
    (lambda x: tf.reduce_sum(tf.square(x) + 1.0, axis=0), False),
])
def test_a_reduction_takes_its_elementwise_prologue(build, same_bits):
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 300])
    y = build(x)
    program = optimized_program(y, {x: None})[0]
    types = [n.type for n in program.nodes]
    assert types.count("FusedReduction") == 1 and "Sum" not in types and "Mean" not in types
    read = {id(v.node) for n in program.nodes for v in n.inputs}
    assert all(id(n) in read for n in program.nodes if n.type == "Const")  # axes went too
    xs = np.random.RandomState(9).rand(1000, 300).astype(np.float32)
    ours, plain = run_both(y, {x: xs})
    assert np.shape(ours) == np.shape(plain)
    np.testing.assert_allclose(ours, plain, rtol=2e-6)
    ref_fused, _ = run_both(y, {x: xs}, backend="reference")
    if same_bits:
        np.testing.assert_array_equal(ref_fused, plain)
    else:
        np.testing.assert_allclose(ref_fused, plain, rtol=2e-6)


def test_a_fused_reduction_over_leading_axes_runs_the_loop_then_column_sums(monkeypatch):
    """Batch norm's variance: the squared differences in the generated loop, then the Sum/Mean
    kernel's column sums (numba_kernels._column_sums), not numpy's kernels."""
    column_sums = numba_kernels._column_sums
    calls = []
    monkeypatch.setattr(numba_kernels, "_column_sums",
                        lambda x, out: calls.append(x.shape) or column_sums(x, out))
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 5, 4])
    mean = tf.constant(np.linspace(-1, 1, 4).astype(np.float32))
    y = tf.reduce_mean(tf.squared_difference(x, mean), axis=[0, 1], keepdims=True)
    assert fused_types(y, {x: None}) == ["FusedReduction"]
    xs = np.random.RandomState(11).randn(6, 5, 4).astype(np.float32)
    with tf.Session(config=tf.ConfigProto(backend="numba")) as sess:
        fused = sess.run(y, {x: xs})
    assert calls == [(30, 4)]
    with tf.Session(config=NO_FUSION) as sess:
        plain = sess.run(y, {x: xs})
    np.testing.assert_allclose(fused, plain, rtol=1e-6)
    np.testing.assert_allclose(fused, ((xs - np.linspace(-1, 1, 4)) ** 2).mean(axis=(0, 1),
                                                                              keepdims=True),
                               rtol=1e-5)


def test_a_reduction_whose_input_is_also_used_elsewhere_stays_separate():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [4, 5])
    squares = tf.square(x) * 3.0
    total = tf.reduce_sum(squares)
    program, _ = optimized_program([total, squares], {x: None})
    types = [n.type for n in program.nodes]
    assert "FusedReduction" not in types and "Sum" in types
    xs = np.random.RandomState(10).rand(4, 5).astype(np.float32)
    (a, b), (c, d) = run_both([total, squares], {x: xs})
    np.testing.assert_allclose(a, c, rtol=1e-6)
    np.testing.assert_allclose(b, d, rtol=1e-6)


@pytest.mark.parametrize("shape_a,shape_b", [((2,), (1, 2)), ((3, 1), (1, 2))])
def test_a_reduction_over_inputs_of_other_ranks_and_broadcasts(shape_a, shape_b):
    """The slides' loss (a [2] vector against a [1, 2] row) once crashed here: an input whose
    shape differs from the loop's only by leading 1s is already laid out like it."""
    tf.reset_default_graph()
    a = tf.placeholder(tf.float32, shape_a)
    b = tf.placeholder(tf.float32, shape_b)
    y = tf.reduce_sum(tf.square(a - b))
    rng = np.random.RandomState(11)
    feeds = {a: rng.rand(*shape_a).astype(np.float32), b: rng.rand(*shape_b).astype(np.float32)}
    assert "FusedReduction" in fused_types(y, {a: None, b: None})
    ours, plain = run_both(y, feeds)
    np.testing.assert_allclose(ours, plain, rtol=1e-6)
