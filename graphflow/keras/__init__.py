"""``tf.keras``: Keras's high-level API (Sequential and functional models, compile/fit,
callbacks, image augmentation) built on graphflow's graphs and Sessions.

A model adds its ops to a graph once and trains with one Session.run per batch; see
training.py for the design and the differences from TF1's Keras.
"""
from . import (activations, backend, callbacks, initializers, layers, losses, metrics,  # noqa: F401
               models, optimizers, regularizers, utils)
from . import preprocessing  # noqa: F401
from .layers import Input  # noqa: F401
from .models import Model, Sequential  # noqa: F401
