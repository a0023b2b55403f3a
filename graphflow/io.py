"""``tf.io``: file reading and writing ops, and ``tf.io.gfile``."""
from .ops.io_ops import read_file, write_file  # noqa: F401
from .platform.gfile import io_gfile as gfile  # noqa: F401
from .strings import decode_base64, decode_raw, encode_base64  # noqa: F401,E402
