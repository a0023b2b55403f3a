"""TF1's weight initializers: ``tf.glorot_uniform_initializer()``, ``tf.initializers.*``.

An initializer is called as ``init(shape, dtype=None, partition_info=None)`` and returns a tensor
built from the same ops TF1 uses, so ``tf.get_variable("w", ...)`` gets TF's op names under
``w/Initializer/``. Scales follow TF1 exactly: variance scaling over fan-in/fan-out (conv kernels
count their receptive field) with the truncated-normal stddev correction.
"""
import math

import numpy as np

from .framework import dtypes, graph as graph_mod, tensor_shape
from .ops import array as array_ops
from .ops import convert
from .ops import math as math_ops
from .ops import random as random_ops
from .ops import state as state_ops
from .ops.linalg import diag, diag_part  # noqa: F401 - diag_part signs Orthogonal's Q
from .ops.registry import Spec, defop

# The stddev of a standard normal truncated to [-2, 2]: dividing by it gives a truncated normal
# the intended stddev.
_TRUNCATED_STDDEV_CORRECTION = .87962566103423978


def _assert_float_dtype(dtype):
    if not dtype.is_floating:
        raise ValueError("Argument `dtype` is expected to be floating point. Received: %s."
                         % dtype)
    return dtype


class Initializer:
    """Base class: subclasses implement ``__call__(shape, dtype=None, partition_info=None)``."""

    def __call__(self, shape, dtype=None, partition_info=None):
        raise NotImplementedError("%s must implement __call__" % type(self).__name__)

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def _dtype(self, dtype):
        return self.dtype if dtype is None else dtypes.as_dtype(dtype).base_dtype


class Zeros(Initializer):
    def __init__(self, dtype=dtypes.float32):
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return array_ops.zeros(shape, self._dtype(dtype))

    def get_config(self):
        return {"dtype": self.dtype.name}


class Ones(Initializer):
    def __init__(self, dtype=dtypes.float32):
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return array_ops.ones(shape, self._dtype(dtype))

    def get_config(self):
        return {"dtype": self.dtype.name}


class Constant(Initializer):
    """A scalar fills the shape; a list/array is reshaped into it (TF1 repeats the last value
    when it is shorter, unless ``verify_shape``)."""

    def __init__(self, value=0, dtype=dtypes.float32, verify_shape=False):
        if not (np.isscalar(value) or isinstance(value, (list, tuple, np.ndarray))):
            raise TypeError("Invalid type for initial value=%s of type: %s. Expected Python "
                            "scalar, list or tuple of values, or numpy.ndarray."
                            % (value, type(value).__name__))
        self.value = value
        self.dtype = dtypes.as_dtype(dtype)
        self._verify_shape = verify_shape

    def __call__(self, shape, dtype=None, partition_info=None, verify_shape=None):
        if verify_shape is None:
            verify_shape = self._verify_shape
        return convert.constant(self.value, dtype=self._dtype(dtype), shape=_as_list(shape),
                                verify_shape=verify_shape)

    def get_config(self):
        return {"value": self.value, "dtype": self.dtype.name}


class RandomUniform(Initializer):
    def __init__(self, minval=.0, maxval=None, seed=None, dtype=dtypes.float32):
        self.minval, self.maxval, self.seed = minval, maxval, seed
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return random_ops.random_uniform(shape, self.minval, self.maxval, self._dtype(dtype),
                                         seed=self.seed)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed,
                "dtype": self.dtype.name}


class RandomNormal(Initializer):
    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=dtypes.float32):
        self.mean, self.stddev, self.seed = mean, stddev, seed
        self.dtype = _assert_float_dtype(dtypes.as_dtype(dtype))

    def __call__(self, shape, dtype=None, partition_info=None):
        return random_ops.random_normal(shape, self.mean, self.stddev, self._dtype(dtype),
                                        seed=self.seed)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed,
                "dtype": self.dtype.name}


class TruncatedNormal(RandomNormal):
    """Normal values beyond two standard deviations are redrawn (so the actual stddev is
    ``0.88 * stddev``)."""

    def __call__(self, shape, dtype=None, partition_info=None):
        return random_ops.truncated_normal(shape, self.mean, self.stddev, self._dtype(dtype),
                                           seed=self.seed)


class UniformUnitScaling(Initializer):
    """Uniform in ``+-factor * sqrt(3 / input_size)``, input_size = product of all but the last
    dimension (deprecated in TF1 in favour of variance scaling)."""

    def __init__(self, factor=1.0, seed=None, dtype=dtypes.float32):
        self.factor, self.seed = factor, seed
        self.dtype = _assert_float_dtype(dtypes.as_dtype(dtype))

    def __call__(self, shape, dtype=None, partition_info=None):
        scale_shape = _as_list(partition_info.full_shape if partition_info is not None
                               else shape)
        input_size = max(float(np.prod(scale_shape[:-1], dtype=np.float64)), 1.0)
        max_val = math.sqrt(3 / input_size) * self.factor
        return random_ops.random_uniform(shape, -max_val, max_val, self._dtype(dtype),
                                         seed=self.seed)

    def get_config(self):
        return {"factor": self.factor, "seed": self.seed, "dtype": self.dtype.name}


def _compute_fans(shape):
    """(fan_in, fan_out) as TF computes them: a conv kernel [..., in, out] multiplies both by its
    receptive field (the product of the leading dimensions)."""
    shape = _as_list(shape)
    if len(shape) < 1:
        fan_in = fan_out = 1
    elif len(shape) == 1:
        fan_in = fan_out = shape[0]
    elif len(shape) == 2:
        fan_in, fan_out = shape
    else:
        receptive_field = int(np.prod(shape[:-2], dtype=np.int64))
        fan_in = shape[-2] * receptive_field
        fan_out = shape[-1] * receptive_field
    return int(fan_in), int(fan_out)


class VarianceScaling(Initializer):
    """Samples with variance ``scale / n``, n = fan_in, fan_out or their mean.

    distribution "truncated_normal" (and its legacy alias "normal") draws a truncated normal with
    stddev ``sqrt(scale / n) / .8796...`` so the truncated values have the intended variance;
    "untruncated_normal" a normal with stddev ``sqrt(scale / n)``; "uniform" a uniform in
    ``+-sqrt(3 * scale / n)``.
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 dtype=dtypes.float32):
        if scale <= 0.:
            raise ValueError("Argument `scale` must be a positive float. Received: %s" % scale)
        if mode not in {"fan_in", "fan_out", "fan_avg"}:
            raise ValueError("Argument `mode` should be one of ('fan_in', 'fan_out', "
                             "'fan_avg'). Received: %s" % mode)
        distribution = distribution.lower()
        if distribution not in {"normal", "uniform", "truncated_normal", "untruncated_normal"}:
            raise ValueError("Argument `distribution` should be one of ('normal', uniform', "
                             "'truncated_normal', 'untruncated_normal'). Received: %s"
                             % distribution)
        self.scale, self.mode, self.distribution, self.seed = scale, mode, distribution, seed
        self.dtype = _assert_float_dtype(dtypes.as_dtype(dtype))

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = self._dtype(dtype)
        scale_shape = partition_info.full_shape if partition_info is not None else shape
        fan_in, fan_out = _compute_fans(scale_shape)
        divisor = {"fan_in": fan_in, "fan_out": fan_out,
                   "fan_avg": (fan_in + fan_out) / 2.}[self.mode]
        scale = self.scale / max(1., divisor)
        if self.distribution in ("normal", "truncated_normal"):
            stddev = math.sqrt(scale) / _TRUNCATED_STDDEV_CORRECTION
            return random_ops.truncated_normal(shape, 0.0, stddev, dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return random_ops.random_normal(shape, 0.0, math.sqrt(scale), dtype,
                                            seed=self.seed)
        limit = math.sqrt(3.0 * scale)
        return random_ops.random_uniform(shape, -limit, limit, dtype, seed=self.seed)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed, "dtype": self.dtype.name}


class GlorotUniform(VarianceScaling):
    """Uniform in ``+-sqrt(6 / (fan_in + fan_out))``: tf.get_variable's default."""

    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(scale=1.0, mode="fan_avg", distribution="uniform", seed=seed,
                         dtype=dtype)

    def get_config(self):
        return {"seed": self.seed, "dtype": self.dtype.name}


class GlorotNormal(VarianceScaling):
    """Truncated normal with stddev ``sqrt(2 / (fan_in + fan_out))`` after truncation."""

    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(scale=1.0, mode="fan_avg", distribution="truncated_normal", seed=seed,
                         dtype=dtype)

    def get_config(self):
        return {"seed": self.seed, "dtype": self.dtype.name}


class Orthogonal(Initializer):
    """A (semi-)orthogonal matrix from the QR decomposition of a normal matrix, sign-corrected
    so it is uniformly distributed, reshaped to ``shape`` and scaled by ``gain``."""

    def __init__(self, gain=1.0, seed=None, dtype=dtypes.float32):
        self.gain, self.seed = gain, seed
        self.dtype = _assert_float_dtype(dtypes.as_dtype(dtype))

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = self._dtype(dtype)
        dims = _as_list(shape)
        if len(dims) < 2:
            raise ValueError("The tensor to initialize, specified by argument `shape` must be at "
                             "least two-dimensional. Received shape=%s" % (shape,))
        num_rows = int(np.prod(dims[:-1], dtype=np.int64))
        num_cols = int(dims[-1])
        flat_shape = (num_cols, num_rows) if num_rows < num_cols else (num_rows, num_cols)
        a = random_ops.random_normal(flat_shape, dtype=dtype, seed=self.seed)
        q, r = qr(a)
        q = q * math_ops.sign(diag_part(r))
        if num_rows < num_cols:
            with graph_mod.name_scope("matrix_transpose"):
                q = array_ops.transpose(q, [1, 0])
        return self.gain * array_ops.reshape(q, dims)

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed, "dtype": self.dtype.name}


class Identity(Initializer):
    """``gain`` times the identity matrix (2-D shapes only)."""

    def __init__(self, gain=1.0, dtype=dtypes.float32):
        self.gain = gain
        self.dtype = _assert_float_dtype(dtypes.as_dtype(dtype))

    def __call__(self, shape, dtype=None, partition_info=None):
        full_shape = shape if partition_info is None else partition_info.full_shape
        dims = _as_list(full_shape)
        if len(dims) != 2:
            raise ValueError("The tensor to initialize, specified by argument `shape` must be at "
                             "least two-dimensional. Received shape=%s" % (shape,))
        dtype = self._dtype(dtype)
        eye = convert.constant(np.eye(*dims, dtype=dtype.numpy_dtype), dtype=dtype, name="eye")
        if partition_info is not None:
            eye = array_ops.slice(eye, partition_info.var_offset, _as_list(shape))
        return self.gain * eye

    def get_config(self):
        return {"gain": self.gain, "dtype": self.dtype.name}


def lecun_normal(seed=None):
    return VarianceScaling(scale=1., mode="fan_in", distribution="truncated_normal", seed=seed)


def lecun_uniform(seed=None):
    return VarianceScaling(scale=1., mode="fan_in", distribution="uniform", seed=seed)


def he_normal(seed=None):
    return VarianceScaling(scale=2., mode="fan_in", distribution="truncated_normal", seed=seed)


def he_uniform(seed=None):
    return VarianceScaling(scale=2., mode="fan_in", distribution="uniform", seed=seed)


def _as_list(shape):
    if isinstance(shape, tensor_shape.TensorShape):
        return shape.as_list()
    if isinstance(shape, (list, tuple)):
        return [tensor_shape.dimension_value(d) for d in shape]
    return shape


# -- the linear-algebra ops the orthogonal initializer needs ----------------------------------
# They live here until graphflow has an ops/linalg.py; TF's names and semantics.
def _qr_shape(input, *, full_matrices=False):  # noqa: A002 - TF's argument name
    shape = input.shape
    if shape.ndims is not None and shape.ndims < 2:
        raise ValueError("Shape must be at least rank 2 but is rank %d" % shape.ndims)
    dtype = input.dtype.base_dtype
    if shape.ndims is None:
        return [Spec(shape, dtype), Spec(shape, dtype)]
    *batch, m, n = shape.as_list()
    p = m if full_matrices or m is None or n is None else min(m, n)
    return [Spec(batch + [m, p], dtype), Spec(batch + [p, n], dtype)]


def _qr_grad(op, dq, dr):
    raise LookupError("No gradient defined for operation '%s' (op type: Qr): graphflow does not "
                      "differentiate QR decompositions yet; wrap the input in tf.stop_gradient."
                      % op.name)


Qr = defop(
    "Qr", shape=_qr_shape,
    ref=lambda input, *, full_matrices=False: tuple(
        np.linalg.qr(input, mode="complete" if full_matrices else "reduced")),
    grad=_qr_grad)


def qr(input, full_matrices=False, name=None):  # noqa: A002
    return Qr(convert.convert_to_tensor(input, name="input"), name=name or "Qr",
              full_matrices=full_matrices)


# -- TF1's public spellings ------------------------------------------------------------------
zeros_initializer = Zeros
ones_initializer = Ones
constant_initializer = Constant
random_uniform_initializer = RandomUniform
random_normal_initializer = RandomNormal
truncated_normal_initializer = TruncatedNormal
uniform_unit_scaling_initializer = UniformUnitScaling
variance_scaling_initializer = VarianceScaling
glorot_uniform_initializer = GlorotUniform
glorot_normal_initializer = GlorotNormal
orthogonal_initializer = Orthogonal
identity_initializer = Identity

# ``tf.initializers.*``
zeros, ones, constant = Zeros, Ones, Constant
random_uniform, random_normal, truncated_normal = RandomUniform, RandomNormal, TruncatedNormal
uniform_unit_scaling, variance_scaling = UniformUnitScaling, VarianceScaling
glorot_uniform, glorot_normal = GlorotUniform, GlorotNormal
orthogonal, identity = Orthogonal, Identity
global_variables = state_ops.global_variables_initializer
local_variables = state_ops.local_variables_initializer
variables = state_ops.variables_initializer
