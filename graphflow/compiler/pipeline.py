"""The ordered list of optimization passes a Session applies to a Program.

Each pass is ``Program -> Program``; the pipeline repeats the list until nothing changes (with an
iteration cap) and records what each pass changed, for the graph view and for debugging. A pass
describes its changes in the ``changes`` of the Program it returns (short notes such as
"Mul(x, 1) -> x at model/mul"); returning its input unchanged means it changed nothing.
"""
import collections

PassRecord = collections.namedtuple("PassRecord", ["iteration", "name", "nodes_before",
                                                   "nodes_after", "changes"])

from .passes.cse import common_subexpressions
from .passes.dce import dead_code
from .passes.fold import constant_folding
from .passes.fuse import fuse
from .passes.loop_records import drop_unread_loop_records
from .passes.simplify import algebraic_simplify
from .passes.specialize import specialize_shapes

# (ConfigProto option that can switch it off, pass). Folding first hands simplification
# constants to match (x * (2 - 1)) and exposes common subexpressions; simplification runs
# before CSE so that x*1 + y and x + y merge; dead-code elimination then drops what all of
# them left unused.
PASSES = [("specialize", specialize_shapes),
          ("constant_folding", constant_folding), ("simplify", algebraic_simplify),
          ("cse", common_subexpressions), ("dead_code", dead_code)]
# Rewrites that undo each other would otherwise loop forever; a real graph settles in 2 or 3.
MAX_ITERATIONS = 8
# Run once, after the fixpoint: fusion turns nodes into kernels the passes above do not rewrite
# (and leaves a reduction's axes constant unread, which dead-code elimination then drops).
FINAL_PASSES = [("fusion", fuse), ("dead_code", dead_code)]


def optimize(program, enabled=lambda option: True):
    """Runs the enabled passes to a fixpoint; returns (program, list of PassRecord)."""
    log = []
    for iteration in range(MAX_ITERATIONS):
        changed = False
        for option, pass_fn in PASSES:
            if not enabled(option):
                continue
            before = len(program.nodes)
            new_program = pass_fn(program)
            if new_program is not program:
                changed = True
                log.append(PassRecord(iteration, _pass_name(pass_fn), before,
                                      len(new_program.nodes), list(new_program.changes)))
            program = new_program
        if not changed:
            break
    for option, pass_fn in FINAL_PASSES:
        if enabled(option):
            before = len(program.nodes)
            new_program = pass_fn(program)
            if new_program is not program:
                log.append(PassRecord(iteration + 1, _pass_name(pass_fn), before,
                                      len(new_program.nodes), list(new_program.changes)))
            program = new_program
    # Not an optimization one may switch off: it decides what a While op keeps (see the pass).
    new_program = drop_unread_loop_records(program)
    if new_program is not program:
        log.append(PassRecord(iteration + 1, "drop_unread_loop_records", len(program.nodes),
                              len(new_program.nodes), list(new_program.changes)))
    return new_program, log


def _pass_name(pass_fn):
    # functools.partial (a pass with its options bound) has no __name__ of its own.
    return getattr(getattr(pass_fn, "func", pass_fn), "__name__", repr(pass_fn))
