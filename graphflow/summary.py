"""``tf.summary``: summary ops and the ``FileWriter`` that writes TensorBoard event files.

Summary ops are graph ops whose output is a serialized ``Summary`` protocol buffer (a string
tensor), so ``sess.run(tf.summary.merge_all())`` returns bytes that ``FileWriter.add_summary``
appends to an event file that ``tensorboard --logdir`` reads.

The protocol buffer classes come from the ``tensorboard`` package (``pip install
'graphflow[tensorboard]'``); graphflow itself imports without it, and the first summary op or
writer says what to install when it is missing.

An event file is a sequence of records, each: the data length as a little-endian uint64, the
masked CRC32C of those 8 bytes, the data, the masked CRC32C of the data.
"""
import os
import re
import socket
import struct
import threading
import time

import numpy as np

from .framework import dtypes, errors, graph as graph_mod, tensor_shape
from .ops.registry import NOT_DIFFERENTIABLE, Spec, defop

_INSTALL_HINT = ("TensorBoard summaries need the protocol buffer classes of the 'tensorboard' "
                 "package: pip install 'graphflow[tensorboard]' (or: pip install tensorboard "
                 "protobuf)")


def _protos():
    """The tensorboard proto modules (imported on first use: an optional extra)."""
    try:
        from tensorboard.compat.proto import (attr_value_pb2, event_pb2, graph_pb2,
                                              summary_pb2, tensor_shape_pb2, versions_pb2)
    except ImportError as e:
        raise ImportError(_INSTALL_HINT) from e
    return _ProtoModules(attr_value_pb2, event_pb2, graph_pb2, summary_pb2, tensor_shape_pb2,
                         versions_pb2)


class _ProtoModules:
    def __init__(self, attr_value_pb2, event_pb2, graph_pb2, summary_pb2, tensor_shape_pb2,
                 versions_pb2):
        self.attr_value_pb2 = attr_value_pb2
        self.event_pb2 = event_pb2
        self.graph_pb2 = graph_pb2
        self.summary_pb2 = summary_pb2
        self.tensor_shape_pb2 = tensor_shape_pb2
        self.versions_pb2 = versions_pb2


def __getattr__(name):
    """``tf.summary.Summary``, ``Event`` and ``SessionLog`` are the proto classes, as in TF1."""
    if name in ("Summary", "SummaryDescription", "HistogramProto"):
        return getattr(_protos().summary_pb2, name)
    if name in ("Event", "SessionLog", "TaggedRunMetadata"):
        return getattr(_protos().event_pb2, name)
    raise AttributeError("module 'graphflow.summary' has no attribute %r" % name)


# -- summary ops ----------------------------------------------------------------------------
def _tag_of(tags):
    tag = np.asarray(tags, dtype=object).reshape(-1)
    value = tag[0] if tag.size else b""
    return value.decode() if isinstance(value, bytes) else str(value)


def _serialized(summary):
    return np.array(summary.SerializeToString(), dtype=object)


def _scalar_summary(tags, values):
    tags_array, values_array = np.asarray(tags, dtype=object), np.asarray(values)
    if tags_array.shape != values_array.shape:
        raise errors.InvalidArgumentError(
            None, None, "tags and values are not the same shape: %s != %s (tag '%s')"
            % (list(tags_array.shape), list(values_array.shape), _tag_of(tags)))
    summary = _protos().summary_pb2.Summary()
    for tag, value in zip(tags_array.reshape(-1), values_array.reshape(-1)):
        summary.value.add(tag=tag.decode() if isinstance(tag, bytes) else str(tag),
                          simple_value=float(value))
    return _serialized(summary)


def _positive_bucket_limits():
    # Exponential buckets as TensorBoard expects them: 1e-12 growing by 10% up to 1e20 (the
    # running product, so the limits are the same doubles TensorFlow writes).
    limits, value = [], 1e-12
    while value < 1e20:
        limits.append(value)
        value *= 1.1
    return limits


_DOUBLE_MAX = float(np.finfo(np.float64).max)
_POSITIVE_LIMITS = _positive_bucket_limits()
BUCKET_LIMITS = ([-_DOUBLE_MAX] + [-v for v in reversed(_POSITIVE_LIMITS)] + [0.0]
                 + _POSITIVE_LIMITS + [_DOUBLE_MAX])


def _histogram_proto(values):
    """A HistogramProto: bucket i counts values in [limit i-1, limit i); each run of empty
    buckets is written as one bucket ending at the run's last limit, so the proto stays small."""
    counts = np.zeros(len(BUCKET_LIMITS))
    if values.size:
        np.add.at(counts, np.searchsorted(BUCKET_LIMITS, values, side="right"), 1)
    histo = _protos().summary_pb2.HistogramProto(
        min=float(values.min()) if values.size else _DOUBLE_MAX,
        max=float(values.max()) if values.size else -_DOUBLE_MAX,
        num=float(values.size), sum=float(values.sum()),
        sum_squares=float(np.dot(values, values)))
    for index, (limit, count) in enumerate(zip(BUCKET_LIMITS, counts)):
        last = index == len(BUCKET_LIMITS) - 1
        if count == 0 and not last and counts[index + 1] == 0:
            continue  # inside a run of empty buckets: the run's last one stands for it
        histo.bucket_limit.append(limit)
        histo.bucket.append(count)
    return histo


def _histogram_summary(tag, values):
    flat = np.asarray(values, dtype=np.float64).reshape(-1)
    if not np.all(np.isfinite(flat)):
        raise errors.InvalidArgumentError(
            None, None, "Nan in summary histogram for: %s" % _tag_of(tag))
    summary = _protos().summary_pb2.Summary()
    summary.value.add(tag=_tag_of(tag), histo=_histogram_proto(flat))
    return _serialized(summary)


def _merge_summary(*inputs):
    merged = _protos().summary_pb2.Summary()
    seen = set()
    for serialized_tensor in inputs:
        for serialized in np.asarray(serialized_tensor, dtype=object).reshape(-1):
            part = _protos().summary_pb2.Summary.FromString(serialized)
            for value in part.value:
                if value.tag in seen:
                    raise errors.InvalidArgumentError(
                        None, None, "Duplicate tag %s found in summary inputs " % value.tag)
                seen.add(value.tag)
                merged.value.add().CopyFrom(value)
    return _serialized(merged)


def _string_scalar(*inputs, **attrs):
    return Spec([], dtypes.string)


def _merge_shape(*inputs):
    if not inputs:
        raise ValueError("List argument 'inputs' to 'MergeSummary' Op with length 0 shorter "
                         "than minimum length 1.")
    return Spec([], dtypes.string)


ScalarSummary = defop("ScalarSummary", shape=_string_scalar,
                      ref=lambda tags, values: _scalar_summary(tags, values),
                      grad=NOT_DIFFERENTIABLE)
HistogramSummary = defop("HistogramSummary", shape=_string_scalar,
                         ref=lambda tag, values: _histogram_summary(tag, values),
                         grad=NOT_DIFFERENTIABLE)
MergeSummary = defop("MergeSummary", shape=_merge_shape,
                     ref=lambda *inputs: _merge_summary(*inputs), grad=NOT_DIFFERENTIABLE)


_INVALID_TAG_CHARACTERS = re.compile(r"[^-/\w.]")


def _clean_tag(name):
    """TF's rule for tags: characters other than letters, digits, ``_-/.`` become ``_`` and a
    leading ``/`` is dropped (name scopes cannot start with one)."""
    if name is None:
        return None
    cleaned = _INVALID_TAG_CHARACTERS.sub("_", name).lstrip("/")
    return cleaned


def _summary_op(op, name, tensor, collections, family):
    """Adds a summary op under the scope TF1 gives it and returns its output. The tag is the
    scope without its trailing slash, prefixed by ``family/`` when a family is given."""
    _protos()  # a missing optional dependency is reported where the summary is declared
    name, family = _clean_tag(name), _clean_tag(family)
    scope_name = name if family is None else "%s/%s" % (family, name)
    with graph_mod.name_scope(scope_name) as scope:
        tag = scope.rstrip("/")
        if family is not None:
            tag = "%s/%s" % (family, tag)
        summary = op(np.array(tag.encode(), dtype=object), tensor, name=scope)
    for key in collections if collections is not None else [graph_mod.GraphKeys.SUMMARIES]:
        graph_mod.add_to_collection(key, summary)
    return summary


def scalar(name, tensor, collections=None, family=None):
    """``tf.summary.scalar``: a string tensor holding a Summary with one simple value."""
    return _summary_op(ScalarSummary, name, tensor, collections, family)


def histogram(name, values, collections=None, family=None):
    """``tf.summary.histogram``: a string tensor holding a Summary with a histogram of
    ``values`` (any shape; NaN or infinity is an InvalidArgumentError when it runs)."""
    return _summary_op(HistogramSummary, name, values, collections, family)


def merge(inputs, collections=None, name=None):
    """``tf.summary.merge``: one Summary holding the values of all ``inputs``."""
    _protos()
    with graph_mod.name_scope(name, "Merge", inputs):
        merged = MergeSummary(*inputs, name="MergeSummary")
    for key in collections or []:
        graph_mod.add_to_collection(key, merged)
    return merged


def merge_all(key=graph_mod.GraphKeys.SUMMARIES, scope=None, name=None):
    """``tf.summary.merge_all``: merges the summaries in collection ``key`` (None if empty)."""
    summaries = graph_mod.get_collection(key, scope=scope)
    if not summaries:
        return None
    return merge(summaries, name=name)


# -- GraphDef --------------------------------------------------------------------------------
def _shape_proto(protos, shape):
    shape = tensor_shape.as_shape(shape)
    if shape.ndims is None:
        return protos.tensor_shape_pb2.TensorShapeProto(unknown_rank=True)
    return protos.tensor_shape_pb2.TensorShapeProto(dim=[
        protos.tensor_shape_pb2.TensorShapeProto.Dim(size=-1 if d is None else d)
        for d in shape.as_list()])


def _attr_value(protos, value):
    """The AttrValue for an attr graphflow can describe, else None (it is left out: TensorBoard
    only displays attrs, it never runs them)."""
    AttrValue = protos.attr_value_pb2.AttrValue
    if isinstance(value, dtypes.DType):
        return AttrValue(type=value.as_datatype_enum)
    if isinstance(value, tensor_shape.TensorShape):
        return AttrValue(shape=_shape_proto(protos, value))
    if isinstance(value, (bool, np.bool_)):
        return AttrValue(b=bool(value))
    if isinstance(value, (int, np.integer)):
        return AttrValue(i=int(value))
    if isinstance(value, (float, np.floating)):
        return AttrValue(f=float(value))
    if isinstance(value, str):
        return AttrValue(s=value.encode())
    if isinstance(value, bytes):
        return AttrValue(s=value)
    if isinstance(value, (list, tuple)) and all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value):
        return AttrValue(list=AttrValue.ListValue(i=[int(v) for v in value]))
    return None


def to_graph_def(graph):
    """A TensorBoard ``GraphDef`` for a graphflow Graph: names, op types, inputs (``^name``
    for control inputs), simple attrs, and each node's output shapes as ``_output_shapes``,
    which TensorBoard shows on edges."""
    protos = _protos()
    AttrValue = protos.attr_value_pb2.AttrValue
    result = protos.graph_pb2.GraphDef(versions=protos.versions_pb2.VersionDef(producer=27))
    for op in graph.get_operations():
        node = result.node.add(name=op.name, op=op.type, device=op.device or "")
        node.input.extend([t._as_node_def_input() for t in op.inputs]
                          + ["^" + c.name for c in op.control_inputs])
        for key, value in sorted(op.attrs.items()):
            attr = _attr_value(protos, value)
            if attr is not None:
                node.attr[key].CopyFrom(attr)
        if op.outputs:
            node.attr["_output_shapes"].CopyFrom(AttrValue(list=AttrValue.ListValue(
                shape=[_shape_proto(protos, t.shape) for t in op.outputs])))
    return result


# -- event files -----------------------------------------------------------------------------
def _crc32c_table():
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC32C_TABLE = None


def _crc32c_python(data):
    # Fallback when the `crc32c` package is absent: a byte-at-a-time table loop is slow
    # (~MB/s) but events are small and written a few times per second at most.
    global _CRC32C_TABLE
    if _CRC32C_TABLE is None:
        _CRC32C_TABLE = _crc32c_table()
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _CRC32C_TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def crc32c(data):
    try:
        import crc32c as crc32c_package
    except ImportError:
        return _crc32c_python(data)
    return crc32c_package.crc32c(data)


def masked_crc32c(data):
    """The record checksum: CRC32C rotated right by 15 bits plus a constant, as TFRecord does
    (so that a CRC of data that itself holds CRCs is not trivially related to them)."""
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def encode_record(data):
    length = struct.pack("<Q", len(data))
    return (length + struct.pack("<I", masked_crc32c(length)) + data
            + struct.pack("<I", masked_crc32c(data)))


class FileWriter:
    """``tf.summary.FileWriter(logdir, graph=None, max_queue=10, flush_secs=120,
    graph_def=None, filename_suffix=None, session=None)``.

    Writes ``logdir/events.out.tfevents.<seconds>.<hostname><suffix>``. Events are written
    as they are added and the file is flushed when ``flush_secs`` have passed since the last
    flush, on ``flush()`` and on ``close()``; there is no background thread, so a writer left
    idle flushes at its next event or when closed.
    """

    def __init__(self, logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None,
                 filename_suffix=None, session=None):
        self._protos = _protos()
        self._logdir = str(logdir)
        self._flush_secs = flush_secs
        self._suffix = filename_suffix or ""
        self._lock = threading.Lock()
        self._file = None
        self._open()
        if graph is not None or graph_def is not None:
            self.add_graph(graph, graph_def=graph_def)

    def _open(self):
        os.makedirs(self._logdir, exist_ok=True)
        self._path = os.path.join(self._logdir, "events.out.tfevents.%010d.%s%s" % (
            int(time.time()), socket.gethostname(), self._suffix))
        self._file = open(self._path, "ab")
        self._last_flush = time.time()
        self._closed = False
        self._write(self._protos.event_pb2.Event(wall_time=time.time(),
                                                 file_version="brain.Event:2"))
        self.flush()

    def get_logdir(self):
        return self._logdir

    @property
    def path(self):
        """The event file being written."""
        return self._path

    def _write(self, event):
        with self._lock:
            if self._closed:
                raise RuntimeError("FileWriter %s is closed" % self._path)
            self._file.write(encode_record(event.SerializeToString()))
            if time.time() - self._last_flush >= self._flush_secs:
                self._file.flush()
                self._last_flush = time.time()

    def add_event(self, event):
        """Writes an ``Event`` proto (its wall_time is set when it is 0)."""
        if not event.wall_time:
            event.wall_time = time.time()
        self._write(event)

    def add_summary(self, summary, global_step=None):
        """``summary``: serialized bytes (what ``sess.run`` of a summary op returns) or a
        ``Summary`` proto."""
        Summary = self._protos.summary_pb2.Summary
        if isinstance(summary, np.ndarray):
            summary = summary.item()
        if isinstance(summary, (bytes, bytearray)):
            summary = Summary.FromString(bytes(summary))
        elif not isinstance(summary, Summary):
            raise TypeError("add_summary takes a Summary proto or its serialized bytes, not %s"
                            % type(summary).__name__)
        event = self._protos.event_pb2.Event(summary=summary)
        if global_step is not None:
            event.step = int(global_step)
        self.add_event(event)

    def add_graph(self, graph, global_step=None, graph_def=None):
        """Writes the graph, which TensorBoard's Graphs tab draws. ``graph_def`` may be a
        GraphDef proto instead of a Graph."""
        if graph is not None and graph_def is not None:
            raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
        if graph is not None:
            if not isinstance(graph, graph_mod.Graph):
                raise TypeError("add_graph takes a Graph, not %s" % type(graph).__name__)
            graph_def_proto = to_graph_def(graph)
        else:
            graph_def_proto = graph_def
        event = self._protos.event_pb2.Event(graph_def=graph_def_proto.SerializeToString())
        if global_step is not None:
            event.step = int(global_step)
        self.add_event(event)

    def add_session_log(self, session_log, global_step=None):
        event = self._protos.event_pb2.Event(session_log=session_log)
        if global_step is not None:
            event.step = int(global_step)
        self.add_event(event)

    def flush(self):
        with self._lock:
            if not self._closed:
                self._file.flush()
                self._last_flush = time.time()

    def close(self):
        with self._lock:
            if not self._closed:
                self._file.close()
                self._closed = True

    def reopen(self):
        """Starts a new event file after ``close()`` (a no-op on an open writer)."""
        if self._closed:
            self._open()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()



class FileWriterCache:
    """``tf.summary.FileWriterCache``: one shared ``FileWriter`` per log directory, so that
    several hooks writing to the same directory append to one event file."""

    _writers = {}
    _lock = threading.Lock()

    @staticmethod
    def get(logdir):
        with FileWriterCache._lock:
            writer = FileWriterCache._writers.get(logdir)
            if writer is None:
                writer = FileWriterCache._writers[logdir] = FileWriter(
                    logdir, graph=graph_mod.get_default_graph())
            return writer

    @staticmethod
    def clear():
        with FileWriterCache._lock:
            for writer in FileWriterCache._writers.values():
                writer.close()
            FileWriterCache._writers = {}
