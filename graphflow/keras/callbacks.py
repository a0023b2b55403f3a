"""``tf.keras.callbacks``: hooks ``fit`` calls around epochs and batches.

``fit`` runs the user's callbacks in order, then History, then (when verbose) the progress
printer, all through one CallbackList; a callback stops training by setting
``model.stop_training``, which ``fit`` checks after every batch and epoch.
"""
import os

import numpy as np

from . import utils


class Callback:
    def __init__(self):
        self.model = None
        self.params = {}

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_train_begin(self, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs)

    def on_batch_begin(self, batch, logs=None):
        pass

    def on_batch_end(self, batch, logs=None):
        pass

    def on_test_begin(self, logs=None):
        pass

    def on_test_end(self, logs=None):
        pass

    def on_test_batch_begin(self, batch, logs=None):
        pass

    def on_test_batch_end(self, batch, logs=None):
        pass

    def on_predict_begin(self, logs=None):
        pass

    def on_predict_end(self, logs=None):
        pass

    def on_predict_batch_begin(self, batch, logs=None):
        pass

    def on_predict_batch_end(self, batch, logs=None):
        pass


class CallbackList:
    """Forwards each hook to every callback, in order."""

    def __init__(self, callbacks=None, model=None, params=None):
        self.callbacks = list(callbacks or [])
        for callback in self.callbacks:
            if model is not None:
                callback.set_model(model)
            if params is not None:
                callback.set_params(params)

    def __iter__(self):
        return iter(self.callbacks)

    def __getattr__(self, hook):
        if not hook.startswith("on_"):
            raise AttributeError(hook)

        def call_all(*args, **kwargs):
            for callback in self.callbacks:
                getattr(callback, hook)(*args, **kwargs)
        return call_all


class History(Callback):
    """``history.history``: each logged value per epoch, by name (``loss``, ``acc``,
    ``val_loss``...); ``history.epoch``: the epoch indices that ran."""

    def on_train_begin(self, logs=None):
        self.epoch = []
        self.history = {}

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(value)
        if self.model is not None:
            self.model.history = self


class ProgbarLogger(Callback):
    """Prints ``Epoch i/n`` and one progress line per epoch with the running loss and metrics,
    then the validation values (``verbose=1``: a live bar; ``verbose=2``: the closing line only).
    """

    def __init__(self, count_mode="samples", stateful_metrics=None):
        super().__init__()
        if count_mode not in ("samples", "steps"):
            raise ValueError("Unknown `count_mode`: " + str(count_mode))
        self.count_mode = count_mode
        self.stateful_metrics = set(stateful_metrics or ())

    def on_train_begin(self, logs=None):
        self.verbose = self.params.get("verbose", 1)
        self.epochs = self.params["epochs"]

    def on_epoch_begin(self, epoch, logs=None):
        self.seen = 0
        self.target = self.params["samples"] if self.count_mode == "samples" else \
            self.params["steps"]
        if self.verbose:
            print("Epoch %d/%d" % (epoch + 1, self.epochs), flush=True)
        validation = [name for name in self.params.get("metrics", ())
                      if name.startswith("val_")]
        self.progbar = utils.Progbar(self.target, verbose=self.verbose,
                                     stateful_metrics=self.stateful_metrics.union(validation),
                                     unit_name="sample" if self.count_mode == "samples" else
                                     "step")

    def on_train_batch_end(self, batch, logs=None):
        logs = logs or {}
        self.seen += logs.get("size", 1) if self.count_mode == "samples" else 1
        values = [(name, logs[name]) for name in self.params.get("metrics", ())
                  if name in logs]
        if self.target is None or self.seen < self.target:
            self.progbar.update(self.seen, values)
        else:
            self._values = values

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        batch_values = getattr(self, "_values", [])
        self._values = []
        epoch_values = [(name, logs[name]) for name in self.params.get("metrics", ())
                        if name.startswith("val_") and name in logs]
        self.progbar.update(self.seen, batch_values + epoch_values, finalize=True)


class EarlyStopping(Callback):
    """Stops training once ``monitor`` has not improved by more than ``min_delta`` for
    ``patience`` epochs; ``restore_best_weights`` puts back the weights of the best epoch when
    training ends. ``mode='auto'`` maximizes accuracies and AUCs and minimizes the rest; a
    ``baseline`` must be beaten before the patience counter resets.
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__()
        self.monitor, self.patience, self.verbose = monitor, patience, verbose
        self.baseline, self.restore_best_weights = baseline, restore_best_weights
        self.start_from_epoch = start_from_epoch
        if mode not in ("auto", "min", "max"):
            print("EarlyStopping mode %s is unknown, fallback to auto mode." % mode)
            mode = "auto"
        if mode == "auto":
            name = monitor[4:] if monitor.startswith("val_") else monitor
            mode = "max" if "acc" in name or name.startswith("auc") else "min"
        self.mode = mode
        self.min_delta = abs(min_delta)

    def _improves(self, value, reference):
        if self.mode == "max":
            return value - self.min_delta > reference
        return value + self.min_delta < reference

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = -np.inf if self.mode == "max" else np.inf
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        current = (logs or {}).get(self.monitor)
        if current is None:
            print("Early stopping conditioned on metric `%s` which is not available. Available "
                  "metrics are: %s" % (self.monitor, ",".join(logs or {})))
            return
        if epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            # Weights of the first watched epoch, in case no later epoch improves on it.
            self.best_weights, self.best_epoch = self.model.get_weights(), epoch
        self.wait += 1
        if self._improves(current, self.best):
            self.best, self.best_epoch = current, epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._improves(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print("Epoch %d: early stopping" % (self.stopped_epoch + 1))
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print("Restoring model weights from the end of the best epoch: %d."
                      % (self.best_epoch + 1))
            self.model.set_weights(self.best_weights)


class ModelCheckpoint(Callback):
    """Saves the model's weights after every epoch (or only when ``monitor`` improves, with
    ``save_best_only``) to ``filepath`` formatted with the epoch and the logs, e.g.
    ``'weights.{epoch:02d}-{val_loss:.2f}'``.

    graphflow has one on-disk format, the Saver's checkpoint, so the weights are written in it
    whatever ``save_weights_only`` says (and whatever the file suffix).
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch", period=1):
        super().__init__()
        self.filepath, self.monitor, self.verbose = os.fspath(filepath), monitor, verbose
        self.save_best_only, self.save_weights_only = save_best_only, save_weights_only
        self.period = period
        if save_freq != "epoch":
            raise ValueError("Unrecognized save_freq: %r (graphflow checkpoints once per "
                             "epoch: 'epoch', with `period`)" % (save_freq,))
        if mode == "auto":
            mode = "max" if "acc" in monitor or monitor.startswith("auc") else "min"
        if mode not in ("min", "max"):
            raise ValueError("ModelCheckpoint mode %s is unknown" % mode)
        self.mode = mode
        self.best = -np.inf if mode == "max" else np.inf
        self._since_last = 0

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self._since_last += 1
        if self._since_last < self.period:
            return
        self._since_last = 0
        path = self.filepath.format(epoch=epoch + 1, **logs)
        if not self.save_best_only:
            if self.verbose > 0:
                print("\nEpoch %05d: saving model to %s" % (epoch + 1, path))
            self.model.save_weights(path)
            return
        current = logs.get(self.monitor)
        if current is None:
            print("Can save best model only with %s available, skipping." % self.monitor)
            return
        improved = current > self.best if self.mode == "max" else current < self.best
        if improved:
            if self.verbose > 0:
                print("\nEpoch %05d: %s improved from %0.5f to %0.5f, saving model to %s"
                      % (epoch + 1, self.monitor, self.best, current, path))
            self.best = current
            self.model.save_weights(path)
        elif self.verbose > 0:
            print("\nEpoch %05d: %s did not improve from %0.5f" % (epoch + 1, self.monitor,
                                                                   self.best))


class LambdaCallback(Callback):
    """A callback from plain functions: ``LambdaCallback(on_epoch_end=lambda epoch, logs: ...)``.
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_batch_begin=None,
                 on_batch_end=None, on_train_begin=None, on_train_end=None, **kwargs):
        super().__init__()
        hooks = dict(kwargs, on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
                     on_batch_begin=on_batch_begin, on_batch_end=on_batch_end,
                     on_train_begin=on_train_begin, on_train_end=on_train_end)
        for hook, function in hooks.items():
            if function is not None:
                setattr(self, hook, function)


class TerminateOnNaN(Callback):
    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not np.isfinite(loss):
            print("Batch %d: Invalid loss, terminating training" % batch)
            self.model.stop_training = True
