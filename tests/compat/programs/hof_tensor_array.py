"""tf.TensorArray in graph mode and inside tf.while_loop: write/read/stack/unstack/gather/
scatter/concat/split/size, dynamic_size, element_shape and the static shapes it gives,
gradients through a loop that writes an array, and the common misuses."""
import numpy as np

from _compat import TENSORFLOW, report, report_error, tolerance

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf

tolerance(rtol=1e-4, atol=1e-5)
rng = np.random.RandomState(11)
x_value = rng.uniform(-1, 1, (4, 3)).astype(np.float32)
x = tf.placeholder(tf.float32, [4, 3], name="x")
x_any = tf.placeholder(tf.float32, [None, 3], name="x_any")

# straight-line use
ta = tf.TensorArray(tf.float32, size=3, clear_after_read=False)
ta = ta.write(0, x[0]).write(1, x[1] * 2.0).write(2, x[2] + 1.0)
stacked = ta.stack()
read_back = ta.read(1)
gathered = ta.gather([2, 0])
report("basic_shapes", [str(stacked.shape), str(read_back.shape), str(gathered.shape),
                        str(ta.element_shape), ta.dtype.name])
basic_grad = tf.gradients(tf.reduce_sum(stacked * stacked) + tf.reduce_sum(read_back) +
                          tf.reduce_sum(gathered * 3.0), x)[0]

unstacked = tf.TensorArray(tf.float32, size=4, clear_after_read=False).unstack(x)
report("unstack_shapes", [str(unstacked.element_shape), str(unstacked.read(0).shape)])
scattered = tf.TensorArray(tf.float32, size=4, clear_after_read=False).scatter([3, 1, 0, 2], x)
concat_ta = tf.TensorArray(tf.float32, size=2, infer_shape=False).split(
    tf.reshape(x, [12]), [5, 7])
concatenated = concat_ta.concat()
report("concat_shape", str(concatenated.shape))
ta_grad = tf.gradients(tf.reduce_sum(scattered.stack() * x) +
                       tf.reduce_sum(tf.square(concatenated)), x)[0]
declared = tf.TensorArray(tf.float32, size=2, element_shape=[None, 3])
report("declared_shape", [str(declared.element_shape), str(declared.read(0).shape)])

# inside a while loop: squares of a running product, dynamic size
def body(i, acc, out):
    acc = acc * x_any[i]
    return i + 1, acc, out.write(i, tf.square(acc))


n = tf.shape(x_any)[0]
_, last, out_ta = tf.while_loop(
    lambda i, acc, out: i < n, body,
    [tf.constant(0), tf.ones([3]), tf.TensorArray(tf.float32, size=0, dynamic_size=True)])
loop_stack = out_ta.stack()
loop_size = out_ta.size()
report("loop_shapes", [str(loop_stack.shape), str(last.shape), str(loop_size.shape),
                       loop_size.dtype.name])
loop_grad = tf.gradients(tf.reduce_sum(loop_stack * 0.5) + tf.reduce_sum(last), x_any)[0]

# a recurrent cell reading inputs from an unstacked array and writing its outputs
w = tf.Variable(rng.uniform(-0.5, 0.5, (3, 3)).astype(np.float32), name="w")
inputs_ta = tf.TensorArray(tf.float32, size=4).unstack(x)


def cell(t, h, outs):
    h = tf.tanh(tf.matmul(h, w) + inputs_ta.read(t)[None])
    return t + 1, h, outs.write(t, h[0])


_, h_last, cell_outs = tf.while_loop(lambda t, h, outs: t < 4, cell,
                                     (0, tf.zeros([1, 3]), tf.TensorArray(tf.float32, size=4)))
cell_seq = cell_outs.stack()
report("cell_shapes", [str(cell_seq.shape), str(h_last.shape)])
cell_grads = tf.gradients(tf.reduce_sum(cell_seq * cell_seq), [x, w])
int_ta = tf.TensorArray(tf.int32, size=2).write(0, 5).write(1, 7)

# errors
report_error("write_inconsistent_shape",
             lambda: tf.TensorArray(tf.float32, size=2).write(0, x[0]).write(1, x))
report_error("no_size", lambda: tf.TensorArray(tf.float32))
zero_read = tf.TensorArray(tf.float32, size=2).write(0, 1.0).read(1)
bad_read = tf.TensorArray(tf.float32, size=2, infer_shape=False).write(0, 1.0).read(1)
bad_write = tf.TensorArray(tf.float32, size=1).write(3, 1.0).stack()

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    report("basic", sess.run([stacked, read_back, gathered, basic_grad], {x: x_value}))
    report("scatter_concat", sess.run([scattered.stack(), concatenated, ta_grad,
                                       unstacked.read(3)], {x: x_value}))
    report("loop", sess.run([loop_stack, last, loop_size, loop_grad], {x_any: x_value[:3]}))
    report("loop_empty", sess.run([last, loop_size], {x_any: np.zeros((0, 3), np.float32)}))
    report("cell", sess.run([cell_seq, h_last] + cell_grads, {x: x_value}))
    report("int_array", sess.run([int_ta.stack(), int_ta.size()]))
    report("read_unwritten_known_shape", sess.run(zero_read))
    report_error("read_unwritten", lambda: sess.run(bad_read))
    report_error("write_out_of_range", lambda: sess.run(bad_write))
