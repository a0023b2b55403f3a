"""graphflow: a TF1-style graph-mode engine. ``import graphflow as tf`` and write TF1 code.

This module only re-exports; each name lives with the code that defines it.
"""
from .framework import dtypes as _dtypes
from .framework import errors
from .framework.dtypes import (DType, as_dtype, bool, complex64, complex128, double, float16,
                               float32, float64, half, int8, int16, int32, int64, string, uint8,
                               uint16, uint32, uint64)
from .framework.graph import (Graph, GraphKeys, Operation, Tensor, add_to_collection,
                              add_to_collections, colocate_with, control_dependencies, device,
                              get_collection, get_collection_ref, get_default_graph,
                              get_default_session, name_scope, reset_default_graph)
from .framework.tensor_shape import Dimension, TensorShape, dimension_value
from .framework.graph_def import GraphDef, NodeDef
from .ops.convert import (constant, convert_to_tensor, is_tensor,
                          register_tensor_conversion_function)
from .ops.array import *  # noqa: F401,F403
from .ops.math import *  # noqa: F401,F403
from .ops.linalg import *  # noqa: F401,F403
from .ops.segment import *  # noqa: F401,F403
from .ops.array_extras import *  # noqa: F401,F403
from .ops.state import (Variable, VariableV1, all_variables, assert_variables_initialized,
                        assign, assign_add, assign_sub, count_up_to, global_variables,
                        global_variables_initializer, group, initialize_all_variables,
                        initialize_local_variables, is_variable_initialized, local_variables,
                        local_variables_initializer, model_variables, moving_average_variables,
                        no_op, report_uninitialized_variables, trainable_variables,
                        variables_initializer)
from .ops.state import tuple_ as tuple  # noqa: A001 - TF's public name
from .autodiff import RegisterGradient, gradients, hessians
from .framework.random_seed import get_seed, set_random_seed
from .ops.random import (categorical, multinomial, random_gamma, random_normal, random_shuffle,
                         random_uniform, truncated_normal)
from .ops import random  # tf.random.normal, tf.random.uniform, tf.random.set_random_seed...
from .ops.variable_scope import (AUTO_REUSE, VariableScope, get_local_variable, get_variable,
                                 get_variable_scope, no_regularizer, variable_op_scope,
                                 variable_scope)
from .initializers import (constant_initializer, glorot_normal_initializer,
                           glorot_uniform_initializer, ones_initializer, orthogonal_initializer,
                           random_normal_initializer, random_uniform_initializer,
                           truncated_normal_initializer, uniform_unit_scaling_initializer,
                           variance_scaling_initializer, zeros_initializer)
from . import initializers
from .ops.clip import clip_by_average_norm, clip_by_global_norm, clip_by_norm, global_norm
from . import layers, linalg, losses, math, metrics, nn, train
from . import compat
from . import summary  # tf.summary: summary ops and TensorBoard event files
from .ops.control_flow import case, cond, while_loop
from .ops.functional import foldl, foldr, map_fn, scan
from .ops.tensor_array import TensorArray
from .runtime.config import (ConfigProto, GPUOptions, GraphOptions, OptimizerOptions,
                             RunMetadata, RunOptions)
from .runtime.session import InteractiveSession, Session
from . import eager
from .eager import (GradientTape, disable_eager_execution, enable_eager_execution,
                    executing_eagerly)
from .function import TensorSpec, function
# Around the model: flags, tf.app.run, logging, files, printing, checks, Python ops, templates.
from .platform import app, flags
from .platform import tf_logging as logging
from .platform.gfile import v1_gfile as gfile
from .ops.io_ops import read_file, write_file
from .ops.logging_ops import (Assert, Print, add_check_numerics_ops, check_numerics,
                              verify_tensor_all_finite)
from .ops.logging_ops import print_v2 as print  # noqa: A001 - TF's public name
from .ops.check_ops import (assert_equal, assert_greater, assert_greater_equal, assert_integer,
                            assert_less, assert_less_equal, assert_near, assert_negative,
                            assert_non_negative, assert_non_positive, assert_none_equal,
                            assert_positive, assert_rank, assert_rank_at_least, assert_scalar,
                            assert_type, is_non_decreasing, is_numeric_tensor,
                            is_strictly_increasing)
from .ops.script_ops import numpy_function, py_func
from .ops.template import make_template

newaxis = None


def disable_v2_behavior():
    """graphflow always behaves as TF1: this exists so TF1 programs run unchanged."""


enable_resource_variables = disable_resource_variables = disable_v2_behavior
__version__ = "0.1.0"


# Namespaces most graph programs never touch load on first use (PEP 562), which keeps
# `import graphflow` fast: tf.keras, graphflow.viz, tf.data, tf.test (unittest.mock pulls in
# asyncio), SavedModel and GraphDef import, strings, images, sparse tensors, tf.io.
_LAZY_MODULES = ("keras", "viz", "data", "test", "saved_model", "graph_util", "strings", "image",
                 "sparse", "io", "debugging", "lookup")
# names re-exported from those (or from modules only they need) -> the module that defines them
_LAZY_NAMES = {
    "random_crop": "image",
    "import_graph_def": "importer",
    "tables_initializer": "lookup",
    "initialize_all_tables": "lookup",
    **{name: "sparse" for name in (
        "SparseTensor", "SparseTensorValue", "sparse_add", "sparse_placeholder",
        "sparse_reduce_sum", "sparse_tensor_dense_matmul", "sparse_tensor_to_dense",
        "sparse_to_dense")},
    **{name: "strings" for name in (
        "as_string", "decode_base64", "decode_raw", "encode_base64", "reduce_join",
        "regex_replace", "string_join", "string_split", "string_strip",
        "string_to_hash_bucket_fast", "string_to_number", "substr")},
}


def __getattr__(name):
    import importlib
    if name in _LAZY_MODULES:
        module = importlib.import_module("." + name, __name__)
        globals()[name] = module
        return module
    if name in _LAZY_NAMES:
        value = getattr(importlib.import_module("." + _LAZY_NAMES[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError("module 'graphflow' has no attribute %r" % name)


def __dir__():
    return sorted(set(globals()) | set(_LAZY_MODULES) | set(_LAZY_NAMES))
