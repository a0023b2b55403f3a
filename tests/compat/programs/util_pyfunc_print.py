"""tf.py_func / tf.numpy_function (values, dtypes, unknown static shapes, None gradients, errors),
tf.Print (an identity that logs: its value, gradient and what it writes to standard error),
tf.print to a file, and tf.make_template's variable sharing and names."""
import os
import sys
import tempfile

import numpy as np

from _compat import TENSORFLOW, report

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf


def captured_stderr(fn):
    """What ``fn`` writes to file descriptor 2 (TF's kernels write there directly)."""
    handle, path = tempfile.mkstemp()
    saved = os.dup(2)
    sys.stderr.flush()
    os.dup2(handle, 2)
    try:
        result = fn()
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(handle)
    with open(path) as f:
        text = f.read()
    os.remove(path)
    return result, text


def error_of(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return type(e).__name__
    return "no error"


x = tf.placeholder(tf.float32, [None, 2], name="x")
counter = []


def double_and_count(a, b):
    counter.append(1)
    return (a * 2).astype(np.float32), np.int32(np.sum(b))


doubled, summed = tf.py_func(double_and_count, [x, [1, 2, 3]], [tf.float32, tf.int32])
plus_one = tf.py_func(lambda a: a + 1, [x], tf.float32, stateful=False, name="plus_one")
numpy_fn = tf.numpy_function(lambda a: np.tanh(a), [x], tf.float32)
no_outputs = tf.py_func(lambda a: None, [x], [])
report("py_func_tensors", [doubled, summed, plus_one, numpy_fn])
report("py_func_types", [doubled.op.type, plus_one.op.type, numpy_fn.op.type, no_outputs.type,
                         no_outputs.name])
report("py_func_inputs", [t.name for t in doubled.op.inputs])
report("py_func_shapes", [str(doubled.shape), str(doubled.shape.ndims)])
report("py_func_gradient", tf.gradients(tf.reduce_sum(plus_one * x), x)[0] is not None)
report("py_func_gradient_only_path", tf.gradients(tf.reduce_sum(plus_one), x))
shaped = tf.reshape(plus_one, [-1, 2])
wrong_dtype = tf.py_func(lambda a: a.astype(np.float64), [x], tf.float32)
python_float = tf.py_func(lambda a: 3.0, [x], tf.float32)
python_int = tf.py_func(lambda a: 3, [x], tf.int64)
wrong_count = tf.py_func(lambda a: [a, a], [x], tf.float32)
raises_value = tf.py_func(lambda a: int("nope"), [x], tf.float32)
raises_other = tf.py_func(lambda a: 1 / 0, [x], tf.float32)
strings = tf.py_func(lambda a: np.array([b"a", b"bc"]), [x], tf.string)

printed = tf.Print(x, [x, tf.constant([[1, 2, 3], [4, 5, 6]]), "lit", 7, 2.5],
                   message="values: ")
printed_all = tf.Print(x * 1.0, [x], summarize=-1, message="all ")
printed_twice = tf.Print(x + 0.0, [x], first_n=2, message="first ")
printed_formats = tf.Print(x, [tf.constant(1e10), tf.constant(1e-7), tf.constant(1.0 / 3.0),
                               tf.constant(np.float64(1.0 / 3.0)), tf.constant([True, False]),
                               tf.constant(["ab", "c"]),
                               tf.constant([1.5, np.nan, np.inf, -np.inf])])
report("print_tensor", [printed, [t.name for t in printed.op.inputs]])
print_grad, = tf.gradients(tf.reduce_sum(printed * printed), x)

print_path = os.path.abspath("printed.txt")
stream = "file://" + print_path
value = tf.constant([1.0, 2.0])
print_ops = [
    tf.print("val:", value, tf.constant([[1, 2, 3], [4, 5, 6]]), 3, summarize=1, sep="|",
             end="END\n", output_stream=stream),
    tf.print(tf.constant(np.arange(24.0).reshape(2, 3, 4)), tf.constant(np.arange(10)),
             tf.constant(["ab", "c"]), tf.constant([True, False]), output_stream=stream),
    tf.print(tf.constant("raw string"), output_stream=stream),
    tf.print("a", tf.constant("hi"), 5, 2.5, True, None, output_stream=stream),
    tf.print({"b": [value, 3], "a": value}, (value, "q"), output_stream=stream),
    tf.print(tf.constant(np.arange(30).reshape(10, 3)), summarize=2, output_stream=stream),
    tf.print(tf.constant(3), tf.constant(2.5), tf.constant(np.float64(0.1)),
             tf.constant(np.ones((0, 2))), output_stream=stream),
]
report("print_ops", [[op.name, op.type, len(op.outputs)] for op in print_ops])
with tf.control_dependencies([tf.print("in loss", output_stream=stream)]):
    loss = tf.reduce_sum(value, name="loss")

with tf.Session() as sess:
    feed = {x: [[1.0, 2.0], [3.0, 4.0]]}
    report("py_func_values", sess.run([doubled, summed, plus_one, numpy_fn, shaped], feed))
    sess.run(no_outputs, feed)
    report("py_func_calls", len(counter))
    report("python_int", sess.run(python_int, feed))
    report("strings", sess.run(strings, feed))
    report("py_func_errors", [error_of(lambda: sess.run(t, feed)) for t in
                              [wrong_dtype, python_float, wrong_count, raises_value,
                               raises_other]])
    report("print_value", captured_stderr(lambda: sess.run(printed, feed)))
    report("print_all", captured_stderr(lambda: sess.run(printed_all, feed))[1])
    report("print_first_n", [captured_stderr(lambda: sess.run(printed_twice, feed))[1]
                             for _ in range(3)])
    report("print_formats", captured_stderr(lambda: sess.run(printed_formats, feed))[1])
    report("print_grad", sess.run(print_grad, feed))
    if os.path.exists(print_path):
        os.remove(print_path)
    for op in print_ops:
        sess.run(op)
    report("loss_with_print", sess.run(loss))
    with open(print_path) as f:
        report("print_v2_text", f.read())


def linear(inputs, scale=1.0):
    w = tf.get_variable("w", [2, 2], initializer=tf.ones_initializer())
    return tf.matmul(inputs, w) * scale


template = tf.make_template("linear", linear, scale=2.0)
ones = tf.ones([1, 2])
first, second = template(ones), template(ones)
report("template_outputs", [first.name, second.name])
report("template_vars", [v.name for v in tf.global_variables()])
report("template_attrs", [template.name, template.variable_scope.name,
                          template.variable_scope_name,
                          [v.name for v in template.trainable_variables]])
with tf.variable_scope("outer"):
    early = tf.make_template("linear", linear, create_scope_now_=True)
third, fourth = early(ones), early(ones)
report("template_scope_now", [third.name, fourth.name, early.variable_scope_name])
fresh = tf.make_template("linear", linear)
report("template_second", [fresh(ones).name, [v.name for v in fresh.variables]])


def makes_variable(inputs):
    return inputs * tf.Variable(1.0, name="v")


bad_template = tf.make_template("bad", makes_variable)
bad_template(ones)
report("template_new_variable", error_of(lambda: bad_template(ones)))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    report("template_values", sess.run([first, second, third]))
