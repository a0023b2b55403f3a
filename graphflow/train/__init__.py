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
from .session_run_hook import (SessionRunArgs, SessionRunContext, SessionRunHook,
                               SessionRunValues)
from .coordinator import Coordinator
from .basic_session_run_hooks import (CheckpointSaverHook, CheckpointSaverListener,
                                      FeedFnHook, FinalOpsHook, GlobalStepWaiterHook,
                                      LoggingTensorHook, NanLossDuringTrainingError,
                                      NanTensorHook, SecondOrStepTimer, StepCounterHook,
                                      StopAtStepHook, SummarySaverHook)
from .session_manager import SessionManager
from .monitored_session import (ChiefSessionCreator, MonitoredSession, MonitoredTrainingSession,
                                Scaffold, SessionCreator, SingularMonitoredSession,
                                WorkerSessionCreator)
