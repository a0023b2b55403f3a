"""Reductions, arg-extrema, scans, norms, moments, top_k and segment sums: axis/keepdims/negative
axes, integer and boolean inputs, partially known shapes, and gradients."""
from _compat import TENSORFLOW, report, report_error

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np

rng = np.random.RandomState(2)
x_np = rng.randn(2, 3, 4).astype(np.float32)
x = tf.constant(x_np, name="x")
p = tf.placeholder(tf.float32, [None, 3, 4], name="p")
ints = tf.constant([[3, 1, 4], [1, 5, 9]], tf.int32)
flags = tf.constant([[True, False, True], [True, True, True]])

reductions = {
    "sum_all": tf.reduce_sum(x), "sum_0": tf.reduce_sum(x, 0), "sum_neg": tf.reduce_sum(x, -1),
    "sum_keep": tf.reduce_sum(x, [0, 2], keepdims=True), "sum_tuple": tf.reduce_sum(x, (1, -1)),
    "sum_keep_dims": tf.reduce_sum(x, 1, keep_dims=True),
    "sum_indices": tf.reduce_sum(x, reduction_indices=[1]),
    "sum_empty_axis": tf.reduce_sum(x, []), "sum_tensor_axis": tf.reduce_sum(x, tf.constant(1)),
    "mean": tf.reduce_mean(x, axis=1), "mean_all": tf.reduce_mean(x),
    "max": tf.reduce_max(x, -2), "min": tf.reduce_min(x, [0, 1]), "prod": tf.reduce_prod(x, 2),
    "logsumexp": tf.reduce_logsumexp(x, 1), "logsumexp_keep": tf.reduce_logsumexp(x, -1, True),
    "int_sum": tf.reduce_sum(ints, 1), "int_mean": tf.reduce_mean(ints, 0),
    "int_max": tf.reduce_max(ints), "int_prod": tf.reduce_prod(ints, 0),
    "any": tf.reduce_any(flags, 1), "all": tf.reduce_all(flags, 0), "all_all": tf.reduce_all(flags),
    "argmax": tf.argmax(x, 1), "argmax_neg": tf.argmax(x, -1), "argmax_int32":
        tf.argmax(x, axis=2, output_type=tf.int32), "argmin": tf.argmin(x, 0),
    "argmax_default": tf.argmax(ints), "argmax_dimension": tf.argmax(ints, dimension=1),
    "arg_max": tf.arg_max(ints, 1), "math_argmax": tf.math.argmax(x, 2),
    "cumsum": tf.cumsum(x, 1), "cumsum_excl": tf.cumsum(x, 2, exclusive=True),
    "cumsum_rev": tf.cumsum(x, -1, reverse=True),
    "cumsum_both": tf.cumsum(x, 0, exclusive=True, reverse=True),
    "cumprod": tf.cumprod(x, 1), "cumprod_excl": tf.cumprod(x, 1, exclusive=True),
    "int_cumsum": tf.cumsum(ints, axis=1),
    "count_nonzero": tf.count_nonzero(ints - 1), "count_nonzero_axis":
        tf.count_nonzero(tf.constant([[0.0, 1.0], [2.0, 0.0]]), axis=1),
    "count_keep": tf.count_nonzero(flags, 1, keepdims=True),
    "count_dtype": tf.count_nonzero(ints, dtype=tf.int32),
    "norm": tf.norm(x), "norm_axis": tf.norm(x, axis=2), "norm_1": tf.norm(x, ord=1, axis=-1),
    "norm_inf": tf.norm(x, ord=np.inf, axis=1), "norm_keep": tf.norm(x, axis=-1, keepdims=True),
    "norm_fro": tf.norm(x[0], ord="fro", axis=[0, 1]),
    "l2_normalize": tf.nn.l2_normalize(x, axis=-1), "l2_normalize_dim": tf.nn.l2_normalize(x, 0),
    "math_l2": tf.math.l2_normalize(x, axis=[1, 2]),
    "reduce_std": tf.math.reduce_std(x, axis=1), "reduce_var": tf.math.reduce_variance(x, -1),
    "p_sum": tf.reduce_sum(p, 0), "p_mean": tf.reduce_mean(p, [1, 2]),
    "p_argmax": tf.argmax(p, 2),
    "accuracy": tf.reduce_mean(tf.cast(tf.equal(tf.argmax(x, 2), tf.argmax(p, 2)), tf.float32)),
}
mean, variance = tf.nn.moments(x, axes=[0, 1])
mean_k, variance_k = tf.nn.moments(x, axes=[2], keep_dims=True)
values, indices = tf.nn.top_k(x, k=2)
values_unsorted, _ = tf.nn.top_k(tf.constant([3.0, 1.0, 4.0, 1.0, 5.0]), 3, sorted=True)
top1, top1_i = tf.nn.top_k(ints)
segment_ids = tf.constant([0, 0, 1])
rows = tf.constant(rng.randn(3, 2).astype(np.float32))
reductions.update({
    "moments_mean": mean, "moments_var": variance, "moments_mean_k": mean_k,
    "moments_var_k": variance_k, "top_values": values, "top_indices": indices,
    "top_ties": values_unsorted, "top1": top1, "top1_i": top1_i,
    "segment_sum": tf.segment_sum(rows, segment_ids),
    "math_segment_sum": tf.math.segment_sum(rows, segment_ids),
    "segment_mean": tf.segment_mean(rows, segment_ids),
    "segment_max": tf.segment_max(rows, segment_ids),
    "unsorted_segment_sum": tf.unsorted_segment_sum(rows, tf.constant([2, 0, 2]), 4),
    "unsorted_math": tf.math.unsorted_segment_sum(ints, tf.constant([1, 1]), 2),
    "unsorted_max": tf.unsorted_segment_max(rows, tf.constant([1, 0, 1]), 2),
    "unsorted_mean": tf.math.unsorted_segment_mean(rows, tf.constant([1, 0, 1]), 3),
    "in_top_k": tf.nn.in_top_k(x[0], tf.constant([0, 1, 3]), 2),
})
report("dtypes", {k: v.dtype.name for k, v in reductions.items()})
report("shapes", {k: str(v.shape) for k, v in reductions.items()})
report("names", [reductions[k].name for k in ("sum_all", "mean", "argmax", "cumsum", "norm",
                                               "logsumexp", "moments_mean", "top_values")])

grad_keys = ["sum_all", "sum_neg", "sum_keep", "mean", "mean_all", "max", "min", "prod",
             "logsumexp", "cumsum", "cumsum_excl", "cumsum_rev", "cumsum_both", "cumprod",
             "cumprod_excl", "norm", "norm_axis", "norm_1", "norm_inf", "l2_normalize", "math_l2",
             "moments_mean", "moments_var", "moments_var_k", "top_values", "reduce_std",
             "reduce_var", "norm_keep"]
grads = {k: tf.gradients(reductions[k], x)[0] for k in grad_keys}
grads["segment_sum"] = tf.gradients(reductions["segment_sum"], rows)[0]
grads["unsorted_segment_sum"] = tf.gradients(reductions["unsorted_segment_sum"], rows)[0]
grads["segment_mean"] = tf.gradients(reductions["segment_mean"], rows)[0]
grads["unsorted_max"] = tf.gradients(reductions["unsorted_max"], rows)[0]
grads["p_sum"] = tf.gradients(reductions["p_mean"], p)[0]
seed = tf.constant(rng.randn(2, 4).astype(np.float32))
grads["grad_ys_max"] = tf.gradients(reductions["max"], x, grad_ys=seed)[0]
ties = tf.constant([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
grads["max_ties"] = tf.gradients(tf.reduce_max(ties, 1), ties)[0]
grads["prod_zero"] = tf.gradients(tf.reduce_prod(tf.constant([[0.0, 2.0, 3.0],
                                                              [0.0, 0.0, 1.0]]), 1), ties)[0] \
    if False else tf.gradients(tf.reduce_prod(ties * tf.constant([[0.0, 1, 1], [0, 0, 1]]), 1),
                               ties)[0]
feed = {p: rng.randn(2, 3, 4).astype(np.float32)}
with tf.Session() as sess:
    report("values", sess.run(reductions, feed), rtol=1e-5, atol=1e-5)
    report("grads", sess.run(grads, feed), rtol=1e-4, atol=1e-5)

report_error("axis_out_of_range", lambda: tf.reduce_sum(x, 3))
report_error("argmax_out_of_range", lambda: tf.argmax(x, -4))
report_error("reduce_bool_sum", lambda: tf.reduce_any(x))
report_error("top_k_too_big", lambda: tf.nn.top_k(x, 5))
report_error("cumsum_axis", lambda: tf.cumsum(x, 3))
report_error("argmax_float_output", lambda: tf.argmax(x, 0, output_type=tf.float32))
