"""``tf.saved_model.signature_def_utils``: SignatureDefs, the named inputs and outputs a
serving client calls a MetaGraph with."""
from . import signature_constants
from .utils import TensorInfo, build_tensor_info


class SignatureDef:
    """``inputs`` and ``outputs`` (dicts of key -> TensorInfo) and a ``method_name``."""

    def __init__(self, inputs=None, outputs=None, method_name=""):
        self.inputs = dict(inputs or {})
        self.outputs = dict(outputs or {})
        self.method_name = method_name

    def _to_data(self):
        return {"inputs": {k: v._to_data() for k, v in self.inputs.items()},
                "outputs": {k: v._to_data() for k, v in self.outputs.items()},
                "method_name": self.method_name}

    @classmethod
    def _from_data(cls, data):
        return cls({k: TensorInfo._from_data(v) for k, v in data["inputs"].items()},
                   {k: TensorInfo._from_data(v) for k, v in data["outputs"].items()},
                   data["method_name"])

    def __repr__(self):
        return "<SignatureDef %s inputs=%s outputs=%s>" % (self.method_name, sorted(self.inputs),
                                                           sorted(self.outputs))


def build_signature_def(inputs=None, outputs=None, method_name=None):
    return SignatureDef(inputs, outputs, method_name or "")


def predict_signature_def(inputs, outputs):
    """A predict signature from dicts of key -> tensor."""
    if inputs is None or not inputs:
        raise ValueError("Prediction inputs cannot be None or empty.")
    if outputs is None or not outputs:
        raise ValueError("Prediction outputs cannot be None or empty.")
    return build_signature_def({k: build_tensor_info(t) for k, t in inputs.items()},
                               {k: build_tensor_info(t) for k, t in outputs.items()},
                               signature_constants.PREDICT_METHOD_NAME)


def is_valid_signature(signature_def):
    return isinstance(signature_def, SignatureDef) and bool(signature_def.method_name) and \
        bool(signature_def.outputs)
