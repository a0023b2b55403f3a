"""``tf.keras.regularizers``: callables turning a weight into a scalar penalty."""
from ..ops import math as math_ops


class Regularizer:
    def __call__(self, x):
        return 0.0


class L1L2(Regularizer):
    def __init__(self, l1=0.0, l2=0.0):
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, x):
        penalty = None
        if self.l1:
            penalty = self.l1 * math_ops.reduce_sum(math_ops.abs(x))
        if self.l2:
            l2 = self.l2 * math_ops.reduce_sum(math_ops.square(x))
            penalty = l2 if penalty is None else penalty + l2
        return penalty if penalty is not None else math_ops.cast(0.0, x.dtype.base_dtype)

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


def l1(l=0.01):  # noqa: E741 - Keras's argument name
    return L1L2(l1=l)


def l2(l=0.01):  # noqa: E741
    return L1L2(l2=l)


def l1_l2(l1=0.01, l2=0.01):  # noqa: F811
    return L1L2(l1=l1, l2=l2)


_BY_NAME = {"l1": l1, "l2": l2, "l1_l2": l1_l2}


def get(identifier):
    """None -> None; 'l2' -> l2(0.01); a regularizer or callable -> itself."""
    if identifier is None:
        return None
    if isinstance(identifier, str):
        try:
            return _BY_NAME[identifier]()
        except KeyError:
            raise ValueError("Unknown regularizer: '%s'. Known: l1, l2, l1_l2" % identifier) \
                from None
    if isinstance(identifier, dict):
        return L1L2(**identifier.get("config", identifier))
    if callable(identifier):
        return identifier
    raise ValueError("Could not interpret regularizer identifier: %r" % (identifier,))
