"""Walks every op that graphflow declares and lists, all at once, each missing or broken piece
of its record, so a gap fails here and not in a user's run:

- a shape rule and a numpy reference kernel, both callable;
- a kernel signature that parses into inputs and attrs (resources named in ``needs`` first);
- for elementwise ops, a ``scalar`` expression that compiles as Python for the op's arity;
- for differentiable-looking ops (not stateful, and able to produce a floating-point output),
  a ``grad`` rule or an explicit NOT_DIFFERENTIABLE.
"""
import inspect
import itertools

import graphflow as tf  # importing the package registers every op family
from graphflow.framework import graph as graph_mod
from graphflow.ops import registry
from graphflow.ops.registry import NOT_DIFFERENTIABLE, REGISTRY, Spec

PROBE_DTYPES = (tf.float32, tf.int32, tf.bool)


def declared_by_graphflow(op_def):
    """Tests register throw-away ops (tests/ops/test_gradients.py); only the package's count."""
    module = getattr(op_def.ref, "__module__", None)
    return module is None or module.split(".")[0] == "graphflow"


def signature_problems(op_def):
    try:
        parameters = inspect.signature(op_def.ref).parameters
        parsed = registry._signature(op_def.ref, op_def.needs)
    except (TypeError, ValueError) as e:
        return ["kernel signature does not parse: %s" % e]
    problems = []
    if parsed != (op_def.input_names, op_def.variadic, op_def.attr_defaults):
        problems.append("kernel signature %s no longer matches the record's inputs %s and "
                        "attrs %s" % (parsed, op_def.input_names, op_def.attr_defaults))
    if any(p.kind == p.VAR_KEYWORD for p in parameters.values()):
        problems.append("kernel takes **kwargs, so its attrs cannot be read from it")
    return problems


def scalar_problems(op_def):
    if op_def.scalar is None:
        return []
    if op_def.variadic:
        return ["elementwise op with a variadic input: the scalar expression has no arity"]
    operands = ["a%d" % i for i in range(len(op_def.input_names))]
    try:
        text = op_def.scalar.format(*operands)
        compile(text, "<%s scalar>" % op_def.name, "eval")
    except (SyntaxError, IndexError, KeyError, ValueError) as e:
        return ["scalar expression %r does not compile for %d operand(s): %s"
                % (op_def.scalar, len(operands), e)]
    return []


def can_output_float(op_def):
    """Whether the shape rule gives a floating-point output for some input dtypes: True, False,
    or None when no probe of float32/int32/bool inputs of unknown shape is accepted (then the op
    is treated as differentiable-looking, so it must say how it differentiates)."""
    arity = 2 if op_def.variadic else len(op_def.input_names)
    graph = graph_mod.Graph()
    with graph.as_default():
        probes = {d: tf.placeholder(d) for d in PROBE_DTYPES}
    accepted = False
    for dtypes in itertools.product(PROBE_DTYPES, repeat=arity):
        try:
            with graph.as_default():
                specs = op_def.shape(*[probes[d] for d in dtypes], **op_def.attr_defaults)
            specs = [specs] if isinstance(specs, Spec) else specs
            floating = any(tf.as_dtype(s.dtype).is_floating for s in specs)
        except Exception:  # noqa: BLE001 - a rejected probe is expected; try the next
            continue
        accepted = True
        if floating:
            return True
    return False if accepted else None


def gradient_problems(op_def):
    if op_def.grad is NOT_DIFFERENTIABLE:
        return []
    if op_def.grad == NOT_DIFFERENTIABLE:
        return ["grad is a copy of the string NOT_DIFFERENTIABLE, not the constant itself: "
                "autodiff tests it by identity, so it would call the string as a rule"]
    if op_def.grad is None:
        if op_def.stateful or can_output_float(op_def) is False:
            return []
        return ["differentiable-looking (pure, floating-point output) but has neither a grad "
                "rule nor grad=NOT_DIFFERENTIABLE"]
    if not callable(op_def.grad):
        return ["grad is %r: neither a rule nor NOT_DIFFERENTIABLE" % (op_def.grad,)]
    try:
        parameters = list(inspect.signature(op_def.grad).parameters.values())
    except (TypeError, ValueError) as e:
        return ["grad rule signature does not parse: %s" % e]
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY,
                                                      p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)]
    if len(positional) < 2 and not any(p.kind == p.VAR_POSITIONAL for p in positional):
        return ["grad rule must take (op, *output_grads)"]
    return []


def record_problems(op_def):
    problems = []
    if not callable(op_def.shape):
        problems.append("no shape rule")
    if not callable(op_def.ref):
        problems.append("no reference kernel")
        return problems
    problems += signature_problems(op_def)
    problems += scalar_problems(op_def)
    if callable(op_def.shape):
        problems += gradient_problems(op_def)
    return problems


def test_every_op_record_is_complete():
    ops = {name: op for name, op in REGISTRY.items() if declared_by_graphflow(op)}
    assert len(ops) > 50, "the registry looks unpopulated: %s" % sorted(ops)
    report = ["%s: %s" % (name, problem) for name, op in sorted(ops.items())
              for problem in record_problems(op)]
    assert not report, "%d problem(s) in the op registry:\n  %s" % (len(report),
                                                                   "\n  ".join(report))


# The walk's own detectors, on records built here and never registered: a check that could not
# fire would let the walk above pass on any registry.
def unregistered(name="Probe", shape=None, ref=None, **fields):
    return registry.OpDef(name, shape or registry.same_as_input, ref or (lambda x: x), **fields)


def test_the_walk_reports_a_pure_float_op_without_gradient():
    problems = record_problems(unregistered())
    assert any("neither a grad rule" in p for p in problems), problems
    assert record_problems(unregistered(grad=NOT_DIFFERENTIABLE)) == []
    assert record_problems(unregistered(stateful=True)) == []
    assert record_problems(unregistered(grad=lambda op, g: [g])) == []


def test_the_walk_exempts_ops_that_never_output_floats():
    def to_bool(x, y):
        return Spec(registry.broadcast_shape(x.shape, y.shape), tf.bool)
    assert can_output_float(unregistered(shape=to_bool, ref=lambda x, y: x == y)) is False
    assert record_problems(unregistered(shape=to_bool, ref=lambda x, y: x == y)) == []
    assert can_output_float(REGISTRY["Add"]) is True
    assert can_output_float(REGISTRY["Shape"]) is False


def test_the_walk_reports_broken_kernels_scalars_and_gradients():
    op = unregistered()
    op.ref = max  # a builtin without an introspectable signature
    assert any("does not parse" in p for p in record_problems(op))
    op = unregistered(ref=lambda x, *, k=1: x, grad=NOT_DIFFERENTIABLE)
    op.attr_defaults = {}
    assert any("no longer matches" in p for p in record_problems(op))
    assert any("does not compile" in p for p in record_problems(
        unregistered(scalar="({0} +", grad=NOT_DIFFERENTIABLE)))
    assert any("does not compile" in p for p in record_problems(
        unregistered(scalar="{0} * {1}", grad=NOT_DIFFERENTIABLE)))
    assert any("copy of the string" in p for p in record_problems(
        unregistered(grad="".join(NOT_DIFFERENTIABLE))))
    assert any("(op, *output_grads)" in p for p in record_problems(
        unregistered(grad=lambda op: [])))
    shapeless = unregistered(grad=NOT_DIFFERENTIABLE)
    shapeless.shape = None
    assert record_problems(shapeless) == ["no shape rule"]


def test_import_graphflow_leaves_the_large_namespaces_for_first_use():
    """`import graphflow` stays fast (issue 5: <= 0.4 s): tf.data, tf.keras, tf.test, strings,
    images, sparse tensors, SavedModel, RNNs and monitored sessions load when first used, and
    then work as attributes."""
    import subprocess
    import sys
    lazy = ["graphflow.data", "graphflow.keras", "graphflow.test", "graphflow.strings",
            "graphflow.image", "graphflow.sparse", "graphflow.saved_model", "graphflow.rnn_cell",
            "graphflow.train.monitored_session", "unittest.mock"]
    program = ("import sys, graphflow as tf\n"
               "print([m for m in %r if m in sys.modules])\n"
               "tf.data.Dataset, tf.nn.rnn_cell.GRUCell, tf.nn.dynamic_rnn, tf.SparseTensor\n"
               "tf.train.MonitoredTrainingSession, tf.as_string, tf.test.TestCase\n"
               "tf.image.flip_left_right, tf.saved_model.simple_save\n"
               "print(all(m in sys.modules for m in %r))\n"
               % (lazy, [m for m in lazy if m != "graphflow.keras"]))
    output = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                            check=True).stdout.split("\n")
    assert output[:2] == ["[]", "True"]
