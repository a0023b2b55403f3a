"""tf.summary ops: TF1's op names, types and tags, and the Summary protos they produce."""
import os
import subprocess
import sys

import numpy as np
import pytest

import graphflow as tf
from graphflow import summary as summary_mod

summary_pb2 = pytest.importorskip("tensorboard.compat.proto.summary_pb2")


def parse(serialized):
    assert isinstance(serialized, bytes)
    return summary_pb2.Summary.FromString(serialized)


def test_names_types_and_tags_follow_tf1():
    x = tf.placeholder(tf.float32, [None], name="x")
    with tf.name_scope("outer"):
        cleaned = tf.summary.scalar("loss value!", tf.reduce_mean(x))
        family = tf.summary.scalar("loss", tf.reduce_mean(x), family="train")
    histogram = tf.summary.histogram("weights", x)
    merged = tf.summary.merge_all()
    assert [t.name for t in (cleaned, family, histogram, merged)] == [
        "outer/loss_value_:0", "outer/train/loss:0", "weights:0", "Merge/MergeSummary:0"]
    assert [t.op.type for t in (cleaned, histogram, merged)] == [
        "ScalarSummary", "HistogramSummary", "MergeSummary"]
    assert [t.op.name for t in cleaned.op.inputs] == ["outer/loss_value_/tags", "outer/Mean"]
    assert all(t.dtype == tf.string and t.shape.ndims == 0 for t in (cleaned, merged))
    assert tf.get_collection(tf.GraphKeys.SUMMARIES) == [cleaned, family, histogram]

    with tf.Session() as sess:
        values = sess.run([cleaned, family, merged], {x: [1.0, 2.0, 3.0, 100.0]})
    assert [(v.tag, v.simple_value) for v in parse(values[0]).value] == [
        ("outer/loss_value_", 26.5)]
    assert parse(values[1]).value[0].tag == "train/outer/train/loss"
    assert [v.tag for v in parse(values[2]).value] == [
        "outer/loss_value_", "train/outer/train/loss", "weights"]


def test_collections_argument_and_empty_merge_all():
    assert tf.summary.merge_all() is None
    s = tf.summary.scalar("a", tf.constant(1.0), collections=["mine"])
    assert tf.get_collection("mine") == [s] and tf.summary.merge_all() is None
    assert tf.summary.merge_all("mine").op.type == "MergeSummary"
    with pytest.raises(ValueError, match="shorter than minimum length 1"):
        tf.summary.merge([])


def histogram_of(values):
    with tf.Graph().as_default():
        h = tf.summary.histogram("h", tf.constant(np.asarray(values, np.float64)))
        with tf.Session() as sess:
            return parse(sess.run(h)).value[0].histo


@pytest.mark.parametrize("values", [[1.0, 2.0, 3.0, 100.0], [0.0], [-1.0, -1e-13, 1e-13],
                                    [1e21, -1e21], [5.0, 5.0, 5.0],
                                    np.random.RandomState(0).normal(size=500)])
def test_histogram_counts_every_value_in_its_bucket(values):
    values = np.asarray(values, np.float64)
    histo = histogram_of(values)
    assert (histo.min, histo.max, histo.num) == (values.min(), values.max(), values.size)
    assert histo.sum == pytest.approx(values.sum())
    assert histo.sum_squares == pytest.approx(np.sum(values ** 2))
    limits, counts = np.array(histo.bucket_limit), np.array(histo.bucket)
    assert np.all(np.diff(limits) > 0) and counts.sum() == values.size
    assert limits[-1] == np.finfo(np.float64).max
    # Each non-empty bucket [previous limit, limit) holds exactly the values in that range.
    for i in np.flatnonzero(counts):
        lower = limits[i - 1] if i else -np.inf
        assert counts[i] == np.sum((values >= lower) & (values < limits[i]))
    # Empty runs are merged: no two empty buckets in a row.
    assert not np.any((counts[:-1] == 0) & (counts[1:] == 0))


def test_empty_histogram():
    histo = histogram_of(np.zeros([0]))
    assert histo.num == 0 and list(histo.bucket) == [0.0]
    assert histo.min > histo.max  # TF's empty-range convention: +max, -max


def test_run_time_errors_are_invalid_argument():
    x = tf.placeholder(tf.float32)
    scalar = tf.summary.scalar("s", x)
    histogram = tf.summary.histogram("h", x)
    merged = tf.summary.merge([scalar, tf.summary.scalar("s", x, collections=[])])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="not the same shape"):
            sess.run(scalar, {x: [1.0, 2.0]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="Nan in summary histogram"):
            sess.run(histogram, {x: [1.0, np.nan]})
        # A second summary named "s" gets the scope, and so the tag, "s_1": merging it with the
        # first works; merging one summary with itself repeats a tag.
        assert [v.tag for v in parse(sess.run(merged, {x: 1.0})).value] == ["s", "s_1"]
        with pytest.raises(tf.errors.InvalidArgumentError, match="Duplicate tag s"):
            sess.run(tf.summary.merge([scalar, scalar]), {x: 1.0})


def test_proto_classes_are_exposed():
    assert tf.summary.Summary is summary_pb2.Summary
    assert tf.summary.Event.__name__ == "Event"


def test_graphflow_imports_without_tensorboard_and_names_the_install():
    # A None entry in sys.modules makes `import tensorboard` fail as if it were not installed.
    program = ("import sys; sys.modules['tensorboard'] = None\n"
               "import graphflow as tf\n"
               "try:\n"
               "    tf.summary.scalar('a', tf.constant(1.0))\n"
               "except ImportError as e:\n"
               "    print(e)\n")
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                            timeout=120, env=dict(os.environ, GRAPHFLOW_PROGRESS="0"))
    assert result.returncode == 0, result.stderr
    assert "pip install" in result.stdout and "tensorboard" in result.stdout


def test_bucket_limits_grow_by_ten_percent_between_1e_12_and_1e20():
    positive = [v for v in summary_mod.BUCKET_LIMITS if 0 < v < 1e300]
    assert positive[0] == 1e-12 and positive[-1] < 1e20 <= positive[-1] * 1.1
    np.testing.assert_allclose(np.diff(np.log(positive)), np.log(1.1))
    assert summary_mod.BUCKET_LIMITS[len(positive) + 1] == 0.0
