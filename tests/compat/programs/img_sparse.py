"""tf.SparseTensor and tf.sparse_placeholder: parts, names, static shapes, fetching a
SparseTensorValue (session.run and .eval), feeding one, and tf.sparse.to_dense /
sparse_tensor_to_dense, sparse_tensor_dense_matmul (with adjoints), sparse.reduce_sum and
sparse.add with a dense tensor: values and gradients."""
from _compat import TENSORFLOW, report, report_error

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np

rng = np.random.RandomState(5)
sp = tf.SparseTensor(indices=[[0, 0], [1, 2], [2, 1], [2, 3]], values=[1.0, 2.0, 3.0, -4.0],
                     dense_shape=[3, 4])
report("parts", [sp.indices, sp.values, sp.dense_shape])
report("static", [str(sp.shape), str(sp.get_shape()), sp.dtype.name,
                  isinstance(sp, tf.SparseTensor)])
values = tf.placeholder(tf.float32, [4], name="values")
dense = tf.placeholder(tf.float32, [4, 2], name="dense")
dense_t = tf.placeholder(tf.float32, [2, 3], name="dense_t")
grid = tf.placeholder(tf.float32, [3, 4], name="grid")
sp_fed = tf.SparseTensor([[0, 1], [1, 0], [1, 3], [2, 2]], values, [3, 4])
feed = {values: np.array([0.5, -1.5, 2.0, 3.0], np.float32),
        dense: rng.randn(4, 2).astype(np.float32),
        dense_t: rng.randn(2, 3).astype(np.float32),
        grid: rng.randn(3, 4).astype(np.float32)}

outputs = {
    "to_dense": tf.sparse.to_dense(sp),
    "to_dense_default": tf.sparse_tensor_to_dense(sp, default_value=-1.0),
    "to_dense_fed": tf.sparse.to_dense(sp_fed),
    "matmul": tf.sparse_tensor_dense_matmul(sp_fed, dense),
    "matmul_adjoint_a": tf.sparse.sparse_dense_matmul(sp_fed, tf.transpose(dense_t),
                                                      adjoint_a=True),
    "matmul_adjoint_b": tf.sparse_tensor_dense_matmul(sp_fed, tf.transpose(dense),
                                                      adjoint_b=True),
    "reduce_all": tf.sparse.reduce_sum(sp_fed),
    "reduce_rows": tf.sparse.reduce_sum(sp_fed, axis=1),
    "reduce_cols_keep": tf.sparse_reduce_sum(sp_fed, 0, keepdims=True),
    "reduce_negative_axis": tf.sparse.reduce_sum(sp, axis=-1),
    "add_dense": tf.sparse.add(sp_fed, grid),
    "add_dense_first": tf.sparse_add(grid, sp),
}
report("static_outputs", {k: [v.name, str(v.shape), v.dtype.name] for k, v in outputs.items()})
grads = {k: tf.gradients(tf.reduce_sum(tf.sin(v)), [values, dense, dense_t, grid])
         for k, v in outputs.items() if k != "to_dense" and k != "to_dense_default"
         and k != "reduce_negative_axis"}
with tf.Session() as sess:
    report("values", sess.run(outputs, feed))
    report("grads", sess.run({k: [g for g in v if g is not None] for k, v in grads.items()},
                             feed))
    report("grads_connected", {k: [g is not None for g in v] for k, v in grads.items()})
    fetched = sess.run(sp)
    report("fetched_type", type(fetched).__name__)
    report("fetched", fetched)
    report("eval", sp_fed.eval(feed_dict=feed, session=sess))
    report("fetched_in_structure", sess.run({"sparse": sp_fed, "dense": outputs["to_dense_fed"]},
                                            feed))
    report("int_values", sess.run(tf.sparse.to_dense(
        tf.SparseTensor([[0], [2]], tf.constant([7, 9]), [4]))))

# Sparse placeholders: fed with a SparseTensorValue or an (indices, values, shape) triple.
sp_ph = tf.sparse_placeholder(tf.float32, name="sp_input")
sp_ph_shaped = tf.sparse_placeholder(tf.float32, shape=[2, 3])
report("placeholder_parts", [sp_ph.indices, sp_ph.values, sp_ph.dense_shape,
                             str(sp_ph.shape), str(sp_ph_shaped.shape)])
to_dense_ph = tf.sparse.to_dense(sp_ph)
summed = tf.sparse.reduce_sum(sp_ph_shaped, axis=0)
with tf.Session() as sess:
    value = tf.SparseTensorValue(np.array([[0, 1], [1, 0]], np.int64),
                                 np.array([2.5, -1.0], np.float32), np.array([2, 2], np.int64))
    report("fed_value", sess.run(to_dense_ph, {sp_ph: value}))
    report("fed_triple", sess.run(to_dense_ph, {sp_ph: ([[1, 1]], [4.0], [3, 2])}))
    report("fed_shaped", sess.run(summed, {sp_ph_shaped: ([[0, 2], [1, 2]], [1.0, 2.0],
                                                          [2, 3])}))
    report_error("out_of_bounds", lambda: sess.run(to_dense_ph, {
        sp_ph: ([[0, 5]], [1.0], [2, 2])}))
    report_error("unsorted", lambda: sess.run(to_dense_ph, {
        sp_ph: ([[1, 0], [0, 0]], [1.0, 2.0], [2, 2])}))
report_error("matmul_inner_mismatch", lambda: tf.sparse_tensor_dense_matmul(sp, tf.ones([3, 2])))
report_error("indices_rank", lambda: tf.SparseTensor([0, 1], [1.0, 2.0], [3]))
