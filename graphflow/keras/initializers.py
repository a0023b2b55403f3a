"""``tf.keras.initializers``: TF1's initializers by Keras name, with Keras's defaults where they
differ (the random normal/uniform ones draw with scale 0.05, not 1)."""
from .. import initializers as tf_init
from ..framework import dtypes
from ..initializers import (Constant, GlorotNormal, GlorotUniform, Identity,  # noqa: F401
                            Initializer, Ones, Orthogonal, VarianceScaling, Zeros, he_normal,
                            he_uniform, lecun_normal, lecun_uniform)


class RandomNormal(tf_init.RandomNormal):
    def __init__(self, mean=0.0, stddev=0.05, seed=None, dtype=dtypes.float32):
        super().__init__(mean, stddev, seed, dtype)


class RandomUniform(tf_init.RandomUniform):
    def __init__(self, minval=-0.05, maxval=0.05, seed=None, dtype=dtypes.float32):
        super().__init__(minval, maxval, seed, dtype)


class TruncatedNormal(tf_init.TruncatedNormal):
    def __init__(self, mean=0.0, stddev=0.05, seed=None, dtype=dtypes.float32):
        super().__init__(mean, stddev, seed, dtype)


zeros, ones, constant = Zeros, Ones, Constant
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
glorot_uniform, glorot_normal = GlorotUniform, GlorotNormal
orthogonal, identity, variance_scaling = Orthogonal, Identity, VarianceScaling

_BY_NAME = {
    "zeros": Zeros, "ones": Ones, "constant": Constant, "random_normal": RandomNormal,
    "random_uniform": RandomUniform, "truncated_normal": TruncatedNormal,
    "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal, "orthogonal": Orthogonal,
    "uniform": RandomUniform, "normal": RandomNormal, "identity": Identity,
    "variance_scaling": VarianceScaling, "he_normal": he_normal,
    "he_uniform": he_uniform, "lecun_normal": lecun_normal, "lecun_uniform": lecun_uniform,
}
_BY_NAME.update({cls.__name__: cls for cls in (Zeros, Ones, Constant, RandomNormal,
                                                RandomUniform, TruncatedNormal, GlorotUniform,
                                                GlorotNormal, Orthogonal, Identity,
                                                VarianceScaling)})


def get(identifier):
    """A name ('he_normal', 'RandomNormal') -> a fresh initializer; an initializer -> itself."""
    if identifier is None:
        return None
    if isinstance(identifier, str):
        try:
            return _BY_NAME[identifier]()
        except KeyError:
            raise ValueError("Unknown initializer: '%s'. Known: %s"
                             % (identifier, ", ".join(sorted(_BY_NAME)))) from None
    if isinstance(identifier, dict):
        return _BY_NAME[identifier["class_name"]](**identifier.get("config", {}))
    if callable(identifier):
        return identifier
    raise ValueError("Could not interpret initializer identifier: %r" % (identifier,))
