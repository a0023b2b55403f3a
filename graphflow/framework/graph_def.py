"""GraphDef and NodeDef: a graph as data, what ``Graph.as_graph_def()`` returns.

They stand in for TF's protos with the fields TF1 programs read and edit: ``graph_def.node``
(a list with ``add()``), and per node ``name``, ``op``, ``input`` (``"op"``, ``"op:1"``,
``"^op"`` for a control input), ``device`` and ``attr`` (a dict of attr name to the Python
value graphflow's op records use: a DType, a TensorShape, a numpy array, a number, a string).

``SerializeToString()``/``ParseFromString()`` use graphflow's own binary form (JSON with attrs
encoded explicitly, never pickled), so a serialized GraphDef is readable by graphflow only, not
by TensorFlow; ``text_format()`` writes TF's text layout (``.pbtxt``) for people to read.
Attrs that hold Python objects (the traced function graphs of a tf.while_loop, a tf.data
pipeline) stay usable in memory; serializing records their names, and importing such a parsed
node says why it cannot be rebuilt.
"""
import base64
import copy
import json

import numpy as np

from . import dtypes, tensor_shape

FORMAT = "graphflow-graph-def 1"
# The GraphDef "producer" version TF1 programs sometimes print; graphflow's own format number.
PRODUCER_VERSION = 1


class NotExportable(TypeError):
    """An attr that holds Python objects (a traced function graph, a tf.data pipeline)."""


class DecodeError(Exception):
    """Bytes given to ``ParseFromString`` are not a serialized graphflow GraphDef (TF raises
    protobuf's DecodeError, also an Exception subclass, for bytes it cannot parse)."""


def encode_attr(value):
    """An attr value as JSON-compatible data; raises NotExportable for Python objects."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dtypes.DType):
        return {"__dtype__": value.name}
    if isinstance(value, tensor_shape.TensorShape):
        return {"__shape__": value.as_list() if value.ndims is not None else None}
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "O":
            return {"__strings__": [v.decode("latin-1") if isinstance(v, bytes) else str(v)
                                    for v in value.reshape(-1)], "shape": list(value.shape)}
        return {"__ndarray__": base64.b64encode(np.ascontiguousarray(value).tobytes()).decode(),
                "dtype": value.dtype.name, "shape": list(value.shape)}
    if isinstance(value, np.generic):
        return encode_attr(np.asarray(value))
    if isinstance(value, tuple):
        return {"__tuple__": [encode_attr(v) for v in value]}
    if isinstance(value, list):
        return [encode_attr(v) for v in value]
    raise NotExportable("Cannot export attr value %r of type %s to a meta graph"
                        % (value, type(value).__name__))


def decode_attr(value):
    if isinstance(value, list):
        return [decode_attr(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__dtype__" in value:
        return dtypes.as_dtype(value["__dtype__"])
    if "__shape__" in value:
        return tensor_shape.TensorShape(value["__shape__"])
    if "__ndarray__" in value:
        array = np.frombuffer(base64.b64decode(value["__ndarray__"]),
                              dtype=np.dtype(value["dtype"])).reshape(value["shape"]).copy()
        array.flags.writeable = False
        return array
    if "__strings__" in value:
        array = np.array([s.encode("latin-1") for s in value["__strings__"]],
                         dtype=object).reshape(value["shape"])
        array.flags.writeable = False
        return array
    if "__tuple__" in value:
        return tuple(decode_attr(v) for v in value["__tuple__"])
    raise ValueError("Unknown encoded attr %r in meta graph" % (value,))


def encode_attrs(attrs):
    """``attrs`` encoded (sorted by name), and the names of those that hold Python objects and
    so were left out."""
    encoded, not_exported = {}, []
    for key, value in sorted(attrs.items()):
        try:
            encoded[key] = encode_attr(value)
        except NotExportable:
            not_exported.append(key)
    return encoded, not_exported


class NodeDef:
    """One node of a GraphDef; fields are plain, editable Python values."""

    def __init__(self, name="", op="", input=None, device="", attr=None):  # noqa: A002
        self.name = name
        self.op = op
        self.input = list(input or [])
        self.device = device
        self.attr = dict(attr or {})
        # Attr names whose values could not be serialized (set by ParseFromString).
        self.not_exported = []

    @classmethod
    def from_operation(cls, op):
        return cls(name=op.name, op=op.type,
                   input=[t._as_node_def_input() for t in op.inputs]
                   + ["^" + c.name for c in op.control_inputs],
                   device=op.device, attr=op.attrs)

    def CopyFrom(self, other):  # noqa: N802 - protobuf's name
        self.name, self.op, self.device = other.name, other.op, other.device
        self.input = list(other.input)
        self.attr = dict(other.attr)
        self.not_exported = list(other.not_exported)

    def MergeFrom(self, other):  # noqa: N802 - protobuf's name
        for field in ("name", "op", "device"):
            if getattr(other, field):
                setattr(self, field, getattr(other, field))
        self.input.extend(other.input)
        self.attr.update(other.attr)

    def _to_data(self):
        attr, not_exported = encode_attrs(self.attr)
        data = {"name": self.name, "op": self.op, "input": list(self.input),
                "device": self.device, "attr": attr}
        not_exported = list(self.not_exported) + not_exported
        if not_exported:
            data["not_exported"] = not_exported
        return data

    @classmethod
    def _from_data(cls, data):
        node = cls(name=data["name"], op=data["op"], input=data["input"],
                   device=data.get("device", ""),
                   attr={k: decode_attr(v) for k, v in data["attr"].items()})
        node.not_exported = list(data.get("not_exported", []))
        return node

    def __eq__(self, other):
        if not isinstance(other, NodeDef):
            return NotImplemented
        return self._to_data() == other._to_data()

    __hash__ = None

    def __str__(self):
        lines = ['name: "%s"' % self.name, 'op: "%s"' % self.op]
        lines += ['input: "%s"' % i for i in self.input]
        if self.device:
            lines.append('device: "%s"' % self.device)
        return "\n".join(lines) + "\n"

    def __repr__(self):
        return "<NodeDef %s (%s)>" % (self.name, self.op)


class _NodeList(list):
    """``graph_def.node``: a list that also has protobuf's ``add(**fields)``."""

    def add(self, **fields):
        node = NodeDef(**fields)
        self.append(node)
        return node


class VersionDef:
    def __init__(self, producer=PRODUCER_VERSION, min_consumer=0):
        self.producer = producer
        self.min_consumer = min_consumer


class GraphDef:
    """``tf.GraphDef``: the nodes of a graph, in the order they were created."""

    def __init__(self, node=None, versions=None):
        self.node = _NodeList(node or [])
        self.versions = versions or VersionDef()

    @property
    def node(self):
        return self._node

    @node.setter
    def node(self, nodes):
        self._node = _NodeList(nodes)

    def CopyFrom(self, other):  # noqa: N802 - protobuf's name
        self.node = [copy.copy(n) for n in other.node]
        for mine in self.node:
            mine.input, mine.attr = list(mine.input), dict(mine.attr)
        self.versions = VersionDef(other.versions.producer, other.versions.min_consumer)

    def MergeFrom(self, other):  # noqa: N802 - protobuf's name
        copied = GraphDef()
        copied.CopyFrom(other)
        self.node.extend(copied.node)

    def SerializeToString(self, deterministic=None):  # noqa: N802 - protobuf's name
        document = {"format": FORMAT, "producer": self.versions.producer,
                    "node": [n._to_data() for n in self.node]}
        return json.dumps(document, sort_keys=True).encode()

    def ParseFromString(self, serialized):  # noqa: N802 - protobuf's name
        """Replaces this GraphDef's nodes with those of ``serialized`` (graphflow's form);
        returns the number of bytes read, as protobuf does."""
        if isinstance(serialized, str):
            raise TypeError("ParseFromString expects bytes, got str")
        try:
            document = json.loads(bytes(serialized).decode())
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise DecodeError("Error parsing message: not a serialized graphflow GraphDef")
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise DecodeError("Error parsing message: not a serialized graphflow GraphDef")
        self.node = [NodeDef._from_data(n) for n in document["node"]]
        self.versions = VersionDef(document.get("producer", PRODUCER_VERSION))
        return len(serialized)

    @classmethod
    def FromString(cls, serialized):  # noqa: N802 - protobuf's name
        graph_def = cls()
        graph_def.ParseFromString(serialized)
        return graph_def

    def ByteSize(self):  # noqa: N802 - protobuf's name
        return len(self.SerializeToString())

    def __eq__(self, other):
        if not isinstance(other, GraphDef):
            return NotImplemented
        return [n._to_data() for n in self.node] == [n._to_data() for n in other.node]

    __hash__ = None

    def __str__(self):
        return text_format(self)

    def __repr__(self):
        return "<GraphDef with %d nodes>" % len(self.node)


def graph_to_graph_def(graph, from_version=None, add_shapes=False):
    """The GraphDef of ``graph``'s operations (those created after op id ``from_version`` when
    it is given); ``add_shapes`` records each node's output shapes as ``_output_shapes``."""
    graph_def = GraphDef()
    for op in graph.get_operations():
        if from_version is not None and op._id is not None and op._id < from_version:
            continue
        node = NodeDef.from_operation(op)
        if add_shapes:
            node.attr["_output_shapes"] = [t.shape for t in op.outputs]
        graph_def.node.append(node)
    return graph_def


# -- text form (.pbtxt) ------------------------------------------------------------------------
_TF_DTYPE_NAMES = {"float32": "DT_FLOAT", "float64": "DT_DOUBLE", "float16": "DT_HALF"}
_VALUE_FIELDS = {"f": "float_val", "c": "scomplex_val", "b": "bool_val", "O": "string_val"}


def _dtype_text(dtype):
    dtype = dtypes.as_dtype(dtype)
    return _TF_DTYPE_NAMES.get(dtype.name, "DT_" + dtype.name.upper())


def _quote(text):
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _shape_text(shape, indent):
    pad = " " * indent
    if shape.ndims is None:
        return [pad + "unknown_rank: true"]
    lines = []
    for size in shape.as_list():
        lines += [pad + "dim {", pad + "  size: %d" % (-1 if size is None else size), pad + "}"]
    return lines


def _tensor_text(array, indent):
    pad = " " * indent
    lines = [pad + "dtype: " + _dtype_text(array.dtype if array.dtype.kind != "O"
                                            else dtypes.string),
             pad + "tensor_shape {"] + _shape_text(tensor_shape.TensorShape(array.shape),
                                                   indent + 2) + [pad + "}"]
    field = _VALUE_FIELDS.get(array.dtype.kind)
    if field is None:
        field = "int64_val" if array.dtype.itemsize == 8 else "int_val"
    for value in array.reshape(-1).tolist():
        if array.dtype.kind == "O":
            value = _quote(value)
        elif array.dtype.kind == "b":
            value = "true" if value else "false"
        lines.append(pad + "%s: %s" % (field, value))
    return lines


def _attr_value_text(value, indent):
    """TF's AttrValue text for ``value``, or None for values only graphflow understands."""
    pad = " " * indent
    if isinstance(value, dtypes.DType):
        return [pad + "type: " + _dtype_text(value)]
    if isinstance(value, tensor_shape.TensorShape):
        return [pad + "shape {"] + _shape_text(value, indent + 2) + [pad + "}"]
    if isinstance(value, (bool, np.bool_)):
        return [pad + "b: " + ("true" if value else "false")]
    if isinstance(value, (int, np.integer)):
        return [pad + "i: %d" % value]
    if isinstance(value, (float, np.floating)):
        return [pad + "f: %r" % float(value)]
    if isinstance(value, (str, bytes)):
        return [pad + "s: " + _quote(value)]
    if isinstance(value, np.ndarray):
        return [pad + "tensor {"] + _tensor_text(value, indent + 2) + [pad + "}"]
    if isinstance(value, (list, tuple)):
        inner = []
        for item in value:
            text = _attr_value_text(item, 0)
            if text is None or len(text) != 1 and not isinstance(
                    item, tensor_shape.TensorShape):
                return None
            inner += [pad + "  " + line for line in text]
        return [pad + "list {"] + inner + [pad + "}"]
    return None


def text_format(graph_def):
    """``graph_def`` in TF's protobuf text layout, as ``tf.train.write_graph(as_text=True)``
    writes it (attrs holding Python objects are left out)."""
    lines = []
    for node in graph_def.node:
        lines += ["node {", "  name: " + _quote(node.name), "  op: " + _quote(node.op)]
        lines += ["  input: " + _quote(i) for i in node.input]
        if node.device:
            lines.append("  device: " + _quote(node.device))
        for key, value in sorted(node.attr.items()):
            text = _attr_value_text(value, 6)
            if text is not None:
                lines += ["  attr {", "    key: " + _quote(key), "    value {"] + text + \
                    ["    }", "  }"]
        lines.append("}")
    lines += ["versions {", "  producer: %d" % graph_def.versions.producer, "}"]
    return "\n".join(lines) + "\n"
