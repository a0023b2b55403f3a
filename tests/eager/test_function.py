"""graphflow.function: one Python function, traced once per input signature into a graph run
by a Session, giving the eager results; variables stay in step both ways."""
import numpy as np
import pytest

import graphflow as tf
from graphflow import eager


@pytest.fixture(autouse=True)
def eagerly():
    with eager.eager_mode():
        yield


def test_traces_once_per_signature():
    traced = []

    @tf.function
    def scale(x, factor=2.0):
        traced.append(x.shape.as_list())
        return x * factor + tf.reduce_sum(x)

    a = tf.constant([1.0, 2.0])
    np.testing.assert_allclose(scale(a).numpy(), [5, 7])
    np.testing.assert_allclose(scale(tf.constant([3.0, 4.0])).numpy(), [13, 15])
    assert scale.experimental_get_tracing_count() == 1
    scale(tf.constant([1.0, 2.0, 3.0]))  # a new shape
    scale(a, factor=3.0)  # a new Python value
    scale(np.array([1.0, 2.0], np.float32))  # numpy arrays are tensors: the first trace
    scale(tf.constant([1, 2]), factor=2)  # a new dtype (and Python value)
    assert scale.experimental_get_tracing_count() == 4 and len(traced) == 4
    assert scale(a, factor=3.0).numpy().tolist() == [6.0, 9.0]
    assert scale.experimental_get_tracing_count() == 4


def test_input_signature_allows_any_batch_size():
    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    def row_sums(x):
        return tf.reduce_sum(x, axis=1)

    for n in (1, 3, 5):
        np.testing.assert_allclose(row_sums(np.ones((n, 2), np.float32)).numpy(), [2] * n)
    assert row_sums.experimental_get_tracing_count() == 1
    with pytest.raises(TypeError, match="input_signature"):
        row_sums(np.ones((2, 3), np.float32))
    graph = row_sums.get_concrete_function(np.ones((1, 2), np.float32)).graph
    assert any(op.type == "Sum" for op in graph.get_operations())


def model(w, b, x):
    return tf.nn.softmax(tf.matmul(tf.tanh(x), w) + b)


def test_same_results_as_eager_and_structures_pass_through():
    rng = np.random.RandomState(3)
    w = tf.Variable(rng.randn(4, 3).astype(np.float32))
    b = tf.Variable(rng.randn(3).astype(np.float32))
    x = tf.constant(rng.randn(6, 4).astype(np.float32))
    compiled = tf.function(lambda x, options: {"probs": model(w, b, x),
                                               "tag": options["tag"], "nothing": None})
    out = compiled(x, {"tag": "kept"})
    np.testing.assert_allclose(out["probs"].numpy(), model(w, b, x).numpy(), rtol=1e-6)
    assert out["tag"] == "kept" and out["nothing"] is None


def test_updates_inside_are_visible_eagerly_and_back():
    counter = tf.Variable(0.0)
    weights = tf.Variable([1.0, 2.0])

    @tf.function
    def step(delta):
        counter.assign_add(1.0)  # not returned: runs anyway
        return weights.assign(weights * delta)

    step(tf.constant(2.0))
    step(tf.constant(2.0))
    assert float(counter) == 2.0
    np.testing.assert_allclose(weights.numpy(), [4, 8])
    weights.assign([1.0, 1.0])  # an eager change reaches the function's next run
    np.testing.assert_allclose(step(tf.constant(3.0)).numpy(), [3, 3])
    assert step.experimental_get_tracing_count() == 1


def test_training_step_matches_eager_training():
    rng = np.random.RandomState(4)
    x = rng.randn(32, 4).astype(np.float32)
    y = rng.randint(0, 3, 32).astype(np.int64)
    w0, b0 = rng.randn(4, 3).astype(np.float32), np.zeros(3, np.float32)

    def train(run_step_as):
        w, b = tf.Variable(w0), tf.Variable(b0)
        optimizer = tf.train.AdamOptimizer(0.05)

        def step(x, y):
            with tf.GradientTape() as tape:
                logits = tf.matmul(x, w) + b
                loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
                    labels=y, logits=logits))
            grads = tape.gradient(loss, [w, b])
            optimizer.apply_gradients(zip(grads, [w, b]))
            return loss

        step = run_step_as(step)
        losses = [float(step(tf.constant(x), tf.constant(y))) for _ in range(8)]
        return losses, w.numpy(), optimizer

    eager_losses, eager_w, _ = train(lambda f: f)
    graph_losses, graph_w, optimizer = train(tf.function)
    np.testing.assert_allclose(graph_losses, eager_losses, rtol=1e-5)
    np.testing.assert_allclose(graph_w, eager_w, rtol=1e-5, atol=1e-6)
    assert graph_losses[-1] < graph_losses[0]
    # The slots the trace created are eager variables, updated by the graph.
    assert any(abs(float(np.abs(s.numpy()).sum())) > 0 for s in optimizer.variables())


def test_in_graph_mode_a_function_builds_ops():
    @tf.function
    def double(x):
        return x * 2.0

    with eager.graph_mode(tf.Graph()):
        x = tf.placeholder(tf.float32, [2])
        y = double(x)
        assert isinstance(y, tf.Tensor) and not isinstance(y, eager.EagerTensor)
        np.testing.assert_allclose(tf.Session().run(y, {x: [1, 2]}), [2, 4])
    assert double.experimental_get_tracing_count() == 0


def test_graph_tensor_argument_is_an_error():
    with eager.graph_mode(tf.Graph()):
        graph_tensor = tf.constant(1.0, name="outside")
    with pytest.raises(TypeError, match="outside:0.*graphflow.function"):
        tf.function(lambda x: x + 1.0)(graph_tensor)


def test_eager_tensors_used_inside_are_captured():
    offset = tf.constant([10.0, 20.0])
    shifted = tf.function(lambda x: x + offset)
    np.testing.assert_allclose(shifted(tf.constant([1.0, 2.0])).numpy(), [11, 22])
