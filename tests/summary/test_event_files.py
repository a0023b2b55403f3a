"""FileWriter writes TensorBoard event files: records with masked CRC32C checksums holding
Event protos (the file version, the graph, summaries), readable by TensorBoard's own reader and,
where an oracle interpreter is found, by TensorFlow's summary_iterator."""
import json
import os
import pathlib
import socket
import struct
import subprocess

import numpy as np
import pytest

import graphflow as tf
from graphflow import summary as summary_mod

event_pb2 = pytest.importorskip("tensorboard.compat.proto.event_pb2")
graph_pb2 = pytest.importorskip("tensorboard.compat.proto.graph_pb2")

REPO = pathlib.Path(__file__).resolve().parents[2]


def read_records(path):
    """Parses the record framing itself, checking both checksums of every record."""
    data = pathlib.Path(path).read_bytes()
    records, at = [], 0
    while at < len(data):
        header = data[at:at + 8]
        (length,) = struct.unpack("<Q", header)
        (length_crc,) = struct.unpack("<I", data[at + 8:at + 12])
        assert length_crc == summary_mod.masked_crc32c(header)
        payload = data[at + 12:at + 12 + length]
        (payload_crc,) = struct.unpack("<I", data[at + 12 + length:at + 16 + length])
        assert payload_crc == summary_mod.masked_crc32c(payload)
        records.append(event_pb2.Event.FromString(payload))
        at += 16 + length
    return records


def test_crc32c_matches_the_standard_check_value():
    # The CRC-32C (Castagnoli) check value of "123456789" is 0xE3069283.
    assert summary_mod._crc32c_python(b"123456789") == 0xE3069283
    assert summary_mod.crc32c(b"123456789") == 0xE3069283
    data = bytes(range(256)) * 3
    assert summary_mod._crc32c_python(data) == summary_mod.crc32c(data)


def training_graph():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    w = tf.Variable(np.ones((2, 1), np.float32), name="w")
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - 1.0), name="mse")
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    tf.summary.scalar("loss", loss)
    tf.summary.histogram("weights", w)
    return x, train, tf.summary.merge_all()


def write_run(logdir, steps=3):
    x, train, merged = training_graph()
    data = np.array([[1.0, 2.0], [0.5, -1.0]], np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with tf.summary.FileWriter(str(logdir), sess.graph, filename_suffix=".gf") as writer:
            for step in range(steps):
                summary, _ = sess.run([merged, train], {x: data})
                writer.add_summary(summary, step)
            writer.add_summary(tf.summary.Summary(value=[
                tf.summary.Summary.Value(tag="proto", simple_value=4.5)]), steps)
    return writer.path


def test_event_file_name_and_records(tmp_path):
    path = write_run(tmp_path)
    name = os.path.basename(path)
    seconds, rest = name.split(".")[3], name.split(".", 4)[4]
    assert name.startswith("events.out.tfevents.") and seconds.isdigit()
    assert rest == socket.gethostname() + ".gf"
    events = read_records(path)
    assert events[0].file_version == "brain.Event:2"
    graph = graph_pb2.GraphDef.FromString(events[1].graph_def)
    nodes = {n.name: n for n in graph.node}
    assert nodes["mse"].op == "Mean" and nodes["MatMul"].input == ["x", "w/read"]
    assert any(i.startswith("^") for n in graph.node for i in n.input)  # control inputs
    assert nodes["x"].attr["_output_shapes"].list.shape[0].dim[0].size == -1
    steps = [(e.step, [v.tag for v in e.summary.value]) for e in events[2:]]
    assert steps == [(0, ["loss", "weights"]), (1, ["loss", "weights"]), (2, ["loss", "weights"]), (3, ["proto"])]
    losses = [e.summary.value[0].simple_value for e in events[2:5]]
    assert losses[2] < losses[0]


def test_tensorboard_reads_scalars_histograms_and_graph(tmp_path):
    event_accumulator = pytest.importorskip(
        "tensorboard.backend.event_processing.event_accumulator")
    write_run(tmp_path)
    accumulator = event_accumulator.EventAccumulator(str(tmp_path))
    accumulator.Reload()
    tags = accumulator.Tags()
    assert tags["graph"] and "loss" in tags["scalars"] and "weights" in tags["histograms"]
    assert [e.step for e in accumulator.Scalars("loss")] == [0, 1, 2]
    assert accumulator.Histograms("weights")[0].histogram_value.num == 2
    assert any(n.name.startswith("gradients/") for n in accumulator.Graph().node)


def test_closed_writer_refuses_events_and_reopen_writes_again(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path / "a"))
    writer.close()
    with pytest.raises(RuntimeError, match="closed"):
        writer.add_summary(tf.summary.Summary())
    writer.reopen()
    with pytest.raises(TypeError, match="Summary proto or its serialized bytes"):
        writer.add_summary(3.0)
    writer.add_summary(tf.summary.Summary(), global_step=5)
    writer.close()
    events = [e for path in (tmp_path / "a").iterdir() for e in read_records(path)]
    assert [e.step for e in events if e.HasField("summary")] == [5]
    assert writer.get_logdir() == str(tmp_path / "a")


def oracle_python():
    configured = os.environ.get("GRAPHFLOW_TF_PYTHON")
    if configured:
        return configured
    beside = REPO.parent / "graphflow-oracle" / "bin" / "python"
    return str(beside) if beside.exists() else None


ORACLE_READER = """
import json, sys
import tensorflow.compat.v1 as tf
events = []
for e in tf.train.summary_iterator(sys.argv[1]):
    events.append({"step": e.step, "version": e.file_version, "graph": len(e.graph_def),
                   "values": [[v.tag, v.simple_value, list(v.histo.bucket_limit),
                               list(v.histo.bucket)] for v in e.summary.value]})
tf.disable_v2_behavior()
data = tf.constant(json.loads(sys.argv[2]), tf.float64)
with tf.Session() as sess:
    histo = tf.Summary.FromString(sess.run(tf.summary.histogram("h", data))).value[0].histo
print(json.dumps({"events": events, "histogram": [list(histo.bucket_limit), list(histo.bucket)]}))
"""


@pytest.mark.compat
def test_tensorflow_reads_the_file_and_buckets_histograms_alike(tmp_path):
    python = oracle_python()
    if python is None:
        pytest.skip("no TensorFlow interpreter (set GRAPHFLOW_TF_PYTHON or run `make oracle`)")
    path = write_run(tmp_path)
    sample = [float(v) for v in np.random.RandomState(1).standard_cauchy(200)] + [0.0, -2.5]
    result = subprocess.run([python, "-c", ORACLE_READER, path, json.dumps(sample)],
                            capture_output=True, text=True, timeout=300,
                            env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    assert result.returncode == 0, result.stderr[-3000:]
    oracle = json.loads(result.stdout.strip().splitlines()[-1])
    mine = read_records(path)
    assert [e["step"] for e in oracle["events"]] == [e.step for e in mine]
    assert oracle["events"][0]["version"] == "brain.Event:2" and oracle["events"][1]["graph"]
    assert oracle["events"][2]["values"][0][:2] == ["loss", pytest.approx(
        mine[2].summary.value[0].simple_value)]
    with tf.Graph().as_default():
        h = tf.summary.histogram("h", tf.constant(np.array(sample)))
        with tf.Session() as sess:
            histo = tf.summary.Summary.FromString(sess.run(h)).value[0].histo
    assert [list(histo.bucket_limit), list(histo.bucket)] == oracle["histogram"]
