"""TF1 semantics of tf.nn, tf.losses, tf.layers and tf.metrics found by the nn_* compat
programs: gradients at the kinks, names, 1-D convolution and pooling, loss weights and
reductions, and streaming metrics."""
import numpy as np
import pytest

import graphflow as tf


def run(*fetches, feed=None):
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        return sess.run(list(fetches), feed)


def test_selu_slope_at_zero_is_the_scale():
    x = tf.constant([-1.0, 0.0, 2.0])
    (grad,) = run(tf.gradients(tf.nn.selu(x), x)[0])
    scale, alpha = 1.0507009873554805, 1.6732632423543772
    np.testing.assert_allclose(grad, [scale * alpha * np.exp(-1.0), scale, scale], rtol=1e-6)


def test_logistic_losses_have_the_true_gradient_at_a_zero_logit():
    logits = tf.constant([0.0, 0.0, 1.5])
    labels = tf.constant([1.0, 0.25, 0.0])
    plain = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    weighted = tf.nn.weighted_cross_entropy_with_logits(labels=labels, logits=logits,
                                                        pos_weight=3.0)
    grads = run(tf.gradients(plain, logits)[0], tf.gradients(weighted, logits)[0])
    sig = 1 / (1 + np.exp(-np.array([0.0, 0.0, 1.5])))
    z = np.array([1.0, 0.25, 0.0])
    np.testing.assert_allclose(grads[0], sig - z, rtol=1e-6)
    # TF builds the weighted loss from Abs and Relu, whose gradients at 0 are 0, so there it
    # is 1 - z (not the true derivative); elsewhere (1 - z) - (1 + (q - 1) z)(1 - sigmoid).
    np.testing.assert_allclose(grads[1], np.concatenate([(1 - z)[:2], [(1 - z[2]) - (
        1 + 2.0 * z[2]) * (1 - sig[2])]]), rtol=1e-6)
    with pytest.raises(ValueError):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.zeros([2]), logits=tf.zeros([3]))


def test_labels_and_logits_may_be_positional():
    loss = tf.nn.softmax_cross_entropy_with_logits([[0.0, 1.0]], [[1.0, 2.0]])
    sparse = tf.nn.sparse_softmax_cross_entropy_with_logits([1], [[1.0, 2.0]])
    values = run(loss, sparse)
    np.testing.assert_allclose(values[0], values[1])


def test_softmax_on_an_inner_axis_is_transposed_as_in_tf1():
    data = np.arange(6, dtype=np.float32).reshape(2, 3)
    probs = tf.nn.softmax(data, axis=0)
    logs = tf.nn.log_softmax(data, dim=0, name="logp")
    assert (probs.name, logs.name) == ("transpose_1:0", "logp:0")
    want = np.exp(data) / np.exp(data).sum(0)
    values = run(probs, logs)
    np.testing.assert_allclose(values[0], want, rtol=1e-6)
    np.testing.assert_allclose(values[1], np.log(want), rtol=1e-5)
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.nn.softmax(data, axis=2)


def test_crelu_concatenates_both_halves():
    out = tf.nn.crelu(tf.constant([[1.0, -2.0]]))
    assert out.name == "CRelu:0" and out.shape.as_list() == [1, 4]
    np.testing.assert_array_equal(run(out)[0], [[1.0, 0.0, 0.0, 2.0]])


def test_dropout_rate_checks_and_names():
    x = tf.ones([3])
    assert tf.nn.dropout(x, keep_prob=1.0) is x
    assert tf.nn.dropout(x, rate=0.5).name == "dropout_1/SelectV2:0"  # rate 0 used "dropout"
    for bad in (1.0, -0.1):
        with pytest.raises(ValueError):
            tf.nn.dropout(x, rate=bad)
    keep = tf.placeholder(tf.float32, [])
    fed = tf.nn.dropout(tf.ones([1000]), keep_prob=keep)
    values = run(fed, feed={keep: 0.25})[0]
    assert set(np.unique(values)) <= {0.0, 4.0} and 0.15 < (values > 0).mean() < 0.35


def test_conv1d_and_pool1d_run_the_2d_ops_over_a_height_of_one():
    rng = np.random.RandomState(0)
    signal, filters = rng.randn(2, 7, 3).astype(np.float32), rng.randn(3, 3, 4).astype(np.float32)
    out = tf.nn.conv1d(signal, filters, stride=2, padding="VALID")
    pooled = tf.nn.max_pool1d(signal, 2, 2, "VALID")
    averaged = tf.nn.avg_pool1d(signal, 3, 1, "SAME")
    assert (out.name, out.shape.as_list()) == ("conv1d/Squeeze:0", [2, 3, 4])
    assert tf.get_default_graph().get_operation_by_name("conv1d").type == "Conv2D"
    assert pooled.name == "MaxPool1d/Squeeze:0" and averaged.name == "AvgPool1D/Squeeze:0"
    want = np.stack([np.einsum("nkc,kco->no", signal[:, i:i + 3], filters) for i in (0, 2, 4)], 1)
    values = run(out, pooled, averaged)
    np.testing.assert_allclose(values[0], want, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(values[1], np.maximum(signal[:, 0:6:2], signal[:, 1:7:2]))
    padded = np.concatenate([signal[:, :1] * np.nan, signal, signal[:, :1] * np.nan], 1)
    np.testing.assert_allclose(values[2], np.stack(
        [np.nanmean(padded[:, i:i + 3], 1) for i in range(7)], 1), rtol=1e-6)


def test_loss_reductions_names_and_weight_checks():
    labels, predictions = tf.constant([[1.0, 2.0], [3.0, 4.0]]), tf.constant([[0.0, 2.0],
                                                                             [1.0, 1.0]])
    R = tf.losses.Reduction
    none = tf.losses.mean_squared_error(labels, predictions, reduction=R.NONE)
    summed = tf.losses.mean_squared_error(labels, predictions, reduction=R.SUM)
    mean = tf.losses.mean_squared_error(labels, predictions, weights=[[1.0], [0.0]])
    assert none.name.endswith("/Mul:0") and summed.name.endswith("/Sum:0")
    assert mean.name == "mean_squared_error_2/value:0"
    with pytest.raises(ValueError):
        tf.losses.mean_squared_error(labels, predictions, weights=tf.ones([2, 3]))
    with pytest.raises(ValueError):
        tf.losses.mean_squared_error(labels, predictions, weights=tf.ones([2]))
    values = run(none, summed, mean)
    np.testing.assert_allclose(values[0], [[1.0, 0.0], [4.0, 9.0]])
    assert values[1] == 14.0 and values[2] == 0.5


def test_cosine_distance_and_sparse_losses_with_column_labels():
    unit = tf.nn.l2_normalize(tf.constant([[3.0, 4.0], [1.0, 0.0]]), 1)
    distance = tf.losses.cosine_distance(tf.constant([[0.6, 0.8], [0.0, 1.0]]), unit, axis=1)
    with pytest.raises(ValueError):
        tf.losses.cosine_distance(unit, unit)
    logits = tf.constant([[2.0, 0.0], [0.0, 1.0]])
    column = tf.losses.sparse_softmax_cross_entropy([[0], [1]], logits,
                                                    weights=[[1.0], [3.0]])
    flat = tf.losses.sparse_softmax_cross_entropy([0, 1], logits, weights=[1.0, 3.0])
    values = run(distance, column, flat)
    np.testing.assert_allclose(values[0], 0.5, rtol=1e-6)
    np.testing.assert_allclose(values[1], values[2])


def test_layers_conv1d_pooling1d_and_dense_on_rank_3():
    signal = tf.placeholder(tf.float32, [None, 10, 3])
    conv = tf.layers.conv1d(signal, 4, 3, strides=2, padding="same",
                            kernel_initializer=tf.ones_initializer())
    pooled = tf.layers.max_pooling1d(conv, 2, 2)
    averaged = tf.layers.average_pooling1d(conv, 2, 1)
    dense = tf.layers.dense(tf.ones([5, 2, 3]), 6)
    assert [v.name for v in tf.trainable_variables()[:2]] == ["conv1d/kernel:0", "conv1d/bias:0"]
    assert tf.trainable_variables()[0].shape.as_list() == [3, 3, 4]
    assert (conv.name, conv.shape.as_list()) == ("conv1d/BiasAdd:0", [None, 5, 4])
    assert (pooled.name, pooled.shape.as_list()) == ("max_pooling1d/Squeeze:0", [None, 2, 4])
    assert averaged.shape.as_list() == [None, 4, 4]
    assert dense.shape.as_list() == [5, 2, 6]
    data = np.ones((1, 10, 3), np.float32)
    values = run(conv, pooled, feed={signal: data})
    # Window sums of 3 taps x 3 channels, the first one padded by one step on the left.
    np.testing.assert_allclose(values[0][0, :, 0], [9.0, 9.0, 9.0, 9.0, 6.0])
    np.testing.assert_allclose(values[1][0, :, 0], [9.0, 9.0])


def test_metrics_precision_recall_auc_and_repeated_names():
    labels = tf.placeholder(tf.int64, [None])
    scores = tf.placeholder(tf.float32, [None])
    predicted = scores > 0.5
    precision = tf.metrics.precision(labels, predicted)
    recall = tf.metrics.recall(labels, predicted)
    auc = tf.metrics.auc(labels, scores, num_thresholds=101)
    mean_a = tf.metrics.mean(scores, name="m")
    mean_b = tf.metrics.mean(scores, name="m")
    names = [v.name for v in tf.local_variables()]
    assert names[:4] == ["precision/true_positives/count:0", "precision/false_positives/count:0",
                         "recall/true_positives/count:0", "recall/false_negatives/count:0"]
    assert "auc/true_positives:0" in names and names[-2:] == ["m_1/total:0", "m_1/count:0"]
    assert (precision[0].name, precision[1].name) == ("precision/value:0",
                                                      "precision/update_op:0")
    assert mean_a[1].name == "m/update_op:0"
    batches = [([1, 0, 1, 1], [0.9, 0.6, 0.4, 0.8]), ([0, 0, 1], [0.1, 0.7, 0.95])]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for l, s in batches:
            sess.run([precision[1], recall[1], auc[1], mean_b[1]], {labels: l, scores: s})
        p, r, a, m = sess.run([precision[0], recall[0], auc[0], mean_b[0]])
    # tp = 3 (0.9, 0.8, 0.95), fp = 2 (0.6, 0.7), fn = 1 (0.4).
    np.testing.assert_allclose([p, r], [3 / 5, 3 / 4], rtol=1e-6)
    all_labels = np.array([1, 0, 1, 1, 0, 0, 1])
    all_scores = np.array([0.9, 0.6, 0.4, 0.8, 0.1, 0.7, 0.95])
    pairs = [(s1 > s0) + 0.5 * (s1 == s0) for s1 in all_scores[all_labels == 1]
             for s0 in all_scores[all_labels == 0]]
    np.testing.assert_allclose(a, np.mean(pairs), atol=0.02)
    np.testing.assert_allclose(m, all_scores.mean(), rtol=1e-6)
    with pytest.raises(ValueError):
        tf.metrics.auc(labels, scores, curve="XY")
