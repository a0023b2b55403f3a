"""``tf.debugging``: run-time checks on tensor values (the ``tf.assert_*`` family, ``Assert``,
``check_numerics``) and predicates used with them."""
from .ops.check_ops import (assert_equal, assert_greater, assert_greater_equal,  # noqa: F401
                            assert_integer, assert_less, assert_less_equal, assert_near,
                            assert_negative, assert_non_negative, assert_non_positive,
                            assert_none_equal, assert_positive, assert_rank,
                            assert_rank_at_least, assert_scalar, assert_type,
                            is_non_decreasing, is_numeric_tensor, is_strictly_increasing)
from .ops.logging_ops import Assert, check_numerics  # noqa: F401
from .ops.math import is_finite, is_inf, is_nan  # noqa: F401


def assert_all_finite(t=None, msg=None, name=None, x=None, message=None):
    from .ops.logging_ops import verify_tensor_all_finite
    return verify_tensor_all_finite(t=t, msg=msg, name=name, x=x, message=message)
