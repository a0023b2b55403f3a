"""``tf.saved_model.builder.SavedModelBuilder``: a model as a directory laid out like TF's
(``saved_model.pb`` plus ``variables/variables.index`` and ``variables/variables.data-*``).

The files are graphflow's own formats (the meta graphs as JSON, the variables in graphflow's
checkpoint format): graphflow's loader reads them, TensorFlow does not.
"""
import json
import os

from ..framework import graph as graph_mod
from ..train import checkpoint_format
from ..train import meta_graph as meta_graph_mod
from ..train.saver import Saver
from . import constants
from .loader import FORMAT, saved_model_path, variables_prefix


class SavedModelBuilder:
    def __init__(self, export_dir):
        self._export_dir = export_dir
        if os.path.exists(export_dir):
            if os.listdir(export_dir):
                raise AssertionError(
                    "Export directory already exists, and isn't empty. Please choose a "
                    "different export directory, or delete all the contents of the specified "
                    "directory: %s" % export_dir)
        else:
            os.makedirs(export_dir)
        self._meta_graphs = []
        self._has_saved_variables = False

    def _entry(self, sess_graph, tags, signature_def_map, main_op, clear_devices, saver_def):
        if tags is None or isinstance(tags, str):
            raise TypeError("tags must be a list of strings, got %r" % (tags,))
        signature_def_map = signature_def_map or {}
        for key, signature in signature_def_map.items():
            if not hasattr(signature, "_to_data"):
                raise TypeError("signature_def_map[%r] is not a SignatureDef" % key)
        meta = meta_graph_mod.export_meta_graph(graph=sess_graph, clear_devices=clear_devices,
                                                saver_def=saver_def)
        return {"tags": list(tags), "meta_graph": meta,
                "signature_def": {k: v._to_data() for k, v in signature_def_map.items()},
                "main_op": main_op.name if main_op is not None else None}

    def add_meta_graph_and_variables(self, sess, tags, signature_def_map=None,
                                     assets_collection=None, legacy_init_op=None,
                                     clear_devices=False, main_op=None,
                                     strip_default_attrs=False, saver=None, init_op=None,
                                     train_op=None):
        """Saves the variables of ``sess`` now and records its graph under ``tags``."""
        if self._has_saved_variables:
            raise AssertionError("Graph state including variables and assets has already been "
                                 "saved. Please invoke `add_meta_graph()` instead.")
        graph = sess.graph
        with graph.as_default():
            variables = graph_mod.get_collection(graph_mod.GraphKeys.GLOBAL_VARIABLES) + \
                graph_mod.get_collection(graph_mod.GraphKeys.SAVEABLE_OBJECTS)
            os.makedirs(os.path.join(self._export_dir, constants.VARIABLES_DIRECTORY),
                        exist_ok=True)
            saver = saver or (Saver(variables, allow_empty=True) if variables else None)
            if saver is not None:
                saver.save(sess, variables_prefix(self._export_dir), write_meta_graph=False,
                           write_state=False)
        self._meta_graphs.append(self._entry(
            graph, tags, signature_def_map, main_op if main_op is not None else legacy_init_op,
            clear_devices, saver.saver_def if saver is not None else None))
        self._has_saved_variables = True

    def add_meta_graph(self, tags, signature_def_map=None, assets_collection=None,
                       legacy_init_op=None, clear_devices=False, main_op=None,
                       strip_default_attrs=False, saver=None, init_op=None, train_op=None):
        """Records the default graph under ``tags``, sharing the variables already saved."""
        if not self._has_saved_variables:
            raise AssertionError("Graph state including variables and assets has not been "
                                 "saved yet. Please invoke `add_meta_graph_and_variables()` "
                                 "first.")
        self._meta_graphs.append(self._entry(
            graph_mod.get_default_graph(), tags, signature_def_map,
            main_op if main_op is not None else legacy_init_op, clear_devices, None))

    def save(self, as_text=False):
        """Writes ``saved_model.pb`` (graphflow's JSON form, whatever ``as_text``); returns its
        path as bytes, as TF does."""
        document = {"format": FORMAT, "meta_graphs": self._meta_graphs}
        path = saved_model_path(self._export_dir)
        checkpoint_format.atomic_write(path, [json.dumps(document).encode()])
        return path.encode()


def simple_save(session, export_dir, inputs, outputs, legacy_init_op=None):
    """Saves ``session``'s model for serving: one MetaGraph tagged "serve" whose
    "serving_default" signature maps ``inputs`` and ``outputs`` (dicts of key -> tensor)."""
    from . import signature_constants, signature_def_utils, tag_constants
    signature_def_map = {
        signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY:
            signature_def_utils.predict_signature_def(inputs, outputs)}
    builder = SavedModelBuilder(export_dir)
    builder.add_meta_graph_and_variables(session, tags=[tag_constants.SERVING],
                                         signature_def_map=signature_def_map,
                                         main_op=legacy_init_op, clear_devices=True)
    builder.save()
