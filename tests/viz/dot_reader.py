"""Reads DOT source back into structure, so tests check what a drawing holds (which nodes sit in
which cluster, their labels and attributes, the edges) rather than matching text."""
import collections
import re

Drawn = collections.namedtuple("Drawn", ["nodes", "edges", "clusters", "graph_attrs"])
# nodes: id -> {"attrs": {...}, "cluster": innermost cluster name or None}
# edges: list of (src, dst, attrs)
# clusters: name -> {"attrs": {...}, "parent": name or None}

_TOKEN = re.compile(r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<arrow>->)|(?P<punct>[{}\[\]=;,])'
                    r'|(?P<html><)|(?P<word>[^\s{}\[\]=;,"<]+))', re.S)


def _tokens(source):
    at = 0
    while True:
        match = _TOKEN.match(source, at)
        if not match or match.end() == at:
            if source[at:].strip():
                raise ValueError("cannot read DOT at: %r" % source[at:at + 40])
            return
        at = match.end()
        if match.group("html"):
            depth, start = 1, at
            while depth:
                depth += {"<": 1, ">": -1}.get(source[at], 0)
                at += 1
            yield "html", source[start:at - 1]
        elif match.group("string"):
            text = match.group("string")[1:-1].replace('\\"', '"')
            yield "string", re.sub(r"\\[nlr]", "\n", text)
        else:
            kind = next(k for k in ("arrow", "punct", "word") if match.group(k))
            yield kind, match.group(kind)


def read(source):
    tokens = list(_tokens(source))
    nodes, edges, clusters, graph_attrs = {}, [], {}, {}
    stack = []  # open (sub)graph names; [None] for the top graph
    i = 0

    def attr_list(i):
        attrs = {}
        assert tokens[i][1] == "["
        i += 1
        while tokens[i][1] != "]":
            key = tokens[i][1]
            assert tokens[i + 1][1] == "="
            attrs[key] = tokens[i + 2][1]
            i += 3
            if tokens[i][1] in (",", ";"):
                i += 1
        return attrs, i + 1

    while i < len(tokens):
        kind, value = tokens[i]
        if value in ("digraph", "graph") and not stack and kind == "word":
            i += 1
            if tokens[i][1] != "{":
                i += 1
            stack.append(None)
            i += 1
        elif kind == "word" and value == "subgraph":
            name = tokens[i + 1][1]
            clusters[name] = {"attrs": {}, "parent": stack[-1]}
            stack.append(name)
            i += 3
        elif value == "}":
            stack.pop()
            i += 1
        elif value in ("graph", "node", "edge") and tokens[i + 1][1] == "[":
            attrs, i = attr_list(i + 1)
            if value == "graph":
                (clusters[stack[-1]]["attrs"] if stack[-1] else graph_attrs).update(attrs)
        elif i + 1 < len(tokens) and tokens[i + 1][0] == "arrow":
            src, dst = value, tokens[i + 2][1]
            i += 3
            attrs = {}
            if i < len(tokens) and tokens[i][1] == "[":
                attrs, i = attr_list(i)
            edges.append((src, dst, attrs))
        elif value == ";":
            i += 1
        else:
            attrs = {}
            i += 1
            if i < len(tokens) and tokens[i][1] == "[":
                attrs, i = attr_list(i)
            nodes[value] = {"attrs": attrs, "cluster": stack[-1]}
    return Drawn(nodes, edges, clusters, graph_attrs)


def label(drawn, node_id):
    return drawn.nodes[node_id]["attrs"].get("label", node_id)


def find(drawn, text):
    """The ids of the nodes whose label contains ``text``."""
    return [n for n in drawn.nodes if text in label(drawn, n)]


def one(drawn, text):
    found = find(drawn, text)
    assert len(found) == 1, "%d nodes labelled with %r: %s" % (
        len(found), text, [label(drawn, n) for n in found])
    return found[0]


def cluster_path(drawn, node_id):
    """The labels of the clusters around a node, outermost first."""
    path, cluster = [], drawn.nodes[node_id]["cluster"]
    while cluster is not None:
        path.append(drawn.clusters[cluster]["attrs"].get("label", cluster))
        cluster = drawn.clusters[cluster]["parent"]
    return path[::-1]
