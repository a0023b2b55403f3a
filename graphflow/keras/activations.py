"""``tf.keras.activations``: activation functions by name (``activation='relu'``)."""
from .. import nn
from ..ops import math as math_ops
from ..ops.convert import convert_to_tensor


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    x = convert_to_tensor(x)
    if alpha == 0.0 and max_value is None and threshold == 0.0:
        return nn.relu(x)
    # The general form: x above threshold (capped at max_value), alpha * (x - threshold) below.
    above = math_ops.cast(math_ops.greater(x, threshold), x.dtype)
    out = above * x + (1.0 - above) * alpha * (x - threshold)
    return out if max_value is None else math_ops.minimum(out, max_value)


def softmax(x, axis=-1):
    return nn.softmax(x, axis=axis)


def sigmoid(x):
    return math_ops.sigmoid(x)


def tanh(x):
    return math_ops.tanh(x)


def elu(x, alpha=1.0):
    out = nn.elu(x)
    return out if alpha == 1.0 else math_ops.where(math_ops.greater(x, 0.0), out, alpha * out)


def selu(x):
    return nn.selu(x)


def softplus(x):
    return nn.softplus(x)


def softsign(x):
    return nn.softsign(x)


def exponential(x):
    return math_ops.exp(x)


def hard_sigmoid(x):
    return math_ops.clip_by_value(0.2 * convert_to_tensor(x) + 0.5, 0.0, 1.0)


def swish(x):
    x = convert_to_tensor(x)
    return x * math_ops.sigmoid(x)


def linear(x):
    return x


_BY_NAME = {f.__name__: f for f in (relu, softmax, sigmoid, tanh, elu, selu, softplus,
                                    softsign, exponential, hard_sigmoid, swish, linear)}


def get(identifier):
    """None -> linear; a name -> that activation; a callable (``tf.nn.relu``) -> itself."""
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        try:
            return _BY_NAME[identifier]
        except KeyError:
            raise ValueError("Unknown activation function: '%s'. Known: %s"
                             % (identifier, ", ".join(sorted(_BY_NAME)))) from None
    if callable(identifier):
        return identifier
    raise TypeError("Could not interpret activation function identifier: %r" % (identifier,))


def serialize(activation):
    return getattr(activation, "__name__", repr(activation))


def deserialize(name):
    return get(name)
