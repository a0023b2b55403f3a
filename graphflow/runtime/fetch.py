"""Session.run's fetch structures: any nesting of lists, tuples, namedtuples and dicts of
tensors, operations, names and variables, returned in the same structure (ops give None)."""
import collections

from ..framework import errors, graph as graph_mod


class FetchMapper:
    """Flattens a fetch structure into unique tensors and ops, and rebuilds the results.

    ``tensors`` and ``ops`` are kept apart because a plan returns values for tensors only; a
    leaf's builder indexes into that list of values.
    """

    def __init__(self, graph, fetches):
        self.tensors = []  # unique Tensors, in first-seen order
        self.ops = []  # unique Operations (run for their effect), in first-seen order
        self._tensor_index = {}
        self._graph = graph
        self._build = self._parse(fetches)

    def _parse(self, fetch):
        if fetch is None:
            raise TypeError('Argument `fetch` = None has invalid type "NoneType". Cannot be '
                            'None')
        fetch_parts = getattr(fetch, "_fetch_parts", None)
        if fetch_parts is not None:  # a composite (SparseTensor): its parts, then its value
            parts, make_value = fetch_parts()
            part_builders = [self._parse(p) for p in parts]
            return lambda values: make_value(*[b(values) for b in part_builders])
        if isinstance(fetch, (list, tuple)):
            builders = [self._parse(f) for f in fetch]
            cls = type(fetch)
            if hasattr(fetch, "_fields"):  # namedtuple
                return lambda values: cls(*[b(values) for b in builders])
            return lambda values: cls(b(values) for b in builders)
        if isinstance(fetch, collections.abc.Mapping):
            keys = list(fetch.keys())
            builders = [self._parse(fetch[k]) for k in keys]
            cls = type(fetch)

            def build_dict(values):
                result = cls() if cls is not dict else {}
                for k, b in zip(keys, builders):
                    result[k] = b(values)
                return result
            return build_dict
        element = self._element(fetch)
        if isinstance(element, graph_mod.Operation):
            if element not in self.ops:
                self.ops.append(element)
            return lambda values: None
        index = self._tensor_index.get(element)
        if index is None:
            index = self._tensor_index[element] = len(self.tensors)
            self.tensors.append(element)
        return lambda values: values[index]

    def _element(self, fetch):
        try:
            element = self._graph.as_graph_element(fetch, allow_tensor=True,
                                                   allow_operation=True)
        except TypeError as e:
            raise TypeError('Argument `fetch` = %s has invalid type "%s" must be a string or '
                            'Tensor. (%s)' % (fetch, type(fetch).__name__, e))
        except (ValueError, KeyError) as e:
            raise ValueError("Argument `fetch` = %s cannot be interpreted as a Tensor. (%s)"
                             % (fetch, e))
        if not self._graph.is_fetchable(element):
            op = element.op if isinstance(element, graph_mod.Tensor) else element
            raise errors.InaccessibleTensorError(
                "Operation %s has been marked as not fetchable. Typically this happens when it "
                "is defined in another function or code block. Use return values, explicit "
                "Python locals or TensorFlow collections to access it." % op.name)
        return element

    def build_results(self, values):
        return self._build(values)


def structure_key(fetches):
    """A hashable key for a fetch structure, cheap for the common single-tensor case.

    Raises TypeError for structures that cannot be keyed; the caller then skips the cache.
    """
    if isinstance(fetches, (graph_mod.Tensor, graph_mod.Operation, str)):
        return fetches
    if isinstance(fetches, (list, tuple)):
        return (type(fetches),) + tuple(structure_key(f) for f in fetches)
    if isinstance(fetches, collections.abc.Mapping):
        # The key's type is part of it: {1: t} and {True: t} are equal dicts but must give
        # results keyed as the caller wrote them.
        return (type(fetches),) + tuple((type(k), k, structure_key(v))
                                        for k, v in fetches.items())
    hash(fetches)
    return fetches
