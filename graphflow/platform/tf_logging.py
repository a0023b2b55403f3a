"""``tf.logging``: TF1's logging functions on Python's ``logging``, through the logger named
"tensorflow", which (as in TF) prints ``LEVEL:tensorflow:message`` to standard error unless the
root logger is already configured, and shows warnings and above until ``set_verbosity``."""
import logging as _logging
import sys as _sys
import threading as _threading

DEBUG = _logging.DEBUG
INFO = _logging.INFO
WARN = _logging.WARN
ERROR = _logging.ERROR
FATAL = _logging.FATAL

_logger = None
_logger_lock = _threading.Lock()


def get_logger():
    """The "tensorflow" logger, given its handler on first use."""
    global _logger
    if _logger is not None:
        return _logger
    with _logger_lock:
        if _logger is None:
            logger = _logging.getLogger("tensorflow")
            if not _logging.getLogger().handlers:
                interactive = hasattr(_sys, "ps1") or _sys.flags.interactive
                if interactive:
                    logger.setLevel(INFO)
                handler = _logging.StreamHandler(_sys.stdout if interactive else _sys.stderr)
                handler.setFormatter(_logging.Formatter(_logging.BASIC_FORMAT, None))
                logger.addHandler(handler)
            _logger = logger
    return _logger


def log(level, msg, *args, **kwargs):
    get_logger().log(level, msg, *args, **kwargs)


def debug(msg, *args, **kwargs):
    get_logger().debug(msg, *args, **kwargs)


def info(msg, *args, **kwargs):
    get_logger().info(msg, *args, **kwargs)


def warning(msg, *args, **kwargs):
    get_logger().warning(msg, *args, **kwargs)


warn = warning


def error(msg, *args, **kwargs):
    get_logger().error(msg, *args, **kwargs)


def fatal(msg, *args, **kwargs):
    """Logs at FATAL; like TF's, it does not end the program."""
    get_logger().fatal(msg, *args, **kwargs)


def vlog(level, msg, *args, **kwargs):
    get_logger().log(level, msg, *args, **kwargs)


def flush():
    for handler in get_logger().handlers:
        handler.flush()


def TaskLevelStatusMessage(msg):  # noqa: N802 - TF's public name
    error(msg)


_call_counts = {}  # call site -> calls so far (log_every_n, log_first_n)
_counts_lock = _threading.Lock()


def _count_call_site():
    frame = _sys._getframe(2)
    site = (frame.f_code.co_filename, frame.f_lineno)
    with _counts_lock:
        count = _call_counts.get(site, 0)
        _call_counts[site] = count + 1
    return count


def log_every_n(level, msg, n, *args):
    """Logs on the 1st, (n+1)th, (2n+1)th... call from the same line."""
    count = _count_call_site()
    if n > 0 and count % n == 0:
        log(level, msg, *args)


def log_first_n(level, msg, n, *args):
    """Logs on the first ``n`` calls from the same line."""
    count = _count_call_site()
    if count < n:
        log(level, msg, *args)


def log_if(level, msg, condition, *args):
    if condition:
        log(level, msg, *args)


def get_verbosity():
    return get_logger().getEffectiveLevel()


def set_verbosity(v):
    get_logger().setLevel(v)
