"""``tf.import_graph_def``: the nodes of a GraphDef re-created in the default graph.

Each node is rebuilt from its op record, so shapes are inferred again from the (possibly
remapped) inputs, gradients work through imported ops, and the session compiles them like any
other. Nodes may come in any order; they are created after their inputs.
"""
from .framework import dtypes, graph as graph_mod, tensor_shape
from .framework.graph import Tensor
from .framework.graph_def import GraphDef
from .ops import registry
from .ops.convert import convert_to_tensor

# Attrs TF writes for tools, which no graphflow op record takes.
_ANNOTATION_ATTRS = ("_output_shapes", "_class")


def _split_input(text):
    """``"op"``, ``"op:1"`` or ``"^op"`` -> (op name, output index or None for control)."""
    if text.startswith("^"):
        return text[1:], None
    if ":" in text:
        name, index = text.rsplit(":", 1)
        return name, int(index)
    return text, 0


def _canonical_key(key):
    if not isinstance(key, str):
        raise TypeError("input_map keys must be strings (tensor names), got %r" % (key,))
    name, index = _split_input(key)
    return "^" + name if index is None else "%s:%d" % (name, index)


def _creation_order(nodes):
    """Nodes with every input before its consumers, otherwise in GraphDef order."""
    by_name = {}
    for node in nodes:
        if node.name in by_name:
            raise ValueError("Duplicate node name in graph: '%s'" % node.name)
        by_name[node.name] = node
    order, state = [], {}  # state: 1 while visiting, 2 when placed
    for root in nodes:
        stack = [(root, iter(root.input))]
        if state.get(root.name):
            continue
        state[root.name] = 1
        while stack:
            node, pending = stack[-1]
            for text in pending:
                name, _ = _split_input(text)
                if name not in by_name:
                    raise ValueError("Node '%s': Unknown input node '%s'" % (node.name, text))
                seen = state.get(name)
                if seen == 1:
                    raise ValueError("GraphDef has a cycle through node '%s'; graphflow imports "
                                     "only acyclic graphs" % name)
                if seen is None:
                    state[name] = 1
                    stack.append((by_name[name], iter(by_name[name].input)))
                    break
            else:
                stack.pop()
                state[node.name] = 2
                order.append(node)
    return order


def registered_op(op_type):
    """The record of ``op_type``, or None. Namespaces that `import graphflow` leaves for first
    use (strings, tf.data, tf.lookup...) define op records too: a type not yet registered loads
    them all before giving up."""
    op_def = registry.REGISTRY.get(op_type)
    if op_def is None:
        import graphflow
        for name in graphflow._LAZY_MODULES:
            getattr(graphflow, name)
        op_def = registry.REGISTRY.get(op_type)
    return op_def


def mark_name_used(graph, name):
    """Imported names keep their text, so later ops and scopes must not reuse them."""
    parts = name.lower().split("/")
    for i in range(1, len(parts) + 1):
        key = "/".join(parts[:i])
        graph._names_in_use[key] = max(graph._names_in_use.get(key, 0), 1)


def output_specs(op_def, inputs, attrs):
    """The output Specs of ``op_def`` applied to ``inputs`` and ``attrs``, as a list."""
    specs = op_def.shape(*inputs, **attrs)
    specs = [specs] if isinstance(specs, registry.Spec) else specs
    return [registry.Spec(tensor_shape.as_shape(s.shape), dtypes.as_dtype(s.dtype))
            for s in specs]


def create_node(graph, node, full_name, inputs):
    """Creates the Operation for ``node`` named exactly ``full_name`` from ``inputs``."""
    if node.not_exported:
        raise ValueError(
            "Op %s (%s) cannot be imported from a serialized GraphDef: its attrs %s hold Python "
            "objects (a traced function or a tf.data pipeline) that graphflow does not "
            "serialize. Import the in-memory GraphDef, or build the graph again in Python."
            % (node.name, node.op, ", ".join(node.not_exported)))
    op_def = registered_op(node.op)
    if op_def is None:
        raise ValueError("Op type not registered '%s' in binary running graphflow (node %s)"
                         % (node.op, node.name))
    attrs = {k: v for k, v in node.attr.items() if k not in _ANNOTATION_ATTRS}
    op = graph._create_op(op_def, full_name + "/", inputs, attrs,
                          output_specs(op_def, inputs, attrs))
    mark_name_used(graph, op.name)
    return op


def import_graph_def(graph_def, input_map=None, return_elements=None, name=None,
                     op_dict=None, producer_op_list=None):
    """Imports ``graph_def`` into the default graph under the name scope ``name`` (default
    "import"; "" for none). ``input_map`` maps tensor names of ``graph_def`` ("x:0", or "x"
    for its first output) to tensors of the default graph used in their place;
    ``return_elements`` names the tensors ("y:0") and operations ("train") to return."""
    if not isinstance(graph_def, GraphDef):
        raise TypeError("graph_def must be a GraphDef proto.")
    graph = graph_mod.get_default_graph()
    input_map = {_canonical_key(k): v for k, v in (input_map or {}).items()}
    if return_elements is not None:
        return_elements = list(return_elements)
    node_names = {node.name for node in graph_def.node}
    missing = sorted(k for k in input_map if k.lstrip("^").split(":")[0] not in node_names)
    if missing:
        raise ValueError("Attempted to map inputs that were not found in graph_def: [%s]"
                         % ", ".join(missing))
    for element in return_elements or []:
        if not isinstance(element, str):
            raise TypeError("return_elements must be a list of strings, got %r" % (element,))
        if element.split(":")[0] not in node_names:
            kind = "tensor" if ":" in element else "node"
            raise ValueError("Requested return %s '%s' not found in graph def" % (kind, element))
    mapped = {}
    for key, value in input_map.items():
        if key.startswith("^"):
            mapped[key] = graph.as_graph_element(value, allow_tensor=False)
        else:
            mapped[key] = value if isinstance(value, Tensor) else convert_to_tensor(value)
    order = _creation_order(graph_def.node)
    outer_control = graph._current_control_dependencies()

    with graph.name_scope(name if name is not None else "import") as scope:
        created = {}
        with graph.control_dependencies(None):
            for node in order:
                data_inputs, control_inputs = [], []
                for text in node.input:
                    source, index = _split_input(text)
                    if index is None:
                        control_inputs.append(mapped.get("^" + source, created.get(source)))
                        continue
                    producer = created[source]
                    if index >= len(producer.outputs):
                        raise ValueError("Node '%s': input '%s' names output %d of an op with "
                                         "%d outputs" % (node.name, text, index,
                                                         len(producer.outputs)))
                    original = producer.outputs[index]
                    replacement = mapped.get("%s:%d" % (source, index))
                    if replacement is None:
                        data_inputs.append(original)
                        continue
                    if replacement.dtype.base_dtype != original.dtype.base_dtype:
                        raise ValueError(
                            "Input %d of node %s%s was passed %s from %s incompatible with "
                            "expected %s." % (len(data_inputs), scope, node.name,
                                              replacement.dtype.base_dtype.name,
                                              replacement.name, original.dtype.base_dtype.name))
                    data_inputs.append(replacement)
                op = create_node(graph, node, scope + node.name, data_inputs)
                if node.device:
                    op._device = graph_mod.canonical_device(node.device)
                controls = [c for c in control_inputs if c is not None]
                if not node.input:
                    controls += list(outer_control)
                if controls:
                    op._add_control_inputs(controls)
                created[node.name] = op
    if return_elements is None:
        return None
    results = []
    for element in return_elements:
        op_name, index = _split_input(element)
        op = created[op_name]
        if ":" not in element:
            results.append(op)
        elif index >= len(op.outputs):
            raise ValueError("Requested return tensor '%s' not found in graph def" % element)
        else:
            results.append(op.outputs[index])
    return results

