"""``tf.py_func`` and ``tf.numpy_function``: a Python function run on numpy values inside the
graph.

The op keeps only a token (``pyfunc_N``) among its attrs, as TF does, and the function lives in a
process-wide registry under it, so graphs stay serializable and a plan never holds the callable
in its cache key. The results' static shapes are unknown and their gradients None (TF registers
PyFunc as not differentiable). Results must already have the promised dtypes: TF checks, and does
not convert (a Python float is float64, not float32).
"""
import itertools

import numpy as np

from ..framework import dtypes, errors, graph as graph_mod, tensor_shape
from .convert import convert_to_tensor
from .registry import NOT_DIFFERENTIABLE, Spec, defop

_functions = {}  # token -> the Python callable
_tokens = itertools.count()

# What TF's py_func kernel turns a Python exception into.
_ERROR_FOR_EXCEPTION = (
    ((ValueError, TypeError), errors.InvalidArgumentError),
    ((StopIteration,), errors.OutOfRangeError),
    ((MemoryError,), errors.ResourceExhaustedError),
    ((NotImplementedError,), errors.UnimplementedError),
)


def _py_func_shape(*inputs, token, Tout, stateful=True):  # noqa: N803 - TF's attr name
    return [Spec(tensor_shape.unknown_shape(), dtype) for dtype in Tout]


def _as_result(value, index, token, expected):
    if isinstance(value, (bytes, str)) or (isinstance(value, np.ndarray)
                                           and value.dtype.kind in "USO"):
        array = np.asarray(value, dtype=object)
        kind = dtypes.string
    else:
        array = np.asarray(value)
        try:
            kind = dtypes.as_dtype(array.dtype)
        except TypeError:
            raise errors.UnimplementedError(None, None, "Unsupported numpy type %s"
                                            % array.dtype) from None
    if kind != expected:
        raise errors.InvalidArgumentError(None, None, "%d-th value returned by %s is %s, but "
                                          "expects %s" % (index, token, kind.name,
                                                          expected.name))
    return array


def _py_func_ref(*inputs, token, Tout, stateful=True):  # noqa: N803
    function = _functions[token]
    try:
        result = function(*inputs)
    except errors.OpError:
        raise
    except Exception as e:  # noqa: BLE001 - the user's function may raise anything
        error_class = next((cls for types, cls in _ERROR_FOR_EXCEPTION
                            if isinstance(e, types)), errors.UnknownError)
        raise error_class(None, None, "%s: %s" % (type(e).__name__, e)) from e
    if not Tout:
        return ()
    results = list(result) if isinstance(result, (list, tuple)) else [result]
    if len(results) != len(Tout):
        raise errors.InvalidArgumentError(None, None, "pyfunc %s returns %d values, but expects "
                                          "to see %d values." % (token, len(results), len(Tout)))
    arrays = tuple(_as_result(r, i, token, dtype) for i, (r, dtype) in
                   enumerate(zip(results, Tout)))
    return arrays if len(arrays) > 1 else arrays[0]


PyFunc = defop("PyFunc", shape=_py_func_shape, ref=_py_func_ref, grad=NOT_DIFFERENTIABLE,
               stateful=True)
# Not stateful in the user's sense, but a Python function may still have effects (or be
# expensive): graphflow never folds or merges it either.
PyFuncStateless = defop("PyFuncStateless", shape=_py_func_shape, ref=_py_func_ref,
                        grad=NOT_DIFFERENTIABLE, stateful=True)


def py_func(func, inp, Tout, stateful=True, name=None):  # noqa: N803 - TF's argument name
    """Runs ``func`` on the numpy values of ``inp`` each time the op runs; returns one tensor
    when ``Tout`` is a single dtype, a list when it is a list, the Operation when it is
    empty."""
    if graph_mod.get_default_graph().executes_eagerly:
        values = [np.asarray(x.numpy() if hasattr(x, "numpy") else x) for x in inp]
        result = func(*values)
        if isinstance(Tout, (list, tuple)):
            return [convert_to_tensor(r, dtype=d) for r, d in zip(result, Tout)]
        return convert_to_tensor(result, dtype=Tout)
    single = not isinstance(Tout, (list, tuple))
    output_dtypes = tuple(dtypes.as_dtype(d) for d in ([Tout] if single else Tout))
    token = "pyfunc_%d" % next(_tokens)
    _functions[token] = func
    op_def = PyFunc if stateful else PyFuncStateless
    with graph_mod.name_scope(name, op_def.name, list(inp)) as scope:
        tensors = [convert_to_tensor(x, name="input_%d" % i if i else "input")
                   for i, x in enumerate(inp)]
        op = op_def.create(tensors, {"token": token, "Tout": output_dtypes,
                                     "stateful": bool(stateful)}, scope)
    if not output_dtypes:
        return op
    outputs = list(op.outputs)
    return outputs[0] if single else outputs


def numpy_function(func, inp, Tout, stateful=True, name=None):  # noqa: N803
    """``tf.numpy_function``: ``tf.py_func`` by its TF2 name."""
    return py_func(func, inp, Tout, stateful=stateful, name=name)
