"""``model.summary()``: the layer table Keras prints (name and type, output shape, parameter
count, and for functional models the inbound layers), then the parameter totals."""
from . import backend


def readable_size(num_bytes):
    for unit in ("Byte", "KB", "MB", "GB", "TB"):
        if num_bytes < 1024 or unit == "TB":
            return "%.2f %s" % (num_bytes, unit)
        num_bytes /= 1024.0


def shape_text(shape):
    """``(None, 32)``, ``(64,)``: a shape as Keras prints it."""
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _row_lines(fields, positions):
    """One table row, each field wrapped within its column."""
    pending = [str(f) for f in fields]
    lines = []
    while any(pending):
        line = ""
        for col, text in enumerate(pending):
            start = positions[col - 1] if col else 0
            last = col == len(positions) - 1
            width = positions[col] - start - (0 if last else 3)
            piece, pending[col] = text[:width], text[width:]
            line += (" " if col == 0 else "") + piece
            line += " " * max(positions[col] - len(line), 0 if last else 1)
        lines.append(line)
    return lines


def print_summary(model, line_length=None, positions=None, print_fn=None):
    print_fn = print_fn or print
    functional = not hasattr(model, "_stack")
    line_length = line_length or (98 if functional else 65)
    positions = positions or ([.30, .60, .70, 1.] if functional else [.45, .85, 1.])
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    headers = ["Layer (type)", "Output Shape", "Param #"] + (["Connected to"] if functional
                                                            else [])
    print_fn('Model: "%s"' % model.name)
    print_fn("_" * line_length)
    for line in _row_lines(headers, positions):
        print_fn(line)
    print_fn("=" * line_length)
    layers = model.layers
    for i, layer in enumerate(layers):
        shape = layer.output_shape
        if isinstance(shape, list):  # a recurrent layer's output and states
            shown = "[%s]" % ", ".join(shape_text(s) for s in shape)
        elif type(layer).__name__ == "InputLayer":
            shown = "[%s]" % shape_text(shape)
        else:
            shown = shape_text(shape)
        fields = ["%s (%s)" % (layer.name, type(layer).__name__), shown,
                  layer.count_params()]
        if functional:
            inbound = layer._nodes[0][0] if layer._nodes else []
            fields.append("[%s]" % ", ".join(
                "'%s[0][0]'" % t._keras_history[0].name for t in inbound
                if hasattr(t, "_keras_history")))
        for line in _row_lines(fields, positions):
            print_fn(line)
        print_fn(" " * line_length)
    print_fn("=" * line_length)
    trainable = sum(backend.count_params(w) for w in model.trainable_weights)
    frozen = sum(backend.count_params(w) for w in model.non_trainable_weights)
    size = {id(w): w.dtype.base_dtype.size for w in model.weights}

    def total_bytes(weights):
        return sum(backend.count_params(w) * size[id(w)] for w in weights)

    print_fn("Total params: %d (%s)" % (trainable + frozen, readable_size(
        total_bytes(model.weights))))
    print_fn("Trainable params: %d (%s)" % (trainable, readable_size(
        total_bytes(model.trainable_weights))))
    print_fn("Non-trainable params: %d (%s)" % (frozen, readable_size(
        total_bytes(model.non_trainable_weights))))
    print_fn("_" * line_length)
