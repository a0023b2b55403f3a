"""TF1's recurrent drivers: ``tf.nn.dynamic_rnn``, ``static_rnn`` and their bidirectional forms.

``dynamic_rnn`` is a ``tf.while_loop`` over time: inputs are unstacked into a TensorArray, the
cell runs once per step inside the loop body (so its variables are made there, under the
``rnn`` variable scope), and per-step outputs are written to TensorArrays stacked after the loop.
With ``sequence_length``, a batch entry past its length gets zero outputs and keeps its last
state, exactly as TF copies them through with a select per step.
"""
from .framework import dtypes, graph as graph_mod, tensor_shape
from .ops import array as array_ops
from .ops import array_extras
from .ops import math as math_ops
from .ops import variable_scope as vs
from .ops.control_flow import _flatten, _pack, while_loop
from .ops.convert import convert_to_tensor
from .ops.tensor_array import TensorArray
from .rnn_cell import _is_sequence, assert_like_rnncell, state_shape

__all__ = ["dynamic_rnn", "static_rnn", "bidirectional_dynamic_rnn",
           "static_bidirectional_rnn"]


def _transpose_batch_time(x):
    """Swaps the first two dimensions, keeping what is known of the shape."""
    x = convert_to_tensor(x)
    if x.shape.ndims is not None and x.shape.ndims < 2:
        raise ValueError("Expected input tensor %s to have rank at least 2, but saw shape: %s"
                         % (x, x.shape))
    if x.shape.ndims is None:
        rank = array_ops.rank(x)
        perm = array_ops.concat([[1, 0], math_ops.range(2, rank)], 0)
        return array_ops.transpose(x, perm)
    result = array_ops.transpose(x, [1, 0] + list(range(2, x.shape.ndims)))
    result.set_shape([x.shape[1], x.shape[0]] + x.shape.as_list()[2:])
    return result


def _best_effort_batch_size(flat_input):
    """The batch size of time-major inputs: static where any input knows it."""
    for tensor in flat_input:
        if tensor.shape.ndims is None:
            continue
        if tensor.shape.ndims < 2:
            raise ValueError("Expected input tensor %s to have rank at least 2" % tensor)
        batch = tensor_shape.dimension_value(tensor.shape[1])
        if batch is not None:
            return batch
    return array_ops.shape(flat_input[0])[1]


def _infer_state_dtype(explicit_dtype, state):
    if explicit_dtype is not None:
        return dtypes.as_dtype(explicit_dtype)
    leaves = _flatten(state)
    if not leaves:
        raise ValueError("Unable to infer dtype from empty state.")
    found = {convert_to_tensor(s).dtype.base_dtype for s in leaves}
    if len(found) > 1:
        raise ValueError("State has tensors of different inferred_dtypes. Unable to infer a "
                         "single representative dtype.")
    return found.pop()


def _sequence_length_tensor(sequence_length):
    sequence_length = math_ops.cast(sequence_length, dtypes.int32)
    if sequence_length.shape.ndims not in (None, 1):
        raise ValueError("sequence_length must be a vector of length batch_size, but saw "
                         "shape: %s" % sequence_length.shape)
    return array_ops.identity(sequence_length, name="sequence_length")


def _initial_state(cell, initial_state, batch_size, dtype):
    if initial_state is not None:
        return initial_state
    if not dtype:
        raise ValueError("If there is no initial_state, you must give a dtype.")
    return cell.zero_state(batch_size, dtype)


def _copy_through_past_length(time, sequence_length, zero_output, state, output, new_state):
    """Entries whose sequence ended (``time >= length``) output zeros and keep their state."""
    finished = math_ops.greater_equal(time, sequence_length)

    def select(old, new):
        if new.shape.ndims == 0:
            return new
        chosen = math_ops.where(finished, old, new)
        chosen.set_shape(new.shape)
        return chosen

    output = _pack(output, [select(z, o) for z, o in zip(_flatten(zero_output),
                                                         _flatten(output))]) \
        if _is_sequence(output) else select(zero_output, output)
    flat_state, flat_new = _flatten(state), _flatten(new_state)
    if len(flat_state) != len(flat_new):
        raise ValueError("The cell returned a state with %d tensors for a state of %d"
                         % (len(flat_new), len(flat_state)))
    new_state = _pack(new_state, [select(s, n) for s, n in zip(flat_state, flat_new)]) \
        if _is_sequence(new_state) else select(state, new_state)
    return output, new_state


def dynamic_rnn(cell, inputs, sequence_length=None, initial_state=None, dtype=None,
                parallel_iterations=None, swap_memory=False, time_major=False, scope=None):
    """Runs ``cell`` over the time steps of ``inputs`` (``[batch, time, depth]``, or
    ``[time, batch, depth]`` with ``time_major``); returns ``(outputs, final_state)``."""
    assert_like_rnncell("cell", cell)
    with vs.variable_scope(scope or "rnn"):
        flat_input = [convert_to_tensor(x) for x in _flatten(inputs)]
        if not time_major:
            flat_input = [_transpose_batch_time(x) for x in flat_input]
        if sequence_length is not None:
            sequence_length = _sequence_length_tensor(sequence_length)
        batch_size = _best_effort_batch_size(flat_input)
        state = _initial_state(cell, initial_state, batch_size, dtype)
        packed_input = _pack(inputs, flat_input)
        outputs, final_state = _dynamic_rnn_loop(cell, packed_input, state, sequence_length,
                                                 dtype, parallel_iterations or 32,
                                                 swap_memory)
        if not time_major:
            outputs = _pack(outputs, [_transpose_batch_time(o) for o in _flatten(outputs)])
        return outputs, final_state


def _dynamic_rnn_loop(cell, inputs, initial_state, sequence_length, dtype, parallel_iterations,
                      swap_memory):
    flat_input = _flatten(inputs)
    flat_output_size = _flatten(cell.output_size)
    time_steps = array_ops.shape(flat_input[0])[0]
    batch_size = _best_effort_batch_size(flat_input)
    input_shapes = [x.shape.with_rank_at_least(3) for x in flat_input]
    static_time, static_batch = input_shapes[0].as_list()[:2]
    for shape in input_shapes:
        if not shape[2:].is_fully_defined():
            raise ValueError("Input size (depth of inputs) must be accessible via shape "
                             "inference, but saw value None.")
        if shape[0].value != static_time:
            raise ValueError("Time steps is not the same for all the elements in the input in "
                             "a batch.")
        if shape[1].value != static_batch:
            raise ValueError("Batch_size is not the same for all the elements in the input.")
    if static_time is not None:
        time_steps = static_time
    state_dtype = _infer_state_dtype(dtype, initial_state)
    zero_output = None
    if sequence_length is not None:
        zeros = [array_ops.zeros(state_shape(batch_size, size), dtype=state_dtype)
                 for size in flat_output_size]
        zero_output = _pack(cell.output_size, zeros)
    with graph_mod.name_scope("dynamic_rnn") as base_name:
        time = convert_to_tensor(0, dtype=dtypes.int32, name="time")
        output_tas = [TensorArray(dtype=state_dtype, size=time_steps,
                                  element_shape=state_shape(batch_size, size, static=True),
                                  tensor_array_name=base_name + "output_%d" % i)
                      for i, size in enumerate(flat_output_size)]
        input_tas = [TensorArray(dtype=x.dtype.base_dtype, size=time_steps,
                                 element_shape=x.shape[1:],
                                 tensor_array_name=base_name + "input_%d" % i).unstack(x)
                     for i, x in enumerate(flat_input)]

    def time_step(time, output_tas, state):
        step_inputs = [ta.read(time) for ta in input_tas]
        for tensor, shape in zip(step_inputs, input_shapes):
            tensor.set_shape(shape[1:])
        step_input = _pack(inputs, step_inputs)
        output, new_state = cell(step_input, state)
        _check_same_structure(state, new_state)
        if sequence_length is not None:
            output, new_state = _copy_through_past_length(time, sequence_length, zero_output,
                                                          state, output, new_state)
        output_tas = [ta.write(time, out) for ta, out in zip(output_tas, _flatten(output))]
        return time + 1, output_tas, new_state

    _, final_tas, final_state = while_loop(
        lambda time, *_: time < time_steps, time_step, (time, output_tas, initial_state),
        parallel_iterations=parallel_iterations, swap_memory=swap_memory)
    outputs = [ta.stack() for ta in final_tas]
    for output, size in zip(outputs, flat_output_size):
        output.set_shape([static_time] + state_shape(static_batch, size, static=True))
    return _pack(cell.output_size, outputs), final_state


def _check_same_structure(state, new_state):
    if _is_sequence(state) != _is_sequence(new_state) or \
            len(_flatten(state)) != len(_flatten(new_state)):
        raise ValueError("The two structures don't have the same nested structure: the cell "
                         "got state %s and returned %s" % (state, new_state))


def bidirectional_dynamic_rnn(cell_fw, cell_bw, inputs, sequence_length=None,
                              initial_state_fw=None, initial_state_bw=None, dtype=None,
                              parallel_iterations=None, swap_memory=False, time_major=False,
                              scope=None):
    """A forward and a backward ``dynamic_rnn`` (in scopes ``fw`` and ``bw``); the backward
    one reads each sequence reversed within its length, and its outputs are reversed back.
    Returns ``((output_fw, output_bw), (state_fw, state_bw))``."""
    assert_like_rnncell("cell_fw", cell_fw)
    assert_like_rnncell("cell_bw", cell_bw)
    time_axis, batch_axis = (0, 1) if time_major else (1, 0)

    def reverse(value):
        if sequence_length is not None:
            return array_extras.reverse_sequence(value, seq_lengths=sequence_length,
                                                 seq_axis=time_axis, batch_axis=batch_axis)
        return array_ops.reverse(value, axis=[time_axis])

    def reverse_all(structure):
        return _pack(structure, [reverse(x) for x in _flatten(structure)])

    with vs.variable_scope(scope or "bidirectional_rnn"):
        with vs.variable_scope("fw") as fw_scope:
            output_fw, state_fw = dynamic_rnn(
                cell_fw, inputs, sequence_length=sequence_length,
                initial_state=initial_state_fw, dtype=dtype,
                parallel_iterations=parallel_iterations, swap_memory=swap_memory,
                time_major=time_major, scope=fw_scope)
        with vs.variable_scope("bw") as bw_scope:
            output_bw_reversed, state_bw = dynamic_rnn(
                cell_bw, reverse_all(inputs), sequence_length=sequence_length,
                initial_state=initial_state_bw, dtype=dtype,
                parallel_iterations=parallel_iterations, swap_memory=swap_memory,
                time_major=time_major, scope=bw_scope)
    output_bw = reverse_all(output_bw_reversed)
    return (output_fw, output_bw), (state_fw, state_bw)


def static_rnn(cell, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
    """The cell unrolled over a Python list of per-step inputs (each ``[batch, depth]``);
    returns ``(outputs, final_state)`` with outputs a list."""
    assert_like_rnncell("cell", cell)
    if not _is_sequence(inputs):
        raise TypeError("inputs must be a sequence")
    if not inputs:
        raise ValueError("inputs must not be empty")
    outputs = []
    with vs.variable_scope(scope or "rnn") as varscope:
        first = inputs
        while _is_sequence(first):
            first = first[0]
        first = convert_to_tensor(first)
        if first.shape.ndims != 1:
            fixed_batch = first.shape.with_rank_at_least(2)[0]
            for flat in _flatten(inputs):
                shape = convert_to_tensor(flat).shape.with_rank_at_least(2)
                fixed_batch = fixed_batch.merge_with(shape[0])
                for i, size in enumerate(shape[1:].as_list()):
                    if size is None:
                        raise ValueError("Input size (dimension %d of inputs) must be "
                                         "accessible via shape inference, but saw value None."
                                         % i)
        else:
            fixed_batch = first.shape.with_rank_at_least(1)[0]
        batch_size = fixed_batch.value if fixed_batch.value else array_ops.shape(first)[0]
        state = _initial_state(cell, initial_state, batch_size, dtype)
        zero_output = None
        if sequence_length is not None:
            sequence_length = convert_to_tensor(sequence_length, name="sequence_length")
            if sequence_length.shape.ndims not in (None, 1):
                raise ValueError("sequence_length must be a vector of length batch_size")
            state_dtype = _infer_state_dtype(dtype, state)
            zeros = []
            for size in _flatten(cell.output_size):
                zero = array_ops.zeros(state_shape(batch_size, size), dtype=state_dtype)
                zero.set_shape(state_shape(fixed_batch.value, size, static=True))
                zeros.append(zero)
            zero_output = _pack(cell.output_size, zeros)
            sequence_length = math_ops.cast(sequence_length, dtypes.int32)
        for time, step_input in enumerate(inputs):
            if time > 0:
                varscope.reuse_variables()
            output, new_state = cell(step_input, state)
            if sequence_length is not None:
                output, new_state = _copy_through_past_length(time, sequence_length,
                                                              zero_output, state, output,
                                                              new_state)
            state = new_state
            outputs.append(output)
        return outputs, state


def static_bidirectional_rnn(cell_fw, cell_bw, inputs, initial_state_fw=None,
                             initial_state_bw=None, dtype=None, sequence_length=None,
                             scope=None):
    """``static_rnn`` forward and over the reversed inputs; the outputs are the per-step
    concatenations ``[output_fw, output_bw]``. Returns ``(outputs, state_fw, state_bw)``."""
    assert_like_rnncell("cell_fw", cell_fw)
    assert_like_rnncell("cell_bw", cell_bw)
    if not _is_sequence(inputs):
        raise TypeError("inputs must be a sequence")
    if not inputs:
        raise ValueError("inputs must not be empty")
    with vs.variable_scope(scope or "bidirectional_rnn"):
        with vs.variable_scope("fw") as fw_scope:
            output_fw, state_fw = static_rnn(cell_fw, inputs, initial_state_fw, dtype,
                                             sequence_length, scope=fw_scope)
        with vs.variable_scope("bw") as bw_scope:
            reversed_inputs = _reverse_steps(inputs, sequence_length)
            tmp, state_bw = static_rnn(cell_bw, reversed_inputs, initial_state_bw, dtype,
                                       sequence_length, scope=bw_scope)
    output_bw = _reverse_steps(tmp, sequence_length)
    flat_fw = [_flatten(o) for o in output_fw]
    flat_bw = [_flatten(o) for o in output_bw]
    outputs = []
    for fw, bw, structure in zip(flat_fw, flat_bw, output_fw):
        joined = [array_ops.concat([f, b], 1) for f, b in zip(fw, bw)]
        outputs.append(_pack(structure, joined))
    return outputs, state_fw, state_bw


def _reverse_steps(steps, sequence_length):
    """A list of per-step tensors reversed in time (within each entry's length if given)."""
    if sequence_length is None:
        return list(reversed(steps))
    flat = [_flatten(step) for step in steps]
    reversed_leaves = []
    for leaf in range(len(flat[0])):
        stacked = array_ops.stack([step[leaf] for step in flat])
        flipped = array_extras.reverse_sequence(stacked, math_ops.cast(sequence_length,
                                                                       dtypes.int64),
                                                seq_axis=0, batch_axis=1)
        reversed_leaves.append(array_ops.unstack(flipped))
    result = []
    for t, step in enumerate(steps):
        leaves = [reversed_leaves[leaf][t] for leaf in range(len(flat[0]))]
        for leaf, original in zip(leaves, _flatten(step)):
            leaf.set_shape(original.shape)
        result.append(_pack(step, leaves))
    return result
