"""``tf.data.experimental``: the TF1-era transformations that later became Dataset methods."""
from .dataset_ops import AUTOTUNE


def unbatch():
    return lambda dataset: dataset.unbatch()


def shuffle_and_repeat(buffer_size, count=None, seed=None):
    return lambda dataset: dataset.shuffle(buffer_size, seed).repeat(count)


def map_and_batch(map_func, batch_size, num_parallel_batches=None, drop_remainder=False,
                  num_parallel_calls=None):
    return lambda dataset: dataset.map(map_func).batch(batch_size, drop_remainder)


def enumerate_dataset(start=0):
    return lambda dataset: dataset.enumerate(start)


def ignore_errors(log_warning=False):
    return lambda dataset: dataset


def get_structure(dataset_or_iterator):
    return dataset_or_iterator.element_spec


__all__ = ["AUTOTUNE", "enumerate_dataset", "get_structure", "ignore_errors",
           "map_and_batch", "shuffle_and_repeat", "unbatch"]
