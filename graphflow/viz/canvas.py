"""What both views share: nodes placed in nested name-scope clusters, chosen scopes collapsed
into one node, and edges merged where collapsing makes several of them join the same pair.

Node ids are generated (``n0``, ``n1``...), never op names: names hold ``:`` and ``/``, which
DOT would read as ports or need quoting for, and one drawing may hold two views of one graph.
"""
import collections
import re

COLLAPSED_STYLE = {"shape": "folder", "style": "filled", "fillcolor": "#f4c7c3"}
MAX_LAID_OUT_LABELS = 200
CLUSTER_STYLE = {"style": "rounded", "color": "#aaaaaa", "fontcolor": "#555555"}


def collapse_matcher(collapse):
    """name -> the collapsed scope it falls in, or None. A scope ``s`` also matches the
    ``s_1``, ``s_2``... that a second use of the same scope name creates (a second
    ``tf.gradients`` call builds ``gradients_1``); each is collapsed into a node of its own."""
    patterns = [re.compile(r"^(%s(?:_\d+)?)(?:/|$)" % re.escape(scope.strip("/")))
                for scope in collapse if scope and scope.strip("/")]

    def match(name):
        for pattern in patterns:
            found = pattern.match(name)
            if found:
                return found.group(1)
        return None
    return match


def _scopes_of(name):
    """The scope paths enclosing ``name``, outermost first (``a/b/c`` -> ``a``, ``a/b``)."""
    parts = name.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


class Canvas:
    """Collects nodes (keyed by anything hashable) and edges, then draws them into a graphviz
    graph. ``unit`` names what a collapsed node counts ("ops", "nodes").

    Large graphs stay readable (and quick for graphviz to lay out): when more than
    ``max_nodes`` would be drawn, the deepest name scopes are collapsed too, one level at a
    time, until the drawing fits (a ResNet's training step shows its blocks with each layer as
    one node). ``max_nodes=None`` draws every node.
    """

    def __init__(self, collapse=(), id_prefix="n", unit="ops", max_nodes=None):
        self._explicit_scope = collapse_matcher(collapse)
        self._id_prefix = id_prefix
        self._unit = unit
        self._max_nodes = max_nodes
        self._nodes = collections.OrderedDict()  # key -> (name, label, attrs, kind)
        self._edges = []  # (src key, dst key, label, control)

    def add_node(self, key, name, label, attrs, kind=None):
        """``name`` is the scoped name that places the node; ``kind`` (e.g. "fused kernel")
        is counted on a collapsed node that swallows it."""
        self._nodes[key] = (name, label, attrs, kind)

    def add_edge(self, src_key, dst_key, label="", control=False, value=None):
        """``value`` identifies the tensor the edge carries, so that edges joined by
        collapsing count tensors, not uses."""
        self._edges.append((src_key, dst_key, label, control, value))

    # -- collapsing --------------------------------------------------------------------------
    def _collapsed_scopes(self):
        """key -> the scope it is collapsed into (explicit scopes, then automatic ones)."""
        scope_of = {}
        for key, (name, _, _, _) in self._nodes.items():
            scope = self._explicit_scope(name)
            if scope is not None:
                scope_of[key] = scope
        if self._max_nodes is None:
            return scope_of
        names = {key: entry[0] for key, entry in self._nodes.items()}
        # A node named like a scope (a variable beside its read/Assign ops) belongs to it.
        scope_names = {s for name in names.values() for s in _scopes_of(name)}

        def enclosing(name):
            return _scopes_of(name) + ([name] if name in scope_names else [])

        def drawn_count():
            return len({scope_of.get(key, key) for key in self._nodes})

        explicit = dict(scope_of)
        depth = max((len(enclosing(n)) for n in names.values()), default=0)
        while drawn_count() > self._max_nodes and depth >= 1:
            for key, name in names.items():
                if key not in explicit and len(enclosing(name)) >= depth:
                    scope_of[key] = enclosing(name)[depth - 1]
            depth -= 1
        return scope_of

    # -- drawing -----------------------------------------------------------------------------
    def draw(self, graph, cluster_prefix="", make_subgraph=None):
        """Adds the nodes, clusters and edges to ``graph`` (a graphviz Digraph);
        ``make_subgraph(name, attrs)`` creates the cluster graphs."""
        scope_of = self._collapsed_scopes()
        ids, placed = {}, []
        collapsed = collections.OrderedDict()  # scope -> Counter of kinds
        for key, (name, label, attrs, kind) in self._nodes.items():
            scope = scope_of.get(key)
            if scope is None:
                ids[key] = "%s%d" % (self._id_prefix, len(placed))
                placed.append((name, ids[key], label, attrs, False))
                continue
            counts = collapsed.setdefault(scope, collections.Counter())
            counts[None] += 1
            if kind:
                counts[kind] += 1
            ids[key] = "%sc%d" % (self._id_prefix, list(collapsed).index(scope))
        for index, (scope, counts) in enumerate(collapsed.items()):
            placed.append((scope, "%sc%d" % (self._id_prefix, index),
                           self._collapsed_label(scope, counts), COLLAPSED_STYLE, True))
        # A node whose name is also a scope (a variable and its read/Assign ops) sits inside
        # that scope's cluster, next to its parts.
        scopes = {s for name, _, _, _, _ in placed for s in _scopes_of(name)}
        clusters = {}

        def container(path):
            if not path:
                return graph
            if path not in clusters:
                attrs = dict(CLUSTER_STYLE, label=path.rsplit("/", 1)[-1])
                clusters[path] = make_subgraph(
                    "cluster_%s%s" % (cluster_prefix, path.replace("/", "__")), attrs)
                container(path.rsplit("/", 1)[0] if "/" in path else "")
            return clusters[path]

        for name, node_id, label, attrs, is_collapsed in placed:
            parent = name.rsplit("/", 1)[0] if "/" in name else ""
            home = name if (name in scopes and not is_collapsed) else parent
            container(home).node(node_id, label=label, **attrs)
        # Attach each cluster to its parent, deepest first, so children are complete.
        for path in sorted(clusters, key=lambda p: -p.count("/")):
            parent = path.rsplit("/", 1)[0] if "/" in path else ""
            container(parent).subgraph(clusters[path])

        merged = collections.OrderedDict()
        for src_key, dst_key, label, control, value in self._edges:
            src, dst = ids.get(src_key), ids.get(dst_key)
            if src is not None and dst is not None and src != dst:
                merged.setdefault((src, dst, control), {})[value] = label
        # Edge labels take part in dot's layout (each is a virtual node); past a few hundred
        # edges that costs minutes, so they become xlabels, placed after the layout.
        label_attr = "label" if len(merged) <= MAX_LAID_OUT_LABELS else "xlabel"
        for (src, dst, control), labels in merged.items():
            if control:
                graph.edge(src, dst, style="dashed", color="#999999", arrowhead="odot")
                continue
            distinct = sorted(set(labels.values()))
            # Collapsing joins several tensors into one edge: a label only when they agree.
            label = distinct[0] if len(distinct) == 1 else "%d tensors" % len(labels)
            graph.edge(src, dst, **{label_attr: label})

    def _collapsed_label(self, scope, counts):
        details = ", ".join("%d %s%s" % (n, kind, "" if n == 1 else "s")
                            for kind, n in sorted(counts.items(), key=lambda kv: str(kv[0]))
                            if kind is not None)
        total = "%d %s" % (counts[None], self._unit)
        return "%s/\\n(%s%s)" % (scope.rsplit("/", 1)[-1] if "/" in scope else scope, total,
                                 "; " + details if details else "")
