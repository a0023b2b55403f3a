"""Whole-step compilation, part of the Numba CPU backend: a small plan becomes one Numba function.

A training step of a small model (an MLP 2-16-16-2 on 8 examples) spends its time in Python:
some 35 kernel calls of a few microseconds each around arithmetic that takes one. Once a plan
has run ``WHOLE_STEP_AFTER`` times (a loop, not a one-off: compiling costs a second or two the
first time, then comes from the disk cache), the backend asks ``build`` for one function that
runs the whole program:

- every value is a local array of the plan's static shapes (a rank-0 value is held as shape
  ``(1,)``, since Numba's 0-d arrays are awkward);
- fused and single elementwise nodes are the very loops the backend generates for them
  (``numba_cpu.kernel_definition``), defined in the same module;
- products, the softmax cross-entropy and reductions are the small loops below, which beat a
  BLAS call at these sizes;
- optimizer updates (gradient descent, momentum, Adam) and assignments are the step's last
  lines and write into the variables' buffers in place (the store holds read-only views of
  them, and a buffer is copied first when anyone outside the store holds its view): every
  check and computation that can fail comes before them, so a failed call has changed nothing
  and falls back to the node-by-node executor, which then gives the exact error.

Variables are read when the step starts, which is when the node-by-node executor reads them as
long as no variable is read after an update to it in the same run. Random ops with constant
inputs (dropout's mask) draw their numbers with their own kernels and generators before the
call and pass them in, so a seeded program draws what it draws node by node (a call that fails
and falls back draws twice). Programs with a read after an update, ops without a form here,
random ops with computed inputs, control flow, strings, unknown shapes or large arrays (where
Python's per-op cost no longer matters and BLAS's threads do) are not compiled whole; ``build``
returns None and says why in ``last_reason``.
"""
import hashlib
import math
import os

import numba
import numpy as np

from ...framework import dtypes
from ...ops import nn_ops, training_ops
from ..ir import FEED
from ..passes import fuse
from . import cache, numba_cpu, reference

# Runs of a plan before it is compiled whole; GRAPHFLOW_WHOLE_STEP_AFTER overrides it, and a
# negative value turns whole-step compilation off.
WHOLE_STEP_AFTER = int(os.environ.get("GRAPHFLOW_WHOLE_STEP_AFTER", "32"))
MAX_ELEMENTS = 1 << 16  # per value
MAX_PRODUCT_WORK = 1 << 18  # multiply-adds per matrix product
SMALL_CONSTANT = 64  # elements up to which a constant is written into the step's source
# Fewer ops than this already run about as fast one by one (a+b: one numpy call beats
# passing arrays into and out of a compiled function).
MIN_COMPUTE_NODES = 4
_PLUMBING = frozenset(["_Feed", "Const", "VariableV2", "Identity", "NoOp"])
VALUE_DTYPES = frozenset([dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64,
                          dtypes.bool])
FLOAT_DTYPES = frozenset([dtypes.float32, dtypes.float64])


def _kernels_stamp():
    """A line naming this file's version: steps call the kernels below, and Numba's cache of a
    step does not notice when they change, so a changed file must change every step's source."""
    with open(__file__, "rb") as f:
        return "# numba_step.py %s\n" % hashlib.sha256(f.read()).hexdigest()[:16]


_KERNELS_STAMP = _kernels_stamp()


class NotCompiled(Exception):
    """Why a program is not compiled whole (a note for the developer, not a user error)."""


# -- kernels the generated step calls ------------------------------------------------------------
@numba.njit(cache=True, nogil=True, fastmath={"contract"})
def matmul(a, b, out):
    """out = a @ b, rows of ``b`` streamed so the inner loop vectorizes."""
    m, k = a.shape
    n = b.shape[1]
    for i in range(m):
        for j in range(n):
            out[i, j] = 0
        for p in range(k):
            aip = a[i, p]
            for j in range(n):
                out[i, j] += aip * b[p, j]


@numba.njit(cache=True, nogil=True)
def softmax_cross_entropy(logits, labels, loss, backprop):
    """Per row: loss = -sum(labels * log_softmax), backprop = softmax - labels, the softmax as
    exp(shifted) / sum (as TF's kernel divides): one exp per entry, sums in float64."""
    rows, classes = logits.shape
    for i in range(rows):
        top = logits[i, 0]
        for j in range(1, classes):
            top = max(top, logits[i, j])
        total = 0.0
        for j in range(classes):
            e = math.exp(logits[i, j] - top)
            backprop[i, j] = e
            total += e
        log_total = math.log(total)
        acc = 0.0
        for j in range(classes):
            acc -= labels[i, j] * (logits[i, j] - top - log_total)
        loss[i] = acc
        for j in range(classes):
            backprop[i, j] = backprop[i, j] / total - labels[i, j]


REDUCTIONS = {"Sum": 0, "Mean": 1, "Max": 2, "Min": 3}


@numba.njit(cache=True, nogil=True)
def reduce_middle(x, out, kind):
    """out[i, k] = the sum, mean, max or min (``kind``: REDUCTIONS) over j of x[i, j, k]; sums
    accumulate in float64. NaN propagates through max and min, as in numpy."""
    pre, mid, post = x.shape
    for i in range(pre):
        for k in range(post):
            if kind <= 1:
                acc = 0.0
                for j in range(mid):
                    acc += x[i, j, k]
                out[i, k] = acc / mid if kind == 1 else acc
            else:
                best = x[i, 0, k]
                for j in range(1, mid):
                    v = x[i, j, k]
                    if v != v or best != best:
                        best = v if v != v else best
                    elif (v > best) if kind == 2 else (v < best):
                        best = v
                out[i, k] = best


# Updates keep the numpy kernels' operation order (training_ops.py), so results agree bit for
# bit; hyper-parameters arrive as 1-element arrays and ``one`` as 1 of the variable's dtype.
@numba.njit(cache=True, nogil=True)
def apply_gradient_descent(var, alpha, delta, out):
    a = alpha[0]
    for k in range(var.size):
        out[k] = var[k] - delta[k] * a


@numba.njit(cache=True, nogil=True, parallel=True)
def apply_gradient_descent_parallel(var, alpha, delta, out):
    """apply_gradient_descent on threads, for large variables: the pass is memory-bound, and
    two threads moved the 3.2M-parameter layer of a CNN in 1.9 ms against 2.5 ms on one."""
    a = alpha[0]
    for k in numba.prange(var.size):
        out[k] = var[k] - delta[k] * a


@numba.njit(cache=True, nogil=True)
def apply_momentum(var, accum, lr, grad, momentum, nesterov, out_var, out_accum):
    r, mu = lr[0], momentum[0]
    for k in range(var.size):
        a = accum[k] * mu + grad[k]
        out_accum[k] = a
        step = grad[k] * r + a * mu * r if nesterov else a * r
        out_var[k] = var[k] - step


@numba.njit(cache=True, nogil=True)
def apply_adam(var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad, nesterov,
               one, out_var, out_m, out_v):
    b1, b2, eps = beta1[0], beta2[0], epsilon[0]
    alpha = lr[0] * np.sqrt(one - beta2_power[0]) / (one - beta1_power[0])
    for k in range(var.size):
        g = grad[k]
        new_m = m[k] + (g - m[k]) * (one - b1)
        new_v = v[k] + (g * g - v[k]) * (one - b2)
        out_m[k] = new_m
        out_v[k] = new_v
        if nesterov:
            step = ((g * (one - b1) + b1 * new_m) * alpha) / (np.sqrt(new_v) + eps)
        else:
            step = (new_m * alpha) / (np.sqrt(new_v) + eps)
        out_var[k] = var[k] - step


def gradient_descent(var, alpha, delta, *, use_locking=False):
    """ApplyGradientDescent for the node-by-node Numba backend: one pass over the variable,
    in place when nothing else holds it, where numpy makes ``delta * alpha`` first."""
    if type(delta) is not np.ndarray or delta.dtype != var.dtype or delta.dtype.kind != "f":
        return training_ops._gradient_descent(var, alpha, delta, use_locking=use_locking)
    alpha = np.asarray(alpha, delta.dtype).reshape(1)

    def compute(current, out):
        if current.shape != delta.shape:
            raise ValueError("ApplyGradientDescent: var and delta shapes differ: %s vs %s"
                             % (current.shape, delta.shape))
        apply = (apply_gradient_descent_parallel
                 if current.size >= numba_cpu.PARALLEL_THRESHOLD else apply_gradient_descent)
        apply(current.ravel(), alpha, delta.ravel(), out.ravel())
    with training_ops._lock(use_locking):
        return var.update(compute)


def softmax_xent(features, labels):
    """SoftmaxCrossEntropyWithLogits for the node-by-node Numba backend: one pass per row where
    numpy makes six (max, shift, exp, sum, log, products); sums accumulate in float64."""
    if (type(features) is not np.ndarray or type(labels) is not np.ndarray or
            features.dtype not in (np.float32, np.float64) or labels.dtype != features.dtype or
            features.shape != labels.shape or features.ndim == 0 or features.size == 0):
        return nn_ops._xent_ref(features, labels)
    classes = features.shape[-1]
    logits = np.ascontiguousarray(features).reshape(-1, classes)
    loss = np.empty(logits.shape[0], features.dtype)
    backprop = np.empty(logits.shape, features.dtype)
    softmax_cross_entropy(logits, np.ascontiguousarray(labels).reshape(-1, classes), loss,
                          backprop)
    return loss.reshape(features.shape[:-1]), backprop.reshape(features.shape)


# op name -> kernel with the reference kernel's signature, for the node-by-node backend
KERNELS = {"ApplyGradientDescent": gradient_descent,
           "SoftmaxCrossEntropyWithLogits": softmax_xent}


# -- the wrapper ---------------------------------------------------------------------------------
class WholeStep:
    """Calls the compiled step, ``step(feeds..., variables..., drawn..., constants...)``.

    A variable the step updates comes in as a private writable buffer (see
    ``VariableHandle.private_buffer``), which the step's last lines update in place; the store
    holds a read-only view of it. ``run`` raises ``Unusable`` when the call fails; the executor
    then runs node by node. Every check and every computation that can fail comes before the
    first update, so a failed call has changed no value."""

    def __init__(self, function, feeds, variables, drawn, constants, fetches, locking):
        self.function = function
        self._feeds = feeds  # (feed index, rank 0?)
        # (handle, rank 0?, the shape the step was made for, updated in place?)
        self._variables = [tuple(v) for v in variables]
        self._buffers = [None] * len(variables)  # the private buffers of updated variables
        self._drawn = drawn  # (random kernel, its constant inputs, rank 0?)
        self._constants = constants
        self._fetches = fetches  # ("result", index, rank 0?) or ("variable", handle, _)
        self._lock = training_ops._UPDATE_LOCK if locking else None

    def run(self, feed_values):
        if self._lock is None:
            return self._run(feed_values)
        with self._lock:
            return self._run(feed_values)

    def _run(self, feed_values):
        try:
            args = self._arguments(feed_values)
            results = self.function(*args)
        except numba.core.errors.NumbaError as e:  # it does not compile: never again
            raise Unusable(e, permanent=True) from e
        except Exception as e:  # noqa: BLE001 - the node-by-node run reports it properly
            raise Unusable(e) from e
        if not self._fetches:
            return []
        fetched = []
        for kind, source, scalar in self._fetches:
            value = results[source] if kind == "result" else source.value()
            fetched.append(value.reshape(()) if scalar and value.ndim else value)
        return fetched

    def _arguments(self, feed_values):
        args = []
        for index, scalar in self._feeds:
            value = feed_values[index]
            if scalar:
                value = value.reshape(1)
            elif not value.flags.c_contiguous:
                value = np.ascontiguousarray(value)
            args.append(value)
        buffers = self._buffers
        for i, (handle, scalar, shape, updated) in enumerate(self._variables):
            if updated:
                value = buffers[i] = handle.private_buffer(buffers[i], shape)
                args.append(value)
                continue
            value = handle.value()
            if value.shape != shape:  # assigned with validate_shape=False since
                raise ValueError("variable %s changed shape" % handle.name)
            args.append(value.reshape(1) if scalar else value)
        for kernel, inputs, scalar in self._drawn:
            value = kernel(*inputs)
            args.append(value.reshape(1) if scalar else value)
        args += self._constants
        return args


class Unusable(Exception):
    """This run goes node by node (which reports any error as usual); ``permanent``: so does
    every later one."""

    def __init__(self, cause, permanent=False):
        super().__init__(cause)
        self.permanent = permanent


# -- generation ----------------------------------------------------------------------------------
last_reason = None  # why the last ``build`` returned None


def build(program, resources):
    """A WholeStep for ``program``, or None when it does not qualify (see the module doc)."""
    global last_reason
    try:
        generator = _Generator(program, resources)
        source = generator.generate()
    except NotCompiled as e:
        last_reason = str(e)
        return None
    last_reason = None
    function = cache.load(source, "step").step
    return WholeStep(function, generator.feeds, generator.variables, generator.drawn,
                     generator.constants, generator.fetches, generator.locking)


def _static_shape(spec, node):
    shape = spec.shape
    if shape.ndims is None or None in shape.as_list():
        raise NotCompiled("%s (%s) has no static shape" % (node.name, node.type))
    dims = tuple(shape.as_list())
    if math.prod(dims) > MAX_ELEMENTS:
        raise NotCompiled("%s (%s) is large: %s" % (node.name, node.type, dims))
    if math.prod(dims) == 0:
        raise NotCompiled("%s (%s) is empty" % (node.name, node.type))
    return dims


def _held(shape):
    """The shape a value is held in inside the step: rank 0 becomes (1,)."""
    return tuple(shape) if shape else (1,)


def _literal(dims):
    return "(%s)" % "".join("%d, " % d for d in dims)


class _Generator:
    def __init__(self, program, resources):
        self.program = program
        self.resources = resources
        self.lines = []
        self.update_lines = []  # run after every other line: updates are in place
        self.definitions = []
        self.used_functions = set()
        self.feeds, self.variables, self.constants = [], [], []  # the step's arguments
        self.literals = []  # small constants, written into the source
        self.drawn = []  # (kernel, constant inputs, rank 0?) of random ops run before the call
        self.local = {}  # value key -> local name holding an array
        self.shape = {}  # value key -> static shape (as TF sees it)
        self.ref = {}  # value key -> VariableV2 node whose reference it carries
        self.read = {}  # id(variable node) -> the argument holding its value
        self.aliases = {}  # local name -> id of the variable node whose array it may share
        self.updated = {}  # id(variable node) -> (local name of its new value, rank 0?)
        self.handles = {}  # id(variable node) -> handle
        self.locking = False
        self.count = 0

    def fresh(self, prefix="t"):
        self.count += 1
        return "%s%d" % (prefix, self.count)

    def generate(self):
        program = self.program
        computing = sum(node.op_def.name not in _PLUMBING for node in program.nodes)
        if computing < MIN_COMPUTE_NODES:
            raise NotCompiled("%d ops run as fast one by one" % computing)
        feed_index = 0
        for node in program.nodes:
            op = node.op_def
            if op.makes_dead or op.takes_dead:
                raise NotCompiled("%s (%s) is control flow" % (node.name, node.type))
            for i, spec in enumerate(node.specs):
                if spec.dtype.base_dtype not in VALUE_DTYPES:
                    raise NotCompiled("%s (%s) has dtype %s" % (node.name, node.type,
                                                                spec.dtype.name))
                if op.name == "Const":  # a folded constant's spec may know less than its value
                    self.shape[(id(node), i)] = np.shape(node.attrs["value"])
                elif not spec.dtype.is_ref:
                    self.shape[(id(node), i)] = _static_shape(spec, node)
            if op is FEED:
                self.local[(id(node), 0)] = "f%d" % len(self.feeds)
                self.feeds.append((feed_index, not self.shape[(id(node), 0)]))
                feed_index += 1
                continue
            emit = getattr(self, "emit_" + op.name, None)
            if op.needs == ("rng",):
                emit = self.emit_drawn
            elif op.needs and op.needs != ("variable",):
                raise NotCompiled("%s (%s) needs %s" % (node.name, node.type, op.needs))
            if emit is None and op.name in fuse.FUSED_OPS:
                emit = self.emit_fused
            elif emit is None and self.is_elementwise(node):
                emit = self.emit_elementwise
            if emit is None:
                raise NotCompiled("no whole-step form for %s (%s)" % (node.name, node.type))
            emit(node)
        return self.finish()

    # -- values --------------------------------------------------------------------------------
    def variable_of(self, value):
        variable = self.ref.get((id(value.node), value.index))
        if variable is None:
            raise NotCompiled("%s reads a reference that is not a variable" % value.node.name)
        return variable

    def variable_value(self, variable):
        if id(variable) in self.updated:
            raise NotCompiled("variable %s is read after its update in the same run"
                              % variable.name)
        name = self.variable_argument(variable)
        self.aliases[name] = id(variable)
        return name

    def variable_argument(self, variable):
        name = self.read.get(id(variable))
        if name is None:
            name = self.read[id(variable)] = "w%d" % len(self.variables)
            shape = tuple(variable.specs[0].shape.as_list())
            self.variables.append([self.handle(variable), not shape, shape, False])
        return name

    def handle(self, variable):
        handle = self.handles.get(id(variable))
        if handle is None:
            handle = self.handles[id(variable)] = self.resources.provide("variable", variable)
        return handle

    def inputs(self, node, start=0):
        """Local names of the node's input values from ``start`` on (references are read:
        ``deref``)."""
        names = []
        for i, value in enumerate(node.inputs[start:], start):
            key = (id(value.node), value.index)
            if key in self.ref:
                if i not in node.deref:
                    raise NotCompiled("%s takes a reference as a value" % node.name)
                names.append(self.variable_value(self.ref[key]))
            else:
                names.append(self.local[key])
        return names

    def input_shapes(self, node):
        return [self.shape[(id(v.node), v.index)] if (id(v.node), v.index) in self.shape else
                tuple(self.ref[(id(v.node), v.index)].specs[0].shape.as_list())
                for v in node.inputs]

    @staticmethod
    def input_dtypes(node):
        return [v.node.specs[v.index].dtype.base_dtype for v in node.inputs]

    def output(self, node, index=0):
        name = self.fresh("v")
        self.local[(id(node), index)] = name
        return name

    def empty(self, node, index=0):
        name = self.output(node, index)
        self.lines.append("%s = np.empty(%s, np.%s)" % (
            name, _literal(_held(self.shape[(id(node), index)])),
            node.specs[index].dtype.base_dtype.numpy_dtype.name))
        return name

    def const_input(self, node, position):
        producer = node.inputs[position].node
        if producer.op_def.name != "Const":
            raise NotCompiled("%s: input %d is not a constant" % (node.name, position))
        return producer.attrs["value"]

    # -- ops -----------------------------------------------------------------------------------
    def emit_VariableV2(self, node):
        self.ref[(id(node), 0)] = node

    def emit_Const(self, node):
        value = np.ascontiguousarray(node.attrs["value"])
        if value.dtype.kind not in "fiub":
            raise NotCompiled("%s is a %s constant" % (node.name, value.dtype))
        value = value.reshape(_held(value.shape))
        if value.size <= SMALL_CONSTANT and (value.dtype.kind != "f" or
                                             np.isfinite(value).all()):
            # a module global: Numba freezes it into the code, one argument fewer to pass
            name = "k%d" % len(self.literals)
            self.literals.append("%s = np.array(%r, np.%s).reshape(%s)" % (
                name, value.ravel().tolist(), value.dtype.name, _literal(value.shape)))
        else:
            name = "c%d" % len(self.constants)
            self.constants.append(value)
        self.local[(id(node), 0)] = name

    def emit_NoOp(self, node):
        pass

    def emit_drawn(self, node):
        """A random op whose inputs are constants (a shape, bounds) draws its numbers in Python
        with its own kernel and generator before the call, as the node-by-node run would, and
        they come in as an argument."""
        values = []
        for value in node.inputs:
            if value.node.op_def.name != "Const":
                raise NotCompiled("random op %s has computed inputs" % node.name)
            values.append(value.node.attrs["value"])
        if len(node.specs) != 1:
            raise NotCompiled("random op %s has several outputs" % node.name)
        name = "r%d" % len(self.drawn)
        self.drawn.append((reference.bind_kernel(node, self.resources), values,
                           not self.shape[(id(node), 0)]))
        self.local[(id(node), 0)] = name

    def emit_Identity(self, node):
        key = (id(node.inputs[0].node), node.inputs[0].index)
        if key in self.ref and 0 not in node.deref:
            self.ref[(id(node), 0)] = self.ref[key]
        else:
            self.local[(id(node), 0)] = self.inputs(node)[0]

    emit_StopGradient = emit_Identity

    def emit_reshape(self, node):
        source = self.inputs(node)[0]
        output = self.output(node)
        if source in self.aliases:
            self.aliases[output] = self.aliases[source]
        self.lines.append("%s = %s.reshape(%s)" % (
            output, source, _literal(_held(self.shape[(id(node), 0)]))))

    emit_Reshape = emit_ExpandDims = emit_Squeeze = emit_reshape

    def emit_MatMul(self, node):
        self.lines.append(self.product(node, self.inputs(node), self.empty(node)))

    def product(self, node, names, out, attrs=None):
        attrs = node.attrs if attrs is None else attrs
        (m, k), (k2, n) = [s[::-1] if t else s for s, t in zip(
            self.input_shapes(node)[:2], (attrs.get("transpose_a"), attrs.get("transpose_b")))]
        if m * n * k > MAX_PRODUCT_WORK:
            raise NotCompiled("%s multiplies large matrices" % node.name)
        if node.specs[0].dtype.base_dtype not in FLOAT_DTYPES:
            raise NotCompiled("%s multiplies integers" % node.name)
        a, b = names[:2]
        a = a + ".T" if attrs.get("transpose_a") else a
        b = b + ".T" if attrs.get("transpose_b") else b
        return "matmul(%s, %s, %s)" % (a, b, out)

    def emit_SoftmaxCrossEntropyWithLogits(self, node):
        shapes = self.input_shapes(node)
        if len(shapes[0]) != 2 or shapes[0] != shapes[1]:
            raise NotCompiled("%s: logits and labels of shapes %s" % (node.name, shapes))
        if node.specs[0].dtype.base_dtype not in FLOAT_DTYPES:
            raise NotCompiled("%s is not floating point" % node.name)
        logits, labels = self.inputs(node)
        loss, backprop = self.empty(node, 0), self.empty(node, 1)
        self.lines.append("softmax_cross_entropy(%s, %s, %s, %s)"
                          % (logits, labels, loss, backprop))

    def emit_reduction(self, node):
        if node.specs[0].dtype.base_dtype not in FLOAT_DTYPES:
            raise NotCompiled("%s reduces integers" % node.name)
        shape = self.input_shapes(node)[0]
        given = [int(a) for a in np.ravel(self.const_input(node, 1))]
        axes = sorted({a % max(len(shape), 1) for a in given})
        if len(axes) != len(given) or any(not -len(shape) <= a < len(shape) for a in given):
            raise NotCompiled("%s has invalid axes %s (the node-by-node run reports it)"
                              % (node.name, given))
        source = self.inputs(node)[0]
        if not axes:
            self.lines.append("%s = %s.copy()" % (self.output(node), source))
            return
        low, high = axes[0], axes[-1] + 1
        if axes != list(range(low, high)):
            raise NotCompiled("%s reduces axes %s, not one block" % (node.name, axes))
        pre, mid, post = (math.prod(shape[:low]), math.prod(shape[low:high]),
                          math.prod(shape[high:]))
        out = self.empty(node)
        self.lines.append("reduce_middle(%s.reshape(%s), %s.reshape(%s), %d)" % (
            source, _literal((pre, mid, post)), out, _literal((pre, post)),
            REDUCTIONS[node.op_def.name]))

    emit_Sum = emit_Mean = emit_Max = emit_Min = emit_reduction

    def is_elementwise(self, node):
        return (node.op_def.scalar is not None and len(node.specs) == 1 and
                node.op_def.name not in ("ZerosLike", "OnesLike") and
                not (node.op_def.name == "BiasAdd" and
                     node.attrs.get("data_format", "NHWC") == "NCHW"))

    def emit_elementwise(self, node):
        member = fuse.Member(node.op_def, dict(node.attrs),
                             tuple(("param", i) for i in range(len(node.inputs))), node.name,
                             node.specs[0].dtype.base_dtype)
        self.loop(node, fuse.FusedBody([member], [0]), self.inputs(node),
                  self.input_shapes(node), self.input_dtypes(node))

    def emit_fused(self, node):
        body = node.attrs["body"]
        names, shapes, types = self.inputs(node), self.input_shapes(node), self.input_dtypes(node)
        if body.anchor is None:
            self.loop(node, body, names, shapes, types)
            return
        op_def, attrs = body.anchor
        if op_def.name != "MatMul":
            raise NotCompiled("%s is anchored on %s" % (node.name, op_def.name))
        count = body.num_anchor_inputs
        (m, _), (_, n) = [s[::-1] if t else s for s, t in zip(
            shapes[:2], (attrs.get("transpose_a"), attrs.get("transpose_b")))]
        product = self.fresh("p")
        self.lines.append("%s = np.empty(%s, np.%s)" % (
            product, _literal((m, n)), types[0].numpy_dtype.name))
        self.lines.append(self.product(node, names, product, attrs))
        self.loop(node, body, [product] + names[count:], [(m, n)] + shapes[count:],
                  [types[0]] + types[count:],
                  anchored=True)

    def loop(self, node, body, names, shapes, types, anchored=False):
        """The backend's generated loop for ``body`` over these inputs (the anchor's product
        first when ``anchored``), as FusedKernel would run it for these shapes."""
        for spec in node.specs:
            if spec.dtype.base_dtype not in fuse.FUSIBLE_DTYPES:
                raise NotCompiled("%s computes %s in a loop" % (node.name, spec.dtype.name))
        layout = numba_cpu.loop_layout(body, shapes)
        if layout is None:
            raise NotCompiled("%s has a loop only the reference kernels run" % node.name)
        if layout.materialize:
            raise NotCompiled("%s broadcasts an input no loop view covers" % node.name)
        out_dtypes = [s.dtype.base_dtype.numpy_dtype for s in node.specs]
        in_dtypes = [t.numpy_dtype for t in types]
        function = self.fresh("loop")
        definition, used = numba_cpu.kernel_definition(
            body, layout.kinds, in_dtypes, out_dtypes, False, anchored, layout.reduce_by,
            function)
        self.definitions.append(definition)
        self.used_functions |= used
        outs = []
        for j in range(len(node.specs)):
            if anchored and j == 0 and layout.reduce_by is None and \
                    layout.loop_shape == tuple(shapes[0]) and out_dtypes[0] == in_dtypes[0]:
                # the product's buffer is ours: the loop writes over it, as FusedKernel does
                self.local[(id(node), 0)] = names[0]
                outs.append(names[0])
            else:
                outs.append(self.empty(node, j))
        self.lines.append("%s(%d, %d, %s)" % (function, layout.outer, layout.inner, ", ".join(
            "%s.ravel()" % name for name in names + outs)))

    # -- updates -------------------------------------------------------------------------------
    def new_value(self, variable, node):
        """The argument the update writes into: the variable's own (private) buffer."""
        if id(variable) in self.updated:
            raise NotCompiled("variable %s is updated twice in one run" % variable.name)
        name = self.variable_argument(variable)
        self.variables[int(name[1:])][3] = True
        if node.attrs.get("use_locking"):
            self.locking = True
        return name

    def update_inputs(self, node, count):
        """(variables, their current values, the other inputs' names)."""
        variables = [self.variable_of(v) for v in node.inputs[:count]]
        for variable in variables:
            if variable.specs[0].dtype.base_dtype not in FLOAT_DTYPES:
                raise NotCompiled("%s updates %s" % (node.name, variable.name))
            _static_shape(variable.specs[0], variable)
        current = [self.variable_value(v) for v in variables]
        rest = self.inputs(node, count)
        for value in node.inputs[count:]:
            if self.shape.get((id(value.node), value.index)) not in (
                    None, (), tuple(variables[0].specs[0].shape.as_list())):
                raise NotCompiled("%s broadcasts an update" % node.name)
        return variables, current, rest

    def finish_update(self, node, variables, names):
        for variable, name in zip(variables, names):
            self.handle(variable)
            self.updated[id(variable)] = (name, variable.specs[0].shape.ndims == 0)
        self.ref[(id(node), 0)] = variables[0]

    def emit_ApplyGradientDescent(self, node):
        (var,), (current,), (alpha, delta) = self.update_inputs(node, 1)
        new = self.new_value(var, node)
        self.update_lines.append("apply_gradient_descent(%s.ravel(), %s, %s.ravel(), %s.ravel())"
                          % (current, alpha, delta, new))
        self.finish_update(node, [var], [new])

    def emit_ApplyMomentum(self, node):
        (var, accum), (v, a), (lr, grad, momentum) = self.update_inputs(node, 2)
        new_var, new_accum = self.new_value(var, node), self.new_value(accum, node)
        self.update_lines.append("apply_momentum(%s.ravel(), %s.ravel(), %s, %s.ravel(), %s, %s, "
                          "%s.ravel(), %s.ravel())" % (
                              v, a, lr, grad, momentum, bool(node.attrs.get("use_nesterov")),
                              new_var, new_accum))
        self.finish_update(node, [var, accum], [new_var, new_accum])

    def emit_ApplyAdam(self, node):
        variables, (var, m, v), rest = self.update_inputs(node, 3)
        b1p, b2p, lr, b1, b2, eps, grad = rest
        news = [self.new_value(variable, node) for variable in variables]
        one = "np.%s(1)" % variables[0].specs[0].dtype.base_dtype.numpy_dtype.name
        self.update_lines.append(
            "apply_adam(%s.ravel(), %s.ravel(), %s.ravel(), %s, %s, %s, %s, %s, %s, %s.ravel(), "
            "%s, %s, %s.ravel(), %s.ravel(), %s.ravel())" % (
                var, m, v, b1p, b2p, lr, b1, b2, eps, grad,
                bool(node.attrs.get("use_nesterov")), one, *news))
        self.finish_update(node, variables, news)

    def emit_Assign(self, node):
        variable = self.variable_of(node.inputs[0])
        shape = tuple(variable.specs[0].shape.as_list())
        if self.input_shapes(node)[1] != shape or \
                variable.specs[0].dtype.base_dtype != node.inputs[1].node.specs[
                    node.inputs[1].index].dtype.base_dtype:
            raise NotCompiled("%s changes the shape or dtype of %s" % (node.name,
                                                                        variable.name))
        value = self.inputs(node, 1)[0]
        # TF validates against the value the variable holds now: private_buffer sends the run
        # node by node when that has another shape (assigned with validate_shape=False)
        new = self.new_value(variable, node)
        self.update_lines.append("%s[:] = %s" % (new, value))
        self.finish_update(node, [variable], [new])

    # -- the module ----------------------------------------------------------------------------
    def finish(self):
        returned, self.fetches = [], []
        fetches = self.fetches
        for value, deref in zip(self.program.fetches, self.program.fetch_deref):
            key = (id(value.node), value.index)
            if key in self.ref:
                if not deref:
                    raise NotCompiled("a variable reference is fetched")
                fetches.append(("variable", self.handle(self.ref[key]), False))
                continue
            fetches.append(("result", len(returned), not self.shape[key]))
            name = self.local[key]
            if self.aliases.get(name) in self.updated:
                # the variable's buffer changes below, and again in later runs
                copy = self.fresh("fetched")
                self.lines.append("%s = %s.copy()" % (copy, name))
                name = copy
            returned.append(name)
        if not returned and not self.updated:
            raise NotCompiled("the step computes nothing")
        header = numba_cpu.source_header(self.used_functions) + _KERNELS_STAMP + (
            "from graphflow.compiler.codegen.numba_step import (\n"
            "    apply_adam, apply_gradient_descent, apply_momentum, matmul, reduce_middle,\n"
            "    softmax_cross_entropy)\n")
        parameters = (["f%d" % i for i in range(len(self.feeds))] +
                      ["w%d" % i for i in range(len(self.variables))] +
                      ["r%d" % i for i in range(len(self.drawn))] +
                      ["c%d" % i for i in range(len(self.constants))])
        step = ["@numba.njit(cache=True, nogil=True, error_model='numpy')",
                "def step(%s):" % ", ".join(parameters)]
        step += ["    " + line for line in self.lines + self.update_lines]
        step.append("    return (%s)" % "".join("%s, " % name for name in returned))
        return "\n\n".join([header, "\n".join(self.literals)] + self.definitions +
                             ["\n".join(step) + "\n"])
