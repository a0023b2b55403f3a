"""Ops that report on values while a graph runs: ``tf.Print``, ``tf.print``, ``tf.Assert`` and
``tf.check_numerics`` (with ``verify_tensor_all_finite`` and ``add_check_numerics_ops``).

All of them are stateful: a print or a check is an effect, so it is never folded into a constant,
merged with an identical twin, or dropped by simplification. Values are summarized the way TF's
``Tensor::SummarizeValue`` writes them (``[[1 2 3]...]`` for tf.Print and tf.Assert, numpy-like
``[0 1 ... 8 9]`` for tf.print) so logs read the same under either engine.
"""
import itertools
import sys

import numpy as np

from ..framework import dtypes, errors, graph as graph_mod
from .convert import convert_to_tensor
from .registry import NOT_DIFFERENTIABLE, Spec, defop


# -- how a value is written -------------------------------------------------------------------------
def format_element(value, quote_strings=False):
    """One element as TF's kernels write it: float32 with 9 significant digits, float64 with 17,
    booleans as 1/0, strings raw (tf.Print) or quoted (tf.print)."""
    if isinstance(value, (bytes, str)):
        text = value.decode("utf-8", "backslashreplace") if isinstance(value, bytes) else value
        return '"%s"' % text.encode("unicode_escape").decode("ascii").replace('"', '\\"') \
            if quote_strings else text
    if isinstance(value, (bool, np.bool_)):
        return "1" if value else "0"
    if isinstance(value, (np.floating, float)):
        return _shortest_float(value)
    if isinstance(value, np.complexfloating):
        return "(%s,%s)" % (format_element(value.real), format_element(value.imag))
    return str(value)


def _shortest_float(value):
    """TF's FloatToBuffer/DoubleToBuffer: %g with the type's guaranteed digits (6 or 15) when
    that reads back as the same number, else with enough digits to (9 or 17)."""
    single = isinstance(value, np.floating) and value.dtype != np.float64
    short, full, kind = (6, 9, np.float32) if single else (15, 17, np.float64)
    text = "%.*g" % (short, value)
    if np.isfinite(value) and kind(float(text)) != value:
        text = "%.*g" % (full, value)
    return text


def summarize_v1(value, limit=3):
    """``Tensor::SummarizeValue`` (TF1 style): at most ``limit`` elements in row-major order,
    nested brackets per dimension, ``...`` where elements were left out; ``limit < 0`` is all."""
    array = np.asarray(value)
    count = array.size
    limit = count if limit is None or limit < 0 else min(int(limit), count)
    flat = array.ravel()
    if array.ndim == 0:
        text = " ".join(format_element(flat[i]) for i in range(limit))
        return text + ("..." if count > limit else "")
    parts = []
    position = [0]

    def one_dimension(dim):
        if position[0] >= limit:
            return
        size = array.shape[dim]
        if dim == array.ndim - 1:
            for i in range(size):
                if position[0] >= limit:
                    if dim != 0:
                        parts.append("...")
                    return
                if i > 0:
                    parts.append(" ")
                parts.append(format_element(flat[position[0]]))
                position[0] += 1
            return
        for _ in range(size):
            opened = position[0] < limit
            if opened:
                parts.append("[")
            one_dimension(dim + 1)
            if position[0] < limit or opened:
                parts.append("]")

    one_dimension(0)
    return "".join(parts) + ("..." if count > limit else "")


def summarize_v2(value, edge_items=3, format_one=None):
    """``tf.print``'s numpy-like layout: ``edge_items`` elements at each end of every dimension
    with ``...`` between, rows on new lines; ``edge_items < 0`` prints everything.
    ``format_one`` writes one element (default: ``format_element`` with quoted strings)."""
    if format_one is None:
        def format_one(element):
            return format_element(element, quote_strings=True)
    array = np.asarray(value)
    if array.ndim == 0:
        return format_one(array[()])
    if edge_items is None or edge_items < 0:
        edge_items = max(array.shape) if array.size else 0
    rank = array.ndim

    def spacing(dim):
        if dim == rank - 1:
            return " "
        return "\n" * (rank - dim - 1) + " " * (dim + 1)

    def one_dimension(dim, index):
        if dim == rank:
            return format_one(array[index])
        size = array.shape[dim]
        shown = [i for i in range(min(edge_items, size))]
        pieces = [one_dimension(dim + 1, index + (i,)) for i in shown]
        text = spacing(dim).join(pieces)
        if size > 2 * edge_items:
            text += spacing(dim) + "..."
        for i in range(max(edge_items, size - edge_items), size):
            text += spacing(dim) + one_dimension(dim + 1, index + (i,))
        return "[" + text + "]"

    return one_dimension(0, ())


# -- tf.Print -----------------------------------------------------------------------------------
_print_counts = {}  # op token -> how many times it has printed (for first_n)
_print_tokens = itertools.count()


def _print_ref(input, *data, message="", first_n=-1, summarize=3, token=""):  # noqa: A002
    if first_n >= 0:
        done = _print_counts.get(token, 0)
        if done >= first_n:
            return input
        _print_counts[token] = done + 1
    text = message + "".join("[%s]" % summarize_v1(d, summarize) for d in data)
    sys.stderr.write(text + "\n")
    sys.stderr.flush()
    return input


def _print_grad(op, grad):
    return [grad] + [None] * (len(op.inputs) - 1)


Print_ = defop("Print", shape=lambda input, *data, **attrs: Spec(input.shape,
                                                                  input.dtype.base_dtype),
               ref=_print_ref, grad=_print_grad, stateful=True)


def Print(input_, data, message=None, first_n=None, summarize=None, name=None):  # noqa: N802
    """``tf.Print``: an identity of ``input_`` that writes ``message`` and the values in ``data``
    to standard error each time it runs (its first ``first_n`` runs when given)."""
    with graph_mod.name_scope(name, "Print", [input_] + list(data)) as scope:
        value = convert_to_tensor(input_, name="input")
        tensors = [convert_to_tensor(d, name="data_%d" % i) for i, d in enumerate(data)]
        return Print_(value, *tensors, name=scope, message=message or "",
                      first_n=-1 if first_n is None else int(first_n),
                      summarize=3 if summarize is None else int(summarize),
                      token="print_%d" % next(_print_tokens))


# -- tf.print -----------------------------------------------------------------------------------
def _write_to_stream(text, output_stream):
    if isinstance(output_stream, str):
        if output_stream.startswith("file://"):
            with open(output_stream[len("file://"):], "a") as f:
                f.write(text)
            return
        stream = {"stderr": sys.stderr, "stdout": sys.stdout}.get(output_stream)
        if stream is None:
            raise errors.InvalidArgumentError(None, None, "%s is not a valid output_stream; "
                                              "use stderr, stdout, or file://<path>"
                                              % output_stream)
    else:
        stream = output_stream
    stream.write(text)
    stream.flush()


def _print_v2_ref(*values, template="", pieces=(), output_stream="stderr", summarize=3,
                  end="\n", raw_string=False):
    """``pieces`` is the template split at the places each tensor value goes; ``raw_string``:
    the only input is one string, printed as it is (as TF passes it to PrintV2 unformatted)."""
    if raw_string:
        value = np.asarray(values[0])[()]
        text = value.decode("utf-8", "backslashreplace") if isinstance(value, bytes) else value
        _write_to_stream(text + end, output_stream)
        return
    texts = [summarize_v2(v, summarize) for v in values]
    text = pieces[0] + "".join(t + p for t, p in zip(texts, pieces[1:]))
    _write_to_stream(text + end, output_stream)


PrintV2 = defop("PrintV2", shape=lambda *values, **attrs: [], ref=_print_v2_ref,
                grad=NOT_DIFFERENTIABLE, stateful=True)


def _stream_name(output_stream):
    if output_stream is sys.stderr:
        return "stderr"
    if output_stream is sys.stdout:
        return "stdout"
    if isinstance(output_stream, str):
        return output_stream
    if hasattr(output_stream, "write"):
        return output_stream
    raise ValueError("Unsupported output stream %r" % (output_stream,))


def print_v2(*inputs, output_stream=sys.stderr, summarize=3, sep=" ", end="\n", name=None):
    """``tf.print``: an op (run it, or make it a control dependency) that prints ``inputs``
    separated by ``sep``; Python values (and containers of tensors) print as Python prints
    them, with each tensor's value in its place."""
    stream = _stream_name(output_stream)
    tensors = []
    pieces = [""]

    def add_text(text):
        pieces[-1] += text

    def add(item, top_level):
        if isinstance(item, graph_mod.Tensor) or hasattr(item, "_as_graph_element"):
            tensors.append(convert_to_tensor(item))
            pieces.append("")
        elif isinstance(item, dict):
            add_text("{")
            try:  # TF flattens a dict in sorted key order
                keys = sorted(item)
            except TypeError:
                keys = sorted(item, key=str)
            for i, key in enumerate(keys):
                add_text((", " if i else "") + repr(key) + ": ")
                add(item[key], False)
            add_text("}")
        elif isinstance(item, (list, tuple)):
            add_text("(" if isinstance(item, tuple) else "[")
            for i, element in enumerate(item):
                if i:
                    add_text(", ")
                add(element, False)
            add_text("," if isinstance(item, tuple) and len(item) == 1 else "")
            add_text(")" if isinstance(item, tuple) else "]")
        else:
            add_text(str(item) if top_level else repr(item))

    with graph_mod.name_scope(name, "PrintV2", [i for i in inputs
                                               if isinstance(i, graph_mod.Tensor)]) as scope:
        for i, item in enumerate(inputs):
            if i:
                add_text(sep)
            add(item, True)
        raw_string = len(inputs) == 1 and len(tensors) == 1 and \
            tensors[0].dtype.base_dtype == dtypes.string and tensors[0].shape.ndims == 0
        return PrintV2(*tensors, name=scope, template="{}".join(pieces), pieces=tuple(pieces),
                       output_stream=stream, summarize=-1 if summarize is None else summarize,
                       end=end, raw_string=raw_string)


# -- tf.Assert ----------------------------------------------------------------------------------
def _assert_ref(condition, *data, summarize=3):
    if not np.all(condition):
        raise errors.InvalidArgumentError(
            None, None, "assertion failed: " + " ".join(
                "[%s]" % summarize_v1(d, summarize) for d in data))


def _assert_shape(condition, *data, summarize=3):
    if condition.dtype.base_dtype != dtypes.bool:
        raise TypeError("Input 'condition' of 'Assert' Op has type %s that does not match "
                        "expected type of bool." % condition.dtype.base_dtype.name)
    if condition.shape.ndims not in (None, 0) and condition.shape.num_elements() != 1:
        raise ValueError("Shape must be rank 0 but is rank %d for the condition of Assert"
                         % condition.shape.ndims)
    return []


AssertOp = defop("Assert", shape=_assert_shape, ref=_assert_ref, grad=NOT_DIFFERENTIABLE,
                 stateful=True)


def Assert(condition, data, summarize=None, name=None):  # noqa: N802 - TF's public name
    """``tf.Assert``: an op that fails with InvalidArgumentError, listing ``data``, when
    ``condition`` is false at run time. As in TF, data other than strings and int32 is only
    read when the check fails (the assert sits in a tf.cond)."""
    from . import control_flow
    from .state import no_op
    graph = graph_mod.get_default_graph()
    if graph.executes_eagerly:
        if not np.all(np.asarray(condition)):
            values = [np.asarray(d.numpy() if hasattr(d, "numpy") else d) for d in data]
            raise errors.InvalidArgumentError(
                None, None, "Expected '%s' to be true. Summarized data: %s" % (
                    condition, "\n".join(summarize_v1(v, 3 if summarize is None
                                                       else summarize) for v in values)))
        return None
    summarize = 3 if summarize is None else int(summarize)
    with graph_mod.name_scope(name, "Assert", [condition] + list(data)):
        tensors = [convert_to_tensor(d) for d in data]
        if all(t.dtype.base_dtype in (dtypes.string, dtypes.int32) for t in tensors):
            return AssertOp(convert_to_tensor(condition), *tensors, name="Assert",
                            summarize=summarize)
        condition = convert_to_tensor(condition, name="Condition")
        guarded = control_flow.cond(
            condition, no_op,
            lambda: AssertOp(condition, *tensors, name="Assert", summarize=summarize),
            name="AssertGuard")
        return guarded.op


# -- tf.check_numerics ----------------------------------------------------------------------------
def _check_numerics_ref(tensor, *, message=""):
    values = np.asarray(tensor)
    if np.isnan(values).any():
        raise errors.InvalidArgumentError(None, None, "%s : Tensor had NaN values" % message)
    if np.isinf(values).any():
        raise errors.InvalidArgumentError(None, None, "%s : Tensor had Inf values" % message)
    return tensor


def _check_numerics_shape(tensor, *, message=""):
    if not tensor.dtype.base_dtype.is_floating:
        raise TypeError("Value passed to parameter 'tensor' has DataType %s not in list of "
                        "allowed values: bfloat16, float16, float32, float64"
                        % tensor.dtype.base_dtype.name)
    return Spec(tensor.shape, tensor.dtype.base_dtype)


def _check_numerics_grad(op, grad):
    return [CheckNumerics(grad, message="Not a number (NaN) or infinity (Inf) values detected "
                          "in gradient. %s" % op.get_attr("message"))]


CheckNumerics = defop("CheckNumerics", shape=_check_numerics_shape, ref=_check_numerics_ref,
                      grad=_check_numerics_grad, stateful=True)


def check_numerics(tensor, message, name=None):
    """``tensor`` itself, checked each run: InvalidArgumentError naming ``message`` when it
    holds a NaN or an infinity."""
    with graph_mod.name_scope(name, "CheckNumerics", [tensor]) as scope:
        return CheckNumerics(convert_to_tensor(tensor, name="tensor"), name=scope,
                             message=message)


def verify_tensor_all_finite(t=None, msg=None, name=None, x=None, message=None):
    """``t`` after a CheckNumerics of it has run (``tf.verify_tensor_all_finite``)."""
    from .state import with_dependencies
    t = x if t is None else t
    msg = message if msg is None else msg
    with graph_mod.name_scope(name, "VerifyFinite", [t]):
        t = convert_to_tensor(t, name="x")
        check = check_numerics(t, message=msg)
        return with_dependencies([check], t)


def add_check_numerics_ops():
    """One op checking every floating-point tensor of the default graph for NaN and Inf
    (each check runs after the previous one, as TF chains them)."""
    from .state import group
    graph = graph_mod.get_default_graph()
    checks = []
    for op in graph.get_operations():
        if op.type in ("Switch", "Merge", "While", "WhileGrad"):
            raise ValueError("`tf.add_check_numerics_ops() is not compatible with TensorFlow "
                             "control flow operations such as `tf.cond()` or `tf.while_loop()`.")
        for output in op.outputs:
            if output.dtype.base_dtype in (dtypes.float16, dtypes.float32, dtypes.float64):
                with graph.control_dependencies(checks):
                    checks = [check_numerics(output, message="%s:%d" % (op.name,
                                                                       output.value_index))]
    return group(*checks)
