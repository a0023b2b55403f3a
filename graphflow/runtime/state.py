"""What a Session owns across runs: variable values and per-op random streams."""
import sys
import threading

import numpy as np

from ..framework import errors


class VariableHandle:
    """A reference to one variable in one session: what ref-typed tensors carry at run time."""

    __slots__ = ("name", "dtype", "shape", "_values")

    def __init__(self, name, dtype, shape, values):
        self.name, self.dtype, self.shape, self._values = name, dtype, shape, values

    def value(self):
        try:
            return self._values[self.name]
        except KeyError:
            raise errors.FailedPreconditionError(
                None, self.name, "Attempting to use uninitialized value %s\n\t [[{{node %s}}]]\n"
                "Run its initializer first, e.g. sess.run(tf.global_variables_initializer()) or "
                "sess.run(%s.initializer), or restore it with a Saver."
                % (self.name, self.name, self.name))

    def is_initialized(self):
        return self.name in self._values

    def assign(self, value, validate_shape=True):
        value = np.asarray(value)
        if value.dtype != self.dtype:
            value = value.astype(self.dtype)
        if validate_shape:
            expected = self._values[self.name].shape if self.name in self._values else self.shape
            if expected is not None and not _shape_matches(expected, value.shape):
                # No op here: the executor names the Assign node that ran this.
                raise errors.InvalidArgumentError(
                    None, None, "Assign requires shapes of both tensors to match. lhs shape= "
                    "%s rhs shape= %s (variable %s)" % (list(expected), list(value.shape),
                                                       self.name))
        if value.base is not None or (value.flags.writeable and
                                      sys.getrefcount(value) > _TEMPORARY_REFS):
            value = np.array(value, copy=True)
        # Frozen: whoever read the old value keeps it unchanged. A temporary (an update's
        # result that nobody else holds) is adopted without a copy.
        value.flags.writeable = False
        self._values[self.name] = value
        return self

    def adopt(self, value):
        """Store ``value`` as it is: a fresh array of the variable's dtype and shape that no one
        else holds (an update's result), so no copy and no checks."""
        value.flags.writeable = False
        self._values[self.name] = value

    def update(self, compute):
        """Stores ``compute(current, out)``, which writes the new value into ``out``: the stored
        array itself when nothing outside the store holds it (see ``assign_sub``), else a new
        array. ``compute`` must read each element before writing it."""
        current = self.value()
        if sys.getrefcount(current) <= _STORED_REFS and current.base is None:
            current.flags.writeable = True
            try:
                compute(current, current)
            finally:
                current.flags.writeable = False
            return self
        out = np.empty_like(current)
        compute(current, out)
        self.adopt(out)
        return self

    def private_buffer(self, buffer, shape):
        """A writable array holding the value, of ``shape`` (rank 0 held as ``(1,)``), that a
        compiled step may update in place.

        The store holds a read-only view of that array, so readers see the variable as usual.
        ``buffer`` (the one returned last time, or None) is returned again while the stored
        value is still its view and nothing outside the store holds that view. Otherwise,
        after an assignment or a restore, or when a fetched value still holds the view, the
        stored value is copied into a new buffer, whose view is stored. Whoever held the old
        view keeps an array that no longer changes. Raises as ``value()`` does when the
        variable is uninitialized, and ValueError when the stored value's shape is not ``shape``
        (it was assigned with validate_shape=False)."""
        stored = self._values.get(self.name)
        if (buffer is not None and stored is not None and stored.base is buffer and
                sys.getrefcount(stored) <= _STORED_REFS):
            return buffer
        current = self.value()
        if current.shape != shape:
            raise ValueError("variable %s holds shape %s, not %s"
                             % (self.name, current.shape, shape))
        buffer = np.empty(shape or (1,), current.dtype)
        buffer[...] = current.reshape(buffer.shape)
        view = buffer.reshape(shape) if not shape else buffer.view()
        view.flags.writeable = False
        self._values[self.name] = view
        return buffer

    def assign_sub(self, delta):
        """``assign(value() - delta)``, written into the stored array when nothing outside the
        store holds it (no run's reads, no fetched result, no view), as TF1 updates a variable's
        buffer in place; otherwise a new array, so no holder sees a value change under it."""
        return self._update_in_place(np.subtract, delta)

    def assign_add(self, delta):
        return self._update_in_place(np.add, delta)

    def _update_in_place(self, ufunc, delta):
        current = self.value()
        if (sys.getrefcount(current) <= _STORED_REFS and current.base is None and
                type(delta) is np.ndarray and delta.shape == current.shape and
                delta.dtype == current.dtype):
            current.flags.writeable = True
            try:
                ufunc(current, delta, out=current)
            finally:
                current.flags.writeable = False
            return self
        return self.assign(ufunc(current, delta))

    def __repr__(self):
        return "<VariableHandle %s>" % self.name


def _calibrate_reference_counts():
    """How many references CPython reports for (a) a temporary passed to a function, seen
    inside it, and (b) an array held only by a dict and one local: the counts below which no
    one else can observe an array (the numbers differ between Python versions)."""
    def seen_inside(value):
        value = np.asarray(value)
        return sys.getrefcount(value)

    def held_by_dict(store):
        current = store["x"]
        return sys.getrefcount(current)
    return seen_inside(np.zeros(1) + 1), held_by_dict({"x": np.zeros(1)})


_TEMPORARY_REFS, _STORED_REFS = _calibrate_reference_counts()


def _shape_matches(expected, actual):
    return len(expected) == len(actual) and all(e is None or e == a
                                                for e, a in zip(expected, actual))


class VariableStore:
    """name -> read-only numpy array (or a read-only view of a compiled step's buffer). An
    array is written in place only while nothing outside the store holds it (see
    ``VariableHandle.update`` and ``private_buffer``), and replaced otherwise, so a value read
    earlier in a run (or returned to the user) never changes under it."""

    def __init__(self):
        self.values = {}
        self._handles = {}
        self._lock = threading.Lock()

    def handle(self, name, dtype, shape):
        with self._lock:
            h = self._handles.get(name)
            if h is None:
                h = self._handles[name] = VariableHandle(name, dtype, shape, self.values)
            return h


class RandomStreams:
    """One generator per random op per session, as TF1 keeps one per kernel: a session replays
    the same sequence for the same (graph seed, op seed); unseeded ops draw from OS entropy."""

    def __init__(self):
        self._generators = {}
        self._lock = threading.Lock()

    def generator(self, name, seed, seed2):
        with self._lock:
            gen = self._generators.get(name)
            if gen is None:
                if seed or seed2:
                    entropy = [int(seed) & 0xFFFFFFFFFFFFFFFF, int(seed2) & 0xFFFFFFFFFFFFFFFF]
                    gen = np.random.Generator(np.random.Philox(np.random.SeedSequence(entropy)))
                else:
                    gen = np.random.Generator(np.random.Philox())
                self._generators[name] = gen
            return gen


class ResourceStore:
    """Named per-session objects that live across runs (tf.data iterators, lookup tables): each session
    holds its own, so two sessions of one graph never share an iterator's position."""

    def __init__(self):
        self._resources = {}
        self._lock = threading.Lock()

    def get(self, name, create):
        """The resource called ``name``, made by ``create(name)`` on first use."""
        with self._lock:
            resource = self._resources.get(name)
            if resource is None:
                resource = self._resources[name] = create(name)
            return resource

    def lookup(self, name):
        """The resource called ``name``, or None when this session has not made it."""
        with self._lock:
            return self._resources.get(name)
