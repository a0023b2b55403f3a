"""``tf.train.Saver`` and the ``checkpoint`` state file, with TF1's names and behaviour.

A save writes ``prefix.data-00000-of-00001``, then ``prefix.index``, then ``prefix.meta``, and
only then the ``checkpoint`` state file, each atomically: a process killed at any moment leaves
``latest_checkpoint`` pointing at a complete checkpoint. Restore reads with CRC checks and
assigns through ops the Saver built up front, so no graph ops are created at run time.
"""
import os
import re
import time

import numpy as np

from ..framework import errors, graph as graph_mod
from ..framework.graph import GraphKeys
from ..ops import array as array_ops
from ..ops import state as state_ops
from ..ops.state import Variable
from . import checkpoint_format, meta_graph

_STATE_LINE = re.compile(r'^\s*(model_checkpoint_path|all_model_checkpoint_paths)\s*:\s*"(.*)"\s*$')


class CheckpointState:
    def __init__(self, model_checkpoint_path, all_model_checkpoint_paths):
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = list(all_model_checkpoint_paths)

    def __repr__(self):
        return "CheckpointState(%r, %r)" % (self.model_checkpoint_path,
                                            self.all_model_checkpoint_paths)


def _escape(path):
    return path.replace("\\", "\\\\").replace('"', '\\"')


def _unescape(text):
    return text.replace('\\"', '"').replace("\\\\", "\\")


def update_checkpoint_state(save_dir, model_checkpoint_path, all_model_checkpoint_paths=None,
                            latest_filename=None, save_relative_paths=False):
    paths = list(all_model_checkpoint_paths or [])
    if model_checkpoint_path not in paths:
        paths.append(model_checkpoint_path)
    if save_relative_paths:
        def rel(p):
            return os.path.relpath(p, save_dir) if os.path.isabs(p) else p
        model_checkpoint_path, paths = rel(model_checkpoint_path), [rel(p) for p in paths]
    lines = ['model_checkpoint_path: "%s"' % _escape(model_checkpoint_path)]
    lines += ['all_model_checkpoint_paths: "%s"' % _escape(p) for p in paths]
    checkpoint_format.atomic_write(os.path.join(save_dir, latest_filename or "checkpoint"),
                                   [("\n".join(lines) + "\n").encode()])


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    path = os.path.join(checkpoint_dir, latest_filename or "checkpoint")
    if not os.path.exists(path):
        return None
    model, all_paths = None, []
    with open(path) as f:
        for line in f:
            m = _STATE_LINE.match(line)
            if m is None:
                if line.strip():
                    raise errors.DataLossError(None, None, "Unparseable line %r in checkpoint "
                                               "state file %s" % (line.strip(), path))
                continue
            value = _unescape(m.group(2))
            if not os.path.isabs(value):
                value = os.path.join(checkpoint_dir, value)
            if m.group(1) == "model_checkpoint_path":
                model = value
            else:
                all_paths.append(value)
    if model is None:
        raise ValueError("Invalid checkpoint state loaded from %s" % checkpoint_dir)
    return CheckpointState(model, all_paths)


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state and checkpoint_format.exists(state.model_checkpoint_path):
        return state.model_checkpoint_path
    return None


def checkpoint_exists(checkpoint_prefix):
    return checkpoint_format.exists(checkpoint_prefix)


def _resolve(ckpt_dir_or_file):
    if os.path.isdir(ckpt_dir_or_file):
        found = latest_checkpoint(ckpt_dir_or_file)
        if found is None:
            raise ValueError("Couldn't find 'checkpoint' file or checkpoints in given "
                             "directory %s" % ckpt_dir_or_file)
        return found
    return ckpt_dir_or_file


def NewCheckpointReader(filepattern):  # noqa: N802 - TF1's name
    return checkpoint_format.Reader(filepattern)


def list_variables(ckpt_dir_or_file):
    reader = checkpoint_format.Reader(_resolve(ckpt_dir_or_file))
    return sorted(reader.get_variable_to_shape_map().items())


def load_variable(ckpt_dir_or_file, name):
    if name.endswith(":0"):
        name = name[:-2]
    return checkpoint_format.Reader(_resolve(ckpt_dir_or_file)).get_tensor(name)


def _var_dict(var_list):
    if var_list is None:
        var_list = graph_mod.get_collection(GraphKeys.GLOBAL_VARIABLES) + \
            graph_mod.get_collection(GraphKeys.SAVEABLE_OBJECTS)
    if isinstance(var_list, dict):
        return dict(var_list)
    names = {}
    for v in var_list:
        if not isinstance(v, Variable):
            raise TypeError("Saver's var_list holds %r, which is not a Variable" % (v,))
        name = v.op.name
        if name in names and names[name] is not v:
            raise ValueError("At least two variables have the same name: %s" % name)
        names[name] = v
    return names


class Saver:
    def __init__(self, var_list=None, reshape=False, sharded=False, max_to_keep=5,
                 keep_checkpoint_every_n_hours=10000.0, name=None, restore_sequentially=False,
                 saver_def=None, builder=None, defer_build=False, allow_empty=False,
                 write_version=2, pad_step_number=False, save_relative_paths=False,
                 filename=None):
        self._vars = _var_dict(var_list)
        if not self._vars and not allow_empty:
            raise ValueError("No variables to save")
        self._reshape = reshape
        self._max_to_keep = max_to_keep
        self._keep_every = keep_checkpoint_every_n_hours * 3600.0
        self._next_keep_time = time.time() + self._keep_every
        self._save_relative_paths = save_relative_paths
        self._pad_step_number = pad_step_number
        self._last_checkpoints = []  # (prefix, time)
        # Restore ops are built now, once: restoring later only feeds values.
        graph = next(iter(self._vars.values())).graph if self._vars else \
            graph_mod.get_default_graph()
        self._restore_feeds, restore_ops = {}, []
        with graph.as_default(), graph.name_scope(name or "save"):
            for key, var in sorted(self._vars.items()):
                shape = None if reshape else var.get_shape()
                value = array_ops.placeholder(var.dtype.base_dtype, shape,
                                              name="restore_value")
                restore_ops.append(state_ops.assign(var, value, validate_shape=not reshape))
                self._restore_feeds[key] = value
            self._restore_op = state_ops.group(*restore_ops, name="restore_all")
        self.saver_def = {"max_to_keep": max_to_keep,
                          "keep_checkpoint_every_n_hours": keep_checkpoint_every_n_hours}

    def build(self):
        """TF1 builds a deferred Saver here; this one built its ops in the constructor, so
        there is nothing left to do."""

    @property
    def last_checkpoints(self):
        return [p for p, _ in self._last_checkpoints]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time):
        self._last_checkpoints = list(last_checkpoints_with_time)

    def recover_last_checkpoints(self, checkpoint_paths):
        now = time.time()
        self._last_checkpoints = [(p, now) for p in checkpoint_paths
                                  if checkpoint_format.exists(p)]

    # -- save --------------------------------------------------------------------------------------
    def save(self, sess, save_path, global_step=None, latest_filename=None,
             meta_graph_suffix="meta", write_meta_graph=True, write_state=True,
             strip_default_attrs=False, save_debug_info=False):
        if latest_filename and os.path.split(latest_filename)[0]:
            raise ValueError("'latest_filename' must not contain path components")
        if global_step is not None:
            step = global_step if isinstance(global_step, (int, np.integer)) else \
                int(sess.run(global_step))
            prefix = "%s-%08d" % (save_path, step) if self._pad_step_number else \
                "%s-%d" % (save_path, step)
        else:
            prefix = save_path
        save_dir = os.path.dirname(prefix) or "."
        if not os.path.isdir(save_dir):
            raise ValueError("Parent directory of %s doesn't exist, can't save." % save_path)
        keys = sorted(self._vars)
        values = sess.run([self._vars[k]._ref() for k in keys])
        checkpoint_format.write(prefix, dict(zip(keys, [np.asarray(v) for v in values])))
        if write_meta_graph:
            self.export_meta_graph(prefix + "." + meta_graph_suffix, graph=sess.graph)
        self._record(prefix)
        if write_state:
            update_checkpoint_state(save_dir, prefix, self.last_checkpoints, latest_filename,
                                    self._save_relative_paths)
        return prefix

    def _record(self, prefix):
        self._last_checkpoints = [(p, t) for p, t in self._last_checkpoints if p != prefix]
        self._last_checkpoints.append((prefix, time.time()))
        if not self._max_to_keep:
            return
        while len(self._last_checkpoints) > self._max_to_keep:
            oldest, stamp = self._last_checkpoints.pop(0)
            if stamp > self._next_keep_time:
                self._next_keep_time += self._keep_every  # kept for good, like TF1
                continue
            checkpoint_format.remove(oldest)

    def export_meta_graph(self, filename=None, collection_list=None, as_text=False,
                          export_scope=None, clear_devices=False, graph=None, **kwargs):
        return meta_graph.export_meta_graph(filename=filename, collection_list=collection_list,
                                            graph=graph, saver_def=self.saver_def,
                                            clear_devices=clear_devices)

    # -- restore -----------------------------------------------------------------------------------
    def restore(self, sess, save_path):
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        if not checkpoint_format.exists(save_path):
            raise ValueError("The passed save_path is not a valid checkpoint: %s" % save_path)
        reader = checkpoint_format.Reader(save_path)
        missing = sorted(k for k in self._vars if not reader.has_tensor(k))
        if missing:
            raise errors.NotFoundError(
                None, None, "Key %s not found in checkpoint %s. Missing: %s; the checkpoint "
                "holds: %s. Restore a subset with Saver(var_list=...) or rename with a dict."
                % (missing[0], save_path, missing, sorted(reader.entries)))
        values = reader.read(sorted(self._vars))
        feed = {}
        for key, value in values.items():
            var = self._vars[key]
            shape = var.get_shape()
            if shape.is_fully_defined() and tuple(shape.as_list()) != value.shape:
                if not (self._reshape and value.size == shape.num_elements()):
                    raise errors.InvalidArgumentError(
                        None, None, "Shape mismatch restoring %s from %s: the variable has "
                        "shape %s but the checkpoint holds %s. Pass reshape=True to the Saver "
                        "to allow same-size reshapes." % (key, save_path, shape.as_list(),
                                                         list(value.shape)))
                value = value.reshape(shape.as_list())
            feed[self._restore_feeds[key]] = value.astype(var.dtype.base_dtype.numpy_dtype)
        sess.run(self._restore_op, feed)
