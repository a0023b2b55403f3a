"""``tf.keras.utils``: ``to_categorical`` and the progress bar ``fit`` prints."""
import sys
import time

import numpy as np


def to_categorical(y, num_classes=None, dtype="float32"):
    """Class indices (any shape) -> one-hot rows, the last axis of length ``num_classes``."""
    y = np.asarray(y, dtype=np.int64)
    shape = y.shape[:-1] if y.ndim > 1 and y.shape[-1] == 1 else y.shape
    y = y.reshape(-1)
    num_classes = int(y.max()) + 1 if num_classes is None else int(num_classes)
    onehot = np.zeros((y.size, num_classes), dtype=dtype)
    onehot[np.arange(y.size), y] = 1
    return onehot.reshape(shape + (num_classes,))


def format_value(value):
    value = float(value)
    return "%.4f" % value if value == 0 or abs(value) > 1e-3 else "%.4e" % value


def format_rate(seconds, unit):
    """Seconds per ``unit`` as Keras prints it: ``857us/sample``, ``12ms/step``, ``2s/step``."""
    if seconds >= 1:
        return "%.0fs/%s" % (seconds, unit)
    if seconds >= 1e-3:
        return "%.0fms/%s" % (seconds * 1e3, unit)
    return "%.0fus/%s" % (seconds * 1e6, unit)


def format_eta(seconds):
    if seconds > 3600:
        return "%d:%02d:%02d" % (seconds // 3600, (seconds % 3600) // 60, seconds % 60)
    if seconds > 60:
        return "%d:%02d" % (seconds // 60, seconds % 60)
    return "%ds" % seconds


class Progbar:
    """Keras's progress bar: ``32/160 [=====>....] - ETA: 1s - loss: 2.3026 - acc: 0.1250``
    while an epoch runs (redrawn in place on a terminal), then the closing line with the time
    per sample or step.

    ``update(current, values)`` takes the batch's (name, value) pairs and shows the running
    mean of each over the ``current`` units seen; ``stateful_metrics`` (such as ``val_loss``)
    are shown as given.
    """

    def __init__(self, target, width=30, verbose=1, interval=0.05, stateful_metrics=None,
                 unit_name="step", stream=None, dynamic=None):
        self.target, self.width, self.verbose, self.interval = target, width, verbose, interval
        self.unit_name = unit_name
        self.stateful_metrics = set(stateful_metrics or ())
        self.stream = stream or sys.stdout
        isatty = getattr(self.stream, "isatty", None)
        self.dynamic = dynamic if dynamic is not None else bool(isatty and isatty())
        self._sums, self._order = {}, []
        self._seen = 0
        self._start = time.time()
        self._last_draw = 0.0
        self._line_width = 0

    def update(self, current, values=None, finalize=None):
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or ():
            if name not in self._sums:
                self._order.append(name)
            if name in self.stateful_metrics:
                self._sums[name] = [float(value), 1]
            else:
                weight = max(current - self._seen, 1)
                total, count = self._sums.get(name, [0.0, 0])
                self._sums[name] = [total + float(value) * weight, count + weight]
        self._seen = current
        now = time.time()
        if self.verbose == 1 and not finalize:
            if self.dynamic and now - self._last_draw >= self.interval:
                self._write("\r" + self.line(current, now), newline=False)
                self._last_draw = now
        elif finalize and self.verbose:
            prefix = "\r" if self.dynamic and self.verbose == 1 else ""
            self._write(prefix + self.line(current, now, final=True), newline=True)

    def line(self, current, now=None, final=False):
        now = time.time() if now is None else now
        elapsed = now - self._start
        digits = len(str(self.target)) if self.target else 1
        parts = []
        if self.target is not None and (self.verbose == 1 or not final):
            done = int(self.width * current / self.target)
            bar = "=" * max(done - 1, 0) + (">" if done < self.width else "=") if done else ""
            parts.append("%*d/%d [%s%s]" % (digits, current, self.target, bar,
                                            "." * (self.width - len(bar))))
        else:
            parts.append("%d/%s" % (current, self.target if self.target else "Unknown"))
        if final:
            per_unit = elapsed / max(current, 1)
            parts.append("%ds %s" % (elapsed, format_rate(per_unit, self.unit_name)) if
                         self.verbose == 1 else "%ds" % elapsed)
        elif self.target is not None and current:
            parts.append("ETA: %s" % format_eta(elapsed / current * (self.target - current)))
        for name in self._order:
            total, count = self._sums[name]
            parts.append("%s: %s" % (name, format_value(total / max(count, 1))))
        if final and self.verbose == 2:
            parts.append(format_rate(elapsed / max(current, 1), self.unit_name))
        return " - ".join(parts)

    def _write(self, text, newline):
        padding = " " * max(self._line_width - len(text), 0) if self.dynamic else ""
        self.stream.write(text + padding + ("\n" if newline else ""))
        self._line_width = 0 if newline else len(text)
        self.stream.flush()
