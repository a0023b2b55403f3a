"""tf.test.TestCase: fresh seeded graphs, sessions and the array assertions."""
import io
import unittest

import numpy as np

import graphflow as tf


class _Example(tf.test.TestCase):
    __test__ = False  # run by test_test_case_suite_runs_green, through unittest
    def test_graph_is_fresh_and_seeded(self):
        self.assertEqual(tf.get_default_graph().get_operations(), [])
        self.assertEqual(tf.get_default_graph().seed, 87654321)
        tf.constant(1.0)

    def test_sessions_and_assertions(self):
        x = tf.constant([1.0, 2.0])
        with self.cached_session() as first, self.cached_session() as second:
            self.assertIs(first, second)
            self.assertIs(tf.get_default_session(), first)
        self.assertAllClose(x, [1.0, 2.0000001])
        self.assertAllClose({"a": [x, (1, 2)]}, {"a": [[1.0, 2.0], (1, 2)]})
        self.assertAllEqual(tf.range(2), [0, 1])
        self.assertAllInRange(x, 1.0, 2.0)
        self.assertShapeEqual(np.zeros(2), x)
        with self.assertRaises(AssertionError):
            self.assertAllClose(x, [1.0, 2.1])
        with self.assertRaises(AssertionError):
            self.assertAllInRange(x, 1.0, 2.0, open_upper_bound=True)
        with self.assertRaisesOpError("[Ss]hape|elements"):
            self.evaluate(tf.reshape(tf.placeholder_with_default([1.0, 2.0, 3.0], [None]),
                                     [2, 2]))


def test_test_case_suite_runs_green():
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(_Example)
    result = unittest.TextTestRunner(stream=io.StringIO()).run(suite)
    # The inherited test_session() helper is collected too and skips itself, as in TF.
    assert result.testsRun == 3 and len(result.skipped) == 1
    assert result.wasSuccessful(), result.failures + result.errors


def test_device_queries_of_a_cpu_runtime():
    assert tf.test.is_gpu_available() is False
    assert tf.test.gpu_device_name() == ""
