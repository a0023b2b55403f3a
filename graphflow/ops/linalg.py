"""Linear algebra: diagonals, eye, trace, matrix transpose, einsum, norms, inverse and
determinant, with TF1's public names (``tf.eye``, ``tf.linalg.*``, ``tf.einsum``...)."""
import builtins
import string

import numpy as np

from ..framework import dtypes, graph as graph_mod, tensor_shape
from . import array, math as math_ops
from .array import _dims, _scoped_inputs, _shape_error
from .convert import convert_to_tensor
from .registry import Spec, defop

__all__ = [
    "eye", "diag", "diag_part", "matrix_diag", "matrix_diag_part", "matrix_set_diag", "trace",
    "matrix_transpose", "einsum", "norm", "matrix_inverse", "matrix_determinant",
]


# -- diagonals ------------------------------------------------------------------------------------
def _require_rank(op_type, tensor, least, *inputs):
    ndims = tensor.shape.ndims
    if ndims is not None and ndims < least:
        raise _shape_error(op_type, "Shape must be at least rank %d but is rank %d"
                           % (least, ndims), *(inputs or (tensor,)))


def _matrix_diag_shape(diagonal):
    _require_rank("MatrixDiag", diagonal, 1)
    dims = _dims(diagonal)
    if dims is None:
        return Spec(tensor_shape.unknown_shape(), diagonal.dtype.base_dtype)
    return Spec(dims + dims[-1:], diagonal.dtype.base_dtype)


def _matrix_diag_ref(diagonal):
    n = diagonal.shape[-1]
    out = np.zeros(diagonal.shape + (n,), dtype=diagonal.dtype)
    index = np.arange(n)
    out[..., index, index] = diagonal
    return out


def _matrix_diag_part_shape(input):
    _require_rank("MatrixDiagPart", input, 2)
    dims = _dims(input)
    if dims is None:
        return Spec(tensor_shape.unknown_shape(), input.dtype.base_dtype)
    rows, cols = dims[-2:]
    size = None if rows is None or cols is None else builtins.min(rows, cols)
    return Spec(dims[:-2] + [size], input.dtype.base_dtype)


def _matrix_diag_part_ref(input):
    return np.ascontiguousarray(np.diagonal(input, axis1=-2, axis2=-1))


def _matrix_set_diag_shape(input, diagonal):
    _require_rank("MatrixSetDiag", input, 2, input, diagonal)
    return Spec(input.shape, input.dtype.base_dtype)


def _matrix_set_diag_ref(input, diagonal):
    out = np.array(input, copy=True)
    n = builtins.min(input.shape[-2:])
    if diagonal.shape[-1] != n:
        raise ValueError("diagonal must be at least 1-dim and its last dimension must be %d, "
                         "got shape %s" % (n, list(diagonal.shape)))
    index = np.arange(n)
    out[..., index, index] = diagonal
    return out


MatrixDiag = defop("MatrixDiag", shape=_matrix_diag_shape, ref=_matrix_diag_ref,
                   grad=lambda op, g: [MatrixDiagPart(g)])
MatrixDiagPart = defop(
    "MatrixDiagPart", shape=_matrix_diag_part_shape, ref=_matrix_diag_part_ref,
    grad=lambda op, g: [MatrixSetDiag(array.zeros_like(op.inputs[0]), g)])
MatrixSetDiag = defop(
    "MatrixSetDiag", shape=_matrix_set_diag_shape, ref=_matrix_set_diag_ref,
    grad=lambda op, g: [MatrixSetDiag(g, array.zeros_like(op.inputs[1])), MatrixDiagPart(g)])


def _diag_shape(diagonal):
    dims = _dims(diagonal)
    if dims is None:
        return Spec(tensor_shape.unknown_shape(), diagonal.dtype.base_dtype)
    return Spec(dims + dims, diagonal.dtype.base_dtype)


def _diag_ref(diagonal):
    size = diagonal.size
    out = np.zeros((size, size), dtype=diagonal.dtype)
    out[np.arange(size), np.arange(size)] = diagonal.reshape(-1)
    return out.reshape(diagonal.shape + diagonal.shape)


def _diag_part_shape(input):
    dims = _dims(input)
    if dims is None:
        return Spec(tensor_shape.unknown_shape(), input.dtype.base_dtype)
    if len(dims) % 2:
        raise _shape_error("DiagPart", "Input must have even rank <= 6, input rank is %d"
                           % len(dims), input)
    half = len(dims) // 2
    out = []
    for a, b in zip(dims[:half], dims[half:]):
        if a is not None and b is not None and a != b:
            raise _shape_error("DiagPart", "Dimensions must be equal, but are %d and %d"
                               % (a, b), input)
        out.append(a if a is not None else b)
    return Spec(out, input.dtype.base_dtype)


def _diag_part_ref(input):
    half = input.ndim // 2
    size = int(np.prod(input.shape[:half], dtype=np.int64))
    flat = input.reshape(size, size)
    return np.ascontiguousarray(flat[np.arange(size), np.arange(size)]).reshape(
        input.shape[:half])


Diag = defop("Diag", shape=_diag_shape, ref=_diag_ref, grad=lambda op, g: [DiagPart(g)])
DiagPart = defop("DiagPart", shape=_diag_part_shape, ref=_diag_part_ref,
                 grad=lambda op, g: [Diag(g)])


def matrix_diag(diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0,
                align="RIGHT_LEFT"):
    """The main diagonal only (k=0, square output), TF1's MatrixDiag."""
    _main_diagonal_only(k, num_rows, num_cols)
    with _scoped_inputs(name, "MatrixDiag", [(diagonal, "diagonal")]) as (scope, (d,)):
        return MatrixDiag(d, name=scope)


def matrix_diag_part(input, name="diag_part", k=0, padding_value=0,  # noqa: A002
                     align="RIGHT_LEFT"):
    _main_diagonal_only(k)
    with _scoped_inputs(name, "MatrixDiagPart", [(input, "input")]) as (scope, (x,)):
        return MatrixDiagPart(x, name=scope)


def matrix_set_diag(input, diagonal, name="set_diag", k=0, align="RIGHT_LEFT"):  # noqa: A002
    _main_diagonal_only(k)
    with _scoped_inputs(name, "MatrixSetDiag", [(input, "input")]) as (scope, (x,)):
        d = convert_to_tensor(diagonal, dtype=x.dtype.base_dtype, name="diagonal")
        return MatrixSetDiag(x, d, name=scope)


def _main_diagonal_only(k, num_rows=-1, num_cols=-1):
    if k != 0 or num_rows != -1 or num_cols != -1:
        raise ValueError("graphflow supports the main diagonal only (k=0, default num_rows "
                         "and num_cols); got k=%r" % (k,))


def diag(diagonal, name=None):
    with _scoped_inputs(name, "Diag", [(diagonal, "diagonal")]) as (scope, (d,)):
        return Diag(d, name=scope)


def diag_part(input, name=None):  # noqa: A002
    with _scoped_inputs(name, "DiagPart", [(input, "input")]) as (scope, (x,)):
        return DiagPart(x, name=scope)


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    """Ones on the main diagonal: MatrixDiag of ones when square, else MatrixSetDiag of ones on
    zeros, as TF builds it."""
    dtype = dtypes.as_dtype(dtype)
    with graph_mod.name_scope(name, "eye", [num_rows, num_columns, batch_shape]):
        batch = [] if batch_shape is None else list(batch_shape)
        if num_columns is None or num_columns is num_rows or (
                isinstance(num_rows, int) and isinstance(num_columns, int)
                and num_rows == num_columns):
            return matrix_diag(array.ones(batch + [num_rows], dtype=dtype), name="diag")
        if isinstance(num_rows, int) and isinstance(num_columns, int):
            size = builtins.min(num_rows, num_columns)
        else:
            size = math_ops.minimum(num_rows, num_columns)
        ones = array.ones(batch + [size], dtype=dtype)
        zeros = array.zeros(batch + [num_rows, num_columns], dtype=dtype)
        return matrix_set_diag(zeros, ones, name="set_diag")


def trace(x, name=None):
    """Sum of the main diagonal of each innermost matrix."""
    with graph_mod.name_scope(name, "Trace", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        return math_ops.reduce_sum(matrix_diag_part(x), [-1], name=scope)


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Swaps the two innermost dimensions."""
    with graph_mod.name_scope(name, values=[a]):
        a = convert_to_tensor(a, name="a")
        ndims = a.shape.ndims
        if ndims is not None:
            if ndims < 2:
                raise ValueError("Argument 'a' should be a (batch) matrix with rank >= 2.  "
                                 "Found: %s" % a.shape)
            perm = list(builtins.range(ndims - 2)) + [ndims - 1, ndims - 2]
        else:
            rank = array.rank(a)
            perm = array.concat([array.range(rank - 2), [rank - 1, rank - 2]], 0)
        return array.transpose(a, perm=perm, conjugate=conjugate)


# -- einsum ---------------------------------------------------------------------------------------
def _expand_ellipsis(equation, ranks):
    """Rewrites ``...`` as explicit letters (capitals, which users cannot write) using the
    operands' static ranks, and adds the implicit output of an equation without ``->``."""
    equation = equation.replace(" ", "")
    if "->" in equation:
        inputs_text, output = equation.split("->")
    else:
        inputs_text, output = equation, None
    inputs = inputs_text.split(",")
    if len(inputs) != len(ranks):
        raise ValueError("Expected %d inputs but got %d for equation %r"
                         % (len(inputs), len(ranks), equation))
    broadcast_rank = 0
    for term, rank in zip(inputs, ranks):
        if "..." in term:
            if rank is None:
                raise ValueError("einsum with '...' needs operands of known rank")
            broadcast_rank = builtins.max(broadcast_rank, rank - len(term) + 3)
    spare = string.ascii_uppercase[-broadcast_rank:] if broadcast_rank else ""
    expanded = []
    for term, rank in zip(inputs, ranks):
        if "..." in term:
            count = rank - len(term) + 3
            term = term.replace("...", spare[broadcast_rank - count:])
        expanded.append(term)
    if output is None:
        letters = "".join(expanded)
        output = spare + "".join(sorted(c for c in set(letters) if letters.count(c) == 1
                                        and c not in spare))
    else:
        output = output.replace("...", spare)
    for term, rank in zip(expanded, ranks):
        if rank is not None and len(term) != rank:
            raise ValueError("Input subscripts %r do not match an operand of rank %d"
                             % (term, rank))
    for c in output:
        if not any(c in term for term in expanded):
            raise ValueError("Output subscript %r does not appear in the inputs of %r"
                             % (c, equation))
    return expanded, output


def _einsum_dims(inputs, output, shapes):
    sizes = {}
    for term, dims in zip(inputs, shapes):
        if dims is None:
            continue
        for c, d in zip(term, dims):
            if d is None:
                continue
            known = sizes.get(c)
            if known is not None and known != d and known != 1 and d != 1:
                raise ValueError("Expected dimension %d at axis %d of the input shaped %s but "
                                 "got dimension %d" % (known, term.index(c), dims, d))
            sizes[c] = d if known in (None, 1) else known
    return [sizes.get(c) for c in output]


def _einsum_shape(*inputs, equation):
    terms, output = equation.split("->")
    terms = terms.split(",")
    dtype = inputs[0].dtype.base_dtype
    for t in inputs[1:]:
        if t.dtype.base_dtype != dtype:
            raise TypeError("Input 'inputs' of 'Einsum' Op has type %s that does not match "
                            "type %s" % (t.dtype.base_dtype.name, dtype.name))
    try:
        dims = _einsum_dims(terms, output, [_dims(t) for t in inputs])
    except ValueError as e:
        raise _shape_error("Einsum", str(e), *inputs) from None
    return Spec(dims, dtype)


Einsum = defop("Einsum", shape=_einsum_shape,
               ref=lambda *inputs, equation: np.asarray(np.einsum(equation, *inputs)),
               grad=lambda op, g: _einsum_grads(op, g))


def _einsum_grads(op, g):
    """Each operand's gradient is an einsum of the output gradient with the other operands.
    Letters of the operand that appear nowhere else were summed away, so the result is broadcast
    back along them; a repeated letter (a diagonal) is spread onto the diagonal with an
    identity matrix; broadcast size-1 dims are summed back."""
    terms, output = op.get_attr("equation").split("->")
    terms = terms.split(",")
    grads = []
    for i, (term, x) in enumerate(zip(terms, op.inputs)):
        others = [(t, v) for j, (t, v) in enumerate(zip(terms, op.inputs)) if j != i]
        available = set(output).union(*[set(t) for t, _ in others])
        unique = "".join(dict.fromkeys(term))
        kept = "".join(c for c in unique if c in available)
        equation = ",".join([output] + [t for t, _ in others]) + "->" + kept
        grad = Einsum(g, *[v for _, v in others], equation=equation)
        if kept != unique:
            # Put the summed-away letters back as size-1 dims, then broadcast to x's sizes.
            letter_dims = _letter_dims(term, x)
            target = [letter_dims[c] for c in unique]
            shape = [letter_dims[c] if c in kept else 1 for c in unique]
            grad = array.broadcast_to(array.reshape(grad, shape), target)
        if unique != term:
            grad = _spread_diagonal(grad, unique, term, x)
        grads.append(math_ops.unbroadcast(grad, x) if x.shape.is_fully_defined() else grad)
    return grads


def _letter_dims(term, x):
    dims = array.unstack(array.shape(x)) if not x.shape.is_fully_defined() else \
        x.shape.as_list()
    return {c: d for c, d in zip(term, dims)}


def _spread_diagonal(grad, unique, term, x):
    """From ``unique`` subscripts to ``term`` with repeated letters: multiply by identity
    matrices so that only the diagonal entries receive the gradient."""
    letter_dims = _letter_dims(term, x)
    operands, subscripts = [grad], [unique]
    seen = {}
    spare = iter(c for c in string.ascii_lowercase if c not in term)
    result = ""
    for c in term:
        if c in seen:
            fresh = next(spare)
            operands.append(eye(letter_dims[c], dtype=grad.dtype))
            subscripts.append(c + fresh)
            result += fresh
        else:
            seen[c] = True
            result += c
    # Repeated letters were renamed in the result; the eye factors tie them to the original.
    equation = ",".join(subscripts) + "->" + result
    return Einsum(*operands, equation=equation)


def einsum(equation, *inputs, **kwargs):
    name = kwargs.pop("name", None)
    kwargs.pop("optimize", None)
    if kwargs:
        raise TypeError("Invalid keyword arguments for this function: %s"
                        % ", ".join(sorted(kwargs)))
    with graph_mod.name_scope(name, "einsum", list(inputs)) as scope:
        tensors = [convert_to_tensor(x, name="inputs") for x in inputs]
        terms, output = _expand_ellipsis(equation, [t.shape.ndims for t in tensors])
        for term in terms + [output]:
            if not all(c.isalpha() for c in term):
                raise ValueError("Invalid einsum subscripts %r in %r" % (term, equation))
        return Einsum(*tensors, name="Einsum", equation=",".join(terms) + "->" + output)


# -- norms ----------------------------------------------------------------------------------------
def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None,  # noqa: A002
         keep_dims=None):
    """Vector norms (p > 0, inf) over one axis or the whole tensor, and matrix norms ('fro',
    'euclidean', 1, inf) over a pair of axes. The result keeps the reduced axes when
    ``keepdims``; otherwise they are squeezed, as TF does."""
    keepdims = math_ops._deprecated_lookup("keepdims", keepdims, "keep_dims", keep_dims)
    keepdims = builtins.bool(keepdims)
    is_matrix_norm = (isinstance(axis, (tuple, list)) and len(axis) == 2)
    if is_matrix_norm:
        axis = tuple(axis)
        if not all(isinstance(a, int) for a in axis) or axis[0] == axis[1]:
            raise ValueError("'axis' must be None, an integer, or a tuple of 2 unique integers, "
                             "got %s" % (axis,))
        if ord not in ("euclidean", "fro", 1, np.inf):
            raise ValueError("'ord' must be a supported matrix norm in ['euclidean', 'fro', 1, "
                             "inf] (graphflow has no 2-norm), got %s" % (ord,))
    else:
        if not (isinstance(axis, int) or axis is None or
                (isinstance(axis, (tuple, list)) and len(axis) == 1)):
            raise ValueError("'axis' must be None, an integer, or a tuple of 2 unique integers, "
                             "got %s" % (axis,))
        if isinstance(axis, (tuple, list)):
            axis = axis[0]
        supported = ord == "euclidean" or (not isinstance(ord, str) and ord > 0)
        if not supported:
            raise ValueError("'ord' must be a supported vector norm, got %s" % (ord,))
        if axis is not None:
            axis = (axis,)
    with graph_mod.name_scope(name, "norm", [tensor]):
        tensor = convert_to_tensor(tensor)
        if ord in ("euclidean", "fro"):
            result = math_ops.sqrt(math_ops.reduce_sum(tensor * _conj(tensor), axis,
                                                       keepdims=True))
        else:
            result = math_ops.abs(tensor)
            if ord == 1:
                result = math_ops.reduce_sum(result, None if axis is None else axis[0],
                                             keepdims=True)
                if is_matrix_norm:
                    result = math_ops.reduce_max(result, axis[-1], keepdims=True)
            elif ord == np.inf:
                if is_matrix_norm:
                    result = math_ops.reduce_sum(result, axis[1], keepdims=True)
                result = math_ops.reduce_max(result, None if axis is None else axis[0],
                                             keepdims=True)
            else:
                result = math_ops.pow(math_ops.reduce_sum(math_ops.pow(result, ord), axis,
                                                          keepdims=True), 1.0 / ord)
        if not keepdims:
            result = array.squeeze(result, axis)
        return result


def _conj(x):
    return math_ops.Conj(x) if x.dtype.is_complex else x


# -- inverse and determinant ----------------------------------------------------------------------
def _square_matrix_shape(op_type, drop_matrix):
    def rule(input, **attrs):
        _require_rank(op_type, input, 2)
        dims = _dims(input)
        if dims is None:
            return Spec(tensor_shape.unknown_shape(), input.dtype.base_dtype)
        rows, cols = dims[-2:]
        if rows is not None and cols is not None and rows != cols:
            raise _shape_error(op_type, "Dimensions must be equal, but are %d and %d"
                               % (rows, cols), input)
        return Spec(dims[:-2] if drop_matrix else dims, input.dtype.base_dtype)
    return rule


def _inverse_ref(input, *, adjoint=False):
    try:
        inverse = np.linalg.inv(input)
    except np.linalg.LinAlgError:
        raise ValueError("Input is not invertible.") from None
    return np.swapaxes(inverse, -1, -2).conj() if adjoint else inverse


def _inverse_grad(op, g):
    inverse = op.outputs[0]
    adjoint = op.get_attr("adjoint")
    if adjoint:
        return [-math_ops.matmul(inverse, math_ops.matmul(g, inverse, adjoint_a=True))]
    return [-math_ops.matmul(inverse, math_ops.matmul(g, inverse, adjoint_b=True),
                             adjoint_a=True)]


def _determinant_grad(op, g):
    a, det = op.inputs[0], op.outputs[0]
    inverse = MatrixInverse(a, adjoint=True)
    scale = array.expand_dims(array.expand_dims(g * det, -1), -1)
    return [scale * inverse]


MatrixInverse = defop("MatrixInverse", shape=_square_matrix_shape("MatrixInverse", False),
                      ref=_inverse_ref, grad=_inverse_grad)
MatrixDeterminant = defop(
    "MatrixDeterminant", shape=_square_matrix_shape("MatrixDeterminant", True),
    ref=lambda input: np.asarray(np.linalg.det(input), dtype=input.dtype),
    grad=_determinant_grad)


def matrix_inverse(input, adjoint=False, name=None):  # noqa: A002
    with _scoped_inputs(name, "MatrixInverse", [(input, "input")]) as (scope, (x,)):
        return MatrixInverse(x, name=scope, adjoint=builtins.bool(adjoint))


def matrix_determinant(input, name=None):  # noqa: A002
    with _scoped_inputs(name, "MatrixDeterminant", [(input, "input")]) as (scope, (x,)):
        return MatrixDeterminant(x, name=scope)
