"""The ``tf.math`` namespace: TF1's math functions under their tf.math names."""
from .ops.math import *  # noqa: F401,F403
from .ops.math import (add_n, argmax, argmin, cumprod, cumsum, floordiv, floormod,  # noqa: F401
                       is_finite, is_inf, is_nan, logical_xor, reduce_logsumexp)
from .ops.array import segment_sum, top_k, unsorted_segment_sum  # noqa: F401
from .ops.segment import (segment_max, segment_mean, segment_min,  # noqa: F401
                          unsorted_segment_max, unsorted_segment_mean, unsorted_segment_min,
                          unsorted_segment_sqrt_n)
from .ops.math import div_no_nan as divide_no_nan  # noqa: F401
from .nn import (in_top_k, l2_normalize, log_softmax, softmax, softplus,  # noqa: F401
                 softsign)
