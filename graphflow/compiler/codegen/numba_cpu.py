"""The Numba CPU backend: the reference executor's plan, with every fused node run by a loop
generated from its members' scalar expressions and compiled by Numba.

Everything else keeps its numpy kernel, which already is the compiled path for it: MatMul and the
convolutions' im2col products are BLAS calls, reductions and softmax are numpy's vectorized
loops. ``KERNEL_SOURCES`` says, per op, which applies; tests/compiler walks the registry so an op
without an answer fails in CI.

A fused kernel is generated per broadcasting layout, which is known only once shapes are: the
output is viewed as ``outer x inner`` and each input is either the full array, a scalar, a
row (indexed by the inner position: a bias), or a column (indexed by the outer position). Inputs
that fit none of these are broadcast into full arrays first. Layouts are decided on the first
run with given shapes and cached, so a repeated run only looks up its shapes and calls.
"""
import ast
import collections
import functools
import math
import os
import threading

import numpy as np

from ...framework import dtypes
from ..passes.fuse import FUSED_OPS, FusedBody
from . import cache, reference

FULL, SCALAR, ROW, COLUMN = "full", "scalar", "row", "column"
# Elements from which a loop runs on all cores: below it the threads' start-up costs more than
# they save (and a parallel kernel compiles several times slower, so small graphs never do).
PARALLEL_THRESHOLD = 1 << 18
_FAST_FLOAT32 = None  # scalar-expression name -> fastmath function name, loaded lazily


def compile(program, resources):  # noqa: A001 - the backend interface's verb
    return NumbaExecutable(program, resources)


class NumbaExecutable(reference.ReferenceExecutable):
    """The reference executor's schedule with this backend's kernels.

    A plan that keeps being run is offered to numba_step, which compiles a small program into
    one function; from then on a run is one call (node by node again if that call fails)."""

    def __init__(self, program, resources):
        super().__init__(program, resources, bind=bind_kernel)
        self._program, self._resources = program, resources
        from . import numba_step
        self._runs_until_whole = numba_step.WHOLE_STEP_AFTER
        self._unusable = numba_step.Unusable
        self._whole_step = None
        self._whole_step_lock = threading.Lock()

    def run(self, feed_values):
        if self._runs_until_whole >= 0:
            whole = self._whole_step
            if whole is not None or self._count_run():
                whole = self._whole_step
                if whole is not None:
                    try:
                        return whole.run(feed_values)
                    except self._unusable as e:
                        if e.permanent:
                            self._whole_step = None
                            self._runs_until_whole = -1
        return super().run(feed_values)

    def _count_run(self):
        """Counts a node-by-node run; True once the plan is hot and its whole step built."""
        self._runs_until_whole -= 1
        if self._runs_until_whole != 0:
            return False
        with self._whole_step_lock:
            from . import numba_step
            self._whole_step = numba_step.build(self._program, self._resources)
            if self._whole_step is None:
                self._runs_until_whole = -1
            return self._whole_step is not None


def _passive_openmp_workers():
    """Numba's parallel loops run on OpenMP workers, which by default spin for a while after
    each loop; BLAS threads starting right after (the next MatMul) then share the cores with
    spinning threads, which made a CNN step 3x slower on 2 cores. Sleeping workers cost a few
    microseconds per parallel loop instead. Applies unless the user chose a policy, and only
    if the OpenMP runtime has not started yet in this process."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def bind_kernel(node, resources):
    _passive_openmp_workers()
    if node.op_def.name in FUSED_OPS:
        if _is_relu_grad_of_its_pool_grad(node):
            # one pass (numba_kernels): the ReLU's features are the pooled input itself
            from .numba_kernels import relu_grad_of_max_pool_grad
            one_pass = functools.partial(relu_grad_of_max_pool_grad,
                                         **node.attrs["body"].anchor[1])
            return lambda orig_input, orig_output, grad, features: one_pass(
                orig_input, orig_output, grad)
        return FusedKernel(node.attrs["body"], [s.dtype.base_dtype for s in node.specs],
                           node.name)
    kernel = hand_written_kernels().get(node.op_def.name)
    if kernel is not None:
        return functools.partial(kernel, **node.attrs)
    return reference.bind_kernel(node, resources)


@functools.lru_cache(maxsize=None)
def hand_written_kernels():
    # Imported on first use: it compiles Numba functions, which `import graphflow` must not.
    from .numba_kernels import KERNELS
    from .numba_step import KERNELS as UPDATE_KERNELS
    return {**KERNELS, **UPDATE_KERNELS}


def kernel_source(op_def):
    """How this backend runs an op: "generated" (fused loops from its scalar expression),
    "fused" (a fused node), "numba" (a hand-written kernel in numba_kernels.py or, for updates,
    numba_step.py), or "numpy"
    (its reference kernel: BLAS products, numpy's vectorized ufuncs and reductions)."""
    if op_def.name in FUSED_OPS:
        return "fused"
    if op_def.name in hand_written_kernels():
        return "numba"
    if op_def.scalar is not None:
        return "generated"
    return "numpy"


class FusedKernel:
    """A fused node's callable: one compiled loop per input-shape signature."""

    def __init__(self, body, out_dtypes, name):
        self.body = body
        self.anchor_kernel = None
        if body.anchor is not None:
            op_def, attrs = body.anchor
            self.anchor_kernel = functools.partial(
                hand_written_kernels().get(op_def.name, op_def.ref), **attrs)
        self.out_dtypes = [d.numpy_dtype for d in out_dtypes]
        self.graph_dtypes = out_dtypes
        self.name = name
        self._variants = {}
        self._lock = threading.Lock()

    def __call__(self, *inputs):
        body = self.body
        if self.anchor_kernel is not None:
            arrays = (self.anchor_kernel(*inputs[:body.num_anchor_inputs]),) + \
                inputs[body.num_anchor_inputs:]
        else:
            arrays = inputs
        try:
            key = tuple([a.shape for a in arrays])
        except AttributeError:  # a kernel returned a Python number
            arrays = tuple(np.asarray(a) for a in arrays)
            key = tuple([a.shape for a in arrays])
        variant = self._variants.get(key)
        if variant is None:
            with self._lock:
                variant = self._variants.get(key) or self._prepare(key, arrays)
                self._variants[key] = variant
        return variant(arrays)

    def _prepare(self, shapes, arrays):
        """The variant for these shapes; ``arrays`` lists the anchor's result first if any."""
        body = self.body
        layout = loop_layout(body, shapes)
        if layout is None and body.reduction is not None and loop_layout(
                _without_reduction(body), shapes) is not None:
            return _ThenReduced(FusedKernel(_without_reduction(body), self.graph_dtypes,
                                            self.name), body.reduction)
        if layout is None:
            return _ReferenceVariant(body)
        anchored = body.anchor is not None
        array_dtypes = [np.asarray(a).dtype for a in arrays]
        work = layout.outer * layout.inner
        # a reduction parallelizes over its outer index only
        parallel = work >= PARALLEL_THRESHOLD and (layout.reduce_by is None or layout.outer > 1)
        source, function_name = generate_source(body, layout.kinds, array_dtypes,
                                                self.out_dtypes, parallel, anchored,
                                                layout.reduce_by)
        kernel = getattr(cache.load(source, "fused"), function_name)
        # The product's buffer is fresh and ours: an output of its dtype is written over it.
        reuse_anchor = None
        if anchored and layout.reduce_by is None and tuple(shapes[0]) == layout.loop_shape:
            reuse_anchor = next((j for j, d in enumerate(self.out_dtypes)
                                 if d == array_dtypes[0]), None)
        return _LoopVariant(kernel, layout.result_shape, layout.outer, layout.inner,
                            layout.materialize, self.out_dtypes, reuse_anchor,
                            loop_shape=layout.loop_shape)


def _is_relu_grad_of_its_pool_grad(node):
    """Whether the fused ``node`` is ReluGrad(MaxPoolGrad(x, y, g), x) in float32/float64 and
    nothing else: its inputs are x, y, g and the ReLU's features, the same value as x."""
    body = node.attrs["body"]
    if body.anchor is None or body.anchor[0].name != "MaxPoolGrad" or \
            body.reduction is not None or len(body.members) != 1 or body.outputs != (0,) or \
            node.specs[0].dtype.base_dtype not in (dtypes.float32, dtypes.float64):
        return False
    member = body.members[0]
    if member.op_def.name != "ReluGrad" or member.args != (("anchor",), ("param", 0)):
        return False
    x, features = node.inputs[0], node.inputs[3]
    return x.node is features.node and x.index == features.index


LoopLayout = collections.namedtuple(
    "LoopLayout", ["kinds", "outer", "inner", "loop_shape", "result_shape", "reduce_by",
                   "materialize"])


def loop_layout(body, shapes):
    """How a fused body's generated loop runs over inputs of these shapes (the anchor's result
    first), or None where it does not apply and the reference kernels run: empty arrays,
    outputs smaller than the loop, reductions over leading or interleaved axes.

    A reduction reduces the group's output over trailing axes (or all of them) as it computes
    it: ``out[i] = sum_j f(i, j)`` over the ``outer x inner`` view, accumulated in float64."""
    loop_shape = tuple(np.broadcast_shapes(*shapes)) if shapes else ()
    size = math.prod(loop_shape)
    # Each output has the shape of the inputs it depends on; a loop writes full arrays only.
    if size == 0 or any(_output_shape(body, j, shapes) != loop_shape
                        for j in range(len(body.outputs))):
        return None
    if body.reduction is None:
        split, kinds = _layout(loop_shape, shapes)
        outer, inner = math.prod(loop_shape[:split]), math.prod(loop_shape[split:])
        if all(k in (FULL, SCALAR) for k in kinds):
            outer, inner = 1, size
        return LoopLayout(kinds, outer, inner, loop_shape, loop_shape, None,
                          _to_materialize(kinds, shapes, loop_shape))
    op_def, axes, attrs = body.reduction
    rank = len(loop_shape)
    reduced = sorted({int(a) % rank for a in np.ravel(axes)}) if rank else []
    split = rank - len(reduced)
    kinds = _kinds_at(loop_shape, shapes, split)
    if not reduced or reduced != list(range(split, rank)) or kinds is None:
        return None
    kept = loop_shape[:split]
    result_shape = kept + (1,) * len(reduced) if attrs.get("keep_dims") else kept
    return LoopLayout(kinds, math.prod(kept), math.prod(loop_shape[split:]), loop_shape,
                      result_shape, op_def.name, _to_materialize(kinds, shapes, loop_shape))


class _ReferenceVariant:
    """Shapes the generated loops do not cover (empty arrays, outputs smaller than the loop)."""

    def __init__(self, body):
        self.body = body

    def __call__(self, arrays):
        if self.body.anchor is not None:
            return self.body.run_reference(arrays[1:], anchor_value=arrays[0])
        return self.body.run_reference(arrays)


def _without_reduction(body):
    return FusedBody(body.members, body.outputs, body.anchor, body.num_anchor_inputs)


class _ThenReduced:
    """A reduction the generated loop does not fold in (over leading axes: batch norm's
    variance, a bias gradient's sum of squares): the elementwise loop, then the backend's
    Sum/Mean kernel, whose column sums beat numpy's reductions over leading axes."""

    def __init__(self, loop, reduction):
        op_def, self.axes, self.attrs = reduction
        self.loop = loop
        self.reduce = hand_written_kernels().get(op_def.name, op_def.ref)

    def __call__(self, arrays):
        return self.reduce(self.loop(*arrays), self.axes, **self.attrs)


class _LoopVariant:
    __slots__ = ("kernel", "out_shape", "loop_shape", "outer", "inner", "materialize",
                 "out_dtypes", "reuse_anchor", "single")

    def __init__(self, kernel, out_shape, outer, inner, materialize, out_dtypes, reuse_anchor,
                 loop_shape=None):
        """``out_shape``: the outputs'; ``loop_shape``: the iteration space the inputs are
        broadcast to (the same, except for a reduction)."""
        self.kernel, self.out_shape, self.outer, self.inner = kernel, out_shape, outer, inner
        self.loop_shape = out_shape if loop_shape is None else loop_shape
        self.materialize = materialize
        self.out_dtypes = out_dtypes
        self.reuse_anchor = reuse_anchor
        self.single = len(out_dtypes) == 1

    def __call__(self, arrays):
        if self.materialize:
            arrays = [np.broadcast_to(a, self.loop_shape) if i in self.materialize else a
                      for i, a in enumerate(arrays)]
        # ravel: a view of a contiguous array, a contiguous copy of anything else
        flat = [a.ravel() for a in arrays]
        if self.single and self.reuse_anchor is None:
            out = np.empty(self.out_shape, self.out_dtypes[0])
            self.kernel(self.outer, self.inner, *flat, out.ravel())
            return out
        outs = [arrays[0] if j == self.reuse_anchor else np.empty(self.out_shape, d)
                for j, d in enumerate(self.out_dtypes)]
        self.kernel(self.outer, self.inner, *flat, *[o.ravel() for o in outs])
        return outs[0] if self.single else tuple(outs)


def _output_shape(body, output, shapes):
    """The broadcast shape of the inputs an output depends on."""
    needed, stack, seen = [], [body.outputs[output]], set()
    offset = 1 if body.anchor is not None else 0
    while stack:
        j = stack.pop()
        if j in seen:
            continue
        seen.add(j)
        for arg in body.members[j].args:
            if arg[0] == "member":
                stack.append(arg[1])
            elif arg[0] == "param":
                needed.append(shapes[offset + arg[1]])
            else:
                needed.append(shapes[0])
    return np.broadcast_shapes(*needed) if needed else ()


def _to_materialize(kinds, shapes, loop_shape):
    """Inputs read as full arrays that are smaller than the loop (a layout none of the views
    covers): they are broadcast into full arrays first. A shape that differs only by leading
    1s already has the loop's layout."""
    size = math.prod(loop_shape)
    return [i for i, (kind, shape) in enumerate(zip(kinds, shapes))
            if kind == FULL and math.prod(shape) != size]


def _kind(shape, out_shape, split):
    """How an input of ``shape`` is read in the ``outer x inner`` view of ``out_shape`` split
    at ``split``: full, scalar, row (inner index), column (outer index), or None."""
    shape = (1,) * (len(out_shape) - len(shape)) + tuple(shape)
    if shape == out_shape:
        return FULL
    if all(d == 1 for d in shape):
        return SCALAR
    if all(d == 1 for d in shape[:split]) and shape[split:] == out_shape[split:]:
        return ROW
    if shape[:split] == out_shape[:split] and all(d == 1 for d in shape[split:]):
        return COLUMN
    return None


def _kinds_at(out_shape, shapes, split):
    """Each input's kind at ``split``, or None if one of them has none there."""
    kinds = [_kind(s, tuple(out_shape), split) for s in shapes]
    return None if None in kinds else kinds


def _layout(out_shape, shapes):
    """(split, kinds): the ``outer x inner`` split where the fewest inputs fit no view (those
    are read as full arrays, broadcast first), and how each input (the anchor's result first,
    when there is one) is read in it."""
    out_shape = tuple(out_shape)
    best = None
    for split in range(len(out_shape) + 1):
        kinds = [_kind(s, out_shape, split) for s in shapes]
        misses = kinds.count(None)
        if best is None or misses < best[2]:
            best = (split, kinds, misses)
        if not misses:
            break
    split, kinds, _ = best
    return split, [FULL if k is None else k for k in kinds]


# -- source generation ---------------------------------------------------------------------------
def _fast_float32():
    """(math.* name -> fastmath function, op name -> whole float32 expression)."""
    global _FAST_FLOAT32
    if _FAST_FLOAT32 is None:
        from . import fastmath
        _FAST_FLOAT32 = (dict(fastmath.FLOAT32_FUNCTIONS),
                         dict(fastmath.FLOAT32_OP_EXPRESSIONS))
    return _FAST_FLOAT32


class _TypedLiterals(ast.NodeTransformer):
    """Numbers in a float32 expression become float32 constants (a Python float is a double,
    and one double operand widens the whole loop to float64), and math functions that Numba
    lowers to scalar libm calls become the vectorizable ones from fastmath.py."""

    def __init__(self, float32, functions):
        self.float32 = float32
        self.functions = functions
        self.used = set()

    def visit_Constant(self, node):
        if self.float32 and type(node.value) in (int, float):
            return ast.Call(func=ast.Attribute(value=ast.Name("np", ast.Load()),
                                               attr="float32", ctx=ast.Load()),
                            args=[node], keywords=[])
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            dotted = "%s.%s" % (func.value.id, func.attr)
            if dotted in ("math.floor", "math.ceil"):
                # math.floor returns an int in Numba as in Python; the ops keep the float type.
                node.func = ast.Attribute(value=ast.Name("np", ast.Load()), attr=func.attr,
                                          ctx=ast.Load())
            elif self.float32 and dotted in self.functions:
                self.used.add(self.functions[dotted])
                node.func = ast.Name(self.functions[dotted], ast.Load())
        elif isinstance(func, ast.Name) and func.id.endswith("_f32"):
            self.used.add(func.id)
        return node


def _member_expression(member, arg_names, arg_dtypes, fast):
    functions, op_expressions = fast
    operand = next((d for d in arg_dtypes if d != dtypes.bool), member.dtype)
    float32 = operand == dtypes.float32
    # Some ops have a float32 form more accurate than their generic expression (Sigmoid's
    # 0.5 + 0.5 tanh(x/2) loses relative accuracy far in the negative tail).
    template = op_expressions.get(member.op_def.name) if float32 else None
    if template is None:
        template = member.op_def.scalar
    text = template.format(*arg_names)
    transformer = _TypedLiterals(float32, functions)
    tree = transformer.visit(ast.parse(text, mode="eval"))
    expression = ast.unparse(tree)
    if member.dtype == dtypes.float32:
        expression = "np.float32(%s)" % expression
    elif member.dtype == dtypes.float64:
        expression = "np.float64(%s)" % expression
    return expression, transformer.used


def generate_source(body, kinds, array_dtypes, out_dtypes, parallel, anchored=False,
                    reduce_by=None):
    """Python source of one Numba kernel for ``body`` with the given input layouts.

    Signature: ``kernel(outer, inner, [a], p0, ..., o0, ...)``, all arrays flat; ``kinds`` and
    ``array_dtypes`` list the anchor's result ``a`` first when there is one."""
    definition, used_functions = kernel_definition(body, kinds, array_dtypes, out_dtypes,
                                                   parallel, anchored, reduce_by, "kernel")
    return source_header(used_functions) + "\n\n" + definition, "kernel"


def source_header(used_functions):
    """The imports a generated kernel module needs."""
    lines = ["import math", "import numba", "import numpy as np"]
    if used_functions:
        lines.append("from graphflow.compiler.codegen.fastmath import %s"
                     % ", ".join(sorted(used_functions)))
    return "\n".join(lines) + "\n"


def kernel_definition(body, kinds, array_dtypes, out_dtypes, parallel, anchored, reduce_by,
                      function_name):
    """(source of the decorated function ``function_name``, fastmath functions it calls)."""
    functions = _fast_float32()
    names = (["a"] if anchored else []) + [
        "p%d" % i for i in range(len(array_dtypes) - (1 if anchored else 0))]
    dtype_of = {name: dtypes.as_dtype(d) for name, d in zip(names, array_dtypes)}
    args = ["outer", "inner"] + names + ["o%d" % j for j in range(len(out_dtypes))]
    flat = all(k in (FULL, SCALAR) for k in kinds) and reduce_by is None
    loop = "numba.prange" if parallel else "range"
    hoisted, outer_reads, inner_reads = [], [], []
    index = {FULL: "k", ROW: "j", COLUMN: "i"}
    for name, kind in zip(names, kinds):
        if kind == SCALAR:
            hoisted.append("v_%s = %s[0]" % (name, name))
        elif kind == COLUMN:
            outer_reads.append("v_%s = %s[i]" % (name, name))
        else:
            inner_reads.append("v_%s = %s[%s]" % (name, name, index[kind]))

    used_functions = set()
    member_lines = []
    for j, member in enumerate(body.members):
        arg_names, arg_dtypes = [], []
        for arg in member.args:
            if arg[0] == "param":
                arg_names.append("v_p%d" % arg[1])
                arg_dtypes.append(dtype_of["p%d" % arg[1]])
            elif arg[0] == "member":
                arg_names.append("m%d" % arg[1])
                arg_dtypes.append(body.members[arg[1]].dtype)
            else:
                arg_names.append("v_a")
                arg_dtypes.append(dtype_of["a"])
        expression, used = _member_expression(member, arg_names, arg_dtypes, functions)
        used_functions |= used
        member_lines.append("m%d = %s" % (j, expression))
    store_lines = ["o%d[k] = m%d" % (o, j) for o, j in enumerate(body.outputs)]
    if reduce_by is not None:
        store_lines = ["acc += m%d" % body.outputs[0]]

    lines = ["# %s" % " -> ".join(m.op_def.name for m in body.members),
              "@numba.njit(cache=True, nogil=True, error_model='numpy', fastmath={%s}%s)"
              % ("'contract'" if reduce_by is None else
                 # the sum may be reordered (into vector lanes); it accumulates in float64
                 "'contract', 'reassoc'", ", parallel=True" if parallel else ""),
              "def %s(%s):" % (function_name, ", ".join(args))]
    body_lines = list(hoisted)
    if flat:
        body_lines.append("for k in %s(inner):" % loop)
        body_lines += ["    " + line for line in inner_reads + member_lines + store_lines]
    else:
        body_lines.append("for i in %s(outer):" % loop)
        body_lines += ["    " + line for line in outer_reads]
        body_lines.append("    base = i * inner")
        if reduce_by is not None:
            body_lines.append("    acc = 0.0")
        body_lines.append("    for j in range(inner):")
        body_lines.append("        k = base + j")
        body_lines += ["        " + line for line in inner_reads + member_lines + store_lines]
        if reduce_by == "Mean":
            body_lines.append("    o0[i] = acc / inner")
        elif reduce_by is not None:
            body_lines.append("    o0[i] = acc")
    lines += ["    " + line for line in body_lines]
    return "\n".join(lines) + "\n", used_functions
