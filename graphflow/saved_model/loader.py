"""``tf.saved_model.loader``: loads a SavedModel written by graphflow's builder."""
import json
import os

from ..framework import graph_def as graph_def_mod
from ..train import meta_graph as meta_graph_mod
from ..train.saver import Saver
from . import constants
from .signature_def_utils import SignatureDef

FORMAT = "graphflow-saved-model 1"


class MetaInfoDef:
    def __init__(self, tags):
        self.tags = list(tags)


class MetaGraphDef:
    """What ``loader.load`` returns: ``signature_def`` (key -> SignatureDef),
    ``meta_info_def.tags``, ``graph_def`` and ``collection_def`` (collection names)."""

    def __init__(self, tags, signature_def, meta, graph_def):
        self.meta_info_def = MetaInfoDef(tags)
        self.signature_def = signature_def
        self.graph_def = graph_def
        self.collection_def = {key: items for key, items in meta["collections"].items()}
        self._meta = meta


def saved_model_path(export_dir):
    return os.path.join(export_dir, constants.SAVED_MODEL_FILENAME_PB)


def variables_prefix(export_dir):
    return os.path.join(export_dir, constants.VARIABLES_DIRECTORY, constants.VARIABLES_FILENAME)


def maybe_saved_model_directory(export_dir):
    return os.path.isfile(saved_model_path(export_dir))


def read_saved_model(export_dir):
    path = saved_model_path(export_dir)
    if not os.path.isfile(path):
        raise IOError("SavedModel file does not exist at: %s/{%s|%s}"
                      % (export_dir, constants.SAVED_MODEL_FILENAME_PBTXT,
                         constants.SAVED_MODEL_FILENAME_PB))
    with open(path, "rb") as f:
        document = json.loads(f.read().decode())
    if document.get("format") != FORMAT:
        raise IOError("%s is not a graphflow SavedModel" % path)
    return document


def load(sess, tags, export_dir, import_scope=None, **saver_kwargs):
    """Rebuilds the MetaGraph tagged exactly ``tags`` into ``sess.graph``, restores its
    variables into ``sess``, runs its main op, and returns its MetaGraphDef."""
    document = read_saved_model(export_dir)
    wanted = set(tags)
    entry = next((m for m in document["meta_graphs"] if set(m["tags"]) == wanted), None)
    if entry is None:
        available = [m["tags"] for m in document["meta_graphs"]]
        raise RuntimeError(
            "MetaGraphDef associated with tags %s could not be found in SavedModel, with "
            "available tags '%s'. To inspect available tag-sets in the SavedModel, please use "
            "the SavedModel CLI: `saved_model_cli`." % (str(list(tags)).strip("[]"), available))
    meta = entry["meta_graph"]
    graph = sess.graph
    prefix = import_scope + "/" if import_scope else ""
    with graph.as_default():
        variables = meta_graph_mod.import_scoped_meta_graph(meta, graph=graph,
                                                            import_scope=import_scope)
        if variables:
            saver = Saver(var_list={v.op.name[len(prefix):]: v for v in variables.values()},
                          **saver_kwargs)
            saver.restore(sess, variables_prefix(export_dir))
        if entry.get("main_op"):
            sess.run(graph.get_operation_by_name(prefix + entry["main_op"]))
        graph_def = graph_def_mod.GraphDef()
        graph_def.node.extend(graph_def_mod.NodeDef._from_data(
            {"name": op["name"], "op": op["type"], "device": op.get("device", ""),
             "input": op["inputs"] + ["^" + c for c in op["control_inputs"]],
             "attr": op["attrs"], "not_exported": op.get("not_exported", [])})
            for op in meta["ops"])
    signatures = {k: SignatureDef._from_data(v) for k, v in entry["signature_def"].items()}
    return MetaGraphDef(entry["tags"], signatures, meta, graph_def)
