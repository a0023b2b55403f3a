"""Array manipulation: indexing and slicing overloads, concat/stack/split, gather, pad, tile,
reshape, transpose, where, one_hot, boolean_mask, sequence_mask, unique, matmul family, with
static shapes (None dims included), integer dtypes and gradients."""
from _compat import TENSORFLOW, report, report_error

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np

rng = np.random.RandomState(3)
x_np = rng.randn(3, 4, 5).astype(np.float32)
x = tf.constant(x_np, name="x")
m = tf.constant(rng.randn(4, 5).astype(np.float32), name="m")
p = tf.placeholder(tf.float32, [None, 4, 5], name="p")
q = tf.placeholder(tf.float32, None, name="q")
idx = tf.placeholder(tf.int32, [None], name="idx")
ints = tf.constant(np.arange(12).reshape(3, 4), tf.int64)

out = {
    "slice_basic": x[1:, ::2], "ellipsis": x[..., 0], "newaxis": x[None], "neg_stride": x[::-1],
    "neg_index": x[-1, :, -2], "step_neg": m[:, ::-2], "mixed": x[0, 1:3, tf.newaxis, 2],
    "tensor_index": x[tf.constant(1)], "scalar_elem": m[2, 3], "shrink_slice": x[:, 1, 1:4],
    "p_slice": p[:, 1:], "p_last": p[..., -1], "p_row": p[0], "q_slice": q[1:],
    "slice": tf.slice(x, [1, 0, 2], [2, -1, 2]), "strided": tf.strided_slice(x, [0, 1], [3, 4], [2, 1]),
    "strided_masks": tf.strided_slice(x, [0, 0, 1], [0, 0, 3], [1, 1, 1], begin_mask=3,
                                      end_mask=3, shrink_axis_mask=0),
    "concat": tf.concat([x, x * 2], 1), "concat_neg": tf.concat([m, m], -1),
    "concat_p": tf.concat([p, p], 0), "concat_one": tf.concat([m], 0),
    "stack": tf.stack([m, m + 1]), "stack_axis": tf.stack([m, m], axis=-1),
    "stack_ints": tf.stack([1, 2, 3]), "stack_p": tf.stack([p, p], 1),
    "tile": tf.tile(m, [2, 1]), "tile_p": tf.tile(p, [1, 2, 1]),
    "pad": tf.pad(m, [[1, 0], [0, 2]]), "pad_reflect": tf.pad(m, [[1, 1], [2, 2]], "REFLECT"),
    "pad_symmetric": tf.pad(m, [[1, 1], [2, 2]], mode="SYMMETRIC"),
    "pad_const": tf.pad(m, [[0, 1], [1, 0]], constant_values=3.0),
    "reshape": tf.reshape(x, [-1, 10]), "reshape_p": tf.reshape(p, [-1, 20]),
    "reshape_flat": tf.reshape(p, [-1]), "reshape_q": tf.reshape(q, [2, -1]),
    "transpose": tf.transpose(x), "transpose_perm": tf.transpose(x, [1, 0, 2]),
    "transpose_p": tf.transpose(p, perm=[2, 0, 1]), "matrix_transpose": tf.matrix_transpose(x),
    "linalg_transpose": tf.linalg.transpose(x),
    "squeeze": tf.squeeze(tf.ones([1, 3, 1, 2])), "squeeze_axis": tf.squeeze(tf.ones([1, 3, 1]), [2]),
    "squeeze_dims": tf.squeeze(tf.ones([1, 3, 1]), squeeze_dims=[0]),
    "expand": tf.expand_dims(m, 0), "expand_neg": tf.expand_dims(m, -1),
    "expand_dim": tf.expand_dims(m, dim=1), "expand_p": tf.expand_dims(p, 1),
    "gather": tf.gather(m, [2, 0, 2]), "gather_axis": tf.gather(x, [4, 1], axis=2),
    "gather_2d": tf.gather(m, [[0, 1], [3, 3]]), "gather_p": tf.gather(p, idx, axis=1),
    "gather_nd": tf.gather_nd(x, [[0, 1], [2, 3]]), "gather_nd_full": tf.gather_nd(m, [[0, 1], [3, 4]]),
    "gather_nd_batch": tf.gather_nd(x, [[[0, 0, 0]], [[1, 2, 3]]]),
    "batch_gather": tf.batch_gather(m, [[0], [1], [2], [3]]),
    "where_1": tf.where(m > 0), "where_3": tf.where(m > 0, m, -m),
    "where_row": tf.where(tf.constant([True, False, True]), x, tf.zeros_like(x)),
    "where_v2": tf.where_v2(m > 0, m, 0.0),
    "one_hot": tf.one_hot([0, 2, -1], 3), "one_hot_axis": tf.one_hot([[1, 0]], 3, axis=1),
    "one_hot_vals": tf.one_hot(tf.constant([1, 2]), 4, on_value=5, off_value=-1),
    "one_hot_dtype": tf.one_hot([1], 2, dtype=tf.int32),
    "boolean_mask": tf.boolean_mask(m, tf.constant([True, False, True, False])),
    "boolean_mask_2d": tf.boolean_mask(m, m > 0.5),
    "boolean_mask_axis": tf.boolean_mask(x, tf.constant([True, False, True, True, False]), axis=2),
    "sequence_mask": tf.sequence_mask([1, 3, 0]), "sequence_mask_len": tf.sequence_mask([2, 1], 4),
    "sequence_mask_dtype": tf.sequence_mask(tf.constant([[1, 2]]), 3, dtype=tf.float32),
    "reverse": tf.reverse(x, [1]), "reverse_neg": tf.reverse(m, axis=[-1, 0]),
    "reverse_v2": tf.reverse_v2(m, [0]),
    "range": tf.range(5), "range_args": tf.range(1, 10, 3), "range_float": tf.range(0.0, 1.0, 0.25),
    "range_neg": tf.range(5, 0, -2), "range_limit": tf.range(start=2, limit=5),
    "range_dtype": tf.range(4, dtype=tf.float32),
    "linspace": tf.linspace(0.0, 1.0, 5), "lin_space": tf.lin_space(-1.0, 1.0, 3),
    "fill": tf.fill([2, 3], 7), "fill_float": tf.fill([2], 0.5),
    "zeros": tf.zeros([2, 2], tf.int32), "ones": tf.ones((3,)), "zeros_like": tf.zeros_like(ints),
    "ones_like": tf.ones_like(m), "ones_like_dtype": tf.ones_like(m, dtype=tf.int32),
    "zeros_like_p": tf.zeros_like(p),
    "shape": tf.shape(x), "shape_p": tf.shape(p), "shape_64": tf.shape(p, out_type=tf.int64),
    "size": tf.size(x), "size_p": tf.size(p), "rank": tf.rank(p), "rank_q": tf.rank(q),
    "shape_n": tf.shape_n([x, m])[1],
    "unique_y": tf.unique(tf.constant([4, 1, 4, 2, 1]))[0],
    "unique_idx": tf.unique(tf.constant([4, 1, 4, 2, 1]))[1],
    "unique_counts": tf.unique_with_counts(tf.constant([4, 1, 4, 2, 1]))[2],
    "matmul": tf.matmul(m, m, transpose_b=True), "matmul_ta": tf.matmul(m, m, transpose_a=True),
    "matmul_batch": tf.matmul(x, tf.transpose(x, [0, 2, 1])),
    "matmul_batch_tb": tf.matmul(x, x, transpose_b=True),
    "matmul_broadcast": tf.matmul(x, tf.ones([5, 2])), "matmul_p": tf.matmul(p, tf.ones([5, 2])),
    "matmul_op": m @ tf.transpose(m), "matmul_int": tf.matmul(ints, tf.transpose(ints)),
    "tensordot": tf.tensordot(x, m, axes=[[1, 2], [0, 1]]), "tensordot_int": tf.tensordot(x, tf.ones([5, 3]), 1),
    "tensordot_0": tf.tensordot(m[0], m[1], 0),
    "einsum_mm": tf.einsum("ij,kj->ik", m, m), "einsum_batch": tf.einsum("bij,bkj->bik", x, x),
    "einsum_trace": tf.einsum("ii->", m[:, :4]), "einsum_outer": tf.einsum("i,j->ij", m[0], m[1]),
    "einsum_sum": tf.einsum("bij->bj", x),
    "eye": tf.eye(3), "eye_rect": tf.eye(2, 3, dtype=tf.int32), "eye_batch": tf.eye(2, batch_shape=[2]),
    "diag": tf.diag([1.0, 2.0]), "diag_part": tf.diag_part(m[:, :4]),
    "matrix_diag": tf.matrix_diag(m[:2, :3]), "matrix_diag_part": tf.matrix_diag_part(x),
    "matrix_set_diag": tf.matrix_set_diag(m[:, :4], tf.zeros([4])),
    "band": tf.matrix_band_part(m, 1, 0), "trace": tf.trace(m[:, :4]),
    "split_sizes_0": tf.split(x, [1, 3], 1)[0], "split_sizes_1": tf.split(x, [1, -1], 1)[1],
    "split_num": tf.split(m, 2, axis=0)[1], "split_p": tf.split(p, 5, axis=2)[4],
    "unstack": tf.unstack(m)[3], "unstack_axis": tf.unstack(x, axis=-1)[2],
    "unstack_num": tf.unstack(p, num=4, axis=1)[0], "unstack_count": len(tf.unstack(x, axis=1)),
    "roll": tf.roll(m, shift=2, axis=1), "meshgrid": tf.meshgrid([1, 2, 3], [4, 5])[0],
    "sort": tf.sort(m, axis=-1), "argsort": tf.argsort(m, direction="DESCENDING"),
    "broadcast_to": tf.broadcast_to(m[0], [3, 5]),
    "cast_int_to_float": tf.cast(ints, tf.float32),
    "identity": tf.identity(m, name="same"), "stop_gradient": tf.stop_gradient(m),
    "reverse_sequence": tf.reverse_sequence(x, [1, 2, 4], seq_axis=1, batch_axis=0),
    "scatter_nd": tf.scatter_nd([[1], [3]], tf.constant([9, 10]), [5]),
    "tensor_scatter": tf.tensor_scatter_nd_update(m, [[0, 0], [1, 1]], [5.0, 6.0]),
    "space_to_depth": tf.space_to_depth(tf.reshape(tf.range(16.0), [1, 4, 4, 1]), 2),
    "depth_to_space": tf.depth_to_space(tf.reshape(tf.range(16.0), [1, 2, 2, 4]), 2),
    "invert_permutation": tf.invert_permutation([2, 0, 1]),
    "setdiff": tf.setdiff1d([1, 2, 3, 4], [2, 4])[0],
    "dynamic_partition": tf.dynamic_partition(m, [0, 1, 0, 1], 2)[0],
    "dynamic_stitch": tf.dynamic_stitch([[0, 2], [1]], [tf.constant([1.0, 3.0]), tf.constant([2.0])]),
    "repeat": tf.repeat(tf.constant([1, 2]), 2),
    "searchsorted": tf.searchsorted(tf.constant([[1.0, 3.0, 5.0]]), tf.constant([[2.0, 5.0]])),
    "clip_norm_int": tf.clip_by_value(ints, 2, 9),
}
non_tensor = {k: out.pop(k) for k in ["unstack_count"]}
report("counts", non_tensor)
report("dtypes", {k: v.dtype.name for k, v in out.items()})
report("shapes", {k: str(v.shape) for k, v in out.items()})
report("names", [out[k].name for k in ("slice_basic", "concat", "stack", "gather", "reshape",
                                        "transpose", "where_3", "one_hot", "pad", "tile",
                                        "identity", "matmul", "einsum_mm", "split_num")])
report("op_types", [out[k].op.type for k in ("slice_basic", "concat", "stack", "gather",
                                              "where_1", "where_3", "where_v2", "transpose",
                                              "matmul", "matmul_batch", "tensor_index")])

grad_keys = ["slice_basic", "ellipsis", "neg_stride", "mixed", "step_neg", "slice", "strided",
             "concat", "stack_axis", "tile", "pad", "pad_reflect", "pad_symmetric", "reshape",
             "transpose_perm", "matrix_transpose", "gather", "gather_axis", "gather_2d",
             "gather_nd", "where_3", "where_row", "boolean_mask", "boolean_mask_2d", "reverse",
             "matmul", "matmul_ta", "matmul_batch", "matmul_batch_tb", "matmul_broadcast",
             "tensordot", "einsum_mm", "einsum_batch", "einsum_sum", "split_sizes_0",
             "split_sizes_1", "unstack", "unstack_axis", "roll", "sort", "broadcast_to",
             "stop_gradient", "diag_part", "matrix_diag", "trace", "band", "expand",
             "squeeze", "tensor_scatter", "reverse_sequence", "dynamic_partition",
             "batch_gather", "gather_nd_batch"]
grads = {}
weights = {}
for k in grad_keys:
    w = tf.constant(rng.randn(*out[k].shape.as_list()).astype(np.float32)) \
        if out[k].shape.as_list() and None not in out[k].shape.as_list() else 1.0
    g = tf.gradients(tf.reduce_sum(out[k] * w), [x, m])
    # Gather's gradient is IndexedSlices under TensorFlow; the dense value is what is compared.
    grads[k] = [tf.convert_to_tensor(t) for t in g if t is not None]
grads["p_gather"] = [tf.convert_to_tensor(t) for t in tf.gradients(out["gather_p"], p)]
grads["p_concat"] = tf.gradients(tf.reduce_sum(out["concat_p"] ** 2), p)
grads["p_matmul"] = tf.gradients(out["matmul_p"], p, grad_ys=tf.ones_like(out["matmul_p"]) * 2)
grads["p_reshape"] = tf.gradients(tf.reduce_sum(out["reshape_p"] * tf.range(20.0)), p)
grads["p_tile"] = tf.gradients(out["tile_p"], p)
grads["p_slice"] = tf.gradients(out["p_slice"], p)
grads["unconnected"] = tf.gradients(tf.shape(x), x)[0] is None
grads["int_path"] = tf.gradients(tf.cast(tf.argmax(m, 1), tf.float32), m)[0] is None
feed = {p: rng.randn(2, 4, 5).astype(np.float32), q: np.arange(6, dtype=np.float32),
        idx: np.array([3, 0], np.int32)}
none_flags = {k: grads.pop(k) for k in ["unconnected", "int_path"]}
report("grads_none", none_flags)
with tf.Session() as sess:
    report("values", sess.run(out, feed), rtol=1e-5, atol=1e-5)
    report("grads", sess.run(grads, feed), rtol=1e-4, atol=1e-5)
    report_error("reshape_bad_feed", lambda: sess.run(out["reshape_q"], {q: np.ones(5)}))
    report_error("gather_out_of_range", lambda: sess.run(out["gather_p"], {p: feed[p], idx: [7]}))

report_error("reshape_bad", lambda: tf.reshape(m, [3, -1]))
report_error("concat_mismatch", lambda: tf.concat([m, x], 0))
report_error("concat_dtype", lambda: tf.concat([m, ints], 0))
report_error("stack_mismatch", lambda: tf.stack([m, x]))
report_error("split_uneven", lambda: tf.split(m, 3, axis=0))
report_error("squeeze_bad", lambda: tf.squeeze(m, [0]))
report_error("matmul_shape", lambda: tf.matmul(m, m))
report_error("matmul_rank1", lambda: tf.matmul(m[0], m))
report_error("gather_nd_bad", lambda: tf.gather_nd(m, [[0, 1, 2]]))
report_error("index_out_of_range", lambda: x[5])
report_error("index_too_many", lambda: m[0, 0, 0])
report_error("one_hot_float", lambda: tf.one_hot([0.5], 3))
report_error("tile_bad", lambda: tf.tile(m, [2]))
report_error("pad_bad", lambda: tf.pad(m, [[1, 1]]))
report_error("where_mismatch", lambda: tf.where(m > 0, m, x))
report_error("expand_bad", lambda: tf.expand_dims(m, 4))
report_error("unstack_unknown", lambda: tf.unstack(q))
report_error("einsum_bad", lambda: tf.einsum("ij,jk->ik", m, m))
report_error("boolean_mask_bad", lambda: tf.boolean_mask(m, tf.constant([True, False])))
