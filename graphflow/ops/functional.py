"""TF1's higher-order functions ``tf.map_fn``, ``tf.scan``, ``tf.foldl`` and ``tf.foldr``.

Each is a ``tf.while_loop`` over the first dimension of ``elems``, which are read from
TensorArrays unstacked before the loop; per-step results are written to TensorArrays and
stacked after it, so their gradients are those of the loop and of the TensorArrays.
"""
from ..framework import dtypes, graph as graph_mod, tensor_shape
from . import array as array_ops
from .control_flow import _flatten, _pack, while_loop
from .convert import convert_to_tensor
from .tensor_array import TensorArray


def _elements(elems):
    """elems' leaves as tensors of rank 1 or more, and their static and run-time length."""
    flat = [convert_to_tensor(e, name="elem") for e in _flatten(elems)]
    if not flat:
        raise ValueError("elems must be a tensor or a non-empty structure of tensors")
    static_length = tensor_shape.Dimension(None)
    for tensor in flat:
        if tensor.shape.ndims == 0:
            raise ValueError("Elements in elems must be 1+ dimensional Tensors, not scalars")
        if tensor.shape.ndims is not None:
            static_length = static_length.merge_with(tensor.shape[0])
    length = static_length.value
    if length is None:
        length = array_ops.shape(flat[0])[0]
    return flat, static_length, length


def _unstacked(flat, length):
    return [TensorArray(dtype=t.dtype, size=length, dynamic_size=False, infer_shape=True)
            .unstack(t) for t in flat]


def _with_length(results, static_length):
    """The stacked results know their length when elems do (TensorArray.stack does not)."""
    for tensor in results:
        if tensor.shape.ndims is not None:
            tensor.set_shape(tensor_shape.TensorShape([static_length]).concatenate(
                tensor.shape[1:]))
    return results


def _check_structure(expected, got, what):
    """TF's nest rule: the same nesting, the same sequence types and the same dict keys."""
    def nested(s):
        return isinstance(s, (list, tuple, dict))

    if nested(expected) != nested(got):
        raise ValueError("The two structures don't have the same nested structure: %s is %r, "
                         "fn returned %r" % (what, expected, got))
    if not nested(expected):
        return
    if isinstance(expected, dict) != isinstance(got, dict):
        raise TypeError("The two structures don't have the same sequence type: %s is a %s, fn "
                        "returned a %s" % (what, type(expected).__name__, type(got).__name__))
    if isinstance(expected, dict):
        if sorted(expected) != sorted(got):
            raise ValueError("The two dictionaries don't have the same set of keys: %s has %s, "
                             "fn returned %s" % (what, sorted(expected), sorted(got)))
        pairs = [(expected[k], got[k]) for k in sorted(expected)]
    else:
        if type(expected) is not type(got):
            raise TypeError("The two structures don't have the same sequence type: %s is a "
                            "%s, fn returned a %s" % (what, type(expected).__name__,
                                                     type(got).__name__))
        if len(expected) != len(got):
            raise ValueError("The two structures don't have the same nested structure: %s has "
                             "%d elements, fn returned %d" % (what, len(expected), len(got)))
        pairs = zip(expected, got)
    for inner_expected, inner_got in pairs:
        _check_structure(inner_expected, inner_got, what)


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False,
           infer_shape=True, name=None):
    """Applies ``fn`` to each slice of ``elems`` along its first dimension and stacks the
    results. ``elems`` may be a nested structure of tensors of the same length, passed to fn
    as the same structure of slices; ``dtype`` gives fn's output structure and dtypes when they
    differ from elems'."""
    if not callable(fn):
        raise TypeError("fn must be callable.")
    if parallel_iterations is None:
        parallel_iterations = 10
    with graph_mod.name_scope(name, "map", _flatten(elems)):
        elems_flat, static_length, length = _elements(elems)
        elems_tas = _unstacked(elems_flat, length)
        out_structure = elems if dtype is None else dtype
        out_dtypes = [t.dtype.base_dtype for t in elems_flat] if dtype is None else \
            [dtypes.as_dtype(d) for d in _flatten(dtype)]
        accumulators = [TensorArray(dtype=d, size=length, dynamic_size=False,
                                    infer_shape=infer_shape) for d in out_dtypes]

        def compute(i, tas):
            slices = _pack(elems, [ta.read(i) for ta in elems_tas])
            result = fn(slices)
            _check_structure(out_structure, result, "dtype" if dtype is not None else "elems")
            return i + 1, [ta.write(i, value) for ta, value in zip(tas, _flatten(result))]

        _, tas = while_loop(lambda i, _: i < length, compute,
                            (convert_to_tensor(0, name="Const"), accumulators),
                            parallel_iterations=parallel_iterations, back_prop=back_prop,
                            swap_memory=swap_memory)
        results = _with_length([ta.stack() for ta in tas], static_length)
        return _pack(out_structure, results)


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
         swap_memory=False, infer_shape=True, reverse=False, name=None):
    """The running results of ``a = fn(a, x)`` over the slices ``x`` of ``elems`` (last to
    first with ``reverse``), stacked; ``a`` starts as ``initializer``, or as the first slice
    (which is then also the first result)."""
    if not callable(fn):
        raise TypeError("fn must be callable.")
    with graph_mod.name_scope(name, "scan", _flatten(elems)):
        elems_flat, static_length, length = _elements(elems)
        elems_tas = _unstacked(elems_flat, length)

        position, out_structure, start, first = _start(elems, elems_tas, length, initializer,
                                                      reverse)
        accumulators = [TensorArray(dtype=a.dtype.base_dtype, size=length, dynamic_size=False,
                                    infer_shape=infer_shape) for a in start]
        if initializer is None:
            accumulators = [ta.write(position(0), a) for ta, a in zip(accumulators, start)]

        def compute(i, carried, tas):
            slices = _pack(elems, [ta.read(position(i)) for ta in elems_tas])
            result = fn(_pack(out_structure, carried), slices)
            _check_structure(out_structure, result, "initializer" if initializer is not None
                             else "elems")
            flat_result = _flatten(result)
            return (i + 1, flat_result,
                    [ta.write(position(i), value) for ta, value in zip(tas, flat_result)])

        _, _, tas = while_loop(lambda i, _a, _t: i < length, compute,
                               (convert_to_tensor(first, name="Const"), start, accumulators),
                               parallel_iterations=parallel_iterations, back_prop=back_prop,
                               swap_memory=swap_memory)
        results = _with_length([ta.stack() for ta in tas], static_length)
        return _pack(out_structure, results)


def _start(elems, elems_tas, length, initializer, reverse):
    """What scan and the folds start from: (position of step i in elems, the structure of the
    carried value, its first value as a flat list, the first step). Without an initializer the
    first slice is the first value and the loop starts at step 1."""
    def position(i):
        return length - 1 - i if reverse else i

    if initializer is None:
        return position, elems, [ta.read(position(0)) for ta in elems_tas], 1
    return position, initializer, [convert_to_tensor(v) for v in _flatten(initializer)], 0


def _fold(fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name, scope,
          reverse):
    if not callable(fn):
        raise TypeError("fn must be callable.")
    with graph_mod.name_scope(name, scope, _flatten(elems)):
        elems_flat, _, length = _elements(elems)
        elems_tas = _unstacked(elems_flat, length)

        position, out_structure, start, first = _start(elems, elems_tas, length, initializer,
                                                      reverse)

        def compute(i, carried):
            slices = _pack(elems, [ta.read(position(i)) for ta in elems_tas])
            result = fn(_pack(out_structure, carried), slices)
            _check_structure(out_structure, result, "initializer" if initializer is not None
                             else "elems")
            return i + 1, _flatten(result)

        _, result = while_loop(lambda i, _: i < length, compute,
                               (convert_to_tensor(first, name="Const"), start),
                               parallel_iterations=parallel_iterations, back_prop=back_prop,
                               swap_memory=swap_memory)
        return _pack(out_structure, result)


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """``a = fn(a, x)`` over the slices of ``elems``, first to last; returns the final ``a``
    (which starts as ``initializer``, or as the first slice)."""
    return _fold(fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name,
                 "foldl", reverse=False)


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """``a = fn(a, x)`` over the slices of ``elems``, last to first; returns the final ``a``
    (which starts as ``initializer``, or as the last slice)."""
    return _fold(fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name,
                 "foldr", reverse=True)
