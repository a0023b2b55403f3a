"""The ``tf.linalg`` namespace: TF's linear-algebra functions under their tf.linalg names."""
from .ops.array import matrix_band_part as band_part  # noqa: F401
from .ops.linalg import (diag_part as tensor_diag_part, diag as tensor_diag,  # noqa: F401
                         einsum, eye, matrix_determinant as det, matrix_diag as diag,
                         matrix_diag_part as diag_part, matrix_inverse as inv,
                         matrix_set_diag as set_diag, matrix_transpose as transpose, norm, trace)
from .ops.math import matmul, tensordot  # noqa: F401
from .nn import l2_normalize  # noqa: F401
from .initializers import qr  # noqa: F401


def adjoint(matrix, name=None):
    return transpose(matrix, name=name or "adjoint", conjugate=True)
