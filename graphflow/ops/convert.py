"""``tf.constant`` and ``tf.convert_to_tensor`` with TF1's dtype rules.

TF1 never silently widens: Python floats become float32, Python ints int32, numpy arrays keep
their dtype, and asking for an int dtype from a float value is a TypeError. Other types join in
through ``register_tensor_conversion_function`` (Variables, lists holding tensors).
"""
import numbers

import numpy as np

from ..framework import dtypes, graph as graph_mod, tensor_shape
from .registry import NOT_DIFFERENTIABLE, Spec, defop

_CONVERSION_FUNCTIONS = []  # (base_type, fn(value, dtype, name, as_ref) -> Tensor or NotImplemented)


def register_tensor_conversion_function(base_type, conversion_func, priority=100):
    _CONVERSION_FUNCTIONS.append((priority, base_type, conversion_func))
    _CONVERSION_FUNCTIONS.sort(key=lambda entry: entry[0])


def _const_shape(*, value, dtype):
    return Spec(value.shape, dtype)


def _const_ref(*, value, dtype):
    return value


Const = defop("Const", shape=_const_shape, ref=_const_ref, grad=NOT_DIFFERENTIABLE,
              static_value=lambda op: op.get_attr("value"))


def _leaves(value):
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def _check_python_value(value, dtype):
    """TF1's _AssertCompatible: each element of a Python value must fit the requested dtype's
    kind (numpy scalars inside lists included; a numpy array as a whole is cast instead)."""
    for leaf in _leaves(value):
        if isinstance(leaf, np.ndarray):
            continue
        if dtype.is_bool:
            ok = isinstance(leaf, (bool, np.bool_))
        elif dtype.is_integer:
            ok = isinstance(leaf, numbers.Integral)
        elif dtype.is_floating:
            ok = isinstance(leaf, numbers.Real)
        elif dtype.is_complex:
            ok = isinstance(leaf, numbers.Number)
        else:
            ok = isinstance(leaf, (str, bytes))
        if not ok:
            raise TypeError("Expected %s, but got %s of type '%s'."
                            % (dtype.name, leaf, type(leaf).__name__))


def _unconvertible(value):
    return TypeError("Failed to convert elements of %s to Tensor. Consider casting elements to "
                     "a supported type. See https://www.tensorflow.org/api_docs/python/tf/dtypes "
                     "for supported TF dtypes." % (value,))


def _check_inferable(value):
    """A Python value with no dtype must hold numbers only, or strings only."""
    kinds = set()
    for leaf in _leaves(value):
        if isinstance(leaf, (str, bytes, np.str_, np.bytes_)):
            kinds.add("string")
        elif isinstance(leaf, (numbers.Number, np.generic, np.ndarray)):
            kinds.add("number")
        else:
            raise _unconvertible(value)
    if len(kinds) > 1:
        raise _unconvertible(value)


def _fit_to_shape(arr, shape, verify_shape):
    """TF's rule for ``tf.constant(value, shape=...)``: a value with fewer elements is padded
    with its last element (a scalar thus fills the shape), one with more is an error."""
    dims = tensor_shape.as_shape(shape).as_list()
    if any(d is None for d in dims):
        raise TypeError("int() argument must be a string, a bytes-like object or a real number, "
                        "not 'NoneType'")
    shape = tuple(dims)
    if verify_shape and arr.shape != shape:
        raise TypeError("Expected Tensor's shape: %s, but got %s." % (shape, arr.shape))
    needed = int(np.prod(shape, dtype=np.int64))
    if arr.size > needed and needed > 0:
        raise ValueError("Too many elements provided. Takes at most %d, but got %d."
                         % (needed, arr.size))
    flat = arr.reshape(-1)
    if flat.size < needed:
        if flat.size:
            flat = np.concatenate([flat, np.repeat(flat[-1:], needed - flat.size)])
        else:
            flat = np.zeros(needed, dtype=arr.dtype)
    return flat[:needed].reshape(shape)


def make_ndarray(value, dtype=None, shape=None, verify_shape=False):
    """The numpy value a Const holds, following TF1's conversion rules."""
    dtype = dtypes.as_dtype(dtype).base_dtype if dtype is not None else None
    is_numpy = isinstance(value, (np.ndarray, np.generic))
    if dtype is None:
        if not is_numpy:
            _check_inferable(value)
        dtype = dtypes.dtype_of_value(value)
    elif not is_numpy:
        _check_python_value(value, dtype)
    if dtype == dtypes.string:
        arr = np.asarray(value, dtype=object)
        arr = np.vectorize(lambda s: s.encode() if isinstance(s, str) else s,
                           otypes=[object])(arr) if arr.size else arr
    else:
        try:
            # Out-of-range values wrap as TF's casts do; numpy's warning about it is noise here.
            with np.errstate(over="ignore", invalid="ignore"):
                arr = np.asarray(value).astype(dtype.numpy_dtype, copy=False)
        except (TypeError, ValueError) as e:
            raise TypeError("Failed to convert object of type %s to Tensor. Contents: %r. %s"
                            % (type(value), value, e))
    if shape is not None:
        arr = _fit_to_shape(arr, shape, verify_shape)
    arr = np.array(arr, copy=True)
    arr.flags.writeable = False
    return arr


def constant(value, dtype=None, shape=None, name="Const", verify_shape=False):
    arr = make_ndarray(value, dtype, shape, verify_shape)
    return Const(name=name, value=arr, dtype=dtypes.as_dtype(arr.dtype) if dtype is None
                 else dtypes.as_dtype(dtype).base_dtype)


def convert_to_tensor(value, dtype=None, name=None, preferred_dtype=None, as_ref=False,
                      dtype_hint=None):
    """Returns ``value`` as a Tensor of the default graph (or of its own graph)."""
    preferred_dtype = preferred_dtype or dtype_hint
    if isinstance(value, graph_mod.Tensor):
        if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(value.dtype):
            raise ValueError("Tensor conversion requested dtype %s for Tensor with dtype %s: %r"
                             % (dtypes.as_dtype(dtype).name, value.dtype.name, value))
        return value
    for _, base_type, fn in _CONVERSION_FUNCTIONS:
        if isinstance(value, base_type):
            result = fn(value, dtype=dtype, name=name, as_ref=as_ref)
            if result is not NotImplemented:
                if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(
                        result.dtype):
                    raise ValueError("Tensor conversion requested dtype %s for Tensor with "
                                     "dtype %s: %r" % (dtypes.as_dtype(dtype).name,
                                                       result.dtype.name, result))
                return result
    if isinstance(value, graph_mod.Operation):
        raise TypeError("can't convert Operation '%s' to Tensor" % value.name)
    if value is None:
        raise ValueError("None values not supported.")
    if dtype is None and preferred_dtype is not None:
        try:
            return constant(value, dtype=preferred_dtype, name=name or "Const")
        except (TypeError, ValueError):
            pass
    return constant(value, dtype=dtype, name=name or "Const")


def convert_n_to_tensor(values, dtype=None, name=None, preferred_dtype=None):
    return [convert_to_tensor(v, dtype, None if name is None else "%s_%d" % (name, i),
                              preferred_dtype) for i, v in enumerate(values)]


def is_tensor(x):
    return isinstance(x, graph_mod.Tensor) or hasattr(x, "_as_graph_element")


def constant_value(tensor, max_elements=1 << 16):
    """The value of ``tensor`` if it is known while the graph is built, else None.

    Const and static-shape ops (Shape, Size, Rank) answer directly; any other pure op whose
    inputs are all known is evaluated with its reference kernel (small values only), which is
    what lets ``tf.reshape(x, tf.stack([-1, 4]))`` infer a static shape.
    """
    if not isinstance(tensor, graph_mod.Tensor):
        # A plan's shape specialization hands shape rules stand-ins that know constants.
        return getattr(tensor, "known_value", None)
    if tensor.graph.executes_eagerly:  # an eager tensor: its value is known
        return None if tensor.dtype.is_ref else tensor.numpy()
    op = tensor.op
    cache = op.__dict__.setdefault("_constant_value_cache", {})
    if tensor.value_index in cache:
        return cache[tensor.value_index]
    value = None
    op_def = op.op_def
    if op_def.static_value is not None:
        value = op_def.static_value(op)
        if value is not None and len(op.outputs) > 1:
            value = value[tensor.value_index]
    elif not op_def.stateful and not op_def.needs and op.inputs and not op.control_inputs:
        inputs = [constant_value(t, max_elements) for t in op.inputs]
        if all(v is not None for v in inputs) and \
                sum(np.size(v) for v in inputs) <= max_elements:
            try:
                result = op_def.ref(*inputs, **op.attrs)
            except Exception:  # noqa: BLE001 - a failing kernel just means "not known now"
                result = None
            if isinstance(result, tuple):
                result = result[tensor.value_index]
            value = result
    cache[tensor.value_index] = value
    return value
