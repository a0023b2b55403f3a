"""``tf.io``: file reading and writing ops, and ``tf.io.gfile``."""
from .ops.io_ops import read_file, write_file  # noqa: F401
from .platform.gfile import io_gfile as gfile  # noqa: F401
