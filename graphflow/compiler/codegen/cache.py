"""The on-disk kernel cache: generated source becomes a real module file, so Numba's
``cache=True`` can keep the machine code next to it and a later process skips compilation.

Numba's cache only covers functions defined in files (it keys on the file's path and stamp), so
each kernel is written to ``<cache dir>/k_<hash>.py``, the hash covering the source and
everything that changes the machine code (Numba and NumPy versions, the fastmath module). The
directory is ``$GRAPHFLOW_CACHE_DIR`` or ``~/.cache/graphflow/kernels`` (``$XDG_CACHE_HOME``
respected); when it cannot be written, a private temporary directory serves the process.

Two processes may generate the same kernel at once: a file is written under a temporary name and
hard-linked into place, which fails rather than overwrites when the other process won, so a file
never changes once it exists (changing it would invalidate Numba's index for everyone).
"""
import functools
import hashlib
import importlib.util
import os
import sys
import tempfile
import threading

_lock = threading.Lock()
_loaded = {}  # path -> module
_fallback_dir = None


def cache_dir():
    configured = os.environ.get("GRAPHFLOW_CACHE_DIR")
    if configured:
        return configured
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "graphflow", "kernels")


def _writable_dir():
    global _fallback_dir
    directory = cache_dir()
    try:
        os.makedirs(directory, exist_ok=True)
        if os.access(directory, os.W_OK):
            return directory
    except OSError:
        pass
    if _fallback_dir is None:
        _fallback_dir = tempfile.mkdtemp(prefix="graphflow-kernels-")
    return _fallback_dir


@functools.lru_cache(maxsize=None)
def _environment_stamp():
    import numba
    import numpy
    # Generated kernels call into fastmath.py; Numba does not notice when it changes.
    fastmath_path = os.path.join(os.path.dirname(__file__), "fastmath.py")
    try:
        with open(fastmath_path, "rb") as f:
            fastmath = hashlib.sha256(f.read()).hexdigest()[:16]
    except OSError:
        fastmath = "absent"
    return "numba %s numpy %s fastmath %s" % (numba.__version__, numpy.__version__, fastmath)


def load(source, name_hint="kernel"):
    """The module made from ``source`` (cached per process; written to disk once)."""
    digest = hashlib.sha256((_environment_stamp() + "\n" + source).encode()).hexdigest()[:24]
    module_name = "graphflow_%s_%s" % (name_hint, digest)
    with _lock:
        directory = _writable_dir()
        path = os.path.join(directory, module_name + ".py")
        module = _loaded.get(path)
        if module is not None:
            return module
        if not os.path.exists(path):
            _publish(path, source)
        spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
        _loaded[path] = module
        return module


def _publish(path, source):
    directory = os.path.dirname(path)
    fd, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(source)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process published the same source first
    finally:
        os.unlink(temporary)
