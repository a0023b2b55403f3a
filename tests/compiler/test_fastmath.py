"""Accuracy, special values and vectorization of the float32 functions in codegen/fastmath.py.

Accuracy is the distance, in float32 ulps, between each function's result and the correctly
rounded float32 value of the float64 reference; the bound asserted is the one the function's
docstring states, so documentation and measurement cannot drift apart.
"""
import os
import re
import subprocess
import sys
import textwrap

import numba
import numpy as np
import pytest

from graphflow.compiler.codegen import fastmath

special = pytest.importorskip("scipy.special")


def _sigmoid64(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


REFERENCES = {
    "exp_f32": np.exp,
    "expm1_f32": np.expm1,
    "log_f32": np.log,
    "log1p_f32": np.log1p,
    "tanh_f32": np.tanh,
    "sigmoid_f32": _sigmoid64,
    "softplus_f32": lambda x: np.logaddexp(0.0, x),
    "erf_f32": special.erf,
    "sin_f32": np.sin,
    "cos_f32": np.cos,
}
# sin/cos carry their ulp bound only where the argument reduction is exact
LIMITED_RANGE = {"sin_f32", "cos_f32"}


def _stated_max_ulp(name):
    match = re.search(r"Max error (\d+) ulp", getattr(fastmath, name).__doc__)
    assert match, "%s's docstring must state its max ulp error" % name
    return int(match.group(1))


_LOOPS = {}


def _elementwise(name, x):
    """Apply a fastmath function through a compiled loop, as generated kernels call it."""
    if name not in _LOOPS:
        function = getattr(fastmath, name)

        @numba.njit
        def loop(values, out):
            for i in range(values.shape[0]):
                out[i] = function(values[i])

        _LOOPS[name] = loop
    out = np.empty_like(x)
    _LOOPS[name](x, out)
    return out


def _ordered(values):
    """float32 -> integers in the same order, consecutive floats one apart (-0 == +0)."""
    bits = values.view(np.int32).astype(np.int64)
    return np.where(bits < 0, -(bits & 0x7FFFFFFF), bits)


def _ulp_distance(got, reference64):
    with np.errstate(over="ignore", invalid="ignore"):
        want = reference64.astype(np.float32)
    distance = np.abs(_ordered(got) - _ordered(want)).astype(np.float64)
    got_nan, want_nan = np.isnan(got), np.isnan(want)
    distance[got_nan & want_nan] = 0
    distance[got_nan ^ want_nan] = np.inf
    return distance


def _max_ulp(name, x):
    got = _elementwise(name, x)
    with np.errstate(all="ignore"):
        reference = REFERENCES[name](x.astype(np.float64))
    distance = _ulp_distance(got, reference)
    if name in LIMITED_RANGE:
        in_range = np.abs(x) < fastmath.SIN_COS_EXACT_REDUCTION_LIMIT
        distance, x = distance[in_range], x[in_range]
    if not distance.size:
        return 0.0, None
    worst = int(np.argmax(distance))
    return distance[worst], x[worst]


def _bit_patterns(start, stop, step=1):
    return np.arange(start, stop, step, dtype=np.uint64).astype(np.uint32).view(np.float32)


def test_every_function_is_tested_and_mapped():
    public = {name for name in fastmath.__all__ if name.endswith("_f32")}
    assert public == set(REFERENCES)
    for name in list(fastmath.FLOAT32_FUNCTIONS.values()) + [
            re.match(r"(\w+)\(", expr).group(1)
            for expr in fastmath.FLOAT32_OP_EXPRESSIONS.values()]:
        assert name in public


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_max_ulp_error_on_strided_bit_patterns(name):
    # every 257th of the 2**32 patterns: all exponents, signs, denormals, nans and infs
    distance, where = _max_ulp(name, _bit_patterns(0, 2**32, 257))
    assert distance <= _stated_max_ulp(name), "%s: %s ulp at x=%r" % (name, distance, where)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_max_ulp_error_near_the_interesting_region(name):
    # dense around |x| in [2**-4, 2**7], where reduction boundaries and cutovers lie
    x = _bit_patterns(0x3D800000, 0x43000000, 31)
    for values in (x, -x):
        distance, where = _max_ulp(name, values)
        assert distance <= _stated_max_ulp(name), "%s: %s ulp at x=%r" % (name, distance, where)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_max_ulp_error_on_all_float32(name):
    chunk = 2**24
    worst = 0.0
    for start in range(0, 2**32, chunk):
        distance, where = _max_ulp(name, _bit_patterns(start, start + chunk))
        assert distance <= _stated_max_ulp(name), "%s: %s ulp at x=%r" % (name, distance, where)
        worst = max(worst, distance)
    # the stated bound is the measured one, not a loose ceiling
    assert worst == _stated_max_ulp(name)


def _same_floats(got, want):
    got, want = np.asarray(got, np.float32), np.asarray(want, np.float32)
    return bool(np.all((got.view(np.int32) == want.view(np.int32))
                       | (np.isnan(got) & np.isnan(want))))


_INF, _NAN = np.inf, np.nan
_TINY = np.float32(1e-45)  # smallest denormal
SPECIAL_VALUES = {
    # name: [(x, exact expected result)]
    "exp_f32": [(0.0, 1.0), (-0.0, 1.0), (_INF, _INF), (-_INF, 0.0), (_NAN, _NAN),
                (89.0, _INF), (88.8, _INF), (-104.0, 0.0), (-200.0, 0.0), (1e30, _INF),
                (_TINY, 1.0)],
    "expm1_f32": [(0.0, 0.0), (-0.0, -0.0), (_INF, _INF), (-_INF, -1.0), (_NAN, _NAN),
                  (89.0, _INF), (-18.0, -1.0), (-1e30, -1.0), (_TINY, _TINY),
                  (-_TINY, -_TINY)],
    "log_f32": [(1.0, 0.0), (0.0, -_INF), (-0.0, -_INF), (-1.0, _NAN), (-_INF, _NAN),
                (_INF, _INF), (_NAN, _NAN), (-_TINY, _NAN)],
    "log1p_f32": [(0.0, 0.0), (-0.0, -0.0), (-1.0, -_INF), (-2.0, _NAN), (_INF, _INF),
                  (-_INF, _NAN), (_NAN, _NAN), (_TINY, _TINY), (-_TINY, -_TINY)],
    "tanh_f32": [(0.0, 0.0), (-0.0, -0.0), (_INF, 1.0), (-_INF, -1.0), (_NAN, _NAN),
                 (10.0, 1.0), (-10.0, -1.0), (1e30, 1.0), (_TINY, _TINY), (-_TINY, -_TINY)],
    "sigmoid_f32": [(0.0, 0.5), (-0.0, 0.5), (_INF, 1.0), (-_INF, 0.0), (_NAN, _NAN),
                    (100.0, 1.0), (-200.0, 0.0), (1e30, 1.0), (-1e30, 0.0)],
    "softplus_f32": [(_INF, _INF), (-_INF, 0.0), (_NAN, _NAN), (1e30, 1e30), (-200.0, 0.0),
                     (100.0, 100.0)],
    "erf_f32": [(0.0, 0.0), (-0.0, -0.0), (_INF, 1.0), (-_INF, -1.0), (_NAN, _NAN),
                (4.0, 1.0), (-5.0, -1.0), (1e30, 1.0)],
    "sin_f32": [(0.0, 0.0), (-0.0, -0.0), (_INF, _NAN), (-_INF, _NAN), (_NAN, _NAN),
                (_TINY, _TINY), (-_TINY, -_TINY)],
    "cos_f32": [(0.0, 1.0), (-0.0, 1.0), (_INF, _NAN), (-_INF, _NAN), (_NAN, _NAN),
                (_TINY, 1.0)],
}


@pytest.mark.parametrize("name", sorted(SPECIAL_VALUES))
def test_special_values(name):
    cases = SPECIAL_VALUES[name]
    x = np.array([case[0] for case in cases], np.float32)
    expected = np.array([case[1] for case in cases], np.float32)
    got = _elementwise(name, x)
    for value, result, want in zip(x, got, expected):
        assert _same_floats(result, want), "%s(%r) = %r, expected %r" % (name, value, result,
                                                                          want)


def test_denormal_results_and_overflow_boundaries():
    largest_finite_exp_arg = np.float32(88.72283)
    assert np.isfinite(_elementwise("exp_f32", np.array([largest_finite_exp_arg]))[0])
    assert _elementwise("exp_f32", np.array([np.nextafter(largest_finite_exp_arg,
                                                          np.float32(np.inf))]))[0] == np.inf
    x = np.linspace(-103.9, -87.4, 10001, dtype=np.float32)
    got = _elementwise("exp_f32", x)
    assert np.all(got > 0) and np.any(got < np.finfo(np.float32).tiny)
    assert np.max(_ulp_distance(got, np.exp(x.astype(np.float64)))) <= 1


def test_called_with_float64_or_int_computes_in_float32():
    @numba.njit
    def call(value):
        return fastmath.tanh_f32(value), fastmath.exp_f32(value)

    assert call(0.5) == call(np.float32(0.5))
    assert call(1) == call(np.float32(1.0))
    assert call(0.1 + 1e-12) == call(np.float32(0.1))  # rounded to float32 before anything


def test_sin_cos_beyond_exact_reduction_stay_bounded():
    x = np.concatenate([_bit_patterns(0x46490800, 0x7F800000, 4099),  # 12866 .. max float
                        -_bit_patterns(0x46490800, 0x7F800000, 4099)])
    for name, reference in (("sin_f32", np.sin), ("cos_f32", np.cos)):
        got = _elementwise(name, x)
        assert np.all(np.abs(got) <= 1), name
        moderate = np.abs(x) < 1e5
        error = np.abs(got[moderate] - reference(x[moderate].astype(np.float64)))
        # the docstring's statement for 12868 <= |x| < 1e5
        assert error.max() <= 1.2e-7, name


# -- vectorization --------------------------------------------------------------------------------
def _host_has_avx2():
    import llvmlite.binding as llvm

    features = llvm.get_host_cpu_features()
    return bool(features.get("avx2", False)) and bool(features.get("fma", False))


requires_avx2 = pytest.mark.skipif(not _host_has_avx2(),
                                   reason="packed ymm float32 code needs an AVX2+FMA host CPU")

_PACKED_FLOAT32_YMM = re.compile(r"\bv(?:fmadd|fmsub|fnmadd|fnmsub|mul|add|sub|div)\w*ps\s+"
                                 r"[^\n]*%ymm")


def _assembly_of_loop(body):
    namespace = {"fastmath": fastmath, "np": np}
    exec(textwrap.dedent("""
        def loop(x, out):
            for i in range(x.shape[0]):
                v = x[i]
                out[i] = %s
    """ % body), namespace)
    loop = numba.njit(namespace["loop"])
    x = np.linspace(-3, 3, 64, dtype=np.float32)
    loop(x, np.empty_like(x))
    return loop.inspect_asm(loop.signatures[0])


@requires_avx2
@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_loop_over_each_function_vectorizes(name):
    assembly = _assembly_of_loop("fastmath.%s(v)" % name)
    assert len(_PACKED_FLOAT32_YMM.findall(assembly)) >= 8, name


@requires_avx2
def test_loop_over_a_fused_chain_vectorizes():
    assembly = _assembly_of_loop(
        "fastmath.tanh_f32(np.float32(1.5) * v + np.float32(0.3)) * fastmath.sigmoid_f32(v)"
        " - np.float32(0.1) * v * v")
    assert len(_PACKED_FLOAT32_YMM.findall(assembly)) >= 16


# -- on-disk caching across modules ---------------------------------------------------------------
def test_cached_kernel_in_another_module_calls_the_functions(tmp_path):
    (tmp_path / "generated_kernel.py").write_text(textwrap.dedent("""
        import numba
        import numpy as np
        from graphflow.compiler.codegen.fastmath import tanh_f32, sigmoid_f32

        @numba.njit(cache=True)
        def kernel(x, out):
            for i in range(x.shape[0]):
                out[i] = tanh_f32(x[i]) * sigmoid_f32(x[i])

        x = np.linspace(-4, 4, 1000, dtype=np.float32)
        out = np.empty_like(x)
        kernel(x, out)
        print(kernel.stats.cache_hits.most_common(1), float(out.sum()))
    """))
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "cache"),
               PYTHONPATH=os.pathsep.join([str(tmp_path)] + sys.path))
    runs = [subprocess.run([sys.executable, str(tmp_path / "generated_kernel.py")], env=env,
                           capture_output=True, text=True, check=True).stdout.split("] ")
            for _ in range(2)]
    assert runs[0][0] == "[" and runs[1][0] != "["  # compiled, then loaded from the cache
    assert runs[0][1] == runs[1][1]
