"""String ops (ops/string_ops.py, graphflow/strings.py): values as TF1 gives them, bytes in
object arrays, and run-time errors as InvalidArgumentError."""
import numpy as np
import pytest

import graphflow as tf
from graphflow.ops import string_ops


def run(fetches, feed_dict=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed_dict)


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def test_fingerprint64_buckets_match_tensorflow():
    # Values from TensorFlow's StringToHashBucketFast (FarmHash Fingerprint64 mod 1000), one per
    # length class of the hash: empty, 1-3 bytes, 4-7 bytes, over 64 bytes.
    buckets = run(tf.string_to_hash_bucket_fast(["", "a", "hello", "x" * 100], 1000))
    assert buckets.tolist() == [263, 939, 296, 719]
    assert buckets.dtype == np.int64


def test_as_string_formats_like_printf_and_ignores_width_for_booleans():
    values = run([tf.as_string(tf.constant([1.5, -2.25]), width=8, fill="0", precision=1),
                  tf.as_string(tf.constant([True, False]), width=7),
                  tf.as_string(tf.constant([3, -4]), width=4, fill="-")])
    assert values[0].tolist() == [b"000001.5", b"-00002.2"]
    assert values[1].tolist() == [b"true", b"false"]
    assert values[2].tolist() == [b"3   ", b"-4  "]
    with pytest.raises(tf.errors.InvalidArgumentError):
        run(tf.as_string(tf.constant([1]), precision=2))


def test_reduce_join_joins_the_first_listed_axis_fastest():
    table = tf.constant([["a", "b"], ["c", "d"]])
    assert run(tf.strings.reduce_join(table, axis=[0, 1], separator="|")) == b"a|c|b|d"
    assert run(tf.strings.reduce_join(table)) == b"abcd"
    assert run(tf.strings.reduce_join(table, axis=-1, keepdims=True)).tolist() == [[b"ab"],
                                                                                   [b"cd"]]


def test_string_split_gives_a_sparse_tensor_of_unknown_static_shape():
    split = tf.string_split(["a b  c", "", "d"])
    assert split.shape.as_list() == [None, None]
    value = run(split)
    assert value.indices.tolist() == [[0, 0], [0, 1], [0, 2], [2, 0]]
    assert value.values.tolist() == [b"a", b"b", b"c", b"d"]
    assert value.dense_shape.tolist() == [3, 3]
    kept = run(tf.string_split(["a,b;;c"], delimiter=",;", skip_empty=False))
    assert kept.values.tolist() == [b"a", b"b", b"", b"c"]
    nested = run(tf.strings.split([["a b", "c"]], sep=" "))
    assert nested.indices.tolist() == [[0, 0, 0], [0, 0, 1], [0, 1, 0]]


def test_substr_and_length_count_bytes_or_characters():
    words = tf.constant(["h\u00e9llo", "abc"])
    assert run(tf.strings.length(words)).tolist() == [6, 3]
    assert run(tf.strings.length(words, unit="UTF8_CHAR")).tolist() == [5, 3]
    assert run(tf.strings.substr(words, 1, 2, unit="UTF8_CHAR")).tolist() == [
        "\u00e9l".encode(), b"bc"]
    assert run(tf.substr(words, -2, -1)).tolist() == [b"lo", b"bc"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="pos 4 out of range"):
        run(tf.substr(words, 4, 1))


def test_regex_replace_reads_re2_group_references():
    out = run(tf.regex_replace(tf.constant(["ab12"]), r"([a-z]+)(\d+)", r"\2\\\1"))
    assert out.tolist() == [b"12\\ab"]


def test_string_to_number_rejects_what_c_parsing_rejects():
    assert run(tf.strings.to_number([" 4 ", "+3"], out_type=tf.int32)).tolist() == [4, 3]
    for bad, out_type in [("1.5", tf.int32), ("3000000000", tf.int32), ("", tf.float32),
                          ("1_0", tf.float32)]:
        with pytest.raises(tf.errors.InvalidArgumentError):
            run(tf.strings.to_number([bad], out_type=out_type))


def test_base64_uses_the_web_safe_alphabet():
    assert run(tf.encode_base64(["hello?>"])).tolist() == [b"aGVsbG8_Pg"]
    assert run(tf.decode_base64(["aGVsbG8_Pg", "YQ=="])).tolist() == [b"hello?>", b"a"]
    with pytest.raises(tf.errors.InvalidArgumentError):
        run(tf.decode_base64(["a+b/"]))


def test_decode_raw_appends_a_dimension_and_checks_sizes():
    decoded = tf.decode_raw(tf.constant([b"\x01\x00\x02\x00"]), tf.int16, little_endian=False)
    assert decoded.shape.as_list() == [1, None]
    assert run(decoded).tolist() == [[256, 512]]
    with pytest.raises(tf.errors.InvalidArgumentError):
        run(tf.decode_raw(["abc", "de"], tf.uint8))


def test_string_format_keeps_utf8_bytes_unescaped():
    text = run(tf.strings.format("s={} n={}", [tf.constant(["h\u00e9"]), tf.constant(2.0)]))
    assert text == 's=["h\u00e9"] n=2'.encode()


def test_string_feeds_take_str_and_bytes_and_refuse_numbers():
    text = tf.placeholder(tf.string, [None])
    upper = tf.strings.upper(text)
    assert run(upper, {text: ["ab", b"c"]}).tolist() == [b"AB", b"C"]
    with pytest.raises(tf.errors.InternalError):
        run(upper, {text: [1, 2]})


def test_string_ops_reject_other_dtypes_when_built():
    with pytest.raises(TypeError, match="StringLength"):
        tf.strings.length(tf.constant(1.0))
    with pytest.raises(ValueError):
        tf.string_join([tf.constant(["a", "b", "c"]), tf.constant(["a", "b"])])


def test_string_records_are_not_differentiable_and_have_no_scalar_expression():
    for name in ["AsString", "StringJoin", "Substr", "StringSplit", "StringToNumber",
                 "ReduceJoin", "DecodeRaw"]:
        record = getattr(string_ops, name)
        assert record.scalar is None
    x = tf.constant([1.5])
    assert tf.gradients(tf.string_to_number(tf.as_string(x)) * x, x)[0] is not None
