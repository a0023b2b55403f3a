"""The graphviz side: the Python package (imported on first use), the ``dot`` binary, and
writing a drawing as DOT source, SVG, PNG or PDF."""
import os
import shutil

_INSTALL_BINARY = ("Install it (Debian/Ubuntu: `sudo apt-get install graphviz`; macOS: "
                   "`brew install graphviz`; conda: `conda install graphviz`) or write DOT "
                   "source with a .dot path.")
RENDERED_FORMATS = ("svg", "png", "pdf")
SOURCE_FORMATS = ("dot", "gv")

_drawing_class = None


def import_graphviz():
    try:
        import graphviz
    except ImportError as e:
        raise ImportError("Drawing graphs needs the 'graphviz' Python package: "
                          "pip install graphviz") from e
    return graphviz


def binary_available():
    return shutil.which("dot") is not None


def drawing_class():
    """``Drawing``: a ``graphviz.Digraph`` that a notebook shows as SVG (built on first use so
    that importing graphflow does not import graphviz)."""
    global _drawing_class
    if _drawing_class is None:
        graphviz = import_graphviz()

        class Drawing(graphviz.Digraph):
            """A graphviz Digraph of a graphflow graph; ``.source`` is its DOT text."""

            def _repr_svg_(self):
                if not binary_available():
                    return None  # the notebook falls back to the text repr
                return self.pipe(format="svg", encoding="utf-8")

            def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
                if not binary_available():
                    return {"text/plain": self.source}
                return {"image/svg+xml": self._repr_svg_()}

            def save(self, path, format=None):  # noqa: A002 - graphviz's own name
                """Writes the drawing to ``path`` (format from the extension); returns the
                path."""
                return write(self, path, format)

        _drawing_class = Drawing
    return _drawing_class


def new_drawing(name, **graph_attr):
    attrs = {"rankdir": "BT", "fontsize": "10", "fontname": "Helvetica", "newrank": "true",
             "nodesep": "0.25", "ranksep": "0.35"}
    attrs.update(graph_attr)
    return drawing_class()(name=name, graph_attr=attrs,
                           node_attr={"fontsize": "10", "fontname": "Helvetica"},
                           edge_attr={"fontsize": "8", "fontname": "Helvetica",
                                      "fontcolor": "#555555", "color": "#444444"})


def format_of(path, format=None):  # noqa: A002
    chosen = (format or os.path.splitext(path)[1].lstrip(".")).lower()
    if chosen not in RENDERED_FORMATS + SOURCE_FORMATS:
        raise ValueError("Cannot write a graph as %r (from %s): use one of %s"
                         % (chosen, path, ", ".join(RENDERED_FORMATS + SOURCE_FORMATS)))
    return chosen


def write(drawing, path, format=None):  # noqa: A002
    """Writes ``drawing`` to ``path``: DOT source for .dot/.gv, else rendered by the ``dot``
    binary (a RuntimeError naming the install command when it is missing)."""
    path = os.fspath(path)
    chosen = format_of(path, format)
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    if chosen in SOURCE_FORMATS:
        with open(path, "w") as f:
            f.write(drawing.source)
        return path
    if not binary_available():
        raise RuntimeError("graphviz's 'dot' program is not installed, so %s cannot be rendered "
                           "as %s. %s" % (path, chosen, _INSTALL_BINARY))
    data = drawing.pipe(format=chosen)
    with open(path, "wb") as f:
        f.write(data)
    return path
