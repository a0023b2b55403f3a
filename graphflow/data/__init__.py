"""``tf.data`` as TF1 programs use it: datasets described while the graph is built, consumed
through iterator ops whose position each Session keeps (see dataset_ops.py, iterator_ops.py)."""
from . import experimental
from .dataset_ops import (AUTOTUNE, Dataset, DatasetV1, TextLineDataset, TensorSpec)
from .iterator_ops import (Iterator, get_output_classes, get_output_shapes, get_output_types,
                           make_initializable_iterator, make_one_shot_iterator)

