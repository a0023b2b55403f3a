"""Elementwise math and operator overloads: broadcasting with Python scalars and numpy operands,
integer and boolean dtypes, dtype promotion errors, unary functions and their gradients."""
from _compat import TENSORFLOW, report, report_error

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np

rng = np.random.RandomState(1)
a_np = rng.randn(3, 4).astype(np.float32)
b_np = rng.randn(4).astype(np.float32)
a = tf.constant(a_np, name="a")
b = tf.constant(b_np, name="b")
p = tf.placeholder(tf.float32, [None, 4], name="p")
ints = tf.constant([[7, -7, 5], [-3, 9, 0]], dtype=tf.int32)
divs = tf.constant([[2, 2, -3], [2, -4, 1]], dtype=tf.int32)
bools = tf.constant([True, False, True, False])
other = tf.constant([True, True, False, False])

arith = {
    "add": a + b, "radd": 2.0 + a, "sub": a - b_np, "rsub": 1.5 - a, "mul": a * 3,
    "rmul": np.float32(0.5) * a, "div": a / (tf.abs(b) + 1.0), "rdiv": 1.0 / (tf.abs(a) + 1.0),
    "neg": -a, "pow": tf.abs(a) ** 1.5, "rpow": 2.0 ** a, "square_op": a ** 2,
    "floordiv": a // 0.7, "mod": a % 0.7, "pos_mod": tf.abs(a) % 0.3,
    "p_plus": p + a[0], "p_scaled": p * b + 1,
}
int_ops = {
    "int_add": ints + 1, "int_mul": ints * divs, "int_floordiv": ints // divs,
    "int_mod": ints % divs, "int_truediv": ints / divs, "int_neg": -ints,
    "int_pow": ints ** 2, "int_abs": tf.abs(ints), "int_sign": tf.sign(ints),
    "int_max": tf.maximum(ints, divs), "int_min": tf.minimum(ints, 1),
    "floordiv_fn": tf.floordiv(ints, divs), "floormod_fn": tf.floormod(ints, divs),
    "truncatediv": tf.truncatediv(ints, divs), "truncatemod": tf.truncatemod(ints, divs),
    "int64_add": tf.constant([1, 2], tf.int64) * 3,
    "squared_difference": tf.squared_difference(ints, divs),
}
comparisons = {
    "lt": a < b, "le": a <= 0.0, "gt": a > b_np, "ge": a >= 0.5,
    "equal": tf.equal(ints, divs), "not_equal": tf.not_equal(ints, 2),
    "and": bools & other, "or": bools | other, "xor": bools ^ other, "invert": ~bools,
    "logical_and": tf.logical_and(bools, other), "logical_or": tf.logical_or(bools, other),
    "logical_not": tf.logical_not(bools), "logical_xor": tf.logical_xor(bools, other),
    "and_scalar": bools & True,
}
pos = tf.abs(a) + 0.1
unary = {
    "abs": tf.abs(a), "sign": tf.sign(a), "sqrt": tf.sqrt(pos), "rsqrt": tf.rsqrt(pos),
    "exp": tf.exp(a), "expm1": tf.expm1(a), "log": tf.log(pos), "log1p": tf.log1p(pos),
    "square": tf.square(a), "pow_fn": tf.pow(pos, b), "floor": tf.floor(a * 2),
    "ceil": tf.ceil(a * 2), "round": tf.round(tf.constant([0.5, 1.5, 2.5, -0.5, -1.5, 0.4])),
    "rint": tf.rint(tf.constant([0.5, 1.5, 2.5, -0.5])),
    "reciprocal": tf.reciprocal(pos), "sin": tf.sin(a), "cos": tf.cos(a), "tan": tf.tan(a),
    "tanh": tf.tanh(a), "sigmoid": tf.sigmoid(a), "atan": tf.atan(a), "erf": tf.erf(a),
    "asin": tf.asin(tf.tanh(a)), "acos": tf.acos(tf.tanh(a)), "atan2": tf.atan2(a, b),
    "maximum": tf.maximum(a, b), "minimum": tf.minimum(a, 0.0),
    "clip": tf.clip_by_value(a, -0.5, 0.5), "clip_tensor": tf.clip_by_value(a, -tf.abs(b), 1.0),
    "clip_norm": tf.clip_by_norm(a, 1.0), "clip_norm_axes": tf.clip_by_norm(a, 1.0, axes=[1]),
    "divide": tf.divide(a, 2), "truediv": tf.truediv(a, b), "realdiv": tf.realdiv(a, b),
    "multiply": tf.multiply(a, b), "subtract": tf.subtract(a, b), "add_fn": tf.add(a, 1.0),
    "negative": tf.negative(a), "div_no_nan": tf.div_no_nan(a, tf.constant([0.0, 1.0, 2.0, 0.0])),
    "add_n": tf.add_n([a, a * 2, tf.ones_like(a)]), "lgamma": tf.lgamma(pos),
    "digamma": tf.digamma(pos), "softplus": tf.nn.softplus(a), "softsign": tf.nn.softsign(a),
    "is_nan": tf.is_nan(tf.constant([0.0, np.nan, np.inf])),
    "is_inf": tf.is_inf(tf.constant([0.0, np.nan, -np.inf])),
    "is_finite": tf.is_finite(tf.constant([0.0, np.nan, np.inf])),
    "math_ns": tf.math.log_sigmoid(a), "math_reduce": tf.math.reduce_std(a, axis=0),
    "cast_int": tf.cast(a * 3, tf.int32), "cast_bool": tf.cast(tf.constant([0.0, 2.0]), tf.bool),
    "cast_back": tf.cast(ints, tf.float64), "to_float": tf.to_float(ints),
    "to_int64": tf.to_int64(ints), "saturate": tf.saturate_cast(tf.constant([300.0, -5.0]), tf.uint8),
}
everything = {}
for group in (arith, int_ops, comparisons, unary):
    everything.update(group)
report("dtypes", {k: v.dtype.name for k, v in everything.items()})
report("shapes", {k: str(v.shape) for k, v in everything.items()})
report("op_types", {k: v.op.type for k, v in sorted(arith.items())[:6]})
report("names", [arith["add"].name, arith["neg"].name, unary["clip"].name, int_ops["int_mod"].name])

grad_targets = ["add", "sub", "mul", "div", "rdiv", "pow", "rpow", "neg", "floordiv", "mod",
                "sqrt", "rsqrt", "exp", "log", "log1p", "square", "pow_fn", "floor", "round",
                "reciprocal", "sin", "cos", "tanh", "sigmoid", "atan", "erf", "atan2",
                "maximum", "minimum", "clip", "clip_norm", "clip_norm_axes", "abs", "sign",
                "softplus", "lgamma", "div_no_nan", "add_n", "asin", "expm1"]
grads = {}
for k in grad_targets:
    g = tf.gradients(everything[k], [a, b])
    grads[k] = [x for x in g if x is not None]
seed = tf.constant(rng.randn(3, 4).astype(np.float32))
grad_ys = tf.gradients(everything["mul"] * a, a, grad_ys=seed)
feed = {p: rng.randn(2, 4).astype(np.float32)}
with tf.Session() as sess:
    report("values", sess.run(everything, feed), rtol=1e-5, atol=1e-5)
    report("grads", sess.run(grads, feed), rtol=1e-4, atol=1e-5)
    report("grad_ys", sess.run(grad_ys))
    report("int_div_zero", sess.run(tf.floordiv(tf.constant([0, 4]), tf.constant([1, 2]))))

report_error("add_int_float", lambda: ints + a)
report_error("add_int32_int64", lambda: ints + tf.constant(1, tf.int64))
report_error("add_float64_float32", lambda: a + tf.constant(1.0, tf.float64))
report_error("float_to_int_const", lambda: ints + 1.5)
report_error("bool_add", lambda: bools + other)
report_error("mismatch_shapes", lambda: a + tf.ones([2, 4]))
report_error("and_float", lambda: a & a)
report_error("matmul_int_float", lambda: tf.matmul(ints, a))
report_error("string_math", lambda: tf.constant("x") * 2)
