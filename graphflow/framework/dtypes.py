"""Element types, as ``tf.float32`` and friends.

A ``DType`` pairs TF's name with a numpy dtype. Variables produce *reference* types
(``float32_ref``) as in TF1; ``base_dtype`` strips the reference.
"""
import builtins

import numpy as np


class DType:
    __slots__ = ("_name", "_np", "_is_ref", "_enum")

    def __init__(self, name, np_type, enum, is_ref=False):
        self._name = name
        self._np = np.dtype(np_type) if np_type is not None else None
        self._enum = enum
        self._is_ref = is_ref

    name = property(lambda self: self._name + ("_ref" if self._is_ref else ""))
    # TF answers ``object`` (not ``np.object_``) for strings, as numpy itself spells it.
    as_numpy_dtype = property(lambda self: object if self._np.kind == "O" else self._np.type)
    numpy_dtype = property(lambda self: self._np)
    is_ref = property(lambda self: self._is_ref)
    as_datatype_enum = property(lambda self: self._enum + (100 if self._is_ref else 0))

    @property
    def base_dtype(self):
        return _BY_NAME[self._name] if self._is_ref else self

    @property
    def real_dtype(self):
        return self.base_dtype

    @property
    def _as_ref(self):
        return self if self._is_ref else _REF_BY_NAME[self._name]

    is_floating = property(lambda self: self._np.kind == "f")
    is_integer = property(lambda self: self._np.kind in "iu")
    is_unsigned = property(lambda self: self._np.kind == "u")
    is_bool = property(lambda self: self._np.kind == "b")
    is_complex = property(lambda self: self._np.kind == "c")
    is_numpy_compatible = property(lambda self: True)
    size = property(lambda self: self._np.itemsize)

    @property
    def min(self):
        if self.is_floating:
            return np.finfo(self._np).min
        if self.is_integer:
            return np.iinfo(self._np).min
        raise TypeError("Cannot find minimum value of %s with type %s." % (self, self))

    @property
    def max(self):
        if self.is_floating:
            return np.finfo(self._np).max
        if self.is_integer:
            return np.iinfo(self._np).max
        raise TypeError("Cannot find maximum value of %s with type %s." % (self, self))

    @property
    def is_differentiable(self):
        return self.is_floating or self.is_complex

    def is_compatible_with(self, other):
        """TF's rule: a value of ``other`` may be used where ``self`` is expected. A reference
        type accepts only references (an assign target), a value type accepts either."""
        other = as_dtype(other)
        if self._name != other._name:
            return False
        return other._is_ref or not self._is_ref

    def __eq__(self, other):
        if other is None:
            return False
        try:
            other = as_dtype(other)
        except TypeError:
            return False
        return self._name == other._name and self._is_ref == other._is_ref

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash((self._name, self._is_ref))

    def __repr__(self):
        return "tf." + self.name

    def __str__(self):
        return "<dtype: %r>" % self.name

    def __reduce__(self):
        return as_dtype, (self.name,)


_SPECS = [  # (tf name, numpy type, DataType enum)
    ("float16", np.float16, 19), ("float32", np.float32, 1), ("float64", np.float64, 2),
    ("int8", np.int8, 6), ("int16", np.int16, 5), ("int32", np.int32, 3), ("int64", np.int64, 9),
    ("uint8", np.uint8, 4), ("uint16", np.uint16, 17), ("uint32", np.uint32, 22),
    ("uint64", np.uint64, 23), ("bool", np.bool_, 10), ("complex64", np.complex64, 8),
    ("complex128", np.complex128, 18), ("string", np.object_, 7),
    # A TensorArray's contents as one value (graphflow/ops/tensor_array.py), as TF's lists.
    ("variant", np.object_, 21),
    # A handle to per-session state (a tf.data iterator): graphflow/data/.
    ("resource", np.object_, 20),
]
_BY_NAME = {n: DType(n, t, e) for n, t, e in _SPECS}
_REF_BY_NAME = {n: DType(n, t, e, is_ref=True) for n, t, e in _SPECS}

float16 = half = _BY_NAME["float16"]
float32 = _BY_NAME["float32"]
float64 = double = _BY_NAME["float64"]
int8, int16, int32, int64 = (_BY_NAME[n] for n in ("int8", "int16", "int32", "int64"))
uint8, uint16, uint32, uint64 = (_BY_NAME[n] for n in ("uint8", "uint16", "uint32", "uint64"))
bool = _BY_NAME["bool"]  # noqa: A001 - TF's public name
complex64, complex128 = _BY_NAME["complex64"], _BY_NAME["complex128"]
string = _BY_NAME["string"]
variant = _BY_NAME["variant"]
resource = _BY_NAME["resource"]

_NP_TO_DTYPE = {d._np: d for d in _BY_NAME.values() if d._name not in ("string", "variant", "resource")}
_ENUM_TO_DTYPE = {d.as_datatype_enum: d for d in list(_BY_NAME.values()) + list(_REF_BY_NAME.values())}
# TF maps only these Python types; ``int``, ``str``, ``bytes`` and ``complex`` are rejected
# because their width is ambiguous (TF1 code must say tf.int32 or tf.int64).
_PY_TO_DTYPE = {float: float32, builtins.bool: bool, object: string}
_REJECTED_PY_TYPES = (int, str, bytes, complex)
_NAME_ALIASES = {"float": float32, "double": float64, "half": float16}


def as_dtype(type_value):
    """Converts a DType, numpy dtype/type, name string, or enum to a ``DType``."""
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, str):
        if type_value.endswith("_ref") and type_value[:-4] in _REF_BY_NAME:
            return _REF_BY_NAME[type_value[:-4]]
        if type_value in _BY_NAME:
            return _BY_NAME[type_value]
        if type_value in _NAME_ALIASES:
            return _NAME_ALIASES[type_value]
    elif isinstance(type_value, int) and not isinstance(type_value, builtins.bool):
        if type_value in _ENUM_TO_DTYPE:
            return _ENUM_TO_DTYPE[type_value]
    elif isinstance(type_value, type) and type_value in _PY_TO_DTYPE:
        return _PY_TO_DTYPE[type_value]
    elif type_value is not None and not (isinstance(type_value, type)
                                         and type_value in _REJECTED_PY_TYPES):
        try:
            np_dtype = np.dtype(type_value)
        except (TypeError, ValueError):
            np_dtype = None
        if np_dtype is not None:
            if np_dtype in _NP_TO_DTYPE:
                return _NP_TO_DTYPE[np_dtype]
            if np_dtype.kind in "OSU":
                return string
    raise TypeError("Cannot convert the argument `type_value`: %r to a TensorFlow DType."
                    % (type_value,))


def dtype_of_value(value):
    """The DType TF1 infers for a Python/numpy value with no dtype given (floats -> float32,
    ints -> int32, numpy arrays keep their own dtype)."""
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        return as_dtype(value.dtype)
    arr = np.asarray(value)
    if arr.dtype.kind == "f":
        return float32
    if arr.dtype.kind in "iu":
        if not arr.size:
            return int32
        if arr.max() > np.iinfo(np.int64).max:
            return uint64
        if arr.max() > np.iinfo(np.int32).max or arr.min() < np.iinfo(np.int32).min:
            return int64
        return int32
    if arr.dtype.kind == "c":
        return complex128
    return as_dtype(arr.dtype)
