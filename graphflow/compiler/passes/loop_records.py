"""Loop records only where a gradient reads them.

A While op keeps, per iteration, the body values its gradient needs (``LoopRecord``, its last
output), which costs memory for every iteration and stops the recorded values from being fused
away. Only a WhileGrad (or a fetch) reads that record, so a While whose record nothing in this
program reads runs with ``record=False`` and keeps nothing. Always run, after the other passes:
the record's readers must be final when it is decided.
"""
from ..ir import Program, Value


def drop_unread_loop_records(program):
    read = {(id(v.node), v.index) for node in program.nodes for v in node.inputs}
    read.update((id(v.node), v.index) for v in program.fetches)
    unread = [node for node in program.nodes
              if node.op_def.name == "While" and node.attrs.get("record", True) and
              (id(node), node.attrs["n_vars"]) not in read]
    if not unread:
        return program
    unread_ids = {id(node) for node in unread}
    old_to_new = {}
    nodes = []

    def renamed(value):
        return Value(old_to_new.get(id(value.node), value.node), value.index)

    for node in program.nodes:
        changes = {"inputs": tuple(renamed(v) for v in node.inputs),
                   "control": tuple(old_to_new.get(id(c), c) for c in node.control)}
        if id(node) in unread_ids:
            # A copy: the attrs dict is shared with the user's graph op and other programs.
            changes["attrs"] = dict(node.attrs, record=False)
        new = node.replace(**changes)
        old_to_new[id(node)] = new
        nodes.append(new)
    result = Program(nodes, [old_to_new[id(f)] for f in program.feeds],
                     [renamed(v) for v in program.fetches], program.fetch_deref,
                     [old_to_new.get(id(t), t) for t in program.targets])
    result.changes = tuple("%s keeps no loop record" % node.name for node in unread)
    return result
