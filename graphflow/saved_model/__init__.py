"""``tf.saved_model`` (TF1): SavedModelBuilder, simple_save and loader.load.

The directory layout follows TF's, but the files are graphflow's own formats: a SavedModel
written by graphflow is readable by graphflow only (see builder.py)."""
from . import builder, constants, loader, signature_constants, signature_def_utils
from . import tag_constants, utils
from .builder import SavedModelBuilder, simple_save
from .builder import SavedModelBuilder as Builder
from .loader import load, maybe_saved_model_directory
from .loader import maybe_saved_model_directory as contains_saved_model
from .signature_constants import (CLASSIFY_INPUTS, CLASSIFY_METHOD_NAME,
                                  CLASSIFY_OUTPUT_CLASSES, CLASSIFY_OUTPUT_SCORES,
                                  DEFAULT_SERVING_SIGNATURE_DEF_KEY, PREDICT_INPUTS,
                                  PREDICT_METHOD_NAME, PREDICT_OUTPUTS, REGRESS_INPUTS,
                                  REGRESS_METHOD_NAME, REGRESS_OUTPUTS)
from .signature_def_utils import (build_signature_def, is_valid_signature,
                                  predict_signature_def)
from .tag_constants import EVAL, GPU, SERVING, TPU, TRAINING
from .utils import build_tensor_info, get_tensor_from_tensor_info
