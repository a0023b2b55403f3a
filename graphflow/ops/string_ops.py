"""String op records (tf.string tensors are numpy object arrays of ``bytes``, as TF1 fetches them).

Every kernel here runs its numpy reference: string ops have no scalar expression, so fusion and
the Numba backends leave them alone. Kernels raise ValueError for bad values at run time, which
the executor reports as InvalidArgumentError, as TF's kernels do.
"""
import base64
import re

import numpy as np

from ..framework import dtypes, errors, tensor_shape
from .array import _shape_from_tensor
from .convert import constant_value
from .logging_ops import format_element, summarize_v2
from .registry import NOT_DIFFERENTIABLE, Spec, broadcast_shape, defop

_MASK64 = (1 << 64) - 1


# -- helpers ---------------------------------------------------------------------------------------
def _expect_string(op_type, tensor, arg="input"):
    if tensor.dtype.base_dtype != dtypes.string:
        raise TypeError("Input '%s' of '%s' Op has type %s that does not match expected type of "
                        "string." % (arg, op_type, tensor.dtype.base_dtype.name))


def _string_map(fn, array, out_dtype=object):
    """Applies ``fn`` to each bytes element of ``array``, keeping its shape."""
    array = np.asarray(array, dtype=object)
    out = np.empty(array.shape, dtype=out_dtype)
    for index, value in np.ndenumerate(array):
        out[index] = fn(_as_bytes(value))
    return out


def _as_bytes(value):
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def _unary_string_shape(op_type, out_dtype=dtypes.string):
    def rule(input, **attrs):  # noqa: A002 - TF's input name
        _expect_string(op_type, input)
        return Spec(input.shape, out_dtype)
    return rule


def _decode_utf8(value, index):
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        raise errors.InvalidArgumentError(
            None, None, "Invalid UTF-8 string at index %d: %r" % (index, value))


# -- AsString --------------------------------------------------------------------------------------
_FILL_FLAGS = (" ", "+", "-", "0", "#")


def _as_string_shape(input, *, precision=-1, scientific=False, shortest=False, width=-1,  # noqa
                     fill=""):
    return Spec(input.shape, dtypes.string)


def _as_string_format(dtype, precision, scientific, shortest, width, fill):
    """The printf format TF's AsString kernel builds; ValueError for what it refuses."""
    kind = dtype.kind
    if kind in "fc":
        if scientific and shortest:
            raise ValueError("Cannot select both scientific and shortest notation")
    else:
        if scientific:
            raise ValueError("scientific not supported for dtype %s" % dtype)
        if shortest:
            raise ValueError("shortest not supported for dtype %s" % dtype)
        if precision > -1:
            raise ValueError("precision not supported for dtype %s" % dtype)
    if kind == "b":  # TF ignores width and fill for booleans
        return "%s"
    if len(fill) > 1:
        raise ValueError("Fill string must be one or fewer characters")
    spec = "%"
    if fill:
        if fill not in _FILL_FLAGS:
            raise ValueError("Fill argument not supported: \"%s\"" % fill)
        spec += fill
    if width > -1:
        spec += str(width)
    if kind in "fc":
        if precision > -1:
            spec += ".%d" % precision
        spec += "g" if shortest else "e" if scientific else "f"

    elif kind in "iu":
        spec += "d"
    else:
        spec += "s"
    return spec


def _as_string_ref(input, *, precision=-1, scientific=False, shortest=False, width=-1,  # noqa
                   fill=""):
    array = np.asarray(input)
    spec = _as_string_format(array.dtype, precision, scientific, shortest, width, fill)
    kind = array.dtype.kind

    def one(value):
        if kind == "b":
            return (spec % ("true" if value else "false")).encode()
        if kind == "c":
            return ("(%s,%s)" % (spec % float(value.real), spec % float(value.imag))).encode()
        if kind == "f":
            return (spec % float(value)).encode()
        if kind in "iu":
            return (spec % int(value)).encode()
        return _as_bytes(value)

    out = np.empty(array.shape, dtype=object)
    for index, value in np.ndenumerate(array):
        out[index] = one(value)
    return out


AsString = defop("AsString", shape=_as_string_shape, ref=_as_string_ref,
                 grad=NOT_DIFFERENTIABLE)


# -- StringJoin ------------------------------------------------------------------------------------
def _string_join_shape(*inputs, separator=""):
    shape = tensor_shape.TensorShape([])
    for t in inputs:
        _expect_string("StringJoin", t, "inputs")
        if t.shape.ndims == 0:
            continue
        if shape.ndims == 0:
            shape = t.shape
            continue
        try:
            shape = shape.merge_with(t.shape)
        except ValueError as e:
            raise ValueError("%s for 'StringJoin' (op: 'StringJoin') with input shapes: %s."
                             % (e, ", ".join(str(x.shape) for x in inputs)))
    return Spec(shape, dtypes.string)


def _string_join_ref(*inputs, separator=""):
    arrays = [np.asarray(x, dtype=object) for x in inputs]
    shapes = {a.shape for a in arrays if a.ndim}
    if len(shapes) > 1:
        raise ValueError("Input shapes do not match: %s" % " vs. ".join(
            str(list(s)) for s in sorted(shapes)))
    shape = shapes.pop() if shapes else ()
    separator = _as_bytes(separator)
    out = np.empty(shape, dtype=object)
    broadcast = [np.broadcast_to(a, shape) for a in arrays]
    for index in np.ndindex(*shape):
        out[index] = separator.join(_as_bytes(a[index]) for a in broadcast)
    return out


StringJoin = defop("StringJoin", shape=_string_join_shape, ref=_string_join_ref,
                   grad=NOT_DIFFERENTIABLE)


# -- StringLength ----------------------------------------------------------------------------------
def _string_length_ref(input, *, unit="BYTE"):  # noqa: A002
    return _string_map(len if unit == "BYTE" else _utf8_length, input, np.int32)


def _utf8_length(value):
    # TF counts the bytes that do not continue a character, without validating the encoding.
    return sum(1 for byte in value if byte & 0xC0 != 0x80)


def _check_unit(unit):
    if unit not in ("BYTE", "UTF8_CHAR"):
        raise ValueError("Value for attr 'unit' of \"%s\" is not in the list of allowed values: "
                         "\"BYTE\", \"UTF8_CHAR\"" % unit)


def _string_length_shape(input, *, unit="BYTE"):  # noqa: A002
    _expect_string("StringLength", input)
    _check_unit(unit)
    return Spec(input.shape, dtypes.int32)


StringLength = defop("StringLength", shape=_string_length_shape, ref=_string_length_ref,
                     grad=NOT_DIFFERENTIABLE)


# -- Substr ----------------------------------------------------------------------------------------
def _substr_shape(input, pos, len, *, unit="BYTE"):  # noqa: A002
    _expect_string("Substr", input)
    _check_unit(unit)
    if pos.dtype.base_dtype != len.dtype.base_dtype:
        raise TypeError("Input 'len' of 'Substr' Op has type %s that does not match type %s of "
                        "argument 'pos'." % (len.dtype.base_dtype.name, pos.dtype.base_dtype.name))
    if pos.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError("Value passed to parameter 'pos' has DataType %s not in list of allowed "
                        "values: int32, int64" % pos.dtype.base_dtype.name)
    try:
        pos.shape.merge_with(len.shape)
        shape = broadcast_shape(input.shape, pos.shape)
    except ValueError as e:
        raise ValueError("%s for 'Substr' (op: 'Substr') with input shapes: %s, %s, %s."
                         % (e, input.shape, pos.shape, len.shape))
    return Spec(shape, dtypes.string)


def _substr_ref(input, pos, len, *, unit="BYTE"):  # noqa: A002
    strings, positions, lengths = np.broadcast_arrays(np.asarray(input, dtype=object),
                                                      np.asarray(pos), np.asarray(len))
    out = np.empty(strings.shape, dtype=object)
    for flat_index, index in enumerate(np.ndindex(*strings.shape)):
        value = _as_bytes(strings[index])
        text = value if unit == "BYTE" else _decode_utf8(value, flat_index)
        start, length = int(positions[index]), int(lengths[index])
        size = builtins_len(text)
        if not -size <= start <= size:
            shown = ("b'%s'" % value.decode("latin-1")) if unit == "BYTE" else \
                value.decode("utf-8", "replace")
            raise errors.InvalidArgumentError(
                None, None, "pos %d out of range for string %s at index %d"
                % (start, shown, flat_index))
        if start < 0:
            start += size
        piece = text[start:] if length < 0 else text[start:start + length]
        out[index] = piece if unit == "BYTE" else piece.encode("utf-8")
    return out


builtins_len = len  # the kernel's ``len`` parameter (TF's input name) shadows the builtin

Substr = defop("Substr", shape=_substr_shape, ref=_substr_ref, grad=NOT_DIFFERENTIABLE)


# -- StringSplit (TF1: split at any of the delimiter's bytes) and StringSplitV2 (str.split) --------
def _split_specs(input, rank_out):
    return [Spec([None, rank_out], dtypes.int64), Spec([None], dtypes.string),
            Spec([rank_out], dtypes.int64)]


def _string_split_shape(input, delimiter, *, skip_empty=True):  # noqa: A002
    _expect_string("StringSplit", input)
    _expect_string("StringSplit", delimiter, "delimiter")
    if input.shape.ndims is not None and input.shape.ndims != 1:
        raise ValueError("Shape must be rank 1 but is rank %d for 'StringSplit' (op: "
                         "'StringSplit') with input shapes: %s, %s."
                         % (input.shape.ndims, input.shape, delimiter.shape))
    if delimiter.shape.ndims is not None and delimiter.shape.ndims != 0:
        raise ValueError("Shape must be rank 0 but is rank %d for 'StringSplit' (op: "
                         "'StringSplit') with input shapes: %s, %s."
                         % (delimiter.shape.ndims, input.shape, delimiter.shape))
    return _split_specs(input, 2)


def _sparse_from_token_lists(shape, token_lists):
    """The (indices, values, dense_shape) of ragged rows ``token_lists`` laid out over the
    leading dense ``shape``: one more dimension, as long as the longest row."""
    indices, values = [], []
    for flat_index, tokens in enumerate(token_lists):
        position = np.unravel_index(flat_index, shape) if shape else ()
        for j, token in enumerate(tokens):
            indices.append(tuple(int(p) for p in position) + (j,))
            values.append(token)
    longest = max((builtins_len(t) for t in token_lists), default=0)
    rank = builtins_len(shape) + 1
    values_array = np.empty(builtins_len(values), dtype=object)
    values_array[:] = values
    return (np.asarray(indices, dtype=np.int64).reshape(-1, rank), values_array,
            np.asarray(list(shape) + [longest], dtype=np.int64))


def _string_split_ref(input, delimiter, *, skip_empty=True):  # noqa: A002
    array = np.asarray(input, dtype=object)
    if array.ndim != 1:
        raise ValueError("input must be a vector, got shape: %s" % list(array.shape))
    separators = _as_bytes(np.asarray(delimiter, dtype=object)[()])
    rows = []
    for value in array:
        value = _as_bytes(value)
        if not separators:
            tokens = [value[i:i + 1] for i in range(builtins_len(value))]
        else:
            tokens = re.split(b"[" + re.escape(separators) + b"]", value)
        if skip_empty:
            tokens = [t for t in tokens if t]
        rows.append(tokens)
    return _sparse_from_token_lists(array.shape, rows)


def _unknown_while_building(op):
    """TF's graph-time constant evaluation knows nothing of string splits, so a SparseTensor
    built from one has an unknown static shape even when its input is constant."""
    return None


StringSplit = defop("StringSplit", shape=_string_split_shape, ref=_string_split_ref,
                    grad=NOT_DIFFERENTIABLE, static_value=_unknown_while_building)


def _string_split_v2_shape(input, sep, *, maxsplit=-1):  # noqa: A002
    _expect_string("StringSplitV2", input)
    _expect_string("StringSplitV2", sep, "sep")
    rank = input.shape.ndims
    return _split_specs(input, None if rank is None else rank + 1)


def _string_split_v2_ref(input, sep, *, maxsplit=-1):  # noqa: A002
    """Python's ``bytes.split``: runs of whitespace without a separator (no empty tokens),
    every occurrence of the separator with one (empty tokens kept)."""
    array = np.asarray(input, dtype=object)
    separator = _as_bytes(np.asarray(sep, dtype=object)[()]) or None
    rows = [_as_bytes(value).split(separator, maxsplit) for value in array.reshape(-1)]
    return _sparse_from_token_lists(array.shape, rows)


StringSplitV2 = defop("StringSplitV2", shape=_string_split_v2_shape, ref=_string_split_v2_ref,
                      grad=NOT_DIFFERENTIABLE, static_value=_unknown_while_building)


# -- regular expressions (RE2 syntax; what TF programs use is shared with Python's re) -------------
def _compile_pattern(pattern):
    try:
        return re.compile(_as_bytes(np.asarray(pattern, dtype=object)[()]))
    except re.error as e:
        raise errors.InvalidArgumentError(None, None, "Invalid pattern: %s, error: %s"
                                          % (pattern, e))


def _re2_rewrite(rewrite):
    """RE2's rewrite string: ``\\0``..``\\9`` name groups, ``\\\\`` is a backslash, and every
    other byte is literal (Python's re would also read ``\\n`` and ``\\g<..>``)."""
    rewrite = _as_bytes(rewrite)

    def expand(match):
        out, i = [], 0
        while i < builtins_len(rewrite):
            byte = rewrite[i:i + 1]
            if byte == b"\\" and i + 1 < builtins_len(rewrite):
                following = rewrite[i + 1:i + 2]
                if following.isdigit():
                    out.append(match.group(int(following)) or b"")
                    i += 2
                    continue
                if following == b"\\":
                    out.append(b"\\")
                    i += 2
                    continue
            out.append(byte)
            i += 1
        return b"".join(out)
    return expand


def _regex_replace_shape(input, pattern, rewrite, *, replace_global=True):  # noqa: A002
    _expect_string("RegexReplace", input)
    _expect_string("RegexReplace", pattern, "pattern")
    _expect_string("RegexReplace", rewrite, "rewrite")
    return Spec(input.shape, dtypes.string)


def _regex_replace_ref(input, pattern, rewrite, *, replace_global=True):  # noqa: A002
    compiled = _compile_pattern(pattern)
    expand = _re2_rewrite(np.asarray(rewrite, dtype=object)[()])
    count = 0 if replace_global else 1
    return _string_map(lambda s: compiled.sub(expand, s, count=count), input)


RegexReplace = defop("RegexReplace", shape=_regex_replace_shape, ref=_regex_replace_ref,
                     grad=NOT_DIFFERENTIABLE)


def _regex_full_match_shape(input, pattern):  # noqa: A002
    _expect_string("RegexFullMatch", input)
    _expect_string("RegexFullMatch", pattern, "pattern")
    return Spec(input.shape, dtypes.bool)


def _regex_full_match_ref(input, pattern):  # noqa: A002
    compiled = _compile_pattern(pattern)
    return _string_map(lambda s: compiled.fullmatch(s) is not None, input, np.bool_)


RegexFullMatch = defop("RegexFullMatch", shape=_regex_full_match_shape,
                       ref=_regex_full_match_ref, grad=NOT_DIFFERENTIABLE)


# -- strip, case -----------------------------------------------------------------------------------
StringStrip = defop("StringStrip", shape=_unary_string_shape("StringStrip"),
                    ref=lambda input: _string_map(bytes.strip, input),  # noqa: A002
                    grad=NOT_DIFFERENTIABLE)


def _case_kernel(ascii_fn, text_fn):
    def ref(input, *, encoding=""):  # noqa: A002
        if encoding:  # TF's only encoding is UTF-8: full Unicode case mapping
            return _string_map(lambda s: text_fn(s.decode("utf-8")).encode("utf-8"), input)
        return _string_map(ascii_fn, input)  # no encoding: ASCII letters only
    return ref


StringLower = defop("StringLower", shape=_unary_string_shape("StringLower"),
                    ref=_case_kernel(bytes.lower, str.lower), grad=NOT_DIFFERENTIABLE)
StringUpper = defop("StringUpper", shape=_unary_string_shape("StringUpper"),
                    ref=_case_kernel(bytes.upper, str.upper), grad=NOT_DIFFERENTIABLE)


# -- StringToNumber --------------------------------------------------------------------------------
_NUMBER_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64)
_INT_TEXT = re.compile(rb"\s*[+-]?\d+\s*\Z")


def _string_to_number_shape(string_tensor, *, out_type=dtypes.float32):
    _expect_string("StringToNumber", string_tensor, "string_tensor")
    out_type = dtypes.as_dtype(out_type)
    if out_type not in _NUMBER_TYPES:
        raise TypeError("Value passed to parameter 'out_type' has DataType %s not in list of "
                        "allowed values: float32, float64, int32, int64" % out_type.name)
    return Spec(string_tensor.shape, out_type)


def _parse_number(text, out_type):
    failure = errors.InvalidArgumentError(
        None, None, "StringToNumberOp could not correctly convert string: %s"
        % text.decode("utf-8", "backslashreplace"))
    if out_type.is_integer:
        if not _INT_TEXT.match(text):
            raise failure
        value = int(text)
        if not out_type.min <= value <= out_type.max:
            raise failure
        return value
    stripped = text.strip()
    try:
        if stripped.lower().lstrip(b"+-").startswith(b"0x"):
            return float.fromhex(stripped.decode("ascii"))
        value = float(stripped)
    except (ValueError, UnicodeDecodeError):
        raise failure
    if b"_" in stripped:  # Python accepts digit separators, C's strtod does not
        raise failure
    return value


def _string_to_number_ref(string_tensor, *, out_type=dtypes.float32):
    out_type = dtypes.as_dtype(out_type)
    return _string_map(lambda s: _parse_number(s, out_type), string_tensor,
                       out_type.as_numpy_dtype)


StringToNumber = defop("StringToNumber", shape=_string_to_number_shape,
                       ref=_string_to_number_ref, grad=NOT_DIFFERENTIABLE)


# -- StringToHashBucketFast: FarmHash Fingerprint64 (farmhashna::Hash64) modulo the buckets -------
_K0 = 0xc3a5c85c97cb3127
_K1 = 0xb492b66fbe98f273
_K2 = 0x9ae16a3b2f90404f


def _fetch64(data, at):
    return int.from_bytes(data[at:at + 8], "little")


def _fetch32(data, at):
    return int.from_bytes(data[at:at + 4], "little")


def _rotate(value, shift):
    return value if shift == 0 else ((value >> shift) | (value << (64 - shift))) & _MASK64


def _shift_mix(value):
    return value ^ (value >> 47)


def _hash_len16(u, v, mul):
    a = ((u ^ v) * mul) & _MASK64
    a ^= a >> 47
    b = ((v ^ a) * mul) & _MASK64
    b ^= b >> 47
    return (b * mul) & _MASK64


def _hash_len_0_to_16(data):
    length = builtins_len(data)
    if length >= 8:
        mul = _K2 + length * 2
        a = (_fetch64(data, 0) + _K2) & _MASK64
        b = _fetch64(data, length - 8)
        c = (_rotate(b, 37) * mul + a) & _MASK64
        d = ((_rotate(a, 25) + b) * mul) & _MASK64
        return _hash_len16(c, d, mul)
    if length >= 4:
        mul = _K2 + length * 2
        a = _fetch32(data, 0)
        return _hash_len16((length + (a << 3)) & _MASK64, _fetch32(data, length - 4), mul)
    if length > 0:
        a, b, c = data[0], data[length >> 1], data[length - 1]
        y = (a + (b << 8)) & 0xFFFFFFFF
        z = (length + (c << 2)) & 0xFFFFFFFF
        return (_shift_mix(((y * _K2) ^ (z * _K0)) & _MASK64) * _K2) & _MASK64
    return _K2


def _hash_len_17_to_32(data):
    length = builtins_len(data)
    mul = _K2 + length * 2
    a = (_fetch64(data, 0) * _K1) & _MASK64
    b = _fetch64(data, 8)
    c = (_fetch64(data, length - 8) * mul) & _MASK64
    d = (_fetch64(data, length - 16) * _K2) & _MASK64
    return _hash_len16((_rotate((a + b) & _MASK64, 43) + _rotate(c, 30) + d) & _MASK64,
                       (a + _rotate((b + _K2) & _MASK64, 18) + c) & _MASK64, mul)


def _hash_len_33_to_64(data):
    length = builtins_len(data)
    mul = _K2 + length * 2
    a = (_fetch64(data, 0) * _K2) & _MASK64
    b = _fetch64(data, 8)
    c = (_fetch64(data, length - 8) * mul) & _MASK64
    d = (_fetch64(data, length - 16) * _K2) & _MASK64
    y = (_rotate((a + b) & _MASK64, 43) + _rotate(c, 30) + d) & _MASK64
    z = _hash_len16(y, (a + _rotate((b + _K2) & _MASK64, 18) + c) & _MASK64, mul)
    e = (_fetch64(data, 16) * mul) & _MASK64
    f = _fetch64(data, 24)
    g = ((y + _fetch64(data, length - 32)) * mul) & _MASK64
    h = ((z + _fetch64(data, length - 24)) * mul) & _MASK64
    return _hash_len16((_rotate((e + f) & _MASK64, 43) + _rotate(g, 30) + h) & _MASK64,
                       (e + _rotate((f + a) & _MASK64, 18) + g) & _MASK64, mul)


def _weak_hash_len32_with_seeds(data, at, a, b):
    w, x = _fetch64(data, at), _fetch64(data, at + 8)
    y, z = _fetch64(data, at + 16), _fetch64(data, at + 24)
    a = (a + w) & _MASK64
    b = _rotate((b + a + z) & _MASK64, 21)
    c = a
    a = (a + x + y) & _MASK64
    b = (b + _rotate(a, 44)) & _MASK64
    return (a + z) & _MASK64, (b + c) & _MASK64


def fingerprint64(data):
    """FarmHash's Fingerprint64 of ``data`` (bytes): the hash TF's fast bucketing uses."""
    length = builtins_len(data)
    if length <= 16:
        return _hash_len_0_to_16(data)
    if length <= 32:
        return _hash_len_17_to_32(data)
    if length <= 64:
        return _hash_len_33_to_64(data)
    seed = 81
    x = seed
    y = (seed * _K1 + 113) & _MASK64
    z = (_shift_mix((y * _K2 + 113) & _MASK64) * _K2) & _MASK64
    v, w = (0, 0), (0, 0)
    x = (x * _K2 + _fetch64(data, 0)) & _MASK64
    end = ((length - 1) // 64) * 64
    last64 = end + ((length - 1) & 63) - 63
    at = 0
    while True:
        x = (_rotate((x + y + v[0] + _fetch64(data, at + 8)) & _MASK64, 37) * _K1) & _MASK64
        y = (_rotate((y + v[1] + _fetch64(data, at + 48)) & _MASK64, 42) * _K1) & _MASK64
        x ^= w[1]
        y = (y + v[0] + _fetch64(data, at + 40)) & _MASK64
        z = (_rotate((z + w[0]) & _MASK64, 33) * _K1) & _MASK64
        v = _weak_hash_len32_with_seeds(data, at, (v[1] * _K1) & _MASK64, (x + w[0]) & _MASK64)
        w = _weak_hash_len32_with_seeds(data, at + 32, (z + w[1]) & _MASK64,
                                        (y + _fetch64(data, at + 16)) & _MASK64)
        z, x = x, z
        at += 64
        if at == end:
            break
    mul = _K1 + ((z & 0xff) << 1)
    at = last64
    w = ((w[0] + ((length - 1) & 63)) & _MASK64, w[1])
    v = ((v[0] + w[0]) & _MASK64, v[1])
    w = ((w[0] + v[0]) & _MASK64, w[1])
    x = (_rotate((x + y + v[0] + _fetch64(data, at + 8)) & _MASK64, 37) * mul) & _MASK64
    y = (_rotate((y + v[1] + _fetch64(data, at + 48)) & _MASK64, 42) * mul) & _MASK64
    x ^= (w[1] * 9) & _MASK64
    y = (y + v[0] * 9 + _fetch64(data, at + 40)) & _MASK64
    z = (_rotate((z + w[0]) & _MASK64, 33) * mul) & _MASK64
    v = _weak_hash_len32_with_seeds(data, at, (v[1] * mul) & _MASK64, (x + w[0]) & _MASK64)
    w = _weak_hash_len32_with_seeds(data, at + 32, (z + w[1]) & _MASK64,
                                    (y + _fetch64(data, at + 16)) & _MASK64)
    z, x = x, z
    return _hash_len16((_hash_len16(v[0], w[0], mul) + _shift_mix(y) * _K0 + z) & _MASK64,
                       (_hash_len16(v[1], w[1], mul) + x) & _MASK64, mul)


def _hash_bucket_shape(input, *, num_buckets=None):  # noqa: A002
    _expect_string("StringToHashBucketFast", input)
    if num_buckets is None or int(num_buckets) < 1:
        raise ValueError("Attr 'num_buckets' of 'StringToHashBucketFast' Op must be at least 1, "
                         "got %s" % num_buckets)
    return Spec(input.shape, dtypes.int64)


StringToHashBucketFast = defop(
    "StringToHashBucketFast", shape=_hash_bucket_shape,
    ref=lambda input, *, num_buckets=None: _string_map(  # noqa: A002
        lambda s: fingerprint64(s) % int(num_buckets), input, np.int64),
    grad=NOT_DIFFERENTIABLE)


# -- ReduceJoin ------------------------------------------------------------------------------------
def _reduce_join_axes(reduction_indices, ndim):
    axes = [int(a) for a in np.reshape(reduction_indices, [-1])]
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError("Invalid reduction dimension %d for input with %d dimensions"
                             % (a, ndim))
    normalized = [a % ndim for a in axes]
    if builtins_len(set(normalized)) != builtins_len(normalized):
        raise ValueError("Duplicate reduction dimension %d" % normalized[0])
    return normalized


def _reduce_join_shape(inputs, reduction_indices, *, keep_dims=False, separator=""):
    _expect_string("ReduceJoin", inputs, "inputs")
    axes = constant_value(reduction_indices)
    ndims = inputs.shape.ndims
    if axes is None or ndims is None:
        return Spec(tensor_shape.unknown_shape(ndims if keep_dims else None), dtypes.string)
    reduced = set(_reduce_join_axes(axes, ndims)) if ndims else set()
    dims = inputs.shape.as_list()
    if keep_dims:
        return Spec([1 if i in reduced else d for i, d in enumerate(dims)], dtypes.string)
    return Spec([d for i, d in enumerate(dims) if i not in reduced], dtypes.string)


def _reduce_join_ref(inputs, reduction_indices, *, keep_dims=False, separator=""):
    array = np.asarray(inputs, dtype=object)
    axes = _reduce_join_axes(reduction_indices, array.ndim) if array.ndim else []
    kept = [a for a in range(array.ndim) if a not in axes]
    # The first listed axis varies fastest in the joined sequence, the last one slowest.
    moved = np.transpose(array, kept + axes[::-1])
    kept_shape = [array.shape[a] for a in kept]
    rows = moved.reshape(kept_shape + [-1]) if moved.size else \
        np.empty(kept_shape + [int(np.prod([array.shape[a] for a in axes]))], dtype=object)
    separator = _as_bytes(separator)
    out = np.empty(kept_shape, dtype=object)
    for index in np.ndindex(*kept_shape):
        out[index] = separator.join(_as_bytes(v) for v in rows[index])
    if keep_dims:
        out = out.reshape([1 if a in axes else d for a, d in enumerate(array.shape)])
    return out


ReduceJoin = defop("ReduceJoin", shape=_reduce_join_shape, ref=_reduce_join_ref,
                   grad=NOT_DIFFERENTIABLE)


# -- StringFormat ----------------------------------------------------------------------------------
def _string_format_shape(*inputs, template="{}", placeholder="{}", summarize=3):
    if template.count(placeholder) != builtins_len(inputs):
        raise ValueError("num placeholders in template and num inputs must match: %d vs. %d"
                         % (template.count(placeholder), builtins_len(inputs)))
    return Spec([], dtypes.string)


def _format_element_raw(value):
    """As tf.print writes an element, except that a string's bytes go into the result as they
    are (StringFormat quotes strings but does not escape them)."""
    if isinstance(value, (bytes, str)):
        return '"%s"' % _as_bytes(value).decode("utf-8", "surrogateescape")
    return format_element(value)


def _string_format_ref(*inputs, template="{}", placeholder="{}", summarize=3):
    pieces = template.split(placeholder)
    texts = [summarize_v2(value, summarize, _format_element_raw) for value in inputs]
    text = pieces[0] + "".join(t + p for t, p in zip(texts, pieces[1:]))
    return np.asarray(text.encode("utf-8", "surrogateescape"), dtype=object)


StringFormat = defop("StringFormat", shape=_string_format_shape, ref=_string_format_ref,
                     grad=NOT_DIFFERENTIABLE)


# -- DecodeRaw -------------------------------------------------------------------------------------
_RAW_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int8, dtypes.int16,
              dtypes.int32, dtypes.int64, dtypes.uint8, dtypes.uint16, dtypes.complex64,
              dtypes.complex128, dtypes.bool)


def _decode_raw_shape(bytes, *, out_type=None, little_endian=True):  # noqa: A002
    _expect_string("DecodeRaw", bytes, "bytes")
    out_type = dtypes.as_dtype(out_type)
    if out_type not in _RAW_TYPES:
        raise TypeError("Value passed to parameter 'out_type' has DataType %s not in list of "
                        "allowed values" % out_type.name)
    if bytes.shape.ndims is None:
        return Spec(tensor_shape.unknown_shape(), out_type)
    return Spec(bytes.shape.as_list() + [None], out_type)


def _decode_raw_ref(bytes, *, out_type=None, little_endian=True):  # noqa: A002
    out_type = np.dtype(dtypes.as_dtype(out_type).as_numpy_dtype)
    array = np.asarray(bytes, dtype=object)
    values = [_as_bytes(v) for v in array.reshape(-1)]
    size = builtins_len(values[0]) if values else 0
    for value in values:
        if builtins_len(value) != size:
            raise errors.InvalidArgumentError(
                None, None, "DecodeRaw requires input strings to all be the same size, but "
                "element 0 has size %d != %d" % (size, builtins_len(value)))
    if size % out_type.itemsize:
        raise errors.InvalidArgumentError(
            None, None, "Input to DecodeRaw has length %d that is not a multiple of %d, the size "
            "of %s" % (size, out_type.itemsize, out_type.name))
    order = "<" if little_endian else ">"
    wire = out_type.newbyteorder(order) if out_type.itemsize > 1 else out_type
    flat = np.frombuffer(b"".join(values), dtype=wire).astype(out_type)
    return flat.reshape(array.shape + (size // out_type.itemsize,))


DecodeRaw = defop("DecodeRaw", shape=_decode_raw_shape, ref=_decode_raw_ref,
                  grad=NOT_DIFFERENTIABLE)


# -- base64 with the web-safe alphabet, as TF writes it --------------------------------------------
def _encode_base64(value, pad=False):
    text = base64.urlsafe_b64encode(value)
    return text if pad else text.rstrip(b"=")


_BASE64_TEXT = re.compile(rb"[A-Za-z0-9_-]*={0,2}\Z")


def _decode_base64(value):
    if not _BASE64_TEXT.match(value):
        raise errors.InvalidArgumentError(None, None, "Invalid character found in base64.")
    body = value.rstrip(b"=")
    if builtins_len(body) % 4 == 1:
        raise errors.InvalidArgumentError(None, None,
                                          "Base64 string length cannot be 1 modulo 4.")
    return base64.urlsafe_b64decode(body + b"=" * (-builtins_len(body) % 4))


EncodeBase64 = defop("EncodeBase64", shape=_unary_string_shape("EncodeBase64"),
                     ref=lambda input, *, pad=False: _string_map(  # noqa: A002
                         lambda s: _encode_base64(s, pad), input),
                     grad=NOT_DIFFERENTIABLE)
DecodeBase64 = defop("DecodeBase64", shape=_unary_string_shape("DecodeBase64"),
                     ref=lambda input: _string_map(_decode_base64, input),  # noqa: A002
                     grad=NOT_DIFFERENTIABLE)
