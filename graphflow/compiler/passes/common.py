"""What the passes share: which nodes may be moved, merged or evaluated early, and rebuilding
a Program with some values replaced."""
from ..ir import FEED, Program, Value


def is_movable(node):
    """A node whose result depends only on its input values: no state, no randomness, no
    tf.cond machinery, no variable read at run time, no control inputs, and not a feed."""
    return is_pure_compute(node) and not node.deref


def is_pure_compute(node):
    """Like ``is_movable``, but the node may read variables when it runs (``node.deref``):
    fusion keeps such reads, run by the fused node where its last member ran; folding and CSE
    may not, as two reads of one variable can differ."""
    op_def = node.op_def
    return (op_def is not FEED and not op_def.stateful and not op_def.needs and
            not op_def.makes_dead and not op_def.takes_dead and not node.control)


def rebuild(program, replace, drop=()):
    """A new Program where each input or fetch Value in ``replace`` (by (id(node), index))
    reads the replacement Value instead, and nodes in ``drop`` (ids) are left out."""
    def swap(value):
        return replace.get((id(value.node), value.index), value)

    def swap_control(node):
        # A control edge on a dropped node waits for what replaced it (the node CSE kept, the
        # constant folding made), which computed the same value.
        if id(node) in drop:
            replacement = replace.get((id(node), 0))
            if replacement is None:
                return None
            node = replacement.node
        return old_to_new.get(id(node), node)

    old_to_new = {}
    nodes = []
    for node in program.nodes:
        if id(node) in drop:
            continue
        control = (swap_control(c) for c in node.control)
        new = node.replace(
            inputs=tuple(_renamed(swap(v), old_to_new) for v in node.inputs),
            control=tuple(c for c in control if c is not None))
        old_to_new[id(node)] = new
        nodes.append(new)
    fetches = [_renamed(swap(v), old_to_new) for v in program.fetches]
    return Program(nodes, [old_to_new[id(f)] for f in program.feeds], fetches,
                   program.fetch_deref, [old_to_new.get(id(t), t) for t in program.targets])


def _renamed(value, old_to_new):
    return Value(old_to_new.get(id(value.node), value.node), value.index)
