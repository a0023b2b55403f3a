"""Vectorizable float32 transcendental functions for Numba-generated elementwise loops.

Numba lowers ``math.exp``/``math.tanh``/... on float32 to scalar libm calls, which stop LLVM from
vectorizing the loop around them; a fused loop of such calls is slower than numpy. The functions
here compute the same values with float32 arithmetic, ``np.floor``/``abs`` (LLVM intrinsics),
integer bit manipulation and conditional expressions that LLVM turns into ``select``, so a
``for i in range(n)`` loop calling them compiles to packed AVX/AVX2 code.

Every constant is an ``np.float32`` module global (Numba freezes globals as typed constants): one
float64 literal would promote the whole computation to float64 and halve the vector width.
Each public function converts its argument to float32 first, so it computes in float32 whatever
it is given.

Accuracy is stated per function as the largest distance, in float32 ulps, to the correctly
rounded result, measured over all 2**32 float32 inputs against float64 numpy/scipy
(``tests/compiler/test_fastmath.py``; denormal results count in ulps of the denormal spacing).
The measurements were taken with FMA available (``fastmath={"contract"}`` lets LLVM fuse
multiply-adds; no other fast-math flag is set, so nan/inf/signed zero handling is exact).

Calling from generated code::

    from graphflow.compiler.codegen.fastmath import tanh_f32, sigmoid_f32

    @numba.njit(cache=True)
    def kernel(x, out):
        for i in range(x.shape[0]):
            out[i] = tanh_f32(x[i])

``FLOAT32_FUNCTIONS`` maps the ``math.*`` names used by the ops' scalar expressions to these
functions, and ``FLOAT32_OP_EXPRESSIONS`` gives direct float32 expressions for ops whose scalar
form composes other calls (Sigmoid, Softplus).
"""
from decimal import Decimal, getcontext
from fractions import Fraction

import numba
import numpy as np
from numba import types
from numba.extending import intrinsic

# forceinline marks the compiled function alwaysinline for LLVM, so it is inlined into the
# caller's loop even where the caller's body is already large (LLVM's heuristics declined a
# function calling tanh and sigmoid, and its loop stayed scalar). error_model="numpy" keeps
# divisions free of Python's ZeroDivisionError branch, which would stop vectorization.
# Numba's IR-level inline="always" is avoided on purpose: the inlined code takes the *caller's*
# error model, and with the default ("python") the divisions in tanh/sigmoid/log1p brought the
# branch back (measured: scalar loops, 10-20x slower). cache=True stores each specialization.
_fast = numba.njit(cache=True, nogil=True, forceinline=True, error_model="numpy",
                   fastmath={"contract"})

_F32 = np.float32


# -- bit reinterpretation (Numba has no scalar .view) ---------------------------------------------
@intrinsic
def _float_bits(typingctx, value):
    """The IEEE bits of a float32 as an int32."""
    if value != types.float32:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], context.get_value_type(types.int32))

    return types.int32(types.float32), codegen


@intrinsic
def _bits_float(typingctx, bits):
    """The float32 whose IEEE bits are the low 32 bits of an integer."""
    if not isinstance(bits, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        low_bits = builder.trunc(args[0], context.get_value_type(types.int32)) \
            if bits.bitwidth > 32 else args[0]
        return builder.bitcast(low_bits, context.get_value_type(types.float32))

    return types.float32(bits), codegen


# -- constants ------------------------------------------------------------------------------------
def _split_constant(value, part_bits, parts):
    """Split an exact value into float32 parts: all but the last carry only ``part_bits``
    significant bits, so ``n * part`` is exact for integers n below 2**(24 - part_bits)."""
    remainder = Fraction(value)
    pieces = []
    for index in range(parts):
        if index == parts - 1:
            piece = Fraction(float(_F32(float(remainder))))
        else:
            exponent = remainder.numerator.bit_length() - remainder.denominator.bit_length()
            quantum = Fraction(2) ** (exponent - part_bits + 1)
            piece = round(remainder / quantum) * quantum
        pieces.append(_F32(float(piece)))
        remainder -= piece
    return pieces


getcontext().prec = 60
_PI_OVER_2 = Decimal("1.57079632679489661923132169163975144209858469968755291048747229615")
_LN2 = Decimal("0.693147180559945309417232121458176568075500134360255254120680009493")

_ZERO = _F32(0.0)
_HALF = _F32(0.5)
_ONE = _F32(1.0)
_TWO = _F32(2.0)
_FOUR = _F32(4.0)
_QUARTER = _F32(0.25)
_INF = _F32(np.inf)
_NAN = _F32(np.nan)
_LOG2_E = _F32(1.4426950408889634)
# exponents n of 2**n stay below 2**8, so 16-bit high parts make n * _LN2_HI exact
_LN2_HI, _LN2_LO = _split_constant(_LN2, 16, 2)
_TWO_OVER_PI = _F32(0.6366197723675814)
# quadrant counts n below 2**13 (|x| < 12868) keep n * part exact for the 11-bit parts
_PI_OVER_2_PARTS = _split_constant(_PI_OVER_2, 11, 5)
_PI_OVER_2_A, _PI_OVER_2_B, _PI_OVER_2_C, _PI_OVER_2_D, _PI_OVER_2_E = _PI_OVER_2_PARTS
SIN_COS_EXACT_REDUCTION_LIMIT = 12868.0
_REDUCED_ARG_MAX = _F32(0.7954)

# exp(x) overflows above ~88.72 and underflows to 0 below ~-103.97; clamping just outside keeps
# the exponent arithmetic in range while the scaling still produces inf / 0 by itself.
_EXP_ARG_MAX = _F32(89.0)
_EXP_ARG_MIN = _F32(-104.0)
# expm1(x) rounds to -1 for x < -17.33
_EXPM1_ARG_MIN = _F32(-18.0)
# tanh(x) rounds to 1 for |x| > 9.01; below 2**-13, tanh(x) rounds to x
_TANH_ARG_MAX = _F32(9.5)
_TANH_LINEAR_BELOW = _F32(2.0 ** -13)
# sin(x) rounds to x below 2**-12
_SIN_LINEAR_BELOW = _F32(2.0 ** -12)
_SQRT_HALF_BITS = np.int32(0x3F3504F3)
_MIN_NORMAL = _F32(np.finfo(np.float32).tiny)
_TWO_POW_23 = _F32(2.0 ** 23)
_TWENTY_THREE = _F32(23.0)

# Polynomial coefficients: near-minimax fits (Lawson's reweighted least squares, relative error)
# of the named remainder on the reduced interval, rounded to float32.
# exp(r) = 1 + r + r^2 P(r), |r| <= ln2/2
_EXP_P = [_F32(c) for c in (0.4999999403953552, 0.1666652113199234, 0.04166838899254799,
                            0.008368710055947304, 0.0013814604608342052)]
# expm1(r) = r + r^2/2 + r^3 Q(r), |r| <= ln2/2
_EXPM1_Q = [_F32(c) for c in (0.1666666567325592, 0.041666481643915176, 0.0083334194496274,
                              0.00139332446269691, 0.00019824125047307462)]
# log1p(f) = f - f^2/2 + f^3 L(f), sqrt(1/2) - 1 <= f < sqrt(2) - 1
_LOG_L = [_F32(c) for c in (0.3333333134651184, -0.250008225440979, 0.20001226663589478,
                            -0.16623356938362122, 0.14201755821704865, -0.13160187005996704,
                            0.1276160180568695, -0.07634514570236206)]
# sin(r) = r + r^3 S(r^2), cos(r) = 1 - r^2/2 + r^4 C(r^2), |r| <= pi/4 + 0.01: the rounding of
# n = round(x * 2/pi) pushes r up to 0.003 past pi/4 for |x| < 1e5
_SIN_S = [_F32(c) for c in (-0.16666653752326965, 0.00833209976553917, -0.00019506941316649318)]
_COS_C = [_F32(c) for c in (0.04166664555668831, -0.001388723379932344, 2.4423621653113514e-05)]
# erf(x) = x + x E(x^2), |x| < 1.25
_ERF_SMALL_BELOW = _F32(1.25)
_ERF_E = [_F32(c) for c in (0.12837916612625122, -0.3761262893676758, 0.11283674836158752,
                            -0.026860248297452927, 0.005209016148000956, -0.0008339566411450505,
                            0.00010393858246970922, -7.572926733701024e-06)]
# erfc(x) exp(x^2) = G(x - 2.625), 1.25 <= x <= 4 (erf rounds to 1 beyond 3.92)
_ERF_ARG_MAX = _F32(4.0)
_ERFCX_CENTER = _F32(2.625)
_ERFCX_G = [_F32(c) for c in (0.2018870711326599, -0.06845661252737045, 0.02223740890622139,
                              -0.006757024209946394, 0.0019285940797999501,
                              -0.0010822501499205828, -0.000316537800244987,
                              -0.00022880398319102824)]

(_P0, _P1, _P2, _P3, _P4) = _EXP_P
(_Q0, _Q1, _Q2, _Q3, _Q4) = _EXPM1_Q
(_L0, _L1, _L2, _L3, _L4, _L5, _L6, _L7) = _LOG_L
(_S0, _S1, _S2) = _SIN_S
(_C0, _C1, _C2) = _COS_C
(_E0, _E1, _E2, _E3, _E4, _E5, _E6, _E7) = _ERF_E
(_G0, _G1, _G2, _G3, _G4, _G5, _G6, _G7) = _ERFCX_G


# -- shared cores (arguments already range-reduced / clamped; no special-value handling) ---------
@_fast
def _power_of_two(n):
    """2**n for an integral float32 n with -126 <= n <= 127."""
    return _bits_float((np.int32(n) + np.int32(127)) << np.int32(23))


@_fast
def _exp_clamped(x):
    """exp(x) for _EXP_ARG_MIN <= x <= _EXP_ARG_MAX, overflowing to inf / denormal / 0."""
    n = np.floor(x * _LOG2_E + _HALF)
    r = (x - n * _LN2_HI) - n * _LN2_LO
    p = _P0 + r * (_P1 + r * (_P2 + r * (_P3 + r * _P4)))
    mantissa = _ONE + (r + r * r * p)
    # 2**n as two factors so n down to -150 and up to 128 stay representable: the first product
    # is exact and the second rounds once, into the denormal range or to inf when it must
    n_low = np.floor(n * _HALF)
    return (mantissa * _power_of_two(n_low)) * _power_of_two(n - n_low)


@_fast
def _expm1_clamped(x):
    """expm1(x) for _EXPM1_ARG_MIN <= x <= _EXP_ARG_MAX (inf above ~88.72)."""
    n = np.floor(x * _LOG2_E + _HALF)
    r = (x - n * _LN2_HI) - n * _LN2_LO
    q = _Q0 + r * (_Q1 + r * (_Q2 + r * (_Q3 + r * _Q4)))
    r2 = r * r
    expm1_r = r + (r2 * _HALF + r2 * r * q)
    # expm1(x) = 2**n expm1(r) + (2**n - 1); 2**128 is not a float32, so n = 128 scales by
    # 2**127 and doubles afterwards (where the -1 no longer matters)
    n_capped = n if n < _F32(127.0) else _F32(127.0)
    scale = _power_of_two(n_capped)
    y = expm1_r * scale + (scale - _ONE)
    return y if n == n_capped else y * _TWO


@_fast
def _log_positive(x):
    """log(x) for finite x > 0 (denormals included); garbage for other inputs."""
    denormal = x < _MIN_NORMAL
    scaled = x * _TWO_POW_23 if denormal else x
    bits = _float_bits(scaled)
    # exponent e and mantissa m in [sqrt(1/2), sqrt(2)) with scaled = m * 2**e
    exponent = np.int32(np.int32(bits - _SQRT_HALF_BITS) >> np.int32(23))
    f = _bits_float(np.int32(bits - (exponent << np.int32(23)))) - _ONE
    e = _F32(exponent) - (_TWENTY_THREE if denormal else _ZERO)
    poly = _L0 + f * (_L1 + f * (_L2 + f * (_L3 + f * (_L4 + f * (_L5 + f * (_L6 + f * _L7))))))
    f2 = f * f
    log1p_f = f + (f2 * f * poly - _HALF * f2)
    return e * _LN2_HI + (log1p_f + e * _LN2_LO)


@_fast
def _log_special_values(y, x):
    """Replace y by log's value at x = 0, negative, inf and nan."""
    y = y if x < _INF else _INF
    y = y if x > _ZERO else -_INF
    return y if x >= _ZERO else _NAN


@_fast
def _sin_cos_reduced(x, quadrant_offset):
    """sin(x + quadrant_offset * pi/2): Cody-Waite reduction to |r| <= pi/4 and a quadrant."""
    n = np.floor(x * _TWO_OVER_PI + _HALF)
    r = x - n * _PI_OVER_2_A
    r = r - n * _PI_OVER_2_B
    r = r - n * _PI_OVER_2_C
    r = r - n * _PI_OVER_2_D
    r = r - n * _PI_OVER_2_E
    # beyond the exact-reduction range r is inexact and, for huge |x|, far outside [-pi/4, pi/4];
    # clamping keeps the polynomials (and so the result) bounded instead of overflowing
    r = _REDUCED_ARG_MAX if r > _REDUCED_ARG_MAX else r
    r = -_REDUCED_ARG_MAX if r < -_REDUCED_ARG_MAX else r  # nan (from inf) passes through
    r2 = r * r
    sin_r = r + r * r2 * (_S0 + r2 * (_S1 + r2 * _S2))
    cos_r = _ONE - _HALF * r2 + r2 * r2 * (_C0 + r2 * (_C1 + r2 * _C2))
    k = n + quadrant_offset
    quadrant = k - _FOUR * np.floor(k * _QUARTER)
    odd = quadrant - _TWO * np.floor(quadrant * _HALF)
    value = cos_r if odd == _ONE else sin_r
    return -value if quadrant >= _TWO else value


# -- public functions -----------------------------------------------------------------------------
@_fast
def exp_f32(x):
    """exp(x) in float32. Max error 1 ulp over all float32 inputs; exp(x > 88.72) = inf, results
    below 2**-126 are denormal and reach 0 below -103.97; nan -> nan."""
    x = _F32(x)
    clamped = x if x < _EXP_ARG_MAX else _EXP_ARG_MAX
    clamped = clamped if clamped > _EXP_ARG_MIN else _EXP_ARG_MIN
    y = _exp_clamped(clamped)
    return y if x == x else x


@_fast
def expm1_f32(x):
    """exp(x) - 1 in float32, accurate near 0. Max error 1 ulp over all float32 inputs;
    -1 for x < -17.33, inf for x > 88.72, expm1(-0) = -0, nan -> nan."""
    x = _F32(x)
    clamped = x if x < _EXP_ARG_MAX else _EXP_ARG_MAX
    clamped = clamped if clamped > _EXPM1_ARG_MIN else _EXPM1_ARG_MIN
    y = _expm1_clamped(clamped)
    y = y if x != _ZERO else x
    return y if x == x else x


@_fast
def log_f32(x):
    """Natural log in float32. Max error 1 ulp over all float32 inputs (denormals included);
    log(0) = -inf, log(x < 0) = nan, log(inf) = inf, nan -> nan."""
    x = _F32(x)
    return _log_special_values(_log_positive(x), x)


@_fast
def log1p_f32(x):
    """log(1 + x) in float32, accurate near 0. Max error 1 ulp over all float32 inputs;
    log1p(-1) = -inf, log1p(x < -1) = nan, log1p(inf) = inf, log1p(-0) = -0, nan -> nan."""
    x = _F32(x)
    u = _ONE + x
    # log(1 + x) = log(u) + log(1 + c/u) ~ log(u) + c/u, where c = x - (u - 1) is the rounding
    # error of u (exact by Sterbenz)
    y = _log_positive(u) + (x - (u - _ONE)) / u
    y = _log_special_values(y, u)
    return y if x != _ZERO else x


@_fast
def tanh_f32(x):
    """tanh(x) in float32. Max error 2 ulp over all float32 inputs; exactly +-1 for |x| > 9.01,
    tanh(+-0) = +-0, nan -> nan."""
    x = _F32(x)
    magnitude = abs(x)
    clamped = magnitude if magnitude < _TANH_ARG_MAX else _TANH_ARG_MAX
    # tanh(a) = expm1(2a) / (expm1(2a) + 2): no cancellation for small a
    e = _expm1_clamped(clamped + clamped)
    t = e / (e + _TWO)
    y = t if x > _ZERO else -t
    # below 2**-13 tanh(x) rounds to x; this also keeps the sign of zero and passes nan through
    return y if magnitude >= _TANH_LINEAR_BELOW else x


@_fast
def sigmoid_f32(x):
    """The logistic function 1 / (1 + exp(-x)) in float32. Max error 2 ulp over all float32
    inputs; never overflows, result in [0, 1]: 1 for x > 16.6, exp(x) (denormal, then 0) for
    very negative x, nan -> nan."""
    x = _F32(x)
    negative_magnitude = -abs(x)
    clamped = negative_magnitude if negative_magnitude > _EXP_ARG_MIN else _EXP_ARG_MIN
    # exp of a non-positive argument only: e in (0, 1]
    e = _exp_clamped(clamped)
    numerator = _ONE if x >= _ZERO else e
    y = numerator / (_ONE + e)
    return y if x == x else x


@_fast
def softplus_f32(x):
    """log(1 + exp(x)) in float32, as max(x, 0) + log1p(exp(-|x|)). Max error 2 ulp over all
    float32 inputs; softplus(inf) = inf, softplus(-inf) = 0, nan -> nan."""
    x = _F32(x)
    negative_magnitude = -abs(x)
    clamped = negative_magnitude if negative_magnitude > _EXP_ARG_MIN else _EXP_ARG_MIN
    e = _exp_clamped(clamped)
    u = _ONE + e
    log1p_e = _log_positive(u) + (e - (u - _ONE)) / u
    y = (x if x > _ZERO else _ZERO) + log1p_e
    return y if x == x else x


@_fast
def erf_f32(x):
    """The error function in float32. Max error 2 ulp over all float32 inputs; exactly +-1 for
    |x| > 3.92, erf(+-0) = +-0, nan -> nan."""
    x = _F32(x)
    x2 = x * x
    small = x + x * (_E0 + x2 * (_E1 + x2 * (_E2 + x2 * (_E3 + x2 * (_E4 + x2 * (
        _E5 + x2 * (_E6 + x2 * _E7)))))))
    magnitude = abs(x)
    t = magnitude if magnitude < _ERF_ARG_MAX else _ERF_ARG_MAX
    s = t - _ERFCX_CENTER
    scaled_erfc = _G0 + s * (_G1 + s * (_G2 + s * (_G3 + s * (_G4 + s * (_G5 + s * (
        _G6 + s * _G7))))))
    large = _ONE - _exp_clamped(-(t * t)) * scaled_erfc
    large = large if x > _ZERO else -large
    # a nan magnitude fails the comparison and takes the polynomial branch, which stays nan
    return large if magnitude >= _ERF_SMALL_BELOW else small


@_fast
def sin_f32(x):
    """sin(x) in float32. Max error 2 ulp for |x| < 12868 (SIN_COS_EXACT_REDUCTION_LIMIT), where
    the argument reduction is exact. Beyond, the reduction loses bits (there is no Payne-Hanek
    reduction): the absolute error stays below 1.2e-7 for |x| < 1e5, reaches ~1e-2 by 1e6 and
    is meaningless past 2**24, where results are still within [-1, 1].
    sin(+-0) = +-0, sin(+-inf) = nan, nan -> nan."""
    x = _F32(x)
    y = _sin_cos_reduced(x, _ZERO)
    return y if abs(x) >= _SIN_LINEAR_BELOW else x


@_fast
def cos_f32(x):
    """cos(x) in float32. Max error 2 ulp for |x| < 12868 (SIN_COS_EXACT_REDUCTION_LIMIT); same
    behaviour beyond as sin_f32. cos(+-inf) = nan, nan -> nan."""
    x = _F32(x)
    return _sin_cos_reduced(x, _ONE)


# math.* names of the ops' scalar expressions -> the float32 function replacing them
FLOAT32_FUNCTIONS = {
    "math.exp": "exp_f32",
    "math.expm1": "expm1_f32",
    "math.log": "log_f32",
    "math.log1p": "log1p_f32",
    "math.tanh": "tanh_f32",
    "math.erf": "erf_f32",
    "math.sin": "sin_f32",
    "math.cos": "cos_f32",
}

# Op type -> float32 scalar expression, for ops whose generic scalar form composes calls whose
# rewriting one by one would be less accurate (Sigmoid via tanh loses relative accuracy for very
# negative x) or slower (Softplus: exp then log1p of the result).
FLOAT32_OP_EXPRESSIONS = {
    "Sigmoid": "sigmoid_f32({0})",
    "Softplus": "softplus_f32({0})",
}

__all__ = ["exp_f32", "expm1_f32", "log_f32", "log1p_f32", "tanh_f32", "sigmoid_f32",
           "softplus_f32", "erf_f32", "sin_f32", "cos_f32", "FLOAT32_FUNCTIONS",
           "FLOAT32_OP_EXPRESSIONS", "SIN_COS_EXACT_REDUCTION_LIMIT"]
