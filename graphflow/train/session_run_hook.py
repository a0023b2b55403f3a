"""``tf.train.SessionRunHook`` and the records a hook sees around each ``MonitoredSession.run``.

A hook's ``before_run`` may ask for extra fetches, feeds and options (``SessionRunArgs``); they
run in the same ``Session.run`` as the caller's fetches, and the hook's share of the results
comes back in ``after_run`` as ``SessionRunValues.results``.
"""
import collections


class SessionRunHook:
    """Callbacks around a monitored session's life: ``begin`` (graph still editable),
    ``after_create_session``, ``before_run``/``after_run`` around every run, ``end`` when
    the session closes cleanly."""

    def begin(self):
        pass

    def after_create_session(self, session, coord):
        pass

    def before_run(self, run_context):
        return None

    def after_run(self, run_context, run_values):
        pass

    def end(self, session):
        pass


class SessionRunArgs(collections.namedtuple("SessionRunArgs",
                                            ["fetches", "feed_dict", "options"])):
    """What a hook adds to the next run: fetches (any fetch structure), feeds and options."""

    def __new__(cls, fetches, feed_dict=None, options=None):
        return super().__new__(cls, fetches, feed_dict, options)


class SessionRunValues(collections.namedtuple("SessionRunValues",
                                              ["results", "options", "run_metadata"])):
    """The values of a hook's requested fetches, in the structure it asked for."""


class SessionRunContext:
    """The caller's request and the raw session, handed to each hook; a hook stops the loop
    with ``request_stop()``."""

    def __init__(self, original_args, session):
        self._original_args = original_args
        self._session = session
        self._stop_requested = False

    @property
    def original_args(self):
        return self._original_args

    @property
    def session(self):
        return self._session

    @property
    def stop_requested(self):
        return self._stop_requested

    def request_stop(self):
        self._stop_requested = True
