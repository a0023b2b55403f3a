"""Element structures as tf.data sees them: a tuple (namedtuples included) or dict nests
components, anything else is one component; dicts flatten in sorted key order, as TF's nest.

A list is *not* a structure here: tf.data converts it to one tensor, so
``from_tensor_slices([[1, 2], [3, 4]])`` slices a 2x2 matrix.
"""
from ..framework import dtypes, tensor_shape


def is_nested(value):
    return isinstance(value, (tuple, dict))


def flatten(structure):
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in flatten(structure[key])]
    if isinstance(structure, tuple):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def pack(structure, flat):
    """``flat`` (a sequence of leaves in flatten order) arranged like ``structure``."""
    leaves = iter(flat)
    packed = _pack(structure, leaves)
    if next(leaves, _END) is not _END:
        raise ValueError("too many values (%d) to pack into the structure %r"
                         % (len(flat), structure))
    return packed


_END = object()


def _pack(structure, leaves):
    if isinstance(structure, dict):
        by_key = {key: _pack(structure[key], leaves) for key in sorted(structure)}
        return type(structure)((key, by_key[key]) for key in structure)
    if isinstance(structure, tuple):
        items = [_pack(item, leaves) for item in structure]
        return type(structure)(*items) if hasattr(structure, "_fields") else tuple(items)
    try:
        return next(leaves)
    except StopIteration:
        raise ValueError("too few values to pack into the structure") from None


def map_structure(fn, structure):
    return pack(structure, [fn(leaf) for leaf in flatten(structure)])


def same_nesting(a, b):
    """Whether two structures nest alike (same kinds of containers, same keys, same lengths)."""
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and sorted(a) == sorted(b) and \
            all(same_nesting(a[k], b[k]) for k in a)
    if isinstance(a, tuple) or isinstance(b, tuple):
        return isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b) and \
            all(same_nesting(x, y) for x, y in zip(a, b))
    return True


def as_dtype_structure(output_types):
    return map_structure(dtypes.as_dtype, output_types)


def as_shape_structure(output_shapes, like):
    """TF accepts a shape for each component; ``None`` for all of them means unknown shapes."""
    if output_shapes is None:
        return map_structure(lambda _: tensor_shape.unknown_shape(), like)
    if not is_nested(like):
        return tensor_shape.as_shape(output_shapes)
    return pack(like, [tensor_shape.as_shape(s) for s in flatten_up_to(like, output_shapes)])


def flatten_up_to(shallow, value):
    """``value``'s parts at the leaves of ``shallow`` (a shape given as a tuple stays whole)."""
    if isinstance(shallow, dict):
        if not isinstance(value, dict) or sorted(value) != sorted(shallow):
            raise TypeError("The two structures don't have the same keys: %r and %r"
                            % (shallow, value))
        return [leaf for key in sorted(shallow) for leaf in flatten_up_to(shallow[key],
                                                                          value[key])]
    if isinstance(shallow, tuple):
        if not isinstance(value, (tuple, list)) or len(value) != len(shallow):
            raise ValueError("The two structures don't have the same number of elements: %r "
                             "and %r" % (shallow, value))
        return [leaf for s, v in zip(shallow, value) for leaf in flatten_up_to(s, v)]
    return [value]
