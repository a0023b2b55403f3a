"""The ``tf.train`` namespace."""
from ..framework.graph import GraphKeys  # noqa: F401 - tf.train code often reaches for it
from .learning_rate_decay import (cosine_decay, cosine_decay_restarts, exponential_decay,
                                  inverse_time_decay, linear_cosine_decay, natural_exp_decay,
                                  piecewise_constant, piecewise_constant_decay,
                                  polynomial_decay)
from .optimizer import Optimizer
from .gradient_descent import GradientDescentOptimizer
from .momentum import MomentumOptimizer
from .adagrad import AdagradOptimizer
from .adadelta import AdadeltaOptimizer
from .rmsprop import RMSPropOptimizer
from .adam import AdamOptimizer
from .ftrl import FtrlOptimizer
from .proximal_gradient_descent import ProximalGradientDescentOptimizer
from .proximal_adagrad import ProximalAdagradOptimizer
from .adagrad_da import AdagradDAOptimizer
from .moving_averages import ExponentialMovingAverage
from .training_util import (assert_global_step, create_global_step, get_global_step,
                            get_or_create_global_step, global_step)
from .meta_graph import export_meta_graph, import_meta_graph
from .graph_io import write_graph
from .saver import (CheckpointState, NewCheckpointReader, Saver, checkpoint_exists,
                    get_checkpoint_state, latest_checkpoint, list_variables, load_variable,
                    update_checkpoint_state)
from .coordinator import Coordinator

# Monitored sessions and their hooks load on first use (PEP 562), keeping `import graphflow`
# fast: name -> the module that defines it.
_LAZY_NAMES = {
    **{name: "session_run_hook" for name in (
        "SessionRunArgs", "SessionRunContext", "SessionRunHook", "SessionRunValues")},
    **{name: "basic_session_run_hooks" for name in (
        "CheckpointSaverHook", "CheckpointSaverListener", "FeedFnHook", "FinalOpsHook",
        "GlobalStepWaiterHook", "LoggingTensorHook", "NanLossDuringTrainingError",
        "NanTensorHook", "SecondOrStepTimer", "StepCounterHook", "StopAtStepHook",
        "SummarySaverHook")},
    "SessionManager": "session_manager",
    **{name: "monitored_session" for name in (
        "ChiefSessionCreator", "MonitoredSession", "MonitoredTrainingSession", "Scaffold",
        "SessionCreator", "SingularMonitoredSession", "WorkerSessionCreator")},
}


def __getattr__(name):
    if name in _LAZY_NAMES:
        import importlib
        value = getattr(importlib.import_module("." + _LAZY_NAMES[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError("module 'graphflow.train' has no attribute %r" % name)
