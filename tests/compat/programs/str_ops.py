"""String tensors: constants, placeholders fed with str and bytes, tf.strings / TF1 string
functions (as_string, join, length, substr, split into a SparseTensor, regex, strip, case,
to_number, hash buckets, reduce_join, format, decode_raw, base64), and their errors."""
import numpy as np

from _compat import TENSORFLOW, report, report_error

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf

words = tf.constant(["hello", "h\u00e9llo", "", "TensorFlow"], name="words")
scalar = tf.constant("abc")
report("constants", [words, scalar, words.dtype, scalar.shape])

floats = tf.constant([1.5, -2.25, 1e10, 3.0])
ints = tf.constant([3, -4, 120])
formatted = {
    "default": tf.as_string(floats),
    "precision": tf.as_string(floats, precision=2),
    "scientific": tf.as_string(floats, scientific=True),
    "shortest": tf.as_string(floats, shortest=True),
    "width_zero": tf.as_string(floats, width=12, fill="0", precision=1),
    "int_width": tf.as_string(ints, width=5),
    "int_left": tf.as_string(ints, width=5, fill="-"),
    "int64": tf.as_string(tf.constant([7, -8], tf.int64)),
    "bool": tf.as_string(tf.constant([True, False]), width=7),
    "float64": tf.as_string(tf.constant([0.1, np.nan, -np.inf], tf.float64)),
    "complex": tf.as_string(tf.constant([1 + 2j], tf.complex64)),
}
report("as_string_static", {k: [v.shape, v.dtype] for k, v in formatted.items()})

lengths = {"bytes": tf.strings.length(words),
           "chars": tf.strings.length(words, unit="UTF8_CHAR")}
pieces = {
    "substr": tf.substr(words[:2], 1, 3),
    "substr_negative_pos": tf.strings.substr(words[:2], -3, 2),
    "substr_to_end": tf.substr(scalar, 1, -1),
    "substr_vectors": tf.substr(words, [0, 1, 0, 2], [1, 2, 0, 4]),
    "substr_chars": tf.strings.substr(words[:2], 1, 2, unit="UTF8_CHAR"),
    "substr_at_end": tf.substr(scalar, 3, 2),
    "join": tf.string_join([words, "-", words], separator="+"),
    "join_scalars": tf.strings.join(["x", scalar]),
    "regex": tf.regex_replace(words, "l+", "L"),
    "regex_groups": tf.strings.regex_replace(tf.constant(["ab12cd", "x9"]),
                                             r"([a-z]+)(\d+)", r"\2_\1"),
    "regex_first": tf.strings.regex_replace(tf.constant(["aaa"]), "a", "b",
                                            replace_global=False),
    "full_match": tf.strings.regex_full_match(words, "[a-z]+"),
    "strip": tf.strings.strip(tf.constant(["  a b \n", "\tc"])),
    "strip_v1": tf.string_strip(tf.constant(" x ")),
    "lower": tf.strings.lower(words),
    "upper_utf8": tf.strings.upper(words, encoding="utf-8"),
    "equal": tf.equal(words, "hello"),
    "not_equal": tf.not_equal(words, tf.constant("")),
    "concat_plus": scalar + "!",
}
report("piece_static", {k: [v.shape, v.dtype] for k, v in pieces.items()})
report("piece_names", [pieces["substr"].name, pieces["join"].name, pieces["regex"].name,
                       lengths["bytes"].name, formatted["default"].name])

numbers = {
    "float": tf.string_to_number(tf.constant(["1.5", "-2", " 3e2", "inf", "0x10"])),
    "int32": tf.strings.to_number(tf.constant(["12", "-7", "+3", " 4 "]), out_type=tf.int32),
    "int64": tf.strings.to_number(tf.constant([["9000000000"]]), out_type=tf.int64),
    "float64": tf.strings.to_number(tf.constant("0.1"), out_type=tf.float64),
    "round_trip": tf.string_to_number(tf.as_string(floats)),
}
report("number_static", {k: [v.shape, v.dtype] for k, v in numbers.items()})

table = tf.constant([["a", "b", "c"], ["d", "e", "f"]])
joined = {
    "rows": tf.reduce_join(table, axis=1, separator=","),
    "columns": tf.strings.reduce_join(table, axis=0),
    "all": tf.strings.reduce_join(table),
    "keepdims": tf.strings.reduce_join(table, axis=-1, keepdims=True),
    "axes_order": tf.strings.reduce_join(table, axis=[0, 1], separator="|"),
    "axes_reversed": tf.strings.reduce_join(table, axis=[1, 0], separator="|"),
}
report("reduce_join_static", {k: v.shape for k, v in joined.items()})

formats = {
    "numbers": tf.strings.format("x={} y={}", [tf.constant(3), tf.constant([1.5, 2.0])]),
    "string": tf.strings.format("s={}", tf.constant("hi")),
    "strings": tf.strings.format("s={}", words[:2]),
    "summarize": tf.strings.format("{}", tf.range(10), summarize=2),
    "placeholder": tf.strings.format("a%b", tf.constant(1), placeholder="%"),
    "matrix": tf.strings.format("{}", tf.reshape(tf.range(6), [2, 3])),
}

raw = {
    "int16": tf.decode_raw(tf.constant([b"\x01\x00\x02\x00", b"\xff\xff\x00\x01"]), tf.int16),
    "uint8": tf.io.decode_raw(tf.constant("abc"), tf.uint8),
    "big_endian": tf.decode_raw(tf.constant([b"\x01\x00\x02\x00"]), tf.int16,
                                little_endian=False),
    "float32": tf.decode_raw(tf.constant(np.array([1.5, -2.0], np.float32).tobytes()),
                             tf.float32),
}
report("decode_raw_static", {k: [v.shape, v.dtype] for k, v in raw.items()})

base64 = {
    "encode": tf.encode_base64(tf.constant(["hello?>", "a", ""])),
    "encode_pad": tf.io.encode_base64(tf.constant(["hello?>", "a"]), pad=True),
    "decode": tf.decode_base64(tf.constant(["aGVsbG8_Pg", "YQ==", "YQ"])),
    "round_trip": tf.decode_base64(tf.encode_base64(words)),
}
hashes = {
    "fast": tf.string_to_hash_bucket_fast(words, 1000),
    "fast_v2": tf.strings.to_hash_bucket_fast(tf.constant([["x" * 70, "y" * 20], ["z", ""]]),
                                              7),
}
report("hash_static", {k: [v.shape, v.dtype] for k, v in hashes.items()})

split = tf.string_split(["a b  c", "", "d"])
split_delimiter = tf.string_split(["a,b,,c", "x"], delimiter=",", skip_empty=False)
split_chars = tf.string_split(["abc", "de"], delimiter="")
split_v2 = tf.strings.split(["a b  c", " d "])
split_sep = tf.strings.split(["a<>b<><>c", "x"], sep="<>")
split_max = tf.strings.split(["a b c d"], sep=" ", maxsplit=2)
split_2d = tf.strings.split([["a b", "c"], ["d e f", ""]])
report("split_static", [[s.indices.shape, s.values.shape, s.dense_shape.shape, s.shape,
                         s.dtype] for s in [split, split_v2, split_2d]])
report("split_names", [split.indices.name, split.values.name, split.dense_shape.name])
dense_tokens = tf.sparse_tensor_to_dense(split, default_value="")

text = tf.placeholder(tf.string, [None], name="text")
upper_fed = tf.strings.upper(text)
tokens = tf.string_split(text, delimiter=",")
token_numbers = tf.string_to_number(tokens.values)
row_sums = tf.reduce_sum(tf.reshape(token_numbers, [-1, 2]), axis=1)
scalar_text = tf.placeholder(tf.string, [], name="scalar_text")
report("placeholder_static", [text, upper_fed, scalar_text, token_numbers])

x = tf.constant([1.25, 2.5])
through_text = tf.string_to_number(tf.as_string(x)) * x
report("gradient_through_strings", [g is None for g in tf.gradients(through_text, x)])

with tf.Session() as sess:
    report("constant_values", sess.run([words, scalar]))
    report("as_string", sess.run(formatted))
    report("lengths", sess.run(lengths))
    report("pieces", sess.run(pieces))
    report("numbers", sess.run(numbers))
    report("reduce_join", sess.run(joined))
    report("formats", sess.run(formats))
    report("decode_raw", sess.run(raw))
    report("base64", sess.run(base64))
    report("hashes", sess.run(hashes))
    report("splits", sess.run([split, split_delimiter, split_chars, split_v2, split_sep,
                               split_max, split_2d]))
    report("dense_tokens", sess.run(dense_tokens))
    report("fed_str", sess.run(upper_fed, {text: ["abc", "d\u00e9f"]}))
    report("fed_bytes", sess.run(upper_fed, {text: [b"xy", b"z"]}))
    report("fed_numpy", sess.run(upper_fed, {text: np.array(["q", "rs"])}))
    report("fed_scalar", sess.run(tf.strings.length(scalar_text), {scalar_text: "four"}))
    report("token_sums", sess.run([row_sums, tokens], {text: ["1,2", "3.5,-1"]}))
    report("fetched_types", [type(v).__name__ for v in
                             sess.run([scalar, words[0]]) + list(sess.run(words))])

    report_error("substr_out_of_range", lambda: sess.run(tf.substr(words, 1, 3)))
    report_error("substr_negative_out_of_range", lambda: sess.run(tf.substr(scalar, -4, 1)))
    report_error("to_number_bad", lambda: sess.run(tf.string_to_number(["1.5", "abc"])))
    report_error("to_number_int_of_float",
                 lambda: sess.run(tf.strings.to_number(["1.5"], out_type=tf.int32)))
    report_error("to_number_overflow",
                 lambda: sess.run(tf.strings.to_number(["3000000000"], out_type=tf.int32)))
    report_error("to_number_empty", lambda: sess.run(tf.string_to_number([""])))
    report_error("to_number_fed", lambda: sess.run(token_numbers, {text: ["1,x"]}))
    report_error("as_string_int_precision",
                 lambda: sess.run(tf.as_string(ints, precision=2)))
    report_error("as_string_bad_fill", lambda: sess.run(tf.as_string(ints, fill="x", width=3)))
    report_error("as_string_scientific_shortest",
                 lambda: sess.run(tf.as_string(floats, scientific=True, shortest=True)))
    report_error("regex_bad_pattern",
                 lambda: sess.run(tf.strings.regex_replace(words, "(", "b")))
    report_error("decode_raw_sizes", lambda: sess.run(tf.decode_raw(["abc", "de"], tf.uint8)))
    report_error("decode_raw_multiple", lambda: sess.run(tf.decode_raw(["abc"], tf.int16)))
    report_error("base64_bad_char", lambda: sess.run(tf.decode_base64(["a+b/"])))
    report_error("base64_bad_length", lambda: sess.run(tf.decode_base64(["a"])))
    report_error("feed_number_to_string", lambda: sess.run(upper_fed, {text: [1, 2]}))

report_error("length_of_float", lambda: tf.strings.length(tf.constant(1.0)))
report_error("join_mismatched", lambda: tf.string_join([words, tf.constant(["a", "b"])]))
report_error("split_scalar", lambda: tf.string_split("a b"))
report_error("add_string_float", lambda: scalar + 1.0)
report_error("string_to_float_constant", lambda: tf.constant("1.5", dtype=tf.float32))
report_error("cast_string", lambda: tf.cast(scalar, tf.float32))
report_error("format_count", lambda: tf.strings.format("{} {}", [tf.constant(1)]))
