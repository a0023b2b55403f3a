"""``tf.train.Coordinator``: a shared stop flag for a group of threads, which also carries the
first exception a thread reported so that the main thread can re-raise it."""
import contextlib
import sys
import threading
import time

from ..framework import errors
from ..platform import tf_logging as logging


class Coordinator:
    def __init__(self, clean_stop_exception_types=None):
        if clean_stop_exception_types is None:
            clean_stop_exception_types = (errors.OutOfRangeError,)
        self._clean_stop_exception_types = tuple(clean_stop_exception_types)
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self._exc_info_to_raise = None
        self._joined = False
        self._registered_threads = set()

    def _filter_exception(self, ex):
        """The exc_info to keep for re-raising, or None for an exception that means a clean
        stop (input exhausted)."""
        if isinstance(ex, tuple):
            ex_value = ex[1]
        else:
            ex_value = ex
        if isinstance(ex_value, self._clean_stop_exception_types):
            return None
        return ex

    def request_stop(self, ex=None):
        with self._lock:
            ex = self._filter_exception(ex)
            if self._joined:
                if isinstance(ex, tuple):
                    _, ex_value, _ = ex
                else:
                    ex_value = ex
                if ex_value is not None:
                    logging.info("Error reported to Coordinator after join: %s", ex_value)
                return
            if not self._stop_event.is_set():
                if ex and self._exc_info_to_raise is None:
                    if isinstance(ex, tuple):
                        self._exc_info_to_raise = ex
                    else:
                        self._exc_info_to_raise = (type(ex), ex, ex.__traceback__)
                    if not isinstance(self._exc_info_to_raise[1], BaseException):
                        raise ValueError("ex must be a tuple or sys.exc_info style tuple: %s"
                                         % (self._exc_info_to_raise,))
                self._stop_event.set()

    def clear_stop(self):
        with self._lock:
            self._joined = False
            self._exc_info_to_raise = None
            if self._stop_event.is_set():
                self._stop_event.clear()

    def should_stop(self):
        return self._stop_event.is_set()

    @contextlib.contextmanager
    def stop_on_exception(self):
        try:
            yield
        except:  # noqa: E722 - every exception, as TF's does, to stop the other threads
            self.request_stop(ex=sys.exc_info())

    def wait_for_stop(self, timeout=None):
        return self._stop_event.wait(timeout)

    def register_thread(self, thread):
        with self._lock:
            self._registered_threads.add(thread)

    def join(self, threads=None, stop_grace_period_secs=120, ignore_live_threads=False):
        with self._lock:
            threads = set(threads or ()) | self._registered_threads
        # Wait for a stop to be requested or for every thread to end on its own.
        while any(t.is_alive() for t in threads) and not self.wait_for_stop(1.0):
            pass
        deadline = time.time() + stop_grace_period_secs
        while any(t.is_alive() for t in threads) and time.time() < deadline:
            time.sleep(0.01)
        with self._lock:
            self._joined = True
            self._registered_threads = set()
            if self._exc_info_to_raise:
                _, ex_value, ex_traceback = self._exc_info_to_raise
                raise ex_value.with_traceback(ex_traceback)
        stragglers = [t.name for t in threads if t.is_alive()]
        if stragglers:
            if ignore_live_threads:
                logging.info("Coordinator stopped with threads still running: %s",
                             " ".join(stragglers))
            else:
                raise RuntimeError("Coordinator stopped with threads still running: %s"
                                   % " ".join(stragglers))

    @property
    def joined(self):
        return self._joined

    def raise_requested_exception(self):
        with self._lock:
            if self._exc_info_to_raise:
                _, ex_value, ex_traceback = self._exc_info_to_raise
                raise ex_value.with_traceback(ex_traceback)
