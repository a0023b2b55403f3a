"""``tf.keras.preprocessing``: data augmentation for images."""
from . import image  # noqa: F401
