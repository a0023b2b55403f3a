"""``tf.saved_model.utils``: TensorInfo, the description of a tensor a signature refers to."""
from ..framework import graph as graph_mod, tensor_shape


class _Dim:
    def __init__(self, size):
        self.size = size


class TensorShapeProto:
    """The shape of a TensorInfo: ``dim`` (sizes, -1 where unknown) or ``unknown_rank``."""

    def __init__(self, shape):
        shape = tensor_shape.as_shape(shape)
        self.unknown_rank = shape.ndims is None
        self.dim = [] if self.unknown_rank else \
            [_Dim(-1 if d is None else d) for d in shape.as_list()]

    def as_shape(self):
        return tensor_shape.TensorShape(None if self.unknown_rank else
                                        [None if d.size < 0 else d.size for d in self.dim])


class TensorInfo:
    """A tensor by name, with its dtype (TF's DataType number) and static shape."""

    def __init__(self, name, dtype, tensor_shape_proto):
        self.name = name
        self.dtype = dtype
        self.tensor_shape = tensor_shape_proto

    def _to_data(self):
        return {"name": self.name, "dtype": self.dtype,
                "shape": None if self.tensor_shape.unknown_rank
                else [d.size for d in self.tensor_shape.dim]}

    @classmethod
    def _from_data(cls, data):
        shape = None if data["shape"] is None else [None if s < 0 else s for s in data["shape"]]
        return cls(data["name"], data["dtype"], TensorShapeProto(shape))

    def __repr__(self):
        return "<TensorInfo %s>" % self.name


def build_tensor_info(tensor):
    """``tf.saved_model.utils.build_tensor_info``: the TensorInfo of a graph tensor."""
    if not isinstance(tensor, graph_mod.Tensor):
        raise TypeError("build_tensor_info expects a Tensor, got %r" % (tensor,))
    return TensorInfo(tensor.name, tensor.dtype.base_dtype.as_datatype_enum,
                      TensorShapeProto(tensor.shape))


def get_tensor_from_tensor_info(tensor_info, graph=None, import_scope=None):
    """The tensor of ``graph`` (default: the default graph) that ``tensor_info`` names."""
    graph = graph or graph_mod.get_default_graph()
    name = tensor_info.name if not import_scope else import_scope + "/" + tensor_info.name
    return graph.get_tensor_by_name(name)

