"""The ``tf.strings`` namespace and the TF1 top-level string functions (``tf.as_string``,
``tf.string_join``, ``tf.substr``, ``tf.string_split``...), with TF1's signatures, defaults and op
names. The op records live in ops/string_ops.py.
"""
from .framework import dtypes, graph as graph_mod
from .ops import string_ops
from .ops.convert import convert_to_tensor
from .sparse import SparseTensor


def _strings(value, name="input"):
    """Python values become string constants; a tensor of another dtype passes through, so
    that the op's type check raises TypeError as TF's op-def library does."""
    if isinstance(value, graph_mod.Tensor) or hasattr(value, "_as_graph_element"):
        return convert_to_tensor(value)
    return convert_to_tensor(value, dtype=dtypes.string, name=name)


def _deprecated_lookup(new_name, new_value, old_name, old_value):
    if new_value is not None and old_value is not None:
        raise ValueError("Cannot specify both '%s' and '%s'" % (new_name, old_name))
    return new_value if new_value is not None else old_value


def as_string(input, precision=-1, scientific=False, shortest=False, width=-1,  # noqa: A002
              fill="", name=None):
    return string_ops.AsString(input, precision=precision, scientific=scientific,
                               shortest=shortest, width=width, fill=fill, name=name)


def join(inputs, separator="", name=None):
    return string_ops.StringJoin(*[_strings(x) for x in inputs], separator=separator,
                                 name=name)


string_join = join


def length(input, name=None, unit="BYTE"):  # noqa: A002
    return string_ops.StringLength(_strings(input), unit=unit, name=name)


def substr(input, pos, len, name=None, unit="BYTE"):  # noqa: A002
    with graph_mod.name_scope(name, "Substr", [input, pos, len]) as scope:
        pos = convert_to_tensor(pos, name="pos", preferred_dtype=dtypes.int32)
        len = convert_to_tensor(len, name="len", dtype=pos.dtype)  # noqa: A001
        return string_ops.Substr(_strings(input), pos, len, unit=unit, name=scope)


def string_split(source, sep=None, skip_empty=True, delimiter=None, result_type="SparseTensor",
                 name=None):
    """TF1's split: each byte of ``delimiter`` (default a space) separates tokens; an empty
    delimiter splits into single bytes. Returns a SparseTensor [len(source), longest row]."""
    delimiter = _deprecated_lookup("sep", sep, "delimiter", delimiter)
    _check_result_type(result_type)
    with graph_mod.name_scope(name, "StringSplit", [source]):
        delimiter = _strings(" " if delimiter is None else delimiter, name="Const")
        source = _strings(source, name="Const")
        indices, values, shape = string_ops.StringSplit(source, delimiter, skip_empty=skip_empty)
    return SparseTensor(indices, values, shape)


def split(input=None, sep=None, maxsplit=-1, result_type="SparseTensor", source=None,  # noqa
          name=None):
    """``tf.strings.split`` (v1): Python's ``str.split`` of every element (runs of whitespace
    when ``sep`` is None); the SparseTensor has one more dimension than ``input``."""
    input = _deprecated_lookup("input", input, "source", source)  # noqa: A001
    _check_result_type(result_type)
    with graph_mod.name_scope(name, "StringSplit", [input]):
        input = _strings(input)  # noqa: A001
        sep = _strings("" if sep is None else sep, name="sep")
        indices, values, shape = string_ops.StringSplitV2(input, sep, maxsplit=maxsplit)
    return SparseTensor(indices, values, shape)


def _check_result_type(result_type):
    if result_type != "SparseTensor":
        raise ValueError("result_type must be 'SparseTensor' (graphflow has no RaggedTensor), "
                         "got %r" % (result_type,))


def _is_static_string(value):
    return isinstance(value, (str, bytes))


def regex_replace(input, pattern, rewrite, replace_global=True, name=None):  # noqa: A002
    # TF names the op StaticRegexReplace when the pattern and rewrite are Python strings.
    static = _is_static_string(pattern) and _is_static_string(rewrite)
    return string_ops.RegexReplace(_strings(input), _strings(pattern, "pattern"),
                                   _strings(rewrite, "rewrite"), replace_global=replace_global,
                                   name=name or ("StaticRegexReplace" if static else None))


def regex_full_match(input, pattern, name=None):  # noqa: A002
    static = _is_static_string(pattern)
    return string_ops.RegexFullMatch(_strings(input), _strings(pattern, "pattern"),
                                     name=name or ("StaticRegexFullMatch" if static else None))


def strip(input, name=None):  # noqa: A002
    return string_ops.StringStrip(_strings(input), name=name)


string_strip = strip


def lower(input, encoding="", name=None):  # noqa: A002
    return string_ops.StringLower(_strings(input), encoding=encoding, name=name)


def upper(input, encoding="", name=None):  # noqa: A002
    return string_ops.StringUpper(_strings(input), encoding=encoding, name=name)


def to_number(string_tensor=None, out_type=dtypes.float32, name=None, input=None):  # noqa: A002
    string_tensor = _deprecated_lookup("input", input, "string_tensor", string_tensor)
    return string_ops.StringToNumber(_strings(string_tensor, "string_tensor"),
                                     out_type=dtypes.as_dtype(out_type), name=name)


string_to_number = to_number


def to_hash_bucket_fast(input, num_buckets, name=None):  # noqa: A002
    return string_ops.StringToHashBucketFast(_strings(input), num_buckets=int(num_buckets),
                                             name=name)


string_to_hash_bucket_fast = to_hash_bucket_fast


def reduce_join(inputs, axis=None, keep_dims=None, separator="", name=None,
                reduction_indices=None, keepdims=None):
    axis = _deprecated_lookup("axis", axis, "reduction_indices", reduction_indices)
    keepdims = bool(_deprecated_lookup("keepdims", keepdims, "keep_dims", keep_dims))
    with graph_mod.name_scope(name, "ReduceJoin", [inputs, axis]) as scope:
        inputs = _strings(inputs, "inputs")
        if axis is None:
            rank = inputs.shape.ndims
            if rank is None:
                from .ops import array as array_ops
                axis = array_ops.range(array_ops.rank(inputs) - 1, -1, -1)
            else:  # last axis first: the elements join in row-major order
                axis = list(range(rank - 1, -1, -1))
        axis = convert_to_tensor(axis, dtype=dtypes.int32, name="reduction_indices")
        return string_ops.ReduceJoin(inputs, axis, keep_dims=keepdims, separator=separator,
                                     name=scope)


def format(template, inputs, placeholder="{}", summarize=3, name=None):  # noqa: A001
    if isinstance(inputs, (list, tuple)):
        inputs = list(inputs)
    else:
        inputs = [inputs]
    if template.count(placeholder) != len(inputs):
        raise ValueError("%s placeholder(s) in template does not match %s tensor(s) provided as "
                         "input" % (template.count(placeholder), len(inputs)))
    tensors = [convert_to_tensor(x) for x in inputs]
    return string_ops.StringFormat(*tensors, template=template, placeholder=placeholder,
                                   summarize=summarize, name=name)


def decode_raw(input_bytes=None, out_type=None, little_endian=True, name=None, bytes=None):  # noqa
    input_bytes = _deprecated_lookup("input_bytes", input_bytes, "bytes", bytes)
    if out_type is None:
        raise TypeError("decode_raw() missing required argument 'out_type'")
    return string_ops.DecodeRaw(_strings(input_bytes, "bytes"), out_type=dtypes.as_dtype(out_type),
                                little_endian=little_endian, name=name)


def encode_base64(input, pad=False, name=None):  # noqa: A002
    return string_ops.EncodeBase64(_strings(input), pad=pad, name=name)


def decode_base64(input, name=None):  # noqa: A002
    return string_ops.DecodeBase64(_strings(input), name=name)


__all__ = ["as_string", "format", "join", "length", "lower", "reduce_join", "regex_full_match",
           "regex_replace", "split", "strip", "substr", "to_hash_bucket_fast", "to_number",
           "upper"]
