"""``tf.train.export_meta_graph`` / ``import_meta_graph``: a graph as JSON, rebuilt without the
Python code that built it.

Each op is stored as (name, type, input tensor names, control inputs, attrs); on import each is
re-created from its op record, so shapes are re-inferred exactly as when it was built. Attrs are
encoded explicitly (dtypes, shapes, arrays as base64 bytes); anything else is refused rather
than pickled, so loading a meta graph never executes code.
"""
import json

from ..framework import graph as graph_mod
from ..framework.graph_def import decode_attr as _decode, encode_attrs
from ..framework.graph import Operation, Tensor
from ..importer import mark_name_used, output_specs, registered_op
from ..ops.state import Variable
from . import checkpoint_format

FORMAT = "graphflow-meta-graph 1"
_VARIABLE_COLLECTIONS = {"variables", "trainable_variables", "local_variables",
                         "model_variables", "moving_average_variables", "metric_variables",
                         "global_step"}


def _encode_collection_item(item):
    if isinstance(item, Variable):
        return {"variable": item.to_proto()}
    if isinstance(item, Tensor):
        return {"tensor": item.name}
    if isinstance(item, Operation):
        return {"operation": item.name}
    if isinstance(item, (bool, int, float, str)):
        return {"value": item}
    return None  # TF1 also skips collection items it cannot serialize


def _encode_op(op, clear_devices):
    attrs, not_exported = encode_attrs(op.attrs)
    spec = {"name": op.name, "type": op.type, "inputs": [t.name for t in op.inputs],
            "control_inputs": [c.name for c in op.control_inputs],
            "device": "" if clear_devices else op.device, "attrs": attrs}
    if not_exported:
        # Saver.save writes a meta graph beside every checkpoint: a graph with a
        # tf.while_loop or a tf.data iterator must still save. Such an op is recorded
        # by name, and importing it says why it cannot be rebuilt.
        spec["not_exported"] = not_exported
    return spec


def export_meta_graph(filename=None, meta_info_def=None, graph_def=None, saver_def=None,
                      collection_list=None, as_text=False, graph=None, export_scope=None,
                      clear_devices=False, clear_extraneous_savers=False,
                      strip_default_attrs=False, save_debug_info=False, **kwargs):
    graph = graph or graph_mod.get_default_graph()
    ops = [_encode_op(op, clear_devices) for op in graph.get_operations()]
    keys = collection_list if collection_list is not None else graph.get_all_collection_keys()
    collections = {}
    for key in keys:
        items = [_encode_collection_item(x) for x in graph.get_collection(key)]
        items = [x for x in items if x is not None]
        if items:
            collections[key] = items
    meta = {"format": FORMAT, "ops": ops, "collections": collections,
            "saver_def": saver_def, "meta_info_def": meta_info_def or {}}
    if filename:
        checkpoint_format.atomic_write(filename, [json.dumps(meta).encode()])
    return meta


def read_meta_graph_file(filename):
    try:
        with open(filename, "rb") as f:
            meta = json.loads(f.read().decode())
    except FileNotFoundError:
        raise IOError("File %s does not exist." % filename)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        from ..framework import errors
        raise errors.DataLossError(None, None, "Cannot parse meta graph %s: %s" % (filename, e))
    if meta.get("format") != FORMAT:
        raise ValueError("%s is not a graphflow meta graph" % filename)
    return meta


def import_scoped_meta_graph(meta, graph=None, import_scope=None, clear_devices=False):
    """Re-creates the ops and collections of ``meta`` in ``graph``; returns {name: Variable}."""
    graph = graph or graph_mod.get_default_graph()
    prefix = import_scope + "/" if import_scope else ""
    with graph.as_default():
        for spec in meta["ops"]:
            op_def = registered_op(spec["type"])
            if spec.get("not_exported"):
                raise ValueError(
                    "Op %s (%s) cannot be imported from a meta graph: its attrs %s hold Python "
                    "objects (a traced function or a tf.data pipeline) that graphflow does not "
                    "serialize. Build the graph again in Python and restore the variables "
                    "with Saver.restore." % (spec["name"], spec["type"],
                                             ", ".join(spec["not_exported"])))
            if op_def is None:
                raise ValueError("Op type %s (node %s) is not registered in graphflow"
                                 % (spec["type"], spec["name"]))
            inputs = [graph.get_tensor_by_name(prefix + name) for name in spec["inputs"]]
            attrs = {k: _decode(v) for k, v in spec["attrs"].items()}
            specs = output_specs(op_def, inputs, attrs)
            with graph.control_dependencies(None):
                op = graph._create_op(op_def, prefix + spec["name"] + "/", inputs, attrs, specs)
            mark_name_used(graph, op.name)
            control = [graph.get_operation_by_name(prefix + c) for c in spec["control_inputs"]]
            if control:
                op._add_control_inputs(control)
        variables = {}
        for key, items in meta["collections"].items():
            for item in items:
                if "variable" in item:
                    proto = {k: (prefix + v if isinstance(v, str) and k.endswith("_name") else v)
                             for k, v in item["variable"].items()}
                    name = proto["variable_name"]
                    if name not in variables:
                        variables[name] = Variable(variable_def=proto)
                    graph.add_to_collection(key, variables[name])
                elif "tensor" in item:
                    graph.add_to_collection(key, graph.get_tensor_by_name(prefix + item["tensor"]))
                elif "operation" in item:
                    graph.add_to_collection(key,
                                            graph.get_operation_by_name(prefix + item["operation"]))
                else:
                    graph.add_to_collection(key, item["value"])
    return variables


def import_meta_graph(meta_graph_or_file, clear_devices=False, import_scope=None, **kwargs):
    """Rebuilds a saved graph in the default graph and returns a Saver for its variables (or
    None when it has none), as TF1 does."""
    from .saver import Saver
    meta = meta_graph_or_file if isinstance(meta_graph_or_file, dict) else \
        read_meta_graph_file(meta_graph_or_file)
    variables = import_scoped_meta_graph(meta, import_scope=import_scope,
                                         clear_devices=clear_devices)
    if not variables:
        return None
    saver_def = meta.get("saver_def") or {}
    return Saver(var_list=None if not import_scope else list(variables.values()),
                 max_to_keep=saver_def.get("max_to_keep", 5))
