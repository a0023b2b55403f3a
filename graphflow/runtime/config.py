"""``tf.ConfigProto`` and friends: TF1's session options, as plain keyword objects.

TF's options that have no meaning here (thread counts, device placement logging, GPU memory
growth) are accepted and kept, so TF1 code constructing them runs unchanged. graphflow's own
switches: ``backend`` ("numba", the default: fused kernels compiled with Numba; "reference", the
numpy executor every backend is checked against; or another registered backend; the environment
variable GRAPHFLOW_BACKEND sets the default) and ``optimizer_passes``,
a dict turning individual compiler passes off, e.g. ``{"constant_folding": False}``.
"""
import os


class _Options:
    """An object that takes any keyword field, like a protobuf message constructor."""

    _defaults = {}

    def __init__(self, **fields):
        for name, value in self._defaults.items():
            setattr(self, name, value() if callable(value) else value)
        for name, value in fields.items():
            setattr(self, name, value)

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, ", ".join(
            "%s=%r" % kv for kv in sorted(vars(self).items())))


class GPUOptions(_Options):
    _defaults = {"allow_growth": False, "per_process_gpu_memory_fraction": 0.0,
                 "visible_device_list": ""}


class OptimizerOptions(_Options):
    L0, L1 = -1, 0
    DEFAULT, OFF, ON = 0, 1, 2
    _defaults = {"do_common_subexpression_elimination": True, "do_constant_folding": True,
                 "do_function_inlining": True, "opt_level": 0, "global_jit_level": 0}


class RewriterConfig(_Options):
    DEFAULT, ON, OFF, AGGRESSIVE = 0, 1, 2, 3
    _defaults = {"constant_folding": 0, "arithmetic_optimization": 0,
                 "dependency_optimization": 0, "remapping": 0, "disable_meta_optimizer": False}


class GraphOptions(_Options):
    _defaults = {"optimizer_options": OptimizerOptions, "rewrite_options": RewriterConfig,
                 "place_pruned_graph": False, "infer_shapes": False}


class ConfigProto(_Options):
    _defaults = {"allow_soft_placement": False, "log_device_placement": False,
                 "intra_op_parallelism_threads": 0, "inter_op_parallelism_threads": 0,
                 "gpu_options": GPUOptions, "graph_options": GraphOptions,
                 "device_count": dict, "operation_timeout_in_ms": 0,
                 "backend": lambda: os.environ.get("GRAPHFLOW_BACKEND", "numba"),
                 "optimizer_passes": dict}

    # Which TF option, when switched off, also switches a graphflow pass off.
    _TF_SWITCHES = {
        "constant_folding": lambda c: (c.graph_options.optimizer_options.do_constant_folding
                                       and c.graph_options.rewrite_options.constant_folding
                                       != RewriterConfig.OFF),
        "cse": lambda c: c.graph_options.optimizer_options.do_common_subexpression_elimination,
        "simplify": lambda c: (c.graph_options.rewrite_options.arithmetic_optimization
                               != RewriterConfig.OFF),
        "fusion": lambda c: c.graph_options.rewrite_options.remapping != RewriterConfig.OFF,
    }

    def pass_enabled(self, option):
        if not self.optimizer_passes.get(option, True):
            return False
        if self.graph_options.rewrite_options.disable_meta_optimizer:
            return False
        tf_switch = self._TF_SWITCHES.get(option)
        return tf_switch(self) if tf_switch is not None else True


class RunOptions(_Options):
    NO_TRACE, SOFTWARE_TRACE, HARDWARE_TRACE, FULL_TRACE = 0, 1, 2, 3
    _defaults = {"trace_level": 0, "timeout_in_ms": 0}


class RunMetadata(_Options):
    _defaults = {"step_stats": None, "partition_graphs": list}
