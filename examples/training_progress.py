"""What the training examples share for watching a run: a tqdm progress bar showing the latest
loss/accuracy, a matplotlib plot of them saved next to the example's output, and TensorBoard
event files of the same numbers (with the graph).

Every piece is optional: the bar is shown only on a terminal (stdout a TTY) and unless
GRAPHFLOW_PROGRESS=0, so logs of test runs stay readable; the plot and the event files are
written only where the example writes its output (GRAPHFLOW_OUTPUT). A missing package is named
with its pip install, never an error.
"""
import os
import sys


def _progress_wanted():
    return os.environ.get("GRAPHFLOW_PROGRESS", "1") != "0" and sys.stdout.isatty()


class TrainingLog:
    """``log.update(loss=..., accuracy=...)`` once per epoch (or step) of ``total``."""

    def __init__(self, name, total, unit="epoch", graph=None):
        self.name = name
        self.unit = unit
        self.history = {}
        self._bar = None
        self._writer = None
        self._steps = 0
        if _progress_wanted():
            try:
                from tqdm import tqdm
            except ImportError:
                print("(pip install tqdm for a progress bar)", file=sys.stderr)
            else:
                self._bar = tqdm(total=total, unit=unit, desc=name, file=sys.stderr,
                                 dynamic_ncols=True, leave=False)
        self.output = os.environ.get("GRAPHFLOW_OUTPUT")
        if self.output and graph is not None:
            self._open_event_file(graph)

    def _open_event_file(self, graph):
        import graphflow as tf
        try:
            self._writer = tf.summary.FileWriter(os.path.join(self.output, "logs", self.name),
                                                 graph)
        except ImportError as e:
            print("no TensorBoard logs: %s" % e)
        else:
            print("tensorboard: tensorboard --logdir %s" % os.path.join(self.output, "logs"))

    def update(self, **metrics):
        self._steps += 1
        for key, value in metrics.items():
            self.history.setdefault(key, []).append(float(value))
        if self._bar is not None:
            self._bar.set_postfix({k: "%.4f" % v for k, v in metrics.items()}, refresh=False)
            self._bar.update(1)
        if self._writer is not None:
            import graphflow as tf
            self._writer.add_summary(tf.summary.Summary(value=[
                tf.summary.Summary.Value(tag=key, simple_value=float(value))
                for key, value in metrics.items()]), self._steps)

    def close(self):
        """Ends the bar and the event file, and saves the plot where the output goes."""
        if self._bar is not None:
            self._bar.close()
        if self._writer is not None:
            self._writer.close()
        if self.output and self.history:
            path = self.save_plot(os.path.join(self.output, self.name + "_training.png"))
            if path:
                print("plot:", path)

    def save_plot(self, path):
        """One panel per metric against the update count; returns the path, or None (with a
        note) when matplotlib is missing."""
        try:
            import matplotlib
            matplotlib.use("Agg")  # files only: no display needed
            import matplotlib.pyplot as plt
        except ImportError:
            print("no training plot: pip install matplotlib")
            return None
        figure, axes = plt.subplots(1, len(self.history), figsize=(4.5 * len(self.history), 3.2),
                                    squeeze=False)
        for axis, (key, values) in zip(axes[0], self.history.items()):
            axis.plot(range(1, len(values) + 1), values, marker="o", markersize=3)
            axis.set_title("%s: %s" % (self.name, key))
            axis.set_xlabel(self.unit)
            axis.grid(alpha=0.3)
        figure.tight_layout()
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        figure.savefig(path, dpi=100)
        plt.close(figure)
        return path
