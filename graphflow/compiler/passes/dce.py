"""Dead-code elimination: only nodes that a fetch or a target needs (through data or control
edges) remain; feeds always stay, as the executor fills them."""
from .common import rebuild


def dead_code(program):
    needed = set()
    stack = [v.node for v in program.fetches] + list(program.targets)
    while stack:
        node = stack.pop()
        if id(node) in needed:
            continue
        needed.add(id(node))
        stack.extend(v.node for v in node.inputs)
        stack.extend(node.control)
    feeds = {id(f) for f in program.feeds}
    drop = {id(n) for n in program.nodes if id(n) not in needed and id(n) not in feeds}
    if not drop:
        return program
    pruned = rebuild(program, {}, drop)
    pruned.changes = tuple("removed %s" % n.name for n in program.nodes if id(n) in drop)
    return pruned
