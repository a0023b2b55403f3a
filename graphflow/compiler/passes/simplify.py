"""Algebraic simplification: a table of (pattern, replacement) rules applied in one sweep.

A ``Rule`` names the op types it looks at, a ``match`` that inspects a node (its inputs already
simplified) and returns the parts the replacement needs (or None), and a ``replace`` that returns
the Value standing for the node's output: an existing Value (``x * 1`` is ``x``) or the output of
new nodes it builds (``Transpose(Transpose(x))`` is one Transpose). ``exact`` says how close the
result is to the unsimplified graph's; only rewrites that are bit-identical or differ by float
rounding (as TF's own arithmetic optimizer accepts) belong here. Not here, on purpose:
``x * 0 -> 0`` and float ``x - x -> 0`` (inf and nan give nan), ``Log(Exp(x)) -> x`` (Exp
overflows).

The sweep leaves alone what ``common.is_movable`` rejects (state, randomness, tf.cond machinery,
variable reads, control inputs), multi-output nodes, nodes fetched as variable references, and
never replaces a value by one that carries a variable handle (an Identity of a variable is TF1's
aliasing read, see ``ir.lower``). A replaced node stays only while a control edge or a target
needs it. Whatever stands for a replaced node gains its ``origin``, so the graph view can say
where the user's op went.
"""
import collections

import numpy as np

from ...framework import tensor_shape
from ...ops import array, math
from ...ops.convert import Const
from ...ops.registry import Spec
from ..ir import Node, Program, Value
from .common import is_movable

Rule = collections.namedtuple("Rule", ["pattern", "ops", "match", "replace", "exact"])
Rule.__doc__ = """pattern: how the change is logged, "Mul(x, 1) -> x". ops: op type names.
match(node) -> dict of keyword arguments for replace, or None; the key "absorbed" lists inner
nodes the replacement also stands for (not passed on). replace(node, **parts) -> Value. exact:
"exact", or how the result may differ."""

EXACT = "exact"


# -- what patterns look for ------------------------------------------------------------------------
def _constant(value):
    """The numeric array of a Const with no control inputs, else None."""
    node = value.node
    if node.op_def is not Const or node.control or value.index != 0:
        return None
    array_value = np.asarray(node.attrs["value"])
    return array_value if array_value.dtype.kind in "biufc" else None


def _producer(value, *op_types):
    """The node making ``value`` when it has one of ``op_types`` and may be looked through."""
    node = value.node
    if node.type in op_types and len(node.specs) == 1 and is_movable(node):
        return node
    return None


def _broadcasts_into(const_shape, shape):
    """Whether a constant of ``const_shape`` broadcast against a tensor of static ``shape`` can
    never enlarge it, whatever the unknown dimensions turn out to be."""
    if shape.ndims is None:
        return len(const_shape) == 0
    if len(const_shape) > shape.ndims:
        return False
    return all(c == 1 or c == d for c, d in zip(reversed(const_shape), reversed(shape.as_list())))


def _filled_with(number):
    def test(const):
        return bool(np.all(const == number))
    return test


_is_ones, _is_zeros = _filled_with(1), _filled_with(0)


def _operand_and_constant(node, test, positions):
    """For binary ``node``: {"x": the other input} when the input at one of ``positions`` is a
    constant passing ``test`` that leaves the other input's shape as it is."""
    for const_pos in positions:
        x = node.inputs[1 - const_pos]
        const = _constant(node.inputs[const_pos])
        if const is not None and test(const) and _broadcasts_into(const.shape, _spec(x).shape):
            return {"x": x}
    return None


def _with_constant(test, positions):
    return lambda node: _operand_and_constant(node, test, positions)


def _spec(value):
    return value.node.specs[value.index]


def _is_integer(value):
    return _spec(value).dtype.base_dtype.is_integer


def _is_inexact(value):
    dtype = _spec(value).dtype.base_dtype
    return dtype.is_floating or dtype.is_complex


# -- building replacements -------------------------------------------------------------------------
def _like(node, op_def, inputs, attrs, suffix):
    """A new node computing what ``node`` computed (same output spec), named after it."""
    return Value(Node(op_def, attrs, inputs, (), [node.specs[0]], "%s/%s" % (node.name, suffix),
                      origin=node.origin), 0)


def _const_node(node, array_value, dtype, suffix):
    array_value = np.array(array_value, dtype=dtype.numpy_dtype)
    array_value.flags.writeable = False
    spec = Spec(tensor_shape.as_shape(array_value.shape), dtype)
    return Value(Node(Const, {"value": array_value, "dtype": dtype}, (), (), [spec],
                      "%s/%s" % (node.name, suffix), origin=node.origin), 0)


def _keep_x(node, x):
    return x


# -- the rules -------------------------------------------------------------------------------------
def _match_self_difference(node):
    x, y = node.inputs
    if x.node is y.node and x.index == y.index and _is_integer(x):
        return {"x": x}
    return None


def _zeros_like_output(node, x):
    spec = node.specs[0]
    dtype = spec.dtype.base_dtype
    if spec.shape.is_fully_defined():
        return _const_node(node, np.zeros(spec.shape.as_list()), dtype, "zeros")
    return _like(node, array.ZerosLike, (x,), {}, "zeros")


def _match_double(op_type):
    """Op(Op(x, ...), ...) -> {"x": x}, the inner node absorbed."""
    def match(node):
        inner = _producer(node.inputs[0], op_type)
        if inner is None:
            return None
        return {"x": inner.inputs[0], "absorbed": (inner,)}
    return match


def _match_double_transpose(node):
    inner = _producer(node.inputs[0], "Transpose")
    if inner is None:
        return None
    inner_perm, outer_perm = _constant(inner.inputs[1]), _constant(node.inputs[1])
    if inner_perm is None or outer_perm is None or inner_perm.shape != outer_perm.shape:
        return None
    rank = max(inner_perm.size, 1)
    inner_perm, outer_perm = inner_perm.reshape(-1) % rank, outer_perm.reshape(-1) % rank
    # Axis i of transpose(transpose(x, p), q) is axis p[q[i]] of x.
    return {"x": inner.inputs[0], "perm": inner_perm[outer_perm], "absorbed": (inner,)}


def _composed_transpose(node, x, perm):
    if list(perm) == list(range(len(perm))):
        return x
    perm_dtype = _spec(node.inputs[1]).dtype.base_dtype
    return _like(node, array.Transpose, (x, _const_node(node, perm, perm_dtype, "perm")), {},
                 "transpose")


def _reshape_of(node, x):
    return _like(node, array.Reshape, (x, node.inputs[1]), {}, "reshape")


def _match_reshape_to_own_shape(node):
    x = node.inputs[0]
    shape, result_shape = _spec(x).shape, node.specs[0].shape
    if (shape.is_fully_defined() and result_shape.is_fully_defined() and
            result_shape.as_list() == shape.as_list()):
        return {"x": x}
    return None


def _match_empty_reduction(node):
    """A reduction over no axes (the gradient of a broadcast that did not broadcast)."""
    axes = _constant(node.inputs[1])
    x = node.inputs[0]
    if axes is not None and axes.size == 0 and _spec(x).dtype.base_dtype == \
            node.specs[0].dtype.base_dtype and _spec(x).shape.is_fully_defined() and \
            node.specs[0].shape.is_fully_defined() and \
            _spec(x).shape.as_list() == node.specs[0].shape.as_list():
        return {"x": x}
    return None


def _match_same_dtype_cast(node):
    x = node.inputs[0]
    if _spec(x).dtype.base_dtype == node.attrs["DstT"].base_dtype:
        return {"x": x}
    return None


def _match_times_reciprocal(node):
    for pos in (0, 1):
        reciprocal = _producer(node.inputs[1 - pos], "Reciprocal")
        if reciprocal is not None and _is_inexact(node.inputs[pos]):
            return {"x": node.inputs[pos], "y": reciprocal.inputs[0], "absorbed": (reciprocal,)}
    return None


def _quotient(node, x, y):
    return _like(node, math.RealDiv, (x, y), {}, "div")


def _match_plus_negation(node):
    for pos in (0, 1):
        negation = _producer(node.inputs[1 - pos], "Neg")
        if negation is not None:
            return {"x": node.inputs[pos], "y": negation.inputs[0], "absorbed": (negation,)}
    return None


def _difference(node, x, y):
    return _like(node, math.Sub, (x, y), {}, "sub")


_ADDS = ("Add", "AddV2")
_ZERO_SIGN = "exact except a zero's sign: x = -0.0 gives -0.0 where the graph gives +0.0"
RULES = [
    Rule("Mul(x, 1) -> x", ("Mul",), _with_constant(_is_ones, (0, 1)), _keep_x, EXACT),
    Rule("RealDiv(x, 1) -> x", ("RealDiv",), _with_constant(_is_ones, (1,)), _keep_x, EXACT),
    Rule("Add(x, 0) -> x", _ADDS, _with_constant(_is_zeros, (0, 1)), _keep_x, _ZERO_SIGN),
    Rule("Sub(x, 0) -> x", ("Sub",), _with_constant(_is_zeros, (1,)), _keep_x,
         "exact unless the constant is -0.0 and x = -0.0"),
    Rule("Sub(x, x) -> zeros", ("Sub",), _match_self_difference, _zeros_like_output,
         "exact (integers only: for floats inf - inf is nan)"),
    Rule("Neg(Neg(x)) -> x", ("Neg",), _match_double("Neg"), _keep_x, EXACT),
    Rule("Transpose(Transpose(x)) -> Transpose(x)", ("Transpose",), _match_double_transpose,
         _composed_transpose, EXACT),
    Rule("Reshape(Reshape(x)) -> Reshape(x)", ("Reshape",), _match_double("Reshape"),
         _reshape_of, EXACT),
    Rule("Reshape(x) to its own shape -> x", ("Reshape",), _match_reshape_to_own_shape, _keep_x,
         EXACT),
    Rule("Sum(x, axes=[]) -> x", ("Sum", "Mean", "Max", "Min", "Prod"), _match_empty_reduction,
         _keep_x, EXACT),
    Rule("Cast(x) to its own dtype -> x", ("Cast",), _match_same_dtype_cast, _keep_x, EXACT),
    # Identities at run time; the gradient graph that StopGradient shaped is already built.
    Rule("Identity(x) -> x", ("Identity", "StopGradient", "PlaceholderWithDefault"),
         lambda node: {"x": node.inputs[0]}, _keep_x, EXACT),
    Rule("Mul(x, Reciprocal(y)) -> RealDiv(x, y)", ("Mul",), _match_times_reciprocal, _quotient,
         "one rounding instead of two (floating and complex only)"),
    Rule("Add(x, Neg(y)) -> Sub(x, y)", _ADDS, _match_plus_negation, _difference, EXACT),
]


# -- the sweep -------------------------------------------------------------------------------------
def _carries_handle(value):
    """Whether ``value`` is a variable reference, directly or through aliasing Identities."""
    while True:
        node = value.node
        if node.specs[value.index].dtype.is_ref:
            return True
        if not (node.op_def.aliases_input and node.inputs):
            return False
        value = node.inputs[0]


def _fits(node, value):
    spec, other = node.specs[0], _spec(value)
    return (not _carries_handle(value) and spec.dtype.base_dtype == other.dtype.base_dtype and
            spec.shape.is_compatible_with(other.shape))


def _merged_origin(*origins):
    return tuple(dict.fromkeys(o for origin in origins for o in origin))


def algebraic_simplify(program, rules=RULES):
    """Applies ``rules`` (first match wins) to each node once, in program order, so a node sees
    its inputs already simplified; returns ``program`` itself when no rule applied."""
    rules_for = collections.defaultdict(list)
    for rule in rules:
        for op_type in rule.ops:
            rules_for[op_type].append(rule)
    read = {id(v.node) for n in program.nodes for v in n.inputs}
    read.update(id(v.node) for v in program.fetches)
    fetched_as_reference = {id(v.node) for v, d in zip(program.fetches, program.fetch_deref) if d}
    pinned = {id(c) for n in program.nodes for c in n.control}
    pinned.update(id(t) for t in program.targets)

    current = {}   # id(input node) -> its node in the new program
    replaced = {}  # (id(input node), 0) -> the Value standing for it
    extra_origin = collections.defaultdict(tuple)  # id(new node) -> origins it now also stands for
    nodes, emitted, changes = [], set(), []

    def resolve(value):
        replacement = replaced.get((id(value.node), value.index))
        if replacement is not None:
            return replacement
        return Value(current[id(value.node)], value.index)

    for node in program.nodes:
        inputs = tuple(resolve(v) for v in node.inputs)
        control = tuple(current[id(c)] for c in node.control)
        if any(a.node is not b.node for a, b in zip(inputs, node.inputs)) or any(
                a is not b for a, b in zip(control, node.control)):
            new = node.replace(inputs=inputs, control=control)
        else:
            new = node
        current[id(node)] = new
        rewrite = None
        if (id(node) in read and id(node) not in fetched_as_reference and len(node.specs) == 1
                and is_movable(new)):
            rewrite = _first_rewrite(new, rules_for.get(new.type, ()))
        if rewrite is None or id(node) in pinned:
            nodes.append(new)
            emitted.add(id(new))
        if rewrite is None:
            continue
        rule, result, absorbed = rewrite
        origin = _merged_origin(new.origin, *(a.origin for a in absorbed))
        added = _unemitted(result.node, emitted)
        if added:
            result.node.origin = _merged_origin(result.node.origin, origin)  # ours: just built
        else:
            extra_origin[id(result.node)] = _merged_origin(extra_origin[id(result.node)], origin)
        nodes.extend(added)
        emitted.update(id(n) for n in added)
        replaced[(id(node), 0)] = result
        changes.append("%s at %s" % (rule.pattern, node.name))

    if not changes:
        return program
    nodes, renamed = _with_origins(nodes, extra_origin)

    def final(value):
        value = resolve(value)
        return Value(renamed.get(id(value.node), value.node), value.index)

    def final_node(old):
        new = current[id(old)]
        return renamed.get(id(new), new)

    return Program(nodes, [final_node(f) for f in program.feeds],
                   [final(v) for v in program.fetches], program.fetch_deref,
                   [final_node(t) for t in program.targets], changes)


def _first_rewrite(node, rules):
    for rule in rules:
        parts = rule.match(node)
        if parts is None:
            continue
        parts = dict(parts)
        absorbed = parts.pop("absorbed", ())
        result = rule.replace(node, **parts)
        if result is not None and _fits(node, result):
            return rule, result, absorbed
    return None


def _unemitted(node, emitted):
    """``node`` and the new nodes it reads, inputs first; nothing when it is already placed."""
    order, seen = [], set()

    def visit(n):
        if id(n) in emitted or id(n) in seen:
            return
        seen.add(id(n))
        for v in n.inputs:
            visit(v.node)
        order.append(n)
    visit(node)
    return order


def _with_origins(nodes, extra_origin):
    """The nodes with the extra origins added (as copies), and consumers pointed at the copies;
    returns (nodes, id(node) -> its copy)."""
    if not extra_origin:
        return nodes, {}
    renamed, out = {}, []
    for node in nodes:
        inputs = tuple(Value(renamed.get(id(v.node), v.node), v.index) for v in node.inputs)
        control = tuple(renamed.get(id(c), c) for c in node.control)
        extra = extra_origin.get(id(node), ())
        if extra or any(id(v.node) in renamed for v in node.inputs) or any(
                id(c) in renamed for c in node.control):
            copy = node.replace(inputs=inputs, control=control,
                                origin=_merged_origin(node.origin, extra))
            renamed[id(node)] = copy
            node = copy
        out.append(node)
    return out, renamed
