"""tf.lookup static hash tables: string and int64 keys, default values, sizes, names and
shapes of the ops, tables_initializer, a vocabulary lookup feeding an embedding (values and
gradients), per-session table state and the errors of common misuse."""
from _compat import TENSORFLOW, report, report_error

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np

vocab = tf.lookup.StaticHashTable(
    tf.lookup.KeyValueTensorInitializer(tf.constant(["the", "cat", "sat", "on", "mat"]),
                                        tf.constant([0, 1, 2, 3, 4], tf.int64)), -1)
report("vocab_dtypes", [str(vocab.key_dtype), str(vocab.value_dtype)])
report("vocab_handle", [vocab.resource_handle.name, str(vocab.resource_handle.dtype)])
words = tf.placeholder(tf.string, [None, 3], name="words")
ids = vocab.lookup(words)
report("ids", [ids.name, str(ids.shape), str(ids.dtype), ids.op.type])
size = vocab.size()
report("size_tensor", [size.name, str(size.shape), str(size.dtype)])

scores = tf.lookup.StaticHashTable(
    tf.lookup.KeyValueTensorInitializer([3, 7, 11], [0.5, -1.5, 2.25], key_dtype=tf.int64,
                                        value_dtype=tf.float32), 0.0, name="scores")
keys = tf.constant([[7, 1], [11, 3]], tf.int64)
found = scores.lookup(keys)
again = scores.lookup(keys)
report("scores_names", [found.name, again.name, str(found.shape), str(found.dtype)])
report("table_initializers", sorted(op.name for op in
                                    tf.get_collection(tf.GraphKeys.TABLE_INITIALIZERS)))

# Vocabulary ids choose embedding rows (unknown words map to the last, "unk", row).
embedding = tf.Variable(np.arange(12, dtype=np.float32).reshape(6, 2) / 4, name="embedding")
row_ids = tf.where(ids < 0, tf.fill(tf.shape(ids), tf.constant(5, tf.int64)), ids)
embedded = tf.nn.embedding_lookup(embedding, row_ids)
loss = tf.reduce_sum(embedded * found[:1, :1])
grad = tf.convert_to_tensor(tf.gradients(loss, embedding)[0])
report("embedded_shape", str(embedded.shape))

init_tables = tf.tables_initializer()
report("init_tables", [init_tables.name, init_tables.type,
                       sorted(op.name for op in init_tables.control_inputs)])
batch = [["the", "cat", "sat"], ["on", "the", "dog"]]
with tf.Session() as sess:
    report_error("lookup_before_init", lambda: sess.run(ids, {words: batch}))
    report("size_before_init", sess.run(size))
    sess.run([init_tables, tf.global_variables_initializer()])
    report("ids_values", sess.run(ids, {words: batch}))
    report("size_value", sess.run(size))
    report("scores_values", sess.run([found, again, scores.size()]))
    sess.run(init_tables)  # a second run with the same data is allowed
    report("embedding_values", sess.run([embedded, loss], {words: batch}))
    report("embedding_grad", sess.run(grad, {words: batch}))
    report("scalar_lookup", sess.run(vocab.lookup(tf.constant("mat"))))

with tf.Session() as fresh:
    report_error("other_session_uninitialized", lambda: fresh.run(found))

fed_keys = tf.placeholder(tf.string, [None])
fed_values = tf.placeholder(tf.int64, [None])
fed_table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(fed_keys, fed_values),
                                      -7, name="fed")
probe = fed_table.lookup(tf.constant(["x", "y", "z"]))
with tf.Session() as sess:
    sess.run(fed_table.initializer, {fed_keys: ["x", "y", "x"], fed_values: [1, 2, 1]})
    report("fed_values", sess.run([probe, fed_table.size()]))
    report_error("reinitialized_with_other_data", lambda: sess.run(
        fed_table.initializer, {fed_keys: ["x"], fed_values: [5]}))
with tf.Session() as sess:
    report_error("conflicting_duplicate_key", lambda: sess.run(
        fed_table.initializer, {fed_keys: ["x", "x"], fed_values: [1, 2]}))

report_error("wrong_key_dtype", lambda: vocab.lookup(tf.constant([1, 2])))
report_error("wrong_default_dtype", lambda: tf.lookup.StaticHashTable(
    tf.lookup.KeyValueTensorInitializer([1, 2], [3, 4], tf.int64, tf.int64), 0.5))
empty = tf.Graph()
with empty.as_default():
    report("no_tables_initializer", [tf.tables_initializer().type,
                                     tf.tables_initializer().name])
