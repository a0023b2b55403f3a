"""``tf.keras.Model``: a layer graph from input placeholders to an output tensor, trained with
``compile`` / ``fit`` the way TF1's Keras does it in graph mode.

The model's graph holds everything it runs, built once: the forward pass (when the model is
built), then at the first ``fit``/``evaluate`` the target and sample-weight placeholders, the
loss (the mean of the weighted per-sample loss, plus every layer's weight penalties), the
metrics and the optimizer's train op (grouped with the layers' updates, such as batch-norm
moving averages). A batch is then one ``Session.run`` of a fixed fetch list: the train fetches
with the learning phase fed True, the eval fetches with it left False, the predict fetch; the
Session's plan cache compiles each once. Variables are initialized on first use, in whatever
session the model runs in (``tf.keras.backend.get_session``).
"""
import os

import numpy as np

from ..framework import graph as graph_mod
from ..ops import array as array_ops
from ..ops import math as math_ops
from ..ops import state as state_ops
from ..train import saver as saver_mod
from . import backend
from . import callbacks as callbacks_mod
from . import losses as losses_mod
from . import metrics as metrics_mod
from . import optimizers as optimizers_mod
from . import summary as summary_mod
from . import utils
from .summary import shape_text
from .layers import InputLayer


def _layers_behind(outputs):
    """The layers that produced ``outputs`` from their inputs, in Keras's order: farthest from
    the outputs first (the input layers); layers at the same depth in the order a depth-first
    walk from the outputs (in order, inputs before consumers) first finishes them. Weight lists
    (get_weights, set_weights, checkpoints) follow this order."""
    nodes, finished = {}, {}  # (layer id, node) -> (call order, layer, inputs); layer id -> rank

    def history_of(tensor):
        history = getattr(tensor, "_keras_history", None)
        if history is None:
            raise ValueError("Output tensors of a Model must be the output of a Keras layer "
                             "(a tensor from tf.keras.Input or a layer call); found %s."
                             % tensor)
        return history

    # An explicit stack instead of recursion: deep models (long unrolled chains) stay safe.
    stack = [(tensor, False) for tensor in reversed(list(outputs))]
    while stack:
        tensor, inputs_done = stack.pop()
        layer, node, order = history_of(tensor)
        key = (id(layer), node)
        if inputs_done:
            finished.setdefault(id(layer), len(finished))
            continue
        if key in nodes:
            continue
        inbound = list(layer._nodes[node][0]) + list(layer._nodes[node][2])
        nodes[key] = (order, layer, inbound)
        stack.append((tensor, True))
        stack.extend((t, False) for t in reversed(inbound))
    # A node is called after every node it consumes, so visiting nodes from the last call back
    # settles each node's depth before its inputs read it.
    depth = {key: 0 for key in nodes}
    for key in sorted(nodes, key=lambda k: -nodes[k][0]):
        for tensor in nodes[key][2]:
            layer, node, _ = tensor._keras_history
            producer = (id(layer), node)
            depth[producer] = max(depth[producer], depth[key] + 1)
    layers = {}
    for key, (_, layer, _) in nodes.items():
        deepest = max(layers.get(id(layer), (0,))[0], depth[key])
        layers[id(layer)] = (deepest, finished[id(layer)], layer)
    return [layer for _, _, layer in sorted(layers.values(), key=lambda t: (-t[0], t[1]))]


def _as_list(value):
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _is_generator_like(x):
    return hasattr(x, "__next__") or (hasattr(x, "__getitem__") and hasattr(x, "__len__")
                                      and not isinstance(x, (np.ndarray, list, tuple, dict)))


class Model:
    """``Model(inputs, outputs)``: inputs from ``tf.keras.Input``, outputs from layer calls."""

    _default_name = "model"

    def __init__(self, inputs=None, outputs=None, name=None, **kwargs):
        self._graph = graph_mod.get_default_graph()
        with self._graph.as_default():
            self.name = name or _unique_model_name(self._default_name)
        self.stop_training = False
        self.history = None
        self.optimizer = None
        self.loss = None
        self._compiled = False
        self._graph_network = False
        self._training_graph = None
        if inputs is not None or outputs is not None:
            self._init_graph_network(inputs, outputs)

    def _init_graph_network(self, inputs, outputs):
        self.inputs, self.outputs = _as_list(inputs), _as_list(outputs)
        if not self.inputs or not self.outputs:
            raise ValueError("A functional Model needs both `inputs` and `outputs`.")
        self._layers = _layers_behind(self.outputs)
        for tensor in self.inputs:
            history = getattr(tensor, "_keras_history", None)
            if history is None or not isinstance(history[0], InputLayer):
                raise ValueError("Input tensors to a Model must come from `tf.keras.Input`. "
                                 "Received: %s" % tensor)
        reached = {id(layer) for layer in self._layers}
        for tensor in self.inputs:
            if id(tensor._keras_history[0]) not in reached:
                raise ValueError("Input %s is not connected to the outputs of the model."
                                 % tensor.name)
        self._graph_network = True

    # -- structure ---------------------------------------------------------------------------
    @property
    def layers(self):
        return list(self._layers) if self._graph_network else []

    @property
    def built(self):
        return self._graph_network

    def _unique(self, lists):
        seen, out = set(), []
        for items in lists:
            for item in items:
                if id(item) not in seen:
                    seen.add(id(item))
                    out.append(item)
        return out

    @property
    def weights(self):
        return self._unique(layer.weights for layer in self.layers)

    variables = weights

    @property
    def trainable_weights(self):
        return self._unique(layer.trainable_weights for layer in self.layers)

    trainable_variables = trainable_weights

    @property
    def non_trainable_weights(self):
        return self._unique(layer.non_trainable_weights for layer in self.layers)

    @property
    def losses(self):
        """The layers' weight (and activity) penalties, which the training loss adds."""
        return self._unique(layer.losses for layer in self.layers)

    @property
    def updates(self):
        return self._unique(layer.updates for layer in self.layers)

    @property
    def input(self):
        self._require_built("input")
        return self.inputs[0] if len(self.inputs) == 1 else self.inputs

    @property
    def output(self):
        self._require_built("output")
        return self.outputs[0] if len(self.outputs) == 1 else self.outputs

    @property
    def input_shape(self):
        shapes = [backend.int_shape(t) for t in _as_list(self.input)]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        shapes = [backend.int_shape(t) for t in _as_list(self.output)]
        return shapes[0] if len(shapes) == 1 else shapes

    def get_layer(self, name=None, index=None):
        if index is not None:
            if len(self.layers) <= index:
                raise ValueError("Was asked to retrieve layer at index %d but model only has "
                                 "%d layers." % (index, len(self.layers)))
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError("No such layer: %s. Existing layers are: %s."
                         % (name, [layer.name for layer in self.layers]))

    def count_params(self):
        self._require_built("count_params")
        return int(sum(backend.count_params(w) for w in self.weights))

    def summary(self, line_length=None, positions=None, print_fn=None):
        self._require_built("summary")
        summary_mod.print_summary(self, line_length, positions, print_fn)

    def _require_built(self, what):
        if not self.built:
            raise ValueError("This model has not yet been built. Build the model first by "
                             "calling `build()` or by calling the model on a batch of data "
                             "(fit/predict), or give its first layer an `input_shape` "
                             "argument (asked for: %s)." % what)

    def _build_from_data(self, arrays):
        """Sequential models learn their input shape from the first data they see."""

    # -- compile -----------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None,
                sample_weight_mode=None, weighted_metrics=None, target_tensors=None, **kwargs):
        if isinstance(loss, dict) or (isinstance(loss, (list, tuple)) and len(loss) != 1):
            raise ValueError("graphflow's Keras trains single-output models: give one loss, "
                             "not %r." % (loss,))
        if loss is None:
            raise ValueError("compile() needs a `loss`, e.g. loss='categorical_crossentropy'.")
        if target_tensors is not None or sample_weight_mode is not None:
            raise ValueError("target_tensors and sample_weight_mode are not supported: feed "
                             "targets and per-sample weights through fit().")
        with self._graph.as_default():
            self.optimizer = optimizers_mod.get(optimizer)
        self.loss = loss[0] if isinstance(loss, (list, tuple)) else loss
        self._loss_fn = losses_mod.get(self.loss)
        self._metric_ids = list(metrics or [])
        self._compiled = True
        self._training_graph = None  # a new compile builds a new loss and train op

    def _assert_compiled(self):
        if not self._compiled:
            raise RuntimeError("You must compile your model before training/testing. Use "
                               "`model.compile(optimizer, loss)`.")

    @property
    def metrics_names(self):
        if not self._compiled:
            return []
        return ["loss"] + [name for name, _ in self._resolved_metrics()]

    def _resolved_metrics(self):
        output_shape = backend.int_shape(self.outputs[0]) if self.built else None
        return [metrics_mod.resolve(m, self._loss_fn, output_shape) for m in self._metric_ids]

    def _ensure_training_graph(self):
        if self._training_graph is None:
            if len(self.outputs) != 1:
                raise ValueError("graphflow's Keras trains single-output models; this one has "
                                 "%d outputs." % len(self.outputs))
            with self._graph.as_default():
                self._training_graph = _TrainingGraph(self)
        return self._training_graph

    # -- sessions and weights ----------------------------------------------------------------
    def _session(self):
        session = backend.get_session(self._graph)
        self._initialize_variables(session)
        return session

    def _model_variables(self):
        variables = list(self.weights)
        if self._training_graph is not None:
            variables += self._training_graph.optimizer_variables
        return variables

    def _initialize_variables(self, session):
        backend.initialize_variables(session, self._model_variables())

    def get_weights(self):
        self._require_built("get_weights")
        return [np.asarray(v) for v in self._session().run(self.weights)]

    def set_weights(self, weights):
        self._require_built("set_weights")
        assigner = self._assigner()
        assigner.assign(self._session(), weights)

    def _assigner(self):
        if getattr(self, "_weight_assigner", None) is None or \
                self._weight_assigner.variables != self.weights:
            with self._graph.as_default():
                self._weight_assigner = _WeightAssigner(self.weights)
        return self._weight_assigner

    def _checkpoint_keys(self):
        """Checkpoint keys by position, ``layer_with_weights-<i>/<weight>``, so that weights
        load into an identical model whatever its layers are named."""
        keys, index = {}, 0
        for layer in self.layers:
            if not layer.weights:
                continue
            for var in layer.weights:
                keys["layer_with_weights-%d/%s" % (index, var.op.name.rsplit("/", 1)[-1])] = var
            index += 1
        return keys

    def _weights_saver(self):
        keys = self._checkpoint_keys()
        saver = getattr(self, "_saver", None)
        if saver is None or saver._vars != keys:
            with self._graph.as_default():
                saver = self._saver = saver_mod.Saver(keys, max_to_keep=None,
                                                      name="save_weights")
        return saver

    def save_weights(self, filepath, overwrite=True, save_format=None):
        """Writes the weights as a Saver checkpoint with prefix ``filepath`` (plus the
        directory's ``checkpoint`` state file)."""
        self._require_built("save_weights")
        filepath = os.fspath(filepath)
        directory = os.path.dirname(filepath)
        if directory:
            os.makedirs(directory, exist_ok=True)
        return self._weights_saver().save(self._session(), filepath, write_meta_graph=False)

    def load_weights(self, filepath, by_name=False):
        """Restores weights saved by ``save_weights`` (a prefix, or a directory holding a
        ``checkpoint`` file) into this model, matched by layer position."""
        self._require_built("load_weights")
        filepath = os.fspath(filepath)
        if os.path.isdir(filepath):
            latest = saver_mod.latest_checkpoint(filepath)
            if latest is None:
                raise ValueError("No checkpoint found in directory %s" % filepath)
            filepath = latest
        self._weights_saver().restore(self._session(), filepath)

    # -- data checks -------------------------------------------------------------------------
    def _standardize_inputs(self, x):
        arrays = [np.asarray(a) for a in _as_list(x)] if isinstance(x, (list, tuple)) else \
            [np.asarray(x)]
        if isinstance(x, dict):
            raise ValueError("Feed a list of arrays, one per model input, not a dict.")
        self._build_from_data(arrays)
        if len(arrays) != len(self.inputs):
            raise ValueError("Error when checking model input: the list of Numpy arrays that "
                             "you are passing to your model is not the size the model expected. "
                             "Expected to see %d array(s), but instead got %d."
                             % (len(self.inputs), len(arrays)))
        checked = []
        for tensor, array in zip(self.inputs, arrays):
            name = tensor.op.name
            expected = backend.int_shape(tensor)
            if array.ndim != len(expected):
                raise ValueError("Error when checking input: expected %s to have %d dimensions, "
                                 "but got array with shape %s" % (name, len(expected),
                                                                  shape_text(array.shape)))
            for want, got in zip(expected[1:], array.shape[1:]):
                if want is not None and want != got:
                    raise ValueError("Error when checking input: expected %s to have shape %s "
                                     "but got array with shape %s"
                                     % (name, shape_text(expected[1:]),
                                        shape_text(array.shape[1:])))
            checked.append(array.astype(tensor.dtype.numpy_dtype, copy=False))
        return checked

    def _standardize_targets(self, y, count):
        training = self._ensure_training_graph()
        y = np.asarray(y)
        target = training.target
        expected = backend.int_shape(target)
        if training.sparse:
            if y.ndim == 2 and y.shape[1] == 1:
                y = y[:, 0]
            if y.ndim != 1:
                raise ValueError("Error when checking target: expected %s to have shape (1,) "
                                 "but got array with shape %s"
                                 % (training.output_name, shape_text(y.shape[1:])))
        else:
            if y.ndim == 1 and len(expected) == 2:
                y = y[:, None]
            if y.ndim != len(expected):
                raise ValueError("Error when checking target: expected %s to have %d "
                                 "dimensions, but got array with shape %s"
                                 % (training.output_name, len(expected), shape_text(y.shape)))
            for want, got in zip(expected[1:], y.shape[1:]):
                if want is not None and want != got:
                    hint = ""
                    if self._loss_fn is losses_mod.categorical_crossentropy and \
                            y.shape[1:] == (1,):
                        hint = (" You are passing a target array of shape %s while using as "
                                "loss `categorical_crossentropy`, which expects targets to be "
                                "one-hot (tf.keras.utils.to_categorical), or use "
                                "`sparse_categorical_crossentropy` for integer targets."
                                % shape_text(y.shape))
                    raise ValueError("Error when checking target: expected %s to have shape %s "
                                     "but got array with shape %s.%s"
                                     % (training.output_name, shape_text(expected[1:]),
                                        shape_text(y.shape[1:]), hint))
        if len(y) != count:
            raise ValueError("Input arrays should have the same number of samples as target "
                             "arrays. Found %d input samples and %d target samples."
                             % (count, len(y)))
        return y.astype(target.dtype.numpy_dtype, copy=False)

    def _sample_weights(self, y, count, sample_weight, class_weight):
        weights = np.ones(count, np.float32) if sample_weight is None else \
            np.asarray(sample_weight, np.float32).reshape(-1)
        if len(weights) != count:
            raise ValueError("Found a sample_weight array with shape %s for an input with shape "
                             "(%d,). sample_weight cannot be broadcast."
                             % (shape_text(weights.shape), count))
        if class_weight:
            classes = y if y.ndim == 1 else (y.argmax(-1) if y.shape[-1] > 1 else y[:, 0])
            lookup = np.vectorize(lambda c: class_weight.get(int(c), 1.0), otypes=[np.float32])
            weights = weights * lookup(classes)
        return weights

    def _prepare(self, x, y, sample_weight=None, class_weight=None):
        inputs = self._standardize_inputs(x)
        count = len(inputs[0])
        if any(len(a) != count for a in inputs):
            raise ValueError("All input arrays (x) should have the same number of samples. "
                             "Got array shapes: %s" % [a.shape for a in inputs])
        targets = self._standardize_targets(y, count)
        return inputs, targets, self._sample_weights(targets, count, sample_weight,
                                                     class_weight)

    # -- training and testing ------------------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose=1, callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_freq=1, **kwargs):
        """Trains for ``epochs`` passes over (x, y) in batches of ``batch_size`` (32), or over
        ``steps_per_epoch`` batches from a generator; returns the History."""
        self._assert_compiled()
        if _is_generator_like(x):
            return self.fit_generator(x, steps_per_epoch, epochs, verbose, callbacks,
                                      validation_data, validation_steps, validation_freq,
                                      class_weight, shuffle=shuffle,
                                      initial_epoch=initial_epoch)
        if x is None or y is None:
            raise ValueError("fit() needs both x and y (or a generator of (x, y) batches).")
        batch_size = 32 if batch_size is None else int(batch_size)
        inputs, targets, weights = self._prepare(x, y, sample_weight, class_weight)
        validation = None
        if validation_data is not None:
            if len(validation_data) not in (2, 3):
                raise ValueError("When passing validation_data, it must contain 2 (x_val, y_val) "
                                 "or 3 (x_val, y_val, val_sample_weights) items, however it "
                                 "contains %d items" % len(validation_data))
            validation = self._prepare(*validation_data)
        elif validation_split:
            if not 0.0 < validation_split < 1.0:
                raise ValueError("validation_split must be in [0, 1): %s" % validation_split)
            split = int(len(targets) * (1.0 - validation_split))
            validation = ([a[split:] for a in inputs], targets[split:], weights[split:])
            inputs, targets, weights = [a[:split] for a in inputs], targets[:split], \
                weights[:split]
        count = len(targets)
        if verbose:
            print("Train on %d samples%s" % (count, "" if validation is None else
                                             ", validate on %d samples" % len(validation[1])),
                  flush=True)

        def epoch_batches(epoch):
            if shuffle == "batch":
                starts = np.random.permutation(np.arange(0, count, batch_size))
                order = np.concatenate([np.arange(s, min(s + batch_size, count))
                                        for s in starts]) if count else np.arange(0)
            else:
                order = np.random.permutation(count) if shuffle else np.arange(count)
            for start in range(0, count, batch_size):
                index = order[start:start + batch_size]
                yield [a[index] for a in inputs], targets[index], weights[index]

        def run_validation():
            return self._test_loop(*validation, batch_size=batch_size)

        return self._train_loop(epoch_batches, epochs, verbose, callbacks, initial_epoch,
                                validation is not None and run_validation, validation_freq,
                                samples=count, steps=None, batch_size=batch_size)

    def fit_generator(self, generator, steps_per_epoch=None, epochs=1, verbose=1,
                      callbacks=None, validation_data=None, validation_steps=None,
                      validation_freq=1, class_weight=None, max_queue_size=10, workers=1,
                      use_multiprocessing=False, shuffle=True, initial_epoch=0):
        """Trains on batches from a generator (``ImageDataGenerator.flow(...)``, a Sequence, or
        any iterator of (x, y) or (x, y, sample_weight))."""
        self._assert_compiled()
        if steps_per_epoch is None:
            if not hasattr(generator, "__len__"):
                raise ValueError("steps_per_epoch=None is only valid for a generator with a "
                                 "length (a Sequence or a Keras iterator); give "
                                 "steps_per_epoch.")
            steps_per_epoch = len(generator)
        steps_per_epoch = int(steps_per_epoch)
        batches = _BatchSource(generator)

        def epoch_batches(epoch):
            for _ in range(steps_per_epoch):
                batch = batches.next()
                x, y = batch[0], batch[1]
                sample_weight = batch[2] if len(batch) > 2 else None
                yield self._prepare(x, y, sample_weight, class_weight)
            batches.epoch_end()

        run_validation = None
        if validation_data is not None:
            if _is_generator_like(validation_data):
                source = _BatchSource(validation_data)
                steps = validation_steps or len(validation_data)

                def run_validation():
                    prepared = [self._prepare(*source.next()) for _ in range(int(steps))]
                    source.epoch_end()
                    return self._test_loop(
                        [np.concatenate([p[0][i] for p in prepared])
                         for i in range(len(prepared[0][0]))],
                        np.concatenate([p[1] for p in prepared]),
                        np.concatenate([p[2] for p in prepared]), batch_size=32)
            else:
                def run_validation():
                    prepared = self._prepare(*validation_data)
                    return self._test_loop(*prepared, batch_size=32)

        return self._train_loop(epoch_batches, epochs, verbose, callbacks, initial_epoch,
                                run_validation, validation_freq, samples=None,
                                steps=steps_per_epoch)

    def _train_loop(self, epoch_batches, epochs, verbose, callbacks, initial_epoch,
                    run_validation, validation_freq, samples, steps, batch_size=None):
        training = self._ensure_training_graph()
        names = self.metrics_names
        do_validation = bool(run_validation)
        self.history = callbacks_mod.History()
        callback_list = _as_list(callbacks) + [self.history]
        if verbose:
            callback_list.append(callbacks_mod.ProgbarLogger(
                "samples" if samples is not None else "steps"))
        params = {"batch_size": batch_size, "epochs": epochs, "steps": steps, "samples": samples,
                  "verbose": verbose, "do_validation": do_validation,
                  "metrics": names + (["val_" + n for n in names] if do_validation else [])}
        callback_list = callbacks_mod.CallbackList(callback_list, model=self, params=params)
        self.stop_training = False
        callback_list.on_train_begin()
        for epoch in range(initial_epoch, epochs):
            callback_list.on_epoch_begin(epoch)
            totals, seen = np.zeros(len(names)), 0
            for index, (inputs, targets, weights) in enumerate(epoch_batches(epoch)):
                batch_logs = {"batch": index, "size": len(targets)}
                callback_list.on_train_batch_begin(index, batch_logs)
                session = self._session()
                values = session.run(training.train_fetches,
                                     training.feed(inputs, targets, weights, train=True))[1:]
                batch_logs.update(zip(names, values))
                callback_list.on_train_batch_end(index, batch_logs)
                totals += np.asarray(values, np.float64) * len(targets)
                seen += len(targets)
                if self.stop_training:
                    break
            epoch_logs = {name: float(total / max(seen, 1)) for name, total in zip(names, totals)}
            if do_validation and (epoch + 1) % validation_freq == 0:
                values = run_validation()
                epoch_logs.update(("val_" + n, float(v)) for n, v in zip(names, values))
            callback_list.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        callback_list.on_train_end()
        return self.history

    def _test_loop(self, inputs, targets, weights, batch_size=32, verbose=0):
        training = self._ensure_training_graph()
        session = self._session()
        totals, count = np.zeros(len(training.eval_fetches)), len(targets)
        progbar = utils.Progbar(count, verbose=verbose, unit_name="sample") if verbose else None
        for start in range(0, count, batch_size):
            end = min(start + batch_size, count)
            values = session.run(training.eval_fetches, training.feed(
                [a[start:end] for a in inputs], targets[start:end], weights[start:end]))
            totals += np.asarray(values, np.float64) * (end - start)
            if progbar is not None:
                progbar.update(end, list(zip(self.metrics_names, values)))
        # Keras hands back the float32 values its session returned (averaged over batches).
        return [np.float32(v) for v in totals / max(count, 1)]

    def evaluate(self, x=None, y=None, batch_size=None, verbose=1, sample_weight=None,
                 steps=None, callbacks=None, **kwargs):
        """The loss (and metrics) over (x, y): a scalar, or ``[loss, metric...]``."""
        self._assert_compiled()
        if _is_generator_like(x):
            return self.evaluate_generator(x, steps, verbose=verbose)
        inputs, targets, weights = self._prepare(x, y, sample_weight)
        values = self._test_loop(inputs, targets, weights, batch_size or 32, verbose)
        return values[0] if len(values) == 1 else values

    def evaluate_generator(self, generator, steps=None, verbose=0, **kwargs):
        self._assert_compiled()
        steps = int(steps if steps is not None else len(generator))
        source, totals, count = _BatchSource(generator), None, 0
        for _ in range(steps):
            batch = source.next()
            inputs, targets, weights = self._prepare(*batch)
            values = np.asarray(self._test_loop(inputs, targets, weights, len(targets)))
            totals = values * len(targets) if totals is None else totals + values * len(targets)
            count += len(targets)
        values = list(totals / max(count, 1))
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=None, verbose=0, steps=None, **kwargs):
        """The model's outputs for ``x``, computed ``batch_size`` (32) samples at a time."""
        if _is_generator_like(x):
            return self.predict_generator(x, steps)
        inputs = self._standardize_inputs(x)
        batch_size = batch_size or 32
        session, count = self._session(), len(inputs[0])
        feeds = self.inputs
        chunks = [session.run(self.outputs, dict(zip(feeds, [a[s:s + batch_size]
                                                             for a in inputs])))
                  for s in range(0, count, batch_size)]
        if not chunks:
            return np.zeros((0,) + backend.int_shape(self.outputs[0])[1:], np.float32)
        outputs = [np.concatenate([c[i] for c in chunks]) for i in range(len(self.outputs))]
        return outputs[0] if len(outputs) == 1 else outputs

    def predict_generator(self, generator, steps=None, **kwargs):
        steps = int(steps if steps is not None else len(generator))
        source = _BatchSource(generator)
        parts = []
        for _ in range(steps):
            parts.append(self.predict(source.next()[0]))
        return np.concatenate(parts)

    def predict_on_batch(self, x):
        inputs = self._standardize_inputs(x)
        outputs = self._session().run(self.outputs, dict(zip(self.inputs, inputs)))
        return outputs[0] if len(outputs) == 1 else outputs

    def train_on_batch(self, x, y, sample_weight=None, class_weight=None):
        """One optimizer step on (x, y); returns the loss (and metrics) before the step."""
        self._assert_compiled()
        training = self._ensure_training_graph()
        inputs, targets, weights = self._prepare(x, y, sample_weight, class_weight)
        values = self._session().run(training.train_fetches,
                                     training.feed(inputs, targets, weights, train=True))[1:]
        return values[0] if len(values) == 1 else list(values)

    def test_on_batch(self, x, y, sample_weight=None):
        self._assert_compiled()
        training = self._ensure_training_graph()
        inputs, targets, weights = self._prepare(x, y, sample_weight)
        values = self._session().run(training.eval_fetches,
                                     training.feed(inputs, targets, weights))
        return values[0] if len(values) == 1 else list(values)

    def __call__(self, inputs, **kwargs):
        raise TypeError("Calling a graphflow Keras model on new tensors is not supported; call "
                        "its layers instead, or feed data with predict().")


class _TrainingGraph:
    """What compile + the first fit/evaluate add to the model's graph, built once."""

    def __init__(self, model):
        output = model.outputs[0]
        self.model = model
        self.output_name = output._keras_history[0].name
        loss_fn = model._loss_fn
        self.sparse = loss_fn is losses_mod.sparse_categorical_crossentropy
        if self.sparse:
            self.target = array_ops.placeholder("int64", [None], name=self.output_name +
                                                "_target")
        else:
            self.target = array_ops.placeholder(output.dtype.base_dtype,
                                                [None] + output.shape.as_list()[1:],
                                                name=self.output_name + "_target")
        self.sample_weights = array_ops.placeholder("float32", [None], name=self.output_name +
                                                    "_sample_weights")
        with graph_mod.name_scope("loss"):
            per_sample = loss_fn(self.target, output)
            if per_sample.shape.ndims is None or per_sample.shape.ndims > 1:
                # A loss per pixel or per step: each sample's mean of them.
                flat = array_ops.reshape(per_sample, array_ops.stack(
                    [array_ops.shape(per_sample)[0], -1]))
                per_sample = math_ops.reduce_mean(flat, axis=1)
            weighted = per_sample * math_ops.cast(self.sample_weights, per_sample.dtype)
            total = math_ops.reduce_mean(weighted, name="value")
            penalties = model.losses
            if penalties:
                total = math_ops.add_n([total] + [math_ops.cast(p, total.dtype)
                                                  for p in penalties], name="total_loss")
        self.total_loss = total
        metric_tensors = []
        for name, metric_fn in model._resolved_metrics():
            with graph_mod.name_scope("metrics/" + name):
                metric_tensors.append(math_ops.reduce_mean(math_ops.cast(
                    metric_fn(self.target, output), "float32")))
        self.metric_tensors = metric_tensors
        trainable = model.trainable_weights
        if not trainable:
            raise ValueError("The model has no trainable weights to fit.")
        with graph_mod.name_scope("training"):
            minimize = model.optimizer.minimize(total, var_list=trainable)
            self.train_op = state_ops.group(minimize, *model.updates)
        self.optimizer_variables = [v for v in _optimizer_variables(model.optimizer, model)]
        self.learning_phase = backend.learning_phase()
        self.train_fetches = [self.train_op, total] + metric_tensors
        self.eval_fetches = [total] + metric_tensors

    def feed(self, inputs, targets, weights, train=False):
        feed = dict(zip(self.model.inputs, inputs))
        feed[self.target] = targets
        feed[self.sample_weights] = weights
        if train and not isinstance(self.learning_phase, int):
            feed[self.learning_phase] = True
        return feed


def _optimizer_variables(optimizer, model):
    with model._graph.as_default():
        return optimizer.variables()


class _WeightAssigner:
    """Placeholders and assign ops that load numpy values into the weights (built once)."""

    def __init__(self, variables):
        self.variables = list(variables)
        self.values = [array_ops.placeholder(v.dtype.base_dtype, v.shape,
                                             name="assign_value") for v in self.variables]
        with graph_mod.name_scope("set_weights"):
            self.op = state_ops.group(*[state_ops.assign(v, p) for v, p in
                                        zip(self.variables, self.values)])

    def assign(self, session, weights):
        if len(weights) != len(self.variables):
            raise ValueError("You called `set_weights(weights)` with a weight list of length "
                             "%d, but the model has %d weights."
                             % (len(weights), len(self.variables)))
        feed = {}
        for var, placeholder, value in zip(self.variables, self.values, weights):
            value = np.asarray(value)
            if tuple(var.shape.as_list()) != value.shape:
                raise ValueError("Layer weight shape %s not compatible with provided weight "
                                 "shape %s (weight %s)" % (tuple(var.shape.as_list()),
                                                           value.shape, var.op.name))
            feed[placeholder] = value
        session.run(self.op, feed)


class _BatchSource:
    """Batches from an iterator (``next``) or a Sequence (``[i]``, ``on_epoch_end``)."""

    def __init__(self, data):
        self.data = data
        self.indexed = not hasattr(data, "__next__")
        self.position = 0

    def next(self):
        if self.indexed:
            batch = self.data[self.position % len(self.data)]
            self.position += 1
        else:
            batch = next(self.data)
        return tuple(batch) if isinstance(batch, (list, tuple)) else (batch,)

    def epoch_end(self):
        if self.indexed and hasattr(self.data, "on_epoch_end"):
            self.data.on_epoch_end()
            self.position = 0


def _unique_model_name(base):
    from .. import layers as tf_layers
    return tf_layers._unique_layer_name(base)

