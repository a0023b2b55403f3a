"""The ``tf.assert_*`` family (also ``tf.debugging.*``): ops that fail with InvalidArgumentError
at run time when a condition on tensor values does not hold.

As in TF, a check whose inputs are known while the graph is built is decided then: a failing one
raises InvalidArgumentError (value checks) or ValueError/TypeError (rank and dtype checks) at
once, and a rank or dtype check that statically holds is a NoOp. "Known" means what TF's
``constant_value`` knows (constants and shape arithmetic), not everything graphflow could fold,
so the same programs fail at the same moment under either engine.
"""
import numpy as np

from ..framework import dtypes, errors, graph as graph_mod
from .convert import constant_value, convert_to_tensor
from .logging_ops import Assert

# Op types whose values TF's tensor_util.constant_value computes while the graph is built.
_STATICALLY_KNOWN_OPS = frozenset([
    "Const", "Shape", "Size", "Rank", "Range", "Cast", "Concat", "ConcatV2", "Pack", "Unpack",
    "Split", "Fill", "Equal", "NotEqual", "StopGradient", "Identity", "CheckNumerics"])


def static_value(tensor):
    """The value TF would know at graph-construction time, else None."""
    if not isinstance(tensor, graph_mod.Tensor):
        return None
    pending, seen = [tensor.op], set()
    while pending:
        op = pending.pop()
        if id(op) in seen:
            continue
        seen.add(id(op))
        if op.type not in _STATICALLY_KNOWN_OPS:
            return None
        if op.type not in ("Shape", "Size", "Rank"):
            pending.extend(t.op for t in op.inputs)
    return constant_value(tensor)


def _message_prefix(message):
    return "%s.  " % message if message else ""


def _static_text(item):
    if not isinstance(item, graph_mod.Tensor):
        return str(item)
    value = static_value(item)
    return str(value) if value is not None else str(item)


def _binary_assert(symbol, default_name, test, numpy_test, x, y, data, summarize, message,
                   name):
    from . import math as math_ops
    with graph_mod.name_scope(name, default_name, [x, y]):
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, name="y")
        if data is None:
            data = ["Condition x %s y did not hold element-wise:" % symbol,
                    "x (%s) = " % x.name, x, "y (%s) = " % y.name, y]
        if message is not None:
            data = [message] + list(data)
        condition = math_ops.reduce_all(test(x, y))
        x_static, y_static = static_value(x), static_value(y)
        if x_static is not None and y_static is not None and \
                not np.all(numpy_test(x_static, y_static)):
            raise errors.InvalidArgumentError(None, None,
                                              "\n".join(_static_text(d) for d in data))
        return Assert(condition, data, summarize=summarize)


def assert_equal(x, y, data=None, summarize=None, message=None, name=None):
    from .state import no_op
    # TF opens this name scope once for its same-tensor shortcut and again for the check, so
    # each call uses up two names ("assert_equal" and "assert_equal_1").
    with graph_mod.name_scope(name, "assert_equal", [x, y]):
        if x is y:
            return no_op()
    from . import math as math_ops
    return _binary_assert("==", "assert_equal", math_ops.equal, np.equal, x, y, data,
                          summarize, message, name)


def assert_none_equal(x, y, data=None, summarize=None, message=None, name=None):
    from . import math as math_ops
    return _binary_assert("!=", "assert_none_equal", math_ops.not_equal, np.not_equal, x, y,
                          data, summarize, message, name)


def assert_less(x, y, data=None, summarize=None, message=None, name=None):
    from . import math as math_ops
    return _binary_assert("<", "assert_less", math_ops.less, np.less, x, y, data, summarize,
                          message, name)


def assert_less_equal(x, y, data=None, summarize=None, message=None, name=None):
    from . import math as math_ops
    return _binary_assert("<=", "assert_less_equal", math_ops.less_equal, np.less_equal, x, y,
                          data, summarize, message, name)


def assert_greater(x, y, data=None, summarize=None, message=None, name=None):
    from . import math as math_ops
    return _binary_assert(">", "assert_greater", math_ops.greater, np.greater, x, y, data,
                          summarize, message, name)


def assert_greater_equal(x, y, data=None, summarize=None, message=None, name=None):
    from . import math as math_ops
    return _binary_assert(">=", "assert_greater_equal", math_ops.greater_equal,
                          np.greater_equal, x, y, data, summarize, message, name)


def _sign_assert(default_name, condition_text, against_zero):
    def check(x, data=None, summarize=None, message=None, name=None):
        message = _message_prefix(message)
        with graph_mod.name_scope(name, default_name, [x]):
            x = convert_to_tensor(x, name="x")
            if data is None:
                condition = "Condition x %s did not hold element-wise:" % condition_text
                if default_name == "assert_non_positive":
                    data = [message, condition + "x (%s) = " % x.name, x]
                else:
                    data = [message, condition, "x (%s) = " % x.name, x]
            zero = convert_to_tensor(0, dtype=x.dtype.base_dtype)
            return against_zero(x, zero, data, summarize)
    check.__name__ = default_name
    check.__doc__ = "Fails at run time unless ``x %s`` holds element-wise." % condition_text
    return check


assert_positive = _sign_assert("assert_positive", "> 0",
                               lambda x, zero, data, s: assert_less(zero, x, data, s))
assert_negative = _sign_assert("assert_negative", "< 0",
                               lambda x, zero, data, s: assert_less(x, zero, data, s))
assert_non_negative = _sign_assert("assert_non_negative", ">= 0",
                                   lambda x, zero, data, s: assert_less_equal(zero, x, data, s))
# TF's message for this one lacks the separator after the colon; kept, so logs read the same.
assert_non_positive = _sign_assert("assert_non_positive", "<= 0",
                                   lambda x, zero, data, s: assert_less_equal(x, zero, data, s))


def assert_near(x, y, rtol=None, atol=None, data=None, summarize=None, message=None,
                name=None):
    """Fails unless ``|x - y| < atol + rtol * |y|`` element-wise (default tolerances ten
    machine epsilons of x's dtype)."""
    from . import math as math_ops
    message = _message_prefix(message)
    with graph_mod.name_scope(name, "assert_near", [x, y]):
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, name="y", dtype=x.dtype.base_dtype)
        dtype = x.dtype.base_dtype
        real = dtype.real_dtype if dtype.is_complex else dtype
        eps = np.finfo(real.numpy_dtype).eps
        rtol = convert_to_tensor(10 * eps if rtol is None else rtol, name="rtol", dtype=real)
        atol = convert_to_tensor(10 * eps if atol is None else atol, name="atol", dtype=real)
        if data is None:
            data = [message, "x and y not equal to tolerance rtol = %s, atol = %s"
                    % (rtol, atol), "x (%s) = " % x.name, x, "y (%s) = " % y.name, y]
        tolerance = atol + rtol * math_ops.abs(y)
        difference = math_ops.abs(x - y)
        condition = math_ops.reduce_all(math_ops.less(difference, tolerance))
        return Assert(condition, data, summarize=summarize)


def _assert_rank_condition(x, rank, static_holds, dynamic_condition, data, summarize):
    from . import array as array_ops
    from .state import no_op, with_dependencies
    assert_type(rank, dtypes.int32)
    rank_static = static_value(rank)
    if rank_static is not None:
        if np.ndim(rank_static) != 0:
            raise ValueError("Rank must be a scalar.")
        if x.shape.ndims is not None:
            if not static_holds(x.shape.ndims, int(rank_static)):
                raise _StaticRankFailure(x.shape.ndims, int(rank_static))
            return no_op(name="static_checks_determined_all_ok")
    condition = dynamic_condition(array_ops.rank(x), rank)
    if rank_static is None:
        rank_check = assert_rank(rank, 0, data=["Rank must be a scalar. Received rank: ", rank])
        condition = with_dependencies([rank_check], condition)
    return Assert(condition, data, summarize=summarize)


class _StaticRankFailure(Exception):
    def __init__(self, actual, expected):
        super().__init__(actual, expected)
        self.actual, self.expected = actual, expected


def _rank_assert(default_name, wording, static_holds, dynamic_condition):
    def check(x, rank, data=None, summarize=None, message=None, name=None):
        from . import array as array_ops
        with graph_mod.name_scope(name, default_name, [x, rank]):
            x = convert_to_tensor(x, name="x")
            rank = convert_to_tensor(rank, name="rank")
            message = _message_prefix(message)
            if data is None:
                data = [message, "Tensor %s must have %s" % (x.name, wording), rank,
                        "Received shape: ", array_ops.shape(x)]
            try:
                return _assert_rank_condition(x, rank, static_holds,
                                              dynamic_condition(), data, summarize)
            except _StaticRankFailure as failure:
                raise ValueError("%sTensor %s must have %s %d.  Received rank %d, shape %s"
                                 % (message, x.name, wording, failure.expected,
                                    failure.actual, x.shape)) from None
    check.__name__ = default_name
    return check


def _math(name):
    def get():
        from . import math as math_ops
        return getattr(math_ops, name)
    return get


assert_rank = _rank_assert("assert_rank", "rank", lambda actual, given: actual == given,
                           _math("equal"))
assert_rank_at_least = _rank_assert("assert_rank_at_least", "rank at least",
                                    lambda actual, given: actual >= given,
                                    _math("greater_equal"))


def assert_type(tensor, tf_type, message=None, name=None):
    """Statically checks ``tensor``'s dtype: TypeError now, or a NoOp."""
    from .state import no_op
    tf_type = dtypes.as_dtype(tf_type)
    with graph_mod.name_scope(name, "assert_type", [tensor]):
        tensor = convert_to_tensor(tensor, name="tensor")
        if tensor.dtype != tf_type:
            raise TypeError("%s%s must be of type %r; got %r" % (
                _message_prefix(message), tensor.name, tf_type, tensor.dtype))
        return no_op(name="statically_determined_correct_type")


def assert_integer(x, message=None, name=None):
    from .state import no_op
    with graph_mod.name_scope(name, "assert_integer", [x]):
        x = convert_to_tensor(x, name="x")
        if not x.dtype.is_integer:
            raise TypeError('%sExpected "x" to be integer type.  Found: %s of dtype %s'
                            % (_message_prefix(message), x.name, x.dtype))
        return no_op(name="statically_determined_was_integer")


def assert_scalar(tensor, name=None, message=None):
    """``tensor`` (converted), or ValueError unless it is known to be a scalar."""
    with graph_mod.name_scope(name, "assert_scalar", [tensor]) as scope:
        tensor = convert_to_tensor(tensor, name=scope)
        if tensor.shape.ndims != 0:
            if tensor.shape.ndims is None:
                raise ValueError("%sExpected scalar shape, saw unknown shape."
                                 % _message_prefix(message))
            raise ValueError("%sExpected scalar shape for %s, saw shape: %s."
                             % (_message_prefix(message), tensor.name, tensor.shape))
        return tensor


def is_numeric_tensor(tensor):
    return isinstance(tensor, graph_mod.Tensor) and (
        tensor.dtype.is_floating or tensor.dtype.is_integer or tensor.dtype.is_complex)


def _is_monotonic(default_name, test_name):
    def check(x, name=None):
        from . import array as array_ops, math as math_ops
        with graph_mod.name_scope(name, default_name, [x]):
            diff = array_ops.reshape(convert_to_tensor(x, name="x"), [-1])
            left = diff[:-1]
            right = diff[1:]
            return math_ops.reduce_all(getattr(math_ops, test_name)(left, right))
    check.__name__ = default_name
    return check


is_non_decreasing = _is_monotonic("is_non_decreasing", "less_equal")
is_strictly_increasing = _is_monotonic("is_strictly_increasing", "less")
