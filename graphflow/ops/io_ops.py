"""``tf.io.read_file`` and ``tf.io.write_file``: whole files as string scalars, read or written
each time the op runs (so both are stateful: a file may change between runs)."""
import numpy as np

from ..framework import dtypes, errors, graph as graph_mod
from .convert import convert_to_tensor
from .registry import NOT_DIFFERENTIABLE, Spec, defop


def _text(value):
    value = np.asarray(value)[()]
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _check_scalar_string(op_type, **inputs):
    for name, tensor in inputs.items():
        if tensor.dtype.base_dtype != dtypes.string:
            raise TypeError("Input '%s' of '%s' Op has type %s that does not match expected "
                            "type of string." % (name, op_type, tensor.dtype.base_dtype.name))
        if tensor.shape.ndims not in (None, 0):
            raise ValueError("Shape must be rank 0 but is rank %d for '%s' (input '%s')"
                             % (tensor.shape.ndims, op_type, name))


def _read_file_ref(filename):
    path = _text(filename)
    try:
        with open(path, "rb") as f:
            return np.array(f.read(), dtype=object)
    except FileNotFoundError:
        raise errors.NotFoundError(None, None, "%s; No such file or directory" % path) from None
    except IsADirectoryError:
        raise errors.FailedPreconditionError(None, None, "%s; Is a directory" % path) from None


def _read_file_shape(filename):
    _check_scalar_string("ReadFile", filename=filename)
    return Spec([], dtypes.string)


def _write_file_ref(filename, contents):
    path = _text(filename)
    data = np.asarray(contents)[()]
    try:
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else str(data).encode("utf-8"))
    except FileNotFoundError:
        raise errors.NotFoundError(None, None, "%s; No such file or directory" % path) from None


def _write_file_shape(filename, contents):
    _check_scalar_string("WriteFile", filename=filename, contents=contents)
    return []


ReadFile = defop("ReadFile", shape=_read_file_shape, ref=_read_file_ref,
                 grad=NOT_DIFFERENTIABLE, stateful=True)
WriteFile = defop("WriteFile", shape=_write_file_shape, ref=_write_file_ref,
                  grad=NOT_DIFFERENTIABLE, stateful=True)


def read_file(filename, name=None):
    with graph_mod.name_scope(name, "ReadFile", [filename]) as scope:
        return ReadFile(convert_to_tensor(filename, dtype=dtypes.string, name="filename"),
                        name=scope)


def write_file(filename, contents, name=None):
    with graph_mod.name_scope(name, "WriteFile", [filename, contents]) as scope:
        return WriteFile(convert_to_tensor(filename, dtype=dtypes.string, name="filename"),
                         convert_to_tensor(contents, dtype=dtypes.string, name="contents"),
                         name=scope)
