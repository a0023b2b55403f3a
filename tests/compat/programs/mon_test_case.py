"""tf.test.TestCase run as a suite inside the program: sessions and their defaults, the seeded
fresh graph per test, array assertions passing and failing, and the device queries."""
import io
import os
import unittest

from _compat import TENSORFLOW, report

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np

OUTCOMES = {}


def outcome(name, fn):
    """Records whether an assertion passed, or the class of what it raised."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        OUTCOMES[name] = type(e).__name__
    else:
        OUTCOMES[name] = "pass"


class ModelTest(tf.test.TestCase):

    def test_fresh_seeded_graph(self):
        OUTCOMES["ops_at_start"] = len(tf.get_default_graph().get_operations())
        OUTCOMES["graph_seed"] = tf.get_default_graph().seed
        OUTCOMES["numpy_draw"] = float(np.random.rand())
        tf.constant(1.0, name="leftover")

    def test_sessions(self):
        x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
        y = tf.matmul(x, x)
        with self.session() as sess:
            OUTCOMES["session_is_default"] = tf.get_default_session() is sess
            OUTCOMES["session_graph"] = sess.graph is tf.get_default_graph()
            OUTCOMES["eval_in_session"] = y.eval().tolist()
        with self.cached_session() as first:
            pass
        with self.cached_session() as second:
            OUTCOMES["cached_same"] = first is second
            OUTCOMES["evaluate"] = self.evaluate({"y": y, "sum": tf.reduce_sum(x)})["sum"]
        with self.test_session() as third:
            OUTCOMES["test_session_same"] = third is first
        OUTCOMES["evaluate_outside"] = self.evaluate(y).tolist()
        outcome("cached_other_graph", lambda: self.cached_session(graph=tf.Graph()).__enter__())

    def test_assertions(self):
        x = tf.constant([1.0, 2.0, 3.0])
        outcome("close_tensor", lambda: self.assertAllClose(x, [1.0, 2.0, 3.0000001]))
        outcome("close_fails", lambda: self.assertAllClose(x, [1.0, 2.0, 3.1]))
        outcome("close_tol", lambda: self.assertAllClose([1.0], [1.05], rtol=0.1))
        outcome("close_shape", lambda: self.assertAllClose(np.zeros([2, 3]), np.zeros([3, 2])))
        outcome("close_nested", lambda: self.assertAllClose(
            {"a": [1.0, (2.0, 3.0)], "b": np.ones(2)}, {"a": [1.0, (2.0, 3.0)],
                                                        "b": np.ones(2)}))
        outcome("close_ragged", lambda: self.assertAllClose([[1.0], [1.0, 2.0]],
                                                            [[1.0], [1.0, 2.0]]))
        outcome("close_length", lambda: self.assertAllClose([[1.0], [1.0, 2.0]], [[1.0]]))
        outcome("close_dict_mismatch", lambda: self.assertAllClose({"a": 1.0}, [1.0]))
        outcome("close_nan", lambda: self.assertAllClose([np.nan], [np.nan]))
        outcome("equal_ints", lambda: self.assertAllEqual(tf.range(3), [0, 1, 2]))
        outcome("equal_fails", lambda: self.assertAllEqual([1, 2], [1, 3]))
        outcome("equal_shape", lambda: self.assertAllEqual([1, 2], [[1, 2]]))
        outcome("equal_strings", lambda: self.assertAllEqual(tf.constant(["a", "b"]),
                                                             [b"a", b"b"]))
        outcome("in_range", lambda: self.assertAllInRange(x, 1.0, 3.0))
        outcome("in_range_open", lambda: self.assertAllInRange(x, 1.0, 3.0,
                                                               open_upper_bound=True))
        outcome("in_range_nan", lambda: self.assertAllInRange([np.nan], 0.0, 1.0))
        outcome("in_set", lambda: self.assertAllInSet([1, 2, 2], {1, 2}))
        outcome("greater", lambda: self.assertAllGreater(x, 0.5))
        outcome("less_fails", lambda: self.assertAllLess(x, 2.5))
        outcome("shape_equal", lambda: self.assertShapeEqual(np.zeros(3), x))
        outcome("shape_equal_fails", lambda: self.assertShapeEqual(np.zeros([3, 1]), x))
        outcome("shape_equal_types", lambda: self.assertShapeEqual([0, 0, 0], x))
        outcome("near", lambda: self.assertNear(1.0, 1.001, 0.01))
        outcome("array_near", lambda: self.assertArrayNear([1.0, 2.0], [1.0, 2.5], 0.1))
        outcome("according_to_type", lambda: self.assertAllCloseAccordingToType(
            np.float16([1.0]), np.float16([1.0005])))
        outcome("dtype_equal", lambda: self.assertDTypeEqual(x, np.float32))
        outcome("not_all_close", lambda: self.assertNotAllClose([1.0], [2.0]))
        outcome("starts_with", lambda: self.assertStartsWith("graph", "gr"))

    def test_op_errors(self):
        bad = tf.reshape(tf.placeholder(tf.float32, [None]), [2, 2])

        def raises_op_error():
            with self.assertRaisesOpError("elements|reshape|Reshape"):
                with self.cached_session() as sess:
                    sess.run(bad, feed_dict={bad.op.inputs[0]: np.zeros(3)})

        def wrong_message():
            with self.assertRaisesOpError("this text is not there"):
                self.evaluate(bad.op.inputs[0] * 1.0)  # missing feed is an OpError too

        def not_raised():
            with self.assertRaisesOpError("anything"):
                self.evaluate(tf.constant(1.0))

        def predicate():
            with self.assertRaisesWithPredicateMatch(
                    ValueError, lambda e: "shape" in str(e).lower()):
                tf.reshape(tf.constant([1.0, 2.0, 3.0]), [2, 2])

        outcome("op_error_matches", raises_op_error)
        outcome("op_error_wrong_message", wrong_message)
        outcome("op_error_not_raised", not_raised)
        outcome("predicate_match", predicate)

    def test_temp_dir(self):
        first = self.get_temp_dir()
        OUTCOMES["temp_dir_stable"] = first == self.get_temp_dir()
        OUTCOMES["temp_dir_exists"] = os.path.isdir(first)
        OUTCOMES["module_temp_dir_exists"] = os.path.isdir(tf.test.get_temp_dir())

    def test_failing(self):
        self.assertAllEqual([1, 2], [2, 1])


suite = unittest.defaultTestLoader.loadTestsFromTestCase(ModelTest)
result = unittest.TextTestRunner(stream=io.StringIO(), verbosity=0).run(suite)
report("tests_run", result.testsRun)
report("failures", sorted(test.id().split(".")[-1] for test, _ in result.failures))
report("errors", sorted(test.id().split(".")[-1] for test, _ in result.errors))
report("skipped", len(result.skipped))
for key in sorted(OUTCOMES):
    report(key, OUTCOMES[key])
report("gpu", [tf.test.is_gpu_available(), tf.test.gpu_device_name()])
report("is_unittest_case", issubclass(tf.test.TestCase, unittest.TestCase))
