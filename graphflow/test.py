"""``tf.test``: ``TestCase`` (a ``unittest.TestCase`` with sessions on a fresh default graph and
array assertions), ``main``, gradient checks and the device queries of a CPU-only runtime."""
import collections.abc
import contextlib
import re
import random
import tempfile
import unittest
from unittest import mock  # noqa: F401 - tf.test.mock

import numpy as np

from .framework import errors, graph as graph_mod
from .framework.random_seed import set_random_seed
from .runtime.session import Session

# The seed TF1's test fixture gives Python, numpy and each test's default graph.
DEFAULT_GRAPH_SEED = 87654321

_temp_dir = None


def get_temp_dir():
    """One temporary directory for the whole test process."""
    global _temp_dir
    if _temp_dir is None:
        _temp_dir = tempfile.mkdtemp(prefix="graphflow_test_")
    return _temp_dir


def main(argv=None):
    """Runs the tests of ``__main__`` (unittest's runner; exits with its status)."""
    return unittest.main(argv=argv)


def is_gpu_available(cuda_only=False, min_cuda_compute_capability=None):
    return False


def gpu_device_name():
    return ""


def is_built_with_cuda():
    return False


def is_built_with_gpu_support():
    return False


def is_built_with_rocm():
    return False


def is_built_with_xla():
    return False


def _is_tensor_like(value):
    return isinstance(value, graph_mod.Tensor) or (
        hasattr(value, "initializer") and hasattr(value, "op"))


class TestCase(unittest.TestCase):
    """Each test starts on a fresh default graph seeded with DEFAULT_GRAPH_SEED (Python's and
    numpy's generators too), so tests do not see each other's ops or random draws."""

    def __init__(self, methodName="runTest"):  # noqa: N803 - unittest's name
        super().__init__(methodName)
        self._cached_session = None
        self._cached_graph = None
        self._cached_config = None
        self._temp_dir = None

    def setUp(self):
        super().setUp()
        self._clear_cached_session()
        random.seed(DEFAULT_GRAPH_SEED)
        np.random.seed(DEFAULT_GRAPH_SEED)
        graph_mod.reset_default_graph()
        set_random_seed(DEFAULT_GRAPH_SEED)
        if self.id().endswith(".test_session"):
            self.skipTest("Not a test.")

    def tearDown(self):
        self._clear_cached_session()
        super().tearDown()

    def _clear_cached_session(self):
        if self._cached_session is not None:
            self._cached_session.close()
            self._cached_session = None

    def get_temp_dir(self):
        """A temporary directory of this test (the same one for every call in it)."""
        if self._temp_dir is None:
            self._temp_dir = tempfile.mkdtemp(dir=get_temp_dir())
        return self._temp_dir

    # -- sessions -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def _as_default(self, sess):
        with sess.graph.as_default(), sess.as_default():
            yield sess

    @contextlib.contextmanager
    def session(self, graph=None, config=None, use_gpu=True, force_gpu=False):
        """A new session (on ``graph`` or the default graph), made the default one with its
        graph, and closed at the end of the block."""
        with Session(graph=graph, config=config) as sess, self._as_default(sess):
            yield sess

    def _get_cached_session(self, graph, config, strict):
        if self._cached_session is None:
            self._cached_session = Session(graph=graph, config=config)
            self._cached_graph, self._cached_config = graph, config
        elif strict and self._cached_graph is not graph:
            raise ValueError("The graph used to get the cached session is different than the "
                             "one that was used to create the session. Maybe create a new "
                             "session with self.session()")
        elif strict and self._cached_config is not config:
            raise ValueError("The config used to get the cached session is different than the "
                             "one that was used to create the session. Maybe create a new "
                             "session with self.session()")
        return self._cached_session

    @contextlib.contextmanager
    def cached_session(self, graph=None, config=None, use_gpu=True, force_gpu=False):
        """The test's one session, kept open until the test ends."""
        with self._as_default(self._get_cached_session(graph, config, strict=True)) as sess:
            yield sess

    @contextlib.contextmanager
    def test_session(self, graph=None, config=None, use_gpu=True, force_gpu=False):
        """The deprecated spelling of ``cached_session`` (a new session when ``graph`` is
        given)."""
        if graph is None:
            with self._as_default(self._get_cached_session(graph, config,
                                                           strict=False)) as sess:
                yield sess
        else:
            with self.session(graph, config, use_gpu, force_gpu) as sess:
                yield sess

    def evaluate(self, tensors):
        """The values of ``tensors`` (any fetch structure) in the default session, or in the
        cached one when there is no default session."""
        sess = graph_mod.get_default_session()
        if sess is None:
            with self.test_session() as sess:
                return sess.run(tensors)
        return sess.run(tensors)

    # -- array assertions ---------------------------------------------------------------------
    def _get_ndarray(self, a):
        if _is_tensor_like(a):
            a = self.evaluate(a)
        if not isinstance(a, np.ndarray):
            try:
                return np.array(a)
            except ValueError as e:
                if "inhomogeneous" in str(e):
                    return np.array(a, dtype=object)
                raise
        return a

    def _evaluate_if_both_tensors(self, a, b):
        if _is_tensor_like(a) and _is_tensor_like(b):
            return self.evaluate((a, b))
        return a, b

    def _assert_array_like_all_close(self, a, b, rtol, atol, msg):
        a, b = self._evaluate_if_both_tensors(a, b)
        a, b = self._get_ndarray(a), self._get_ndarray(b)
        self.assertEqual(a.shape, b.shape, "Shape mismatch: expected %s, got %s."
                         % (a.shape, b.shape))
        if not np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True):
            np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg=msg or "",
                                       equal_nan=True)

    def _assert_all_close_recursive(self, a, b, rtol, atol, path, msg):
        path_str = ("[" + "][".join(str(p) for p in path) + "]") if path else ""
        if hasattr(a, "_asdict"):
            a = a._asdict()
        if hasattr(b, "_asdict"):
            b = b._asdict()
        a_is_dict = isinstance(a, collections.abc.Mapping)
        if a_is_dict != isinstance(b, collections.abc.Mapping):
            raise ValueError("Can't compare dict to non-dict, a%s vs b%s. %s"
                             % (path_str, path_str, msg or ""))
        if a_is_dict:
            self.assertCountEqual(a.keys(), b.keys(),
                                  msg="mismatched keys: a%s has keys %s, but b%s has keys %s."
                                  % (path_str, list(a.keys()), path_str, list(b.keys())))
            for key in a:
                self._assert_all_close_recursive(a[key], b[key], rtol, atol, path + [key],
                                                 msg)
            return
        message = "Mismatched value: a%s is different from b%s. %s" % (path_str, path_str,
                                                                         msg or "")
        if isinstance(a, (list, tuple)):
            # As arrays when the items stack; item by item (nested or ragged structures) when
            # numpy cannot compare them as arrays.
            try:
                self._assert_array_like_all_close(a, b, rtol, atol, message)
            except (ValueError, TypeError, NotImplementedError):  # the last: a symbolic item
                if len(a) != len(b):
                    raise ValueError("Mismatched length: a%s has %d items, but b%s has %d "
                                     "items. %s" % (path_str, len(a), path_str, len(b),
                                                    msg or ""))
                for index, (a_item, b_item) in enumerate(zip(a, b)):
                    self._assert_all_close_recursive(a_item, b_item, rtol, atol,
                                                     path + [str(index)], msg)
            return
        self._assert_array_like_all_close(a, b, rtol, atol, message)

    def assertAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):  # noqa: N802
        self._assert_all_close_recursive(a, b, rtol, atol, [], msg)

    def assertAllCloseAccordingToType(self, a, b, rtol=1e-6, atol=1e-6,  # noqa: N802
                                      float_rtol=1e-6, float_atol=1e-6, half_rtol=1e-3,
                                      half_atol=1e-3, bfloat16_rtol=1e-2, bfloat16_atol=1e-2,
                                      msg=None):
        a, b = self._evaluate_if_both_tensors(a, b)
        a, b = self._get_ndarray(a), self._get_ndarray(b)
        dtypes_seen = {a.dtype, b.dtype}
        if dtypes_seen & {np.dtype(np.float32), np.dtype(np.complex64)}:
            rtol, atol = max(rtol, float_rtol), max(atol, float_atol)
        if np.dtype(np.float16) in dtypes_seen:
            rtol, atol = max(rtol, half_rtol), max(atol, half_atol)
        self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)

    def assertNotAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):  # noqa: N802
        try:
            self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)
        except AssertionError:
            return
        raise AssertionError("The two values are close at all elements. %s" % (msg or ""))

    def assertAllEqual(self, a, b, msg=None):  # noqa: N802
        msg = msg or ""
        a, b = self._evaluate_if_both_tensors(a, b)
        a, b = self._get_ndarray(a), self._get_ndarray(b)
        self.assertEqual(a.shape, b.shape, "Shape mismatch: expected %s, got %s. %s"
                         % (a.shape, b.shape, msg))
        same = a == b
        if a.dtype.kind == "f":
            same = np.logical_or(same, np.logical_and(np.isnan(a), np.isnan(b)))
        if not np.all(same):
            if a.dtype.kind != b.dtype.kind and {a.dtype.kind, b.dtype.kind} <= {"U", "S", "O"}:
                def as_bytes(array):
                    return np.array([x.encode("utf-8") if isinstance(x, str) else x
                                     for x in array.flat], dtype=object).reshape(array.shape)
                a, b = as_bytes(a), as_bytes(b)
            np.testing.assert_array_equal(a, b, err_msg=msg)

    def assertNotAllEqual(self, a, b, msg=None):  # noqa: N802
        try:
            self.assertAllEqual(a, b)
        except AssertionError:
            return
        raise AssertionError("The two values are equal at all elements. %s" % (msg or ""))

    def _assert_all_compare(self, a, target, compare, description):
        a = self._get_ndarray(a)
        if not np.all(compare(a, target)):
            raise AssertionError("%s is not %s %s" % (a, description, target))

    def assertAllGreater(self, a, comparison_target):  # noqa: N802
        self._assert_all_compare(a, comparison_target, np.greater, "greater than")

    def assertAllLess(self, a, comparison_target):  # noqa: N802
        self._assert_all_compare(a, comparison_target, np.less, "less than")

    def assertAllGreaterEqual(self, a, comparison_target):  # noqa: N802
        self._assert_all_compare(a, comparison_target, np.greater_equal,
                                 "greater than or equal to")

    def assertAllLessEqual(self, a, comparison_target):  # noqa: N802
        self._assert_all_compare(a, comparison_target, np.less_equal, "less than or equal to")

    def assertAllInRange(self, target, lower_bound, upper_bound,  # noqa: N802
                         open_lower_bound=False, open_upper_bound=False):
        target = self._get_ndarray(target)
        if not (np.issubdtype(target.dtype, np.floating) or
                np.issubdtype(target.dtype, np.integer)):
            raise AssertionError("The value of %s does not have an ordered numeric type, "
                                 "instead it has type: %s" % (target, target.dtype))
        nan_count = int(np.sum(np.isnan(target))) if target.dtype.kind == "f" else 0
        if nan_count:
            raise AssertionError("%d of the %d element(s) are NaN." % (nan_count, target.size))
        below = target <= lower_bound if open_lower_bound else target < lower_bound
        above = target >= upper_bound if open_upper_bound else target > upper_bound
        violations = np.logical_or(below, above)
        if np.any(violations):
            range_text = ("(" if open_lower_bound else "[") + "%s, %s" % (
                lower_bound, upper_bound) + (")" if open_upper_bound else "]")
            raise AssertionError("%d of the %d element(s) are outside the range %s: %s"
                                 % (int(np.sum(violations)), target.size, range_text,
                                    target[violations]))

    def assertAllInSet(self, target, expected_set):  # noqa: N802
        target = self._get_ndarray(target)
        outside = np.setdiff1d(target.flatten(), list(expected_set))
        if np.size(outside):
            raise AssertionError("%d unique element(s) are not in the set %s: %s"
                                 % (np.size(outside), expected_set, outside))

    def assertDTypeEqual(self, target, expected_dtype):  # noqa: N802
        self.assertEqual(self._get_ndarray(target).dtype, expected_dtype)

    def assertShapeEqual(self, input_a, input_b, msg=None):  # noqa: N802
        """``input_a`` a numpy array, ``input_b`` a Tensor: the array's shape is the tensor's
        static shape."""
        if not isinstance(input_a, (np.ndarray, np.generic)):
            raise TypeError("input_a must be a Numpy ndarray or Numpy scalar")
        if not isinstance(input_b, graph_mod.Tensor):
            raise TypeError("input_b must be a Tensor")
        self.assertAllEqual(input_a.shape, input_b.get_shape().as_list(), msg=msg)

    def assertNear(self, f1, f2, err, msg=None):  # noqa: N802
        self.assertTrue(f1 == f2 or abs(f1 - f2) <= err,
                        "%f != %f +/- %f%s" % (f1, f2, err,
                                               " (%s)" % msg if msg is not None else ""))

    def assertArrayNear(self, farray1, farray2, err, msg=None):  # noqa: N802
        self.assertEqual(len(farray1), len(farray2), msg=msg)
        for f1, f2 in zip(farray1, farray2):
            self.assertNear(float(f1), float(f2), err, msg=msg)

    def assertNDArrayNear(self, ndarray1, ndarray2, err, msg=None):  # noqa: N802
        self.assertTrue(np.linalg.norm(ndarray1 - ndarray2) <= err, msg=msg)

    def assertStartsWith(self, actual, expected_start, msg=None):  # noqa: N802
        if not actual.startswith(expected_start):
            fail_msg = "%r does not start with %r" % (actual, expected_start)
            fail_msg += " : %r" % msg if msg else ""
            self.fail(fail_msg)

    def assertItemsEqual(self, first, second, msg=None):  # noqa: N802
        return self.assertCountEqual(first, second, msg)

    def assertDeviceEqual(self, device1, device2, msg=None):  # noqa: N802
        self.assertEqual(device1 or "", device2 or "", msg=msg)

    # -- errors -------------------------------------------------------------------------------
    @contextlib.contextmanager
    def assertRaisesWithPredicateMatch(self, exception_type,  # noqa: N802
                                       expected_err_re_or_predicate):
        """Expects ``exception_type`` from the block, its message matching a regular
        expression (searched) or satisfying a predicate of the exception."""
        if callable(expected_err_re_or_predicate):
            predicate = expected_err_re_or_predicate
        else:
            def predicate(e):
                text = e.message if isinstance(e, errors.OpError) else str(e)
                op = e.op if isinstance(e, errors.OpError) else None
                if op is not None and not isinstance(op, str):
                    text += "\nCaused by: " + op.name
                return re.search(expected_err_re_or_predicate, text)
        try:
            yield
            self.fail(exception_type.__name__ + " not raised")
        except Exception as e:  # noqa: BLE001 - anything else is a failure of the test
            if not isinstance(e, exception_type) or not predicate(e):
                raise AssertionError("Exception of type %s: %s" % (str(type(e)), str(e)))

    def assertRaisesOpError(self, expected_err_re_or_predicate):  # noqa: N802
        return self.assertRaisesWithPredicateMatch(errors.OpError,
                                                   expected_err_re_or_predicate)
